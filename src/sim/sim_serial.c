/* The simulated host's serial console (ttyS0), as its BMC serves it
 * over SSH (sim_ssh.c): firmware and kernel lines as the host powers on,
 * a login prompt that takes any name, a shell that knows a handful of
 * commands (nvidia-smi -L, uptime, ...), systemd and kernel lines for a
 * graceful shutdown, NVIDIA Xid lines for the GPU faults the model
 * injects, and SysRq after a serial Break. What it prints follows the
 * host's event log, so the console tells the same story as Redfish.
 * It is a simulator: small, and it says so where it cuts corners. */
#include "sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIAL_LINE_MAX 200
#define SERIAL_USER_MAX 32
#define SERIAL_GPU_NAME "NVIDIA H100 80GB HBM3"
#define SERIAL_OS "racktop-sim GNU/Linux"
#define SERIAL_KERNEL "6.8.0-racktop-sim"

struct sim_serial {
	uint32_t log_seen;        /* the last event log id acted on */
	bool os_up;               /* the kernel has booted and not gone down */
	bool firmware_shown;      /* this power-on's firmware lines are out */
	bool graceful;            /* a GracefulShutdown is on its way */
	bool sysrq;               /* a Break armed SysRq: the next key is a command */
	bool logged_in;
	bool last_cr;             /* a CR ended the last line: skip its LF */
	uint8_t esc;              /* 0; 1 after ESC; 2 inside a CSI sequence */
	double booted_at;         /* sim_now() when the kernel started */
	char user[SERIAL_USER_MAX + 1];
	char line[SERIAL_LINE_MAX + 1];
	size_t len;
};

/* Where the eight GPUs sit on the PCI bus (as on a DGX H100). */
static const unsigned char serial_gpu_bus[SIM_GPUS] = {
	0x1b, 0x43, 0x52, 0x61, 0x9d, 0xc3, 0xd1, 0xdf
};

static void serial_out(struct sim_host *h, const char *s)
{
	ssh_console_send(h, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void serial_printf(struct sim_host *h,
                                                                const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	serial_out(h, buf);
}

/* A kernel line stamped T seconds after boot, as dmesg does. */
__attribute__((format(printf, 3, 4))) static void serial_kernel_at(struct sim_host *h, double t,
                                                                  const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t < 0)
		t = 0;
	serial_printf(h, "[%5u.%06u] %s\r\n", (unsigned)t, (unsigned)((t - (unsigned)t) * 1e6), msg);
}

#define serial_kernel(h, ...) serial_kernel_at(h, sim_now() - (h)->serial->booted_at, __VA_ARGS__)

static void serial_prompt(struct sim_host *h, char *buf, size_t n)
{
	const struct sim_serial *s = h->serial;

	if (!s->os_up)
		buf[0] = '\0';
	else if (s->logged_in)
		snprintf(buf, n, "%s@%s:~%c ", s->user, h->name, strcmp(s->user, "root") ? '$' : '#');
	else
		snprintf(buf, n, "%s login: ", h->name);
}

/* The getty's banner and prompt (the line to log in at). */
static void serial_getty(struct sim_host *h, char *buf, size_t n)
{
	snprintf(buf, n, "\r\n" SERIAL_OS " %s ttyS0\r\n(racktop-sim: any name logs in, "
	         "no password)\r\n\r\n%s login: ", h->name, h->name);
}

static void serial_show_prompt(struct sim_host *h)
{
	char p[128];

	serial_prompt(h, p, sizeof(p));
	serial_out(h, p);
}

static void serial_firmware(struct sim_host *h)
{
	unsigned gpus = 0;

	for (unsigned g = 0; g < SIM_GPUS; g++)
		gpus += model_gpu_present(h, g);
	serial_printf(h, "\r\nracktop-sim UEFI firmware 1.0: POST complete, 2048 GB memory, %u GPUs\r\n",
	              gpus);
	if (h->boot_target != 0)
		serial_printf(h, "Boot source override: %s (%s)\r\n", sim_boot_targets[h->boot_target],
		              sim_boot_enabled[h->boot_enabled]);
	serial_out(h, "Booting from NVMe0 ...\r\n");
	h->serial->firmware_shown = true;
}

static void serial_boot(struct sim_host *h)
{
	struct sim_serial *s = h->serial;
	char getty[256];
	double t = 0.4;

	if (!s->firmware_shown)
		serial_firmware(h);
	s->os_up = true;
	s->booted_at = sim_now();
	s->logged_in = false;
	s->len = 0;
	s->sysrq = false;
	/* Printed at once, stamped as a boot spreads them. */
	serial_kernel_at(h, 0, "Linux version " SERIAL_KERNEL " (racktop-sim) #1 SMP PREEMPT_DYNAMIC");
	serial_kernel_at(h, 0, "Command line: root=/dev/nvme0n1p2 ro console=ttyS0,115200n8");
	for (unsigned g = 0; g < SIM_GPUS; g++, t += 0.013)
		if (model_gpu_present(h, g))
			serial_kernel_at(h, t, "pci 0000:%02x:00.0: [10de:2330] type 00 class 0x030200",
			              serial_gpu_bus[g]);
	serial_kernel_at(h, 3.12, "nvidia: module license 'NVIDIA' taints kernel.");
	serial_kernel_at(h, 3.21, "NVRM: loading NVIDIA UNIX x86_64 Kernel Module  550.90.07");
	serial_out(h, "[  OK  ] Started nvidia-persistenced.service - NVIDIA Persistence Daemon.\r\n");
	serial_out(h, "[  OK  ] Reached target multi-user.target - Multi-User System.\r\n");
	serial_getty(h, getty, sizeof(getty));
	serial_out(h, getty);
}

static void serial_down(struct sim_host *h)
{
	struct sim_serial *s = h->serial;

	if (s->os_up && s->graceful)
		serial_kernel(h, "reboot: Power down");
	s->os_up = false;
	s->graceful = false;
	s->firmware_shown = false;
	s->logged_in = false;
	s->sysrq = false;
	s->len = 0;
}

static void serial_graceful(struct sim_host *h)
{
	struct sim_serial *s = h->serial;

	if (!s->os_up || s->graceful)
		return;
	s->graceful = true;
	/* The BMC's soft power-off is the ACPI power button: systemd shuts down. */
	serial_out(h, "\r\n");
	serial_kernel(h, "ACPI: button: Power Button [PWRF] pressed");
	serial_out(h, "[  OK  ] Stopped target multi-user.target - Multi-User System.\r\n");
	serial_out(h, "[  OK  ] Stopped nvidia-persistenced.service - NVIDIA Persistence Daemon.\r\n");
	serial_out(h, "[  OK  ] Reached target poweroff.target - System Power Off.\r\n");
}

/* Whether a logged power request (its index in sim_reset_types) is NAME. */
static bool serial_reset_is(unsigned arg, const char *name)
{
	for (unsigned i = 0; sim_reset_types[i]; i++)
		if (i == arg)
			return strcmp(sim_reset_types[i], name) == 0;
	return false;
}

static void serial_event(struct sim_host *h, const struct sim_log_entry *e)
{
	struct sim_serial *s = h->serial;
	unsigned bus = serial_gpu_bus[e->gpu % SIM_GPUS];

	switch (e->kind) {
	case SIM_LOG_POWER_REQUEST:
		if (serial_reset_is(e->arg, "GracefulShutdown"))
			serial_graceful(h);
		else if (!serial_reset_is(e->arg, "On"))
			s->graceful = false;   /* forced: the OS gets no say */
		break;
	case SIM_LOG_POWER_OFF:
		serial_down(h);
		break;
	case SIM_LOG_POWER_ON:
		serial_boot(h);
		break;
	case SIM_LOG_GPU_OFFBUS:
		if (s->os_up)
			serial_kernel(h, "NVRM: Xid (PCI:0000:%02x:00): 79, pid='<unknown>', "
			              "name=<unknown>, GPU has fallen off the bus.", bus);
		break;
	case SIM_LOG_GPU_ECC_UNCORR:
		if (s->os_up)
			serial_kernel(h, "NVRM: Xid (PCI:0000:%02x:00): 48, pid='<unknown>', "
			              "name=<unknown>, An uncorrectable double bit error (DBE) has "
			              "been detected on GPU in the framebuffer.", bus);
		break;
	default:
		break;
	}
}

/* When the host last powered on (sim_now() terms), from its event log;
 * else as the simulator started, when every host powers on. */
static double serial_last_boot(const struct sim_host *h)
{
	double boot = sim_now() - sim_uptime();

	for (unsigned i = 0; i < h->log_count; i++) {
		const struct sim_log_entry *e = &h->log[(h->log_head + i) % SIM_LOG_MAX];
		double ago = (double)time(NULL) - e->created;

		if (e->kind == SIM_LOG_POWER_ON && ago >= 0 && sim_now() - ago > boot)
			boot = sim_now() - ago;
	}
	return boot;
}

/* Brings the console up to date with the model: the events logged since
 * the last look, in order, then the power state itself (a cleared log
 * may have taken events with it). */
void serial_follow(struct sim_host *h, const struct sim_config *cfg)
{
	struct sim_serial *s = h->serial;

	if (!s) {
		s = h->serial = calloc(1, sizeof(*s));
		if (!s)
			return;
		s->log_seen = h->log_next_id;
		s->os_up = model_is_on(h);
		s->firmware_shown = s->os_up;
		s->booted_at = serial_last_boot(h);
	}
	model_advance(h, cfg);
	for (unsigned i = 0; i < h->log_count; i++) {
		const struct sim_log_entry *e = &h->log[(h->log_head + i) % SIM_LOG_MAX];

		if (e->id > s->log_seen) {
			s->log_seen = e->id;
			serial_event(h, e);
		}
	}
	s->log_seen = h->log_next_id;
	if (s->os_up && !model_is_on(h))
		serial_down(h);
	else if (!s->os_up && h->power == SIM_POWER_ON)
		serial_boot(h);
	else if (!s->os_up && h->power == SIM_POWER_POWERING_ON && !s->firmware_shown)
		serial_firmware(h);
}

void serial_greeting(struct sim_host *h, char *buf, size_t n)
{
	struct sim_serial *s = h->serial;
	char p[128];

	if (!s || !s->os_up) {
		snprintf(buf, n, "\r\n[racktop-sim: %s is %s; its console shows the boot when it "
		         "powers on]\r\n", h->name, h->power == SIM_POWER_POWERING_ON ? "powering on" : "off");
		return;
	}
	if (!s->logged_in && s->len == 0) {
		serial_getty(h, buf, n);
		return;
	}
	serial_prompt(h, p, sizeof(p));
	snprintf(buf, n, "\r\n%s%.*s", p, (int)s->len, s->line);
}

static void serial_nvidia_smi(struct sim_host *h, const char *args)
{
	char uuid[48];

	if (strcmp(args, "-L") != 0) {
		serial_out(h, "racktop-sim: only 'nvidia-smi -L' is simulated\r\n");
		return;
	}
	for (unsigned g = 0; g < SIM_GPUS; g++) {
		if (!model_gpu_present(h, g)) {
			serial_printf(h, "Unable to determine the device handle for GPU%u: "
			              "0000:%02X:00.0: GPU is lost.  Reboot the system to recover "
			              "this GPU\r\n", g, serial_gpu_bus[g]);
			continue;
		}
		sim_gpu_uuid(h, g, uuid, sizeof(uuid));
		serial_printf(h, "GPU %u: " SERIAL_GPU_NAME " (UUID: GPU-%s)\r\n", g, uuid);
	}
}

static void serial_uptime(struct sim_host *h)
{
	time_t now = time(NULL);
	struct tm tm;
	unsigned up = (unsigned)(sim_now() - h->serial->booted_at);
	double load = 0;
	char clock[16], since[48];

	for (unsigned g = 0; g < SIM_GPUS; g++)
		if (model_gpu_present(h, g))
			load += h->gpu[g].load / 100.0;
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (up < 3600)
		snprintf(since, sizeof(since), "%u min", up / 60);
	else if (up < 86400)
		snprintf(since, sizeof(since), "%u:%02u", up / 3600, up / 60 % 60);
	else
		snprintf(since, sizeof(since), "%u days, %u:%02u", up / 86400, up / 3600 % 24,
		         up / 60 % 60);
	serial_printf(h, " %s up %s,  1 user,  load average: %.2f, %.2f, %.2f\r\n", clock, since,
	              load, load, load);
}

static void serial_login(struct sim_host *h)
{
	struct sim_serial *s = h->serial;
	size_t k = 0;

	/* Only name characters: the name goes into the prompt. */
	for (size_t i = 0; i < s->len && k < SERIAL_USER_MAX; i++)
		if ((s->line[i] >= 'a' && s->line[i] <= 'z') || (s->line[i] >= 'A' && s->line[i] <= 'Z') ||
		    (s->line[i] >= '0' && s->line[i] <= '9') || strchr("._-", s->line[i]))
			s->user[k++] = s->line[i];
	s->user[k] = '\0';
	if (!k) {
		serial_show_prompt(h);
		return;
	}
	s->logged_in = true;
	serial_printf(h, "Welcome to " SERIAL_OS " (" SERIAL_KERNEL ") on %s.\r\n"
	              "Simulated commands: nvidia-smi -L, uptime, hostname, whoami, help, exit.\r\n\r\n",
	              h->name);
	serial_show_prompt(h);
}

static void serial_command(struct sim_host *h)
{
	struct sim_serial *s = h->serial;
	char *cmd = s->line, *args, *end;

	while (*cmd == ' ')
		cmd++;
	end = cmd + strlen(cmd);
	while (end > cmd && end[-1] == ' ')
		*--end = '\0';
	args = cmd + strcspn(cmd, " ");
	if (*args) {
		*args++ = '\0';
		while (*args == ' ')
			args++;
	}
	if (!*cmd) {
		/* nothing */
	} else if (!strcmp(cmd, "nvidia-smi")) {
		serial_nvidia_smi(h, args);
	} else if (!strcmp(cmd, "uptime")) {
		serial_uptime(h);
	} else if (!strcmp(cmd, "hostname")) {
		serial_printf(h, "%s\r\n", h->name);
	} else if (!strcmp(cmd, "whoami")) {
		serial_printf(h, "%s\r\n", s->user);
	} else if (!strcmp(cmd, "help")) {
		serial_out(h, "racktop-sim's serial console knows: nvidia-smi -L, uptime, hostname, "
		           "whoami, exit (or logout, ^D).\r\nPower the host off, on or cycle it "
		           "through the BMC (racktop's actions) to see it shut down and boot.\r\n");
	} else if (!strcmp(cmd, "exit") || !strcmp(cmd, "logout")) {
		char getty[256];

		s->logged_in = false;
		serial_getty(h, getty, sizeof(getty));
		serial_out(h, "logout\r\n");
		serial_out(h, getty);
		return;
	} else {
		serial_printf(h, "-bash: %s: command not found\r\n", cmd);
	}
	serial_show_prompt(h);
}

static void serial_enter(struct sim_host *h)
{
	struct sim_serial *s = h->serial;

	s->line[s->len] = '\0';
	serial_out(h, "\r\n");
	if (s->logged_in)
		serial_command(h);
	else
		serial_login(h);
	s->len = 0;
}

/* The key after a Break: a SysRq command. Only reboot is simulated. */
static void serial_sysrq(struct sim_host *h, char c, const struct sim_config *cfg)
{
	h->serial->sysrq = false;
	if (c == 'b') {
		serial_kernel(h, "sysrq: Resetting");
		model_reset(h, "ForceRestart", cfg);
		return;
	}
	serial_kernel(h, "sysrq: HELP : reboot(b) (racktop-sim simulates only these)");
}

void serial_break(struct sim_host *h)
{
	if (!h->serial || !h->serial->os_up)
		return;    /* no kernel to listen */
	h->serial->sysrq = true;
	serial_out(h, "\r\n");
	serial_kernel(h, "sysrq: serial break: press a SysRq key (h for help)");
}

void serial_input(struct sim_host *h, const char *buf, size_t n, const struct sim_config *cfg)
{
	struct sim_serial *s = h->serial;

	for (size_t i = 0; s && i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		bool cr = s->last_cr;

		s->last_cr = c == '\r';
		if (!s->os_up)
			continue;   /* nothing runs to read it */
		if (s->sysrq) {
			serial_sysrq(h, (char)c, cfg);
			continue;
		}
		if (s->esc == 1) {          /* ESC x: CSI or a lone escape */
			s->esc = c == '[' ? 2 : 0;
			continue;
		}
		if (s->esc == 2) {          /* CSI parameters up to the final byte */
			if (c >= 0x40 && c <= 0x7e)
				s->esc = 0;
			continue;
		}
		switch (c) {
		case 0x1b:
			s->esc = 1;
			break;
		case '\n':
			if (!cr)
				serial_enter(h);
			break;
		case '\r':
			serial_enter(h);
			break;
		case 0x03:                  /* ^C */
			s->len = 0;
			serial_out(h, "^C\r\n");
			serial_show_prompt(h);
			break;
		case 0x04:                  /* ^D on an empty shell line logs out */
			if (s->logged_in && s->len == 0) {
				memcpy(s->line, "logout", 7);
				s->len = 6;
				serial_enter(h);
			}
			break;
		case 0x7f:
		case 0x08:
			if (s->len) {
				s->len--;
				serial_out(h, "\b \b");
			}
			break;
		case 0x15:                  /* ^U */
			while (s->len) {
				s->len--;
				serial_out(h, "\b \b");
			}
			break;
		default:
			if (c >= 0x20 && c < 0x7f && s->len < SERIAL_LINE_MAX) {
				char echo[2] = { (char)c, '\0' };

				s->line[s->len++] = (char)c;
				serial_out(h, echo);
			}
		}
	}
}

void serial_free(struct sim_host *h)
{
	free(h->serial);
	h->serial = NULL;
}

/* racktop-sim: N simulated GPU servers' BMCs on 127.0.0.1.
 *
 * Design: one process, one thread. Each host is a libmicrohttpd daemon
 * in external epoll mode (MHD_USE_EPOLL, no thread of its own); every
 * daemon's epoll fd sits in one master epoll together with a signalfd,
 * and the loop calls MHD_run() on the daemons that are ready or whose
 * MHD_get_timeout() has expired. The model of each host is advanced from
 * elapsed time when a request looks at it, so an idle fleet costs no CPU
 * and 1,000 hosts cost a few KB of state each. */
#include "sim.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <microhttpd.h>

#define MAIN_SIGNAL_TAG UINT64_MAX
#define MAIN_MAX_FAULTS 256

/* --fault: checked once the number of hosts is known. */
static const char *main_fault_args[MAIN_MAX_FAULTS];
static unsigned main_nfaults;
static struct sim_fault_spec main_faults[MAIN_MAX_FAULTS];

static void main_usage(FILE *f)
{
	fprintf(f,
		"usage: racktop-sim --hosts N --port P [--http] [--faults SEED] [--manifest FILE]\n"
		"                   [--cert-out FILE] [--mockup DIR] [--misbehave I:MODE]...\n"
		"                   [--password-file FILE] [--power-delay SECONDS] [--slow-delay SECONDS]\n"
		"                   [--fault I:GPU:KIND[:persist]]... [--ssh-console-port N]\n"
		"                   [--ssh-port Q [--ssh-host-key FILE] [--ssh-known-hosts FILE]]\n"
		"Serves N simulated BMCs (Redfish) on 127.0.0.1 ports P, P+1, ... (P=0: ephemeral).\n"
		"MODE: hang, badjson, huge, 500, slow, noselectexpand.\n"
		"KIND: overheat, offbus, ecc; the fault starts at once and clears with the\n"
		"next power-on unless :persist.\n"
		"--ssh-console-port N: every Manager advertises its serial console over SSH\n"
		"on port N (SerialConsole.SSH).\n"
		"--ssh-port Q: each BMC serves its host's serial console over SSH itself, on\n"
		"127.0.0.1 ports Q, Q+1, ... (Q=0: ephemeral), advertised the same way; log in\n"
		"with the BMC's user and password. The host key is made at start unless\n"
		"--ssh-host-key names one; --ssh-known-hosts writes known_hosts lines for it.\n");
}

static void main_fail(const char *msg)
{
	fprintf(stderr, "racktop-sim: %s\n", msg);
	exit(2);
}

static unsigned long main_number(const char *opt, const char *s, unsigned long max)
{
	char *end, msg[256];
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		snprintf(msg, sizeof(msg), "%s: '%s' is not a number from 0 to %lu", opt, s, max);
		main_fail(msg);
	}
	return v;
}

static void main_password(struct sim_config *cfg)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char msg[512];

	if (cfg->password_file) {
		FILE *f = fopen(cfg->password_file, "r");
		if (!f || !fgets(cfg->password, sizeof(cfg->password), f)) {
			snprintf(msg, sizeof(msg), "--password-file %s: %s", cfg->password_file,
			         f ? "empty" : strerror(errno));
			if (f)
				fclose(f);
			main_fail(msg);
		}
		fclose(f);
		cfg->password[strcspn(cfg->password, "\r\n")] = '\0';
		if (!cfg->password[0]) {
			snprintf(msg, sizeof(msg), "--password-file %s: the first line is empty", cfg->password_file);
			main_fail(msg);
		}
		return;
	}
	for (size_t i = 0; i < 16;) {
		unsigned char b;
		if (getrandom(&b, 1, 0) != 1)
			main_fail("getrandom failed: no password");
		if (b < 248)  /* 248 = 4 * 62: no bias */
			cfg->password[i++] = alnum[b % 62];
	}
	cfg->password[16] = '\0';
}

static void main_parse_ssh(const struct sim_config *cfg)
{
	char msg[512];

	if (cfg->ssh_consoles && cfg->ssh_console_port)
		main_fail("--ssh-port serves the consoles here, --ssh-console-port points elsewhere: "
		          "give one of them");
	if (!cfg->ssh_consoles && (cfg->ssh_host_key || cfg->ssh_known_hosts))
		main_fail("--ssh-host-key and --ssh-known-hosts need --ssh-port");
	if (cfg->ssh_port && cfg->ssh_port + cfg->hosts - 1 > 65535) {
		snprintf(msg, sizeof(msg), "--ssh-port %u with --hosts %u goes past port 65535",
		         cfg->ssh_port, cfg->hosts);
		main_fail(msg);
	}
	if (cfg->ssh_port && cfg->port && cfg->ssh_port < cfg->port + cfg->hosts &&
	    cfg->port < cfg->ssh_port + cfg->hosts) {
		snprintf(msg, sizeof(msg), "--ssh-port %u and --port %u with --hosts %u would share ports",
		         cfg->ssh_port, cfg->port, cfg->hosts);
		main_fail(msg);
	}
}

static void main_parse(int argc, char **argv, struct sim_config *cfg, uint8_t **misbehave)
{
	static const struct option opts[] = {
		{ "hosts", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "http", no_argument, NULL, 'H' },
		{ "faults", required_argument, NULL, 'f' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "cert-out", required_argument, NULL, 'c' },
		{ "mockup", required_argument, NULL, 'M' },
		{ "misbehave", required_argument, NULL, 'b' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "power-delay", required_argument, NULL, 'd' },
		{ "slow-delay", required_argument, NULL, 'D' },
		{ "fault", required_argument, NULL, 'F' },
		{ "ssh-console-port", required_argument, NULL, 'S' },
		{ "ssh-port", required_argument, NULL, 's' },
		{ "ssh-host-key", required_argument, NULL, 'K' },
		{ "ssh-known-hosts", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *mb[256];
	unsigned nmb = 0;
	bool have_hosts = false, have_port = false;
	char msg[512], *end;
	int c;

	cfg->power_delay = 3.0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': cfg->hosts = (unsigned)main_number("--hosts", optarg, 10000); have_hosts = true; break;
		case 'p': cfg->port = (unsigned)main_number("--port", optarg, 65535); have_port = true; break;
		case 'H': cfg->http = true; break;
		case 'f': cfg->faults = true; cfg->seed = main_number("--faults", optarg, ULONG_MAX); break;
		case 'm': cfg->manifest = optarg; break;
		case 'c': cfg->cert_out = optarg; break;
		case 'M': cfg->mockup = optarg; break;
		case 'P': cfg->password_file = optarg; break;
		case 'S':
			cfg->ssh_console_port = (unsigned)main_number("--ssh-console-port", optarg, 65535);
			break;
		case 's':
			cfg->ssh_port = (unsigned)main_number("--ssh-port", optarg, 65535);
			cfg->ssh_consoles = true;
			break;
		case 'K': cfg->ssh_host_key = optarg; break;
		case 'k': cfg->ssh_known_hosts = optarg; break;
		case 'b':
			if (nmb == 256)
				main_fail("--misbehave: at most 256 of them");
			mb[nmb++] = optarg;
			break;
		case 'd':
			errno = 0;
			cfg->power_delay = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(cfg->power_delay >= 0 && cfg->power_delay <= 3600)) {
				snprintf(msg, sizeof(msg), "--power-delay: '%s' is not a number of seconds from 0 to 3600", optarg);
				main_fail(msg);
			}
			break;
		case 'D':
			errno = 0;
			sim_slow_delay_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(sim_slow_delay_s >= 0 && sim_slow_delay_s <= 600)) {
				snprintf(msg, sizeof(msg), "--slow-delay: '%s' is not a number of seconds from 0 to 600", optarg);
				main_fail(msg);
			}
			break;
		case 'F':
			if (main_nfaults == MAIN_MAX_FAULTS)
				main_fail("--fault: at most 256 of them");
			main_fault_args[main_nfaults++] = optarg;
			break;
		case 'h': main_usage(stdout); exit(0);
		default:
			/* getopt's own message would start with the full path */
			snprintf(msg, sizeof(msg), "bad option '%s' (unknown, or its value is missing); see --help",
			         argv[optind - 1]);
			main_fail(msg);
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
		main_fail(msg);
	}
	if (!have_hosts || !have_port || cfg->hosts == 0) {
		main_usage(stderr);
		main_fail("--hosts N (1 to 10000) and --port P are required");
	}
	if (cfg->port && cfg->port + cfg->hosts - 1 > 65535) {
		snprintf(msg, sizeof(msg), "--port %u with --hosts %u goes past port 65535", cfg->port, cfg->hosts);
		main_fail(msg);
	}
	main_parse_ssh(cfg);
	*misbehave = calloc(cfg->hosts, 1);
	if (!*misbehave)
		main_fail("out of memory");
	for (unsigned i = 0; i < nmb; i++) {
		unsigned idx;
		uint8_t mode;
		if (misbehave_parse(mb[i], cfg->hosts, &idx, &mode) != 0) {
			snprintf(msg, sizeof(msg), "--misbehave '%s': want I:MODE with I from 0 to %u and MODE one of hang, badjson, huge, 500, slow, noselectexpand",
			         mb[i], cfg->hosts - 1);
			main_fail(msg);
		}
		(*misbehave)[idx] = mode;
	}
	for (unsigned i = 0; i < main_nfaults; i++) {
		if (fault_parse(main_fault_args[i], cfg->hosts, &main_faults[i]) != 0) {
			snprintf(msg, sizeof(msg), "--fault '%s': want I:GPU:KIND[:persist] with I from 0 to %u, GPU from 0 to %d and KIND one of overheat, offbus, ecc",
			         main_fault_args[i], cfg->hosts - 1, SIM_GPUS - 1);
			main_fail(msg);
		}
	}
}

static void main_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void main_write_cert(const struct sim_config *cfg)
{
	char tmp[4200], msg[4400];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->cert_out);
	f = fopen(tmp, "w");
	if (!f || fputs(cfg->cert_pem, f) < 0 || fclose(f) != 0 || rename(tmp, cfg->cert_out) != 0) {
		snprintf(msg, sizeof(msg), "--cert-out %s: %s", cfg->cert_out, strerror(errno));
		main_fail(msg);
	}
}

static int main_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Runs until SIGTERM or SIGINT. */
static void main_loop(struct sim_host *hosts, unsigned n, int ep)
{
	struct epoll_event ev[256];

	for (;;) {
		int timeout = 1000;
		MHD_UNSIGNED_LONG_LONG t;

		/* the O(N) scan is ~1 us per host, cheap next to a request */
		for (unsigned i = 0; i < n; i++)
			if (hosts[i].daemon && MHD_get_timeout(hosts[i].daemon, &t) == MHD_YES &&
			    t < (MHD_UNSIGNED_LONG_LONG)timeout)
				timeout = (int)t;
		double due = http_delayed_due();
		if (due > 0) {
			double ms = (due - sim_now()) * 1000.0 + 1.0;
			if (ms < timeout)
				timeout = ms < 0 ? 0 : (int)ms;
		}
		int k = epoll_wait(ep, ev, 256, timeout);
		if (k < 0 && errno != EINTR) {
			perror("racktop-sim: epoll_wait");
			return;
		}
		for (int i = 0; i < k; i++) {
			if (ev[i].data.u64 == MAIN_SIGNAL_TAG)
				return;
			if (ssh_console_owns(ev[i].data.u64))
				ssh_console_event(ev[i].data.u64, ev[i].events);
			else
				MHD_run(hosts[ev[i].data.u64].daemon);
		}
		ssh_console_tick();
		http_resume_due(false);
		/* daemons with expired connection timeouts */
		for (unsigned i = 0; i < n; i++)
			if (hosts[i].daemon && MHD_get_timeout(hosts[i].daemon, &t) == MHD_YES && t == 0)
				MHD_run(hosts[i].daemon);
	}
}

int main(int argc, char **argv)
{
	struct sim_config cfg = { 0 };
	uint8_t *misbehave = NULL;
	struct sim_host *hosts;
	char err[4400];
	double t0 = sim_now();

	sim_clock_start();
	main_parse(argc, argv, &cfg, &misbehave);
	main_password(&cfg);
	if (cfg.mockup && mockup_open(&cfg, err, sizeof(err)) != 0)
		main_fail(err);
	if (!cfg.http && tls_make_cert(&cfg, err, sizeof(err)) != 0)
		main_fail(err);
	if (cfg.cert_out) {
		if (cfg.http)
			main_fail("--cert-out needs HTTPS (it cannot be used with --http)");
		main_write_cert(&cfg);
	}
	main_raise_nofile();
	hosts = calloc(cfg.hosts, sizeof(*hosts));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int sfd = main_signalfd();
	if (!hosts || ep < 0 || sfd < 0)
		main_fail("out of memory or file descriptors at start");
	struct epoll_event sev = { .events = EPOLLIN, .data.u64 = MAIN_SIGNAL_TAG };
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &sev);
	for (unsigned i = 0; i < cfg.hosts; i++) {
		model_init(&hosts[i], i, &cfg);
		hosts[i].misbehave = misbehave[i];
		for (unsigned f = 0; f < main_nfaults; f++)
			if (main_faults[f].host == i)
				fault_apply(&hosts[i], &main_faults[f]);
		if (http_start(&hosts[i], &cfg, err, sizeof(err)) != 0)
			main_fail(err);
		if (hosts[i].daemon) {
			struct epoll_event e = { .events = EPOLLIN, .data.u64 = i };
			if (epoll_ctl(ep, EPOLL_CTL_ADD, hosts[i].daemon_epoll_fd, &e) != 0) {
				snprintf(err, sizeof(err), "%s: epoll: %s", hosts[i].name, strerror(errno));
				main_fail(err);
			}
		}
	}
	free(misbehave);
	if (cfg.ssh_consoles && (ssh_console_start(hosts, cfg.hosts, &cfg, ep, err, sizeof(err)) != 0 ||
	                         (cfg.ssh_known_hosts &&
	                          ssh_console_known_hosts(cfg.ssh_known_hosts, err, sizeof(err)) != 0)))
		main_fail(err);
	if (cfg.manifest && manifest_write(&cfg, hosts, err, sizeof(err)) != 0)
		main_fail(err);
	if (getenv("RACKTOP_SIM_TIMING"))
		fprintf(stderr, "racktop-sim: started in %.3f s\n", sim_now() - t0);
	printf("racktop-sim: ready %u hosts\n", cfg.hosts);
	fflush(stdout);

	main_loop(hosts, cfg.hosts, ep);

	http_resume_due(true);  /* MHD wants no suspended connections at stop */
	for (unsigned i = 0; i < cfg.hosts; i++)
		http_stop(&hosts[i]);
	if (cfg.ssh_consoles)
		ssh_console_stop();
	free(hosts);
	close(ep);
	close(sfd);
	explicit_bzero(cfg.password, sizeof(cfg.password));
	if (cfg.key_pem)
		explicit_bzero(cfg.key_pem, strlen(cfg.key_pem));
	free(cfg.key_pem);
	free(cfg.cert_pem);
	return 0;
}

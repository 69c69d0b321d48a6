/* The IPMI backend against OpenIPMI's ipmi_sim, a real IPMI 2.0 LAN BMC
 * on 127.0.0.1 (../shared/ipmi-sim): sensors, GPUs from sensor names,
 * SEL, FRU, power and boot device seen in the simulator's own state,
 * the errors an operator can act on, and the open-session-privilege
 * workaround found on its own. Through the engine, as racktop runs it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fleet.h"
#include "inventory.h"
#include "ipmi.h"
#include "ipmi_sim.h"
#include "fleet_wait.h"

static struct ipmi_sim sim;
static struct inventory inv;
static struct fleet *fleet;
static struct engine *engine;
static char sdr_dir[400];
static int suite = 3;
static int poll_interval_s = 1;
static const char *user_name = "admin";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stop_all(void)
{
	if (engine)
		engine_free(engine);
	engine = NULL;
	if (fleet)
		fleet_free(fleet);
	fleet = NULL;
	inventory_free(&inv);
	memset(&inv, 0, sizeof(inv));
	ipmi_sim_stop(&sim);
}

/* One Machine (IPMI, or Redfish with IPMI options) and its Secret. */
static void machine(FILE *f, const char *name, const char *host, int port, const char *password,
		    const char *annotations, const char *extra_options)
{
	fprintf(f,
		"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata:\n"
		"  name: %s\n  namespace: default\n  annotations:\n%s"
		"spec:\n  connection:\n    host: %s\n    insecureTLS: true\n"
		"    authSecretRef:\n      name: %s-auth\n      namespace: default\n"
		"    providerOptions:\n%s      ipmitool:\n        port: %d\n        cipherSuite: \"%d\"\n"
		"---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s-auth\n"
		"  namespace: default\nstringData:\n  username: %s\n  password: %s\n---\n",
		name, annotations ? annotations : "    racktop/protocol: ipmi\n", host, name,
		extra_options ? extra_options : "", port, suite, name, user_name, password);
}

static int sel_entries_freeipmi(void);

typedef void (*manifest_fn)(FILE *f);

static void engine_go(manifest_fn write, int timeout_ms)
{
	char path[400];
	struct engine_config cfg;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fleet.yaml", sim.dir);
	f = fopen(path, "w");
	cr_assert(f);
	write(f);
	fclose(f);
	cr_assert_eq(inventory_load(path, NULL, &inv), 0);
	for (size_t i = 0; i < inv.nerrors; i++)
		cr_log_warn("%s", inv.errors[i]);
	snprintf(sdr_dir, sizeof(sdr_dir), "%s/sdr", sim.dir);
	cr_assert_eq(mkdir(sdr_dir, 0700), 0);
	engine_config_defaults(&cfg);
	cfg.poll_interval_s = poll_interval_s;
	cfg.timeout_ms = timeout_ms;
	cfg.backoff_max_s = 2;
	cfg.ipmi_sdr_cache_dir = sdr_dir;
	fleet = fleet_new();
	engine = engine_new(fleet, &inv, &cfg);
	cr_assert(engine);
	cr_assert_eq(engine_start(engine), 0);
}

typedef fleet_wait_cond cond_fn;

static bool wait_for(struct fleet_snapshot *snap, double secs, cond_fn cond, void *arg)
{
	return fleet_wait_for(fleet, snap, secs, cond, arg);
}

static bool good_polls(const struct fleet_snapshot *s, void *arg)
{
	unsigned n = arg ? *(unsigned *)arg : 1;

	return s->nhosts && s->hosts[0].has_data && !s->hosts[0].error[0] &&
	       s->hosts[0].polls >= n;
}

static bool failed(const struct fleet_snapshot *s, void *arg)
{
	(void)arg;
	return s->nhosts && s->hosts[0].error[0];
}

static const struct fleet_sensor *sensor(const struct fleet_host *h, const char *name)
{
	for (size_t i = 0; i < h->data.nsensors; i++)
		if (!strcmp(h->data.sensors[i].name, name))
			return &h->data.sensors[i];
	cr_assert_fail("no sensor %s", name);
	return NULL;
}

static void one_host(FILE *f)
{
	char host[64];

	snprintf(host, sizeof(host), "127.0.0.1");
	machine(f, "sim-a", host, sim.port, "password", NULL, NULL);
}

Test(ipmi, sensors_gpus_sel_fru_and_a_hot_gpu, .fini = stop_all, .timeout = 60)
{
	static const double temps[8] = { 41, 43, 45, 44, 47, 42, 46, 49 };
	struct fleet_snapshot snap = { 0 };
	const struct fleet_host *h;
	unsigned three = 3;
	char serial[32];

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 5000);
	cr_assert(wait_for(&snap, 20, good_polls, NULL), "no good poll: %s",
		  snap.nhosts ? snap.hosts[0].error : "no host");
	h = &snap.hosts[0];
	cr_assert_eq(h->protocol, FLEET_PROTO_IPMI);
	cr_assert_eq(h->data.source, FLEET_PROTO_IPMI);
	cr_assert_eq(h->data.power, FLEET_POWER_ON);
	/* GPUs: from "GPU0 Temp".."GPU7 Temp", in order. */
	cr_assert_eq(h->data.ngpus, 8);
	for (int i = 0; i < 8; i++) {
		cr_assert_eq(h->data.gpus[i].index, i);
		cr_assert_float_eq(h->data.gpus[i].temperature_c, temps[i], 0.01, "GPU%d", i);
		cr_assert_eq(h->data.gpus[i].health, FLEET_HEALTH_OK);
	}
	/* The other sensors, with units and state. */
	cr_assert_float_eq(sensor(h, "Inlet Temp")->reading, 24, 0.01);
	cr_assert_str_eq(sensor(h, "Inlet Temp")->units, "Cel");
	cr_assert_eq(sensor(h, "Inlet Temp")->kind, FLEET_SENSOR_TEMP);
	cr_assert_float_eq(sensor(h, "Exhaust Temp")->reading, 38, 0.01);
	cr_assert_float_eq(sensor(h, "FAN1")->reading, 8400, 0.01);
	cr_assert_float_eq(sensor(h, "FAN6")->reading, 8900, 0.01);
	cr_assert_eq(sensor(h, "FAN1")->kind, FLEET_SENSOR_FAN);
	cr_assert_float_eq(sensor(h, "PSU1 Power")->reading, 1480, 0.01);
	cr_assert_float_eq(sensor(h, "PSU2 Power")->reading, 1460, 0.01);
	cr_assert_str_eq(sensor(h, "PSU2 Power")->units, "W");
	cr_assert_eq(sensor(h, "PSU1 Status")->health, FLEET_HEALTH_OK);
	cr_assert_eq(h->data.health, FLEET_HEALTH_OK);
	/* FRU and Get Device ID. */
	cr_assert_str_eq(h->data.model, "SIM-GPU8 Server");
	cr_assert_str_eq(h->data.vendor, "SimServer Inc.");
	snprintf(serial, sizeof(serial), "SN-SIM%d", sim.port);
	cr_assert_str_eq(h->data.serial, serial);
	cr_assert_str_eq(h->data.bmc_firmware, "2.15");
	/* SEL: 6 entries, newest first. */
	cr_assert_eq(h->data.nevents, 6);
	for (size_t i = 1; i < h->data.nevents; i++)
		cr_assert_geq(strcmp(h->data.events[i - 1].created, h->data.events[i].created), 0,
			      "%s before %s", h->data.events[i - 1].created,
			      h->data.events[i].created);
	cr_assert(strstr(h->data.events[0].message, "GPU5 Temp") != NULL, "newest: %s",
		  h->data.events[0].message);
	cr_assert(strstr(h->data.events[5].message, "GPU3 Temp") != NULL, "oldest: %s",
		  h->data.events[5].message);
	/* The quirk was found without being told, and said so. */
	cr_assert(strstr(h->data.notes, "opensesspriv") != NULL, "notes: %s", h->data.notes);
	/* ... and remembered: later polls do not need to find it again. */
	cr_assert(wait_for(&snap, 20, good_polls, &three));
	cr_assert_eq(ipmi_debug_auto_retries(), 1, "the workaround was looked for again");

	/* GPU3 runs hot (92 C: over its upper critical 90). */
	cr_assert_eq(ipmi_sim_cmd(&sim, "sensor_set_value 0x20 0 0x04 92 1"), 0);
	engine_request(engine, 0, ENGINE_ACTION_POLL_NOW);
	double deadline = now_s() + 15;
	do {
		usleep(100000);
		fleet_snapshot_take(fleet, &snap);
		h = &snap.hosts[0];
	} while ((h->data.ngpus < 4 || h->data.gpus[3].temperature_c < 91) && now_s() < deadline);
	cr_assert_float_eq(h->data.gpus[3].temperature_c, 92, 0.01);
	cr_assert_geq(h->data.gpus[3].health, FLEET_HEALTH_WARNING);
	cr_assert_eq(h->data.gpus[3].health, FLEET_HEALTH_CRITICAL);
	cr_assert_eq(fleet_host_worst_gpu(h), FLEET_HEALTH_CRITICAL);
	cr_assert_eq(h->data.gpus[2].health, FLEET_HEALTH_OK);
	cr_assert_eq(h->data.health, FLEET_HEALTH_CRITICAL);
	/* The set_value logged SEL events: the SEL is read again. */
	cr_assert_gt(h->data.nevents, 6);
	cr_assert(strstr(h->data.events[0].message, "GPU3 Temp") != NULL, "newest: %s",
		  h->data.events[0].message);
	fleet_snapshot_free(&snap);
}

struct action_wait {
	const char *name;
	int state;
};

static bool action_is(const struct fleet_snapshot *s, void *arg)
{
	const struct action_wait *w = arg;

	return s->nhosts && !strcmp(s->hosts[0].action, w->name) &&
	       s->hosts[0].action_state == w->state;
}

static void act(struct fleet_snapshot *snap, enum engine_action a)
{
	struct action_wait w = { engine_action_name(a), FLEET_ACTION_DONE };

	cr_assert_eq(engine_request(engine, 0, a), 0);
	cr_assert(wait_for(snap, 20, action_is, &w), "%s: %s (%s)", w.name, snap->hosts[0].action,
		  snap->hosts[0].action_result);
}

static bool file_is(const char *file, const char *want, double secs)
{
	double deadline = now_s() + secs;
	char buf[64];

	do {
		if (ipmi_sim_read(&sim, file, buf, sizeof(buf)) == 0 && !strcmp(buf, want))
			return true;
		usleep(50000);
	} while (now_s() < deadline);
	return false;
}

static bool power_is(const struct fleet_snapshot *s, void *arg)
{
	return s->nhosts && s->hosts[0].data.power == *(enum fleet_power *)arg;
}

static int count_lines(const char *file, const char *needle)
{
	char buf[8192];
	int n = 0;

	if (ipmi_sim_read(&sim, file, buf, sizeof(buf)) < 0)
		return 0;
	for (char *p = buf; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

Test(ipmi, power_and_boot_device, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };
	enum fleet_power off = FLEET_POWER_OFF, on = FLEET_POWER_ON;
	int offs;

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 5000);
	cr_assert(wait_for(&snap, 20, good_polls, NULL), "%s", snap.hosts[0].error);

	act(&snap, ENGINE_ACTION_POWER_OFF);
	cr_assert(strstr(snap.hosts[0].action_result, "chassis power now off"), "%s",
		  snap.hosts[0].action_result);
	cr_assert(file_is("host/power", "0", 5), "the simulator's host is still on");
	/* Chassis status, read by the next poll, says off too. */
	engine_request(engine, 0, ENGINE_ACTION_POLL_NOW);
	cr_assert(wait_for(&snap, 10, power_is, &off));

	act(&snap, ENGINE_ACTION_POWER_ON);
	cr_assert(file_is("host/power", "1", 5));
	engine_request(engine, 0, ENGINE_ACTION_POLL_NOW);
	cr_assert(wait_for(&snap, 10, power_is, &on));

	offs = count_lines("chassis.log", "set power 0");
	act(&snap, ENGINE_ACTION_POWER_CYCLE);
	/* Off, then on again about a second later. */
	cr_assert(file_is("host/power", "1", 8));
	double deadline = now_s() + 5;
	while (count_lines("chassis.log", "set power 0") <= offs && now_s() < deadline)
		usleep(50000);
	cr_assert_gt(count_lines("chassis.log", "set power 0"), offs, "cycle never powered off");
	cr_assert(file_is("host/power", "1", 8), "cycle left the host off");

	/* One-time boot devices, read back from the BMC. */
	act(&snap, ENGINE_ACTION_BOOT_PXE);
	cr_assert(strstr(snap.hosts[0].action_result, "holds pxe"), "%s",
		  snap.hosts[0].action_result);
	cr_assert(file_is("host/boot", "pxe", 3));
	act(&snap, ENGINE_ACTION_BOOT_BIOS);
	cr_assert(strstr(snap.hosts[0].action_result, "holds bios"), "%s",
		  snap.hosts[0].action_result);
	cr_assert(file_is("host/boot", "bios", 3));
	fleet_snapshot_free(&snap);
}

static void wrong_password(FILE *f)
{
	machine(f, "sim-a", "127.0.0.1", sim.port, "not-the-password", NULL, NULL);
}

Test(ipmi, wrong_password_is_said, .fini = stop_all, .timeout = 40)
{
	struct fleet_snapshot snap = { 0 };

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(wrong_password, 3000);
	cr_assert(wait_for(&snap, 15, failed, NULL));
	cr_assert(strstr(snap.hosts[0].error, "wrong password"), "%s", snap.hosts[0].error);
	cr_assert(strstr(snap.hosts[0].error, "not-the-password") == NULL);
	fleet_snapshot_free(&snap);
}

static int dead;

static void dead_bmc(FILE *f)
{
	machine(f, "sim-a", "127.0.0.1", dead, "password", NULL, NULL);
}

Test(ipmi, dead_port_is_no_answer, .fini = stop_all, .timeout = 40)
{
	struct fleet_snapshot snap = { 0 };

	/* Only a temp dir: no simulator behind the port. */
	snprintf(sim.dir, sizeof(sim.dir), "/tmp/racktop-ipmi-dead.XXXXXX");
	cr_assert(mkdtemp(sim.dir));
	snprintf(sim.state, sizeof(sim.state), "%s/none", sim.dir);
	dead = ipmi_sim_free_port();
	engine_go(dead_bmc, 1500);
	/* The message names the timeout kept; how long it took is not
	 * asserted (a busy machine may be slow), only that it ended. */
	cr_assert(wait_for(&snap, 30, failed, NULL));
	cr_assert(strstr(snap.hosts[0].error, "no answer within 1.5 s"), "%s", snap.hosts[0].error);
	fleet_snapshot_free(&snap);
}

Test(ipmi, unsupported_cipher_suite_is_said, .fini = stop_all, .timeout = 40)
{
	struct fleet_snapshot snap = { 0 };

	/* 17 (SHA-256) is one ipmi_sim does not offer. */
	suite = 17;
	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 3000);
	cr_assert(wait_for(&snap, 15, failed, NULL));
	cr_assert(strstr(snap.hosts[0].error, "cipher suite 17 is not supported"), "%s",
		  snap.hosts[0].error);
	fleet_snapshot_free(&snap);
}

Test(ipmi, cipher_suite_freeipmi_refuses, .fini = stop_all, .timeout = 40)
{
	struct fleet_snapshot snap = { 0 };

	/* 5 is an xRC4 suite, which FreeIPMI does not speak at all. */
	suite = 5;
	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 3000);
	cr_assert(wait_for(&snap, 15, failed, NULL));
	cr_assert(strstr(snap.hosts[0].error, "cipher suite 5 is not supported"), "%s",
		  snap.hosts[0].error);
	fleet_snapshot_free(&snap);
}

/* Redfish preferred, IPMI the fallback: the Redfish port is dead. */
static void both(FILE *f)
{
	char opts[128];

	snprintf(opts, sizeof(opts), "      redfish:\n        port: %d\n", dead);
	machine(f, "sim-a", "127.0.0.1", sim.port, "password",
		"    racktop/scheme: http\n    racktop/ipmi-workarounds: opensesspriv\n", opts);
}

Test(ipmi, fallback_from_redfish_to_ipmi, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };
	const struct fleet_host *h;

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	dead = ipmi_sim_free_port();
	engine_go(both, 2000);
	cr_assert(wait_for(&snap, 20, good_polls, NULL), "%s", snap.hosts[0].error);
	h = &snap.hosts[0];
	cr_assert_eq(h->protocol, FLEET_PROTO_REDFISH);
	cr_assert_eq(h->data.source, FLEET_PROTO_IPMI);
	cr_assert(strstr(h->data.notes, "Redfish failed"), "%s", h->data.notes);
	cr_assert_eq(h->data.ngpus, 8);
	cr_assert_eq(ipmi_debug_auto_retries(), 0, "the annotation's workaround was used");
	/* BMC actions follow: clearing the log goes over IPMI too. */
	act(&snap, ENGINE_ACTION_CLEAR_LOG);
	cr_assert(strstr(snap.hosts[0].action_result, "SEL cleared: 6 entries erased"), "%s",
		  snap.hosts[0].action_result);
	cr_assert_eq(sel_entries_freeipmi(), 0);
	fleet_snapshot_free(&snap);
}

/* ---- BMC actions: clear the SEL, reset the BMC ---- */

static bool events_are(const struct fleet_snapshot *s, void *arg)
{
	return s->nhosts && s->hosts[0].has_data && s->hosts[0].data.nevents == *(size_t *)arg;
}

/* The SEL's entry count as FreeIPMI's own ipmi-sel --info reads it. */
static int sel_entries_freeipmi(void)
{
	char out[4096];
	const char *p;

	cr_assert_eq(ipmi_sim_tool(&sim, "ipmi-sel", "--info", out, sizeof(out)), 0, "ipmi-sel: %s",
		     out);
	p = strstr(out, "Number of log entries");
	cr_assert(p, "ipmi-sel --info: %s", out);
	p = strchr(p, ':');
	cr_assert(p);
	return atoi(p + 1);
}

Test(ipmi, clear_log_empties_the_sel, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };
	size_t six = 6, none = 0;
	char out[8192], sdr[500];

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 5000);
	cr_assert(wait_for(&snap, 20, events_are, &six), "%s", snap.hosts[0].error);
	cr_assert_eq(sel_entries_freeipmi(), 6);

	act(&snap, ENGINE_ACTION_CLEAR_LOG);
	cr_assert(strstr(snap.hosts[0].action_result, "SEL cleared: 6 entries erased, 0 now"), "%s",
		  snap.hosts[0].action_result);
	/* racktop's own reading: the next poll finds the SEL changed, empty. */
	engine_request(engine, 0, ENGINE_ACTION_POLL_NOW);
	cr_assert(wait_for(&snap, 15, events_are, &none), "still %zu events",
		  snap.hosts[0].data.nevents);
	cr_assert_str_empty(snap.hosts[0].error);
	/* ... and FreeIPMI's, independently: no entry, none listed. */
	cr_assert_eq(sel_entries_freeipmi(), 0);
	snprintf(sdr, sizeof(sdr), "--sdr-cache-directory='%s'", sdr_dir);
	cr_assert_eq(ipmi_sim_tool(&sim, "ipmi-sel", sdr, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "GPU5 Temp") == NULL && strstr(out, "FAN4") == NULL, "%s", out);
	fleet_snapshot_free(&snap);
}

static void act_fails(struct fleet_snapshot *snap, enum engine_action a)
{
	struct action_wait w = { engine_action_name(a), FLEET_ACTION_FAILED };

	cr_assert_eq(engine_request(engine, 0, a), 0);
	cr_assert(wait_for(snap, 20, action_is, &w), "%s: %s (%s)", w.name, snap->hosts[0].action,
		  snap->hosts[0].action_result);
}

/* ipmi_sim answers Cold Reset with 0xC1: said as such, and polls go on. */
Test(ipmi, bmc_reset_unsupported_is_said, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };
	unsigned more;

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	engine_go(one_host, 5000);
	cr_assert(wait_for(&snap, 20, good_polls, NULL), "%s", snap.hosts[0].error);
	act_fails(&snap, ENGINE_ACTION_BMC_RESET);
	cr_assert(strstr(snap.hosts[0].action_result, "BMC reset: command not supported (0xC1)"),
		  "%s", snap.hosts[0].action_result);
	more = snap.hosts[0].polls + 2;
	cr_assert(wait_for(&snap, 20, good_polls, &more), "polling stopped: %s",
		  snap.hosts[0].error);
	fleet_snapshot_free(&snap);
}

/* ---- wrong privilege ---- */

/* ipmi_sim does not hold an RMCP+ session to its user's own limit, but
 * it refuses a role its LAN channel does not allow for the cipher
 * suites (IPMI LAN parameter 24), as BMCs refuse a user's: ADMIN is
 * made USER-only here, and the user "user" asks for ADMIN. */
static void user_as_admin(FILE *f)
{
	machine(f, "sim-a", "127.0.0.1", sim.port, "user", NULL, NULL);
}

Test(ipmi, wrong_privilege_at_session_open_is_said, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };
	char out[512];

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	/* Set LAN Configuration Parameters, channel 1, parameter 24: the
	 * nibble ipmi_sim reads for an ADMIN request says USER. */
	cr_assert_eq(ipmi_sim_tool(&sim, "ipmi-raw",
				   "0x0 0x0c 0x01 0x01 0x18 0x00 0x44 0x22 0x44 0x44 0x44 0x44 0x44 0x44",
				   out, sizeof(out)),
		     0, "%s", out);
	cr_assert(strstr(out, "01 00"), "Set LAN Configuration Parameters: %s", out);
	user_name = "user";
	engine_go(user_as_admin, 3000);
	cr_assert(wait_for(&snap, 20, failed, NULL));
	cr_assert(strstr(snap.hosts[0].error, "wrong privilege: the BMC refuses admin level for this user"),
		  "%s", snap.hosts[0].error);
	cr_assert(strstr(snap.hosts[0].error, "cipher") == NULL, "%s", snap.hosts[0].error);
	cr_assert_eq(snap.hosts[0].has_data, false);
	user_name = "admin";
	fleet_snapshot_free(&snap);
}

static void user_at_user_level(FILE *f)
{
	machine(f, "sim-a", "127.0.0.1", sim.port, "user",
		"    racktop/protocol: ipmi\n    racktop/ipmi-privilege: user\n", NULL);
}

/* USER reads everything, but the BMC refuses it a power action. */
Test(ipmi, wrong_privilege_for_an_action_is_said, .fini = stop_all, .timeout = 60)
{
	struct fleet_snapshot snap = { 0 };

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	user_name = "user";
	engine_go(user_at_user_level, 5000);
	cr_assert(wait_for(&snap, 20, good_polls, NULL), "%s", snap.hosts[0].error);
	cr_assert_eq(snap.hosts[0].data.ngpus, 8);
	act_fails(&snap, ENGINE_ACTION_POWER_OFF);
	cr_assert(strstr(snap.hosts[0].action_result, "wrong privilege: user level is not enough"),
		  "%s", snap.hosts[0].action_result);
	cr_assert(strstr(snap.hosts[0].action_result, "(0xD4)"), "%s", snap.hosts[0].action_result);
	cr_assert(file_is("host/power", "1", 1), "the host was powered off anyway");
	user_name = "admin";
	fleet_snapshot_free(&snap);
}

/* ---- the session kept between polls ---- */

/* Get Session Info (App 0x3D), index 0: the sessions the BMC holds now,
 * as FreeIPMI's ipmi-raw (in its own session, counted) reads it. */
static int sim_active_sessions(void)
{
	char out[512];
	unsigned b[5];

	cr_assert_eq(ipmi_sim_tool(&sim, "ipmi-raw", "0x0 0x06 0x3d 0x00", out, sizeof(out)), 0,
		     "%s", out);
	cr_assert_eq(sscanf(out, "rcvd: %x %x %x %x %x", &b[0], &b[1], &b[2], &b[3], &b[4]), 5,
		     "Get Session Info: %s", out);
	cr_assert_eq(b[1], 0, "Get Session Info: %s", out);
	return (int)b[4];
}

/* The workaround given: a first session refused by ipmi_sim lingers
 * there, and would be counted. */
static void one_host_opensesspriv(FILE *f)
{
	machine(f, "sim-a", "127.0.0.1", sim.port, "password",
		"    racktop/protocol: ipmi\n    racktop/ipmi-workarounds: opensesspriv\n", NULL);
}

static bool polls_at_least(const struct fleet_snapshot *s, void *arg)
{
	return s->nhosts && s->hosts[0].polls >= *(unsigned *)arg;
}

/* One poll asked for; false when the row showed an error meanwhile. */
static bool poll_now_clean(struct fleet_snapshot *snap, double secs)
{
	unsigned want;
	double deadline = now_s() + secs;
	bool clean = true;

	fleet_snapshot_take(fleet, snap);
	want = snap->hosts[0].polls + 1;
	engine_request(engine, 0, ENGINE_ACTION_POLL_NOW);
	do {
		usleep(20000);
		fleet_snapshot_take(fleet, snap);
		if (snap->hosts[0].error[0])
			clean = false;
	} while (!polls_at_least(snap, &want) && now_s() < deadline);
	cr_assert(polls_at_least(snap, &want), "the poll never ended");
	return clean;
}

/* Polls reuse one RMCP+ session; a BMC that restarted (forgetting it)
 * costs the next poll a fresh session, not an error; stopping closes
 * it. Polls are asked for (the interval, 20 s, keeps sessions but never
 * falls in the restart). */
Test(ipmi, session_kept_between_polls_and_replaced_after_bmc_restart, .fini = stop_all,
     .timeout = 120)
{
	struct fleet_snapshot snap = { 0 };
	unsigned long opened, reopens;

	cr_assert_eq(ipmi_sim_start(&sim, NULL), 0);
	poll_interval_s = 20;
	engine_go(one_host_opensesspriv, 2000);
	cr_assert(wait_for(&snap, 30, good_polls, NULL), "%s", snap.hosts[0].error);
	opened = ipmi_debug_sessions_opened();
	reopens = ipmi_debug_session_reopens();
	cr_assert_eq(opened, 1);
	for (int i = 0; i < 3; i++)
		cr_assert(poll_now_clean(&snap, 20), "%s", snap.hosts[0].error);
	cr_assert_str_empty(snap.hosts[0].error);
	cr_assert_eq(ipmi_debug_sessions_opened(), opened, "a poll opened a new session");
	/* The BMC holds racktop's session between polls, and ipmi-raw's. */
	cr_assert_eq(sim_active_sessions(), 2);

	cr_assert_eq(ipmi_sim_restart(&sim), 0);
	cr_assert_eq(sim_active_sessions(), 1, "the restarted BMC kept sessions");
	cr_assert(poll_now_clean(&snap, 30), "an error was shown: %s", snap.hosts[0].error);
	cr_assert_str_empty(snap.hosts[0].error);
	cr_assert(snap.hosts[0].has_data);
	cr_assert_eq(snap.hosts[0].data.ngpus, 8);
	cr_assert_eq(ipmi_debug_session_reopens(), reopens + 1);
	cr_assert_eq(ipmi_debug_sessions_opened(), opened + 1);
	/* ... and that fresh session is kept in turn. */
	cr_assert(poll_now_clean(&snap, 20), "%s", snap.hosts[0].error);
	cr_assert_eq(ipmi_debug_sessions_opened(), opened + 1);
	cr_assert_eq(sim_active_sessions(), 2);

	/* Stopping closes it: only ipmi-raw's own is left. */
	engine_free(engine);
	engine = NULL;
	cr_assert_eq(sim_active_sessions(), 1, "racktop left its session open");
	poll_interval_s = 1;
	fleet_snapshot_free(&snap);
}

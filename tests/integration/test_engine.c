/* The engine against racktop-sim: real HTTP(S), real sessions, real
 * misbehaving BMCs, all on 127.0.0.1. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "engine_debug.h"
#include "fleet.h"
#include "inventory.h"
#include "fleet_wait.h"

struct sim {
	pid_t pid;
	char dir[64];
	char manifest[128];
	char ca[128];
};

static struct sim sim;
static struct inventory inv;
static struct fleet *fleet;
static struct engine *engine;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts racktop-sim with ARGS (NULL-terminated, after the common ones)
 * and waits (bounded) for its ready line. */
static void sim_start(int hosts, const char *const *args)
{
	const char *bin = getenv("RACKTOP_SIM");
	char nhosts[16], line[256];
	const char *argv[32];
	int fd[2], n = 0;
	size_t got = 0;
	double deadline;

	cr_assert(bin, "RACKTOP_SIM is not set");
	snprintf(sim.dir, sizeof(sim.dir), "/tmp/racktop-eng-XXXXXX");
	cr_assert(mkdtemp(sim.dir));
	snprintf(sim.manifest, sizeof(sim.manifest), "%s/fleet.yaml", sim.dir);
	snprintf(sim.ca, sizeof(sim.ca), "%s/ca.pem", sim.dir);
	snprintf(nhosts, sizeof(nhosts), "%d", hosts);
	argv[n++] = bin;
	argv[n++] = "--hosts";
	argv[n++] = nhosts;
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--manifest";
	argv[n++] = sim.manifest;
	for (int i = 0; args && args[i] && n < 30; i++)
		argv[n++] = strcmp(args[i], "@CA") ? args[i] : sim.ca;
	argv[n] = NULL;
	cr_assert_eq(pipe(fd), 0);
	sim.pid = fork();
	cr_assert_neq(sim.pid, -1);
	if (sim.pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	deadline = now_s() + 10;
	memset(line, 0, sizeof(line));
	while (!strstr(line, "ready") && now_s() < deadline && got < sizeof(line) - 1) {
		struct pollfd p = { fd[0], POLLIN, 0 };
		ssize_t r;

		if (poll(&p, 1, 200) <= 0)
			continue;
		r = read(fd[0], line + got, sizeof(line) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd[0]);
	cr_assert(strstr(line, "racktop-sim: ready"), "racktop-sim did not get ready: '%s'", line);
	cr_assert_eq(inventory_load(sim.manifest, NULL, &inv), 0, "inventory_load %s", sim.manifest);
	cr_assert_eq(inv.nhosts, (size_t)hosts);
}

static void stop_all(void)
{
	if (engine) {
		engine_free(engine);
		engine = NULL;
	}
	if (fleet) {
		fleet_free(fleet);
		fleet = NULL;
	}
	inventory_free(&inv);
	memset(&inv, 0, sizeof(inv));
	if (sim.pid > 0) {
		int st;
		double deadline = now_s() + 3;

		kill(sim.pid, SIGTERM);
		while (waitpid(sim.pid, &st, WNOHANG) == 0) {
			if (now_s() > deadline) {
				kill(sim.pid, SIGKILL);
				waitpid(sim.pid, &st, 0);
				break;
			}
			usleep(20000);
		}
		sim.pid = 0;
	}
	if (sim.dir[0]) {
		char p[200];

		unlink(sim.manifest);
		unlink(sim.ca);
		snprintf(p, sizeof(p), "%s", sim.dir);
		rmdir(p);
		sim.dir[0] = '\0';
	}
}

static void engine_go(struct engine_config *cfg)
{
	fleet = fleet_new();
	cr_assert(fleet);
	engine = engine_new(fleet, &inv, cfg);
	cr_assert(engine);
	cr_assert_eq(engine_start(engine), 0);
}

static struct engine_config quick_config(void)
{
	struct engine_config c;

	engine_config_defaults(&c);
	c.poll_interval_s = 1;
	c.timeout_ms = 2000;
	c.backoff_max_s = 2;
	return c;
}

typedef fleet_wait_cond cond_fn;

static bool wait_for(struct fleet_snapshot *snap, double secs, cond_fn cond, void *arg)
{
	return fleet_wait_for(fleet, snap, secs, cond, arg);
}

static bool all_good(const struct fleet_snapshot *s, void *arg)
{
	for (size_t i = 0; i < s->nhosts; i++)
		if (!s->hosts[i].has_data || s->hosts[i].error[0])
			return false;
	return s->nhosts > 0;
}

/* HOSTS simulated BMCs (racktop-sim ARGS), the engine polling them
 * with CFG, and SNAP once every host's first poll went well. */
static void fleet_up(int hosts, const char *const *args, struct engine_config *cfg,
		     struct fleet_snapshot *snap)
{
	sim_start(hosts, args);
	engine_go(cfg);
	cr_assert(wait_for(snap, 15, all_good, NULL), "first poll: %s",
		  snap->nhosts ? snap->hosts[0].error : "");
}

static bool all_polled(const struct fleet_snapshot *s, void *arg)
{
	for (size_t i = 0; i < s->nhosts; i++)
		if (s->hosts[i].polls == 0)
			return false;
	return s->nhosts > 0;
}

/* The BMC's own view of its sessions, read with HTTP Basic. */
static size_t body_cb(char *p, size_t s, size_t n, void *arg)
{
	char **buf = arg;
	size_t old = *buf ? strlen(*buf) : 0;

	*buf = realloc(*buf, old + s * n + 1);
	memcpy(*buf + old, p, s * n);
	(*buf)[old + s * n] = '\0';
	return s * n;
}

static long http_basic_body(const struct inventory_host *h, const char *method,
			    const char *path, const char *body, json_t **out);

static long http_basic(const struct inventory_host *h, const char *method, const char *path,
		       json_t **out)
{
	return http_basic_body(h, method, path, NULL, out);
}

static long http_basic_body(const struct inventory_host *h, const char *method,
			    const char *path, const char *body, json_t **out)
{
	char url[400], base[300];
	char *buf = NULL;
	long status = 0;
	CURL *c = curl_easy_init();

	inventory_host_url(h, base, sizeof(base));
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERNAME, h->username);
	curl_easy_setopt(c, CURLOPT_PASSWORD, h->password);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &buf);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (out)
		*out = buf ? json_loads(buf, 0, NULL) : NULL;
	free(buf);
	return status;
}

static long session_count(const struct inventory_host *h, json_t **members)
{
	json_t *o = NULL;
	long n = -1;

	if (http_basic(h, "GET", "/redfish/v1/SessionService/Sessions", &o) == 200 && o) {
		n = (long)json_array_size(json_object_get(o, "Members"));
		if (members)
			*members = json_incref(json_object_get(o, "Members"));
	}
	json_decref(o);
	return n;
}

static void check_h100_host(const struct fleet_host *h)
{
	cr_expect_str_eq(h->error, "", "%s: %s", h->name, h->error);
	cr_assert_eq(h->data.ngpus, 8, "%s has %zu GPUs", h->name, h->data.ngpus);
	for (size_t g = 0; g < 8; g++) {
		const struct fleet_gpu *x = &h->data.gpus[g];
		char id[16];

		snprintf(id, sizeof(id), "GPU_SXM_%zu", g + 1);
		cr_expect_str_eq(x->id, id);
		cr_expect_str_eq(x->model, "H100 80GB HBM3");
		cr_expect(x->temperature_c > 10 && x->temperature_c < 120, "%s %s temp %g",
			  h->name, id, x->temperature_c);
		cr_expect(x->power_w > 0 && x->power_w <= 1000, "%s power %g", id, x->power_w);
		cr_expect(fleet_has(x->power_limit_w));
		cr_expect(x->serial[0]);
	}
	cr_expect_neq(h->data.power, FLEET_POWER_UNKNOWN);
}

Test(engine, http_fleet_and_logout, .fini = stop_all, .timeout = 30)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();

	sim_start(3, args);
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, all_good, NULL), "not every host polled: %s",
		  snap.nhosts ? snap.hosts[0].error : "");
	for (size_t i = 0; i < snap.nhosts; i++) {
		check_h100_host(&snap.hosts[i]);
		cr_expect_str_eq(snap.hosts[i].name, inv.hosts[i].name);
		cr_expect_eq(session_count(&inv.hosts[i], NULL), 1, "one session per BMC");
	}
	engine_stop(engine);
	for (size_t i = 0; i < inv.nhosts; i++)
		cr_expect_eq(session_count(&inv.hosts[i], NULL), 0,
			     "%s: sessions left after engine_stop", inv.hosts[i].name);
	fleet_snapshot_free(&snap);
}

Test(engine, https_with_and_without_ca, .fini = stop_all, .timeout = 30)
{
	static const char *const args[] = { "--cert-out", "@CA", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();

	sim_start(2, args);
	/* Without the CA: a plain TLS error, no data. */
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 10, all_polled, NULL));
	for (size_t i = 0; i < snap.nhosts; i++) {
		cr_expect(!snap.hosts[i].has_data);
		cr_expect(strstr(snap.hosts[i].error, "TLS certificate of https://127.0.0.1:"),
			  "%s", snap.hosts[i].error);
		cr_expect(strstr(snap.hosts[i].error, "not trusted"), "%s", snap.hosts[i].error);
		cr_expect(strstr(snap.hosts[i].error, "--cacert"), "%s", snap.hosts[i].error);
	}
	engine_free(engine);
	engine = NULL;
	fleet_free(fleet);
	fleet = NULL;
	fleet_snapshot_free(&snap);

	cfg.ca_file = sim.ca;
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, all_good, NULL), "with --cacert: %s",
		  snap.nhosts ? snap.hosts[0].error : "");
	for (size_t i = 0; i < snap.nhosts; i++)
		check_h100_host(&snap.hosts[i]);
	engine_stop(engine);
	for (size_t i = 0; i < inv.nhosts; i++)
		cr_expect_eq(session_count(&inv.hosts[i], NULL), 0);
	fleet_snapshot_free(&snap);
}

static int dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(s >= 0);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &l), 0);
	close(s);
	return ntohs(a.sin_port);
}

static bool bad_ones_failed(const struct fleet_snapshot *s, void *arg)
{
	return s->nhosts == 5 && s->hosts[1].error[0] && s->hosts[2].error[0] &&
	       s->hosts[4].error[0] && s->hosts[0].has_data && s->hosts[3].has_data;
}

static bool good_advanced(const struct fleet_snapshot *s, void *arg)
{
	const time_t *t0 = arg;

	return s->hosts[0].last_good > t0[0] && s->hosts[3].last_good > t0[1] &&
	       !s->hosts[0].error[0] && !s->hosts[3].error[0];
}

Test(engine, misbehaving_bmcs_do_not_stop_the_fleet, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", "--misbehave", "1:hang", "--misbehave",
					     "2:badjson", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	struct inventory_host *more;
	time_t t0[2];

	sim_start(4, args);
	/* A fifth host on a port nobody listens on. */
	more = realloc(inv.hosts, 5 * sizeof(*more));
	cr_assert(more);
	inv.hosts = more;
	inv.hosts[4] = inv.hosts[3];
	snprintf(inv.hosts[4].name, sizeof(inv.hosts[4].name), "dead-node");
	inv.hosts[4].port = dead_port();
	inv.hosts[4].username = strdup(inv.hosts[3].username);
	inv.hosts[4].password = strdup(inv.hosts[3].password);
	inv.nhosts = 5;
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, bad_ones_failed, NULL), "bad hosts: [%s] [%s] [%s]",
		  snap.nhosts > 1 ? snap.hosts[1].error : "", snap.nhosts > 2 ? snap.hosts[2].error : "",
		  snap.nhosts > 4 ? snap.hosts[4].error : "");
	cr_expect(strstr(snap.hosts[1].error, "no answer within 2 s"), "hang: %s", snap.hosts[1].error);
	cr_expect(strstr(snap.hosts[1].error, "http://127.0.0.1:"), "hang: %s", snap.hosts[1].error);
	cr_expect(strstr(snap.hosts[2].error, "invalid JSON at line"), "badjson: %s",
		  snap.hosts[2].error);
	cr_expect(strstr(snap.hosts[4].error, "/redfish/v1"), "dead: %s", snap.hosts[4].error);
	cr_expect(strstr(snap.hosts[4].error, "connection refused"), "dead: %s", snap.hosts[4].error);
	check_h100_host(&snap.hosts[0]);
	check_h100_host(&snap.hosts[3]);
	/* The good ones keep going while the hang host holds its requests. */
	t0[0] = snap.hosts[0].last_good;
	t0[1] = snap.hosts[3].last_good;
	cr_expect(wait_for(&snap, 8, good_advanced, t0), "good hosts stopped updating");
	cr_expect(snap.hosts[1].error[0] && snap.hosts[2].error[0] && snap.hosts[4].error[0]);
	fleet_snapshot_free(&snap);
}

static bool power_is(const struct fleet_snapshot *s, void *arg)
{
	const enum fleet_power *p = arg;

	return s->nhosts > 0 && s->hosts[0].has_data && s->hosts[0].data.power == *p &&
	       !s->hosts[0].error[0];
}

Test(engine, power_off_and_on, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", "--power-delay", "1", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	enum fleet_power want = FLEET_POWER_ON;

	sim_start(1, args);
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, power_is, &want), "power is %s: %s",
		  snap.nhosts ? fleet_power_name(snap.hosts[0].data.power) : "-",
		  snap.nhosts ? snap.hosts[0].error : "");
	cr_assert_eq(engine_request(engine, 0, ENGINE_ACTION_POWER_OFF), 0);
	want = FLEET_POWER_OFF;
	cr_assert(wait_for(&snap, 10, power_is, &want), "after ForceOff power is %s: %s",
		  fleet_power_name(snap.hosts[0].data.power), snap.hosts[0].error);
	cr_assert_eq(engine_request(engine, 0, ENGINE_ACTION_POWER_ON), 0);
	want = FLEET_POWER_ON;
	cr_assert(wait_for(&snap, 10, power_is, &want), "after On power is %s: %s",
		  fleet_power_name(snap.hosts[0].data.power), snap.hosts[0].error);
	cr_expect_eq(engine_request(engine, 5, ENGINE_ACTION_POWER_ON), -1, "no host 5");
	fleet_snapshot_free(&snap);
}

static bool polled_more(const struct fleet_snapshot *s, void *arg)
{
	const unsigned *n = arg;

	return s->hosts[0].polls >= *n && !s->hosts[0].error[0];
}

Test(engine, relogin_after_session_deleted, .fini = stop_all, .timeout = 30)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	json_t *members = NULL, *m;
	unsigned want;
	size_t i;

	sim_start(1, args);
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, all_good, NULL));
	cr_assert_eq(session_count(&inv.hosts[0], &members), 1);
	/* Someone (an admin, a BMC reboot) ends our session. */
	json_array_foreach(members, i, m) {
		const char *id = json_string_value(json_object_get(m, "@odata.id"));

		cr_assert(id);
		cr_expect_lt(http_basic(&inv.hosts[0], "DELETE", id, NULL), 300L);
	}
	json_decref(members);
	cr_expect_eq(session_count(&inv.hosts[0], NULL), 0);
	want = snap.hosts[0].polls + 3;
	cr_assert(wait_for(&snap, 10, polled_more, &want), "no recovery: %s polls %u want %u", snap.hosts[0].error, snap.hosts[0].polls, want);
	cr_expect_eq(session_count(&inv.hosts[0], NULL), 1, "logged in again");
	check_h100_host(&snap.hosts[0]);
	fleet_snapshot_free(&snap);
}

static double cpu_s(void)
{
	struct rusage ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static unsigned total_polls(const struct fleet_snapshot *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->nhosts; i++)
		n += s->hosts[i].polls;
	return n;
}

static bool polls_above(const struct fleet_snapshot *s, void *arg)
{
	return total_polls(s) > *(const unsigned *)arg;
}

Test(engine, idle_engine_sleeps_between_polls, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	unsigned long passes;
	unsigned polls;
	double cpu, t0;

	cfg.poll_interval_s = 30;
	fleet_up(3, args, &cfg, &snap);
	usleep(200000);   /* the last answers settle */
	fleet_snapshot_take(fleet, &snap);
	polls = total_polls(&snap);
	passes = engine_loop_passes(engine);
	cpu = cpu_s();
	t0 = now_s();
	/* Nothing is due for 30 s: the engine thread must sleep, not tick. */
	while (now_s() - t0 < 4)
		usleep(100000);
	cr_expect_leq(engine_loop_passes(engine) - passes, 1, "%lu loop passes while idle for 4 s",
		      engine_loop_passes(engine) - passes);
	/* CPU time, not wall time, with room for a busy machine: a loop that
	 * ticked would burn seconds of it. The pass count above is exact. */
	cr_expect_lt(cpu_s() - cpu, 1.0, "%.3f s of CPU while idle", cpu_s() - cpu);
	fleet_snapshot_take(fleet, &snap);
	cr_expect_eq(total_polls(&snap), polls, "no poll before its time");
	/* Asleep is not stuck: a request wakes it at once. */
	for (size_t i = 0; i < inv.nhosts; i++)
		cr_assert_eq(engine_request(engine, i, ENGINE_ACTION_POLL_NOW), 0);
	cr_expect(wait_for(&snap, 5, polls_above, &polls), "POLL_NOW did not wake the engine");
	fleet_snapshot_free(&snap);
}

struct action_want {
	size_t host;
	int state;
};

static bool action_is(const struct fleet_snapshot *s, void *arg)
{
	const struct action_want *w = arg;

	return s->nhosts > w->host && s->hosts[w->host].action_state == w->state;
}

/* A power action whose state no poll sees in time: "not reached", not
 * done (the BMC's acceptance was all there was). */
Test(engine, action_not_reached, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", "--power-delay", "600", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	struct action_want accepted = { 0, FLEET_ACTION_ACCEPTED };
	struct action_want failed = { 0, FLEET_ACTION_FAILED };
	const struct fleet_host *h;

	cfg.action_wait_s = 3;
	sim_start(1, args);
	fleet = fleet_new();
	engine = engine_new(fleet, &inv, &cfg);
	cr_assert(engine);
	cr_assert_eq(engine_start(engine), 0);
	cr_assert_eq(engine_request(engine, 0, ENGINE_ACTION_POWER_SOFT), 0);
	cr_assert(wait_for(&snap, 10, action_is, &accepted), "GracefulShutdown is %s: %s",
		  fleet_action_state_name(snap.hosts[0].action_state), snap.hosts[0].action_result);
	cr_assert(wait_for(&snap, 20, action_is, &failed), "GracefulShutdown is %s: %s",
		  fleet_action_state_name(snap.hosts[0].action_state), snap.hosts[0].action_result);
	h = &snap.hosts[0];
	cr_expect(!strncmp(h->action_result,
			   "not reached: power Off not seen after 3 s (power is PoweringOff)", 64),
		  "%s", h->action_result);
	cr_expect(strstr(h->action_result, "the BMC accepted it: "), "%s", h->action_result);
	cr_expect_eq(h->data.power, FLEET_POWER_POWERING_OFF, "power %s",
		     fleet_power_name(h->data.power));
	fleet_snapshot_free(&snap);
}

Test(engine, action_record_pending_then_done, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", "--power-delay", "3", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	struct action_want accepted = { 0, FLEET_ACTION_ACCEPTED };
	struct action_want done = { 0, FLEET_ACTION_DONE };
	enum fleet_power off = FLEET_POWER_OFF;
	const struct fleet_host *h;

	sim_start(1, args);
	fleet = fleet_new();
	engine = engine_new(fleet, &inv, &cfg);
	cr_assert(engine);
	/* Queued before the engine runs: the record says so at once. */
	cr_assert_eq(engine_request(engine, 0, ENGINE_ACTION_POWER_OFF), 0);
	fleet_snapshot_take(fleet, &snap);
	h = &snap.hosts[0];
	cr_expect_str_eq(h->action, "power ForceOff");
	cr_expect_eq(h->action_state, FLEET_ACTION_PENDING, "state %s",
		     fleet_action_state_name(h->action_state));
	cr_expect_str_eq(h->action_result, "queued");
	cr_expect_gt(h->action_time, 0);
	cr_assert_eq(engine_start(engine), 0);
	/* The BMC took it; the host is powering off for 3 s: not done yet. */
	cr_assert(wait_for(&snap, 10, action_is, &accepted), "ForceOff is %s: %s",
		  fleet_action_state_name(snap.hosts[0].action_state), snap.hosts[0].action_result);
	h = &snap.hosts[0];
	cr_expect_str_eq(h->action, "power ForceOff");
	cr_expect(strstr(h->action_result, "/Actions/ComputerSystem.Reset: HTTP 20"), "%s",
		  h->action_result);
	cr_expect_neq(h->data.power, FLEET_POWER_OFF, "accepted while the host is still %s",
		      fleet_power_name(h->data.power));
	/* Done once a poll sees it off. */
	cr_assert(wait_for(&snap, 15, action_is, &done), "ForceOff is %s: %s",
		  fleet_action_state_name(snap.hosts[0].action_state), snap.hosts[0].action_result);
	h = &snap.hosts[0];
	cr_expect_eq(h->data.power, FLEET_POWER_OFF, "done while the power is %s",
		     fleet_power_name(h->data.power));
	cr_expect(!strncmp(h->action_result, "power Off seen ", 15), "%s", h->action_result);
	cr_expect(strstr(h->action_result, "http://127.0.0.1:"), "%s", h->action_result);
	cr_expect(strstr(h->action_result, "/Actions/ComputerSystem.Reset: HTTP 20"), "%s",
		  h->action_result);
	cr_assert(wait_for(&snap, 10, power_is, &off), "after ForceOff power is %s: %s",
		  fleet_power_name(snap.hosts[0].data.power), snap.hosts[0].error);
	cr_expect_eq(snap.hosts[0].action_state, FLEET_ACTION_DONE, "a poll leaves the record");
	/* Polling on request is no operator action on the BMC. */
	cr_assert_eq(engine_request(engine, 0, ENGINE_ACTION_POLL_NOW), 0);
	fleet_snapshot_take(fleet, &snap);
	cr_expect_str_eq(snap.hosts[0].action, "power ForceOff");
	fleet_snapshot_free(&snap);
}

Test(engine, action_record_failed_on_a_broken_bmc, .fini = stop_all, .timeout = 40)
{
	static const char *const args[] = { "--http", "--misbehave", "1:500", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	struct action_want failed = { 1, FLEET_ACTION_FAILED };
	const struct fleet_host *h;

	sim_start(2, args);
	engine_go(&cfg);
	cr_assert(wait_for(&snap, 15, all_polled, NULL));
	cr_assert_eq(engine_request(engine, 1, ENGINE_ACTION_BOOT_BIOS), 0);
	cr_assert(wait_for(&snap, 10, action_is, &failed), "boot BIOS is %s: %s",
		  fleet_action_state_name(snap.hosts[1].action_state), snap.hosts[1].action_result);
	h = &snap.hosts[1];
	cr_expect_str_eq(h->action, "boot BIOS");
	cr_expect(strstr(h->action_result, "one-time boot from BiosSetup failed"), "%s",
		  h->action_result);
	cr_expect(strstr(h->action_result, "http://127.0.0.1:"), "names the URL: %s",
		  h->action_result);
	cr_expect(strstr(h->action_result, "HTTP 500 Internal Server Error"), "names why: %s",
		  h->action_result);
	/* An action the engine does not know: refused, and recorded so. */
	cr_expect_eq(engine_request(engine, 1, (enum engine_action)42), -1);
	fleet_snapshot_take(fleet, &snap);
	h = &snap.hosts[1];
	cr_expect_eq(h->action_state, FLEET_ACTION_FAILED);
	cr_expect_str_eq(h->action_result, "not sent: unknown action 42");
	cr_expect_eq(snap.hosts[0].action_state, FLEET_ACTION_NONE, "the good host had none");
	fleet_snapshot_free(&snap);
}

/* racktop-sim's counter WHAT (Requests, GetBytes) of host H. */
static long sim_stat(const struct inventory_host *h, const char *what)
{
	json_t *o = NULL;
	long n = -1;

	if (http_basic(h, "GET", "/racktop-sim/stats", &o) == 200 && o)
		n = (long)json_integer_value(json_object_get(o, what));
	json_decref(o);
	return n;
}

/* Requests the simulated BMC has answered (racktop-sim's own counter). */
static long sim_requests(const struct inventory_host *h)
{
	return sim_stat(h, "Requests");
}

static void sim_fault(const struct inventory_host *h, const char *spec)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"Fault\": \"%s\"}", spec);
	cr_assert_eq(http_basic_body(h, "POST", "/racktop-sim/fault", body, NULL), 204L,
		     "POST /racktop-sim/fault %s", spec);
}

static bool has_event(const struct fleet_host *h, const char *text)
{
	for (size_t i = 0; i < h->data.nevents; i++)
		if (strstr(h->data.events[i].message, text))
			return true;
	return false;
}

static bool gpu3_off_the_bus(const struct fleet_snapshot *s, void *arg)
{
	const struct fleet_host *h = &s->hosts[0];

	return h->data.ngpus == 8 && !strcmp(h->data.gpus[2].state, "Absent") &&
	       h->data.gpus[2].health == FLEET_HEALTH_CRITICAL &&
	       has_event(h, "GPU_SXM_3 has fallen off the bus");
}

static bool gpu5_hotter(const struct fleet_snapshot *s, void *arg)
{
	const double *before = arg;
	const struct fleet_host *h = &s->hosts[0];

	return h->data.ngpus == 8 && h->data.gpus[4].temperature_c >= *before + 4;
}

/* What the host view shows besides the row: every GPU's memory and
 * utilisation, and the chassis sensors, whether this poll read them or
 * kept them. */
static void check_host_view(const struct fleet_host *h)
{
	cr_expect_geq(h->data.nsensors, 10, "%s: %zu sensors", h->name, h->data.nsensors);
	for (size_t g = 0; g < h->data.ngpus; g++) {
		const struct fleet_gpu *x = &h->data.gpus[g];

		cr_expect(fleet_has(x->memory_used_mib), "%s GPU %zu memory", h->name, g);
		cr_expect(fleet_has(x->utilization_pct), "%s GPU %zu utilisation", h->name, g);
		cr_expect(fleet_has(x->ecc_corrected), "%s GPU %zu ECC", h->name, g);
	}
}

/* Counts a steady poll's requests and bytes over N polls (racktop-sim's
 * counters), checking what the screen shows after each poll. */
static void count_polls(struct fleet_snapshot *snap, unsigned n, long *reqs, long *bytes,
			unsigned *polls)
{
	unsigned want, p0;
	long r0, b0;

	want = 2;   /* past the discovery and the first refresh */
	cr_assert(wait_for(snap, 10, polled_more, &want));
	p0 = snap->hosts[0].polls;
	r0 = sim_requests(&inv.hosts[0]);
	b0 = sim_stat(&inv.hosts[0], "GetBytes");
	for (unsigned i = 1; i <= n; i++) {
		want = p0 + i;
		cr_assert(wait_for(snap, 10, polled_more, &want), "polls %u", snap->hosts[0].polls);
		check_h100_host(&snap->hosts[0]);
		check_host_view(&snap->hosts[0]);
	}
	*polls = snap->hosts[0].polls - p0;
	*reqs = sim_requests(&inv.hosts[0]) - r0;
	*bytes = sim_stat(&inv.hosts[0], "GetBytes") - b0;
	cr_assert(r0 > 0 && b0 > 0 && *reqs > 0, "stats: %ld requests, %ld bytes", r0, b0);
}

/* A steady poll of a BMC that expands and selects (racktop-sim) costs
 * a few requests and bytes, not one request per resource (about 30
 * before $expand) nor whole resources (28 KB a poll before $select),
 * and what changes on the BMC still shows at the next poll: a GPU
 * falling off the bus (its state, its health and the event log's
 * entry) and a GPU heating up. */
Test(engine, few_requests_a_poll_and_changes_still_show, .fini = stop_all, .timeout = 90)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	unsigned want, polls;
	long reqs, bytes;
	double before;

	fleet_up(1, args, &cfg, &snap);
	count_polls(&snap, 12, &reqs, &bytes, &polls);
	/* 2 a poll (Systems and the GPUs' Processors with their readings,
	 * both $select'ed); every 8th also the chassis sensors and the log
	 * (2.25 a poll; 2.5 when they were read every 4th, 3.25 before).
	 * A poll in flight at either reading of the counter adds a few. */
	cr_expect_leq(reqs, 9 * (long)polls / 4 + 5, "%ld requests in %u polls", reqs, polls);
	cr_expect_geq(reqs, 2 * (long)polls - 5, "%ld requests in %u polls", reqs, polls);
	/* About 6 KB a poll, and 17 KB every 8th (28 KB a poll before). */
	cr_expect_leq(bytes, 10000 * (long)polls, "%ld bytes in %u polls", bytes, polls);

	want = snap.hosts[0].polls;
	sim_fault(&inv.hosts[0], "2:offbus");
	cr_expect(wait_for(&snap, 10, gpu3_off_the_bus, NULL),
		  "GPU_SXM_3: state %s, health %d, %zu events", snap.hosts[0].data.gpus[2].state,
		  (int)snap.hosts[0].data.gpus[2].health, snap.hosts[0].data.nevents);
	/* At the next poll (one may have been in flight when it happened). */
	cr_expect_leq(snap.hosts[0].polls, want + 2, "shown %u polls later",
		      snap.hosts[0].polls - want);
	/* Polls that do not read the log keep the events shown. */
	want = snap.hosts[0].polls + 3;
	cr_assert(wait_for(&snap, 10, polled_more, &want));
	cr_expect(has_event(&snap.hosts[0], "GPU_SXM_3 has fallen off the bus"),
		  "the event went from the screen: %zu events", snap.hosts[0].data.nevents);

	before = snap.hosts[0].data.gpus[4].temperature_c;
	cr_assert(fleet_has(before));
	want = snap.hosts[0].polls;
	sim_fault(&inv.hosts[0], "4:overheat");
	cr_expect(wait_for(&snap, 15, gpu5_hotter, &before), "GPU_SXM_5 %g C, was %g C",
		  snap.hosts[0].data.gpus[4].temperature_c, before);
	cr_expect_leq(snap.hosts[0].polls, want + 3, "hotter %u polls later",
		      snap.hosts[0].polls - want);
	fleet_snapshot_free(&snap);
}

static bool host_warns(const struct fleet_snapshot *s, void *arg)
{
	return s->hosts[0].has_data && s->hosts[0].data.health >= FLEET_HEALTH_WARNING;
}

/* The chassis sensors are read every 8th poll, and at once when the
 * systems' health changes: a GPU temperature past its threshold shows
 * on its chassis sensor in the same poll as in the host's health. */
Test(engine, sensor_past_threshold_shows_with_the_health, .fini = stop_all, .timeout = 90)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	const struct fleet_sensor *hot = NULL;

	fleet_up(1, args, &cfg, &snap);
	cr_assert_eq(snap.hosts[0].data.health, FLEET_HEALTH_OK);
	sim_fault(&inv.hosts[0], "1:overheat");
	/* 99 C is where it heads; 85 C (Warning) takes about 20 s. */
	cr_assert(wait_for(&snap, 60, host_warns, NULL), "health %s at %g C: %s",
		  fleet_health_name(snap.hosts[0].data.health),
		  snap.hosts[0].data.gpus[1].temperature_c, snap.hosts[0].error);
	for (size_t i = 0; i < snap.hosts[0].data.nsensors; i++)
		if (!strcmp(snap.hosts[0].data.sensors[i].name, "TEMP_GPU_SXM_2"))
			hot = &snap.hosts[0].data.sensors[i];
	cr_assert(hot, "no TEMP_GPU_SXM_2 among %zu sensors", snap.hosts[0].data.nsensors);
	cr_expect_geq(hot->health, FLEET_HEALTH_WARNING, "TEMP_GPU_SXM_2 at %g C is %s",
		      hot->reading, fleet_health_name(hot->health));
	cr_expect_geq(hot->reading, 85.0, "TEMP_GPU_SXM_2 at %g C", hot->reading);
	cr_expect_geq(snap.hosts[0].data.gpus[1].health, FLEET_HEALTH_WARNING);
	fleet_snapshot_free(&snap);
}

/* OpenBMC's bmcweb refuses $select together with $expand (400): the
 * refresh asks again without $select, once, and reads everything. */
Test(engine, bmc_refusing_select_with_expand, .fini = stop_all, .timeout = 60)
{
	static const char *const args[] = { "--http", "--misbehave", "0:noselectexpand", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	unsigned polls;
	long reqs, bytes;

	fleet_up(1, args, &cfg, &snap);
	count_polls(&snap, 8, &reqs, &bytes, &polls);
	/* As without $select: no refused request a poll. */
	cr_expect_leq(reqs, 5 * (long)polls / 2 + 5, "%ld requests in %u polls", reqs, polls);
	cr_expect_gt(bytes, 15000 * (long)polls, "%ld bytes in %u polls: whole resources",
		     bytes, polls);
	fleet_snapshot_free(&snap);
}

/* ---- the focus (engine_focus: the host the host view shows) ---- */

struct polled {
	size_t host;
	unsigned polls;
};

static bool host_polled(const struct fleet_snapshot *s, void *arg)
{
	const struct polled *w = arg;

	return s->hosts[w->host].polls >= w->polls && !s->hosts[w->host].error[0];
}

/* Before a poll of host H: what to wait for, and its request count. */
static long poll_begin(struct fleet_snapshot *snap, size_t h, struct polled *w)
{
	fleet_snapshot_take(fleet, snap);
	w->host = h;
	w->polls = snap->hosts[h].polls + 1;
	return sim_requests(&inv.hosts[h]);
}

/* After it: the requests that poll made. */
static long poll_end(struct fleet_snapshot *snap, const struct polled *w, long before)
{
	cr_assert(wait_for(snap, 15, host_polled, (void *)w), "host %zu: %u polls, want %u: %s",
		  w->host, snap->hosts[w->host].polls, w->polls, snap->hosts[w->host].error);
	return sim_requests(&inv.hosts[w->host]) - before;
}

/* One poll of host H, now (the timer is far off: only these poll). */
static long poll_host(struct fleet_snapshot *snap, size_t h)
{
	struct polled w;
	long before = poll_begin(snap, h, &w);

	cr_assert_eq(engine_request(engine, h, ENGINE_ACTION_POLL_NOW), 0);
	return poll_end(snap, &w, before);
}

/* Focuses host H (or none) and, for a host, waits for the poll it asks for. */
static long focus_host(struct fleet_snapshot *snap, size_t h)
{
	struct polled w;
	long before;

	if (h == ENGINE_NO_FOCUS) {
		cr_assert_eq(engine_focus(engine, h), 0);
		return 0;
	}
	before = poll_begin(snap, h, &w);
	cr_assert_eq(engine_focus(engine, h), 0);
	return poll_end(snap, &w, before);
}

/* At rest a host's extras (chassis sensors and event log: one request
 * each on racktop-sim) cost requests every 8th poll only; the host the
 * host view shows (engine_focus) reads them every poll, from the poll
 * the focus asks for at once; and another host, or none, takes the
 * focus away. Polls are driven by poll-now, so the counts are exact. */
Test(engine, focused_host_reads_extras_every_poll, .fini = stop_all, .timeout = 90)
{
	static const char *const args[] = { "--http", NULL };
	struct fleet_snapshot snap = { 0 };
	struct engine_config cfg = quick_config();
	long d[16], base = LONG_MAX, full = 0, r;
	int extras = 0, first = -1, last = -1;

	cfg.poll_interval_s = 600;   /* no timed poll during the test */
	fleet_up(2, args, &cfg, &snap);
	cr_assert_eq(engine_focus(engine, 2), -1, "no host 2");
	poll_host(&snap, 0);   /* past the first refresh */
	for (int i = 0; i < 16; i++) {
		d[i] = poll_host(&snap, 0);
		if (d[i] < base)
			base = d[i];
		if (d[i] > full)
			full = d[i];
	}
	cr_assert_geq(base, 1, "a steady poll: %ld requests", base);
	cr_assert_geq(full, base + 2, "some poll read the extras: %ld requests, %ld steady",
		      full, base);
	for (int i = 0; i < 16; i++) {
		if (d[i] == base)
			continue;
		cr_expect_eq(d[i], full, "poll %d: %ld requests (%ld steady, %ld with the extras)",
			     i, d[i], base, full);
		extras++;
		if (first < 0)
			first = i;
		last = i;
	}
	cr_expect_eq(extras, 2, "unfocused: extras read in %d of 16 polls", extras);
	cr_expect_eq(last - first, 8, "unfocused: extras in polls %d and %d", first, last);

	/* The host view opens on host 0: polled at once, everything read. */
	r = focus_host(&snap, 0);
	cr_expect_eq(r, full, "the focus's own poll: %ld requests, want %ld", r, full);
	for (int i = 0; i < 4; i++) {
		r = poll_host(&snap, 0);
		cr_expect_eq(r, full, "focused poll %d: %ld requests, want %ld", i, r, full);
	}
	/* Host 1 is not focused meanwhile (3 polls since its discovery). */
	for (int i = 0; i < 3; i++) {
		r = poll_host(&snap, 1);
		cr_expect_eq(r, base, "host 1 unfocused, poll %d: %ld requests, want %ld", i, r,
			     base);
	}

	/* It moves to host 1: host 0 reads the extras every 8th poll again. */
	r = focus_host(&snap, 1);
	cr_expect_eq(r, full, "host 1's focus poll: %ld requests, want %ld", r, full);
	for (int i = 1; i < 8; i++) {
		r = poll_host(&snap, 0);
		cr_expect_eq(r, base, "host 0 unfocused again, poll %d: %ld requests, want %ld", i,
			     r, base);
	}
	r = poll_host(&snap, 0);
	cr_expect_eq(r, full, "host 0's 8th poll: %ld requests, want %ld", r, full);
	r = poll_host(&snap, 1);
	cr_expect_eq(r, full, "host 1 focused: %ld requests, want %ld", r, full);

	/* The host view closes: no focus, no poll asked. */
	focus_host(&snap, ENGINE_NO_FOCUS);
	r = poll_host(&snap, 1);
	cr_expect_eq(r, base, "host 1 unfocused: %ld requests, want %ld", r, base);
	fleet_snapshot_free(&snap);
}

struct first_poll_watch {
	size_t host;
	bool progress_seen;        /* the store showed its first poll moving */
	unsigned answers;
};

static bool host_has_data(const struct fleet_snapshot *s, void *arg)
{
	struct first_poll_watch *w = arg;
	const struct fleet_host *h = &s->hosts[w->host];

	if (!h->has_data && h->first_poll_started && h->first_poll_answers > 0) {
		w->progress_seen = true;
		w->answers = h->first_poll_answers;
	}
	return h->has_data;
}

/* A slow BMC (every answer late) in a large fleet, polled as the screen
 * polls (the default configuration): its first poll runs to the end,
 * never started over, with as many requests at once as one BMC takes
 * (not max_total / hosts, 1 here), and the store shows it moving
 * meanwhile. 1 s an answer keeps the test short; real BMCs take 2-5 s. */
Test(engine, slow_bmc_first_poll_in_a_large_fleet, .fini = stop_all, .timeout = 420)
{
	static const char *const args[] = { "--http", "--misbehave", "400:slow",
					     "--slow-delay", "1", NULL };
	struct fleet_snapshot snap = { 0 };
	struct first_poll_watch w = { .host = 400 };
	struct engine_config cfg;

	engine_config_defaults(&cfg);
	sim_start(600, args);
	engine_go(&cfg);
	cr_expect_eq(engine_per_host_limit(engine), 4, "requests at once to one BMC: %d",
		     engine_per_host_limit(engine));
	cr_assert(wait_for(&snap, 300, host_has_data, &w), "no first poll of the slow host: %s",
		  snap.nhosts > 400 ? snap.hosts[400].error : "");
	cr_expect_str_empty(snap.hosts[400].error);
	cr_expect_gt(snap.hosts[400].data.ngpus, 0);
	cr_expect_eq(engine_poll_restarts(engine, 400), 0, "its first poll started over %u times",
		     engine_poll_restarts(engine, 400));
	cr_expect(w.progress_seen, "the first poll's progress never showed");
	cr_expect_eq(snap.hosts[400].first_poll_started, 0, "progress left after the poll");
	fleet_snapshot_free(&snap);
}

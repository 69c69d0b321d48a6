/* ipmi_sweep MANIFEST WORKERS SDR_DIR [--sensors]: one sweep of every
 * host in MANIFEST, timed, printing "seconds good failed". Used by
 * tests/bench/ipmi_sweep.sh; not a test.
 *
 * Default: full polls by racktop's engine (the real backend on its
 * worker pool of WORKERS threads): from engine start until every host
 * finished its first poll (chassis status, Device ID, FRU, Get SEL Info,
 * sensors, the SEL), then a second poll of every host asked for at once
 * (chassis status, Get SEL Info, sensors: what a poll costs from then
 * on, in the session the first poll left open: the engine keeps it).
 * Prints "first_seconds good failed second_seconds".
 *
 * --sensors: the same work as `ipmi-sensors`, for every host on a worker
 * pool of WORKERS threads (workers.h, as the engine runs it), with the
 * poll's own functions. Sweep 1: ipmi_session_open() then
 * ipmi_sensors_read() (SDR cache, every sensor), what the engine's first
 * poll of a host does; the session is kept, as the engine keeps it.
 * Sweep 2: ipmi_sensors_read() in the kept session, what every later
 * poll does (a failure there is retried once in a fresh session, as the
 * engine does). Then every session is closed (not timed). Prints
 * "kept_seconds good failed new_session_seconds". */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fleet.h"
#include "inventory.h"
#include "ipmi.h"
#include "workers.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct sweep_job {
	struct ipmi_conn conn;
	struct fleet_host_data data;
	struct ipmi_err err;
	struct ipmi_session *s;   /* kept between the sweeps */
	int rc;
};

static void sweep_job_run(void *arg)
{
	struct sweep_job *j = arg;

	fleet_host_data_free(&j->data);
	memset(&j->data, 0, sizeof(j->data));
	if (j->s) {
		j->rc = ipmi_sensors_read(j->s, &j->conn, &j->data, &j->err);
		if (j->rc == 0)
			return;
		ipmi_session_close(j->s);
		fleet_host_data_free(&j->data);
		memset(&j->data, 0, sizeof(j->data));
	}
	j->rc = -1;
	j->s = ipmi_session_open(&j->conn, &j->err);
	if (!j->s)
		return;
	j->rc = ipmi_sensors_read(j->s, &j->conn, &j->data, &j->err);
}

static void sweep_job_close(void *arg)
{
	struct sweep_job *j = arg;

	ipmi_session_close(j->s);
	j->s = NULL;
}

static atomic_size_t sweep_done;

static void sweep_job_done(void *arg, enum workers_end end)
{
	(void)arg;
	(void)end;
	atomic_fetch_add(&sweep_done, 1);
}

static void sweep_wake(void *arg)
{
	(void)arg;
}

/* Every job through FN on W; the seconds it took (120 at most). */
static double sweep_once(struct workers *w, struct sweep_job *jobs, size_t n, workers_run_fn fn)
{
	double t0 = now_s();

	atomic_store(&sweep_done, 0);
	for (size_t i = 0; i < n; i++)
		if (workers_submit(w, fn, sweep_job_done, &jobs[i]) < 0)
			return -1;
	while (atomic_load(&sweep_done) < n && now_s() - t0 < 120) {
		workers_drain(w);
		usleep(500);
	}
	workers_drain(w);
	return now_s() - t0;
}

/* The sensor path alone, as the engine's poll runs it: in a new
 * session, then in the kept one. */
static int sweep_sensors(const struct inventory *inv, int nworkers, const char *sdr_dir)
{
	struct sweep_job *jobs = calloc(inv->nhosts, sizeof(*jobs));
	struct ipmi_gpu_patterns *gpu;
	struct workers *w;
	size_t good = 0, bad = 0;
	double t_new, t_kept;
	char err[200];

	gpu = ipmi_gpu_patterns_new(NULL, err, sizeof(err));
	if (!jobs || !gpu || ipmi_library_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "ipmi_sweep: %s\n", err);
		return 1;
	}
	ipmi_sensors_prepare(); /* as the engine does at start */
	for (size_t i = 0; i < inv->nhosts; i++) {
		const struct inventory_host *ih = &inv->hosts[i];
		struct ipmi_conn *c = &jobs[i].conn;

		snprintf(c->host, sizeof(c->host), "%s:%d", ih->address,
			 ih->ipmi_port ? ih->ipmi_port : 623);
		c->user = ih->username;
		c->pass = ih->password;
		c->privilege = ih->ipmi_privilege;
		c->cipher_suite = ih->ipmi_cipher_suite;
		c->workarounds = ih->ipmi_workarounds;
		c->timeout_ms = 10000;
		c->sdr_cache_dir = sdr_dir;
		c->gpu = gpu;
	}
	w = workers_new(nworkers, sweep_wake, NULL);
	if (!w)
		return 1;
	t_new = sweep_once(w, jobs, inv->nhosts, sweep_job_run);
	t_kept = sweep_once(w, jobs, inv->nhosts, sweep_job_run);
	sweep_once(w, jobs, inv->nhosts, sweep_job_close);
	workers_free(w, 1000);
	if (t_new < 0 || t_kept < 0)
		return 1;
	for (size_t i = 0; i < inv->nhosts; i++) {
		if (jobs[i].rc == 0 && jobs[i].data.ngpus == 8)
			good++;
		else {
			bad++;
			fprintf(stderr, "ipmi_sweep: %s: %s\n", jobs[i].conn.host,
				jobs[i].rc ? jobs[i].err.msg : "not 8 GPUs");
		}
		fleet_host_data_free(&jobs[i].data);
	}
	printf("%.3f %zu %zu %.3f\n", t_kept, good, bad, t_new);
	free(jobs);
	ipmi_gpu_patterns_free(gpu);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct inventory inv;
	struct engine_config cfg;
	struct fleet *fleet;
	struct engine *e;
	struct fleet_snapshot snap = { 0 };
	size_t good = 0, bad = 0;
	double t0, t, t2;
	int rc;

	if (argc != 4 && !(argc == 5 && strcmp(argv[4], "--sensors") == 0)) {
		fprintf(stderr, "usage: ipmi_sweep MANIFEST WORKERS SDR_DIR [--sensors]\n");
		return 2;
	}
	if (inventory_load(argv[1], NULL, &inv) < 0 || inv.nhosts == 0) {
		fprintf(stderr, "ipmi_sweep: %s: %s\n", argv[1],
			inv.nerrors ? inv.errors[0] : "no hosts");
		return 1;
	}
	if (argc == 5) {
		rc = sweep_sensors(&inv, atoi(argv[2]), argv[3]);
		inventory_free(&inv);
		return rc;
	}
	engine_config_defaults(&cfg);
	cfg.poll_interval_s = 3600;
	cfg.timeout_ms = 10000;
	cfg.ipmi_workers = atoi(argv[2]);
	cfg.ipmi_sdr_cache_dir = argv[3];
	fleet = fleet_new();
	e = engine_new(fleet, &inv, &cfg);
	if (!e)
		return 1;
	t0 = now_s();
	engine_start(e);
	while (fleet_hosts_polled(fleet, 1) < inv.nhosts && now_s() - t0 < 120)
		usleep(1000);
	t = now_s() - t0;
	/* The steady-state poll: FRU, Device ID and the SEL are known now
	 * (the SEL is read again only when Get SEL Info says it changed). */
	t0 = now_s();
	for (size_t i = 0; i < inv.nhosts; i++)
		engine_request(e, i, ENGINE_ACTION_POLL_NOW);
	while (fleet_hosts_polled(fleet, 2) < inv.nhosts && now_s() - t0 < 120)
		usleep(1000);
	t2 = now_s() - t0;
	fleet_snapshot_take(fleet, &snap);
	for (size_t i = 0; i < snap.nhosts; i++) {
		if (snap.hosts[i].has_data && snap.hosts[i].data.ngpus == 8)
			good++;
		else {
			bad++;
			fprintf(stderr, "ipmi_sweep: %s: %s\n", snap.hosts[i].name, snap.hosts[i].error);
		}
	}
	printf("%.3f %zu %zu %.3f\n", t, good, bad, t2);
	fleet_snapshot_free(&snap);
	engine_free(e);
	fleet_free(fleet);
	inventory_free(&inv);
	return bad ? 1 : 0;
}

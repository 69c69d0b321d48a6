/* bench_sweep MANIFEST WARM MAX_TOTAL PER_HOST [CAFILE]: racktop's side of the Redfish sweep
 * benchmark (tests/bench/redfish_sweep.sh), with the real engine.
 *
 * Cold: from engine start (nothing known: log in, discover every BMC's
 * tree, read every GPU) until every host finished its first poll. Then
 * WARM times: a poll-now request for every host (sessions, connections
 * and the discovered tree kept, as in a running racktop) until every
 * host finished one more poll. A host counts as good when its poll
 * ended without an error with 8 GPUs and every temperature known.
 * MAX_TOTAL and PER_HOST are the engine's limits on requests in flight
 * (0: racktop's defaults).
 * Prints one line a sweep: "cold|warmN seconds cpu_seconds good failed".
 * Not a test: it prints figures. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fleet.h"
#include "inventory.h"

static double sweep_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double sweep_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Waits until every host has N polls; prints the line for this sweep. */
static int sweep_wait(struct fleet *fleet, size_t nhosts, unsigned n, const char *what,
		      double t0, double c0)
{
	struct fleet_snapshot snap = { 0 };
	size_t good = 0, bad = 0;
	double t, c;

	/* Woken by the store, as the screen is: no polling loop of our own
	 * to take CPU from the engine. */
	while (fleet_hosts_polled(fleet, n) < nhosts && sweep_now() - t0 < 300) {
		struct pollfd pfd = { .fd = fleet_wake_fd(fleet), .events = POLLIN };

		poll(&pfd, 1, 100);
		fleet_wake_drain(fleet);
	}
	t = sweep_now() - t0;
	c = sweep_cpu() - c0;
	fleet_snapshot_take(fleet, &snap);
	for (size_t i = 0; i < snap.nhosts; i++) {
		const struct fleet_host *h = &snap.hosts[i];
		size_t temps = 0;

		for (size_t g = 0; g < h->data.ngpus; g++)
			temps += fleet_has(h->data.gpus[g].temperature_c);
		if (!h->error[0] && h->has_data && h->data.ngpus == 8 && temps == 8) {
			good++;
		} else {
			if (bad < 5)
				fprintf(stderr, "bench_sweep: %s: %s (%zu GPUs, %zu temperatures)\n",
					h->name, h->error[0] ? h->error : "incomplete", h->data.ngpus,
					temps);
			bad++;
		}
	}
	printf("%s %.3f %.3f %zu %zu\n", what, t, c, good, bad);
	if (n == 1 && snap.nhosts)   /* what bench_frame fills its hosts with */
		fprintf(stderr, "bench_sweep: first host: %zu GPUs, %zu sensors, %zu log entries\n",
			snap.hosts[0].data.ngpus, snap.hosts[0].data.nsensors,
			snap.hosts[0].data.nevents);
	fflush(stdout);
	fleet_snapshot_free(&snap);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct inventory inv;
	struct engine_config cfg;
	struct fleet *fleet;
	struct engine *e;
	int warm, rc;
	char what[16];

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: bench_sweep MANIFEST WARM MAX_TOTAL PER_HOST [CAFILE]\n");
		return 2;
	}
	if (inventory_load(argv[1], NULL, &inv) < 0 || inv.nhosts == 0) {
		fprintf(stderr, "bench_sweep: %s: %s\n", argv[1],
			inv.nerrors ? inv.errors[0] : "no hosts");
		return 1;
	}
	warm = atoi(argv[2]);
	engine_config_defaults(&cfg);
	cfg.poll_interval_s = 3600;   /* only the polls asked for here */
	cfg.timeout_ms = 30000;
	if (atoi(argv[3]) > 0)
		cfg.max_total = atoi(argv[3]);
	if (atoi(argv[4]) > 0)
		cfg.max_per_host = atoi(argv[4]);
	cfg.ca_file = argc == 6 ? argv[5] : NULL;
	fleet = fleet_new();
	e = engine_new(fleet, &inv, &cfg);
	if (!e)
		return 1;
	double t0 = sweep_now(), c0 = sweep_cpu();

	engine_start(e);
	rc = sweep_wait(fleet, inv.nhosts, 1, "cold", t0, c0);
	for (int w = 1; w <= warm; w++) {
		t0 = sweep_now();
		c0 = sweep_cpu();
		for (size_t i = 0; i < inv.nhosts; i++)
			engine_request(e, i, ENGINE_ACTION_POLL_NOW);
		snprintf(what, sizeof(what), "warm%d", w);
		rc |= sweep_wait(fleet, inv.nhosts, 1 + (unsigned)w, what, t0, c0);
	}
	engine_free(e);
	fleet_free(fleet);
	inventory_free(&inv);
	return rc;
}

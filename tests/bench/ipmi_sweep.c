/* ipmi_sweep MANIFEST WORKERS SDR_DIR [--sensors-only]: one sweep of every
 * host in MANIFEST with racktop's engine (the real backend, on a worker
 * pool of WORKERS threads), timed from engine start until every host
 * has finished its first poll. Prints "seconds good failed". Used by
 * tests/bench/ipmi_sweep.sh; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fleet.h"
#include "inventory.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct inventory inv;
	struct engine_config cfg;
	struct fleet *fleet;
	struct engine *e;
	struct fleet_snapshot snap = { 0 };
	size_t good = 0, bad = 0;
	double t0, t;

	if (argc != 4) {
		fprintf(stderr, "usage: ipmi_sweep MANIFEST WORKERS SDR_DIR\n");
		return 2;
	}
	if (inventory_load(argv[1], NULL, &inv) < 0 || inv.nhosts == 0) {
		fprintf(stderr, "ipmi_sweep: %s: %s\n", argv[1],
			inv.nerrors ? inv.errors[0] : "no hosts");
		return 1;
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
	fleet_snapshot_take(fleet, &snap);
	for (size_t i = 0; i < snap.nhosts; i++) {
		if (snap.hosts[i].has_data && snap.hosts[i].data.ngpus == 8)
			good++;
		else {
			bad++;
			fprintf(stderr, "ipmi_sweep: %s: %s\n", snap.hosts[i].name, snap.hosts[i].error);
		}
	}
	printf("%.3f %zu %zu\n", t, good, bad);
	fleet_snapshot_free(&snap);
	engine_free(e);
	fleet_free(fleet);
	inventory_free(&inv);
	return bad ? 1 : 0;
}

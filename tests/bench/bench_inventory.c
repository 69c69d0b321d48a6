/* Loading a large inventory: N Hardware + Machine pairs and one Secret,
 * the shape tests/unit/test_inventory's ten_thousand_hosts checks for
 * correctness. Prints the time of each of R loads and the best; asserts
 * nothing (doc/benchmarks.md).
 *   tests/bench/bench_inventory [HOSTS [RUNS]]      (default 10000 5) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "inventory.h"

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, runs = argc > 2 ? atoi(argv[2]) : 5;
	char dir[] = "/tmp/racktop-bench-inv.XXXXXX", path[64];
	double best = 1e9;
	FILE *f;

	if (n < 1 || n > 65536 || runs < 1 || !mkdtemp(dir))
		return 2;
	snprintf(path, sizeof path, "%s/fleet.yaml", dir);
	if (!(f = fopen(path, "w")))
		return 1;
	for (int i = 0; i < n; i++)
		fprintf(f,
			"apiVersion: tinkerbell.org/v1alpha1\nkind: Hardware\nmetadata:\n  name: node-%05d\n"
			"  namespace: fleet\nspec:\n  bmcRef:\n    apiGroup: bmc.tinkerbell.org\n    kind: Machine\n"
			"    name: bmc-%05d\n  interfaces:\n  - dhcp:\n      mac: 02:00:00:00:%02x:%02x\n"
			"      ip: {address: 10.1.%d.%d}\n---\n"
			"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata:\n  name: bmc-%05d\n"
			"  namespace: fleet\nspec:\n  connection:\n    host: 10.0.%d.%d\n    insecureTLS: true\n"
			"    authSecretRef: {name: fleet-creds, namespace: fleet}\n---\n",
			i, i, i / 256, i % 256, i / 256, i % 256, i, i / 256, i % 256);
	fprintf(f, "apiVersion: v1\nkind: Secret\nmetadata: {name: fleet-creds, namespace: fleet}\n"
		   "data: {username: cm9vdA==, password: cGFzcw==}\n");
	if (fclose(f) != 0)
		return 1;
	for (int r = 0; r < runs; r++) {
		struct inventory inv;
		double t0 = bench_now(), secs;
		int rc = inventory_load(path, NULL, &inv);

		secs = bench_now() - t0;
		if (rc != 0 || inv.nhosts != (size_t)n) {
			fprintf(stderr, "bench_inventory: load failed (%zu hosts)\n", inv.nhosts);
			inventory_free(&inv);
			return 1;
		}
		inventory_free(&inv);
		printf("load %d: %d hosts in %.3f s\n", r + 1, n, secs);
		if (secs < best)
			best = secs;
	}
	printf("best of %d: %.3f s (%.1f us a host)\n", runs, best, best * 1e6 / n);
	unlink(path);
	rmdir(dir);
	return 0;
}

#include "fleet_wait.h"

#include <time.h>
#include <unistd.h>

static double fleet_wait_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool fleet_wait_for(struct fleet *f, struct fleet_snapshot *snap, double secs,
		    fleet_wait_cond cond, void *arg)
{
	double deadline = fleet_wait_now() + secs;

	do {
		fleet_snapshot_take(f, snap);
		if (cond(snap, arg))
			return true;
		usleep(50000);
	} while (fleet_wait_now() < deadline);
	fleet_snapshot_take(f, snap);
	return cond(snap, arg);
}

/* Time for the simulation: monotonic seconds drive the model, wall
 * time only stamps log entries and metric reports. */
#include "sim.h"

#include <stdio.h>

static double clock_started;

double sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sim_clock_start(void)
{
	clock_started = sim_now();
}

double sim_uptime(void)
{
	return sim_now() - clock_started;
}

void sim_iso8601(char *buf, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

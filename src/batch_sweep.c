/* Batch sweeps (batch_sweep.h). */
#include "batch_sweep.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "batch_signal.h"
#include "text.h"

int batch_sweep_select(struct inventory *inv, const char *re, char *err, size_t errlen)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	size_t k = 0, n = inv->nhosts;

	if (rc != 0) {
		char why[200];

		regerror(rc, &rx, why, sizeof(why));
		snprintf(err, errlen, "--hosts '%s': %s", re, why);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (regexec(&rx, inv->hosts[i].name, 0, NULL, 0) == 0)
			k++;
	if (k == 0) {
		regfree(&rx);
		snprintf(err, errlen, "--hosts '%s' matches no host (of %zu in the inventory)", re, n);
		return -1;
	}
	/* The others leave the inventory, their credentials wiped: the
	 * engine never polls them. */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (regexec(&rx, inv->hosts[i].name, 0, NULL, 0) == 0) {
			if (k != i)
				inv->hosts[k] = inv->hosts[i];
			k++;
			continue;
		}
		text_wipe_free(inv->hosts[i].username);
		text_wipe_free(inv->hosts[i].password);
	}
	regfree(&rx);
	inv->nhosts = k;
	return 0;
}

int batch_format_parse(const char *s, enum batch_format *out)
{
	if (s && !strcmp(s, "json"))
		*out = BATCH_FORMAT_JSON;
	else if (s && !strcmp(s, "table"))
		*out = BATCH_FORMAT_TABLE;
	else
		return -1;
	return 0;
}

int batch_write_table(FILE *out, const struct fleet_snapshot *snap)
{
	int w = 4;

	for (size_t i = 0; i < snap->nhosts; i++)
		if (!snap->hosts[i].gone && (int)strlen(snap->hosts[i].name) > w)
			w = (int)strlen(snap->hosts[i].name);
	fprintf(out, "%-*s  %-11s  %-8s  %4s  %7s  %s\n", w, "NAME", "POWER", "HEALTH", "GPUS",
		"HOTTEST", "ERROR");
	for (size_t i = 0; i < snap->nhosts; i++) {
		const struct fleet_host *h = &snap->hosts[i];
		double t = fleet_host_hottest_gpu(h);
		char hot[16] = "-";

		if (h->gone)
			continue;
		if (fleet_has(t))
			snprintf(hot, sizeof(hot), "%.0fC", t);
		fprintf(out, "%-*s  %-11s  %-8s  %4zu  %7s  %s\n", w, h->name,
			h->data.power == FLEET_POWER_UNKNOWN ? "-" : fleet_power_name(h->data.power),
			h->data.health == FLEET_HEALTH_UNKNOWN ? "-" : fleet_health_name(h->data.health),
			h->data.ngpus, hot, h->error[0] ? h->error : "-");
	}
	fputc('\n', out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int batch_write(FILE *out, const struct fleet_snapshot *snap, enum batch_format fmt, bool line)
{
	if (fmt == BATCH_FORMAT_TABLE)
		return batch_write_table(out, snap);
	return line ? batch_write_json_line(out, snap) : batch_write_json(out, snap);
}

static double batch_sweep_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int batch_sweep(struct fleet *fleet, int interval_s, enum batch_format fmt, FILE *out)
{
	struct fleet_snapshot snap = { 0 };
	double next = batch_sweep_now();
	int rc = 0;

	while (!batch_signal_caught()) {
		double now = batch_sweep_now();
		char status[FLEET_ERR];

		if (now < next) {
			/* The store's wake pipe is drained so it never fills;
			 * the sweep itself keeps to the clock. */
			double left = next - now;

			if (batch_signal_wait(fleet, left > 1 ? 1000 : (int)ceil(left * 1000)))
				break;
			continue;
		}
		next += interval_s;
		if (next < now)
			next = now + interval_s;
		if (fleet_source_status(fleet, status, sizeof(status)))
			fprintf(stderr, "racktop: %s\n", status);
		fleet_snapshot_take(fleet, &snap);
		if (batch_write(out, &snap, fmt, true) < 0) {
			rc = 1;
			break;
		}
	}
	fleet_snapshot_free(&snap);
	if (batch_signal_caught())
		return BATCH_SIGNAL_EXIT;
	return rc;
}

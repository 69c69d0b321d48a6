/* Batch mode: the snapshot as JSON, built with jansson. What a BMC did
 * not report is null (never 0 or ""), whole numbers are integers. */
#include "batch.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static json_t *batch_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *batch_num(double v)
{
	if (!fleet_has(v) || isinf(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *batch_health(enum fleet_health h)
{
	return h == FLEET_HEALTH_UNKNOWN ? json_null() : json_string(fleet_health_name(h));
}

static json_t *batch_gpu(const struct fleet_gpu *g)
{
	json_t *o = json_object();

	json_object_set_new(o, "index", json_integer(g->index));
	/* The BMC's name for it (GPU_SXM_1) and its Redfish Status.State:
	 * "Absent" is a GPU fallen off the bus, whatever its health. */
	json_object_set_new(o, "name", batch_str(g->id));
	json_object_set_new(o, "state", batch_str(g->state));
	json_object_set_new(o, "model", batch_str(g->model));
	json_object_set_new(o, "serial", batch_str(g->serial));
	json_object_set_new(o, "uuid", batch_str(g->uuid));
	json_object_set_new(o, "firmware", batch_str(g->firmware));
	json_object_set_new(o, "temperature_c", batch_num(g->temperature_c));
	json_object_set_new(o, "power_w", batch_num(g->power_w));
	json_object_set_new(o, "power_limit_w", batch_num(g->power_limit_w));
	json_object_set_new(o, "utilization_pct", batch_num(g->utilization_pct));
	json_object_set_new(o, "memory_used_mib", batch_num(g->memory_used_mib));
	json_object_set_new(o, "memory_total_mib", batch_num(g->memory_total_mib));
	json_object_set_new(o, "ecc_corrected", batch_num(g->ecc_corrected));
	json_object_set_new(o, "ecc_uncorrected", batch_num(g->ecc_uncorrected));
	json_object_set_new(o, "health", batch_health(g->health));
	return o;
}

void batch_time_iso(char *buf, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *batch_host(const struct fleet_host *h, time_t now)
{
	json_t *o = json_object(), *gpus = json_array();
	char at[32];

	json_object_set_new(o, "name", batch_str(h->name));
	json_object_set_new(o, "bmc", batch_str(h->bmc));
	json_object_set_new(o, "protocol", json_string(fleet_protocol_name(h->protocol)));
	json_object_set_new(o, "power", h->data.power == FLEET_POWER_UNKNOWN
						? json_null()
						: json_string(fleet_power_name(h->data.power)));
	json_object_set_new(o, "health", batch_health(h->data.health));
	json_object_set_new(o, "error", batch_str(h->error));
	/* The readings above are from the last good poll: after a failed
	 * one they are not the host's state now (stale), and this old. */
	json_object_set_new(o, "stale", json_boolean(fleet_host_stale(h)));
	json_object_set_new(o, "data_age_s", h->has_data && h->last_good
			    ? json_integer(now > h->last_good ? (json_int_t)(now - h->last_good) : 0)
			    : json_null());
	/* When its last poll, good or bad, ended: a sweep's lines apart. */
	if (h->polled_at)
		batch_time_iso(at, sizeof(at), h->polled_at);
	json_object_set_new(o, "polled_at", h->polled_at ? json_string(at) : json_null());
	for (size_t i = 0; i < h->data.ngpus; i++)
		json_array_append_new(gpus, batch_gpu(&h->data.gpus[i]));
	json_object_set_new(o, "gpus", gpus);
	return o;
}

static int batch_write_flags(FILE *out, const struct fleet_snapshot *snap, size_t flags)
{
	json_t *a = json_array();
	time_t now = time(NULL);
	int rc;

	if (!a)
		return -1;
	for (size_t i = 0; i < snap->nhosts; i++)
		if (!snap->hosts[i].gone)   /* deleted in the cluster (kube mode) */
			json_array_append_new(a, batch_host(&snap->hosts[i], now));
	rc = json_dumpf(a, out, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	json_decref(a);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	if (fflush(out) != 0)
		rc = -1;
	return rc == 0 ? 0 : -1;
}

int batch_write_json(FILE *out, const struct fleet_snapshot *snap)
{
	return batch_write_flags(out, snap, JSON_INDENT(2));
}

int batch_write_json_line(FILE *out, const struct fleet_snapshot *snap)
{
	return batch_write_flags(out, snap, JSON_COMPACT);
}

size_t batch_mark_unpolled(struct fleet_snapshot *snap, const char *why)
{
	size_t k = 0;

	for (size_t i = 0; i < snap->nhosts; i++) {
		struct fleet_host *h = &snap->hosts[i];

		if (h->polls > 0 || h->has_data || h->error[0])
			continue;
		snprintf(h->error, sizeof(h->error), "not polled: %s", why);
		k++;
	}
	return k;
}

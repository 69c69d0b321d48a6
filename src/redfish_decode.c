/* Redfish JSON -> fleet structs. Everything here is untrusted: each value
 * is type-checked (a wrong type is an error naming the URL and the
 * property), a missing or null value stays NAN or "", and every string
 * goes through text_clean(). */
#include "redfish.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_yajl.h"
#include "text.h"

void rf_set(char **dst, const char *src)
{
	free(*dst);
	*dst = src && *src ? strdup(src) : NULL;
}

void rf_fail(struct rf_doc *d, const char *fmt, ...)
{
	char what[FLEET_ERR];
	va_list ap;

	if (!d->err || d->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	http_fmt(d->err, d->errlen, "%s: %s", d->url, what);
}

json_t *rf_parse(const struct http_req *r, char *err, size_t errlen)
{
	return json_yajl_answer(r->url, r->resp, r->resp_len, JSON_REJECT_DUPLICATES, err, errlen);
}

json_t *rf_answer(const struct http_req *r, char *err, size_t errlen)
{
	if (r->error[0]) {
		text_copy(err, errlen, r->error);
		return NULL;
	}
	if (r->status < 200 || r->status >= 300) {
		char st[64];

		http_status_text(r->status, st, sizeof(st));
		http_fmt(err, errlen, "%s: %s", r->url, st);
		return NULL;
	}
	return rf_parse(r, err, errlen);
}

static const char *rf_type_name(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* O's KEY when it has type WANT (JSON_REAL: any number); NULL when
 * absent or null; NULL and an error naming KEY when of another type. */
static json_t *rf_typed(struct rf_doc *d, json_t *o, const char *key, json_type want)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	static const char *const names[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_REAL] = "a number",
	};

	if (!v || json_is_null(v))
		return NULL;
	if (want == JSON_REAL ? !json_is_number(v) : json_typeof(v) != want) {
		rf_fail(d, "%s is %s, expected %s", key, rf_type_name(v), names[want]);
		return NULL;
	}
	return v;
}

const char *rf_str(struct rf_doc *d, json_t *o, const char *key)
{
	return json_string_value(rf_typed(d, o, key, JSON_STRING));
}

double rf_num(struct rf_doc *d, json_t *o, const char *key)
{
	json_t *v = rf_typed(d, o, key, JSON_REAL);

	return v ? json_number_value(v) : NAN;
}

json_t *rf_obj(struct rf_doc *d, json_t *o, const char *key)
{
	return rf_typed(d, o, key, JSON_OBJECT);
}

json_t *rf_arr(struct rf_doc *d, json_t *o, const char *key)
{
	return rf_typed(d, o, key, JSON_ARRAY);
}

const char *rf_link(struct rf_doc *d, json_t *o, const char *key)
{
	json_t *l = rf_obj(d, o, key);

	return l ? rf_str(d, l, "@odata.id") : NULL;
}

json_t *rf_members(struct rf_doc *d, json_t *o)
{
	json_t *m = json_object_get(o, "Members");

	if (!m) {
		rf_fail(d, "no Members (not a collection)");
		return NULL;
	}
	if (!json_is_array(m)) {
		rf_fail(d, "Members is %s, expected an array", rf_type_name(m));
		return NULL;
	}
	return m;
}

bool rf_expanded(json_t *member)
{
	return json_is_object(member) && json_object_size(member) > 2 &&
	       (json_object_get(member, "Id") || json_object_get(member, "@odata.type"));
}

/* The last run of digits in ID, or -1: GPU_SXM_1 -> 1, GPU0 -> 0. */
int rf_id_number(const char *id)
{
	const char *end = NULL;
	long v;

	if (!id)
		return -1;
	for (const char *p = id; *p; p++)
		if (isdigit((unsigned char)*p))
			end = p;
	if (!end)
		return -1;
	while (end > id && isdigit((unsigned char)end[-1]))
		end--;
	v = strtol(end, NULL, 10);
	return v > 100000 ? -1 : (int)v;
}

static void rf_clean(char *dst, size_t n, const char *src)
{
	if (src)
		text_clean(dst, n, src);
}

static enum fleet_health rf_health(struct rf_doc *d, json_t *status, bool rollup)
{
	const char *h = NULL;

	if (rollup)
		h = rf_str(d, status, "HealthRollup");
	if (!h)
		h = rf_str(d, status, "Health");
	return fleet_health_parse(h);
}

void rf_decode_system(struct rf_doc *d, json_t *o, struct fleet_host_data *data, bool main)
{
	json_t *st = rf_obj(d, o, "Status");
	enum fleet_health hl = rf_health(d, st, true);
	const char *ps = rf_str(d, o, "PowerState");

	if (hl > data->health)
		data->health = hl;
	if (!main)
		return;
	if (ps)
		data->power = fleet_power_parse(ps);
	rf_clean(data->vendor, sizeof(data->vendor), rf_str(d, o, "Manufacturer"));
	rf_clean(data->model, sizeof(data->model), rf_str(d, o, "Model"));
	rf_clean(data->serial, sizeof(data->serial), rf_str(d, o, "SerialNumber"));
	rf_clean(data->bios_version, sizeof(data->bios_version), rf_str(d, o, "BiosVersion"));
}

void rf_decode_gpu_status(struct rf_doc *d, json_t *o, struct fleet_gpu *g)
{
	json_t *st = rf_obj(d, o, "Status");

	rf_clean(g->state, sizeof(g->state), rf_str(d, st, "State"));
	g->health = rf_health(d, st, false);
	rf_clean(g->firmware, sizeof(g->firmware), rf_str(d, o, "FirmwareVersion"));
}

void rf_decode_gpu_static(struct rf_doc *d, json_t *o, struct rf_gpu *rg)
{
	struct fleet_gpu *g = &rg->st;
	json_t *ms = rf_obj(d, o, "MemorySummary");
	const char *id = rf_str(d, o, "Id");

	rf_clean(g->id, sizeof(g->id), id);
	rf_clean(g->model, sizeof(g->model), rf_str(d, o, "Model"));
	rf_clean(g->serial, sizeof(g->serial), rf_str(d, o, "SerialNumber"));
	rf_clean(g->uuid, sizeof(g->uuid), rf_str(d, o, "UUID"));
	rf_decode_gpu_status(d, o, g);
	rg->num = rf_id_number(id);
	g->memory_total_mib = rf_num(d, ms, "TotalMemorySizeMiB");
	rf_set(&rg->env, rf_link(d, o, "EnvironmentMetrics"));
	rf_set(&rg->metrics, rf_link(d, o, "Metrics"));
	rf_set(&rg->memmetrics, rf_link(d, ms, "Metrics"));
}

/* Reading of a property like TemperatureCelsius {Reading, DataSourceUri}. */
static double rf_reading(struct rf_doc *d, json_t *o, const char *key, const char *field,
			 char **src)
{
	json_t *v = rf_obj(d, o, key);

	if (src && v)
		rf_set(src, rf_str(d, v, "DataSourceUri"));
	return rf_num(d, v, field);
}

void rf_decode_env(struct rf_doc *d, json_t *o, struct fleet_gpu *g, struct rf_gpu *rg)
{
	double lim;

	g->temperature_c = rf_reading(d, o, "TemperatureCelsius", "Reading",
				      rg ? &rg->temp_src : NULL);
	g->power_w = rf_reading(d, o, "PowerWatts", "Reading", rg ? &rg->power_src : NULL);
	lim = rf_reading(d, o, "PowerLimitWatts", "SetPoint", NULL);
	if (!fleet_has(lim))
		lim = rf_reading(d, o, "PowerLimitWatts", "Reading", NULL);
	g->power_limit_w = lim;
}

static void rf_decode_ecc(struct rf_doc *d, json_t *lifetime, struct fleet_gpu *g)
{
	double c = rf_num(d, lifetime, "CorrectableECCErrorCount");
	double u = rf_num(d, lifetime, "UncorrectableECCErrorCount");

	if (fleet_has(c))
		g->ecc_corrected = c;
	if (fleet_has(u))
		g->ecc_uncorrected = u;
}

void rf_decode_proc_metrics(struct rf_doc *d, json_t *o, struct fleet_gpu *g, double *cc,
			    double *cu)
{
	json_t *cache = rf_obj(d, o, "CacheMetricsTotal");
	json_t *life = rf_obj(d, cache, "LifeTime");

	g->utilization_pct = rf_num(d, o, "BandwidthPercent");
	*cc = rf_num(d, life, "CorrectableECCErrorCount");
	*cu = rf_num(d, life, "UncorrectableECCErrorCount");
}

void rf_decode_mem_metrics(struct rf_doc *d, json_t *o, struct fleet_gpu *g)
{
	double pct = rf_num(d, o, "CapacityUtilizationPercent");

	if (fleet_has(pct) && fleet_has(g->memory_total_mib)) {
		/* MiB are whole; the percentage is the BMC's rounding anyway. */
		double used = round(g->memory_total_mib * pct / 100.0);

		/* Two huge figures make inf, which is no reading. */
		if (isfinite(used))
			g->memory_used_mib = used;
	}
	rf_decode_ecc(d, rf_obj(d, o, "LifeTime"), g);
}

static void rf_sensor_add(struct rf_sensors *s, const char *name, enum fleet_sensor_kind k,
			  double reading, const char *units, enum fleet_health h, int prio)
{
	struct fleet_sensor *v;

	if (s->n >= 4 * RF_MAX_SENSORS && prio >= 3)
		return;
	if (s->n >= 16 * RF_MAX_SENSORS)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;

		s->v = realloc(s->v, cap * sizeof(*s->v));
		s->prio = realloc(s->prio, cap * sizeof(*s->prio));
		if (!s->v || !s->prio)
			abort();
		s->cap = cap;
	}
	v = &s->v[s->n];
	memset(v, 0, sizeof(*v));
	text_clean(v->name, sizeof(v->name), name);
	v->kind = k;
	v->reading = reading;
	text_clean(v->units, sizeof(v->units), units);
	v->health = h;
	s->prio[s->n++] = prio;
}

void rf_decode_thermal(struct rf_doc *d, json_t *o, struct rf_sensors *s)
{
	json_t *a, *e;
	size_t i;

	a = rf_arr(d, o, "Temperatures");
	json_array_foreach(a, i, e) {
		const char *name = rf_str(d, e, "Name");
		const char *ctx = rf_str(d, e, "PhysicalContext");
		double v = rf_num(d, e, "ReadingCelsius");
		bool intake = ctx && (!strcmp(ctx, "Intake") || !strcmp(ctx, "Room"));

		if (!name || !*name || !json_is_object(e))
			continue;
		rf_sensor_add(s, name, FLEET_SENSOR_TEMP, v, "Cel",
			      rf_health(d, rf_obj(d, e, "Status"), false), intake ? 1 : 3);
	}
	a = rf_arr(d, o, "Fans");
	json_array_foreach(a, i, e) {
		const char *name = rf_str(d, e, "Name");
		double v = rf_num(d, e, "Reading");
		const char *u = rf_str(d, e, "ReadingUnits");

		if (!name)
			name = rf_str(d, e, "FanName");
		if (!fleet_has(v)) {
			v = rf_num(d, e, "ReadingRPM");
			u = "RPM";
		}
		if (!name || !*name || !json_is_object(e))
			continue;
		rf_sensor_add(s, name, FLEET_SENSOR_FAN, v, u ? u : "RPM",
			      rf_health(d, rf_obj(d, e, "Status"), false), 2);
	}
}

void rf_decode_power(struct rf_doc *d, json_t *o, struct rf_sensors *s)
{
	json_t *a, *e;
	size_t i;

	a = rf_arr(d, o, "PowerControl");
	json_array_foreach(a, i, e) {
		const char *name = rf_str(d, e, "Name");

		if (!json_is_object(e))
			continue;
		rf_sensor_add(s, name && *name ? name : "Power consumed", FLEET_SENSOR_POWER,
			      rf_num(d, e, "PowerConsumedWatts"), "W",
			      rf_health(d, rf_obj(d, e, "Status"), false), 0);
	}
	a = rf_arr(d, o, "PowerSupplies");
	json_array_foreach(a, i, e) {
		const char *name = rf_str(d, e, "Name");
		double v = rf_num(d, e, "PowerInputWatts");

		if (!fleet_has(v))
			v = rf_num(d, e, "LastPowerOutputWatts");
		if (!json_is_object(e))
			continue;
		rf_sensor_add(s, name && *name ? name : "PSU", FLEET_SENSOR_POWER, v, "W",
			      rf_health(d, rf_obj(d, e, "Status"), false), 0);
	}
	a = rf_arr(d, o, "Voltages");
	json_array_foreach(a, i, e) {
		const char *name = rf_str(d, e, "Name");

		if (!name || !*name || !json_is_object(e))
			continue;
		rf_sensor_add(s, name, FLEET_SENSOR_VOLTAGE, rf_num(d, e, "ReadingVolts"), "V",
			      rf_health(d, rf_obj(d, e, "Status"), false), 4);
	}
}

void rf_decode_sensor(struct rf_doc *d, json_t *o, struct rf_sensors *s)
{
	const char *type = rf_str(d, o, "ReadingType");
	const char *name = rf_str(d, o, "Name");
	const char *units = rf_str(d, o, "ReadingUnits");
	const char *ctx = rf_str(d, o, "PhysicalContext");
	enum fleet_sensor_kind k = FLEET_SENSOR_OTHER;
	int prio = 4;

	if (!name || !*name)
		name = rf_str(d, o, "Id");
	if (!name)
		return;
	if (type && !strcmp(type, "Temperature")) {
		k = FLEET_SENSOR_TEMP;
		prio = ctx && !strcmp(ctx, "Intake") ? 1 : 3;
	} else if (type && (!strcmp(type, "Power") || !strcmp(type, "EnergyJoules"))) {
		k = FLEET_SENSOR_POWER;
		prio = 0;
	} else if (type && !strcmp(type, "Voltage")) {
		k = FLEET_SENSOR_VOLTAGE;
	} else if (type && (!strcmp(type, "Rotational") || (ctx && !strcmp(ctx, "Fan")))) {
		k = FLEET_SENSOR_FAN;
		prio = 2;
	}
	rf_sensor_add(s, name, k, rf_num(d, o, "Reading"), units ? units : "",
		      rf_health(d, rf_obj(d, o, "Status"), false), prio);
}

static int rf_prio_cmp_idx(const void *a, const void *b, void *arg)
{
	const int *prio = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (prio[x] != prio[y])
		return prio[x] - prio[y];
	return x < y ? -1 : x > y;
}

void rf_sensors_finish(struct rf_sensors *s, struct fleet_host_data *data)
{
	size_t n = s->n < RF_MAX_SENSORS ? s->n : RF_MAX_SENSORS;
	size_t *idx;

	free(data->sensors);
	data->sensors = NULL;
	data->nsensors = 0;
	if (s->n) {
		/* Most useful first (power, inlet, fans), stable within a kind. */
		idx = malloc(s->n * sizeof(*idx));
		data->sensors = malloc(n * sizeof(*data->sensors));
		if (!idx || !data->sensors)
			abort();
		for (size_t i = 0; i < s->n; i++)
			idx[i] = i;
		qsort_r(idx, s->n, sizeof(*idx), rf_prio_cmp_idx, s->prio);
		for (size_t i = 0; i < n; i++)
			data->sensors[i] = s->v[idx[i]];
		data->nsensors = n;
		free(idx);
	}
	free(s->v);
	free(s->prio);
	memset(s, 0, sizeof(*s));
}

/* Which GPU a sensor is about: the number after the last "gpu" in its
 * Id or Name (HPE: GPUSubsystemGPU0Temperature, "gpu0 Temperature"). */
static int rf_gpu_number(const char *s)
{
	const char *hit = NULL;

	if (!s)
		return -1;
	for (const char *p = s; (p = strcasestr(p, "gpu")); p += 3)
		if (isdigit((unsigned char)p[3]))
			hit = p + 3;
	return hit ? atoi(hit) : -1;
}

bool rf_gpu_sensor(json_t *o, int *num, bool *is_temp, double *value)
{
	json_t *ctx = json_object_get(o, "PhysicalContext");
	json_t *type = json_object_get(o, "ReadingType");
	json_t *v = json_object_get(o, "Reading");
	const char *id = json_string_value(json_object_get(o, "Id"));
	const char *name = json_string_value(json_object_get(o, "Name"));

	if (!json_is_string(ctx) || strcmp(json_string_value(ctx), "GPU") != 0)
		return false;
	if (!v)
		v = json_object_get(o, "ReadingCelsius");
	if (!json_is_number(v))
		return false;
	*num = rf_gpu_number(id);
	if (*num < 0)
		*num = rf_gpu_number(name);
	if (*num < 0)
		return false;
	if (json_is_string(type))
		*is_temp = strcmp(json_string_value(type), "Temperature") == 0;
	else
		*is_temp = json_object_get(o, "ReadingCelsius") != NULL;
	if (json_is_string(type) && !*is_temp && strcmp(json_string_value(type), "Power") != 0)
		return false;
	*value = json_number_value(v);
	return true;
}

/* The dynamic part of a poll: what changes between polls, read from the
 * static tree in one step of parallel GETs (systems, each GPU's status
 * and metrics, the telemetry report, chassis sensors, log entries), then
 * merged: a GPU reading found in several places keeps its best source. */
#include "redfish_poll.h"

#include <stdlib.h>
#include <string.h>

static void rf_refresh_system(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			      intptr_t ctx)
{
	rf_decode_system(d, o, &p->data, (int)ctx == p->t->main_sys);
}

static void rf_refresh_gpu(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx)
{
	rf_decode_gpu_status(d, o, &p->g[ctx]);
}

static void rf_refresh_env(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx)
{
	rf_decode_env(d, o, &p->g[ctx], p->discover ? &p->t->gpus[ctx] : NULL);
}

static void rf_refresh_proc_metrics(struct rf_poll *p, json_t *o, struct rf_doc *d,
				    const char *path, intptr_t ctx)
{
	rf_decode_proc_metrics(d, o, &p->g[ctx], &p->cache_ecc[2 * ctx], &p->cache_ecc[2 * ctx + 1]);
}

static void rf_refresh_mem_metrics(struct rf_poll *p, json_t *o, struct rf_doc *d,
				   const char *path, intptr_t ctx)
{
	rf_decode_mem_metrics(d, o, &p->g[ctx]);
}

static void rf_refresh_gpu_reading(struct rf_poll *p, json_t *o, int sys)
{
	int num;
	bool temp;
	double v;

	if (p->ngr < sizeof(p->gr) / sizeof(p->gr[0]) && rf_gpu_sensor(o, &num, &temp, &v))
		p->gr[p->ngr++] = (struct rf_gpu_reading){ sys, num, temp, v };
}

static void rf_refresh_thermal(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	json_t *a = rf_arr(d, o, "Temperatures"), *e;
	size_t i;

	rf_decode_thermal(d, o, &p->sens);
	json_array_foreach(a, i, e)
		rf_refresh_gpu_reading(p, e, p->t->chassis[ctx].sys);
}

static void rf_refresh_power(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			     intptr_t ctx)
{
	rf_decode_power(d, o, &p->sens);
}

/* An expanded Sensors collection: host sensors and GPU readings. */
static void rf_refresh_sensors_all(struct rf_poll *p, json_t *o, struct rf_doc *d,
				   const char *path, intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_MEMBERS || !rf_expanded(e))
			break;
		rf_decode_sensor(d, e, &p->sens);
		rf_refresh_gpu_reading(p, e, p->t->chassis[ctx].sys);
	}
}

/* One GPU sensor, or an expanded collection of them. */
static void rf_refresh_gpu_sensor(struct rf_poll *p, json_t *o, struct rf_doc *d,
				  const char *path, intptr_t ctx)
{
	int sys = p->t->gpu_sensor_sys[ctx];
	json_t *m = json_object_get(o, "Members"), *e;
	size_t i;

	if (!json_is_array(m)) {
		rf_refresh_gpu_reading(p, o, sys);
		return;
	}
	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_MEMBERS)
			break;
		rf_refresh_gpu_reading(p, e, sys);
	}
}

static void rf_refresh_entries(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	rf_events_decode(d, o, &p->ev, (int)ctx);
}

/* The readings start as the tree's fixed facts, every reading unknown. */
static void rf_refresh_alloc(struct rf_poll *p)
{
	struct rf_tree *t = p->t;

	p->g = calloc(t->ngpus ? t->ngpus : 1, sizeof(*p->g));
	p->cache_ecc = calloc(2 * (t->ngpus ? t->ngpus : 1), sizeof(*p->cache_ecc));
	if (!p->g || !p->cache_ecc)
		abort();
	for (size_t i = 0; i < t->ngpus; i++) {
		struct fleet_gpu *g = &p->g[i];
		const struct fleet_gpu *s = &t->gpus[i].st;

		fleet_gpu_init(g, (int)i);
		memcpy(g->id, s->id, sizeof(g->id));
		memcpy(g->model, s->model, sizeof(g->model));
		memcpy(g->serial, s->serial, sizeof(g->serial));
		memcpy(g->uuid, s->uuid, sizeof(g->uuid));
		memcpy(g->firmware, s->firmware, sizeof(g->firmware));
		memcpy(g->state, s->state, sizeof(g->state));
		g->health = s->health;
		g->memory_total_mib = s->memory_total_mib;
		g->power_limit_w = s->power_limit_w;
		p->cache_ecc[2 * i] = p->cache_ecc[2 * i + 1] = NAN;
	}
}

void rf_refresh_step(struct rf_poll *p)
{
	struct rf_tree *t = p->t;

	rf_refresh_alloc(p);
	for (size_t i = 0; i < t->nsystems; i++)
		rf_poll_get(p, t->systems[i].url, false, rf_refresh_system, (intptr_t)i, false);
	for (size_t i = 0; i < t->ngpus; i++) {
		struct rf_gpu *g = &t->gpus[i];

		if (!p->discover)   /* discovery just read it */
			rf_poll_get(p, g->url, false, rf_refresh_gpu, (intptr_t)i, true);
		if (p->discover || !t->report_covers)
			rf_poll_get(p, g->env, false, rf_refresh_env, (intptr_t)i, true);
		rf_poll_get(p, g->metrics, false, rf_refresh_proc_metrics, (intptr_t)i, true);
		rf_poll_get(p, g->memmetrics, false, rf_refresh_mem_metrics, (intptr_t)i, true);
	}
	if (t->report && t->ngpus)
		rf_poll_get(p, t->report, false, rf_telemetry_report, 0, true);
	for (size_t i = 0; i < t->nchassis; i++) {
		struct rf_chassis *c = &t->chassis[i];

		rf_poll_get(p, c->thermal, false, rf_refresh_thermal, (intptr_t)i, true);
		rf_poll_get(p, c->power, false, rf_refresh_power, (intptr_t)i, true);
		if (!c->thermal && !c->power && c->sensors && t->expand)
			rf_poll_get(p, c->sensors, true, rf_refresh_sensors_all, (intptr_t)i, true);
	}
	for (size_t i = 0; i < t->ngpu_sensors; i++)
		rf_poll_get(p, t->gpu_sensors[i], false, rf_refresh_gpu_sensor, (intptr_t)i, true);
	for (size_t i = 0; i < t->nlogs; i++)
		rf_poll_get(p, t->logs[i], false, rf_refresh_entries, (intptr_t)i, true);
	p->next = NULL;
}

/* The GPU of system SYS whose Id carries NUM. */
static struct rf_gpu *rf_refresh_gpu_of(struct rf_poll *p, int sys, int num)
{
	for (size_t i = 0; i < p->t->ngpus; i++) {
		struct rf_gpu *g = &p->t->gpus[i];

		if (g->sys == sys && g->num == num)
			return g;
	}
	return NULL;
}

void rf_refresh_finish(struct rf_poll *p)
{
	struct rf_tree *t = p->t;

	/* GPU readings that only exist as chassis sensors. */
	for (size_t i = 0; i < p->ngr; i++) {
		struct rf_gpu_reading *r = &p->gr[i];
		struct rf_gpu *g = rf_refresh_gpu_of(p, r->sys, r->num);
		struct fleet_gpu *x;

		if (!g)
			continue;
		x = &p->g[g - t->gpus];
		if (r->temp && !fleet_has(x->temperature_c))
			x->temperature_c = r->v;
		if (!r->temp && !fleet_has(x->power_w))
			x->power_w = r->v;
	}
	for (size_t i = 0; i < t->ngpus; i++) {
		struct fleet_gpu *x = &p->g[i];

		if (!fleet_has(x->ecc_corrected))
			x->ecc_corrected = p->cache_ecc[2 * i];
		if (!fleet_has(x->ecc_uncorrected))
			x->ecc_uncorrected = p->cache_ecc[2 * i + 1];
		if (p->discover)
			t->gpus[i].st.power_limit_w = x->power_limit_w;
	}
}

/* The dynamic part of a poll: what changes between polls, read from the
 * static tree in steps of parallel GETs (systems, each GPU's status and
 * metrics, the telemetry report; then the chassis sensors when due; then
 * the event log when due), then merged: a GPU reading found in several
 * places keeps its best source.
 *
 * Requests cost more than their bytes (TLS, libcurl, the kernel: about
 * 0.2 ms of CPU each on the 2-core VM of doc/benchmarks.md), so where
 * the BMC advertises $expand a refresh asks for whole subtrees: the
 * Systems collection, each Processors collection with its GPUs' metrics
 * ($levels=2), each chassis with its Thermal and Power; and where it
 * advertises $select, for only the properties read here. Whatever an
 * answer lacks is fetched on its own in the same step, and the tree
 * remembers not to ask that BMC for the expansion (or the selection)
 * again: BMCs without them (or that ignore them) cost what they did.
 * What only the host view shows (chassis sensors; a GPU's memory, ECC
 * and power limit) is read every RF_SENSOR_POLLS polls, when health
 * or power changed, and every poll while the host view shows the host
 * (struct rf_host: focused); the store and the tree keep it in between. */
#include "redfish_poll.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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
	double lim = p->g[ctx].power_limit_w;

	rf_decode_env(d, o, &p->g[ctx], p->discover ? &p->t->gpus[ctx] : NULL);
	if (p->gpu_row)   /* not asked for: the tree's */
		p->g[ctx].power_limit_w = lim;
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

static void rf_refresh_gpu_reading(struct rf_poll *p, json_t *o, int sys, bool chassis)
{
	int num;
	bool temp;
	double v;

	if (p->ngr < sizeof(p->gr) / sizeof(p->gr[0]) && rf_gpu_sensor(o, &num, &temp, &v))
		p->gr[p->ngr++] = (struct rf_gpu_reading){ sys, num, temp, chassis, v };
}

static void rf_refresh_thermal(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	json_t *a = rf_arr(d, o, "Temperatures"), *e;
	size_t i;

	rf_decode_thermal(d, o, &p->sens);
	json_array_foreach(a, i, e)
		rf_refresh_gpu_reading(p, e, p->t->chassis[ctx].sys, true);
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
		rf_refresh_gpu_reading(p, e, p->t->chassis[ctx].sys, true);
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
		rf_refresh_gpu_reading(p, o, sys, false);
		return;
	}
	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_MEMBERS)
			break;
		rf_refresh_gpu_reading(p, e, sys, false);
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
		if (p->gpu_row) {
			g->memory_used_mib = s->memory_used_mib;
			g->ecc_corrected = s->ecc_corrected;
			g->ecc_uncorrected = s->ecc_uncorrected;
		}
		p->cache_ecc[2 * i] = p->cache_ecc[2 * i + 1] = NAN;
	}
}

/* ---- through $expand ---- */

/* Whether E is an expanded resource, not a link. With $select it may
 * hold no more than its @odata.id and @odata.type (a GPU without
 * readings): what the BMC left out is simply not there. */
static bool rf_refresh_is_expanded(const struct rf_poll *p, json_t *e)
{
	if (rf_poll_selecting(p) && json_is_object(e) && json_object_size(e) >= 2 &&
	    (json_object_get(e, "@odata.type") || json_object_get(e, "Id")))
		return true;
	return rf_expanded(e);
}

/* An expanded answer lacked what it should hold: with $select that may
 * be the BMC's way with $select, so ask without it from now on; else
 * FLAG (this BMC does not expand that). */
static void rf_refresh_lacking(struct rf_poll *p, bool *flag)
{
	if (rf_poll_selecting(p))
		p->t->no_select = true;
	else
		*flag = true;
}

/* The path of expanded member E, when it is one. */
static const char *rf_refresh_expanded_path(struct rf_poll *p, json_t *e)
{
	if (!rf_refresh_is_expanded(p, e))
		return NULL;
	return rf_path_of(p->h, json_string_value(json_object_get(e, "@odata.id")));
}

/* The expanded Systems collection: each system of the tree in it. */
static void rf_refresh_systems_all(struct rf_poll *p, json_t *o, struct rf_doc *d,
				   const char *path, intptr_t ctx)
{
	struct rf_tree *t = p->t;
	json_t *m = json_object_get(o, "Members"), *e;   /* none: read each */
	bool seen[RF_MAX_SYSTEMS] = { false };
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_refresh_expanded_path(p, e);

		if (i >= RF_MAX_MEMBERS)
			break;
		for (size_t k = 0; mp && k < t->nsystems; k++) {
			if (!seen[k] && t->systems[k].url && !strcmp(t->systems[k].url, mp)) {
				rf_decode_system(d, e, &p->data, (int)k == t->main_sys);
				seen[k] = true;
			}
		}
	}
	for (size_t k = 0; k < t->nsystems; k++) {
		if (seen[k])
			continue;
		rf_refresh_lacking(p, &t->no_sys_expand);
		rf_poll_get(p, t->systems[k].url, false, rf_refresh_system, (intptr_t)k, false);
	}
}

enum { RF_GOT_STATUS = 1, RF_GOT_METRICS = 2, RF_GOT_ENV = 4, RF_GOT_MEM = 8 };

/* GPU K's resources that no expanded answer gave (GOT): one GET each. */
static void rf_refresh_gpu_rest(struct rf_poll *p, size_t k, unsigned got, bool report)
{
	struct rf_gpu *g = &p->t->gpus[k];

	if (!(got & RF_GOT_STATUS) && !p->discover)   /* discovery just read it */
		rf_poll_get(p, g->url, false, rf_refresh_gpu, (intptr_t)k, true);
	if (!(got & RF_GOT_ENV) && (p->discover || !report || !p->t->report_covers))
		rf_poll_get(p, g->env, false, rf_refresh_env, (intptr_t)k, true);
	if (!(got & RF_GOT_METRICS))
		rf_poll_get(p, g->metrics, false, rf_refresh_proc_metrics, (intptr_t)k, true);
	if (!(got & RF_GOT_MEM))
		rf_poll_get(p, g->memmetrics, false, rf_refresh_mem_metrics, (intptr_t)k, true);
}

/* The GPU whose Processor is at PATH, or -1. */
static ssize_t rf_refresh_gpu_at(struct rf_poll *p, const char *path)
{
	for (size_t k = 0; path && k < p->t->ngpus; k++)
		if (p->t->gpus[k].url && !strcmp(p->t->gpus[k].url, path))
			return (ssize_t)k;
	return -1;
}

/* One expanded Processor of GPU K: its status and, with $levels=2, the
 * metrics resources inside it. Returns what it held. */
static unsigned rf_refresh_proc_all(struct rf_poll *p, json_t *e, struct rf_doc *d,
				    const char *path, size_t k)
{
	json_t *ms = json_object_get(e, "MemorySummary");
	json_t *x;
	unsigned got = RF_GOT_STATUS;

	rf_decode_gpu_status(d, e, &p->g[k]);
	if (p->gpu_row)   /* not asked for */
		got |= RF_GOT_MEM;
	if (rf_refresh_is_expanded(p, x = json_object_get(e, "Metrics"))) {
		rf_refresh_proc_metrics(p, x, d, path, (intptr_t)k);
		got |= RF_GOT_METRICS;
	}
	if (rf_refresh_is_expanded(p, x = json_object_get(e, "EnvironmentMetrics"))) {
		rf_refresh_env(p, x, d, path, (intptr_t)k);
		got |= RF_GOT_ENV;
	}
	if (json_is_object(ms) && rf_refresh_is_expanded(p, x = json_object_get(ms, "Metrics"))) {
		rf_refresh_mem_metrics(p, x, d, path, (intptr_t)k);
		got |= RF_GOT_MEM;
	}
	return got;
}

/* The expanded Processors collection of system CTX. */
static void rf_refresh_procs_all(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				 intptr_t ctx)
{
	struct rf_tree *t = p->t;
	json_t *m = json_object_get(o, "Members"), *e;   /* none: read each */
	unsigned got[RF_MAX_GPUS] = { 0 };
	bool deep = t->expand_levels >= 2 && !t->no_deep_expand;
	size_t i;

	json_array_foreach(m, i, e) {
		ssize_t k = rf_refresh_gpu_at(p, rf_refresh_expanded_path(p, e));

		if (i >= 4 * RF_MAX_GPUS)
			break;
		if (k >= 0 && !got[k])
			got[k] = rf_refresh_proc_all(p, e, d, path, (size_t)k);
	}
	for (size_t k = 0; k < t->ngpus; k++) {
		const struct rf_gpu *g = &t->gpus[k];

		if (g->sys != (int)ctx)
			continue;
		if (!got[k])
			rf_refresh_lacking(p, &t->no_proc_expand);
		else if (deep && ((g->metrics && !(got[k] & RF_GOT_METRICS)) ||
				  (g->env && !(got[k] & RF_GOT_ENV)) ||
				  (g->memmetrics && !(got[k] & RF_GOT_MEM))))
			rf_refresh_lacking(p, &t->no_deep_expand);
		rf_refresh_gpu_rest(p, k, got[k], !deep);
	}
}

/* An expanded chassis: its Thermal and Power inside it. */
static void rf_refresh_chassis_all(struct rf_poll *p, json_t *o, struct rf_doc *d,
				   const char *path, intptr_t ctx)
{
	struct rf_chassis *c = &p->t->chassis[ctx];
	json_t *th = json_object_get(o, "Thermal"), *pw = json_object_get(o, "Power");
	bool got_th = rf_refresh_is_expanded(p, th), got_pw = rf_refresh_is_expanded(p, pw);

	if (got_th)
		rf_refresh_thermal(p, th, d, path, ctx);
	if (got_pw)
		rf_refresh_power(p, pw, d, path, ctx);
	if (got_th && got_pw)
		return;
	rf_refresh_lacking(p, &p->t->no_chassis_expand);
	if (!got_th)
		rf_poll_get(p, c->thermal, false, rf_refresh_thermal, ctx, true);
	if (!got_pw)
		rf_poll_get(p, c->power, false, rf_refresh_power, ctx, true);
}

/* Whether system I holds a GPU that its Processors collection can give. */
static bool rf_refresh_has_gpus(const struct rf_tree *t, size_t i)
{
	for (size_t k = 0; k < t->ngpus; k++)
		if (t->gpus[k].sys == (int)i)
			return true;
	return false;
}

/* ---- the steps ---- */

static void rf_refresh_systems(struct rf_poll *p)
{
	struct rf_tree *t = p->t;

	if (t->expand && !t->no_sys_expand && t->nsystems > 1 && t->systems_coll) {
		rf_poll_get_select(p, t->systems_coll, RF_EXPAND, RF_SELECT_SYSTEMS,
				   rf_refresh_systems_all, 0, false);
		return;
	}
	for (size_t i = 0; i < t->nsystems; i++)
		rf_poll_get_select(p, t->systems[i].url, "", RF_SELECT_SYSTEM, rf_refresh_system,
				   (intptr_t)i, false);
}

/* Each GPU's status and metrics; true when the telemetry report is
 * still wanted for their temperatures. */
static bool rf_refresh_gpus(struct rf_poll *p)
{
	struct rf_tree *t = p->t;
	bool deep = t->expand_levels >= 2 && !t->no_deep_expand;
	bool by_coll[RF_MAX_SYSTEMS] = { false };

	/* Discovery has just read the Processors and learns from each
	 * resource on its own (telemetry sources): it keeps the plain GETs. */
	if (!p->discover && t->expand && !t->no_proc_expand) {
		for (size_t i = 0; i < t->nsystems; i++) {
			if (!t->systems[i].processors || !rf_refresh_has_gpus(t, i))
				continue;
			by_coll[i] = true;
			/* $select only with both levels: it names the metrics. */
			if (deep)
				rf_poll_get_select(p, t->systems[i].processors, RF_EXPAND2,
						   p->gpu_row ? RF_SELECT_GPUS_ROW : RF_SELECT_GPUS,
						   rf_refresh_procs_all, (intptr_t)i, true);
			else
				rf_poll_get_query(p, t->systems[i].processors, RF_EXPAND,
						  rf_refresh_procs_all, (intptr_t)i, true);
		}
	} else {
		deep = false;
	}
	for (size_t k = 0; k < t->ngpus; k++)
		if (t->gpus[k].sys < 0 || t->gpus[k].sys >= RF_MAX_SYSTEMS || !by_coll[t->gpus[k].sys])
			rf_refresh_gpu_rest(p, k, 0, true);
	return !deep;
}

static void rf_refresh_logs(struct rf_poll *p)
{
	struct rf_host *h = p->h;

	for (size_t i = 0; i < p->t->nlogs; i++)
		rf_poll_get(p, p->t->logs[i], false, rf_refresh_entries, (intptr_t)i, true);
	h->log_gen_read = h->log_gen;
	h->polls_since_log = 0;
}

/* The event log, after the rest: read when what it records changed, an
 * action was taken, RF_LOG_POLLS polls went by, or the host is focused;
 * else the store keeps the events it has. */
static void rf_refresh_step_logs(struct rf_poll *p)
{
	struct rf_host *h = p->h;
	uint32_t sig = rf_refresh_sig(p);

	if (sig != h->log_sig)
		h->gpu_full_due = true;   /* the host view's GPU readings too, next poll */
	if (!h->focused && sig == h->log_sig && h->log_gen == h->log_gen_read &&
	    ++h->polls_since_log < RF_LOG_POLLS) {
		p->data.events_kept = true;
		return;
	}
	h->log_sig = sig;
	rf_refresh_logs(p);
}

/* The systems' power and health (HealthRollup where given). */
static uint32_t rf_refresh_sys_sig(const struct rf_poll *p)
{
	uint32_t h = HASH_FNV1A_INIT;

	h = hash_fnv1a(h, &p->data.power, sizeof(p->data.power));
	return hash_fnv1a(h, &p->data.health, sizeof(p->data.health));
}

/* The health of this poll's sensors. */
static uint32_t rf_refresh_sens_sig(const struct rf_poll *p)
{
	uint32_t h = HASH_FNV1A_INIT;

	for (size_t i = 0; i < p->sens.n; i++)
		h = hash_fnv1a(h, &p->sens.v[i].health, sizeof(p->sens.v[i].health));
	return h;
}

static void rf_refresh_chassis(struct rf_poll *p)
{
	struct rf_tree *t = p->t;

	for (size_t i = 0; i < t->nchassis; i++) {
		struct rf_chassis *c = &t->chassis[i];

		if (t->expand && !t->no_chassis_expand && c->thermal && c->power && c->url) {
			rf_poll_get_select(p, c->url, RF_EXPAND, RF_SELECT_CHASSIS,
					   rf_refresh_chassis_all, (intptr_t)i, true);
			continue;
		}
		rf_poll_get(p, c->thermal, false, rf_refresh_thermal, (intptr_t)i, true);
		rf_poll_get(p, c->power, false, rf_refresh_power, (intptr_t)i, true);
		if (!c->thermal && !c->power && c->sensors && t->expand)
			rf_poll_get(p, c->sensors, true, rf_refresh_sensors_all, (intptr_t)i, true);
	}
}

/* The chassis sensors, once the systems answered. Only the host view
 * shows them, and a sensor past a threshold changes the health the
 * systems roll up (Redfish HealthRollup: the resource and what it
 * holds), so they are read when the systems' power or health changed,
 * or every RF_SENSOR_POLLS polls for a BMC whose rollup does not
 * cover them; else the store keeps what it has. A BMC whose GPU
 * readings are chassis sensors, and a focused host, have them read
 * every poll. */
static void rf_refresh_step_chassis(struct rf_poll *p)
{
	struct rf_host *h = p->h;

	p->next = rf_refresh_step_logs;
	if (!h->focused && !p->t->gpu_from_chassis && rf_refresh_sys_sig(p) == h->sens_sys_sig &&
	    ++h->polls_since_sensors < RF_SENSOR_POLLS) {
		p->sens_skipped = true;
		p->data.sensors_kept = true;
		return;
	}
	rf_refresh_chassis(p);
}

/* Whether this poll reads only the GPU readings the fleet row shows
 * (struct rf_host: gpu_full_due). */
static bool rf_refresh_gpu_row(struct rf_poll *p)
{
	struct rf_host *h = p->h;
	struct rf_tree *t = p->t;

	if (p->discover || !rf_poll_selecting(p) || !t->expand || t->no_proc_expand ||
	    t->expand_levels < 2 || t->no_deep_expand || h->gpu_full_due || h->focused ||
	    ++h->polls_since_gpu_full >= RF_SENSOR_POLLS) {
		h->gpu_full_due = false;
		h->polls_since_gpu_full = 0;
		return false;
	}
	return true;
}

void rf_refresh_step(struct rf_poll *p)
{
	struct rf_tree *t = p->t;
	bool report;

	p->gpu_row = rf_refresh_gpu_row(p);
	rf_refresh_alloc(p);
	rf_refresh_systems(p);
	report = rf_refresh_gpus(p);
	if (report && t->report && t->ngpus)
		rf_poll_get(p, t->report, false, rf_telemetry_report, 0, true);
	if (p->discover)
		rf_refresh_chassis(p);
	for (size_t i = 0; i < t->ngpu_sensors; i++)
		rf_poll_get(p, t->gpu_sensors[i], false, rf_refresh_gpu_sensor, (intptr_t)i, true);
	if (p->discover) {
		rf_refresh_logs(p);
		p->next = NULL;
	} else {
		p->next = rf_refresh_step_chassis;
	}
}

uint32_t rf_refresh_sig(const struct rf_poll *p)
{
	uint32_t h = rf_refresh_sys_sig(p), s;

	for (size_t i = 0; p->g && i < p->t->ngpus; i++) {
		h = hash_fnv1a(h, &p->g[i].health, sizeof(p->g[i].health));
		h = hash_fnv1a(h, p->g[i].state, strlen(p->g[i].state));
	}
	/* Sensors not read this poll: their health when last read. */
	s = p->sens_skipped ? p->h->sens_health_sig : rf_refresh_sens_sig(p);
	if (!p->sens_skipped)
		p->h->sens_health_sig = s;
	return hash_fnv1a(h, &s, sizeof(s));
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

	/* The sensors were read with the systems as they are now. */
	if (!p->sens_skipped) {
		p->h->polls_since_sensors = 0;
		p->h->sens_sys_sig = rf_refresh_sys_sig(p);
	}

	/* GPU readings that only exist as chassis sensors. */
	for (size_t i = 0; i < p->ngr; i++) {
		struct rf_gpu_reading *r = &p->gr[i];
		struct rf_gpu *g = rf_refresh_gpu_of(p, r->sys, r->num);
		struct fleet_gpu *x;

		if (!g)
			continue;
		x = &p->g[g - t->gpus];
		if ((r->temp && !fleet_has(x->temperature_c)) || (!r->temp && !fleet_has(x->power_w)))
			t->gpu_from_chassis |= p->discover && r->chassis;
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
		/* What a row-only poll keeps (rf_refresh_alloc). */
		if (!p->gpu_row) {
			t->gpus[i].st.power_limit_w = x->power_limit_w;
			t->gpus[i].st.memory_used_mib = x->memory_used_mib;
			t->gpus[i].st.ecc_corrected = x->ecc_corrected;
			t->gpus[i].st.ecc_uncorrected = x->ecc_uncorrected;
		}
	}
}

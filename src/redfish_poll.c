/* One Redfish poll: which resources to fetch and in what order.
 *
 * The first poll of a host (and one after an error, and every
 * RF_REDISCOVER_POLLS) discovers the static tree: ServiceRoot ->
 * Systems -> Processors (GPUs) and their metric links, the chassis that
 * hold sensors, log services, a telemetry MetricReport. Later polls
 * fetch only the dynamic resources from that tree.
 *
 * A poll is a series of steps; each step issues GETs in parallel and the
 * next step runs once all of them answered. Requests go through
 * rf_request(), so the same code runs over libcurl or over the test
 * transport that serves mockup files. */
#include "redfish.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

#define RF_EXPAND "?$expand=.($levels=1)"

struct rf_poll;
typedef void (*rf_step)(struct rf_poll *p);
typedef void (*rf_handler)(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx);

struct rf_gpu_reading {
	int sys, num;
	bool temp;
	double v;
};

struct rf_poll {
	struct rf_host *h;
	backend_poll_done done;
	void *arg;
	bool discover;
	bool in_step;
	int outstanding;
	rf_step next;
	char error[FLEET_ERR];
	struct rf_tree nt;              /* being discovered */
	struct rf_tree *t;              /* the tree this poll reads */
	struct fleet_host_data data;
	struct fleet_gpu *g;            /* readings, parallel to t->gpus */
	double *cache_ecc;              /* 2 per GPU: ProcessorMetrics cache ECC */
	struct rf_sensors sens;
	struct fleet_event *ev;
	size_t nev, capev;
	char **chm;                     /* Chassis collection member paths (discovery) */
	size_t nchm;
	struct rf_gpu_reading gr[2 * RF_MAX_GPU_SENSORS + 16];
	size_t ngr;
	size_t report_temps;            /* GPU temperatures the report gave */
	json_t *pdev[16];               /* PCIe devices whose functions are being read */
	int pdev_sys[16];
	bool pdev_added[16];
	size_t npdev;
};

struct rf_get {
	struct rf_poll *p;
	rf_handler fn;
	intptr_t ctx;
	bool optional;
	char path[400];
};

static void rf_poll_advance(struct rf_poll *p);

static void rf_poll_on(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_get *g = arg;
	struct rf_poll *p = g->p;

	p->outstanding--;
	/* Messages name the resource, not the query that fetched it. */
	r->url[strcspn(r->url, "?")] = '\0';
	if (!p->error[0]) {
		if (r->error[0]) {
			char *q = strstr(r->error, RF_EXPAND);

			if (q)
				memmove(q, q + strlen(RF_EXPAND), strlen(q + strlen(RF_EXPAND)) + 1);
			text_copy(p->error, sizeof(p->error), r->error);
		} else if (r->status < 200 || r->status >= 300) {
			/* A resource this BMC lacks is not an error; a sick BMC is. */
			bool absent = r->status == 404 || r->status == 405 || r->status == 501 ||
				      r->status == 400 || r->status == 403;

			if (!g->optional || !absent) {
				char st[64];

				http_status_text(r->status, st, sizeof(st));
				http_fmt(p->error, sizeof(p->error), "%s: %s", r->url, st);
			}
		} else {
			json_t *o = rf_parse(r, p->error, sizeof(p->error));
			struct rf_doc d = { r->url, p->error, sizeof(p->error) };

			if (o)
				g->fn(p, o, &d, g->path, g->ctx);
			json_decref(o);
		}
	}
	free(g);
	rf_poll_advance(p);
}

static void rf_get(struct rf_poll *p, const char *path, bool expand, rf_handler fn, intptr_t ctx,
		   bool optional)
{
	struct rf_get *g;
	char url[450];

	if (!path || p->error[0])
		return;
	g = calloc(1, sizeof(*g));
	if (!g)
		abort();
	g->p = p;
	g->fn = fn;
	g->ctx = ctx;
	g->optional = optional;
	text_copy(g->path, sizeof(g->path), path);
	http_fmt(url, sizeof(url), "%s%s", path,
		 expand && p->t->expand && !strchr(path, '?') ? RF_EXPAND : "");
	p->outstanding++;
	rf_request(p->h, "GET", url, NULL, rf_poll_on, g);
}

void rf_tree_clear(struct rf_tree *t)
{
	for (size_t i = 0; i < t->ngpus; i++) {
		struct rf_gpu *g = &t->gpus[i];

		free(g->url);
		free(g->env);
		free(g->metrics);
		free(g->memmetrics);
		free(g->temp_src);
		free(g->power_src);
		free(g->memlink);
	}
	free(t->gpus);
	for (size_t i = 0; i < RF_MAX_SYSTEMS; i++) {
		struct rf_system *s = &t->systems[i];

		free(s->url);
		free(s->reset_target);
		free(s->processors);
		free(s->logservices);
		free(s->chassis);
	}
	for (size_t i = 0; i < RF_MAX_CHASSIS; i++) {
		struct rf_chassis *c = &t->chassis[i];

		free(c->url);
		free(c->thermal);
		free(c->power);
		free(c->sensors);
		free(c->pcie);
	}
	for (size_t i = 0; i < RF_MAX_LOGS; i++)
		free(t->logs[i]);
	for (size_t i = 0; i < RF_MAX_GPU_SENSORS; i++)
		free(t->gpu_sensors[i]);
	free(t->systems_coll);
	free(t->chassis_coll);
	free(t->managers);
	free(t->telemetry);
	free(t->report);
	memset(t, 0, sizeof(*t));
}

/* ---- finishing ---- */

static void rf_poll_free(struct rf_poll *p)
{
	rf_tree_clear(&p->nt);
	fleet_host_data_free(&p->data);
	free(p->g);
	free(p->cache_ecc);
	free(p->sens.v);
	free(p->sens.prio);
	free(p->ev);
	for (size_t i = 0; i < p->nchm; i++)
		free(p->chm[i]);
	free(p->chm);
	for (size_t i = 0; i < p->npdev; i++)
		json_decref(p->pdev[i]);
	free(p);
}

static void rf_poll_fail(struct rf_poll *p)
{
	struct rf_host *h = p->h;

	h->poll = NULL;
	/* Whatever went wrong may have moved things: look again next time. */
	h->polls_since_discovery = RF_REDISCOVER_POLLS;
	p->done(p->arg, NULL, p->error);
	rf_poll_free(p);
}

static struct rf_gpu *rf_gpu_of(struct rf_poll *p, int sys, int num, int pos)
{
	int k = 0;

	for (size_t i = 0; i < p->t->ngpus; i++) {
		struct rf_gpu *g = &p->t->gpus[i];

		if (g->sys != sys)
			continue;
		if (num >= 0 && g->num == num)
			return g;
		if (num < 0 && k == pos)
			return g;
		k++;
	}
	return NULL;
}

static void rf_poll_ok(struct rf_poll *p)
{
	struct rf_host *h = p->h;
	struct rf_tree *t = p->t;

	/* GPU readings that only exist as chassis sensors. */
	for (size_t i = 0; i < p->ngr; i++) {
		struct rf_gpu_reading *r = &p->gr[i];
		struct rf_gpu *g = rf_gpu_of(p, r->sys, r->num, -1);
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
	if (p->discover) {
		size_t with_env = 0;

		for (size_t i = 0; i < t->ngpus; i++)
			with_env += t->gpus[i].env != NULL;
		t->report_covers = t->report && with_env == t->ngpus && t->ngpus > 0 &&
				   p->report_temps == t->ngpus;
	}
	p->data.ngpus = t->ngpus;
	p->data.gpus = p->g;
	p->g = NULL;
	text_copy(p->data.bmc_firmware, sizeof(p->data.bmc_firmware), t->bmc_firmware);
	rf_sensors_finish(&p->sens, &p->data);
	rf_events_finish(p->ev, &p->nev);
	p->data.events = p->ev;
	p->data.nevents = p->nev;
	p->ev = NULL;
	if (p->discover) {
		rf_tree_clear(&h->tree);
		h->tree = p->nt;
		memset(&p->nt, 0, sizeof(p->nt));
		h->tree.valid = true;
		h->polls_since_discovery = 0;
	} else {
		h->polls_since_discovery++;
	}
	h->poll = NULL;
	p->done(p->arg, &p->data, NULL);
	rf_poll_free(p);
}

static void rf_poll_advance(struct rf_poll *p)
{
	while (!p->in_step && p->outstanding == 0) {
		rf_step fn = p->next;

		if (p->error[0]) {
			rf_poll_fail(p);
			return;
		}
		if (!fn) {
			rf_poll_ok(p);
			return;
		}
		p->next = NULL;
		p->in_step = true;
		fn(p);
		p->in_step = false;
	}
}

/* ---- the dynamic part: every poll ---- */

static void rf_h_system(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			intptr_t ctx)
{
	rf_decode_system(d, o, &p->data, (int)ctx == p->t->main_sys);
}

static void rf_h_gpu(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		     intptr_t ctx)
{
	rf_decode_gpu_status(d, o, &p->g[ctx]);
}

static void rf_h_env(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		     intptr_t ctx)
{
	rf_decode_env(d, o, &p->g[ctx], p->discover ? &p->t->gpus[ctx] : NULL);
}

static void rf_h_pm(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		    intptr_t ctx)
{
	rf_decode_proc_metrics(d, o, &p->g[ctx], &p->cache_ecc[2 * ctx], &p->cache_ecc[2 * ctx + 1]);
}

static void rf_h_mm(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		    intptr_t ctx)
{
	rf_decode_mem_metrics(d, o, &p->g[ctx]);
}

static bool rf_uri_eq(const char *a, size_t alen, const char *b)
{
	return b && strlen(b) == alen && strncmp(a, b, alen) == 0;
}

/* HGX_PlatformEnvironmentMetrics style: MetricProperty is a sensor URI
 * (the DataSourceUri of a GPU reading) or "<env URI>#/TemperatureCelsius/Reading". */
static void rf_h_report(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			intptr_t ctx)
{
	json_t *vals = rf_arr(d, o, "MetricValues"), *e;
	size_t i;

	p->report_temps = 0;
	json_array_foreach(vals, i, e) {
		const char *prop = rf_str(d, e, "MetricProperty");
		json_t *mv = json_object_get(e, "MetricValue");
		const char *frag;
		size_t blen;
		double v;
		char *end;

		if (!prop || i >= 4 * RF_MAX_MEMBERS)
			continue;
		if (json_is_number(mv)) {
			v = json_number_value(mv);
		} else if (json_is_string(mv)) {
			v = strtod(json_string_value(mv), &end);
			if (end == json_string_value(mv) || *end)
				continue;
		} else {
			continue;
		}
		frag = strchr(prop, '#');
		blen = frag ? (size_t)(frag - prop) : strlen(prop);
		for (size_t k = 0; k < p->t->ngpus; k++) {
			struct rf_gpu *g = &p->t->gpus[k];
			bool temp = rf_uri_eq(prop, blen, g->temp_src) ||
				    (rf_uri_eq(prop, blen, g->env) && frag &&
				     !strcmp(frag, "#/TemperatureCelsius/Reading"));
			bool pow = rf_uri_eq(prop, blen, g->power_src) ||
				   (rf_uri_eq(prop, blen, g->env) && frag &&
				    !strcmp(frag, "#/PowerWatts/Reading"));

			/* EnvironmentMetrics, when read too, is the fresher source. */
			if (temp) {
				if (!fleet_has(p->g[k].temperature_c) || !p->discover)
					p->g[k].temperature_c = v;
				p->report_temps++;
			} else if (pow && (!fleet_has(p->g[k].power_w) || !p->discover)) {
				p->g[k].power_w = v;
			}
		}
	}
}

static void rf_gpu_reading_add(struct rf_poll *p, json_t *o, int sys)
{
	int num;
	bool temp;
	double v;

	if (p->ngr < sizeof(p->gr) / sizeof(p->gr[0]) && rf_gpu_sensor(o, &num, &temp, &v))
		p->gr[p->ngr++] = (struct rf_gpu_reading){ sys, num, temp, v };
}

static void rf_h_thermal(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	json_t *a = rf_arr(d, o, "Temperatures"), *e;
	size_t i;

	rf_decode_thermal(d, o, &p->sens);
	json_array_foreach(a, i, e)
		rf_gpu_reading_add(p, e, p->t->chassis[ctx].sys);
}

static void rf_h_power(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		       intptr_t ctx)
{
	rf_decode_power(d, o, &p->sens);
}

/* An expanded Sensors collection: host sensors and GPU readings. */
static void rf_h_sensors_all(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			     intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_MEMBERS || !rf_expanded(e))
			break;
		rf_decode_sensor(d, e, &p->sens);
		rf_gpu_reading_add(p, e, p->t->chassis[ctx].sys);
	}
}

/* One GPU sensor, or an expanded collection of them. */
static void rf_h_gpu_sensor(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			    intptr_t ctx)
{
	int sys = p->t->gpu_sensor_sys[ctx];
	json_t *m = json_object_get(o, "Members"), *e;
	size_t i;

	if (!json_is_array(m)) {
		rf_gpu_reading_add(p, o, sys);
		return;
	}
	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_MEMBERS)
			break;
		rf_gpu_reading_add(p, e, sys);
	}
}

static void rf_h_entries(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	rf_decode_entries(d, o, &p->ev, &p->nev, &p->capev);
}

static void rf_step_dynamic(struct rf_poll *p)
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
	for (size_t i = 0; i < t->nsystems; i++)
		rf_get(p, t->systems[i].url, false, rf_h_system, (intptr_t)i, false);
	for (size_t i = 0; i < t->ngpus; i++) {
		struct rf_gpu *g = &t->gpus[i];

		if (!p->discover)   /* discovery just read it */
			rf_get(p, g->url, false, rf_h_gpu, (intptr_t)i, true);
		if (p->discover || !t->report_covers)
			rf_get(p, g->env, false, rf_h_env, (intptr_t)i, true);
		rf_get(p, g->metrics, false, rf_h_pm, (intptr_t)i, true);
		rf_get(p, g->memmetrics, false, rf_h_mm, (intptr_t)i, true);
	}
	if (t->report && t->ngpus)
		rf_get(p, t->report, false, rf_h_report, 0, true);
	for (size_t i = 0; i < t->nchassis; i++) {
		struct rf_chassis *c = &t->chassis[i];

		rf_get(p, c->thermal, false, rf_h_thermal, (intptr_t)i, true);
		rf_get(p, c->power, false, rf_h_power, (intptr_t)i, true);
		if (!c->thermal && !c->power && c->sensors && t->expand)
			rf_get(p, c->sensors, true, rf_h_sensors_all, (intptr_t)i, true);
	}
	for (size_t i = 0; i < t->ngpu_sensors; i++)
		rf_get(p, t->gpu_sensors[i], false, rf_h_gpu_sensor, (intptr_t)i, true);
	for (size_t i = 0; i < t->nlogs; i++)
		rf_get(p, t->logs[i], false, rf_h_entries, (intptr_t)i, true);
	p->next = NULL;
}

/* ---- discovery: the static tree ---- */

static const char *rf_last_segment(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

static void rf_h_root(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		      intptr_t ctx)
{
	struct rf_tree *t = &p->nt;
	json_t *pf = rf_obj(d, o, "ProtocolFeaturesSupported");
	json_t *eq = rf_obj(d, pf, "ExpandQuery");

	t->expand = eq && json_is_true(json_object_get(eq, "Levels")) &&
		    json_is_true(json_object_get(eq, "NoLinks"));
	rf_set(&t->systems_coll, rf_path_of(p->h, rf_link(d, o, "Systems")));
	rf_set(&t->chassis_coll, rf_path_of(p->h, rf_link(d, o, "Chassis")));
	rf_set(&t->managers, rf_path_of(p->h, rf_link(d, o, "Managers")));
	rf_set(&t->telemetry, rf_path_of(p->h, rf_link(d, o, "TelemetryService")));
	if (!t->systems_coll)
		rf_fail(d, "the service root has no Systems");
}

static void rf_h_system_static(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	struct rf_system *s = &p->nt.systems[ctx];
	json_t *acts = rf_obj(d, o, "Actions");
	json_t *reset = rf_obj(d, acts, "#ComputerSystem.Reset");
	json_t *links = rf_obj(d, o, "Links");
	json_t *ch = rf_arr(d, links, "Chassis");
	const char *id = rf_str(d, o, "Id");

	text_clean(s->id, sizeof(s->id), id ? id : rf_last_segment(path));
	rf_set(&s->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	if (!s->url)
		rf_set(&s->url, path);
	rf_set(&s->reset_target, rf_path_of(p->h, rf_str(d, reset, "target")));
	rf_set(&s->processors, rf_path_of(p->h, rf_link(d, o, "Processors")));
	rf_set(&s->logservices, rf_path_of(p->h, rf_link(d, o, "LogServices")));
	if (json_array_size(ch) > 0)
		rf_set(&s->chassis, rf_path_of(p->h, rf_str(d, json_array_get(ch, 0), "@odata.id")));
}

static bool rf_wanted_system(struct rf_poll *p, json_t *m, const char *path)
{
	const char *want = p->h->system_name;
	const char *id;

	if (!want[0])
		return true;
	id = json_string_value(json_object_get(m, "Id"));
	return (id && !strcmp(id, want)) || !strcmp(rf_last_segment(path), want);
}

static void rf_h_systems(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));
		size_t k = p->nt.nsystems;

		if (i >= RF_MAX_MEMBERS || k >= RF_MAX_SYSTEMS)
			break;
		if (!mp || !rf_wanted_system(p, e, mp))
			continue;
		p->nt.nsystems++;
		rf_set(&p->nt.systems[k].url, mp);
		if (rf_expanded(e))
			rf_h_system_static(p, e, d, mp, (intptr_t)k);
		else
			rf_get(p, mp, false, rf_h_system_static, (intptr_t)k, false);
	}
}

static void rf_h_manager(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	const char *fw = rf_str(d, o, "FirmwareVersion");
	const char *type = rf_str(d, o, "ManagerType");

	/* The first BMC-type manager wins; any manager's version otherwise. */
	if (fw && *fw && (!p->nt.bmc_firmware[0] || (type && !strcmp(type, "BMC") && ctx == 0))) {
		text_clean(p->nt.bmc_firmware, sizeof(p->nt.bmc_firmware), fw);
	}
}

static void rf_h_managers(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			  intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= 2)
			break;
		if (rf_expanded(e))
			rf_h_manager(p, e, d, path, (intptr_t)i);
		else
			rf_get(p, rf_path_of(p->h, rf_str(d, e, "@odata.id")), false, rf_h_manager,
			       (intptr_t)i, true);
	}
}

static void rf_h_chassis_coll(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			      intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	p->chm = calloc(json_array_size(m) + 1, sizeof(*p->chm));
	if (!p->chm)
		abort();
	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		if (mp)
			p->chm[p->nchm++] = strdup(mp);
	}
}

static void rf_h_reports(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		if (mp && strstr(mp, "PlatformEnvironmentMetrics")) {
			rf_set(&p->nt.report, mp);
			break;
		}
	}
}

static void rf_h_telemetry(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx)
{
	rf_get(p, rf_path_of(p->h, rf_link(d, o, "MetricReports")), false, rf_h_reports, 0, true);
}

static void rf_step_systems(struct rf_poll *p);

static void rf_step_collections(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	rf_get(p, t->systems_coll, true, rf_h_systems, 0, false);
	rf_get(p, t->managers, true, rf_h_managers, 0, true);
	rf_get(p, t->chassis_coll, false, rf_h_chassis_coll, 0, true);
	rf_get(p, t->telemetry, false, rf_h_telemetry, 0, true);
	p->next = rf_step_systems;
}

static void rf_h_proc(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		      intptr_t ctx)
{
	struct rf_tree *t = &p->nt;
	const char *type = rf_str(d, o, "ProcessorType");
	json_t *links = rf_obj(d, o, "Links");
	json_t *mem = rf_arr(d, links, "Memory");
	struct rf_gpu *g;

	if (!type || strcmp(type, "GPU") != 0 || t->ngpus >= RF_MAX_GPUS)
		return;
	g = realloc(t->gpus, (t->ngpus + 1) * sizeof(*g));
	if (!g)
		abort();
	t->gpus = g;
	g = &t->gpus[t->ngpus++];
	memset(g, 0, sizeof(*g));
	fleet_gpu_init(&g->st, 0);
	g->sys = (int)ctx;
	rf_decode_gpu_static(d, o, g);
	rf_set(&g->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	if (!g->url)
		rf_set(&g->url, path);
	/* Links from the BMC are followed only on the BMC itself. */
	{
		char *raw[3] = { g->env, g->metrics, g->memmetrics };

		g->env = g->metrics = g->memmetrics = NULL;
		rf_set(&g->env, rf_path_of(p->h, raw[0]));
		rf_set(&g->metrics, rf_path_of(p->h, raw[1]));
		rf_set(&g->memmetrics, rf_path_of(p->h, raw[2]));
		for (int k = 0; k < 3; k++)
			free(raw[k]);
	}
	if (json_array_size(mem) > 0)
		rf_set(&g->memlink, rf_path_of(p->h, rf_str(d, json_array_get(mem, 0), "@odata.id")));
}

static void rf_h_procs(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		       intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= 4 * RF_MAX_GPUS)
			break;
		if (rf_expanded(e))
			rf_h_proc(p, e, d, mp ? mp : path, ctx);
		else
			rf_get(p, mp, false, rf_h_proc, ctx, false);
	}
}

static void rf_h_logsvc(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			intptr_t ctx)
{
	const char *e = rf_path_of(p->h, rf_link(d, o, "Entries"));

	if (e && p->nt.nlogs < RF_MAX_LOGS)
		rf_set(&p->nt.logs[p->nt.nlogs++], e);
}

static void rf_h_logsvcs(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= RF_MAX_LOGS)
			break;
		if (rf_expanded(e))
			rf_h_logsvc(p, e, d, path, ctx);
		else
			rf_get(p, rf_path_of(p->h, rf_str(d, e, "@odata.id")), false, rf_h_logsvc, ctx,
			       true);
	}
}

static void rf_h_chassis(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	struct rf_chassis *c = &p->nt.chassis[ctx];

	rf_set(&c->thermal, rf_path_of(p->h, rf_link(d, o, "Thermal")));
	rf_set(&c->power, rf_path_of(p->h, rf_link(d, o, "Power")));
	rf_set(&c->sensors, rf_path_of(p->h, rf_link(d, o, "Sensors")));
	rf_set(&c->pcie, rf_path_of(p->h, rf_link(d, o, "PCIeDevices")));
}

static void rf_add_chassis(struct rf_poll *p, const char *path, int sys)
{
	struct rf_tree *t = &p->nt;

	if (!path || t->nchassis >= RF_MAX_CHASSIS)
		return;
	for (size_t i = 0; i < t->nchassis; i++)
		if (!strcmp(t->chassis[i].url, path))
			return;
	t->chassis[t->nchassis].sys = sys;
	rf_set(&t->chassis[t->nchassis].url, path);
	t->nchassis++;
}

static void rf_step_gpus(struct rf_poll *p);

static void rf_step_systems(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	if (t->nsystems == 0) {
		if (p->h->system_name[0])
			http_fmt(p->error, sizeof(p->error), "%s%s: no system named %s", p->h->base,
				 t->systems_coll, p->h->system_name);
		else
			http_fmt(p->error, sizeof(p->error), "%s%s: no ComputerSystem", p->h->base,
				 t->systems_coll);
		return;
	}
	t->main_sys = 0;
	for (size_t i = 0; i < t->nsystems; i++) {
		if (t->systems[i].reset_target) {
			t->main_sys = (int)i;
			break;
		}
	}
	for (size_t i = 0; i < t->nsystems; i++) {
		struct rf_system *s = &t->systems[i];

		rf_get(p, s->processors, true, rf_h_procs, (intptr_t)i, false);
		rf_get(p, s->logservices, true, rf_h_logsvcs, (intptr_t)i, true);
		rf_add_chassis(p, s->chassis, (int)i);
		/* HPE: Chassis/Node0 is the chassis of Systems/Node0, unlinked. */
		for (size_t k = 0; k < p->nchm; k++)
			if (!strcmp(rf_last_segment(p->chm[k]), s->id))
				rf_add_chassis(p, p->chm[k], (int)i);
	}
	if (t->nchassis == 0 && p->nchm > 0)
		rf_add_chassis(p, p->chm[0], t->main_sys);
	for (size_t i = 0; i < t->nchassis; i++)
		rf_get(p, t->chassis[i].url, false, rf_h_chassis, (intptr_t)i, true);
	p->next = rf_step_gpus;
}

static int rf_gpu_cmp(const void *a, const void *b)
{
	const struct rf_gpu *x = a, *y = b;

	if (x->sys != y->sys)
		return x->sys - y->sys;
	if (x->num != y->num)
		return x->num - y->num;
	return strcmp(x->st.id, y->st.id);
}

static void rf_h_gpumem(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			intptr_t ctx)
{
	double c = rf_num(d, o, "CapacityMiB");

	if (fleet_has(c) && !fleet_has(p->nt.gpus[ctx].st.memory_total_mib))
		p->nt.gpus[ctx].st.memory_total_mib = c;
}

static struct rf_gpu *rf_gpu_new(struct rf_poll *p, int sys)
{
	struct rf_tree *t = &p->nt;
	struct rf_gpu *g;

	if (t->ngpus >= RF_MAX_GPUS)
		return NULL;
	g = realloc(t->gpus, (t->ngpus + 1) * sizeof(*g));
	if (!g)
		abort();
	t->gpus = g;
	g = &t->gpus[t->ngpus++];
	memset(g, 0, sizeof(*g));
	fleet_gpu_init(&g->st, 0);
	g->sys = sys;
	return g;
}

/* A GPU known only as a PCIe device (no Processor for it). */
static void rf_gpu_from_pcie(struct rf_poll *p, json_t *o, struct rf_doc *d, int sys)
{
	struct rf_gpu *g = rf_gpu_new(p, sys);
	const char *id = rf_str(d, o, "Id");

	if (!g)
		return;
	if (id)
		text_clean(g->st.id, sizeof(g->st.id), id);
	g->num = rf_id_number(id);
	if (rf_str(d, o, "Model"))
		text_clean(g->st.model, sizeof(g->st.model), rf_str(d, o, "Model"));
	if (rf_str(d, o, "SerialNumber"))
		text_clean(g->st.serial, sizeof(g->st.serial), rf_str(d, o, "SerialNumber"));
	if (rf_str(d, o, "UUID"))
		text_clean(g->st.uuid, sizeof(g->st.uuid), rf_str(d, o, "UUID"));
	rf_decode_gpu_status(d, o, &g->st);
	rf_set(&g->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	rf_set(&g->env, rf_path_of(p->h, rf_link(d, o, "EnvironmentMetrics")));
}

static bool rf_display_function(json_t *f)
{
	const char *cc = json_string_value(json_object_get(f, "ClassCode"));
	const char *dc = json_string_value(json_object_get(f, "DeviceClass"));

	return (cc && strlen(cc) >= 4 && !strncasecmp(cc, "0x03", 4)) ||
	       (dc && !strcmp(dc, "DisplayController"));
}

static void rf_h_pcie_func(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx)
{
	if (!p->pdev_added[ctx] && rf_display_function(o)) {
		p->pdev_added[ctx] = true;
		rf_gpu_from_pcie(p, p->pdev[ctx], d, p->pdev_sys[ctx]);
	}
}

static void rf_h_pcie_funcs(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			    intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= 4)
			break;
		if (rf_expanded(e))
			rf_h_pcie_func(p, e, d, path, ctx);
		else
			rf_get(p, rf_path_of(p->h, rf_str(d, e, "@odata.id")), false, rf_h_pcie_func,
			       ctx, true);
	}
}

static void rf_h_pcie_dev(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			  intptr_t ctx)
{
	const char *type = rf_str(d, o, "DeviceType");
	const char *funcs = rf_path_of(p->h, rf_link(d, o, "PCIeFunctions"));
	int sys = p->nt.chassis[ctx].sys;

	if (type && !strcmp(type, "GPU")) {
		rf_gpu_from_pcie(p, o, d, sys);
		return;
	}
	if (!funcs || p->npdev >= sizeof(p->pdev) / sizeof(p->pdev[0]))
		return;
	p->pdev[p->npdev] = json_incref(o);
	p->pdev_sys[p->npdev] = sys;
	rf_get(p, funcs, true, rf_h_pcie_funcs, (intptr_t)p->npdev, true);
	p->npdev++;
}

static void rf_h_pcie_coll(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		if (i >= 16)
			break;
		if (rf_expanded(e))
			rf_h_pcie_dev(p, e, d, path, ctx);
		else
			rf_get(p, rf_path_of(p->h, rf_str(d, e, "@odata.id")), false, rf_h_pcie_dev,
			       ctx, true);
	}
}

static void rf_add_gpu_sensor(struct rf_tree *t, const char *path, int sys)
{
	if (!path || t->ngpu_sensors >= RF_MAX_GPU_SENSORS)
		return;
	t->gpu_sensor_sys[t->ngpu_sensors] = sys;
	rf_set(&t->gpu_sensors[t->ngpu_sensors++], path);
}

static void rf_h_sensor_coll(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			     intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;
	int sys = p->nt.chassis[ctx].sys;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		/* Without $expand only the GPU sensors are worth a request each. */
		if (mp && strcasestr(rf_last_segment(mp), "gpu"))
			rf_add_gpu_sensor(&p->nt, mp, sys);
	}
}

static void rf_step_gpus2(struct rf_poll *p);

static void rf_step_gpus(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	if (t->ngpus > 1)
		qsort(t->gpus, t->ngpus, sizeof(*t->gpus), rf_gpu_cmp);
	for (size_t i = 0; i < t->ngpus; i++)
		if (!fleet_has(t->gpus[i].st.memory_total_mib))
			rf_get(p, t->gpus[i].memlink, false, rf_h_gpumem, (intptr_t)i, true);
	if (t->ngpus == 0)
		for (size_t i = 0; i < t->nchassis; i++)
			rf_get(p, t->chassis[i].pcie, true, rf_h_pcie_coll, (intptr_t)i, true);
	p->next = rf_step_gpus2;
}

static void rf_step_gpus2(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	if (t->ngpus > 1)
		qsort(t->gpus, t->ngpus, sizeof(*t->gpus), rf_gpu_cmp);
	for (size_t i = 0; i < t->ngpus; i++) {
		t->gpus[i].st.index = (int)i;
		free(t->gpus[i].memlink);
		t->gpus[i].memlink = NULL;
	}
	/* GPUs without EnvironmentMetrics: their readings may be chassis sensors. */
	for (size_t c = 0; c < t->nchassis; c++) {
		struct rf_chassis *ch = &t->chassis[c];
		bool need = false;

		for (size_t i = 0; i < t->ngpus; i++)
			if (t->gpus[i].sys == ch->sys && !t->gpus[i].env)
				need = true;
		if (!need || !ch->sensors)
			continue;
		if (t->expand) {
			char u[400];

			http_fmt(u, sizeof(u), "%s%s", ch->sensors, RF_EXPAND);
			rf_add_gpu_sensor(t, u, ch->sys);
		} else {
			rf_get(p, ch->sensors, false, rf_h_sensor_coll, (intptr_t)c, true);
		}
	}
	p->t = &p->nt;
	p->next = rf_step_dynamic;
}

void rf_poll_start(struct rf_host *h, backend_poll_done done, void *arg)
{
	struct rf_poll *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->h = h;
	p->done = done;
	p->arg = arg;
	p->discover = !h->tree.valid || h->polls_since_discovery >= RF_REDISCOVER_POLLS;
	h->poll = p;
	p->in_step = true;
	if (p->discover) {
		p->t = &p->nt;
		rf_get(p, "/redfish/v1", false, rf_h_root, 0, false);
		p->next = rf_step_collections;
	} else {
		p->t = &h->tree;
		rf_step_dynamic(p);
	}
	p->in_step = false;
	rf_poll_advance(p);
}

/* The workflow runner (workflow.h): its own thread, which wakes every
 * WF_TICK_MS while a workflow runs (or recovery rules watch the fleet)
 * and sleeps otherwise. BMC actions go through actions_request(), so the
 * audit log has each one first; how they ended comes back through the
 * listener into an inbox. Wait conditions read the runner's own fleet
 * snapshot. Each step (workflow_step.c) is saved to disk as it happens. */
#include "workflow_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define WF_TICK_MS 250
#define WF_KEEP_RUNS 200           /* finished workflows kept in view */

void wf_note(struct wf_runner *r, const char *fmt, ...)
{
	char msg[600], **n;
	va_list ap;

	if (r->nnotices >= WF_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = realloc(r->notices, (r->nnotices + 1) * sizeof(*n));
	if (!n)
		return;
	r->notices = n;
	if ((n[r->nnotices] = strdup(msg)))
		r->nnotices++;
}

void wf_save(struct wf_runner *r, struct wf_run *w)
{
	char err[600];

	wf_changed(r);
	if (!r->state_dir)
		return;
	if (wf_store_save(r->state_dir, w, err, sizeof(err)) < 0 && !r->save_failed) {
		/* Said once: a full disk would otherwise fill the notices. */
		r->save_failed = true;
		wf_note(r, "%s", err);
	}
}

/* The engine's answers, from whichever thread learnt them. */
static void wf_listener(void *arg, size_t host, enum engine_action a, int state,
			const char *result)
{
	struct wf_runner *r = arg;
	struct wf_inbox *in;

	pthread_mutex_lock(&r->inbox_lock);
	if (r->ninbox == r->capinbox) {
		size_t cap = r->capinbox ? r->capinbox * 2 : 16;

		in = realloc(r->inbox, cap * sizeof(*in));
		if (!in) {
			pthread_mutex_unlock(&r->inbox_lock);
			return;
		}
		r->inbox = in;
		r->capinbox = cap;
	}
	in = &r->inbox[r->ninbox++];
	in->host = host;
	in->a = (int)a;
	in->state = state;
	text_clean(in->result, sizeof(in->result), result);
	pthread_mutex_unlock(&r->inbox_lock);
}

struct wf_runner *wf_runner_new(struct fleet *fleet, struct engine *engine, struct actions *ac,
				const struct inventory *inv, const struct wf_catalog *cat,
				const struct wf_rule *rules, size_t nrules, const char *state_dir)
{
	struct wf_runner *r = calloc(1, sizeof(*r));
	char def[4096];

	if (!r)
		return NULL;
	r->fleet = fleet;
	r->engine = engine;
	r->ac = ac;
	r->inv = inv;
	r->cat = cat;
	r->rules = rules;
	r->nrules = nrules;
	r->version = 1;
	if (state_dir && *state_dir)
		r->state_dir = strdup(state_dir);
	else if (!state_dir && wf_store_default_dir(def, sizeof(def)) == 0)
		r->state_dir = strdup(def);
	r->watch = calloc(inv->nhosts ? inv->nhosts : 1, sizeof(*r->watch));
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->inbox_lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (ac)
		actions_set_listener(ac, wf_listener, r);
	return r;
}

/* Room for one more run. */
static struct wf_run *wf_grow(struct wf_runner *r)
{
	if (r->nruns == r->capruns) {
		size_t cap = r->capruns ? r->capruns * 2 : 16;
		struct wf_run *n = realloc(r->runs, cap * sizeof(*n));
		struct wf_step *s;

		if (!n)
			return NULL;
		r->runs = n;
		s = realloc(r->steps, cap * sizeof(*s));
		if (!s)
			return NULL;
		r->steps = s;
		r->capruns = cap;
	}
	memset(&r->steps[r->nruns], 0, sizeof(r->steps[0]));
	return &r->runs[r->nruns];
}

void wf_runner_load_state(struct wf_runner *r)
{
	struct wf_run *runs = NULL;
	size_t n = 0;
	char **errs = NULL;
	size_t nerrs = 0;

	if (!r->state_dir)
		return;
	if (wf_store_load(r->state_dir, WF_KEEP_RUNS, &runs, &n, &errs, &nerrs) < 0)
		wf_note(r, "workflow state %s: cannot read the directory", r->state_dir);
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < n; i++) {
		struct wf_run *w = wf_grow(r);

		if (!w) {
			wf_run_free(&runs[i]);
			continue;
		}
		*w = runs[i];
		for (size_t h = 0; h < r->inv->nhosts; h++)
			if (!strcmp(r->inv->hosts[h].name, w->host))
				w->host_idx = h;
		if (w->interrupted)
			wf_note(r, "workflow %s (%s on %s) was interrupted when racktop stopped; it is not resumed",
				w->id, w->template_name, w->host);
		r->nruns++;
	}
	wf_changed(r);
	pthread_mutex_unlock(&r->lock);
	for (size_t i = 0; i < nerrs; i++) {
		wf_note(r, "%s", errs[i]);
		free(errs[i]);
	}
	free(errs);
	free(runs);
}

bool wf_runner_can_start(const struct wf_runner *r)
{
	return r->engine && r->ac && !actions_read_only(r->ac);
}

const struct wf_catalog *wf_runner_catalog(const struct wf_runner *r)
{
	return r->cat;
}

bool wf_active(const struct wf_run *w)
{
	return !w->interrupted && !wf_state_final(w->state);
}

/* Under the lock. */
int wf_launch_locked(struct wf_runner *r, const struct wf_template *t, size_t host,
		     const char *origin, char *id, size_t idlen, char *err, size_t errlen)
{
	struct wf_run *w;
	const char *hname = r->inv->hosts[host].name;
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	for (size_t i = 0; i < r->nruns; i++) {
		if (r->runs[i].host_idx == host && wf_active(&r->runs[i])) {
			snprintf(err, errlen, "%s: workflow %s is still running there", hname,
				 r->runs[i].id);
			return -1;
		}
	}
	w = wf_grow(r);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(w, 0, sizeof(*w));
	w->tasks = wf_tasks_copy(t->tasks, t->ntasks);
	if (!w->tasks) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->ntasks = t->ntasks;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* Names are Kubernetes names: safe in a file name. */
	snprintf(w->id, sizeof(w->id), "%.40s-%.40s-%s-%u", t->name, hname, stamp, ++r->seq);
	text_copy(w->template_name, sizeof(w->template_name), t->name);
	text_copy(w->host, sizeof(w->host), hname);
	text_copy(w->origin, sizeof(w->origin), origin);
	w->host_idx = host;
	w->state = WF_PENDING;
	w->created = now;
	w->global_timeout_s = t->global_timeout_s;
	r->nruns++;
	if (host < r->snap.nhosts)
		r->steps[r->nruns - 1].gpus_max = r->snap.hosts[host].data.ngpus;
	{
		char what[WF_NAME + 16];

		snprintf(what, sizeof(what), "workflow %s", t->name);
		actions_audit_note(r->ac, host, what, "started", NULL);
	}
	wf_save(r, w);
	if (id)
		text_copy(id, idlen, w->id);
	return 0;
}

size_t wf_runner_launch(struct wf_runner *r, const char *name, const size_t *hosts, size_t n,
			const char *origin, char (*ids)[128], char *err, size_t errlen)
{
	const struct wf_template *t = wf_catalog_find(r->cat, name);
	size_t started = 0;
	char why[FLEET_ERR + 64] = "";

	if (!wf_runner_can_start(r)) {
		snprintf(err, errlen, "%s",
			 r->ac && actions_read_only(r->ac)
			 ? "read-only: workflows are refused (racktop was started with --read-only)"
			 : "no engine is running (display only)");
		return 0;
	}
	if (!t) {
		snprintf(err, errlen, "no template named '%s'", name);
		return 0;
	}
	if (!t->runnable) {
		snprintf(err, errlen, "template %s: %s", t->name, t->not_runnable);
		return 0;
	}
	/* The state directory is checked before anything is sent. */
	pthread_mutex_lock(&r->lock);
	r->snap_fresh = false;
	fleet_snapshot_take(r->fleet, &r->snap);
	for (size_t i = 0; i < n; i++) {
		if (hosts[i] >= r->inv->nhosts)
			continue;
		if (wf_launch_locked(r, t, hosts[i], origin, ids ? ids[started] : NULL,
				     ids ? sizeof(ids[0]) : 0, why, sizeof(why)) == 0)
			started++;
	}
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (why[0])
		snprintf(err, errlen, "%s", why);
	return started;
}

int wf_runner_cancel(struct wf_runner *r, const char *id, char *err, size_t errlen)
{
	int rc = -1;

	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->nruns; i++) {
		struct wf_run *w = &r->runs[i];

		if (strcmp(w->id, id))
			continue;
		if (!wf_active(w)) {
			snprintf(err, errlen, "workflow %s is not running (%s)", id,
				 w->interrupted ? "interrupted" : wf_state_name(w->state));
		} else {
			w->cancel = true;
			wf_changed(r);
			rc = 0;
		}
		break;
	}
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "no workflow %s", id);
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* A Workflow object from YAML, as a run for the screen. */
static void wf_object_run(const struct wf_object *o, struct wf_run *w)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->id, sizeof(w->id), "%s/%s", o->ns, o->name);
	text_copy(w->template_name, sizeof(w->template_name), o->template_ref);
	text_copy(w->host, sizeof(w->host), o->hardware_ref);
	snprintf(w->origin, sizeof(w->origin), "file");
	w->state = o->state;
	w->host_idx = (size_t)-1;
	w->tasks = wf_tasks_copy(o->tasks, o->ntasks);
	w->ntasks = w->tasks ? o->ntasks : 0;
	text_copy(w->message, sizeof(w->message), o->source);
}

void wf_changed(struct wf_runner *r)
{
	r->version++;
	if (r->fleet)
		fleet_notify(r->fleet);
}

unsigned long wf_runner_version(struct wf_runner *r)
{
	unsigned long v;

	pthread_mutex_lock(&r->lock);
	v = r->version;
	pthread_mutex_unlock(&r->lock);
	return v;
}

int wf_runner_snapshot(struct wf_runner *r, unsigned long *version, struct wf_run **runs,
		       size_t *n)
{
	struct wf_run *v;
	size_t k = 0, total;

	pthread_mutex_lock(&r->lock);
	if (*version == r->version) {
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	total = r->cat->nobjects + r->nruns;
	v = calloc(total ? total : 1, sizeof(*v));
	if (!v) {
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	for (size_t i = 0; i < r->cat->nobjects; i++)
		wf_object_run(&r->cat->objects[i], &v[k++]);
	for (size_t i = 0; i < r->nruns; i++)
		if (wf_run_copy(&v[k], &r->runs[i]) == 0)
			k++;
	*version = r->version;
	pthread_mutex_unlock(&r->lock);
	wf_runs_free(*runs, *n);
	*runs = v;
	*n = k;
	return 1;
}

int wf_runner_get(struct wf_runner *r, const char *id, struct wf_run *out)
{
	int rc = -1;

	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->nruns && rc < 0; i++)
		if (!strcmp(r->runs[i].id, id))
			rc = wf_run_copy(out, &r->runs[i]);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

size_t wf_runner_take_notices(struct wf_runner *r, char ***out)
{
	size_t n;

	pthread_mutex_lock(&r->lock);
	*out = r->notices;
	n = r->nnotices;
	r->notices = NULL;
	r->nnotices = 0;
	pthread_mutex_unlock(&r->lock);
	return n;
}

static bool wf_busy(const struct wf_runner *r)
{
	if (r->nrules)
		return true;
	for (size_t i = 0; i < r->nruns; i++)
		if (wf_active(&r->runs[i]))
			return true;
	return false;
}

static void wf_tick(struct wf_runner *r)
{
	struct wf_inbox *in;
	size_t nin;
	time_t now = time(NULL);

	pthread_mutex_lock(&r->inbox_lock);
	in = r->inbox;
	nin = r->ninbox;
	r->inbox = NULL;
	r->ninbox = r->capinbox = 0;
	pthread_mutex_unlock(&r->inbox_lock);
	fleet_snapshot_take(r->fleet, &r->snap);
	for (size_t k = 0; k < nin; k++)
		wf_step_answer(r, &in[k]);
	free(in);
	for (size_t i = 0; i < r->nruns; i++)
		if (wf_active(&r->runs[i]))
			wf_step(r, i, now);
	if (r->nrules)
		wf_rules_check(r, now);
}

static void *wf_thread(void *arg)
{
	struct wf_runner *r = arg;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		if (wf_busy(r)) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += WF_TICK_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&r->cond, &r->lock, &ts);
		} else {
			/* Nothing runs and no rule watches: no work at rest. */
			pthread_cond_wait(&r->cond, &r->lock);
		}
		if (!r->stop)
			wf_tick(r);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int wf_runner_start(struct wf_runner *r)
{
	if (pthread_create(&r->thread, NULL, wf_thread, r) != 0)
		return -1;
	r->started = true;
	return 0;
}

void wf_runner_stop(struct wf_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (r->started)
		pthread_join(r->thread, NULL);
	r->started = false;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->nruns; i++) {
		struct wf_run *w = &r->runs[i];
		char what[WF_NAME + 16];

		if (!wf_active(w))
			continue;
		w->interrupted = true;
		snprintf(w->message, sizeof(w->message), "interrupted: racktop stopped while it ran");
		wf_save(r, w);
		snprintf(what, sizeof(what), "workflow %s", w->template_name);
		actions_audit_note(r->ac, w->host_idx, what, "cancelled",
				   "racktop stopped while it ran; it is not resumed");
	}
	pthread_mutex_unlock(&r->lock);
}

void wf_runner_free(struct wf_runner *r)
{
	if (!r)
		return;
	wf_runner_stop(r);
	if (r->ac)
		actions_set_listener(r->ac, NULL, NULL);
	wf_runs_free(r->runs, r->nruns);
	free(r->steps);
	free(r->inbox);
	free(r->watch);
	for (size_t i = 0; i < r->nnotices; i++)
		free(r->notices[i]);
	free(r->notices);
	fleet_snapshot_free(&r->snap);
	free(r->state_dir);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	pthread_mutex_destroy(&r->inbox_lock);
	free(r);
}

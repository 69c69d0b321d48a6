/* Kubernetes mode: the cluster's Workflows as the workflow view's runs
 * (workflow.h), so that the screen draws them with the same code as
 * the ones racktop runs itself: progress, current action, elapsed time,
 * a failure's message, the per-action list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kube_int.h"
#include "text.h"
#include "workflow.h"

time_t kube_wf_time(const char *iso)
{
	struct tm tm;
	const char *end;

	if (!iso || !*iso)
		return 0;
	memset(&tm, 0, sizeof(tm));
	/* RFC 3339 as the API server writes it: UTC, "Z", maybe fractions. */
	end = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return 0;
	return timegm(&tm);
}

long kube_wf_seconds(const char *d)
{
	double total = 0;
	bool any = false;

	if (!d || !*d)
		return -1;
	/* A Go duration ("1m30.5s", "42s") or plain seconds ("42"). */
	while (*d) {
		char *end;
		double v = strtod(d, &end);

		if (end == d || v < 0)
			return -1;
		any = true;
		if (!strncmp(end, "ms", 2)) {
			v /= 1000;
			end += 2;
		} else if (*end == 'h') {
			v *= 3600;
			end++;
		} else if (*end == 'm') {
			v *= 60;
			end++;
		} else if (*end == 's') {
			end++;
		} else if (*end) {
			return -1;
		}
		total += v;
		d = end;
	}
	return any && total < 1e9 ? (long)total : -1;
}

/* The cluster's word as racktop's state; unknown words are PENDING
 * (the caller keeps the word for the screen). */
static int kube_wf_state(const char *s, bool *known)
{
	int st = WF_PENDING;

	*known = !*s || wf_state_parse(s, &st) == 0;
	return *known ? st : WF_PENDING;
}

int kube_wf_to_run(const struct kube_workflow *w, const char *host_name, struct wf_run *r)
{
	time_t first = 0, last = 0;
	bool known;

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s/%s", w->namespace_, w->name);
	text_copy(r->template_name, sizeof(r->template_name), w->template_ref);
	text_copy(r->host, sizeof(r->host), host_name && *host_name ? host_name : w->hardware_ref);
	r->host_idx = w->host >= 0 ? (size_t)w->host : (size_t)-1;
	snprintf(r->origin, sizeof(r->origin), "cluster");
	r->state = kube_wf_state(w->state, &known);
	if (!known)
		snprintf(r->message, sizeof(r->message), "state %s", w->state);
	r->created = kube_wf_time(w->created);
	r->ntasks = w->ntasks;
	r->tasks = w->ntasks ? calloc(w->ntasks, sizeof(*r->tasks)) : NULL;
	if (w->ntasks && !r->tasks)
		return -1;
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct kube_wf_task *kt = &w->tasks[i];
		struct wf_task *t = &r->tasks[i];
		bool all_done = kt->nactions > 0, failed = false, running = false;

		text_copy(t->name, sizeof(t->name), kt->name);
		text_copy(t->worker, sizeof(t->worker), kt->worker);
		t->nactions = kt->nactions;
		t->actions = kt->nactions ? calloc(kt->nactions, sizeof(*t->actions)) : NULL;
		if (kt->nactions && !t->actions)
			return -1;
		for (size_t j = 0; j < kt->nactions; j++) {
			const struct kube_wf_action *ka = &kt->actions[j];
			struct wf_action *a = &t->actions[j];
			long secs = kube_wf_seconds(ka->duration);

			text_copy(a->name, sizeof(a->name), ka->name);
			text_copy(a->image, sizeof(a->image), ka->image);
			a->state = kube_wf_state(ka->state, &known);
			if (!known)
				snprintf(a->message, sizeof(a->message), "state %s%s%s", ka->state,
					 ka->message[0] ? ": " : "", ka->message);
			else
				text_copy(a->message, sizeof(a->message), ka->message);
			a->attempts = a->state == WF_PENDING ? 0 : 1;
			a->started = kube_wf_time(ka->started);
			if (a->started && secs >= 0 && a->state != WF_RUNNING)
				a->stopped = a->started + secs;
			if (a->started && (!first || a->started < first))
				first = a->started;
			if (a->stopped > last)
				last = a->stopped;
			if (a->state != WF_SUCCESS)
				all_done = false;
			if (a->state == WF_FAILED || a->state == WF_TIMEOUT) {
				failed = true;
				/* The workflow's message: its first failed action's. */
				if (!r->message[0])
					snprintf(r->message, sizeof(r->message), "%.60s/%.60s: %s", kt->name,
						 ka->name, ka->message[0] ? ka->message
						 : wf_state_name(a->state));
			}
			if (a->state == WF_RUNNING)
				running = true;
		}
		t->state = failed ? WF_FAILED : all_done ? WF_SUCCESS : running ? WF_RUNNING
			   : WF_PENDING;
	}
	/* Elapsed: from the first action's start (else the creation, once
	 * it runs) to the last one's end when it is over. */
	r->started = first ? first : r->state != WF_PENDING ? r->created : 0;
	if (wf_state_final(r->state))
		r->stopped = last > r->started ? last : r->started;
	for (size_t i = 0; i < r->ntasks; i++)
		if (!strcmp(r->tasks[i].name, w->current_task)) {
			r->cur_task = i;
			for (size_t j = 0; j < r->tasks[i].nactions; j++)
				if (!strcmp(r->tasks[i].actions[j].name, w->current_action))
					r->cur_action = j;
		}
	return 0;
}

static int kube_wf_created_cmp(const void *a, const void *b)
{
	const struct kube_workflow *x = a, *y = b;
	int c = strcmp(x->created, y->created);   /* RFC 3339 UTC sorts as text */

	if (c)
		return c;
	c = strcmp(x->namespace_, y->namespace_);
	return c ? c : strcmp(x->name, y->name);
}

int kube_workflows_runs(struct kube *k, uint64_t *version, struct kube_workflow **wfs,
			struct wf_run **runs, size_t *n)
{
	struct kube_workflow *w;
	struct wf_run *r;
	size_t nw;
	uint64_t v = kube_workflows_version(k);

	if (*runs && v == *version)
		return 0;
	v = kube_workflows_snapshot(k, &w, &nw);
	qsort(w, nw, sizeof(*w), kube_wf_created_cmp);
	r = calloc(nw ? nw : 1, sizeof(*r));
	if (!r) {
		kube_workflows_free(w, nw);
		return 0;
	}
	for (size_t i = 0; i < nw; i++)
		if (kube_wf_to_run(&w[i], NULL, &r[i]) < 0)
			wf_run_free(&r[i]);   /* out of memory: shown without its tasks */
	/* The fleet's names for the hosts (else the hardwareRef stays):
	 * one lock and a lookup each, not a walk of every Hardware each. */
	pthread_mutex_lock(&k->lock);
	for (size_t i = 0; i < nw; i++) {
		const struct kube_obj *hw = w[i].host < 0 ? NULL
			: kube_store_find(k, KUBE_HARDWARE, w[i].namespace_, w[i].hardware_ref);

		if (hw && hw->host >= 0)
			text_copy(r[i].host, sizeof(r[i].host), hw->shown[0] ? hw->shown : hw->name);
	}
	pthread_mutex_unlock(&k->lock);
	wf_runs_free(*runs, *n);
	kube_workflows_free(*wfs, *n);
	*runs = r;
	*wfs = w;
	*n = nw;
	*version = v;
	return 1;
}

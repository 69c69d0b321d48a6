/* Batch mode workflows (batch_workflow.h). The runner does the work on
 * its own thread; this waits on it and prints the outcome. */
#include "batch_workflow.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "batch_signal.h"

/* How many actions W has, all tasks together. */
static size_t batch_workflow_total(const struct wf_run *w)
{
	size_t n = 0;

	for (size_t t = 0; t < w->ntasks; t++)
		n += w->tasks[t].nactions;
	return n;
}

void batch_workflow_progress(FILE *err, const struct wf_run *w, unsigned char *shown,
			     size_t nshown)
{
	size_t k = 0;
	char at[32];

	for (size_t t = 0; t < w->ntasks; t++)
		for (size_t j = 0; j < w->tasks[t].nactions; j++, k++) {
			const struct wf_action *a = &w->tasks[t].actions[j];
			bool ended = a->stopped && a->state != WF_PENDING && a->state != WF_RUNNING;

			if (k >= nshown)
				return;
			if (shown[k] == 0 && a->started) {
				batch_time_iso(at, sizeof(at), a->started);
				fprintf(err, "racktop: %s %s: %s: %s: started\n", at, w->host,
					w->template_name, a->name);
				shown[k] = 1;
			}
			if (shown[k] == 1 && ended) {
				batch_time_iso(at, sizeof(at), a->stopped);
				fprintf(err, "racktop: %s %s: %s: %s: %s after %lld s%s%s\n", at, w->host,
					w->template_name, a->name, wf_state_name(a->state),
					(long long)(a->stopped - a->started),
					a->state != WF_SUCCESS && a->message[0] ? ": " : "",
					a->state != WF_SUCCESS ? a->message : "");
				shown[k] = 2;
			}
		}
	fflush(err);
}

/* The longest a template can take: every attempt of every action,
 * bounded by its global_timeout; a guard against a bug, never reached
 * in the normal case because every action has its own limit. */
static long batch_workflow_limit(const struct wf_template *t)
{
	long s = 0;

	for (size_t i = 0; i < t->ntasks; i++)
		for (size_t j = 0; j < t->tasks[i].nactions; j++) {
			const struct wf_action *a = &t->tasks[i].actions[j];

			s += (long)(a->timeout_s + a->retry_delay_s + 1) * (a->retries + 1);
		}
	if (t->global_timeout_s && t->global_timeout_s < s)
		s = t->global_timeout_s;
	return s + 60;
}

int batch_workflow_run(struct fleet *fleet, struct wf_runner *r, const char *name,
		       const size_t *hosts, size_t n, FILE *out)
{
	const struct wf_template *t = wf_catalog_find(wf_runner_catalog(r), name);
	char (*ids)[128] = calloc(n ? n : 1, sizeof(*ids));
	bool *printed = calloc(n ? n : 1, sizeof(*printed));
	/* What each host's progress lines on stderr have said so far. */
	unsigned char **shown = calloc(n ? n : 1, sizeof(*shown));
	size_t *nshown = calloc(n ? n : 1, sizeof(*nshown));
	char err[600] = "";
	size_t started, left;
	time_t deadline;
	int rc = 0, sig = 0;

	if (!ids || !printed || !shown || !nshown || !t) {
		fprintf(stderr, "racktop: --workflow %s: %s\n", name, t ? "out of memory" : "no such template");
		free(ids);
		free(printed);
		free(shown);
		free(nshown);
		return 2;
	}
	/* The wait for healthy GPUs compares with what the host had: its
	 * first poll ends, however long a slow BMC takes (each request has
	 * its limit). */
	for (;;) {
		struct fleet_snapshot snap = { 0 };
		size_t polled = 0;

		fleet_snapshot_take(fleet, &snap);
		for (size_t i = 0; i < n; i++)
			if (hosts[i] < snap.nhosts && snap.hosts[hosts[i]].polls > 0)
				polled++;
		fleet_snapshot_free(&snap);
		if (polled == n)
			break;
		if (batch_signal_wait(fleet, 1000)) {
			/* Nothing started: nothing to record. */
			free(ids);
			free(printed);
			free(shown);
			free(nshown);
			return BATCH_SIGNAL_EXIT;
		}
	}
	started = wf_runner_launch(r, name, hosts, n, "batch", ids, err, sizeof(err));
	if (started == 0) {
		fprintf(stderr, "racktop: --workflow %s: %s\n", name, err);
		free(ids);
		free(printed);
		free(shown);
		free(nshown);
		return 2;
	}
	if (started < n) {
		fprintf(stderr, "racktop: --workflow %s: started on %zu of %zu hosts: %s\n", name,
			started, n, err);
		rc = 1;
	}
	deadline = time(NULL) + batch_workflow_limit(t);
	left = started;
	while (left > 0) {
		for (size_t i = 0; i < started; i++) {
			struct wf_run w;
			json_t *o;

			if (printed[i] || wf_runner_get(r, ids[i], &w) < 0)
				continue;
			if (!shown[i] && (nshown[i] = batch_workflow_total(&w)) > 0)
				shown[i] = calloc(nshown[i], 1);
			if (shown[i])
				batch_workflow_progress(stderr, &w, shown[i], nshown[i]);
			if (!wf_state_final(w.state) && !w.interrupted && time(NULL) < deadline) {
				wf_run_free(&w);
				continue;
			}
			printed[i] = true;
			left--;
			if (w.state != WF_SUCCESS)
				rc = 1;
			o = wf_run_json(&w);
			if (json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
			    fputc('\n', out) == EOF || fflush(out) != 0)
				rc = 1;
			json_decref(o);
			wf_run_free(&w);
		}
		if (left && sig)
			break;   /* stopped, and the runner lost a run: never waits */
		if (left && (sig = batch_signal_wait(fleet, 250))) {
			/* Running workflows end interrupted, their audit lines
			 * "cancelled" (and the engine's actions in flight as the
			 * engine stops); each is printed so. */
			wf_runner_stop(r);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(shown[i]);
	free(ids);
	free(printed);
	free(shown);
	free(nshown);
	return sig ? BATCH_SIGNAL_EXIT : rc;
}

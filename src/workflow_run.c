/* What templates, workflow objects and runs share (workflow.h): state
 * names, deep copies of task lists, progress. */
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const wf_state_names[] = { "PENDING", "RUNNING", "SUCCESS", "FAILED",
					       "TIMEOUT" };
#define WF_NSTATES (sizeof(wf_state_names) / sizeof(wf_state_names[0]))

const char *wf_state_name(int state)
{
	return state >= 0 && (size_t)state < WF_NSTATES ? wf_state_names[state] : "?";
}

int wf_state_parse(const char *s, int *out)
{
	if (!s)
		return -1;
	/* tink before v0.8 wrote STATE_PENDING; v1alpha2 sends numbers. */
	if (!strncmp(s, "STATE_", 6))
		s += 6;
	for (size_t i = 0; i < WF_NSTATES; i++) {
		if (!strcmp(s, wf_state_names[i])) {
			*out = (int)i;
			return 0;
		}
	}
	if (s[0] >= '0' && s[0] <= '4' && s[1] == '\0') {
		*out = s[0] - '0';
		return 0;
	}
	return -1;
}

bool wf_state_final(int state)
{
	return state == WF_SUCCESS || state == WF_FAILED || state == WF_TIMEOUT;
}

struct wf_task *wf_tasks_copy(const struct wf_task *t, size_t n)
{
	struct wf_task *c = calloc(n ? n : 1, sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		c[i] = t[i];
		c[i].actions = calloc(t[i].nactions ? t[i].nactions : 1, sizeof(struct wf_action));
		if (!c[i].actions) {
			wf_tasks_free(c, i);
			return NULL;
		}
		if (t[i].nactions)
			memcpy(c[i].actions, t[i].actions, t[i].nactions * sizeof(struct wf_action));
	}
	return c;
}

void wf_tasks_free(struct wf_task *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		free(t[i].actions);
	free(t);
}

void wf_run_progress(const struct wf_run *w, size_t *done, size_t *total)
{
	*done = *total = 0;
	for (size_t i = 0; i < w->ntasks; i++) {
		for (size_t j = 0; j < w->tasks[i].nactions; j++) {
			(*total)++;
			if (w->tasks[i].actions[j].state == WF_SUCCESS)
				(*done)++;
		}
	}
}

const struct wf_action *wf_run_current(const struct wf_run *w, const struct wf_task **task)
{
	const struct wf_action *last = NULL;

	/* The first action not done: the one running, or where it stopped. */
	for (size_t i = 0; i < w->ntasks; i++) {
		for (size_t j = 0; j < w->tasks[i].nactions; j++) {
			const struct wf_action *a = &w->tasks[i].actions[j];

			if (task)
				*task = &w->tasks[i];
			last = a;
			if (a->state != WF_SUCCESS)
				return a;
		}
	}
	return last;
}

void wf_run_free(struct wf_run *w)
{
	if (!w)
		return;
	wf_tasks_free(w->tasks, w->ntasks);
	w->tasks = NULL;
	w->ntasks = 0;
}

int wf_run_copy(struct wf_run *dst, const struct wf_run *src)
{
	*dst = *src;
	dst->tasks = wf_tasks_copy(src->tasks, src->ntasks);
	if (!dst->tasks) {
		dst->ntasks = 0;
		return -1;
	}
	return 0;
}

void wf_runs_free(struct wf_run *runs, size_t n)
{
	for (size_t i = 0; runs && i < n; i++)
		wf_run_free(&runs[i]);
	free(runs);
}

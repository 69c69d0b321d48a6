/* One step of a running workflow, and the recovery rules: everything
 * here runs on the runner's thread under its lock (workflow_int.h).
 *
 * An action is tried at most 1 + retries times; each attempt has its
 * own timeout. A BMC action ends when the engine says so; a wait ends
 * when a poll taken after the attempt began shows the condition (the
 * runner asks for polls every WF_POLL_S while it waits). */
#include "workflow_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

#define WF_POLL_S 2

static const struct fleet_host *wf_host(struct wf_runner *r, const struct wf_run *w)
{
	return w->host_idx < r->snap.nhosts ? &r->snap.hosts[w->host_idx] : NULL;
}

static void wf_audit(struct wf_runner *r, struct wf_run *w, const char *result, const char *error)
{
	char what[WF_NAME + 16];

	snprintf(what, sizeof(what), "workflow %s", w->template_name);
	actions_audit_note(r->ac, w->host_idx, what, result, error);
}

/* The workflow ends in STATE with MSG (NULL for success). */
static void wf_finish(struct wf_runner *r, struct wf_run *w, int state, const char *msg,
		      time_t now)
{
	w->state = state;
	w->stopped = now;
	text_copy(w->message, sizeof(w->message), msg ? msg : "");
	wf_audit(r, w, state == WF_SUCCESS ? "done" : w->cancel ? "cancelled" : "failed",
		 state == WF_SUCCESS ? NULL : w->message);
	/* A failed recovery is not started again on that host (no loops). */
	if (state != WF_SUCCESS && !strncmp(w->origin, "recover ", 8) &&
	    w->host_idx < r->inv->nhosts)
		r->watch[w->host_idx].blocked = true;
	wf_save(r, w);
}

/* The current action ends in STATE (SUCCESS, FAILED, TIMEOUT): the
 * workflow moves on or ends. */
static void wf_action_end(struct wf_runner *r, size_t i, int state, const char *msg, time_t now)
{
	struct wf_run *w = &r->runs[i];
	struct wf_task *t = &w->tasks[w->cur_task];
	struct wf_action *a = &t->actions[w->cur_action];
	char why[WF_MSG];

	a->state = state;
	a->stopped = now;
	text_copy(a->message, sizeof(a->message), msg ? msg : "");
	if (state != WF_SUCCESS) {
		t->state = state;
		t->stopped = now;
		snprintf(why, sizeof(why), "task %.40s, action %.40s: %s", t->name, a->name,
			 msg ? msg : wf_state_name(state));
		wf_finish(r, w, state, why, now);
		return;
	}
	if (++w->cur_action >= t->nactions) {
		t->state = WF_SUCCESS;
		t->stopped = now;
		w->cur_action = 0;
		if (++w->cur_task >= w->ntasks) {
			w->cur_task = w->ntasks - 1;
			w->cur_action = w->tasks[w->cur_task].nactions - 1;
			wf_finish(r, w, WF_SUCCESS, NULL, now);
			return;
		}
	}
	wf_save(r, w);
}

/* An attempt failed: retry when attempts are left, else end. */
static void wf_attempt_failed(struct wf_runner *r, size_t i, int state, const char *msg,
			      time_t now)
{
	struct wf_run *w = &r->runs[i];
	struct wf_action *a = &w->tasks[w->cur_task].actions[w->cur_action];
	struct wf_step *s = &r->steps[i];

	s->sent = false;
	if (a->attempts <= a->retries) {
		snprintf(a->message, sizeof(a->message), "attempt %d of %d %s: %.150s; again in %d s",
			 a->attempts, a->retries + 1, state == WF_TIMEOUT ? "timed out" : "failed",
			 msg, a->retry_delay_s);
		a->state = WF_PENDING;
		s->next_attempt = now + a->retry_delay_s;
		wf_save(r, w);
		return;
	}
	wf_action_end(r, i, state, msg, now);
}

void wf_step_answer(struct wf_runner *r, const struct wf_inbox *in)
{
	for (size_t i = 0; i < r->nruns; i++) {
		struct wf_run *w = &r->runs[i];
		struct wf_step *s = &r->steps[i];
		const struct wf_action *a;

		if (!wf_active(w) || !s->sent || s->answered || w->host_idx != in->host)
			continue;
		a = &w->tasks[w->cur_task].actions[w->cur_action];
		if (a->engine_action != in->a)
			continue;
		s->answered = true;
		s->answer_state = in->state;
		text_copy(s->answer, sizeof(s->answer), in->result);
		return;
	}
}

void wf_health_reason(const struct fleet_host *h, double limit_c, size_t gpus, char *buf,
		      size_t n)
{
	size_t present = 0;
	double hot;

	buf[0] = '\0';
	if (!h->has_data) {
		snprintf(buf, n, "no readings yet");
		return;
	}
	if (h->data.power != FLEET_POWER_ON) {
		snprintf(buf, n, "power is %s", fleet_power_name(h->data.power));
		return;
	}
	for (size_t g = 0; g < h->data.ngpus; g++) {
		const struct fleet_gpu *gp = &h->data.gpus[g];

		if (!strcasecmp(gp->state, "Absent")) {
			snprintf(buf, n, "GPU %s is absent", gp->id[0] ? gp->id : "?");
			return;
		}
		present++;
	}
	if (present < gpus) {
		snprintf(buf, n, "%zu of %zu GPUs present", present, gpus);
		return;
	}
	for (size_t g = 0; g < h->data.ngpus; g++) {
		if (h->data.gpus[g].health == FLEET_HEALTH_CRITICAL) {
			snprintf(buf, n, "GPU %s is critical", h->data.gpus[g].id);
			return;
		}
	}
	hot = fleet_host_hottest_gpu(h);
	if (fleet_has(hot) && hot >= limit_c)
		snprintf(buf, n, "hottest GPU at %.0f C, limit %.0f C", hot, limit_c);
}

/* A new attempt at the current action. */
static void wf_attempt(struct wf_runner *r, size_t i, time_t now)
{
	struct wf_run *w = &r->runs[i];
	struct wf_action *a = &w->tasks[w->cur_task].actions[w->cur_action];
	struct wf_step *s = &r->steps[i];
	const struct fleet_host *h = wf_host(r, w);
	char err[FLEET_ERR + 64];

	a->state = WF_RUNNING;
	if (!a->started)
		a->started = now;
	a->attempts++;
	s->attempt_start = now;
	s->polls_at_start = h ? h->polls : 0;
	s->sent = s->answered = false;
	s->last_poll = 0;
	switch (a->kind) {
	case WF_KIND_POWER:
	case WF_KIND_BOOT:
	case WF_KIND_BMC_RESET:
		if (actions_request(r->ac, &w->host_idx, 1, (enum engine_action)a->engine_action,
				    err, sizeof(err)) < 0) {
			wf_attempt_failed(r, i, WF_FAILED, err, now);
			return;
		}
		s->sent = true;
		snprintf(a->message, sizeof(a->message), "%s: sent, waiting for the BMC",
			 engine_action_name((enum engine_action)a->engine_action));
		break;
	case WF_KIND_EXTERNAL:
		wf_action_end(r, i, WF_FAILED, "a container image: Tinkerbell's agent runs it, not racktop", now);
		return;
	default:
		a->message[0] = '\0';
		break;
	}
	wf_save(r, w);
}

/* Checks the running attempt. */
static void wf_check(struct wf_runner *r, size_t i, time_t now)
{
	struct wf_run *w = &r->runs[i];
	struct wf_action *a = &w->tasks[w->cur_task].actions[w->cur_action];
	struct wf_step *s = &r->steps[i];
	const struct fleet_host *h = wf_host(r, w);
	bool fresh = h && h->polls > s->polls_at_start;
	char why[WF_MSG] = "";

	if (h && h->data.ngpus > s->gpus_max)
		s->gpus_max = h->data.ngpus;
	switch (a->kind) {
	case WF_KIND_POWER:
	case WF_KIND_BOOT:
	case WF_KIND_BMC_RESET:
		if (!s->answered)
			break;
		s->sent = false;
		if (s->answer_state == FLEET_ACTION_DONE)
			wf_action_end(r, i, WF_SUCCESS, s->answer, now);
		else
			wf_attempt_failed(r, i, WF_FAILED, s->answer, now);
		return;
	case WF_KIND_WAIT_POWER: {
		enum fleet_power want = a->power_on ? FLEET_POWER_ON : FLEET_POWER_OFF;

		if (fresh && h->has_data && h->data.power == want) {
			snprintf(why, sizeof(why), "power is %s", fleet_power_name(want));
			wf_action_end(r, i, WF_SUCCESS, why, now);
			return;
		}
		snprintf(why, sizeof(why), "waiting for power %s (now %s)", a->power_on ? "on" : "off",
			 h && h->has_data ? fleet_power_name(h->data.power) : "unknown");
		break;
	}
	case WF_KIND_WAIT_HEALTHY:
		if (!fresh) {
			snprintf(why, sizeof(why), "waiting for a poll");
		} else if (h->error[0]) {
			snprintf(why, sizeof(why), "host unreachable: %.200s", h->error);
		} else {
			wf_health_reason(h, a->limit_c, a->gpus ? (size_t)a->gpus : s->gpus_max, why,
					 sizeof(why));
			if (!why[0]) {
				snprintf(why, sizeof(why), "%zu GPUs present, none critical, hottest below %.0f C",
					 h->data.ngpus, a->limit_c);
				wf_action_end(r, i, WF_SUCCESS, why, now);
				return;
			}
		}
		break;
	case WF_KIND_PAUSE:
		if (now - s->attempt_start >= a->seconds) {
			wf_action_end(r, i, WF_SUCCESS, NULL, now);
			return;
		}
		snprintf(why, sizeof(why), "pausing %d s", a->seconds);
		break;
	default:
		break;
	}
	if (why[0] && strcmp(why, a->message)) {
		text_copy(a->message, sizeof(a->message), why);
		wf_changed(r);
	}
	if (now - s->attempt_start >= a->timeout_s) {
		char msg[WF_MSG];

		/* A health check that never passes fails with its reason;
		 * anything else that runs out of time is a TIMEOUT. */
		if (a->kind == WF_KIND_WAIT_HEALTHY) {
			snprintf(msg, sizeof(msg), "not healthy after %d s: %.180s", a->timeout_s, why);
			wf_attempt_failed(r, i, WF_FAILED, msg, now);
		} else {
			snprintf(msg, sizeof(msg), "no result within %d s%s%.180s", a->timeout_s,
				 why[0] ? ": " : "", why);
			wf_attempt_failed(r, i, WF_TIMEOUT, msg, now);
		}
		return;
	}
	if ((a->kind == WF_KIND_WAIT_POWER || a->kind == WF_KIND_WAIT_HEALTHY) && r->engine &&
	    now - s->last_poll >= WF_POLL_S) {
		s->last_poll = now;
		engine_request(r->engine, w->host_idx, ENGINE_ACTION_POLL_NOW);
	}
}

void wf_step(struct wf_runner *r, size_t i, time_t now)
{
	struct wf_run *w = &r->runs[i];
	struct wf_task *t;
	struct wf_action *a;
	char msg[WF_MSG];

	if (w->state == WF_PENDING) {
		w->state = WF_RUNNING;
		w->started = now;
		wf_save(r, w);
	}
	t = &w->tasks[w->cur_task];
	a = &t->actions[w->cur_action];
	if (w->cancel) {
		a->state = WF_FAILED;
		a->stopped = now;
		snprintf(a->message, sizeof(a->message), "cancelled by the operator");
		t->state = WF_FAILED;
		t->stopped = now;
		snprintf(msg, sizeof(msg), "cancelled by the operator in task %.40s, action %.40s",
			 t->name, a->name);
		wf_finish(r, w, WF_FAILED, msg, now);
		return;
	}
	if (w->global_timeout_s && now - w->started >= w->global_timeout_s) {
		snprintf(msg, sizeof(msg), "global_timeout of %d s passed", w->global_timeout_s);
		wf_action_end(r, i, WF_TIMEOUT, msg, now);
		return;
	}
	if (t->state == WF_PENDING) {
		t->state = WF_RUNNING;
		t->started = now;
	}
	if (t->timeout_s && now - t->started >= t->timeout_s) {
		snprintf(msg, sizeof(msg), "the task's timeout of %d s passed", t->timeout_s);
		wf_action_end(r, i, WF_TIMEOUT, msg, now);
		return;
	}
	if (a->state == WF_PENDING) {
		if (now < r->steps[i].next_attempt)
			return;
		wf_attempt(r, i, now);
		return;
	}
	wf_check(r, i, now);
}

static bool wf_rule_holds(const struct wf_rule *rule, const struct fleet_host *h)
{
	if (!h->has_data)
		return false;
	for (size_t g = 0; g < h->data.ngpus; g++) {
		const struct fleet_gpu *gp = &h->data.gpus[g];
		bool absent = !strcasecmp(gp->state, "Absent");

		if (absent || (rule->when == WF_WHEN_GPU_CRITICAL &&
			       gp->health == FLEET_HEALTH_CRITICAL))
			return true;
	}
	return false;
}

void wf_rules_check(struct wf_runner *r, time_t now)
{
	(void)now;
	for (size_t hi = 0; hi < r->snap.nhosts && hi < r->inv->nhosts; hi++) {
		const struct fleet_host *h = &r->snap.hosts[hi];
		struct wf_watch *wt = &r->watch[hi];
		bool busy = false;

		if (h->polls == wt->polls_seen)
			continue;
		wt->polls_seen = h->polls;
		for (size_t i = 0; i < r->nruns && !busy; i++)
			busy = r->runs[i].host_idx == hi && wf_active(&r->runs[i]);
		/* The first rule whose condition holds decides; the streak
		 * counts polls in a row on which one held. */
		for (size_t k = 0; k <= r->nrules; k++) {
			const struct wf_rule *rule = &r->rules[k];
			const struct wf_template *t;
			char origin[WF_NAME + 16], err[300], id[128];
			size_t running = 0;

			if (k == r->nrules) {
				wt->streak = 0;
				break;
			}
			if (!wf_rule_holds(rule, h))
				continue;
			if (++wt->streak < rule->polls || busy || wt->blocked)
				break;
			snprintf(origin, sizeof(origin), "recover %s", rule->name);
			for (size_t i = 0; i < r->nruns; i++)
				if (wf_active(&r->runs[i]) && !strcmp(r->runs[i].origin, origin))
					running++;
			if (running >= (size_t)rule->max_hosts)
				break;   /* waits for a slot; the streak stays */
			t = wf_catalog_find(r->cat, rule->template_name);
			if (!t || !t->runnable || !wf_runner_can_start(r)) {
				wf_note(r, "recovery rule %s: cannot start %s on %s: %s", rule->name,
					rule->template_name, h->name,
					!t ? "no such template" : !t->runnable ? t->not_runnable
					: "read-only or no engine");
				wt->blocked = true;
				break;
			}
			wt->streak = 0;
			if (wf_launch_locked(r, t, hi, origin, id, sizeof(id), err, sizeof(err)) < 0)
				wf_note(r, "recovery rule %s on %s: %s", rule->name, h->name, err);
			else
				wf_note(r, "recovery rule %s started %s on %s (workflow %s)", rule->name,
					rule->template_name, h->name, id);
			break;
		}
	}
}

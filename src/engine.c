/* The engine thread: one event loop that owns all BMC network I/O.
 *
 * Every host that is not being polled has a timer (its next poll) in a
 * min-heap (timer_heap.c): finding the next due one costs O(1), moving
 * one O(log n), however large the fleet. The loop sleeps in the HTTP
 * transport (epoll, http.c) until a transfer moves, the first timer is
 * due or engine_request() wakes it; with nothing due and nothing in
 * flight it sleeps without waking. A poll result goes into the fleet store;
 * a failure keeps the old data, shows the error and backs off. One slow
 * host only ever holds its own requests.
 *
 * Blocking protocols (IPMI with FreeIPMI) will run on a worker pool whose
 * completions come back here through the same backend callbacks: the
 * pool's wake-up goes through http_wakeup() (an eventfd), and its
 * finished jobs are drained in engine_loop() next to the request queue. */
#include "engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "engine_debug.h"
#include "http.h"
#include "text.h"
#include "timer_heap.h"
#include "workers.h"

#define ENGINE_LOGOUT_DEADLINE_S 2.0
#define ENGINE_AFTER_ACTION_S 1.0
/* While an accepted power action waits for its state: a poll this often. */
#define ENGINE_AWAIT_POLL_S 3.0
#define ENGINE_ACTION_WAIT_S 120
/* The longest sleep with nothing due: a wake-up a day is no load. */
#define ENGINE_IDLE_MAX_MS (24 * 3600 * 1000)
/* The longest sleep while transfers are in flight: libcurl (7.88) can
 * hold a transfer with no socket event and no timer to wake it, and
 * only a later curl_multi_perform() moves it (seen here after a BMC
 * dropped our session). Never reached while nothing is in flight. */
#define ENGINE_BUSY_MAX_MS 500

struct engine_req {
	size_t host;
	enum engine_action a;
	struct engine_req *next;
};

struct engine_host {
	struct engine *e;
	size_t idx;
	const struct backend *be;
	void *bh;                   /* NULL: not polled (its error is shown) */
	bool busy;                  /* a poll is running */
	bool acting;                /* an action is running */
	enum engine_action doing;   /* which one */
	bool poll_asap;
	bool had_data;              /* a poll went well: no first poll any more */
	unsigned failures;
	/* The first poll while it runs (fleet_host_set_first_poll). */
	time_t first_started;
	unsigned first_answers;
	double first_slowest_s;
	atomic_uint restarts;       /* first polls failed, started again (engine_debug.h) */
	struct engine_req *actions; /* waiting for the running one */
	/* An accepted power action waiting for a poll to see its state. */
	enum engine_action await_a; /* ENGINE_ACTION_POLL_NOW: none */
	enum fleet_power await_power;
	double await_since, await_until;
	char *await_answer;         /* the BMC's answer when it accepted it (malloc'd) */
};

struct engine {
	struct fleet *fleet;
	const struct inventory *inv;
	struct engine_config cfg;
	char *ca_file;
	struct http *http;
	struct workers *workers;    /* blocking backends (IPMI); threads start on demand */
	struct backend_env env;
	size_t nhosts;
	struct engine_host *hosts;
	struct timer_heap timers;   /* next poll of each idle host, monotonic s */
	atomic_ulong passes;        /* loop passes (engine_debug.h) */
	pthread_t thread;
	bool started;
	atomic_bool stop;
	bool stopping;
	int logouts;
	pthread_mutex_t lock;
	struct engine_req *q_head, *q_tail;
	size_t focus_want;          /* engine_focus's last word (under LOCK) */
	size_t focus;               /* the focused host as applied (engine thread) */
	unsigned seed;
	engine_action_hook hook;    /* audit: told before the record changes */
	void *hook_arg;
};

void engine_config_defaults(struct engine_config *c)
{
	memset(c, 0, sizeof(*c));
	c->poll_interval_s = 10;
	c->timeout_ms = 10000;
	c->max_per_host = 4;
	c->max_total = 512;
	c->backoff_max_s = 300;
	c->max_body = 4u << 20;
	c->ca_file = NULL;
	c->ipmi_workers = 8;
}

static double engine_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A first poll can take minutes on a slow BMC: the operator sees it
 * move (fleet_host_set_first_poll) instead of a bare "waiting". Later
 * polls have data to show and say nothing. */
static void engine_poll_progress(void *arg, double elapsed_s)
{
	struct engine_host *h = arg;

	if (h->had_data || !h->first_started || h->e->stopping)
		return;
	h->first_answers++;
	if (elapsed_s > h->first_slowest_s)
		h->first_slowest_s = elapsed_s;
	fleet_host_set_first_poll(h->e->fleet, h->idx, h->first_started, h->first_answers,
				  h->first_slowest_s);
}

/* A fleet needs about one descriptor per connection: those kept idle
 * for each BMC and max_total in use (http.c). Raise the soft limit
 * toward the hard one when the default 1024 is too small. */
static void engine_raise_nofile(const struct engine_config *c, size_t nhosts)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)nhosts * (rlim_t)c->max_per_host + (rlim_t)c->max_total + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static const struct backend *engine_backend(const struct inventory_host *ih)
{
	switch (ih->protocol) {
	case FLEET_PROTO_REDFISH: return ih->ipmi_fallback ? &ipmi_fallback_backend : &redfish_backend;
	case FLEET_PROTO_IPMI: return &ipmi_backend;
	default: return NULL;
	}
}

/* A worker finished a job: make the loop's poll return to drain it. */
static void engine_workers_wake(void *arg)
{
	struct engine *e = arg;

	http_wakeup(e->http);
}

struct engine *engine_new(struct fleet *fleet, const struct inventory *inv,
			  const struct engine_config *cfg)
{
	struct engine *e = calloc(1, sizeof(*e));
	struct engine_config def;

	if (!e)
		return NULL;
	engine_config_defaults(&def);
	e->cfg = cfg ? *cfg : def;
	if (e->cfg.poll_interval_s <= 0)
		e->cfg.poll_interval_s = def.poll_interval_s;
	if (e->cfg.timeout_ms <= 0)
		e->cfg.timeout_ms = def.timeout_ms;
	if (e->cfg.max_per_host <= 0)
		e->cfg.max_per_host = def.max_per_host;
	if (e->cfg.max_total <= 0)
		e->cfg.max_total = def.max_total;
	if (e->cfg.backoff_max_s <= 0)
		e->cfg.backoff_max_s = def.backoff_max_s;
	if (e->cfg.max_body == 0)
		e->cfg.max_body = def.max_body;
	if (e->cfg.ipmi_workers <= 0)
		e->cfg.ipmi_workers = def.ipmi_workers;
	if (e->cfg.action_wait_s <= 0)
		e->cfg.action_wait_s = ENGINE_ACTION_WAIT_S;
	/* max_per_host stays what one BMC handles, whatever the fleet's size:
	 * max_total alone bounds the fleet (http.c). Shrinking it to
	 * max_total / hosts (1 from 512 hosts on) made a slow BMC's first
	 * poll (tens of requests at 2-5 s each) run one request at a time. */
	e->ca_file = e->cfg.ca_file ? strdup(e->cfg.ca_file) : NULL;
	e->cfg.ca_file = e->ca_file;
	e->fleet = fleet;
	e->inv = inv;
	e->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	pthread_mutex_init(&e->lock, NULL);
	e->focus_want = e->focus = ENGINE_NO_FOCUS;
	e->nhosts = inv ? inv->nhosts : 0;
	engine_raise_nofile(&e->cfg, e->nhosts);
	e->http = http_new(&e->cfg, e->nhosts);
	if (!e->http) {
		free(e->ca_file);
		free(e);
		return NULL;
	}
	e->workers = workers_new(e->cfg.ipmi_workers, engine_workers_wake, e);
	if (!e->workers) {
		http_free(e->http);
		free(e->ca_file);
		free(e);
		return NULL;
	}
	e->env.cfg = &e->cfg;
	e->env.http = http_transport(e->http);
	e->env.workers = e->workers;
	e->env.progress = engine_poll_progress;
	e->hosts = calloc(e->nhosts ? e->nhosts : 1, sizeof(*e->hosts));
	if (!e->hosts || timer_heap_init(&e->timers, e->nhosts) != 0)
		abort();
	for (size_t i = 0; i < e->nhosts; i++) {
		const struct inventory_host *ih = &inv->hosts[i];
		struct engine_host *h = &e->hosts[i];
		char url[300], err[FLEET_ERR] = "";

		inventory_host_url(ih, url, sizeof(url));
		h->e = e;
		h->idx = fleet_host_add(fleet, ih->name, url, ih->protocol, ih->cred_ref);
		if (ih->error[0]) {
			fleet_host_fail(fleet, h->idx, ih->error, time(NULL));
			continue;
		}
		h->be = engine_backend(ih);
		if (!h->be) {
			fleet_host_fail(fleet, h->idx, "no backend for this protocol", time(NULL));
			continue;
		}
		h->bh = h->be->host_new(&e->env, ih, err, sizeof(err));
		if (!h->bh)
			fleet_host_fail(fleet, h->idx, err, time(NULL));
		else
			timer_heap_set(&e->timers, i, 0);
	}
	return e;
}

/* ---- polls ---- */

/* When host H polls next: AT (monotonic seconds). */
static void engine_schedule(struct engine_host *h, double at)
{
	timer_heap_set(&h->e->timers, (size_t)(h - h->e->hosts), at);
}

static double engine_backoff(struct engine *e, unsigned failures)
{
	double b = 1;

	for (unsigned i = 0; i < failures && b < e->cfg.backoff_max_s; i++)
		b *= 2;
	if (b > e->cfg.backoff_max_s)
		b = e->cfg.backoff_max_s;
	/* +-20 % so a rack that failed together does not retry together. */
	return b * (0.8 + 0.4 * ((double)rand_r(&e->seed) / RAND_MAX));
}

static void engine_await_check(struct engine_host *h, bool polled, enum fleet_power seen,
			       double now);

static void engine_poll_done(void *arg, struct fleet_host_data *data, const char *error)
{
	struct engine_host *h = arg;
	struct engine *e = h->e;
	double now = engine_now();
	enum fleet_power seen = data ? data->power : FLEET_POWER_UNKNOWN;

	h->busy = false;
	if (e->stopping)
		return;
	if (!h->had_data) {
		h->first_started = 0;
		fleet_host_set_first_poll(e->fleet, h->idx, 0, 0, 0);
		if (!data)   /* the next poll starts it over */
			atomic_fetch_add(&h->restarts, 1);
	}
	if (data) {
		h->had_data = true;
		fleet_host_update(e->fleet, h->idx, data, time(NULL));
		h->failures = 0;
		engine_schedule(h, now + e->cfg.poll_interval_s);
	} else {
		fleet_host_fail(e->fleet, h->idx, error, time(NULL));
		h->failures++;
		engine_schedule(h, now + engine_backoff(e, h->failures));
	}
	engine_await_check(h, data != NULL, seen, now);
	if (h->poll_asap) {
		h->poll_asap = false;
		engine_schedule(h, now);
	}
}

static void engine_poll(struct engine_host *h)
{
	h->busy = true;
	timer_heap_remove(&h->e->timers, (size_t)(h - h->e->hosts));
	if (!h->had_data) {
		h->first_started = time(NULL);
		h->first_answers = 0;
		h->first_slowest_s = 0;
		fleet_host_set_first_poll(h->e->fleet, h->idx, h->first_started, 0, 0);
	}
	h->be->poll(h->bh, engine_poll_done, h);
}

int engine_per_host_limit(struct engine *e)
{
	return e->cfg.max_per_host;
}

unsigned engine_poll_restarts(struct engine *e, size_t host)
{
	return host < e->nhosts ? atomic_load(&e->hosts[host].restarts) : 0;
}

/* ---- actions ---- */

const char *engine_action_name(enum engine_action a)
{
	switch (a) {
	case ENGINE_ACTION_POLL_NOW: return "poll now";
	case ENGINE_ACTION_POWER_ON: return "power On";
	case ENGINE_ACTION_POWER_OFF: return "power ForceOff";
	case ENGINE_ACTION_POWER_SOFT: return "power GracefulShutdown";
	case ENGINE_ACTION_POWER_CYCLE: return "power PowerCycle";
	case ENGINE_ACTION_POWER_RESET: return "power ForceRestart";
	case ENGINE_ACTION_BOOT_PXE: return "boot PXE";
	case ENGINE_ACTION_BOOT_DISK: return "boot disk";
	case ENGINE_ACTION_BOOT_BIOS: return "boot BIOS";
	case ENGINE_ACTION_BMC_RESET: return "BMC reset";
	case ENGINE_ACTION_CLEAR_LOG: return "clear log";
	default: return "unknown action";
	}
}

/* The power a power action leaves the host in, when a poll can see it;
 * UNKNOWN for the rest (a cycle or reset is On before and after). */
static enum fleet_power engine_action_power(enum engine_action a)
{
	switch (a) {
	case ENGINE_ACTION_POWER_ON: return FLEET_POWER_ON;
	case ENGINE_ACTION_POWER_OFF:
	case ENGINE_ACTION_POWER_SOFT: return FLEET_POWER_OFF;
	default: return FLEET_POWER_UNKNOWN;
	}
}

/* The host's action record: the operator sees how each action ends. */
static void engine_note(struct engine_host *h, enum engine_action a, int state,
			const char *result)
{
	if (h->e->hook)
		h->e->hook(h->e->hook_arg, h->idx, a, state, result);
	fleet_host_set_action(h->e->fleet, h->idx, engine_action_name(a), state, result,
			      time(NULL));
}

static void engine_action_start(struct engine_host *h, enum engine_action a);

static void engine_action_done(void *arg, const char *error, enum fleet_power power,
			       const char *result)
{
	struct engine_host *h = arg;
	struct engine *e = h->e;
	struct engine_req *q;

	h->acting = false;
	/* Recorded even while stopping: a cancelled action is not dropped.
	 * "cancelled" (the audit log's word, actions.c) though it may have
	 * reached the BMC: the operator must look before asking again. */
	if (e->stopping && error) {
		char why[FLEET_ERR];

		snprintf(why, sizeof(why), "cancelled: racktop stopped before the BMC answered; "
			 "the request may have reached it (%s)", error);
		engine_note(h, h->doing, FLEET_ACTION_FAILED, why);
		return;
	}
	/* Accepted is not done: a power action is done when a poll sees
	 * the power it asked for (engine_await_check). */
	if (!error && !e->stopping && engine_action_power(h->doing) != FLEET_POWER_UNKNOWN) {
		h->await_a = h->doing;
		h->await_power = engine_action_power(h->doing);
		h->await_since = engine_now();
		h->await_until = h->await_since + e->cfg.action_wait_s;
		free(h->await_answer);
		h->await_answer = result ? strdup(result) : NULL;
		engine_note(h, h->doing, FLEET_ACTION_ACCEPTED, result);
	} else {
		engine_note(h, h->doing, error ? FLEET_ACTION_FAILED : FLEET_ACTION_DONE,
			    error ? error : result);
	}
	if (e->stopping)
		return;
	if (!error && power != FLEET_POWER_UNKNOWN)
		fleet_host_set_power(e->fleet, h->idx, power);
	/* Show what the action did soon, once the BMC had a moment. */
	if (h->busy)
		h->poll_asap = true;
	else
		engine_schedule(h, engine_now() + ENGINE_AFTER_ACTION_S);
	q = h->actions;
	if (q) {
		h->actions = q->next;
		engine_action_start(h, q->a);
		free(q);
	}
}

/* An accepted action's state was seen (done), or not in time (not
 * reached), or never will be (WHY: another action, racktop stopping). */
static void engine_await_end(struct engine_host *h, bool reached, const char *why)
{
	char res[FLEET_ERR];
	enum engine_action a = h->await_a;
	const char *want = fleet_power_name(h->await_power);
	long took = (long)(engine_now() - h->await_since + 0.5);

	/* The BMC's answer stays in the record, after what the polls saw. */
	if (reached)
		snprintf(res, sizeof(res), "power %s seen %lds after the BMC accepted it (%s)", want,
			 took, h->await_answer ? h->await_answer : "no answer text");
	else
		snprintf(res, sizeof(res), "not reached: power %s not seen %s (the BMC accepted it: "
			 "%s)", want, why, h->await_answer ? h->await_answer : "no answer text");
	free(h->await_answer);
	h->await_answer = NULL;
	h->await_a = ENGINE_ACTION_POLL_NOW;
	engine_note(h, a, reached ? FLEET_ACTION_DONE : FLEET_ACTION_FAILED, res);
}

static void engine_await_check(struct engine_host *h, bool polled, enum fleet_power seen,
			       double now)
{
	char why[96];

	if (h->await_a == ENGINE_ACTION_POLL_NOW || h->acting)
		return;
	if (polled && seen == h->await_power) {
		engine_await_end(h, true, NULL);
		return;
	}
	if (now >= h->await_until) {
		snprintf(why, sizeof(why), "after %d s (%s %s)", h->e->cfg.action_wait_s,
			 polled ? "power is" : "the last poll failed;", polled ?
			 fleet_power_name(seen) : "power not known");
		engine_await_end(h, false, why);
		return;
	}
	/* Sooner than the poll interval: the state is news. */
	engine_schedule(h, now + ENGINE_AWAIT_POLL_S);
}

static void engine_action_start(struct engine_host *h, enum engine_action a)
{
	if (h->await_a != ENGINE_ACTION_POLL_NOW)
		engine_await_end(h, false, "before another action was sent");
	h->acting = true;
	h->doing = a;
	engine_note(h, a, FLEET_ACTION_RUNNING, "sent");
	if (a == ENGINE_ACTION_BMC_RESET || a == ENGINE_ACTION_CLEAR_LOG) {
		if (h->be->manage)
			h->be->manage(h->bh, a, engine_action_done, h);
		else
			engine_action_done(h, "not sent: this protocol's backend cannot do that",
					   FLEET_POWER_UNKNOWN, NULL);
	} else if (a >= ENGINE_ACTION_BOOT_PXE)
		h->be->boot_override(h->bh, a, engine_action_done, h);
	else
		h->be->power(h->bh, a, engine_action_done, h);
}

/* Poll H as soon as it is idle. */
static void engine_poll_now(struct engine_host *h)
{
	if (h->busy)
		h->poll_asap = true;
	else
		engine_schedule(h, 0);
}

/* Moves the focus to WANT: the old host's backend reads as usual again,
 * the new one's reads everything, at once (the host view just opened). */
static void engine_apply_focus(struct engine *e, size_t want)
{
	struct engine_host *h;

	if (want == e->focus)
		return;
	if (e->focus < e->nhosts) {
		h = &e->hosts[e->focus];
		if (h->bh && h->be->focus)
			h->be->focus(h->bh, false);
	}
	e->focus = want;
	if (want >= e->nhosts)
		return;
	h = &e->hosts[want];
	if (!h->bh)
		return;
	if (h->be->focus)
		h->be->focus(h->bh, true);
	engine_poll_now(h);
}

static void engine_handle(struct engine *e, struct engine_req *r)
{
	struct engine_host *h = &e->hosts[r->host];

	if (!h->bh) {
		if (r->a != ENGINE_ACTION_POLL_NOW)
			engine_note(&e->hosts[r->host], r->a, FLEET_ACTION_FAILED,
				    "not sent: this host is not polled (its error says why)");
		free(r);
		return;
	}
	if (r->a == ENGINE_ACTION_POLL_NOW) {
		engine_poll_now(h);
		free(r);
		return;
	}
	if (h->acting) {
		struct engine_req **t = &h->actions;

		while (*t)
			t = &(*t)->next;
		r->next = NULL;
		*t = r;
		return;
	}
	engine_action_start(h, r->a);
	free(r);
}

int engine_request(struct engine *e, size_t host, enum engine_action a)
{
	struct engine_req *r;

	if (!e || host >= e->nhosts)
		return -1;
	if ((unsigned)a > ENGINE_ACTION_CLEAR_LOG) {
		char why[64];

		snprintf(why, sizeof(why), "not sent: unknown action %u", (unsigned)a);
		engine_note(&e->hosts[host], a, FLEET_ACTION_FAILED, why);
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	/* Before it is queued: the engine may finish it before we return. */
	if (a != ENGINE_ACTION_POLL_NOW)
		engine_note(&e->hosts[host], a, FLEET_ACTION_PENDING, "queued");
	r->host = host;
	r->a = a;
	pthread_mutex_lock(&e->lock);
	if (e->q_tail)
		e->q_tail->next = r;
	else
		e->q_head = r;
	e->q_tail = r;
	pthread_mutex_unlock(&e->lock);
	http_wakeup(e->http);
	return 0;
}

int engine_focus(struct engine *e, size_t host)
{
	if (!e || (host >= e->nhosts && host != ENGINE_NO_FOCUS))
		return -1;
	pthread_mutex_lock(&e->lock);
	e->focus_want = host;
	pthread_mutex_unlock(&e->lock);
	http_wakeup(e->http);
	return 0;
}

void engine_set_action_hook(struct engine *e, engine_action_hook fn, void *arg)
{
	e->hook = fn;
	e->hook_arg = arg;
}

/* ---- the loop ---- */

unsigned long engine_loop_passes(struct engine *e)
{
	return atomic_load(&e->passes);
}

static void engine_drain_requests(struct engine *e)
{
	struct engine_req *r;
	size_t focus;

	pthread_mutex_lock(&e->lock);
	r = e->q_head;
	e->q_head = e->q_tail = NULL;
	focus = e->focus_want;
	pthread_mutex_unlock(&e->lock);
	/* First: a poll-now queued after engine_focus() reads everything. */
	engine_apply_focus(e, focus);
	while (r) {
		struct engine_req *n = r->next;

		r->next = NULL;
		engine_handle(e, r);
		r = n;
	}
}

static void engine_logout_done(void *arg, const char *error, enum fleet_power power,
			       const char *result)
{
	struct engine *e = arg;

	e->logouts--;
}

/* Ends every session: BMCs cap them and lock out clients that leak.
 * A slow BMC (2-5 s a request) needs more than a fixed moment: each
 * logout, and a login already on its way (the BMC makes that session
 * whether we wait or not), gets up to the request timeout. */
static void engine_logout_all(struct engine *e)
{
	double wait_s = e->cfg.timeout_ms / 1000.0;
	double deadline;

	if (wait_s < ENGINE_LOGOUT_DEADLINE_S)
		wait_s = ENGINE_LOGOUT_DEADLINE_S;
	deadline = engine_now() + wait_s;
	/* In-flight polls would hold sessions busy; drop them first, all
	 * but the logins (redfish.c ends their sessions when they answer). */
	http_cancel_unkept(e->http);
	e->logouts = 0;
	for (size_t i = 0; i < e->nhosts; i++) {
		struct engine_host *h = &e->hosts[i];

		if (!h->bh)
			continue;
		e->logouts++;
		h->be->logout(h->bh, engine_logout_done, e);
	}
	/* IPMI closes its sessions on workers: their completions come here. */
	while (e->logouts > 0 && engine_now() < deadline) {
		http_run(e->http, 50);
		workers_drain(e->workers);
	}
	http_cancel_all(e->http);
}

static void *engine_loop(void *arg)
{
	struct engine *e = arg;

	while (!atomic_load(&e->stop)) {
		double now = engine_now(), due;
		int wait_ms = http_pending(e->http) ? ENGINE_BUSY_MAX_MS : ENGINE_IDLE_MAX_MS;
		size_t i;

		atomic_fetch_add(&e->passes, 1);
		workers_drain(e->workers);
		engine_drain_requests(e);
		while (timer_heap_pop_due(&e->timers, now, &i))
			engine_poll(&e->hosts[i]);
		if (atomic_load(&e->stop))
			break;
		/* Rounded up: waking a little early would only loop again. */
		if (timer_heap_peek(&e->timers, NULL, &due) && (due - now) * 1000 < wait_ms)
			wait_ms = (int)((due - now) * 1000) + 1;
		http_run(e->http, wait_ms);
	}
	e->stopping = true;
	engine_logout_all(e);
	return NULL;
}

int engine_start(struct engine *e)
{
	if (!e || e->started)
		return -1;
	if (pthread_create(&e->thread, NULL, engine_loop, e) != 0)
		return -1;
	e->started = true;
	return 0;
}

void engine_stop(struct engine *e)
{
	if (!e || !e->started)
		return;
	atomic_store(&e->stop, true);
	http_wakeup(e->http);
	pthread_join(e->thread, NULL);
	e->started = false;
}

void engine_free(struct engine *e)
{
	struct engine_req *r;

	if (!e)
		return;
	engine_stop(e);
	/* IPMI jobs end here (done, cancelled, or left to time out on their
	 * own after the deadline), before the hosts they report to go. */
	workers_free(e->workers, (int)(ENGINE_LOGOUT_DEADLINE_S * 1000));
	e->workers = NULL;
	http_cancel_all(e->http);
	for (size_t i = 0; i < e->nhosts; i++) {
		struct engine_host *h = &e->hosts[i];

		while (h->actions) {
			r = h->actions;
			h->actions = r->next;
			engine_note(h, r->a, FLEET_ACTION_FAILED, "cancelled: racktop stopped");
			free(r);
		}
		if (h->await_a != ENGINE_ACTION_POLL_NOW)
			engine_await_end(h, false, "before racktop stopped");
		if (h->bh)
			h->be->host_free(h->bh);
	}
	while ((r = e->q_head)) {
		e->q_head = r->next;
		if (r->a != ENGINE_ACTION_POLL_NOW)
			engine_note(&e->hosts[r->host], r->a, FLEET_ACTION_FAILED,
				    "cancelled: racktop stopped");
		free(r);
	}
	http_free(e->http);
	timer_heap_free(&e->timers);
	free(e->hosts);
	free(e->ca_file);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* One Redfish poll of one host: the state machine that ties the steps.
 *
 * The first poll of a host (and one after an error, one after its power
 * came on, and every RF_REDISCOVER_POLLS but at most once an hour)
 * discovers the static tree (redfish_discover.c);
 * later polls fetch only the dynamic resources from that tree
 * (redfish_refresh.c). A poll is a series of steps; each step issues
 * GETs in parallel and the next step runs once all of them answered.
 * Requests go through rf_request(), so the same code runs over libcurl
 * or over the test transport that serves mockup files. */
#include "redfish_poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "redfish_arena.h"
#include "text.h"

struct rf_get {
	struct rf_poll *p;
	rf_handler fn;
	intptr_t ctx;
	bool optional;
	bool fallback;             /* a refused query gets FN an empty object */
	bool selected;             /* asked with $select: a refusal asks again without */
	bool retried;              /* sent again once after a timeout */
	char query[64];            /* the query without $select */
	char path[400];
};

static void rf_poll_advance(struct rf_poll *p);

/* A resource this BMC lacks is not an error; a sick BMC is. */
static bool rf_poll_absent(long status)
{
	return status == 404 || status == 405 || status == 501 || status == 400 || status == 403;
}

/* Drops a URL's query ("?$...", up to a ':' or space) from the message
 * S: messages name the resource, not the query that fetched it. */
static void rf_poll_unquery(char *s)
{
	char *at = strstr(s, "?$");

	if (at) {
		size_t n = strcspn(at, ": ");

		memmove(at, at + n, strlen(at + n) + 1);
	}
}

static void rf_poll_send(struct rf_poll *p, const char *path, const char *query,
			 const char *select, rf_handler fn, intptr_t ctx, bool optional,
			 bool fallback);

static void rf_poll_on(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_get *g = arg;
	struct rf_poll *p = g->p;

	p->outstanding--;
	if (p->h->progress && !r->error[0])
		p->h->progress(p->arg, r->elapsed_s);
	/* A slow BMC (2-5 s a request, longer when it is busy) is not a
	 * broken one: one answer late is asked again, once, rather than
	 * failing the poll, which would start a first poll over from the
	 * beginning. Bounded: a BMC that never answers fails the poll after
	 * two timeouts. */
	if (!p->error[0] && r->timed_out && !g->retried) {
		g->retried = true;
		p->outstanding++;
		rf_request(p->h, "GET", r->url + strlen(p->h->base), NULL, rf_poll_on, g);
		return;
	}
	/* Messages name the resource, not the query that fetched it. */
	r->url[strcspn(r->url, "?")] = '\0';
	if (!p->error[0]) {
		if (r->error[0]) {
			rf_poll_unquery(r->error);
			text_copy(p->error, sizeof(p->error), r->error);
		} else if ((r->status < 200 || r->status >= 300) && g->selected &&
			   rf_poll_absent(r->status)) {
			/* $select refused (bmcweb: not with $expand): again
			 * without it, and never with it again. */
			p->t->no_select = true;
			rf_poll_send(p, g->path, g->query, NULL, g->fn, g->ctx, g->optional,
				     g->fallback);
		} else if ((r->status < 200 || r->status >= 300) && g->fallback &&
			   rf_poll_absent(r->status)) {
			/* A BMC that refuses the $expand it advertised: the
			 * handler finds nothing expanded, reads each resource. */
			json_t *o = json_object();
			struct rf_doc d = { r->url, p->error, sizeof(p->error) };

			g->fn(p, o, &d, g->path, g->ctx);
			json_decref(o);
		} else if (r->status < 200 || r->status >= 300) {
			if (!g->optional || !rf_poll_absent(r->status)) {
				char st[64];

				http_status_text(r->status, st, sizeof(st));
				http_fmt(p->error, sizeof(p->error), "%s: %s", r->url, st);
			}
		} else {
			/* A refresh keeps nothing of the answer past its handler
			 * (discovery keeps PCIe devices): its JSON can live in
			 * the arena. */
			bool arena = !p->discover;
			json_t *o;
			struct rf_doc d = { r->url, p->error, sizeof(p->error) };

			if (arena)
				rf_arena_enter();
			o = rf_parse(r, p->error, sizeof(p->error));
			if (arena)
				rf_arena_seal();
			if (o)
				g->fn(p, o, &d, g->path, g->ctx);
			json_decref(o);
			if (arena)
				rf_arena_leave();
		}
	}
	free(g);
	rf_poll_advance(p);
}

void rf_poll_get(struct rf_poll *p, const char *path, bool expand, rf_handler fn, intptr_t ctx,
		 bool optional)
{
	rf_poll_send(p, path, expand && p->t->expand ? RF_EXPAND : "", NULL, fn, ctx, optional,
		     false);
}

void rf_poll_get_query(struct rf_poll *p, const char *path, const char *query, rf_handler fn,
		       intptr_t ctx, bool optional)
{
	rf_poll_send(p, path, query, NULL, fn, ctx, optional, true);
}

bool rf_poll_selecting(const struct rf_poll *p)
{
	return p->t->select && !p->t->no_select;
}

void rf_poll_get_select(struct rf_poll *p, const char *path, const char *query,
			const char *select, rf_handler fn, intptr_t ctx, bool optional)
{
	rf_poll_send(p, path, query, rf_poll_selecting(p) ? select : NULL, fn, ctx, optional,
		     *query != '\0');
}

static void rf_poll_send(struct rf_poll *p, const char *path, const char *query,
			 const char *select, rf_handler fn, intptr_t ctx, bool optional,
			 bool fallback)
{
	struct rf_get *g;
	char url[sizeof(((struct http_req *)0)->url)];
	int n;

	if (!path || p->error[0])
		return;
	g = calloc(1, sizeof(*g));
	if (!g)
		abort();
	g->p = p;
	g->fn = fn;
	g->ctx = ctx;
	g->optional = optional;
	g->fallback = fallback;
	text_copy(g->path, sizeof(g->path), path);
	text_copy(g->query, sizeof(g->query), query);
	if (strchr(path, '?'))
		query = select = NULL;
	/* A URL too long for the request (a long base or path): no $select. */
	n = select ? snprintf(url, sizeof(url), "%s%s%s%s", path, query,
			      *query ? "&$select=" : "?$select=", select) : -1;
	g->selected = n > 0 && (size_t)n + strlen(p->h->base) < sizeof(url);
	if (!g->selected)
		http_fmt(url, sizeof(url), "%s%s", path, query ? query : "");
	p->outstanding++;
	rf_request(p->h, "GET", url, NULL, rf_poll_on, g);
}

void rf_poll_members(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		     size_t max, rf_handler fn, intptr_t ctx, bool optional)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp;
		intptr_t c = ctx == RF_CTX_INDEX ? (intptr_t)i : ctx;

		if (i >= max)
			break;
		mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));
		if (rf_expanded(e))
			fn(p, e, d, mp ? mp : path, c);
		else
			rf_poll_get(p, mp, false, fn, c, optional);
	}
}

const char *rf_poll_last_segment(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

/* ---- finishing ---- */

static double rf_poll_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void rf_poll_free(struct rf_poll *p)
{
	rf_tree_clear(&p->nt);
	fleet_host_data_free(&p->data);
	free(p->g);
	free(p->cache_ecc);
	free(p->sens.v);
	free(p->sens.prio);
	rf_events_free(&p->ev);
	for (size_t i = 0; i < p->nchm; i++)
		free(p->chm[i]);
	free(p->chm);
	for (size_t i = 0; i < RF_MAX_MANAGERS; i++)
		free(p->mgr_logservices[i]);
	for (size_t i = 0; i < p->npdev; i++)
		json_decref(p->pdev[i]);
	free(p);
}

static void rf_poll_fail(struct rf_poll *p)
{
	struct rf_host *h = p->h;
	char why[FLEET_ERR];

	h->poll = NULL;
	/* Whatever went wrong may have moved things: look again next time. */
	h->rediscover = true;
	/* Messages name URLs made of the BMC's links, which may hold any
	 * byte; the error goes to the store and into notes (ipmi_fallback.c). */
	text_clean(why, sizeof(why), p->error);
	p->done(p->arg, NULL, why);
	rf_poll_free(p);
}

static void rf_poll_ok(struct rf_poll *p)
{
	struct rf_host *h = p->h;
	struct rf_tree *t = p->t;

	rf_refresh_finish(p);
	if (p->discover) {
		t->report_covers = rf_telemetry_covers(p);
		h->log_sig = rf_refresh_sig(p);   /* the log was read with these */
	}
	p->data.ngpus = t->ngpus;
	p->data.gpus = p->g;
	p->data.gpus_read = true;   /* the Processors collections were read */
	p->g = NULL;
	text_copy(p->data.bmc_firmware, sizeof(p->data.bmc_firmware), t->bmc_firmware);
	p->data.ssh_console_port = t->ssh_console_port;
	rf_sensors_finish(&p->sens, &p->data);
	rf_events_finish(&p->ev, &p->data);
	if (p->discover) {
		rf_tree_clear(&h->tree);
		h->tree = p->nt;
		memset(&p->nt, 0, sizeof(p->nt));
		h->tree.valid = true;
		h->polls_since_discovery = 0;
		h->rediscover = false;
		h->discovered_at = rf_poll_now();
	} else {
		h->polls_since_discovery++;
		/* Powered on: GPUs may have been changed while it was off. */
		if (p->data.power == FLEET_POWER_ON && h->last_power != FLEET_POWER_ON &&
		    h->last_power != FLEET_POWER_UNKNOWN)
			h->rediscover = true;
	}
	h->last_power = p->data.power;
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

void rf_poll_start(struct rf_host *h, backend_poll_done done, void *arg)
{
	struct rf_poll *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->h = h;
	p->done = done;
	p->arg = arg;
	p->discover = !h->tree.valid || h->rediscover ||
		      (h->polls_since_discovery >= RF_REDISCOVER_POLLS &&
		       rf_poll_now() - h->discovered_at >= RF_REDISCOVER_S);
	h->poll = p;
	p->in_step = true;
	if (p->discover) {
		p->t = &p->nt;
		rf_discover_start(p);
	} else {
		p->t = &h->tree;
		rf_refresh_step(p);
	}
	p->in_step = false;
	rf_poll_advance(p);
}

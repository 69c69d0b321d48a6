/* Kubernetes mode: one resource's list-then-watch (kube_int.h).
 *
 * A paginated list (limit/continue) fills the store and gives the
 * resourceVersion to watch from; the watch (allowWatchBookmarks, so
 * quiet resources still advance it) streams events until the server
 * ends it, and is resumed from the last resourceVersion seen. A 410
 * Gone (as the answer or as an ERROR event) means that version is too
 * old: list again, and what the new list lacks was deleted. Errors back
 * off exponentially, with jitter so many clients do not retry together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_int.h"
#include "json_yajl.h"
#include "http.h"
#include "text.h"

#define KUBE_PAGE 500
#define KUBE_BACKOFF_MAX_S 30
#define KUBE_WATCH_S 240            /* the server ends a watch after this (+ jitter) */

void kube_watch_init(struct kube *k)
{
	for (int i = 0; i < KUBE_NKINDS; i++) {
		k->watch[i].kind = (enum kube_kind)i;
		k->watch[i].relist = true;
	}
}

static void kube_watch_url(struct kube *k, const struct kube_watch *w, const char *query,
			   char *url, size_t n)
{
	const struct kube_resource *r = kube_resource(w->kind);

	snprintf(url, n, "%s/apis/%s/%s/%s%s%s%s?%s", k->kc.server, r->group,
		 r->decoder->version, k->ns[0] ? "namespaces/" : "", k->ns, k->ns[0] ? "/" : "",
		 r->plural, query);
}

static int kube_jitter(struct kube *k, int base_ms)
{
	/* +-20% */
	return base_ms * 8 / 10 + (int)(rand_r(&k->seed) % (unsigned)(base_ms * 4 / 10 + 1));
}

static void kube_watch_fail(struct kube *k, struct kube_watch *w, const char *why)
{
	int s = w->failures < 5 ? 1 << w->failures : KUBE_BACKOFF_MAX_S;

	if (s > KUBE_BACKOFF_MAX_S)
		s = KUBE_BACKOFF_MAX_S;
	w->failures++;
	w->tried = true;
	if (!w->broken_since)
		w->broken_since = time(NULL);
	if (strcmp(w->error, why))
		kube_logf(k, "kube: %s: %s (retrying in about %d s)", kube_resource(w->kind)->label,
			  why, s);
	text_copy(w->error, sizeof(w->error), why);
	w->state = KUBE_WATCH_IDLE;
	w->cont[0] = '\0';
	w->next_at = time(NULL) + (kube_jitter(k, s * 1000) + 999) / 1000;
}

static void kube_watch_ok(struct kube_watch *w)
{
	w->failures = 0;
	w->broken_since = 0;
	w->error[0] = '\0';
}

/* One object from a list or an event into the store and the fleet. */
static void kube_watch_upsert(struct kube *k, struct kube_watch *w, json_t *obj)
{
	const struct kube_resource *r = kube_resource(w->kind);
	struct kube_obj *o = calloc(1, sizeof(*o));
	char err[FLEET_ERR];

	if (!o)
		return;
	if (r->decoder->decode(w->kind, obj, o, err, sizeof(err)) < 0) {
		kube_logf(k, "kube: %s: %s", r->label, err);
		kube_obj_free(o);
		return;
	}
	o->gen = w->gen;
	pthread_mutex_lock(&k->lock);
	kube_store_put(k, o);
	if (w->kind == KUBE_WORKFLOW)
		k->wf_version++;
	pthread_mutex_unlock(&k->lock);
	if (w->kind == KUBE_WORKFLOW)
		fleet_notify(k->fleet);   /* the workflow view looks again */
	kube_hosts_changed(k, o, false);
}

static void kube_watch_delete(struct kube *k, enum kube_kind kind, const char *ns,
			      const char *name)
{
	struct kube_obj *o = kube_store_find(k, kind, ns, name);
	char gone_ns[64], gone_name[64];

	if (!o)
		return;
	/* NS and NAME may be O's own: copies for after it is freed. */
	snprintf(gone_ns, sizeof(gone_ns), "%s", ns);
	snprintf(gone_name, sizeof(gone_name), "%s", name);
	kube_hosts_changed(k, o, true);
	pthread_mutex_lock(&k->lock);
	kube_store_del(k, kind, gone_ns, gone_name);
	if (kind == KUBE_WORKFLOW)
		k->wf_version++;
	pthread_mutex_unlock(&k->lock);
	if (kind == KUBE_WORKFLOW)
		fleet_notify(k->fleet);
	if (kind == KUBE_HARDWARE)
		kube_hosts_renamed(k, gone_ns, gone_name);
}

static void kube_watch_sweep_one(struct kube *k, struct kube_obj *o, void *arg)
{
	const struct kube_watch *w = arg;

	if (o->gen != w->gen)
		kube_watch_delete(k, o->kind, o->ns, o->name);
}

static void kube_watch_set_rv(struct kube_watch *w, json_t *obj)
{
	json_t *rv = json_object_get(json_object_get(obj, "metadata"), "resourceVersion");

	if (json_is_string(rv) && strlen(json_string_value(rv)) < sizeof(w->rv))
		strcpy(w->rv, json_string_value(rv));
}

static void kube_watch_list(struct kube *k, struct kube_watch *w);
static void kube_watch_watch(struct kube *k, struct kube_watch *w);

void kube_watch_list_done(struct kube *k, struct kube_xfer *x, CURLcode rc, long status)
{
	struct kube_watch *w = x->arg;
	json_t *j = NULL, *items, *item, *cont;
	char why[FLEET_ERR];
	size_t i;

	w->x = NULL;
	/* The credentials may have been rotated: read the kubeconfig
	 * again before the retry. */
	if (rc == CURLE_OK && status == 401)
		kube_reload(k);
	if (rc == CURLE_OK && status == 410) {
		/* The continue token expired: the list starts over. */
		kube_logf(k, "kube: %s: list continue token expired (410 Gone): listing again",
			  kube_resource(w->kind)->label);
		w->cont[0] = '\0';
		w->state = KUBE_WATCH_IDLE;
		w->next_at = 0;
		return;
	}
	if (rc == CURLE_OK && status == 200)
		j = json_yajl_answer(x->url, x->resp, x->len, 0, why, sizeof(why));
	if (!j || !json_is_array(items = json_object_get(j, "items"))) {
		if (rc == CURLE_OK && status == 200) {
			if (j)
				http_fmt(why, sizeof(why), "%s: not a list (no items)", x->url);
		} else
			kube_xfer_error(x, rc, status, why, sizeof(why));
		json_decref(j);
		kube_watch_fail(k, w, why);
		return;
	}
	json_array_foreach(items, i, item)
		kube_watch_upsert(k, w, item);
	kube_watch_set_rv(w, j);
	cont = json_object_get(json_object_get(j, "metadata"), "continue");
	if (json_is_string(cont) && *json_string_value(cont) &&
	    strlen(json_string_value(cont)) < sizeof(w->cont)) {
		strcpy(w->cont, json_string_value(cont));
		json_decref(j);
		kube_watch_list(k, w);
		return;
	}
	json_decref(j);
	w->cont[0] = '\0';
	kube_store_each(k, w->kind, kube_watch_sweep_one, w);
	w->synced = w->tried = true;
	w->relist = false;
	if (k->hosts_dirty)
		kube_hosts_refresh_all(k);
	kube_watch_ok(w);
	kube_watch_watch(k, w);
}

static void kube_watch_list(struct kube *k, struct kube_watch *w)
{
	char q[1200], url[1600];

	if (!w->cont[0]) {
		w->gen++;
		snprintf(q, sizeof(q), "limit=%d", KUBE_PAGE);
	} else {
		char *c = curl_easy_escape(NULL, w->cont, 0);

		snprintf(q, sizeof(q), "limit=%d&continue=%s", KUBE_PAGE, c ? c : "");
		curl_free(c);
	}
	kube_watch_url(k, w, q, url, sizeof(url));
	w->state = KUBE_WATCH_LISTING;
	w->x = kube_xfer_start(k, "GET", url, NULL, NULL, kube_watch_list_done, w,
			       (long)k->timeout_s * 6);
	if (!w->x)
		kube_watch_fail(k, w, "cannot start a request (out of memory)");
}

/* One line of the watch stream: {"type": ..., "object": {...}}. */
bool kube_watch_line(struct kube *k, struct kube_xfer *x, char *line, size_t len)
{
	struct kube_watch *w = x->arg;
	json_error_t je;
	json_t *j = json_yajl_loadb(line, len, 0, &je), *obj;
	const char *type;
	bool go_on = true;

	obj = json_object_get(j, "object");
	type = json_string_value(json_object_get(j, "type"));
	if (!j) {
		kube_logf(k, "kube: %s: a watch event with invalid JSON at column %d: %s (ignored)",
			  kube_resource(w->kind)->label, je.column, je.text);
	} else if (!type || !json_is_object(obj)) {
		kube_logf(k, "kube: %s: a watch event that is not one (ignored)",
			  kube_resource(w->kind)->label);
	} else if (!strcmp(type, "ERROR")) {
		json_t *code = json_object_get(obj, "code");
		const char *msg = json_string_value(json_object_get(obj, "message"));
		char why[FLEET_ERR];

		text_clean(why, sizeof(why), msg ? msg : "no message");
		if (json_integer_value(code) == 410) {
			w->relist = true;
			w->relists++;
			kube_logf(k, "kube: %s: watch from resourceVersion %s: 410 Gone (%s): listing again",
				  kube_resource(w->kind)->label, w->rv, why);
		} else {
			char all[FLEET_ERR + 40];

			snprintf(all, sizeof(all), "watch error %lld: %s",
				 (long long)json_integer_value(code), why);
			text_copy(w->error, sizeof(w->error), all);
		}
		go_on = false;
	} else {
		const char *name, *ns;
		json_t *meta = json_object_get(obj, "metadata");

		kube_watch_set_rv(w, obj);
		if (!strcmp(type, "ADDED") || !strcmp(type, "MODIFIED")) {
			kube_watch_upsert(k, w, obj);
		} else if (!strcmp(type, "DELETED")) {
			char cn[64], cns[64];

			name = json_string_value(json_object_get(meta, "name"));
			ns = json_string_value(json_object_get(meta, "namespace"));
			text_clean(cn, sizeof(cn), name);
			text_clean(cns, sizeof(cns), ns);
			kube_watch_delete(k, w->kind, cns, cn);
		}
		/* BOOKMARK: only its resourceVersion counts. */
	}
	json_decref(j);
	return go_on;
}

static void kube_watch_watch_done(struct kube *k, struct kube_xfer *x, CURLcode rc, long status)
{
	struct kube_watch *w = x->arg;
	char why[FLEET_ERR];

	w->x = NULL;
	w->state = KUBE_WATCH_IDLE;
	if (w->relist || (rc == CURLE_OK && status == 410)) {
		if (status == 410) {
			w->relists++;
			kube_logf(k, "kube: %s: watch from resourceVersion %s: 410 Gone: listing again",
				  kube_resource(w->kind)->label, w->rv);
		}
		w->relist = true;
		w->next_at = 0;
		return;
	}
	if (rc == CURLE_OK && status == 200 && !x->stopped) {
		/* The server ended the watch (timeoutSeconds): resume. */
		kube_watch_ok(w);
		w->next_at = 0;
		return;
	}
	if (rc == CURLE_OK && status == 401)
		kube_reload(k);
	if (x->stopped && w->error[0])
		text_copy(why, sizeof(why), w->error);
	else if (rc == CURLE_OK && status == 200)
		snprintf(why, sizeof(why), "the watch stream ended");
	else
		kube_xfer_error(x, rc, status, why, sizeof(why));
	kube_watch_fail(k, w, why);
}

static void kube_watch_watch(struct kube *k, struct kube_watch *w)
{
	char q[256], url[1024];
	int t = KUBE_WATCH_S + (int)(rand_r(&k->seed) % 60);

	snprintf(q, sizeof(q), "watch=1&allowWatchBookmarks=true&timeoutSeconds=%d&resourceVersion=%s",
		 t, w->rv);
	kube_watch_url(k, w, q, url, sizeof(url));
	w->state = KUBE_WATCH_WATCHING;
	w->x = kube_xfer_start(k, "GET", url, NULL, kube_watch_line, kube_watch_watch_done, w,
			       t + 60);
	if (!w->x)
		kube_watch_fail(k, w, "cannot start a request (out of memory)");
}

long kube_watch_tick(struct kube *k, time_t now)
{
	long next = -1;

	for (int i = 0; i < KUBE_NKINDS; i++) {
		struct kube_watch *w = &k->watch[i];

		if (w->state == KUBE_WATCH_WATCHING && w->x && w->error[0]) {
			long code = 0;

			/* Connected again: the picture is live from here. */
			curl_easy_getinfo(w->x->easy, CURLINFO_RESPONSE_CODE, &code);
			if (code == 200)
				kube_watch_ok(w);
		}
		if (w->state != KUBE_WATCH_IDLE)
			continue;
		if (w->next_at > now) {
			long ms = (long)(w->next_at - now) * 1000;

			if (next < 0 || ms < next)
				next = ms;
			continue;
		}
		if (w->relist || !w->rv[0])
			kube_watch_list(k, w);
		else
			kube_watch_watch(k, w);
	}
	return next;
}

void kube_watch_status(struct kube *k, char *buf, size_t n)
{
	const struct kube_watch *worst = NULL;
	const char *listing = NULL;

	for (int i = 0; i < KUBE_NKINDS; i++) {
		const struct kube_watch *w = &k->watch[i];

		if (w->error[0] && (!worst || w->broken_since < worst->broken_since))
			worst = w;
		if (!w->synced && !listing)
			listing = kube_resource(w->kind)->label;
	}
	if (worst) {
		const char *e = worst->error, *c;
		struct tm tm;
		char t[16];

		/* The line must fit a title bar: the URL is in the log, the
		 * resource's name says enough here. */
		if (!strncmp(e, "https://", 8) && (c = strstr(e, ": ")))
			e = c + 2;
		localtime_r(&worst->broken_since, &tm);
		strftime(t, sizeof(t), "%H:%M:%S", &tm);
		snprintf(buf, n, "kube: %s since %s: %s: %s",
			 worst->synced ? "watch broken" : "list failing", t,
			 kube_resource(worst->kind)->label, e);
	} else if (listing) {
		snprintf(buf, n, "kube: listing %s...", listing);
	} else {
		buf[0] = '\0';
	}
}

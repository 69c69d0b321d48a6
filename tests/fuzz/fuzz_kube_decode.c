/* The Kubernetes API's answers as the kube thread reads them, without a
 * server: a list's answer (kube_watch_list_done) and the lines of a
 * watch stream (kube_watch_line) for every kind, decoded
 * (kube_decode_v1alpha1.c) into the store (kube_store.c) and the fleet
 * (kube_hosts.c). Byte 0 chooses:
 *   bit 0: the rest is one list's answer (then a relist that finds
 *          nothing, so every object is swept out), else a stream
 *          whose first line is a list's answer and the others events;
 *   bit 1: one namespace ("default") or all;
 *   bits 2-4: the list's HTTP status (200, 200, 200, 410, 401, 403,
 *          500, 503).
 * Every string of the store, the fleet, the watches' errors, the status
 * line and each log line must be clean text; no leaks. */
#include "fuzz_check.h"
#include "fuzz_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_yajl.h"
#include "kube_int.h"

/* Machines before Hardware, as a fleet's first lists often come. */
static const enum kube_kind fk_order[] = {
	KUBE_MACHINE, KUBE_HARDWARE, KUBE_JOB, KUBE_WORKFLOW, KUBE_TEMPLATE, KUBE_TASK,
};
static const long fk_status[] = { 200, 200, 200, 410, 401, 403, 500, 503 };

static void fk_log(void *arg, const char *line)
{
	(void)arg;
	fuzz_check_text("kube log line", line);
}

#define FK_STR(what, arr) fuzz_fleet_str(what, arr, sizeof(arr))

static void fk_check_obj(struct kube *k, struct kube_obj *o, void *arg)
{
	const struct kube_workflow *w = &o->wf;

	(void)k;
	(void)arg;
	FK_STR("object namespace", o->ns);
	FK_STR("object name", o->name);
	FK_STR("bmcRef", o->bmc_ref);
	FK_STR("MAC", o->mac);
	FK_STR("host name shown", o->shown);
	FK_STR("BMC address", o->address);
	FK_STR("secret reference", o->secret);
	FK_STR("condition message", o->message);
	FUZZ_ASSERT(o->port >= 0 && o->port < 65536, "port out of range");
	FK_STR("workflow namespace", w->namespace_);
	FK_STR("workflow name", w->name);
	FK_STR("templateRef", w->template_ref);
	FK_STR("hardwareRef", w->hardware_ref);
	FK_STR("workflow created", w->created);
	FK_STR("workflow state", w->state);
	FK_STR("current task", w->current_task);
	FK_STR("current action", w->current_action);
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct kube_wf_task *t = &w->tasks[i];

		FK_STR("task name", t->name);
		FK_STR("task worker", t->worker);
		for (size_t j = 0; j < t->nactions; j++) {
			const struct kube_wf_action *a = &t->actions[j];

			FK_STR("action name", a->name);
			FK_STR("action image", a->image);
			FK_STR("action state", a->state);
			FK_STR("action started", a->started);
			FK_STR("action duration", a->duration);
			FK_STR("action message", a->message);
		}
	}
}

static void fk_check(struct kube *k, struct fleet *f)
{
	struct fleet_snapshot snap = { 0 };
	char status[FLEET_ERR + 128];

	for (int i = 0; i < KUBE_NKINDS; i++) {
		kube_store_each(k, (enum kube_kind)i, fk_check_obj, NULL);
		FK_STR("watch error", k->watch[i].error);
	}
	kube_watch_status(k, status, sizeof(status));
	fuzz_check_text("kube status line", status);
	fleet_snapshot_take(f, &snap);
	for (size_t i = 0; i < snap.nhosts; i++) {
		const struct fleet_host *h = &snap.hosts[i];

		FK_STR("host name", h->name);
		FK_STR("host BMC", h->bmc);
		FK_STR("host credential reference", h->cred_ref);
		FK_STR("host error", h->error);
		FK_STR("host action", h->action);
		FK_STR("host action result", h->action_result);
		fuzz_fleet_data(&h->data, 0, 0);
	}
	fleet_snapshot_free(&snap);
}

/* A list's answer BODY (N bytes) with STATUS, for the watch of KIND. */
static void fk_list(struct kube *k, enum kube_kind kind, const char *body, size_t n, long status)
{
	struct kube_watch *w = &k->watch[kind];
	struct kube_xfer x;

	memset(&x, 0, sizeof(x));
	x.k = k;
	x.arg = w;
	snprintf(x.url, sizeof(x.url), "https://127.0.0.1:1/apis/x/v1alpha1/things?limit=500");
	x.resp = malloc(n + 1);
	FUZZ_ASSERT(x.resp != NULL, "out of memory");
	memcpy(x.resp, body, n);
	x.resp[n] = '\0';
	x.len = n;
	/* As kube_watch_list() leaves it when it asks. */
	if (!w->cont[0])
		w->gen++;
	w->state = KUBE_WATCH_LISTING;
	kube_watch_list_done(k, &x, CURLE_OK, status);
	free(x.resp);
}

/* One line of a watch stream for the watch of KIND. */
static bool fk_line(struct kube *k, enum kube_kind kind, const char *line, size_t n)
{
	struct kube_watch *w = &k->watch[kind];
	struct kube_xfer x;
	char *copy = malloc(n + 1);
	bool go_on;

	FUZZ_ASSERT(copy != NULL, "out of memory");
	memcpy(copy, line, n);
	copy[n] = '\0';
	memset(&x, 0, sizeof(x));
	x.k = k;
	x.arg = w;
	snprintf(x.url, sizeof(x.url), "https://127.0.0.1:1/apis/x/v1alpha1/things?watch=1");
	w->state = KUBE_WATCH_WATCHING;
	go_on = kube_watch_line(k, &x, copy, n);
	free(copy);
	return go_on;
}

static const char *fk_kubeconfig(void)
{
	static char path[4096];
	static const char text[] =
		"apiVersion: v1\n"
		"kind: Config\n"
		"clusters:\n"
		"- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\n"
		"users:\n"
		"- name: u\n  user: {token: fuzz-token}\n"
		"contexts:\n"
		"- name: fuzz\n  context: {cluster: c, user: u}\n"
		"current-context: fuzz\n";

	if (!path[0])
		snprintf(path, sizeof(path), "%s",
			 fuzz_file("kubeconfig", (const uint8_t *)text, sizeof(text) - 1, 0600));
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_config cfg = { 0 };
	struct fleet *f;
	struct kube *k;
	char err[FLEET_ERR] = "";
	const char *body;
	size_t n;
	long status;

	if (size < 1)
		return 0;
	cfg.kubeconfig = fk_kubeconfig();
	cfg.namespace_ = data[0] & 2 ? "default" : NULL;
	cfg.log = fk_log;
	f = fleet_new();
	k = kube_new(f, &cfg, err, sizeof(err));
	FUZZ_ASSERT(k != NULL, err);
	status = fk_status[(data[0] >> 2) & 7];
	body = (const char *)data + 1;
	n = size - 1;
	if (data[0] & 1) {
		for (size_t i = 0; i < sizeof(fk_order) / sizeof(fk_order[0]); i++)
			fk_list(k, fk_order[i], body, n, status);
		fk_check(k, f);
		/* A relist that finds none of them: each is swept out. */
		for (size_t i = 0; i < sizeof(fk_order) / sizeof(fk_order[0]); i++) {
			k->watch[fk_order[i]].cont[0] = '\0';
			fk_list(k, fk_order[i], "{\"items\": []}", 13, 200);
		}
	} else {
		const char *nl = memchr(body, '\n', n);
		size_t first = nl ? (size_t)(nl - body) : n;
		bool go_on[KUBE_NKINDS];

		for (size_t i = 0; i < sizeof(fk_order) / sizeof(fk_order[0]); i++) {
			fk_list(k, fk_order[i], body, first, status);
			go_on[fk_order[i]] = true;
		}
		/* The rest, split as kube.c splits a stream: at '\n', empty
		 * lines skipped, the last one without its newline too. */
		for (size_t at = nl ? first + 1 : n; at < n;) {
			const char *e = memchr(body + at, '\n', n - at);
			size_t len = e ? (size_t)(e - (body + at)) : n - at;

			for (size_t i = 0; len && i < sizeof(fk_order) / sizeof(fk_order[0]); i++)
				if (go_on[fk_order[i]])
					go_on[fk_order[i]] = fk_line(k, fk_order[i], body + at, len);
			at += len + 1;
		}
	}
	fk_check(k, f);
	kube_free(k);
	fleet_free(f);
	return 0;
}

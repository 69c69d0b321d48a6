/* Kubernetes mode: Hardware and Machines into the fleet store, and
 * actions as objects in the cluster (Rufio Jobs, Workflows). Runs on
 * the kube thread, except kube_request/kube_reprovision/kube_host_name
 * which only queue or read under the lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_yajl.h"
#include "kube_int.h"
#include "text.h"

struct kube_pending {
	struct kube_pending *next;
	size_t host;
	enum engine_action a;
	bool workflow;              /* a reprovision: a Workflow from template */
	char template_[64];
	char ns[64], name[64];      /* the object created ("" not yet) */
	char record[32];            /* the action record's words */
};

/* ---- hosts ---- */

struct kube_same_name {
	const char *ns, *name;
	void (*fn)(struct kube *k, struct kube_obj *o, void *arg);
	void *arg;
};

static void kube_same_name_one(struct kube *k, struct kube_obj *o, void *arg)
{
	struct kube_same_name *s = arg;

	if (!strcmp(o->name, s->name) && strcmp(o->ns, s->ns))
		s->fn(k, o, s->arg);
}

/* FN on each Hardware NAME of a namespace other than NS: a few lookups
 * by namespace, or a walk when there are very many. */
static void kube_same_name_each(struct kube *k, const char *ns, const char *name,
				void (*fn)(struct kube *k, struct kube_obj *o, void *arg), void *arg)
{
	struct kube_same_name s = { ns, name, fn, arg };

	if (k->ns[0])
		return;   /* one namespace: names are unique */
	if (k->nhw_ns > KUBE_MAX_NS) {
		kube_store_each(k, KUBE_HARDWARE, kube_same_name_one, &s);
		return;
	}
	for (size_t i = 0; i < k->nhw_ns; i++) {
		struct kube_obj *o = strcmp(k->hw_ns[i], ns)
			? kube_store_find(k, KUBE_HARDWARE, k->hw_ns[i], name) : NULL;

		if (o)
			fn(k, o, arg);
	}
}

static void kube_found_one(struct kube *k, struct kube_obj *o, void *arg)
{
	(void)k;
	(void)o;
	*(bool *)arg = true;
}

/* Whether another namespace has a Hardware named like HW. */
static bool kube_name_repeats(struct kube *k, const struct kube_obj *hw)
{
	bool found = false;

	kube_same_name_each(k, hw->ns, hw->name, kube_found_one, &found);
	return found;
}

static void kube_hw_ns_note(struct kube *k, const char *ns)
{
	for (size_t i = 0; i < k->nhw_ns && i < KUBE_MAX_NS; i++)
		if (!strcmp(k->hw_ns[i], ns))
			return;
	if (k->nhw_ns < KUBE_MAX_NS)
		text_copy(k->hw_ns[k->nhw_ns], sizeof(k->hw_ns[0]), ns);
	if (k->nhw_ns <= KUBE_MAX_NS)
		k->nhw_ns++;
}

struct kube_obj *kube_machine_of(struct kube *k, const struct kube_obj *hw)
{
	return hw && hw->bmc_ref[0] ? kube_store_find(k, KUBE_MACHINE, hw->ns, hw->bmc_ref) : NULL;
}

static void kube_host_refresh(struct kube *k, struct kube_obj *hw)
{
	struct kube_obj *m = kube_machine_of(k, hw);
	struct fleet_host_data d = { 0 };
	time_t now = time(NULL);
	char shown[FLEET_STR];
	ssize_t old = -1;
	size_t idx;

	/* Two namespaces' hw1 are two hosts, each named with its namespace
	 * (fleet_host_revive would take one name for one host). */
	kube_hw_ns_note(k, hw->ns);
	if (kube_name_repeats(k, hw)) {
		char ns[21], name[43];

		/* Cut to the row's width (a fleet name is FLEET_STR), each
		 * part at a character: the fleet's copy of the name is
		 * cleaned, and kube_host_name() must give the same. */
		text_copy(ns, sizeof(ns), hw->ns);
		text_copy(name, sizeof(name), hw->name);
		snprintf(shown, sizeof(shown), "%s/%s", ns, name);
	} else
		text_copy(shown, sizeof(shown), hw->name);
	pthread_mutex_lock(&k->lock);
	if (hw->host >= 0 && strcmp(hw->shown, shown)) {
		old = hw->host;
		hw->host = -1;
	}
	text_copy(hw->shown, sizeof(hw->shown), shown);
	pthread_mutex_unlock(&k->lock);
	if (old >= 0)
		fleet_host_remove(k->fleet, (size_t)old);   /* renamed: a new row */
	idx = fleet_host_revive(k->fleet, hw->host, shown, m ? m->address : "",
				m ? m->protocol : FLEET_PROTO_REDFISH, m ? m->secret : "");
	pthread_mutex_lock(&k->lock);
	hw->host = (ssize_t)idx;
	pthread_mutex_unlock(&k->lock);
	kube_bmc_keep(k, idx, &d);
	d.power = m ? m->power : FLEET_POWER_UNKNOWN;
	d.health = !m || m->contactable < 0 ? FLEET_HEALTH_UNKNOWN
		 : m->contactable ? FLEET_HEALTH_OK : FLEET_HEALTH_CRITICAL;
	d.source = m ? m->protocol : FLEET_PROTO_REDFISH;
	fleet_host_update(k->fleet, idx, &d, now);
	if (hw->bmc_ref[0] && !m) {
		char why[FLEET_ERR];

		snprintf(why, sizeof(why), "Machine %s/%s (the Hardware's spec.bmcRef) not found",
			 hw->ns, hw->bmc_ref);
		/* The picture just read says so: the data is current, not stale. */
		fleet_host_set_error(k->fleet, idx, why, now);
	} else if (m && m->contactable == 0) {
		char why[FLEET_ERR];

		/* The message first: a narrow row shows the start. */
		http_fmt(why, sizeof(why), "BMC not contactable: %s (Machine %s/%s)",
			 m->message[0] ? m->message : "(no message)", m->ns, m->name);
		fleet_host_set_error(k->fleet, idx, why, now);
	}
}

static void kube_host_refresh_one(struct kube *k, struct kube_obj *hw, void *arg)
{
	const struct kube_obj *m = arg;

	if (!m || (!strcmp(hw->ns, m->ns) && !strcmp(hw->bmc_ref, m->name)))
		kube_host_refresh(k, hw);
}

void kube_hosts_refresh_one_host(struct kube *k, size_t idx)
{
	struct kube_obj *hw = kube_hardware_of(k, idx);

	if (hw)
		kube_host_refresh(k, hw);
}

void kube_hosts_refresh_all(struct kube *k)
{
	k->hosts_dirty = false;
	kube_store_each(k, KUBE_HARDWARE, kube_host_refresh_one, NULL);
}

/* ---- actions ---- */

static void kube_action_end(struct kube *k, struct kube_pending *p, int state, const char *why)
{
	if (k->hook && !p->workflow)
		k->hook(k->hook_arg, p->host, p->a, state, why);
	if (k->wf_hook && p->workflow)
		k->wf_hook(k->wf_hook_arg, p->host, p->template_, state, why);
	fleet_host_set_action(k->fleet, p->host, p->record, state, why, time(NULL));
}

static void kube_pending_unlink(struct kube *k, struct kube_pending *p)
{
	pthread_mutex_lock(&k->lock);
	for (struct kube_pending **pp = &k->jobs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	pthread_mutex_unlock(&k->lock);
}

/* A Job of ours changed (or went): how the action ended. */
static void kube_hosts_job(struct kube *k, const struct kube_obj *job, bool deleted)
{
	struct kube_pending *p;
	char why[FLEET_ERR];

	pthread_mutex_lock(&k->lock);
	for (p = k->jobs; p; p = p->next)
		if (!strcmp(p->ns, job->ns) && !strcmp(p->name, job->name))
			break;
	pthread_mutex_unlock(&k->lock);
	if (!p || (!deleted && job->job_state == 0))
		return;
	if (deleted && job->job_state == 0)
		snprintf(why, sizeof(why), "Job %s/%s was deleted before it completed", job->ns,
			 job->name);
	else if (job->job_state == 1)
		http_fmt(why, sizeof(why), "Job %s/%s completed%s%s", job->ns, job->name,
			 job->message[0] ? ": " : "", job->message);
	else
		http_fmt(why, sizeof(why), "Job %s/%s failed: %s", job->ns, job->name,
			 job->message[0] ? job->message : "(no message)");
	kube_pending_unlink(k, p);
	kube_action_end(k, p, job->job_state == 1 ? FLEET_ACTION_DONE : FLEET_ACTION_FAILED, why);
	free(p);
}

void kube_hosts_renamed(struct kube *k, const char *ns, const char *name)
{
	kube_same_name_each(k, ns, name, kube_host_refresh_one, NULL);
}

void kube_hosts_changed(struct kube *k, struct kube_obj *o, bool deleted)
{
	switch (o->kind) {
	case KUBE_HARDWARE:
		if (deleted) {
			if (o->host >= 0)
				fleet_host_remove(k->fleet, (size_t)o->host);
		} else {
			kube_host_refresh(k, o);
			kube_hosts_renamed(k, o->ns, o->name);
		}
		break;
	case KUBE_MACHINE:
		/* While Machines are being listed, one pass at the end. */
		if (k->watch[KUBE_MACHINE].state == KUBE_WATCH_LISTING) {
			k->hosts_dirty = true;
			break;
		}
		if (deleted) {
			/* Refresh after it is gone: look it up again then. */
			k->hosts_dirty = true;
			break;
		}
		kube_store_each(k, KUBE_HARDWARE, kube_host_refresh_one, o);
		break;
	case KUBE_JOB:
		kube_hosts_job(k, o, deleted);
		break;
	default:
		break;
	}
}

struct kube_find_host {
	size_t host;
	struct kube_obj *hw;
};

static void kube_find_host_one(struct kube *k, struct kube_obj *o, void *arg)
{
	struct kube_find_host *f = arg;

	(void)k;
	if (o->host >= 0 && (size_t)o->host == f->host && !f->hw)
		f->hw = o;
}

/* The Hardware behind fleet index HOST; the caller holds the lock or is
 * the kube thread. */
struct kube_obj *kube_hardware_of(struct kube *k, size_t host)
{
	struct kube_find_host f = { host, NULL };

	kube_store_each(k, KUBE_HARDWARE, kube_find_host_one, &f);
	return f.hw;
}

int kube_host_name(struct kube *k, size_t host, char *buf, size_t n)
{
	struct kube_obj *hw;

	pthread_mutex_lock(&k->lock);
	hw = kube_hardware_of(k, host);
	if (hw)
		text_copy(buf, n, hw->shown[0] ? hw->shown : hw->name);
	pthread_mutex_unlock(&k->lock);
	return hw ? 0 : -1;
}

/* The Job's one task for action A; NULL: Rufio has no such action. */
static json_t *kube_job_task(enum engine_action a)
{
	const char *power = NULL, *dev = NULL;

	switch (a) {
	case ENGINE_ACTION_POWER_ON: power = "on"; break;
	case ENGINE_ACTION_POWER_OFF: power = "off"; break;
	case ENGINE_ACTION_POWER_SOFT: power = "soft"; break;
	case ENGINE_ACTION_POWER_CYCLE: power = "cycle"; break;
	case ENGINE_ACTION_POWER_RESET: power = "reset"; break;
	case ENGINE_ACTION_BOOT_PXE: dev = "pxe"; break;
	case ENGINE_ACTION_BOOT_DISK: dev = "disk"; break;
	case ENGINE_ACTION_BOOT_BIOS: dev = "bios"; break;
	default: return NULL;
	}
	if (power)
		return json_pack("{s:s}", "powerAction", power);
	return json_pack("{s:{s:[s],s:b}}", "oneTimeBootDeviceAction", "device", dev, "efiBoot", 1);
}

bool kube_action_supported(enum engine_action a, char *why, size_t n)
{
	json_t *task = kube_job_task(a);

	json_decref(task);
	if (!task)
		snprintf(why, n, "not available in Kubernetes mode (a Rufio Job has no such task)");
	return task != NULL;
}

static void kube_enqueue(struct kube *k, struct kube_pending *p)
{
	pthread_mutex_lock(&k->lock);
	p->next = k->queue;
	k->queue = p;
	pthread_mutex_unlock(&k->lock);
	if (k->multi)
		curl_multi_wakeup(k->multi);
}

int kube_request(struct kube *k, size_t host, enum engine_action a)
{
	struct kube_pending *p;
	json_t *task;

	if (a == ENGINE_ACTION_POLL_NOW)
		return 0;   /* the cluster's picture is live: nothing to poll */
	task = kube_job_task(a);
	if (!task) {
		const char *why = "not available in Kubernetes mode (a Rufio Job has no such task)";

		if (k->hook)
			k->hook(k->hook_arg, host, a, FLEET_ACTION_FAILED, why);
		fleet_host_set_action(k->fleet, host, engine_action_name(a), FLEET_ACTION_FAILED, why,
				      time(NULL));
		return -1;
	}
	json_decref(task);
	p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	p->host = host;
	p->a = a;
	text_copy(p->record, sizeof(p->record), engine_action_name(a));
	fleet_host_set_action(k->fleet, host, p->record, FLEET_ACTION_PENDING, NULL, time(NULL));
	kube_enqueue(k, p);
	return 0;
}

void kube_set_reprovision_hook(struct kube *k, kube_reprovision_hook fn, void *arg)
{
	k->wf_hook = fn;
	k->wf_hook_arg = arg;
}

int kube_reprovision(struct kube *k, size_t host, const char *template_name, char *err,
		     size_t errlen)
{
	struct kube_pending *p;

	if (!template_name || !*template_name || strlen(template_name) >= sizeof(p->template_)) {
		snprintf(err, errlen, "reprovision: no template named");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->host = host;
	p->workflow = true;
	text_clean(p->template_, sizeof(p->template_), template_name);
	text_copy(p->record, sizeof(p->record), "reprovision");
	fleet_host_set_action(k->fleet, host, p->record, FLEET_ACTION_PENDING, NULL, time(NULL));
	kube_enqueue(k, p);
	return 0;
}

static void kube_post_done(struct kube *k, struct kube_xfer *x, CURLcode rc, long status)
{
	struct kube_pending *p = x->arg;
	json_t *j = NULL, *meta;
	char why[FLEET_ERR];

	if (rc == CURLE_OK && status == 201)
		j = json_yajl_answer(x->url, x->resp, x->len, 0, why, sizeof(why));
	meta = json_object_get(j, "metadata");
	if (!json_is_string(json_object_get(meta, "name"))) {
		if (rc == CURLE_OK && status == 201) {
			if (j)
				http_fmt(why, sizeof(why), "%s: the answer names no object", x->url);
		} else
			kube_xfer_error(x, rc, status, why, sizeof(why));
		json_decref(j);
		kube_pending_unlink(k, p);
		kube_action_end(k, p, FLEET_ACTION_FAILED, why);
		free(p);
		return;
	}
	text_clean(p->name, sizeof(p->name), json_string_value(json_object_get(meta, "name")));
	json_decref(j);
	if (p->workflow) {
		snprintf(why, sizeof(why), "Workflow %s/%s created from Template %s", p->ns, p->name,
			 p->template_);
		kube_pending_unlink(k, p);
		kube_action_end(k, p, FLEET_ACTION_DONE, why);
		free(p);
		return;
	}
	snprintf(why, sizeof(why), "Job %s/%s created; waiting for Rufio", p->ns, p->name);
	fleet_host_set_action(k->fleet, p->host, p->record, FLEET_ACTION_RUNNING, why, time(NULL));
	/* Its watch event may have come before this answer. */
	struct kube_obj *job = kube_store_find(k, KUBE_JOB, p->ns, p->name);

	if (job)
		kube_hosts_job(k, job, false);
}

/* Builds and POSTs the object for P; ends it failed when it cannot. */
static void kube_action_start(struct kube *k, struct kube_pending *p)
{
	struct kube_obj *hw = kube_hardware_of(k, p->host);
	char prefix[64], url[1024], why[FLEET_ERR];
	json_t *obj;
	char *body;
	const struct kube_resource *r = kube_resource(p->workflow ? KUBE_WORKFLOW : KUBE_JOB);

	if (!hw) {
		kube_action_end(k, p, FLEET_ACTION_FAILED, "no Hardware for this host in the cluster");
		free(p);
		return;
	}
	if (p->workflow) {
		if (!kube_store_find(k, KUBE_TEMPLATE, hw->ns, p->template_)) {
			snprintf(why, sizeof(why), "no Template %s/%s", hw->ns, p->template_);
			kube_action_end(k, p, FLEET_ACTION_FAILED, why);
			free(p);
			return;
		}
		snprintf(prefix, sizeof(prefix), "racktop-%.40s-", hw->name);
		obj = json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:{s:s,s:s,s:{s:s}}}",
				"apiVersion", "tinkerbell.org/v1alpha1", "kind", "Workflow",
				"metadata", "generateName", prefix, "namespace", hw->ns,
				"labels", "app.kubernetes.io/managed-by", "racktop",
				"spec", "templateRef", p->template_, "hardwareRef", hw->name,
				"hardwareMap", "device_1", hw->mac);
	} else {
		if (!hw->bmc_ref[0]) {
			kube_action_end(k, p, FLEET_ACTION_FAILED,
					"the Hardware has no spec.bmcRef (no Rufio Machine to act on)");
			free(p);
			return;
		}
		snprintf(prefix, sizeof(prefix), "racktop-%.40s-%s-", hw->name,
			 engine_action_name(p->a)[0] == 'b' ? "boot" : "power");
		obj = json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:{s:{s:s,s:s},s:[o]}}",
				"apiVersion", "bmc.tinkerbell.org/v1alpha1", "kind", "Job",
				"metadata", "generateName", prefix, "namespace", hw->ns,
				"labels", "app.kubernetes.io/managed-by", "racktop",
				"spec", "machineRef", "name", hw->bmc_ref, "namespace", hw->ns,
				"tasks", kube_job_task(p->a));
	}
	body = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	snprintf(url, sizeof(url), "%s/apis/%s/%s/namespaces/%s/%s", k->kc.server, r->group,
		 r->decoder->version, hw->ns, r->plural);
	text_copy(p->ns, sizeof(p->ns), hw->ns);
	pthread_mutex_lock(&k->lock);
	p->next = k->jobs;
	k->jobs = p;
	pthread_mutex_unlock(&k->lock);
	if (!body || !kube_xfer_start(k, "POST", url, body, NULL, kube_post_done, p, k->timeout_s)) {
		free(body);
		kube_pending_unlink(k, p);
		kube_action_end(k, p, FLEET_ACTION_FAILED, "cannot start the request (out of memory)");
		free(p);
		return;
	}
	free(body);
	fleet_host_set_action(k->fleet, p->host, p->record, FLEET_ACTION_RUNNING, NULL, time(NULL));
}

void kube_actions_run(struct kube *k)
{
	struct kube_pending *q, *rev = NULL;

	pthread_mutex_lock(&k->lock);
	q = k->queue;
	k->queue = NULL;
	pthread_mutex_unlock(&k->lock);
	/* The queue is a stack: run them in the order asked. */
	while (q) {
		struct kube_pending *n = q->next;

		q->next = rev;
		rev = q;
		q = n;
	}
	while (rev) {
		struct kube_pending *n = rev->next;

		kube_action_start(k, rev);
		rev = n;
	}
}

void kube_actions_cancel(struct kube *k)
{
	struct kube_pending *lists[2] = { k->queue, k->jobs };

	k->queue = k->jobs = NULL;
	for (int i = 0; i < 2; i++) {
		while (lists[i]) {
			struct kube_pending *p = lists[i];
			char why[FLEET_ERR];

			lists[i] = p->next;
			if (p->name[0])
				snprintf(why, sizeof(why), "cancelled: racktop stopped before Job %s/%s "
					 "ended (it stays in the cluster)", p->ns, p->name);
			else
				snprintf(why, sizeof(why), "cancelled: racktop stopped before it was sent");
			kube_action_end(k, p, FLEET_ACTION_FAILED, why);
			free(p);
		}
	}
}

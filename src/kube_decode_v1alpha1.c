/* Kubernetes mode: decoding tinkerbell.org/v1alpha1 and
 * bmc.tinkerbell.org/v1alpha1 objects (the versions Tinkerbell installs
 * by default). Another version is another file like this one and a
 * line in kube.c's resource table. Every field is type-checked; what
 * is missing or of the wrong type is left empty, never guessed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_int.h"
#include "text.h"

#define KUBE_V1A1_MAX_TASKS 64
#define KUBE_V1A1_MAX_ACTIONS 256

static const char *v1a1_str(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void v1a1_copy(char *dst, size_t n, json_t *o, const char *key)
{
	text_clean(dst, n, v1a1_str(o, key));
}

static json_t *v1a1_obj(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_object(v) ? v : NULL;
}

static json_t *v1a1_arr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_array(v) ? v : NULL;
}

/* "STATE_RUNNING" and "running" both read RUNNING. */
static void v1a1_state(char *dst, size_t n, const char *s)
{
	char tmp[64];

	text_clean(tmp, sizeof(tmp), s);
	if (!strncmp(tmp, "STATE_", 6))
		memmove(tmp, tmp + 6, strlen(tmp + 6) + 1);
	for (char *p = tmp; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	text_copy(dst, n, tmp);
}

static void v1a1_hardware(json_t *spec, struct kube_obj *o)
{
	json_t *ifs = v1a1_arr(spec, "interfaces");

	v1a1_copy(o->bmc_ref, sizeof(o->bmc_ref), v1a1_obj(spec, "bmcRef"), "name");
	if (ifs && json_array_size(ifs) > 0)
		v1a1_copy(o->mac, sizeof(o->mac), v1a1_obj(json_array_get(ifs, 0), "dhcp"), "mac");
}

static void v1a1_machine(json_t *spec, json_t *status, struct kube_obj *o)
{
	json_t *conn = v1a1_obj(spec, "connection"), *conds = v1a1_arr(status, "conditions");
	json_t *sec = v1a1_obj(conn, "authSecretRef"), *prov = v1a1_obj(conn, "providerOptions");
	const char *ps = v1a1_str(status, "powerState");
	json_int_t port;
	size_t i;
	json_t *c;

	v1a1_copy(o->address, sizeof(o->address), conn, "host");
	/* For a direct read of this BMC (kube_bmc.c); bounded (0: not an integer). */
	port = json_integer_value(json_object_get(conn, "port"));
	if (port > 0 && port < 65536)
		o->port = (int)port;
	o->insecure_tls = json_is_true(json_object_get(conn, "insecureTLS"));
	if (sec) {
		char ns[64], name[64];

		v1a1_copy(ns, sizeof(ns), sec, "namespace");
		v1a1_copy(name, sizeof(name), sec, "name");
		snprintf(o->secret, sizeof(o->secret), "Secret %s/%s", ns, name);
	}
	/* Rufio tries its providers in order; with only ipmitool options
	 * it is an IPMI BMC. */
	o->protocol = prov && v1a1_obj(prov, "ipmitool") && !v1a1_obj(prov, "redfish")
			      ? FLEET_PROTO_IPMI : FLEET_PROTO_REDFISH;
	o->power = !ps ? FLEET_POWER_UNKNOWN : !strcmp(ps, "on") ? FLEET_POWER_ON
		 : !strcmp(ps, "off") ? FLEET_POWER_OFF : FLEET_POWER_UNKNOWN;
	o->contactable = -1;
	if (!conds)
		return;
	json_array_foreach(conds, i, c) {
		const char *t = v1a1_str(c, "type"), *st = v1a1_str(c, "status");

		if (t && st && !strcmp(t, "Contactable")) {
			o->contactable = !strcmp(st, "True") ? 1 : 0;
			v1a1_copy(o->message, sizeof(o->message), c, "message");
		}
	}
}

static void v1a1_job(json_t *status, struct kube_obj *o)
{
	json_t *conds = v1a1_arr(status, "conditions"), *c;
	size_t i;

	if (!conds)
		return;
	json_array_foreach(conds, i, c) {
		const char *t = v1a1_str(c, "type"), *st = v1a1_str(c, "status");

		if (!t || !st || strcmp(st, "True"))
			continue;
		if (!strcmp(t, "Failed")) {
			o->job_state = 2;
			v1a1_copy(o->message, sizeof(o->message), c, "message");
		} else if (!strcmp(t, "Completed") && o->job_state == 0) {
			o->job_state = 1;
			v1a1_copy(o->message, sizeof(o->message), c, "message");
		}
	}
}

static int v1a1_workflow(json_t *spec, json_t *status, json_t *meta, struct kube_obj *o)
{
	struct kube_workflow *w = &o->wf;
	json_t *tasks = v1a1_arr(status, "tasks"), *cur = v1a1_obj(status, "currentState");
	size_t nt;

	text_copy(w->namespace_, sizeof(w->namespace_), o->ns);
	text_copy(w->name, sizeof(w->name), o->name);
	v1a1_copy(w->template_ref, sizeof(w->template_ref), spec, "templateRef");
	v1a1_copy(w->hardware_ref, sizeof(w->hardware_ref), spec, "hardwareRef");
	v1a1_copy(w->created, sizeof(w->created), meta, "creationTimestamp");
	v1a1_state(w->state, sizeof(w->state), v1a1_str(status, "state"));
	v1a1_copy(w->current_task, sizeof(w->current_task), cur, "taskName");
	v1a1_copy(w->current_action, sizeof(w->current_action), cur, "actionName");
	w->host = -1;
	nt = tasks ? json_array_size(tasks) : 0;
	if (nt > KUBE_V1A1_MAX_TASKS)
		nt = KUBE_V1A1_MAX_TASKS;
	if (nt && !(w->tasks = calloc(nt, sizeof(*w->tasks))))
		return -1;
	w->ntasks = nt;
	for (size_t i = 0; i < nt; i++) {
		json_t *t = json_array_get(tasks, i), *acts = v1a1_arr(t, "actions");
		struct kube_wf_task *kt = &w->tasks[i];
		size_t na = acts ? json_array_size(acts) : 0;

		v1a1_copy(kt->name, sizeof(kt->name), t, "name");
		v1a1_copy(kt->worker, sizeof(kt->worker), t, v1a1_str(t, "agentID") ? "agentID"
							       : "worker");
		if (na > KUBE_V1A1_MAX_ACTIONS)
			na = KUBE_V1A1_MAX_ACTIONS;
		if (na && !(kt->actions = calloc(na, sizeof(*kt->actions))))
			return -1;
		kt->nactions = na;
		for (size_t j = 0; j < na; j++) {
			json_t *a = json_array_get(acts, j);
			struct kube_wf_action *ka = &kt->actions[j];

			v1a1_copy(ka->name, sizeof(ka->name), a, "name");
			v1a1_copy(ka->image, sizeof(ka->image), a, "image");
			v1a1_state(ka->state, sizeof(ka->state), v1a1_str(a, "state"));
			v1a1_copy(ka->started, sizeof(ka->started), a, "executionStart");
			v1a1_copy(ka->duration, sizeof(ka->duration), a, "executionDuration");
			v1a1_copy(ka->message, sizeof(ka->message), a, "message");
		}
	}
	return 0;
}

static int v1a1_decode(enum kube_kind kind, json_t *obj, struct kube_obj *o, char *err,
		       size_t errlen)
{
	json_t *meta = v1a1_obj(obj, "metadata"), *spec = v1a1_obj(obj, "spec");
	json_t *status = v1a1_obj(obj, "status");
	const char *scheme;

	o->kind = kind;
	o->host = -1;
	if (!meta || !v1a1_str(meta, "name") || !*v1a1_str(meta, "name")) {
		snprintf(err, errlen, "an object without metadata.name");
		return -1;
	}
	v1a1_copy(o->name, sizeof(o->name), meta, "name");
	v1a1_copy(o->ns, sizeof(o->ns), meta, "namespace");
	switch (kind) {
	case KUBE_HARDWARE: v1a1_hardware(spec, o); break;
	case KUBE_MACHINE:
		v1a1_machine(spec, status, o);
		/* racktop's own annotation, as in a manifest (doc/inventory.md). */
		scheme = v1a1_str(v1a1_obj(meta, "annotations"), "racktop/scheme");
		o->plain_http = scheme && !strcmp(scheme, "http");
		break;
	case KUBE_JOB: v1a1_job(status, o); break;
	case KUBE_WORKFLOW:
		if (v1a1_workflow(spec, status, meta, o) < 0) {
			snprintf(err, errlen, "%s/%s: out of memory", o->ns, o->name);
			return -1;
		}
		break;
	default: break;   /* Template, Task: their names are enough */
	}
	return 0;
}

const struct kube_decoder kube_decoder_v1alpha1 = { "v1alpha1", v1a1_decode };

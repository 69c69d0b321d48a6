/* racktop --kube (kube_main.h): the kube client instead of the BMC
 * engine. No engine runs in this mode: the cluster polls the BMCs
 * (Rufio), racktop only reads its picture and creates objects, so
 * nothing here grows with the fleet but the store. */
#include "kube_main.h"

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "batch_action.h"
#include "batch_signal.h"
#include "inventory.h"
#include "kube.h"

static void kube_main_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "racktop: %s\n", line);
}

/* Waits until every resource has been listed once (or failed to be).
 * 1 synced, -1 failed (ERR), 0 timed out or interrupted (ERR). */
static int kube_main_wait(struct kube *k, struct fleet *fleet, int timeout_s, char *err,
			  size_t errlen)
{
	time_t deadline = time(NULL) + (time_t)timeout_s * 6 + 30;
	int s, sig = 0;

	while ((s = kube_sync_state(k, err, errlen)) == 0 && time(NULL) < deadline &&
	       !(sig = batch_signal_wait(fleet, 200)))
		;
	if (s == 0 && sig)
		snprintf(err, errlen, "interrupted (%s) before the cluster's picture was complete",
			 batch_signal_name(sig));
	else if (s == 0)
		snprintf(err, errlen, "the cluster's picture is not complete after %d s",
			 timeout_s * 6 + 30);
	return s;
}

/* batch_action_run's halt: no more Jobs or Workflows are made; those
 * waiting end cancelled in the audit log as the client is freed. */
static void kube_main_halt(void *arg)
{
	kube_stop(arg);
}

static int kube_main_reprovision_line(const struct fleet_host *h, const char *template_name,
				      const char *result, const char *message)
{
	json_t *line = json_pack("{s:s,s:s,s:s,s:s,s:s}", "host", h->name, "action", "reprovision",
				 "template", template_name, "result", result, "message", message);
	int rc = 0;

	if (!line || json_dumpf(line, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
		rc = -1;
	json_decref(line);
	fputc('\n', stdout);
	fflush(stdout);
	return rc;
}

/* batch_action_select() wants an inventory: the live hosts' names, and
 * MAP from its indices back to the fleet's. */
static int kube_main_select(struct fleet *fleet, const struct kube_main_options *o,
			    const struct action_info *ai, size_t **hosts, size_t *n, char *err,
			    size_t errlen)
{
	struct fleet_snapshot snap = { 0 };
	struct inventory inv = { 0 };
	size_t *map, *sel = NULL, nsel = 0;
	int rc;

	fleet_snapshot_take(fleet, &snap);
	inv.hosts = calloc(snap.nhosts ? snap.nhosts : 1, sizeof(*inv.hosts));
	map = calloc(snap.nhosts ? snap.nhosts : 1, sizeof(*map));
	if (!inv.hosts || !map) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < snap.nhosts; i++) {
		if (snap.hosts[i].gone)
			continue;
		memcpy(inv.hosts[inv.nhosts].name, snap.hosts[i].name, FLEET_STR);
		map[inv.nhosts++] = i;
	}
	rc = batch_action_select(&inv, o->hosts, o->yes, ai, &sel, &nsel, err, errlen);
	for (size_t i = 0; rc == 0 && i < nsel; i++)
		sel[i] = map[sel[i]];
	*hosts = sel;
	*n = nsel;
out:
	free(inv.hosts);
	free(map);
	fleet_snapshot_free(&snap);
	return rc;
}

/* --reprovision TEMPLATE: a Workflow for each host, one JSON line each
 * as it is created (or refused); the audit log has each first. */
static int kube_main_reprovision(struct kube *k, struct fleet *fleet, struct actions *ac,
				 const struct kube_main_options *o)
{
	static const struct action_info ai = { ENGINE_ACTION_POLL_NOW, "reprovision", 0,
					       "reprovision", true };
	struct fleet_snapshot snap = { 0 };
	char err[FLEET_ERR + 64], what[96];
	size_t *hosts = NULL, n = 0, left;
	bool *seen;
	time_t deadline = time(NULL) + (time_t)o->timeout_s * 2 + 10;
	int rc = 0, sig = 0;

	if (kube_main_select(fleet, o, &ai, &hosts, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		return 2;
	}
	seen = calloc(n ? n : 1, sizeof(*seen));
	snprintf(what, sizeof(what), "reprovision %s", o->reprovision);
	for (size_t i = 0; seen && i < n; i++) {
		if (actions_audit_note(ac, hosts[i], what, "requested", NULL) < 0 ||
		    kube_reprovision(k, hosts[i], o->reprovision, err, sizeof(err)) < 0) {
			fprintf(stderr, "racktop: %s\n", actions_audit_failure(ac, err, sizeof(err))
						       ? err : "reprovision not sent");
			free(seen);
			free(hosts);
			return 1;
		}
	}
	for (left = seen ? n : 0; left > 0 && time(NULL) < deadline;) {
		fleet_snapshot_take(fleet, &snap);
		for (size_t i = 0; i < n; i++) {
			const struct fleet_host *h = &snap.hosts[hosts[i]];
			bool ok = h->action_state == FLEET_ACTION_DONE;

			if (seen[i] || (!ok && h->action_state != FLEET_ACTION_FAILED))
				continue;
			seen[i] = true;
			left--;
			actions_audit_note(ac, hosts[i], what, ok ? "done" : "failed",
					   ok ? NULL : h->action_result);
			if (kube_main_reprovision_line(h, o->reprovision, ok ? "done" : "failed",
						       h->action_result) < 0 || !ok)
				rc = 1;
		}
		if (!left || sig)
			break;
		sig = batch_signal_wait(fleet, 200);
	}
	if (left && sig) {
		/* Interrupted: no more answers are read; each Workflow not
		 * yet answered may still have been made. */
		char why[160];

		kube_stop(k);
		snprintf(why, sizeof(why), "racktop was interrupted (%s) before the cluster answered; "
			 "the Workflow may have been created", batch_signal_name(sig));
		for (size_t i = 0; i < n; i++) {
			if (seen[i])
				continue;
			actions_audit_note(ac, hosts[i], what, "cancelled", why);
			kube_main_reprovision_line(&snap.hosts[hosts[i]], o->reprovision, "cancelled",
						   why);
		}
		rc = BATCH_SIGNAL_EXIT;
	} else if (left) {
		fprintf(stderr, "racktop: reprovision: %zu of %zu without an answer\n", left, n);
		rc = 1;
	}
	fleet_snapshot_free(&snap);
	free(seen);
	free(hosts);
	return rc;
}

/* The screen's reprovisions end in the audit log here (batch mode
 * writes its own lines as it prints each result). */
static void kube_main_wf_audit(void *arg, size_t host, const char *template_name, int state,
			       const char *result)
{
	char what[96];
	bool ok = state == FLEET_ACTION_DONE;
	bool cancelled = !ok && result && !strncmp(result, "cancelled", 9);

	snprintf(what, sizeof(what), "reprovision %s", template_name);
	actions_audit_note(arg, host, what, ok ? "done" : cancelled ? "cancelled" : "failed",
			   ok ? NULL : result);
}

static int kube_main_batch(struct kube *k, struct fleet *fleet, struct actions *ac,
			   const struct kube_main_options *o)
{
	char err[FLEET_ERR + 64];
	int s = kube_main_wait(k, fleet, o->timeout_s, err, sizeof(err));
	const struct action_info *ai = o->action ? actions_by_word(o->action) : NULL;
	struct fleet_snapshot snap = { 0 };
	int rc = 0;

	if (s <= 0 && batch_signal_caught())
		return BATCH_SIGNAL_EXIT;
	if (s <= 0) {
		fprintf(stderr, "racktop: %s\n", err);
		/* What could be read is still printed: a script sees the
		 * hosts it may, and the exit status says it is partial. */
		rc = 1;
		if (ai || o->reprovision)
			return rc;
	}
	if (o->reprovision)
		return kube_main_reprovision(k, fleet, ac, o);
	if (ai) {
		size_t *hosts = NULL, n = 0;

		if (kube_main_select(fleet, o, ai, &hosts, &n, err, sizeof(err)) < 0) {
			fprintf(stderr, "racktop: %s\n", err);
			return 2;
		}
		/* A Rufio Job ends when its tasks do: no power state to await here. */
		rc = batch_action_run(fleet, ac, ai, hosts, n, o->timeout_s, 0, stdout,
				      kube_main_halt, k);
		free(hosts);
		return rc;
	}
	if (o->interval_set) {
		int sw = batch_sweep(fleet, o->interval_s, o->format, stdout);

		return sw ? sw : rc;
	}
	fleet_snapshot_take(fleet, &snap);
	if (batch_write(stdout, &snap, o->format, false) < 0)
		rc = 1;
	fleet_snapshot_free(&snap);
	return rc;
}

int kube_main_run(const struct kube_main_options *o, const struct ui_options *uo)
{
	struct kube_config kcfg = {
		.context = o->context,
		.namespace_ = o->namespace_,
		.timeout_s = o->timeout_s,
		.bmc_ca_file = o->cacert,
		.bmc_credentials = o->credentials,
		/* The screen shows the status line instead; batch mode says
		 * on stderr what went wrong and when. */
		.log = o->batch ? kube_main_log : NULL,
	};
	struct inventory none = { 0 };
	struct fleet *fleet = fleet_new();
	struct kube *k = NULL;
	struct actions *ac = NULL;
	char err[FLEET_ERR + 64];
	sigset_t sigs;
	int rc = 2;

	if (!fleet) {
		fprintf(stderr, "racktop: out of memory\n");
		return 2;
	}
	k = kube_new(fleet, &kcfg, err, sizeof(err));
	if (!k) {
		fprintf(stderr, "racktop: --kube: %s\n", err);
		goto out;
	}
	ac = actions_new(NULL, &none, o->audit_log, o->read_only);
	if (!ac)
		goto out;
	actions_set_kube(ac, k);
	if ((o->action || o->reprovision) && actions_open_audit(ac, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		goto out;
	}
	if (!o->batch)
		kube_set_reprovision_hook(k, kube_main_wf_audit, ac);
	/* Its thread never takes the batch signals (batch_signal.h). */
	batch_signal_block(&sigs);
	if (kube_start(k) < 0) {
		batch_signal_restore(&sigs);
		fprintf(stderr, "racktop: --kube: cannot start the Kubernetes client\n");
		goto out;
	}
	batch_signal_restore(&sigs);
	if (o->batch) {
		rc = kube_main_batch(k, fleet, ac, o);
	} else {
		struct ui_options u = *uo;

		u.title = kube_describe(k);
		u.actions = ac;
		u.inventory = NULL;   /* consoles need BMC credentials: not in this mode */
		u.kube = k;
		rc = ui_run(fleet, NULL, &u);
	}
	kube_stop(k);
out:
	/* Actions still waiting end (cancelled) in the audit log before it
	 * closes. */
	kube_free(k);
	actions_free(ac);
	fleet_free(fleet);
	return rc;
}

/* Batch mode actions (batch_action.h): pick the hosts, ask through
 * actions.c (so the audit log has it first), then watch the fleet
 * store and print each host's line as its result lands. A line printed
 * here is already in the audit log: the engine's hook writes it before
 * the record changes. */
#include "batch_action.h"

#include <errno.h>
#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch_signal.h"
#include "text.h"

/* Every request has its own limit; this bounds a chain of them (BMC
 * reset: login, Managers, the manager, the POST) and guards against a
 * bug, never the normal case. */
#define BATCH_ACTION_CHAIN 10

int batch_action_select(const struct inventory *inv, const char *re, bool yes,
			const struct action_info *ai, size_t **hosts, size_t *n, char *err,
			size_t errlen)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	size_t k = 0;

	*hosts = NULL;
	*n = 0;
	if (rc != 0) {
		char why[200];

		regerror(rc, &rx, why, sizeof(why));
		snprintf(err, errlen, "--hosts '%s': %s", re, why);
		return -1;
	}
	*hosts = calloc(inv->nhosts ? inv->nhosts : 1, sizeof(**hosts));
	if (!*hosts) {
		regfree(&rx);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < inv->nhosts; i++)
		if (regexec(&rx, inv->hosts[i].name, 0, NULL, 0) == 0)
			(*hosts)[k++] = i;
	regfree(&rx);
	if (k == 0)
		snprintf(err, errlen, "--hosts '%s' matches no host (of %zu in the inventory)", re,
			 inv->nhosts);
	else if (k > 1 && !yes)
		snprintf(err, errlen, "--hosts '%s' matches %zu hosts: %s on more than one host needs --yes",
			 re, k, ai->word);
	if (k == 0 || (k > 1 && !yes)) {
		free(*hosts);
		*hosts = NULL;
		return -1;
	}
	*n = k;
	return 0;
}

static void batch_action_time(char *buf, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int batch_action_line(FILE *out, const struct fleet_host *h, const struct action_info *ai,
			     const char *result, const char *message, time_t when)
{
	json_t *o = json_object();
	char t[32];
	int rc;

	batch_action_time(t, sizeof(t), when);
	json_object_set_new(o, "host", json_string(h->name));
	json_object_set_new(o, "action", json_string(ai->word));
	json_object_set_new(o, "protocol", json_string(fleet_protocol_name(h->protocol)));
	json_object_set_new(o, "result", json_string(result));
	json_object_set_new(o, "message", message && *message ? json_string(message) : json_null());
	json_object_set_new(o, "time", json_string(t));
	rc = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	/* A line at a time: a script (or a test that kills us) sees each
	 * result as it lands. */
	if (fflush(out) != 0)
		rc = -1;
	return rc;
}

/* A final record's word: done, cancelled (racktop stopped first; the
 * engine's and the kube client's reasons say "cancelled: ..."), failed. */
static const char *batch_action_word(const struct fleet_host *h)
{
	if (h->action_state == FLEET_ACTION_DONE)
		return "done";
	if (h->action_state == FLEET_ACTION_ACCEPTED)
		return "accepted";
	if (strncmp(h->action_result, "not reached", 11) == 0)
		return "not reached";
	return strncmp(h->action_result, "cancelled", 9) == 0 ? "cancelled" : "failed";
}

/* clear-log needs the log services the first poll discovers: waits for
 * it, however long a slow BMC takes (each request has its limit). 0, or
 * the signal that stopped the wait. */
static int batch_action_wait_polled(struct fleet *fleet, const size_t *hosts, size_t n)
{
	struct fleet_snapshot snap = { 0 };
	int sig = 0;

	for (;;) {
		size_t polled = 0;

		fleet_snapshot_take(fleet, &snap);
		for (size_t i = 0; i < n; i++)
			if (hosts[i] < snap.nhosts && snap.hosts[hosts[i]].polls > 0)
				polled++;
		if (polled == n)
			break;
		if ((sig = batch_signal_wait(fleet, 1000)))
			break;
	}
	fleet_snapshot_free(&snap);
	return sig;
}

/* Prints the hosts whose records are final and not yet REPORTED; 1 if
 * any failed or a line could not be written. */
static int batch_action_report(struct fleet *fleet, struct fleet_snapshot *snap,
			       const struct action_info *ai, const size_t *hosts, size_t n,
			       bool *reported, size_t *left, FILE *out, bool no_wait)
{
	int rc = 0;

	fleet_snapshot_take(fleet, snap);
	for (size_t i = 0; i < n; i++) {
		const struct fleet_host *h;

		if (reported[i] || hosts[i] >= snap->nhosts)
			continue;
		h = &snap->hosts[hosts[i]];
		if (h->action_state != FLEET_ACTION_DONE && h->action_state != FLEET_ACTION_FAILED &&
		    (h->action_state != FLEET_ACTION_ACCEPTED || !no_wait))
			continue;
		reported[i] = true;
		(*left)--;
		if (h->action_state == FLEET_ACTION_FAILED)
			rc = 1;
		if (batch_action_line(out, h, ai, batch_action_word(h), h->action_result,
				      h->action_time) < 0)
			rc = 1;
	}
	return rc;
}

/* Interrupted by SIG: HALT ends what is in flight (the audit log has
 * each as it ends), then every host not yet reported gets its line. */
static void batch_action_interrupted(struct fleet *fleet, struct fleet_snapshot *snap,
				     const struct action_info *ai, const size_t *hosts, size_t n,
				     bool *reported, size_t *left, FILE *out, int sig,
				     batch_action_halt halt, void *halt_arg)
{
	char why[160];

	if (halt)
		halt(halt_arg);
	batch_action_report(fleet, snap, ai, hosts, n, reported, left, out, false);
	/* Still not final (an IPMI call on a worker): its audit line comes
	 * as racktop frees the engine. */
	snprintf(why, sizeof(why), "cancelled: racktop was interrupted (%s) before the BMC "
		 "answered; the request may have reached it", batch_signal_name(sig));
	for (size_t i = 0; i < n; i++)
		if (!reported[i] && hosts[i] < snap->nhosts) {
			reported[i] = true;
			(*left)--;
			batch_action_line(out, &snap->hosts[hosts[i]], ai, "cancelled", why,
					  time(NULL));
		}
}

int batch_action_run(struct fleet *fleet, struct actions *ac, const struct action_info *ai,
		     const size_t *hosts, size_t n, int timeout_s, int wait_s, FILE *out,
		     batch_action_halt halt, void *halt_arg)
{
	struct fleet_snapshot snap = { 0 };
	bool *reported = calloc(n ? n : 1, sizeof(*reported));
	time_t deadline;
	size_t left = n;
	int rc = 0, limit, sig = 0;
	char err[FLEET_ERR + 64];

	if (!reported)
		return 1;
	if (ai->a == ENGINE_ACTION_CLEAR_LOG && (sig = batch_action_wait_polled(fleet, hosts, n))) {
		/* Nothing was asked for: nothing to report or log. */
		free(reported);
		return BATCH_SIGNAL_EXIT;
	}
	if (actions_request(ac, hosts, n, ai->a, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		free(reported);
		return 1;
	}
	/* A power action's state comes within the engine's wait (wait_s). */
	limit = timeout_s * BATCH_ACTION_CHAIN + 10 + wait_s;
	deadline = time(NULL) + limit;
	while (left > 0) {
		if (batch_action_report(fleet, &snap, ai, hosts, n, reported, &left, out, wait_s == 0))
			rc = 1;
		if (left == 0)
			break;
		if (sig) {
			batch_action_interrupted(fleet, &snap, ai, hosts, n, reported, &left, out, sig,
						 halt, halt_arg);
			rc = BATCH_SIGNAL_EXIT;
			break;
		}
		if (time(NULL) >= deadline) {
			/* Not done: said failed here; the engine records (and
			 * the audit log gets) how it ends when racktop stops. */
			char why[96];

			snprintf(why, sizeof(why), "no result within %d s", limit);
			for (size_t i = 0; i < n; i++)
				if (!reported[i] && hosts[i] < snap.nhosts)
					batch_action_line(out, &snap.hosts[hosts[i]], ai, "failed",
							  why, time(NULL));
			rc = 1;
			break;
		}
		sig = batch_signal_wait(fleet, 1000);
	}
	fleet_snapshot_free(&snap);
	free(reported);
	if (actions_audit_failure(ac, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		if (rc != BATCH_SIGNAL_EXIT)
			rc = 1;
	}
	return rc;
}

/* Operator actions (actions.h): the table of words, and the path every
 * action takes: read-only check, "requested" in the audit log, the
 * engine's queue, and the engine's hook writing how it ended. */
#include "actions.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "fleet.h"
#include "kube.h"
#include "text.h"

#define ACTIONS_PROTOS 2           /* enum fleet_protocol values */

static const struct action_info actions_info[] = {
	{ ENGINE_ACTION_POWER_ON, "on", 'o', "power on", false },
	{ ENGINE_ACTION_POWER_OFF, "off", 'f', "power off (forced)", true },
	{ ENGINE_ACTION_POWER_SOFT, "soft", 's', "graceful shutdown", true },
	{ ENGINE_ACTION_POWER_CYCLE, "cycle", 'c', "power cycle", true },
	{ ENGINE_ACTION_POWER_RESET, "reset", 'r', "reset (forced restart)", true },
	{ ENGINE_ACTION_BOOT_PXE, "pxe", 'p', "boot once from PXE", false },
	{ ENGINE_ACTION_BOOT_DISK, "disk", 'd', "boot once from disk", false },
	{ ENGINE_ACTION_BOOT_BIOS, "bios", 'b', "boot once into BIOS setup", false },
	{ ENGINE_ACTION_BMC_RESET, "bmc-reset", 'm', "reset the BMC", true },
	{ ENGINE_ACTION_CLEAR_LOG, "clear-log", 'l', "clear the event log", true },
};
#define ACTIONS_N (sizeof(actions_info) / sizeof(actions_info[0]))

const struct action_info *actions_table(size_t *n)
{
	*n = ACTIONS_N;
	return actions_info;
}

const struct action_info *actions_by_word(const char *word)
{
	for (size_t i = 0; word && i < ACTIONS_N; i++)
		if (!strcmp(actions_info[i].word, word))
			return &actions_info[i];
	return NULL;
}

const struct action_info *actions_by_engine(enum engine_action a)
{
	for (size_t i = 0; i < ACTIONS_N; i++)
		if (actions_info[i].a == a)
			return &actions_info[i];
	return NULL;
}

const struct action_info *actions_by_record(const char *name)
{
	for (size_t i = 0; name && i < ACTIONS_N; i++)
		if (!strcmp(engine_action_name(actions_info[i].a), name))
			return &actions_info[i];
	return NULL;
}

const char *actions_words(void)
{
	return "on, off, soft, cycle, reset, pxe, disk, bios, bmc-reset, clear-log";
}

struct actions {
	struct engine *engine;
	const struct inventory *inv;
	char *path;                /* NULL: no path could be made */
	bool read_only;
	pthread_mutex_t lock;      /* audit, failure */
	struct audit *audit;
	char open_error[FLEET_ERR];
	char failure[FLEET_ERR];   /* first failed write not yet reported */
	engine_action_hook listener; /* actions_set_listener() */
	void *listener_arg;
	struct kube *kube;         /* Kubernetes mode: actions become objects (actions_set_kube) */
};

/* Host IDX's name into BUF and its protocol: from the cluster in
 * Kubernetes mode, else the inventory. NULL when there is no such host. */
static const char *actions_host(const struct actions *ac, size_t idx, char *buf, size_t n,
				enum fleet_protocol *proto)
{
	*proto = FLEET_PROTO_REDFISH;
	if (ac->kube)
		return kube_host_name(ac->kube, idx, buf, n) == 0 ? buf : NULL;
	if (idx >= ac->inv->nhosts)
		return NULL;
	*proto = ac->inv->hosts[idx].protocol;
	return ac->inv->hosts[idx].name;
}

/* Opens the log if it is not open; under ac->lock. */
static struct audit *actions_audit_locked(struct actions *ac, char *err, size_t errlen)
{
	if (!ac->audit) {
		if (!ac->path) {
			snprintf(err, errlen, "audit log: no path (set HOME or XDG_STATE_HOME, or give --audit-log FILE)");
			return NULL;
		}
		ac->audit = audit_open(ac->path, err, errlen);
	}
	return ac->audit;
}

/* Writes E; a failure is kept for the screen or batch mode to report
 * and copied to ERR when given. */
static int actions_write(struct actions *ac, const struct audit_entry *e, char *err,
			 size_t errlen)
{
	char why[FLEET_ERR + 64];
	struct audit *au;
	int rc = -1;

	pthread_mutex_lock(&ac->lock);
	au = actions_audit_locked(ac, why, sizeof(why));
	pthread_mutex_unlock(&ac->lock);
	/* audit_write() takes its own lock: a slow fsync of one line does
	 * not hold the others' bookkeeping. */
	if (au)
		rc = audit_write(au, e, why, sizeof(why));
	if (rc < 0) {
		pthread_mutex_lock(&ac->lock);
		if (!ac->failure[0])
			text_copy(ac->failure, sizeof(ac->failure), why);
		pthread_mutex_unlock(&ac->lock);
		if (err)
			text_copy(err, errlen, why);
	}
	return rc;
}

/* One line; a failure is kept for the screen or batch mode to report. */
static int actions_log(struct actions *ac, const char *const *names, size_t n,
		       enum engine_action a, enum fleet_protocol proto, const char *result,
		       const char *error, const char *answer, char *err, size_t errlen)
{
	const struct action_info *ai = actions_by_engine(a);
	struct audit_entry e = {
		.hosts = names, .nhosts = n,
		.action = ai ? ai->word : engine_action_name(a),
		.protocol = ac->kube ? "kube" : fleet_protocol_name(proto),
		.result = result, .error = error, .answer = answer,
	};

	return actions_write(ac, &e, err, errlen);
}

/* The engine's hook: how each action ended goes to the log before the
 * host's record (and so the screen or batch output) shows it. */
static void actions_hook(void *arg, size_t host, enum engine_action a, int state,
			 const char *result)
{
	struct actions *ac = arg;
	const char *name, *res;
	char namebuf[FLEET_STR];
	enum fleet_protocol proto;
	bool cancelled, ok;

	if (state != FLEET_ACTION_DONE && state != FLEET_ACTION_FAILED &&
	    state != FLEET_ACTION_ACCEPTED)
		return;
	name = actions_host(ac, host, namebuf, sizeof(namebuf), &proto);
	if (!name)
		return;
	/* A power action the BMC took is "accepted"; a second line says
	 * whether a poll saw its power state ("done") or not ("not reached"). */
	ok = state != FLEET_ACTION_FAILED;
	cancelled = !ok && result && !strncmp(result, "cancelled", 9);
	res = state == FLEET_ACTION_ACCEPTED ? "accepted" : ok ? "done" :
	      cancelled ? "cancelled" :
	      result && !strncmp(result, "not reached", 11) ? "not reached" : "failed";
	actions_log(ac, &name, 1, a, proto, res, ok ? NULL : (result ? result : "unknown"),
		    ok ? result : NULL, NULL, 0);
	/* Listeners (workflows, batch) hear how it ended, not that it was taken. */
	if (state == FLEET_ACTION_ACCEPTED)
		return;
	if (ac->listener)
		ac->listener(ac->listener_arg, host, a, state, result);
}

void actions_set_listener(struct actions *ac, engine_action_hook fn, void *arg)
{
	ac->listener = fn;
	ac->listener_arg = arg;
}

int actions_audit_note(struct actions *ac, size_t host, const char *action, const char *result,
		       const char *error)
{
	const char *name;
	struct audit_entry e;
	char namebuf[FLEET_STR];
	enum fleet_protocol proto;

	name = actions_host(ac, host, namebuf, sizeof(namebuf), &proto);
	if (!name)
		return -1;
	e = (struct audit_entry){
		.hosts = &name, .nhosts = 1, .action = action,
		.protocol = ac->kube ? "kube" : fleet_protocol_name(proto),
		.result = result, .error = error,
	};
	return actions_write(ac, &e, NULL, 0);
}

struct actions *actions_new(struct engine *engine, const struct inventory *inv,
			    const char *audit_path, bool read_only)
{
	struct actions *ac = calloc(1, sizeof(*ac));
	char def[4096];

	if (!ac)
		return NULL;
	ac->engine = engine;
	ac->inv = inv;
	ac->read_only = read_only;
	if (audit_path)
		ac->path = strdup(audit_path);
	else if (audit_default_path(def, sizeof(def)) == 0)
		ac->path = strdup(def);
	pthread_mutex_init(&ac->lock, NULL);
	if (engine)
		engine_set_action_hook(engine, actions_hook, ac);
	return ac;
}

void actions_free(struct actions *ac)
{
	if (!ac)
		return;
	audit_close(ac->audit);
	pthread_mutex_destroy(&ac->lock);
	free(ac->path);
	free(ac);
}

bool actions_read_only(const struct actions *ac)
{
	return ac->read_only;
}

bool actions_available(const struct actions *ac, enum engine_action a, char *why, size_t n)
{
	if (ac->kube)
		return kube_action_supported(a, why, n);
	return true;
}

const char *actions_audit_path(const struct actions *ac)
{
	return ac->path ? ac->path : "(none: set HOME or XDG_STATE_HOME)";
}

int actions_open_audit(struct actions *ac, char *err, size_t errlen)
{
	struct audit *au;

	pthread_mutex_lock(&ac->lock);
	au = actions_audit_locked(ac, err, errlen);
	pthread_mutex_unlock(&ac->lock);
	return au ? 0 : -1;
}

/* Writes one line per protocol for the hosts of HOSTS: RESULT, ERROR. */
static int actions_log_group(struct actions *ac, const size_t *hosts, size_t n,
			     enum engine_action a, const char *result, const char *error,
			     char *err, size_t errlen)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));
	int rc = 0;

	if (!names) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ac->kube) {
		/* One line: every host's action goes the same way, through
		 * the cluster. */
		char (*bufs)[FLEET_STR] = calloc(n ? n : 1, sizeof(*bufs));
		enum fleet_protocol proto;
		size_t k = 0;

		for (size_t i = 0; bufs && i < n; i++)
			if (actions_host(ac, hosts[i], bufs[k], sizeof(bufs[k]), &proto))
				names[k] = bufs[k], k++;
		if (!bufs || (k && actions_log(ac, names, k, a, FLEET_PROTO_REDFISH, result, error,
					       NULL, err, errlen) < 0))
			rc = -1;
		free(bufs);
		free(names);
		return rc;
	}
	for (int p = 0; p < ACTIONS_PROTOS; p++) {
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (hosts[i] < ac->inv->nhosts && (int)ac->inv->hosts[hosts[i]].protocol == p)
				names[k++] = ac->inv->hosts[hosts[i]].name;
		if (k && actions_log(ac, names, k, a, (enum fleet_protocol)p, result, error, NULL,
				     err, errlen) < 0)
			rc = -1;
	}
	free(names);
	return rc;
}

int actions_request(struct actions *ac, const size_t *hosts, size_t n, enum engine_action a,
		    char *err, size_t errlen)
{
	const struct action_info *ai = actions_by_engine(a);

	if (!ai) {
		snprintf(err, errlen, "not an operator action");
		return -1;
	}
	if (ac->read_only) {
		snprintf(err, errlen, "read-only: %s refused (racktop was started with --read-only)",
			 ai->word);
		return -1;
	}
	if (!ac->engine && !ac->kube) {
		snprintf(err, errlen, "%s: no engine is running (display only)", ai->word);
		return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: no host", ai->word);
		return -1;
	}
	/* Nothing goes to a BMC that the log does not have first. */
	if (actions_log_group(ac, hosts, n, a, "requested", NULL, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* In Kubernetes mode a refused action is recorded (and
		 * logged through the hook) by kube_request itself. */
		if (ac->kube) {
			kube_request(ac->kube, hosts[i], a);
			continue;
		}
		if (engine_request(ac->engine, hosts[i], a) == 0)
			continue;
		if (hosts[i] < ac->inv->nhosts) {
			const char *name = ac->inv->hosts[hosts[i]].name;

			actions_log(ac, &name, 1, a, ac->inv->hosts[hosts[i]].protocol, "failed",
				    "not queued (out of memory)", NULL, NULL, 0);
		}
	}
	return 0;
}

void actions_set_kube(struct actions *ac, struct kube *k)
{
	ac->kube = k;
	kube_set_action_hook(k, actions_hook, ac);
}

void actions_declined(struct actions *ac, const size_t *hosts, size_t n, enum engine_action a,
		      const char *why)
{
	char err[FLEET_ERR];

	if (!ac->read_only && n)
		actions_log_group(ac, hosts, n, a, "cancelled", why, err, sizeof(err));
}

int actions_audit_failure(struct actions *ac, char *err, size_t errlen)
{
	int rc = 0;

	pthread_mutex_lock(&ac->lock);
	if (ac->failure[0]) {
		text_copy(err, errlen, ac->failure);
		ac->failure[0] = '\0';
		rc = -1;
	}
	pthread_mutex_unlock(&ac->lock);
	return rc;
}

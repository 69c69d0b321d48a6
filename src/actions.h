/* Operator actions on hosts: their words (the same on screen, in batch
 * mode and in the audit log), and the one way an action is asked for:
 * actions_request() checks --read-only, writes the "requested" line of
 * the audit log and queues it on the engine; the engine's action hook
 * writes how it ended (done, failed, cancelled) before anyone sees it.
 * Used by the screen (ui/action_menu.c) and batch mode (batch_action.c). */
#ifndef RACKTOP_ACTIONS_H
#define RACKTOP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "inventory.h"

struct action_info {
	enum engine_action a;
	const char *word;          /* "cycle": --action, the audit log, the row */
	char key;                  /* its key in the screen's action menu */
	const char *label;         /* "power cycle" */
	bool destructive;          /* takes a running host down or loses data */
};

/* Every operator action, in menu order. */
const struct action_info *actions_table(size_t *n);
const struct action_info *actions_by_word(const char *word);
const struct action_info *actions_by_engine(enum engine_action a);
/* The action whose engine_action_name() is NAME (the fleet's record). */
const struct action_info *actions_by_record(const char *name);
/* "on, off, soft, cycle, ...": for messages. */
const char *actions_words(void);

struct actions;

/* Hooks itself into ENGINE (call before engine_start). INV names the
 * hosts. AUDIT_PATH NULL: the default (audit_default_path()); the log is
 * opened at the first action, so a session that acts on nothing never
 * creates it. READ_ONLY refuses every action. */
struct actions *actions_new(struct engine *engine, const struct inventory *inv,
			    const char *audit_path, bool read_only);
/* After engine_free(): the engine's last records (cancelled actions)
 * are written by then. */
void actions_free(struct actions *ac);
bool actions_read_only(const struct actions *ac);
/* Opens the audit log now (batch mode wants to know before it starts).
 * 0, or -1 with ERR. */
int actions_open_audit(struct actions *ac, char *err, size_t errlen);
/* Where the audit log is (or will be). */
const char *actions_audit_path(const struct actions *ac);
/* Whether action A can be done at all in this mode, asked of what does
 * it (the BMC engine's backends do every action; Kubernetes mode only
 * what a Rufio Job can): the screen offers only these. If not, WHY
 * says why. */
bool actions_available(const struct actions *ac, enum engine_action a, char *why, size_t n);

/* Kubernetes mode (kube.h): hosts are fleet indices named by the
 * cluster, and actions_request creates objects there (kube_request)
 * instead of queueing on an engine (ENGINE may then be NULL). Hooks
 * itself into K; call before kube_start. */
struct kube;
void actions_set_kube(struct actions *ac, struct kube *k);

/* Asks for action A on the N hosts HOSTS (inventory indices). 0; or -1
 * with ERR when nothing was sent (read-only, audit log not writable). */
int actions_request(struct actions *ac, const size_t *hosts, size_t n, enum engine_action a,
		    char *err, size_t errlen);
/* The operator was asked to confirm and did not: logged as cancelled. */
void actions_declined(struct actions *ac, const size_t *hosts, size_t n, enum engine_action a,
		      const char *why);
/* The first audit write that failed since the last call, into ERR; 0 if
 * none (so the screen or batch mode can say so). */
int actions_audit_failure(struct actions *ac, char *err, size_t errlen);

/* Also told how each action ended, after the audit log has it (the
 * workflow runner, workflow.c). One listener; thread-safe like the
 * engine's hook. Set it before engine_start(). */
void actions_set_listener(struct actions *ac, engine_action_hook fn, void *arg);
/* One audit line about host HOST for what is not an engine action:
 * ACTION "workflow gpu-recover", RESULT "started", "done", "failed",
 * "cancelled", ERROR why (or NULL). 0, or -1 (kept for
 * actions_audit_failure()). */
int actions_audit_note(struct actions *ac, size_t host, const char *action, const char *result,
		       const char *error);

#endif

/* racktop --batch --action ACTION --hosts REGEX: one action on the
 * hosts whose names match, without a screen (doc/batch.md). */
#ifndef RACKTOP_BATCH_ACTION_H
#define RACKTOP_BATCH_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "actions.h"
#include "engine.h"
#include "fleet.h"
#include "inventory.h"

/* The inventory indices of the hosts whose names match the POSIX ERE
 * RE, into *HOSTS (malloc'd) and *N. More than one needs YES. 0; or -1
 * with ERR (a bad expression, no match, or several without YES). */
int batch_action_select(const struct inventory *inv, const char *re, bool yes,
			const struct action_info *ai, size_t **hosts, size_t *n, char *err,
			size_t errlen);

/* Stops what carries the actions out (the engine, the kube client):
 * everything in flight is recorded as it ends, cancelled. */
typedef void (*batch_action_halt)(void *arg);

/* Runs AI on HOSTS and prints one JSON object a line to OUT as each
 * ends, waiting at most what TIMEOUT_S (each BMC request's limit)
 * allows. When a signal asks racktop to stop (batch_signal.h) it calls
 * HALT(HALT_ARG) and prints the hosts not yet reported as they ended,
 * "cancelled" (the request may have reached the BMC). Returns the exit
 * status: 0 all done, 1 any failed or the audit log could not be
 * written, BATCH_SIGNAL_EXIT (130) interrupted. A power on or off the
 * BMC accepted is reported when a poll sees its power ("done") or after
 * the engine's wait ("not reached": the engine's action_wait_s, which
 * WAIT_S is, to bound the wait); WAIT_S 0 (--no-wait): reported
 * "accepted" at once. */
int batch_action_run(struct fleet *fleet, struct actions *ac, const struct action_info *ai,
		     const size_t *hosts, size_t n, int timeout_s, int wait_s, FILE *out,
		     batch_action_halt halt, void *halt_arg);

#endif

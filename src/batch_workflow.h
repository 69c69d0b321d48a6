/* racktop --batch --workflow TEMPLATE --hosts REGEX: a workflow on the
 * hosts whose names match, without a screen (doc/batch.md). */
#ifndef RACKTOP_BATCH_WORKFLOW_H
#define RACKTOP_BATCH_WORKFLOW_H

#include <stddef.h>
#include <stdio.h>

#include "fleet.h"
#include "workflow.h"

/* Waits for each host's first poll, starts template NAME on HOSTS,
 * waits until every workflow ends and prints each one's final state,
 * per task and action, as one JSON object a line. A signal that asks
 * racktop to stop (batch_signal.h) stops R: the running workflows end
 * interrupted and are printed so. Returns the exit status: 0 all
 * SUCCESS, 1 otherwise, 2 nothing started, BATCH_SIGNAL_EXIT (130)
 * interrupted. */
int batch_workflow_run(struct fleet *fleet, struct wf_runner *r, const char *name,
		       const size_t *hosts, size_t n, FILE *out);

/* Progress on ERR (stderr), so that a run of minutes is never silent:
 * a line as each action of W starts and as it ends, each with its time
 * (ISO 8601 UTC), host, template and action, an end with its state,
 * how long it took and why it failed. SHOWN (NSHOWN bytes, one an
 * action, zeroed at first) keeps what was said: call it again with
 * each new look at W. */
void batch_workflow_progress(FILE *err, const struct wf_run *w, unsigned char *shown,
			     size_t nshown);

#endif

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

#endif

/* The workflow view (w): every workflow with a progress bar, its task
 * and action, elapsed time and a failure's message; Enter shows its
 * actions with their times; x cancels a running one (y/n). And from the
 * fleet or host view, W: choose a template and start it on the marked
 * hosts (or the selected one), after a y/n for one host or, since the
 * templates power-cycle, the number of hosts typed for more. In
 * Kubernetes mode the same view shows the cluster's Workflows as it
 * reports them, and W creates a Workflow from one of its Templates. */
#ifndef RACKTOP_UI_VIEW_WORKFLOW_H
#define RACKTOP_UI_VIEW_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "keys.h"

enum view_workflow_modal {
	VW_MODAL_NONE = 0,
	VW_MODAL_CHOOSE,           /* the template list */
	VW_MODAL_START,            /* "start X on gpu-node-001? y/n" */
	VW_MODAL_COUNT,            /* several hosts: the prompt wants their number */
	VW_MODAL_CANCEL,           /* "cancel workflow X? y/n" */
};

struct view_workflow {
	unsigned long version;     /* the runner's, at the last copy */
	struct wf_run *runs;
	size_t nruns;
	size_t cursor, top;
	bool detail;               /* Enter: the per-action list */
	int detail_scroll;
	char detail_id[128];
	enum view_workflow_modal modal;
	size_t choice;             /* template under the cursor */
	size_t *hosts;             /* the targets of W */
	size_t nhosts;
	size_t hidden;             /* of them, how many the filter hides (targets.h) */
	bool from_marks;           /* they are the marked hosts */
	char cancel_id[128];
	/* Kubernetes mode: RUNS are the cluster's Workflows (origin
	 * "cluster"), KWF the same as the cluster sent them (its state
	 * words, current task and action); W offers the cluster's
	 * Templates ("ns/name") and creates Workflows (kube_reprovision). */
	struct kube_workflow *kwf;
	uint64_t kversion;
	long long kcopied_ms;      /* when (CLOCK_MONOTONIC) */
	char **ktemplates;
	size_t nktemplates;
};

struct ui;

void view_workflow_draw(struct ui *ui);
void view_workflow_action(struct ui *ui, enum keys_action a);
/* w and W, from any view. */
void view_workflow_global(struct ui *ui, enum keys_action a);
bool view_workflow_modal(const struct ui *ui);
void view_workflow_modal_key(struct ui *ui, bool keycode, wint_t ch);
void view_workflow_modal_draw(struct ui *ui);
/* The typed host count was entered (DONE) or the prompt left (!DONE). */
void view_workflow_prompt_done(struct ui *ui, bool done, const char *text);
/* "wf gpu-recover 2/5" for a fleet row when HOST runs a workflow, else
 * false. */
bool view_workflow_host_status(struct ui *ui, const char *host, char *buf, size_t n);
/* The workflows this racktop runs (not the cluster's, nor Workflow
 * objects read from files) that quitting would interrupt: how many,
 * and the first MAX of them into RUNS (valid until the next refresh). */
struct wf_run;
size_t view_workflow_running(struct ui *ui, const struct wf_run **runs, size_t max);
void view_workflow_free(struct view_workflow *vw);

#endif

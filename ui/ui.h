/* The screen. Only ui/ includes curses.h. */
#ifndef RACKTOP_UI_H
#define RACKTOP_UI_H

#include "engine.h"
#include "fleet.h"

struct ui_options {
	const char *theme;        /* name in themes/ or a path; NULL: default */
	const char *themes_dir;   /* where named themes are looked up */
	const char *title;        /* shown in the top line, e.g. the inventory path */
	/* Problems found before the screen started (inventory errors, as
	 * "file:line: message"); the screen lets the operator read them. */
	char *const *notices;
	size_t nnotices;
	/* Operator actions (actions.h); NULL: none (display only). */
	struct actions *actions;
	/* Consoles (console.h): the inventory they come from (NULL: none
	 * can open), their settings, the escape key (0: Ctrl-]) and a
	 * host whose console opens at start (--console HOST). */
	const struct inventory *inventory;
	const struct console_config *console;
	int console_escape;
	const char *console_host;
	/* Workflows (workflow.h): the runner; NULL: none. */
	struct wf_runner *workflows;
	/* Kubernetes mode (kube.h): the client whose Workflows the
	 * workflow view shows (kube_workflows_snapshot); NULL otherwise. */
	struct kube *kube;
	/* Marks stay after an action is sent (--keep-marks, racktop.conf
	 * keep_marks); else they clear. */
	bool keep_marks;
};

/* Runs the screen until the operator quits. Returns 0, or 1 when the
 * terminal could not be set up (message on stderr). */
int ui_run(struct fleet *fleet, struct engine *engine, const struct ui_options *o);

#endif

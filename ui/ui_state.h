/* What the screen's files share: the state of one running ui_run(). */
#ifndef RACKTOP_UI_STATE_H
#define RACKTOP_UI_STATE_H

#include <stdbool.h>
#include <time.h>

#include "action_menu.h"
#include "actions.h"
#include "engine.h"
#include "fleet.h"
#include "prompt.h"
#include "theme.h"
#include "view_fleet.h"
#include "view_host.h"
#include "view_workflow.h"

enum ui_view {
	UI_VIEW_FLEET = 0,
	UI_VIEW_HOST,
	UI_VIEW_HELP,
	UI_VIEW_NOTICES,
	UI_VIEW_WORKFLOWS,
};

struct ui {
	struct fleet *fleet;
	struct engine *engine;      /* NULL: no refresh (screen tests) */
	size_t focus;               /* the host the engine was told the host view shows
				     * (engine_focus); ENGINE_NO_FOCUS: none */
	const char *title;
	struct fleet_snapshot snap; /* the UI's own copy; drawn without locks */
	enum ui_view view, help_return;
	struct view_fleet vf;
	struct view_host vh;
	int help_scroll;
	char *const *notices;       /* problems found at start (ui_options) */
	size_t nnotices;
	int notices_scroll;
	struct prompt prompt;
	struct actions *actions;    /* NULL: no actions (display only) */
	struct action_menu am;      /* the action menu and its confirmation */
	struct panes *panes;        /* console panes (pane.h) */
	struct wf_runner *workflows; /* NULL: none (workflow.h) */
	struct kube *kube;          /* Kubernetes mode (kube.h): its Workflows and Templates */
	struct view_workflow vw;    /* the workflow view and its dialogs */
	char message[512];          /* status line; cleared by the next key */
	enum theme_role message_role;
	time_t now;
	bool shows_age;             /* the screen shows an age: redraw each second */
	bool keep_marks;            /* marks stay after an action (--keep-marks; targets.h) */
	bool quit;
	bool quit_ask;              /* q or Q asked first (quit.c): the next key answers */
	char quit_question[512];    /* "Quit? 1 workflow running (...): y/n" */
};

/* Sets the status line message (printf format). */
void ui_message(struct ui *ui, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Asks the engine to poll host IDX now; says so on the status line. */
void ui_refresh_host(struct ui *ui, size_t idx);
/* The title bar: "racktop  WHAT" on the left, RIGHT on the right; a
 * READ-ONLY badge after the name when racktop is read-only. */
void ui_draw_title(struct ui *ui, const char *what, const char *right);
/* racktop was started read-only (--read-only, racktop.conf read_only):
 * no action, no workflow, no key typed into a console, no Break. */
bool ui_read_only(const struct ui *ui);

#endif

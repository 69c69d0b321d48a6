/* Every key binding in one table; the loop looks keys up here and the
 * help screen is generated from it. */
#ifndef RACKTOP_UI_KEYS_H
#define RACKTOP_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum keys_view {
	KEYS_FLEET = 1 << 0,
	KEYS_HOST = 1 << 1,
	KEYS_HELP = 1 << 2,
	KEYS_NOTICES = 1 << 3,
	KEYS_WORKFLOWS = 1 << 4,
	KEYS_ALL = KEYS_FLEET | KEYS_HOST | KEYS_HELP | KEYS_NOTICES | KEYS_WORKFLOWS,
	/* Console panes (ui/pane.c), not in KEYS_ALL: the keys after the
	 * escape key, and those of a pane's scrollback. */
	KEYS_PANE = 1 << 5,
	KEYS_SCROLLBACK = 1 << 6,
};

enum keys_action {
	KEYS_NONE = 0,
	KEYS_UP,
	KEYS_DOWN,
	KEYS_PAGE_UP,
	KEYS_PAGE_DOWN,
	KEYS_HOME,
	KEYS_END,
	KEYS_OPEN,
	KEYS_BACK,
	KEYS_FILTER,
	KEYS_CLEAR_FILTER,
	KEYS_SORT_CHOOSE,        /* s: the column chooser (sort_menu.c) */
	KEYS_SORT_REVERSE,
	KEYS_PROBLEM_NEXT,       /* ]: the next host in trouble */
	KEYS_PROBLEM_PREV,       /* [: the previous one */
	KEYS_REFRESH,
	KEYS_HELP_SCREEN,
	KEYS_NOTICES_SCREEN,
	KEYS_REDRAW,
	KEYS_QUIT,
	KEYS_MARK,               /* mark or unmark the selected host */
	KEYS_MARK_MATCHING,      /* mark every host the filter shows */
	KEYS_UNMARK_ALL,
	KEYS_ACTION_MENU,        /* actions on the marked (or selected) hosts */
	KEYS_CONSOLE,            /* open the selected host's console in a pane */
	KEYS_CONSOLE_FOCUS,      /* to the console panes */
	KEYS_WORKFLOWS_SCREEN,   /* the workflow view */
	KEYS_WORKFLOW_START,     /* choose a template, start it on the marked hosts */
	KEYS_WORKFLOW_CANCEL,    /* cancel the selected workflow */
	/* console panes, after the escape key (KEYS_PANE) */
	KEYS_PANE_ESCAPE,        /* the escape key itself (--escape-key; never sent) */
	KEYS_PANE_NEXT,
	KEYS_PANE_PREV,
	KEYS_PANE_GOTO,          /* 1-9: pane N */
	KEYS_PANE_FLEET,         /* back to the fleet view, the panes stay */
	KEYS_PANE_ZOOM,
	KEYS_PANE_SPLIT,         /* side by side or stacked */
	KEYS_PANE_LIST,
	KEYS_PANE_CLOSE,
	KEYS_PANE_RECONNECT,
	KEYS_PANE_TAKEOVER,      /* reconnect taking over an SOL session */
	KEYS_PANE_BREAK,
	KEYS_PANE_MONITOR,       /* read-only: keys are not sent */
	KEYS_PANE_SCROLLBACK,
	/* a pane's scrollback (KEYS_SCROLLBACK; moving is KEYS_UP and the like) */
	KEYS_PANE_SEARCH,        /* / : toward older lines */
	KEYS_PANE_SEARCH_NEWER,  /* ? : toward newer lines */
	KEYS_PANE_SEARCH_NEXT,   /* n : again, the same way */
	KEYS_PANE_SEARCH_PREV,   /* N : again, the other way */
	KEYS_PANE_MARK,
	KEYS_PANE_COPY,
};

struct keys_binding {
	bool keycode;            /* CODE is a curses KEY_* (else a character) */
	int code;
	const char *label;       /* as the help screen shows it */
	unsigned views;          /* enum keys_view mask */
	enum keys_action action;
	const char *help;
};

/* The action of key CH (KEYCODE: a curses KEY_* value) in VIEW. */
enum keys_action keys_lookup(enum keys_view view, bool keycode, wint_t ch);
const struct keys_binding *keys_table(size_t *n);
/* "Fleet", "Host", "All", "Fleet, help" for a views mask. */
void keys_views_name(unsigned views, char *buf, size_t n);

#endif

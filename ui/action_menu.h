/* The action menu (a): the actions on the marked hosts, or on the host
 * under the cursor, each with its own key; then the confirmation a
 * destructive action needs (y/n for one host, the number of hosts typed
 * for more); then actions_request(). Results come back in the hosts'
 * action records, shown on their rows and in the host view. */
#ifndef RACKTOP_UI_ACTION_MENU_H
#define RACKTOP_UI_ACTION_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>

#include "actions.h"
#include "fleet.h"

enum action_menu_stage {
	ACTION_MENU_CLOSED = 0,
	ACTION_MENU_CHOOSE,        /* the menu is up */
	ACTION_MENU_YES_NO,        /* "... gpu-node-001? y/n" */
	ACTION_MENU_COUNT,         /* the prompt wants the number of hosts */
};

struct action_menu {
	enum action_menu_stage stage;
	size_t *hosts;             /* the targets, fixed when the menu opened */
	size_t n;
	size_t hidden;             /* of them, how many the filter hides */
	bool from_marks;           /* the targets are the marked hosts */
	const struct action_info *ai;
};

struct ui;

/* Opens the menu on the marked hosts, else on HOST (the cursor's or the
 * host view's). Refused with a message when read-only. */
void action_menu_open(struct ui *ui, size_t host);
bool action_menu_active(const struct ui *ui);
/* A key while the menu or its y/n question is up. */
void action_menu_key(struct ui *ui, bool keycode, wint_t ch);
/* The typed number was entered (DONE) or the prompt left (!DONE). */
void action_menu_prompt_done(struct ui *ui, bool done, const char *text);
void action_menu_draw(struct ui *ui);

/* The typed confirmation, also W's on several hosts: opens the prompt
 * for the host count; then whether TEXT (DONE: entered, else left) is
 * N, else WHY (for the audit log) and SAID (for the screen). */
void action_menu_count_ask(struct ui *ui);
bool action_menu_count_ok(bool done, const char *text, size_t n, char *why, size_t whylen,
			  char *said, size_t saidlen);
/* "Type 3 and Enter to confirm; Esc cancels" */
void action_menu_count_hint(size_t n, char *buf, size_t len);
void action_menu_free(struct action_menu *am);

/* "cycle: done 2s ago", "off: failed: why", "cycle: running": a host's
 * last action for its row; "" when it has none. */
void action_menu_record(const struct fleet_host *h, time_t now, char *buf, size_t n);

#endif

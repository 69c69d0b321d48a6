#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

/* Bindings with the same action and help text sit together: the help
 * screen folds them into one line. */
static const struct keys_binding keys_bindings[] = {
	{ true, KEY_UP, "Up", KEYS_ALL, KEYS_UP, "move up" },
	{ false, 'k', "k", KEYS_ALL, KEYS_UP, "move up" },
	{ true, KEY_DOWN, "Down", KEYS_ALL, KEYS_DOWN, "move down" },
	{ false, 'j', "j", KEYS_ALL, KEYS_DOWN, "move down" },
	{ true, KEY_PPAGE, "PgUp", KEYS_ALL, KEYS_PAGE_UP, "page up" },
	{ false, CTRL('b'), "^B", KEYS_ALL, KEYS_PAGE_UP, "page up" },
	{ true, KEY_NPAGE, "PgDn", KEYS_ALL, KEYS_PAGE_DOWN, "page down" },
	{ false, CTRL('f'), "^F", KEYS_ALL, KEYS_PAGE_DOWN, "page down" },
	{ false, ' ', "Space", KEYS_HOST | KEYS_HELP | KEYS_NOTICES, KEYS_PAGE_DOWN, "page down" },
	{ true, KEY_HOME, "Home", KEYS_ALL, KEYS_HOME, "first line" },
	{ false, 'g', "g", KEYS_ALL, KEYS_HOME, "first line" },
	{ true, KEY_END, "End", KEYS_ALL, KEYS_END, "last line" },
	{ false, 'G', "G", KEYS_ALL, KEYS_END, "last line" },
	{ false, '\n', "Enter", KEYS_FLEET, KEYS_OPEN, "open the selected host" },
	{ false, '\r', "Enter", KEYS_FLEET, KEYS_OPEN, "open the selected host" },
	{ true, KEY_ENTER, "Enter", KEYS_FLEET, KEYS_OPEN, "open the selected host" },
	{ false, 27, "Esc", KEYS_HOST | KEYS_HELP | KEYS_NOTICES, KEYS_BACK, "back" },
	{ false, 'q', "q", KEYS_HOST | KEYS_HELP | KEYS_NOTICES, KEYS_BACK, "back" },
	{ true, KEY_LEFT, "Left", KEYS_HOST | KEYS_HELP | KEYS_NOTICES, KEYS_BACK, "back" },
	{ false, 27, "Esc", KEYS_FLEET, KEYS_CLEAR_FILTER, "clear the filter" },
	{ false, '/', "/", KEYS_FLEET, KEYS_FILTER, "filter (regex; /!regex inverts)" },
	{ false, 's', "s", KEYS_FLEET, KEYS_SORT_NEXT, "sort by the next column" },
	{ false, 'S', "S", KEYS_FLEET, KEYS_SORT_REVERSE, "reverse the sort" },
	{ false, 'r', "r", KEYS_FLEET | KEYS_HOST, KEYS_REFRESH, "poll the selected host now" },
	{ false, ' ', "Space", KEYS_FLEET, KEYS_MARK, "mark or unmark the selected host" },
	{ false, 'M', "M", KEYS_FLEET, KEYS_MARK_MATCHING, "mark every host the filter shows" },
	{ false, 'U', "U", KEYS_FLEET, KEYS_UNMARK_ALL, "clear every mark" },
	{ false, 'a', "a", KEYS_FLEET | KEYS_HOST, KEYS_ACTION_MENU,
	  "actions (power, boot, BMC reset, clear log) on the marked or selected host" },
	{ false, 'c', "c", KEYS_FLEET | KEYS_HOST, KEYS_CONSOLE,
	  "open the host's serial console in a pane (doc/consoles.md)" },
	{ false, '\t', "Tab", KEYS_FLEET | KEYS_HOST, KEYS_CONSOLE_FOCUS,
	  "to the console panes (there, ^] f comes back)" },
	{ false, 'w', "w", KEYS_FLEET | KEYS_HOST, KEYS_WORKFLOWS_SCREEN,
	  "workflows: progress, current action, elapsed time (doc/workflows.md)" },
	{ false, 'W', "W", KEYS_FLEET | KEYS_HOST, KEYS_WORKFLOW_START,
	  "start a workflow (choose the template) on the marked or selected host" },
	{ false, '\n', "Enter", KEYS_WORKFLOWS, KEYS_OPEN, "the workflow's actions, with times" },
	{ false, '\r', "Enter", KEYS_WORKFLOWS, KEYS_OPEN, "the workflow's actions, with times" },
	{ true, KEY_ENTER, "Enter", KEYS_WORKFLOWS, KEYS_OPEN, "the workflow's actions, with times" },
	{ false, 'x', "x", KEYS_WORKFLOWS, KEYS_WORKFLOW_CANCEL, "cancel the selected workflow (y/n)" },
	{ false, 27, "Esc", KEYS_WORKFLOWS, KEYS_BACK, "back" },
	{ false, 'q', "q", KEYS_WORKFLOWS, KEYS_BACK, "back" },
	{ false, '?', "?", KEYS_FLEET | KEYS_HOST, KEYS_HELP_SCREEN, "this help" },
	{ true, KEY_F(1), "F1", KEYS_FLEET | KEYS_HOST, KEYS_HELP_SCREEN, "this help" },
	{ false, 'n', "n", KEYS_FLEET | KEYS_HOST, KEYS_NOTICES_SCREEN,
	  "problems found at start (inventory)" },
	{ false, CTRL('l'), "^L", KEYS_ALL, KEYS_REDRAW, "redraw the screen" },
	{ false, 'q', "q", KEYS_FLEET, KEYS_QUIT, "quit" },
	{ false, 'Q', "Q", KEYS_ALL, KEYS_QUIT, "quit" },
};

enum keys_action keys_lookup(enum keys_view view, bool keycode, wint_t ch)
{
	for (size_t i = 0; i < sizeof(keys_bindings) / sizeof(keys_bindings[0]); i++) {
		const struct keys_binding *b = &keys_bindings[i];

		if (b->keycode == keycode && (wint_t)b->code == ch && (b->views & view))
			return b->action;
	}
	return KEYS_NONE;
}

const struct keys_binding *keys_table(size_t *n)
{
	*n = sizeof(keys_bindings) / sizeof(keys_bindings[0]);
	return keys_bindings;
}

void keys_views_name(unsigned views, char *buf, size_t n)
{
	if ((views & KEYS_ALL) == KEYS_ALL) {
		snprintf(buf, n, "everywhere");
		return;
	}
	static const char *const names[] = { "fleet", "host", "help", "notices", "workflows" };
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < 5; i++) {
		if (!(views & (1u << i)))
			continue;
		o += (size_t)snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? ", " : "", names[i]);
		if (o >= n)
			break;
	}
}

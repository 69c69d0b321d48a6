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
	{ false, '/', "/", KEYS_FLEET, KEYS_FILTER,
	  "filter as you type: name regex, power:off health:crit gpu: fw: error: node:, "
	  "!term negates; Enter keeps, Esc undoes" },
	{ false, 's', "s", KEYS_FLEET, KEYS_SORT_CHOOSE,
	  "sort: choose the column (a key each; the current one again reverses)" },
	{ false, 'S', "S", KEYS_FLEET, KEYS_SORT_REVERSE, "reverse the sort" },
	{ false, ']', "]", KEYS_FLEET, KEYS_PROBLEM_NEXT,
	  "next host with a problem (unreachable, critical, warning, failed action)" },
	{ false, '[', "[", KEYS_FLEET, KEYS_PROBLEM_PREV, "previous host with a problem" },
	{ false, 'r', "r", KEYS_FLEET | KEYS_HOST, KEYS_REFRESH, "poll the selected host now (--kube: read its GPUs from its BMC directly)" },
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
	{ false, 'q', "q", KEYS_FLEET, KEYS_QUIT,
	  "quit (asks y/n first while workflows run or consoles are open)" },
	{ false, 'Q', "Q", KEYS_ALL, KEYS_QUIT, "quit (asks the same; Q again at the question quits)" },
	/* Console panes (doc/consoles.md): every key goes to the host but
	 * the escape key, after which one of these follows. */
	{ false, CTRL(']'), "^]", KEYS_PANE, KEYS_PANE_ESCAPE,
	  "the escape key (--escape-key): never sent to the host; a command key follows" },
	{ false, 'o', "o", KEYS_PANE, KEYS_PANE_NEXT, "next pane" },
	{ false, '\t', "Tab", KEYS_PANE, KEYS_PANE_NEXT, "next pane" },
	{ true, KEY_RIGHT, "Right", KEYS_PANE, KEYS_PANE_NEXT, "next pane" },
	{ true, KEY_DOWN, "Down", KEYS_PANE, KEYS_PANE_NEXT, "next pane" },
	{ true, KEY_LEFT, "Left", KEYS_PANE, KEYS_PANE_PREV, "previous pane" },
	{ true, KEY_UP, "Up", KEYS_PANE, KEYS_PANE_PREV, "previous pane" },
	{ false, '1', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '2', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '3', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '4', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '5', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '6', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '7', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '8', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, '9', "1-9", KEYS_PANE, KEYS_PANE_GOTO, "pane N" },
	{ false, 'f', "f", KEYS_PANE, KEYS_PANE_FLEET, "back to the fleet view (the panes stay)" },
	{ false, 'q', "q", KEYS_PANE, KEYS_PANE_FLEET, "back to the fleet view (the panes stay)" },
	{ false, 'z', "z", KEYS_PANE, KEYS_PANE_ZOOM, "zoom the pane to the screen, or unzoom" },
	{ false, 's', "s", KEYS_PANE, KEYS_PANE_SPLIT, "split: panes side by side or stacked" },
	{ false, 'l', "l", KEYS_PANE, KEYS_PANE_LIST, "list the open consoles" },
	{ false, 'x', "x", KEYS_PANE, KEYS_PANE_CLOSE, "close the pane (ends the session)" },
	{ false, 'r', "r", KEYS_PANE, KEYS_PANE_RECONNECT, "reconnect a dropped session (now)" },
	{ false, 'T', "T", KEYS_PANE, KEYS_PANE_TAKEOVER,
	  "reconnect taking over an SOL session someone else holds (not with --read-only)" },
	{ false, 'b', "b", KEYS_PANE, KEYS_PANE_BREAK, "send a serial Break (not with --read-only)" },
	{ false, 'm', "m", KEYS_PANE, KEYS_PANE_MONITOR,
	  "monitor: read-only, keys are not sent; again to type (always on with --read-only)" },
	{ false, '[', "[", KEYS_PANE, KEYS_PANE_SCROLLBACK, "scrollback: search and copy" },
	{ false, '?', "?", KEYS_PANE, KEYS_HELP_SCREEN, "this help" },
	{ true, KEY_UP, "Up", KEYS_SCROLLBACK, KEYS_UP, "line cursor up" },
	{ false, 'k', "k", KEYS_SCROLLBACK, KEYS_UP, "line cursor up" },
	{ true, KEY_DOWN, "Down", KEYS_SCROLLBACK, KEYS_DOWN, "line cursor down" },
	{ false, 'j', "j", KEYS_SCROLLBACK, KEYS_DOWN, "line cursor down" },
	{ true, KEY_PPAGE, "PgUp", KEYS_SCROLLBACK, KEYS_PAGE_UP, "page up" },
	{ false, CTRL('b'), "^B", KEYS_SCROLLBACK, KEYS_PAGE_UP, "page up" },
	{ true, KEY_NPAGE, "PgDn", KEYS_SCROLLBACK, KEYS_PAGE_DOWN, "page down" },
	{ false, CTRL('f'), "^F", KEYS_SCROLLBACK, KEYS_PAGE_DOWN, "page down" },
	{ false, ' ', "Space", KEYS_SCROLLBACK, KEYS_PAGE_DOWN, "page down" },
	{ true, KEY_HOME, "Home", KEYS_SCROLLBACK, KEYS_HOME, "oldest line" },
	{ false, 'g', "g", KEYS_SCROLLBACK, KEYS_HOME, "oldest line" },
	{ true, KEY_END, "End", KEYS_SCROLLBACK, KEYS_END, "newest line" },
	{ false, 'G', "G", KEYS_SCROLLBACK, KEYS_END, "newest line" },
	{ false, '/', "/", KEYS_SCROLLBACK, KEYS_PANE_SEARCH,
	  "search older lines (up) for text, in any case" },
	{ false, '?', "?", KEYS_SCROLLBACK, KEYS_PANE_SEARCH_NEWER,
	  "search newer lines (down) for text, in any case" },
	{ false, 'n', "n", KEYS_SCROLLBACK, KEYS_PANE_SEARCH_NEXT, "search again, the same way" },
	{ false, 'N', "N", KEYS_SCROLLBACK, KEYS_PANE_SEARCH_PREV, "search again, the other way" },
	{ false, 'v', "v", KEYS_SCROLLBACK, KEYS_PANE_MARK, "mark one end of a selection" },
	{ false, 'y', "y", KEYS_SCROLLBACK, KEYS_PANE_COPY,
	  "copy the marked lines to the clipboard (OSC 52)" },
	{ false, '\r', "Enter", KEYS_SCROLLBACK, KEYS_PANE_COPY,
	  "copy the marked lines to the clipboard (OSC 52)" },
	/* ? searches here, as in less: the help stays one key away. */
	{ true, KEY_F(1), "F1", KEYS_SCROLLBACK, KEYS_HELP_SCREEN, "this help (as ^] ? is)" },
	{ false, 'q', "q", KEYS_SCROLLBACK, KEYS_BACK, "back to the live screen" },
	{ false, 27, "Esc", KEYS_SCROLLBACK, KEYS_BACK, "back to the live screen" },
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
	static const char *const names[] = { "fleet", "host", "help", "notices", "workflows",
					     "console, after ^]", "console scrollback" };
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (!(views & (1u << i)))
			continue;
		o += (size_t)snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? ", " : "", names[i]);
		if (o >= n)
			break;
	}
}

/* q and Q (quit.h): quit at once, or ask while workflows run or
 * consoles are open. */
#include "quit.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "pane.h"
#include "ui_state.h"
#include "view_workflow.h"
#include "workflow.h"

#define QUIT_NAMES 3          /* named in the question at most, per kind */
#define QUIT_ITEM (WF_NAME + FLEET_STR + 8)

struct quit_list {
	size_t count;             /* in all */
	size_t have;              /* of NAMES filled */
	char names[QUIT_NAMES][QUIT_ITEM];
};

/* "2 consoles open (a, b)" with at most K names ("+N more" for the rest). */
static size_t quit_part(char *buf, size_t n, const struct quit_list *l, const char *noun,
			const char *state, size_t k)
{
	size_t o = (size_t)snprintf(buf, n, "%zu %s%s %s", l->count, noun, l->count == 1 ? "" : "s",
				    state);

	for (size_t i = 0; i < k && i < l->have && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : " (", l->names[i]);
	if (k && l->have && o < n) {
		size_t shown = k < l->have ? k : l->have;

		if (l->count > shown)
			o += (size_t)snprintf(buf + o, n - o, ", +%zu more", l->count - shown);
		if (o < n)
			o += (size_t)snprintf(buf + o, n - o, ")");
	}
	return o < n ? o : n;
}

/* The question, names and all, in the status line's width: fewer names
 * when they do not fit. False when nothing would be stopped. */
static bool quit_question(struct ui *ui, char *buf, size_t n)
{
	struct quit_list wf = { 0 }, con = { 0 };
	const struct wf_run *runs[QUIT_NAMES];

	wf.count = view_workflow_running(ui, runs, QUIT_NAMES);
	for (size_t i = 0; i < wf.count && i < QUIT_NAMES; i++)
		snprintf(wf.names[wf.have++], QUIT_ITEM, "%s on %s", runs[i]->template_name,
			 runs[i]->host);
	con.count = pane_count(ui);
	for (size_t i = 0; i < con.count && i < QUIT_NAMES; i++)
		snprintf(con.names[con.have++], QUIT_ITEM, "%s", pane_name(ui, i));
	if (!wf.count && !con.count)
		return false;
	for (size_t k = QUIT_NAMES + 1; k-- > 0;) {
		size_t o = (size_t)snprintf(buf, n, "Quit? ");

		if (wf.count)
			o += quit_part(buf + o, n - o, &wf, "workflow", "running", k);
		if (con.count)
			o += (size_t)snprintf(buf + o, n - o, "%s", wf.count ? ", " : "");
		if (con.count && o < n)
			o += quit_part(buf + o, n - o, &con, "console", "open", k);
		if (o < n)
			snprintf(buf + o, n - o, ": y/n");
		if (draw_width(buf) < COLS)
			break;
	}
	return true;
}

void quit_request(struct ui *ui)
{
	if (!quit_question(ui, ui->quit_question, sizeof(ui->quit_question))) {
		ui->quit = true;
		return;
	}
	ui->quit_ask = true;
}

bool quit_asking(const struct ui *ui)
{
	return ui->quit_ask;
}

void quit_key(struct ui *ui, bool keycode, wint_t ch)
{
	ui->quit_ask = false;
	/* Q again is the quick way out: tmux's and screen's habit. */
	if (!keycode && (ch == 'y' || ch == 'Y' || ch == 'Q'))
		ui->quit = true;
	else
		ui_message(ui, THEME_MESSAGE, "not quitting");
}

/* The action menu and its confirmations (action_menu.h). It only asks:
 * the action itself goes through actions_request() (src/actions.c),
 * which writes the audit log and queues it on the engine. */
#include "action_menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "fmt.h"
#include "targets.h"
#include "theme.h"
#include "ui_state.h"

#define AM_WIDTH 46
/* With several hosts to name: wide enough for a few, inside 80 columns. */
#define AM_WIDE 76

void action_menu_free(struct action_menu *am)
{
	free(am->hosts);
	memset(am, 0, sizeof(*am));
}

bool action_menu_active(const struct ui *ui)
{
	return ui->am.stage == ACTION_MENU_CHOOSE || ui->am.stage == ACTION_MENU_YES_NO;
}

/* "gpu-node-001" or "3 hosts": what the question names. */
static void am_targets(const struct ui *ui, char *buf, size_t n)
{
	const struct action_menu *am = &ui->am;

	if (am->n == 1 && am->hosts[0] < ui->snap.nhosts)
		snprintf(buf, n, "%s", ui->snap.hosts[am->hosts[0]].name);
	else
		snprintf(buf, n, "%zu hosts", am->n);
}

void action_menu_open(struct ui *ui, size_t host)
{
	struct action_menu *am = &ui->am;
	size_t k = 0;

	if (!ui->actions) {
		ui_message(ui, THEME_ERROR, "actions: no engine is running (display only)");
		return;
	}
	if (actions_read_only(ui->actions)) {
		ui_message(ui, THEME_ERROR,
			   "read-only: actions are refused (racktop was started with --read-only)");
		return;
	}
	if (ui->snap.nhosts == 0)
		return;
	action_menu_free(am);
	am->hosts = calloc(ui->snap.nhosts, sizeof(*am->hosts));
	if (!am->hosts)
		return;
	for (size_t i = 0; i < ui->snap.nhosts && i < ui->vf.nmarks; i++)
		if (ui->vf.marked[i])
			am->hosts[k++] = i;
	am->from_marks = k > 0;
	if (k == 0 && host < ui->snap.nhosts)
		am->hosts[k++] = host;
	am->n = k;
	am->hidden = targets_hidden(ui, am->hosts, k);
	am->stage = k ? ACTION_MENU_CHOOSE : ACTION_MENU_CLOSED;
}

/* The box's width: wider when it names several hosts or a hidden one. */
static int am_width(const struct action_menu *am, int narrow)
{
	int w = am->n > 1 || am->hidden ? AM_WIDE : narrow;

	return w > COLS ? COLS : w;
}

/* Under the box's title: the hosts by name (several), and how many of
 * them the filter hides. Returns the next row. */
static int am_draw_targets(struct ui *ui, int y, int x, int w)
{
	struct action_menu *am = &ui->am;
	char line[1024], note[64];

	if (am->n > 1 && y < LINES - 1) {
		line[0] = ' ';
		targets_names(ui, am->hosts, am->n, w - 2, line + 1, sizeof(line) - 1);
		draw_text(stdscr, y++, x, w, line, theme_attr(THEME_NORMAL), DRAW_LEFT);
	}
	targets_hidden_note(am->n, am->hidden, note, sizeof(note));
	if (note[0] && y < LINES - 1) {
		snprintf(line, sizeof(line), " %s", note);
		draw_text(stdscr, y++, x, w, line, theme_attr(THEME_WARNING) | A_BOLD, DRAW_LEFT);
	}
	return y;
}

/* Rows am_draw_targets() takes. */
static int am_target_rows(const struct action_menu *am)
{
	return (am->n > 1) + (am->hidden > 0);
}

/* Whether the mode can do AI at all (actions_available): only those
 * are offered. */
static bool am_offered(const struct ui *ui, const struct action_info *ai, char *why, size_t n)
{
	return actions_available(ui->actions, ai->a, why, n);
}

/* Sends it; says what happened on the status line. */
static void am_run(struct ui *ui)
{
	struct action_menu *am = &ui->am;
	char err[FLEET_ERR + 64], what[FLEET_STR + 16];

	am_targets(ui, what, sizeof(what));
	if (actions_request(ui->actions, am->hosts, am->n, am->ai->a, err, sizeof(err)) < 0)
		ui_message(ui, THEME_ERROR, "%s not sent: %s", am->ai->word, err);
	else
		ui_message(ui, THEME_MESSAGE, "%s: sent to %s%s (logged in %s)", am->ai->word, what,
			   targets_sent(ui, am->from_marks) ? "; marks cleared" : "",
			   actions_audit_path(ui->actions));
	action_menu_free(am);
}

static void am_decline(struct ui *ui, const char *why, const char *said)
{
	struct action_menu *am = &ui->am;

	actions_declined(ui->actions, am->hosts, am->n, am->ai->a, why);
	ui_message(ui, THEME_ERROR, "%s: cancelled, %s", am->ai->word, said);
	action_menu_free(am);
}

static void am_choose(struct ui *ui, const struct action_info *ai)
{
	struct action_menu *am = &ui->am;

	am->ai = ai;
	if (ai->destructive && am->n > 1) {
		am->stage = ACTION_MENU_COUNT;
		action_menu_count_ask(ui);
	} else if (ai->destructive || am->n > 1 || am->hidden) {
		/* A host the filter hides is not acted on unasked. */
		am->stage = ACTION_MENU_YES_NO;
	} else {
		am_run(ui);
	}
}

void action_menu_key(struct ui *ui, bool keycode, wint_t ch)
{
	struct action_menu *am = &ui->am;
	size_t n;
	const struct action_info *t = actions_table(&n);

	if (am->stage == ACTION_MENU_YES_NO) {
		if (!keycode && (ch == 'y' || ch == 'Y'))
			am_run(ui);
		else
			am_decline(ui, "the operator answered no", "not confirmed");
		return;
	}
	if (keycode || ch == 27 || ch == 'q') {
		action_menu_free(am);
		ui_message(ui, THEME_MESSAGE, "no action taken");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char why[160];

		if ((wint_t)t[i].key != ch)
			continue;
		/* Not in this menu: say why rather than stay silent. */
		if (!am_offered(ui, &t[i], why, sizeof(why)))
			ui_message(ui, THEME_ERROR, "%s: %s", t[i].word, why);
		else
			am_choose(ui, &t[i]);
		return;
	}
	/* Any other key keeps the menu up: a stray key must not act. */
}

/* Typing the count makes the operator read how many it hits; the
 * workflow start (W) asks the same way (view_workflow.c). */
void action_menu_count_ask(struct ui *ui)
{
	prompt_open(&ui->prompt, "Hosts: ", "");
}

bool action_menu_count_ok(bool done, const char *text, size_t n, char *why, size_t whylen,
			  char *said, size_t saidlen)
{
	char want[32];

	snprintf(want, sizeof(want), "%zu", n);
	if (done && !strcmp(text, want))
		return true;
	if (!done) {
		snprintf(why, whylen, "the operator left the confirmation");
		snprintf(said, saidlen, "not confirmed");
	} else {
		snprintf(why, whylen, "confirmation typed '%.32s', not the host count %zu", text, n);
		snprintf(said, saidlen, "you typed '%.32s' but it was %zu hosts", text, n);
	}
	return false;
}

void action_menu_count_hint(size_t n, char *buf, size_t len)
{
	snprintf(buf, len, "Type %zu and Enter to confirm; Esc cancels", n);
}

void action_menu_prompt_done(struct ui *ui, bool done, const char *text)
{
	struct action_menu *am = &ui->am;
	char why[96], said[128];

	if (action_menu_count_ok(done, text, am->n, why, sizeof(why), said, sizeof(said)))
		am_run(ui);
	else
		am_decline(ui, why, said);
}

/* A box over the middle of the screen; returns the first inside row. */
static int am_box(int rows, int width, int *x0)
{
	int y0 = (LINES - rows) / 2, x;
	attr_t a = theme_attr(THEME_TITLE);

	if (y0 < 1)
		y0 = 1;
	x = (COLS - width) / 2;
	if (x < 0)
		x = 0;
	if (width > COLS)
		width = COLS;
	/* A blank margin (a column each side, a row below) keeps the rows
	 * underneath from running into the box. */
	for (int r = 0; r <= rows && y0 + r < LINES - 1; r++) {
		int mx = x > 0 ? x - 1 : 0, mw = width + (x > 0) + (x + width < COLS);

		draw_fill(stdscr, y0 + r, mx, mw, L' ', ' ', theme_attr(THEME_NORMAL));
		if (r == 0)
			draw_fill(stdscr, y0, x, width, L' ', ' ', a);
	}
	*x0 = x;
	return y0;
}

static void am_draw_menu(struct ui *ui)
{
	size_t n;
	const struct action_info *t = actions_table(&n);
	char what[FLEET_STR + 32], line[FLEET_STR + 64], why[160];
	int w = am_width(&ui->am, AM_WIDTH), shown = 0, x, y, y1;

	for (size_t i = 0; i < n; i++)
		shown += am_offered(ui, &t[i], why, sizeof(why));
	y = am_box(shown + 3 + am_target_rows(&ui->am), w, &x);
	am_targets(ui, what, sizeof(what));
	snprintf(line, sizeof(line), " Action on %s", what);
	draw_text(stdscr, y, x, w, line, theme_attr(THEME_TITLE) | A_BOLD, DRAW_LEFT);
	y1 = am_draw_targets(ui, y + 1, x, w);
	for (size_t i = 0; i < n; i++) {
		char key[4] = { ' ', t[i].key, ' ', '\0' };

		if (y1 >= LINES - 1)
			break;
		if (!am_offered(ui, &t[i], why, sizeof(why)))
			continue;
		draw_text_n(stdscr, y1, x + 1, 3, key, theme_attr(THEME_KEY));
		snprintf(line, sizeof(line), " %-10s %s", t[i].word, t[i].label);
		draw_text(stdscr, y1++, x + 4, w - 5, line,
			  theme_attr(t[i].destructive ? THEME_WARNING : THEME_NORMAL), DRAW_LEFT);
	}
	if (y1 < LINES - 1)
		draw_text(stdscr, y1, x + 1, w - 2, "Esc: no action", theme_attr(THEME_MISSING),
			  DRAW_LEFT);
}

static void am_draw_question(struct ui *ui)
{
	struct action_menu *am = &ui->am;
	char what[FLEET_STR + 32], q[160], hint[96];
	int w = am_width(am, AM_WIDTH + 14), x, y, yy;

	am_targets(ui, what, sizeof(what));
	snprintf(q, sizeof(q), " %s (%s) on %s?", am->ai->label, am->ai->word, what);
	if (am->stage == ACTION_MENU_COUNT)
		action_menu_count_hint(am->n, hint, sizeof(hint));
	else
		snprintf(hint, sizeof(hint), "y: yes   n, Esc: no");
	y = am_box(3 + am_target_rows(am), w, &x);
	draw_text(stdscr, y, x, w, q, theme_attr(THEME_TITLE) | A_BOLD, DRAW_LEFT);
	yy = am_draw_targets(ui, y + 1, x, w);
	if (yy < LINES - 1)
		draw_text(stdscr, yy, x + 1, w - 2, hint,
			  theme_attr(am->ai->destructive ? THEME_WARNING : THEME_NORMAL), DRAW_LEFT);
}

void action_menu_draw(struct ui *ui)
{
	switch (ui->am.stage) {
	case ACTION_MENU_CHOOSE: am_draw_menu(ui); break;
	case ACTION_MENU_YES_NO:
	case ACTION_MENU_COUNT: am_draw_question(ui); break;
	default: break;
	}
}

void action_menu_record(const struct fleet_host *h, time_t now, char *buf, size_t n)
{
	const struct action_info *ai = actions_by_record(h->action);
	const char *word = ai ? ai->word : h->action;
	char age[32];

	buf[0] = '\0';
	if (!h->action[0] || h->action_state == FLEET_ACTION_NONE)
		return;
	fmt_age(age, sizeof(age), h->action_time, now);
	switch (h->action_state) {
	case FLEET_ACTION_PENDING: snprintf(buf, n, "%s: pending", word); break;
	case FLEET_ACTION_RUNNING: snprintf(buf, n, "%s: running", word); break;
	case FLEET_ACTION_DONE: snprintf(buf, n, "%s: done %s", word, age); break;
	/* The BMC took it; the host is not there yet (engine.c waits for a
	 * poll to see the power it asked for). */
	case FLEET_ACTION_ACCEPTED:
		snprintf(buf, n, "%s: accepted %s, waiting for power %s", word, age,
			 ai && ai->a == ENGINE_ACTION_POWER_ON ? "On" : "Off");
		break;
	default:
		if (!strncmp(h->action_result, "not reached", 11))
			snprintf(buf, n, "%s: %s", word, h->action_result);
		else
			snprintf(buf, n, "%s: failed: %s", word, h->action_result);
		break;
	}
}

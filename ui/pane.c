/* Console panes (pane.h): layout, focus, keys, console I/O. */
#include "pane.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>

#include "console_log.h"
#include "console_retry.h"
#include "draw.h"
#include "keys.h"
#include "theme.h"
#include "ui_state.h"
#include "view_console.h"

#define PANE_READ_BUDGET (256 * 1024)   /* per pane per wake: keys stay answered */
#define PANE_REPLAY_BYTES (16 * 1024)   /* replay of the log's tail on attach */

struct pane {
	struct view_console *vc;
	struct console *con;
	size_t host;
	char name[FLEET_STR];
	bool monitor;             /* read-only: keys are not sent */
	int y, x, h, w;           /* on screen, header row included */
	bool shown;
	char status[CONSOLE_ERR];
	enum console_kind kind;
	/* With console_reconnect: a dropped session comes back by itself,
	 * the attempts timed by the UI loop's poll() (pane_timeout_ms). */
	bool auto_reconnect;
	struct console_retry retry;
	bool gave_up;             /* an attempt failed so that retrying cannot help */
	long shown_left_s;        /* the countdown as last drawn */
	/* An SSH console on a Redfish BMC with no port in the inventory waits
	 * for the BMC's first poll, which tells its SSH console port. */
	long long wait_poll_until;
	bool waited_poll;
};

struct panes {
	const struct inventory *inv;
	struct console_config cfg;
	char log_dir[4096];
	int escape_key;
	struct pane *p[PANE_MAX];
	size_t n, focus;
	bool focused;             /* the panes have the keyboard (else the fleet view) */
	bool zoom, stacked;
	bool prefix;              /* the escape key came: a command follows */
	bool list;                /* the list of open consoles shows */
	/* Scrollback search: / toward older lines, ? toward newer; n again
	 * the same way, N the other. SEARCH is what is being typed, LAST
	 * what was searched for. */
	bool searching, search_older;
	char search[128], search_last[128];
	char hints[400], help_hint[16];
};

struct panes *pane_new(const struct inventory *inv, const struct console_config *cfg,
		       int escape_key)
{
	struct panes *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->inv = inv;
	if (cfg)
		p->cfg = *cfg;
	if (p->cfg.log_dir)
		snprintf(p->log_dir, sizeof(p->log_dir), "%s", p->cfg.log_dir);
	else
		console_default_log_dir(p->log_dir, sizeof(p->log_dir));
	p->cfg.log_dir = p->log_dir;
	p->escape_key = escape_key > 0 ? escape_key : 0x1d;
	return p;
}

int pane_escape_key(const struct panes *p)
{
	return p ? p->escape_key : 0x1d;
}

static void pane_destroy(struct pane *pn)
{
	console_close(pn->con);
	view_console_free(pn->vc);
	free(pn);
}

void pane_free(struct panes *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		pane_destroy(p->p[i]);
	free(p);
}

bool pane_any(const struct ui *ui)
{
	return ui->panes && ui->panes->n > 0;
}

bool pane_focused(const struct ui *ui)
{
	return pane_any(ui) && ui->panes->focused;
}

size_t pane_count(const struct ui *ui)
{
	return ui->panes ? ui->panes->n : 0;
}

const char *pane_name(const struct ui *ui, size_t i)
{
	return ui->panes && i < ui->panes->n ? ui->panes->p[i]->name : "";
}

/* Keys typed into a console must reach the host, Ctrl-C and Ctrl-Z
 * included: raw mode while a pane has focus. */
static void pane_set_focus(struct ui *ui, bool consoles)
{
	struct panes *p = ui->panes;

	p->focused = consoles && p->n > 0;
	p->prefix = false;
	if (p->focused) {
		raw();
	} else {
		noraw();
		cbreak();
	}
}

int pane_fleet_lines(const struct ui *ui)
{
	const struct panes *p = ui->panes;

	/* The help screen has the whole screen; the panes come back after. */
	if (!pane_any(ui) || (p->zoom && !p->focused) || ui->view == UI_VIEW_HELP)
		return LINES;
	if (p->zoom)
		return 0;
	return LINES / 3 > 6 ? LINES / 3 : 6;
}

/* Places every shown pane; resizes terminals and ptys to match. */
static void pane_layout(struct ui *ui)
{
	struct panes *p = ui->panes;
	int fl = pane_fleet_lines(ui);
	int top = fl > 0 ? fl - 1 : 1, bottom = LINES - 1; /* [top, bottom) */
	int h = bottom - top;
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		p->p[i]->shown = false;
	if (!p->n || fl == LINES || h < 2)
		return;
	if (p->zoom) {
		struct pane *pn = p->p[p->focus];

		pn->shown = true;
		pn->y = top;
		pn->x = 0;
		pn->h = h;
		pn->w = COLS;
		n = 1;
	} else {
		n = p->n;
		for (size_t i = 0; i < n; i++) {
			struct pane *pn = p->p[i];

			pn->shown = true;
			if (p->stacked) {
				int each = h / (int)n;

				pn->y = top + (int)i * each;
				pn->h = i + 1 == n ? bottom - pn->y : each;
				pn->x = 0;
				pn->w = COLS;
			} else {
				int each = (COLS - (int)(n - 1)) / (int)n;

				pn->x = (int)i * (each + 1);
				pn->w = i + 1 == n ? COLS - pn->x : each;
				pn->y = top;
				pn->h = h;
			}
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		struct pane *pn = p->p[i];
		int rows = pn->h - 1, cols = pn->w;

		if (!pn->shown || rows < 1 || cols < 1)
			continue;
		view_console_resize(pn->vc, rows, cols);
		view_console_size(pn->vc, &rows, &cols);
		if (pn->con)
			console_resize(pn->con, rows, cols);
	}
}

static const char *pane_kind_word(const struct pane *pn)
{
	return pn->kind == CONSOLE_KIND_SSH ? "SSH" : "SOL";
}

static const char *pane_state_word(const struct pane *pn)
{
	if (pn->retry.due_ms)
		return "DROPPED, reconnecting";
	if (pn->wait_poll_until)
		return "waiting for the BMC";
	if (!pn->con)
		return "not connected";
	if (pn->retry.attempt && console_state(pn->con) == CONSOLE_CONNECTING)
		return "reconnecting";
	switch (console_state(pn->con)) {
	case CONSOLE_CONNECTING: return "connecting";
	case CONSOLE_HOSTKEY_ASK: return "unknown host key";
	case CONSOLE_OPEN: return "connected";
	default: return "DISCONNECTED";
	}
}

static void pane_draw_header(struct ui *ui, struct pane *pn, bool focus)
{
	char buf[700], extra[64] = "";
	long back = view_console_scrolled(pn->vc);
	bool closed = (!pn->con && !pn->wait_poll_until) ||
		      (pn->con && console_state(pn->con) == CONSOLE_CLOSED);
	attr_t a = theme_attr(focus ? THEME_SELECTED : THEME_HEADER);

	if (view_console_copying(pn->vc))
		snprintf(extra, sizeof(extra), " [copy %ld/%zu]", back,
			 view_console_history(pn->vc));
	/* Read-only racktop: the pane says why it will not type. */
	snprintf(buf, sizeof(buf), " %s  %s  %s%s%s", pn->name,
		 pn->con ? console_target(pn->con) : "", pane_state_word(pn),
		 !pn->monitor ? "" : ui_read_only(ui) ? " [monitor: racktop is --read-only]"
		 : " [monitor]", extra);
	draw_text(stdscr, pn->y, pn->x, pn->w, buf, closed ? theme_attr(THEME_ERROR) | A_REVERSE : a,
		  DRAW_LEFT);
}

/* A few lines over the pane's bottom: prompts and why it ended. */
static void pane_draw_note(struct pane *pn, const char *const *lines, size_t n, attr_t a)
{
	int y0 = pn->y + pn->h - (int)n;

	for (size_t i = 0; i < n; i++)
		if (y0 + (int)i > pn->y)
			draw_text(stdscr, y0 + (int)i, pn->x, pn->w, lines[i], a, DRAW_LEFT);
}

static void pane_draw_list(struct ui *ui)
{
	struct panes *p = ui->panes;
	int y = pane_fleet_lines(ui);
	char line[600];

	y = y > 0 ? y : 1;
	draw_text(stdscr, y, 0, COLS, " Open consoles (1-9: go to, any other key: close this list)",
		  theme_attr(THEME_TITLE), DRAW_LEFT);
	for (size_t i = 0; i < p->n && y + 1 + (int)i < LINES - 1; i++) {
		struct pane *pn = p->p[i];

		snprintf(line, sizeof(line), " %zu  %-20s %-16s %s", i + 1, pn->name,
			 pane_state_word(pn), pn->con ? console_target(pn->con) : "");
		draw_text(stdscr, y + 1 + (int)i, 0, COLS, line,
			  theme_attr(i == p->focus ? THEME_SELECTED : THEME_NORMAL), DRAW_LEFT);
	}
}

/* "SOL dropped: why; reconnecting in 4s (attempt 2)" (or SSH) over the pane. */
static void pane_draw_retry(struct pane *pn)
{
	char l1[CONSOLE_ERR + 80], l2[CONSOLE_ERR + 40];
	const char *lines[3] = { l1, NULL, NULL };
	long left = console_retry_left_ms(&pn->retry, console_retry_now_ms());
	const char *last = pn->con ? console_error(pn->con) : "";
	size_t n = 1;

	if (left >= 0) {
		pn->shown_left_s = (left + 999) / 1000;
		snprintf(l1, sizeof(l1), " %s dropped: %s; reconnecting in %lds (attempt %d)",
			 pane_kind_word(pn), pn->retry.why, pn->shown_left_s, pn->retry.attempt);
	} else {
		snprintf(l1, sizeof(l1), " %s dropped: %s; reconnecting now (attempt %d)",
			 pane_kind_word(pn), pn->retry.why, pn->retry.attempt);
	}
	if (left >= 0 && pn->retry.attempt > 1 && last[0] && strcmp(last, pn->retry.why)) {
		snprintf(l2, sizeof(l2), " last try: %s", last);
		lines[n++] = l2;
	}
	lines[n++] = " ^] r reconnects now, ^] x closes the pane";
	pane_draw_note(pn, lines, n, theme_attr(THEME_WARNING) | A_REVERSE);
}

void pane_draw(struct ui *ui)
{
	struct panes *p = ui->panes;
	int cy, cx;

	if (!pane_any(ui))
		return;
	if (pane_fleet_lines(ui) == 0) {
		char what[FLEET_STR + 32];

		snprintf(what, sizeof(what), "console %s (zoomed)", p->p[p->focus]->name);
		ui_draw_title(ui, what, "^] z: unzoom");
	}
	pane_layout(ui);
	for (size_t i = 0; i < p->n; i++) {
		struct pane *pn = p->p[i];
		bool focus = p->focused && i == p->focus;

		if (!pn->shown)
			continue;
		pane_draw_header(ui, pn, focus);
		view_console_draw(pn->vc, pn->y + 1, pn->x, pn->h - 1, pn->w, &cy, &cx);
		if (!p->stacked && !p->zoom && i + 1 < p->n)
			mvvline(pn->y, pn->x + pn->w, ACS_VLINE, pn->h);
		/* An unknown key on a reconnect waits for the operator like
		 * any other: its question goes over the retry note. */
		if (pn->retry.attempt && (!pn->con || (console_state(pn->con) != CONSOLE_OPEN &&
						       console_state(pn->con) != CONSOLE_HOSTKEY_ASK))) {
			pane_draw_retry(pn);
		} else if (pn->wait_poll_until) {
			const char *lines[1] = {
				" waiting for the BMC's first answer: it may advertise its SSH "
				"console port (Redfish SerialConsole.SSH)"
			};

			pane_draw_note(pn, lines, 1, theme_attr(THEME_WARNING) | A_REVERSE);
		} else if (pn->con && console_state(pn->con) == CONSOLE_HOSTKEY_ASK) {
			char l1[300], l2[300];
			const char *lines[4] = { l1, l2, NULL, NULL };

			snprintf(l1, sizeof(l1), " The SSH host key of %s is not known:",
				 console_target(pn->con));
			snprintf(l2, sizeof(l2), "   %s", console_hostkey(pn->con));
			lines[2] = " Is this the host's real key? Press y to accept it (it is added to";
			lines[3] = " known_hosts), n to refuse.";
			pane_draw_note(pn, lines, 4, theme_attr(THEME_WARNING) | A_REVERSE);
		} else if (pn->con && console_state(pn->con) == CONSOLE_CLOSED) {
			char l1[CONSOLE_ERR + 40];
			const char *lines[2] = { l1,
						 " session ended: ^] r reconnects, ^] x closes the pane" };

			snprintf(l1, sizeof(l1), " %s%s", pn->gave_up ? "not reconnecting: " : "",
				 console_error(pn->con));
			pane_draw_note(pn, lines, 2, theme_attr(THEME_ERROR) | A_REVERSE);
		}
	}
	if (p->list)
		pane_draw_list(ui);
}

void pane_place_cursor(struct ui *ui)
{
	struct panes *p = ui->panes;
	struct pane *pn;
	int cy, cx;

	if (!pane_focused(ui) || ui->prompt.active || p->list)
		return;
	pn = p->p[p->focus];
	if (!pn->shown || !pn->con || console_state(pn->con) != CONSOLE_OPEN)
		return;
	/* Drawn again only for the position; cheap next to the frame. */
	view_console_draw(pn->vc, pn->y + 1, pn->x, pn->h - 1, pn->w, &cy, &cx);
	if (cy < 0 || p->searching)
		return;
	leaveok(stdscr, FALSE);
	curs_set(1);
	move(cy, cx);
}

const char *pane_hints(const struct ui *ui, const char **help)
{
	struct panes *p = ui->panes;

	*help = NULL;
	if (!pane_focused(ui))
		return NULL;
	if (p->searching) {
		snprintf(p->hints, sizeof(p->hints), "search %s (any case): %c%s",
			 p->search_older ? "older lines" : "newer lines", p->search_older ? '/' : '?',
			 p->search);
		return p->hints;
	}
	/* The escape key as the operator chose it (--escape-key). */
	char esc[3] = { '^', (char)(p->escape_key + '@'), '\0' };

	if (p->prefix) {
		*help = "? help";
		snprintf(p->hints, sizeof(p->hints), "%s: o next  f fleet  z zoom  s split  l list  "
			 "1-9 go to  x close  r reconnect  T take over  b break  m monitor  "
			 "[ scrollback  ? help", esc);
		return p->hints;
	}
	/* In the scrollback ? searches (as in less): F1 is the help there. */
	if (view_console_copying(p->p[p->focus]->vc)) {
		*help = "F1 help";
		return "scrollback: j/k PgUp/PgDn g/G move  / search older  ? newer  n/N again  "
		       "v mark  y copy  q back  F1 help";
	}
	/* Here ? alone would go to the host. */
	snprintf(p->help_hint, sizeof(p->help_hint), "%s ? help", esc);
	*help = p->help_hint;
	snprintf(p->hints, sizeof(p->hints), "%s then: o next pane  f fleet  z zoom  s split  "
		 "l list  x close  [ scrollback  %s", esc, p->help_hint);
	return p->hints;
}

/* The host's view of the pane's size when it is opened. */
static void pane_connect(struct ui *ui, struct pane *pn, bool takeover)
{
	struct panes *p = ui->panes;
	struct console_config cfg = p->cfg;
	char err[CONSOLE_ERR];
	int rows, cols;
	const struct inventory_host *ih = &p->inv->hosts[pn->host];
	const struct fleet_host *fh = pn->host < ui->snap.nhosts ? &ui->snap.hosts[pn->host] : NULL;

	console_close(pn->con);
	pn->con = NULL;
	pn->gave_up = false;
	cfg.sol_takeover = takeover;
	/* The port the BMC advertises; one from the inventory still wins. */
	if (fh)
		cfg.ssh_port = fh->data.ssh_console_port;
	if ((!fh || !fh->polls) && !pn->waited_poll && ih->protocol == FLEET_PROTO_REDFISH &&
	    !ih->console_ssh_port && pn->kind == CONSOLE_KIND_SSH) {
		/* Discovery is a few requests, each within the timeout. */
		pn->wait_poll_until = console_retry_now_ms() +
				      3000LL * (cfg.timeout_s > 0 ? cfg.timeout_s : 10);
		return;
	}
	view_console_size(pn->vc, &rows, &cols);
	pn->con = console_open(&cfg, ih, rows, cols, err, sizeof(err));
	if (!pn->con) {
		ui_message(ui, THEME_ERROR, "console: %s", err);
		if (pn->auto_reconnect && pn->retry.attempt)
			console_retry_schedule(&pn->retry, console_retry_now_ms(), err);
	} else if (pn->retry.attempt) {
		console_note(pn->con, "reconnect attempt %d (dropped: %s)", pn->retry.attempt,
			     pn->retry.why);
	}
}

/* Replay on attach: the end of the host's log, then the live stream. */
static void pane_replay(struct panes *p, struct pane *pn)
{
	char path[4300], *buf;
	size_t n;
	/* Leave any alternate screen without 1049's cursor restore (which
	 * would put the cursor back where an old session saved it). */
	static const char reset[] = "\033[?1047l\033[0m\033[?25h\033[?1l\033>";
	static const char sep[] = "\r\n\033[7m--- earlier output (log) above; live from here ---"
				  "\033[0m\r\n";

	console_log_path_for(p->log_dir, pn->name, path, sizeof(path));
	if (console_log_tail(path, PANE_REPLAY_BYTES, &buf, &n) < 0)
		return;
	if (n) {
		view_console_feed(pn->vc, buf, n);
		view_console_feed(pn->vc, reset, sizeof(reset) - 1);
		view_console_feed(pn->vc, sep, sizeof(sep) - 1);
	}
	free(buf);
}

void pane_open(struct ui *ui, size_t host)
{
	struct panes *p = ui->panes;
	struct pane *pn;
	const struct inventory_host *ih;
	char err[CONSOLE_ERR];
	int kind;

	if (!p || !p->inv || host >= p->inv->nhosts) {
		ui_message(ui, THEME_ERROR, "console: no inventory host to open (display only)");
		return;
	}
	ih = &p->inv->hosts[host];
	for (size_t i = 0; i < p->n; i++) {
		if (p->p[i]->host == host) {
			p->focus = i;
			pane_set_focus(ui, true);
			return;
		}
	}
	if ((kind = console_kind_for(ih, err, sizeof(err))) < 0) {
		ui_message(ui, THEME_ERROR, "console: %s", err);
		return;
	}
	if (p->n == PANE_MAX) {
		ui_message(ui, THEME_ERROR, "console: %d panes are open already; close one (^] x)",
			   PANE_MAX);
		return;
	}
	pn = calloc(1, sizeof(*pn));
	if (!pn || !(pn->vc = view_console_new(24, 80, VIEW_CONSOLE_SCROLLBACK))) {
		free(pn);
		ui_message(ui, THEME_ERROR, "console: out of memory");
		return;
	}
	pn->host = host;
	snprintf(pn->name, sizeof(pn->name), "%s", ih->name);
	pn->kind = (enum console_kind)kind;
	pn->auto_reconnect = ih->console_reconnect > 0 ||
			     (ih->console_reconnect == 0 && p->cfg.reconnect);
	/* Watching is allowed; typing into a host is acting on it. */
	pn->monitor = ui_read_only(ui);
	p->p[p->n++] = pn;
	p->focus = p->n - 1;
	pane_set_focus(ui, true);
	pane_layout(ui);
	pane_replay(p, pn);
	pane_connect(ui, pn, false);
}

int pane_open_name(struct ui *ui, const char *name, char *err, size_t n)
{
	struct panes *p = ui->panes;

	for (size_t i = 0; p && p->inv && i < p->inv->nhosts; i++) {
		if (!strcmp(p->inv->hosts[i].name, name)) {
			pane_open(ui, i);
			return 0;
		}
	}
	snprintf(err, n, "--console: no host named '%s' in the inventory", name);
	return -1;
}

void pane_focus_consoles(struct ui *ui)
{
	if (!pane_any(ui)) {
		ui_message(ui, THEME_ERROR, "no console is open (c opens the selected host's)");
		return;
	}
	pane_set_focus(ui, true);
}

static void pane_close_focused(struct ui *ui)
{
	struct panes *p = ui->panes;
	struct pane *pn = p->p[p->focus];

	ui_message(ui, THEME_MESSAGE, "console of %s closed", pn->name);
	pane_destroy(pn);
	memmove(&p->p[p->focus], &p->p[p->focus + 1], (p->n - p->focus - 1) * sizeof(p->p[0]));
	p->n--;
	if (p->focus >= p->n && p->n)
		p->focus = p->n - 1;
	if (!p->n) {
		p->zoom = false;
		pane_set_focus(ui, false);
	}
}

/* Sends what the terminal emulator has for the host. */
static void pane_flush(struct pane *pn)
{
	char buf[4096];
	size_t n;

	while ((n = view_console_output(pn->vc, buf, sizeof(buf))) > 0)
		if (pn->con)
			console_write(pn->con, buf, n);
}

static const char pane_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* OSC 52: the operator's own terminal (through SSH and tmux) puts the
 * text on its clipboard. Only racktop writes this, never a host. */
static void pane_osc52(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n / 3 * 4 + 16);

	if (!out)
		return;
	o += (size_t)sprintf(out, "\033]52;c;");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		out[o++] = pane_b64[(v >> 18) & 63];
		out[o++] = pane_b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? pane_b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? pane_b64[v & 63] : '=';
	}
	out[o++] = '\a';
	fflush(stdout);
	if (write(STDOUT_FILENO, out, o) < 0) {
		/* nothing to do: the clipboard is a convenience */
	}
	free(out);
}

/* The last search again: OLDER toward older lines, else newer. */
static void pane_search(struct ui *ui, struct pane *pn, bool older)
{
	struct panes *p = ui->panes;

	if (!p->search_last[0]) {
		ui_message(ui, THEME_ERROR, "no search yet: / searches older lines, ? newer ones");
		return;
	}
	if (!view_console_search(pn->vc, p->search_last, older))
		ui_message(ui, THEME_ERROR, "'%s' not found in %s lines", p->search_last,
			   older ? "older" : "newer");
}

/* The help screen (^] ? in a pane, F1 in its scrollback); Esc comes
 * back to the fleet view, Tab to the panes. */
static void pane_help(struct ui *ui)
{
	pane_set_focus(ui, false);
	ui->help_return = ui->view;
	ui->help_scroll = 0;
	ui->view = UI_VIEW_HELP;
}

static void pane_copy_key(struct ui *ui, struct pane *pn, bool keycode, wint_t ch)
{
	struct panes *p = ui->panes;
	int page = pn->h > 3 ? pn->h - 2 : 1;

	if (p->searching) {
		size_t len = strlen(p->search);

		if (!keycode && (ch == '\r' || ch == '\n')) {
			p->searching = false;
			/* Enter alone: the last text again, this way (as less does). */
			if (p->search[0])
				snprintf(p->search_last, sizeof(p->search_last), "%s", p->search);
			pane_search(ui, pn, p->search_older);
		} else if (!keycode && (ch == 27 || ch == 7)) {
			p->searching = false;
		} else if ((keycode && ch == KEY_BACKSPACE) || (!keycode && (ch == 127 || ch == 8))) {
			/* A whole character, not a byte of one. */
			while (len && ((unsigned char)p->search[len - 1] & 0xc0) == 0x80)
				len--;
			if (len)
				p->search[len - 1] = '\0';
		} else if (!keycode && ch >= 0x20 && ch != 0x7f && iswprint(ch)) {
			char mb[MB_LEN_MAX];
			int k = wctomb(mb, (wchar_t)ch);

			if (k > 0 && len + (size_t)k < sizeof(p->search)) {
				memcpy(p->search + len, mb, (size_t)k);
				p->search[len + (size_t)k] = '\0';
			}
		}
		return;
	}
	/* The bindings are ui/keys.c's (KEYS_SCROLLBACK): the help screen
	 * lists them from there. */
	enum keys_action a = keys_lookup(KEYS_SCROLLBACK, keycode, ch);

	switch (a) {
	case KEYS_UP: view_console_cursor_move(pn->vc, -1); break;
	case KEYS_DOWN: view_console_cursor_move(pn->vc, 1); break;
	case KEYS_PAGE_UP: view_console_cursor_move(pn->vc, -page); break;
	case KEYS_PAGE_DOWN: view_console_cursor_move(pn->vc, page); break;
	case KEYS_HOME: view_console_cursor_move(pn->vc, -VIEW_CONSOLE_SCROLLBACK * 2); break;
	case KEYS_END: view_console_cursor_move(pn->vc, VIEW_CONSOLE_SCROLLBACK * 2); break;
	case KEYS_PANE_SEARCH:
	case KEYS_PANE_SEARCH_NEWER:
		p->searching = true;
		p->search_older = a == KEYS_PANE_SEARCH;
		p->search[0] = '\0';
		break;
	case KEYS_PANE_SEARCH_NEXT:
	case KEYS_PANE_SEARCH_PREV:
		pane_search(ui, pn, a == KEYS_PANE_SEARCH_NEXT ? p->search_older : !p->search_older);
		break;
	case KEYS_HELP_SCREEN:
		pane_help(ui);
		break;
	case KEYS_PANE_MARK: view_console_mark(pn->vc); break;
	case KEYS_PANE_COPY: {
		char *s = view_console_selection(pn->vc);

		if (s) {
			pane_osc52(s);
			ui_message(ui, THEME_MESSAGE, "copied %zu bytes to the clipboard (OSC 52)",
				   strlen(s));
			free(s);
		}
		view_console_copy_mode(pn->vc, false);
		break;
	}
	case KEYS_BACK:
		view_console_copy_mode(pn->vc, false);
		break;
	default:
		break;
	}
}

/* The command after the escape key. */
static void pane_command(struct ui *ui, bool keycode, wint_t ch)
{
	struct panes *p = ui->panes;
	struct pane *pn = p->p[p->focus];
	/* The bindings are ui/keys.c's (KEYS_PANE): the help screen lists
	 * them from there. */
	enum keys_action a = keys_lookup(KEYS_PANE, keycode, ch);

	p->prefix = false;
	switch (a) {
	case KEYS_PANE_NEXT:
		p->focus = (p->focus + 1) % p->n;
		break;
	case KEYS_PANE_PREV:
		p->focus = (p->focus + p->n - 1) % p->n;
		break;
	case KEYS_PANE_GOTO:
		if ((size_t)(ch - '1') < p->n)
			p->focus = (size_t)(ch - '1');
		break;
	case KEYS_PANE_FLEET:
		pane_set_focus(ui, false);
		break;
	case KEYS_PANE_ZOOM:
		p->zoom = !p->zoom;
		break;
	case KEYS_PANE_SPLIT:
		p->stacked = !p->stacked;
		break;
	case KEYS_PANE_LIST:
		p->list = true;
		break;
	case KEYS_PANE_CLOSE:
		pane_close_focused(ui);
		break;
	case KEYS_PANE_RECONNECT:
	case KEYS_PANE_TAKEOVER:
		if (a == KEYS_PANE_TAKEOVER && ui_read_only(ui)) {
			/* It ends another operator's SOL session. */
			ui_message(ui, THEME_ERROR, "read-only: taking over %s's SOL session is refused "
				   "(racktop was started with --read-only)", pn->name);
			break;
		}
		if (pn->con && console_state(pn->con) != CONSOLE_CLOSED &&
		    a == KEYS_PANE_RECONNECT) {
			ui_message(ui, THEME_MESSAGE, "%s: the console is still connected", pn->name);
			break;
		}
		/* Now, not when the backoff says; a failure goes on backing off. */
		pn->retry.due_ms = 0;
		pn->wait_poll_until = 0;
		pn->waited_poll = true;
		pane_connect(ui, pn, a == KEYS_PANE_TAKEOVER);
		break;
	case KEYS_PANE_BREAK:
		if (ui_read_only(ui))
			ui_message(ui, THEME_ERROR, "read-only: Break to %s refused (racktop was "
				   "started with --read-only)", pn->name);
		else if (!pn->con || console_send_break(pn->con) < 0)
			ui_message(ui, THEME_ERROR, "break: %s",
				   pn->con ? console_error(pn->con) : "not connected");
		else
			ui_message(ui, THEME_MESSAGE, "break sent to %s", pn->name);
		break;
	case KEYS_PANE_MONITOR:
		if (ui_read_only(ui)) {
			ui_message(ui, THEME_ERROR, "%s: monitor mode stays on: racktop was started "
				   "with --read-only (keys are not sent)", pn->name);
			break;
		}
		pn->monitor = !pn->monitor;
		ui_message(ui, THEME_MESSAGE, "%s: %s", pn->name,
			   pn->monitor ? "monitor (read-only): keys are not sent"
				       : "keys go to the host again");
		break;
	case KEYS_PANE_SCROLLBACK:
		view_console_copy_mode(pn->vc, true);
		break;
	case KEYS_HELP_SCREEN:
		pane_help(ui);
		break;
	default:
		break;
	}
}

bool pane_key(struct ui *ui, bool keycode, wint_t ch)
{
	struct panes *p = ui->panes;
	struct pane *pn;

	if (!pane_focused(ui))
		return false;
	if (keycode && ch == KEY_RESIZE)
		return true;
	ui->message[0] = '\0';
	if (p->list) {
		p->list = false;
		if (!keycode && ch >= '1' && ch <= '9' && (size_t)(ch - '1') < p->n)
			p->focus = (size_t)(ch - '1');
		return true;
	}
	/* The escape key is never sent to a host. */
	if (!keycode && (int)ch == p->escape_key) {
		p->prefix = !p->prefix;
		return true;
	}
	if (p->prefix) {
		pane_command(ui, keycode, ch);
		return true;
	}
	pn = p->p[p->focus];
	if (view_console_copying(pn->vc)) {
		pane_copy_key(ui, pn, keycode, ch);
		return true;
	}
	if (!pn->con) {
		ui_message(ui, THEME_ERROR, "%s: not connected; ^] r connects", pn->name);
		return true;
	}
	switch (console_state(pn->con)) {
	case CONSOLE_HOSTKEY_ASK:
		if (!keycode && (ch == 'y' || ch == 'Y'))
			console_hostkey_answer(pn->con, true);
		else if (!keycode && (ch == 'n' || ch == 'N'))
			console_hostkey_answer(pn->con, false);
		return true;
	case CONSOLE_CONNECTING:
		ui_message(ui, THEME_MESSAGE, "%s: still connecting; the key was not sent", pn->name);
		return true;
	case CONSOLE_CLOSED:
		ui_message(ui, THEME_ERROR, "%s: session ended; ^] r reconnects", pn->name);
		return true;
	case CONSOLE_OPEN:
		break;
	}
	if (pn->monitor) {
		if (ui_read_only(ui))
			ui_message(ui, THEME_MESSAGE, "%s: monitor mode: racktop was started with "
				   "--read-only; the key was not sent", pn->name);
		else
			ui_message(ui, THEME_MESSAGE, "%s: monitor mode (read-only); ^] m to type",
				   pn->name);
		return true;
	}
	view_console_key(pn->vc, keycode, ch);
	pane_flush(pn);
	return true;
}

int pane_pollfds(struct ui *ui, struct pollfd *pfd, int max)
{
	struct panes *p = ui->panes;
	int k = 0;

	for (size_t i = 0; p && i < p->n && k < max; i++) {
		struct pane *pn = p->p[i];

		pfd[k].fd = pn->con && console_state(pn->con) != CONSOLE_CLOSED ? console_fd(pn->con)
										 : -1;
		pfd[k].events = pn->con ? console_events(pn->con) : 0;
		pfd[k].revents = 0;
		k++;
	}
	return k;
}

/* The session ended: says why, and with console_reconnect backs off
 * and tries again, as long as a session was up once and the failure is
 * one that another try may fix (not a refused login or host key). */
static void pane_dropped(struct ui *ui, struct pane *pn)
{
	const char *why = console_error(pn->con);
	long delay;

	if (!pn->auto_reconnect || (!console_was_open(pn->con) && !pn->retry.attempt)) {
		ui_message(ui, THEME_ERROR, "console %s: %s", pn->name, why);
		return;
	}
	if (!console_retryable(pn->con)) {
		console_note(pn->con, "not reconnecting: %s", why);
		ui_message(ui, THEME_ERROR, "console %s: not reconnecting: %s", pn->name, why);
		console_retry_reset(&pn->retry);
		pn->gave_up = true;
		return;
	}
	delay = console_retry_schedule(&pn->retry, console_retry_now_ms(), why);
	console_note(pn->con, "%s dropped: %s; reconnecting in %.1fs (attempt %d)",
		     pane_kind_word(pn), pn->retry.why, delay / 1000.0, pn->retry.attempt);
	ui_message(ui, THEME_ERROR, "console %s: %s dropped; reconnecting in %lds (attempt %d)",
		   pn->name, pane_kind_word(pn), (delay + 999) / 1000, pn->retry.attempt);
}

/* Reads one pane's console; true when something changed. */
static bool pane_read(struct ui *ui, struct pane *pn)
{
	static char buf[64 * 1024];
	size_t total = 0;
	enum console_state before = console_state(pn->con);
	bool changed = false;

	while (total < PANE_READ_BUDGET) {
		ssize_t r = console_read(pn->con, buf, sizeof(buf));

		if (r <= 0) {
			changed = changed || r < 0;
			break;
		}
		view_console_feed(pn->vc, buf, (size_t)r);
		total += (size_t)r;
		changed = true;
	}
	/* Answers to the host's queries (cursor position and the like). */
	pane_flush(pn);
	if (console_state(pn->con) != before) {
		changed = true;
		if (console_state(pn->con) == CONSOLE_CLOSED)
			pane_dropped(ui, pn);
		else if (console_state(pn->con) == CONSOLE_OPEN && pn->retry.attempt) {
			console_note(pn->con, "reconnected at attempt %d (dropped: %s)",
				     pn->retry.attempt, pn->retry.why);
			ui_message(ui, THEME_MESSAGE, "console %s: %s reconnected (attempt %d)",
				   pn->name, pane_kind_word(pn), pn->retry.attempt);
			console_retry_reset(&pn->retry);
		} else if (console_state(pn->con) == CONSOLE_HOSTKEY_ASK && pn->retry.attempt) {
			/* The stored key is gone: asked, never taken on its own. */
			console_note(pn->con, "reconnect attempt %d: the host key is not known; "
				     "waiting for the operator", pn->retry.attempt);
			ui_message(ui, THEME_ERROR, "console %s: the SSH host key is not known on "
				   "reconnecting; y or n in its pane", pn->name);
		}
	}
	return changed;
}

/* Due reconnects and waits: true when a pane changed (or its countdown
 * shows another second). */
static bool pane_tick(struct ui *ui)
{
	struct panes *p = ui->panes;
	long long now = console_retry_now_ms();
	bool changed = false;

	for (size_t i = 0; p && i < p->n; i++) {
		struct pane *pn = p->p[i];
		const struct fleet_host *fh =
			pn->host < ui->snap.nhosts ? &ui->snap.hosts[pn->host] : NULL;
		long left;

		if (pn->wait_poll_until && ((fh && fh->polls) || now >= pn->wait_poll_until)) {
			pn->wait_poll_until = 0;
			pn->waited_poll = true;
			pane_connect(ui, pn, false);
			changed = true;
		}
		if (console_retry_due(&pn->retry, now)) {
			pane_connect(ui, pn, false);
			changed = true;
			continue;
		}
		left = console_retry_left_ms(&pn->retry, now);
		if (left >= 0 && (left + 999) / 1000 != pn->shown_left_s)
			changed = true;
	}
	return changed;
}

int pane_timeout_ms(const struct ui *ui)
{
	const struct panes *p = ui->panes;
	long long now = console_retry_now_ms();
	long best = -1;

	for (size_t i = 0; p && i < p->n; i++) {
		const struct pane *pn = p->p[i];
		long left = console_retry_left_ms(&pn->retry, now), t;

		if (pn->wait_poll_until) {
			/* The snapshot that ends the wait comes between two polls. */
			t = 250;
			best = best < 0 || t < best ? t : best;
		}
		if (left < 0)
			continue;
		/* Wake when the countdown shows the next second, or at the attempt. */
		t = left == 0 ? 0 : (left - 1) % 1000 + 1;
		best = best < 0 || t < best ? t : best;
	}
	return (int)best;
}

bool pane_io(struct ui *ui, const struct pollfd *pfd, int n)
{
	struct panes *p = ui->panes;
	bool changed = false;

	for (int i = 0; p && i < n && (size_t)i < p->n; i++) {
		struct pane *pn = p->p[i];

		if (!pn->con || pfd[i].fd < 0)
			continue;
		if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) || console_pending(pn->con))
			changed |= pane_read(ui, pn);
	}
	changed |= pane_tick(ui);
	return changed;
}

bool pane_pending(const struct ui *ui)
{
	const struct panes *p = ui->panes;

	for (size_t i = 0; p && i < p->n; i++)
		if (p->p[i]->con && console_pending(p->p[i]->con))
			return true;
	return false;
}

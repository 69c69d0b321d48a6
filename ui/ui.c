/* The screen's loop: sleep in poll() on the keyboard, the fleet store's
 * wake pipe and a signal self-pipe; take a snapshot when the store
 * changed; redraw only when something did. An idle racktop sleeps. */
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "draw.h"
#include "help.h"
#include "hints.h"
#include "keys.h"
#include "kube.h"
#include "pane.h"
#include "quit.h"
#include "sort_menu.h"
#include "view_console.h"
#include "theme.h"
#include "ui_state.h"
#include "view_notices.h"
#include "view_workflow.h"
#include "workflow.h"

/* Polls landing on a big fleet can wake us hundreds of times a second;
 * snapshots are taken at most this often. */
#define UI_SNAPSHOT_MIN_MS 100
/* stdin readable with no key this many times running: the terminal is gone. */
#define UI_STDIN_DEAD 64

static int ui_sigpipe[2] = { -1, -1 };

static const int ui_quit_signals[] = { SIGTERM, SIGINT, SIGHUP };
static const int ui_fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define UI_NQUIT (sizeof(ui_quit_signals) / sizeof(ui_quit_signals[0]))
#define UI_NFATAL (sizeof(ui_fatal_signals) / sizeof(ui_fatal_signals[0]))

struct ui_saved_signals {
	struct sigaction quit[UI_NQUIT];
	struct sigaction fatal[UI_NFATAL];
	struct sigaction winch;
};

/* Any thread may get the signal (the engine's too): a byte on the pipe
 * wakes the UI thread's poll() wherever it lands. */
static void ui_on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (write(ui_sigpipe[1], &c, 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

/* A crash must not leave the terminal in raw mode on the alternate
 * screen. endwin() is not async-signal-safe, but the process is dying
 * anyway and a usable terminal is worth the risk (htop does the same). */
static void ui_on_fatal(int sig)
{
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void ui_signals_install(struct ui_saved_signals *saved)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ui_on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < UI_NQUIT; i++)
		sigaction(ui_quit_signals[i], &sa, &saved->quit[i]);
	/* Installed before the terminal is set up, so that curses keeps its
	 * own SIGWINCH handler out and resizes reach poll() through the pipe. */
	sigaction(SIGWINCH, &sa, &saved->winch);
	sa.sa_handler = ui_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < UI_NFATAL; i++)
		sigaction(ui_fatal_signals[i], &sa, &saved->fatal[i]);
}

static void ui_signals_restore(const struct ui_saved_signals *saved)
{
	for (size_t i = 0; i < UI_NQUIT; i++)
		sigaction(ui_quit_signals[i], &saved->quit[i], NULL);
	for (size_t i = 0; i < UI_NFATAL; i++)
		sigaction(ui_fatal_signals[i], &saved->fatal[i], NULL);
	sigaction(SIGWINCH, &saved->winch, NULL);
}

static long long ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds until the wall clock's next whole second. */
static int ui_ms_to_next_second(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int)(1000 - ts.tv_nsec / 1000000) + 5;
}

void ui_message(struct ui *ui, enum theme_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof(ui->message), fmt, ap);
	va_end(ap);
	ui->message_role = role;
}

void ui_refresh_host(struct ui *ui, size_t idx)
{
	const char *name = idx < ui->snap.nhosts ? ui->snap.hosts[idx].name : "?";

	if (ui->kube) {
		/* The cluster polls the fleet: r reads this one host's BMC
		 * directly (the kube thread's engine; this only queues). */
		char err[FLEET_ERR + 64];

		if (kube_bmc_read(ui->kube, idx, err, sizeof(err)) < 0)
			ui_message(ui, THEME_ERROR, "%s: cannot read its BMC directly: %s", name, err);
		else
			ui_message(ui, THEME_MESSAGE, "reading %s's GPUs directly from its BMC (the "
				   "host's action line says how it goes)", name);
		return;
	}
	if (!ui->engine) {
		ui_message(ui, THEME_ERROR, "refresh: no engine is running (display only)");
		return;
	}
	if (engine_request(ui->engine, idx, ENGINE_ACTION_POLL_NOW) < 0)
		ui_message(ui, THEME_ERROR, "refresh: could not queue a poll of %s", name);
	else
		ui_message(ui, THEME_MESSAGE, "polling %s now", name);
}

bool ui_read_only(const struct ui *ui)
{
	return ui->actions && actions_read_only(ui->actions);
}

void ui_draw_title(struct ui *ui, const char *what, const char *right)
{
	attr_t a = theme_attr(THEME_TITLE);
	int x = 0, rw = right ? draw_width(right) : 0;

	draw_fill(stdscr, 0, 0, COLS, L' ', ' ', a);
	x += draw_text_n(stdscr, 0, x, COLS, " racktop", a | A_BOLD);
	/* On every view, in words: seen without colour too. */
	if (ui_read_only(ui)) {
		x += draw_text_n(stdscr, 0, x, COLS - x, " ", a);
		x += draw_text_n(stdscr, 0, x, COLS - x, " READ-ONLY ",
				 theme_attr(THEME_ERROR) | A_BOLD | A_REVERSE);
	}
	if (what && *what) {
		x += draw_text_n(stdscr, 0, x, COLS - x, "  ", a);
		x += draw_text_n(stdscr, 0, x, COLS - x - (rw ? rw + 2 : 0), what, a);
	}
	if (rw && x + rw + 2 <= COLS)
		draw_text_n(stdscr, 0, COLS - rw - 1, rw, right, a);
}

/* The hints for the view; *HELP: the item that names the help key,
 * which the status line never drops (hints.h). */
static const char *ui_hints(const struct ui *ui, const char **help)
{
	*help = "? help";
	if (pane_focused(ui))
		return pane_hints(ui, help);
	switch (ui->view) {
	case UI_VIEW_FLEET:
		if (ui->kube)
			return "Enter host  / filter  Space mark  a action  W reprovision  w workflows  "
			       "s/S sort  r read BMC  ? help  q quit";
		return "Enter host  / filter  Space mark  a action  W workflow  w workflows  s/S sort  "
		       "r refresh  ? help  q quit";
	case UI_VIEW_HOST:
		if (ui->kube)
			return "Esc back  j/k scroll  a action  r read its BMC directly  ? help  Q quit";
		return "Esc back  j/k scroll  a action  r refresh  ? help  Q quit";
	case UI_VIEW_WORKFLOWS:
		*help = NULL;   /* ? is not a key there */
		return "Esc back  Enter actions  x cancel  j/k move  Q quit";
	default:
		*help = NULL;
		return "Esc back  j/k scroll  Q quit";
	}
}

static void ui_draw_status(struct ui *ui)
{
	int y = LINES - 1, rw = 0;
	char right[400] = "", fitted[400];
	const char *hints, *help;

	if (y < 1)
		return;
	draw_fill(stdscr, y, 0, COLS, L' ', ' ', theme_attr(THEME_STATUS));
	if (ui->prompt.active) {
		prompt_draw(stdscr, y, &ui->prompt, theme_attr(THEME_PROMPT),
			    theme_attr(THEME_NORMAL));
		return;
	}
	/* Its own buffer: a message arriving meanwhile must not hide it. */
	if (quit_asking(ui)) {
		draw_text_n(stdscr, y, 0, COLS, ui->quit_question, theme_attr(THEME_WARNING) | A_BOLD);
		return;
	}
	if (ui->view == UI_VIEW_FLEET)
		view_fleet_status(ui, right, sizeof(right));
	rw = draw_width(right);
	/* The message wins the space over the position when both don't fit. */
	if (ui->message[0]) {
		int used = draw_text_n(stdscr, y, 0, COLS, ui->message,
				       theme_attr(ui->message_role));

		if (rw && used + rw + 2 <= COLS)
			draw_text_n(stdscr, y, COLS - rw - 1, rw, right, theme_attr(THEME_STATUS));
		return;
	}
	hints = ui_hints(ui, &help);
	/* The position gives way before the help key's hint does. */
	if (rw && rw + 2 < COLS && (!help || COLS - rw - 3 >= hints_width(help))) {
		draw_text_n(stdscr, y, COLS - rw - 1, rw, right, theme_attr(THEME_STATUS));
		hints_fit(hints, help, COLS - rw - 3, fitted, sizeof(fitted));
	} else {
		hints_fit(hints, help, COLS, fitted, sizeof(fitted));
	}
	draw_text_n(stdscr, y, 0, COLS, fitted, theme_attr(THEME_MISSING));
}

/* The engine reads everything of the host the host view shows, each
 * poll, and polls it at once when the view opens; any other view (or
 * another host) moves or drops that focus. Checked after each draw:
 * the draw itself may leave the view (the host vanished). */
static void ui_focus_sync(struct ui *ui)
{
	size_t want = ui->view == UI_VIEW_HOST ? ui->vh.host : ENGINE_NO_FOCUS;

	if (!ui->engine || want == ui->focus)
		return;
	ui->focus = want;
	engine_focus(ui->engine, want);
}

static void ui_draw(struct ui *ui)
{
	/* With console panes the views get the top rows: they size
	 * themselves by LINES, so LINES says how many while they draw. */
	int lines = LINES, fleet_lines = pane_fleet_lines(ui);

	ui->shows_age = false;
	ui->now = time(NULL);
	werase(stdscr);
	LINES = fleet_lines;
	switch (fleet_lines > 0 ? ui->view : (enum ui_view)-1) {
	case UI_VIEW_HOST:
		view_host_draw(ui);
		/* The host may have vanished: fall back to the fleet. */
		if (ui->view == UI_VIEW_FLEET)
			view_fleet_draw(ui);
		break;
	case UI_VIEW_HELP:
		help_draw(ui);
		break;
	case UI_VIEW_NOTICES:
		view_notices_draw(ui);
		break;
	case UI_VIEW_WORKFLOWS:
		view_workflow_draw(ui);
		break;
	case UI_VIEW_FLEET:
		view_fleet_draw(ui);
		break;
	default:
		break;
	}
	LINES = lines;
	pane_draw(ui);
	action_menu_draw(ui);
	view_workflow_modal_draw(ui);
	ui_draw_status(ui);
	if (curs_set(ui->prompt.active ? 1 : 0) == ERR && !ui->prompt.active)
		leaveok(stdscr, TRUE);
	pane_place_cursor(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

static enum keys_view ui_keys_view(const struct ui *ui)
{
	switch (ui->view) {
	case UI_VIEW_HOST: return KEYS_HOST;
	case UI_VIEW_HELP: return KEYS_HELP;
	case UI_VIEW_NOTICES: return KEYS_NOTICES;
	case UI_VIEW_WORKFLOWS: return KEYS_WORKFLOWS;
	default: return KEYS_FLEET;
	}
}

static void ui_key(struct ui *ui, bool keycode, wint_t ch)
{
	enum keys_action a;

	if (keycode && ch == KEY_RESIZE)
		return;
	if (quit_asking(ui)) {
		quit_key(ui, keycode, ch);
		return;
	}
	if (!ui->prompt.active && !action_menu_active(ui) && !view_workflow_modal(ui) &&
	    pane_key(ui, keycode, ch))
		return;
	if (ui->prompt.active) {
		enum prompt_result r = prompt_key(&ui->prompt, keycode, ch);

		if (ui->vf.filtering) {
			/* The / filter follows every key (view_fleet.c). */
			view_fleet_filter_key(ui, r);
			return;
		}

		bool count = ui->am.stage == ACTION_MENU_COUNT || ui->vw.modal == VW_MODAL_COUNT;

		if (r == PROMPT_DONE || (r == PROMPT_CANCEL && count)) {
			char text[PROMPT_MAX * 4];

			prompt_text(&ui->prompt, text, sizeof(text));
			/* The prompt asks for the action menu's and W's host count too. */
			if (ui->am.stage == ACTION_MENU_COUNT)
				action_menu_prompt_done(ui, r == PROMPT_DONE, text);
			else if (ui->vw.modal == VW_MODAL_COUNT)
				view_workflow_prompt_done(ui, r == PROMPT_DONE, text);
			else
				view_fleet_set_filter(ui, text);
		}
		return;
	}
	ui->message[0] = '\0';
	if (action_menu_active(ui)) {
		action_menu_key(ui, keycode, ch);
		return;
	}
	if (view_workflow_modal(ui)) {
		view_workflow_modal_key(ui, keycode, ch);
		return;
	}
	if (sort_menu_active(ui)) {
		sort_menu_key(ui, keycode, ch);
		return;
	}
	a = keys_lookup(ui_keys_view(ui), keycode, ch);
	switch (a) {
	case KEYS_NONE:
		break;
	case KEYS_QUIT:
		quit_request(ui);
		break;
	case KEYS_HELP_SCREEN:
		ui->help_return = ui->view;
		ui->help_scroll = 0;
		ui->view = UI_VIEW_HELP;
		break;
	case KEYS_NOTICES_SCREEN:
		ui->notices_scroll = 0;
		ui->view = UI_VIEW_NOTICES;
		break;
	case KEYS_REDRAW:
		clearok(curscr, TRUE);
		break;
	case KEYS_CONSOLE:
		if (ui->view == UI_VIEW_HOST)
			pane_open(ui, ui->vh.host);
		else if (ui->vf.nrows)
			pane_open(ui, ui->vf.rows[ui->vf.cursor]);
		else
			ui_message(ui, THEME_ERROR, "no host to open a console on");
		break;
	case KEYS_CONSOLE_FOCUS:
		pane_focus_consoles(ui);
		break;
	case KEYS_WORKFLOWS_SCREEN:
	case KEYS_WORKFLOW_START:
		view_workflow_global(ui, a);
		break;
	case KEYS_ACTION_MENU:
		if (ui->view == UI_VIEW_HOST)
			action_menu_open(ui, ui->vh.host);
		else if (ui->vf.nrows)
			action_menu_open(ui, ui->vf.rows[ui->vf.cursor]);
		else
			ui_message(ui, THEME_ERROR, "no host to act on");
		break;
	default:
		if (ui->view == UI_VIEW_FLEET)
			view_fleet_action(ui, a);
		else if (ui->view == UI_VIEW_HOST)
			view_host_action(ui, a);
		else if (ui->view == UI_VIEW_NOTICES)
			view_notices_action(ui, a);
		else if (ui->view == UI_VIEW_WORKFLOWS)
			view_workflow_action(ui, a);
		else
			help_action(ui, a);
		break;
	}
}

/* Reads every key curses has; returns how many. */
static int ui_read_keys(struct ui *ui)
{
	int n = 0;
	wint_t ch;
	int r;

	while ((r = get_wch(&ch)) != ERR) {
		ui_key(ui, r == KEY_CODE_YES, ch);
		n++;
		if (ui->quit)
			break;
	}
	return n;
}

static void ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

/* Reads the signal pipe: returns true when the loop should end. */
static bool ui_read_signals(void)
{
	unsigned char buf[64];
	ssize_t n;
	bool quit = false;

	while ((n = read(ui_sigpipe[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH)
				ui_resize();
			else
				quit = true;
		}
	}
	return quit;
}

static bool ui_snapshot(struct ui *ui)
{
	/* The workflows changed: the cluster's in Kubernetes mode, else the
	 * local runner's (the workflow view and the fleet rows' "wf" status
	 * copy them when drawn). */
	bool wf = ui->kube ? kube_workflows_version(ui->kube) != ui->vw.kversion :
		  ui->workflows && wf_runner_version(ui->workflows) != ui->vw.version;

	if (!fleet_snapshot_take(ui->fleet, &ui->snap))
		return wf;
	view_fleet_rebuild(ui);
	return true;
}

static bool ui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static bool ui_colour_wanted(void)
{
	const char *nc = getenv("NO_COLOR");

	return has_colors() && !(nc && *nc);
}

static void ui_loop(struct ui *ui)
{
	struct pollfd pfd[3 + PANE_MAX];
	int ncon = 0;
	long long last_snap = 0;
	bool pending = false, dirty = true;
	time_t drawn_at = 0;
	int dead = 0;

	pfd[0].fd = STDIN_FILENO;
	pfd[1].fd = fleet_wake_fd(ui->fleet);
	pfd[2].fd = ui_sigpipe[0];
	for (int i = 0; i < 3; i++)
		pfd[i].events = POLLIN;
	fleet_wake_drain(ui->fleet);
	ui_snapshot(ui);
	last_snap = ui_now_ms();
	while (!ui->quit) {
		int timeout = -1;
		long long now_ms;

		if (dirty) {
			ui_draw(ui);
			ui_focus_sync(ui);
			drawn_at = ui->now;
			dirty = false;
		}
		now_ms = ui_now_ms();
		if (pending)
			timeout = (int)(last_snap + UI_SNAPSHOT_MIN_MS - now_ms);
		if (ui->shows_age) {
			int t = ui_ms_to_next_second();

			if (timeout < 0 || t < timeout)
				timeout = t;
		}
		if (pending && timeout < 0)
			timeout = 0;
		if (pane_pending(ui))
			timeout = 0;
		{
			/* Console reconnects and their countdowns. */
			int t = pane_timeout_ms(ui);

			if (t >= 0 && (timeout < 0 || t < timeout))
				timeout = t;
		}
		/* While a snapshot is due anyway, more updates need not wake
		 * us: during a sweep every host's poll writes to the pipe. */
		pfd[1].events = pending ? 0 : POLLIN;
		ncon = pane_pollfds(ui, pfd + 3, PANE_MAX);
		if (poll(pfd, (nfds_t)(3 + ncon), timeout) < 0 && errno != EINTR)
			break;
		/* Before the keys: a key may close a pane and shift the fds. */
		if (pane_io(ui, pfd + 3, ncon))
			dirty = true;
		if (pfd[2].revents & POLLIN && ui_read_signals())
			break;
		if (pfd[2].revents & POLLIN)
			dirty = true;
		if (pfd[1].revents & POLLIN) {
			fleet_wake_drain(ui->fleet);
			pending = true;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (ui_read_keys(ui) > 0) {
				dirty = true;
				dead = 0;
			} else if ((pfd[0].revents & (POLLHUP | POLLERR)) || ++dead > UI_STDIN_DEAD) {
				break;
			}
		}
		now_ms = ui_now_ms();
		if (pending && now_ms - last_snap >= UI_SNAPSHOT_MIN_MS) {
			pending = false;
			last_snap = now_ms;
			/* Drained before the snapshot: a change after it wakes us again. */
			fleet_wake_drain(ui->fleet);
			if (ui_snapshot(ui))
				dirty = true;
		}
		if (ui->shows_age && time(NULL) != drawn_at)
			dirty = true;
	}
}

int ui_run(struct fleet *fleet, struct engine *engine, const struct ui_options *o)
{
	struct ui ui;
	struct ui_saved_signals saved;
	SCREEN *scr;
	char theme_err[600] = "";
	int theme_rc;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "racktop: the screen needs a terminal on stdin and stdout "
			"(for a report without one, use --batch)\n");
		return 1;
	}
	memset(&ui, 0, sizeof(ui));
	ui.fleet = fleet;
	ui.engine = engine;
	ui.focus = ENGINE_NO_FOCUS;
	ui.title = o && o->title ? o->title : "";
	ui.notices = o ? o->notices : NULL;
	ui.nnotices = o && o->notices ? o->nnotices : 0;
	ui.actions = o ? o->actions : NULL;
	ui.workflows = o ? o->workflows : NULL;
	ui.kube = o ? o->kube : NULL;
	ui.keep_marks = o && o->keep_marks;
	view_fleet_init(&ui.vf);
	theme_rc = theme_load(o ? o->theme : NULL, o ? o->themes_dir : NULL, theme_err,
			      sizeof(theme_err));
	if (pipe2(ui_sigpipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		fprintf(stderr, "racktop: pipe: %s\n", strerror(errno));
		return 1;
	}
	ui_signals_install(&saved);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");

		ui_signals_restore(&saved);
		close(ui_sigpipe[0]);
		close(ui_sigpipe[1]);
		fprintf(stderr, "racktop: cannot use terminal type '%s' (check TERM)\n",
			term ? term : "(unset)");
		view_fleet_free(&ui.vf);
		return 1;
	}
	draw_set_utf8(ui_locale_utf8());
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	theme_apply(ui_colour_wanted());
	if (ui.nnotices)
		ui_message(&ui, THEME_ERROR, "%zu problem%s at start (n lists them): %s",
			   ui.nnotices, ui.nnotices == 1 ? "" : "s", ui.notices[0]);
	/* A theme problem is about this screen: it wins the one status line. */
	if (theme_rc < 0)
		ui_message(&ui, THEME_ERROR, "%s; using the default theme", theme_err);
	view_console_colours(ui_colour_wanted());
	ui.panes = pane_new(o ? o->inventory : NULL, o ? o->console : NULL,
			    o ? o->console_escape : 0);
	if (o && o->console_host && ui.panes) {
		char cerr[300];

		if (pane_open_name(&ui, o->console_host, cerr, sizeof(cerr)) < 0)
			ui_message(&ui, THEME_ERROR, "%s", cerr);
	}

	ui_loop(&ui);

	pane_free(ui.panes);
	endwin();
	delscreen(scr);
	ui_signals_restore(&saved);
	close(ui_sigpipe[0]);
	close(ui_sigpipe[1]);
	ui_sigpipe[0] = ui_sigpipe[1] = -1;
	view_fleet_free(&ui.vf);
	action_menu_free(&ui.am);
	view_workflow_free(&ui.vw);
	fleet_snapshot_free(&ui.snap);
	return 0;
}

/* The workflow view and the W/x dialogs (view_workflow.h). It draws
 * from its own copy of the runner's workflows, refreshed when the
 * runner's version moves; while it is up the screen redraws each second
 * (elapsed times). */
#include "view_workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "action_menu.h"
#include "draw.h"
#include "kube.h"
#include "meter.h"
#include "targets.h"
#include "theme.h"
#include "ui_state.h"
#include "workflow.h"

#define VW_TOP 2                   /* title, header */
#define VW_BOX_W 64
#define VW_KUBE_BIG 1000           /* Workflows: copied at most once a second */

static int vw_page(void)
{
	int n = LINES - VW_TOP - 1;

	return n > 1 ? n : 1;
}

/* Newest first: row R is this run. */
static struct wf_run *vw_row(struct view_workflow *vw, size_t r)
{
	return r < vw->nruns ? &vw->runs[vw->nruns - 1 - r] : NULL;
}

static void vw_kube_refresh(struct ui *ui);

static void vw_refresh(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	char **notes = NULL;
	size_t n;

	if (ui->kube) {
		vw_kube_refresh(ui);
		return;
	}
	if (!ui->workflows)
		return;
	wf_runner_snapshot(ui->workflows, &vw->version, &vw->runs, &vw->nruns);
	/* Recovery rules and state files speak here: the newest wins the line. */
	n = wf_runner_take_notices(ui->workflows, &notes);
	if (n)
		ui_message(ui, THEME_MESSAGE, "%s", notes[n - 1]);
	for (size_t i = 0; i < n; i++)
		free(notes[i]);
	free(notes);
	if (vw->cursor >= vw->nruns)
		vw->cursor = vw->nruns ? vw->nruns - 1 : 0;
}

/* Kubernetes mode: a new copy of the cluster's Workflows when they
 * changed. A big copy is taken at most once a second (the kube thread
 * waits for the store's lock meanwhile); one put off asks for the
 * redraw a second later that takes it. */
static void vw_kube_refresh(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	struct timespec ts;
	long long now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (vw->runs && vw->nruns >= VW_KUBE_BIG && now - vw->kcopied_ms < 1000 &&
	    kube_workflows_version(ui->kube) != vw->kversion) {
		ui->shows_age = true;
		return;
	}
	if (kube_workflows_runs(ui->kube, &vw->kversion, &vw->kwf, &vw->runs, &vw->nruns))
		vw->kcopied_ms = now;
	if (vw->cursor >= vw->nruns)
		vw->cursor = vw->nruns ? vw->nruns - 1 : 0;
}

/* The cluster's Workflow behind run W (Kubernetes mode), else NULL. */
static const struct kube_workflow *vw_kwf(const struct ui *ui, const struct wf_run *w)
{
	const struct view_workflow *vw = &ui->vw;

	if (!ui->kube || !vw->kwf || w < vw->runs || w >= vw->runs + vw->nruns)
		return NULL;
	return &vw->kwf[w - vw->runs];
}

static const char *vw_state(const struct ui *ui, const struct wf_run *w)
{
	const struct kube_workflow *k = vw_kwf(ui, w);

	/* The cluster's own word, whatever it is. */
	if (k)
		return k->state[0] ? k->state : "PENDING";
	return w->interrupted ? "INTERRUPTED" : wf_state_name(w->state);
}

static enum theme_role vw_role(const struct wf_run *w)
{
	if (w->interrupted)
		return THEME_CRITICAL;
	switch (w->state) {
	case WF_SUCCESS: return THEME_OK;
	case WF_RUNNING: return THEME_WARNING;
	case WF_FAILED:
	case WF_TIMEOUT: return THEME_CRITICAL;
	default: return THEME_MISSING;
	}
}

static void vw_duration(char *buf, size_t n, time_t from, time_t to)
{
	long s = from && to >= from ? (long)(to - from) : -1;

	if (s < 0)
		snprintf(buf, n, "-");
	else if (s < 60)
		snprintf(buf, n, "%lds", s);
	else if (s < 3600)
		snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, n, "%ldh%02ldm", s / 3600, (s / 60) % 60);
	else
		snprintf(buf, n, "%ldd%02ldh", s / 86400, (s / 3600) % 24);
}

static time_t vw_end(const struct wf_run *w, time_t now)
{
	if (w->stopped)
		return w->stopped;
	/* An interrupted one stopped when racktop did: its last action. */
	if (w->interrupted || !w->started) {
		time_t last = w->started;

		for (size_t i = 0; i < w->ntasks; i++)
			for (size_t j = 0; j < w->tasks[i].nactions; j++) {
				const struct wf_action *a = &w->tasks[i].actions[j];

				if (a->stopped > last)
					last = a->stopped;
				if (a->started > last)
					last = a->started;
			}
		return last;
	}
	return now;
}

static void vw_draw_list(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	int page = vw_page(), y;
	size_t running = 0;
	char right[64];
	const int wh = 14, wt = 13, ws = 11, wp = 18, wa = 30, we = 7;

	for (size_t i = 0; i < vw->nruns; i++)
		if (vw->runs[i].state == WF_RUNNING && !vw->runs[i].interrupted)
			running++;
	snprintf(right, sizeof(right), "%zu running, %zu in all", running, vw->nruns);
	ui_draw_title(ui, "workflows", right);
	y = 1;
	{
		int x = 0;
		attr_t h = theme_attr(THEME_HEADER);

		/* The same columns as the rows below. */
		draw_fill(stdscr, y, 0, COLS, L' ', ' ', h);
		draw_text(stdscr, y, x, wh, "HOST", h, DRAW_LEFT);
		x += wh + 1;
		draw_text(stdscr, y, x, wt, "TEMPLATE", h, DRAW_LEFT);
		x += wt + 2;
		draw_text(stdscr, y, x, ws, "STATE", h, DRAW_LEFT);
		x += ws + 1;
		draw_text(stdscr, y, x, wp, "PROGRESS", h, DRAW_LEFT);
		x += wp + 1;
		draw_text(stdscr, y, x, wa, "TASK / ACTION", h, DRAW_LEFT);
		x += wa + 1;
		draw_text(stdscr, y, x, we, "ELAPSED", h, DRAW_RIGHT);
		x += we + 2;
		if (x < COLS)
			draw_text(stdscr, y, x, COLS - x, "MESSAGE", h, DRAW_LEFT);
	}
	if (vw->nruns == 0) {
		draw_text(stdscr, VW_TOP, 1, COLS - 1,
			  ui->kube ? "no Workflows in the cluster: W on the fleet view creates one"
			  : ui->workflows ? "no workflows yet: W on the fleet view starts one"
			  : "workflows are not available (display only)",
			  theme_attr(THEME_MISSING), DRAW_LEFT);
		return;
	}
	if (vw->cursor < vw->top)
		vw->top = vw->cursor;
	if (vw->cursor >= vw->top + (size_t)page)
		vw->top = vw->cursor - (size_t)page + 1;
	for (int r = 0; r < page; r++) {
		size_t idx = vw->top + (size_t)r;
		const struct wf_run *w = vw_row(vw, idx);
		const struct kube_workflow *kw;
		const struct wf_task *t = NULL;
		const struct wf_action *a;
		size_t done, total;
		char buf[160], label[32];
		bool sel = idx == vw->cursor;
		attr_t base = theme_attr(sel ? THEME_SELECTED : THEME_NORMAL);
		int x = 0, yy = VW_TOP + r;

		if (!w)
			break;
		kw = vw_kwf(ui, w);
		if (sel)
			draw_fill(stdscr, yy, 0, COLS, L' ', ' ', base);
		draw_text(stdscr, yy, x, wh, w->host[0] ? w->host : "-", base, DRAW_LEFT);
		x += wh + 1;
		draw_text(stdscr, yy, x, wt, w->template_name, base, DRAW_LEFT);
		x += wt + 2;
		draw_text(stdscr, yy, x, ws, vw_state(ui, w), sel ? base : theme_attr(vw_role(w)),
			  DRAW_LEFT);
		x += ws + 1;
		wf_run_progress(w, &done, &total);
		snprintf(label, sizeof(label), "%zu/%zu", done, total);
		meter_draw(stdscr, yy, x, wp, total ? (double)done / (double)total : 0.0, label, 5,
			   theme_attr(THEME_METER), theme_attr(THEME_METER_EMPTY), base);
		x += wp + 1;
		a = wf_run_current(w, &t);
		if (kw && kw->current_task[0])
			/* What the cluster says runs now. */
			snprintf(buf, sizeof(buf), "%s / %s", kw->current_task,
				 kw->current_action[0] ? kw->current_action : "-");
		else
			snprintf(buf, sizeof(buf), "%s / %s", t ? t->name : "-", a ? a->name : "-");
		draw_text(stdscr, yy, x, wa, buf, base, DRAW_LEFT);
		x += wa + 1;
		vw_duration(buf, sizeof(buf), w->started, vw_end(w, ui->now));
		draw_text(stdscr, yy, x, we, buf, base, DRAW_RIGHT);
		x += we + 2;
		if (x < COLS) {
			const char *msg = w->message[0] ? w->message
					  : a && w->state == WF_RUNNING ? a->message : "";

			draw_text(stdscr, yy, x, COLS - x, msg,
				  sel ? base : theme_attr(w->state == WF_FAILED || w->state == WF_TIMEOUT ||
							  w->interrupted ? THEME_ERROR : THEME_NORMAL),
				  DRAW_LEFT);
		}
	}
	if (running)
		ui->shows_age = true;
}

static void vw_time(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, n, "%H:%M:%S", &tm);
}

static void vw_draw_detail(struct ui *ui, const struct wf_run *w)
{
	struct view_workflow *vw = &ui->vw;
	char title[300], line[700], dur[32], t0[16], t1[16];
	int page = vw_page() + 1, row = 0, y = 1;

	snprintf(title, sizeof(title), "workflow %s", w->id);
	ui_draw_title(ui, title, ui->kube ? "Esc: back" : "Esc: back  x: cancel");
	snprintf(line, sizeof(line), "%s on %s  %s  started by %s  %s", w->template_name, w->host,
		 vw_state(ui, w), w->origin, w->message);
	draw_text(stdscr, y++, 1, COLS - 1, line, theme_attr(vw_role(w)), DRAW_LEFT);
	if (vw->detail_scroll < 0)
		vw->detail_scroll = 0;
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct wf_task *t = &w->tasks[i];

		if (row++ >= vw->detail_scroll && y < page) {
			snprintf(line, sizeof(line), "task %s  %s", t->name, wf_state_name(t->state));
			draw_text(stdscr, y++, 1, COLS - 1, line, theme_attr(THEME_SECTION), DRAW_LEFT);
		}
		for (size_t j = 0; j < t->nactions; j++) {
			const struct wf_action *a = &t->actions[j];

			if (row++ < vw->detail_scroll || y >= page)
				continue;
			vw_duration(dur, sizeof(dur), a->started,
				    a->stopped ? a->stopped : w->interrupted ? a->started : ui->now);
			vw_time(t0, sizeof(t0), a->started);
			vw_time(t1, sizeof(t1), a->stopped);
			snprintf(line, sizeof(line), "  %-20.20s %-20.20s %-8s %d/%d  %s-%s %6s  %s",
				 a->name, a->image, wf_state_name(a->state), a->attempts,
				 a->retries + 1, t0, t1, dur, a->message);
			draw_text(stdscr, y++, 1, COLS - 1, line,
				  theme_attr(a->state == WF_FAILED || a->state == WF_TIMEOUT ? THEME_ERROR
					     : a->state == WF_SUCCESS ? THEME_NORMAL : THEME_MISSING),
				  DRAW_LEFT);
		}
	}
	if (w->state == WF_RUNNING && !w->interrupted)
		ui->shows_age = true;
}

void view_workflow_draw(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;

	vw_refresh(ui);
	if (vw->detail) {
		for (size_t i = 0; i < vw->nruns; i++)
			if (!strcmp(vw->runs[i].id, vw->detail_id)) {
				vw_draw_detail(ui, &vw->runs[i]);
				return;
			}
		vw->detail = false;
	}
	vw_draw_list(ui);
}

static void vw_cancel_ask(struct ui *ui, const struct wf_run *w)
{
	struct view_workflow *vw = &ui->vw;

	if (!w)
		return;
	if (!strcmp(w->origin, "cluster")) {
		ui_message(ui, THEME_ERROR, "workflow %s is the cluster's: racktop does not cancel it "
			   "(delete the Workflow there)", w->id);
		return;
	}
	if (!strcmp(w->origin, "file") || w->interrupted || wf_state_final(w->state)) {
		ui_message(ui, THEME_ERROR, "workflow %s is not running (%s)", w->id, vw_state(ui, w));
		return;
	}
	snprintf(vw->cancel_id, sizeof(vw->cancel_id), "%s", w->id);
	vw->modal = VW_MODAL_CANCEL;
}

void view_workflow_action(struct ui *ui, enum keys_action a)
{
	struct view_workflow *vw = &ui->vw;
	size_t page = (size_t)vw_page();

	if (vw->detail) {
		switch (a) {
		case KEYS_UP: vw->detail_scroll--; break;
		case KEYS_DOWN: vw->detail_scroll++; break;
		case KEYS_PAGE_UP: vw->detail_scroll -= (int)page; break;
		case KEYS_PAGE_DOWN: vw->detail_scroll += (int)page; break;
		case KEYS_HOME: vw->detail_scroll = 0; break;
		case KEYS_BACK: vw->detail = false; break;
		case KEYS_WORKFLOW_CANCEL:
			for (size_t i = 0; i < vw->nruns; i++)
				if (!strcmp(vw->runs[i].id, vw->detail_id))
					vw_cancel_ask(ui, &vw->runs[i]);
			break;
		default: break;
		}
		return;
	}
	switch (a) {
	case KEYS_UP: if (vw->cursor > 0) vw->cursor--; break;
	case KEYS_DOWN: if (vw->cursor + 1 < vw->nruns) vw->cursor++; break;
	case KEYS_PAGE_UP: vw->cursor = vw->cursor > page ? vw->cursor - page : 0; break;
	case KEYS_PAGE_DOWN:
		vw->cursor += page;
		if (vw->cursor >= vw->nruns)
			vw->cursor = vw->nruns ? vw->nruns - 1 : 0;
		break;
	case KEYS_HOME: vw->cursor = 0; break;
	case KEYS_END: vw->cursor = vw->nruns ? vw->nruns - 1 : 0; break;
	case KEYS_BACK: ui->view = UI_VIEW_FLEET; break;
	case KEYS_OPEN:
		if (vw_row(vw, vw->cursor)) {
			snprintf(vw->detail_id, sizeof(vw->detail_id), "%s", vw_row(vw, vw->cursor)->id);
			vw->detail = true;
			vw->detail_scroll = 0;
		}
		break;
	case KEYS_WORKFLOW_CANCEL:
		vw_cancel_ask(ui, vw_row(vw, vw->cursor));
		break;
	default: break;
	}
}

/* Kubernetes mode: the cluster's Templates for W; false (said why)
 * when none can be used. */
static bool vw_kube_templates(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;

	if (!ui->actions || actions_read_only(ui->actions)) {
		ui_message(ui, THEME_ERROR, "read-only: reprovisioning is refused (racktop was "
			   "started with --read-only)");
		return false;
	}
	for (size_t i = 0; i < vw->nktemplates; i++)
		free(vw->ktemplates[i]);
	free(vw->ktemplates);
	kube_templates(ui->kube, &vw->ktemplates, &vw->nktemplates);
	if (!vw->nktemplates) {
		ui_message(ui, THEME_ERROR, "no Templates in the cluster to create a Workflow from");
		return false;
	}
	return true;
}

/* W: the marked hosts, else the one under the cursor (or the host view's). */
static void vw_start_open(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	size_t k = 0, host = (size_t)-1;

	if (ui->kube) {
		if (!vw_kube_templates(ui))
			return;
	} else if (!ui->workflows || !wf_runner_can_start(ui->workflows)) {
		ui_message(ui, THEME_ERROR, "%s",
			   ui->actions && actions_read_only(ui->actions)
			   ? "read-only: workflows are refused (racktop was started with --read-only)"
			   : "workflows: no engine is running (display only)");
		return;
	}
	if (!ui->kube && wf_runner_catalog(ui->workflows)->ntemplates == 0) {
		ui_message(ui, THEME_ERROR, "no templates loaded (doc/workflows.md)");
		return;
	}
	if (ui->view == UI_VIEW_HOST)
		host = ui->vh.host;
	else if (ui->vf.nrows)
		host = ui->vf.rows[ui->vf.cursor];
	free(vw->hosts);
	vw->hosts = calloc(ui->snap.nhosts ? ui->snap.nhosts : 1, sizeof(*vw->hosts));
	if (!vw->hosts)
		return;
	if (ui->view != UI_VIEW_HOST)
		for (size_t i = 0; i < ui->snap.nhosts && i < ui->vf.nmarks; i++)
			if (ui->vf.marked[i])
				vw->hosts[k++] = i;
	vw->from_marks = k > 0;
	if (k == 0 && host < ui->snap.nhosts)
		vw->hosts[k++] = host;
	vw->nhosts = k;
	vw->hidden = targets_hidden(ui, vw->hosts, k);
	if (!k) {
		ui_message(ui, THEME_ERROR, "no host to start a workflow on");
		return;
	}
	vw->choice = 0;
	vw->modal = VW_MODAL_CHOOSE;
}

void view_workflow_global(struct ui *ui, enum keys_action a)
{
	if (a == KEYS_WORKFLOWS_SCREEN) {
		ui->vw.detail = false;
		ui->view = UI_VIEW_WORKFLOWS;
	} else if (a == KEYS_WORKFLOW_START) {
		vw_start_open(ui);
	}
}

bool view_workflow_modal(const struct ui *ui)
{
	return ui->vw.modal != VW_MODAL_NONE;
}

static void vw_targets(const struct ui *ui, char *buf, size_t n)
{
	const struct view_workflow *vw = &ui->vw;

	if (vw->nhosts == 1 && vw->hosts[0] < ui->snap.nhosts)
		snprintf(buf, n, "%s", ui->snap.hosts[vw->hosts[0]].name);
	else
		snprintf(buf, n, "%zu hosts", vw->nhosts);
}

/* Kubernetes mode: a Workflow from the chosen Template for each target
 * (in the Template's namespace: the Hardware's must match). */
static void vw_kube_start(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	const char *full = vw->ktemplates[vw->choice], *slash = strchr(full, '/');
	const char *name = slash ? slash + 1 : full;
	char err[FLEET_ERR + 64] = "", what[FLEET_STR + 32], audit[96];
	size_t sent = 0;

	vw_targets(ui, what, sizeof(what));
	snprintf(audit, sizeof(audit), "reprovision %s", name);
	for (size_t i = 0; i < vw->nhosts; i++) {
		/* The audit log has the request before the cluster does. */
		if (actions_audit_note(ui->actions, vw->hosts[i], audit, "requested", NULL) < 0) {
			if (!actions_audit_failure(ui->actions, err, sizeof(err)))
				snprintf(err, sizeof(err), "the host is no longer in the cluster");
			break;
		}
		if (kube_reprovision(ui->kube, vw->hosts[i], name, err, sizeof(err)) < 0)
			break;
		sent++;
	}
	if (sent < vw->nhosts)
		ui_message(ui, THEME_ERROR, "reprovision %s: %zu of %zu sent: %s", full, sent,
			   vw->nhosts, err);
	else
		ui_message(ui, THEME_MESSAGE, "reprovision %s of %s sent%s: the Workflow%s will show "
			   "in w", full, what, targets_sent(ui, vw->from_marks) ? "; marks cleared" : "",
			   vw->nhosts == 1 ? "" : "s");
}

static void vw_start(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	const struct wf_catalog *cat;
	const struct wf_template *t;
	char err[600] = "", what[FLEET_STR + 32];
	size_t n;

	if (ui->kube) {
		vw_kube_start(ui);
		return;
	}
	cat = wf_runner_catalog(ui->workflows);
	t = &cat->templates[vw->choice];
	vw_targets(ui, what, sizeof(what));
	n = wf_runner_launch(ui->workflows, t->name, vw->hosts, vw->nhosts, "operator", NULL, err,
			     sizeof(err));
	if (n == 0)
		ui_message(ui, THEME_ERROR, "workflow %s not started: %s", t->name, err);
	else if (n < vw->nhosts)
		ui_message(ui, THEME_ERROR, "workflow %s started on %zu of %zu hosts: %s", t->name, n,
			   vw->nhosts, err);
	else
		ui_message(ui, THEME_MESSAGE, "workflow %s started on %s%s (w: workflows)", t->name,
			   what, targets_sent(ui, vw->from_marks) ? "; marks cleared" : "");
}

static size_t vw_ntemplates(const struct ui *ui)
{
	if (ui->kube)
		return ui->vw.nktemplates;
	return ui->workflows ? wf_runner_catalog(ui->workflows)->ntemplates : 0;
}

void view_workflow_modal_key(struct ui *ui, bool keycode, wint_t ch)
{
	struct view_workflow *vw = &ui->vw;
	const struct wf_catalog *cat = ui->workflows && !ui->kube ? wf_runner_catalog(ui->workflows)
				       : NULL;
	bool yes = !keycode && (ch == 'y' || ch == 'Y');

	switch (vw->modal) {
	case VW_MODAL_CHOOSE:
		if ((keycode && ch == KEY_UP) || (!keycode && ch == 'k')) {
			if (vw->choice > 0)
				vw->choice--;
		} else if ((keycode && ch == KEY_DOWN) || (!keycode && ch == 'j')) {
			if (vw->choice + 1 < vw_ntemplates(ui))
				vw->choice++;
		} else if ((keycode && ch == KEY_ENTER) || (!keycode && (ch == '\n' || ch == '\r'))) {
			const struct wf_template *t = cat ? &cat->templates[vw->choice] : NULL;

			if (t && !t->runnable) {
				ui_message(ui, THEME_ERROR, "template %s: %s", t->name, t->not_runnable);
			} else if (vw->nhosts > 1) {
				vw->modal = VW_MODAL_COUNT;
				action_menu_count_ask(ui);
			} else {
				vw->modal = VW_MODAL_START;
			}
		} else if (!keycode && (ch == 27 || ch == 'q')) {
			vw->modal = VW_MODAL_NONE;
			ui_message(ui, THEME_MESSAGE, "no workflow started");
		}
		break;
	case VW_MODAL_START:
		vw->modal = VW_MODAL_NONE;
		if (yes)
			vw_start(ui);
		else
			ui_message(ui, THEME_MESSAGE, "no workflow started");
		break;
	case VW_MODAL_CANCEL: {
		char err[300] = "";

		vw->modal = VW_MODAL_NONE;
		if (!yes)
			ui_message(ui, THEME_MESSAGE, "workflow %s goes on", vw->cancel_id);
		else if (wf_runner_cancel(ui->workflows, vw->cancel_id, err, sizeof(err)) < 0)
			ui_message(ui, THEME_ERROR, "%s", err);
		else
			ui_message(ui, THEME_MESSAGE, "workflow %s: cancelling", vw->cancel_id);
		break;
	}
	default:
		vw->modal = VW_MODAL_NONE;
		break;
	}
}

void view_workflow_prompt_done(struct ui *ui, bool done, const char *text)
{
	struct view_workflow *vw = &ui->vw;
	char why[96], said[128];

	if (vw->modal != VW_MODAL_COUNT)
		return;
	vw->modal = VW_MODAL_NONE;
	if (action_menu_count_ok(done, text, vw->nhosts, why, sizeof(why), said, sizeof(said)))
		vw_start(ui);
	else
		ui_message(ui, THEME_ERROR, "no workflow started: %s", said);
}

bool view_workflow_host_status(struct ui *ui, const char *host, char *buf, size_t n)
{
	struct view_workflow *vw = &ui->vw;
	size_t done, total;

	if (!ui->workflows && !ui->kube)
		return false;
	/* Cheap when nothing changed: the runner's (the cluster's) version
	 * says so. */
	if (ui->kube)
		vw_kube_refresh(ui);
	else
		wf_runner_snapshot(ui->workflows, &vw->version, &vw->runs, &vw->nruns);
	if (vw->cursor >= vw->nruns)
		vw->cursor = vw->nruns ? vw->nruns - 1 : 0;
	for (size_t i = vw->nruns; i-- > 0;) {
		const struct wf_run *w = &vw->runs[i];

		if (w->state != WF_RUNNING || w->interrupted || strcmp(w->host, host))
			continue;
		wf_run_progress(w, &done, &total);
		snprintf(buf, n, "wf %s %zu/%zu", w->template_name, done, total);
		return true;
	}
	return false;
}

size_t view_workflow_running(struct ui *ui, const struct wf_run **runs, size_t max)
{
	struct view_workflow *vw = &ui->vw;
	size_t k = 0;

	if (!ui->workflows || ui->kube)
		return 0;
	wf_runner_snapshot(ui->workflows, &vw->version, &vw->runs, &vw->nruns);
	if (vw->cursor >= vw->nruns)
		vw->cursor = vw->nruns ? vw->nruns - 1 : 0;
	for (size_t i = 0; i < vw->nruns; i++) {
		const struct wf_run *w = &vw->runs[i];

		if (w->interrupted || wf_state_final(w->state) || !strcmp(w->origin, "file"))
			continue;
		if (k < max)
			runs[k] = w;
		k++;
	}
	return k;
}

/* A box in the middle of the screen; returns its top row. */
static int vw_box(int rows, int width, int *x0)
{
	int y0 = (LINES - rows) / 2, x;

	if (y0 < 1)
		y0 = 1;
	if (width > COLS)
		width = COLS;
	x = (COLS - width) / 2;
	for (int r = 0; r <= rows && y0 + r < LINES - 1; r++)
		draw_fill(stdscr, y0 + r, x > 0 ? x - 1 : 0, width + 2, L' ', ' ',
			  theme_attr(r ? THEME_NORMAL : THEME_TITLE));
	*x0 = x;
	return y0;
}

/* The template chooser's box: TITLE on top, N rows (drawn by the
 * caller at the returned y + 1 + i, while on screen), HINT at the foot. */
static int vw_choose_box(size_t n, const char *title, const char *hint, int *x)
{
	int rows = (int)n + 3, y = vw_box(rows, VW_BOX_W, x);

	draw_text(stdscr, y, *x, VW_BOX_W, title, theme_attr(THEME_TITLE) | A_BOLD, DRAW_LEFT);
	if (y + rows - 1 < LINES - 1)
		draw_text(stdscr, y + rows - 1, *x + 1, VW_BOX_W - 2, hint, theme_attr(THEME_MISSING),
			  DRAW_LEFT);
	return y;
}

/* QUESTION, the hosts it starts on (several: by name; how many the
 * filter hides), then y/n or the typed host count (VW_MODAL_COUNT). */
static void vw_confirm_box(struct ui *ui, const char *question)
{
	const struct view_workflow *vw = &ui->vw;
	bool start = vw->modal == VW_MODAL_START || vw->modal == VW_MODAL_COUNT;
	char line[1024], note[64] = "";
	int w = VW_BOX_W + 10 < COLS ? VW_BOX_W + 10 : COLS;
	int names = start && vw->nhosts > 1, rows, x, y;

	if (start)
		targets_hidden_note(vw->nhosts, vw->hidden, note, sizeof(note));
	rows = 3 + names + (note[0] != '\0');
	y = vw_box(rows, w, &x);
	draw_text(stdscr, y, x, w, question, theme_attr(THEME_TITLE) | A_BOLD, DRAW_LEFT);
	if (names && ++y < LINES - 1) {
		line[0] = ' ';
		targets_names(ui, vw->hosts, vw->nhosts, w - 2, line + 1, sizeof(line) - 1);
		draw_text(stdscr, y, x, w, line, theme_attr(THEME_NORMAL), DRAW_LEFT);
	}
	if (note[0] && ++y < LINES - 1) {
		snprintf(line, sizeof(line), " %s", note);
		draw_text(stdscr, y, x, w, line, theme_attr(THEME_WARNING) | A_BOLD, DRAW_LEFT);
	}
	if (vw->modal == VW_MODAL_COUNT)
		action_menu_count_hint(vw->nhosts, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "y: yes   n, Esc: no");
	if (++y < LINES - 1)
		draw_text(stdscr, y, x + 1, w - 2, line, theme_attr(THEME_WARNING), DRAW_LEFT);
}

/* Kubernetes mode's W: the cluster's Templates, then the same y/n or
 * typed count as a local workflow. */
static void vw_kube_modal_draw(struct ui *ui, const char *what)
{
	struct view_workflow *vw = &ui->vw;
	char line[400];
	int x, y;

	if (vw->modal == VW_MODAL_CHOOSE) {
		snprintf(line, sizeof(line), " Reprovision %s: a Workflow from", what);
		y = vw_choose_box(vw->nktemplates, line, "j/k choose   Enter create   Esc: none", &x);
		for (size_t i = 0; i < vw->nktemplates && y + 1 + (int)i < LINES - 1; i++) {
			snprintf(line, sizeof(line), " Template %s", vw->ktemplates[i]);
			draw_text(stdscr, y + 1 + (int)i, x, VW_BOX_W, line,
				  theme_attr(i == vw->choice ? THEME_SELECTED : THEME_NORMAL), DRAW_LEFT);
		}
		return;
	}
	if (vw->modal != VW_MODAL_START && vw->modal != VW_MODAL_COUNT)
		return;
	snprintf(line, sizeof(line), " Reprovision %s from Template %s?", what,
		 vw->choice < vw->nktemplates ? vw->ktemplates[vw->choice] : "?");
	vw_confirm_box(ui, line);
}

void view_workflow_modal_draw(struct ui *ui)
{
	struct view_workflow *vw = &ui->vw;
	const struct wf_catalog *cat = ui->workflows ? wf_runner_catalog(ui->workflows) : NULL;
	char what[FLEET_STR + 32], line[400];
	int x, y;

	if (vw->modal == VW_MODAL_NONE || (!cat && !ui->kube))
		return;
	vw_targets(ui, what, sizeof(what));
	if (ui->kube) {
		vw_kube_modal_draw(ui, what);
		return;
	}
	if (vw->modal == VW_MODAL_CHOOSE) {
		snprintf(line, sizeof(line), " Start a workflow on %s", what);
		y = vw_choose_box(cat->ntemplates, line, "j/k choose   Enter start   Esc: none", &x);
		for (size_t i = 0; i < cat->ntemplates && y + 1 + (int)i < LINES - 1; i++) {
			const struct wf_template *t = &cat->templates[i];
			size_t na = 0;

			for (size_t k = 0; k < t->ntasks; k++)
				na += t->tasks[k].nactions;
			snprintf(line, sizeof(line), " %-16s %zu task%s, %zu action%s%s", t->name,
				 t->ntasks, t->ntasks == 1 ? "" : "s", na, na == 1 ? "" : "s",
				 t->runnable ? "" : "  (Tinkerbell's agent only)");
			draw_text(stdscr, y + 1 + (int)i, x, VW_BOX_W, line,
				  theme_attr(i == vw->choice ? THEME_SELECTED
					     : t->runnable ? THEME_NORMAL : THEME_MISSING), DRAW_LEFT);
		}
		return;
	}
	if (vw->modal == VW_MODAL_START || vw->modal == VW_MODAL_COUNT)
		snprintf(line, sizeof(line), " Start workflow %s on %s?",
			 cat->templates[vw->choice].name, what);
	else
		snprintf(line, sizeof(line), " Cancel workflow %s?", vw->cancel_id);
	vw_confirm_box(ui, line);
}

void view_workflow_free(struct view_workflow *vw)
{
	kube_workflows_free(vw->kwf, vw->kwf ? vw->nruns : 0);
	vw->kwf = NULL;
	wf_runs_free(vw->runs, vw->nruns);
	vw->runs = NULL;
	vw->nruns = 0;
	free(vw->hosts);
	vw->hosts = NULL;
	for (size_t i = 0; i < vw->nktemplates; i++)
		free(vw->ktemplates[i]);
	free(vw->ktemplates);
	vw->ktemplates = NULL;
	vw->nktemplates = 0;
}

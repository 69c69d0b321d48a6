#include "view_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "action_menu.h"
#include "draw.h"
#include "fmt.h"
#include "table.h"
#include "text.h"
#include "theme.h"
#include "ui_state.h"

#define VF_TOP 3                 /* title, summary, header */
/* A host's last action shows in its row (instead of the poll) this long
 * after it ended; a pending or running one shows until it ends. */
#define VF_ACTION_SHOW_S 120
#define VF_ACTION_FAILED_SHOW_S 600

/* Sort directions that read naturally: names A..Z, worst health first,
 * hottest and hungriest first, errors then oldest data first. */
static const struct {
	const char *name;
	bool descending;
} vf_sort_info[VF_COLS] = {
	[VF_COL_NAME] = { "name", false },
	[VF_COL_POWER] = { "power", false },
	[VF_COL_HEALTH] = { "health", true },
	[VF_COL_GPUS] = { "GPUs (worst state)", true },
	[VF_COL_TEMP] = { "temperature", true },
	[VF_COL_WATTS] = { "GPU power", true },
	[VF_COL_STATUS] = { "status", true },
};

static const struct table_col vf_cols_template[VF_COLS] = {
	[VF_COL_NAME] = { "NAME", 12, 24, 0, false, 0, DRAW_LEFT, false, 0, 0 },
	[VF_COL_POWER] = { "POWER", 5, 6, 1, false, 0, DRAW_LEFT, false, 0, 0 },
	[VF_COL_HEALTH] = { "HEALTH", 8, 8, 3, false, 0, DRAW_LEFT, false, 0, 0 },
	[VF_COL_GPUS] = { "GPUS", 10, 11, 2, false, 0, DRAW_LEFT, false, 0, 0 },
	[VF_COL_TEMP] = { "TEMP", 5, 6, 4, false, 0, DRAW_RIGHT, false, 0, 0 },
	[VF_COL_WATTS] = { "GPU W", 6, 7, 5, false, 0, DRAW_RIGHT, false, 0, 0 },
	[VF_COL_STATUS] = { "LAST POLL / ERROR", 10, 10, 0, true, 0, DRAW_LEFT, false, 0, 0 },
};

/* Fleet-wide counts for the summary line, kept from the last rebuild. */
static struct {
	size_t hosts, on, off, unreachable, pending;
	size_t gpus, healthy, warning, critical, unknown;
} vf_sum;

void view_fleet_init(struct view_fleet *vf)
{
	memset(vf, 0, sizeof(*vf));
	vf->sort = VF_COL_NAME;
	vf->dirty = true;
}

void view_fleet_free(struct view_fleet *vf)
{
	filter_clear(&vf->filter);
	free(vf->rows);
	free(vf->match_ver);
	free(vf->match);
	free(vf->marked);
	memset(vf, 0, sizeof(*vf));
}

/* The text a filter sees: what the row says, minus the ticking age. */
static void vf_row_text(const struct fleet_host *h, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s %s %s %s", h->name,
		 h->has_data ? fleet_power_name(h->data.power) : "",
		 h->has_data ? fleet_health_name(h->data.health) : "",
		 h->data.ngpus ? fleet_health_name(fleet_host_worst_gpu(h)) : "",
		 h->error);
}

static int vf_cmp_double(double a, double b)
{
	/* Missing readings sort after every real one, either direction. */
	if (!fleet_has(a) || !fleet_has(b))
		return 0;
	return a < b ? -1 : a > b;
}

static int vf_compare(const void *pa, const void *pb, void *arg)
{
	struct ui *ui = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct fleet_host *a = &ui->snap.hosts[ia], *b = &ui->snap.hosts[ib];
	int col = ui->vf.sort, r = 0;
	bool desc = vf_sort_info[col].descending != ui->vf.sort_reverse;
	double da = NAN, db = NAN;
	int missing = 0;

	switch (col) {
	case VF_COL_NAME:
		r = strverscmp(a->name, b->name);
		break;
	case VF_COL_POWER:
		r = (int)a->data.power - (int)b->data.power;
		break;
	case VF_COL_HEALTH:
		r = (int)a->data.health - (int)b->data.health;
		break;
	case VF_COL_GPUS:
		r = (int)fleet_host_worst_gpu(a) - (int)fleet_host_worst_gpu(b);
		if (r == 0)
			r = (a->data.ngpus > b->data.ngpus) - (a->data.ngpus < b->data.ngpus);
		break;
	case VF_COL_TEMP:
		da = fleet_host_hottest_gpu(a);
		db = fleet_host_hottest_gpu(b);
		break;
	case VF_COL_WATTS:
		da = fleet_host_gpu_power(a);
		db = fleet_host_gpu_power(b);
		break;
	case VF_COL_STATUS:
		/* Errors first (descending), then the stalest data. */
		r = (a->error[0] != 0) - (b->error[0] != 0);
		if (r == 0)
			r = (a->last_good < b->last_good) - (a->last_good > b->last_good);
		break;
	default:
		break;
	}
	if (col == VF_COL_TEMP || col == VF_COL_WATTS) {
		missing = !fleet_has(da) - !fleet_has(db);
		if (missing)
			return missing;
		r = vf_cmp_double(da, db);
	}
	if (desc)
		r = -r;
	if (r == 0)
		r = strverscmp(a->name, b->name);
	if (r == 0)
		r = (ia > ib) - (ia < ib);
	return r;
}

static void vf_summarise(const struct fleet_snapshot *snap)
{
	memset(&vf_sum, 0, sizeof(vf_sum));
	for (size_t i = 0; i < snap->nhosts; i++) {
		const struct fleet_host *h = &snap->hosts[i];

		if (h->gone)
			continue;
		vf_sum.hosts++;
		if (h->error[0])
			vf_sum.unreachable++;
		else if (!h->has_data)
			vf_sum.pending++;
		else if (h->data.power == FLEET_POWER_OFF)
			vf_sum.off++;
		else if (h->data.power == FLEET_POWER_ON)
			vf_sum.on++;
		else
			vf_sum.pending++;
		for (size_t g = 0; g < h->data.ngpus; g++) {
			vf_sum.gpus++;
			switch (h->data.gpus[g].health) {
			case FLEET_HEALTH_OK: vf_sum.healthy++; break;
			case FLEET_HEALTH_WARNING: vf_sum.warning++; break;
			case FLEET_HEALTH_CRITICAL: vf_sum.critical++; break;
			default: vf_sum.unknown++; break;
			}
		}
	}
}

static void vf_grow(struct view_fleet *vf, size_t n)
{
	if (n <= vf->cap)
		return;
	vf->rows = realloc(vf->rows, n * sizeof(*vf->rows));
	vf->match_ver = realloc(vf->match_ver, n * sizeof(*vf->match_ver));
	vf->match = realloc(vf->match, n * sizeof(*vf->match));
	vf->marked = realloc(vf->marked, n * sizeof(*vf->marked));
	if (!vf->rows || !vf->match_ver || !vf->match || !vf->marked)
		abort();
	for (size_t i = vf->nmarks; i < n; i++)
		vf->marked[i] = false;
	vf->nmarks = n;
	vf->cap = n;
}

void view_fleet_rebuild(struct ui *ui)
{
	struct view_fleet *vf = &ui->vf;
	const struct fleet_snapshot *snap = &ui->snap;
	char text[FLEET_STR + FLEET_ERR + 64];

	vf_grow(vf, snap->nhosts);
	/* Only hosts that changed since their last match are matched again. */
	for (size_t i = vf->nmatch; i < snap->nhosts; i++)
		vf->match_ver[i] = 0;
	vf->nmatch = snap->nhosts;
	vf->nrows = 0;
	for (size_t i = 0; i < snap->nhosts; i++) {
		const struct fleet_host *h = &snap->hosts[i];

		if (vf->dirty || vf->match_ver[i] != h->version) {
			vf_row_text(h, text, sizeof(text));
			vf->match[i] = filter_match(&vf->filter, text);
			vf->match_ver[i] = h->version;
		}
		if (vf->match[i] && !h->gone)   /* gone: deleted in the cluster */
			vf->rows[vf->nrows++] = i;
	}
	qsort_r(vf->rows, vf->nrows, sizeof(*vf->rows), vf_compare, ui);
	vf_summarise(snap);
	vf->dirty = false;
	/* Keep the selection on the same host when rows move. */
	if (vf->have_sel) {
		for (size_t r = 0; r < vf->nrows; r++) {
			if (vf->rows[r] == vf->sel_host) {
				vf->cursor = r;
				return;
			}
		}
	}
	if (vf->cursor >= vf->nrows)
		vf->cursor = vf->nrows ? vf->nrows - 1 : 0;
	vf->have_sel = vf->nrows > 0;
	if (vf->have_sel)
		vf->sel_host = vf->rows[vf->cursor];
}

static int vf_page(void)
{
	int n = LINES - VF_TOP - 1;

	return n > 1 ? n : 1;
}

static void vf_move(struct view_fleet *vf, long delta)
{
	long c = (long)vf->cursor + delta;

	if (vf->nrows == 0)
		return;
	if (c < 0)
		c = 0;
	if (c >= (long)vf->nrows)
		c = (long)vf->nrows - 1;
	vf->cursor = (size_t)c;
	vf->sel_host = vf->rows[vf->cursor];
	vf->have_sel = true;
}

void view_fleet_set_filter(struct ui *ui, const char *text)
{
	char err[300];

	if (filter_set(&ui->vf.filter, text, err, sizeof(err)) < 0) {
		ui_message(ui, THEME_ERROR, "%s", err);
		return;
	}
	ui->vf.dirty = true;
	view_fleet_rebuild(ui);
	if (!ui->vf.filter.active)
		ui_message(ui, THEME_MESSAGE, "filter cleared");
}

static void vf_mark(struct view_fleet *vf, size_t host, bool on)
{
	if (host >= vf->nmarks || vf->marked[host] == on)
		return;
	vf->marked[host] = on;
	if (on)
		vf->nmarked++;
	else
		vf->nmarked--;
}

void view_fleet_action(struct ui *ui, enum keys_action a)
{
	struct view_fleet *vf = &ui->vf;

	switch (a) {
	case KEYS_MARK:
		if (vf->nrows == 0)
			break;
		vf_mark(vf, vf->rows[vf->cursor], !vf->marked[vf->rows[vf->cursor]]);
		vf_move(vf, 1);
		ui_message(ui, THEME_MESSAGE, "%zu marked", vf->nmarked);
		break;
	case KEYS_MARK_MATCHING:
		for (size_t r = 0; r < vf->nrows; r++)
			vf_mark(vf, vf->rows[r], true);
		ui_message(ui, THEME_MESSAGE, "%zu marked (every host the filter shows)",
			   vf->nmarked);
		break;
	case KEYS_UNMARK_ALL:
		for (size_t i = 0; i < vf->nmarks; i++)
			vf_mark(vf, i, false);
		ui_message(ui, THEME_MESSAGE, "marks cleared");
		break;
	case KEYS_UP: vf_move(vf, -1); break;
	case KEYS_DOWN: vf_move(vf, 1); break;
	case KEYS_PAGE_UP: vf_move(vf, -vf_page()); break;
	case KEYS_PAGE_DOWN: vf_move(vf, vf_page()); break;
	case KEYS_HOME: vf_move(vf, -(long)vf->nrows); break;
	case KEYS_END: vf_move(vf, (long)vf->nrows); break;
	case KEYS_OPEN:
		if (vf->nrows == 0)
			break;
		view_host_open(ui, vf->rows[vf->cursor]);
		break;
	case KEYS_FILTER:
		prompt_open(&ui->prompt, "Filter /", vf->filter.text);
		break;
	case KEYS_CLEAR_FILTER:
		if (vf->filter.active)
			view_fleet_set_filter(ui, "");
		break;
	case KEYS_SORT_NEXT:
		vf->sort = (vf->sort + 1) % VF_COLS;
		vf->sort_reverse = false;
		vf->dirty = true;
		view_fleet_rebuild(ui);
		ui_message(ui, THEME_MESSAGE, "sorted by %s", vf_sort_info[vf->sort].name);
		break;
	case KEYS_SORT_REVERSE:
		vf->sort_reverse = !vf->sort_reverse;
		vf->dirty = true;
		view_fleet_rebuild(ui);
		ui_message(ui, THEME_MESSAGE, "sorted by %s, %s", vf_sort_info[vf->sort].name,
			   vf->sort_reverse ? "reversed" : "natural order");
		break;
	case KEYS_REFRESH:
		if (vf->nrows)
			ui_refresh_host(ui, vf->rows[vf->cursor]);
		break;
	default:
		break;
	}
}

/* Draws "N label" items left to right; returns the next x. */
static int vf_sum_item(int y, int x, const char *label, size_t v, enum theme_role role,
		       bool always, const char *sep)
{
	char num[32];

	if (!v && !always)
		return x;
	snprintf(num, sizeof(num), "%zu", v);
	x += draw_text_n(stdscr, y, x, COLS - x, num, theme_attr(v ? role : THEME_SUMMARY));
	x += draw_text_n(stdscr, y, x, COLS - x, " ", theme_attr(THEME_SUMMARY));
	x += draw_text_n(stdscr, y, x, COLS - x, label, theme_attr(THEME_SUMMARY));
	x += draw_text_n(stdscr, y, x, COLS - x, sep, theme_attr(THEME_SUMMARY));
	return x;
}

/* The summary's width with long labels, to pick long or short ones. */
static int vf_summary_width(void)
{
	char buf[256];

	snprintf(buf, sizeof(buf),
		 "Hosts %zu: %zu on  %zu off  %zu unreachable  %zu pending    "
		 "GPUs %zu: %zu healthy  %zu warning  %zu critical  %zu unknown",
		 vf_sum.hosts, vf_sum.on, vf_sum.off, vf_sum.unreachable, vf_sum.pending,
		 vf_sum.gpus, vf_sum.healthy, vf_sum.warning, vf_sum.critical, vf_sum.unknown);
	return (int)strlen(buf) - (vf_sum.pending ? 0 : 11) - (vf_sum.unknown ? 0 : 11);
}

static void vf_draw_summary(int y)
{
	char buf[64];
	int x = 0;
	bool narrow = vf_summary_width() > COLS;
	const char *sep = narrow ? " " : "  ";

	snprintf(buf, sizeof(buf), "Hosts %zu: ", vf_sum.hosts);
	x += draw_text_n(stdscr, y, x, COLS, buf, theme_attr(THEME_SUMMARY));
	x = vf_sum_item(y, x, "on", vf_sum.on, THEME_POWER_ON, true, sep);
	x = vf_sum_item(y, x, "off", vf_sum.off, THEME_POWER_OFF, true, sep);
	x = vf_sum_item(y, x, narrow ? "unreach" : "unreachable", vf_sum.unreachable,
			THEME_ERROR, true, sep);
	x = vf_sum_item(y, x, "pending", vf_sum.pending, THEME_MISSING, false, sep);
	snprintf(buf, sizeof(buf), "%sGPUs %zu: ", narrow ? "" : "  ", vf_sum.gpus);
	x += draw_text_n(stdscr, y, x, COLS - x, buf, theme_attr(THEME_SUMMARY));
	x = vf_sum_item(y, x, narrow ? "ok" : "healthy", vf_sum.healthy, THEME_OK, true, sep);
	x = vf_sum_item(y, x, narrow ? "warn" : "warning", vf_sum.warning, THEME_WARNING, true,
			sep);
	x = vf_sum_item(y, x, narrow ? "crit" : "critical", vf_sum.critical, THEME_CRITICAL,
			true, sep);
	vf_sum_item(y, x, "unknown", vf_sum.unknown, THEME_MISSING, false, "");
}

static void vf_layout(struct ui *ui, struct table_col *cols)
{
	int namew = 4;

	memcpy(cols, vf_cols_template, sizeof(vf_cols_template));
	/* The name column wants the widest visible name, within reason. */
	for (size_t r = ui->vf.top; r < ui->vf.nrows && r < ui->vf.top + (size_t)vf_page(); r++) {
		int w = draw_width(ui->snap.hosts[ui->vf.rows[r]].name);

		if (w > namew)
			namew = w;
	}
	/* ... but leaves the last column room for an error message. */
	/* Room for the mark's '*' while any host is marked. */
	cols[VF_COL_NAME].want = namew + 1 + (ui->vf.nmarked ? 1 : 0);
	if (cols[VF_COL_NAME].want > (COLS / 5 > 16 ? COLS / 5 : 16))
		cols[VF_COL_NAME].want = COLS / 5 > 16 ? COLS / 5 : 16;
	if (cols[VF_COL_NAME].want < cols[VF_COL_NAME].min)
		cols[VF_COL_NAME].want = cols[VF_COL_NAME].min;
	table_layout(cols, VF_COLS, COLS);
}

/* Errors read "where: what". The row already names the host, and a
 * narrow column would show only the URL, so the row shows "what"; the
 * host view shows it all. */
static const char *vf_error_text(const char *e)
{
	const char *sep = strstr(e, ": ");

	if (sep && sep[2] && !memchr(e, ' ', (size_t)(sep - e)))
		return sep + 2;
	return e;
}

/* The row shows the last action instead of the poll while it is news. */
static bool vf_action_shown(const struct fleet_host *h, time_t now)
{
	if (!h->action[0] || h->action_state == FLEET_ACTION_NONE)
		return false;
	if (h->action_state == FLEET_ACTION_PENDING || h->action_state == FLEET_ACTION_RUNNING)
		return true;
	return now - h->action_time < (h->action_state == FLEET_ACTION_DONE ?
				       VF_ACTION_SHOW_S : VF_ACTION_FAILED_SHOW_S);
}

static void vf_draw_row(struct ui *ui, int y, const struct fleet_host *h,
			const struct table_col *cols, bool selected)
{
	char buf[FLEET_ERR + 32];
	attr_t sel = theme_attr(THEME_SELECTED);
#define VF_ATTR(role) (selected ? sel : theme_attr(role))

	size_t idx = (size_t)(h - ui->snap.hosts);
	bool marked = idx < ui->vf.nmarks && ui->vf.marked[idx];

	if (selected)
		draw_fill(stdscr, y, 0, COLS, L' ', ' ', sel);
	/* A mark is a leading '*', bold: plain ASCII, seen without colour. */
	if (marked) {
		snprintf(buf, sizeof(buf), "*%s", h->name);
		table_cell(stdscr, y, 0, &cols[VF_COL_NAME], buf, VF_ATTR(THEME_NORMAL) | A_BOLD);
	} else {
		table_cell(stdscr, y, 0, &cols[VF_COL_NAME], h->name, VF_ATTR(THEME_NORMAL));
	}
	if (h->has_data) {
		enum fleet_power p = h->data.power;
		enum fleet_health wg = fleet_host_worst_gpu(h);

		table_cell(stdscr, y, 0, &cols[VF_COL_POWER], fmt_power(p),
			   VF_ATTR(p == FLEET_POWER_ON ? THEME_POWER_ON :
				   p == FLEET_POWER_UNKNOWN ? THEME_MISSING : THEME_POWER_OFF));
		table_cell(stdscr, y, 0, &cols[VF_COL_HEALTH], fmt_health(h->data.health),
			   VF_ATTR(theme_health_role(h->data.health)));
		/* Count and worst state share a column: "8 Critical". */
		if (h->data.ngpus)
			snprintf(buf, sizeof(buf), "%zu %s", h->data.ngpus, fmt_health(wg));
		else
			snprintf(buf, sizeof(buf), "0");
		table_cell(stdscr, y, 0, &cols[VF_COL_GPUS], buf,
			   VF_ATTR(h->data.ngpus ? theme_health_role(wg) : THEME_NORMAL));
		fmt_temp(buf, sizeof(buf), fleet_host_hottest_gpu(h));
		table_cell(stdscr, y, 0, &cols[VF_COL_TEMP], buf,
			   VF_ATTR(fleet_has(fleet_host_hottest_gpu(h)) ? THEME_NORMAL : THEME_MISSING));
		fmt_watts(buf, sizeof(buf), fleet_host_gpu_power(h));
		table_cell(stdscr, y, 0, &cols[VF_COL_WATTS], buf,
			   VF_ATTR(fleet_has(fleet_host_gpu_power(h)) ? THEME_NORMAL : THEME_MISSING));
	} else {
		for (int c = VF_COL_POWER; c <= VF_COL_WATTS; c++)
			table_cell(stdscr, y, 0, &cols[c], FMT_MISSING, VF_ATTR(THEME_MISSING));
	}
	if (view_workflow_host_status(ui, h->name, buf, sizeof(buf))) {
		/* A running workflow says more than its current BMC action. */
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf, VF_ATTR(THEME_WARNING));
		ui->shows_age = true;
	} else if (vf_action_shown(h, ui->now)) {
		action_menu_record(h, ui->now, buf, sizeof(buf));
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf,
			   VF_ATTR(h->action_state == FLEET_ACTION_FAILED ? THEME_ERROR :
				   h->action_state == FLEET_ACTION_DONE ? THEME_OK : THEME_MISSING));
		ui->shows_age = true;
	} else if (h->error[0]) {
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], vf_error_text(h->error),
			   VF_ATTR(THEME_ERROR));
	} else if (h->has_data) {
		fmt_age(buf, sizeof(buf), h->last_good, ui->now);
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf, VF_ATTR(THEME_NORMAL));
		ui->shows_age = true;
	} else {
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], "waiting for first poll",
			   VF_ATTR(THEME_MISSING));
	}
#undef VF_ATTR
}

void view_fleet_draw(struct ui *ui)
{
	struct view_fleet *vf = &ui->vf;
	struct table_col cols[VF_COLS];
	char right[320];
	size_t page = (size_t)vf_page();
	bool desc = vf_sort_info[vf->sort].descending != vf->sort_reverse;

	/* Scroll so the cursor stays in view. */
	if (vf->cursor < vf->top)
		vf->top = vf->cursor;
	if (vf->cursor >= vf->top + page)
		vf->top = vf->cursor - page + 1;
	if (vf->top + page > vf->nrows)
		vf->top = vf->nrows > page ? vf->nrows - page : 0;

	/* Kubernetes mode: a broken watch means a stale picture; that wins
	 * the title's right side (fleet_set_source_status). */
	if (fleet_source_status(ui->fleet, right, sizeof(right)) && COLS > 24 &&
	    draw_width(right) > COLS - 12) {
		char cut[sizeof(right)];

		text_copy(cut, (size_t)(COLS - 12) < sizeof(cut) ? (size_t)(COLS - 12) : sizeof(cut),
			  right);
		memcpy(right, cut, sizeof(cut));
	}
	if (!right[0])
		snprintf(right, sizeof(right), "sort: %s %s", vf_sort_info[vf->sort].name,
			 desc ? (draw_utf8() ? "\u25bc" : "v") : (draw_utf8() ? "\u25b2" : "^"));
	ui_draw_title(ui, ui->title, right);
	vf_draw_summary(1);
	vf_layout(ui, cols);
	table_draw_header(stdscr, 2, 0, COLS, cols, VF_COLS, vf->sort, desc,
			  theme_attr(THEME_HEADER), theme_attr(THEME_HEADER_SORT));
	for (size_t r = vf->top; r < vf->nrows && r < vf->top + page; r++)
		vf_draw_row(ui, VF_TOP + (int)(r - vf->top), &ui->snap.hosts[vf->rows[r]], cols,
			    r == vf->cursor);
	if (vf->nrows == 0)
		draw_text(stdscr, VF_TOP, 1, COLS - 1,
			  ui->snap.nhosts ? "no host matches the filter (Esc clears it)" :
			  "no hosts in the inventory", theme_attr(THEME_MISSING), DRAW_LEFT);
}

/* For the status line: "filter: /x/ 2 of 10 hosts" or "10 hosts". */
void view_fleet_status(struct ui *ui, char *buf, size_t n)
{
	char marks[40] = "";

	if (ui->vf.nmarked)
		snprintf(marks, sizeof(marks), "%zu marked  ", ui->vf.nmarked);
	if (ui->vf.filter.active)
		snprintf(buf, n, "%sfilter: /%s/  %zu of %zu hosts", marks, ui->vf.filter.text,
			 ui->vf.nrows, ui->snap.nhosts);
	else if (ui->snap.nhosts)
		snprintf(buf, n, "%shost %zu of %zu", marks, ui->vf.nrows ? ui->vf.cursor + 1 : 0,
			 ui->snap.nhosts);
	else
		buf[0] = '\0';
}

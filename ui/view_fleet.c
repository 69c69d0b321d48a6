#include "view_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "action_menu.h"
#include "draw.h"
#include "filter_host.h"
#include "fmt.h"
#include "problem.h"
#include "sort_menu.h"
#include "table.h"
#include "text.h"
#include "theme.h"
#include "ui_state.h"

#define VF_TOP 3                 /* title, summary, header */
/* A host's last action shows in its row (instead of the poll) this long
 * after it ended; a pending or running one shows until it ends. */
#define VF_ACTION_SHOW_S 120
#define VF_ACTION_FAILED_SHOW_S 600

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
struct vf_sum {
	size_t hosts, on, off, unreachable, pending;
	size_t powering_on, powering_off;   /* the BMC says so: not pending */
	size_t gpus, healthy, warning, critical, unknown;
};
static struct vf_sum vf_sum;

/* What a rebuild needs of one host, worked out once per change of the
 * host (its version), not once per comparison or frame: with 10,000
 * hosts, reading every GPU of every host on each frame (80,000 GPUs, a
 * cache miss each) was most of a frame's time. */
struct vf_host_cache {
	uint64_t ver;            /* the host version this was worked out at */
	bool valid;
	double hottest;          /* fleet_host_hottest_gpu() */
	double watts;            /* fleet_host_gpu_power() */
	int worst;               /* fleet_host_worst_gpu() */
	/* the rest vf_compare() reads: sorting touches only this array */
	int power, health;
	bool error;
	time_t last_good;
	size_t ngpus;
	struct vf_sum sum;       /* this host's part of the summary */
	char *text;              /* what the filter sees (filter_host_fields) */
	unsigned off[FILTER_FIELDS]; /* where in TEXT each field starts */
};

struct vf_cache {
	struct vf_host_cache *h;
	size_t n;
	/* Each host's place in name order (strverscmp, then index). Names
	 * are fixed once a host is added (fleet.h), so this changes only
	 * when hosts are added. */
	unsigned *rank;
	size_t nranked;
};

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
	if (vf->cache) {
		for (size_t i = 0; i < vf->cache->n; i++)
			free(vf->cache->h[i].text);
		free(vf->cache->h);
		free(vf->cache->rank);
		free(vf->cache);
	}
	memset(vf, 0, sizeof(*vf));
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
	const struct vf_cache *c = ui->vf.cache;
	const struct vf_host_cache *a = &c->h[ia], *b = &c->h[ib];
	int col = ui->vf.sort, r = 0;
	bool desc = sort_menu_info(col)->descending != ui->vf.sort_reverse;
	double da = NAN, db = NAN;
	int missing = 0;

	switch (col) {
	case VF_COL_NAME:
		r = (c->rank[ia] > c->rank[ib]) - (c->rank[ia] < c->rank[ib]);
		break;
	case VF_COL_POWER:
		r = a->power - b->power;
		break;
	case VF_COL_HEALTH:
		r = a->health - b->health;
		break;
	case VF_COL_GPUS:
		r = a->worst - b->worst;
		if (r == 0)
			r = (a->ngpus > b->ngpus) - (a->ngpus < b->ngpus);
		break;
	case VF_COL_TEMP:
		da = a->hottest;
		db = b->hottest;
		break;
	case VF_COL_WATTS:
		da = a->watts;
		db = b->watts;
		break;
	case VF_COL_STATUS:
		/* Errors first (descending), then the stalest data. */
		r = a->error - b->error;
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
	if (r == 0)   /* then by name, then by index: the ranks say both */
		r = (c->rank[ia] > c->rank[ib]) - (c->rank[ia] < c->rank[ib]);
	return r;
}

/* Host H's part of the summary line. */
static void vf_summarise_host(const struct fleet_host *h, struct vf_sum *s)
{
	memset(s, 0, sizeof(*s));
	if (h->gone)
		return;
	s->hosts++;
	if (h->error[0])
		s->unreachable++;
	else if (!h->has_data)
		s->pending++;
	else if (h->data.power == FLEET_POWER_OFF)
		s->off++;
	else if (h->data.power == FLEET_POWER_ON)
		s->on++;
	else if (h->data.power == FLEET_POWER_POWERING_OFF)
		s->powering_off++;
	else if (h->data.power == FLEET_POWER_POWERING_ON)
		s->powering_on++;
	else
		s->pending++;
	for (size_t g = 0; g < h->data.ngpus; g++) {
		s->gpus++;
		/* What a host said before it stopped answering is not now. */
		switch (fleet_host_stale(h) ? FLEET_HEALTH_UNKNOWN : h->data.gpus[g].health) {
		case FLEET_HEALTH_OK: s->healthy++; break;
		case FLEET_HEALTH_WARNING: s->warning++; break;
		case FLEET_HEALTH_CRITICAL: s->critical++; break;
		default: s->unknown++; break;
		}
	}
}

static void vf_sum_add(struct vf_sum *t, const struct vf_sum *s, int sign)
{
	size_t *a = (size_t *)t;
	const size_t *b = (const size_t *)s;

	for (size_t k = 0; k < sizeof(*t) / sizeof(size_t); k++)
		a[k] += sign > 0 ? b[k] : -b[k];
}

static struct vf_cache *vf_cache_get(struct view_fleet *vf)
{
	if (!vf->cache) {
		vf->cache = calloc(1, sizeof(*vf->cache));
		if (!vf->cache)
			abort();
		/* A new cache: the summary is built up from nothing. */
		memset(&vf_sum, 0, sizeof(vf_sum));
	}
	return vf->cache;
}

/* Brings host I's cache entry (keys, summary part) up to date. */
static void vf_cache_host(struct vf_cache *c, size_t i, const struct fleet_host *h)
{
	struct vf_host_cache *e = &c->h[i];

	if (e->valid && e->ver == h->version)
		return;
	if (e->valid)
		vf_sum_add(&vf_sum, &e->sum, -1);
	e->ver = h->version;
	e->valid = true;
	e->hottest = fleet_host_hottest_gpu(h);
	e->watts = fleet_host_gpu_power(h);
	e->worst = (int)fleet_host_worst_gpu(h);
	e->power = (int)h->data.power;
	/* Worst first: no answer (stale or never), Critical, Warning, OK. */
	e->health = (int)problem_health_rank(h);
	if (fleet_host_stale(h))   /* its GPUs are in an unknown state now */
		e->worst = FLEET_HEALTH_UNKNOWN;
	e->error = h->error[0] != 0;
	e->last_good = h->last_good;
	e->ngpus = h->data.ngpus;
	free(e->text);
	e->text = filter_host_fields(h, e->off);
	vf_summarise_host(h, &e->sum);
	vf_sum_add(&vf_sum, &e->sum, 1);
}

static const struct fleet_snapshot *vf_rank_snap;

static int vf_rank_cmp(const void *pa, const void *pb)
{
	size_t ia = *(const unsigned *)pa, ib = *(const unsigned *)pb;
	int r = strverscmp(vf_rank_snap->hosts[ia].name, vf_rank_snap->hosts[ib].name);

	return r ? r : (ia > ib) - (ia < ib);
}

/* Grows the cache to the snapshot; ranks names again if hosts came. */
static void vf_cache_grow(struct vf_cache *c, const struct fleet_snapshot *snap)
{
	unsigned *order;

	if (snap->nhosts > c->n) {
		c->h = realloc(c->h, snap->nhosts * sizeof(*c->h));
		if (!c->h)
			abort();
		memset(c->h + c->n, 0, (snap->nhosts - c->n) * sizeof(*c->h));
		c->n = snap->nhosts;
	}
	if (c->nranked == snap->nhosts)
		return;
	c->rank = realloc(c->rank, (snap->nhosts ? snap->nhosts : 1) * sizeof(*c->rank));
	order = malloc((snap->nhosts ? snap->nhosts : 1) * sizeof(*order));
	if (!c->rank || !order)
		abort();
	for (size_t i = 0; i < snap->nhosts; i++)
		order[i] = (unsigned)i;
	vf_rank_snap = snap;
	qsort(order, snap->nhosts, sizeof(*order), vf_rank_cmp);
	for (size_t r = 0; r < snap->nhosts; r++)
		c->rank[order[r]] = (unsigned)r;
	free(order);
	c->nranked = snap->nhosts;
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
	struct vf_cache *c = vf_cache_get(vf);

	vf_grow(vf, snap->nhosts);
	vf_cache_grow(c, snap);
	/* Only hosts that changed since their last match are matched again. */
	for (size_t i = vf->nmatch; i < snap->nhosts; i++)
		vf->match_ver[i] = 0;
	vf->nmatch = snap->nhosts;
	vf->nrows = 0;
	for (size_t i = 0; i < snap->nhosts; i++) {
		const struct fleet_host *h = &snap->hosts[i];

		vf_cache_host(c, i, h);
		if (vf->dirty || vf->match_ver[i] != h->version) {
			struct filter_row row;

			for (int k = 0; k < FILTER_FIELDS; k++)
				row.field[k] = c->h[i].text + c->h[i].off[k];
			vf->match[i] = filter_match(&vf->filter, &row);
			vf->match_ver[i] = h->version;
		}
		if (vf->match[i] && !h->gone)   /* gone: deleted in the cluster */
			vf->rows[vf->nrows++] = i;
	}
	qsort_r(vf->rows, vf->nrows, sizeof(*vf->rows), vf_compare, ui);
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

/* The filter becomes TEXT; on a bad term the old one stays and ERR (when
 * given) says why. 0 or -1. */
static int vf_filter_apply(struct ui *ui, const char *text, char *err, size_t errlen)
{
	char buf[300];

	if (!err) {
		err = buf;
		errlen = sizeof(buf);
	}
	if (!strcmp(text, ui->vf.filter.text) && ui->vf.filter.active == (text[0] != '\0'))
		return 0;
	if (filter_set(&ui->vf.filter, text, err, errlen) < 0)
		return -1;
	ui->vf.dirty = true;
	view_fleet_rebuild(ui);
	return 0;
}

void view_fleet_set_filter(struct ui *ui, const char *text)
{
	char err[300];

	if (vf_filter_apply(ui, text, err, sizeof(err)) < 0) {
		ui_message(ui, THEME_ERROR, "%s", err);
		return;
	}
	if (!ui->vf.filter.active)
		ui_message(ui, THEME_MESSAGE, "filter cleared");
	else if (ui->vf.filter.note[0])
		ui_message(ui, THEME_WARNING, "%s", ui->vf.filter.note);
}

void view_fleet_filter_key(struct ui *ui, enum prompt_result r)
{
	struct view_fleet *vf = &ui->vf;
	char text[PROMPT_MAX * 4], err[300];

	prompt_text(&ui->prompt, text, sizeof(text));
	switch (r) {
	case PROMPT_EDITING:
		/* The rows follow each key; a term not yet complete ("node-0[")
		 * leaves the last one that compiled. */
		vf_filter_apply(ui, text, NULL, 0);
		return;
	case PROMPT_DONE:
		vf->filtering = false;
		if (vf_filter_apply(ui, text, err, sizeof(err)) < 0) {
			/* Enter on a bad filter keeps the one from before the prompt. */
			vf_filter_apply(ui, vf->filter_before, NULL, 0);
			ui_message(ui, THEME_ERROR, "%s", err);
			return;
		}
		view_fleet_set_filter(ui, text);
		return;
	default:
		/* Esc: the filter from before the prompt comes back. */
		vf->filtering = false;
		vf_filter_apply(ui, vf->filter_before, NULL, 0);
		return;
	}
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

void view_fleet_sort(struct ui *ui, int col)
{
	struct view_fleet *vf = &ui->vf;

	if (col == vf->sort) {
		vf->sort_reverse = !vf->sort_reverse;
	} else {
		vf->sort = col;
		vf->sort_reverse = false;
	}
	/* A new order is read from its top: the cursor goes to the first row. */
	vf->cursor = 0;
	vf->top = 0;
	vf->have_sel = false;
	vf->dirty = true;
	view_fleet_rebuild(ui);
	ui_message(ui, THEME_MESSAGE, "sorted by %s, %s", sort_menu_info(vf->sort)->name,
		   vf->sort_reverse ? "reversed" : "natural order");
}

/* ] and [: the cursor to the next (DIR 1) or previous host in trouble. */
static void vf_problem(struct ui *ui, int dir)
{
	struct view_fleet *vf = &ui->vf;
	size_t r = problem_step(ui->snap.hosts, vf->rows, vf->nrows, vf->cursor, dir);
	char why[64];

	if (r == PROBLEM_NONE) {
		ui_message(ui, THEME_MESSAGE, "no problem in %s (unreachable, critical, warning, "
			   "a failed action)", vf->filter.active ? "the hosts the filter shows" :
			   "the fleet");
		return;
	}
	vf->cursor = r;
	vf->sel_host = vf->rows[r];
	vf->have_sel = true;
	problem_why(&ui->snap.hosts[vf->rows[r]], why, sizeof(why));
	ui_message(ui, THEME_WARNING, "%s: %s (%zu with a problem)", ui->snap.hosts[vf->rows[r]].name,
		   why, problem_count(ui->snap.hosts, vf->rows, vf->nrows));
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
		/* Applied as it is typed; Esc puts this one back. */
		snprintf(vf->filter_before, sizeof(vf->filter_before), "%s", vf->filter.text);
		vf->filtering = true;
		prompt_open(&ui->prompt, "Filter /", vf->filter.text);
		break;
	case KEYS_CLEAR_FILTER:
		if (vf->filter.active)
			view_fleet_set_filter(ui, "");
		break;
	case KEYS_SORT_CHOOSE:
		sort_menu_open(ui);
		break;
	case KEYS_SORT_REVERSE:
		view_fleet_sort(ui, vf->sort);
		break;
	case KEYS_PROBLEM_NEXT:
	case KEYS_PROBLEM_PREV:
		vf_problem(ui, a == KEYS_PROBLEM_NEXT ? 1 : -1);
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
		 "Hosts %zu: %zu on  %zu off  %zu powering on  %zu powering off  "
		 "%zu unreachable  %zu pending    "
		 "GPUs %zu: %zu healthy  %zu warning  %zu critical  %zu unknown",
		 vf_sum.hosts, vf_sum.on, vf_sum.off, vf_sum.powering_on, vf_sum.powering_off,
		 vf_sum.unreachable, vf_sum.pending,
		 vf_sum.gpus, vf_sum.healthy, vf_sum.warning, vf_sum.critical, vf_sum.unknown);
	return (int)strlen(buf) - (vf_sum.pending ? 0 : 11) - (vf_sum.unknown ? 0 : 11) -
	       (vf_sum.powering_on ? 0 : 15) - (vf_sum.powering_off ? 0 : 16);
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
	x = vf_sum_item(y, x, "powering on", vf_sum.powering_on, THEME_POWER_ON, false, sep);
	x = vf_sum_item(y, x, "powering off", vf_sum.powering_off, THEME_POWER_OFF, false, sep);
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
	if (h->action_state == FLEET_ACTION_PENDING || h->action_state == FLEET_ACTION_RUNNING ||
	    h->action_state == FLEET_ACTION_ACCEPTED)
		return true;
	return now - h->action_time < (h->action_state == FLEET_ACTION_DONE ?
				       VF_ACTION_SHOW_S : VF_ACTION_FAILED_SHOW_S);
}

/* A stale host's cells: its last readings dimmed, each with the stale
 * mark (seen without colour too); health is the failure, never OK. */
static void vf_draw_stale_cells(int y, const struct fleet_host *h, const struct table_col *cols,
				bool selected)
{
	char buf[64], val[48];
	attr_t dim = (selected ? theme_attr(THEME_SELECTED) : theme_attr(THEME_NORMAL)) | A_DIM;

	snprintf(buf, sizeof(buf), "%s" FMT_STALE, fmt_power(h->data.power));
	table_cell(stdscr, y, 0, &cols[VF_COL_POWER], buf, dim);
	table_cell(stdscr, y, 0, &cols[VF_COL_HEALTH], fleet_error_class(h->error),
		   selected ? theme_attr(THEME_SELECTED) : theme_attr(THEME_ERROR));
	if (h->data.ngpus || h->data.gpus_read)
		snprintf(buf, sizeof(buf), "%zu " FMT_STALE, h->data.ngpus);
	else
		snprintf(buf, sizeof(buf), FMT_MISSING);   /* never read: none known */
	table_cell(stdscr, y, 0, &cols[VF_COL_GPUS], buf, dim);
	fmt_temp(val, sizeof(val), fleet_host_hottest_gpu(h));
	snprintf(buf, sizeof(buf), "%s%s", val, strcmp(val, FMT_MISSING) ? FMT_STALE : "");
	table_cell(stdscr, y, 0, &cols[VF_COL_TEMP], buf, dim);
	fmt_watts(val, sizeof(val), fleet_host_gpu_power(h));
	snprintf(buf, sizeof(buf), "%s%s", val, strcmp(val, FMT_MISSING) ? FMT_STALE : "");
	table_cell(stdscr, y, 0, &cols[VF_COL_WATTS], buf, dim);
}

/* The last action for the row: a failure says why in few words ("on:
 * failed: connection refused"), whatever the host's poll said; the
 * host view has the whole answer. */
static void vf_action_text(const struct fleet_host *h, time_t now, char *buf, size_t n)
{
	const struct action_info *ai = actions_by_record(h->action);
	char why[FLEET_ERR - 64];   /* room for the word in a row's buffer */

	if (h->action_state != FLEET_ACTION_FAILED || !strncmp(h->action_result, "not reached", 11)) {
		action_menu_record(h, now, buf, n);
		return;
	}
	fmt_why(why, sizeof(why), h->action_result[0] ? h->action_result : "no reason given");
	snprintf(buf, n, "%s: failed: %s", ai ? ai->word : h->action, why);
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
	if (fleet_host_stale(h)) {
		vf_draw_stale_cells(y, h, cols, selected);
	} else if (h->has_data) {
		enum fleet_power p = h->data.power;
		enum fleet_health wg = fleet_host_worst_gpu(h);

		table_cell(stdscr, y, 0, &cols[VF_COL_POWER], fmt_power(p),
			   VF_ATTR(p == FLEET_POWER_ON ? THEME_POWER_ON :
				   p == FLEET_POWER_UNKNOWN ? THEME_MISSING : THEME_POWER_OFF));
		table_cell(stdscr, y, 0, &cols[VF_COL_HEALTH], fmt_health(h->data.health),
			   VF_ATTR(theme_health_role(h->data.health)));
		/* Count and states share a column: "8 OK", "7 OK 1 abs" (an
		 * absent GPU is never hidden in "8 Critical"); "-" when the
		 * GPUs were not read (0 would say there are none). */
		if (h->data.ngpus) {
			struct fleet_gpu_counts gc;

			fleet_host_gpu_counts(h, &gc);
			fmt_gpu_states(buf, sizeof(buf), &gc, cols[VF_COL_GPUS].width);
		} else
			snprintf(buf, sizeof(buf), "%s", h->data.gpus_read ? "0" : FMT_MISSING);
		table_cell(stdscr, y, 0, &cols[VF_COL_GPUS], buf,
			   VF_ATTR(h->data.ngpus ? theme_health_role(wg) :
				   h->data.gpus_read ? THEME_NORMAL : THEME_MISSING));
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
		vf_action_text(h, ui->now, buf, sizeof(buf));
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf,
			   VF_ATTR(h->action_state == FLEET_ACTION_FAILED ? THEME_ERROR :
				   h->action_state == FLEET_ACTION_DONE ? THEME_OK : THEME_MISSING));
		ui->shows_age = true;
	} else if (fleet_host_stale(h)) {
		/* How old the readings are, then why they are not newer. */
		char age[16], why[FLEET_ERR - 32];

		fmt_age_short(age, sizeof(age), h->last_good, ui->now);
		fmt_why(why, sizeof(why), h->error);
		snprintf(buf, sizeof(buf), "stale %s: %s", age, vf_error_text(why));
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf, VF_ATTR(THEME_ERROR));
		ui->shows_age = true;
	} else if (h->error[0]) {
		char why[FLEET_ERR];

		fmt_why(why, sizeof(why), h->error);
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], vf_error_text(why),
			   VF_ATTR(THEME_ERROR));
	} else if (h->has_data) {
		fmt_age(buf, sizeof(buf), h->last_good, ui->now);
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf, VF_ATTR(THEME_NORMAL));
		ui->shows_age = true;
	} else if (h->first_poll_started) {
		/* A slow BMC's first poll takes minutes: show that it moves. */
		long long d = (long long)(ui->now - h->first_poll_started);

		d = d < 0 ? 0 : d;
		if (d < 60)
			snprintf(buf, sizeof(buf), "first poll: %llds", d);
		else
			snprintf(buf, sizeof(buf), "first poll: %lldm%02llds", d / 60, d % 60);
		if (h->first_poll_answers)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 ", %u requests, slowest %.1f s", h->first_poll_answers,
				 h->first_poll_slowest_s);
		table_cell(stdscr, y, 0, &cols[VF_COL_STATUS], buf, VF_ATTR(THEME_MISSING));
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
	bool desc = sort_menu_info(vf->sort)->descending != vf->sort_reverse;

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
		snprintf(right, sizeof(right), "sort: %s %s", sort_menu_info(vf->sort)->name,
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
	sort_menu_draw(ui);
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

#include "view_host.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "action_menu.h"
#include "draw.h"
#include "fmt.h"
#include "meter.h"
#include "table.h"
#include "theme.h"
#include "ui_state.h"

#define VH_TOP 1                 /* below the title bar */

/* The page is drawn line by line; lines above the scroll position or
 * below the screen are counted but not drawn. */
struct vh_page {
	int line;                /* next page line */
	int scroll;
	int rows;                /* screen rows for the page */
};

/* Screen row of the next page line, or -1 when it is off screen. */
static int vh_next(struct vh_page *pg)
{
	int l = pg->line++;

	if (l < pg->scroll || l >= pg->scroll + pg->rows)
		return -1;
	return VH_TOP + l - pg->scroll;
}

static int vh_page_rows(void)
{
	int n = LINES - VH_TOP - 1;

	return n > 1 ? n : 1;
}

void view_host_open(struct ui *ui, size_t host)
{
	if (host >= ui->snap.nhosts)
		return;
	ui->vh.host = host;
	ui->vh.scroll = 0;
	ui->view = UI_VIEW_HOST;
}

static void vh_section(struct vh_page *pg, const char *title)
{
	int y = vh_next(pg);
	int x;

	if (y < 0)
		return;
	draw_hline(stdscr, y, 0, 2, theme_attr(THEME_SECTION));
	x = 2 + draw_text_n(stdscr, y, 2, COLS - 2, " ", theme_attr(THEME_SECTION));
	x += draw_text_n(stdscr, y, x, COLS - x, title, theme_attr(THEME_SECTION));
	x += draw_text_n(stdscr, y, x, COLS - x, " ", theme_attr(THEME_SECTION));
	draw_hline(stdscr, y, x, COLS - x, theme_attr(THEME_SECTION));
}

/* One "label  value" field at X, WIDTH cells in all. */
static void vh_field(int y, int x, int width, const char *label, const char *value,
		     enum theme_role role)
{
	int lw = 13;

	if (y < 0 || width <= 0)
		return;
	if (lw > width / 2)
		lw = width / 2;
	draw_text(stdscr, y, x, lw, label, theme_attr(THEME_LABEL), DRAW_LEFT);
	draw_text(stdscr, y, x + lw, width - lw - 1,
		  value && *value ? value : FMT_MISSING,
		  theme_attr(value && *value ? role : THEME_MISSING), DRAW_LEFT);
}

/* The bytes of P, at most, that fit W cells: up to a space when one
 * does, else as many whole characters as fit. */
static size_t vh_fit(const char *p, int w)
{
	char tmp[2 * FLEET_ERR + 96];
	size_t len = strlen(p), best = 0, last = 0;

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	for (size_t i = 1; i <= len; i++) {
		bool sp = i == len || p[i] == ' ';
		bool boundary = i == len || ((unsigned char)p[i] & 0xc0) != 0x80;

		if (!boundary || (!sp && best))
			continue;
		memcpy(tmp, p, i);
		tmp[i] = '\0';
		if (draw_width(tmp) > w)
			break;
		if (sp)
			best = i;
		else
			last = i;
	}
	return best ? best : last ? last : 1;
}

/* A field whose VALUE may take up to MAXLINES lines: an error or an
 * action's answer says why at its end, which one line would cut. */
static void vh_field_wrap(struct vh_page *pg, const char *label, const char *value,
			  enum theme_role role, int maxlines)
{
	char chunk[2 * FLEET_ERR + 96];
	int width = COLS - 1, lw = 13, w;
	const char *p = value;

	if (lw > width / 2)
		lw = width / 2;
	w = width - lw - 1;
	for (int line = 0; line < maxlines && (*p || line == 0); line++) {
		size_t cut = strlen(p);

		if (line < maxlines - 1 && w > 8 && draw_width(p) > w)
			cut = vh_fit(p, w);
		snprintf(chunk, sizeof(chunk), "%.*s", (int)cut, p);
		vh_field(vh_next(pg), 1, width, line ? "" : label, chunk, role);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

struct vh_kv {
	const char *label;
	char value[FLEET_ERR + 32];
	enum theme_role role;
};

static void vh_inventory(struct ui *ui, struct vh_page *pg, const struct fleet_host *h)
{
	struct vh_kv kv[14];
	size_t n = 0, half;
	bool two = COLS >= 72, stale = fleet_host_stale(h);
	int colw = two ? COLS / 2 : COLS;

#define VH_KV(l, r, ...) do { \
		kv[n].label = (l); kv[n].role = (r); \
		snprintf(kv[n].value, sizeof(kv[n].value), __VA_ARGS__); n++; \
	} while (0)
	/* Left column: identity and how it is reached; right: what it is. */
	VH_KV("Name", THEME_NORMAL, "%s", h->name);
	VH_KV("BMC", THEME_NORMAL, "%s", h->bmc);
	/* Which protocol the readings came from (IPMI when Redfish failed). */
	if (h->has_data && h->data.source != h->protocol)
		VH_KV("Protocol", THEME_NORMAL, "%s; readings from %s",
		      fleet_protocol_name(h->protocol), fleet_protocol_name(h->data.source));
	else
		VH_KV("Protocol", THEME_NORMAL, "%s", fleet_protocol_name(h->protocol));
	VH_KV("Credential", THEME_NORMAL, "%s", h->cred_ref);
	if (stale) {
		/* What it said last is not what it is now: the failure is. */
		VH_KV("Power", THEME_MISSING, "%s" FMT_STALE " (at the last good poll)",
		      fleet_power_name(h->data.power));
		VH_KV("Health", THEME_ERROR, "%s (the last good poll said %s)",
		      fleet_error_class(h->error), fleet_health_name(h->data.health));
	} else {
		VH_KV("Power", h->data.power == FLEET_POWER_ON ? THEME_POWER_ON : THEME_POWER_OFF,
		      "%s", h->has_data && h->data.power != FLEET_POWER_UNKNOWN ?
		      fleet_power_name(h->data.power) : "");
		VH_KV("Health", theme_health_role(h->data.health), "%s",
		      h->data.health != FLEET_HEALTH_UNKNOWN ?
		      fleet_health_name(h->data.health) : "");
	}
	VH_KV("Vendor", THEME_NORMAL, "%s", h->data.vendor);
	VH_KV("Model", THEME_NORMAL, "%s", h->data.model);
	VH_KV("Serial", THEME_NORMAL, "%s", h->data.serial);
	VH_KV("BIOS", THEME_NORMAL, "%s", h->data.bios_version);
	VH_KV("BMC firmware", THEME_NORMAL, "%s", h->data.bmc_firmware);
	if (h->data.notes[0])
		VH_KV("Notes", THEME_NORMAL, "%s", h->data.notes);
	if (h->last_good) {
		char age[32];
		struct tm tm;
		char when[32];

		fmt_age(age, sizeof(age), h->last_good, ui->now);
		localtime_r(&h->last_good, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		VH_KV("Last good", THEME_NORMAL, "%s (%s)", age, when);
		ui->shows_age = true;
	} else {
		VH_KV("Last good", THEME_NORMAL, "%s", "never");
	}
#undef VH_KV
	if (two) {
		half = (n + 1) / 2;
		for (size_t i = 0; i < half; i++) {
			int y = vh_next(pg);

			vh_field(y, 1, colw - 1, kv[i].label, kv[i].value, kv[i].role);
			if (i + half < n)
				vh_field(y, colw, COLS - colw, kv[i + half].label,
					 kv[i + half].value, kv[i + half].role);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			vh_field(vh_next(pg), 1, COLS - 1, kv[i].label, kv[i].value, kv[i].role);
	}
	if (h->error[0])
		vh_field_wrap(pg, "Error", h->error, THEME_ERROR, 3);
	if (stale) {
		char when[32], age[32], line[128];
		struct tm tm;

		localtime_r(&h->last_good, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fmt_age(age, sizeof(age), h->last_good, ui->now);
		snprintf(line, sizeof(line), "stale: from the last good poll at %s (%s); "
			 "the polls since failed", when, age);
		vh_field(vh_next(pg), 1, COLS - 1, "Readings", line, THEME_WARNING);
		ui->shows_age = true;
	}
	/* The last action, whatever the polls say, with how it ended: done
	 * with the BMC's answer, failed with when and the whole why. */
	if (h->action[0] && h->action_state != FLEET_ACTION_NONE) {
		char rec[FLEET_ERR + 64], line[2 * FLEET_ERR + 80], age[32];
		const struct action_info *ai = actions_by_record(h->action);

		action_menu_record(h, ui->now, rec, sizeof(rec));
		fmt_age(age, sizeof(age), h->action_time, ui->now);
		if (h->action_state == FLEET_ACTION_DONE && h->action_result[0])
			snprintf(line, sizeof(line), "%s (%s)", rec, h->action_result);
		else if (h->action_state == FLEET_ACTION_FAILED &&
			 !strncmp(h->action_result, "not reached", 11))
			snprintf(line, sizeof(line), "%s (%s)", rec, age);
		else if (h->action_state == FLEET_ACTION_FAILED)
			snprintf(line, sizeof(line), "%s: failed %s: %s", ai ? ai->word : h->action,
				 age, h->action_result[0] ? h->action_result : "no reason given");
		else
			snprintf(line, sizeof(line), "%s", rec);
		vh_field_wrap(pg, "Last action", line,
			      h->action_state == FLEET_ACTION_FAILED ? THEME_ERROR :
			      h->action_state == FLEET_ACTION_DONE ? THEME_OK : THEME_NORMAL, 4);
		ui->shows_age = true;
	}
}

enum vh_gpu_col {
	VH_GPU_ID = 0, VH_GPU_HEALTH, VH_GPU_STATE, VH_GPU_TEMP, VH_GPU_POWER,
	VH_GPU_UTIL, VH_GPU_MEM, VH_GPU_ECC, VH_GPU_COLS
};

static const struct table_col vh_gpu_template[VH_GPU_COLS] = {
	[VH_GPU_ID] = { "GPU", 9, 12, 0, false, 0, DRAW_LEFT, false, 0, 0 },
	[VH_GPU_HEALTH] = { "HEALTH", 8, 8, 2, false, 0, DRAW_LEFT, false, 0, 0 },
	/* Health says more than State; State goes first on a narrow screen. */
	[VH_GPU_STATE] = { "STATE", 8, 14, 5, false, 100, DRAW_LEFT, false, 0, 0 },
	[VH_GPU_TEMP] = { "TEMP", 5, 6, 0, false, 0, DRAW_RIGHT, false, 0, 0 },
	[VH_GPU_POWER] = { "POWER", 9, 30, 0, false, 0, DRAW_LEFT, false, 0, 0 },
	[VH_GPU_UTIL] = { "UTIL", 4, 20, 3, false, 0, DRAW_LEFT, false, 0, 0 },
	[VH_GPU_MEM] = { "MEMORY", 8, 28, 1, false, 0, DRAW_LEFT, false, 0, 0 },
	[VH_GPU_ECC] = { "ECC C/U", 7, 9, 4, true, 0, DRAW_RIGHT, false, 0, 0 },
};

static double vh_frac(double v, double max)
{
	if (!fleet_has(v) || !fleet_has(max) || max <= 0)
		return NAN;
	return v / max;
}

static void vh_meter(int y, const struct table_col *c, double frac, const char *label,
		     int label_w)
{
	enum theme_role fill = fleet_has(frac) && frac >= 0.9 ? THEME_METER_HIGH : THEME_METER;

	if (!c->shown)
		return;
	meter_draw(stdscr, y, c->x, c->width, frac, label, label_w, theme_attr(fill),
		   theme_attr(THEME_METER_EMPTY),
		   theme_attr(fleet_has(frac) || strcmp(label, FMT_MISSING) ? THEME_NORMAL :
			      THEME_MISSING));
}

/* Meter labels, so that a column's bars can share one width. */
static void vh_gpu_labels(const struct fleet_gpu *g, char lab[3][48])
{
	fmt_watts_of(lab[0], 48, g->power_w, g->power_limit_w);
	fmt_pct(lab[1], 48, g->utilization_pct);
	fmt_mem_of(lab[2], 48, g->memory_used_mib, g->memory_total_mib);
}

static void vh_gpu_row(int y, const struct table_col *cols, const struct fleet_gpu *g,
		       const int *lw)
{
	char buf[64], a[32], b[32], lab[3][48];

	table_cell(stdscr, y, 0, &cols[VH_GPU_ID], g->id[0] ? g->id : FMT_MISSING,
		   theme_attr(THEME_NORMAL));
	table_cell(stdscr, y, 0, &cols[VH_GPU_HEALTH], fmt_health(g->health),
		   theme_attr(theme_health_role(g->health)));
	table_cell(stdscr, y, 0, &cols[VH_GPU_STATE], g->state[0] ? g->state : FMT_MISSING,
		   theme_attr(g->state[0] ? THEME_NORMAL : THEME_MISSING));
	fmt_temp(buf, sizeof(buf), g->temperature_c);
	table_cell(stdscr, y, 0, &cols[VH_GPU_TEMP], buf,
		   theme_attr(fleet_has(g->temperature_c) ? THEME_NORMAL : THEME_MISSING));
	vh_gpu_labels(g, lab);
	vh_meter(y, &cols[VH_GPU_POWER], vh_frac(g->power_w, g->power_limit_w), lab[0], lw[0]);
	vh_meter(y, &cols[VH_GPU_UTIL], vh_frac(g->utilization_pct, 100), lab[1], lw[1]);
	vh_meter(y, &cols[VH_GPU_MEM], vh_frac(g->memory_used_mib, g->memory_total_mib),
		 lab[2], lw[2]);
	fmt_number(a, sizeof(a), g->ecc_corrected);
	fmt_number(b, sizeof(b), g->ecc_uncorrected);
	snprintf(buf, sizeof(buf), "%s/%s", a, b);
	table_cell(stdscr, y, 0, &cols[VH_GPU_ECC], buf,
		   theme_attr(fleet_has(g->ecc_uncorrected) && g->ecc_uncorrected > 0 ?
			      THEME_CRITICAL :
			      fleet_has(g->ecc_corrected) && g->ecc_corrected > 0 ? THEME_WARNING :
			      fleet_has(g->ecc_corrected) ? THEME_NORMAL : THEME_MISSING));
}

/* " - stale, from 12:01:03" after a section's title when the host's
 * readings are from before its last, failed, poll; "" when they are not. */
static void vh_stale_note(const struct fleet_host *h, char *buf, size_t n)
{
	struct tm tm;
	char when[32];

	buf[0] = '\0';
	if (!fleet_host_stale(h))
		return;
	localtime_r(&h->last_good, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	snprintf(buf, n, " - stale, from %s", when);
}

/* Dims screen row Y: readings from before the last, failed, poll. */
static void vh_dim_row(int y)
{
	attr_t a = theme_attr(THEME_NORMAL) | A_DIM;

	if (y >= 0)
		mvchgat(y, 0, -1, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
}

static void vh_gpus(struct vh_page *pg, const struct fleet_host *h)
{
	struct table_col cols[VH_GPU_COLS];
	char title[96], lab[3][48], note[48];
	int y, lw[3] = { 0, 0, 0 };

	vh_stale_note(h, note, sizeof(note));
	if (h->data.ngpus || h->data.gpus_read)
		snprintf(title, sizeof(title), "GPUs (%zu)%s", h->data.ngpus, note);
	else
		snprintf(title, sizeof(title), "GPUs (not known)%s", note);
	vh_section(pg, title);
	if (h->data.ngpus == 0) {
		draw_text(stdscr, vh_next(pg), 1, COLS - 1,
			  !h->has_data ? "no data yet" : h->data.gpus_read ? "no GPUs reported"
			  : "not read from the host's BMC", theme_attr(THEME_MISSING), DRAW_LEFT);
		return;
	}
	memcpy(cols, vh_gpu_template, sizeof(cols));
	table_layout(cols, VH_GPU_COLS, COLS);
	for (size_t i = 0; i < h->data.ngpus; i++) {
		vh_gpu_labels(&h->data.gpus[i], lab);
		for (int k = 0; k < 3; k++)
			if (draw_width(lab[k]) > lw[k])
				lw[k] = draw_width(lab[k]);
	}
	y = vh_next(pg);
	if (y >= 0)
		table_draw_header(stdscr, y, 0, COLS, cols, VH_GPU_COLS, -1, false,
				  theme_attr(THEME_HEADER), theme_attr(THEME_HEADER));
	for (size_t i = 0; i < h->data.ngpus; i++) {
		y = vh_next(pg);
		if (y >= 0)
			vh_gpu_row(y, cols, &h->data.gpus[i], lw);
		if (y >= 0 && fleet_host_stale(h))
			vh_dim_row(y);
	}
}

enum vh_sensor_col { VH_S_NAME = 0, VH_S_KIND, VH_S_READING, VH_S_HEALTH, VH_S_COLS };

static const struct table_col vh_sensor_template[VH_S_COLS] = {
	[VH_S_NAME] = { "SENSOR", 12, 32, 0, true, 0, DRAW_LEFT, false, 0, 0 },
	[VH_S_KIND] = { "KIND", 11, 12, 2, false, 0, DRAW_LEFT, false, 0, 0 },
	[VH_S_READING] = { "READING", 12, 16, 0, false, 0, DRAW_RIGHT, false, 0, 0 },
	[VH_S_HEALTH] = { "HEALTH", 8, 8, 1, false, 0, DRAW_LEFT, false, 0, 0 },
};

static void vh_sensors(struct vh_page *pg, const struct fleet_host *h)
{
	struct table_col cols[VH_S_COLS];
	char title[96], num[48], buf[80], note[48];
	int y;

	vh_stale_note(h, note, sizeof(note));
	snprintf(title, sizeof(title), "Sensors (%zu)%s", h->data.nsensors, note);
	vh_section(pg, title);
	if (h->data.nsensors == 0) {
		draw_text(stdscr, vh_next(pg), 1, COLS - 1, "no sensors reported",
			  theme_attr(THEME_MISSING), DRAW_LEFT);
		return;
	}
	memcpy(cols, vh_sensor_template, sizeof(cols));
	/* The fill column is the name; keep the table from spreading wide. */
	table_layout(cols, VH_S_COLS, COLS < 72 ? COLS : 72);
	y = vh_next(pg);
	if (y >= 0)
		table_draw_header(stdscr, y, 0, COLS < 72 ? COLS : 72, cols, VH_S_COLS, -1,
				  false, theme_attr(THEME_HEADER), theme_attr(THEME_HEADER));
	for (size_t i = 0; i < h->data.nsensors; i++) {
		const struct fleet_sensor *s = &h->data.sensors[i];

		y = vh_next(pg);
		if (y < 0)
			continue;
		table_cell(stdscr, y, 0, &cols[VH_S_NAME], s->name, theme_attr(THEME_NORMAL));
		table_cell(stdscr, y, 0, &cols[VH_S_KIND], fleet_sensor_kind_name(s->kind),
			   theme_attr(THEME_NORMAL));
		fmt_number(num, sizeof(num), s->reading);
		if (fleet_has(s->reading) && s->units[0])
			snprintf(buf, sizeof(buf), "%s %s", num, fmt_units(s->units));
		else
			snprintf(buf, sizeof(buf), "%s", num);
		table_cell(stdscr, y, 0, &cols[VH_S_READING], buf,
			   theme_attr(fleet_has(s->reading) ? THEME_NORMAL : THEME_MISSING));
		table_cell(stdscr, y, 0, &cols[VH_S_HEALTH], fmt_health(s->health),
			   theme_attr(theme_health_role(s->health)));
		if (fleet_host_stale(h))
			vh_dim_row(y);
	}
}

static void vh_events(struct vh_page *pg, const struct fleet_host *h)
{
	char title[96], note[48];
	int tw = 1;

	vh_stale_note(h, note, sizeof(note));
	snprintf(title, sizeof(title), "Log (%zu newest)%s", h->data.nevents, note);
	vh_section(pg, title);
	if (h->data.nevents == 0) {
		draw_text(stdscr, vh_next(pg), 1, COLS - 1, "no log entries",
			  theme_attr(THEME_MISSING), DRAW_LEFT);
		return;
	}
	/* Timestamps as the BMC wrote them, as wide as the widest (25 at most). */
	for (size_t i = 0; i < h->data.nevents; i++)
		if (draw_width(h->data.events[i].created) > tw)
			tw = draw_width(h->data.events[i].created);
	if (tw > 25)
		tw = 25;
	for (size_t i = 0; i < h->data.nevents; i++) {
		const struct fleet_event *e = &h->data.events[i];
		int y = vh_next(pg), x = 1;

		if (y < 0)
			continue;
		x += draw_text(stdscr, y, x, tw, e->created[0] ? e->created : FMT_MISSING,
			       theme_attr(THEME_LABEL), DRAW_LEFT);
		x++;
		draw_text(stdscr, y, x, 8, e->severity[0] ? e->severity : FMT_MISSING,
			  theme_attr(theme_health_role(fleet_health_parse(e->severity))),
			  DRAW_LEFT);
		x += 9;
		draw_text(stdscr, y, x, COLS - x, e->message, theme_attr(THEME_NORMAL),
			  DRAW_LEFT);
	}
}

void view_host_draw(struct ui *ui)
{
	struct view_host *vh = &ui->vh;
	struct vh_page pg;
	const struct fleet_host *h;
	char right[64];

	if (vh->host >= ui->snap.nhosts) {
		ui->view = UI_VIEW_FLEET;
		return;
	}
	h = &ui->snap.hosts[vh->host];
	snprintf(right, sizeof(right), "%s", fleet_protocol_name(h->protocol));
	ui_draw_title(ui, h->name, right);
	/* The page measures itself as it draws; a scroll past its end (End
	 * before the first draw, or a shorter page after a poll) is clamped
	 * and the page drawn again. */
	for (int pass = 0; pass < 2; pass++) {
		if (vh->scroll < 0)
			vh->scroll = 0;
		memset(&pg, 0, sizeof(pg));
		pg.scroll = vh->scroll;
		pg.rows = vh_page_rows();
		vh_inventory(ui, &pg, h);
		vh_gpus(&pg, h);
		vh_sensors(&pg, h);
		vh_events(&pg, h);
		vh->lines = pg.line;
		if (vh->scroll <= vh->lines - pg.rows || vh->scroll == 0)
			break;
		vh->scroll = vh->lines - pg.rows;
		for (int y = VH_TOP; y < VH_TOP + pg.rows; y++)
			draw_fill(stdscr, y, 0, COLS, L' ', ' ', theme_attr(THEME_NORMAL));
	}
}

void view_host_action(struct ui *ui, enum keys_action a)
{
	struct view_host *vh = &ui->vh;
	int page = vh_page_rows();

	switch (a) {
	case KEYS_UP: vh->scroll--; break;
	case KEYS_DOWN: vh->scroll++; break;
	case KEYS_PAGE_UP: vh->scroll -= page; break;
	case KEYS_PAGE_DOWN: vh->scroll += page; break;
	case KEYS_HOME: vh->scroll = 0; break;
	case KEYS_END: vh->scroll = INT_MAX / 2; break;   /* the draw clamps it */
	case KEYS_BACK: ui->view = UI_VIEW_FLEET; break;
	case KEYS_REFRESH: ui_refresh_host(ui, vh->host); break;
	default: break;
	}
	/* Keep Up after End from starting past the end of the page. */
	if (a != KEYS_END && vh->lines > 0 && vh->scroll > vh->lines - page)
		vh->scroll = vh->lines - page;
	if (vh->scroll < 0)
		vh->scroll = 0;
}

/* The fleet view: one row per host, filtered and sorted through an
 * index array so that only the visible rows are ever drawn. */
#ifndef RACKTOP_UI_VIEW_FLEET_H
#define RACKTOP_UI_VIEW_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "keys.h"
#include "prompt.h"

enum view_fleet_col {
	VF_COL_NAME = 0,
	VF_COL_POWER,
	VF_COL_HEALTH,
	VF_COL_GPUS,
	VF_COL_TEMP,
	VF_COL_WATTS,
	VF_COL_STATUS,
	VF_COLS
};

struct view_fleet {
	size_t *rows;            /* host indices, filtered and sorted */
	size_t nrows;
	size_t cap;
	uint64_t *match_ver;     /* per host: version the match was computed at */
	bool *match;             /* per host: passes the filter */
	size_t nmatch;
	size_t cursor, top;
	size_t sel_host;         /* the selected host follows re-sorting */
	bool have_sel;
	int sort;                /* enum view_fleet_col */
	bool sort_reverse;
	bool sort_menu;          /* the s chooser is up (sort_menu.c) */
	int sort_menu_cursor;    /* the column it highlights */
	struct filter filter;
	bool filtering;          /* the / prompt is open: the filter follows it */
	char filter_before[256]; /* the filter when the prompt opened (Esc) */
	bool dirty;              /* rows need filtering and sorting again */
	bool *marked;            /* per host: marked for an action (Space, M) */
	size_t nmarks;           /* hosts MARKED covers */
	size_t nmarked;          /* how many are marked */
	struct vf_cache *cache;  /* per-host sort keys and counts (view_fleet.c) */
};

struct ui;

void view_fleet_init(struct view_fleet *vf);
void view_fleet_free(struct view_fleet *vf);
/* Filters and sorts after the snapshot or the filter changed. */
void view_fleet_rebuild(struct ui *ui);
void view_fleet_draw(struct ui *ui);
void view_fleet_action(struct ui *ui, enum keys_action a);
/* Sorts by column COL (the current one again: reversed) and puts the
 * cursor on the first row. */
void view_fleet_sort(struct ui *ui, int col);
/* Applies a filter (Enter at the / prompt, Esc on the fleet view). */
void view_fleet_set_filter(struct ui *ui, const char *text);
/* A key at the / prompt went in and PROMPT_KEY said R: the filter follows
 * the text as it is typed; Enter keeps it, Esc puts back the one from
 * before. */
void view_fleet_filter_key(struct ui *ui, enum prompt_result r);
/* The right side of the status line: filter and position. */
void view_fleet_status(struct ui *ui, char *buf, size_t n);

#endif

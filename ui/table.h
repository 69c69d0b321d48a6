/* Column layout for the tables (fleet rows, GPUs, sensors): each column
 * has a minimum and a wanted width and a priority; when the screen is
 * narrow the least important columns hide and the flexible ones shrink. */
#ifndef RACKTOP_UI_TABLE_H
#define RACKTOP_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "draw.h"

struct table_col {
	const char *title;
	int min, want;          /* widths in cells */
	int prio;               /* larger hides first when space runs out; 0 never */
	bool fill;              /* takes whatever is left at the end */
	int hide_below;         /* hidden when the table is narrower than this */
	enum draw_align align;
	/* computed by table_layout() */
	bool shown;
	int x, width;
};

/* Lays out N columns in WIDTH cells (one space between columns). Space
 * beyond the minimums goes to the columns in proportion to what each
 * still wants; the fill column takes the rest. */
void table_layout(struct table_col *cols, size_t n, int width);
/* The header line: titles, the sort column marked (SORT < 0: none). */
void table_draw_header(WINDOW *w, int y, int x0, int width, const struct table_col *cols,
		       size_t n, int sort, bool descending, attr_t attr, attr_t sort_attr);
/* One cell of a row, at its column's place. */
void table_cell(WINDOW *w, int y, int x0, const struct table_col *c, const char *text,
		attr_t attr);

#endif

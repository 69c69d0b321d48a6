#include "table.h"

#include <stdio.h>

static int table_used(const struct table_col *cols, size_t n, bool use_min)
{
	int sum = 0, shown = 0;

	for (size_t i = 0; i < n; i++) {
		if (!cols[i].shown)
			continue;
		sum += use_min ? cols[i].min : cols[i].width;
		shown++;
	}
	return sum + (shown > 0 ? shown - 1 : 0);
}

void table_layout(struct table_col *cols, size_t n, int width)
{
	int left, wanted, x = 0;

	for (size_t i = 0; i < n; i++) {
		cols[i].shown = width >= cols[i].hide_below;
		cols[i].width = cols[i].min;
	}
	/* Hide the least important columns until the minimums fit. */
	while (table_used(cols, n, true) > width) {
		int worst = -1;

		for (size_t i = 0; i < n; i++)
			if (cols[i].shown && cols[i].prio > 0 &&
			    (worst < 0 || cols[i].prio >= cols[worst].prio))
				worst = (int)i;
		if (worst < 0)
			break;
		cols[worst].shown = false;
	}
	left = width - table_used(cols, n, true);
	wanted = 0;
	for (size_t i = 0; i < n; i++)
		if (cols[i].shown && cols[i].want > cols[i].min)
			wanted += cols[i].want - cols[i].min;
	if (wanted > 0 && left > 0) {
		int share = left < wanted ? left : wanted;

		for (size_t i = 0; i < n; i++) {
			int grow;

			if (!cols[i].shown || cols[i].want <= cols[i].min)
				continue;
			grow = (int)((long)share * (cols[i].want - cols[i].min) / wanted);
			cols[i].width += grow;
			left -= grow;
		}
		/* Rounding leftovers: one cell at a time, left to right. */
		for (size_t i = 0; i < n && left > 0; i++) {
			if (cols[i].shown && cols[i].width < cols[i].want) {
				cols[i].width++;
				left--;
			}
		}
	}
	for (size_t i = 0; i < n && left > 0; i++) {
		if (cols[i].shown && cols[i].fill) {
			cols[i].width += left;
			left = 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!cols[i].shown)
			continue;
		cols[i].x = x;
		x += cols[i].width + 1;
	}
}

void table_draw_header(WINDOW *w, int y, int x0, int width, const struct table_col *cols,
		       size_t n, int sort, bool descending, attr_t attr, attr_t sort_attr)
{
	draw_fill(w, y, x0, width, L' ', ' ', attr);
	for (size_t i = 0; i < n; i++) {
		char title[64];
		const char *mark;

		if (!cols[i].shown)
			continue;
		if ((int)i == sort) {
			if (draw_utf8())
				mark = descending ? "\u25bc" : "\u25b2";
			else
				mark = descending ? "v" : "^";
			/* Titles are ASCII; cut the title, never the mark. */
			int keep = cols[i].width - 1;

			if (keep < 0)
				keep = 0;
			snprintf(title, sizeof(title), "%.*s%s", keep, cols[i].title, mark);
		} else {
			snprintf(title, sizeof(title), "%s", cols[i].title);
		}
		table_cell(w, y, x0, &cols[i], title, (int)i == sort ? sort_attr : attr);
	}
}

void table_cell(WINDOW *w, int y, int x0, const struct table_col *c, const char *text,
		attr_t attr)
{
	if (!c->shown)
		return;
	draw_text(w, y, x0 + c->x, c->width, text, attr, c->align);
}

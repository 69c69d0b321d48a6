#include "meter.h"

#include <math.h>
#include <string.h>

#include "draw.h"

/* Eighths of a cell, U+258F (one eighth) .. U+2589 (seven eighths). */
static const wchar_t meter_eighths[8] = {
	L' ', L'\u258f', L'\u258e', L'\u258d', L'\u258c', L'\u258b', L'\u258a', L'\u2589',
};

static void meter_bar(WINDOW *w, int y, int x, int cells, double frac, attr_t fill,
		      attr_t empty)
{
	int full = 0, part = 0;

	if (!isnan(frac)) {
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		if (draw_utf8()) {
			int eighths = (int)lround(frac * cells * 8);

			full = eighths / 8;
			part = eighths % 8;
		} else {
			full = (int)lround(frac * cells);
		}
	}
	draw_fill(w, y, x, full, L'\u2588', '#', fill);
	if (part > 0 && full < cells) {
		wchar_t wc[2] = { meter_eighths[part], 0 };

		wattrset(w, fill);
		mvwaddnwstr(w, y, x + full, wc, 1);
		full++;
	}
	draw_fill(w, y, x + full, cells - full, L' ', '-', empty);
}

void meter_draw(WINDOW *w, int y, int x, int width, double frac, const char *label,
		int label_w, attr_t fill, attr_t empty, attr_t text)
{
	int lw = draw_width(label);

	if (label_w > lw)
		lw = label_w;
	int bar = width - lw - 1;

	/* Too narrow for a useful bar: the label alone says it. */
	if (bar < 5) {
		draw_text(w, y, x, width, label, text, DRAW_RIGHT);
		return;
	}
	draw_text(w, y, x, 1, "[", empty, DRAW_LEFT);
	meter_bar(w, y, x + 1, bar - 2, frac, fill, empty);
	draw_text(w, y, x + bar - 1, 1, "]", empty, DRAW_LEFT);
	draw_text(w, y, x + bar, 1, " ", text, DRAW_LEFT);
	draw_text(w, y, x + bar + 1, lw, label, text, DRAW_RIGHT);
}

/* A horizontal meter: a bar for a fraction and its label after it
 * ("[#####-----] 350/700W"). Unicode eighth blocks in UTF-8 locales,
 * '#' and '-' otherwise. A missing value draws an empty bar and "-". */
#ifndef RACKTOP_UI_METER_H
#define RACKTOP_UI_METER_H

#include <curses.h>

/* FRAC in 0..1 (clamped), NAN when unknown. The label is right-aligned
 * in LABEL_W cells (0: its own width) so that bars in a column line up. */
void meter_draw(WINDOW *w, int y, int x, int width, double frac, const char *label,
		int label_w, attr_t fill, attr_t empty, attr_t text);

#endif

/* The one way text reaches the terminal: every string drawn goes through
 * draw_text(), which refuses control characters (the store already
 * cleaned them; this is defence in depth) and measures with wcwidth so
 * wide and multibyte names keep columns straight. */
#ifndef RACKTOP_UI_DRAW_H
#define RACKTOP_UI_DRAW_H

#include <stdbool.h>

#include <curses.h>

enum draw_align {
	DRAW_LEFT = 0,
	DRAW_RIGHT,
};

/* UTF-8 terminal: Unicode box drawing and meter blocks; else ASCII. */
void draw_set_utf8(bool utf8);
bool draw_utf8(void);

/* Draws S at Y,X filling exactly WIDTH cells with ATTR: cut with an
 * ellipsis when too long, padded with spaces. Returns the cells the text
 * itself took. Nothing is drawn outside the window. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
	      enum draw_align align);
/* Like draw_text but without padding: draws at most WIDTH cells and
 * returns how many it used. */
int draw_text_n(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);
/* Display width of S as draw_text() would draw it (controls dropped). */
int draw_width(const char *s);
/* A horizontal rule of WIDTH cells: U+2500 or '-'. */
void draw_hline(WINDOW *w, int y, int x, int width, attr_t attr);
/* Fills WIDTH cells with the wide character WC (or ASCII fallback). */
void draw_fill(WINDOW *w, int y, int x, int width, wchar_t wc, char ascii, attr_t attr);

#endif

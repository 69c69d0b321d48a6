#include "draw.h"

#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define DRAW_MAX 1024	/* cells: wider than any terminal we draw on */

static bool draw_utf8_mode;

void draw_set_utf8(bool utf8)
{
	draw_utf8_mode = utf8;
}

bool draw_utf8(void)
{
	return draw_utf8_mode;
}

/* Decodes S into OUT (wide characters safe to draw) and their widths.
 * Invalid bytes become '?'; control and non-printing characters are
 * dropped so nothing in a string can move the cursor or change modes. */
static size_t draw_decode(const char *s, wchar_t *out, int *wid, size_t max)
{
	mbstate_t st;
	size_t n = 0, len;

	if (!s)
		return 0;
	memset(&st, 0, sizeof(st));
	len = strlen(s);
	while (len > 0 && n < max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, len, &st);
		int w;

		if (r == (size_t)-1 || r == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			r = 1;
			wc = L'?';
		} else if (r == 0) {
			break;
		}
		s += r;
		len -= r;
		if (iswcntrl((wint_t)wc))
			continue;
		w = wcwidth(wc);
		if (w < 0)
			continue;
		/* A combining mark needs a base character to sit on. */
		if (w == 0 && n == 0)
			continue;
		out[n] = wc;
		wid[n] = w;
		n++;
	}
	return n;
}

int draw_width(const char *s)
{
	wchar_t wc[DRAW_MAX];
	int wid[DRAW_MAX], total = 0;
	size_t n = draw_decode(s, wc, wid, DRAW_MAX);

	for (size_t i = 0; i < n; i++)
		total += wid[i];
	return total;
}

/* How many leading characters fit in WIDTH cells; *USED gets the cells. */
static size_t draw_fit(const int *wid, size_t n, int width, int *used)
{
	size_t i;
	int u = 0;

	for (i = 0; i < n; i++) {
		if (u + wid[i] > width)
			break;
		u += wid[i];
	}
	/* Keep trailing combining marks with their base. */
	while (i < n && wid[i] == 0)
		i++;
	*used = u;
	return i;
}

static void draw_put(WINDOW *w, int y, int x, const wchar_t *wc, size_t n, attr_t attr)
{
	if (n == 0)
		return;
	wattrset(w, attr);
	mvwaddnwstr(w, y, x, wc, (int)n);
}

int draw_text_n(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
	wchar_t wc[DRAW_MAX + 1];
	int wid[DRAW_MAX + 1], total = 0, used;
	size_t n, k;
	int maxx = getmaxx(w);

	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx || width <= 0)
		return 0;
	if (width > maxx - x)
		width = maxx - x;
	n = draw_decode(s, wc, wid, DRAW_MAX);
	for (size_t i = 0; i < n; i++)
		total += wid[i];
	if (total <= width) {
		draw_put(w, y, x, wc, n, attr);
		return total;
	}
	/* Too long: keep what fits in WIDTH-1 cells and end with an ellipsis. */
	k = draw_fit(wid, n, width - 1, &used);
	wc[k] = draw_utf8_mode ? L'\u2026' : L'~';
	draw_put(w, y, x, wc, k + 1, attr);
	return used + 1;
}

int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
	      enum draw_align align)
{
	int maxx = getmaxx(w), used, tw;

	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx || width <= 0)
		return 0;
	if (width > maxx - x)
		width = maxx - x;
	tw = draw_width(s);
	if (align == DRAW_RIGHT && tw < width) {
		draw_fill(w, y, x, width - tw, L' ', ' ', attr);
		return draw_text_n(w, y, x + width - tw, tw, s, attr);
	}
	used = draw_text_n(w, y, x, width, s, attr);
	if (used < width)
		draw_fill(w, y, x + used, width - used, L' ', ' ', attr);
	return used;
}

void draw_fill(WINDOW *w, int y, int x, int width, wchar_t wc, char ascii, attr_t attr)
{
	wchar_t buf[DRAW_MAX];
	int maxx = getmaxx(w);

	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx || width <= 0)
		return;
	if (width > maxx - x)
		width = maxx - x;
	if (width > DRAW_MAX)
		width = DRAW_MAX;
	for (int i = 0; i < width; i++)
		buf[i] = draw_utf8_mode ? wc : (wchar_t)ascii;
	draw_put(w, y, x, buf, (size_t)width, attr);
}

void draw_hline(WINDOW *w, int y, int x, int width, attr_t attr)
{
	draw_fill(w, y, x, width, L'\u2500', '-', attr);
}

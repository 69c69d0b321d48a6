/* A console pane's terminal: libvterm screen, scrollback, drawing,
 * keys, copy mode (view_console.h). */
#include "view_console.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <vterm.h>

#include "draw.h"

#define VC_OUT_MAX (64 * 1024)
#define VC_DEFAULT 255       /* vc_cell fg/bg: the terminal's own colour */

enum {
	VC_BOLD = 1 << 0,
	VC_UNDERLINE = 1 << 1,
	VC_ITALIC = 1 << 2,
	VC_BLINK = 1 << 3,
	VC_REVERSE = 1 << 4,
};

/* A cell as kept in the scrollback: 8 bytes instead of libvterm's ~40,
 * so 10,000 lines of a wide console stay a few MB. */
struct vc_cell {
	uint32_t ch;             /* 0: blank; (uint32_t)-1: right half of a wide char */
	uint8_t fg, bg;          /* 0-15 (ANSI, 8-15 bright) or VC_DEFAULT */
	uint8_t flags;
	uint8_t width;
};

struct vc_line {
	uint16_t n;
	struct vc_cell *cells;
};

struct view_console {
	VTerm *vt;
	VTermScreen *vs;
	int rows, cols;
	bool cursor_visible;
	VTermPos cursor;
	/* Scrollback ring: line sequence numbers grow for ever; the ring
	 * holds the last sb_cap of them, [sb_total - sb_n, sb_total). */
	struct vc_line *sb;
	size_t sb_cap, sb_n, sb_head;   /* head: slot of the oldest */
	unsigned long long sb_total;
	/* Copy mode: the view's top and the cursor, as sequence numbers
	 * (screen row r is sb_total + r). */
	bool copying, marked;
	unsigned long long top, cur, mark;
	char *out;
	size_t out_n;
};

static bool vc_colour;
static short vc_pairs[9][9];
static short vc_pair_next, vc_pair_end;

void view_console_colours(bool colour)
{
	vc_colour = colour && has_colors();
	memset(vc_pairs, 0, sizeof(vc_pairs));
	/* Above the theme's pairs; fewer pairs than 9x9 up there: host
	 * colours give way to attributes only. */
	vc_pair_next = 64;
	vc_pair_end = COLOR_PAIRS > 32767 ? 32767 : (short)COLOR_PAIRS;
	if (vc_pair_end - vc_pair_next < 81)
		vc_colour = false;
}

static short vc_pair(int fg, int bg)
{
	short *p;

	if (!vc_colour)
		return 0;
	p = &vc_pairs[fg < 0 ? 0 : fg + 1][bg < 0 ? 0 : bg + 1];
	if (!*p && vc_pair_next < vc_pair_end) {
		init_pair(vc_pair_next, (short)fg, (short)bg);
		*p = vc_pair_next++;
	}
	return *p;
}

static const uint8_t vc_ansi_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

/* The nearest of the 16 ANSI colours: what any terminal can show. */
static uint8_t vc_colour_of(const struct view_console *vc, VTermColor c, bool fg)
{
	int best = 0;
	long bestd = -1;

	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
		return VC_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(&c) && c.indexed.idx < 16)
		return c.indexed.idx;
	vterm_screen_convert_color_to_rgb(vc->vs, &c);
	for (int i = 0; i < 16; i++) {
		long dr = c.rgb.red - vc_ansi_rgb[i][0], dg = c.rgb.green - vc_ansi_rgb[i][1],
		     db = c.rgb.blue - vc_ansi_rgb[i][2];
		long d = dr * dr + dg * dg + db * db;

		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (uint8_t)best;
}

static struct vc_cell vc_cell_of(const struct view_console *vc, const VTermScreenCell *c)
{
	struct vc_cell o;

	o.ch = c->chars[0];
	o.width = (uint8_t)(c->width > 0 ? c->width : 1);
	o.fg = vc_colour_of(vc, c->fg, true);
	o.bg = vc_colour_of(vc, c->bg, false);
	o.flags = (uint8_t)((c->attrs.bold ? VC_BOLD : 0) | (c->attrs.underline ? VC_UNDERLINE : 0) |
			    (c->attrs.italic ? VC_ITALIC : 0) | (c->attrs.blink ? VC_BLINK : 0) |
			    (c->attrs.reverse ? VC_REVERSE : 0));
	return o;
}

static bool vc_blank(const struct vc_cell *c)
{
	return (c->ch == 0 || c->ch == ' ') && c->bg == VC_DEFAULT && !(c->flags & VC_REVERSE);
}

static struct vc_line *vc_sb_line(const struct view_console *vc, unsigned long long seq)
{
	unsigned long long first = vc->sb_total - vc->sb_n;

	if (seq < first || seq >= vc->sb_total)
		return NULL;
	return &vc->sb[(vc->sb_head + (size_t)(seq - first)) % vc->sb_cap];
}

static int vc_sb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct view_console *vc = user;
	struct vc_line *l;
	int n = cols;

	if (!vc->sb_cap)
		return 0;
	while (n > 0) {
		struct vc_cell c = vc_cell_of(vc, &cells[n - 1]);

		if (!vc_blank(&c))
			break;
		n--;
	}
	if (vc->sb_n == vc->sb_cap) {
		l = &vc->sb[vc->sb_head];
		free(l->cells);
		vc->sb_head = (vc->sb_head + 1) % vc->sb_cap;
		vc->sb_n--;
	}
	l = &vc->sb[(vc->sb_head + vc->sb_n) % vc->sb_cap];
	l->n = 0;
	l->cells = n ? malloc((size_t)n * sizeof(*l->cells)) : NULL;
	if (l->cells) {
		for (int i = 0; i < n; i++)
			l->cells[i] = vc_cell_of(vc, &cells[i]);
		l->n = (uint16_t)n;
	}
	vc->sb_n++;
	vc->sb_total++;
	return 1;
}

/* The screen grew taller: lines come back from the scrollback. */
static int vc_sb_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct view_console *vc = user;
	struct vc_line *l;

	if (!vc->sb_n)
		return 0;
	l = vc_sb_line(vc, vc->sb_total - 1);
	for (int i = 0; i < cols; i++) {
		VTermScreenCell *c = &cells[i];

		memset(c, 0, sizeof(*c));
		c->width = 1;
		c->fg.type = VTERM_COLOR_DEFAULT_FG;
		c->bg.type = VTERM_COLOR_DEFAULT_BG;
		if (i < l->n) {
			const struct vc_cell *s = &l->cells[i];

			c->chars[0] = s->ch == (uint32_t)-1 ? 0 : s->ch;
			c->width = (char)s->width;
			if (s->fg != VC_DEFAULT)
				vterm_color_indexed(&c->fg, s->fg);
			if (s->bg != VC_DEFAULT)
				vterm_color_indexed(&c->bg, s->bg);
			c->attrs.bold = !!(s->flags & VC_BOLD);
			c->attrs.underline = !!(s->flags & VC_UNDERLINE);
			c->attrs.reverse = !!(s->flags & VC_REVERSE);
		}
	}
	free(l->cells);
	l->cells = NULL;
	vc->sb_n--;
	vc->sb_total--;
	return 1;
}

static int vc_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct view_console *vc = user;

	vc->cursor = pos;
	vc->cursor_visible = visible;
	return 1;
}

static int vc_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct view_console *vc = user;

	/* Titles and the like are dropped: the host does not get to
	 * retitle the operator's terminal. */
	if (prop == VTERM_PROP_CURSORVISIBLE)
		vc->cursor_visible = val->boolean;
	return 1;
}

static const VTermScreenCallbacks vc_callbacks = {
	.movecursor = vc_movecursor,
	.settermprop = vc_settermprop,
	.sb_pushline = vc_sb_pushline,
	.sb_popline = vc_sb_popline,
};

static void vc_output(const char *s, size_t len, void *user)
{
	struct view_console *vc = user;
	char *p;

	if (vc->out_n + len > VC_OUT_MAX)
		return;
	p = realloc(vc->out, vc->out_n + len);
	if (!p)
		return;
	vc->out = p;
	memcpy(vc->out + vc->out_n, s, len);
	vc->out_n += len;
}

struct view_console *view_console_new(int rows, int cols, size_t scrollback)
{
	struct view_console *vc = calloc(1, sizeof(*vc));

	if (!vc)
		return NULL;
	vc->rows = rows > 1 ? rows : 2;
	vc->cols = cols > 1 ? cols : 2;
	vc->sb_cap = scrollback;
	vc->sb = calloc(scrollback ? scrollback : 1, sizeof(*vc->sb));
	vc->vt = vterm_new(vc->rows, vc->cols);
	if (!vc->sb || !vc->vt) {
		view_console_free(vc);
		return NULL;
	}
	vterm_set_utf8(vc->vt, 1);
	vc->vs = vterm_obtain_screen(vc->vt);
	vterm_screen_set_callbacks(vc->vs, &vc_callbacks, vc);
	vterm_screen_enable_altscreen(vc->vs, 1);
	vterm_screen_set_damage_merge(vc->vs, VTERM_DAMAGE_SCROLL);
	vterm_output_set_callback(vc->vt, vc_output, vc);
	vterm_screen_reset(vc->vs, 1);
	vc->cursor_visible = true;
	return vc;
}

void view_console_free(struct view_console *vc)
{
	if (!vc)
		return;
	if (vc->vt)
		vterm_free(vc->vt);
	for (size_t i = 0; vc->sb && i < vc->sb_cap; i++)
		free(vc->sb[i].cells);
	free(vc->sb);
	free(vc->out);
	free(vc);
}

void view_console_feed(struct view_console *vc, const char *buf, size_t n)
{
	vterm_input_write(vc->vt, buf, n);
	vterm_screen_flush_damage(vc->vs);
}

bool view_console_resize(struct view_console *vc, int rows, int cols)
{
	if (rows < 2)
		rows = 2;
	if (cols < 2)
		cols = 2;
	if (rows == vc->rows && cols == vc->cols)
		return false;
	vc->rows = rows;
	vc->cols = cols;
	vterm_set_size(vc->vt, rows, cols);
	vterm_screen_flush_damage(vc->vs);
	return true;
}

void view_console_size(const struct view_console *vc, int *rows, int *cols)
{
	*rows = vc->rows;
	*cols = vc->cols;
}

/* The line-drawing characters as ACS, for terminals without UTF-8. */
static chtype vc_acs(uint32_t ch)
{
	switch (ch) {
	case 0x2500: case 0x2501: case 0x2550: return ACS_HLINE;
	case 0x2502: case 0x2503: case 0x2551: return ACS_VLINE;
	case 0x250c: case 0x250f: case 0x2554: case 0x2552: case 0x2553: return ACS_ULCORNER;
	case 0x2510: case 0x2513: case 0x2557: case 0x2555: case 0x2556: return ACS_URCORNER;
	case 0x2514: case 0x2517: case 0x255a: case 0x2558: case 0x2559: return ACS_LLCORNER;
	case 0x2518: case 0x251b: case 0x255d: case 0x255b: case 0x255c: return ACS_LRCORNER;
	case 0x251c: case 0x2523: case 0x2560: return ACS_LTEE;
	case 0x2524: case 0x252b: case 0x2563: return ACS_RTEE;
	case 0x252c: case 0x2533: case 0x2566: return ACS_TTEE;
	case 0x2534: case 0x253b: case 0x2569: return ACS_BTEE;
	case 0x253c: case 0x254b: case 0x256c: return ACS_PLUS;
	case 0x2591: case 0x2592: case 0x2593: return ACS_CKBOARD;
	case 0x2588: return ACS_BLOCK;
	case 0x25c6: return ACS_DIAMOND;
	case 0x00b0: return ACS_DEGREE;
	case 0x00b7: return ACS_BULLET;
	default: return 0;
	}
}

static void vc_draw_cell(int y, int x, const struct vc_cell *c, attr_t extra)
{
	attr_t a = extra;
	int fg = c->fg == VC_DEFAULT ? -1 : c->fg, bg = c->bg == VC_DEFAULT ? -1 : c->bg;
	short pair;
	uint32_t ch = c->ch;

	if (c->flags & VC_BOLD)
		a |= A_BOLD;
	if (c->flags & VC_UNDERLINE)
		a |= A_UNDERLINE;
	if (c->flags & VC_ITALIC)
		a |= A_ITALIC;
	if (c->flags & VC_BLINK)
		a |= A_BLINK;
	if (c->flags & VC_REVERSE)
		a |= A_REVERSE;
	if (fg >= 8) {
		fg -= 8;
		a |= A_BOLD;
	}
	if (bg >= 8)
		bg -= 8;
	pair = vc_pair(fg, bg);
	/* Never a control character to the terminal, whatever the cell says. */
	if (ch == 0 || ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		ch = ' ';
	if (!draw_utf8() && ch > 0x7e) {
		chtype acs = vc_acs(ch);

		mvaddch(y, x, (acs ? acs : (chtype)'?') | a | COLOR_PAIR(pair));
		return;
	}
	{
		wchar_t wc[2] = { (wchar_t)ch, 0 };
		cchar_t cc;

		if (wcwidth(wc[0]) < 0)
			wc[0] = L'?';
		setcchar(&cc, wc, a, pair, NULL);
		mvadd_wch(y, x, &cc);
	}
}

/* Cell I of line SEQ (screen or scrollback) into *C; false past its end. */
static bool vc_cell_at(const struct view_console *vc, unsigned long long seq, int i,
		       struct vc_cell *c)
{
	if (seq >= vc->sb_total) {
		VTermScreenCell sc;
		VTermPos p = { .row = (int)(seq - vc->sb_total), .col = i };

		if (p.row >= vc->rows || i >= vc->cols || !vterm_screen_get_cell(vc->vs, p, &sc))
			return false;
		*c = vc_cell_of(vc, &sc);
		return true;
	}
	const struct vc_line *l = vc_sb_line(vc, seq);

	if (!l || i >= l->n)
		return false;
	*c = l->cells[i];
	return true;
}

void view_console_draw(struct view_console *vc, int y, int x, int h, int w, int *cy, int *cx)
{
	unsigned long long top = vc->copying ? vc->top : vc->sb_total;
	unsigned long long lo = vc->marked && vc->mark < vc->cur ? vc->mark : vc->cur;
	unsigned long long hi = vc->marked && vc->mark > vc->cur ? vc->mark : vc->cur;

	*cy = *cx = -1;
	for (int r = 0; r < h; r++) {
		unsigned long long seq = top + (unsigned long long)r;
		attr_t extra = 0;
		int col = 0;

		if (vc->copying && seq >= lo && seq <= hi)
			extra = A_REVERSE;
		while (col < w) {
			struct vc_cell c;

			if (!vc_cell_at(vc, seq, col, &c)) {
				struct vc_cell blank = { ' ', VC_DEFAULT, VC_DEFAULT, 0, 1 };

				vc_draw_cell(y + r, x + col, &blank, extra);
				col++;
				continue;
			}
			if (c.ch == (uint32_t)-1) {
				col++;
				continue;
			}
			if (c.width == 2 && col + 1 >= w)
				c.ch = ' ';
			vc_draw_cell(y + r, x + col, &c, extra);
			col += c.width == 2 ? 2 : 1;
		}
	}
	if (vc->copying) {
		if (vc->cur >= top && vc->cur < top + (unsigned long long)h) {
			*cy = y + (int)(vc->cur - top);
			*cx = x;
		}
	} else if (vc->cursor_visible && vc->cursor.row < h && vc->cursor.col < w) {
		*cy = y + vc->cursor.row;
		*cx = x + vc->cursor.col;
	}
}

void view_console_key(struct view_console *vc, bool keycode, wint_t ch)
{
	VTermKey k = VTERM_KEY_NONE;
	VTermModifier mod = VTERM_MOD_NONE;

	if (!keycode) {
		if (ch == '\r' || ch == '\n')
			k = VTERM_KEY_ENTER;
		else if (ch == '\t')
			k = VTERM_KEY_TAB;
		else if (ch == 27)
			k = VTERM_KEY_ESCAPE;
		else if (ch == 127 || ch == 8) {
			vc_output(ch == 127 ? "\x7f" : "\b", 1, vc);
			return;
		} else {
			vterm_keyboard_unichar(vc->vt, (uint32_t)ch, VTERM_MOD_NONE);
			return;
		}
		vterm_keyboard_key(vc->vt, k, VTERM_MOD_NONE);
		return;
	}
	switch (ch) {
	case KEY_UP: k = VTERM_KEY_UP; break;
	case KEY_DOWN: k = VTERM_KEY_DOWN; break;
	case KEY_LEFT: k = VTERM_KEY_LEFT; break;
	case KEY_RIGHT: k = VTERM_KEY_RIGHT; break;
	case KEY_SR: k = VTERM_KEY_UP; mod = VTERM_MOD_SHIFT; break;
	case KEY_SF: k = VTERM_KEY_DOWN; mod = VTERM_MOD_SHIFT; break;
	case KEY_SLEFT: k = VTERM_KEY_LEFT; mod = VTERM_MOD_SHIFT; break;
	case KEY_SRIGHT: k = VTERM_KEY_RIGHT; mod = VTERM_MOD_SHIFT; break;
	case KEY_HOME: k = VTERM_KEY_HOME; break;
	case KEY_END: k = VTERM_KEY_END; break;
	case KEY_IC: k = VTERM_KEY_INS; break;
	case KEY_DC: k = VTERM_KEY_DEL; break;
	case KEY_PPAGE: k = VTERM_KEY_PAGEUP; break;
	case KEY_NPAGE: k = VTERM_KEY_PAGEDOWN; break;
	case KEY_BACKSPACE: k = VTERM_KEY_BACKSPACE; break;
	case KEY_ENTER: k = VTERM_KEY_KP_ENTER; break;
	case KEY_BTAB: k = VTERM_KEY_TAB; mod = VTERM_MOD_SHIFT; break;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			k = VTERM_KEY_FUNCTION((int)(ch - KEY_F0));
		else if (ch >= KEY_F(13) && ch <= KEY_F(24)) {
			/* Shifted F1-F12, as terminfo numbers them. */
			k = VTERM_KEY_FUNCTION((int)(ch - KEY_F(12)));
			mod = VTERM_MOD_SHIFT;
		}
		break;
	}
	if (k != VTERM_KEY_NONE)
		vterm_keyboard_key(vc->vt, k, mod);
}

size_t view_console_output(struct view_console *vc, char *buf, size_t n)
{
	size_t k = vc->out_n < n ? vc->out_n : n;

	if (!k)
		return 0;
	memcpy(buf, vc->out, k);
	memmove(vc->out, vc->out + k, vc->out_n - k);
	vc->out_n -= k;
	return k;
}

static unsigned long long vc_first(const struct view_console *vc)
{
	return vc->sb_total - vc->sb_n;
}

static unsigned long long vc_last(const struct view_console *vc)
{
	return vc->sb_total + (unsigned long long)vc->rows - 1;
}

/* Keeps the copy cursor inside the view, and both inside what exists. */
static void vc_follow(struct view_console *vc)
{
	unsigned long long first = vc_first(vc), last = vc_last(vc);

	if (vc->cur < first)
		vc->cur = first;
	if (vc->cur > last)
		vc->cur = last;
	if (vc->cur < vc->top)
		vc->top = vc->cur;
	if (vc->cur >= vc->top + (unsigned long long)vc->rows)
		vc->top = vc->cur - (unsigned long long)vc->rows + 1;
	if (vc->top < first)
		vc->top = first;
	if (vc->top > vc->sb_total)
		vc->top = vc->sb_total;
}

void view_console_copy_mode(struct view_console *vc, bool on)
{
	vc->copying = on;
	vc->marked = false;
	if (on) {
		vc->top = vc->sb_total;
		vc->cur = vc->sb_total + (unsigned long long)(vc->cursor.row > 0 ? vc->cursor.row : 0);
		vc_follow(vc);
	}
}

bool view_console_copying(const struct view_console *vc)
{
	return vc->copying;
}

void view_console_cursor_move(struct view_console *vc, int delta)
{
	if (!vc->copying)
		return;
	if (delta < 0 && (unsigned long long)-delta > vc->cur)
		vc->cur = 0;
	else
		vc->cur += (unsigned long long)(long long)delta;
	vc_follow(vc);
}

long view_console_scrolled(const struct view_console *vc)
{
	return vc->copying ? (long)(vc->sb_total - vc->top) : 0;
}

size_t view_console_history(const struct view_console *vc)
{
	return vc->sb_n;
}

/* Line SEQ as UTF-8 text (trailing blanks cut) into BUF. */
static size_t vc_line_text(const struct view_console *vc, unsigned long long seq, char *buf,
			   size_t n)
{
	size_t o = 0, keep = 0;
	struct vc_cell c;

	for (int i = 0; o + 8 < n && vc_cell_at(vc, seq, i, &c); i++) {
		char mb[8];
		int k;

		if (c.ch == (uint32_t)-1)
			continue;
		if (c.ch == 0 || c.ch < 0x20)
			c.ch = ' ';
		k = wctomb(mb, (wchar_t)c.ch);
		if (k <= 0) {
			mb[0] = '?';
			k = 1;
		}
		memcpy(buf + o, mb, (size_t)k);
		o += (size_t)k;
		if (c.ch != ' ')
			keep = o;
	}
	buf[keep] = '\0';
	return keep;
}

/* Line SEQ's characters, lower-cased, into BUF (N with the end). */
static void vc_line_folded(const struct view_console *vc, unsigned long long seq, wchar_t *buf,
			   size_t n)
{
	size_t o = 0;
	struct vc_cell c;

	for (int i = 0; o + 1 < n && vc_cell_at(vc, seq, i, &c); i++) {
		if (c.ch == (uint32_t)-1)
			continue;
		buf[o++] = c.ch < 0x20 ? L' ' : (wchar_t)towlower((wint_t)c.ch);
	}
	buf[o] = L'\0';
}

bool view_console_search(struct view_console *vc, const char *needle, bool older)
{
	wchar_t want[256], line[4096];
	unsigned long long first = vc_first(vc), last = vc_last(vc), s;
	size_t n;

	if (!needle || !*needle)
		return false;
	/* Any case, as the fleet filter matches names. */
	n = mbstowcs(want, needle, sizeof(want) / sizeof(want[0]) - 1);
	if (n == (size_t)-1) {
		for (n = 0; needle[n] && n + 1 < sizeof(want) / sizeof(want[0]); n++)
			want[n] = (unsigned char)needle[n];
	}
	want[n] = L'\0';
	for (size_t i = 0; i < n; i++)
		want[i] = (wchar_t)towlower((wint_t)want[i]);
	if (!vc->copying)
		view_console_copy_mode(vc, true);
	for (s = vc->cur; older ? s-- > first : ++s <= last;) {
		vc_line_folded(vc, s, line, sizeof(line) / sizeof(line[0]));
		if (wcsstr(line, want)) {
			vc->cur = s;
			vc_follow(vc);
			return true;
		}
	}
	return false;
}

void view_console_mark(struct view_console *vc)
{
	if (!vc->copying)
		return;
	vc->marked = !vc->marked;
	vc->mark = vc->cur;
}

bool view_console_marked(const struct view_console *vc)
{
	return vc->marked;
}

char *view_console_selection(const struct view_console *vc)
{
	unsigned long long lo = vc->marked && vc->mark < vc->cur ? vc->mark : vc->cur;
	unsigned long long hi = vc->marked && vc->mark > vc->cur ? vc->mark : vc->cur;
	size_t cap = 0, len = 0;
	char *out = NULL, line[4096];

	if (lo < vc_first(vc))
		lo = vc_first(vc);
	for (unsigned long long s = lo; s <= hi; s++) {
		size_t k = vc_line_text(vc, s, line, sizeof(line));
		char *p;

		if (len + k + 2 > cap) {
			cap = (len + k + 2) * 2;
			p = realloc(out, cap);
			if (!p) {
				free(out);
				return NULL;
			}
			out = p;
		}
		memcpy(out + len, line, k);
		len += k;
		if (s < hi)
			out[len++] = '\n';
	}
	if (!out)
		out = calloc(1, 1);
	else
		out[len] = '\0';
	return out;
}

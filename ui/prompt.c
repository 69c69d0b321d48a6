#include "prompt.h"

#include <limits.h>
#include <string.h>
#include <wctype.h>

#include "draw.h"

#define CTRL(c) ((c) & 0x1f)

void prompt_open(struct prompt *p, const char *label, const char *initial)
{
	mbstate_t st;
	const char *s = initial ? initial : "";

	memset(p, 0, sizeof(*p));
	p->active = true;
	strncpy(p->label, label, sizeof(p->label) - 1);
	memset(&st, 0, sizeof(st));
	while (*s && p->len < PROMPT_MAX - 1) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
			break;
		p->buf[p->len++] = wc;
		s += r;
	}
	p->pos = p->len;
}

static void prompt_delete(struct prompt *p, size_t at, size_t count)
{
	memmove(p->buf + at, p->buf + at + count, (p->len - at - count) * sizeof(wchar_t));
	p->len -= count;
}

enum prompt_result prompt_key(struct prompt *p, bool keycode, wint_t ch)
{
	if (keycode) {
		switch (ch) {
		case KEY_ENTER:
			p->active = false;
			return PROMPT_DONE;
		case KEY_BACKSPACE:
			if (p->pos > 0) {
				prompt_delete(p, p->pos - 1, 1);
				p->pos--;
			}
			break;
		case KEY_DC:
			if (p->pos < p->len)
				prompt_delete(p, p->pos, 1);
			break;
		case KEY_LEFT:
			if (p->pos > 0)
				p->pos--;
			break;
		case KEY_RIGHT:
			if (p->pos < p->len)
				p->pos++;
			break;
		case KEY_HOME:
			p->pos = 0;
			break;
		case KEY_END:
			p->pos = p->len;
			break;
		default:
			break;
		}
		return PROMPT_EDITING;
	}
	switch (ch) {
	case '\n':
	case '\r':
		p->active = false;
		return PROMPT_DONE;
	case 27:
	case CTRL('g'):
		p->active = false;
		return PROMPT_CANCEL;
	case 127:
	case CTRL('h'):
		if (p->pos > 0) {
			prompt_delete(p, p->pos - 1, 1);
			p->pos--;
		}
		return PROMPT_EDITING;
	case CTRL('u'):
		prompt_delete(p, 0, p->pos);
		p->pos = 0;
		return PROMPT_EDITING;
	case CTRL('a'):
		p->pos = 0;
		return PROMPT_EDITING;
	case CTRL('e'):
		p->pos = p->len;
		return PROMPT_EDITING;
	default:
		break;
	}
	/* Only printable characters go in: the line is drawn back later. */
	if (iswcntrl(ch) || !iswprint(ch) || p->len >= PROMPT_MAX - 1)
		return PROMPT_EDITING;
	memmove(p->buf + p->pos + 1, p->buf + p->pos, (p->len - p->pos) * sizeof(wchar_t));
	p->buf[p->pos++] = (wchar_t)ch;
	p->len++;
	return PROMPT_EDITING;
}

static void prompt_to_utf8(const wchar_t *wc, size_t n, char *out, size_t size)
{
	mbstate_t st;
	size_t o = 0;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n; i++) {
		char mb[MB_LEN_MAX];
		size_t r = wcrtomb(mb, wc[i], &st);

		if (r == (size_t)-1)
			continue;
		if (o + r >= size)
			break;
		memcpy(out + o, mb, r);
		o += r;
	}
	out[o] = '\0';
}

void prompt_text(const struct prompt *p, char *out, size_t n)
{
	prompt_to_utf8(p->buf, p->len, out, n);
}

void prompt_draw(WINDOW *w, int y, const struct prompt *p, attr_t label_attr, attr_t attr)
{
	char text[PROMPT_MAX * MB_LEN_MAX], before[PROMPT_MAX * MB_LEN_MAX];
	int width = getmaxx(w), lw, cx, x0;

	prompt_text(p, text, sizeof(text));
	prompt_to_utf8(p->buf, p->pos, before, sizeof(before));
	lw = draw_text_n(w, y, 0, width, p->label, label_attr);
	cx = draw_width(before);
	/* Scroll the line left when the edit point would be off screen. */
	x0 = 0;
	if (lw + cx >= width - 1)
		x0 = lw + cx - (width - 2);
	if (x0 == 0) {
		draw_text(w, y, lw, width - lw, text, attr, DRAW_LEFT);
	} else {
		/* Drop leading characters until the rest fits. */
		size_t skip = 0;
		int dropped = 0;

		while (skip < p->pos && dropped < x0) {
			dropped += wcwidth(p->buf[skip]) > 0 ? wcwidth(p->buf[skip]) : 0;
			skip++;
		}
		prompt_to_utf8(p->buf + skip, p->len - skip, text, sizeof(text));
		draw_text(w, y, lw, width - lw, text, attr, DRAW_LEFT);
		cx -= dropped;
	}
	wmove(w, y, lw + cx < width ? lw + cx : width - 1);
}

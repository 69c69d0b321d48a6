#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at S (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act like ESC sequences on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

char *text_clean(char *dst, size_t n, const char *src)
{
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t o = 0;

	if (n == 0)
		return dst;
	while (*s) {
		size_t l;

		if (*s < 0x20 || *s == 0x7f) {
			/* A tab or newline in a message reads better as a space. */
			if ((*s == '\t' || *s == '\n' || *s == '\r') && o + 1 < n && o > 0 &&
			    dst[o - 1] != ' ')
				dst[o++] = ' ';
			s++;
			continue;
		}
		l = utf8_len(s);
		if (l == 0) {
			s++;
			continue;
		}
		if (o + l >= n)
			break;
		memcpy(dst + o, s, l);
		o += l;
		s += l;
	}
	dst[o] = '\0';
	return dst;
}

void text_copy(char *dst, size_t n, const char *src)
{
	size_t l;

	if (n == 0)
		return;
	if (!src)
		src = "";
	l = strlen(src);
	if (l >= n) {
		l = n - 1;
		/* Back off to the start of a UTF-8 character. */
		while (l > 0 && ((unsigned char)src[l] & 0xc0) == 0x80)
			l--;
	}
	memcpy(dst, src, l);
	dst[l] = '\0';
}

void text_wipe_free(char *s)
{
	if (!s)
		return;
	/* volatile so the compiler cannot drop the stores before free(). */
	for (volatile char *p = s; *p; p++)
		*p = 0;
	free(s);
}

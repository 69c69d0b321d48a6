/* The status line's key hints (hints.h). */
#include "hints.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define HINTS_MAX 32
#define HINTS_SEP "  "

static int hints_width_n(const char *text, size_t len)
{
	int w = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			w++;
	return w;
}

int hints_width(const char *text)
{
	return hints_width_n(text, strlen(text));
}

struct hints_item {
	const char *s;
	size_t len;
	int width;
	bool keep;
};

static size_t hints_split(const char *hints, const char *keep, struct hints_item *it)
{
	size_t n = 0, klen = keep ? strlen(keep) : 0;
	const char *s = hints;

	while (*s && n < HINTS_MAX) {
		const char *end = strstr(s, HINTS_SEP);
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len) {
			it[n].s = s;
			it[n].len = len;
			it[n].keep = klen && len == klen && !memcmp(s, keep, len);
			it[n].width = hints_width_n(s, len);
			n++;
		}
		if (!end)
			break;
		s = end + strlen(HINTS_SEP);
		while (*s == ' ')
			s++;
	}
	return n;
}

void hints_fit(const char *hints, const char *keep, int width, char *out, size_t n)
{
	struct hints_item it[HINTS_MAX];
	size_t k = hints_split(hints ? hints : "", keep, it), shown = k, o = 0;
	bool on[HINTS_MAX];
	int total = 0;

	if (!n)
		return;
	if (hints && hints_width(hints) <= width) {
		/* As written: spacing inside an item (a search typed) kept. */
		snprintf(out, n, "%s", hints);
		return;
	}
	for (size_t i = 0; i < k; i++) {
		on[i] = true;
		total += it[i].width + (i ? (int)strlen(HINTS_SEP) : 0);
	}
	/* The last item that may go, until the rest fits. */
	for (size_t i = k; i-- > 0 && total > width;) {
		if (it[i].keep)
			continue;
		on[i] = false;
		shown--;
		total -= it[i].width + (shown ? (int)strlen(HINTS_SEP) : 0);
	}
	out[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		if (!on[i])
			continue;
		if (o && o + strlen(HINTS_SEP) < n) {
			memcpy(out + o, HINTS_SEP, strlen(HINTS_SEP));
			o += strlen(HINTS_SEP);
		}
		if (o + it[i].len >= n)
			break;
		memcpy(out + o, it[i].s, it[i].len);
		o += it[i].len;
		out[o] = '\0';
	}
}

#include "filter.h"

#include <stdio.h>
#include <string.h>

static bool filter_is_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

/* No regex syntax and only ASCII: the same matches as the regex, found
 * with a plain case-insensitive search. regexec() in a UTF-8 locale
 * decodes every row and folds its case first: with 10,000 hosts that
 * was most of the time a new filter took. */
static bool filter_is_literal(const char *pat)
{
	return filter_is_ascii(pat) && !strpbrk(pat, ".[]()*+?{}|^$\\");
}

/* PAT (ASCII) compiled under the C locale into F->re_ascii. On rows of
 * ASCII it matches what the locale's regex does: the same letters fold
 * and "." is one byte, one character; a row with any other byte keeps
 * the locale's regex, which decodes UTF-8 and folds beyond ASCII. */
static void filter_compile_ascii(struct filter *f, const char *pat)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0), old;
	int rc;

	if (c == (locale_t)0)
		return;   /* no C locale object: every row takes the UTF-8 regex */
	old = uselocale(c);
	rc = regcomp(&f->re_ascii, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	uselocale(old);
	if (rc != 0) {
		freelocale(c);
		return;
	}
	f->c_locale = c;
	f->has_ascii = true;
}

void filter_clear(struct filter *f)
{
	if (f->active)
		regfree(&f->re);
	if (f->has_ascii) {
		regfree(&f->re_ascii);
		freelocale(f->c_locale);
	}
	f->has_ascii = false;
	f->c_locale = (locale_t)0;
	f->active = false;
	f->invert = false;
	f->literal = false;
	f->text[0] = '\0';
}

int filter_set(struct filter *f, const char *text, char *err, size_t errlen)
{
	regex_t re;
	bool invert = false;
	const char *pat = text;
	int rc;

	if (text[0] == '!') {
		invert = true;
		pat++;
	}
	if (!*pat) {
		filter_clear(f);
		return 0;
	}
	rc = regcomp(&re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		char msg[200];

		regerror(rc, &re, msg, sizeof(msg));
		snprintf(err, errlen, "filter '%.100s': %s", pat, msg);
		return -1;
	}
	filter_clear(f);
	f->re = re;
	f->active = true;
	f->invert = invert;
	snprintf(f->text, sizeof(f->text), "%s", text);
	f->literal = filter_is_literal(pat) && strlen(text) < sizeof(f->text);
	if (!f->literal && filter_is_ascii(pat))
		filter_compile_ascii(f, pat);
	return 0;
}

bool filter_match(const struct filter *f, const char *s)
{
	if (!f->active)
		return true;
	if (f->literal)   /* the pattern is f->text after any "!" */
		return (strcasestr(s, f->text + f->invert) != NULL) != f->invert;
	if (f->has_ascii && filter_is_ascii(s)) {
		locale_t old = uselocale(f->c_locale);
		bool m = regexec(&f->re_ascii, s, 0, NULL, 0) == 0;

		uselocale(old);
		return m != f->invert;
	}
	return (regexec(&f->re, s, 0, NULL, 0) == 0) != f->invert;
}

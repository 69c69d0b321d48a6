/* The / filter: a POSIX extended regular expression, case-insensitive,
 * matched against a row's text; "!regex" keeps the rows that do not
 * match. */
#ifndef RACKTOP_UI_FILTER_H
#define RACKTOP_UI_FILTER_H

#include <locale.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct filter {
	bool active;
	bool invert;
	char text[256];   /* as typed, "!" included */
	regex_t re;
	bool literal;     /* plain ASCII words: matched with strcasestr (filter.c) */
	/* An ASCII regex compiled again under the C locale, for rows of
	 * pure ASCII (filter.c): glibc's regexec in a UTF-8 locale is ten
	 * times slower on a pattern like "node-.*7$". */
	bool has_ascii;
	regex_t re_ascii;
	locale_t c_locale;
};

/* Compiles TEXT; empty clears the filter. On a bad regex the old filter
 * stays and ERR holds regcomp's message. 0 or -1. */
int filter_set(struct filter *f, const char *text, char *err, size_t errlen);
void filter_clear(struct filter *f);
/* Whether a row with text S passes (always true when inactive). */
bool filter_match(const struct filter *f, const char *s);

#endif

#include "filter.h"

#include <stdio.h>
#include <string.h>

/* No regex syntax and only ASCII: the same matches as the regex, found
 * with a plain case-insensitive search. regexec() in a UTF-8 locale
 * decodes every row and folds its case first: with 10,000 hosts that
 * was most of the time a new filter took. */
static bool filter_is_literal(const char *pat)
{
	for (const unsigned char *p = (const unsigned char *)pat; *p; p++)
		if (*p >= 0x80 || strchr(".[]()*+?{}|^$\\", *p))
			return false;
	return true;
}

void filter_clear(struct filter *f)
{
	if (f->active)
		regfree(&f->re);
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
	return 0;
}

bool filter_match(const struct filter *f, const char *s)
{
	if (!f->active)
		return true;
	if (f->literal)   /* the pattern is f->text after any "!" */
		return (strcasestr(s, f->text + f->invert) != NULL) != f->invert;
	return (regexec(&f->re, s, 0, NULL, 0) == 0) != f->invert;
}

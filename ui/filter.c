#include "filter.h"

#include <stdio.h>
#include <string.h>

void filter_clear(struct filter *f)
{
	if (f->active)
		regfree(&f->re);
	f->active = false;
	f->invert = false;
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
	return 0;
}

bool filter_match(const struct filter *f, const char *s)
{
	if (!f->active)
		return true;
	return (regexec(&f->re, s, 0, NULL, 0) == 0) != f->invert;
}

/* The / filter. Terms separated by spaces, all of which a row must pass:
 *   REGEX         the host name matches (POSIX extended, case-insensitive,
 *                 anywhere in the name: as --hosts matches names)
 *   FIELD:REGEX   one of the row's FIELD values matches, at the start of
 *                 a word: power:off, health:crit, gpu:absent, fw:1\.2
 *   !TERM         the row does not pass TERM
 * A field has one value per line (filter_row); ^ and $ anchor one value. */
#ifndef RACKTOP_UI_FILTER_H
#define RACKTOP_UI_FILTER_H

#include <locale.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

enum filter_field {
	FILTER_NAME = 0,
	FILTER_POWER,
	FILTER_HEALTH,
	FILTER_GPU,
	FILTER_NODE,
	FILTER_FW,
	FILTER_ERROR,
	FILTER_FIELDS
};

#define FILTER_TERMS_MAX 8

/* What the filter sees of one row: each field's values, one a line. */
struct filter_row {
	const char *field[FILTER_FIELDS];   /* NULL or "": no value */
};

struct filter_term {
	enum filter_field field;
	bool invert;
	bool word;        /* matches at the start of a word (a field's value) */
	regex_t re;
	/* Plain ASCII words: found with strcasestr (filter.c); LIT is the
	 * pattern as typed. */
	bool literal;
	char lit[256];
	/* An ASCII regex compiled again under the C locale, for values of
	 * pure ASCII (filter.c): glibc's regexec in a UTF-8 locale is ten
	 * times slower on a pattern like "node-.*7$". */
	bool has_ascii;
	regex_t re_ascii;
};

struct filter {
	bool active;
	char text[256];   /* as typed */
	size_t nterms;
	struct filter_term terms[FILTER_TERMS_MAX];
	locale_t c_locale;   /* for the terms' re_ascii; (locale_t)0: none */
	/* Set when a term asks for what racktop has no data on (node:): such
	 * a term matches no host, and this says why. */
	char note[160];
};

/* Compiles TEXT; empty (or only spaces) clears the filter. On a bad term
 * the old filter stays and ERR says what is wrong. 0 or -1. */
int filter_set(struct filter *f, const char *text, char *err, size_t errlen);
void filter_clear(struct filter *f);
/* Whether a row passes (always true when inactive). */
bool filter_match(const struct filter *f, const struct filter_row *row);
/* The field named NAME ("power"), or -1. */
int filter_field_parse(const char *name, size_t len);
/* "power", "health", ... */
const char *filter_field_name(enum filter_field k);

#endif

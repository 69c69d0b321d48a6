#include "filter.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const filter_fields[FILTER_FIELDS] = {
	[FILTER_NAME] = "name",
	[FILTER_POWER] = "power",
	[FILTER_HEALTH] = "health",
	[FILTER_GPU] = "gpu",
	[FILTER_NODE] = "node",
	[FILTER_FW] = "fw",
	[FILTER_ERROR] = "error",
};

#define FILTER_FLAGS (REG_EXTENDED | REG_ICASE | REG_NOSUB | REG_NEWLINE)

const char *filter_field_name(enum filter_field k)
{
	return (unsigned)k < FILTER_FIELDS ? filter_fields[k] : "";
}

int filter_field_parse(const char *name, size_t len)
{
	for (int k = 0; k < FILTER_FIELDS; k++)
		if (strlen(filter_fields[k]) == len && !strncasecmp(filter_fields[k], name, len))
			return k;
	return -1;
}

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

static void filter_term_free(struct filter_term *t)
{
	regfree(&t->re);
	if (t->has_ascii)
		regfree(&t->re_ascii);
	t->has_ascii = false;
}

void filter_clear(struct filter *f)
{
	for (size_t i = 0; i < f->nterms; i++)
		filter_term_free(&f->terms[i]);
	if (f->c_locale != (locale_t)0)
		freelocale(f->c_locale);
	memset(f, 0, sizeof(*f));
}

/* PAT (ASCII) compiled under the C locale into T->re_ascii. On values of
 * ASCII it matches what the locale's regex does: the same letters fold
 * and "." is one byte, one character; a value with any other byte keeps
 * the locale's regex, which decodes UTF-8 and folds beyond ASCII. */
static void filter_compile_ascii(struct filter *f, struct filter_term *t, const char *pat)
{
	locale_t old;
	int rc;

	if (f->c_locale == (locale_t)0)
		f->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (f->c_locale == (locale_t)0)
		return;   /* no C locale object: every value takes the UTF-8 regex */
	old = uselocale(f->c_locale);
	rc = regcomp(&t->re_ascii, pat, FILTER_FLAGS);
	uselocale(old);
	t->has_ascii = rc == 0;
}

/* One term (WORD, LEN bytes of the text) into T. */
static int filter_term_set(struct filter *f, struct filter_term *t, const char *word, size_t len,
			   char *err, size_t errlen)
{
	char val[sizeof(f->text)], pat[sizeof(f->text) + 32];
	size_t n = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if (*word == '!') {
		t->invert = true;
		word++, len--;
	}
	while (n < len && isalpha((unsigned char)word[n]))
		n++;
	/* "power:off": a field. "[[:digit:]]" or "a-b:c" is a name pattern. */
	if (n > 0 && n < len && word[n] == ':') {
		int k = filter_field_parse(word, n);

		if (k < 0) {
			snprintf(err, errlen, "filter: no field '%.*s:' (fields: name, power, health, "
				 "gpu, node, fw, error)", (int)(n > 32 ? 32 : n), word);
			return -1;
		}
		t->field = (enum filter_field)k;
		word += n + 1, len -= n + 1;
	}
	if (len == 0)
		return 1;   /* "!" or "power:" alone, while being typed: no term */
	snprintf(val, sizeof(val), "%.*s", (int)len, word);
	/* A field's values are matched at the start of a word: power:off is
	 * Off, not PoweringOff; a name anywhere, as --hosts does. */
	t->word = t->field != FILTER_NAME;
	if (t->word)
		snprintf(pat, sizeof(pat), "(^|[^[:alnum:]])(%s)", val);
	else
		snprintf(pat, sizeof(pat), "%s", val);
	rc = regcomp(&t->re, pat, FILTER_FLAGS);
	if (rc != 0) {
		char msg[200];

		regerror(rc, &t->re, msg, sizeof(msg));
		snprintf(err, errlen, "filter '%.100s': %s", val, msg);
		return -1;
	}
	t->literal = filter_is_literal(val);
	if (t->literal)
		memcpy(t->lit, val, len + 1);
	else if (filter_is_ascii(pat))
		filter_compile_ascii(f, t, pat);
	return 0;
}

int filter_set(struct filter *f, const char *text, char *err, size_t errlen)
{
	struct filter nf;
	const char *p = text;

	memset(&nf, 0, sizeof(nf));
	if (strlen(text) >= sizeof(nf.text)) {
		snprintf(err, errlen, "filter: longer than %zu characters", sizeof(nf.text) - 1);
		return -1;
	}
	for (;;) {
		size_t len;
		int rc;

		p += strspn(p, " \t");
		if (!*p)
			break;
		len = strcspn(p, " \t");
		if (nf.nterms == FILTER_TERMS_MAX) {
			snprintf(err, errlen, "filter: more than %d terms", FILTER_TERMS_MAX);
			filter_clear(&nf);
			return -1;
		}
		rc = filter_term_set(&nf, &nf.terms[nf.nterms], p, len, err, errlen);
		if (rc < 0) {
			filter_clear(&nf);
			return -1;
		}
		if (rc == 0) {
			if (nf.terms[nf.nterms].field == FILTER_NODE)
				snprintf(nf.note, sizeof(nf.note), "node: racktop has no Kubernetes "
					 "node data yet, so a node: term matches no host");
			nf.nterms++;
		}
		p += len;
	}
	filter_clear(f);
	if (nf.nterms == 0) {
		if (nf.c_locale != (locale_t)0)
			freelocale(nf.c_locale);
		return 0;
	}
	*f = nf;
	f->active = true;
	snprintf(f->text, sizeof(f->text), "%s", text);
	return 0;
}

/* LIT at the start of a word of S (REG_NEWLINE's view: a line's start is
 * one): 1, 0, or -1 when a byte before a find is not ASCII, where only
 * the locale's regex knows whether it is a letter. */
static int filter_word_find(const char *s, const char *lit)
{
	for (const char *p = strcasestr(s, lit); p; p = strcasestr(p + 1, lit)) {
		unsigned char prev = p == s ? '\n' : (unsigned char)p[-1];

		if (prev >= 0x80)
			return -1;
		if (!isalnum(prev))
			return 1;
	}
	return 0;
}

static bool filter_term_match(const struct filter *f, const struct filter_term *t, const char *s)
{
	if (t->literal && !t->word)
		return strcasestr(s, t->lit) != NULL;
	if (t->literal) {
		int r = filter_word_find(s, t->lit);

		if (r >= 0)
			return r;
	}
	if (t->has_ascii && filter_is_ascii(s)) {
		locale_t old = uselocale(f->c_locale);
		bool m = regexec(&t->re_ascii, s, 0, NULL, 0) == 0;

		uselocale(old);
		return m;
	}
	return regexec(&t->re, s, 0, NULL, 0) == 0;
}

bool filter_match(const struct filter *f, const struct filter_row *row)
{
	if (!f->active)
		return true;
	for (size_t i = 0; i < f->nterms; i++) {
		const struct filter_term *t = &f->terms[i];
		const char *s = row->field[t->field] ? row->field[t->field] : "";

		if (filter_term_match(f, t, s) == t->invert)
			return false;
	}
	return true;
}

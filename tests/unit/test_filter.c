/* The / filter: plain ASCII words take a strcasestr() fast path
 * (ui/filter.c); it must match exactly what the regex matches. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"

static const char *rows[] = {
	"gen-node-00009 On OK OK ",
	"GEN-NODE-00019 Off OK Warning ",
	"rack2-n07 On Critical Critical https://10.0.0.1:443/redfish/v1: connection refused",
	"gpu-\xc3\xa9t\xc3\xa9-01 On OK OK ",   /* UTF-8 in a name */
	"",
};

/* F's verdict on every row equals a regex compiled from the same text. */
static void same_as_regex(const char *text)
{
	struct filter f = { 0 }, g = { 0 };
	char err[200];
	const char *pat = text[0] == '!' ? text + 1 : text;

	cr_assert_eq(filter_set(&f, text, err, sizeof(err)), 0, "%s: %s", text, err);
	cr_assert(f.literal, "'%s' should take the plain-word path", text);
	/* The same pattern made a regex by a bracket that changes nothing. */
	char re[300];

	snprintf(re, sizeof(re), "%s[%c]%s", text[0] == '!' ? "!" : "", pat[0], pat + 1);
	cr_assert_eq(filter_set(&g, re, err, sizeof(err)), 0, "%s: %s", re, err);
	cr_assert(!g.literal, "'%s' has regex syntax", re);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_eq(filter_match(&f, rows[i]), filter_match(&g, rows[i]),
			     "'%s' and '%s' disagree on row '%s'", text, re, rows[i]);
	filter_clear(&f);
	filter_clear(&g);
}

Test(filter, plain_words_match_as_the_regex_does)
{
	setlocale(LC_ALL, "C.UTF-8");
	same_as_regex("node-0001");
	same_as_regex("gen-node");
	same_as_regex("warning");
	same_as_regex("WARNING");
	same_as_regex("!off");
	same_as_regex("!Critical");
	same_as_regex("connection refused");
	same_as_regex("10:443");
}

Test(filter, plain_words_find_and_invert)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "Warning", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, rows[1]));
	cr_expect(!filter_match(&f, rows[0]));
	cr_assert_eq(filter_set(&f, "!warning", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, rows[1]));
	cr_expect(filter_match(&f, rows[0]));
	cr_expect(filter_match(&f, rows[4]));
	filter_clear(&f);
}

Test(filter, regex_syntax_and_non_ascii_keep_the_regex)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "node-0+9", err, sizeof(err)), 0);
	cr_expect(!f.literal);
	cr_expect(filter_match(&f, rows[0]));
	cr_assert_eq(filter_set(&f, "\xc3\xa9t\xc3\xa9", err, sizeof(err)), 0);
	cr_expect(!f.literal, "a non-ASCII pattern goes to regexec (case folding beyond ASCII)");
	cr_expect(filter_match(&f, rows[3]));
	cr_assert_eq(filter_set(&f, "a.b", err, sizeof(err)), 0);
	cr_expect(!f.literal);
	/* A bad regex leaves the old filter as it was. */
	cr_expect_eq(filter_set(&f, "(", err, sizeof(err)), -1);
	cr_expect_str_eq(f.text, "a.b");
	filter_clear(&f);
	cr_expect(!f.literal && !f.active);
}

/* A regex of ASCII also compiled under the C locale, used on rows of
 * pure ASCII (glibc's regexec is far faster there): every verdict must be
 * what the locale's regex alone gives, on ASCII rows and on the others. */
static const char *ascii_rows[] = {
	"gen-node-00007 On OK OK ",
	"GEN-NODE-00017 Off OK Warning ",
	"gen-node-00070 On OK OK ",
	"rack2-n07 On Critical Critical https://10.0.0.1:443/redfish/v1: connection refused",
	"gpu-\xc3\xa9t\xc3\xa9-07",             /* UTF-8 in a name */
	"GPU-\xc3\x89T\xc3\x89-17",             /* the same letters upper case */
	"node-\xe2\x82\xac-7",                  /* a 3-byte character where .* runs */
	"node-\xc3\xa9",
	"x",
	"",
};

static void same_as_locale_regex(const char *text)
{
	struct filter f = { 0 };
	regex_t re;
	char err[200];
	const char *pat = text[0] == '!' ? text + 1 : text;

	cr_assert_eq(filter_set(&f, text, err, sizeof(err)), 0, "%s: %s", text, err);
	cr_assert(!f.literal && f.has_ascii, "'%s' should have its C-locale copy", text);
	cr_assert_eq(regcomp(&re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
	for (size_t i = 0; i < sizeof(ascii_rows) / sizeof(ascii_rows[0]); i++) {
		bool want = (regexec(&re, ascii_rows[i], 0, NULL, 0) == 0) != (text[0] == '!');

		cr_expect_eq(filter_match(&f, ascii_rows[i]), want, "'%s' on row '%s': %d, want %d",
			     text, ascii_rows[i], filter_match(&f, ascii_rows[i]), want);
	}
	regfree(&re);
	filter_clear(&f);
	cr_expect(!f.has_ascii && !f.active);
}

Test(filter, ascii_regex_in_c_locale_matches_as_the_locale_regex)
{
	setlocale(LC_ALL, "C.UTF-8");
	same_as_locale_regex("node-.*7$");
	same_as_locale_regex("NODE-0+7");
	same_as_locale_regex("gen-node-0[0-4]");
	same_as_locale_regex("warning|critical");
	same_as_locale_regex("!off|ok ");
	same_as_locale_regex("^[a-z]+-.-");          /* "." is one character, not one byte */
	same_as_locale_regex("-.{2}-");
	same_as_locale_regex("[[:alpha:]]{4}-[[:digit:]]+");
	same_as_locale_regex("\\bn07\\b");
	same_as_locale_regex("^.$");
}

/* The C-locale copy is the one that ran on an ASCII row, and the UTF-8
 * one on the rest: "." over "é" is one character in UTF-8, two bytes in C. */
Test(filter, ascii_rows_take_the_c_locale_regex)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "^node-.$", err, sizeof(err)), 0);
	cr_assert(f.has_ascii);
	cr_expect(filter_match(&f, "node-\xc3\xa9"), "UTF-8 row: the locale's regex");
	cr_expect(filter_match(&f, "NODE-x"));
	cr_expect(!filter_match(&f, "node-xy"));
	/* A non-ASCII pattern gets no C-locale copy. */
	cr_assert_eq(filter_set(&f, "\xc3\xa9.", err, sizeof(err)), 0);
	cr_expect(!f.has_ascii);
	cr_expect(filter_match(&f, "gpu-\xc3\x89T"), "case folds beyond ASCII");
	/* Nor does a plain word, which strcasestr matches. */
	cr_assert_eq(filter_set(&f, "node", err, sizeof(err)), 0);
	cr_expect(f.literal && !f.has_ascii);
	filter_clear(&f);
}

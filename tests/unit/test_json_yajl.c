/* json_yajl_loadb() against jansson's own json_loadb(): the same tree
 * for every JSON file the project reads in its tests (the DMTF mockups,
 * the fixtures) and for the corner cases of the grammar, and an error
 * with a line and column wherever jansson refuses. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "json_yajl.h"

/* Both parsers on TEXT: equal trees, or both refuse. */
static void jy_same(const char *text, size_t len, size_t flags, const char *what)
{
	json_error_t je, ye;
	json_t *a = json_loadb(text, len, flags, &je);
	json_t *b = json_yajl_loadb(text, len, flags, &ye);

	if (a) {
		cr_expect(b, "%s: jansson parses, yajl says line %d column %d: %s", what, ye.line,
			  ye.column, ye.text);
		cr_expect(json_equal(a, b), "%s: trees differ", what);
	} else {
		cr_expect(!b, "%s: jansson refuses (%s), yajl parses", what, je.text);
		cr_expect(ye.text[0] != '\0' && ye.line >= 1, "%s: no error text", what);
	}
	json_decref(a);
	json_decref(b);
}

static void jy_same_str(const char *text, size_t flags)
{
	jy_same(text, strlen(text), flags, text);
}

/* Every *.json under DIR, recursively; returns how many were compared. */
static int jy_walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			n += jy_walk(path);
		} else if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
			char *text = NULL;
			size_t tlen = 0;
			int fd = open(path, O_RDONLY);
			const char *err;

			cr_assert(fd >= 0, "%s", path);
			err = buf_read_fd(fd, 64u << 20, &text, &tlen);
			close(fd);
			cr_assert(!err, "%s: %s", path, err);
			jy_same(text, tlen, JSON_REJECT_DUPLICATES, path);
			jy_same(text, tlen, JSON_DECODE_ANY, path);
			free(text);
			n++;
		}
	}
	closedir(d);
	return n;
}

Test(json_yajl, same_trees_as_jansson_for_every_mockup_and_fixture)
{
	const char *shared = getenv("RACKTOP_SHARED"), *data = getenv("RACKTOP_TESTDATA");
	char dir[4096];
	int n = 0;

	cr_assert(shared && data, "RACKTOP_SHARED and RACKTOP_TESTDATA must be set");
	snprintf(dir, sizeof(dir), "%s/redfish-mockups", shared);
	n += jy_walk(dir);
	n += jy_walk(data);
	cr_expect_gt(n, 100, "only %d JSON files found", n);
}

Test(json_yajl, grammar_corners)
{
	static const char *const ok[] = {
		"{}", "[]", " {\"a\" : [1, -2, 3.5, -0, 1e3, 2E-2, 1.5e+300, true, false, null]} ",
		"{\"k\u00e9y\": \"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\"}",
		"{\"a\\u0041\": \"b\\u0042\", \"c\\n\": {\"d\\\"\": [\"e\\u0045\"]}}",
		"[9223372036854775807, -9223372036854775808]", "[[[[[[[[[[]]]]]]]]]]",
		"{\"a\": 1, \"b\": {\"a\": 2}}", "[1.0, 1, 0.1, 123456789012345678901234567890.5]",
		/* What the strict checks must still let through. */
		"{}\n\t\r ", "[\"\\ud800\\udc00\", \"\\udbff\\udfff\"]", "[\"a\\\\ud800\"]",
		"[\"\\\\\\ud83d\\ude00\\\"\"]", "{\"\\ud83d\\ude00\": \"\\\"\"}",
		"[\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"]",
	};
	static const char *const bad[] = {
		"", "   ", "{", "[1, 2", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "{a: 1}", "[01]",
		"[1.]", "[.5]", "['x']", "[\"\\x\"]", "{\"a\": 1} x", "{\"a\": 1}{}", "[nul]",
		"[9223372036854775808]", "[-9223372036854775809]", "[1e400]", "/* c */ {}",
		"[\"\\u0000\"]", "{\"\\u0000\": 1}", "[\"\xff\"]", "{\"a\": 1, \"a\": 2}",
		/* yajl's lexer passed these (audit D9): \v and \f as whitespace, */
		"{}\v", "{\f}", "[1,\v2]", "{\"a\":\f1}",
		/* text after the value that is only the start of a token, */
		"{} \"", "{}\"x", "[] tru", "{} \"]", "[1] -", "{} \"\\u12",
		/* UTF-8 that is overlong, a surrogate or past U+10FFFF, */
		"[\"\xc0\xaf\"]", "[\"\xc1\xbf\"]", "[\"\xe0\x80\xaf\"]", "[\"\xf0\x80\x80\xaf\"]",
		"[\"\xed\xa0\x80\"]", "[\"\xed\xbf\xbf\"]", "[\"\xf4\x90\x80\x80\"]",
		"[\"\xf5\x80\x80\x80\"]", "{\"\xc0\xaf\": 1}", "{\"\xed\xa0\x80\": 1}",
		/* and escaped surrogates that are not a pair. */
		"[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]", "[\"\\ud800\\u0041\"]",
		"[\"\\udbff\\ud800\"]", "[\"\\ud800\\\\udc00\"]", "{\"\\ud800\": 1}",
		"[\"a\\\"\\udc00\\n\"]",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		json_t *b = json_yajl_loadb(ok[i], strlen(ok[i]), JSON_REJECT_DUPLICATES, NULL);

		cr_expect(b, "yajl refuses %s", ok[i]);
		json_decref(b);
		jy_same_str(ok[i], JSON_REJECT_DUPLICATES);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = json_yajl_loadb(bad[i], strlen(bad[i]), JSON_REJECT_DUPLICATES, NULL);

		cr_expect(!b, "yajl accepts %s", bad[i]);
		json_decref(b);
		jy_same_str(bad[i], JSON_REJECT_DUPLICATES);
	}
	/* Without JSON_REJECT_DUPLICATES the last one wins, as in jansson. */
	jy_same_str("{\"a\": 1, \"a\": 2}", 0);
	/* A bare value only with JSON_DECODE_ANY. */
	jy_same_str("42", 0);
	jy_same_str("42", JSON_DECODE_ANY);
	jy_same_str("\"s\"", JSON_DECODE_ANY);
	jy_same_str("null", JSON_DECODE_ANY);
	/* NUL inside a string with JSON_ALLOW_NUL: kept, with its length. */
	jy_same_str("[\"a\\u0000b\"]", JSON_ALLOW_NUL);
}

Test(json_yajl, errors_say_where)
{
	json_error_t e;
	const char *text = "{\n  \"Members\": [\n    {\"Id\": 1,, }\n  ]\n}";
	json_t *o = json_yajl_loadb(text, strlen(text), 0, &e);

	cr_assert_null(o);
	cr_expect_eq(e.line, 3, "line %d", e.line);
	cr_expect(e.column >= 13 && e.column <= 16, "column %d", e.column);
	cr_expect(e.text[0] != '\0' && !strchr(e.text, '\n'), "text '%s'", e.text);
	cr_expect_eq(json_error_code(&e), json_error_invalid_syntax);

	o = json_yajl_loadb("{\"a\": 1,\n \"a\": 2}", 17, JSON_REJECT_DUPLICATES, &e);
	cr_assert_null(o);
	cr_expect_str_eq(e.text, "duplicate object key");
	cr_expect_eq(e.line, 2);
	cr_expect_eq(json_error_code(&e), json_error_duplicate_key);

	/* Cut short: the error is at the end, where jansson puts it too. */
	o = json_yajl_loadb("{\n \"a\": [1,", 11, 0, &e);
	cr_assert_null(o);
	cr_expect_eq(e.line, 2, "line %d", e.line);
	cr_expect_eq(e.position, 11, "position %d", e.position);

	o = json_yajl_loadb("[1e999]", 7, 0, &e);
	cr_assert_null(o);
	cr_expect_str_eq(e.text, "real number overflow");
	cr_expect_eq(json_error_code(&e), json_error_numeric_overflow);
}

Test(json_yajl, nesting_is_limited)
{
	size_t n = 5000;
	char *deep = malloc(2 * n + 1);
	json_error_t e;
	json_t *o;

	cr_assert(deep);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	o = json_yajl_loadb(deep, 2 * n, 0, &e);
	cr_expect_null(o);
	cr_expect_str_eq(e.text, "maximum parsing depth reached");
	json_decref(o);
	/* A scalar counts as a level too, as in jansson: 2,048 arrays hold
	 * only an empty one, and 2,047 a number. */
	o = json_yajl_loadb(deep + n - 2048, 4096, 0, &e);
	cr_expect(o, "%s", e.text);
	json_decref(o);
	{
		char *s = malloc(2 * 2048 + 2);

		cr_assert(s);
		memset(s, '[', 2048);
		s[2048] = '1';
		memset(s + 2049, ']', 2048);
		jy_same(s, 4097, 0, "2,048 arrays round a number");
		o = json_yajl_loadb(s, 4097, 0, &e);
		cr_expect_null(o, "2,048 arrays round a number are one level too many");
		json_decref(o);
		jy_same(s + 1, 4095, 0, "2,047 arrays round a number");
		free(s);
	}
	/* 2,000 levels are fine, as in jansson. */
	o = json_yajl_loadb(deep + n - 2000, 4000, 0, &e);
	cr_expect(o, "%s", e.text);
	json_decref(o);
	free(deep);
}

/* The text in a buffer of just its size (AddressSanitizer sees a byte
 * read past it): the checks over the whole text go 32 bytes at a time. */
Test(json_yajl, text_read_within_its_length)
{
	static const char *const texts[] = {
		"{\"a\": \"abcdefghijklmnopqrstuvw\"}",	/* 32 bytes */
		"[\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh\"]",	/* 64 */
		"[\"\\u00e9abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab\"]",	/* 64, an escape */
		"[\"\xc3\xa9" "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdef\"]",	/* 64, UTF-8 */
		"[\"\xc3\xa9\"]", "[]",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = strlen(texts[i]);
		char *t = malloc(len);

		cr_assert(t);
		memcpy(t, texts[i], len);
		jy_same(t, len, 0, texts[i]);
		free(t);
	}
}

Test(json_yajl, long_numbers)
{
	/* A number longer than the parser's small buffer. */
	char text[400] = "[0.";

	memset(text + 3, '1', 300);
	strcpy(text + 303, "]");
	jy_same_str(text, 0);
}

/* A NUL byte: jansson's reader loses the one right after a number or a
 * true/false/null (it "ungets" it, and a NUL in its one-character buffer
 * reads as empty), so "0\0" is 0 to it; anywhere else it is an error. */
Test(json_yajl, nul_bytes_as_jansson)
{
	static const struct {
		const char *text;
		size_t len;
		size_t flags;
		int ok;
	} c[] = {
#define C(text, flags, ok) { text, sizeof(text) - 1, flags, ok }
		C("0\0", JSON_DECODE_ANY, 1),
		C("[1\0]", 0, 1),
		C("[true\0, null\0, -2.5e3\0]", 0, 1),
		C("{\"a\": false\0}", 0, 1),
		C("1\0\0", JSON_DECODE_ANY, 0),
		C("[1\0" "2]", 0, 0),   /* not 12: the NUL ends the number */
		C("[1\0.5]", 0, 0),
		C("{}\0", 0, 0),
		C("[\0]", 0, 0),
		C("[1,\0 2]", 0, 0),
		C("[\"a\0\"]", 0, 0),
		C("[\"1\0\"]", JSON_ALLOW_NUL, 0),
		C("\"a\"\0", JSON_DECODE_ANY, 0),
#undef C
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_t *b = json_yajl_loadb(c[i].text, c[i].len, c[i].flags, NULL);

		cr_expect(!b == !c[i].ok, "case %zu (%s): yajl %s", i, c[i].text,
			  b ? "accepts" : "refuses");
		json_decref(b);
		jy_same(c[i].text, c[i].len, c[i].flags, c[i].text);
	}
}

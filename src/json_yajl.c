/* jansson trees from yajl's events (json_yajl.h says why). */
#include "json_yajl.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "text.h"

#define JY_MAX_DEPTH 2048          /* jansson's JSON_PARSER_MAX_DEPTH */

struct jy {
	size_t flags;
	yajl_handle h;
	const char *buf;           /* the text: where a token's bytes are */
	size_t len;
	size_t root_end;           /* just past the top-level value */
	int finishing;             /* in yajl_complete_parse(), past BUF */
	json_t **stack;            /* open objects and arrays, borrowed */
	size_t depth, cap;
	char *key;                 /* the pending key: a copy, since yajl may */
	size_t klen, kcap;         /* decode the value into the same buffer */
	json_t *root;
	const char *fail;          /* why a callback stopped the parse */
	enum json_error_code code;
};

static int jy_fail(struct jy *j, enum json_error_code code, const char *why)
{
	j->fail = why;
	j->code = code;
	return 0;
}

/* Where yajl's lexer is: just past the token it has handed us. */
static size_t jy_here(struct jy *j)
{
	return j->finishing ? j->len : yajl_get_bytes_consumed(j->h);
}

/* Hands V (a new reference) to the open container, or makes it the root. */
static int jy_put(struct jy *j, json_t *v)
{
	json_t *p;
	size_t n;

	if (!v)
		return jy_fail(j, json_error_out_of_memory, "out of memory");
	/* jansson counts every value as a level, a scalar too. */
	if (j->depth >= JY_MAX_DEPTH) {
		json_decref(v);
		return jy_fail(j, json_error_stack_overflow, "maximum parsing depth reached");
	}
	if (j->depth == 0) {
		if (!(j->flags & JSON_DECODE_ANY) && !json_is_object(v) && !json_is_array(v)) {
			json_decref(v);
			return jy_fail(j, json_error_invalid_syntax, "'[' or '{' expected");
		}
		j->root = v;
		j->root_end = jy_here(j);   /* a container's end is moved by jy_end() */
		return 1;
	}
	p = j->stack[j->depth - 1];
	if (json_is_array(p))
		return json_array_append_new(p, v) == 0 ||
		       jy_fail(j, json_error_out_of_memory, "out of memory");
	n = json_object_size(p);
	if (json_object_setn_new_nocheck(p, j->key, j->klen, v) != 0)
		return jy_fail(j, json_error_out_of_memory, "out of memory");
	/* The same size: the key was there, and its value replaced. */
	return !(j->flags & JSON_REJECT_DUPLICATES) || json_object_size(p) > n ||
	       jy_fail(j, json_error_duplicate_key, "duplicate object key");
}

static int jy_open(struct jy *j, json_t *v)
{
	if (!v)
		return jy_fail(j, json_error_out_of_memory, "out of memory");
	if (j->depth == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		json_t **s = realloc(j->stack, cap * sizeof(*s));

		if (!s) {
			json_decref(v);
			return jy_fail(j, json_error_out_of_memory, "out of memory");
		}
		j->stack = s;
		j->cap = cap;
	}
	if (!jy_put(j, v))
		return 0;
	j->stack[j->depth++] = v;   /* the parent (or root) holds the reference */
	return 1;
}

static int jy_null(void *ctx)
{
	return jy_put(ctx, json_null());
}

static int jy_boolean(void *ctx, int v)
{
	return jy_put(ctx, json_boolean(v));
}

/* yajl hands numbers as text (no integer/double callbacks): json_int_t
 * when jansson would make one (no '.', 'e' or 'E'), else a real. */
static int jy_number(void *ctx, const char *s, size_t len)
{
	struct jy *j = ctx;
	char small[64], *t = small, *end;
	int ok;

	if (len >= sizeof(small)) {
		t = malloc(len + 1);
		if (!t)
			return jy_fail(j, json_error_out_of_memory, "out of memory");
	}
	memcpy(t, s, len);
	t[len] = '\0';
	errno = 0;
	if (!memchr(t, '.', len) && !memchr(t, 'e', len) && !memchr(t, 'E', len)) {
		long long v = strtoll(t, &end, 10);

		if (errno == ERANGE)
			ok = jy_fail(j, json_error_numeric_overflow,
				     v < 0 ? "too big negative integer" : "too big integer");
		else
			ok = jy_put(j, json_integer((json_int_t)v));
	} else {
		double v = strtod(t, &end);

		if (errno == ERANGE && isinf(v))
			ok = jy_fail(j, json_error_numeric_overflow, "real number overflow");
		else
			ok = jy_put(j, json_real(v));
	}
	if (t != small)
		free(t);
	return ok;
}

static int jy_hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)s[i];

		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* yajl decodes a \uD800-\uDFFF that is not half of a pair into '?' or
 * into the bytes of a surrogate, which jansson refuses. A string with
 * escapes comes decoded into yajl's own buffer (one without comes as a
 * pointer into the text): this finds its text, which ends just before
 * where the lexer is, and checks its \u escapes the way jansson does. */
static int jy_check_escapes(struct jy *j)
{
	const char *b = j->buf;
	size_t end = jy_here(j), start, i;

	/* Only a whole token in BUF is ever a string; anything else is a bug. */
	if (j->finishing || end < 2 || end > j->len || b[end - 1] != '"')
		return jy_fail(j, json_error_invalid_syntax, "string not where it was lexed");
	/* The opening quote: the first '"' back that no odd run of
	 * backslashes escapes (the text's only '"' are those and \"). */
	start = end - 1;
	for (;;) {
		size_t bs = 0;

		if (start == 0)
			return jy_fail(j, json_error_invalid_syntax, "string not where it was lexed");
		start--;
		if (b[start] != '"')
			continue;
		while (bs < start && b[start - 1 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			break;
	}
	for (i = start + 1; i < end - 1; i++) {
		int cp;

		if (b[i] != '\\')
			continue;
		if (b[i + 1] != 'u') {
			i++;
			continue;
		}
		/* yajl's lexer checked the four hex digits already. */
		cp = jy_hex4(b + i + 2);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 12 > end - 1 || b[i + 6] != '\\' || b[i + 7] != 'u' ||
			    jy_hex4(b + i + 8) < 0xdc00 || jy_hex4(b + i + 8) > 0xdfff)
				return jy_fail(j, json_error_invalid_syntax,
					       "invalid Unicode: a \\uD800-\\uDBFF without its pair");
			i += 11;
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			return jy_fail(j, json_error_invalid_syntax,
				       "invalid Unicode: a lone \\uDC00-\\uDFFF");
		} else {
			i += 5;
		}
	}
	return 1;
}

/* Was the string at S decoded from escapes (rather than lying in the text)? */
static int jy_escaped(const struct jy *j, const unsigned char *s)
{
	uintptr_t p = (uintptr_t)s, b = (uintptr_t)j->buf;

	return p < b || p >= b + j->len;
}

static int jy_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jy *j = ctx;

	if (!(j->flags & JSON_ALLOW_NUL) && memchr(s, '\0', len))
		return jy_fail(j, json_error_null_character,
			       "\\u0000 is not allowed without JSON_ALLOW_NUL");
	if (jy_escaped(j, s) && !jy_check_escapes(j))
		return 0;
	/* yajl checked the UTF-8's shape, json_yajl_loadb() the rest. */
	return jy_put(j, json_stringn_nocheck((const char *)s, len));
}

static int jy_start_map(void *ctx)
{
	return jy_open(ctx, json_object());
}

static int jy_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct jy *j = ctx;

	if (memchr(k, '\0', len))
		return jy_fail(j, json_error_null_byte_in_key, "NUL byte in object key not supported");
	if (jy_escaped(j, k) && !jy_check_escapes(j))
		return 0;
	if (len + 1 > j->kcap) {
		size_t cap = len + 64;
		char *n = realloc(j->key, cap);

		if (!n)
			return jy_fail(j, json_error_out_of_memory, "out of memory");
		j->key = n;
		j->kcap = cap;
	}
	memcpy(j->key, k, len);
	j->key[len] = '\0';
	j->klen = len;
	return 1;
}

static int jy_end(void *ctx)
{
	struct jy *j = ctx;

	if (--j->depth == 0)
		j->root_end = jy_here(j);
	return 1;
}

static int jy_start_array(void *ctx)
{
	return jy_open(ctx, json_array());
}

static const yajl_callbacks jy_callbacks = {
	.yajl_null = jy_null,
	.yajl_boolean = jy_boolean,
	.yajl_number = jy_number,
	.yajl_string = jy_string,
	.yajl_start_map = jy_start_map,
	.yajl_map_key = jy_map_key,
	.yajl_end_map = jy_end,
	.yajl_start_array = jy_start_array,
	.yajl_end_array = jy_end,
};

/* Line and column (1-based, in bytes) of offset AT, as jansson counts them. */
static void jy_where(const char *buf, size_t len, size_t at, json_error_t *e)
{
	int line = 1, col = 0;

	if (at > len)
		at = len;
	for (size_t i = 0; i < at; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 0;
		} else {
			col++;
		}
	}
	e->line = line;
	e->column = col;
	e->position = (int)at;
}

/* "lexical error: invalid char in json text.\n" -> "invalid char in json text" */
static void jy_yajl_text(yajl_handle h, const char *buf, size_t len, char *out, size_t outlen)
{
	unsigned char *m = yajl_get_error(h, 0, (const unsigned char *)buf, len);
	const char *s = m ? (const char *)m : "invalid JSON";
	const char *c = strstr(s, "error: ");
	size_t n;

	if (c)
		s = c + strlen("error: ");
	n = strcspn(s, "\n");
	while (n > 0 && s[n - 1] == '.')
		n--;
	snprintf(out, outlen, "%.*s", (int)n, s);
	if (m)
		yajl_free_error(h, m);
}

/* Length of the UTF-8 sequence at S (at most N bytes) if jansson takes
 * it, else 0: no overlong form, surrogate or code point past U+10FFFF. */
static size_t jy_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* Offset of the first byte of BUF (LEN bytes) that jansson's reader
 * refuses and yajl's lexer lets by, or LEN: \v and \f, whitespace to
 * yajl and not to JSON (inside a string both refuse them), and UTF-8
 * that has the right shape but is overlong, a surrogate or past
 * U+10FFFF. It runs over every answer, so ASCII goes 32 bytes at a time
 * and the two control bytes are left to memchr(). */
static size_t jy_bad_byte(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	const unsigned char *v = memchr(s, '\v', len), *f = memchr(s, '\f', len);
	size_t end = len, i = 0;

	if (v)
		end = (size_t)(v - s);
	if (f && (size_t)(f - s) < end)
		end = (size_t)(f - s);
	while (i < end) {
		size_t n;

		while (end - i >= 32) {
			uint64_t w[4];

			memcpy(w, s + i, sizeof(w));
			if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull)
				break;
			i += 32;
		}
		if (i == end)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = jy_utf8_len(s + i, end - i);
		if (n == 0)
			return i;
		i += n;
	}
	return end;
}

static int jy_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void jy_error(json_error_t *e, const char *buf, size_t len, size_t at,
		     enum json_error_code code, const char *text)
{
	if (!e)
		return;
	jy_where(buf, len, at, e);
	snprintf(e->text, JSON_ERROR_TEXT_LENGTH - 1, "%s", text);
	e->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)code;
}

/* The error for a byte jy_bad_byte() found at AT. */
static void jy_bad_byte_error(json_error_t *e, const char *buf, size_t len, size_t at)
{
	char t[64];

	if (buf[at] == '\v' || buf[at] == '\f') {
		jy_error(e, buf, len, at, json_error_invalid_syntax, "invalid token");
		return;
	}
	snprintf(t, sizeof(t), "unable to decode byte 0x%02x", (unsigned char)buf[at]);
	jy_error(e, buf, len, at, json_error_invalid_utf8, t);
}

static json_t *jy_parse(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	struct jy j = { .flags = flags, .buf = buf, .len = len };
	yajl_status st;
	size_t at;

	if (error) {
		memset(error, 0, sizeof(*error));
		snprintf(error->source, sizeof(error->source), "<buffer>");
	}
	j.h = yajl_alloc(&jy_callbacks, NULL, &j);
	if (!j.h) {
		if (error) {
			snprintf(error->text, JSON_ERROR_TEXT_LENGTH - 1, "out of memory");
			error->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
		}
		return NULL;
	}
	st = yajl_parse(j.h, (const unsigned char *)buf, len);
	at = yajl_get_bytes_consumed(j.h);
	if (st == yajl_status_ok) {
		j.finishing = 1;
		st = yajl_complete_parse(j.h);
		at = len;   /* what is missing is missing at the end */
	}
	if (st == yajl_status_ok) {
		/* yajl ends at the value and keeps the start of a token after
		 * it (an unclosed string) for a next buffer: only whitespace
		 * may follow. Then what yajl's lexer does not check. */
		size_t t = j.root_end, bad;

		while (t < len && jy_is_space(buf[t]))
			t++;
		bad = jy_bad_byte(buf, t);
		if (bad < t)
			jy_bad_byte_error(error, buf, len, bad);
		else if (t < len)
			jy_error(error, buf, len, t, json_error_end_of_input_expected,
				 "end of file expected");
		if (bad < t || t < len) {
			json_decref(j.root);
			j.root = NULL;
		}
	} else {
		/* jansson, reading in order, would stop at such a byte first. */
		size_t bad = jy_bad_byte(buf, at < len ? at : len);

		if (bad < at && bad < len) {
			jy_bad_byte_error(error, buf, len, bad);
		} else if (error) {
			jy_where(buf, len, at, error);
			if (j.fail)
				snprintf(error->text, JSON_ERROR_TEXT_LENGTH - 1, "%s", j.fail);
			else
				jy_yajl_text(j.h, buf, len, error->text, JSON_ERROR_TEXT_LENGTH - 1);
			error->text[JSON_ERROR_TEXT_LENGTH - 1] =
				(char)(j.fail ? j.code : json_error_invalid_syntax);
		}
		json_decref(j.root);
		j.root = NULL;
	}
	yajl_free(j.h);
	free(j.stack);
	free(j.key);
	return j.root;
}

/* jansson's reader loses a NUL byte that comes right after a number or
 * true, false or null: it reads one byte past the token and puts it
 * back, and a NUL put back reads as "nothing buffered". Elsewhere a NUL
 * is an error to both. A copy of BUF with each such NUL made a space
 * (which ends the token as the lost NUL did: "1\02" is two numbers), or
 * NULL when there is none. */
static char *jy_jansson_nuls(const char *buf, size_t len)
{
	char *c = NULL;
	int in_string = 0;

	if (!memchr(buf, '\0', len))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char ch = buf[i], p;

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
			continue;
		}
		if (ch == '"') {
			in_string = 1;
			continue;
		}
		if (ch != '\0' || i == 0)
			continue;
		p = buf[i - 1];
		if (!((p >= '0' && p <= '9') || (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z')))
			continue;
		if (!c) {
			c = malloc(len);
			if (!c)
				return NULL;
			memcpy(c, buf, len);
		}
		c[i] = ' ';
	}
	return c;
}

json_t *json_yajl_loadb(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	json_t *o = jy_parse(buf, len, flags, error);
	char *again;

	/* Only a refused text can hold a NUL; the copy is parsed for jansson's
	 * answer, the error stays the one about the text as it came. */
	if (!o && (again = jy_jansson_nuls(buf, len))) {
		json_error_t e2;

		o = jy_parse(again, len, flags, &e2);
		free(again);
	}
	return o;
}

json_t *json_yajl_answer(const char *url, const char *body, size_t len, size_t flags, char *why,
			 size_t n)
{
	json_error_t je;
	json_t *o;
	char t[512];

	if (!body || len == 0) {
		snprintf(why, n, "%s: empty answer (expected JSON)", url);
		return NULL;
	}
	o = json_yajl_loadb(body, len, flags, &je);
	if (!o) {
		snprintf(t, sizeof(t), "%.300s: invalid JSON at line %d column %d: %.160s", url,
			 je.line, je.column, je.text);
		text_clean(why, n, t);
		return NULL;
	}
	if (!json_is_object(o)) {
		snprintf(why, n, "%s: answer is not a JSON object", url);
		json_decref(o);
		return NULL;
	}
	return o;
}

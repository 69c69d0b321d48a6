/* jansson trees from yajl's events (json_yajl.h says why). */
#include "json_yajl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "text.h"

#define JY_MAX_DEPTH 2048          /* jansson's JSON_PARSER_MAX_DEPTH */

struct jy {
	size_t flags;
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

/* Hands V (a new reference) to the open container, or makes it the root. */
static int jy_put(struct jy *j, json_t *v)
{
	json_t *p;
	size_t n;

	if (!v)
		return jy_fail(j, json_error_out_of_memory, "out of memory");
	if (j->depth == 0) {
		if (!(j->flags & JSON_DECODE_ANY) && !json_is_object(v) && !json_is_array(v)) {
			json_decref(v);
			return jy_fail(j, json_error_invalid_syntax, "'[' or '{' expected");
		}
		j->root = v;
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
	if (j->depth >= JY_MAX_DEPTH) {
		json_decref(v);
		return jy_fail(j, json_error_stack_overflow, "maximum parsing depth reached");
	}
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

static int jy_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jy *j = ctx;

	if (!(j->flags & JSON_ALLOW_NUL) && memchr(s, '\0', len))
		return jy_fail(j, json_error_null_character,
			       "\\u0000 is not allowed without JSON_ALLOW_NUL");
	/* yajl validated the UTF-8 already. */
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
	((struct jy *)ctx)->depth--;
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

json_t *json_yajl_loadb(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	struct jy j = { .flags = flags };
	yajl_handle h = yajl_alloc(&jy_callbacks, NULL, &j);
	yajl_status st;
	size_t at;

	if (error) {
		memset(error, 0, sizeof(*error));
		snprintf(error->source, sizeof(error->source), "<buffer>");
	}
	if (!h) {
		if (error) {
			snprintf(error->text, JSON_ERROR_TEXT_LENGTH - 1, "out of memory");
			error->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
		}
		return NULL;
	}
	st = yajl_parse(h, (const unsigned char *)buf, len);
	at = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		at = len;   /* what is missing is missing at the end */
	}
	if (st != yajl_status_ok) {
		if (error) {
			jy_where(buf, len, at, error);
			if (j.fail)
				snprintf(error->text, JSON_ERROR_TEXT_LENGTH - 1, "%s", j.fail);
			else
				jy_yajl_text(h, buf, len, error->text, JSON_ERROR_TEXT_LENGTH - 1);
			error->text[JSON_ERROR_TEXT_LENGTH - 1] =
				(char)(j.fail ? j.code : json_error_invalid_syntax);
		}
		json_decref(j.root);
		j.root = NULL;
	}
	yajl_free(h);
	free(j.stack);
	free(j.key);
	return j.root;
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

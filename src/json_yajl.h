/* jansson trees parsed with yajl's lexer.
 *
 * jansson's own parser reads a byte at a time through a string buffer
 * and costs about 18-20 ns a byte; yajl's lexer about 2. A fleet's
 * polls are mostly JSON to decode (1,000 BMCs every 30 s), so the
 * answers are lexed by yajl and built into the same json_t tree jansson
 * would have built: every decoder stays jansson's, and the two parsers
 * give equal trees (tests/unit/test_json_yajl.c compares them over every
 * mockup and fixture).
 *
 * Same contract as json_loadb(): a new reference or NULL with ERROR
 * filled (line, column, position and text as jansson writes them).
 * FLAGS: JSON_REJECT_DUPLICATES, JSON_DECODE_ANY, JSON_ALLOW_NUL; others
 * are ignored. Like jansson: UTF-8 is validated in full (no overlong
 * form, surrogate or code point past U+10FFFF), a \uD800-\uDFFF escape
 * only as half of a pair, whitespace is JSON's four (not \v or \f),
 * nothing but whitespace may follow the value, nesting is limited to
 * 2,048 levels (a scalar counts as one), an integer that does not fit
 * json_int_t and a real that overflows are errors, and "\u0000" is
 * refused unless JSON_ALLOW_NUL (in an object key, always). And as
 * jansson's reader does, a NUL byte right after a number or true, false
 * or null is skipped ("[1\0]" is [1]); any other NUL is an error. */
#ifndef RACKTOP_JSON_YAJL_H
#define RACKTOP_JSON_YAJL_H

#include <jansson.h>
#include <stddef.h>

json_t *json_yajl_loadb(const char *buf, size_t len, size_t flags, json_error_t *error);
/* An HTTP answer's JSON object: BODY (LEN bytes) parsed with FLAGS, or
 * NULL with WHY naming URL and the fault: "URL: empty answer (expected
 * JSON)", "URL: invalid JSON at line 2 column 9: ...", "URL: answer is
 * not a JSON object". Control characters of the answer never reach WHY. */
json_t *json_yajl_answer(const char *url, const char *body, size_t len, size_t flags, char *why,
			 size_t n);

#endif

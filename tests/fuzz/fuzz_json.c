/* json_yajl_loadb() against jansson's json_loadb(), with each set of
 * flags the code parses with (Redfish: JSON_REJECT_DUPLICATES; the
 * Kubernetes API: 0) and those json_yajl.h promises (JSON_DECODE_ANY,
 * JSON_ALLOW_NUL): both accept or both refuse, equal trees, an error
 * with a line and a text, and valid UTF-8 in every string of the tree.
 * json_yajl_answer() on the same text: its message holds no control
 * character, whatever the answer. */
#include "fuzz_check.h"
#include "json_yajl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Well-formed UTF-8 (no overlong form, surrogate or past U+10FFFF);
 * unlike fuzz_check_bytes(), control characters are fine: a JSON
 * string may hold "\n" or, with JSON_ALLOW_NUL, "\u0000". */
static int fj_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], cp, len;

		if (c < 0x80) {
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!len || c > 0xf4 || i + len > n)
			return 0;
		cp = c & (0xff >> (len + 1));
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static void fj_strings(json_t *v, size_t flags)
{
	const char *k;
	json_t *e;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		FUZZ_ASSERT(fj_utf8((const unsigned char *)json_string_value(v),
				    json_string_length(v)), "a string in the tree is not UTF-8");
		FUZZ_ASSERT((flags & JSON_ALLOW_NUL) ||
			    !memchr(json_string_value(v), '\0', json_string_length(v)),
			    "a NUL in a string without JSON_ALLOW_NUL");
		break;
	case JSON_OBJECT:
		json_object_foreach(v, k, e) {
			FUZZ_ASSERT(fj_utf8((const unsigned char *)k, strlen(k)),
				    "an object key is not UTF-8");
			fj_strings(e, flags);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, e)
			fj_strings(e, flags);
		break;
	default:
		break;
	}
}

static void fj_compare(const uint8_t *data, size_t size, size_t flags)
{
	json_error_t je, ye;
	json_t *a = json_loadb((const char *)data, size, flags, &je);
	json_t *b = json_yajl_loadb((const char *)data, size, flags, &ye);

	if (!!a != !!b) {
		fprintf(stderr, "flags 0x%zx: jansson %s (%s), yajl %s (%s)\n", flags,
			a ? "accepts" : "refuses", a ? "" : je.text, b ? "accepts" : "refuses",
			b ? "" : ye.text);
		abort();
	}
	if (a) {
		FUZZ_ASSERT(json_equal(a, b), "jansson and yajl build different trees");
		fj_strings(b, flags);
	} else {
		FUZZ_ASSERT(ye.line >= 1 && ye.column >= 0 && ye.position >= 0 &&
			    (size_t)ye.position <= size, "an error without a place");
		FUZZ_ASSERT(ye.text[0] != '\0', "an error without a text");
		FUZZ_ASSERT(memchr(ye.text, '\0', sizeof(ye.text)) != NULL, "an unterminated error");
	}
	json_decref(a);
	json_decref(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t flags[] = {
		JSON_REJECT_DUPLICATES, 0, JSON_DECODE_ANY, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	};
	char why[256];
	json_t *o;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		fj_compare(data, size, flags[i]);
	why[0] = '\0';
	o = json_yajl_answer("https://bmc.example/redfish/v1", (const char *)data, size,
			     JSON_REJECT_DUPLICATES, why, sizeof(why));
	if (o)
		FUZZ_ASSERT(json_is_object(o) && why[0] == '\0', "an answer and a message");
	else
		fuzz_check_text("json_yajl_answer's message", why);
	FUZZ_ASSERT(o || why[0], "no answer and no message");
	json_decref(o);
	return 0;
}

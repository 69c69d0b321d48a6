/* http.c's helpers that do not need a network. */
#include <criterion/criterion.h>
#include <string.h>

#include "http.h"

/* A message cut to its buffer ends at a character, never inside one:
 * a BMC's text quoted in an error would otherwise put invalid UTF-8 on
 * the screen (found by fuzz_redfish_poll's review of the IPMI fallback). */
Test(http, fmt_cuts_at_a_character)
{
	char b[8];

	/* "abcdé" is 6 bytes, "abcdef" + "é" would be cut after its 1st byte. */
	http_fmt(b, sizeof(b), "abcdef%s", "\xc3\xa9");
	cr_assert_str_eq(b, "abcdef");
	http_fmt(b, sizeof(b), "abcd%s", "\xe2\x9c\x93x");   /* a 3-byte ✓ fits exactly */
	cr_assert_str_eq(b, "abcd\xe2\x9c\x93");
	http_fmt(b, sizeof(b), "abcde%s", "\xe2\x9c\x93");   /* 2 of its 3 bytes would fit */
	cr_assert_str_eq(b, "abcde");
	http_fmt(b, sizeof(b), "a%s", "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	cr_assert_str_eq(b, "a\xf0\x9f\x98\x80");
	http_fmt(b, sizeof(b), "%s", "short");
	cr_assert_str_eq(b, "short");
	/* Not cut: left as it is, whatever it holds. */
	http_fmt(b, sizeof(b), "%s", "ab\xc3\xa9");
	cr_assert_str_eq(b, "ab\xc3\xa9");
}

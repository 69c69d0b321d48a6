/* base64 for Secret data: Kubernetes stores every value that way. */
#include "inventory_int.h"

#include <stdlib.h>
#include <string.h>

static int inventory_base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *inventory_base64_decode(const char *in, size_t *len)
{
	size_t n = strlen(in), o = 0, pad = 0;
	unsigned acc = 0;
	int bits = 0;
	char *out = malloc(n / 4 * 3 + 4);
	const unsigned char *s;

	if (!out)
		return NULL;
	for (s = (const unsigned char *)in; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		v = inventory_base64_value(*s);
		/* Nothing but padding may follow padding. */
		if (v < 0 || pad)
			goto bad;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	/* 6 leftover bits can never come from whole bytes; set leftover bits
	 * mean a corrupted value. */
	if (bits >= 6 || pad > 2 || (acc & ((1u << bits) - 1)) != 0)
		goto bad;
	out[o] = '\0';
	*len = o;
	return out;
bad:
	explicit_bzero(out, n / 4 * 3 + 4);
	free(out);
	return NULL;
}

#include "buf.h"

#include <stdlib.h>
#include <string.h>

enum buf_result buf_append(char **data, size_t *len, size_t *cap, size_t max,
			   size_t initial, const void *p, size_t n)
{
	if (*len + n > max)
		return BUF_TOO_BIG;
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : initial;
		char *nb;

		while (c < *len + n + 1)
			c *= 2;
		nb = realloc(*data, c);
		if (!nb)
			return BUF_NO_MEMORY;
		*data = nb;
		*cap = c;
	}
	memcpy(*data + *len, p, n);
	*len += n;
	(*data)[*len] = '\0';
	return BUF_OK;
}

#include "buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

const char buf_too_large[] = "too large";

const char *buf_read_fd(int fd, size_t max, char **data, size_t *len)
{
	struct stat st;
	size_t got = 0;
	char *b;

	if (fstat(fd, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if ((unsigned long long)st.st_size > max)
		return buf_too_large;
	b = malloc((size_t)st.st_size + 1);
	if (!b)
		return "out of memory";
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return strerror(e);
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	b[got] = '\0';
	*data = b;
	*len = got;
	return NULL;
}

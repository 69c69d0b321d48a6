#include "buf.h"

#include <errno.h>
#include <fcntl.h>
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

/* "not a regular file (a FIFO)": what kind of thing MODE is. */
static const char *buf_not_regular(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "not a regular file (a FIFO)";
	if (S_ISDIR(mode))
		return "not a regular file (a directory)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "not a regular file (a device)";
	if (S_ISSOCK(mode))
		return "not a regular file (a socket)";
	if (S_ISLNK(mode))
		return "a symbolic link (not followed)";
	return "not a regular file";
}

int buf_open_file(int dirfd, const char *path, int flags, mode_t mode, size_t max,
		  struct stat *st, const char **why)
{
	struct stat sb, *s = st ? st : &sb;
	int fd, e;

	do {
		fd = openat(dirfd, path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, mode);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		e = errno;
		/* ELOOP (O_NOFOLLOW on a link) and ENXIO (a FIFO nobody reads,
		 * opened for writing) say more as what the thing is. */
		if ((e == ELOOP || e == ENXIO || e == EISDIR) &&
		    fstatat(dirfd, path, s, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(s->st_mode))
			*why = buf_not_regular(s->st_mode);
		else
			*why = strerror(e);
		errno = e;
		return -1;
	}
	/* errno is set on every failure: a caller may test it for ENOENT. */
	if (fstat(fd, s) < 0) {
		e = errno;
		*why = strerror(e);
	} else if (!S_ISREG(s->st_mode)) {
		e = EINVAL;
		*why = buf_not_regular(s->st_mode);
	} else if (max && (unsigned long long)s->st_size > max) {
		e = EFBIG;
		*why = buf_too_large;
	} else {
		/* A regular file never blocks; later writes and reads are plain. */
		e = fcntl(fd, F_GETFL);
		if (e >= 0 && fcntl(fd, F_SETFL, e & ~O_NONBLOCK) == 0)
			return fd;
		e = errno;
		*why = strerror(e);
	}
	close(fd);
	errno = e;
	return -1;
}

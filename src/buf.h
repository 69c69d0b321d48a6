/* A byte buffer that grows by doubling up to a cap: response bodies from
 * BMCs and the Kubernetes API, always NUL-terminated. */
#ifndef RACKTOP_BUF_H
#define RACKTOP_BUF_H

#include <stddef.h>

enum buf_result { BUF_OK = 0, BUF_TOO_BIG = -1, BUF_NO_MEMORY = -2 };

/* Appends N bytes at P to *DATA (length *LEN, allocated *CAP, first
 * allocation INITIAL). Refuses to grow past MAX bytes of content. */
enum buf_result buf_append(char **data, size_t *len, size_t *cap, size_t max,
			   size_t initial, const void *p, size_t n);

/* Reads the regular file open on FD whole into a new NUL-terminated
 * buffer (*DATA, *LEN bytes), never past the size fstat gave (the file
 * may grow while we read). Returns NULL, or what went wrong in words:
 * "not a regular file", buf_too_large (when over MAX bytes), "out of
 * memory" or the read's strerror. */
extern const char buf_too_large[];
const char *buf_read_fd(int fd, size_t max, char **data, size_t *len);

#endif

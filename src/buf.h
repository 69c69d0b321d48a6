/* A byte buffer that grows by doubling up to a cap: response bodies from
 * BMCs and the Kubernetes API, always NUL-terminated. */
#ifndef RACKTOP_BUF_H
#define RACKTOP_BUF_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

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

/* Opens PATH (relative to DIRFD; AT_FDCWD for none) the one safe way for
 * a file racktop reads or appends to: FLAGS (O_RDONLY, or O_WRONLY with
 * O_APPEND, O_CREAT...; O_NOFOLLOW to refuse a symbolic link instead of
 * following it) plus O_NONBLOCK, O_CLOEXEC and O_NOCTTY, so that a FIFO
 * or a device there cannot block racktop in open(). What was opened is
 * then checked with fstat (what is checked is what is used): a regular
 * file of at most MAX bytes (0: any size). O_NONBLOCK is cleared again.
 * Returns the descriptor with *ST filled (ST may be NULL), or -1 with
 * what went wrong in words in *WHY: "a symbolic link (not followed)",
 * "not a regular file (a FIFO)", buf_too_large or strerror(errno), and
 * errno set (ENOENT only for a missing file; EINVAL not regular, EFBIG
 * too large). */
int buf_open_file(int dirfd, const char *path, int flags, mode_t mode, size_t max,
		  struct stat *st, const char **why);

#endif

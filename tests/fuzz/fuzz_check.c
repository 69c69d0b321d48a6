#include "fuzz_check.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_assert(int ok, const char *msg, const char *file, int line)
{
	if (ok)
		return;
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, msg);
	abort();
}

/* Length of the well-formed UTF-8 sequence at S (at most N bytes), or 0. */
static size_t check_utf8(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are not UTF-8. */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

void fuzz_check_bytes(const char *what, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (!s)
		return;
	while (i < n) {
		size_t l;

		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(stderr, "%s: control byte 0x%02x at %zu in \"%.*s\"\n", what, p[i], i,
				(int)(n > 200 ? 200 : n), s);
			abort();
		}
		l = check_utf8(p + i, n - i);
		if (l == 0) {
			fprintf(stderr, "%s: invalid UTF-8 (or a C1 control) at byte %zu\n", what, i);
			abort();
		}
		i += l;
	}
}

void fuzz_check_text(const char *what, const char *s)
{
	if (s)
		fuzz_check_bytes(what, s, strlen(s));
}

static char fuzz_dir_path[4096];

static void fuzz_dir_remove(void)
{
	fuzz_dir_clear();
	rmdir(fuzz_dir_path);
}

const char *fuzz_dir(void)
{
	if (!fuzz_dir_path[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/racktop-fuzz.XXXXXX",
			 t && *t ? t : "/tmp");
		if (!mkdtemp(fuzz_dir_path)) {
			perror(fuzz_dir_path);
			abort();
		}
		atexit(fuzz_dir_remove);
	}
	return fuzz_dir_path;
}

/* Removes everything below PATH but PATH itself. */
static void fuzz_rm_below(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			fuzz_rm_below(p);
			rmdir(p);
		} else {
			unlink(p);
		}
	}
	closedir(d);
}

void fuzz_dir_clear(void)
{
	if (fuzz_dir_path[0])
		fuzz_rm_below(fuzz_dir_path);
}

const char *fuzz_file(const char *name, const uint8_t *d, size_t n, unsigned mode)
{
	static char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
	if (fd < 0 || (n && write(fd, d, n) != (ssize_t)n) || fchmod(fd, (mode_t)mode) != 0 ||
	    close(fd) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* Per-host console logs: raw bytes and timestamped lines (console_log.h). */
#include "console_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

struct console_log {
	int raw, tlog;
	bool line_start;        /* the next byte opens a line in the tlog */
	bool failed;            /* told once */
	char path[4096];
};

/* Host names come from YAML: anything but a plain file-name character
 * becomes '_', so a name cannot climb out of the log directory. */
static void console_log_name(const char *host, char *buf, size_t n)
{
	size_t i;

	for (i = 0; host[i] && i + 1 < n; i++) {
		char ch = host[i];

		buf[i] = ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || (ch == '.' && i))
				 ? ch
				 : '_';
	}
	buf[i] = '\0';
	if (!i && n > 1)
		snprintf(buf, n, "_");
}

void console_log_path_for(const char *dir, const char *host, char *buf, size_t n)
{
	char name[128];

	/* No directory, no log (not "/HOST.log"). */
	if (!dir[0]) {
		if (n)
			buf[0] = '\0';
		return;
	}
	console_log_name(host, name, sizeof(name));
	snprintf(buf, n, "%s/%s.log", dir, name);
}

int console_log_default_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int r;

	/* No fallback in /tmp: a name there anyone can guess is a name
	 * another user can create first. A relative XDG_STATE_HOME is to
	 * be ignored (XDG base directory spec). */
	if (xdg && xdg[0] == '/')
		r = snprintf(buf, n, "%s/racktop/consoles", xdg);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.local/state/racktop/consoles", home);
	else
		r = -1;
	if (r < 0 || (size_t)r >= n) {
		if (n)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* mkdir -p with mode 0700 for what it creates. */
static int console_log_mkdir(const char *dir)
{
	char p[4096];
	size_t len = strlen(dir);

	if (len >= sizeof(p))
		return -1;
	memcpy(p, dir, len + 1);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* DIR, opened: ours and written by nobody else, or -1 with ERR. What is
 * checked is the directory the logs then go in (openat on its fd), so it
 * cannot be swapped between the check and the opens. */
static int console_log_dir_open(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "console log: cannot open the directory %s: %s", dir,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen,
			 "console log: the directory %s belongs to uid %u, not to uid %u that racktop "
			 "runs as; give one of your own (--console-log-dir DIR)",
			 dir, (unsigned)st.st_uid, (unsigned)geteuid());
		close(fd);
		return -1;
	}
	if (st.st_mode & 022) {
		snprintf(err, errlen,
			 "console log: the directory %s is writable by group or others (mode %04o), "
			 "who could plant links there; run: chmod go-w %s",
			 dir, (unsigned)(st.st_mode & 07777), dir);
		close(fd);
		return -1;
	}
	return fd;
}

/* DIR/NAME for appending: a regular file, never through a symlink,
 * never blocking on a FIFO. */
static int console_log_file(int dfd, const char *dir, const char *path, char *err, size_t errlen)
{
	const char *why;
	const char *name = path + strlen(dir) + 1;
	int fd = buf_open_file(dfd, name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600, 0, NULL,
			       &why);

	if (fd < 0)
		snprintf(err, errlen, "console log: cannot open %s: %s", path, why);
	return fd;
}

struct console_log *console_log_open(const char *dir, const char *host, char *err, size_t errlen)
{
	struct console_log *l;
	char tpath[4200];
	int dfd;

	if (!dir || !dir[0]) {
		snprintf(err, errlen, "console log: no directory (set HOME or XDG_STATE_HOME, or give "
			 "--console-log-dir DIR)");
		return NULL;
	}
	if (strlen(dir) + 140 >= sizeof(l->path)) {
		snprintf(err, errlen, "console log: the directory's path is too long");
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "console log: out of memory");
		return NULL;
	}
	l->raw = l->tlog = -1;
	l->line_start = true;
	if (console_log_mkdir(dir) < 0) {
		snprintf(err, errlen, "console log: cannot create %s: %s", dir, strerror(errno));
		free(l);
		return NULL;
	}
	dfd = console_log_dir_open(dir, err, errlen);
	if (dfd < 0) {
		free(l);
		return NULL;
	}
	console_log_path_for(dir, host, l->path, sizeof(l->path));
	snprintf(tpath, sizeof(tpath), "%.*st", (int)strlen(l->path) - 3, l->path);
	strcat(tpath, "log");
	l->raw = console_log_file(dfd, dir, l->path, err, errlen);
	if (l->raw >= 0)
		l->tlog = console_log_file(dfd, dir, tpath, err, errlen);
	close(dfd);
	if (l->raw < 0 || l->tlog < 0) {
		console_log_close(l);
		return NULL;
	}
	return l;
}

static int console_log_put(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static size_t console_log_stamp(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;
	size_t k;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	k += (size_t)snprintf(buf + k, n - k, ".%03ldZ ", ts.tv_nsec / 1000000);
	return k;
}

int console_log_write(struct console_log *l, const char *buf, size_t n)
{
	char out[8192];
	char stamp[40];
	size_t o = 0, sl = 0;
	int rc = 0;

	if (!l || !n)
		return 0;
	if (console_log_put(l->raw, buf, n) < 0)
		rc = -1;
	/* One time for the whole chunk: it arrived at once. */
	for (size_t i = 0; i < n; i++) {
		if (l->line_start) {
			if (!sl)
				sl = console_log_stamp(stamp, sizeof(stamp));
			if (o + sl > sizeof(out)) {
				rc |= console_log_put(l->tlog, out, o);
				o = 0;
			}
			memcpy(out + o, stamp, sl);
			o += sl;
			l->line_start = false;
		}
		if (o == sizeof(out)) {
			rc |= console_log_put(l->tlog, out, o);
			o = 0;
		}
		out[o++] = buf[i];
		if (buf[i] == '\n')
			l->line_start = true;
	}
	if (o)
		rc |= console_log_put(l->tlog, out, o);
	return rc ? -1 : 0;
}

void console_log_event(struct console_log *l, const char *fmt, ...)
{
	char line[1024];
	size_t k;
	va_list ap;

	if (!l)
		return;
	k = 0;
	if (!l->line_start)
		line[k++] = '\n';
	k += console_log_stamp(line + k, sizeof(line) - k);
	k += (size_t)snprintf(line + k, sizeof(line) - k, "--- ");
	va_start(ap, fmt);
	vsnprintf(line + k, sizeof(line) - k - 1, fmt, ap);
	va_end(ap);
	k = strlen(line);
	line[k++] = '\n';
	console_log_put(l->tlog, line, k);
	l->line_start = true;
}

void console_log_close(struct console_log *l)
{
	if (!l)
		return;
	if (l->raw >= 0)
		close(l->raw);
	if (l->tlog >= 0)
		close(l->tlog);
	free(l);
}

const char *console_log_raw_path(const struct console_log *l)
{
	return l ? l->path : NULL;
}

int console_log_tail(const char *path, size_t max, char **out, size_t *outlen)
{
	const char *why;
	struct stat st;
	off_t from;
	char *buf;
	ssize_t r;
	size_t skip = 0;
	int fd;

	*out = NULL;
	*outlen = 0;
	if (!path[0])
		return -1;
	/* What was planted there is not replayed, and a FIFO does not hang
	 * the screen. */
	fd = buf_open_file(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW, 0, 0, &st, &why);
	if (fd < 0)
		return -1;
	if (!(buf = malloc(max + 1))) {
		close(fd);
		return -1;
	}
	from = st.st_size > (off_t)max ? st.st_size - (off_t)max : 0;
	r = pread(fd, buf, max, from);
	close(fd);
	if (r < 0) {
		free(buf);
		return -1;
	}
	/* Start on a line: half an escape sequence would garble the replay. */
	if (from > 0) {
		char *nl = memchr(buf, '\n', (size_t)r);

		if (nl)
			skip = (size_t)(nl - buf) + 1;
	}
	memmove(buf, buf + skip, (size_t)r - skip);
	*out = buf;
	*outlen = (size_t)r - skip;
	return 0;
}

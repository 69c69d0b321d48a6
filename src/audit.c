/* The audit log (audit.h): one JSON object a line, built with jansson,
 * appended in one write() and fsync'd under a lock. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fleet.h"
#include "text.h"

struct audit {
	pthread_mutex_t lock;
	int fd;
	char path[PATH_MAX];
	/* Who: the real uid and the system's name for it; what the
	 * environment claims only beside it ("" when it says the same). */
	uid_t uid;
	char operator_[FLEET_STR];
	char env_user[FLEET_STR];
	char sudo_user[FLEET_STR];
	char ssh_client[64];
	unsigned long synced;
};

int audit_default_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int r;

	/* XDG says a relative XDG_STATE_HOME is invalid and to be ignored. */
	if (xdg && xdg[0] == '/')
		r = snprintf(buf, n, "%s/racktop/audit.log", xdg);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.local/state/racktop/audit.log", home);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

/* Creates the directories above PATH that are missing, mode 0700. */
static int audit_mkdirs(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	char *slash;

	text_copy(dir, sizeof(dir), path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "audit log %s: cannot create the directory %s: %s", path,
				 dir, strerror(errno));
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

/* The account name of UID from the system, or "" when it has none. */
static void audit_user_name(uid_t uid, char *dst, size_t n)
{
	struct passwd pw, *res = NULL;
	char buf[16384];

	dst[0] = '\0';
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name[0])
		text_clean(dst, n, res->pw_name);
}

/* $NAME cleaned into DST unless unset, empty or the same as SAME. */
static void audit_env_besides(const char *name, const char *same, char *dst, size_t n)
{
	const char *v = getenv(name);

	dst[0] = '\0';
	if (v && *v)
		text_clean(dst, n, v);
	if (!strcmp(dst, same))
		dst[0] = '\0';
}

/* The SSH client's address: the first field of $SSH_CONNECTION ("client
 * port server port"), else of $SSH_CLIENT; "" when absent or not an
 * address's characters. */
static void audit_ssh_client(char *dst, size_t n)
{
	const char *v = getenv("SSH_CONNECTION");
	size_t len;

	if (!v || !*v)
		v = getenv("SSH_CLIENT");
	dst[0] = '\0';
	if (!v)
		return;
	len = strcspn(v, " ");
	if (!len || len >= n ||
	    strspn(v, "0123456789.:%_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") < len)
		return;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* $USER can say anything (USER=op racktop, run as root): the operator
 * is the real uid's name, and what the environment says is kept beside
 * it when it differs. */
static void audit_find_operator(struct audit *a)
{
	a->uid = getuid();
	audit_user_name(a->uid, a->operator_, sizeof(a->operator_));
	if (!a->operator_[0])
		snprintf(a->operator_, sizeof(a->operator_), "uid %u", (unsigned)a->uid);
	audit_env_besides("USER", a->operator_, a->env_user, sizeof(a->env_user));
	audit_env_besides("SUDO_USER", a->operator_, a->sudo_user, sizeof(a->sudo_user));
	audit_ssh_client(a->ssh_client, sizeof(a->ssh_client));
}

/* Who may change what the log says besides us: refused (with the fix)
 * rather than written to. 0, or -1 with ERR. */
static int audit_check_file(const char *path, const struct stat *st, char *err, size_t errlen)
{
	if (st->st_uid != geteuid()) {
		char owner[FLEET_STR];

		audit_user_name(st->st_uid, owner, sizeof(owner));
		snprintf(err, errlen,
			 "audit log %s belongs to uid %u%s%s%s, not to uid %u that racktop runs as: "
			 "its owner could rewrite it; give a log of your own (--audit-log FILE)",
			 path, (unsigned)st->st_uid, owner[0] ? " (" : "", owner, owner[0] ? ")" : "",
			 (unsigned)geteuid());
		return -1;
	}
	if (st->st_mode & 022) {
		snprintf(err, errlen,
			 "audit log %s is writable by group or others (mode %04o): anyone could add "
			 "or change lines; run: chmod 600 %s",
			 path, (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

struct audit *audit_open(const char *path, char *err, size_t errlen)
{
	struct audit *a;
	struct stat st;
	const char *why;
	int fd;

	if (!path || !*path) {
		snprintf(err, errlen, "audit log: no path (set HOME or XDG_STATE_HOME, or give --audit-log FILE)");
		return NULL;
	}
	if (strlen(path) >= PATH_MAX) {
		snprintf(err, errlen, "audit log: the path is too long");
		return NULL;
	}
	if (audit_mkdirs(path, err, errlen) < 0)
		return NULL;
	/* Not through a symlink someone planted, not blocked by a FIFO:
	 * only a regular file of our own that only we may write. */
	fd = buf_open_file(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600, 0,
			   &st, &why);
	if (fd < 0) {
		snprintf(err, errlen, "audit log %s: cannot open: %s", path, why);
		return NULL;
	}
	if (audit_check_file(path, &st, err, errlen) < 0) {
		close(fd);
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		close(fd);
		snprintf(err, errlen, "audit log %s: out of memory", path);
		return NULL;
	}
	pthread_mutex_init(&a->lock, NULL);
	a->fd = fd;
	text_copy(a->path, sizeof(a->path), path);
	audit_find_operator(a);
	return a;
}

void audit_close(struct audit *a)
{
	if (!a)
		return;
	close(a->fd);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

const char *audit_path(const struct audit *a)
{
	return a->path;
}

const char *audit_operator(const struct audit *a)
{
	return a->operator_;
}

/* ISO 8601 UTC with milliseconds: 2024-05-01T12:00:00.123Z. */
static void audit_time(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;
	char s[32];
	int ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	ms = (int)(ts.tv_nsec / 1000000) % 1000;
	snprintf(buf, n, "%.24s.%03dZ", s, ms);
}

static json_t *audit_str(const char *s)
{
	char clean[FLEET_ERR * 2];

	if (!s)
		return json_null();
	/* What a BMC said reaches the log through text_clean() too. */
	text_clean(clean, sizeof(clean), s);
	return json_string(clean);
}

/* The line, newline included; NULL when out of memory. */
static char *audit_line(const struct audit *a, const struct audit_entry *e, size_t *len)
{
	json_t *o = json_object(), *hosts = json_array();
	char when[40], *text, *line;
	size_t n;

	audit_time(when, sizeof(when));
	for (size_t i = 0; i < e->nhosts; i++)
		json_array_append_new(hosts, audit_str(e->hosts[i]));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "operator", json_string(a->operator_));
	json_object_set_new(o, "uid", json_integer((json_int_t)a->uid));
	if (a->env_user[0])
		json_object_set_new(o, "env_user", json_string(a->env_user));
	if (a->sudo_user[0])
		json_object_set_new(o, "sudo_user", json_string(a->sudo_user));
	if (a->ssh_client[0])
		json_object_set_new(o, "ssh_client", json_string(a->ssh_client));
	json_object_set_new(o, "hosts", hosts);
	json_object_set_new(o, "action", audit_str(e->action));
	json_object_set_new(o, "protocol", audit_str(e->protocol));
	json_object_set_new(o, "result", audit_str(e->result));
	json_object_set_new(o, "error", audit_str(e->error));
	if (e->answer)
		json_object_set_new(o, "answer", audit_str(e->answer));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return NULL;
	n = strlen(text);
	line = realloc(text, n + 2);
	if (!line) {
		free(text);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	*len = n + 1;
	return line;
}

int audit_write(struct audit *a, const struct audit_entry *e, char *err, size_t errlen)
{
	size_t len = 0;
	char *line = audit_line(a, e, &len);
	ssize_t w;
	int rc = 0;

	if (!line) {
		snprintf(err, errlen, "audit log %s: out of memory", a->path);
		return -1;
	}
	pthread_mutex_lock(&a->lock);
	/* One write() on O_APPEND: the kernel places the whole line at the
	 * end, whoever else appends. A short write (disk full) is reported,
	 * never completed by a second write that could interleave. */
	do {
		w = write(a->fd, line, len);
	} while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len) {
		snprintf(err, errlen, "audit log %s: write: %s", a->path,
			 w < 0 ? strerror(errno) : "short write (disk full?)");
		rc = -1;
	} else if (fsync(a->fd) != 0) {
		snprintf(err, errlen, "audit log %s: fsync: %s", a->path, strerror(errno));
		rc = -1;
	} else {
		a->synced++;
	}
	pthread_mutex_unlock(&a->lock);
	free(line);
	return rc;
}

unsigned long audit_synced(struct audit *a)
{
	unsigned long n;

	pthread_mutex_lock(&a->lock);
	n = a->synced;
	pthread_mutex_unlock(&a->lock);
	return n;
}

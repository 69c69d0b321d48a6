/* The credentials file: "NAME USERNAME PASSWORD" lines for hosts whose
 * Machine has no usable Secret. Like ssh with a private key, the file is
 * refused when anyone but its owner may read it, and when its owner is
 * not the real user (root reading another user's file). Passwords never
 * reach a message: errors name the file and line only. */
#include "buf.h"
#include "inventory_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

#define CREDS_MAX_FILE (1u << 20)
#define CREDS_MAX_LINE 4096

struct creds_entry {
	const char *name, *user, *pass;
};

static char *creds_token(char **p)
{
	char *s = *p, *start;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

/* Splits BUF into entries in place. 0, or -1 with ERR set. */
static int creds_parse(char *buf, const char *path, struct creds_entry **out, size_t *nout,
		       char *err, size_t errlen)
{
	struct creds_entry *e = NULL;
	size_t n = 0, cap = 0;
	int lineno = 0;
	char *line = buf, *next;

	for (; line; line = next) {
		char *p, *end, *name, *user;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strlen(line) > CREDS_MAX_LINE) {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", path, lineno, CREDS_MAX_LINE);
			goto fail;
		}
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		name = creds_token(&p);
		user = creds_token(&p);
		while (*p == ' ' || *p == '\t')
			p++;
		/* The password is the rest of the line: it may hold spaces. */
		if (!name || !user || !*p) {
			snprintf(err, errlen, "%s:%d: expected NAME USERNAME PASSWORD", path, lineno);
			goto fail;
		}
		if (n == cap) {
			struct creds_entry *ne = realloc(e, (cap = cap ? cap * 2 : 16) * sizeof *ne);

			if (!ne) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			e = ne;
		}
		e[n].name = name;
		e[n].user = user;
		e[n].pass = p;
		n++;
	}
	*out = e;
	*nout = n;
	return 0;
fail:
	free(e);
	return -1;
}

/* The account name of UID, or "" (for messages). */
static void creds_user_name(uid_t uid, char *dst, size_t n)
{
	struct passwd pw, *res = NULL;
	char buf[16384];

	dst[0] = '\0';
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
		text_clean(dst, n, res->pw_name);
}

/* Reads PATH whole after checking who may read it. */
static char *creds_read(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	const char *why;
	char *buf;
	size_t got = 0;
	int fd;

	/* O_NONBLOCK first, checks on the open file after: a FIFO there
	 * cannot block racktop, and what is checked is what is read. */
	fd = buf_open_file(AT_FDCWD, path, O_RDONLY, 0, CREDS_MAX_FILE, &st, &why);
	if (fd < 0) {
		if (why == buf_too_large)
			snprintf(err, errlen, "credentials file %s: larger than %u KiB", path,
				 CREDS_MAX_FILE >> 10);
		else
			snprintf(err, errlen, "credentials file %s: %s", path, why);
		return NULL;
	}
	/* Someone else's file (root can read any): its owner chose these
	 * passwords and can change them, so they are not the operator's. */
	if (st.st_uid != getuid()) {
		char owner[64];

		creds_user_name(st.st_uid, owner, sizeof owner);
		snprintf(err, errlen,
			 "credentials file %s belongs to uid %u%s%s%s, not to you (uid %u); refused: "
			 "use a file of your own",
			 path, (unsigned)st.st_uid, owner[0] ? " (" : "", owner, owner[0] ? ")" : "",
			 (unsigned)getuid());
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
			 "credentials file %s is readable by group or others (mode %04o); run: chmod 600 %s",
			 path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	why = buf_read_fd(fd, CREDS_MAX_FILE, &buf, &got);
	close(fd);
	if (why == buf_too_large) {
		snprintf(err, errlen, "credentials file %s: larger than %u KiB", path, CREDS_MAX_FILE >> 10);
		return NULL;
	}
	if (why) {
		snprintf(err, errlen, "credentials file %s: %s", path, why);
		return NULL;
	}
	if (memchr(buf, '\0', got)) {
		snprintf(err, errlen, "credentials file %s: holds a NUL byte", path);
		explicit_bzero(buf, got);
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

static void creds_fill(struct inventory *inv, const char *path, const struct creds_entry *e, size_t n)
{
	struct inventory_map byname = { 0 };
	ssize_t any = -1;
	size_t i, first;

	/* The first entry for a name wins; a host's own beats "*". */
	for (i = 0; i < n; i++) {
		if (!strcmp(e[i].name, "*")) {
			if (any < 0)
				any = (ssize_t)i;
		} else {
			inventory_map_put(&byname, e[i].name, i, &first);
		}
	}
	for (i = 0; i < inv->nhosts; i++) {
		struct inventory_host *h = &inv->hosts[i];
		char qualified[2 * FLEET_STR + 2];
		char user[FLEET_STR * 2];
		char ref[sizeof h->cred_ref + 32];
		size_t k;

		if (h->username || !h->address[0])
			continue;
		snprintf(qualified, sizeof qualified, "%s/%s", h->namespace_, h->name);
		if (inventory_map_get(&byname, h->name, &k) < 0 &&
		    inventory_map_get(&byname, qualified, &k) < 0) {
			if (any < 0)
				continue;
			k = (size_t)any;
		}
		h->username = strdup(text_clean(user, sizeof user, e[k].user));
		h->password = strdup(e[k].pass);
		if (!h->username || !h->password) {
			text_wipe_free(h->username);
			text_wipe_free(h->password);
			h->username = h->password = NULL;
			continue;
		}
		snprintf(ref, sizeof ref, "credentials file %s", path);
		text_clean(h->cred_ref, sizeof h->cred_ref, ref);
		/* Only the missing-Secret kind of problem is solved by this. */
		if (!strncmp(h->error, "Secret ", 7))
			h->error[0] = '\0';
	}
	inventory_map_free(&byname);
}

/* -1, with ERR cleaned of control bytes: it is printed as it is, and
 * the path may come from the environment. */
static int creds_fail(char *err, size_t errlen)
{
	char raw[1024];

	if (errlen) {
		text_copy(raw, sizeof raw, err);
		text_clean(err, errlen, raw);
	}
	return -1;
}

int inventory_load_credentials(struct inventory *inv, const char *path, char *err, size_t errlen)
{
	struct creds_entry *e = NULL;
	size_t len = 0, n = 0;
	char *buf;

	if (errlen)
		err[0] = '\0';
	buf = creds_read(path, &len, err, errlen);
	if (!buf)
		return creds_fail(err, errlen);
	if (creds_parse(buf, path, &e, &n, err, errlen) < 0) {
		explicit_bzero(buf, len);
		free(buf);
		return creds_fail(err, errlen);
	}
	creds_fill(inv, path, e, n);
	free(e);
	explicit_bzero(buf, len);
	free(buf);
	return 0;
}

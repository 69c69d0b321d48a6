/* The inventory loader: files and directories in, hosts out. Reading a
 * file is bounded (INVENTORY_MAX_FILE); parsing is yaml_doc.c, objects
 * are inventory_parse.c, hosts are inventory_link.c. */
#include "buf.h"
#include "inventory_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

static void inventory_append(struct inventory *inv, const char *msg)
{
	char clean[1024];
	char **n;

	/* File names and YAML text may hold anything: clean before storing. */
	text_clean(clean, sizeof clean, msg);
	n = realloc(inv->errors, (inv->nerrors + 1) * sizeof *n);
	if (!n)
		return;
	inv->errors = n;
	n[inv->nerrors] = strdup(clean);
	if (n[inv->nerrors])
		inv->nerrors++;
}

void inventory_error(struct inventory_loader *l, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	/* A hostile file could make millions; the first ones say enough. */
	if (l->inv->nerrors >= INVENTORY_MAX_ERRORS) {
		l->dropped_errors++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	inventory_append(l->inv, msg);
}

static void inventory_yaml_document(void *ctx, const struct yaml_doc_node *root)
{
	inventory_parse_document(ctx, root);
}

static void inventory_yaml_error(void *ctx, int line, const char *msg)
{
	struct inventory_loader *l = ctx;

	inventory_error(l, "%s:%d: %s", l->file, line, msg);
}

/* One file. Returns -1 only when it could not be opened (or is not a
 * regular file: a FIFO would block the load). */
static int inventory_load_file(struct inventory_loader *l, const char *path)
{
	struct yaml_doc_callbacks cb = {
		.document = inventory_yaml_document,
		.error = inventory_yaml_error,
		.ctx = l,
	};
	const char *why;
	char *buf;
	size_t len = 0;
	int fd;

	fd = buf_open_file(AT_FDCWD, path, O_RDONLY, 0, INVENTORY_MAX_FILE, NULL, &why);
	why = fd < 0 ? why : buf_read_fd(fd, INVENTORY_MAX_FILE, &buf, &len);
	if (fd >= 0)
		close(fd);
	if (why == buf_too_large) {
		inventory_error(l, "%s: larger than %u MiB; not loaded", path, INVENTORY_MAX_FILE >> 20);
		return 0;
	}
	if (why) {
		inventory_error(l, "%s: %s", path, why);
		return fd < 0 ? -1 : 0;
	}
	l->file = path;
	yaml_doc_parse((const unsigned char *)buf, len, &cb);
	l->file = NULL;
	/* Secrets were in there. */
	explicit_bzero(buf, len);
	free(buf);
	return 0;
}

static bool inventory_is_yaml_name(const char *n)
{
	size_t len = strlen(n);

	if (n[0] == '.')
		return false;
	return (len > 5 && !strcmp(n + len - 5, ".yaml")) || (len > 4 && !strcmp(n + len - 4, ".yml"));
}

static int inventory_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int inventory_load_dir(struct inventory_loader *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	bool slash = dir[0] && dir[strlen(dir) - 1] == '/';

	if (!d) {
		inventory_error(l, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (!inventory_is_yaml_name(e->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *nn);

			if (!nn)
				break;
			names = nn;
		}
		if (asprintf(&names[n], "%s%s%s", dir, slash ? "" : "/", e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (n == 0) {
		inventory_error(l, "no manifests in %s (no *.yaml or *.yml files)", dir);
		free(names);
		return -1;
	}
	qsort(names, n, sizeof *names, inventory_cmp_names);
	for (i = 0; i < n; i++) {
		struct stat st;

		/* Subdirectories named *.yaml are not descended into. */
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			inventory_error(l, "%s: a directory; subdirectories are not read", names[i]);
		else
			inventory_load_file(l, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int inventory_load(const char *path, const char *creds_file, struct inventory *inv)
{
	struct inventory_loader l = { .inv = inv };
	struct stat st;
	int rc = 0;
	size_t i;

	memset(inv, 0, sizeof *inv);
	if (stat(path, &st) < 0) {
		inventory_error(&l, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		rc = inventory_load_dir(&l, path);
	else
		rc = inventory_load_file(&l, path);
	if (rc == 0 && inventory_link(&l) < 0)
		inventory_error(&l, "%s: out of memory", path);
	if (l.dropped_errors) {
		char msg[FLEET_ERR * 2];

		snprintf(msg, sizeof msg, "%s: %zu more errors not shown", path, l.dropped_errors);
		inventory_append(inv, msg);
	}
	for (i = 0; i < l.nobjs; i++)
		inventory_obj_free(&l.objs[i]);
	free(l.objs);
	for (i = 0; i < 3; i++)
		inventory_map_free(&l.index[i]);
	if (rc == 0 && creds_file) {
		char err[FLEET_ERR * 2];

		/* A refused credentials file stops the load: better than
		 * running with secrets others can read. */
		if (inventory_load_credentials(inv, creds_file, err, sizeof err) < 0) {
			inventory_append(inv, err);
			rc = -1;
		}
	}
	return rc;
}

void inventory_free(struct inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->nhosts; i++) {
		text_wipe_free(inv->hosts[i].username);
		text_wipe_free(inv->hosts[i].password);
	}
	free(inv->hosts);
	for (i = 0; i < inv->nerrors; i++)
		free(inv->errors[i]);
	free(inv->errors);
	memset(inv, 0, sizeof *inv);
}

void inventory_host_url(const struct inventory_host *h, char *buf, size_t n)
{
	const char *scheme;
	bool v6 = strchr(h->address, ':') != NULL;
	int port, dflt;
	char portbuf[16] = "";

	/* A host with no BMC has no URL. */
	if (!h->address[0]) {
		if (n)
			buf[0] = '\0';
		return;
	}
	if (h->protocol == FLEET_PROTO_IPMI) {
		scheme = "ipmi";
		port = h->ipmi_port;
		dflt = 623;
	} else {
		scheme = h->plain_http ? "http" : "https";
		port = h->port;
		dflt = h->plain_http ? 80 : 443;
	}
	if (port > 0 && port != dflt)
		snprintf(portbuf, sizeof portbuf, ":%d", port);
	snprintf(buf, n, "%s://%s%s%s%s", scheme, v6 ? "[" : "", h->address, v6 ? "]" : "", portbuf);
}

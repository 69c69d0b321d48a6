/* The kubeconfig (kubeconfig.h), read with the same bounded YAML tree
 * as the inventory (yaml_doc.h). */
#include "kubeconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "inventory_int.h"
#include "text.h"
#include "yaml_doc.h"

#define KUBECONFIG_MAX_FILE (4u << 20)
#define KUBECONFIG_MAX_TOKEN 16384

/* ERR cleaned of control bytes in place: what it holds came from the
 * file or the environment and goes to stderr or the screen as it is. */
static void kubeconfig_clean(char *err, size_t errlen)
{
	char raw[1024];

	if (!errlen)
		return;
	text_copy(raw, sizeof(raw), err);
	text_clean(err, errlen, raw);
}

int kubeconfig_path(char *buf, size_t n, char *err, size_t errlen)
{
	const char *env = getenv("KUBECONFIG");
	const char *home = getenv("HOME");
	struct stat st;

	if (env && *env) {
		const char *p = env;

		while (*p) {
			size_t len = strcspn(p, ":");

			if (len && len < n) {
				memcpy(buf, p, len);
				buf[len] = '\0';
				if (stat(buf, &st) == 0)
					return 0;
			}
			p += len;
			if (*p == ':')
				p++;
		}
		snprintf(err, errlen, "kubeconfig: no file of $KUBECONFIG (%s) exists", env);
		kubeconfig_clean(err, errlen);
		return -1;
	}
	if (!home || !*home) {
		snprintf(err, errlen, "kubeconfig: neither $KUBECONFIG nor $HOME is set");
		return -1;
	}
	snprintf(buf, n, "%s/.kube/config", home);
	return 0;
}

/* Reads a whole small file; NULL with ERR. Opened non-blocking and
 * checked on the open file: a FIFO or a device is refused, not waited on;
 * the size is checked before reading. */
static char *kubeconfig_slurp(const char *path, size_t max, size_t *len, const char *what,
			      char *err, size_t errlen)
{
	const char *why;
	char *buf = NULL;
	size_t n = 0;
	int fd = buf_open_file(AT_FDCWD, path, O_RDONLY, 0, max, NULL, &why);

	if (fd >= 0) {
		why = buf_read_fd(fd, max, &buf, &n);
		close(fd);
	}
	if (why == buf_too_large) {
		snprintf(err, errlen, "%s %s: larger than %zu bytes", what, path, max);
		kubeconfig_clean(err, errlen);
		return NULL;
	}
	if (why) {
		snprintf(err, errlen, "%s %s: %s", what, path, why);
		kubeconfig_clean(err, errlen);
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}

struct kubeconfig_ctx {
	struct kubeconfig *kc;
	const char *want;          /* the context asked for, or NULL */
	char *err;
	size_t errlen;
	bool done, failed;
};

static void kubeconfig_fail(struct kubeconfig_ctx *c, int line, const char *fmt, const char *arg)
{
	char msg[300];

	if (c->failed)
		return;
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	if (line > 0)
		snprintf(c->err, c->errlen, "%s:%d: %s", c->kc->path, line, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->kc->path, msg);
	/* Names in the message are the file's: an escape sequence in a
	 * context's name must not reach the terminal. */
	kubeconfig_clean(c->err, c->errlen);
	c->failed = true;
}

/* A plain string value under KEY, or NULL (wrong type reported). */
static const char *kubeconfig_str(struct kubeconfig_ctx *c, const struct yaml_doc_node *map,
				  const char *key)
{
	const struct yaml_doc_node *v = yaml_doc_get(map, key);

	if (!v)
		return NULL;
	if (v->type != YAML_DOC_SCALAR || v->too_long) {
		char what[120];

		snprintf(what, sizeof(what), "%s: expected a string%s", key,
			 v->too_long ? " (over 4 KiB: give it as a file)" : "");
		kubeconfig_fail(c, v->line, "%s", what);
		return NULL;
	}
	return v->u.s;
}

/* The entry named NAME in the list under LIST ("clusters"), its inner
 * mapping under INNER ("cluster"). */
static const struct yaml_doc_node *kubeconfig_named(struct kubeconfig_ctx *c,
						    const struct yaml_doc_node *root,
						    const char *list, const char *inner,
						    const char *name)
{
	const struct yaml_doc_node *seq = yaml_doc_get(root, list);

	if (seq && seq->type != YAML_DOC_SEQ) {
		kubeconfig_fail(c, seq->line, "%s: expected a list", list);
		return NULL;
	}
	for (size_t i = 0; seq && i < seq->n; i++) {
		const struct yaml_doc_node *e = seq->u.kids[i];
		const struct yaml_doc_node *n = yaml_doc_get(e, "name");

		if (n && n->type == YAML_DOC_SCALAR && !strcmp(n->u.s, name)) {
			const struct yaml_doc_node *in = yaml_doc_get(e, inner);

			if (!in || in->type != YAML_DOC_MAP) {
				char what[200], shown[FLEET_STR];

				text_clean(shown, sizeof(shown), name);
				snprintf(what, sizeof(what), "%s '%s' has no %s mapping", list, shown,
					 inner);
				kubeconfig_fail(c, e->line, "%s", what);
				return NULL;
			}
			return in;
		}
	}
	return NULL;
}

/* Base64 data into *OUT; false after an error. */
static bool kubeconfig_data(struct kubeconfig_ctx *c, const struct yaml_doc_node *map,
			    const char *key, char **out, size_t *len)
{
	const char *s = kubeconfig_str(c, map, key);

	if (!s)
		return !c->failed;
	*out = inventory_base64_decode(s, len);
	if (!*out) {
		kubeconfig_fail(c, yaml_doc_get(map, key)->line, "%s: not base64", key);
		return false;
	}
	return true;
}

static void kubeconfig_field(struct kubeconfig_ctx *c, const struct yaml_doc_node *map,
			     const char *key, char *dst, size_t n)
{
	const char *s = kubeconfig_str(c, map, key);

	if (s)
		text_clean(dst, n, s);
}

/* A bearer token goes into an HTTP header as it is: a CR or LF would add
 * headers of the file's choosing, so only visible ASCII is a token. */
static bool kubeconfig_token_ok(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
			return false;
	return true;
}

static void kubeconfig_document(void *arg, const struct yaml_doc_node *root)
{
	struct kubeconfig_ctx *c = arg;
	struct kubeconfig *kc = c->kc;
	const struct yaml_doc_node *ctx, *cl, *us;
	const char *name, *s;
	bool insecure = false;

	if (c->done || c->failed)
		return;
	c->done = true;
	if (!root || root->type != YAML_DOC_MAP) {
		kubeconfig_fail(c, root ? root->line : 0, "not a kubeconfig (expected a mapping)%s",
				NULL);
		return;
	}
	name = c->want ? c->want : kubeconfig_str(c, root, "current-context");
	if (!name || !*name) {
		kubeconfig_fail(c, 0, "no current-context; give --context NAME%s", NULL);
		return;
	}
	text_clean(kc->context, sizeof(kc->context), name);
	ctx = kubeconfig_named(c, root, "contexts", "context", name);
	if (!ctx) {
		kubeconfig_fail(c, 0, "no context named '%s'", kc->context);
		return;
	}
	kubeconfig_field(c, ctx, "cluster", kc->cluster, sizeof(kc->cluster));
	kubeconfig_field(c, ctx, "user", kc->user, sizeof(kc->user));
	kubeconfig_field(c, ctx, "namespace", kc->namespace_, sizeof(kc->namespace_));
	if (c->failed)
		return;
	cl = kc->cluster[0] ? kubeconfig_named(c, root, "clusters", "cluster", kc->cluster) : NULL;
	if (!cl) {
		kubeconfig_fail(c, ctx->line, "context's cluster '%s' is not in clusters",
				kc->cluster);
		return;
	}
	kubeconfig_field(c, cl, "server", kc->server, sizeof(kc->server));
	kubeconfig_field(c, cl, "certificate-authority", kc->ca_file, sizeof(kc->ca_file));
	if (!kubeconfig_data(c, cl, "certificate-authority-data", &kc->ca_data, &kc->ca_len))
		return;
	if (yaml_doc_get(cl, "insecure-skip-tls-verify") &&
	    yaml_doc_bool(yaml_doc_get(cl, "insecure-skip-tls-verify"), &insecure) == 0 && insecure) {
		kubeconfig_fail(c, cl->line, "cluster '%s': insecure-skip-tls-verify is not supported "
				"(racktop always verifies the API server; give its CA)", kc->cluster);
		return;
	}
	if (!kc->server[0] || strncmp(kc->server, "https://", 8) != 0) {
		kubeconfig_fail(c, cl->line, "cluster '%s': server must be an https:// URL",
				kc->cluster);
		return;
	}
	while (strlen(kc->server) > 8 && kc->server[strlen(kc->server) - 1] == '/')
		kc->server[strlen(kc->server) - 1] = '\0';
	/* "https://" alone, or "https:///": no host to verify the
	 * certificate against; a space or control byte is no URL either. */
	if (kc->server[8] == '\0' || kc->server[8] == '/' ||
	    kc->server[8 + strcspn(kc->server + 8, " \t\r\n")] != '\0') {
		kubeconfig_fail(c, cl->line, "cluster '%s': server URL has no host", kc->cluster);
		return;
	}
	us = kc->user[0] ? kubeconfig_named(c, root, "users", "user", kc->user) : NULL;
	if (kc->user[0] && !us) {
		kubeconfig_fail(c, ctx->line, "context's user '%s' is not in users", kc->user);
		return;
	}
	if (!us || c->failed)
		return;
	if (yaml_doc_get(us, "exec") || yaml_doc_get(us, "auth-provider")) {
		kubeconfig_fail(c, us->line, "user '%s': exec and auth-provider plugins are not "
				"supported (use a token, a token file or a client certificate)", kc->user);
		return;
	}
	s = kubeconfig_str(c, us, "token");
	if (s && *s && !kubeconfig_token_ok(s)) {
		kubeconfig_fail(c, us->line, "user '%s': token holds a space or control character",
				kc->user);
		return;
	}
	if (s && *s && !(kc->token = strdup(s))) {
		kubeconfig_fail(c, us->line, "out of memory%s", NULL);
		return;
	}
	kubeconfig_field(c, us, "tokenFile", kc->token_file, sizeof(kc->token_file));
	kubeconfig_field(c, us, "client-certificate", kc->cert_file, sizeof(kc->cert_file));
	kubeconfig_field(c, us, "client-key", kc->key_file, sizeof(kc->key_file));
	if (!kubeconfig_data(c, us, "client-certificate-data", &kc->cert_data, &kc->cert_len) ||
	    !kubeconfig_data(c, us, "client-key-data", &kc->key_data, &kc->key_len))
		return;
	if ((kc->cert_file[0] || kc->cert_data) != (kc->key_file[0] || kc->key_data))
		kubeconfig_fail(c, us->line, "user '%s': a client certificate needs its key (and the "
				"key its certificate)", kc->user);
}

static void kubeconfig_error(void *arg, int line, const char *msg)
{
	kubeconfig_fail(arg, line, "%s", msg);
}

/* Relative file names in a kubeconfig are relative to its directory. */
static void kubeconfig_resolve(const struct kubeconfig *kc, char *file, size_t n)
{
	char tmp[KUBECONFIG_PATH];
	const char *slash = strrchr(kc->path, '/');

	if (!file[0] || file[0] == '/' || !slash)
		return;
	snprintf(tmp, sizeof(tmp), "%.*s/%s", (int)(slash - kc->path), kc->path, file);
	text_copy(file, n, tmp);
}

int kubeconfig_load(const char *path, const char *context, struct kubeconfig *kc, char *err,
		    size_t errlen)
{
	struct kubeconfig_ctx c = { .kc = kc, .want = context, .err = err, .errlen = errlen };
	struct yaml_doc_callbacks cb = { kubeconfig_document, kubeconfig_error, &c };
	char *buf;
	size_t len;

	memset(kc, 0, sizeof(*kc));
	if (path)
		text_copy(kc->path, sizeof(kc->path), path);
	else if (kubeconfig_path(kc->path, sizeof(kc->path), err, errlen) < 0)
		return -1;
	buf = kubeconfig_slurp(kc->path, KUBECONFIG_MAX_FILE, &len, "kubeconfig", err, errlen);
	if (!buf)
		return -1;
	yaml_doc_parse((const unsigned char *)buf, len, &cb);
	text_wipe_free(buf);
	if (!c.failed && !c.done)
		kubeconfig_fail(&c, 0, "empty file%s", NULL);
	kubeconfig_resolve(kc, kc->ca_file, sizeof(kc->ca_file));
	kubeconfig_resolve(kc, kc->cert_file, sizeof(kc->cert_file));
	kubeconfig_resolve(kc, kc->key_file, sizeof(kc->key_file));
	kubeconfig_resolve(kc, kc->token_file, sizeof(kc->token_file));
	if (!c.failed && !kc->token && kc->token_file[0]) {
		kc->token = kubeconfig_slurp(kc->token_file, KUBECONFIG_MAX_TOKEN, NULL, "token file",
					     err, errlen);
		if (!kc->token) {
			c.failed = true;
		} else {
			/* The file's last line end is not part of the token. */
			size_t l = strlen(kc->token);

			while (l > 0 && (kc->token[l - 1] == '\n' || kc->token[l - 1] == '\r'))
				kc->token[--l] = '\0';
			if (!kubeconfig_token_ok(kc->token)) {
				char name[KUBECONFIG_PATH];

				snprintf(err, errlen, "token file %s: token holds a space or control character",
					 text_clean(name, sizeof(name), kc->token_file));
				c.failed = true;
			}
		}
	}
	if (c.failed) {
		kubeconfig_free(kc);
		return -1;
	}
	return 0;
}

void kubeconfig_free(struct kubeconfig *kc)
{
	text_wipe_free(kc->token);
	if (kc->key_data) {
		memset(kc->key_data, 0, kc->key_len);
		free(kc->key_data);
	}
	free(kc->ca_data);
	free(kc->cert_data);
	kc->token = kc->key_data = kc->ca_data = kc->cert_data = NULL;
}

/* The kubeconfig (kubeconfig_load), for its current-context and, when
 * the input's first line is "#context: NAME", for context NAME (any
 * bytes: the operator's --context). Loaded, every field is clean, the
 * server an https:// URL with a host and no trailing '/', and the token
 * free of control bytes (it goes into an HTTP header); refused, the
 * message is clean and names the file (and line). Nothing is dialled:
 * kubeconfig_load only reads. The files it may read (tokenFile) are
 * kept to this harness's directory: fopen, open and openat are wrapped
 * (-Wl,--wrap in fuzz.mk) and refuse anything else while it loads, so
 * no input reads the machine's files and every run is reproducible. */
#include "fuzz_check.h"
#include "fuzz_msg.h"
#include "kubeconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

FILE *__real_fopen(const char *path, const char *mode);
int __real_openat(int dirfd, const char *path, int flags, ...);
FILE *__wrap_fopen(const char *path, const char *mode);
int __wrap_openat(int dirfd, const char *path, int flags, ...);

int __wrap_open(const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);

static bool fuzz_kc_loading;

/* While loading: absolute paths inside fuzz_dir(), no "..". */
static bool fuzz_kc_allowed(int dirfd, const char *path)
{
	const char *d = fuzz_dir();
	size_t n = strlen(d);

	if (!fuzz_kc_loading)
		return true;
	if (dirfd != AT_FDCWD && path[0] != '/')
		return false;
	return !strncmp(path, d, n) && path[n] == '/' && !strstr(path, "/..");
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (!fuzz_kc_allowed(AT_FDCWD, path)) {
		errno = EACCES;
		return NULL;
	}
	return __real_fopen(path, mode);
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	/* The same check and call as openat's, relative to the cwd. */
	return __wrap_openat(AT_FDCWD, path, flags, mode);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	if (!fuzz_kc_allowed(dirfd, path)) {
		errno = EACCES;
		return -1;
	}
	return __real_openat(dirfd, path, flags, mode);
}

static void fuzz_kc_check(const struct kubeconfig *kc, const char *path)
{
	size_t n = strlen(kc->server);

	FUZZ_ASSERT(!strcmp(kc->path, path), "kc.path is not the file read");
	fuzz_check_text("kc.context", kc->context);
	fuzz_check_text("kc.cluster", kc->cluster);
	fuzz_check_text("kc.user", kc->user);
	fuzz_check_text("kc.server", kc->server);
	fuzz_check_text("kc.namespace", kc->namespace_);
	fuzz_check_text("kc.ca_file", kc->ca_file);
	fuzz_check_text("kc.cert_file", kc->cert_file);
	fuzz_check_text("kc.key_file", kc->key_file);
	fuzz_check_text("kc.token_file", kc->token_file);
	FUZZ_ASSERT(!strncmp(kc->server, "https://", 8), "a server that is not https://");
	FUZZ_ASSERT(n > 8, "a server URL with no host");
	FUZZ_ASSERT(kc->server[n - 1] != '/', "a server URL ending in '/'");
	/* "Authorization: Bearer TOKEN": a CR or LF would add headers. */
	for (const char *t = kc->token; t && *t; t++)
		FUZZ_ASSERT((unsigned char)*t >= 0x20 && *t != 0x7f, "a token holds a control byte");
	/* A client certificate comes with its key. */
	FUZZ_ASSERT((kc->cert_file[0] || kc->cert_data) == (kc->key_file[0] || kc->key_data),
		    "a client certificate without its key, or the reverse");
}

static void fuzz_kc_load(const char *path, const char *context, int max_line)
{
	struct kubeconfig kc;
	char err[1024] = "";
	int rc;

	fuzz_kc_loading = true;
	rc = kubeconfig_load(path, context, &kc, err, sizeof err);
	fuzz_kc_loading = false;
	if (rc == 0) {
		fuzz_kc_check(&kc, path);
		kubeconfig_free(&kc);
		FUZZ_ASSERT(!kc.token && !kc.key_data && !kc.ca_data && !kc.cert_data,
			    "kubeconfig_free left credentials");
		return;
	}
	FUZZ_ASSERT(rc == -1 && err[0], "refused without a reason");
	/* "FILE:N: ...", "FILE: ...", or a file it names: "token file F: ...". */
	if (!strncmp(err, "token file ", 11))
		fuzz_check_text("kubeconfig error", err);
	else
		fuzz_check_msg("kubeconfig error", err, path, max_line, false);
	FUZZ_ASSERT(!kc.token && !kc.key_data && !kc.ca_data && !kc.cert_data,
		    "a refused kubeconfig kept credentials");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4200], context[256];
	int max_line = fuzz_msg_max_line(data, size);

	snprintf(path, sizeof path, "%s", fuzz_file("kubeconfig", data, size, 0600));
	fuzz_kc_load(path, NULL, max_line);
	if (size > 10 && !memcmp(data, "#context: ", 10)) {
		size_t n = 0;

		while (10 + n < size && data[10 + n] != '\n' && data[10 + n] != '\0' &&
		       n < sizeof context - 1)
			n++;
		memcpy(context, data + 10, n);
		context[n] = '\0';
		fuzz_kc_load(path, context, max_line);
	}
	return 0;
}

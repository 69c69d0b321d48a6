/* The kubeconfig: which API server, as whom, trusting which CA.
 *
 * Read from the first file of $KUBECONFIG (a colon-separated list) that
 * exists, else ~/.kube/config; the context is --context NAME or the
 * file's current-context. Credentials (a bearer token, a token file, a
 * client certificate and key, as files or base64 data) stay in this
 * struct, are wiped when it is freed and never reach a message. TLS is
 * always verified against the cluster's CA (or the system's when the
 * cluster names none); insecure-skip-tls-verify is refused. */
#ifndef RACKTOP_KUBECONFIG_H
#define RACKTOP_KUBECONFIG_H

#include <stddef.h>

#define KUBECONFIG_PATH 4096

struct kubeconfig {
	char path[KUBECONFIG_PATH];   /* the file it came from */
	char context[128];
	char cluster[128];
	char user[128];
	char server[512];             /* https://127.0.0.1:6443, no trailing '/' */
	char namespace_[64];          /* the context's namespace ("" none) */
	char ca_file[KUBECONFIG_PATH];   /* certificate-authority ("" none) */
	char *ca_data;                /* certificate-authority-data, decoded PEM */
	size_t ca_len;
	char cert_file[KUBECONFIG_PATH]; /* client-certificate */
	char *cert_data;              /* client-certificate-data, decoded */
	size_t cert_len;
	char key_file[KUBECONFIG_PATH];  /* client-key */
	char *key_data;               /* client-key-data, decoded; wiped */
	size_t key_len;
	char *token;                  /* token, or the token file's content; wiped */
	char token_file[KUBECONFIG_PATH];
};

/* The path that would be read: $KUBECONFIG's first existing file, else
 * ~/.kube/config. 0, or -1 with ERR. */
int kubeconfig_path(char *buf, size_t n, char *err, size_t errlen);

/* Loads PATH (NULL: kubeconfig_path()) for CONTEXT (NULL: its
 * current-context). 0, or -1 with ERR naming the file (and line) and
 * what is wrong; never a credential. */
int kubeconfig_load(const char *path, const char *context, struct kubeconfig *kc, char *err,
		    size_t errlen);
/* Wipes the credentials and frees them. */
void kubeconfig_free(struct kubeconfig *kc);

#endif

/* A fresh self-signed certificate per run (ECDSA P-256: quick to make).
 * It is its own trust anchor (CA:TRUE) so a client given --cert-out's
 * file can verify the sim with TLS verification left on. */
#include "sim.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

static char *tls_pem(gnutls_datum_t *d)
{
	char *s = malloc(d->size + 1);

	if (s) {
		memcpy(s, d->data, d->size);
		s[d->size] = '\0';
	}
	gnutls_free(d->data);
	d->data = NULL;
	return s;
}

int tls_make_cert(struct sim_config *cfg, char *err, size_t n)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t out = { NULL, 0 };
	unsigned char serial[16], keyid[64];
	size_t keyid_len = sizeof(keyid);
	struct in_addr lo = { .s_addr = htonl(INADDR_LOOPBACK) };
	time_t now = time(NULL);
	int rc;
	const char *step = "generate key";

	if ((rc = gnutls_x509_privkey_init(&key)) < 0 ||
	    (rc = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
	              GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0)
		goto fail;
	step = "build certificate";
	if (getrandom(serial, sizeof(serial), 0) != (ssize_t)sizeof(serial)) {
		rc = GNUTLS_E_RANDOM_FAILED;
		goto fail;
	}
	serial[0] &= 0x7f;  /* a positive serial */
	if ((rc = gnutls_x509_crt_init(&crt)) < 0 ||
	    (rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0 ||
	    (rc = gnutls_x509_crt_set_dn(crt, "CN=racktop-sim,O=racktop", NULL)) < 0 ||
	    (rc = gnutls_x509_crt_set_issuer_dn(crt, "CN=racktop-sim,O=racktop", NULL)) < 0 ||
	    (rc = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(crt, now + 365 * 24 * 3600)) < 0 ||
	    (rc = gnutls_x509_crt_set_key(crt, key)) < 0 ||
	    (rc = gnutls_x509_crt_set_basic_constraints(crt, 1, -1)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
	                                             GNUTLS_KEY_KEY_CERT_SIGN)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, &lo, 4,
	                                               GNUTLS_FSAN_APPEND)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
	                                               GNUTLS_FSAN_APPEND)) < 0 ||
	    (rc = gnutls_x509_crt_get_key_id(crt, 0, keyid, &keyid_len)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_key_id(crt, keyid, keyid_len)) < 0)
		goto fail;
	step = "sign certificate";
	{
		gnutls_privkey_t pk;
		/* signed with its own key: a self-signed certificate */
		if ((rc = gnutls_privkey_init(&pk)) < 0)
			goto fail;
		rc = gnutls_privkey_import_x509(pk, key, 0);
		if (rc >= 0)
			rc = gnutls_x509_crt_privkey_sign(crt, crt, pk, GNUTLS_DIG_SHA256, 0);
		gnutls_privkey_deinit(pk);
		if (rc < 0)
			goto fail;
	}
	step = "export";
	if ((rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out)) < 0)
		goto fail;
	cfg->cert_pem = tls_pem(&out);
	if ((rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &out)) < 0)
		goto fail;
	cfg->key_pem = tls_pem(&out);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	if (!cfg->cert_pem || !cfg->key_pem) {
		snprintf(err, n, "TLS certificate: out of memory");
		return -1;
	}
	return 0;
fail:
	snprintf(err, n, "TLS certificate: %s: %s", step, gnutls_strerror(rc));
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	return -1;
}

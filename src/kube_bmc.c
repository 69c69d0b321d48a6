/* Kubernetes mode: one host's GPU readings read directly from its BMC
 * (kube_bmc_read in kube.h). The kube thread reads the Machine's Secret
 * from the cluster, then runs the BMC engine (engine.h) on a one-host
 * inventory of its own: the engine's thread owns that BMC's network,
 * writes into a one-host fleet store, and the kube thread copies each
 * poll's readings into the host's row. Nothing else in the fleet is
 * polled. Its TLS is verified as the BMC engine's is: with --cacert (and
 * not at all when the Machine says insecureTLS); a Machine that names no
 * Secret takes its credentials from the credentials file, as it would
 * with -f. The credentials live only in that inventory (wiped when it is
 * freed), never in a log, the action record or the screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "inventory.h"
#include "inventory_int.h"
#include "json_yajl.h"
#include "kube_int.h"
#include "text.h"

#define KUBE_BMC_RECORD "BMC read"
#define KUBE_BMC_SECRET_MAX (64 * 1024)

struct kube_bmc {
	size_t host;                 /* the main fleet's index */
	char secret_ns[64], secret_name[64];
	struct inventory inv;        /* one host, with the Secret's credentials */
	struct fleet *fleet;         /* the engine's one-host store */
	struct engine *engine;
	uint64_t seen;               /* its version last copied */
	time_t last_good;            /* its last good poll copied */
	char url[300];               /* "https://10.0.0.5" (no credential) */
	struct fleet_host_data last; /* the last readings, kept across cluster refreshes */
	bool have;
	struct kube_xfer *x;         /* the Secret's GET in flight */
};

int kube_bmc_read(struct kube *k, size_t host, char *err, size_t errlen)
{
	struct kube_obj *hw, *m;
	int rc = -1;

	pthread_mutex_lock(&k->lock);
	hw = kube_hardware_of(k, host);
	m = kube_machine_of(k, hw);
	if (!hw)
		snprintf(err, errlen, "no Hardware for this host in the cluster");
	else if (!m)
		snprintf(err, errlen, "Hardware %s/%s names no Machine (spec.bmcRef): no BMC to read",
			 hw->ns, hw->name);
	else if (!m->address[0])
		snprintf(err, errlen, "Machine %s/%s has no spec.connection.host", m->ns, m->name);
	else if (!m->secret[0] && !k->bmc_credentials)
		snprintf(err, errlen, "Machine %s/%s has no spec.connection.authSecretRef (and "
			 "there is no credentials file: -c FILE)", m->ns, m->name);
	else
		rc = 0;
	if (rc == 0)
		k->bmc_want = host + 1;
	pthread_mutex_unlock(&k->lock);
	if (rc == 0) {
		fleet_host_set_action(k->fleet, host, KUBE_BMC_RECORD, FLEET_ACTION_PENDING, NULL,
				      time(NULL));
		if (k->multi)
			curl_multi_wakeup(k->multi);
	}
	return rc;
}

void kube_bmc_free(struct kube *k)
{
	struct kube_bmc *b = k->bmc;

	if (!b)
		return;
	if (b->x)
		b->x->arg = NULL;   /* its answer finds nothing to do */
	if (b->engine) {
		engine_stop(b->engine);
		engine_free(b->engine);
	}
	if (b->fleet)
		fleet_free(b->fleet);
	inventory_free(&b->inv);
	fleet_host_data_free(&b->last);
	free(b);
	k->bmc = NULL;
}

static void kube_bmc_fail(struct kube *k, size_t host, const char *why)
{
	fleet_host_set_action(k->fleet, host, KUBE_BMC_RECORD, FLEET_ACTION_FAILED, why, time(NULL));
}

/* "10.0.0.5", "10.0.0.5:8443", "http://name:8000/" into the host. */
static int kube_bmc_address(struct inventory_host *h, const char *in, int port)
{
	char buf[256], *s = buf, *p;

	text_copy(buf, sizeof(buf), in);
	if (!strncasecmp(s, "http://", 7)) {
		h->plain_http = true;
		s += 7;
	} else if (!strncasecmp(s, "https://", 8)) {
		s += 8;
	}
	if ((p = strchr(s, '/')))
		*p = '\0';
	p = strchr(s, ':');
	if (p && !strchr(p + 1, ':')) {   /* one colon: host:port (more: IPv6) */
		char *end;
		long v = strtol(p + 1, &end, 10);

		if (*end || v <= 0 || v > 65535)
			return -1;
		*p = '\0';
		port = (int)v;
	}
	if (!*s || strlen(s) >= sizeof(h->address))
		return -1;
	text_clean(h->address, sizeof(h->address), s);
	h->port = port;
	return 0;
}

/* The Secret's data.KEY, base64-decoded and NUL-terminated; NULL. */
static char *kube_bmc_secret_field(json_t *data, const char *key)
{
	json_t *v = json_object_get(data, key);
	size_t len;
	char *s;

	if (!json_is_string(v))
		return NULL;
	s = inventory_base64_decode(json_string_value(v), &len);
	if (s && (len == 0 || len > 256 || memchr(s, '\0', len))) {
		memset(s, 0, len);
		free(s);
		return NULL;
	}
	return s;
}

/* Ends B with WHY on its host's action record. */
static void kube_bmc_abort(struct kube *k, struct kube_bmc *b, const char *why)
{
	kube_bmc_fail(k, b->host, why);
	kube_bmc_free(k);
}

/* B's one-host inventory from the host's Machine: where its BMC is and
 * how to talk to it; the credentials are the caller's to fill. NULL
 * (B ended, saying why) when it cannot be. */
static struct inventory_host *kube_bmc_host(struct kube *k, struct kube_bmc *b)
{
	struct kube_obj *hw = kube_hardware_of(k, b->host), *m = kube_machine_of(k, hw);
	struct inventory_host *h;
	char why[FLEET_ERR];

	if (!m) {
		kube_bmc_abort(k, b, "the host's Machine went away");
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	b->inv.hosts = h;
	if (!h) {
		kube_bmc_abort(k, b, "out of memory");
		return NULL;
	}
	b->inv.nhosts = 1;
	text_copy(h->name, sizeof(h->name), hw->shown[0] ? hw->shown : hw->name);
	text_copy(h->namespace_, sizeof(h->namespace_), hw->ns);
	h->protocol = m->protocol;
	h->insecure_tls = m->insecure_tls;
	text_copy(h->cred_ref, sizeof(h->cred_ref), m->secret);
	snprintf(h->source, sizeof(h->source), "Machine %s/%s", m->ns, m->name);
	if (kube_bmc_address(h, m->address, m->port) < 0) {
		http_fmt(why, sizeof(why), "Machine %s/%s: spec.connection.host \"%s\" is not a host, "
			 "host:port or URL", m->ns, m->name, m->address);
		kube_bmc_abort(k, b, why);
		return NULL;
	}
	h->plain_http = h->plain_http || m->plain_http;
	return h;
}

/* B's inventory is complete: its engine polls the BMC, with the same
 * TLS verification (--cacert) and request timeout as the fleet's. */
static void kube_bmc_run(struct kube *k, struct kube_bmc *b)
{
	const struct inventory_host *h = &b->inv.hosts[0];
	struct engine_config cfg;
	char why[FLEET_ERR];

	inventory_host_url(h, b->url, sizeof(b->url));
	engine_config_defaults(&cfg);
	cfg.ca_file = k->bmc_ca_file;
	cfg.timeout_ms = k->timeout_s * 1000;
	b->fleet = fleet_new();
	b->engine = b->fleet ? engine_new(b->fleet, &b->inv, &cfg) : NULL;
	if (!b->engine || engine_start(b->engine) < 0) {
		kube_bmc_abort(k, b, "cannot start the BMC engine");
		return;
	}
	http_fmt(why, sizeof(why), "reading %s directly (%s)", b->url,
		 fleet_protocol_name(h->protocol));
	fleet_host_set_action(k->fleet, b->host, KUBE_BMC_RECORD, FLEET_ACTION_RUNNING, why,
			      time(NULL));
}

static void kube_bmc_secret_done(struct kube *k, struct kube_xfer *x, CURLcode rc, long status)
{
	struct kube_bmc *b = x->arg;
	struct inventory_host *h;
	json_t *j, *data;
	char why[FLEET_ERR];

	if (!b)
		return;   /* another host was asked for meanwhile */
	b->x = NULL;
	if (rc != CURLE_OK || status != 200) {
		kube_xfer_error(x, rc, status, why, sizeof(why));
		kube_bmc_abort(k, b, why);
		return;
	}
	if (!(h = kube_bmc_host(k, b)))
		return;
	j = json_yajl_loadb(x->resp ? x->resp : "", x->len, 0, NULL);
	data = json_object_get(j, "data");
	h->username = kube_bmc_secret_field(data, "username");
	h->password = kube_bmc_secret_field(data, "password");
	json_decref(j);   /* the answer's copy: kube_xfer frees (and the store never had it) */
	if (x->resp)
		memset(x->resp, 0, x->len);
	if (!h->username || !h->password) {
		snprintf(why, sizeof(why), "%s: no base64 data.username and data.password", h->cred_ref);
		kube_bmc_abort(k, b, why);
		return;
	}
	kube_bmc_run(k, b);
}

/* A Machine that names no Secret: the credentials file's line for the
 * host (NAME, NS/NAME or *), as with -f. */
static void kube_bmc_from_file(struct kube *k, struct kube_bmc *b)
{
	struct inventory_host *h = kube_bmc_host(k, b);
	char err[FLEET_ERR], why[FLEET_ERR + 64];

	if (!h)
		return;
	if (inventory_load_credentials(&b->inv, k->bmc_credentials, err, sizeof(err)) < 0) {
		snprintf(why, sizeof(why), "the Machine names no Secret, and %s", err);
		kube_bmc_abort(k, b, why);
		return;
	}
	if (!h->username || !h->password) {
		http_fmt(why, sizeof(why), "the Machine names no Secret, and the credentials file %s "
			 "has no line for %s (or *)", k->bmc_credentials, h->name);
		kube_bmc_abort(k, b, why);
		return;
	}
	kube_bmc_run(k, b);
}

static void kube_bmc_begin(struct kube *k, size_t host)
{
	struct kube_obj *m = kube_machine_of(k, kube_hardware_of(k, host));
	struct kube_bmc *b;
	char url[1024], why[FLEET_ERR];

	kube_bmc_free(k);
	b = calloc(1, sizeof(*b));
	if (m && b && !m->secret[0] && k->bmc_credentials) {
		b->host = host;
		k->bmc = b;
		kube_bmc_from_file(k, b);
		return;
	}
	if (!m || !b || sscanf(m->secret, "Secret %63[^/]/%63s", b->secret_ns, b->secret_name) != 2) {
		kube_bmc_fail(k, host, !m ? "the host's Machine went away"
			      : !b ? "out of memory" : "the Machine's authSecretRef has no namespace/name");
		free(b);
		return;
	}
	b->host = host;
	k->bmc = b;
	snprintf(url, sizeof(url), "%s/api/v1/namespaces/%s/secrets/%s", k->kc.server,
		 b->secret_ns, b->secret_name);
	b->x = kube_xfer_start(k, "GET", url, NULL, NULL, kube_bmc_secret_done, b, k->timeout_s);
	if (!b->x) {
		kube_bmc_fail(k, host, "cannot start the request (out of memory)");
		kube_bmc_free(k);
		return;
	}
	snprintf(why, sizeof(why), "reading Secret %s/%s", b->secret_ns, b->secret_name);
	fleet_host_set_action(k->fleet, host, KUBE_BMC_RECORD, FLEET_ACTION_RUNNING, why,
			      time(NULL));
}

/* A new poll of the one-host store: into the host's row. */
static void kube_bmc_copy(struct kube *k, struct kube_bmc *b)
{
	struct fleet_snapshot snap = { 0 };
	const struct fleet_host *h;
	struct fleet_host_data d;
	char why[FLEET_ERR], at[16];
	struct tm tm;
	time_t now = time(NULL);

	b->seen = fleet_version(b->fleet);
	if (fleet_snapshot_take(b->fleet, &snap) < 0 || snap.nhosts < 1) {
		fleet_snapshot_free(&snap);
		return;
	}
	h = &snap.hosts[0];
	if (h->error[0] && h->last_good == b->last_good) {
		http_fmt(why, sizeof(why), "%s: %s", b->url, h->error);
		kube_bmc_fail(k, b->host, why);
	} else if (h->has_data && h->last_good != b->last_good &&
		   fleet_host_data_copy(&d, &h->data) == 0) {
		b->last_good = h->last_good;
		localtime_r(&b->last_good, &tm);
		strftime(at, sizeof(at), "%H:%M:%S", &tm);
		/* Where these readings came from, on the host view. */
		snprintf(d.notes, sizeof(d.notes), "read directly from the BMC at %.8s (not the "
			 "cluster): %.60s", at, b->url);
		fleet_host_data_free(&b->last);
		b->last = d;   /* a plain copy (no shared blocks): it moves */
		b->have = true;
		/* The cluster's power and health stay the row's (Rufio's
		 * picture); the GPUs and sensors are the BMC's. */
		kube_hosts_refresh_one_host(k, b->host);
		http_fmt(why, sizeof(why), "GPU readings from %s at %s", b->url, at);
		fleet_host_set_action(k->fleet, b->host, KUBE_BMC_RECORD, FLEET_ACTION_DONE, why, now);
	}
	fleet_snapshot_free(&snap);
}

void kube_bmc_tick(struct kube *k)
{
	size_t want;

	pthread_mutex_lock(&k->lock);
	want = k->bmc_want;
	k->bmc_want = 0;
	pthread_mutex_unlock(&k->lock);
	if (want)
		kube_bmc_begin(k, want - 1);
	if (k->bmc && k->bmc->fleet) {
		fleet_wake_drain(k->bmc->fleet);
		if (fleet_version(k->bmc->fleet) != k->bmc->seen)
			kube_bmc_copy(k, k->bmc);
	}
}

int kube_bmc_fd(struct kube *k)
{
	return k->bmc && k->bmc->fleet ? fleet_wake_fd(k->bmc->fleet) : -1;
}

void kube_bmc_keep(struct kube *k, size_t idx, struct fleet_host_data *d)
{
	if (k->bmc && k->bmc->have && k->bmc->host == idx)
		fleet_host_data_copy(d, &k->bmc->last);
}

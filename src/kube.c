/* Kubernetes mode (kube.h): the thread, its libcurl multi handle and
 * the HTTP exchanges; the watches are in kube_watch.c, the decoding in
 * kube_decode_*.c, the fleet and the actions in kube_hosts.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "json_yajl.h"
#include "kube_int.h"
#include "text.h"

/* Resource paths, always group-qualified: jobs.bmc.tinkerbell.org is
 * not a batch Job. Decoding is per version (kube_decode_*.c). */
static const struct kube_resource kube_resources[KUBE_NKINDS] = {
	[KUBE_HARDWARE] = { "tinkerbell.org", "hardware", "hardware.tinkerbell.org",
			    &kube_decoder_v1alpha1 },
	[KUBE_MACHINE] = { "bmc.tinkerbell.org", "machines", "machines.bmc.tinkerbell.org",
			   &kube_decoder_v1alpha1 },
	[KUBE_JOB] = { "bmc.tinkerbell.org", "jobs", "jobs.bmc.tinkerbell.org",
		       &kube_decoder_v1alpha1 },
	[KUBE_TASK] = { "bmc.tinkerbell.org", "tasks", "tasks.bmc.tinkerbell.org",
			&kube_decoder_v1alpha1 },
	[KUBE_TEMPLATE] = { "tinkerbell.org", "templates", "templates.tinkerbell.org",
			    &kube_decoder_v1alpha1 },
	[KUBE_WORKFLOW] = { "tinkerbell.org", "workflows", "workflows.tinkerbell.org",
			    &kube_decoder_v1alpha1 },
};

const struct kube_resource *kube_resource(enum kube_kind kind)
{
	return &kube_resources[kind];
}

void kube_logf(struct kube *k, const char *fmt, ...)
{
	char line[FLEET_ERR + 256];
	va_list ap;

	if (!k->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	k->log(k->log_arg, line);
}

static int kube_load(struct kube *k, char *err, size_t errlen)
{
	struct kubeconfig kc;

	if (kubeconfig_load(k->kubeconfig_arg[0] ? k->kubeconfig_arg : NULL,
			    k->context_arg[0] ? k->context_arg : NULL, &kc, err, errlen) < 0)
		return -1;
	kubeconfig_free(&k->kc);
	k->kc = kc;
	return 0;
}

int kube_reload(struct kube *k)
{
	char err[FLEET_ERR];

	if (kube_load(k, err, sizeof(err)) < 0) {
		kube_logf(k, "kube: reading the kubeconfig again: %s", err);
		return -1;
	}
	return 0;
}

struct kube *kube_new(struct fleet *fleet, const struct kube_config *cfg, char *err,
		      size_t errlen)
{
	struct kube *k = calloc(1, sizeof(*k));

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	k->fleet = fleet;
	if (cfg->kubeconfig)
		text_copy(k->kubeconfig_arg, sizeof(k->kubeconfig_arg), cfg->kubeconfig);
	if (cfg->context)
		text_copy(k->context_arg, sizeof(k->context_arg), cfg->context);
	if (cfg->namespace_)
		text_clean(k->ns, sizeof(k->ns), cfg->namespace_);
	k->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 10;
	k->bmc_ca_file = cfg->bmc_ca_file ? strdup(cfg->bmc_ca_file) : NULL;
	k->bmc_credentials = cfg->bmc_credentials ? strdup(cfg->bmc_credentials) : NULL;
	k->log = cfg->log;
	k->log_arg = cfg->log_arg;
	k->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	pthread_mutex_init(&k->lock, NULL);
	if (kube_load(k, err, errlen) < 0) {
		pthread_mutex_destroy(&k->lock);
		free(k->bmc_ca_file);
		free(k->bmc_credentials);
		free(k);
		return NULL;
	}
	snprintf(k->describe, sizeof(k->describe), "kube: context %s, %s%s", k->kc.context,
		 k->ns[0] ? "namespace " : "all namespaces", k->ns);
	kube_watch_init(k);
	return k;
}

const char *kube_describe(const struct kube *k)
{
	return k->describe;
}

void kube_set_action_hook(struct kube *k, engine_action_hook fn, void *arg)
{
	k->hook = fn;
	k->hook_arg = arg;
}

int kube_sync_state(struct kube *k, char *err, size_t errlen)
{
	int s;

	pthread_mutex_lock(&k->lock);
	s = k->sync;
	if (s < 0 && err)
		text_copy(err, errlen, k->sync_err);
	pthread_mutex_unlock(&k->lock);
	return s;
}

/* Bodies of lists and single objects; a watch stream's lines. */
#define KUBE_MAX_BODY (64u << 20)
#define KUBE_MAX_LINE (16u << 20)

static size_t kube_on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct kube_xfer *x = arg;
	size_t n = size * nmemb;

	if (x->stopped)
		return 0;
	switch (buf_append(&x->resp, &x->len, &x->cap, x->max, 16384, p, n)) {
	case BUF_OK:
		return n;
	case BUF_TOO_BIG:
		x->overflow = true;
		return 0;
	default:
		return 0;
	}
}

/* A stream: whole lines go to x->line as they complete. */
static size_t kube_on_stream(char *p, size_t size, size_t nmemb, void *arg)
{
	struct kube_xfer *x = arg;
	struct kube *k = x->k;
	size_t n = size * nmemb, start = 0;
	long code = 0;

	if (kube_on_body(p, size, nmemb, x) != n)
		return 0;
	/* Not a stream of events but a Status saying why not: kept whole
	 * for kube_xfer_error. */
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200)
		return n;
	for (size_t i = 0; i < x->len; i++) {
		if (x->resp[i] != '\n')
			continue;
		x->resp[i] = '\0';
		if (i > start && !x->line(k, x, x->resp + start, i - start)) {
			x->stopped = true;
			return 0;
		}
		start = i + 1;
	}
	memmove(x->resp, x->resp + start, x->len - start);
	x->len -= start;
	if (x->resp)
		x->resp[x->len] = '\0';
	return n;
}

struct kube_xfer *kube_xfer_start(struct kube *k, const char *method, const char *url,
				  const char *body, kube_xfer_line line, kube_xfer_done done,
				  void *arg, long timeout_s)
{
	struct kube_xfer *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->easy = curl_easy_init();
	if (!x->easy) {
		free(x);
		return NULL;
	}
	text_copy(x->url, sizeof(x->url), url);
	x->k = k;
	x->done = done;
	x->line = line;
	x->arg = arg;
	x->max = line ? KUBE_MAX_LINE : KUBE_MAX_BODY;
	CURL *e = x->easy;

	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SHARE, k->share);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 10L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	if (timeout_s > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout_s);
	/* Always verified: against the cluster's CA, else the system's. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (k->kc.ca_data) {
		struct curl_blob b = { k->kc.ca_data, k->kc.ca_len, CURL_BLOB_COPY };

		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &b);
	} else if (k->kc.ca_file[0]) {
		curl_easy_setopt(e, CURLOPT_CAINFO, k->kc.ca_file);
	}
	if (k->kc.cert_data) {
		struct curl_blob b = { k->kc.cert_data, k->kc.cert_len, CURL_BLOB_COPY };

		curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &b);
	} else if (k->kc.cert_file[0]) {
		curl_easy_setopt(e, CURLOPT_SSLCERT, k->kc.cert_file);
	}
	if (k->kc.key_data) {
		struct curl_blob b = { k->kc.key_data, k->kc.key_len, CURL_BLOB_COPY };

		curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &b);
	} else if (k->kc.key_file[0]) {
		curl_easy_setopt(e, CURLOPT_SSLKEY, k->kc.key_file);
	}
	x->hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (k->kc.token) {
		size_t n = strlen(k->kc.token) + 32;
		char *auth = malloc(n);

		if (auth) {
			snprintf(auth, n, "Authorization: Bearer %s", k->kc.token);
			x->hdrs = curl_slist_append(x->hdrs, auth);
			text_wipe_free(auth);
		}
	}
	if (body)
		x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/json");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (body) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, body);
	}
	if (line) {
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, kube_on_stream);
	} else {
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, kube_on_body);
	}
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (curl_multi_add_handle(k->multi, e) != CURLM_OK) {
		curl_slist_free_all(x->hdrs);
		curl_easy_cleanup(e);
		free(x);
		return NULL;
	}
	x->next = k->xfers;
	k->xfers = x;
	return x;
}

static void kube_xfer_free(struct kube *k, struct kube_xfer *x)
{
	for (struct kube_xfer **pp = &k->xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	curl_multi_remove_handle(k->multi, x->easy);
	curl_easy_cleanup(x->easy);
	/* The Authorization header holds the token. */
	for (struct curl_slist *s = x->hdrs; s; s = s->next)
		memset(s->data, 0, strlen(s->data));
	curl_slist_free_all(x->hdrs);
	free(x->resp);
	free(x);
}

void kube_xfer_error(struct kube_xfer *x, CURLcode rc, long status, char *buf, size_t n)
{
	char st[96], msg[FLEET_ERR] = "";
	json_t *j;

	if (x->overflow) {
		http_fmt(buf, n, "%s: the answer is over the size limit", x->url);
		return;
	}
	if (rc != CURLE_OK) {
		http_fmt(buf, n, "%s: %s", x->url, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		return;
	}
	http_status_text(status, st, sizeof(st));
	j = x->resp && x->len ? json_yajl_loadb(x->resp, x->len, 0, NULL) : NULL;
	if (j && json_is_string(json_object_get(j, "message")))
		text_clean(msg, sizeof(msg), json_string_value(json_object_get(j, "message")));
	json_decref(j);
	if (msg[0])
		http_fmt(buf, n, "%s: %s", st, msg);
	else
		http_fmt(buf, n, "%s: %s", x->url, st);
}

/* Completed transfers: their done() runs, then they are freed. */
static void kube_reap(struct kube *k)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(k->multi, &left))) {
		struct kube_xfer *x = NULL;
		long status = 0;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		CURLcode rc = m->data.result;

		/* A stream's last line may lack its newline. */
		if (x->line && x->len && !x->stopped && rc == CURLE_OK && status == 200) {
			x->resp[x->len] = '\0';
			x->line(k, x, x->resp, x->len);
			x->len = 0;
		}
		if (x->stopped && rc == CURLE_WRITE_ERROR)
			rc = CURLE_OK;
		x->done(k, x, rc, status);
		kube_xfer_free(k, x);
	}
}

static void kube_update_status(struct kube *k)
{
	char s[FLEET_ERR], err[FLEET_ERR] = "";
	int sync = 1;

	kube_watch_status(k, s, sizeof(s));
	if (strcmp(s, k->last_status)) {
		text_copy(k->last_status, sizeof(k->last_status), s);
		fleet_set_source_status(k->fleet, s);
	}
	for (int i = 0; i < KUBE_NKINDS; i++) {
		const struct kube_watch *w = &k->watch[i];

		if (!w->synced && !w->tried)
			sync = 0;
		else if (!w->synced && sync == 1) {
			sync = -1;
			snprintf(err, sizeof(err), "%s: %s", kube_resources[i].label, w->error);
		}
	}
	if (sync == 1) {
		for (int i = 0; i < KUBE_NKINDS; i++)
			if (!k->watch[i].synced)
				sync = 0;
	}
	pthread_mutex_lock(&k->lock);
	k->sync = sync;
	text_copy(k->sync_err, sizeof(k->sync_err), err);
	pthread_mutex_unlock(&k->lock);
}

static void *kube_main(void *arg)
{
	struct kube *k = arg;

	for (;;) {
		long wait;
		int running, stop;
		struct curl_waitfd bfd;

		pthread_mutex_lock(&k->lock);
		stop = k->stop;
		pthread_mutex_unlock(&k->lock);
		if (stop)
			break;
		kube_actions_run(k);
		wait = kube_watch_tick(k, time(NULL));
		curl_multi_perform(k->multi, &running);
		kube_reap(k);
		kube_bmc_tick(k);
		kube_update_status(k);
		if (wait < 0 || wait > 1000)
			wait = 1000;
		/* A direct BMC read's engine wakes us through its store. */
		bfd.fd = kube_bmc_fd(k);
		bfd.events = CURL_WAIT_POLLIN;
		bfd.revents = 0;
		curl_multi_poll(k->multi, bfd.fd >= 0 ? &bfd : NULL, bfd.fd >= 0 ? 1 : 0, (int)wait,
				NULL);
	}
	/* Its engine stops before the transfers (the Secret's GET) go. */
	kube_bmc_free(k);
	while (k->xfers) {
		struct kube_xfer *x = k->xfers;

		for (int i = 0; i < KUBE_NKINDS; i++)
			if (k->watch[i].x == x)
				k->watch[i].x = NULL;
		kube_xfer_free(k, x);
	}
	return NULL;
}

int kube_start(struct kube *k)
{
	k->multi = curl_multi_init();
	k->share = curl_share_init();
	if (!k->multi || !k->share)
		return -1;
	/* One thread: the share needs no locks. Connections and TLS
	 * sessions are reused across the watches. */
	curl_share_setopt(k->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(k->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	text_copy(k->last_status, sizeof(k->last_status), "kube: listing...");
	fleet_set_source_status(k->fleet, k->last_status);
	if (pthread_create(&k->thread, NULL, kube_main, k) != 0)
		return -1;
	k->started = true;
	return 0;
}

void kube_stop(struct kube *k)
{
	if (!k || !k->started)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_mutex_unlock(&k->lock);
	curl_multi_wakeup(k->multi);
	pthread_join(k->thread, NULL);
	k->started = false;
}

static void kube_free_obj(struct kube *k, struct kube_obj *o, void *arg)
{
	(void)arg;
	kube_store_del(k, o->kind, o->ns, o->name);
}

void kube_free(struct kube *k)
{
	if (!k)
		return;
	kube_stop(k);
	kube_actions_cancel(k);
	for (int i = 0; i < KUBE_NKINDS; i++)
		kube_store_each(k, (enum kube_kind)i, kube_free_obj, NULL);
	if (k->multi)
		curl_multi_cleanup(k->multi);
	if (k->share)
		curl_share_cleanup(k->share);
	kubeconfig_free(&k->kc);
	pthread_mutex_destroy(&k->lock);
	free(k->bmc_ca_file);
	free(k->bmc_credentials);
	free(k);
}

/* The libcurl multi transport: every BMC request of the fleet runs on one
 * multi handle, so thousands of hosts cost one thread and no blocking.
 * Connections and TLS sessions are reused (the multi's connection cache
 * plus a share handle); each BMC gets at most origin->limit requests in
 * flight and the fleet at most max_total; the rest wait here, each BMC's
 * in FIFO order, so a request's timeout only starts once it is really
 * sent. BMCs with room take turns at the fleet's budget (a ring of
 * "ready" origins), so starting the next request costs O(1) however
 * many wait: one list scanned on every completion was a third of the
 * CPU of a 1,000-host sweep.
 * Easy handles are reset and kept for the next request: at fleet size a
 * fresh handle per request (its buffers, its setup) cost more CPU than
 * the request's own HTTP work.
 *
 * The loop is libcurl's socket interface on our own epoll set: only the
 * sockets that moved are processed. curl_multi_perform() visits every
 * transfer in flight (a poll() system call each) on every pass, which
 * with hundreds in flight cost more than the transfers themselves. */
#include "http.h"

#include "buf.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "text.h"

struct http_xfer {
	CURL *easy;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	size_t cap;                  /* bytes allocated in req->resp */
	bool too_big;
	struct http_req *req;
	struct http_xfer *prev, *next;
};

struct http {
	struct http_transport base;
	CURLM *multi;
	CURLSH *share;
	int timeout_ms;
	size_t max_body;
	int max_total;
	char *ca_file;
	struct http_origin anon;     /* requests made without an origin */
	struct http_origin *ready_head, *ready_tail; /* room and requests waiting */
	struct http_origin *origins; /* every origin that had a request wait */
	size_t nwait;
	int ninflight;
	struct http_xfer *inflight;  /* doubly linked, for cancel */
	CURL **spare;                /* reset easy handles, ready for reuse */
	size_t nspare;
	int epfd;                    /* the sockets libcurl asked us to watch */
	int wakefd;                  /* eventfd in EPFD: http_wakeup() */
	long long timer_due;         /* libcurl's timeout, monotonic ms; -1: none */
};

#define HTTP_EVENTS 64

static long long http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libcurl says which of a socket's events it wants (CURLMOPT_SOCKETFUNCTION). */
static int http_on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	struct epoll_event ev = { 0 };

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		/* Fails harmlessly when libcurl closed it first. */
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, fd, NULL);
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
	ev.data.fd = fd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT)
		epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev);
	return 0;
}

/* libcurl's next timeout (CURLMOPT_TIMERFUNCTION): -1 none, 0 at once. */
static int http_on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	h->timer_due = timeout_ms < 0 ? -1 : http_now_ms() + timeout_ms;
	return 0;
}

struct http_req *http_req_new(const char *method, const char *url)
{
	struct http_req *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	text_copy(r->method, sizeof(r->method), method);
	text_copy(r->url, sizeof(r->url), url);
	return r;
}

void http_req_set_body(struct http_req *r, const char *body)
{
	text_wipe_free(r->body);
	r->body = body ? strdup(body) : NULL;
}

void http_req_free(struct http_req *r)
{
	if (!r)
		return;
	text_wipe_free(r->body);
	text_wipe_free(r->token);
	text_wipe_free(r->user);
	text_wipe_free(r->pass);
	text_wipe_free(r->auth_token);
	free(r->resp);
	free(r);
}

void http_fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	/* Cut short: never in the middle of a UTF-8 character (a message
	 * quoting a BMC's text would end in invalid UTF-8 on the screen). */
	if (n > 1 && r >= (int)n) {
		size_t end = n - 1, p = end;
		unsigned char c;

		while (p > 0 && end - p < 4 && ((unsigned char)dst[p - 1] & 0xc0) == 0x80)
			p--;
		if (p > 0) {
			c = (unsigned char)dst[p - 1];
			if (c >= 0xc0 && end - (p - 1) < (size_t)(c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2))
				dst[p - 1] = '\0';
		}
	}
}

void http_status_text(long status, char *buf, size_t n)
{
	const char *w;

	switch (status) {
	case 200: w = "OK"; break;
	case 201: w = "Created"; break;
	case 202: w = "Accepted"; break;
	case 204: w = "No Content"; break;
	case 400: w = "Bad Request"; break;
	case 401: w = "Unauthorized"; break;
	case 403: w = "Forbidden"; break;
	case 404: w = "Not Found"; break;
	case 405: w = "Method Not Allowed"; break;
	case 409: w = "Conflict"; break;
	case 429: w = "Too Many Requests"; break;
	case 500: w = "Internal Server Error"; break;
	case 501: w = "Not Implemented"; break;
	case 502: w = "Bad Gateway"; break;
	case 503: w = "Service Unavailable"; break;
	case 504: w = "Gateway Timeout"; break;
	default: w = ""; break;
	}
	http_fmt(buf, n, "HTTP %ld%s%s", status, *w ? " " : "", w);
}

static size_t http_on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer *x = arg;
	struct http_req *r = x->req;
	struct http *h = r->priv;
	size_t n = size * nmemb;

	/* Returning short aborts the transfer with CURLE_WRITE_ERROR. */
	switch (buf_append(&r->resp, &r->resp_len, &x->cap, h->max_body, 4096, p, n)) {
	case BUF_OK:
		return n;
	case BUF_TOO_BIG:
		x->too_big = true;
		return 0;
	default:
		return 0;
	}
}

/* Keeps only the two headers a Redfish login needs. */
static size_t http_on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http_req *r = arg;
	size_t n = size * nmemb, l;
	const char *v;

	if (n > 13 && strncasecmp(p, "X-Auth-Token:", 13) == 0) {
		v = p + 13;
	} else if (n > 9 && strncasecmp(p, "Location:", 9) == 0) {
		v = p + 9;
	} else {
		return n;
	}
	while (v < p + n && (*v == ' ' || *v == '\t'))
		v++;
	l = (size_t)(p + n - v);
	while (l > 0 && (v[l - 1] == '\r' || v[l - 1] == '\n' || v[l - 1] == ' '))
		l--;
	if (p[0] == 'X' || p[0] == 'x') {
		text_wipe_free(r->auth_token);
		r->auth_token = strndup(v, l);
	} else {
		char tmp[sizeof(r->location)];

		if (l >= sizeof(tmp))
			l = sizeof(tmp) - 1;
		memcpy(tmp, v, l);
		tmp[l] = '\0';
		text_clean(r->location, sizeof(r->location), tmp);
	}
	return n;
}

static void http_describe_error(struct http *h, struct http_xfer *x, CURLcode rc)
{
	struct http_req *r = x->req;
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
	long oserr = 0;
	char msg[FLEET_ERR];

	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (x->too_big) {
			http_fmt(msg, sizeof(msg), "response from %s larger than %zu bytes", r->url,
				 h->max_body);
			break;
		}
		http_fmt(msg, sizeof(msg), "%s: %s", r->url, detail);
		break;
	case CURLE_COULDNT_CONNECT:
		if (oserr == ECONNREFUSED)
			http_fmt(msg, sizeof(msg), "%s: connection refused", r->url);
		else
			http_fmt(msg, sizeof(msg), "%s: cannot connect: %s", r->url,
				 oserr ? strerror((int)oserr) : detail);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		http_fmt(msg, sizeof(msg), "%s: cannot resolve the host name", r->url);
		break;
	case CURLE_OPERATION_TIMEDOUT: {
		curl_off_t ct = 0;

		curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &ct);
		r->timed_out = true;
		http_fmt(msg, sizeof(msg), "%s: %s within %g s", r->url,
			 ct == 0 ? "no connection" : "no answer", h->timeout_ms / 1000.0);
		break;
	}
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		http_fmt(msg, sizeof(msg),
			 "TLS certificate of %s not trusted: %s; give --cacert FILE or set insecureTLS on the Machine",
			 r->url, detail);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		http_fmt(msg, sizeof(msg), "%s: TLS handshake failed: %s", r->url, detail);
		break;
	case CURLE_GOT_NOTHING:
		http_fmt(msg, sizeof(msg), "%s: connection closed without an answer", r->url);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		http_fmt(msg, sizeof(msg), "%s: answer cut short: %s", r->url, detail);
		break;
	default:
		http_fmt(msg, sizeof(msg), "%s: %s", r->url, detail);
		break;
	}
	text_clean(r->error, sizeof(r->error), msg);
}

static void http_xfer_free(struct http *h, struct http_xfer *x)
{
	for (struct curl_slist *s = x->hdrs; s; s = s->next)
		if (s->data)
			memset(s->data, 0, strlen(s->data));   /* held the token */
	curl_slist_free_all(x->hdrs);
	if (x->easy && h->spare && h->nspare < (size_t)h->max_total) {
		/* Forgets every option (credentials included); keeps nothing of
		 * this request but the handle's allocations. */
		curl_easy_reset(x->easy);
		h->spare[h->nspare++] = x->easy;
	} else if (x->easy) {
		curl_easy_cleanup(x->easy);
	}
	free(x);
}

static struct http_origin *http_origin_of(struct http *h, struct http_req *r)
{
	return r->origin ? r->origin : &h->anon;
}

static bool http_origin_open(const struct http_origin *o)
{
	return o->limit <= 0 || o->inflight < o->limit;
}

/* O joins the ready ring if it has a request waiting and room for it. */
static void http_ready_push(struct http *h, struct http_origin *o)
{
	if (o->ready || !o->wait_head || !http_origin_open(o))
		return;
	o->ready = true;
	o->ready_next = NULL;
	if (h->ready_tail)
		h->ready_tail->ready_next = o;
	else
		h->ready_head = o;
	h->ready_tail = o;
}

static struct http_origin *http_ready_pop(struct http *h)
{
	struct http_origin *o = h->ready_head;

	if (o) {
		h->ready_head = o->ready_next;
		if (!h->ready_head)
			h->ready_tail = NULL;
		o->ready = false;
		o->ready_next = NULL;
	}
	return o;
}

static void http_wait(struct http *h, struct http_req *r)
{
	struct http_origin *o = http_origin_of(h, r);

	r->next = NULL;
	if (o->wait_tail)
		o->wait_tail->next = r;
	else
		o->wait_head = r;
	o->wait_tail = r;
	h->nwait++;
	if (!o->listed) {
		o->listed = true;
		o->all_next = h->origins;
		h->origins = o;
	}
	http_ready_push(h, o);
}

static struct http_req *http_unwait(struct http *h, struct http_origin *o)
{
	struct http_req *r = o->wait_head;

	o->wait_head = r->next;
	if (!o->wait_head)
		o->wait_tail = NULL;
	r->next = NULL;
	h->nwait--;
	return r;
}

static void http_finish(struct http *h, struct http_req *r)
{
	struct http_origin *o = http_origin_of(h, r);

	if (o->inflight > 0)
		o->inflight--;
	http_ready_push(h, o);
	if (r->sent_at > 0)
		r->elapsed_s = http_now_ms() / 1000.0 - r->sent_at;
	r->priv = NULL;
	r->done(r);
}

static void http_unlink(struct http *h, struct http_xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		h->inflight = x->next;
	if (x->next)
		x->next->prev = x->prev;
	h->ninflight--;
}

static void http_fail_now(struct http *h, struct http_req *r, const char *what)
{
	http_fmt(r->error, sizeof(r->error), "%s: %s", r->url, what);
	http_finish(h, r);
}

static void http_start(struct http *h, struct http_req *r)
{
	struct http_xfer *x = calloc(1, sizeof(*x));
	CURL *e;

	http_origin_of(h, r)->inflight++;
	r->priv = h;
	r->sent_at = http_now_ms() / 1000.0;
	e = h->nspare ? h->spare[--h->nspare] : curl_easy_init();
	if (!x || !e) {
		if (e)
			curl_easy_cleanup(e);
		free(x);
		http_fail_now(h, r, "out of memory");
		return;
	}
	x->easy = e;
	x->req = r;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)h->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(h->timeout_ms < 5000 ? h->timeout_ms : 5000));
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_SHARE, h->share);
	/* libcurl 7.88 walks its whole DNS cache (an entry per BMC host:port)
	 * at the end of every request to prune it: with connections kept
	 * the cache saves nearly nothing, so keep it empty. */
	curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r->insecure ? 0L : 2L);
	if (h->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
	x->hdrs = curl_slist_append(x->hdrs, "Accept: application/json");
	x->hdrs = curl_slist_append(x->hdrs, "OData-Version: 4.0");
	if (r->body)
		x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/json");
	if (r->token) {
		char line[600];

		http_fmt(line, sizeof(line), "X-Auth-Token: %s", r->token);
		x->hdrs = curl_slist_append(x->hdrs, line);
		memset(line, 0, sizeof(line));
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (r->user) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, r->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, r->pass ? r->pass : "");
	}
	if (strcmp(r->method, "GET") != 0) {
		if (strcmp(r->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
		if (r->body || strcmp(r->method, "POST") == 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(r->body ? strlen(r->body) : 0));
		}
	}
	x->next = h->inflight;
	if (h->inflight)
		h->inflight->prev = x;
	h->inflight = x;
	h->ninflight++;
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		http_unlink(h, x);
		http_xfer_free(h, x);
		http_fail_now(h, r, "cannot start the request");
	}
}

/* Starts waiting requests while the fleet's budget has room: one per
 * ready BMC in turn. */
static void http_pump(struct http *h)
{
	struct http_origin *o;

	while (h->ninflight < h->max_total && (o = http_ready_pop(h))) {
		if (!o->wait_head || !http_origin_open(o))
			continue;
		/* http_start may complete it at once, and its done() submit
		 * more: both keep the lists right. */
		http_start(h, http_unwait(h, o));
		http_ready_push(h, o);
	}
}

static void http_submit(struct http_transport *t, struct http_req *r)
{
	struct http *h = (struct http *)t;
	struct http_origin *o = http_origin_of(h, r);

	r->status = 0;
	r->error[0] = '\0';
	r->timed_out = false;
	r->elapsed_s = r->sent_at = 0;
	r->next = NULL;
	if (!o->wait_head && h->ninflight < h->max_total && http_origin_open(o)) {
		http_start(h, r);
		return;
	}
	http_wait(h, r);
}

struct http *http_new(const struct engine_config *cfg, size_t nhosts)
{
	struct http *h = calloc(1, sizeof(*h));
	struct rlimit rl;
	long maxconn;

	if (!h)
		return NULL;
	h->epfd = h->wakefd = -1;
	h->base.submit = http_submit;
	h->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000;
	h->max_body = cfg->max_body ? cfg->max_body : 4u << 20;
	h->max_total = cfg->max_total > 0 ? cfg->max_total : 512;
	h->ca_file = cfg->ca_file ? strdup(cfg->ca_file) : NULL;
	h->multi = curl_multi_init();
	h->share = curl_share_init();
	h->spare = calloc((size_t)h->max_total, sizeof(*h->spare));
	h->timer_due = -1;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!h->multi || !h->share || !h->spare || h->epfd < 0 || h->wakefd < 0) {
		http_free(h);
		return NULL;
	}
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = h->wakefd };

		if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->wakefd, &ev) != 0) {
			http_free(h);
			return NULL;
		}
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	/* The engine thread is the only user: no share locks needed. */
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)(cfg->max_per_host > 0 ? cfg->max_per_host : 4));
	/* Keep the BMCs' connections, besides those in use: the next poll
	 * then needs no new TCP (or TLS) handshake. libcurl's shared TLS
	 * session cache holds only 8 sessions, so at fleet size a kept
	 * connection is the only TLS reuse there is. engine_raise_nofile()
	 * makes room for as many descriptors. */
	maxconn = (long)nhosts * (cfg->max_per_host > 0 ? cfg->max_per_host : 4) + h->max_total;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    maxconn > (long)rl.rlim_cur - 256)
		maxconn = (long)rl.rlim_cur - 256;   /* files, pipes, consoles */
	if (maxconn < 16)
		maxconn = 16;
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxconn);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, maxconn);
	return h;
}

struct http_transport *http_transport(struct http *h)
{
	return &h->base;
}

static void http_collect(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left))) {
		struct http_xfer *x = NULL;
		struct http_req *r;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (!x)
			continue;
		r = x->req;
		if (m->data.result == CURLE_OK)
			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
		else
			http_describe_error(h, x, m->data.result);
		curl_multi_remove_handle(h->multi, x->easy);
		http_unlink(h, x);
		http_xfer_free(h, x);
		http_finish(h, r);
	}
	http_pump(h);
}

void http_run(struct http *h, int timeout_ms)
{
	struct epoll_event ev[HTTP_EVENTS];
	int wait = timeout_ms < 0 ? 0 : timeout_ms, n, running = 0;
	bool timer = false;

	if (h->timer_due >= 0) {
		long long left = h->timer_due - http_now_ms();

		if (left < wait)
			wait = left < 0 ? 0 : (int)left;
	}
	n = epoll_wait(h->epfd, ev, HTTP_EVENTS, wait);
	for (int i = 0; i < n; i++) {
		uint32_t e = ev[i].events;
		int flags = 0;

		if (ev[i].data.fd == h->wakefd) {
			uint64_t v;

			if (read(h->wakefd, &v, sizeof(v)) < 0) {
				/* EAGAIN: another read took it */
			}
			continue;
		}
		if (e & (EPOLLIN | EPOLLHUP | EPOLLERR))
			flags |= CURL_CSELECT_IN;
		if (e & EPOLLOUT)
			flags |= CURL_CSELECT_OUT;
		if (e & EPOLLERR)
			flags |= CURL_CSELECT_ERR;
		curl_multi_socket_action(h->multi, ev[i].data.fd, flags, &running);
	}
	if (h->timer_due >= 0 && http_now_ms() >= h->timer_due) {
		h->timer_due = -1;   /* libcurl sets the next one from inside */
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		timer = true;
	}
	/* A whole wait with transfers in flight and nothing moving: let
	 * libcurl look at every transfer once (it can hold one with neither
	 * a socket event nor a timer, engine.c). Rare, so its cost is not. */
	if (n == 0 && !timer && wait > 0 && h->ninflight > 0)
		curl_multi_perform(h->multi, &running);
	http_collect(h);
}

void http_wakeup(struct http *h)
{
	uint64_t one = 1;

	if (write(h->wakefd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is full, a wake-up is pending anyway */
	}
}

size_t http_pending(struct http *h)
{
	return h->nwait + (size_t)h->ninflight;
}

/* The first transfer in flight that CANCEL_ALL (or its not being kept)
 * lets us cancel, or NULL. */
static struct http_xfer *http_cancellable(struct http *h, bool cancel_all)
{
	for (struct http_xfer *x = h->inflight; x; x = x->next)
		if (cancel_all || !x->req->keep)
			return x;
	return NULL;
}

/* Cancels what is in flight and waiting, all of it or all but what is
 * kept; 1 if it cancelled anything. done() callbacks may submit again:
 * the caller loops until all is quiet. */
static int http_cancel_round(struct http *h, bool cancel_all)
{
	struct http_xfer *x;
	int any = 0;

	while ((x = http_cancellable(h, cancel_all))) {
		struct http_req *r = x->req;

		curl_multi_remove_handle(h->multi, x->easy);
		http_unlink(h, x);
		http_xfer_free(h, x);
		http_fmt(r->error, sizeof(r->error), "%s: cancelled", r->url);
		http_finish(h, r);
		any = 1;
	}
	for (struct http_origin *o = h->origins; o; o = o->all_next) {
		struct http_req *kept = NULL, **kt = &kept, *drop = NULL, **dt = &drop;

		/* Sorted first, then told: done() may queue on this origin. */
		while (o->wait_head) {
			struct http_req *r = http_unwait(h, o);

			if (!cancel_all && r->keep) {
				*kt = r;
				kt = &r->next;
			} else {
				*dt = r;
				dt = &r->next;
			}
		}
		while (kept) {
			struct http_req *n = kept->next;

			http_wait(h, kept);
			kept = n;
		}
		while (drop) {
			struct http_req *r = drop, *n = drop->next;

			r->next = NULL;
			http_fmt(r->error, sizeof(r->error), "%s: cancelled", r->url);
			r->done(r);
			drop = n;
			any = 1;
		}
	}
	return any;
}

void http_cancel_unkept(struct http *h)
{
	for (int round = 0; round < 100 && http_cancel_round(h, false); round++)
		;
}

void http_cancel_all(struct http *h)
{
	for (int round = 0; round < 100 && (h->nwait || h->inflight); round++)
		http_cancel_round(h, true);
	/* Forget every origin: their hosts may be freed from now on. */
	while (h->origins) {
		struct http_origin *o = h->origins;

		h->origins = o->all_next;
		o->all_next = o->ready_next = NULL;
		o->listed = o->ready = false;
	}
	h->ready_head = h->ready_tail = NULL;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	http_cancel_all(h);
	/* Before the share: a handle that used it keeps it busy. */
	while (h->nspare)
		curl_easy_cleanup(h->spare[--h->nspare]);
	free(h->spare);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	if (h->share)
		curl_share_cleanup(h->share);
	/* After the multi: its cleanup still tells us of closed sockets. */
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->wakefd >= 0)
		close(h->wakefd);
	free(h->ca_file);
	free(h);
}

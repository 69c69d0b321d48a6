/* HTTP requests for the backends: one request struct, two transports.
 *
 * The Redfish code builds a struct http_req and hands it to a
 * struct http_transport; the transport calls req->done once, later,
 * on the engine thread. http.c is the real one (one libcurl multi
 * handle for the whole fleet); the tests plug in one that serves
 * mockup files from disk, so decoders run without a network. */
#ifndef RACKTOP_HTTP_H
#define RACKTOP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet.h"

struct engine_config;
struct http_req;

/* One BMC as the transport sees it: at most LIMIT requests in flight,
 * the others wait in the transport's queue (many BMCs serve only a
 * handful of connections). Owned by the backend host. */
struct http_origin {
	int inflight;
	int limit;
	/* transport private (http.c): this BMC's waiting requests, oldest
	 * first, and its places in the transport's lists */
	struct http_req *wait_head, *wait_tail;
	struct http_origin *ready_next, *all_next;
	bool ready, listed;
};

typedef void (*http_done_fn)(struct http_req *r);

struct http_req {
	/* filled by the caller (http_req_new, then the fields) */
	char method[8];             /* GET POST PATCH DELETE */
	char url[512];              /* absolute: https://host:port/redfish/v1/... */
	char *body;                 /* request JSON or NULL; wiped when freed (may hold a password) */
	char *token;                /* X-Auth-Token or NULL; wiped when freed */
	char *user, *pass;          /* HTTP Basic when user is set; wiped when freed */
	bool insecure;              /* skip TLS verification for this BMC */
	bool keep;                  /* not cancelled by http_cancel_unkept() (a login) */
	struct http_origin *origin;
	http_done_fn done;
	void *arg;
	int tag;                    /* for the caller */
	void *data;                 /* for the caller */
	/* results: error[0] set means no HTTP answer (refused, timeout, TLS) */
	long status;
	char *resp;                 /* body, NUL-terminated; NULL if none */
	size_t resp_len;
	char *auth_token;           /* X-Auth-Token of the answer (login); wiped when freed */
	char location[512];         /* Location header of the answer */
	char error[FLEET_ERR];
	bool timed_out;             /* error[] is the request timeout */
	double elapsed_s;           /* sent to answered (libcurl transport; 0: unknown) */
	/* transport private */
	void *priv;
	double sent_at;             /* monotonic s */
	struct http_req *next;
	size_t cap_exceeded;
};

struct http_transport {
	void (*submit)(struct http_transport *t, struct http_req *r);
};

struct http_req *http_req_new(const char *method, const char *url);
void http_req_set_body(struct http_req *r, const char *body);
void http_req_free(struct http_req *r);
/* Human-readable phrase for an HTTP status: "HTTP 500 Internal Server Error". */
void http_status_text(long status, char *buf, size_t n);

/* snprintf for messages that may be cut (a long URL): cutting is fine. */
void http_fmt(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The libcurl multi transport. */
struct http;
struct http *http_new(const struct engine_config *cfg, size_t nhosts);
void http_free(struct http *h);
struct http_transport *http_transport(struct http *h);
/* Runs transfers for up to TIMEOUT_MS (less when work is done or
 * http_wakeup() is called); completions are delivered from here. */
void http_run(struct http *h, int timeout_ms);
/* Thread-safe: makes a sleeping http_run() return. */
void http_wakeup(struct http *h);
/* Requests queued or in flight. */
size_t http_pending(struct http *h);
/* Aborts everything; each request's done() runs with error "cancelled". */
void http_cancel_all(struct http *h);
/* The same for every request but those marked keep (and those their
 * done() submits marked keep): they go on. */
void http_cancel_unkept(struct http *h);

#endif

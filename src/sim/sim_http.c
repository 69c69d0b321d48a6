/* libmicrohttpd glue: one daemon per simulated BMC, each in external
 * epoll mode (no threads of its own) so that the main loop can serve
 * every host from one thread; request bodies, authentication (sessions
 * and HTTP Basic), routing and the delayed answers of "slow" hosts. */
#include "sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#define SESSIONS_PATH "/redfish/v1/SessionService/Sessions"

struct http_req {
	char *body;
	size_t len;
	bool too_big;
	bool delayed;
};

struct http_delayed {
	struct sim_host *host;
	struct MHD_Connection *conn;
	double due;
};

double sim_slow_delay_s = SIM_SLOW_DELAY_MS / 1000.0;

static struct sim_config *http_cfg;
static struct http_delayed *http_delays;
static size_t http_ndelays, http_cap_delays;

static void http_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(r, "OData-Version", "4.0");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
}

/* OBJ as compact JSON text (malloc'd, or NULL); releases OBJ. */
static char *http_dump(json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;

	json_decref(obj);
	return text;
}

/* A JSON response that owns TEXT (freed here if it cannot be made). */
static struct MHD_Response *http_response(char *text)
{
	struct MHD_Response *r;

	if (!text)
		return NULL;
	r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return NULL;
	}
	http_headers(r);
	return r;
}

/* Queues and releases R; a NULL R (out of memory) closes. */
static enum MHD_Result http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result http_send_text(struct MHD_Connection *c, unsigned status, char *text)
{
	return http_queue(c, status, http_response(text));
}

/* Sends and releases OBJ; a NULL OBJ (out of memory) closes. */
static enum MHD_Result http_send(struct MHD_Connection *c, unsigned status, json_t *obj)
{
	return http_send_text(c, status, http_dump(obj));
}

static enum MHD_Result http_error(struct MHD_Connection *c, unsigned status,
                                  const char *id, const char *msg)
{
	return http_send(c, status, redfish_error(id, msg));
}

static enum MHD_Result http_empty(struct MHD_Connection *c, unsigned status)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);

	if (r)
		MHD_add_response_header(r, "OData-Version", "4.0");
	return http_queue(c, status, r);
}

/* Compares without an early exit, so timing does not leak the secret. */
static bool http_secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0;
}

bool sim_credentials_ok(const struct sim_config *cfg, const char *user, const char *pass)
{
	return user && pass && strcmp(user, "admin") == 0 && http_secret_eq(pass, cfg->password);
}

static bool http_credentials_ok(const char *user, const char *pass)
{
	return sim_credentials_ok(http_cfg, user, pass);
}

static void http_sessions_expire(struct sim_host *h)
{
	double now = sim_now();

	for (unsigned i = 0; i < SIM_SESSIONS; i++)
		if (h->sessions[i].id && now - h->sessions[i].last_used > SIM_SESSION_IDLE_S)
			memset(&h->sessions[i], 0, sizeof(h->sessions[i]));
}

static bool http_authorised(struct sim_host *h, struct MHD_Connection *c)
{
	const char *token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Auth-Token");
	char *user, *pass = NULL;
	bool ok;

	http_sessions_expire(h);
	if (token) {
		for (unsigned i = 0; i < SIM_SESSIONS; i++) {
			struct sim_session *s = &h->sessions[i];
			if (s->id && http_secret_eq(token, s->token)) {
				s->last_used = sim_now();
				return true;
			}
		}
		return false;
	}
	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = http_credentials_ok(user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static enum MHD_Result http_unauthorised(struct MHD_Connection *c)
{
	struct MHD_Response *r = http_response(http_dump(redfish_error("Base.1.8.NoValidSession",
	                         "There is no valid session established with the implementation.")));
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_basic_auth_fail_response(c, "racktop-sim", r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result http_login(struct sim_host *h, struct MHD_Connection *c, json_t *body)
{
	const char *user = json_string_value(json_object_get(body, "UserName"));
	const char *pass = json_string_value(json_object_get(body, "Password"));
	struct sim_session *slot = NULL;
	unsigned char raw[16];
	char location[96];

	if (!user || !pass)
		return http_error(c, 400, "Base.1.8.PropertyMissing",
		                  "UserName and Password are required to create a session.");
	if (!http_credentials_ok(user, pass))
		return http_error(c, 401, "Base.1.8.ResourceAtUriUnauthorized",
		                  "Invalid user name or password.");
	http_sessions_expire(h);
	for (unsigned i = 0; i < SIM_SESSIONS && !slot; i++)
		if (!h->sessions[i].id)
			slot = &h->sessions[i];
	if (!slot)
		return http_error(c, 503, "Base.1.8.SessionLimitExceeded",
		                  "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.");
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return http_error(c, 500, "Base.1.8.InternalError", "No randomness for a session token.");
	for (unsigned i = 0; i < sizeof(raw); i++)
		snprintf(slot->token + 2 * i, 3, "%02x", raw[i]);
	slot->id = ++h->next_session_id;
	slot->last_used = sim_now();
	snprintf(location, sizeof(location), SESSIONS_PATH "/%u", slot->id);

	struct MHD_Response *r = http_response(http_dump(rf_bmc_session(h, slot)));
	if (r) {
		MHD_add_response_header(r, "X-Auth-Token", slot->token);
		MHD_add_response_header(r, "Location", location);
	}
	return http_queue(c, 201, r);
}

/* The session's id from SESSIONS_PATH/<id>, or 0. */
static uint32_t http_session_id(const char *path)
{
	size_t n = strlen(SESSIONS_PATH);
	char *end;
	unsigned long id;

	if (strncmp(path, SESSIONS_PATH "/", n + 1) != 0)
		return 0;
	id = strtoul(path + n + 1, &end, 10);
	return *end == '\0' && id > 0 && id <= UINT32_MAX ? (uint32_t)id : 0;
}

static struct sim_session *http_session_find(struct sim_host *h, uint32_t id)
{
	for (unsigned i = 0; id && i < SIM_SESSIONS; i++)
		if (h->sessions[i].id == id)
			return &h->sessions[i];
	return NULL;
}

struct http_resolve_ctx {
	struct sim_host *host;
};

static json_t *http_resolve(void *ctx, const char *path)
{
	struct http_resolve_ctx *r = ctx;
	struct sim_session *s = http_session_find(r->host, http_session_id(path));

	if (s)
		return rf_bmc_session(r->host, s);
	if (http_cfg->mockup)
		return mockup_get(http_cfg, path);
	return redfish_get(r->host, path, http_cfg);
}

/* $expand=.($levels=N), *($levels=N), ~($levels=N), *, . or ~: the
 * levels asked for (0: none, at most the advertised MaxLevels) and the
 * kind of links in *MODE. */
static int http_expand_levels(struct MHD_Connection *c, char *mode)
{
	const char *e = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "$expand");
	const char *lv;
	int levels = 1;

	if (!e || !e[0] || !strchr(".*~", e[0]))
		return 0;
	*mode = e[0];
	lv = strstr(e, "$levels=");
	if (lv)
		levels = atoi(lv + 8);
	return levels < 1 ? 1 : levels > SIM_EXPAND_MAX_LEVELS ? SIM_EXPAND_MAX_LEVELS : levels;
}

static json_t *http_get_resource(struct sim_host *h, const char *path)
{
	struct sim_session *s;

	if (strcmp(path, SESSIONS_PATH) == 0)
		return rf_bmc_sessions(h);
	if ((s = http_session_find(h, http_session_id(path))))
		return rf_bmc_session(h, s);
	if (http_session_id(path))
		return NULL;
	if (http_cfg->mockup)
		return mockup_get(http_cfg, path);
	return redfish_get(h, path, http_cfg);
}

static enum MHD_Result http_get(struct sim_host *h, struct MHD_Connection *c, const char *path)
{
	json_t *res;
	unsigned status = 200;
	int levels;
	char mode = '.';
	const char *sel;

	if (strcmp(path, "/redfish") == 0)
		res = json_pack("{s:s}", "v1", "/redfish/v1/");
	else
		res = http_get_resource(h, path);
	if (!res)
		return http_error(c, 404, "Base.1.8.ResourceMissingAtURI",
		                  "The resource at the URI was not found.");
	sel = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "$select");
	if (http_cfg->mockup && !http_cfg->mockup_select)
		sel = NULL;   /* a mockup whose BMC did not advertise it: ignored */
	if ((levels = http_expand_levels(c, &mode)) > 0) {
		struct http_resolve_ctx ctx = { h };

		if (sel && h->misbehave == SIM_MB_NOSELECTEXPAND) {
			json_decref(res);
			return http_error(c, 400, "Base.1.8.QueryCombinationInvalid",
			                  "$select combined with $expand is not supported.");
		}
		redfish_expand(res, mode, levels, http_resolve, &ctx);
	}
	/* DSP0266: $select is applied last, to the expanded answer. */
	if (sel && redfish_select(res, sel) != 0) {
		json_decref(res);
		return http_error(c, 400, "Base.1.8.QueryParameterValueFormatError",
		                  "The value of $select is malformed.");
	}
	char *text = http_dump(res);
	if (!text)
		return MHD_NO;
	if (!debug_is_path(path))
		h->get_bytes += strlen(text);
	struct MHD_Response *r = misbehave_response(h, text, &status);
	if (!r)
		return http_send_text(c, status, text);
	free(text);
	http_headers(r);
	return http_queue(c, status, r);
}

static enum MHD_Result http_delete(struct sim_host *h, struct MHD_Connection *c, const char *path)
{
	struct sim_session *s = http_session_find(h, http_session_id(path));

	if (!s)
		return http_error(c, 404, "Base.1.8.ResourceMissingAtURI", "No such session.");
	memset(s, 0, sizeof(*s));
	return http_empty(c, 204);
}

static enum MHD_Result http_change(struct sim_host *h, struct MHD_Connection *c,
                                   const char *method, const char *path, json_t *body)
{
	json_t *err = NULL;
	int status;

	if (http_cfg->mockup) {
		/* a mockup is static: actions are accepted and change nothing */
		if (strcmp(method, "POST") == 0 && strstr(path, "/Actions/"))
			return http_empty(c, 204);
		return http_error(c, 405, "Base.1.8.OperationNotAllowed",
		                  "This mockup service does not change resources.");
	}
	if (strcmp(method, "PATCH") == 0)
		status = redfish_patch(h, path, body, &err);
	else
		status = redfish_post(h, path, body, http_cfg, &err);
	if (err)
		return http_send(c, (unsigned)status, err);
	return http_empty(c, (unsigned)status);
}

static enum MHD_Result http_dispatch(struct sim_host *h, struct MHD_Connection *c,
                                     const char *method, const char *path, struct http_req *req)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	bool post = strcmp(method, "POST") == 0, patch = strcmp(method, "PATCH") == 0;
	json_t *body = NULL;
	enum MHD_Result ret;
	bool debug = debug_is_path(path);

	if (!debug) {
		h->requests++;
		h->gets += get;
	}
	if (h->misbehave == SIM_MB_500)
		return http_error(c, 500, "Base.1.8.InternalError",
		                  "The request failed due to an internal service error.");
	/* Restarting after Manager.Reset: nothing answers but 503. */
	if (sim_now() < h->bmc_down_until)
		return http_error(c, 503, "Base.1.8.ServiceTemporarilyUnavailable",
		                  "The BMC is restarting.");
	if (req->too_big)
		return http_error(c, 413, "Base.1.8.PayloadTooLarge", "The request body is over 64 KiB.");
	if (post || patch) {
		json_error_t jerr;
		body = json_loadb(req->body ? req->body : "", req->len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(body)) {
			char msg[256];
			json_decref(body);
			snprintf(msg, sizeof(msg), "The request body is not a JSON object: %s (line %d).",
			         jerr.text, jerr.line);
			return http_error(c, 400, "Base.1.8.MalformedJSON", msg);
		}
	}
	if (post && strcmp(path, SESSIONS_PATH) == 0) {
		ret = http_login(h, c, body);
	} else if (get && (strcmp(path, "/redfish") == 0 || strcmp(path, "/redfish/v1") == 0)) {
		ret = http_get(h, c, path);  /* the service root needs no credentials */
	} else if (!http_authorised(h, c)) {
		ret = http_unauthorised(c);
	} else if (debug) {
		json_t *out;
		unsigned status = (unsigned)debug_handle(h, method, path, body, &out);

		ret = out ? http_send(c, status, out) : http_empty(c, status);
	} else if (get) {
		ret = http_get(h, c, path);
	} else if (strcmp(method, "DELETE") == 0) {
		ret = http_delete(h, c, path);
	} else if (post || patch) {
		ret = http_change(h, c, method, path, body);
	} else {
		ret = http_error(c, 405, "Base.1.8.OperationNotAllowed", "Method not allowed.");
	}
	json_decref(body);
	return ret;
}

static void http_delay(struct sim_host *h, struct MHD_Connection *c)
{
	if (http_ndelays == http_cap_delays) {
		size_t cap = http_cap_delays ? 2 * http_cap_delays : 16;
		struct http_delayed *d = realloc(http_delays, cap * sizeof(*d));
		if (!d)
			return;  /* out of memory: answer at once */
		http_delays = d;
		http_cap_delays = cap;
	}
	http_delays[http_ndelays++] = (struct http_delayed){ h, c, sim_now() + sim_slow_delay_s };
	MHD_suspend_connection(c);
}

static enum MHD_Result http_handler(void *cls, struct MHD_Connection *c, const char *url,
                                    const char *method, const char *version,
                                    const char *upload, size_t *upload_size, void **con_cls)
{
	struct sim_host *h = cls;
	struct http_req *req = *con_cls;
	char path[1024];
	size_t n;

	(void)version;
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!req->too_big && req->len + *upload_size <= SIM_BODY_MAX) {
			char *b = realloc(req->body, req->len + *upload_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + req->len, upload, *upload_size);
			req->body = b;
			req->len += *upload_size;
			req->body[req->len] = '\0';
		} else {
			req->too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (h->misbehave == SIM_MB_SLOW && !req->delayed) {
		req->delayed = true;
		http_delay(h, c);
		return MHD_YES;
	}
	/* MHD has cut the query string off URL already */
	snprintf(path, sizeof(path), "%s", url);
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	return http_dispatch(h, c, method, path, req);
}

static void http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                           enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (req) {
		free(req->body);
		free(req);
		*con_cls = NULL;
	}
}

int sim_listen(const char *name, unsigned port, int *fdp, uint16_t *bound, char *err, size_t n)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof(sa);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0) {
		snprintf(err, n, "%s: socket: %s", name, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		snprintf(err, n, "%s: cannot listen on 127.0.0.1:%u: %s", name, port, strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	*bound = ntohs(sa.sin_port);
	return 0;
}

int http_start(struct sim_host *h, struct sim_config *cfg, char *err, size_t n)
{
	unsigned port = cfg->port ? cfg->port + h->index : 0;
	unsigned flags = MHD_USE_EPOLL;
	struct MHD_OptionItem opts[8];
	int k = 0;

	http_cfg = cfg;
	if (sim_listen(h->name, port, &h->listen_fd, &h->port, err, n) != 0)
		return -1;
	/* a hung BMC: the kernel completes handshakes, nobody accepts */
	if (h->misbehave == SIM_MB_HANG)
		return 0;
	if (!cfg->http)
		flags |= MHD_USE_TLS;
	if (h->misbehave == SIM_MB_SLOW)
		flags |= MHD_ALLOW_SUSPEND_RESUME;
	opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, h->listen_fd, NULL };
	opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)http_completed, NULL };
	opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL };
	opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, 64, NULL };
	if (!cfg->http) {
		opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->key_pem };
		opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cfg->cert_pem };
	}
	opts[k++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	h->daemon = MHD_start_daemon(flags, 0, NULL, NULL, http_handler, h,
	                             MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!h->daemon) {
		snprintf(err, n, "%s: cannot start the HTTP%s server on 127.0.0.1:%u", h->name,
		         cfg->http ? "" : "S", h->port);
		close(h->listen_fd);
		h->listen_fd = -1;
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	h->daemon_epoll_fd = info ? info->epoll_fd : -1;
	if (h->daemon_epoll_fd < 0) {
		snprintf(err, n, "%s: libmicrohttpd gave no epoll fd", h->name);
		http_stop(h);
		return -1;
	}
	return 0;
}

void http_stop(struct sim_host *h)
{
	if (h->daemon) {
		MHD_stop_daemon(h->daemon);  /* closes the listen socket too */
		h->daemon = NULL;
		h->listen_fd = -1;
	}
	if (h->listen_fd >= 0) {
		close(h->listen_fd);
		h->listen_fd = -1;
	}
}

double http_delayed_due(void)
{
	double due = 0;

	for (size_t i = 0; i < http_ndelays; i++)
		if (due == 0 || http_delays[i].due < due)
			due = http_delays[i].due;
	return due;
}

void http_resume_due(bool all)
{
	double now = sim_now();

	for (size_t i = 0; i < http_ndelays;) {
		if (all || http_delays[i].due <= now) {
			struct http_delayed d = http_delays[i];
			http_delays[i] = http_delays[--http_ndelays];
			MHD_resume_connection(d.conn);
			MHD_run(d.host->daemon);
		} else {
			i++;
		}
	}
}

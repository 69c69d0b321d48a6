/* Redfish hosts: one session per BMC, reused by every request, renewed
 * once on a 401 and ended on logout (BMCs cap their sessions and lock
 * out clients that leak them); power and boot actions; the backend
 * table the engine calls. Polling itself is in redfish_poll.c. */
#include "redfish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redfish_arena.h"
#include "text.h"

struct rf_call {
	struct rf_host *h;
	rf_cb cb;
	void *arg;
	bool retried;
	bool login;
};

static void rf_on_answer(struct http_req *r);

struct rf_host *rf_host_new(struct http_transport *t, const struct engine_config *cfg,
			    const struct inventory_host *ih, char *err, size_t errlen)
{
	struct rf_host *h;

	if (!ih->username || !*ih->username) {
		http_fmt(err, errlen, "no username and password for this BMC (%s)",
			 ih->cred_ref[0] ? ih->cred_ref : "no Secret and no credentials file entry");
		return NULL;
	}
	rf_arena_install();   /* before the engine decodes: redfish_arena.h */
	h = calloc(1, sizeof(*h));
	if (!h)
		abort();
	h->t = t;
	h->cfg = cfg;
	inventory_host_url(ih, h->base, sizeof(h->base));
	for (size_t l = strlen(h->base); l > 0 && h->base[l - 1] == '/'; l--)
		h->base[l - 1] = '\0';
	text_copy(h->name, sizeof(h->name), ih->name);
	text_copy(h->cred_ref, sizeof(h->cred_ref), ih->cred_ref);
	text_copy(h->system_name, sizeof(h->system_name), ih->system_name);
	h->user = strdup(ih->username);
	h->pass = strdup(ih->password ? ih->password : "");
	h->basic = ih->use_basic_auth;
	h->insecure = ih->insecure_tls;
	h->origin.limit = cfg->max_per_host > 0 ? cfg->max_per_host : 4;
	h->tree.main_sys = 0;
	return h;
}

void rf_host_free(struct rf_host *h)
{
	if (!h)
		return;
	rf_tree_clear(&h->tree);
	text_wipe_free(h->user);
	text_wipe_free(h->pass);
	text_wipe_free(h->token);
	free(h);
}

const char *rf_path_of(const struct rf_host *h, const char *link)
{
	size_t bl = strlen(h->base);

	if (!link)
		return NULL;
	if (link[0] == '/')
		return link;
	/* An absolute link is followed only if it is this BMC: a BMC must
	 * not send us (with its credentials) somewhere else. */
	if (strncmp(link, h->base, bl) == 0 && link[bl] == '/')
		return link + bl;
	return NULL;
}

static void rf_send(struct rf_host *h, struct http_req *r)
{
	struct rf_call *c = r->data;

	text_wipe_free(r->token);
	r->token = NULL;
	text_wipe_free(r->user);
	text_wipe_free(r->pass);
	r->user = r->pass = NULL;
	if (h->basic && !c->login) {
		r->user = strdup(h->user);
		r->pass = strdup(h->pass);
	} else if (!c->login) {
		r->token = strdup(h->token ? h->token : "");
		r->tag = (int)h->token_gen;
	}
	h->t->submit(h->t, r);
}

static void rf_login(struct rf_host *h);

/* A request to this BMC whose answer goes to CB (through rf_on_answer). */
static struct http_req *rf_call_new(struct rf_host *h, const char *method, const char *path,
				    rf_cb cb, void *arg)
{
	struct rf_call *c = calloc(1, sizeof(*c));
	struct http_req *r;
	char url[600];

	if (!c)
		abort();
	http_fmt(url, sizeof(url), "%s%s", h->base, path);
	r = http_req_new(method, url);
	r->insecure = h->insecure;
	r->origin = &h->origin;
	r->done = rf_on_answer;
	r->data = c;
	c->h = h;
	c->cb = cb;
	c->arg = arg;
	return r;
}

/* Holds R until the session exists, logging in if nobody is. */
static void rf_hold(struct rf_host *h, struct http_req *r)
{
	r->next = h->held;
	h->held = r;
	if (h->sess == RF_SESS_NONE)
		rf_login(h);
}

/* The session is gone or no longer ours: never reuse its token. */
static void rf_forget_session(struct rf_host *h)
{
	h->sess = RF_SESS_NONE;
	text_wipe_free(h->token);
	h->token = NULL;
	h->session_path[0] = '\0';
}

void rf_session_forget(struct rf_host *h)
{
	rf_forget_session(h);
}

void rf_request(struct rf_host *h, const char *method, const char *path, const char *body,
		rf_cb cb, void *arg)
{
	const char *p = rf_path_of(h, path);
	struct http_req *r = rf_call_new(h, method, p ? p : "/", cb, arg);

	if (body)
		http_req_set_body(r, body);
	if (!p) {
		http_fmt(r->error, sizeof(r->error), "%s: link %s leads off this BMC, not followed",
			 h->base, path ? path : "(none)");
		rf_on_answer(r);
		return;
	}
	if (h->basic || h->sess == RF_SESS_OK) {
		rf_send(h, r);
		return;
	}
	rf_hold(h, r);
}

static void rf_deliver(struct http_req *r)
{
	struct rf_call *c = r->data;

	c->cb(c->h, r, c->arg);
	free(c);
	http_req_free(r);
}

/* Sends (or fails) everything held for the login. */
static void rf_release_held(struct rf_host *h, const char *error)
{
	struct http_req *list = h->held, *rev = NULL;

	h->held = NULL;
	while (list) {   /* oldest first */
		struct http_req *n = list->next;

		list->next = rev;
		rev = list;
		list = n;
	}
	while (rev) {
		struct http_req *n = rev->next;

		rev->next = NULL;
		if (error) {
			text_copy(rev->error, sizeof(rev->error), error);
			rf_deliver(rev);
		} else {
			rf_send(h, rev);
		}
		rev = n;
	}
}

static void rf_logout_pending(struct rf_host *h);

static void rf_on_login(struct rf_host *h, struct http_req *r, void *arg)
{
	char err[FLEET_ERR];

	(void)arg;
	if (r->error[0]) {
		http_fmt(err, sizeof(err), "login failed: %s", r->error);
	} else if (r->status == 401 || r->status == 403) {
		http_fmt(err, sizeof(err), "login refused: HTTP %ld (check the credentials in %s)",
			 r->status, h->cred_ref[0] ? h->cred_ref : "the inventory");
	} else if (r->status < 200 || r->status >= 300) {
		char st[64];

		http_status_text(r->status, st, sizeof(st));
		http_fmt(err, sizeof(err), "login refused by %s: %s%s", r->url, st,
			 r->status == 503 ? " (the BMC may have run out of sessions)" : "");
	} else if (!r->auth_token || !*r->auth_token) {
		http_fmt(err, sizeof(err), "login at %s gave no X-Auth-Token", r->url);
	} else {
		text_wipe_free(h->token);
		h->token = r->auth_token;
		r->auth_token = NULL;
		h->token_gen++;
		h->logins++;
		h->session_path[0] = '\0';
		if (r->location[0] && rf_path_of(h, r->location)) {
			text_copy(h->session_path, sizeof(h->session_path),
				  rf_path_of(h, r->location));
		} else {
			/* No Location: the new session's @odata.id in the body. */
			char e2[FLEET_ERR];
			json_t *o = rf_parse(r, e2, sizeof(e2));
			json_t *id = o ? json_object_get(o, "@odata.id") : NULL;

			if (json_is_string(id) && rf_path_of(h, json_string_value(id)))
				text_copy(h->session_path, sizeof(h->session_path),
					  rf_path_of(h, json_string_value(id)));
			json_decref(o);
		}
		h->sess = RF_SESS_OK;
		if (h->logout_done)
			rf_logout_pending(h);
		else
			rf_release_held(h, NULL);
		return;
	}
	h->sess = RF_SESS_NONE;
	rf_release_held(h, err);
	if (h->logout_done)
		rf_logout_pending(h);
}

static void rf_login(struct rf_host *h)
{
	struct http_req *r;
	json_t *o;
	char *body;

	h->sess = RF_SESS_LOGGING_IN;
	r = rf_call_new(h, "POST", "/redfish/v1/SessionService/Sessions", rf_on_login, NULL);
	((struct rf_call *)r->data)->login = true;
	/* Not cancelled when racktop stops: the BMC makes the session
	 * anyway, and only its answer lets us end it (rf_host_logout). */
	r->keep = true;
	o = json_pack("{s:s, s:s}", "UserName", h->user, "Password", h->pass);
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);   /* jansson frees its copies; the dump is wiped below */
	r->body = body;
	rf_send(h, r);
}

static void rf_on_answer(struct http_req *r)
{
	struct rf_call *c = r->data;
	struct rf_host *h = c->h;

	if (r->status == 401 && !c->login && !h->basic && !c->retried) {
		/* The session expired or was deleted: log in again, once. */
		c->retried = true;
		if (h->sess == RF_SESS_OK && (unsigned)r->tag == h->token_gen)
			rf_forget_session(h);
		free(r->resp);
		r->resp = NULL;
		r->resp_len = 0;
		r->status = 0;
		r->location[0] = '\0';
		if (h->sess == RF_SESS_OK)
			rf_send(h, r);
		else
			rf_hold(h, r);
		return;
	}
	rf_deliver(r);
}

/* Logout. */

struct rf_done_ctx {
	backend_action_done done;
	void *arg;
	enum fleet_power power;
	const char *what;
};

static void rf_on_logout(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_done_ctx *d = arg;
	char err[FLEET_ERR];

	if (r->error[0] || (r->status >= 300 && r->status != 404)) {
		json_t *o = rf_answer(r, err, sizeof(err));

		json_decref(o);
		d->done(d->arg, err, FLEET_POWER_UNKNOWN, NULL);
	} else {
		d->done(d->arg, NULL, FLEET_POWER_UNKNOWN, NULL);
	}
	free(d);
}

void rf_host_logout(struct rf_host *h, backend_action_done done, void *arg)
{
	struct rf_done_ctx *d;
	struct http_req *r;

	if (!h->basic && h->sess == RF_SESS_LOGGING_IN && !h->logout_done) {
		/* Ended when the login answers (rf_logout_pending). */
		h->logout_done = done;
		h->logout_arg = arg;
		return;
	}
	if (h->basic || h->sess != RF_SESS_OK || !h->session_path[0]) {
		done(arg, NULL, FLEET_POWER_UNKNOWN, NULL);
		return;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->done = done;
	d->arg = arg;
	r = rf_call_new(h, "DELETE", h->session_path, rf_on_logout, d);
	/* A 401 here means the session is gone already. */
	((struct rf_call *)r->data)->retried = true;
	rf_send(h, r);
	/* Forget it now: whatever the answer, it is not ours to reuse. */
	rf_forget_session(h);
}

/* The login answered after a logout was asked for (racktop is
 * stopping): what waited for it is not sent, and the session, if the
 * BMC made one, is ended at once. */
static void rf_logout_pending(struct rf_host *h)
{
	backend_action_done done = h->logout_done;
	void *arg = h->logout_arg;

	h->logout_done = NULL;
	h->logout_arg = NULL;
	rf_release_held(h, "cancelled: racktop is stopping");
	rf_host_logout(h, done, arg);
}

/* Actions. */

static const char *rf_reset_type(enum engine_action a)
{
	switch (a) {
	case ENGINE_ACTION_POWER_ON: return "On";
	case ENGINE_ACTION_POWER_OFF: return "ForceOff";
	case ENGINE_ACTION_POWER_SOFT: return "GracefulShutdown";
	case ENGINE_ACTION_POWER_CYCLE: return "PowerCycle";
	case ENGINE_ACTION_POWER_RESET: return "ForceRestart";
	default: return NULL;
	}
}

static const char *rf_boot_target(enum engine_action a)
{
	switch (a) {
	case ENGINE_ACTION_BOOT_PXE: return "Pxe";
	case ENGINE_ACTION_BOOT_DISK: return "Hdd";
	case ENGINE_ACTION_BOOT_BIOS: return "BiosSetup";
	default: return NULL;
	}
}

struct rf_action {
	backend_action_done done;
	void *arg;
	enum engine_action a;
	char what[64];
};

static void rf_on_action(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_action *x = arg;
	char err[FLEET_ERR];

	h->log_gen++;   /* the BMC may have logged it */
	if (r->error[0]) {
		http_fmt(err, sizeof(err), "%s failed: %s", x->what, r->error);
		x->done(x->arg, err, FLEET_POWER_UNKNOWN, NULL);
	} else if (r->status < 200 || r->status >= 300) {
		char st[64];

		http_status_text(r->status, st, sizeof(st));
		http_fmt(err, sizeof(err), "%s refused by %s: %s", x->what, r->url, st);
		x->done(x->arg, err, FLEET_POWER_UNKNOWN, NULL);
	} else {
		enum fleet_power p = FLEET_POWER_UNKNOWN;
		char st[64], res[FLEET_ERR];

		if (x->a == ENGINE_ACTION_POWER_OFF)
			p = FLEET_POWER_POWERING_OFF;
		else if (x->a == ENGINE_ACTION_POWER_ON)
			p = FLEET_POWER_POWERING_ON;
		http_status_text(r->status, st, sizeof(st));
		http_fmt(res, sizeof(res), "%s: %s", r->url, st);
		x->done(x->arg, NULL, p, res);
	}
	free(x);
}

static void rf_action_send(struct rf_host *h, struct rf_action *x)
{
	const struct rf_system *s = h->tree.nsystems ? &h->tree.systems[h->tree.main_sys] : NULL;
	char path[600];
	json_t *o;
	char *body;

	if (!s || !s->url) {
		char err[FLEET_ERR];

		http_fmt(err, sizeof(err), "%s failed: %s has no ComputerSystem", x->what, h->base);
		x->done(x->arg, err, FLEET_POWER_UNKNOWN, NULL);
		free(x);
		return;
	}
	if (rf_reset_type(x->a)) {
		if (s->reset_target)
			http_fmt(path, sizeof(path), "%s", s->reset_target);
		else
			http_fmt(path, sizeof(path), "%s/Actions/ComputerSystem.Reset", s->url);
		o = json_pack("{s:s}", "ResetType", rf_reset_type(x->a));
		body = json_dumps(o, JSON_COMPACT);
		rf_request(h, "POST", path, body, rf_on_action, x);
	} else {
		o = json_pack("{s:{s:s, s:s}}", "Boot", "BootSourceOverrideTarget",
			      rf_boot_target(x->a), "BootSourceOverrideEnabled", "Once");
		body = json_dumps(o, JSON_COMPACT);
		rf_request(h, "PATCH", s->url, body, rf_on_action, x);
	}
	json_decref(o);
	free(body);
}

/* Actions need the System's URL: when no poll has found it yet, read
 * the Systems collection first. */
static void rf_on_action_systems(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_action *x = arg;
	char err[FLEET_ERR] = "";
	struct rf_doc d = { r->url, err, sizeof(err) };
	json_t *o = rf_answer(r, err, sizeof(err)), *m = NULL, *e;
	size_t i;

	if (o)
		m = rf_members(&d, o);
	json_array_foreach(m, i, e) {
		const char *id = rf_str(&d, e, "@odata.id");
		const char *p = rf_path_of(h, id);
		const char *last = p ? strrchr(p, '/') : NULL;

		if (!p || i >= RF_MAX_SYSTEMS)
			continue;
		if (h->system_name[0] && (!last || strcmp(last + 1, h->system_name) != 0))
			continue;
		h->tree.nsystems = 1;
		h->tree.main_sys = 0;
		rf_set(&h->tree.systems[0].url, p);
		break;
	}
	json_decref(o);
	if (!h->tree.nsystems) {
		char e2[FLEET_ERR + 64];

		http_fmt(e2, sizeof(e2), "%s failed: %s", x->what,
			 err[0] ? err : "no ComputerSystem found");
		x->done(x->arg, e2, FLEET_POWER_UNKNOWN, NULL);
		free(x);
		return;
	}
	rf_action_send(h, x);
}

void rf_host_action(struct rf_host *h, enum engine_action a, backend_action_done done, void *arg)
{
	struct rf_action *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	x->done = done;
	x->arg = arg;
	x->a = a;
	h->log_gen++;
	if (rf_reset_type(a))
		http_fmt(x->what, sizeof(x->what), "power %s", rf_reset_type(a));
	else if (rf_boot_target(a))
		http_fmt(x->what, sizeof(x->what), "one-time boot from %s", rf_boot_target(a));
	else {
		done(arg, "not an action this backend knows", FLEET_POWER_UNKNOWN, NULL);
		free(x);
		return;
	}
	if (h->tree.nsystems && h->tree.systems[h->tree.main_sys].url)
		rf_action_send(h, x);
	else
		rf_request(h, "GET", "/redfish/v1/Systems", NULL, rf_on_action_systems, x);
}

/* The backend table. */

static void *rf_b_host_new(const struct backend_env *env, const struct inventory_host *ih,
			   char *err, size_t errlen)
{
	struct rf_host *h = rf_host_new(env->http, env->cfg, ih, err, errlen);

	if (h)
		h->progress = env->progress;
	return h;
}

static void rf_b_host_free(void *bh)
{
	rf_host_free(bh);
}

static void rf_b_poll(void *bh, backend_poll_done done, void *arg)
{
	rf_poll_start(bh, done, arg);
}

static void rf_b_action(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	rf_host_action(bh, a, done, arg);
}

static void rf_b_manage(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	rf_host_manage(bh, a, done, arg);
}

static void rf_b_logout(void *bh, backend_action_done done, void *arg)
{
	rf_host_logout(bh, done, arg);
}

static void rf_b_focus(void *bh, bool on)
{
	struct rf_host *h = bh;

	h->focused = on;
}

const struct backend redfish_backend = {
	.name = "redfish",
	.host_new = rf_b_host_new,
	.host_free = rf_b_host_free,
	.poll = rf_b_poll,
	.power = rf_b_action,
	.boot_override = rf_b_action,
	.manage = rf_b_manage,
	.logout = rf_b_logout,
	.focus = rf_b_focus,
};

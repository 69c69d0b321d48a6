/* Redfish actions on the BMC rather than on the server: Manager.Reset
 * of the BMC itself, and LogService.ClearLog of the event logs the poll
 * reads (the logs racktop shows). Each is a short chain of requests on
 * the engine thread: read the resource, use the action target it
 * advertises, POST. */
#include "redfish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define RF_MANAGE_MANAGERS 4

struct rf_manage {
	struct rf_host *h;
	backend_action_done done;
	void *arg;
	enum engine_action a;
	char *paths[RF_MAX_LOGS > RF_MANAGE_MANAGERS ? RF_MAX_LOGS : RF_MANAGE_MANAGERS];
	size_t npaths, next;
	size_t cleared;
	char result[FLEET_ERR];
	char error[FLEET_ERR];
};

static void rf_manage_end(struct rf_manage *m, const char *error, const char *result)
{
	m->h->log_gen++;   /* a reset or a clear shows in the log: read it next poll */
	m->done(m->arg, error, FLEET_POWER_UNKNOWN, result);
	for (size_t i = 0; i < m->npaths; i++)
		free(m->paths[i]);
	free(m);
}

static void rf_manage_fail(struct rf_manage *m, const char *fmt, const char *detail)
{
	char err[FLEET_ERR];

	http_fmt(err, sizeof(err), fmt, detail);
	rf_manage_end(m, err, NULL);
}

/* The answer to an action POST: "URL: 204 No Content", or why not. */
static bool rf_manage_answer(struct http_req *r, const char *what, char *out, size_t n,
			     bool *ok)
{
	char st[64];

	*ok = false;
	if (r->error[0]) {
		http_fmt(out, n, "%s failed: %s", what, r->error);
		return false;
	}
	http_status_text(r->status, st, sizeof(st));
	if (r->status < 200 || r->status >= 300) {
		http_fmt(out, n, "%s refused by %s: %s", what, r->url, st);
		return false;
	}
	http_fmt(out, n, "%s: %s", r->url, st);
	*ok = true;
	return true;
}

/* The action target an object advertises ("#Manager.Reset"), on this BMC. */
static const char *rf_manage_target(struct rf_host *h, json_t *o, const char *action)
{
	json_t *acts = json_object_get(o, "Actions");
	json_t *act = json_is_object(acts) ? json_object_get(acts, action) : NULL;
	json_t *t = json_is_object(act) ? json_object_get(act, "target") : NULL;

	return json_is_string(t) ? rf_path_of(h, json_string_value(t)) : NULL;
}

/* ---- BMC reset ---- */

static void rf_manage_on_reset(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_manage *m = arg;
	char out[FLEET_ERR];
	bool ok;

	rf_manage_answer(r, "BMC reset", out, sizeof(out), &ok);
	/* The BMC forgets its sessions when it restarts: ours is gone. */
	if (ok)
		rf_session_forget(h);
	rf_manage_end(m, ok ? NULL : out, ok ? out : NULL);
}

/* The restart the BMC offers: graceful if it can, else forced. */
static const char *rf_manage_reset_type(json_t *act, char *why, size_t n)
{
	json_t *allow = json_is_object(act) ?
		json_object_get(act, "ResetType@Redfish.AllowableValues") : NULL;
	static const char *const prefer[] = { "GracefulRestart", "ForceRestart", NULL };
	size_t i;
	json_t *v;

	if (!json_is_array(allow) || json_array_size(allow) == 0)
		return "GracefulRestart";
	for (int p = 0; prefer[p]; p++)
		json_array_foreach(allow, i, v)
			if (json_is_string(v) && !strcmp(json_string_value(v), prefer[p]))
				return prefer[p];
	http_fmt(why, n, "it allows no GracefulRestart or ForceRestart");
	return NULL;
}

static void rf_manage_get_manager(struct rf_host *h, struct rf_manage *m);

static void rf_manage_on_manager(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_manage *m = arg;
	char err[FLEET_ERR] = "", path[600], why[128] = "";
	json_t *o = rf_answer(r, err, sizeof(err)), *acts, *act;
	const char *type, *target;
	json_t *body;
	char *text;

	if (!o) {
		rf_manage_fail(m, "BMC reset failed: %s", err);
		return;
	}
	type = json_string_value(json_object_get(o, "ManagerType"));
	/* Not the BMC (an enclosure manager, say): try the next member. */
	if (type && strcmp(type, "BMC") != 0 && m->next < m->npaths) {
		json_decref(o);
		rf_manage_get_manager(h, m);
		return;
	}
	acts = json_object_get(o, "Actions");
	act = json_is_object(acts) ? json_object_get(acts, "#Manager.Reset") : NULL;
	target = rf_manage_target(h, o, "#Manager.Reset");
	if (target)
		http_fmt(path, sizeof(path), "%s", target);
	else
		http_fmt(path, sizeof(path), "%s/Actions/Manager.Reset", m->paths[m->next - 1]);
	type = rf_manage_reset_type(act, why, sizeof(why));
	if (!type) {
		char e2[FLEET_ERR];

		http_fmt(e2, sizeof(e2), "BMC reset not sent: %s: %s", r->url, why);
		json_decref(o);
		rf_manage_end(m, e2, NULL);
		return;
	}
	json_decref(o);
	body = json_pack("{s:s}", "ResetType", type);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rf_request(h, "POST", path, text, rf_manage_on_reset, m);
	free(text);
}

static void rf_manage_get_manager(struct rf_host *h, struct rf_manage *m)
{
	rf_request(h, "GET", m->paths[m->next++], NULL, rf_manage_on_manager, m);
}

static void rf_manage_on_managers(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_manage *m = arg;
	char err[FLEET_ERR] = "";
	struct rf_doc d = { r->url, err, sizeof(err) };
	json_t *o = rf_answer(r, err, sizeof(err)), *members = NULL, *e;
	size_t i;

	if (o)
		members = rf_members(&d, o);
	json_array_foreach(members, i, e) {
		const char *p = rf_path_of(h, rf_str(&d, e, "@odata.id"));

		if (p && m->npaths < RF_MANAGE_MANAGERS)
			m->paths[m->npaths++] = strdup(p);
	}
	json_decref(o);
	if (m->npaths == 0) {
		rf_manage_fail(m, "BMC reset failed: %s", err[0] ? err : "no Manager found");
		return;
	}
	rf_manage_get_manager(h, m);
}

/* ---- clear the event log ---- */

static void rf_manage_clear_next(struct rf_host *h, struct rf_manage *m);

static void rf_manage_on_cleared(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_manage *m = arg;
	char out[FLEET_ERR];
	bool ok;

	rf_manage_answer(r, "clear log", out, sizeof(out), &ok);
	if (ok) {
		m->cleared++;
		text_copy(m->result, sizeof(m->result), out);
	} else if (!m->error[0]) {
		text_copy(m->error, sizeof(m->error), out);
	}
	rf_manage_clear_next(h, m);
}

static void rf_manage_on_logsvc(struct rf_host *h, struct http_req *r, void *arg)
{
	struct rf_manage *m = arg;
	char err[FLEET_ERR] = "";
	json_t *o = rf_answer(r, err, sizeof(err));
	const char *target = o ? rf_manage_target(h, o, "#LogService.ClearLog") : NULL;

	if (!o) {
		if (!m->error[0])
			http_fmt(m->error, sizeof(m->error), "clear log failed: %s", err);
		rf_manage_clear_next(h, m);
		return;
	}
	if (!target) {
		/* A log the BMC does not let anyone clear (a dump log, say). */
		json_decref(o);
		rf_manage_clear_next(h, m);
		return;
	}
	rf_request(h, "POST", target, "{}", rf_manage_on_cleared, m);
	json_decref(o);
}

static void rf_manage_clear_next(struct rf_host *h, struct rf_manage *m)
{
	if (m->next < m->npaths) {
		rf_request(h, "GET", m->paths[m->next++], NULL, rf_manage_on_logsvc, m);
		return;
	}
	if (m->cleared == 0) {
		char err[FLEET_ERR];

		if (m->error[0])
			text_copy(err, sizeof(err), m->error);
		else
			http_fmt(err, sizeof(err), "clear log not sent: no log service of %s offers LogService.ClearLog",
				 h->base);
		rf_manage_end(m, err, NULL);
		return;
	}
	/* One cleared and another refused: say both, as a failure. */
	if (m->error[0]) {
		char err[FLEET_ERR];

		http_fmt(err, sizeof(err), "%s (cleared %zu other)", m->error, m->cleared);
		rf_manage_end(m, err, NULL);
		return;
	}
	rf_manage_end(m, NULL, m->result);
}

static void rf_manage_clear(struct rf_host *h, struct rf_manage *m)
{
	const struct rf_tree *t = &h->tree;

	/* The services whose entries the poll reads: their Entries links
	 * end in /Entries below the LogService (Redfish's layout). */
	for (size_t i = 0; i < t->nlogs && m->npaths < RF_MAX_LOGS; i++) {
		const char *l = t->logs[i];
		size_t n = strlen(l);

		if (n > 8 && !strcmp(l + n - 8, "/Entries"))
			m->paths[m->npaths++] = strndup(l, n - 8);
	}
	if (m->npaths == 0) {
		if (!t->valid)
			rf_manage_fail(m, "clear log not sent: %s",
				       "the event log is not known yet (the first poll has not finished)");
		else
			rf_manage_fail(m, "clear log not sent: %s shows no event log", h->base);
		return;
	}
	rf_manage_clear_next(h, m);
}

void rf_host_manage(struct rf_host *h, enum engine_action a, backend_action_done done, void *arg)
{
	struct rf_manage *m;

	if (a != ENGINE_ACTION_BMC_RESET && a != ENGINE_ACTION_CLEAR_LOG) {
		done(arg, "not an action this backend knows", FLEET_POWER_UNKNOWN, NULL);
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	m->h = h;
	m->done = done;
	m->arg = arg;
	m->a = a;
	h->log_gen++;
	if (a == ENGINE_ACTION_CLEAR_LOG)
		rf_manage_clear(h, m);
	else
		rf_request(h, "GET", h->tree.managers ? h->tree.managers : "/redfish/v1/Managers",
			   NULL, rf_manage_on_managers, m);
}

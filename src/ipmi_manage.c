/* Actions on the BMC rather than on the server, with libfreeipmi, in
 * one RMCP+ session on a worker: BMC reset is Cold Reset (App netfn);
 * clearing the event log is Reserve SEL, Clear SEL "initiate erase",
 * then Clear SEL "get erasure status" until the BMC says it is done
 * (bounded: a BMC that never finishes is reported, not waited for). */
#include "ipmi.h"

#include <freeipmi/freeipmi.h>
#include <stdio.h>
#include <time.h>

#include "http.h"

/* Reservations a new SEL event cancels (0xC5) are taken again this
 * many times; the erase is waited for at most IPMI_MANAGE_ERASE_MS (or
 * the request timeout when longer). */
#define IPMI_MANAGE_TRIES 3
#define IPMI_MANAGE_ERASE_MS 10000
#define IPMI_MANAGE_STEP_MS 100

static double ipmi_manage_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ipmi_manage_reserve(struct ipmi_session *s, uint16_t *rid, struct ipmi_err *e)
{
	static const char *const f[] = { "reservation_id" };
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_reserve_sel_rs);
	uint64_t v = 0;

	if (ipmi_session_answer(s, "clear log: Reserve SEL", obj,
				obj ? ipmi_cmd_reserve_sel(ipmi_session_ctx(s), obj) : -1, f, &v, 1,
				e) < 0)
		return -1;
	*rid = (uint16_t)v;
	return 0;
}

/* One Clear SEL (OP: initiate erase or get erasure status) under a
 * fresh reservation, taken again when an event cancelled it. */
static int ipmi_manage_clear_op(struct ipmi_session *s, uint8_t op, uint64_t *progress,
				struct ipmi_err *e)
{
	static const char *const f[] = { "erasure_progress" };
	const char *what = op == IPMI_SEL_CLEAR_OPERATION_INITIATE_ERASE
				   ? "clear log: Clear SEL (initiate erase)"
				   : "clear log: Clear SEL (get erasure status)";

	for (int i = 0; i < IPMI_MANAGE_TRIES; i++) {
		uint16_t rid;
		fiid_obj_t obj;

		if (ipmi_manage_reserve(s, &rid, e) < 0)
			return -1;
		obj = fiid_obj_create(tmpl_cmd_clear_sel_rs);
		if (ipmi_session_answer(s, what, obj,
					obj ? ipmi_cmd_clear_sel(ipmi_session_ctx(s), rid, op, obj) : -1,
					f, progress, 1, e) == 0)
			return 0;
		/* Only a refusal such as a cancelled reservation (0xC5) is
		 * worth another try; no answer or no privilege is not. */
		if (e->fail != IPMI_FAIL_OTHER)
			return -1;
	}
	return -1;
}

static int ipmi_manage_clear_log(struct ipmi_session *s, const struct ipmi_conn *c, char *result,
				 size_t n, struct ipmi_err *e)
{
	unsigned before = 0, after = 0;
	bool counted = false;
	uint64_t progress = 0;
	double limit_ms = c->timeout_ms > IPMI_MANAGE_ERASE_MS ? c->timeout_ms : IPMI_MANAGE_ERASE_MS;
	double deadline;
	struct ipmi_err soft;
	struct timespec step = { 0, IPMI_MANAGE_STEP_MS * 1000000L };

	counted = ipmi_sel_info(s, NULL, &before, &soft) == 0;
	if (ipmi_manage_clear_op(s, IPMI_SEL_CLEAR_OPERATION_INITIATE_ERASE, &progress, e) < 0)
		return -1;
	deadline = ipmi_manage_now() + limit_ms / 1000.0;
	while (progress != IPMI_SEL_CLEAR_ERASE_COMPLETED) {
		if (ipmi_manage_now() >= deadline) {
			char msg[128];

			snprintf(msg, sizeof(msg),
				 "clear log: the BMC still reports the erase in progress after %.0f s",
				 limit_ms / 1000.0);
			ipmi_err_set(e, IPMI_FAIL_OTHER, c, msg);
			return -1;
		}
		nanosleep(&step, NULL);
		if (ipmi_manage_clear_op(s, IPMI_SEL_CLEAR_OPERATION_GET_ERASURE_STATUS, &progress,
					 e) < 0)
			return -1;
	}
	if (counted && ipmi_sel_info(s, NULL, &after, &soft) == 0)
		http_fmt(result, n, "IPMI %s: SEL cleared: %u entries erased, %u now", c->host,
			 before, after);
	else
		http_fmt(result, n, "IPMI %s: SEL cleared (Clear SEL: erase completed)", c->host);
	return 0;
}

static int ipmi_manage_cold_reset(struct ipmi_session *s, const struct ipmi_conn *c, char *result,
				  size_t n, struct ipmi_err *e)
{
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_cold_reset_rs);

	if (ipmi_session_answer(s, "BMC reset", obj,
				obj ? ipmi_cmd_cold_reset(ipmi_session_ctx(s), obj) : -1, NULL, NULL,
				0, e) < 0)
		return -1;
	http_fmt(result, n,
		 "IPMI %s: Cold Reset accepted: the BMC restarts; polls fail until it is back",
		 c->host);
	return 0;
}

int ipmi_manage_run(struct ipmi_session *s, const struct ipmi_conn *c, enum engine_action a,
		    char *result, size_t n, struct ipmi_err *e)
{
	switch (a) {
	case ENGINE_ACTION_BMC_RESET: return ipmi_manage_cold_reset(s, c, result, n, e);
	case ENGINE_ACTION_CLEAR_LOG: return ipmi_manage_clear_log(s, c, result, n, e);
	default: ipmi_err_set(e, IPMI_FAIL_OTHER, c, "not a BMC action"); return -1;
	}
}

/* A host with both Redfish and IPMI (its Machine has providerOptions for
 * both): Redfish is preferred, IPMI is the fallback. Every poll tries
 * Redfish first; when Redfish fails, the same poll goes over IPMI and
 * the readings say so (fleet_host_data.source, notes). Power and boot
 * actions follow whichever protocol answered the last poll; BMC reset
 * and log clearing fall back to IPMI when Redfish fails too. */
#include "ipmi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

struct ipmi_fallback {
	void *rf, *ipmi;           /* ipmi NULL: no IPMI credential or set-up */
	bool use_ipmi;             /* the last poll needed IPMI */
	char rf_error[FLEET_ERR];
	char ipmi_why[FLEET_ERR];  /* why there is no IPMI fallback */
	/* the poll in flight */
	backend_poll_done done;
	void *arg;
	/* the BMC action in flight (ipmi_fallback_manage) */
	enum engine_action act;
	backend_action_done act_done;
	void *act_arg;
	char act_rf_error[FLEET_ERR];
	/* the logout in flight */
	backend_action_done out_done;
	void *out_arg;
	backend_poll_progress progress; /* the engine's */
};

static void ipmi_fallback_progress(void *arg, double elapsed_s)
{
	struct ipmi_fallback *f = arg;

	f->progress(f->arg, elapsed_s);
}

static void *ipmi_fallback_new(const struct backend_env *env, const struct inventory_host *ih,
			       char *err, size_t errlen)
{
	struct ipmi_fallback *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct backend_env rf_env = *env;

	/* The Redfish poll's ARG is F: its progress reaches the engine's ARG through F. */
	f->progress = env->progress;
	rf_env.progress = env->progress ? ipmi_fallback_progress : NULL;
	f->rf = redfish_backend.host_new(&rf_env, ih, err, errlen);
	if (!f->rf) {
		free(f);
		return NULL;
	}
	f->ipmi = ipmi_backend.host_new(env, ih, f->ipmi_why, sizeof(f->ipmi_why));
	return f;
}

static void ipmi_fallback_free(void *bh)
{
	struct ipmi_fallback *f = bh;

	if (!f)
		return;
	redfish_backend.host_free(f->rf);
	if (f->ipmi)
		ipmi_backend.host_free(f->ipmi);
	free(f);
}

static void ipmi_fallback_ipmi_done(void *arg, struct fleet_host_data *data, const char *error)
{
	struct ipmi_fallback *f = arg;
	char both[FLEET_ERR];

	if (data) {
		f->use_ipmi = true;
		/* The IPMI note (a workaround) matters less than why IPMI was used. */
		http_fmt(data->notes, sizeof(data->notes), "Redfish failed, readings from IPMI: %s",
			 f->rf_error);
		f->done(f->arg, data, NULL);
		return;
	}
	http_fmt(both, sizeof(both), "%s; IPMI fallback: %s", f->rf_error, error);
	f->done(f->arg, NULL, both);
}

static void ipmi_fallback_rf_done(void *arg, struct fleet_host_data *data, const char *error)
{
	struct ipmi_fallback *f = arg;

	if (data || !f->ipmi) {
		if (data)
			f->use_ipmi = false;
		f->done(f->arg, data, error);
		return;
	}
	snprintf(f->rf_error, sizeof(f->rf_error), "%s", error ? error : "failed");
	ipmi_backend.poll(f->ipmi, ipmi_fallback_ipmi_done, f);
}

static void ipmi_fallback_poll(void *bh, backend_poll_done done, void *arg)
{
	struct ipmi_fallback *f = bh;

	f->done = done;
	f->arg = arg;
	redfish_backend.poll(f->rf, ipmi_fallback_rf_done, f);
}

static void ipmi_fallback_power(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	struct ipmi_fallback *f = bh;

	if (f->use_ipmi && f->ipmi)
		ipmi_backend.power(f->ipmi, a, done, arg);
	else
		redfish_backend.power(f->rf, a, done, arg);
}

static void ipmi_fallback_boot(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	struct ipmi_fallback *f = bh;

	if (f->use_ipmi && f->ipmi)
		ipmi_backend.boot_override(f->ipmi, a, done, arg);
	else
		redfish_backend.boot_override(f->rf, a, done, arg);
}

static void ipmi_fallback_manage_ipmi_done(void *arg, const char *error, enum fleet_power power,
					   const char *result)
{
	struct ipmi_fallback *f = arg;
	char both[FLEET_ERR], res[FLEET_ERR];

	if (!error) {
		http_fmt(res, sizeof(res), "over IPMI (Redfish failed: %s): %s", f->act_rf_error,
			 result ? result : "done");
		f->act_done(f->act_arg, NULL, power, res);
		return;
	}
	http_fmt(both, sizeof(both), "%s; IPMI fallback: %s", f->act_rf_error, error);
	f->act_done(f->act_arg, both, power, NULL);
}

static void ipmi_fallback_manage_rf_done(void *arg, const char *error, enum fleet_power power,
					 const char *result)
{
	struct ipmi_fallback *f = arg;

	if (!error || !f->ipmi) {
		f->act_done(f->act_arg, error, power, result);
		return;
	}
	snprintf(f->act_rf_error, sizeof(f->act_rf_error), "%s", error);
	ipmi_backend.manage(f->ipmi, f->act, ipmi_fallback_manage_ipmi_done, f);
}

/* BMC reset and log clearing: over IPMI when the last poll needed it,
 * else Redfish, and IPMI when Redfish fails. The engine runs one action
 * per host at a time, so one action's state lives here. */
static void ipmi_fallback_manage(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	struct ipmi_fallback *f = bh;

	if (f->use_ipmi && f->ipmi) {
		ipmi_backend.manage(f->ipmi, a, done, arg);
		return;
	}
	f->act = a;
	f->act_done = done;
	f->act_arg = arg;
	redfish_backend.manage(f->rf, a, ipmi_fallback_manage_rf_done, f);
}

static void ipmi_fallback_logout_ipmi_done(void *arg, const char *error, enum fleet_power power,
					   const char *result)
{
	struct ipmi_fallback *f = arg;

	(void)error;
	(void)power;
	(void)result;
	redfish_backend.logout(f->rf, f->out_done, f->out_arg);
}

/* Both sessions end: IPMI's kept one, then Redfish's. */
static void ipmi_fallback_logout(void *bh, backend_action_done done, void *arg)
{
	struct ipmi_fallback *f = bh;

	if (!f->ipmi) {
		redfish_backend.logout(f->rf, done, arg);
		return;
	}
	f->out_done = done;
	f->out_arg = arg;
	ipmi_backend.logout(f->ipmi, ipmi_fallback_logout_ipmi_done, f);
}

/* Focus reaches the Redfish host, whose extras are read now and then;
 * an IPMI poll reads everything anyway. */
static void ipmi_fallback_focus(void *bh, bool on)
{
	struct ipmi_fallback *f = bh;

	redfish_backend.focus(f->rf, on);
}

const struct backend ipmi_fallback_backend = {
	.name = "redfish+ipmi",
	.host_new = ipmi_fallback_new,
	.host_free = ipmi_fallback_free,
	.poll = ipmi_fallback_poll,
	.power = ipmi_fallback_power,
	.boot_override = ipmi_fallback_boot,
	.manage = ipmi_fallback_manage,
	.logout = ipmi_fallback_logout,
	.focus = ipmi_fallback_focus,
};

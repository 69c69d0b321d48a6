/* The IPMI backend (struct backend, backend.h). FreeIPMI blocks, so
 * every poll and action is a job on the engine's worker pool
 * (workers.h): the job owns a copy of the connection and builds its
 * result off the engine thread; its completion, back on the engine
 * thread, updates what the host remembers (FRU, the SEL, workarounds
 * found) and reports through the backend callback.
 *
 * Operators do not know their BMCs' quirks: a failure that a known
 * FreeIPMI workaround fixes is retried once with it, and the host keeps
 * it from then on and says so (fleet_host_data.notes).
 *
 * A host keeps its RMCP+ session between polls, so a warm poll skips
 * the handshake (Get Channel Auth Caps, Open Session, RAKP 1-4, Set
 * Session Privilege). The session belongs to the host on the engine
 * thread and moves into the poll job and back (polls of one host never
 * overlap), so one worker at a time uses it, without a lock. It is not
 * kept when the poll interval is IPMI_KEEP_IDLE_S or more, it is closed
 * and replaced when it idled longer than that (backoff) or the BMC was
 * reset, and a poll that fails in a kept session runs once more in a
 * fresh one (the BMC restarted or dropped it): the operator sees the
 * fresh session's result. Actions open their own session: rare, and a
 * BMC reset must not ride on the session it ends. Logout (racktop
 * stopping) closes kept sessions on the workers. */
#include "ipmi.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "inventory.h"
#include "text.h"
#include "workers.h"

static atomic_ulong ipmi_auto_retries, ipmi_sessions_opened, ipmi_session_reopens;

unsigned long ipmi_debug_auto_retries(void)
{
	return atomic_load(&ipmi_auto_retries);
}

unsigned long ipmi_debug_sessions_opened(void)
{
	return atomic_load(&ipmi_sessions_opened);
}

unsigned long ipmi_debug_session_reopens(void)
{
	return atomic_load(&ipmi_session_reopens);
}

static double ipmi_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Symptoms that a workaround fixes, tried in this order. */
static const struct {
	enum ipmi_fail symptom;
	unsigned workaround;
} ipmi_auto_workarounds[] = {
	/* ipmi_sim, and BMCs that answer Open Session with privilege 0. */
	{ IPMI_FAIL_PRIV_NOT_OBTAINED, INVENTORY_IPMI_WA_OPENSESSPRIV },
};

struct ipmi_host {
	const struct backend_env *env;
	struct ipmi_shared *sh;
	struct ipmi_conn conn;
	unsigned learned;         /* workarounds found by retrying */
	char notes[128];
	/* what does not change between polls: read once */
	bool have_static;
	char vendor[FLEET_STR], model[FLEET_STR], serial[FLEET_STR], part[FLEET_STR];
	char firmware[FLEET_STR];
	/* the SEL as last read, and the SEL Info that goes with it */
	uint64_t sel_key;
	size_t nevents;
	struct fleet_event *events;
	/* the session kept between polls (NULL: none, or a poll holds it) */
	struct ipmi_session *kept;
	double kept_used;         /* monotonic s of its last command */
	unsigned kept_gen;        /* resets when it was opened */
	unsigned resets;          /* BMC resets racktop made: older sessions are gone */
	bool keep;                /* the poll interval lets a session be kept */
	bool stopping;            /* logged out: keep nothing more */
};

enum ipmi_job_kind { IPMI_JOB_POLL, IPMI_JOB_POWER, IPMI_JOB_BOOT, IPMI_JOB_MANAGE,
		     IPMI_JOB_CLOSE };

struct ipmi_job {
	enum ipmi_job_kind kind;
	enum engine_action a;
	struct ipmi_host *h;      /* only in done(), on the engine thread */
	struct ipmi_shared *sh;   /* held */
	struct ipmi_conn conn;    /* the job's own copy */
	backend_poll_done poll_done;
	backend_action_done action_done;
	void *arg;
	/* in: what the host already knows */
	bool have_static;
	uint64_t sel_key;
	/* polls: the host's kept session, handed back when done (NULL: none) */
	struct ipmi_session *s;
	double s_used;
	bool s_stale;             /* a BMC reset since it was opened */
	bool keep;
	unsigned gen;
	/* out */
	int rc;
	struct ipmi_err err;
	unsigned found;           /* workarounds that made it work */
	struct fleet_host_data data;
	bool read_static, read_sel;
	uint64_t new_sel_key;
	enum fleet_power power;
	char result[FLEET_ERR];
};

/* ---- hosts ---- */

static void *ipmi_host_new(const struct backend_env *env, const struct inventory_host *ih,
			   char *err, size_t errlen)
{
	struct ipmi_host *h;
	int port = ih->ipmi_port ? ih->ipmi_port : 623;

	if (!env->workers) {
		snprintf(err, errlen, "IPMI: no worker pool to run FreeIPMI on");
		return NULL;
	}
	if (!ih->address[0]) {
		snprintf(err, errlen, "IPMI: no BMC address");
		return NULL;
	}
	if (!ih->username || !ih->password) {
		snprintf(err, errlen, "IPMI %s: no credential (a Secret or the credentials file)",
			 ih->address);
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "IPMI: out of memory");
		return NULL;
	}
	h->sh = ipmi_shared_get(env->cfg, err, errlen);
	if (!h->sh) {
		free(h);
		return NULL;
	}
	h->env = env;
	/* FreeIPMI's form: host, host:port, [v6]:port. */
	if (port == 623)
		snprintf(h->conn.host, sizeof(h->conn.host), "%s", ih->address);
	else if (strchr(ih->address, ':'))
		snprintf(h->conn.host, sizeof(h->conn.host), "[%s]:%d", ih->address, port);
	else
		snprintf(h->conn.host, sizeof(h->conn.host), "%s:%d", ih->address, port);
	h->conn.user = strdup(ih->username);
	h->conn.pass = strdup(ih->password);
	h->conn.privilege = ih->ipmi_privilege;
	h->conn.cipher_suite = ih->ipmi_cipher_suite;
	h->conn.workarounds = ih->ipmi_workarounds;
	h->conn.timeout_ms = env->cfg ? env->cfg->timeout_ms : 10000;
	h->conn.sdr_cache_dir = h->sh->sdr_dir;
	h->conn.gpu = h->sh->gpu;
	h->keep = !env->cfg || env->cfg->poll_interval_s < IPMI_KEEP_IDLE_S;
	if (!h->conn.user || !h->conn.pass) {
		ipmi_conn_clear(&h->conn);
		ipmi_shared_put(h->sh);
		free(h);
		snprintf(err, errlen, "IPMI: out of memory");
		return NULL;
	}
	return h;
}

static void ipmi_host_free(void *bh)
{
	struct ipmi_host *h = bh;

	if (!h)
		return;
	/* Normally closed at logout already; this one blocks for at most a
	 * retransmission interval. */
	if (h->kept) {
		ipmi_session_rebind(h->kept, &h->conn);
		ipmi_session_close(h->kept);
	}
	ipmi_conn_clear(&h->conn);
	ipmi_shared_put(h->sh);
	free(h->events);
	free(h);
}

/* ---- jobs: on a worker ---- */

/* Runs STEP; when it fails in a way a known workaround fixes, once more
 * with that workaround. */
static struct ipmi_session *ipmi_job_session(struct ipmi_job *j)
{
	struct ipmi_session *s = ipmi_session_open(&j->conn, &j->err);

	for (size_t i = 0; !s && i < sizeof(ipmi_auto_workarounds) / sizeof(ipmi_auto_workarounds[0]);
	     i++) {
		unsigned wa = ipmi_auto_workarounds[i].workaround;
		struct ipmi_err again;

		if (j->err.fail != ipmi_auto_workarounds[i].symptom || (j->conn.workarounds & wa))
			continue;
		j->conn.workarounds |= wa;
		atomic_fetch_add(&ipmi_auto_retries, 1);
		s = ipmi_session_open(&j->conn, &again);
		if (s || again.fail != j->err.fail) {
			/* It changed something: keep it (a wrong password now shows as such). */
			j->found |= wa;
			j->err = again;
		} else {
			j->conn.workarounds &= ~wa;
		}
	}
	if (s)
		atomic_fetch_add(&ipmi_sessions_opened, 1);
	return s;
}

/* One poll in the open session S. */
static int ipmi_job_poll_in(struct ipmi_job *j, struct ipmi_session *s)
{
	struct fleet_host_data *d = &j->data;
	struct ipmi_err soft;

	if (ipmi_chassis_power(s, &d->power, &j->err) < 0)
		return -1;
	if (!j->have_static) {
		/* A BMC without FRU or Device ID still has sensors: not fatal. */
		ipmi_device_firmware(s, d->bmc_firmware, sizeof(d->bmc_firmware), &soft);
		ipmi_fru_read(s, d, d->part_number, sizeof(d->part_number), &soft);
		j->read_static = true;
	}
	/* Read the SEL only when Get SEL Info says it changed. */
	if (ipmi_sel_info(s, &j->new_sel_key, NULL, &soft) < 0)
		j->new_sel_key = 0;
	/* The sensors in the same session: a session costs more than them. */
	if (ipmi_sensors_read(s, &j->conn, d, &j->err) < 0)
		return -1;
	/* The SEL in the same session, with the SDR cache just checked. */
	if (!j->new_sel_key || j->new_sel_key != j->sel_key) {
		if (ipmi_sel_read(s, &j->conn, d, &soft) == 0)
			j->read_sel = true;
	}
	return 0;
}

/* What one poll attempt left behind, before another. */
static void ipmi_job_poll_reset(struct ipmi_job *j)
{
	fleet_host_data_free(&j->data);
	memset(&j->data, 0, sizeof(j->data));
	j->read_static = j->read_sel = false;
	j->new_sel_key = 0;
}

/* The host's kept session when it is still worth trying, else a new
 * one; a poll that fails in a kept session runs once more in a fresh
 * one: the BMC may have restarted or dropped it (its timeout, a
 * completion code for a session it no longer knows), and a fresh
 * session tells that from a fault of the BMC, which the operator then
 * sees. The session is left in J->s when it is to be kept. */
static int ipmi_job_poll(struct ipmi_job *j)
{
	struct ipmi_session *s = j->s;
	bool reused = s != NULL;
	int rc;

	j->s = NULL;
	if (s && (j->s_stale || ipmi_now() - j->s_used > IPMI_KEEP_IDLE_S)) {
		ipmi_session_rebind(s, &j->conn);
		ipmi_session_close(s);
		s = NULL;
		reused = false;
	}
	if (s)
		ipmi_session_rebind(s, &j->conn);
	else if (!(s = ipmi_job_session(j)))
		return -1;
	rc = ipmi_job_poll_in(j, s);
	if (rc < 0 && reused) {
		ipmi_session_close(s);
		ipmi_job_poll_reset(j);
		atomic_fetch_add(&ipmi_session_reopens, 1);
		if (!(s = ipmi_job_session(j)))
			return -1;
		rc = ipmi_job_poll_in(j, s);
	}
	if (rc < 0 || !j->keep) {
		ipmi_session_close(s);
		return rc;
	}
	j->s = s;
	j->s_used = ipmi_now();
	return 0;
}

static int ipmi_job_power(struct ipmi_job *j)
{
	struct ipmi_session *s = ipmi_job_session(j);
	const char *what = engine_action_name(j->a);
	enum fleet_power now = FLEET_POWER_UNKNOWN;
	struct ipmi_err soft;

	if (!s)
		return -1;
	if (ipmi_chassis_control(s, j->a, &j->err) < 0) {
		ipmi_session_close(s);
		return -1;
	}
	switch (j->a) {
	case ENGINE_ACTION_POWER_ON:
	case ENGINE_ACTION_POWER_CYCLE:
	case ENGINE_ACTION_POWER_RESET: j->power = FLEET_POWER_ON; break;
	case ENGINE_ACTION_POWER_OFF: j->power = FLEET_POWER_OFF; break;
	default: j->power = FLEET_POWER_UNKNOWN; break;
	}
	if (ipmi_chassis_power(s, &now, &soft) == 0)
		http_fmt(j->result, sizeof(j->result),
			 "IPMI %s: Chassis Control %s accepted; chassis power now %s", j->conn.host,
			 what, now == FLEET_POWER_ON ? "on" : "off");
	else
		http_fmt(j->result, sizeof(j->result), "IPMI %s: Chassis Control %s accepted",
			 j->conn.host, what);
	ipmi_session_close(s);
	return 0;
}

static int ipmi_job_boot(struct ipmi_job *j)
{
	struct ipmi_session *s = ipmi_job_session(j);
	struct ipmi_err soft;
	char dev[64];

	if (!s)
		return -1;
	if (ipmi_chassis_boot(s, j->a, &j->err) < 0) {
		ipmi_session_close(s);
		return -1;
	}
	if (ipmi_chassis_boot_get(s, dev, sizeof(dev), &soft) == 0)
		http_fmt(j->result, sizeof(j->result),
			 "IPMI %s: one-time boot device set; the BMC now holds %s", j->conn.host,
			 dev);
	else
		http_fmt(j->result, sizeof(j->result), "IPMI %s: one-time boot device set",
			 j->conn.host);
	ipmi_session_close(s);
	return 0;
}

/* BMC reset or clearing the SEL (ipmi_manage.c). */
static int ipmi_job_manage(struct ipmi_job *j)
{
	struct ipmi_session *s = ipmi_job_session(j);
	int rc;

	if (!s)
		return -1;
	j->power = FLEET_POWER_UNKNOWN;
	rc = ipmi_manage_run(s, &j->conn, j->a, j->result, sizeof(j->result), &j->err);
	ipmi_session_close(s);
	return rc;
}

static void ipmi_job_run(void *arg)
{
	struct ipmi_job *j = arg;

	switch (j->kind) {
	case IPMI_JOB_POLL: j->rc = ipmi_job_poll(j); break;
	case IPMI_JOB_POWER: j->rc = ipmi_job_power(j); break;
	case IPMI_JOB_BOOT: j->rc = ipmi_job_boot(j); break;
	case IPMI_JOB_MANAGE: j->rc = ipmi_job_manage(j); break;
	case IPMI_JOB_CLOSE:
		ipmi_session_close(j->s);
		j->s = NULL;
		j->rc = 0;
		break;
	}
}

/* ---- jobs: back on the engine thread ---- */

/* A session still in J is closed here: on the worker for an orphaned
 * job; on the engine thread only while racktop stops (a retransmission
 * interval at most, ipmi_session_close). */
static void ipmi_job_free(struct ipmi_job *j)
{
	if (j->s) {
		ipmi_session_rebind(j->s, &j->conn);
		ipmi_session_close(j->s);
	}
	ipmi_conn_clear(&j->conn);
	fleet_host_data_free(&j->data);
	ipmi_shared_put(j->sh);
	free(j);
}

/* What the job learnt about the BMC, kept by the host. */
static void ipmi_host_learn(struct ipmi_host *h, struct ipmi_job *j)
{
	char names[96];

	if (!j->found || (h->learned & j->found) == j->found)
		return;
	h->learned |= j->found;
	h->conn.workarounds |= j->found;
	inventory_ipmi_workarounds_name(h->learned, names, sizeof(names));
	snprintf(h->notes, sizeof(h->notes), "IPMI workaround %s found and used", names);
}

static void ipmi_poll_finish(struct ipmi_host *h, struct ipmi_job *j)
{
	struct fleet_host_data *d = &j->data;

	if (j->read_static) {
		h->have_static = true;
		memcpy(h->vendor, d->vendor, sizeof(h->vendor));
		memcpy(h->model, d->model, sizeof(h->model));
		memcpy(h->serial, d->serial, sizeof(h->serial));
		memcpy(h->part, d->part_number, sizeof(h->part));
		memcpy(h->firmware, d->bmc_firmware, sizeof(h->firmware));
	} else {
		memcpy(d->vendor, h->vendor, sizeof(d->vendor));
		memcpy(d->model, h->model, sizeof(d->model));
		memcpy(d->serial, h->serial, sizeof(d->serial));
		memcpy(d->part_number, h->part, sizeof(d->part_number));
		memcpy(d->bmc_firmware, h->firmware, sizeof(d->bmc_firmware));
	}
	if (j->read_sel) {
		struct fleet_event *ev = NULL;

		if (d->nevents && (ev = malloc(d->nevents * sizeof(*ev))))
			memcpy(ev, d->events, d->nevents * sizeof(*ev));
		free(h->events);
		h->events = ev;
		h->nevents = ev ? d->nevents : 0;
		h->sel_key = ev || !d->nevents ? j->new_sel_key : 0;
	} else if (h->nevents) {
		d->events = malloc(h->nevents * sizeof(*d->events));
		if (d->events) {
			memcpy(d->events, h->events, h->nevents * sizeof(*d->events));
			d->nevents = h->nevents;
		}
	}
	d->source = FLEET_PROTO_IPMI;
	memcpy(d->notes, h->notes, sizeof(d->notes));
}

static int ipmi_job_submit(struct ipmi_host *h, struct ipmi_job *j);
static struct ipmi_job *ipmi_job_new(struct ipmi_host *h, enum ipmi_job_kind kind);

/* A poll's session back to its host (engine thread), or closed on a
 * worker when the host keeps none now (stopping). */
static void ipmi_job_return_session(struct ipmi_host *h, struct ipmi_job *j)
{
	struct ipmi_job *c;

	if (!j->s)
		return;
	if (!h->stopping && !h->kept) {
		h->kept = j->s;
		h->kept_used = j->s_used;
		h->kept_gen = j->gen;
		j->s = NULL;
		return;
	}
	c = ipmi_job_new(h, IPMI_JOB_CLOSE);
	if (!c)
		return; /* ipmi_job_free closes it */
	c->s = j->s;
	j->s = NULL;
	ipmi_job_submit(h, c);
}

static void ipmi_job_done(void *arg, enum workers_end end)
{
	struct ipmi_job *j = arg;
	struct ipmi_host *h = j->h;
	const char *cancelled = "cancelled: racktop stopped before it was sent";

	if (end == WORKERS_ORPHANED) {
		ipmi_job_free(j);
		return;
	}
	if (end == WORKERS_DONE)
		ipmi_host_learn(h, j);
	if (j->kind == IPMI_JOB_POLL)
		ipmi_job_return_session(h, j);
	if (j->kind == IPMI_JOB_MANAGE && end == WORKERS_DONE && j->rc == 0 &&
	    j->a == ENGINE_ACTION_BMC_RESET)
		h->resets++;
	if (j->kind == IPMI_JOB_CLOSE) {
		if (j->action_done)
			j->action_done(j->arg, end == WORKERS_CANCELLED ? cancelled : NULL,
				       FLEET_POWER_UNKNOWN, NULL);
	} else if (j->kind == IPMI_JOB_POLL) {
		if (end == WORKERS_CANCELLED)
			j->poll_done(j->arg, NULL, cancelled);
		else if (j->rc < 0)
			j->poll_done(j->arg, NULL, j->err.msg);
		else {
			ipmi_poll_finish(h, j);
			j->poll_done(j->arg, &j->data, NULL);
		}
	} else {
		if (end == WORKERS_CANCELLED)
			j->action_done(j->arg, cancelled, FLEET_POWER_UNKNOWN, NULL);
		else if (j->rc < 0)
			j->action_done(j->arg, j->err.msg, FLEET_POWER_UNKNOWN, NULL);
		else
			j->action_done(j->arg, NULL, j->power, j->result);
	}
	ipmi_job_free(j);
}

static struct ipmi_job *ipmi_job_new(struct ipmi_host *h, enum ipmi_job_kind kind)
{
	struct ipmi_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	if (ipmi_conn_copy(&j->conn, &h->conn) < 0) {
		free(j);
		return NULL;
	}
	j->kind = kind;
	j->h = h;
	j->sh = h->sh;
	ipmi_shared_hold(h->sh);
	j->have_static = h->have_static;
	j->sel_key = h->sel_key;
	j->keep = h->keep && !h->stopping;
	j->gen = h->resets;
	return j;
}

static int ipmi_job_submit(struct ipmi_host *h, struct ipmi_job *j)
{
	if (workers_submit(h->env->workers, ipmi_job_run, ipmi_job_done, j) == 0)
		return 0;
	ipmi_job_free(j);
	return -1;
}

static void ipmi_poll(void *bh, backend_poll_done done, void *arg)
{
	struct ipmi_host *h = bh;
	struct ipmi_job *j = ipmi_job_new(h, IPMI_JOB_POLL);
	char why[FLEET_ERR];

	if (j) {
		j->poll_done = done;
		j->arg = arg;
		/* The job holds the kept session until its done() hands it back. */
		j->s = h->kept;
		j->s_used = h->kept_used;
		j->s_stale = h->kept_gen != h->resets;
		h->kept = NULL;
		if (ipmi_job_submit(h, j) == 0)
			return;
	}
	http_fmt(why, sizeof(why), "IPMI %s: could not queue the poll (out of memory or stopping)",
		 h->conn.host);
	done(arg, NULL, why);
}

static void ipmi_action(struct ipmi_host *h, enum ipmi_job_kind kind, enum engine_action a,
			backend_action_done done, void *arg)
{
	struct ipmi_job *j = ipmi_job_new(h, kind);
	char why[FLEET_ERR];

	if (j) {
		j->a = a;
		j->action_done = done;
		j->arg = arg;
		if (ipmi_job_submit(h, j) == 0)
			return;
	}
	http_fmt(why, sizeof(why), "IPMI %s: not sent: could not queue it (out of memory or stopping)",
		 h->conn.host);
	done(arg, why, FLEET_POWER_UNKNOWN, NULL);
}

static void ipmi_power(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	ipmi_action(bh, IPMI_JOB_POWER, a, done, arg);
}

static void ipmi_boot_override(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	ipmi_action(bh, IPMI_JOB_BOOT, a, done, arg);
}

static void ipmi_manage(void *bh, enum engine_action a, backend_action_done done, void *arg)
{
	ipmi_action(bh, IPMI_JOB_MANAGE, a, done, arg);
}

/* Closes the kept session on a worker (BMCs cap sessions); a poll in
 * flight closes its own when it ends (ipmi_job_return_session). */
static void ipmi_logout(void *bh, backend_action_done done, void *arg)
{
	struct ipmi_host *h = bh;
	struct ipmi_job *j;

	h->stopping = true;
	if (!h->kept) {
		done(arg, NULL, FLEET_POWER_UNKNOWN, NULL);
		return;
	}
	j = ipmi_job_new(h, IPMI_JOB_CLOSE);
	if (!j) {
		done(arg, NULL, FLEET_POWER_UNKNOWN, NULL);
		return; /* ipmi_host_free closes it */
	}
	j->s = h->kept;
	h->kept = NULL;
	j->action_done = done;
	j->arg = arg;
	if (ipmi_job_submit(h, j) < 0)
		done(arg, NULL, FLEET_POWER_UNKNOWN, NULL);
}

const struct backend ipmi_backend = {
	.name = "ipmi",
	.host_new = ipmi_host_new,
	.host_free = ipmi_host_free,
	.poll = ipmi_poll,
	.power = ipmi_power,
	.boot_override = ipmi_boot_override,
	.manage = ipmi_manage,
	.logout = ipmi_logout,
};

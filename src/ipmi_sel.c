/* The SEL with libipmimonitoring (which names each event's sensor from
 * the SDR): one session per call, the SDR cache in racktop's own
 * directory (never ~/.freeipmi). Read only when Get SEL Info says the
 * log changed (ipmi.c). */
#include "ipmi.h"

#include <ipmi_monitoring.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "inventory.h"
#include "text.h"

#define IPMI_SEL_MAX_SCAN 100000

static pthread_once_t ipmi_sel_once = PTHREAD_ONCE_INIT;
static int ipmi_sel_mon_init_errnum = -1;

static void ipmi_sel_mon_init_once(void)
{
	int errnum = 0;

	if (ipmi_monitoring_init(IPMI_MONITORING_FLAGS_NONE, &errnum) < 0)
		ipmi_sel_mon_init_errnum = errnum;
	else
		ipmi_sel_mon_init_errnum = 0;
}

int ipmi_library_init(char *err, size_t errlen)
{
	pthread_once(&ipmi_sel_once, ipmi_sel_mon_init_once);
	if (ipmi_sel_mon_init_errnum != 0) {
		snprintf(err, errlen, "IPMI: libipmimonitoring did not start: %s",
			 ipmi_monitoring_ctx_strerror(ipmi_sel_mon_init_errnum));
		return -1;
	}
	return 0;
}

static enum ipmi_fail ipmi_sel_mon_fail(int errnum)
{
	switch (errnum) {
	case IPMI_MONITORING_ERR_CONNECTION_TIMEOUT:
	case IPMI_MONITORING_ERR_SESSION_TIMEOUT:
		return IPMI_FAIL_TIMEOUT;
	case IPMI_MONITORING_ERR_USERNAME_INVALID:
		return IPMI_FAIL_USERNAME;
	case IPMI_MONITORING_ERR_PASSWORD_INVALID:
	case IPMI_MONITORING_ERR_PASSWORD_VERIFICATION_TIMEOUT:
	case IPMI_MONITORING_ERR_K_G_INVALID:
		return IPMI_FAIL_PASSWORD;
	case IPMI_MONITORING_ERR_PRIVILEGE_LEVEL_INSUFFICIENT:
		return IPMI_FAIL_PRIVILEGE;
	case IPMI_MONITORING_ERR_PRIVILEGEL_LEVEL_CANNOT_BE_OBTAINED:
		return IPMI_FAIL_PRIV_NOT_OBTAINED;
	case IPMI_MONITORING_ERR_CIPHER_SUITE_ID_UNAVAILABLE:
	case IPMI_MONITORING_ERR_AUTHENTICATION_TYPE_UNAVAILABLE:
	case IPMI_MONITORING_ERR_IPMI_2_0_UNAVAILABLE:
		return IPMI_FAIL_CIPHER;
	case IPMI_MONITORING_ERR_BMC_BUSY:
		return IPMI_FAIL_BUSY;
	default:
		return IPMI_FAIL_OTHER;
	}
}

/* A context with racktop's SDR cache, and the session settings. */
static ipmi_monitoring_ctx_t ipmi_sel_mon_ctx(const struct ipmi_conn *c,
					      struct ipmi_monitoring_ipmi_config *cfg,
					      struct ipmi_err *e)
{
	ipmi_monitoring_ctx_t ctx;
	unsigned s_ms, r_ms;
	char err[FLEET_ERR];

	if (ipmi_library_init(err, sizeof(err)) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, err);
		return NULL;
	}
	ctx = ipmi_monitoring_ctx_create();
	if (!ctx) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return NULL;
	}
	if (c->sdr_cache_dir && ipmi_monitoring_ctx_sdr_cache_directory(ctx, c->sdr_cache_dir) < 0) {
		snprintf(err, sizeof(err), "SDR cache directory %s: %s", c->sdr_cache_dir,
			 ipmi_monitoring_ctx_errormsg(ctx));
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, err);
		ipmi_monitoring_ctx_destroy(ctx);
		return NULL;
	}
	ipmi_conn_timeouts(c, &s_ms, &r_ms);
	memset(cfg, 0, sizeof(*cfg));
	cfg->driver_type = -1;
	cfg->protocol_version = IPMI_MONITORING_PROTOCOL_VERSION_2_0;
	cfg->username = c->user;
	cfg->password = c->pass;
	cfg->privilege_level = c->privilege == INVENTORY_IPMI_PRIV_USER ? IPMI_MONITORING_PRIVILEGE_LEVEL_USER
			     : c->privilege == INVENTORY_IPMI_PRIV_OPERATOR
				     ? IPMI_MONITORING_PRIVILEGE_LEVEL_OPERATOR
				     : IPMI_MONITORING_PRIVILEGE_LEVEL_ADMIN;
	cfg->authentication_type = -1;
	cfg->cipher_suite_id = c->cipher_suite;
	cfg->session_timeout_len = (int)s_ms;
	cfg->retransmission_timeout_len = (int)r_ms;
	/* racktop's INVENTORY_IPMI_WA_* bits are FreeIPMI's 2.0 ones. */
	cfg->workaround_flags = c->workarounds & 0x7fu;
	return ctx;
}

static void ipmi_sel_entry(ipmi_monitoring_ctx_t ctx, struct fleet_event *ev)
{
	unsigned ts = 0;
	char name[FLEET_STR], what[128];
	time_t t;
	struct tm tm;
	int dir = ipmi_monitoring_sel_read_event_direction(ctx);

	memset(ev, 0, sizeof(*ev));
	if (ipmi_monitoring_sel_read_timestamp(ctx, &ts) >= 0 && ts) {
		t = (time_t)ts;
		gmtime_r(&t, &tm);
		strftime(ev->created, sizeof(ev->created), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	}
	switch (ipmi_monitoring_sel_read_sel_state(ctx)) {
	case IPMI_MONITORING_STATE_NOMINAL: snprintf(ev->severity, sizeof(ev->severity), "OK"); break;
	case IPMI_MONITORING_STATE_WARNING:
		snprintf(ev->severity, sizeof(ev->severity), "Warning");
		break;
	case IPMI_MONITORING_STATE_CRITICAL:
		snprintf(ev->severity, sizeof(ev->severity), "Critical");
		break;
	default: break;
	}
	text_clean(name, sizeof(name), ipmi_monitoring_sel_read_sensor_name(ctx));
	text_clean(what, sizeof(what), ipmi_monitoring_sel_read_event_offset_string(ctx));
	http_fmt(ev->message, sizeof(ev->message), "%s%s%s%s", name, name[0] ? ": " : "",
		 what[0] ? what : "event",
		 dir == IPMI_MONITORING_SEL_EVENT_DIRECTION_DEASSERTION ? " (deasserted)"
		 : dir == IPMI_MONITORING_SEL_EVENT_DIRECTION_ASSERTION ? " (asserted)"
									 : "");
}

int ipmi_sel_read(const struct ipmi_conn *c, struct fleet_host_data *d, struct ipmi_err *e)
{
	struct ipmi_monitoring_ipmi_config cfg;
	ipmi_monitoring_ctx_t ctx = ipmi_sel_mon_ctx(c, &cfg, e);
	struct fleet_event ring[FLEET_EVENTS_MAX];
	size_t seen = 0;
	int n;

	if (!ctx)
		return -1;
	n = ipmi_monitoring_sel_by_record_id(ctx, c->host, &cfg, 0, NULL, 0, NULL, NULL);
	if (n < 0) {
		int errnum = ipmi_monitoring_ctx_errnum(ctx);

		ipmi_err_set(e, ipmi_sel_mon_fail(errnum), c, ipmi_monitoring_ctx_errormsg(ctx));
		ipmi_monitoring_ctx_destroy(ctx);
		return -1;
	}
	/* Records come oldest first: keep the last FLEET_EVENTS_MAX. */
	if (n > 0 && ipmi_monitoring_sel_iterator_first(ctx) >= 0) {
		do {
			ipmi_sel_entry(ctx, &ring[seen % FLEET_EVENTS_MAX]);
			seen++;
		} while (seen < IPMI_SEL_MAX_SCAN && ipmi_monitoring_sel_iterator_next(ctx) > 0);
	}
	ipmi_monitoring_ctx_destroy(ctx);
	free(d->events);
	d->events = NULL;
	d->nevents = 0;
	if (!seen)
		return 0;
	size_t keep = seen < FLEET_EVENTS_MAX ? seen : FLEET_EVENTS_MAX;

	d->events = calloc(keep, sizeof(*d->events));
	if (!d->events) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < keep; i++)
		d->events[i] = ring[(seen - 1 - i) % FLEET_EVENTS_MAX];
	d->nevents = keep;
	return 0;
}

/* The SEL with libfreeipmi, in the poll's own session (a second session
 * and a second SDR cache, as libipmimonitoring would need, cost more than
 * the sensors: doc/benchmarks.md). Event sensor names come from the SDR
 * cache the poll's sensor read just checked; states are FreeIPMI's own
 * SEL interpretation. Read only when Get SEL Info says the log changed
 * (ipmi.c). */
#include "ipmi.h"

#include <freeipmi/freeipmi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "text.h"

#define IPMI_SEL_MAX_SCAN 100000

int ipmi_library_init(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	/* FreeIPMI's interpretation tables, once, before the first poll. */
	ipmi_sensors_prepare();
	return 0;
}

struct ipmi_sel_ring {
	struct fleet_event ev[FLEET_EVENTS_MAX];
	size_t seen;
};

static void ipmi_sel_entry(ipmi_sel_ctx_t sel, struct fleet_event *ev)
{
	uint8_t rec[IPMI_SEL_RECORD_MAX_RECORD_LENGTH], type = 0, dir = 0;
	uint32_t ts = 0;
	char name[FLEET_STR], what[128], buf[128];
	time_t t;
	struct tm tm;
	int len = ipmi_sel_parse_read_record(sel, rec, sizeof(rec));
	unsigned flags = IPMI_SEL_STRING_FLAGS_IGNORE_UNAVAILABLE_FIELD;
	bool system = false;

	memset(ev, 0, sizeof(*ev));
	if (len <= 0)
		return;
	if (ipmi_sel_parse_read_record_type(sel, rec, (unsigned)len, &type) == 0)
		system = ipmi_sel_record_type_class(type) == IPMI_SEL_RECORD_TYPE_CLASS_SYSTEM_EVENT_RECORD;
	if (ipmi_sel_parse_read_timestamp(sel, rec, (unsigned)len, &ts) == 0 && ts) {
		t = (time_t)ts;
		gmtime_r(&t, &tm);
		strftime(ev->created, sizeof(ev->created), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	}
	switch (ipmi_sensors_interpret_sel(rec, (unsigned)len)) {
	case IPMI_INTERPRET_STATE_NOMINAL: snprintf(ev->severity, sizeof(ev->severity), "OK"); break;
	case IPMI_INTERPRET_STATE_WARNING:
		snprintf(ev->severity, sizeof(ev->severity), "Warning");
		break;
	case IPMI_INTERPRET_STATE_CRITICAL:
		snprintf(ev->severity, sizeof(ev->severity), "Critical");
		break;
	default: break;
	}
	buf[0] = '\0';
	if (ipmi_sel_parse_read_record_string(sel, "%s", rec, (unsigned)len, buf, sizeof(buf), flags) < 0)
		buf[0] = '\0';
	buf[sizeof(buf) - 1] = '\0';
	text_clean(name, sizeof(name), buf);
	buf[0] = '\0';
	if (ipmi_sel_parse_read_record_string(sel, system ? "%e" : "%o", rec, (unsigned)len, buf,
					      sizeof(buf), flags) < 0)
		buf[0] = '\0';
	buf[sizeof(buf) - 1] = '\0';
	text_clean(what, sizeof(what), buf);
	if (!system || ipmi_sel_parse_read_event_direction(sel, rec, (unsigned)len, &dir) < 0)
		dir = 0xff;
	http_fmt(ev->message, sizeof(ev->message), "%s%s%s%s", name, name[0] ? ": " : "",
		 what[0] ? what : "event",
		 dir == IPMI_SEL_RECORD_DEASSERTION_EVENT ? " (deasserted)"
		 : dir == IPMI_SEL_RECORD_ASSERTION_EVENT ? " (asserted)"
							   : "");
}

/* Records come oldest first: keep the last FLEET_EVENTS_MAX. */
static int ipmi_sel_one(ipmi_sel_ctx_t sel, void *arg)
{
	struct ipmi_sel_ring *r = arg;

	ipmi_sel_entry(sel, &r->ev[r->seen % FLEET_EVENTS_MAX]);
	r->seen++;
	return r->seen < IPMI_SEL_MAX_SCAN ? 0 : -1;
}

int ipmi_sel_read(struct ipmi_session *s, const struct ipmi_conn *c, struct fleet_host_data *d,
		  struct ipmi_err *e)
{
	ipmi_ctx_t ctx = ipmi_session_ctx(s);
	ipmi_sdr_ctx_t sdr = ipmi_sdr_ctx_create();
	ipmi_sel_ctx_t sel;
	struct ipmi_sel_ring *r = calloc(1, sizeof(*r));
	char path[600], msg[200];
	size_t keep;

	/* The cache the sensor read just checked against the BMC: opened
	 * without asking the BMC again. Without it events lack names only. */
	ipmi_sensors_cache_path(c, path, sizeof(path));
	if (sdr && ipmi_sdr_cache_open(sdr, NULL, path) < 0) {
		ipmi_sdr_ctx_destroy(sdr);
		sdr = NULL;
	}
	sel = r ? ipmi_sel_ctx_create(ctx, sdr) : NULL;
	if (!sel) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		free(r);
		if (sdr)
			ipmi_sdr_ctx_destroy(sdr);
		return -1;
	}
	if (ipmi_sel_parse(sel, IPMI_SEL_RECORD_ID_FIRST, IPMI_SEL_RECORD_ID_LAST, ipmi_sel_one, r) < 0 &&
	    r->seen < IPMI_SEL_MAX_SCAN) {
		snprintf(msg, sizeof(msg), "reading the SEL: %s", ipmi_sel_ctx_errormsg(sel));
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, msg);
		ipmi_sel_ctx_destroy(sel);
		if (sdr)
			ipmi_sdr_ctx_destroy(sdr);
		free(r);
		return -1;
	}
	ipmi_sel_ctx_destroy(sel);
	if (sdr)
		ipmi_sdr_ctx_destroy(sdr);
	free(d->events);
	d->events = NULL;
	d->nevents = 0;
	keep = r->seen < FLEET_EVENTS_MAX ? r->seen : FLEET_EVENTS_MAX;
	if (keep && !(d->events = calloc(keep, sizeof(*d->events)))) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		free(r);
		return -1;
	}
	for (size_t i = 0; i < keep; i++)
		d->events[i] = r->ev[(r->seen - 1 - i) % FLEET_EVENTS_MAX];
	d->nevents = keep;
	free(r);
	return 0;
}

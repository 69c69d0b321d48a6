/* Sensor readings with libfreeipmi, in the poll's one session (opening an
 * RMCP+ session costs more round trips than reading all the sensors of
 * a typical BMC, so a poll opens exactly one: see doc/benchmarks.md).
 * The SDR comes from racktop's own cache (one file per BMC, replaced
 * atomically when the BMC's SDR changed); states are FreeIPMI's own
 * interpretation (Nominal, Warning, Critical), as ipmi-sensors shows. */
#include "ipmi.h"

#include <freeipmi/freeipmi.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"

#define IPMI_SENSORS_MAX_RECORDS 4096

/* One interpretation context for the process: building one parses
 * FreeIPMI's tables (about 30 ms of CPU), so it is built once and used
 * under a lock (a lookup takes microseconds). */
static pthread_mutex_t ipmi_sensors_interp_lock = PTHREAD_MUTEX_INITIALIZER;
static ipmi_interpret_ctx_t ipmi_sensors_interp_ctx;
static bool ipmi_sensors_interp_tried;

static void ipmi_sensors_interp_build(void)
{
	if (!ipmi_sensors_interp_tried) {
		ipmi_interpret_ctx_t ic = ipmi_interpret_ctx_create();

		ipmi_sensors_interp_tried = true;
		/* No config file is fine: the library's defaults apply. */
		if (ic && ipmi_interpret_load_sensor_config(ic, NULL) < 0 &&
		    ipmi_interpret_ctx_errnum(ic) != IPMI_INTERPRET_ERR_SENSOR_CONFIG_FILE_DOES_NOT_EXIST) {
			ipmi_interpret_ctx_destroy(ic);
			ic = NULL;
		}
		ipmi_sensors_interp_ctx = ic;
	}
}

void ipmi_sensors_prepare(void)
{
	pthread_mutex_lock(&ipmi_sensors_interp_lock);
	ipmi_sensors_interp_build();
	pthread_mutex_unlock(&ipmi_sensors_interp_lock);
}

/* The state of a sensor as FreeIPMI interprets it; UNKNOWN if it cannot. */
static unsigned ipmi_sensors_interpret(uint8_t ertc, uint8_t stype, uint16_t bitmask)
{
	unsigned state = IPMI_INTERPRET_STATE_UNKNOWN;

	pthread_mutex_lock(&ipmi_sensors_interp_lock);
	ipmi_sensors_interp_build();
	if (!ipmi_sensors_interp_ctx ||
	    ipmi_interpret_sensor(ipmi_sensors_interp_ctx, ertc, stype, bitmask, &state) < 0)
		state = IPMI_INTERPRET_STATE_UNKNOWN;
	pthread_mutex_unlock(&ipmi_sensors_interp_lock);
	return state;
}

unsigned ipmi_sensors_interpret_sel(const void *rec, unsigned len)
{
	unsigned state = IPMI_INTERPRET_STATE_UNKNOWN;

	pthread_mutex_lock(&ipmi_sensors_interp_lock);
	ipmi_sensors_interp_build();
	if (!ipmi_sensors_interp_ctx ||
	    ipmi_interpret_sel(ipmi_sensors_interp_ctx, rec, len, &state) < 0)
		state = IPMI_INTERPRET_STATE_UNKNOWN;
	pthread_mutex_unlock(&ipmi_sensors_interp_lock);
	return state;
}

/* The cache file of C's BMC: <dir>/sdr-<host>, the host made safe. */
void ipmi_sensors_cache_path(const struct ipmi_conn *c, char *buf, size_t n)
{
	char host[sizeof(c->host)];
	size_t i;

	for (i = 0; c->host[i] && i + 1 < sizeof(host); i++)
		host[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:",
				 c->host[i]) ? c->host[i] : '_';
	host[i] = '\0';
	http_fmt(buf, n, "%s/sdr-%s", c->sdr_cache_dir ? c->sdr_cache_dir : ".", host);
}

/* E from an SDR or sensor failure: the session's own error when the
 * session is what failed (a timeout mid-poll), else WHAT's words. */
static void ipmi_sensors_err(ipmi_ctx_t ctx, const struct ipmi_conn *c, const char *what,
			     const char *msg, struct ipmi_err *e)
{
	char buf[200];
	int errnum = ipmi_ctx_errnum(ctx);

	snprintf(buf, sizeof(buf), "%s: %s", what, msg);
	ipmi_err_set(e,
		     errnum == IPMI_ERR_SESSION_TIMEOUT || errnum == IPMI_ERR_MESSAGE_TIMEOUT ||
				     errnum == IPMI_ERR_CONNECTION_TIMEOUT
			     ? IPMI_FAIL_TIMEOUT
			     : IPMI_FAIL_OTHER,
		     c, buf);
}

/* Opens the BMC's SDR cache, building it first when it is missing,
 * damaged or older than the BMC's SDR (one Get SDR Repository Info). */
static ipmi_sdr_ctx_t ipmi_sensors_sdr(ipmi_ctx_t ctx, const struct ipmi_conn *c,
				       struct ipmi_err *e)
{
	ipmi_sdr_ctx_t sdr = ipmi_sdr_ctx_create();
	char path[600], tmp[700];
	int errnum;

	if (!sdr) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return NULL;
	}
	ipmi_sensors_cache_path(c, path, sizeof(path));
	if (ipmi_sdr_cache_open(sdr, ctx, path) == 0)
		return sdr;
	errnum = ipmi_sdr_ctx_errnum(sdr);
	if (errnum != IPMI_SDR_ERR_CACHE_READ_CACHE_DOES_NOT_EXIST &&
	    errnum != IPMI_SDR_ERR_CACHE_INVALID && errnum != IPMI_SDR_ERR_CACHE_OUT_OF_DATE) {
		ipmi_sensors_err(ctx, c, "SDR cache", ipmi_sdr_ctx_errormsg(sdr), e);
		ipmi_sdr_ctx_destroy(sdr);
		return NULL;
	}
	ipmi_sdr_ctx_destroy(sdr);
	/* Built aside and renamed: a reader never sees half a cache. */
	http_fmt(tmp, sizeof(tmp), "%s.%ld.%lx", path, (long)getpid(),
		 (unsigned long)pthread_self());
	sdr = ipmi_sdr_ctx_create();
	if (!sdr || ipmi_sdr_cache_create(sdr, ctx, tmp, IPMI_SDR_CACHE_CREATE_FLAGS_OVERWRITE, NULL,
					  NULL) < 0 ||
	    rename(tmp, path) < 0) {
		ipmi_sensors_err(ctx, c, "reading the SDR",
				 sdr ? ipmi_sdr_ctx_errormsg(sdr) : "out of memory", e);
		unlink(tmp);
		ipmi_sdr_ctx_destroy(sdr);
		return NULL;
	}
	ipmi_sdr_ctx_destroy(sdr);
	sdr = ipmi_sdr_ctx_create();
	if (!sdr || ipmi_sdr_cache_open(sdr, NULL, path) < 0) {
		ipmi_sensors_err(ctx, c, "SDR cache", sdr ? ipmi_sdr_ctx_errormsg(sdr) : "out of memory",
				 e);
		ipmi_sdr_ctx_destroy(sdr);
		return NULL;
	}
	return sdr;
}

static enum fleet_health ipmi_sensors_health(unsigned state)
{
	switch (state) {
	case IPMI_INTERPRET_STATE_NOMINAL: return FLEET_HEALTH_OK;
	case IPMI_INTERPRET_STATE_WARNING: return FLEET_HEALTH_WARNING;
	case IPMI_INTERPRET_STATE_CRITICAL: return FLEET_HEALTH_CRITICAL;
	default: return FLEET_HEALTH_UNKNOWN;
	}
}

static enum fleet_sensor_kind ipmi_sensors_units(uint8_t base, double *v, const char **u)
{
	switch (base) {
	case IPMI_SENSOR_UNIT_DEGREES_C: *u = "Cel"; return FLEET_SENSOR_TEMP;
	case IPMI_SENSOR_UNIT_DEGREES_F:
		*u = "Cel";
		*v = (*v - 32) * 5 / 9;
		return FLEET_SENSOR_TEMP;
	case IPMI_SENSOR_UNIT_VOLTS: *u = "V"; return FLEET_SENSOR_VOLTAGE;
	case IPMI_SENSOR_UNIT_AMPS: *u = "A"; return FLEET_SENSOR_OTHER;
	case IPMI_SENSOR_UNIT_WATTS: *u = "W"; return FLEET_SENSOR_POWER;
	case IPMI_SENSOR_UNIT_RPM: *u = "RPM"; return FLEET_SENSOR_FAN;
	default: *u = ""; return FLEET_SENSOR_OTHER;
	}
}

/* One SDR record: 1 added, 0 not a readable sensor, -1 failed (E set). */
static int ipmi_sensors_one(ipmi_ctx_t ctx, ipmi_sdr_ctx_t sdr, ipmi_sensor_read_ctx_t sr,
			    const struct ipmi_conn *c,
			    struct fleet_host_data *d, size_t *cap, struct ipmi_err *e)
{
	uint8_t rec[IPMI_SDR_MAX_RECORD_LENGTH], type = 0, stype = 0, ertc = 0, raw = 0;
	uint8_t pct, mod, rate, base = 0, modunit;
	uint16_t id = 0, bitmask = 0;
	double *reading = NULL, v = NAN;
	char name[IPMI_SDR_MAX_ID_STRING_LENGTH + 1];
	const char *units = "";
	enum fleet_sensor_kind k = FLEET_SENSOR_OTHER;
	unsigned state = IPMI_INTERPRET_STATE_UNKNOWN;
	int len = ipmi_sdr_cache_record_read(sdr, rec, sizeof(rec)), rc;

	if (len <= 0 || ipmi_sdr_parse_record_id_and_type(sdr, rec, (unsigned)len, &id, &type) < 0 ||
	    (type != IPMI_SDR_FORMAT_FULL_SENSOR_RECORD && type != IPMI_SDR_FORMAT_COMPACT_SENSOR_RECORD))
		return 0;
	memset(name, 0, sizeof(name));
	if (ipmi_sdr_parse_id_string(sdr, rec, (unsigned)len, name, sizeof(name) - 1) < 0 ||
	    ipmi_sdr_parse_sensor_type(sdr, rec, (unsigned)len, &stype) < 0 ||
	    ipmi_sdr_parse_event_reading_type_code(sdr, rec, (unsigned)len, &ertc) < 0)
		return 0;
	rc = ipmi_sensor_read(sr, rec, (unsigned)len, 0, &raw, &reading, &bitmask);
	if (rc < 0) {
		int errnum = ipmi_sensor_read_ctx_errnum(sr);

		/* The session failing is the poll failing; one sensor that
		 * cannot be read is only that sensor (as ipmi-sensors). */
		if (errnum == IPMI_SENSOR_READ_ERR_IPMI_ERROR || errnum == IPMI_SENSOR_READ_ERR_SYSTEM_ERROR ||
		    errnum == IPMI_SENSOR_READ_ERR_OUT_OF_MEMORY) {
			int ie = ipmi_ctx_errnum(ctx);

			if (ie == IPMI_ERR_SESSION_TIMEOUT || ie == IPMI_ERR_MESSAGE_TIMEOUT ||
			    ie == IPMI_ERR_CONNECTION_TIMEOUT || errnum != IPMI_SENSOR_READ_ERR_IPMI_ERROR) {
				ipmi_sensors_err(ctx, c, name, ipmi_sensor_read_ctx_errormsg(sr), e);
				return -1;
			}
		}
		return 0;
	}
	if (ertc == IPMI_EVENT_READING_TYPE_CODE_THRESHOLD) {
		if (!reading)
			return 0;
		v = *reading;
		if (isinf(v))
			v = NAN;
		if (ipmi_sdr_parse_sensor_units(sdr, rec, (unsigned)len, &pct, &mod, &rate, &base,
						&modunit) == 0)
			k = ipmi_sensors_units(base, &v, &units);
	}
	free(reading);
	state = ipmi_sensors_interpret(ertc, stype, bitmask);
	/* Discrete sensors nobody can interpret say nothing (as
	 * ipmimonitoring's IGNORE_NON_INTERPRETABLE_SENSORS). */
	if (ertc != IPMI_EVENT_READING_TYPE_CODE_THRESHOLD && state == IPMI_INTERPRET_STATE_UNKNOWN)
		return 0;
	if (ipmi_data_add_sensor(c, d, cap, name, k, v, units, ipmi_sensors_health(state)) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return -1;
	}
	return 1;
}

int ipmi_sensors_read(struct ipmi_session *s, const struct ipmi_conn *c, struct fleet_host_data *d,
		      struct ipmi_err *e)
{
	ipmi_ctx_t ctx = ipmi_session_ctx(s);
	ipmi_sdr_ctx_t sdr = ipmi_sensors_sdr(ctx, c, e);
	ipmi_sensor_read_ctx_t sr;
	uint16_t count = 0;
	size_t cap = 0;
	int rc = 0;

	if (!sdr)
		return -1;
	sr = ipmi_sensor_read_ctx_create(ctx);
	if (!sr) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		ipmi_sdr_ctx_destroy(sdr);
		return -1;
	}
	if (ipmi_sdr_cache_record_count(sdr, &count) < 0)
		count = 0;
	if (count > IPMI_SENSORS_MAX_RECORDS)
		count = IPMI_SENSORS_MAX_RECORDS;
	if (count && ipmi_sdr_cache_first(sdr) == 0) {
		for (uint16_t i = 0; i < count; i++) {
			if (ipmi_sensors_one(ctx, sdr, sr, c, d, &cap, e) < 0) {
				rc = -1;
				break;
			}
			if (ipmi_sdr_cache_next(sdr) != 1)
				break;
		}
	}
	for (size_t i = 0; i < d->ngpus; i++)
		if (d->gpus[i].health > d->health)
			d->health = d->gpus[i].health;
	/* IPMI has no GPU object: no sensor named like one says nothing
	 * about how many the host has. */
	d->gpus_read = d->ngpus > 0;
	ipmi_sensor_read_ctx_destroy(sr);
	ipmi_sdr_cache_close(sdr);
	ipmi_sdr_ctx_destroy(sdr);
	return rc;
}

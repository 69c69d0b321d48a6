/* IPMI inside racktop: what ipmi.c (the backend) needs from the files
 * that make the FreeIPMI calls. Everything here blocks and runs on a
 * worker (workers.h), never on the engine thread. A poll runs in the
 * host's kept session (ipmi.c: one job holds it at a time, polls of a
 * host never overlap); actions open their own. Hosts never share state.
 *
 *   ipmi_chassis.c  libfreeipmi: the session, chassis status and control,
 *                   boot device, FRU, SEL info
 *   ipmi_sensors.c  libfreeipmi: sensor readings, in the poll's session
 *   ipmi_sel.c      libfreeipmi: the SEL, in the poll's session, when it changed
 *   ipmi_manage.c   libfreeipmi: BMC cold reset, clearing the SEL
 *   ipmi_data.c     readings -> GPUs and sensors in the fleet store
 *   ipmi_gpu.c      which sensors are GPUs (name patterns)
 *   ipmi_conn.c     connection settings and error messages
 *   ipmi_shared.c   the SDR cache directory and GPU patterns hosts share
 *   ipmi_fallback.c Redfish first, IPMI when Redfish fails */
#ifndef RACKTOP_IPMI_H
#define RACKTOP_IPMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "fleet.h"

/* Why a call failed, in the classes an operator can act on. */
enum ipmi_fail {
	IPMI_OK = 0,
	IPMI_FAIL_USERNAME,        /* no such user */
	IPMI_FAIL_PASSWORD,        /* wrong password (or k_g) */
	IPMI_FAIL_PRIVILEGE,       /* the user lacks the privilege asked for */
	IPMI_FAIL_PRIV_NOT_OBTAINED, /* "privilege level cannot be obtained":
				      * often the open-session-privilege quirk */
	IPMI_FAIL_PRIV_REFUSED,    /* the BMC refused the session at this level
				    * but grants USER */
	IPMI_FAIL_CIPHER,          /* cipher suite not offered */
	IPMI_FAIL_TIMEOUT,         /* no answer */
	IPMI_FAIL_BUSY,
	IPMI_FAIL_OTHER,
};

/* One host's connection, copied into each job (the job owns it). */
struct ipmi_conn {
	char host[300];            /* "10.0.0.5" or "127.0.0.1:9001" (FreeIPMI's form) */
	char *user, *pass;         /* heap, wiped when freed */
	int privilege;             /* INVENTORY_IPMI_PRIV_* */
	int cipher_suite;
	unsigned workarounds;      /* INVENTORY_IPMI_WA_* */
	int timeout_ms;
	const char *sdr_cache_dir; /* owned by the backend's shared state */
	const struct ipmi_gpu_patterns *gpu;
};

struct ipmi_err {
	enum ipmi_fail fail;
	char msg[FLEET_ERR];       /* what and where, no credential */
};

/* Process-wide set-up of the FreeIPMI libraries: 0 or -1 (ERR says). */
int ipmi_library_init(char *err, size_t errlen);

struct ipmi_session;

/* ipmi_sensors.c (libfreeipmi): every sensor, in the open session S,
 * into D (GPUs by C->gpu, the rest as sensors), health rolled up into
 * D->health. 0 or -1 with E set. */
int ipmi_sensors_read(struct ipmi_session *s, const struct ipmi_conn *c, struct fleet_host_data *d,
		      struct ipmi_err *e);
/* Builds what every sensor read shares (FreeIPMI's interpretation
 * tables), at start-up rather than in the first poll. */
void ipmi_sensors_prepare(void);
/* FreeIPMI's state (IPMI_INTERPRET_STATE_*) for one SEL record. */
unsigned ipmi_sensors_interpret_sel(const void *rec, unsigned len);
/* The SDR cache file of C's BMC: <dir>/sdr-<host>, the host made safe. */
void ipmi_sensors_cache_path(const struct ipmi_conn *c, char *buf, size_t n);
/* ipmi_sel.c (libfreeipmi, in the open session S, after
 * ipmi_sensors_read checked the SDR cache): the SEL, newest first, at
 * most FLEET_EVENTS_MAX into D->events. */
int ipmi_sel_read(struct ipmi_session *s, const struct ipmi_conn *c, struct fleet_host_data *d,
		  struct ipmi_err *e);
/* ipmi_data.c: one reading into D: a GPU's when NAME matches C->gpu,
 * else a sensor. CAP: D->sensors' allocated size. 0 or -1 (memory). */
int ipmi_data_add_sensor(const struct ipmi_conn *c, struct fleet_host_data *d, size_t *cap,
			 const char *name, enum fleet_sensor_kind k, double v, const char *units,
			 enum fleet_health h);

/* ipmi_chassis.c: S names C in its errors (C must outlive its use). */
struct ipmi_session *ipmi_session_open(const struct ipmi_conn *c, struct ipmi_err *e);
/* Sends Close Session (waiting at most one retransmission interval for
 * the answer: a BMC that already forgot the session costs that much). */
void ipmi_session_close(struct ipmi_session *s);
/* A kept session moving to the next job: its errors name C from now on. */
void ipmi_session_rebind(struct ipmi_session *s, const struct ipmi_conn *c);
/* The session's libfreeipmi context (an ipmi_ctx_t). */
void *ipmi_session_ctx(struct ipmi_session *s);
/* Power state from Get Chassis Status. */
int ipmi_chassis_power(struct ipmi_session *s, enum fleet_power *p, struct ipmi_err *e);
/* FRU 0's product (else board) area: manufacturer, product, serial, part. */
int ipmi_fru_read(struct ipmi_session *s, struct fleet_host_data *d, char *part, size_t partlen,
		  struct ipmi_err *e);
/* An ENGINE_ACTION_POWER_* as Chassis Control. */
int ipmi_chassis_control(struct ipmi_session *s, enum engine_action a, struct ipmi_err *e);
/* An ENGINE_ACTION_BOOT_* as a one-time boot device (boot flags). */
int ipmi_chassis_boot(struct ipmi_session *s, enum engine_action a, struct ipmi_err *e);
/* The boot device the BMC holds now: "pxe", "disk", "bios", "none", ...
 * (for tests and the result line). */
int ipmi_chassis_boot_get(struct ipmi_session *s, char *dev, size_t n, struct ipmi_err *e);

/* Get Device ID's firmware revision: "2.15". */
int ipmi_device_firmware(struct ipmi_session *s, char *buf, size_t n, struct ipmi_err *e);
/* Get SEL Info: KEY, one number that changes when the SEL does, and
 * the number of ENTRIES (either may be NULL). */
int ipmi_sel_info(struct ipmi_session *s, uint64_t *key, unsigned *entries, struct ipmi_err *e);
/* The answer to one command: OBJ (a fiid_obj_t made from the command's
 * response template; NULL when that failed) after its ipmi_cmd_* call
 * returned RC; N FIELDS of it into VALS. Destroys OBJ. 0, or -1 with E
 * naming WHAT and the BMC's completion code when it sent one
 * ("BMC reset: command not supported (0xC1)"). */
int ipmi_session_answer(struct ipmi_session *s, const char *what, void *obj, int rc,
			const char *const *fields, uint64_t *vals, size_t n, struct ipmi_err *e);

/* ipmi_manage.c: ENGINE_ACTION_BMC_RESET (Cold Reset) or
 * ENGINE_ACTION_CLEAR_LOG (Reserve SEL, Clear SEL, wait for the erase)
 * in the open session S; RESULT says what the BMC did. 0 or -1 with E. */
int ipmi_manage_run(struct ipmi_session *s, const struct ipmi_conn *c, enum engine_action a,
		    char *result, size_t n, struct ipmi_err *e);

/* ipmi_gpu.c: sensor names -> GPU index. */
struct ipmi_gpu_patterns;
/* SPEC: patterns one a line (NULL: the defaults); a line is a POSIX ERE
 * (case-insensitive) whose first group is the GPU's number, optionally
 * preceded by "base=1 " when the names count from 1. NULL with ERR set
 * when one does not compile. */
struct ipmi_gpu_patterns *ipmi_gpu_patterns_new(const char *spec, char *err, size_t errlen);
void ipmi_gpu_patterns_free(struct ipmi_gpu_patterns *p);
/* The 0-based GPU index NAME names, or -1. */
int ipmi_gpu_match(const struct ipmi_gpu_patterns *p, const char *name);
extern const char ipmi_gpu_default_patterns[];

/* What the BMCs of one racktop share: refcounted, since a job may
 * outlive the engine (workers_free leaves hung ones behind). */
struct ipmi_shared {
	int refs;
	char sdr_dir[512];
	bool sdr_dir_ours;        /* a temporary one, removed at the end */
	struct ipmi_gpu_patterns *gpu;
};

/* ipmi_shared.c: the shared state, made from CFG with the first host
 * (NULL with ERR set), held and released by hosts and jobs. */
struct ipmi_shared *ipmi_shared_get(const struct engine_config *cfg, char *err, size_t errlen);
void ipmi_shared_hold(struct ipmi_shared *sh);
void ipmi_shared_put(struct ipmi_shared *sh);

/* ipmi.c: how many times a known workaround was tried because a BMC
 * failed without it (tests: found once, then remembered). */
unsigned long ipmi_debug_auto_retries(void);
/* ipmi.c: sessions opened by polls and actions, and polls run again in
 * a fresh session because their kept one failed (tests: a kept session
 * is reused, a lost one replaced). */
unsigned long ipmi_debug_sessions_opened(void);
unsigned long ipmi_debug_session_reopens(void);
/* A host's session is kept between polls while it would idle less than
 * this (seconds): BMCs drop sessions idle for about 60 s (IPMI 2.0's
 * default inactivity timeout); half of that leaves room. */
#define IPMI_KEEP_IDLE_S 30

/* ipmi_conn.c: an operator's sentence for class F on C's BMC; LIBMSG is
 * the library's own words (may be NULL). */
void ipmi_err_set(struct ipmi_err *e, enum ipmi_fail f, const struct ipmi_conn *c,
		  const char *libmsg);
/* The session timeouts FreeIPMI takes, from C->timeout_ms. */
void ipmi_conn_timeouts(const struct ipmi_conn *c, unsigned *session_ms, unsigned *retransmit_ms);
void ipmi_conn_clear(struct ipmi_conn *c);           /* wipes the credential */
int ipmi_conn_copy(struct ipmi_conn *dst, const struct ipmi_conn *src);


#endif

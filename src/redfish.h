/* Redfish: the parts shared by redfish.c (host, session, actions),
 * the poll (redfish_poll.c and the files of redfish_poll.h: which
 * resources to fetch, in what order) and redfish_decode.c (JSON ->
 * fleet structs). Tests use it to drive a
 * host over a transport that serves mockup files. */
#ifndef RACKTOP_REDFISH_H
#define RACKTOP_REDFISH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "fleet.h"
#include "http.h"

#define RF_MAX_SYSTEMS 8
#define RF_MAX_GPUS 64
#define RF_MAX_CHASSIS 4          /* chassis read for sensors, per host */
#define RF_MAX_GPU_SENSORS 32
#define RF_MAX_LOGS 4
#define RF_MAX_SENSORS 48         /* host sensors kept per host */
#define RF_MAX_MEMBERS 1024       /* members looked at in one collection */
#define RF_REDISCOVER_POLLS 30
#define RF_REDISCOVER_S 3600      /* and no more often than this, unless due (below) */
#ifndef RF_LOG_POLLS               /* -D for the at-rest benchmark's variants */
#define RF_LOG_POLLS 8            /* the event log is read at least every Nth poll */
#endif
#ifndef RF_SENSOR_POLLS
#define RF_SENSOR_POLLS 8         /* chassis sensors are read at least every Nth poll */
#endif

/* A GPU found by discovery: its fixed facts and where its readings are.
 * URLs are heap strings (NULL: none) to keep 10,000 hosts small. */
struct rf_gpu {
	struct fleet_gpu st;       /* id, model, serial, uuid, firmware, totals; readings NAN */
	int sys;                   /* index in tree.systems */
	int num;                   /* the number in its Id (GPU_SXM_1 -> 1); -1 none */
	char *url, *env, *metrics, *memmetrics;
	char *temp_src, *power_src; /* DataSourceUri of the readings (telemetry) */
	char *memlink;             /* first Links.Memory, during discovery only */
};

struct rf_system {
	char id[FLEET_STR];
	char *url, *reset_target, *processors, *logservices, *chassis;
};

struct rf_chassis {
	int sys;                   /* index in tree.systems, -1 none */
	char *url, *thermal, *power, *sensors, *pcie;
};

/* The static tree of one BMC: learnt once, used by every later poll. */
struct rf_tree {
	bool valid;
	bool expand;               /* ServiceRoot advertises $expand levels */
	int expand_levels;         /* the $levels it expands (MaxLevels, at most 2) */
	/* Tried, and this BMC did not expand it: per-resource GETs instead. */
	bool no_sys_expand, no_proc_expand, no_deep_expand, no_chassis_expand;
	/* ServiceRoot advertises $select; NO_SELECT: it refused or misapplied
	 * it, ask for whole resources. */
	bool select, no_select;
	/* Some GPU reading came only from chassis sensors: read them every poll. */
	bool gpu_from_chassis;
	char *systems_coll, *chassis_coll, *managers, *telemetry;
	size_t nsystems, ngpus, nchassis, nlogs, ngpu_sensors;
	struct rf_system systems[RF_MAX_SYSTEMS];
	struct rf_gpu *gpus;       /* ngpus */
	struct rf_chassis chassis[RF_MAX_CHASSIS];
	char *logs[RF_MAX_LOGS];   /* LogEntry collections */
	char *gpu_sensors[RF_MAX_GPU_SENSORS]; /* Sensor URLs, or expanded Sensors collections */
	int gpu_sensor_sys[RF_MAX_GPU_SENSORS];
	char *report;              /* a MetricReport with GPU readings */
	bool report_covers;        /* it has every GPU's temperature: skip EnvironmentMetrics */
	char bmc_firmware[FLEET_STR];
	int ssh_console_port;      /* Manager SerialConsole.SSH: Port when ServiceEnabled; 0: none */
	int main_sys;              /* the system power and identity come from */
};

enum rf_session_state { RF_SESS_NONE = 0, RF_SESS_LOGGING_IN, RF_SESS_OK };

struct rf_poll;

struct rf_host {
	struct http_transport *t;
	const struct engine_config *cfg;
	char base[300];            /* https://host:port, no trailing slash */
	char name[FLEET_STR];
	char cred_ref[128];
	char system_name[FLEET_STR];
	char *user, *pass;         /* wiped when freed */
	bool basic, insecure;
	struct http_origin origin;
	enum rf_session_state sess;
	char *token;               /* X-Auth-Token; never logged, wiped */
	char session_path[256];    /* Location of our session, for logout */
	unsigned token_gen;
	struct http_req *held;     /* requests waiting for the login */
	/* Logout asked while the login was on its way: done when it answers. */
	backend_action_done logout_done;
	void *logout_arg;
	struct rf_tree tree;
	/* The tree is learnt again after an error and when the host's power
	 * comes on (hardware can change only while it is off): REDISCOVER;
	 * else every RF_REDISCOVER_POLLS polls, at most once in
	 * RF_REDISCOVER_S (a discovery costs 30 or more requests). */
	unsigned polls_since_discovery;
	bool rediscover;
	double discovered_at;      /* CLOCK_MONOTONIC seconds */
	enum fleet_power last_power;
	struct rf_poll *poll;
	backend_poll_progress progress; /* each answer of a poll (NULL: none) */
	unsigned logins;           /* sessions created (for tests) */
	/* The event log is read when something it would record changed:
	 * LOG_SIG (power, health, GPU and sensor states when last read)
	 * differs, an action was started or ended (LOG_GEN moved past
	 * LOG_GEN_READ), or RF_LOG_POLLS polls passed. */
	uint32_t log_sig;
	unsigned log_gen, log_gen_read, polls_since_log;
	/* Chassis sensors are read when the systems' power or health changed
	 * (SENS_SYS_SIG when last read), or RF_SENSOR_POLLS polls passed;
	 * SENS_HEALTH_SIG: their health then, for LOG_SIG in between. */
	uint32_t sens_sys_sig, sens_health_sig;
	unsigned polls_since_sensors;
	/* With $select, a GPU's memory, ECC and power limit (the host view's)
	 * are asked for every RF_SENSOR_POLLS polls and in the poll after
	 * something the log records changed; the other polls ask for the
	 * readings the fleet row shows and keep those from the tree. */
	bool gpu_full_due;
	unsigned polls_since_gpu_full;
	/* The host view shows this host (engine_focus): every poll reads the
	 * sensors, the log and the GPUs' full readings, as if all were due. */
	bool focused;
};

/* Called with the answer; the request is freed after it returns. */
typedef void (*rf_cb)(struct rf_host *h, struct http_req *r, void *arg);

/* redfish.c */
struct rf_host *rf_host_new(struct http_transport *t, const struct engine_config *cfg,
			    const struct inventory_host *ih, char *err, size_t errlen);
void rf_host_free(struct rf_host *h);
/* Sends METHOD PATH (a path on this BMC, or an absolute URL of it) with
 * the session or Basic credentials, logging in first when needed and
 * again once on a 401. BODY may be NULL. */
void rf_request(struct rf_host *h, const char *method, const char *path, const char *body,
		rf_cb cb, void *arg);
void rf_host_logout(struct rf_host *h, backend_action_done done, void *arg);
void rf_host_action(struct rf_host *h, enum engine_action a, backend_action_done done, void *arg);
/* The BMC no longer has our session (it restarted): log in afresh. */
void rf_session_forget(struct rf_host *h);
/* redfish_manage.c: ENGINE_ACTION_BMC_RESET, ENGINE_ACTION_CLEAR_LOG. */
void rf_host_manage(struct rf_host *h, enum engine_action a, backend_action_done done, void *arg);
/* The path part of a BMC-given link, checked to be on this BMC. */
const char *rf_path_of(const struct rf_host *h, const char *link);

/* redfish_poll.c */
void rf_poll_start(struct rf_host *h, backend_poll_done done, void *arg);
/* redfish_tree.c */
void rf_tree_clear(struct rf_tree *t);

/* redfish_decode.c: reading untrusted JSON. The first problem is kept
 * in ERR as "URL: what" and later calls keep it. */
struct rf_doc {
	const char *url;
	char *err;
	size_t errlen;
};
json_t *rf_parse(const struct http_req *r, char *err, size_t errlen);
/* Checks the answer: transport error, HTTP status, JSON. NULL + ERR. */
json_t *rf_answer(const struct http_req *r, char *err, size_t errlen);
void rf_fail(struct rf_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *rf_str(struct rf_doc *d, json_t *o, const char *key);
double rf_num(struct rf_doc *d, json_t *o, const char *key);
json_t *rf_obj(struct rf_doc *d, json_t *o, const char *key);
json_t *rf_arr(struct rf_doc *d, json_t *o, const char *key);
const char *rf_link(struct rf_doc *d, json_t *o, const char *key);
/* Members of a collection (required array). */
json_t *rf_members(struct rf_doc *d, json_t *o);
/* A member carrying more than its @odata.id (an $expand answer). */
bool rf_expanded(json_t *member);
void rf_set(char **dst, const char *src);
int rf_id_number(const char *id);
void rf_decode_system(struct rf_doc *d, json_t *o, struct fleet_host_data *data, bool main);
void rf_decode_gpu_static(struct rf_doc *d, json_t *o, struct rf_gpu *g);
void rf_decode_gpu_status(struct rf_doc *d, json_t *o, struct fleet_gpu *g);
void rf_decode_env(struct rf_doc *d, json_t *o, struct fleet_gpu *g, struct rf_gpu *rg);
/* Cache ECC goes to CC/CU: it is only a fallback for memory ECC. */
void rf_decode_proc_metrics(struct rf_doc *d, json_t *o, struct fleet_gpu *g, double *cc,
			    double *cu);
void rf_decode_mem_metrics(struct rf_doc *d, json_t *o, struct fleet_gpu *g);
/* Appends sensors; GPU readings go to GT/GP (by GPU number) when set. */
struct rf_sensors {
	size_t n, cap;
	struct fleet_sensor *v;
	int *prio;
};
void rf_decode_thermal(struct rf_doc *d, json_t *o, struct rf_sensors *s);
void rf_decode_power(struct rf_doc *d, json_t *o, struct rf_sensors *s);
void rf_decode_sensor(struct rf_doc *d, json_t *o, struct rf_sensors *s);
void rf_sensors_finish(struct rf_sensors *s, struct fleet_host_data *data);
/* redfish_events.c: log entries of one poll, with their Ids to drop
 * repeats. */
struct rf_events {
	struct fleet_event *v;
	char (*id)[FLEET_STR];
	int *log;                  /* which LogEntry collection (tree.logs index) */
	size_t n, cap;
};
/* Appends the entries of collection O (log LOG) up to a bound. */
void rf_events_decode(struct rf_doc *d, json_t *o, struct rf_events *ev, int log);
/* Drops repeats (the same Id twice in one log, or the same Id, time and
 * message in two), sorts newest first, cuts to FLEET_EVENTS_MAX and
 * hands them to DATA. */
void rf_events_finish(struct rf_events *ev, struct fleet_host_data *data);
void rf_events_free(struct rf_events *ev);
/* GPU readings shown as sensors: "gpu0 Temperature", GPUSubsystemGPU0Power. */
bool rf_gpu_sensor(json_t *o, int *num, bool *is_temp, double *value);

#endif

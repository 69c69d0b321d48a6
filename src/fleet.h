/* The fleet store: every host, its GPUs, sensors and log entries.
 *
 * The engine thread writes whole poll results under one lock and bumps a
 * version counter; the UI thread takes snapshots (copies of the hosts
 * that changed since its last snapshot) and draws from those without
 * holding the lock. A byte on the wake pipe tells the UI to look.
 * A snapshot's GPU, sensor and log arrays are not copies: they are the
 * store's own, shared and never written again (a poll puts in new ones),
 * so they are read-only everywhere.
 *
 * A reading the BMC did not report is NAN (see fleet_has()), never 0.
 * Every string in here came through text_clean() and holds no control
 * characters. */
#ifndef RACKTOP_FLEET_H
#define RACKTOP_FLEET_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define FLEET_STR 64
#define FLEET_ERR 256
#define FLEET_EVENTS_MAX 32

enum fleet_power {
	FLEET_POWER_UNKNOWN = 0,
	FLEET_POWER_ON,
	FLEET_POWER_OFF,
	FLEET_POWER_POWERING_ON,
	FLEET_POWER_POWERING_OFF,
};

/* Ordered: a larger value is worse, so "worst" is a max(). */
enum fleet_health {
	FLEET_HEALTH_UNKNOWN = 0,
	FLEET_HEALTH_OK,
	FLEET_HEALTH_WARNING,
	FLEET_HEALTH_CRITICAL,
};

enum fleet_protocol {
	FLEET_PROTO_REDFISH = 0,
	FLEET_PROTO_IPMI,
};

enum fleet_sensor_kind {
	FLEET_SENSOR_TEMP = 0,
	FLEET_SENSOR_FAN,
	FLEET_SENSOR_POWER,
	FLEET_SENSOR_VOLTAGE,
	FLEET_SENSOR_OTHER,
};

struct fleet_gpu {
	int index;                 /* 0-based position on the host */
	char id[FLEET_STR];        /* the BMC's own Id, e.g. GPU_SXM_1 */
	char model[FLEET_STR];
	char serial[FLEET_STR];
	char uuid[FLEET_STR];
	char firmware[FLEET_STR];
	char state[24];            /* Redfish Status.State: Enabled, Absent, ... ("" unknown) */
	enum fleet_health health;
	double temperature_c;      /* NAN: not reported */
	double power_w;
	double power_limit_w;
	double utilization_pct;
	double memory_used_mib;
	double memory_total_mib;
	double ecc_corrected;
	double ecc_uncorrected;
};

/* How the last operator action on a host ended (struct fleet_host). */
enum fleet_action_state {
	FLEET_ACTION_NONE = 0,     /* no action yet */
	FLEET_ACTION_PENDING,      /* queued for the engine */
	FLEET_ACTION_RUNNING,      /* sent to the BMC, no answer yet */
	FLEET_ACTION_DONE,         /* the BMC accepted it */
	FLEET_ACTION_FAILED,       /* refused, unreachable or cancelled: action_result says why;
				    * "not reached: ...": accepted, but its power state not seen */
	FLEET_ACTION_ACCEPTED,     /* the BMC accepted a power action; a poll has not seen
				    * its power state yet (then DONE, or FAILED "not reached") */
};

struct fleet_sensor {
	char name[FLEET_STR];
	enum fleet_sensor_kind kind;
	double reading;            /* NAN: not reported */
	char units[16];
	enum fleet_health health;
};

struct fleet_event {
	char created[32];          /* as the BMC wrote it (ISO 8601) */
	char severity[16];         /* OK, Warning, Critical */
	char message[192];
};

/* Everything one successful poll learns about a host. The engine builds
 * one off-lock and hands it to fleet_host_update(), which takes it. */
struct fleet_host_data {
	enum fleet_power power;
	enum fleet_health health;
	char vendor[FLEET_STR];
	char model[FLEET_STR];
	char serial[FLEET_STR];
	char bios_version[FLEET_STR];
	char bmc_firmware[FLEET_STR];
	size_t ngpus;
	struct fleet_gpu *gpus;
	bool gpus_read;            /* the poll read the host's GPUs (NGPUS 0: it has none);
				    * false: not known (Kubernetes' picture, IPMI with no
				    * GPU sensor), shown "-", never 0 */
	size_t nsensors;
	struct fleet_sensor *sensors;
	size_t nevents;            /* newest first, at most FLEET_EVENTS_MAX */
	struct fleet_event *events;
	enum fleet_protocol source; /* which protocol this poll's readings came from */
	char notes[128];           /* what the backend learnt about the BMC ("IPMI workaround
				    * opensesspriv found and used"); "": nothing */
	char part_number[FLEET_STR]; /* IPMI FRU product part number ("" unknown) */
	bool events_kept;          /* this poll did not read the event log (it had no
				    * reason to think it changed): keep the events the
				    * store holds; events must be empty */
	bool sensors_kept;         /* the same for the sensors: keep the store's;
				    * sensors must be empty */
	int ssh_console_port;      /* Redfish Manager SerialConsole.SSH Port, when enabled; 0: none */
	/* Set by the store (fleet.c): the three arrays above are then shared,
	 * read-only, by the store and every snapshot, each through a reference
	 * count. NULL: a plain malloc'd array that this struct owns (what the
	 * engine builds and fleet_host_data_copy() makes). Leave them NULL and
	 * free them only with fleet_host_data_free(). */
	struct fleet_block *gpus_block, *sensors_block, *events_block;
};

struct fleet_host {
	/* identity: set when the inventory loads, then fixed */
	char name[FLEET_STR];
	char bmc[256];             /* endpoint as shown: https://10.0.0.5:443 */
	enum fleet_protocol protocol;
	char cred_ref[128];        /* where the credential came from, never the secret */
	/* live state */
	struct fleet_host_data data;
	bool has_data;             /* at least one good poll */
	time_t last_good;          /* 0: never */
	char error[FLEET_ERR];     /* "": none */
	time_t error_since;
	/* A poll failed after the last good one: DATA is what the host said
	 * at LAST_GOOD, not now (fleet_host_stale()). */
	bool stale;
	unsigned polls;            /* poll attempts finished, good or bad */
	time_t polled_at;          /* when the last of them ended; 0: never */
	uint64_t version;          /* store version of this host's last change */
	/* the last operator action (engine_request), see fleet_host_set_action() */
	char action[32];           /* "power ForceOff", "boot PXE"; "": none yet */
	char action_result[FLEET_ERR]; /* done: the BMC's answer; failed: why (URL and reason) */
	time_t action_time;        /* when the state last changed */
	int action_state;          /* enum fleet_action_state */
	/* Kubernetes mode: the object behind this host was deleted. The
	 * index stays valid (snapshots, marks and actions hold indices);
	 * views and batch output skip it. fleet_host_revive of the same
	 * name brings it back. */
	bool gone;
	/* The first poll while it runs (a slow BMC's takes minutes): since
	 * when (0: none running), the requests answered, the slowest answer
	 * in seconds. Set by the engine until the host has data. */
	time_t first_poll_started;
	unsigned first_poll_answers;
	double first_poll_slowest_s;
};

struct fleet;

struct fleet_snapshot {
	uint64_t version;
	size_t nhosts;
	struct fleet_host *hosts;  /* owned by the snapshot */
};

struct fleet *fleet_new(void);
void fleet_free(struct fleet *f);

/* Adds a host before the engine starts; returns its index (stable). */
size_t fleet_host_add(struct fleet *f, const char *name, const char *bmc,
		      enum fleet_protocol protocol, const char *cred_ref);
size_t fleet_host_count(struct fleet *f);
/* Index of the host named NAME, or -1. */
ssize_t fleet_host_find(struct fleet *f, const char *name);

/* A good poll: takes DATA (leaves it empty), clears the error. */
void fleet_host_update(struct fleet *f, size_t idx, struct fleet_host_data *data, time_t now);
/* A failed poll: keeps the last data, now stale, and sets the error. */
void fleet_host_fail(struct fleet *f, size_t idx, const char *error, time_t now);
/* An error the source reported along with data it just gave (Kubernetes:
 * the Machine says its BMC is not contactable): sets the error, and the
 * data stays current. */
void fleet_host_set_error(struct fleet *f, size_t idx, const char *error, time_t now);
/* The engine learnt the power state from an action, between polls. */
void fleet_host_set_power(struct fleet *f, size_t idx, enum fleet_power power);
/* The first poll's progress (struct fleet_host: first_poll_*); STARTED 0:
 * none running. */
void fleet_host_set_first_poll(struct fleet *f, size_t idx, time_t started, unsigned answers,
			       double slowest_s);
/* Records how the host's last action stands: ACTION its name, STATE an
 * enum fleet_action_state, RESULT (may be NULL) the answer or why not.
 * Bumps the version and wakes the UI. */
void fleet_host_set_action(struct fleet *f, size_t idx, const char *action, int state,
			   const char *result, time_t now);

/* Marks host IDX gone (see struct fleet_host.gone); bumps the version. */
void fleet_host_remove(struct fleet *f, size_t idx);
/* The index of the host named NAME, added anew when there is none, or
 * brought back (gone cleared) with BMC, PROTOCOL and CRED_REF updated:
 * Kubernetes mode adds and changes hosts at runtime. HINT (or -1) is
 * where the caller last saw it: checked first, so a known host costs no
 * search. */
size_t fleet_host_revive(struct fleet *f, ssize_t hint, const char *name, const char *bmc,
			 enum fleet_protocol protocol, const char *cred_ref);
/* Where the picture comes from and whether it is live, for the screen:
 * "kube: watch broken since 12:01:03: connection refused"; "" (or NULL)
 * when all is well. Bumps the version when it changes. */
void fleet_set_source_status(struct fleet *f, const char *status);
/* Copies it into BUF; returns 1 when one is set, 0 when not. */
int fleet_source_status(struct fleet *f, char *buf, size_t n);

uint64_t fleet_version(struct fleet *f);
/* Hosts with at least N finished polls (batch mode waits on this). */
size_t fleet_hosts_polled(struct fleet *f, unsigned n);

/* Brings SNAP up to date, copying only hosts changed since it was last
 * taken; their GPU, sensor and log arrays are shared with the store, not
 * copied (read-only). Start with a zeroed snapshot. Returns 1 if anything
 * changed. */
int fleet_snapshot_take(struct fleet *f, struct fleet_snapshot *snap);
void fleet_snapshot_free(struct fleet_snapshot *snap);

/* Wakes the UI without a change to the store: something it shows from
 * another source changed (Kubernetes mode: the cluster's Workflows). */
void fleet_notify(struct fleet *f);
/* The read end of the wake pipe: readable after any change. */
int fleet_wake_fd(struct fleet *f);
void fleet_wake_drain(struct fleet *f);

/* Frees D's arrays, or drops its references to shared ones. */
void fleet_host_data_free(struct fleet_host_data *d);
/* A deep copy with plain arrays of its own, which the caller may change. */
int fleet_host_data_copy(struct fleet_host_data *dst, const struct fleet_host_data *src);
void fleet_gpu_init(struct fleet_gpu *g, int index);   /* all readings NAN */

/* Derived views of a host, used by the screen and batch mode. */
enum fleet_health fleet_host_worst_gpu(const struct fleet_host *h);
/* Whether G is not there to use: Redfish Status.State Absent (fallen
 * off the bus) or UnavailableOffline. */
bool fleet_gpu_absent(const struct fleet_gpu *g);
/* H's GPUs counted by state, for a compact "7 OK 1 absent": an absent
 * GPU counts as absent whatever its health; the rest by health. */
struct fleet_gpu_counts {
	size_t total, ok, warning, critical, absent, unknown;
};
void fleet_host_gpu_counts(const struct fleet_host *h, struct fleet_gpu_counts *c);
double fleet_host_hottest_gpu(const struct fleet_host *h);   /* NAN if none */
double fleet_host_gpu_power(const struct fleet_host *h);     /* NAN if none */
/* Whether H's readings are from before its last, failed, poll. */
static inline bool fleet_host_stale(const struct fleet_host *h)
{
	return h->stale && h->has_data && h->error[0];
}
/* A short word for what kind of failure ERROR is, for a narrow column
 * and the filter: "refused", "timeout", "dns", "tls", "auth", "badreply",
 * "http", "unreach" or "error". */
const char *fleet_error_class(const char *error);

static inline bool fleet_has(double v) { return !isnan(v); }

const char *fleet_power_name(enum fleet_power p);
const char *fleet_health_name(enum fleet_health h);
const char *fleet_protocol_name(enum fleet_protocol p);
const char *fleet_sensor_kind_name(enum fleet_sensor_kind k);
/* "pending", "running", "done", "failed"; "" for none. */
const char *fleet_action_state_name(int state);
/* Redfish's words: "OK", "Warning", "Critical"; anything else UNKNOWN. */
enum fleet_health fleet_health_parse(const char *s);
/* "On", "Off", "PoweringOn", "PoweringOff"; anything else UNKNOWN. */
enum fleet_power fleet_power_parse(const char *s);

#endif

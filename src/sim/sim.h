/* racktop-sim: a simulated fleet of GPU servers whose BMCs speak real
 * Redfish over HTTP(S) on loopback. Shared types of src/sim/. */
#ifndef RACKTOP_SIM_H
#define RACKTOP_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "sim_expand.h"   /* redfish_expand */

#define SIM_GPUS 8
#define SIM_SESSIONS 16           /* per BMC, like real BMCs */
#define SIM_SESSION_IDLE_S 1800   /* sessions expire after 30 min idle */
#define SIM_LOG_MAX 200           /* event log entries kept per host */
#define SIM_BODY_MAX (64 * 1024)  /* request bodies are bounded */
#define SIM_SLOW_DELAY_MS 3000
/* How long a "slow" host takes to answer (--slow-delay), seconds. */
extern double sim_slow_delay_s;
#define SIM_HUGE_BYTES (64ull * 1024 * 1024)
#define SIM_FAN_MAX_RPM 14000.0
#define SIM_BMC_RESET_S 2.0       /* a reset BMC answers 503 this long */
#define SIM_SSH_SESSIONS 4        /* serial console sessions per BMC */
/* epoll tags of the SSH consoles' sockets (below them: host indexes) */
#define SIM_SSH_TAG_LISTEN (1ull << 40)
#define SIM_SSH_TAG_CONN (1ull << 41)

enum sim_misbehave {
	SIM_MB_NONE = 0,
	SIM_MB_HANG,
	SIM_MB_BADJSON,
	SIM_MB_HUGE,
	SIM_MB_500,
	SIM_MB_SLOW,
	SIM_MB_NOSELECTEXPAND,   /* refuses $select with $expand (400), as bmcweb does */
};

enum sim_power {
	SIM_POWER_OFF,
	SIM_POWER_ON,
	SIM_POWER_POWERING_ON,
	SIM_POWER_POWERING_OFF,
};

enum sim_fault_kind {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_OVERHEAT,
	SIM_FAULT_OFFBUS,
	SIM_FAULT_ECC,
};

/* Event log entries are stored compactly and rendered on demand, so
 * 200 entries cost ~3 KB per host. */
enum sim_log_kind {
	SIM_LOG_POWER_REQUEST,   /* arg: reset type index */
	SIM_LOG_POWER_ON,
	SIM_LOG_POWER_OFF,
	SIM_LOG_BOOT_OVERRIDE,   /* arg: target index, arg2: enabled index */
	SIM_LOG_GPU_OVERTEMP_WARN,
	SIM_LOG_GPU_OVERTEMP_CRIT,
	SIM_LOG_GPU_OFFBUS,
	SIM_LOG_GPU_ECC_CORR,
	SIM_LOG_GPU_ECC_UNCORR,
	SIM_LOG_GPU_RECOVERED,
	SIM_LOG_CLEARED,         /* LogService.ClearLog emptied the log */
	SIM_LOG_BMC_RESET,       /* arg: reset type index (sim_bmc_reset_types) */
};

struct sim_log_entry {
	uint32_t id;
	uint32_t created;        /* unix seconds */
	uint8_t kind;
	uint8_t gpu;             /* 0-based GPU index where it applies */
	uint8_t arg;
	uint8_t arg2;
};

struct sim_session {
	uint32_t id;             /* 0: free slot */
	double last_used;        /* monotonic seconds */
	char token[33];
};

struct sim_gpu {
	float load;              /* utilisation 0..100 */
	float load_target;
	float power;             /* W */
	float temp;              /* C */
	float mem_util;          /* % */
	float mem_target;
	uint32_t ecc_corr;
	uint32_t ecc_uncorr;
	/* fault schedule (deterministic from --faults SEED) */
	uint8_t fault;           /* enum sim_fault_kind, scheduled */
	bool fault_active;
	bool fault_persists;     /* survives a power cycle */
	bool uncorr_pending;     /* uncorrectable ECC seen since last power on */
	uint8_t health_logged;   /* 0 OK, 1 Warning, 2 Critical: last logged */
	float fault_at;          /* seconds since start */
	float next_target_at;
};

struct sim_host {
	unsigned index;
	char name[16];
	uint16_t port;
	uint8_t misbehave;       /* enum sim_misbehave */
	uint8_t power;           /* enum sim_power */
	bool cycle;              /* PoweringOff then PoweringOn */
	uint8_t boot_target;     /* index into sim_boot_targets */
	uint8_t boot_enabled;    /* index into sim_boot_enabled */
	double transition_end;   /* monotonic seconds */
	double last_step;        /* monotonic seconds of last model step */
	uint64_t rng;
	struct sim_gpu gpu[SIM_GPUS];
	struct sim_session sessions[SIM_SESSIONS];
	uint32_t next_session_id;
	uint32_t log_next_id;
	uint16_t log_head;       /* index of oldest entry */
	uint16_t log_count;
	struct sim_log_entry log[SIM_LOG_MAX];
	double bmc_down_until;   /* monotonic s: restarting after Manager.Reset */
	uint64_t requests, gets; /* answered, /racktop-sim ones not counted */
	uint64_t get_bytes;      /* JSON bodies of the GETs answered */
	/* transport */
	int listen_fd;
	struct MHD_Daemon *daemon;
	int daemon_epoll_fd;
	/* the serial console over SSH (--ssh-port) */
	int ssh_fd;              /* listening; -1: none */
	uint16_t ssh_port;
	uint8_t ssh_sessions;    /* open, at most SIM_SSH_SESSIONS */
	struct sim_serial *serial;  /* sim_serial.c's, from the first session on */
};

struct sim_config {
	unsigned hosts;
	unsigned port;
	bool http;
	bool faults;
	uint64_t seed;
	const char *manifest;
	const char *cert_out;
	const char *mockup;
	const char *password_file;
	double power_delay;
	unsigned ssh_console_port;  /* --ssh-console-port: Manager SerialConsole.SSH; 0: none */
	bool ssh_consoles;          /* --ssh-port: serve the serial consoles over SSH */
	unsigned ssh_port;          /* their first port; 0: ephemeral */
	const char *ssh_host_key;   /* --ssh-host-key; NULL: a fresh ED25519 key */
	const char *ssh_known_hosts;  /* --ssh-known-hosts: where to write them */
	char password[257];
	/* TLS material, PEM, NUL-terminated */
	char *key_pem;
	char *cert_pem;
	/* mockup layout: the directory that holds the ServiceRoot index.json */
	char mockup_root[4096];
	bool mockup_select;         /* its ServiceRoot advertises SelectQuery */
};

extern const char *const sim_reset_types[];      /* NULL-terminated */
extern const char *const sim_boot_targets[];
extern const char *const sim_boot_enabled[];
extern const char *const sim_bmc_reset_types[];  /* Manager.Reset */

/* sim_clock */
double sim_now(void);                 /* monotonic seconds */
double sim_uptime(void);              /* seconds since start */
void sim_clock_start(void);
void sim_iso8601(char *buf, size_t n, time_t t);

/* sim_model.c */
void model_init(struct sim_host *h, unsigned index, const struct sim_config *cfg);
void model_advance(struct sim_host *h, const struct sim_config *cfg);
int model_reset(struct sim_host *h, const char *type, const struct sim_config *cfg);
int model_find(const char *const *list, const char *s);
void model_log(struct sim_host *h, uint8_t kind, uint8_t gpu, uint8_t arg, uint8_t arg2);
const char *model_power_name(const struct sim_host *h);
bool model_is_on(const struct sim_host *h);
bool model_gpu_present(const struct sim_host *h, unsigned g);
/* 0 OK, 1 Warning, 2 Critical */
int model_gpu_health(const struct sim_host *h, unsigned g);
int model_host_health(const struct sim_host *h);
double model_fan_rpm(const struct sim_host *h, unsigned fan);
double model_inlet(const struct sim_host *h);
double model_exhaust(const struct sim_host *h);
double model_psu_watts(const struct sim_host *h, unsigned psu);
const char *model_health_name(int health);
void model_log_render(const struct sim_log_entry *e, const char **severity,
                      const char **message_id, char *msg, size_t n);

/* sim_redfish.c: the generated model (the tree itself is in sim_rf_*.c,
 * see sim_rf.h). Returns a new reference or NULL when PATH is not a
 * resource of this host. */
json_t *redfish_get(struct sim_host *h, const char *path, const struct sim_config *cfg);
json_t *redfish_error(const char *message_id, const char *message);
/* sim_select.c: $select=SPEC applied to RES (after $expand); -1 when
 * SPEC is malformed. */
int redfish_select(json_t *res, const char *spec);
/* Change or act on the model; return the HTTP status and set *ERR to a
 * Redfish error body when it is not 2xx. */
int redfish_patch(struct sim_host *h, const char *path, json_t *body, json_t **err);
int redfish_post(struct sim_host *h, const char *path, json_t *body,
                 const struct sim_config *cfg, json_t **err);

/* sim_rf_bmc.c: sessions as resources */
json_t *rf_bmc_sessions(const struct sim_host *h);
json_t *rf_bmc_session(const struct sim_host *h, const struct sim_session *s);

/* sim_mockup.c */
int mockup_open(struct sim_config *cfg, char *err, size_t n);
/* Returns the parsed resource or NULL (404). */
json_t *mockup_get(const struct sim_config *cfg, const char *path);

/* sim_tls.c */
int tls_make_cert(struct sim_config *cfg, char *err, size_t n);

/* sim_manifest.c */
int manifest_write(const struct sim_config *cfg, const struct sim_host *hosts,
                   char *err, size_t n);

/* sim_http.c */
/* Whether USER and PASS are the BMC's (the same for Redfish and SSH). */
bool sim_credentials_ok(const struct sim_config *cfg, const char *user, const char *pass);
/* A non-blocking listening socket on 127.0.0.1:PORT (0: ephemeral) for
 * host NAME: its fd and the port it got. */
int sim_listen(const char *name, unsigned port, int *fd, uint16_t *bound, char *err, size_t n);
int http_start(struct sim_host *h, struct sim_config *cfg, char *err, size_t n);
void http_stop(struct sim_host *h);
/* Due time (monotonic s) of the earliest delayed answer, or 0. */
double http_delayed_due(void);
/* Resumes delayed answers that are due; returns how many. */
void http_resume_due(bool all);

/* sim_rf_gpu.c: GPU G's UUID (without "GPU-"), as Redfish and nvidia-smi show it */
void sim_gpu_uuid(const struct sim_host *h, unsigned g, char *buf, size_t n);

/* sim_ssh.c: the serial consoles over SSH, served from the main loop */
int ssh_console_start(struct sim_host *hosts, unsigned nhosts, const struct sim_config *cfg, int ep,
                      char *err, size_t n);
/* known_hosts lines for every host's SSH port, written to PATH.tmp and renamed */
int ssh_console_known_hosts(const char *path, char *err, size_t n);
bool ssh_console_owns(uint64_t tag);
void ssh_console_event(uint64_t tag, uint32_t events);
/* Each loop: follows the hosts being watched, drops stale sessions. */
void ssh_console_tick(void);
void ssh_console_stop(void);
/* Host H's serial output to every session watching it. */
void ssh_console_send(struct sim_host *h, const char *buf, size_t n);

/* sim_serial.c: what the host's serial line shows and answers */
struct sim_serial;
void serial_follow(struct sim_host *h, const struct sim_config *cfg);
/* What a session that has just opened sees (the prompt, or why nothing). */
void serial_greeting(struct sim_host *h, char *buf, size_t n);
void serial_input(struct sim_host *h, const char *buf, size_t n, const struct sim_config *cfg);
void serial_break(struct sim_host *h);
void serial_free(struct sim_host *h);

/* sim_misbehave.c */
int misbehave_parse(const char *arg, unsigned hosts, unsigned *index, uint8_t *mode);

/* sim_debug.c: racktop-sim's own endpoints (stats, fault injection) */
#define SIM_DEBUG_PREFIX "/racktop-sim"
bool debug_is_path(const char *path);
/* Returns the HTTP status; *OUT: the body to send, or NULL for none. */
int debug_handle(struct sim_host *h, const char *method, const char *path, json_t *body,
                 json_t **out);

/* sim_fault: --fault I:GPU:KIND[:persist] */
struct sim_fault_spec {
	unsigned host, gpu;
	uint8_t kind;            /* enum sim_fault_kind */
	bool persist;            /* survives a power cycle */
};
int fault_parse(const char *arg, unsigned hosts, struct sim_fault_spec *out);
void fault_apply(struct sim_host *h, const struct sim_fault_spec *f);
/* Adds misbehaviour to an answer that would have been 200 with BODY (a
 * JSON string the caller owns); returns an MHD response or NULL if this
 * host answers normally. */
struct MHD_Response *misbehave_response(const struct sim_host *h, const char *body,
                                        unsigned *status);

#endif

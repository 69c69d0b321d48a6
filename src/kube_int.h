/* Kubernetes mode internals shared by kube*.c (not for the screen). */
#ifndef RACKTOP_KUBE_INT_H
#define RACKTOP_KUBE_INT_H

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "kube.h"
#include "kubeconfig.h"

enum kube_kind {
	KUBE_HARDWARE = 0,
	KUBE_MACHINE,
	KUBE_JOB,
	KUBE_TASK,
	KUBE_TEMPLATE,
	KUBE_WORKFLOW,
	KUBE_NKINDS,
};

/* One decoded object, whatever its API version; only what racktop
 * shows or needs. Strings are text_clean()ed. */
struct kube_obj {
	enum kube_kind kind;
	char ns[64];
	char name[64];
	unsigned gen;              /* the list that last saw it (relist sweep) */
	struct kube_obj *next;     /* hash chain */
	/* Hardware */
	char bmc_ref[64];          /* spec.bmcRef.name (a Machine, same namespace) */
	char mac[32];              /* first interface's dhcp.mac */
	ssize_t host;              /* fleet index, -1 none yet */
	char shown[FLEET_STR];     /* its host's name: NAME, or NS/NAME when another
				    * namespace has a Hardware NAME too */
	/* Machine */
	char address[256];         /* spec.connection.host */
	char secret[140];          /* "Secret ns/name" of authSecretRef (never its data) */
	int port;                  /* spec.connection.port; 0: none */
	bool insecure_tls;         /* spec.connection.insecureTLS */
	bool plain_http;           /* annotation racktop/scheme: http */
	enum fleet_protocol protocol;
	enum fleet_power power;
	int contactable;           /* -1 not reported, 0 false, 1 true */
	char message[192];         /* Contactable's message; Job: Failed's */
	/* Job: 0 running, 1 Completed, 2 Failed */
	int job_state;
	/* Workflow (its tasks are heap) */
	struct kube_workflow wf;
};

/* Decoding per API version: one file each (kube_decode_v1alpha1.c). */
struct kube_decoder {
	const char *version;
	/* Fills OUT (zeroed, kind set) from OBJ. 0, or -1 with ERR. */
	int (*decode)(enum kube_kind kind, json_t *obj, struct kube_obj *out, char *err,
		      size_t errlen);
};
extern const struct kube_decoder kube_decoder_v1alpha1;

struct kube_resource {
	const char *group;
	const char *plural;
	const char *label;          /* "hardware.tinkerbell.org" for messages */
	const struct kube_decoder *decoder;
};
const struct kube_resource *kube_resource(enum kube_kind kind);

/* An HTTP exchange on the kube thread's multi handle. */
struct kube_xfer;
typedef void (*kube_xfer_done)(struct kube *k, struct kube_xfer *x, CURLcode rc, long status);
/* Called for each line of a watch stream; false stops the transfer. */
typedef bool (*kube_xfer_line)(struct kube *k, struct kube_xfer *x, char *line, size_t len);

struct kube_xfer {
	struct kube *k;
	CURL *easy;
	struct curl_slist *hdrs;
	char url[1024];
	char *resp;                 /* response (not for streams) */
	size_t len, cap, max;
	char errbuf[CURL_ERROR_SIZE];
	kube_xfer_done done;
	kube_xfer_line line;        /* set: a stream, split into lines */
	void *arg;
	bool stopped;               /* line() said stop */
	bool overflow;              /* over max: cut */
	struct kube_xfer *next;     /* k->xfers */
};

/* A resource's list-then-watch state machine (kube_watch.c). */
enum kube_watch_state {
	KUBE_WATCH_IDLE = 0,        /* waiting for next_at */
	KUBE_WATCH_LISTING,
	KUBE_WATCH_WATCHING,
};

struct kube_watch {
	enum kube_kind kind;
	enum kube_watch_state state;
	char rv[64];                /* last resourceVersion seen */
	char cont[1024];            /* list continue token */
	bool synced;                /* listed once */
	bool tried;                 /* first list finished, good or bad */
	bool relist;                /* next start lists (not watch) */
	unsigned gen;               /* current list's mark */
	int failures;               /* in a row, for the backoff */
	time_t next_at;             /* IDLE: when to start */
	time_t broken_since;        /* 0: fine */
	char error[FLEET_ERR];      /* "": fine */
	struct kube_xfer *x;
	unsigned long relists;      /* 410 Gone relists so far */
};

#define KUBE_HASH 4096
#define KUBE_MAX_NS 64

struct kube_pending;
struct kube_bmc;

struct kube {
	struct fleet *fleet;
	struct kubeconfig kc;
	char kubeconfig_arg[KUBECONFIG_PATH];
	char context_arg[128];
	char ns[64];                /* "": all */
	char describe[256];
	int timeout_s;
	void (*log)(void *arg, const char *line);
	void *log_arg;
	engine_action_hook hook;
	void *hook_arg;
	kube_reprovision_hook wf_hook;
	void *wf_hook_arg;

	pthread_t thread;
	bool started;
	CURLM *multi;
	CURLSH *share;
	unsigned seed;
	int stop;                   /* under lock */
	size_t nxfers;

	/* Under lock: the object store (workflows and templates are read by
	 * other threads), the request queue, sync state. */
	pthread_mutex_t lock;
	struct kube_obj *objs[KUBE_NKINDS][KUBE_HASH];
	size_t nobjs[KUBE_NKINDS];
	uint64_t wf_version;
	struct kube_pending *queue; /* requests from other threads */
	struct kube_pending *jobs;  /* Jobs and Workflows created, not ended */
	struct kube_watch watch[KUBE_NKINDS];
	char last_status[FLEET_ERR];
	int sync;                   /* kube_sync_state(), under lock */
	char sync_err[FLEET_ERR];
	struct kube_xfer *xfers;    /* in flight (kube thread only) */
	bool hosts_dirty;           /* Machines changed while listing: refresh all hosts */
	/* Namespaces that have had Hardware (kube thread): where a name
	 * may repeat. Past KUBE_MAX_NS, every Hardware is looked at. */
	char hw_ns[KUBE_MAX_NS][64];
	size_t nhw_ns;
	/* A direct read of one host's BMC (kube_bmc.c): the host asked for
	 * plus one (under lock; 0: none), and its state (kube thread). */
	size_t bmc_want;
	struct kube_bmc *bmc;
	char *bmc_ca_file;          /* kube_config's: NULL none */
	char *bmc_credentials;
};

/* kube.c */
void kube_logf(struct kube *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct kube_xfer *kube_xfer_start(struct kube *k, const char *method, const char *url,
				  const char *body, kube_xfer_line line, kube_xfer_done done,
				  void *arg, long timeout_s);
/* Reads the kubeconfig again (after a 401: the credentials may have
 * been rotated). 0 when it could be read. */
int kube_reload(struct kube *k);
/* "HTTP 403 Forbidden: hardware.tinkerbell.org is forbidden: ..." from
 * a Status body, or the transport error. */
void kube_xfer_error(struct kube_xfer *x, CURLcode rc, long status, char *buf, size_t n);

/* kube_store.c: objects by kind and ns/name; callers hold k->lock for
 * workflows and templates. */
struct kube_obj *kube_store_find(struct kube *k, enum kube_kind kind, const char *ns,
				 const char *name);
/* Takes OBJ (heap); replaces and frees an older one of the same key,
 * keeping its host index. */
void kube_store_put(struct kube *k, struct kube_obj *obj);
void kube_store_del(struct kube *k, enum kube_kind kind, const char *ns, const char *name);
void kube_obj_free(struct kube_obj *o);
/* Calls FN for each object of KIND. */
void kube_store_each(struct kube *k, enum kube_kind kind,
		     void (*fn)(struct kube *k, struct kube_obj *o, void *arg), void *arg);

/* kube_hosts.c: the Hardware behind fleet index HOST (caller holds the
 * lock or is the kube thread). */
struct kube_obj *kube_hardware_of(struct kube *k, size_t host);
/* The Machine HW names (spec.bmcRef, same namespace); NULL: none or
 * not (yet) in the store. */
struct kube_obj *kube_machine_of(struct kube *k, const struct kube_obj *hw);

/* kube_bmc.c (kube thread): starts an asked-for direct read, copies new
 * readings into the fleet; the wake fd to poll on (-1: none). */
void kube_bmc_tick(struct kube *k);
int kube_bmc_fd(struct kube *k);
/* Keeps the direct readings of host IDX in D (a cluster refresh of
 * that host must not wipe its GPUs). */
void kube_bmc_keep(struct kube *k, size_t idx, struct fleet_host_data *d);
/* Ends the read: its engine stopped, its credentials wiped (the kube
 * thread ends one this way as it stops). */
void kube_bmc_free(struct kube *k);

/* kube_watch.c */
void kube_watch_init(struct kube *k);
/* Starts what is due; returns ms until the next due start (-1: none). */
long kube_watch_tick(struct kube *k, time_t now);
/* The source status line from the watches' state ("" all live). */
void kube_watch_status(struct kube *k, char *buf, size_t n);
/* What a transfer hands on (kube.c), public for the fuzz harness
 * (tests/fuzz/fuzz_kube_decode.c): a list's answer in X (arg: the
 * watch), and one line of a watch stream (NUL at LINE[LEN]). */
void kube_watch_list_done(struct kube *k, struct kube_xfer *x, CURLcode rc, long status);
bool kube_watch_line(struct kube *k, struct kube_xfer *x, char *line, size_t len);

/* kube_hosts.c: objects into the fleet and actions. */
void kube_hosts_changed(struct kube *k, struct kube_obj *o, bool deleted);
void kube_hosts_refresh_all(struct kube *k);
void kube_hosts_refresh_one_host(struct kube *k, size_t idx);
/* Hardware NS/NAME came or went: the same name in other namespaces may
 * now need (or no longer need) its namespace on screen. */
void kube_hosts_renamed(struct kube *k, const char *ns, const char *name);
void kube_actions_run(struct kube *k);
void kube_actions_cancel(struct kube *k);

#endif

/* Kubernetes mode: the fleet's picture read from the cluster.
 *
 * One thread with its own libcurl multi handle lists and then watches
 * Hardware, Template and Workflow (tinkerbell.org) and Machine, Job and
 * Task (bmc.tinkerbell.org), always by group-qualified resource paths,
 * in one namespace or all. Hardware become hosts in the fleet store
 * (fleet_host_revive, fleet_host_remove); the Machine a Hardware's
 * spec.bmcRef names gives their power (status.powerState) and BMC health
 * (the Contactable condition; false: the host's error is its message).
 * Watches resume from the last resourceVersion, take bookmarks, list
 * again on 410 Gone and back off with jitter on errors; while any is
 * broken the fleet's source status says so and since when.
 *
 * In this mode racktop does not poll the fleet's BMCs: actions become
 * objects in the cluster (a Rufio Job for a power action or a boot
 * device, a Workflow from a Template for a reprovision), and BMC polling
 * is the cluster's work, so the fleet can be any size. The one
 * exception is asked for: one host's GPUs read directly from its BMC
 * (kube_bmc_read). See doc/kubernetes.md. */
#ifndef RACKTOP_KUBE_H
#define RACKTOP_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "engine.h"
#include "fleet.h"

struct kube_config {
	const char *kubeconfig;    /* NULL: $KUBECONFIG, else ~/.kube/config */
	const char *context;       /* NULL: the kubeconfig's current-context */
	const char *namespace_;    /* NULL or "": all namespaces */
	int timeout_s;             /* every request but a watch's stream (10) */
	/* A direct read of one host's BMC (kube_bmc_read): the CA bundle its
	 * TLS is verified with (--cacert; NULL: the system's) and the
	 * credentials file for a Machine that names no Secret (-c; NULL:
	 * none). */
	const char *bmc_ca_file;
	const char *bmc_credentials;
	/* Diagnostics (a watch broken, a 410 relist), one line each, on the
	 * kube thread; never a credential. NULL: none. */
	void (*log)(void *arg, const char *line);
	void *log_arg;
};

struct kube;

/* Reads the kubeconfig; starts nothing. NULL with ERR. */
struct kube *kube_new(struct fleet *fleet, const struct kube_config *cfg, char *err,
		      size_t errlen);
int kube_start(struct kube *k);
void kube_stop(struct kube *k);
/* After kube_stop: actions still waiting are recorded failed (through
 * the hook) before the store goes. */
void kube_free(struct kube *k);

/* "context test, all namespaces": for the title. */
const char *kube_describe(const struct kube *k);

/* 0 while some resource has not been listed once; 1 once every one has
 * been listed; -1 once every one has been listed or has failed its
 * first list, some failed (ERR: the first such error, e.g. "hardware:
 * HTTP 403 Forbidden: ..."). */
int kube_sync_state(struct kube *k, char *err, size_t errlen);

/* Actions in the cluster, the engine's words (engine.h): power and boot
 * actions create a Rufio Job for host HOST (a fleet index); its
 * conditions (Completed, Failed) end the host's action record. Other
 * actions are recorded failed (-1). Thread-safe. */
int kube_request(struct kube *k, size_t host, enum engine_action a);
/* Whether this mode can do action A at all (a Rufio Job's power and
 * boot device tasks); if not, WHY says so. The screen offers only
 * these. */
bool kube_action_supported(enum engine_action a, char *why, size_t n);
/* Told of every done or failed action record, like the engine's. Set
 * before kube_start. */
void kube_set_action_hook(struct kube *k, engine_action_hook fn, void *arg);
/* Host HOST's GPU readings read directly from its BMC, for the host
 * view: the Machine's spec.connection (host, port, insecureTLS) and the
 * credentials of its Secret (authSecretRef, read from the cluster, kept
 * in memory only). A one-host BMC engine (engine.h) then polls that BMC
 * alone, on its own thread, until another host is asked for or racktop
 * stops; each poll's readings go into the host's row with a note of
 * where they came from. The host's action record ("BMC read") says how
 * it goes. 0, or -1 with ERR when the host has no such BMC. Thread-safe
 * (queued for the kube thread). */
int kube_bmc_read(struct kube *k, size_t host, char *err, size_t errlen);
/* Host HOST's name (the Hardware's); 0, or -1 when there is none. */
int kube_host_name(struct kube *k, size_t host, char *buf, size_t n);

/* A reprovision: creates a Workflow from Template TEMPLATE for host
 * HOST's Hardware (hardwareRef, and hardwareMap device_1 = its first
 * MAC). Queued; the host's action record says how it went ("workflow
 * NAME created" or why not). 0, or -1 with ERR. Thread-safe. */
int kube_reprovision(struct kube *k, size_t host, const char *template_name, char *err,
		     size_t errlen);

/* Told how each reprovision ended (STATE FLEET_ACTION_DONE or _FAILED,
 * RESULT "Workflow ns/name created from Template T" or why not), for
 * the audit log; on the kube thread. Set before kube_start. */
typedef void (*kube_reprovision_hook)(void *arg, size_t host, const char *template_name,
				      int state, const char *result);
void kube_set_reprovision_hook(struct kube *k, kube_reprovision_hook fn, void *arg);

/* The cluster's Workflows, as it reports them. States are upper case
 * without the STATE_ prefix: PENDING RUNNING SUCCESS FAILED TIMEOUT
 * (and whatever else the cluster says, cleaned). */
struct kube_wf_action {
	char name[64];
	char image[128];
	char state[24];
	char started[32];          /* executionStart, ISO 8601 ("" none) */
	char duration[32];         /* executionDuration as sent ("" none) */
	char message[128];
};

struct kube_wf_task {
	char name[64];
	char worker[64];           /* agentID or worker */
	size_t nactions;
	struct kube_wf_action *actions;
};

struct kube_workflow {
	char namespace_[64];
	char name[64];
	char template_ref[64];
	char hardware_ref[64];
	char state[24];            /* status.state ("" none yet) */
	char current_task[64];     /* status.currentState ("" none) */
	char current_action[64];
	char created[32];          /* metadata.creationTimestamp */
	ssize_t host;              /* fleet index of hardware_ref, or -1 */
	size_t ntasks;
	struct kube_wf_task *tasks;
};

/* A deep copy of every Workflow (sorted by namespace, name) into *OUT
 * and *N; free with kube_workflows_free. Returns the workflows' version
 * (it grows with every change: compare it to skip an unchanged copy). */
uint64_t kube_workflows_snapshot(struct kube *k, struct kube_workflow **out, size_t *n);
/* The workflows' version without a copy. */
uint64_t kube_workflows_version(struct kube *k);
void kube_workflows_free(struct kube_workflow *w, size_t n);

/* The workflows as the workflow view's runs (workflow.h: struct
 * wf_run, origin "cluster", id "ns/name"), oldest first, with WFS the
 * same Workflows as sent (the cluster's own state words and current
 * task and action). Refills *WFS, *RUNS and *N (freeing the old ones)
 * and returns 1 when the version moved from *VERSION, else 0. Free
 * with wf_runs_free and kube_workflows_free. (kube_wfrun.c) */
struct wf_run;
int kube_workflows_runs(struct kube *k, uint64_t *version, struct kube_workflow **wfs,
			struct wf_run **runs, size_t *n);
/* One Workflow as a run; HOST_NAME the fleet's name for its host (""
 * or NULL: its hardwareRef). 0, or -1 out of memory. */
int kube_wf_to_run(const struct kube_workflow *w, const char *host_name, struct wf_run *r);
/* RFC 3339 to time_t (0: none or unreadable); a Go duration or plain
 * seconds to seconds (-1: none or unreadable). */
time_t kube_wf_time(const char *iso);
long kube_wf_seconds(const char *d);

/* Templates by name ("ns/name"), for a reprovision prompt: a copy into
 * *OUT (N strings), free each and the array. */
void kube_templates(struct kube *k, char ***out, size_t *n);

#endif

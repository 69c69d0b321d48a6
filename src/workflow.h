/* Templates, Workflows and Tasks (doc/workflows.md).
 *
 * A Template (tinkerbell.org/v1alpha1, its tasks and actions in the YAML
 * string spec.data) is loaded by template.c; a Workflow binds one to a
 * host. racktop runs the BMC-side actions itself, the way Rufio's Job
 * does: actions whose image is racktop/power, racktop/boot,
 * racktop/bmc-reset, racktop/wait-power, racktop/wait-healthy or
 * racktop/pause. Any other image is a container for Tinkerbell's agent:
 * such a template loads and is shown, but racktop will not start it.
 *
 * The runner (workflow.c) is its own thread: it asks the engine for
 * actions through actions.c (so the audit log has them), learns how
 * they ended from the engine's action hook, and reads wait conditions
 * from its own fleet snapshots. State is kept on disk
 * (workflow_store.c), one JSON file per workflow. */
#ifndef RACKTOP_WORKFLOW_H
#define RACKTOP_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "actions.h"
#include "engine.h"
#include "fleet.h"
#include "inventory.h"

#define WF_NAME 64
#define WF_MSG 256
#define WF_MAX_TASKS 32
#define WF_MAX_ACTIONS 64           /* per task */
#define WF_MAX_ERRORS 200

/* Tinkerbell's words, in this order (v1alpha2 sends these numbers). */
enum wf_state {
	WF_PENDING = 0,
	WF_RUNNING,
	WF_SUCCESS,
	WF_FAILED,
	WF_TIMEOUT,
};

/* What an action does: its image. */
enum wf_kind {
	WF_KIND_EXTERNAL = 0,   /* a container image: Tinkerbell's agent runs it, racktop cannot */
	WF_KIND_POWER,          /* racktop/power ACTION=on|off|soft|cycle|reset */
	WF_KIND_BOOT,           /* racktop/boot DEVICE=pxe|disk|bios|cdrom */
	WF_KIND_BMC_RESET,      /* racktop/bmc-reset */
	WF_KIND_WAIT_POWER,     /* racktop/wait-power STATE=on|off */
	WF_KIND_WAIT_HEALTHY,   /* racktop/wait-healthy LIMIT_C GPUS */
	WF_KIND_PAUSE,          /* racktop/pause SECONDS */
};

struct wf_action {
	/* the definition */
	char name[WF_NAME];
	char image[128];
	int kind;                  /* enum wf_kind */
	int engine_action;         /* POWER, BOOT, BMC_RESET: enum engine_action */
	int power_on;              /* WAIT_POWER: 1 on, 0 off */
	double limit_c;            /* WAIT_HEALTHY: hottest GPU below this */
	int gpus;                  /* WAIT_HEALTHY: GPUs expected; 0: as many as at the start */
	int seconds;               /* PAUSE */
	int timeout_s;             /* each attempt */
	int retries;               /* attempts after the first */
	int retry_delay_s;
	/* how it ran */
	int state;                 /* enum wf_state */
	int attempts;
	time_t started, stopped;   /* 0: not yet */
	char message[WF_MSG];      /* why it failed, or what it waits for */
};

struct wf_task {
	char name[WF_NAME];
	char worker[WF_NAME];
	int timeout_s;             /* 0: none (racktop extension) */
	int state;
	time_t started, stopped;
	size_t nactions;
	struct wf_action *actions;
};

struct wf_template {
	char name[WF_NAME];
	char ns[WF_NAME];
	char source[300];          /* file:line */
	int global_timeout_s;      /* 0: none */
	bool runnable;             /* every action is racktop's own */
	char not_runnable[WF_MSG]; /* why not */
	size_t ntasks;
	struct wf_task *tasks;
};

/* A Workflow object read from YAML: shown, not run by itself. */
struct wf_object {
	char name[WF_NAME];
	char ns[WF_NAME];
	char source[300];
	char template_ref[WF_NAME];
	char hardware_ref[WF_NAME];
	int state;                 /* status.state; PENDING when absent */
	size_t ntasks;             /* status.tasks, else the template's */
	struct wf_task *tasks;
};

struct wf_catalog {
	size_t ntemplates;
	struct wf_template *templates;
	size_t nobjects;
	struct wf_object *objects;
	size_t nerrors;
	char **errors;             /* "file:line: message" */
};

/* "PENDING", ...; "?" out of range. */
const char *wf_state_name(int state);
/* Tinkerbell's names, the older STATE_ spellings and v1alpha2's
 * integers. 0, or -1 when S is none of them. */
int wf_state_parse(const char *s, int *out);
bool wf_state_final(int state);

/* Templates and Workflows from PATH (a file, or a directory's *.yaml and
 * *.yml files), added to CAT; other kinds are skipped. A bad object is
 * one error in CAT->errors and the others still load. QUIET_MISSING: a
 * PATH that does not exist is no error. 0, or -1 when PATH could not be
 * read. */
int wf_catalog_load(struct wf_catalog *cat, const char *path, bool quiet_missing);
/* The same from the inventory PATH (racktop -f): a file that cannot be
 * read and YAML syntax errors are the inventory's, reported there (n
 * lists each once); the objects' own problems are reported here. */
int wf_catalog_load_inventory(struct wf_catalog *cat, const char *path);
/* Binds Workflow objects without tasks to their templates (after all
 * loads). */
void wf_catalog_link(struct wf_catalog *cat);
const struct wf_template *wf_catalog_find(const struct wf_catalog *cat, const char *name);
void wf_catalog_free(struct wf_catalog *cat);

/* Deep copies and frees of task lists. */
struct wf_task *wf_tasks_copy(const struct wf_task *t, size_t n);
void wf_tasks_free(struct wf_task *t, size_t n);

/* One workflow as the runner and the screen see it. */
struct wf_run {
	char id[128];              /* also its state file's name */
	char template_name[WF_NAME];
	char host[FLEET_STR];
	size_t host_idx;           /* inventory index; (size_t)-1: not in this inventory */
	char origin[WF_NAME + 16]; /* "operator", "batch", "recover NAME" */
	int state;                 /* enum wf_state */
	bool interrupted;          /* racktop stopped while it ran: never resumed */
	bool cancel;               /* the operator asked to cancel it */
	time_t created, started, stopped;
	int global_timeout_s;
	char message[WF_MSG];      /* a failure's reason */
	size_t cur_task, cur_action;
	size_t ntasks;
	struct wf_task *tasks;
};

/* Actions done out of all, for the progress bar. */
void wf_run_progress(const struct wf_run *w, size_t *done, size_t *total);
/* The action now running (or the last one), NULL if none. */
const struct wf_action *wf_run_current(const struct wf_run *w, const struct wf_task **task);
void wf_run_free(struct wf_run *w);
int wf_run_copy(struct wf_run *dst, const struct wf_run *src);

/* The shared directory where state files were kept before each
 * inventory had its own (workflow_store.c): $XDG_STATE_HOME/racktop/workflows
 * (else ~/.local/state/racktop/workflows). 0 or -1. */
int wf_store_default_dir(char *buf, size_t n);
/* Each inventory's own state (workflow_home.c), so that racktop on one
 * fleet never lists another's workflows (nor says at start that they
 * were interrupted). The inventory's key: its real path's base name and
 * a hash of the whole real path, "fleet.yaml-1f2e3d4c" (a symlink or a
 * relative path to the same file is the same inventory); INV_PATH NULL
 * (--demo) is "demo". 0 or -1. */
int wf_home_key(const char *inv_path, char *buf, size_t n);
/* KEY's state directory: $XDG_STATE_HOME/racktop/inventories/KEY/workflows
 * (else ~/.local/state/racktop/...). 0 or -1. */
int wf_home_dir(const char *key, char *buf, size_t n);
/* Moves the state files of OLD_DIR (the shared directory) whose host is
 * one of INV's into DIR, once: a file already in DIR is never replaced,
 * the rest stay where they are (another inventory may own them). How
 * many moved. */
size_t wf_home_adopt(const char *old_dir, const char *dir, const struct inventory *inv);
/* Writes W as DIR/ID.json atomically (temporary file, fsync, rename,
 * fsync of the directory). 0, or -1 with ERR. */
int wf_store_save(const char *dir, const struct wf_run *w, char *err, size_t errlen);
/* Reads every *.json of DIR, oldest first, at most MAX; a workflow that
 * was running is marked interrupted (and saved so). Problems go to
 * ERRORS (one string each, malloc'd; at most WF_MAX_ERRORS). */
int wf_store_load(const char *dir, size_t max, struct wf_run **runs, size_t *n,
		  char ***errors, size_t *nerrors);
/* JSON of W (jansson json_t *; the batch output and the state file). */
void *wf_run_json(const struct wf_run *w);

/* Automatic recovery rules (config.h has the file). */
enum wf_when {
	WF_WHEN_GPU_CRITICAL = 0,  /* a GPU critical (or absent) */
	WF_WHEN_GPU_ABSENT,        /* a GPU absent */
};

struct wf_rule {
	char name[WF_NAME];
	int when;                  /* enum wf_when */
	int polls;                 /* polls in a row the condition holds */
	char template_name[WF_NAME];
	int max_hosts;             /* running at once, fleet-wide, for this rule */
	char source[300];
};

struct wf_runner;

/* INV's hosts are FLEET's hosts. ENGINE and AC may be NULL (display
 * only: nothing can start). CAT and RULES must outlive the runner.
 * STATE_DIR NULL: the default; "": nothing kept on disk. */
struct wf_runner *wf_runner_new(struct fleet *fleet, struct engine *engine, struct actions *ac,
				const struct inventory *inv, const struct wf_catalog *cat,
				const struct wf_rule *rules, size_t nrules, const char *state_dir);
/* Reads the state kept on disk; problems into the runner's notices. */
void wf_runner_load_state(struct wf_runner *r);
/* The thread (after engine_start). 0 or -1. */
int wf_runner_start(struct wf_runner *r);
/* Joins the thread; running workflows are saved interrupted and their
 * end goes to the audit log as cancelled. */
void wf_runner_stop(struct wf_runner *r);
void wf_runner_free(struct wf_runner *r);

/* Starts template NAME on the N hosts HOSTS (inventory indices). ORIGIN
 * "operator", "batch", ... IDS (may be NULL) gets each started
 * workflow's id (WF id size, N of them). Returns how many started; 0
 * with ERR when none could (read-only, unknown or not runnable
 * template, a host already running a workflow). */
size_t wf_runner_launch(struct wf_runner *r, const char *name, const size_t *hosts, size_t n,
			const char *origin, char (*ids)[128], char *err, size_t errlen);
/* Asks the workflow ID to stop. 0, or -1 with ERR. */
int wf_runner_cancel(struct wf_runner *r, const char *id, char *err, size_t errlen);

/* A copy of every workflow (loaded objects first, then runs), for the
 * screen; *VERSION is bumped on every change. Returns 1 when it changed
 * since *VERSION (and refills RUNS), else 0. */
int wf_runner_snapshot(struct wf_runner *r, unsigned long *version, struct wf_run **runs,
		       size_t *n);
void wf_runs_free(struct wf_run *runs, size_t n);
/* The version wf_runner_snapshot compares with (changes wake the fleet). */
unsigned long wf_runner_version(struct wf_runner *r);
/* The state of workflow ID into OUT; 0, or -1 when unknown. */
int wf_runner_get(struct wf_runner *r, const char *id, struct wf_run *out);
/* Problems found (state files, auto-recovery starts); taken by the
 * caller (malloc'd strings). */
size_t wf_runner_take_notices(struct wf_runner *r, char ***out);
const struct wf_catalog *wf_runner_catalog(const struct wf_runner *r);
bool wf_runner_can_start(const struct wf_runner *r);

#endif

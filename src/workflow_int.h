/* Inside the workflow runner (workflow.c, workflow_step.c). */
#ifndef RACKTOP_WORKFLOW_INT_H
#define RACKTOP_WORKFLOW_INT_H

#include <pthread.h>
#include <stdarg.h>

#include "workflow.h"

/* How one engine action ended (the listener's inbox). */
struct wf_inbox {
	size_t host;
	int a;                     /* enum engine_action */
	int state;                 /* FLEET_ACTION_DONE or FAILED */
	char result[FLEET_ERR];
};

/* A run's private progress, beside struct wf_run. */
struct wf_step {
	bool sent;                 /* the BMC action is queued: waiting for its answer */
	bool answered;
	int answer_state;
	char answer[FLEET_ERR];
	time_t attempt_start;
	time_t next_attempt;       /* a retry waits until then */
	time_t last_poll;          /* last poll asked for while waiting */
	unsigned polls_at_start;   /* the host's polls when the attempt began */
	size_t gpus_max;           /* the most GPUs the host has reported */
};

/* Per host, for the recovery rules. */
struct wf_watch {
	unsigned polls_seen;
	int streak;                /* polls in a row the rule's condition held */
	bool blocked;              /* a recovery failed here: not started again */
};

struct wf_runner {
	struct fleet *fleet;
	struct engine *engine;
	struct actions *ac;
	const struct inventory *inv;
	const struct wf_catalog *cat;
	const struct wf_rule *rules;
	size_t nrules;
	char *state_dir;           /* NULL: nothing kept */
	bool save_failed;
	pthread_mutex_t lock;      /* everything below but the inbox */
	pthread_cond_t cond;
	pthread_t thread;
	bool started, stop;
	struct wf_run *runs;
	struct wf_step *steps;     /* beside runs */
	size_t nruns, capruns;
	unsigned long version;
	unsigned seq;
	struct fleet_snapshot snap;
	bool snap_fresh;
	struct wf_watch *watch;    /* per inventory host */
	char **notices;
	size_t nnotices;
	pthread_mutex_t inbox_lock;
	struct wf_inbox *inbox;
	size_t ninbox, capinbox;
};

/* Bumps the runner's version (the lock held) and wakes the screen: a
 * run's state shows on its host's row, and a screen at rest (no poll
 * due, no age to tick) would otherwise show it only at the next key. */
void wf_changed(struct wf_runner *r);


void wf_note(struct wf_runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* workflow_store.c, for workflow_home.c: DIR and the directories above
 * it, mode 0700 (0, or -1 with ERR); one state file, NAME in the
 * directory open as DFD, into W (0, or -1 with WHY). */
int wf_store_mkdirs(const char *dir, char *err, size_t errlen);
int wf_store_read(int dfd, const char *name, struct wf_run *w, char *why, size_t n);
/* Bumps the version and writes W's state file. */
void wf_save(struct wf_runner *r, struct wf_run *w);
bool wf_active(const struct wf_run *w);
int wf_launch_locked(struct wf_runner *r, const struct wf_template *t, size_t host,
		     const char *origin, char *id, size_t idlen, char *err, size_t errlen);

/* workflow_step.c, under the lock. */
void wf_step_answer(struct wf_runner *r, const struct wf_inbox *in);
void wf_step(struct wf_runner *r, size_t i, time_t now);
void wf_rules_check(struct wf_runner *r, time_t now);
/* Why host H is not healthy for action A ("" when it is): GPUS the
 * GPUs expected. Exposed for the unit tests. */
void wf_health_reason(const struct fleet_host *h, double limit_c, size_t gpus, char *buf,
		      size_t n);

#endif

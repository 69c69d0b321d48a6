/* racktop's main for workflows (main.c calls these): the options
 * -w/--workflows, --workflow, --config, the configuration file, the
 * template catalogue, the runner, and batch --workflow. Kept apart so
 * that main.c only gains a few calls. */
#ifndef RACKTOP_MAIN_WORKFLOW_H
#define RACKTOP_MAIN_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"
#include "settings.h"
#include "engine.h"
#include "fleet.h"
#include "inventory.h"
#include "workflow.h"

/* getopt codes of the long options (beside main.c's own). */
#define MAIN_WF_OPT_WORKFLOW 0x1001
#define MAIN_WF_OPT_CONFIG 0x1002
#define MAIN_WF_LONGOPTS \
	{ "workflows", required_argument, NULL, 'w' }, \
	{ "workflow", required_argument, NULL, MAIN_WF_OPT_WORKFLOW }, \
	{ "config", required_argument, NULL, MAIN_WF_OPT_CONFIG }
#define MAIN_WF_USAGE \
	"       racktop --batch -f PATH --workflow TEMPLATE --hosts REGEX [--yes]\n"
#define MAIN_WF_HELP \
	"  -w, --workflows PATH     Templates and Workflows (tinkerbell.org): a file\n" \
	"                           or directory (the -f PATH is read for them too)\n" \
	"      --workflow TEMPLATE  with --batch: run TEMPLATE on the --hosts; one\n" \
	"                           JSON line per workflow (doc/batch.md)\n" \
	"      --config FILE        configuration (default\n" \
	"                           $XDG_CONFIG_HOME/racktop/racktop.conf)\n"

struct main_wf {
	const char *workflows;     /* -w PATH */
	const char *workflow;      /* --workflow TEMPLATE */
	const char *config_path;   /* --config FILE */
	bool demo;                 /* --demo: its own workflow state, whatever its manifest's path */
	const char *inv_path;      /* -f PATH: the workflow state is this inventory's */
	struct settings cfg;
	struct wf_catalog cat;
	struct wf_runner *runner;
	size_t *hosts;             /* batch: the hosts --hosts picked */
	size_t nhosts;
	char **notices;            /* everything found at start, for the screen */
	size_t nnotices;
};

/* An option of ours: C is 'w' or a MAIN_WF_OPT_*. */
void main_wf_option(struct main_wf *w, int c, const char *arg);
/* Whether --workflow goes with the rest. 0, or -1 (said on stderr). */
int main_wf_check(const struct main_wf *w, bool batch, const char *action, const char *hosts,
		  bool read_only);
/* Reads the configuration file: read_only = true turns on *READ_ONLY;
 * audit_log fills *AUDIT_LOG when the command line did not. 0 or -1
 * (said on stderr). */
int main_wf_config(struct main_wf *w, bool *read_only, const char **audit_log);
/* Loads the shipped templates, the configuration's and -w's, and
 * INV_PATH's Templates and Workflows; for batch --workflow picks the
 * hosts. 0, or -1 (said on stderr: exit 2). */
int main_wf_load(struct main_wf *w, const char *inv_path, const struct inventory *inv,
		 const char *hosts_re, bool yes);
/* The runner (not started). 0 or -1. */
int main_wf_runner(struct main_wf *w, struct fleet *fleet, struct engine *engine,
		   struct actions *ac, const struct inventory *inv);
int main_wf_start(struct main_wf *w);
/* Batch --workflow: the exit status. */
int main_wf_batch(struct main_wf *w, struct fleet *fleet);
/* Stops the runner (before engine_stop()). */
void main_wf_stop(struct main_wf *w);
/* INV's errors, then the templates' and the runner's: for ui_options. */
char *const *main_wf_notices(struct main_wf *w, char *const *inv_errors, size_t ninv, size_t *n);
/* After engine_free(), before actions_free(). */
void main_wf_free(struct main_wf *w);

#endif

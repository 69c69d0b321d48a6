/* Workflows in racktop's main (main_workflow.h). */
#include "config.h"
#include "main_workflow.h"

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch_workflow.h"

void main_wf_option(struct main_wf *w, int c, const char *arg)
{
	if (c == 'w')
		w->workflows = arg;
	else if (c == MAIN_WF_OPT_WORKFLOW)
		w->workflow = arg;
	else if (c == MAIN_WF_OPT_CONFIG)
		w->config_path = arg;
}

int main_wf_check(const struct main_wf *w, bool batch, const char *action, const char *hosts,
		  bool read_only)
{
	if (!w->workflow)
		return 0;
	if (!batch) {
		fprintf(stderr, "racktop: --workflow is for --batch; on the screen, press W on the marked hosts\n");
		return -1;
	}
	if (action) {
		fprintf(stderr, "racktop: --workflow and --action: one at a time\n");
		return -1;
	}
	if (!hosts) {
		fprintf(stderr, "racktop: --workflow needs --hosts REGEX (the hosts to run it on)\n");
		return -1;
	}
	if (read_only) {
		fprintf(stderr, "racktop: --read-only: every action is refused (--workflow %s)\n",
			w->workflow);
		return -1;
	}
	return 0;
}

int main_wf_config(struct main_wf *w, bool *read_only, const char **audit_log)
{
	char def[PATH_MAX], err[1200];
	const char *path = w->config_path;

	if (!path) {
		if (settings_default_path(def, sizeof(def)) < 0)
			return 0;
		path = def;
	}
	if (settings_load(path, w->config_path != NULL, &w->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: config: %s\n", err);
		return -1;
	}
	if (w->cfg.read_only)
		*read_only = true;
	if (!*audit_log && w->cfg.audit_log)
		*audit_log = w->cfg.audit_log;
	return 0;
}

/* $RACKTOP_TEMPLATES, the installed data directory, or the source tree
 * (as themes are found). */
static const char *main_wf_templates_dir(void)
{
	const char *env = getenv("RACKTOP_TEMPLATES");
	struct stat st;

	if (env && *env)
		return env;
	if (stat(RACKTOP_DATADIR "/templates", &st) == 0)
		return RACKTOP_DATADIR "/templates";
	return RACKTOP_SRCDIR "/src/templates";
}

static int main_wf_select(struct main_wf *w, const struct inventory *inv, const char *re, bool yes)
{
	regex_t rx;
	size_t k = 0;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char why[200];

		regerror(rc, &rx, why, sizeof(why));
		fprintf(stderr, "racktop: --hosts '%s': %s\n", re, why);
		return -1;
	}
	w->hosts = calloc(inv->nhosts ? inv->nhosts : 1, sizeof(*w->hosts));
	for (size_t i = 0; w->hosts && i < inv->nhosts; i++)
		if (regexec(&rx, inv->hosts[i].name, 0, NULL, 0) == 0)
			w->hosts[k++] = i;
	regfree(&rx);
	if (k == 0) {
		fprintf(stderr, "racktop: --hosts '%s' matches no host (of %zu in the inventory)\n", re,
			inv->nhosts);
		return -1;
	}
	if (k > 1 && !yes) {
		fprintf(stderr, "racktop: --hosts '%s' matches %zu hosts: workflow %s on more than one host needs --yes\n",
			re, k, w->workflow);
		return -1;
	}
	w->nhosts = k;
	return 0;
}

int main_wf_load(struct main_wf *w, const char *inv_path, const struct inventory *inv,
		 const char *hosts_re, bool yes)
{
	const struct wf_template *t;

	wf_catalog_load(&w->cat, main_wf_templates_dir(), true);
	if (w->cfg.workflows)
		wf_catalog_load(&w->cat, w->cfg.workflows, false);
	if (w->workflows && wf_catalog_load(&w->cat, w->workflows, false) < 0 && w->workflow) {
		fprintf(stderr, "racktop: -w %s: cannot be read\n", w->workflows);
		return -1;
	}
	w->inv_path = inv_path;
	if (inv_path)
		wf_catalog_load_inventory(&w->cat, inv_path);
	wf_catalog_link(&w->cat);
	if (!w->workflow)
		return 0;
	for (size_t i = 0; i < w->cat.nerrors; i++)
		fprintf(stderr, "racktop: %s\n", w->cat.errors[i]);
	t = wf_catalog_find(&w->cat, w->workflow);
	if (!t) {
		fprintf(stderr, "racktop: --workflow: no template named '%s' (", w->workflow);
		for (size_t i = 0; i < w->cat.ntemplates; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", w->cat.templates[i].name);
		fprintf(stderr, "%s)\n", w->cat.ntemplates ? "" : "none loaded");
		return -1;
	}
	if (!t->runnable) {
		fprintf(stderr, "racktop: --workflow %s: %s\n", t->name, t->not_runnable);
		return -1;
	}
	return main_wf_select(w, inv, hosts_re, yes);
}

/* This inventory's state directory ("": none, nothing is kept), with
 * the files of the old shared directory that are its own moved in. */
static void main_wf_state_dir(const struct main_wf *w, const struct inventory *inv, char *dir,
			      size_t n)
{
	char key[128], old[PATH_MAX];

	if (wf_home_key(w->demo ? NULL : w->inv_path, key, sizeof(key)) < 0 ||
	    wf_home_dir(key, dir, n) < 0) {
		dir[0] = '\0';
		return;
	}
	if (wf_store_default_dir(old, sizeof(old)) == 0)
		wf_home_adopt(old, dir, inv);
}

int main_wf_runner(struct main_wf *w, struct fleet *fleet, struct engine *engine,
		   struct actions *ac, const struct inventory *inv)
{
	char dir[PATH_MAX];

	main_wf_state_dir(w, inv, dir, sizeof(dir));
	w->runner = wf_runner_new(fleet, engine, ac, inv, &w->cat, w->cfg.rules, w->cfg.nrules,
				  dir);
	if (!w->runner)
		return -1;
	wf_runner_load_state(w->runner);
	return 0;
}

int main_wf_start(struct main_wf *w)
{
	return w->runner ? wf_runner_start(w->runner) : 0;
}

int main_wf_batch(struct main_wf *w, struct fleet *fleet)
{
	char **notes = NULL;
	size_t n;
	int rc = batch_workflow_run(fleet, w->runner, w->workflow, w->hosts, w->nhosts, stdout);

	n = wf_runner_take_notices(w->runner, &notes);
	for (size_t i = 0; i < n; i++) {
		/* Old interrupted workflows are not this run's business. */
		if (!strstr(notes[i], "was interrupted"))
			fprintf(stderr, "racktop: %s\n", notes[i]);
		free(notes[i]);
	}
	free(notes);
	return rc;
}

void main_wf_stop(struct main_wf *w)
{
	if (w->runner)
		wf_runner_stop(w->runner);
}

char *const *main_wf_notices(struct main_wf *w, char *const *inv_errors, size_t ninv, size_t *n)
{
	char **notes = NULL;
	size_t nn = w->runner ? wf_runner_take_notices(w->runner, &notes) : 0;
	size_t total = ninv + w->cat.nerrors + nn, k = 0;

	w->notices = calloc(total ? total : 1, sizeof(*w->notices));
	if (!w->notices) {
		for (size_t i = 0; i < nn; i++)
			free(notes[i]);
		free(notes);
		*n = ninv;
		return inv_errors;
	}
	for (size_t i = 0; i < ninv; i++)
		w->notices[k++] = strdup(inv_errors[i]);
	for (size_t i = 0; i < w->cat.nerrors; i++)
		w->notices[k++] = strdup(w->cat.errors[i]);
	for (size_t i = 0; i < nn; i++)
		w->notices[k++] = notes[i];
	free(notes);
	/* strdup() may fail: keep only the ones that were made. */
	for (size_t i = 0; i < k; i++)
		if (w->notices[i])
			w->notices[w->nnotices++] = w->notices[i];
	*n = w->nnotices;
	return w->notices;
}

void main_wf_free(struct main_wf *w)
{
	wf_runner_free(w->runner);
	w->runner = NULL;
	wf_catalog_free(&w->cat);
	settings_free(&w->cfg);
	free(w->hosts);
	for (size_t i = 0; i < w->nnotices; i++)
		free(w->notices[i]);
	free(w->notices);
	w->notices = NULL;
	w->nnotices = 0;
}

/* Workflow state files (wf_store_load): the input is the one file of a
 * state directory, named after its "id" when that is a plain string (so
 * that loads get past the id check), else w.json. Checked: nothing is
 * written outside the state directory, and nothing but the file itself
 * is left in it (an id of "../../x" once wrote 110 files elsewhere: the
 * directory is DEPTH levels down this harness's own, deeper than an id
 * can climb, so a regression is caught there and not in the machine's
 * directories); loaded runs have clean strings, known states and
 * bounded task lists; errors are clean and name the file; and what the
 * load saves back (a run that was running, marked interrupted) loads
 * again as the same run. fsync is wrapped (-Wl,--wrap in fuzz.mk) to do
 * nothing but check its fd: a save's two syncs to disk made this
 * harness 30 times slower and prove nothing about parsing. */
#include "fuzz_check.h"
#include "fuzz_msg.h"
#include "workflow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An id is at most 127 bytes: 42 "../" at most. */
#define DEPTH 44

static char fuzz_wf_state[4096];

int __wrap_fsync(int fd);

int __wrap_fsync(int fd)
{
	if (fcntl(fd, F_GETFD) < 0) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

/* fuzz_dir()/s/s/.../s/state, made once. */
static const char *fuzz_wf_dir(void)
{
	char p[4096];
	int n;

	if (fuzz_wf_state[0])
		return fuzz_wf_state;
	n = snprintf(p, sizeof p, "%s", fuzz_dir());
	for (int i = 0; i < DEPTH; i++) {
		n += snprintf(p + n, sizeof p - (size_t)n, "/s");
		FUZZ_ASSERT(mkdir(p, 0700) == 0, "cannot make the state directory");
	}
	snprintf(fuzz_wf_state, sizeof fuzz_wf_state, "%s/state", p);
	FUZZ_ASSERT(mkdir(fuzz_wf_state, 0700) == 0, "cannot make the state directory");
	return fuzz_wf_state;
}

/* Aborts unless DIR holds only ONLY (NULL: nothing); removes it. */
static void fuzz_wf_only(const char *dir, const char *only, bool remove)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	FUZZ_ASSERT(d != NULL, "a directory of the chain is gone");
	while ((e = readdir(d))) {
		char p[4400];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!only || strcmp(e->d_name, only)) {
			fprintf(stderr, "%s/%s: written outside the state file\n", dir, e->d_name);
			FUZZ_ASSERT(0, "the store wrote outside its state file");
		}
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (remove)
			FUZZ_ASSERT(unlink(p) == 0, "cannot remove the state file");
	}
	closedir(d);
}

/* Every level of the chain holds the next one only. */
static void fuzz_wf_check_tree(void)
{
	char p[4096];
	int n = snprintf(p, sizeof p, "%s", fuzz_dir());

	for (int i = 0; i <= DEPTH; i++) {
		fuzz_wf_only(p, i < DEPTH ? "s" : "state", false);
		if (i < DEPTH)
			n += snprintf(p + n, sizeof p - (size_t)n, "/s");
	}
}

/* The input's "id" as a file name, when it is a plain one. */
static void fuzz_wf_name(const uint8_t *data, size_t size, char *name, size_t n)
{
	json_t *o = json_loadb((const char *)data, size, 0, NULL);
	const char *id = json_string_value(json_object_get(o, "id"));

	snprintf(name, n, "w.json");
	if (id && id[0] && id[0] != '.' && strlen(id) < 100 && !strchr(id, '/'))
		snprintf(name, n, "%s.json", id);
	json_decref(o);
}

static void fuzz_wf_check_run(const struct wf_run *w)
{
	size_t done, total;
	const struct wf_task *task = NULL;
	const struct wf_action *cur;

	FUZZ_ASSERT(w->id[0], "a run without an id");
	fuzz_check_text("run.id", w->id);
	fuzz_check_text("run.template", w->template_name);
	fuzz_check_text("run.host", w->host);
	fuzz_check_text("run.origin", w->origin);
	fuzz_check_text("run.message", w->message);
	fuzz_check_range("run.state", w->state, WF_PENDING, WF_TIMEOUT);
	FUZZ_ASSERT(wf_state_final(w->state) || w->interrupted,
		    "a run that was running is not marked interrupted");
	FUZZ_ASSERT(w->host_idx == (size_t)-1, "a loaded run bound to a host");
	FUZZ_ASSERT(w->ntasks <= WF_MAX_TASKS, "more tasks than allowed");
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct wf_task *t = &w->tasks[i];

		fuzz_check_text("task.name", t->name);
		fuzz_check_range("task.state", t->state, WF_PENDING, WF_TIMEOUT);
		FUZZ_ASSERT(t->nactions <= WF_MAX_ACTIONS, "more actions than allowed");
		for (size_t j = 0; j < t->nactions; j++) {
			fuzz_check_text("action.name", t->actions[j].name);
			fuzz_check_text("action.image", t->actions[j].image);
			fuzz_check_text("action.message", t->actions[j].message);
			fuzz_check_range("action.state", t->actions[j].state, WF_PENDING, WF_TIMEOUT);
		}
	}
	/* What the screen asks of a run. */
	wf_run_progress(w, &done, &total);
	FUZZ_ASSERT(done <= total, "more actions done than there are");
	cur = wf_run_current(w, &task);
	FUZZ_ASSERT(!cur == !total, "a current action out of none, or none out of some");
}

static void fuzz_wf_same(const struct wf_run *a, const struct wf_run *b)
{
	FUZZ_ASSERT(!strcmp(a->id, b->id) && !strcmp(a->template_name, b->template_name) &&
			    !strcmp(a->host, b->host) && !strcmp(a->origin, b->origin) &&
			    !strcmp(a->message, b->message) && a->state == b->state &&
			    a->interrupted == b->interrupted && a->created == b->created &&
			    a->started == b->started && a->stopped == b->stopped &&
			    a->global_timeout_s == b->global_timeout_s && a->ntasks == b->ntasks,
		    "a run saved back does not load as the same run");
	for (size_t i = 0; i < a->ntasks; i++) {
		const struct wf_task *s = &a->tasks[i], *t = &b->tasks[i];

		FUZZ_ASSERT(!strcmp(s->name, t->name) && s->state == t->state &&
				    s->started == t->started && s->stopped == t->stopped &&
				    s->nactions == t->nactions,
			    "a task saved back does not load as the same task");
		for (size_t j = 0; j < s->nactions; j++) {
			const struct wf_action *x = &s->actions[j], *y = &t->actions[j];

			FUZZ_ASSERT(!strcmp(x->name, y->name) && !strcmp(x->image, y->image) &&
					    !strcmp(x->message, y->message) && x->state == y->state &&
					    x->attempts == y->attempts && x->timeout_s == y->timeout_s &&
					    x->retries == y->retries && x->started == y->started &&
					    x->stopped == y->stopped,
				    "an action saved back does not load as the same action");
		}
	}
}

static void fuzz_wf_free(struct wf_run *runs, size_t n, char **errors, size_t nerrors)
{
	wf_runs_free(runs, n);
	for (size_t i = 0; i < nerrors; i++)
		free(errors[i]);
	free(errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_wf_dir();
	char name[128], rel[4400], prefix[4200];
	struct wf_run *runs = NULL, *again = NULL;
	char **errors = NULL, **errors2 = NULL;
	size_t n = 0, nerrors = 0, n2 = 0, nerrors2 = 0;

	fuzz_wf_name(data, size, name, sizeof name);
	/* fuzz_file() takes a name under fuzz_dir(). */
	snprintf(rel, sizeof rel, "%s/%s", dir + strlen(fuzz_dir()) + 1, name);
	fuzz_file(rel, data, size, 0600);
	FUZZ_ASSERT(wf_store_load(dir, 100, &runs, &n, &errors, &nerrors) == 0,
		    "the state directory was not read");
	fuzz_wf_check_tree();
	fuzz_wf_only(dir, name, false);
	FUZZ_ASSERT(n <= 1, "more runs than files");
	FUZZ_ASSERT(nerrors <= WF_MAX_ERRORS, "errors are not bounded");
	snprintf(prefix, sizeof prefix, "workflow state %s", dir);
	for (size_t i = 0; i < nerrors; i++) {
		fuzz_check_text("state error", errors[i]);
		if (strncmp(errors[i], prefix, strlen(prefix))) {
			fprintf(stderr, "\"%s\" does not name the state directory\n", errors[i]);
			FUZZ_ASSERT(0, "a state error does not name its file");
		}
	}
	for (size_t i = 0; i < n; i++)
		fuzz_wf_check_run(&runs[i]);
	/* What the load saved back loads again, the same. */
	FUZZ_ASSERT(wf_store_load(dir, 100, &again, &n2, &errors2, &nerrors2) == 0,
		    "the state directory was not read again");
	fuzz_wf_check_tree();
	if (nerrors == 0) {
		FUZZ_ASSERT(n2 == n && nerrors2 == 0, "a second load differs from the first");
		for (size_t i = 0; i < n; i++)
			fuzz_wf_same(&runs[i], &again[i]);
	}
	fuzz_wf_free(runs, n, errors, nerrors);
	fuzz_wf_free(again, n2, errors2, nerrors2);
	fuzz_wf_only(dir, name, true);
	return 0;
}

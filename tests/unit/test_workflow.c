/* Templates and Workflows: the shipped templates and Tinkerbell's own
 * examples load (container images shown as not racktop's to run); bad
 * YAML gives file:line and the rest still loads; state names in all
 * their spellings; the health check's reasons; workflow state files
 * (atomic, and a running one comes back interrupted); the
 * configuration file and its errors. */
#include <criterion/criterion.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"
#include "workflow.h"
#include "workflow_int.h"

static char path_buf[4096];

static const char *src(const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", getenv("RACKTOP_SRCDIR"), rel);
	return path_buf;
}

static const char *shared(const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", getenv("RACKTOP_SHARED"), rel);
	return path_buf;
}

/* The error that mentions NEEDLE, or NULL. */
static const char *find_error(const struct wf_catalog *cat, const char *needle)
{
	for (size_t i = 0; i < cat->nerrors; i++)
		if (strstr(cat->errors[i], needle))
			return cat->errors[i];
	return NULL;
}

Test(state, names_and_spellings)
{
	int s = -1;

	cr_assert_str_eq(wf_state_name(WF_PENDING), "PENDING");
	cr_assert_str_eq(wf_state_name(WF_TIMEOUT), "TIMEOUT");
	cr_assert_str_eq(wf_state_name(42), "?");
	cr_assert_eq(wf_state_parse("RUNNING", &s), 0);
	cr_assert_eq(s, WF_RUNNING);
	cr_assert_eq(wf_state_parse("STATE_FAILED", &s), 0);
	cr_assert_eq(s, WF_FAILED);
	cr_assert_eq(wf_state_parse("STATE_SUCCESS", &s), 0);
	cr_assert_eq(s, WF_SUCCESS);
	cr_assert_eq(wf_state_parse("4", &s), 0, "v1alpha2 sends numbers");
	cr_assert_eq(s, WF_TIMEOUT);
	cr_assert_eq(wf_state_parse("running", &s), -1, "the names are upper case");
	cr_assert_eq(wf_state_parse("STATE_", &s), -1);
	cr_assert_eq(wf_state_parse("5", &s), -1);
	cr_assert_eq(wf_state_parse("", &s), -1);
	cr_assert_eq(wf_state_parse(NULL, &s), -1);
	cr_assert(wf_state_final(WF_TIMEOUT) && !wf_state_final(WF_RUNNING));
}

Test(template, shipped)
{
	struct wf_catalog cat = { 0 };
	const struct wf_template *t;

	cr_assert_eq(wf_catalog_load(&cat, src("src/templates"), false), 0);
	cr_assert_eq(cat.nerrors, 0, "%s", cat.nerrors ? cat.errors[0] : "");
	t = wf_catalog_find(&cat, "reprovision");
	cr_assert_not_null(t);
	cr_assert(t->runnable);
	cr_assert_eq(t->ntasks, 1);
	cr_assert_eq(t->tasks[0].nactions, 3);
	cr_assert_eq(t->tasks[0].actions[0].kind, WF_KIND_BOOT);
	cr_assert_eq(t->tasks[0].actions[0].engine_action, ENGINE_ACTION_BOOT_PXE);
	cr_assert_eq(t->tasks[0].actions[0].retries, 2);
	cr_assert_eq(t->tasks[0].actions[1].engine_action, ENGINE_ACTION_POWER_CYCLE);
	cr_assert_eq(t->tasks[0].actions[2].kind, WF_KIND_WAIT_POWER);
	cr_assert_eq(t->tasks[0].actions[2].power_on, 1);
	cr_assert_eq(t->tasks[0].actions[2].timeout_s, 300);
	t = wf_catalog_find(&cat, "gpu-recover");
	cr_assert_not_null(t);
	cr_assert_eq(t->ntasks, 2);
	cr_assert_eq(t->tasks[0].actions[0].engine_action, ENGINE_ACTION_POWER_SOFT);
	cr_assert_eq(t->tasks[0].actions[1].power_on, 0);
	cr_assert_eq(t->tasks[1].actions[0].engine_action, ENGINE_ACTION_POWER_ON);
	cr_assert_eq(t->tasks[1].actions[2].kind, WF_KIND_WAIT_HEALTHY);
	cr_assert_eq(t->tasks[1].actions[2].limit_c, 85.0);
	cr_assert_eq(t->global_timeout_s, 1800);
	wf_catalog_free(&cat);
}

Test(template, tinkerbell_examples)
{
	struct wf_catalog cat = { 0 };
	const struct wf_template *t;

	cr_assert_eq(wf_catalog_load(&cat, shared("tinkerbell/examples"), false), 0);
	wf_catalog_link(&cat);
	cr_assert_eq(cat.nerrors, 0, "%s", cat.nerrors ? cat.errors[0] : "");
	cr_assert_eq(cat.ntemplates, 2);
	t = wf_catalog_find(&cat, "debian");
	cr_assert_not_null(t);
	cr_assert_eq(t->global_timeout_s, 1800);
	cr_assert_eq(t->tasks[0].nactions, 4);
	cr_assert_str_eq(t->tasks[0].actions[0].name, "stream-debian-image");
	cr_assert_eq(t->tasks[0].actions[0].kind, WF_KIND_EXTERNAL);
	cr_assert_eq(t->tasks[0].actions[0].timeout_s, 600);
	cr_assert(!t->runnable, "container images are Tinkerbell's agent's to run");
	cr_assert(strstr(t->not_runnable, "quay.io/tinkerbell-actions/image2disk"), "%s",
		  t->not_runnable);
	t = wf_catalog_find(&cat, "testing");
	cr_assert_not_null(t);
	cr_assert_eq(t->tasks[0].nactions, 6);
	cr_assert(!t->runnable);
	cr_assert_eq(cat.nobjects, 2);
	for (size_t i = 0; i < cat.nobjects; i++) {
		const struct wf_object *o = &cat.objects[i];

		cr_assert_eq(o->state, WF_PENDING);
		cr_assert_gt(o->ntasks, 0, "%s: bound to its template's tasks", o->name);
		if (!strcmp(o->name, "wf1")) {
			cr_assert_str_eq(o->template_ref, "debian");
			cr_assert_str_eq(o->hardware_ref, "sm01");
		}
	}
	wf_catalog_free(&cat);
}

Test(template, bad_yaml_names_file_and_line)
{
	struct wf_catalog cat = { 0 };
	const char *e;
	char want[4200];

	cr_assert_eq(wf_catalog_load(&cat, src("tests/data/workflow/bad.yaml"), false), 0);
	/* The good one between the bad ones loads. */
	cr_assert_not_null(wf_catalog_find(&cat, "good-after-bad"));
	cr_assert_null(wf_catalog_find(&cat, "bad-image"));
	cr_assert_null(wf_catalog_find(&cat, "bad-syntax"));
	cr_assert_null(wf_catalog_find(&cat, "bad-power"));
	snprintf(want, sizeof(want), "%s:14: Template default/bad-image: image racktop/explode: not a racktop action",
		 src("tests/data/workflow/bad.yaml"));
	cr_assert_not_null(find_error(&cat, want), "no '%s' in %zu errors (%s)", want, cat.nerrors,
			   cat.nerrors ? cat.errors[0] : "");
	e = find_error(&cat, "bad-syntax");
	cr_assert_not_null(e);
	cr_assert(strstr(e, "bad.yaml:26: Template default/bad-syntax: spec.data: YAML syntax error") &&
		  strstr(e, "flow sequence at line 25)"), "%s", e);
	e = find_error(&cat, "no-template");
	cr_assert_not_null(e);
	cr_assert(strstr(e, "bad.yaml:46: Workflow default/no-template: spec.templateRef missing"), "%s", e);
	e = find_error(&cat, "bad-state");
	cr_assert_not_null(e);
	cr_assert(strstr(e, "STATE_EXPLODED") && strstr(e, "bad.yaml:55:"), "%s", e);
	e = find_error(&cat, "bad-power");
	cr_assert_not_null(e);
	cr_assert(strstr(e, "bad.yaml:69:") &&
		  strstr(e, "ACTION: on, off, soft, cycle or reset (got 'sideways')"), "%s", e);
	cr_assert_eq(cat.nerrors, 5, "one error per bad object");
	/* A file that is not YAML at all: its error, and the others load. */
	cr_assert_eq(wf_catalog_load(&cat, src("tests/data/workflow/broken-file.yaml"), false), 0);
	cr_assert_not_null(find_error(&cat, "broken-file.yaml:"));
	cr_assert_eq(wf_catalog_load(&cat, src("tests/data/workflow/tests.yaml"), false), 0);
	cr_assert_not_null(wf_catalog_find(&cat, "reset-then-on"));
	wf_catalog_free(&cat);
}

Test(template, data_lines_and_workflow_status)
{
	struct wf_catalog cat = { 0 };
	const struct wf_template *t;

	cr_assert_eq(wf_catalog_load(&cat, src("tests/data/workflow/tests.yaml"), false), 0);
	cr_assert_eq(cat.nerrors, 0, "%s", cat.nerrors ? cat.errors[0] : "");
	t = wf_catalog_find(&cat, "reset-then-on");
	cr_assert_not_null(t);
	cr_assert_eq(t->tasks[0].actions[0].kind, WF_KIND_BMC_RESET);
	cr_assert_eq(t->tasks[0].actions[1].retries, 4);
	cr_assert_eq(t->tasks[0].actions[1].retry_delay_s, 1);
	cr_assert_eq(cat.nobjects, 1);
	cr_assert_eq(cat.objects[0].state, WF_SUCCESS, "STATE_SUCCESS read");
	cr_assert_eq(cat.objects[0].ntasks, 1);
	cr_assert_eq(cat.objects[0].tasks[0].actions[1].state, WF_SUCCESS, "'status' read too");
	wf_catalog_free(&cat);
}

Test(template, duplicate_name_and_missing_path)
{
	struct wf_catalog cat = { 0 };

	cr_assert_eq(wf_catalog_load(&cat, src("src/templates"), false), 0);
	cr_assert_eq(wf_catalog_load(&cat, src("src/templates/gpu-recover.yaml"), false), 0);
	cr_assert_eq(cat.ntemplates, 2);
	cr_assert_not_null(find_error(&cat, "already loaded from"));
	cr_assert_eq(wf_catalog_load(&cat, "/nonexistent/racktop", true), 0);
	cr_assert_eq(wf_catalog_load(&cat, "/nonexistent/racktop", false), -1);
	cr_assert_not_null(find_error(&cat, "/nonexistent/racktop: No such file"));
	wf_catalog_free(&cat);
}

static void host_with_gpus(struct fleet_host *h, struct fleet_gpu *g, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->has_data = true;
	h->data.power = FLEET_POWER_ON;
	h->data.ngpus = n;
	h->data.gpus = g;
	for (size_t i = 0; i < n; i++) {
		fleet_gpu_init(&g[i], (int)i);
		snprintf(g[i].id, sizeof(g[i].id), "GPU_SXM_%zu", i + 1);
		snprintf(g[i].state, sizeof(g[i].state), "Enabled");
		g[i].health = FLEET_HEALTH_OK;
		g[i].temperature_c = 40 + (double)i;
	}
}

Test(health, reasons)
{
	struct fleet_gpu g[4];
	struct fleet_host h;
	char why[256];

	host_with_gpus(&h, g, 4);
	wf_health_reason(&h, 85, 4, why, sizeof(why));
	cr_assert_str_eq(why, "");
	wf_health_reason(&h, 85, 8, why, sizeof(why));
	cr_assert_str_eq(why, "4 of 8 GPUs present");
	snprintf(g[2].state, sizeof(g[2].state), "Absent");
	wf_health_reason(&h, 85, 4, why, sizeof(why));
	cr_assert_str_eq(why, "GPU GPU_SXM_3 is absent");
	snprintf(g[2].state, sizeof(g[2].state), "Enabled");
	g[1].health = FLEET_HEALTH_CRITICAL;
	wf_health_reason(&h, 85, 4, why, sizeof(why));
	cr_assert_str_eq(why, "GPU GPU_SXM_2 is critical");
	g[1].health = FLEET_HEALTH_WARNING;
	g[3].temperature_c = 91;
	wf_health_reason(&h, 85, 4, why, sizeof(why));
	cr_assert_str_eq(why, "hottest GPU at 91 C, limit 85 C");
	h.data.power = FLEET_POWER_OFF;
	wf_health_reason(&h, 85, 4, why, sizeof(why));
	cr_assert_str_eq(why, "power is Off");
}

static char tmpdir[256];

static void mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/racktop-wf-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

Test(store, save_load_interrupted, .init = mk_tmp, .fini = rm_tmp)
{
	struct wf_catalog cat = { 0 };
	const struct wf_template *t;
	struct wf_run w, done, *runs = NULL;
	char err[600], dir[300], **errs = NULL, path[400];
	size_t n = 0, nerrs = 0;
	struct stat st;
	FILE *f;

	cr_assert_eq(wf_catalog_load(&cat, src("src/templates"), false), 0);
	t = wf_catalog_find(&cat, "gpu-recover");
	memset(&w, 0, sizeof(w));
	snprintf(w.id, sizeof(w.id), "gpu-recover-node-1");
	snprintf(w.template_name, sizeof(w.template_name), "gpu-recover");
	snprintf(w.host, sizeof(w.host), "node-1");
	w.state = WF_RUNNING;
	w.created = w.started = 1700000000;
	w.tasks = wf_tasks_copy(t->tasks, t->ntasks);
	w.ntasks = t->ntasks;
	w.tasks[0].actions[0].state = WF_SUCCESS;
	w.tasks[0].actions[0].started = 1700000001;
	w.tasks[0].actions[0].stopped = 1700000003;
	w.tasks[0].actions[1].state = WF_RUNNING;
	snprintf(dir, sizeof(dir), "%s/state/workflows", tmpdir);
	cr_assert_eq(wf_store_save(dir, &w, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(wf_run_copy(&done, &w), 0);
	snprintf(done.id, sizeof(done.id), "gpu-recover-node-2");
	done.state = WF_FAILED;
	done.created = 1700000100;
	snprintf(done.message, sizeof(done.message), "task power-up, action wait-gpus-healthy: not healthy");
	cr_assert_eq(wf_store_save(dir, &done, err, sizeof(err)), 0, "%s", err);
	snprintf(path, sizeof(path), "%s/gpu-recover-node-1.json", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/gpu-recover-node-1.json.tmp", dir);
	cr_assert_neq(stat(path, &st), 0, "no temporary file is left");
	/* A torn or foreign file is reported, not loaded. */
	snprintf(path, sizeof(path), "%s/junk.json", dir);
	f = fopen(path, "w");
	fputs("{\"id\": \"x\", \"tasks\": [", f);
	fclose(f);
	cr_assert_eq(wf_store_load(dir, 10, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(nerrs, 1);
	cr_assert(strstr(errs[0], "junk.json") && strstr(errs[0], "not loaded"), "%s", errs[0]);
	cr_assert_str_eq(runs[0].id, "gpu-recover-node-1", "oldest first");
	cr_assert(runs[0].interrupted, "a running workflow comes back interrupted");
	cr_assert_eq(runs[0].state, WF_RUNNING);
	cr_assert_eq(runs[0].ntasks, 2);
	cr_assert_eq(runs[0].tasks[0].actions[0].state, WF_SUCCESS);
	cr_assert_eq(runs[0].tasks[0].actions[0].stopped, 1700000003);
	cr_assert_eq(runs[0].tasks[0].actions[1].state, WF_RUNNING);
	cr_assert(!runs[1].interrupted);
	cr_assert_eq(runs[1].state, WF_FAILED);
	cr_assert_str_eq(runs[1].message, "task power-up, action wait-gpus-healthy: not healthy");
	wf_runs_free(runs, n);
	free(errs[0]);
	free(errs);
	errs = NULL;
	nerrs = 0;
	/* Marked interrupted on disk too: it stays so. */
	cr_assert_eq(wf_store_load(dir, 1, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 1, "only the newest MAX");
	cr_assert_str_eq(runs[0].id, "gpu-recover-node-2");
	wf_runs_free(runs, n);
	for (size_t i = 0; i < nerrs; i++)
		free(errs[i]);
	free(errs);
	snprintf(path, sizeof(path), "%s/gpu-recover-node-1.json", dir);
	{
		json_t *o = json_load_file(path, 0, NULL);

		cr_assert_not_null(o);
		cr_assert(json_is_true(json_object_get(o, "interrupted")));
		json_decref(o);
	}
	wf_run_free(&w);
	wf_run_free(&done);
	wf_catalog_free(&cat);
}

/* -w FIFO: an error at once, not a racktop blocked in open() (the
 * timeout fails a hang). */
Test(template, fifo_is_refused_promptly, .init = mk_tmp, .fini = rm_tmp, .timeout = 10)
{
	struct wf_catalog cat = { 0 };
	char path[400];

	snprintf(path, sizeof(path), "%s/t.yaml", tmpdir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(wf_catalog_load(&cat, path, false), -1);
	cr_assert_not_null(find_error(&cat, "not a regular file"), "%s",
			   cat.nerrors ? cat.errors[0] : "no error");
	wf_catalog_free(&cat);
}

/* TEXT into DIR/NAME. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static bool any_error(char **errs, size_t n, const char *a, const char *b)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(errs[i], a) && (!b || strstr(errs[i], b)))
			return true;
	return false;
}

/* An id is a file name in the state directory, never a path: "../../x"
 * in a state file (or given to save) writes nothing outside it. */
Test(store, id_cannot_leave_the_directory, .init = mk_tmp, .fini = rm_tmp)
{
	struct wf_run w, *runs = NULL;
	char err[600] = "", dir[300], path[400], **errs = NULL;
	size_t n = 0, nerrs = 0;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/state/workflows", tmpdir);
	memset(&w, 0, sizeof(w));
	snprintf(w.id, sizeof(w.id), "../../x");
	w.state = WF_FAILED;
	cr_assert_eq(wf_store_save(dir, &w, err, sizeof(err)), -1, "saved as ../../x");
	cr_assert(strstr(err, "../../x"), "%s", err);
	snprintf(path, sizeof(path), "%s/x.json", tmpdir);
	cr_assert_neq(stat(path, &st), 0, "%s was written", path);
	snprintf(path, sizeof(path), "%s/x.json.tmp", tmpdir);
	cr_assert_neq(stat(path, &st), 0, "%s was written", path);

	/* A planted state file, running so that loading rewrites it. */
	snprintf(path, sizeof(path), "%s/state", tmpdir);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(mkdir(dir, 0700), 0);
	put_file(dir, "evil.json", "{\"id\": \"../../y\", \"state\": \"RUNNING\", \"tasks\": []}");
	put_file(dir, "dots.json", "{\"id\": \"..\", \"state\": \"RUNNING\", \"tasks\": []}");
	/* A file whose id is not its own name would be rewritten elsewhere. */
	put_file(dir, "a.json", "{\"id\": \"b\", \"state\": \"RUNNING\", \"tasks\": []}");
	put_file(dir, "ok-1.json", "{\"id\": \"ok-1\", \"state\": \"RUNNING\", \"tasks\": []}");
	cr_assert_eq(wf_store_load(dir, 10, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 1, "only ok-1 loads");
	cr_assert_str_eq(runs[0].id, "ok-1");
	cr_assert(any_error(errs, nerrs, "evil.json", "not loaded"));
	cr_assert(any_error(errs, nerrs, "dots.json", "not loaded"));
	cr_assert(any_error(errs, nerrs, "a.json", "not loaded"));
	snprintf(path, sizeof(path), "%s/y.json", tmpdir);
	cr_assert_neq(stat(path, &st), 0, "%s was written", path);
	snprintf(path, sizeof(path), "%s/state/workflows/b.json", tmpdir);
	cr_assert_neq(stat(path, &st), 0, "%s was written", path);
	wf_runs_free(runs, n);
	for (size_t i = 0; i < nerrs; i++)
		free(errs[i]);
	free(errs);
}

/* A FIFO, a symlink or a huge file among the state files is reported at
 * once, never read (the timeout fails a hang). */
Test(store, odd_files_are_refused_promptly, .init = mk_tmp, .fini = rm_tmp, .timeout = 10)
{
	struct wf_run *runs = NULL;
	char dir[300], path[400], target[400], **errs = NULL;
	size_t n = 0, nerrs = 0;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/workflows", tmpdir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/fifo.json", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	snprintf(target, sizeof(target), "%s/elsewhere.json", tmpdir);
	put_file(tmpdir, "elsewhere.json", "{\"id\": \"link\", \"state\": \"FAILED\", \"tasks\": []}");
	snprintf(path, sizeof(path), "%s/link.json", dir);
	cr_assert_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/big.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < (1 << 21) / 64; i++)
		fputs("                                                               \n", f);
	fclose(f);
	cr_assert_eq(wf_store_load(dir, 10, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 0);
	cr_assert(any_error(errs, nerrs, "fifo.json", "not a regular file"));
	cr_assert(any_error(errs, nerrs, "link.json", "symbolic link"));
	cr_assert(any_error(errs, nerrs, "big.json", "larger than 1 MiB"));
	wf_runs_free(runs, n);
	for (size_t i = 0; i < nerrs; i++)
		free(errs[i]);
	free(errs);
}

/* A FIFO where the temporary file goes: saving fails at once (the
 * timeout fails a hang) and the FIFO is left alone. */
Test(store, fifo_in_place_of_the_temporary_file, .init = mk_tmp, .fini = rm_tmp, .timeout = 10)
{
	struct wf_run w;
	char err[600] = "", path[400];
	struct stat st;

	memset(&w, 0, sizeof(w));
	snprintf(w.id, sizeof(w.id), "reprovision-node-1");
	w.state = WF_FAILED;
	snprintf(path, sizeof(path), "%s/reprovision-node-1.json.tmp", tmpdir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(wf_store_save(tmpdir, &w, err, sizeof(err)), -1);
	cr_assert(strstr(err, path) && strstr(err, "not a regular file"), "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
}

Test(settings, good)
{
	struct settings c;
	char err[600] = "";
	const char *text =
		"# racktop\n"
		"read_only = true\n"
		"audit_log = \"/var/log/racktop audit.log\"\n"
		"\n"
		"[recover gpus]\n"
		"when = gpu-critical\n"
		"polls = 3\n"
		"template = gpu-recover\n"
		"max_hosts = 2\n"
		"[recover absent]\n"
		"  when = gpu-absent   \n"
		"template = reprovision\n";

	cr_assert_eq(settings_parse("t.conf", text, &c, err, sizeof(err)), 0, "%s", err);
	cr_assert(c.read_only);
	cr_assert_str_eq(c.audit_log, "/var/log/racktop audit.log");
	cr_assert_eq(c.nrules, 2);
	cr_assert_str_eq(c.rules[0].name, "gpus");
	cr_assert_eq(c.rules[0].when, WF_WHEN_GPU_CRITICAL);
	cr_assert_eq(c.rules[0].polls, 3);
	cr_assert_eq(c.rules[0].max_hosts, 2);
	cr_assert_str_eq(c.rules[0].template_name, "gpu-recover");
	cr_assert_str_eq(c.rules[0].source, "t.conf:5");
	cr_assert_eq(c.rules[1].when, WF_WHEN_GPU_ABSENT);
	cr_assert_eq(c.rules[1].polls, 3, "the default");
	cr_assert_eq(c.rules[1].max_hosts, 1, "the default");
	settings_free(&c);
	cr_assert_eq(settings_parse("empty.conf", "", &c, err, sizeof(err)), 0);
	cr_assert(!c.read_only && c.nrules == 0);
	cr_assert(!c.console_reconnect, "off by default");
	settings_free(&c);
	cr_assert_eq(settings_parse("c.conf", "console_reconnect = true\n", &c, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert(c.console_reconnect);
	settings_free(&c);
}

Test(settings, action_wait)
{
	struct settings c;
	char err[600] = "";

	cr_assert_eq(settings_parse("t.conf", "action_wait = 300\n", &c, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(c.action_wait_s, 300);
	settings_free(&c);
	cr_assert_eq(settings_parse("t.conf", "", &c, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(c.action_wait_s, 0, "not set: racktop's default");
	settings_free(&c);
	cr_assert_eq(settings_parse("t.conf", "action_wait = 0\n", &c, err, sizeof(err)), -1);
	cr_assert(strstr(err, "t.conf:1: action_wait: expected seconds from 1 to 3600, got '0'"),
		  "%s", err);
}

static void settings_bad(const char *text, const char *want)
{
	struct settings c;
	char err[600] = "";

	cr_assert_eq(settings_parse("t.conf", text, &c, err, sizeof(err)), -1, "accepted: %s", text);
	cr_assert(strstr(err, want), "'%s' not in '%s'", want, err);
	cr_assert_eq(c.nrules, 0);
	cr_assert_null(c.rules);
}

Test(settings, errors)
{
	settings_bad("read_only = maybe\n", "t.conf:1: read_only: expected true or false, got 'maybe'");
	settings_bad("console_reconnect = 2\n",
		     "t.conf:1: console_reconnect: expected true or false, got '2'");
	settings_bad("\n\ncolour = blue\n", "t.conf:3: unknown key 'colour'");
	settings_bad("read_only\n", "t.conf:1: expected 'key = value', got 'read_only'");
	settings_bad("[recover x]\nwhen = gpu-hot\ntemplate = a\n",
		     "t.conf:2: when: expected gpu-critical or gpu-absent, got 'gpu-hot'");
	settings_bad("[recover x]\npolls = 0\n", "t.conf:2: polls: expected a whole number from 1 to 1000");
	settings_bad("[recover x]\nmax_hosts = lots\n", "t.conf:2: max_hosts: expected a whole number");
	settings_bad("[recover x]\nwhen = gpu-critical\n",
		     "t.conf:1: [recover x]: 'template = NAME' missing");
	settings_bad("[recover x]\ntemplate = a\n[recover y]\npolls = 2\n",
		     "t.conf:3: [recover y]: 'template = NAME' missing");
	settings_bad("[recovery x]\n", "t.conf:1: expected a section [recover NAME]");
	settings_bad("[recover a b]\n", "t.conf:1: [recover NAME]: expected a name");
	settings_bad("[recover x]\ntemplate = a\ncolour = red\n",
		     "t.conf:3: unknown key 'colour' in a [recover] section");
}

/* Found by fuzzing (tests/fuzz/corpus/conf/escape-in-path.conf): a path
 * is kept as written, and "audit log PATH: cannot open" printed its
 * escape sequences to the terminal. A path that cleaning would change
 * is refused. */
Test(settings, path_with_control_bytes_is_refused)
{
	settings_bad("audit_log = /tmp/\033]0;pwned\007audit.log\n",
		     "t.conf:1: audit_log: the path holds control characters or invalid UTF-8");
	settings_bad("\nworkflows = /srv/\xff\xfetemplates\n",
		     "t.conf:2: workflows: the path holds control characters or invalid UTF-8");
}

Test(settings, files, .init = mk_tmp, .fini = rm_tmp)
{
	struct settings c;
	char err[600] = "", path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/none.conf", tmpdir);
	cr_assert_eq(settings_load(path, false, &c, err, sizeof(err)), 0, "a missing default is fine");
	cr_assert_eq(settings_load(path, true, &c, err, sizeof(err)), -1, "a missing --config is not");
	cr_assert(strstr(err, "none.conf: No such file"), "%s", err);
	snprintf(path, sizeof(path), "%s/r.conf", tmpdir);
	f = fopen(path, "w");
	fputs("read_only = yes\n[recover g]\ntemplate = gpu-recover\nwhen = gpu-cold\n", f);
	fclose(f);
	cr_assert_eq(settings_load(path, true, &c, err, sizeof(err)), -1);
	cr_assert(strstr(err, "r.conf:4: when:"), "%s", err);
	cr_assert(!strncmp(err, path, strlen(path)), "the file is named: %s", err);
}

/* A FIFO as racktop.conf (even the default one, which may be missing):
 * an error at once, not a racktop blocked in open() (the timeout fails
 * a hang). */
Test(settings, fifo_is_refused_promptly, .init = mk_tmp, .fini = rm_tmp, .timeout = 10)
{
	struct settings c;
	char err[600] = "", path[400];

	snprintf(path, sizeof(path), "%s/racktop.conf", tmpdir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(settings_load(path, false, &c, err, sizeof(err)), -1);
	cr_assert(strstr(err, path) && strstr(err, "not a regular file"), "%s", err);
	err[0] = '\0';
	cr_assert_eq(settings_load(path, true, &c, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not a regular file"), "%s", err);
}

/* A template of N bytes of padding in an action's environment. */
static void write_big_template(const char *path, const char *name, size_t pad)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "apiVersion: tinkerbell.org/v1alpha1\nkind: Template\nmetadata:\n  name: %s\n"
		"spec:\n  data: |\n    tasks:\n      - name: t\n        actions:\n"
		"          - name: p\n            image: racktop/pause\n            environment:\n"
		"              SECONDS: \"1\"\n              PADDING: |\n", name);
	for (size_t i = 0; i < pad / 64; i++)
		fprintf(f, "                %047zu\n", i);
	fprintf(f, "          - name: x\n            image: racktop/nothing\n");
	fclose(f);
}

Test(template, spec_data_past_the_string_limit, .init = mk_tmp, .fini = rm_tmp)
{
	struct wf_catalog cat = { 0 };
	char path[400];
	const char *e;

	snprintf(path, sizeof(path), "%s/big.yaml", tmpdir);
	write_big_template(path, "big", 20000);
	cr_assert_eq(wf_catalog_load(&cat, path, false), 0);
	/* Read whole: the bad image after the padding is found, with its line. */
	e = find_error(&cat, "image racktop/nothing");
	cr_assert_not_null(e, "%s", cat.nerrors ? cat.errors[0] : "no error");
	cr_assert(strstr(e, "big.yaml:328:"), "%s", e);
	wf_catalog_free(&cat);
	write_big_template(path, "huge", 300000);
	cr_assert_eq(wf_catalog_load(&cat, path, false), 0);
	cr_assert_not_null(find_error(&cat, "spec.data: longer than 262144 bytes"));
	cr_assert_eq(cat.ntemplates, 0);
	wf_catalog_free(&cat);
}

/* Each inventory its own state directory: named by the real path (a
 * symlink or a relative path is the same inventory, the same base name
 * elsewhere another); --demo is "demo"; never a path or hidden name. */
Test(home, key_follows_the_real_path, .init = mk_tmp, .fini = rm_tmp)
{
	char a[400], b[400], link[400], ka[128], kb[128], kl[128], k[128], cwd[4096];

	snprintf(a, sizeof(a), "%s/a", tmpdir);
	snprintf(b, sizeof(b), "%s/b", tmpdir);
	cr_assert_eq(mkdir(a, 0700), 0);
	cr_assert_eq(mkdir(b, 0700), 0);
	put_file(a, "fleet.yaml", "");
	put_file(b, "fleet.yaml", "");
	snprintf(link, sizeof(link), "%s/link.yaml", tmpdir);
	strcat(a, "/fleet.yaml");
	strcat(b, "/fleet.yaml");
	cr_assert_eq(symlink(a, link), 0);
	cr_assert_eq(wf_home_key(a, ka, sizeof(ka)), 0);
	cr_assert_eq(wf_home_key(b, kb, sizeof(kb)), 0);
	cr_assert_eq(wf_home_key(link, kl, sizeof(kl)), 0);
	cr_assert_eq(strncmp(ka, "fleet.yaml-", 11), 0, "%s", ka);
	cr_assert_eq(strlen(ka), 11 + 8, "%s", ka);
	cr_assert_str_neq(ka, kb, "two inventories named alike share a directory");
	cr_assert_str_eq(ka, kl, "a symlink is another inventory");
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(tmpdir), 0);
	cr_assert_eq(wf_home_key("a/fleet.yaml", k, sizeof(k)), 0);
	cr_assert_eq(chdir(cwd), 0);
	cr_assert_str_eq(k, ka, "a relative path is another inventory");

	cr_assert_eq(wf_home_key(NULL, k, sizeof(k)), 0);
	cr_assert_str_eq(k, "demo");
	cr_assert_eq(wf_home_key("/nonexistent/.my fleet/../.hidden fleet\xc3\xa9", k, sizeof(k)), 0);
	cr_assert_eq(strncmp(k, "_hidden_fleet__-", 16), 0, "%s", k);
	cr_assert_eq(wf_home_key("/", k, sizeof(k)), 0);
	cr_assert_eq(k[0], '_', "%s", k);
	cr_assert_eq(wf_home_key(a, k, 8), -1, "cut short");
}

Test(home, dir_under_the_state_directory)
{
	char d[600];

	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	cr_assert_eq(wf_home_dir("fleet.yaml-0badf00d", d, sizeof(d)), 0);
	cr_assert_str_eq(d, "/xdg/state/racktop/inventories/fleet.yaml-0badf00d/workflows");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/op", 1);
	cr_assert_eq(wf_home_dir("demo", d, sizeof(d)), 0);
	cr_assert_str_eq(d, "/home/op/.local/state/racktop/inventories/demo/workflows");
	cr_assert_eq(wf_home_dir("../x", d, sizeof(d)), -1);
	cr_assert_eq(wf_home_dir("a/b", d, sizeof(d)), -1);
	cr_assert_eq(wf_home_dir("", d, sizeof(d)), -1);
}

static const char *home_run(const char *id, const char *host, const char *message)
{
	static char text[600];

	snprintf(text, sizeof(text), "{\"id\": \"%s\", \"host\": \"%s\", \"state\": \"FAILED\", "
		 "\"message\": \"%s\", \"tasks\": []}", id, host, message);
	return text;
}

/* The old shared directory: a file whose host the inventory has moves
 * into its directory; the rest stays; a file already there is kept. */
Test(home, adopt_moves_only_this_inventorys_files, .init = mk_tmp, .fini = rm_tmp)
{
	struct inventory_host hosts[2] = { { .name = "gpu-node-001" }, { .name = "gpu-node-002" } };
	struct inventory inv = { .nhosts = 2, .hosts = hosts };
	char old[400], dir[400], path[600];
	struct wf_run *runs = NULL;
	char **errs = NULL;
	size_t n = 0, nerrs = 0;
	struct stat st;

	snprintf(old, sizeof(old), "%s/workflows", tmpdir);
	snprintf(dir, sizeof(dir), "%s/inventories/fleet.yaml-01234567/workflows", tmpdir);
	cr_assert_eq(wf_home_adopt(old, dir, &inv), 0, "no shared directory: nothing to do");
	cr_assert_eq(mkdir(old, 0700), 0);
	put_file(old, "w-1.json", home_run("w-1", "gpu-node-001", "old"));
	put_file(old, "w-2.json", home_run("w-2", "other-node", "old"));
	put_file(old, "w-3.json", home_run("w-3", "gpu-node-002", "old"));
	put_file(old, "broken.json", "{");
	cr_assert_eq(wf_home_adopt(old, dir, &inv), 2);

	snprintf(path, sizeof(path), "%s/w-2.json", old);
	cr_assert_eq(stat(path, &st), 0, "another inventory's workflow moved");
	snprintf(path, sizeof(path), "%s/broken.json", old);
	cr_assert_eq(stat(path, &st), 0, "a file that does not load moved");
	snprintf(path, sizeof(path), "%s/w-1.json", old);
	cr_assert_neq(stat(path, &st), 0, "w-1 is still in the shared directory");
	cr_assert_eq(wf_store_load(dir, 10, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(nerrs, 0);
	wf_runs_free(runs, n);

	/* A file of the same name already there is never replaced. */
	put_file(old, "w-1.json", home_run("w-1", "gpu-node-001", "older"));
	cr_assert_eq(wf_home_adopt(old, dir, &inv), 0);
	cr_assert_eq(stat(path, &st), 0, "the older w-1 went");
	cr_assert_eq(wf_store_load(dir, 10, &runs, &n, &errs, &nerrs), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(runs[0].id, "w-1");
	cr_assert_str_eq(runs[0].message, "old", "the adopted w-1 was replaced");
	wf_runs_free(runs, n);
	free(errs);
}

/* The inventory's own file (-f): its YAML syntax errors and read errors
 * are the inventory loader's to report, so the n view lists each once;
 * its Templates' own problems are still reported here. */
Test(template, inventory_file_errors_said_once, .init = mk_tmp, .fini = rm_tmp)
{
	struct wf_catalog cat = { 0 };
	char path[400];

	cr_assert_eq(wf_catalog_load_inventory(&cat, src("tests/data/workflow/broken-file.yaml")), 0);
	cr_assert_eq(cat.nerrors, 0, "%s", cat.nerrors ? cat.errors[0] : "");
	cr_assert_eq(wf_catalog_load_inventory(&cat, src("tests/data/workflow/bad.yaml")), 0);
	cr_assert_eq(cat.nerrors, 5, "one error per bad object");
	snprintf(path, sizeof(path), "%s/fifo.yaml", tmpdir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(wf_catalog_load_inventory(&cat, path), -1);
	cr_assert_eq(cat.nerrors, 5, "%s", cat.errors[cat.nerrors - 1]);
	wf_catalog_free(&cat);
}

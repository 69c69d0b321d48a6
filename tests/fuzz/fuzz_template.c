/* Templates and Workflows (wf_catalog_load, then wf_catalog_link) from
 * one file. Every loaded Template has 1..WF_MAX_TASKS tasks of
 * 1..WF_MAX_ACTIONS actions whose numbers are in the ranges
 * doc/workflows.md gives, racktop's own actions have a known engine
 * action, a template is runnable exactly when no action is a container,
 * names are unique; Workflow objects have known states; every string is
 * clean; every error is clean and names the file and a line it has
 * (spec.data's lines counted in the file). */
#include "fuzz_check.h"
#include "fuzz_msg.h"
#include "workflow.h"

#include <string.h>

static void fuzz_tpl_action(const struct wf_action *a, bool defined)
{
	fuzz_check_text("action.name", a->name);
	fuzz_check_text("action.image", a->image);
	fuzz_check_text("action.message", a->message);
	fuzz_check_range("action.state", a->state, WF_PENDING, WF_TIMEOUT);
	if (!defined) {
		/* A Workflow's status: shown only. */
		fuzz_check_range("status action.timeout", a->timeout_s, 0, 30 * 86400);
		return;
	}
	FUZZ_ASSERT(a->name[0] && a->image[0], "an action without a name or image");
	FUZZ_ASSERT(a->state == WF_PENDING, "a template's action not PENDING");
	fuzz_check_range("action.kind", a->kind, WF_KIND_EXTERNAL, WF_KIND_PAUSE);
	FUZZ_ASSERT((a->kind == WF_KIND_EXTERNAL) == (strncmp(a->image, "racktop/", 8) != 0),
		    "an action's kind does not follow its image");
	fuzz_check_range("action.retries", a->retries, 0, 100);
	fuzz_check_range("action.retry_delay", a->retry_delay_s, 0, 3600);
	if (a->kind == WF_KIND_EXTERNAL)
		fuzz_check_range("action.timeout", a->timeout_s, 0, 7 * 86400);
	else
		fuzz_check_range("action.timeout", a->timeout_s, 1, 7 * 86400);
	switch (a->kind) {
	case WF_KIND_POWER:
		fuzz_check_range("power action", a->engine_action, ENGINE_ACTION_POWER_ON,
				 ENGINE_ACTION_POWER_RESET);
		break;
	case WF_KIND_BOOT:
		fuzz_check_range("boot device", a->engine_action, ENGINE_ACTION_BOOT_PXE,
				 ENGINE_ACTION_BOOT_BIOS);
		break;
	case WF_KIND_BMC_RESET:
		FUZZ_ASSERT(a->engine_action == ENGINE_ACTION_BMC_RESET, "bmc-reset's action");
		break;
	case WF_KIND_WAIT_POWER:
		fuzz_check_range("wait-power state", a->power_on, 0, 1);
		break;
	case WF_KIND_WAIT_HEALTHY:
		FUZZ_ASSERT(a->limit_c >= 1 && a->limit_c <= 200, "LIMIT_C out of 1..200");
		fuzz_check_range("GPUS", a->gpus, 0, 1024);
		break;
	case WF_KIND_PAUSE:
		fuzz_check_range("SECONDS", a->seconds, 0, 86400);
		break;
	default:
		break;
	}
}

static void fuzz_tpl_tasks(const struct wf_task *t, size_t n, bool defined)
{
	FUZZ_ASSERT(n <= WF_MAX_TASKS, "more tasks than allowed");
	FUZZ_ASSERT(n == 0 || t, "tasks counted but not there");
	for (size_t i = 0; i < n; i++) {
		fuzz_check_text("task.name", t[i].name);
		fuzz_check_text("task.worker", t[i].worker);
		fuzz_check_range("task.state", t[i].state, WF_PENDING, WF_TIMEOUT);
		FUZZ_ASSERT(t[i].nactions <= WF_MAX_ACTIONS, "more actions than allowed");
		FUZZ_ASSERT(t[i].nactions == 0 || t[i].actions, "actions counted but not there");
		if (defined) {
			FUZZ_ASSERT(t[i].name[0], "a task without a name");
			FUZZ_ASSERT(t[i].nactions > 0, "a task without actions");
			fuzz_check_range("task.timeout", t[i].timeout_s, 0, 7 * 86400);
		}
		for (size_t j = 0; j < t[i].nactions; j++)
			fuzz_tpl_action(&t[i].actions[j], defined);
	}
}

static void fuzz_tpl_template(const struct wf_catalog *cat, size_t k, const char *path, int max_line)
{
	const struct wf_template *t = &cat->templates[k];
	bool external = false;

	FUZZ_ASSERT(t->name[0], "a template without a name");
	fuzz_check_text("template.name", t->name);
	fuzz_check_text("template.ns", t->ns);
	fuzz_check_text("template.not_runnable", t->not_runnable);
	fuzz_check_msg("template.source", t->source, path, max_line, true);
	fuzz_check_range("global_timeout", t->global_timeout_s, 0, 30 * 86400);
	FUZZ_ASSERT(t->ntasks >= 1, "a template without tasks");
	fuzz_tpl_tasks(t->tasks, t->ntasks, true);
	for (size_t i = 0; i < t->ntasks; i++)
		for (size_t j = 0; j < t->tasks[i].nactions; j++)
			external |= t->tasks[i].actions[j].kind == WF_KIND_EXTERNAL;
	FUZZ_ASSERT(t->runnable == !external, "runnable does not follow the actions");
	FUZZ_ASSERT(t->runnable || t->not_runnable[0], "not runnable, and not said why");
	FUZZ_ASSERT(wf_catalog_find(cat, t->name) == t, "a template is not found by its name");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("templates.yaml", data, size, 0600);
	int max_line = fuzz_msg_max_line(data, size);
	struct wf_catalog cat;

	memset(&cat, 0, sizeof cat);
	FUZZ_ASSERT(wf_catalog_load(&cat, path, false) == 0, "a readable file was not loaded");
	wf_catalog_link(&cat);
	FUZZ_ASSERT(cat.nerrors <= WF_MAX_ERRORS + 1, "errors are not bounded");
	for (size_t i = 0; i < cat.nerrors; i++) {
		size_t n = strlen(cat.errors[i]);
		bool file_level = n > 22 && !strcmp(cat.errors[i] + n - 22, " more errors not shown");

		fuzz_check_msg("template error", cat.errors[i], path, max_line, !file_level);
	}
	FUZZ_ASSERT(cat.ntemplates == 0 || cat.templates, "templates counted but not there");
	for (size_t i = 0; i < cat.ntemplates; i++)
		fuzz_tpl_template(&cat, i, path, max_line);
	FUZZ_ASSERT(cat.nobjects == 0 || cat.objects, "objects counted but not there");
	for (size_t i = 0; i < cat.nobjects; i++) {
		const struct wf_object *w = &cat.objects[i];
		const struct wf_template *t = wf_catalog_find(&cat, w->template_ref);

		FUZZ_ASSERT(w->name[0] && w->template_ref[0], "a Workflow without a name or template");
		fuzz_check_text("workflow.name", w->name);
		fuzz_check_text("workflow.ns", w->ns);
		fuzz_check_text("workflow.template", w->template_ref);
		fuzz_check_text("workflow.hardware", w->hardware_ref);
		fuzz_check_msg("workflow.source", w->source, path, max_line, true);
		fuzz_check_range("workflow.state", w->state, WF_PENDING, WF_TIMEOUT);
		fuzz_tpl_tasks(w->tasks, w->ntasks, false);
		/* Linked: a Workflow with no status.tasks shows its template's. */
		FUZZ_ASSERT(!t || w->tasks, "a Workflow not given its template's tasks");
	}
	wf_catalog_free(&cat);
	FUZZ_ASSERT(!cat.templates && !cat.objects && !cat.errors, "wf_catalog_free left something");
	return 0;
}

/* A Template's spec.data: version, name, global_timeout and tasks with
 * their actions, and racktop's action vocabulary (doc/workflows.md):
 * images racktop/power, racktop/boot, racktop/bmc-reset,
 * racktop/wait-power, racktop/wait-healthy and racktop/pause, their
 * parameters in the action's environment as Tinkerbell passes them to a
 * container. Any other image is a container for Tinkerbell's agent. */
#include "template_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct template_word {
	const char *word;
	int value;
};

/* Rufio's powerAction and oneTimeBootDeviceAction words. */
static const struct template_word template_power[] = {
	{ "on", ENGINE_ACTION_POWER_ON }, { "off", ENGINE_ACTION_POWER_OFF },
	{ "soft", ENGINE_ACTION_POWER_SOFT }, { "cycle", ENGINE_ACTION_POWER_CYCLE },
	{ "reset", ENGINE_ACTION_POWER_RESET }, { NULL, 0 },
};
/* cdrom: Redfish's Cd; the engine has no such override yet, so it is
 * refused with a message rather than silently changed. */
static const struct template_word template_boot[] = {
	{ "pxe", ENGINE_ACTION_BOOT_PXE }, { "disk", ENGINE_ACTION_BOOT_DISK },
	{ "bios", ENGINE_ACTION_BOOT_BIOS }, { NULL, 0 },
};

static const struct template_word template_images[] = {
	{ "power", WF_KIND_POWER }, { "boot", WF_KIND_BOOT }, { "bmc-reset", WF_KIND_BMC_RESET },
	{ "wait-power", WF_KIND_WAIT_POWER }, { "wait-healthy", WF_KIND_WAIT_HEALTHY },
	{ "pause", WF_KIND_PAUSE }, { NULL, 0 },
};

static int template_word(const struct template_word *w, const char *s, int *out)
{
	for (; w->word; w++) {
		if (!strcmp(w->word, s)) {
			*out = w->value;
			return 0;
		}
	}
	return -1;
}

/* Default limits per attempt: a BMC request, a boot, a health check. */
static int template_default_timeout(int kind, int seconds)
{
	switch (kind) {
	case WF_KIND_WAIT_POWER: return 300;
	case WF_KIND_WAIT_HEALTHY: return 600;
	case WF_KIND_PAUSE: return seconds + 30;
	case WF_KIND_EXTERNAL: return 0;
	default: return 60;
	}
}

/* The image's kind: racktop/NAME[:tag]. -1 for a racktop/ image that is
 * no action (reported), else the kind. */
static int template_image_kind(struct template_obj *o, const struct yaml_doc_node *at,
			       const char *image)
{
	char name[64];
	const char *colon;
	int kind;

	if (strncmp(image, "racktop/", 8))
		return WF_KIND_EXTERNAL;
	text_copy(name, sizeof(name), image + 8);
	colon = strchr(name, ':');
	if (colon)
		name[colon - name] = '\0';
	if (template_word(template_images, name, &kind) < 0) {
		template_problem(o, at, 0, "image %s: not a racktop action (expected racktop/power, racktop/boot, racktop/bmc-reset, racktop/wait-power, racktop/wait-healthy or racktop/pause)",
				 image);
		return -1;
	}
	return kind;
}

/* environment: KEY: value. Values may be plain numbers or booleans in
 * YAML; they are strings to the container and to us. */
static int template_env(struct template_obj *o, const struct yaml_doc_node *env, const char *key,
			const char *path, char *out, size_t n)
{
	const struct yaml_doc_node *v = yaml_doc_get(env, key);

	out[0] = '\0';
	if (!v)
		return 0;
	if (v->type != YAML_DOC_SCALAR || v->too_long) {
		template_problem(o, v, 0, "%s.environment.%s: expected a short string, got %s", path,
				 key, yaml_doc_type_name(v));
		return -1;
	}
	text_clean(out, n, v->u.s);
	return 1;
}

static int template_env_int(struct template_obj *o, const struct yaml_doc_node *env,
			    const char *key, const char *path, long min, long max, int *out)
{
	char s[32], *end;
	long v;
	int r = template_env(o, env, key, path, s, sizeof(s));

	if (r <= 0)
		return r;
	v = strtol(s, &end, 10);
	if (end == s || *end || v < min || v > max) {
		template_problem(o, yaml_doc_get(env, key), 0,
				 "%s.environment.%s: '%s' is not a whole number from %ld to %ld", path,
				 key, s, min, max);
		return -1;
	}
	*out = (int)v;
	return 1;
}

/* The parameters of racktop's own actions. 0 or -1 (reported). */
static int template_params(struct template_obj *o, const struct yaml_doc_node *act,
			   const char *path, struct wf_action *a)
{
	const struct yaml_doc_node *env = yaml_doc_get(act, "environment");
	char s[64];

	if (env && env->type != YAML_DOC_MAP) {
		template_problem(o, env, 0, "%s.environment: expected a mapping, got %s", path,
				 yaml_doc_type_name(env));
		return -1;
	}
	switch (a->kind) {
	case WF_KIND_POWER:
		if (template_env(o, env, "ACTION", path, s, sizeof(s)) <= 0 ||
		    template_word(template_power, s, &a->engine_action) < 0) {
			if (!o->bad)
				template_problem(o, env ? env : act, 0, "%s: racktop/power needs environment ACTION: on, off, soft, cycle or reset (got '%s')",
						 path, s);
			return -1;
		}
		break;
	case WF_KIND_BOOT:
		if (template_env(o, env, "DEVICE", path, s, sizeof(s)) <= 0 ||
		    template_word(template_boot, s, &a->engine_action) < 0) {
			if (!o->bad)
				template_problem(o, env ? env : act, 0, "%s: racktop/boot needs environment DEVICE: pxe, disk or bios (got '%s'%s)",
						 path, s, !strcmp(s, "cdrom") ? "; cdrom is not supported by racktop's engine yet" : "");
			return -1;
		}
		break;
	case WF_KIND_BMC_RESET:
		a->engine_action = ENGINE_ACTION_BMC_RESET;
		break;
	case WF_KIND_WAIT_POWER:
		if (template_env(o, env, "STATE", path, s, sizeof(s)) <= 0 ||
		    (strcmp(s, "on") && strcmp(s, "off"))) {
			if (!o->bad)
				template_problem(o, env ? env : act, 0, "%s: racktop/wait-power needs environment STATE: on or off (got '%s')",
						 path, s);
			return -1;
		}
		a->power_on = !strcmp(s, "on");
		break;
	case WF_KIND_WAIT_HEALTHY: {
		int limit = 85;

		if (template_env_int(o, env, "LIMIT_C", path, 1, 200, &limit) < 0 ||
		    template_env_int(o, env, "GPUS", path, 0, 1024, &a->gpus) < 0)
			return -1;
		a->limit_c = limit;
		break;
	}
	case WF_KIND_PAUSE:
		if (template_env_int(o, env, "SECONDS", path, 0, 86400, &a->seconds) <= 0) {
			if (!o->bad)
				template_problem(o, env ? env : act, 0, "%s: racktop/pause needs environment SECONDS (0 to 86400)",
						 path);
			return -1;
		}
		break;
	default:
		break;
	}
	/* Retries: Tinkerbell has none, so racktop reads its own key, or
	 * the environment for templates that must stay strictly Tinkerbell's. */
	if (template_int(o, act, "retries", "retries", 0, 100, &a->retries) < 0 ||
	    template_env_int(o, env, "RETRIES", path, 0, 100, &a->retries) < 0 ||
	    template_env_int(o, env, "RETRY_DELAY", path, 0, 3600, &a->retry_delay_s) < 0)
		return -1;
	return 0;
}

static int template_action(struct template_obj *o, const struct yaml_doc_node *act,
			   const char *path, struct wf_action *a)
{
	const struct yaml_doc_node *img;
	int t = 0;

	memset(a, 0, sizeof(*a));
	a->retry_delay_s = 2;
	if (act->type != YAML_DOC_MAP) {
		template_problem(o, act, 0, "%s: expected a mapping (name, image, ...), got %s", path,
				 yaml_doc_type_name(act));
		return -1;
	}
	if (template_string(o, act, "name", "name", a->name, sizeof(a->name)) <= 0 || !a->name[0]) {
		if (!o->bad)
			template_problem(o, act, 0, "%s.name missing", path);
		return -1;
	}
	img = yaml_doc_get(act, "image");
	if (template_string(o, act, "image", "image", a->image, sizeof(a->image)) <= 0 ||
	    !a->image[0]) {
		if (!o->bad)
			template_problem(o, act, 0, "%s (%s): image missing", path, a->name);
		return -1;
	}
	a->kind = template_image_kind(o, img, a->image);
	if (a->kind < 0 || template_params(o, act, path, a) < 0)
		return -1;
	a->timeout_s = template_default_timeout(a->kind, a->seconds);
	if (template_int(o, act, "timeout", "timeout", 1, 7 * 86400, &t) < 0)
		return -1;
	if (t)
		a->timeout_s = t;
	a->state = WF_PENDING;
	return 0;
}

static int template_task(struct template_obj *o, const struct yaml_doc_node *tn, size_t ti,
			 struct wf_task *t)
{
	const struct yaml_doc_node *acts;
	char path[96];

	snprintf(path, sizeof(path), "tasks[%zu]", ti);
	if (tn->type != YAML_DOC_MAP) {
		template_problem(o, tn, 0, "%s: expected a mapping (name, worker, actions), got %s",
				 path, yaml_doc_type_name(tn));
		return -1;
	}
	if (template_string(o, tn, "name", "name", t->name, sizeof(t->name)) <= 0 || !t->name[0]) {
		if (!o->bad)
			template_problem(o, tn, 0, "%s.name missing", path);
		return -1;
	}
	if (template_string(o, tn, "worker", "worker", t->worker, sizeof(t->worker)) < 0 ||
	    template_int(o, tn, "timeout", "timeout", 1, 7 * 86400, &t->timeout_s) < 0)
		return -1;
	acts = yaml_doc_get(tn, "actions");
	if (!acts || acts->type != YAML_DOC_SEQ || acts->n == 0) {
		template_problem(o, acts ? acts : tn, 0, "%s (%s): actions: expected a list of actions",
				 path, t->name);
		return -1;
	}
	if (acts->n > WF_MAX_ACTIONS) {
		template_problem(o, acts, 0, "%s: more than %d actions", path, WF_MAX_ACTIONS);
		return -1;
	}
	t->actions = calloc(acts->n, sizeof(*t->actions));
	if (!t->actions)
		return -1;
	for (size_t i = 0; i < acts->n; i++) {
		char ap[128];

		snprintf(ap, sizeof(ap), "%s.actions[%zu]", path, i);
		if (template_action(o, acts->u.kids[i], ap, &t->actions[i]) < 0)
			return -1;
		t->nactions++;
	}
	t->state = WF_PENDING;
	return 0;
}

struct template_data_ctx {
	struct template_obj *o;
	struct wf_template *t;
	bool seen;
	int rc;
};

static void template_data_doc(void *ctx, const struct yaml_doc_node *root)
{
	struct template_data_ctx *c = ctx;
	struct template_obj *o = c->o;
	struct wf_template *t = c->t;
	const struct yaml_doc_node *tasks;

	if (c->seen)
		return;
	c->seen = true;
	c->rc = -1;
	if (root->type != YAML_DOC_MAP) {
		template_problem(o, root, 0, "spec.data: expected a mapping (version, name, tasks), got %s",
				 yaml_doc_type_name(root));
		return;
	}
	if (template_int(o, root, "global_timeout", "global_timeout", 1, 30 * 86400,
			 &t->global_timeout_s) < 0)
		return;
	tasks = yaml_doc_get(root, "tasks");
	if (!tasks || tasks->type != YAML_DOC_SEQ || tasks->n == 0) {
		template_problem(o, tasks ? tasks : root, 0, "tasks: expected a list of tasks");
		return;
	}
	if (tasks->n > WF_MAX_TASKS) {
		template_problem(o, tasks, 0, "more than %d tasks", WF_MAX_TASKS);
		return;
	}
	t->tasks = calloc(tasks->n, sizeof(*t->tasks));
	if (!t->tasks)
		return;
	for (size_t i = 0; i < tasks->n; i++) {
		if (template_task(o, tasks->u.kids[i], i, &t->tasks[i]) < 0) {
			t->ntasks = i + 1;   /* free the half-read one too */
			return;
		}
	}
	t->ntasks = tasks->n;
	c->rc = 0;
}

static void template_data_error(void *ctx, int line, const char *msg)
{
	struct template_data_ctx *c = ctx;
	const char *at = strstr(msg, " at line ");
	char fixed[600];

	/* libyaml's "(... at line N)" counts inside spec.data too. */
	if (at) {
		snprintf(fixed, sizeof(fixed), "%.*s at line %d%s", (int)(at - msg), msg,
			 atoi(at + 9) + c->o->line_base, at + 9 + strspn(at + 9, "0123456789"));
		msg = fixed;
	}
	template_problem(c->o, NULL, c->o->line_base + line, "spec.data: %s", msg);
}

int template_data_parse(struct template_obj *o, const char *data, struct wf_template *t)
{
	struct template_data_ctx c = { .o = o, .t = t, .rc = -1 };
	struct yaml_doc_callbacks cb = {
		.document = template_data_doc, .error = template_data_error, .ctx = &c,
	};

	yaml_doc_parse((const unsigned char *)data, strlen(data), &cb);
	if (!c.seen && !o->bad)
		template_problem(o, NULL, o->line_base + 1, "spec.data: empty");
	if (c.rc < 0 || o->bad) {
		wf_tasks_free(t->tasks, t->ntasks);
		t->tasks = NULL;
		t->ntasks = 0;
		return -1;
	}
	t->runnable = true;
	for (size_t i = 0; i < t->ntasks && t->runnable; i++) {
		for (size_t j = 0; j < t->tasks[i].nactions; j++) {
			const struct wf_action *a = &t->tasks[i].actions[j];

			if (a->kind == WF_KIND_EXTERNAL) {
				t->runnable = false;
				snprintf(t->not_runnable, sizeof(t->not_runnable),
					 "action %.64s runs the container %.100s, which Tinkerbell's agent runs, not racktop",
					 a->name, a->image);
				break;
			}
		}
	}
	return 0;
}

int template_status_tasks(struct template_obj *o, const struct yaml_doc_node *tasks,
			  struct wf_object *w)
{
	if (tasks->type != YAML_DOC_SEQ || tasks->n > WF_MAX_TASKS) {
		template_problem(o, tasks, 0, "status.tasks: expected a list of at most %d tasks",
				 WF_MAX_TASKS);
		return -1;
	}
	w->tasks = calloc(tasks->n ? tasks->n : 1, sizeof(*w->tasks));
	if (!w->tasks)
		return -1;
	for (size_t i = 0; i < tasks->n; i++) {
		const struct yaml_doc_node *tn = tasks->u.kids[i], *acts;
		struct wf_task *t = &w->tasks[i];

		w->ntasks = i + 1;
		if (tn->type != YAML_DOC_MAP) {
			template_problem(o, tn, 0, "status.tasks[%zu]: expected a mapping", i);
			return -1;
		}
		template_string(o, tn, "name", "name", t->name, sizeof(t->name));
		template_string(o, tn, "worker", "worker", t->worker, sizeof(t->worker));
		acts = yaml_doc_get(tn, "actions");
		if (!acts)
			continue;
		if (acts->type != YAML_DOC_SEQ || acts->n > WF_MAX_ACTIONS) {
			template_problem(o, acts, 0, "status.tasks[%zu].actions: expected a list", i);
			return -1;
		}
		t->actions = calloc(acts->n ? acts->n : 1, sizeof(*t->actions));
		if (!t->actions)
			return -1;
		for (size_t j = 0; j < acts->n; j++) {
			const struct yaml_doc_node *an = acts->u.kids[j];
			struct wf_action *a = &t->actions[j];
			char st[64] = "";

			t->nactions = j + 1;
			if (an->type != YAML_DOC_MAP) {
				template_problem(o, an, 0, "status.tasks[%zu].actions[%zu]: expected a mapping", i, j);
				return -1;
			}
			template_string(o, an, "name", "name", a->name, sizeof(a->name));
			template_string(o, an, "image", "image", a->image, sizeof(a->image));
			template_string(o, an, "message", "message", a->message, sizeof(a->message));
			template_int(o, an, "timeout", "timeout", 0, 30 * 86400, &a->timeout_s);
			/* v1alpha1 writes "state"; older tink wrote "status". */
			if ((template_string(o, an, "state", "state", st, sizeof(st)) > 0 ||
			     template_string(o, an, "status", "status", st, sizeof(st)) > 0) &&
			    wf_state_parse(st, &a->state) < 0) {
				template_problem(o, an, 0, "status.tasks[%zu].actions[%zu]: '%s' is not a state (expected PENDING, RUNNING, SUCCESS, FAILED or TIMEOUT)",
						 i, j, st);
				return -1;
			}
			a->kind = strncmp(a->image, "racktop/", 8) ? WF_KIND_EXTERNAL : WF_KIND_PAUSE;
		}
		if (o->bad)
			return -1;
	}
	return 0;
}

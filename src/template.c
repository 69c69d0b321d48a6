/* Loading Templates and Workflows (tinkerbell.org/v1alpha1) from files
 * and directories, like the inventory: bounded reads, yaml_doc.c's tree
 * with line numbers, one error per bad object and the others still
 * load. A Template's tasks are in spec.data, a YAML string of its own:
 * template_data.c reads it. */
#include "buf.h"
#include "template_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "text.h"

#define TEMPLATE_API "tinkerbell.org/v1alpha1"

static void template_append(struct wf_catalog *cat, const char *msg)
{
	char clean[1024];
	char **n = realloc(cat->errors, (cat->nerrors + 1) * sizeof(*n));

	if (!n)
		return;
	cat->errors = n;
	text_clean(clean, sizeof(clean), msg);
	n[cat->nerrors] = strdup(clean);
	if (n[cat->nerrors])
		cat->nerrors++;
}

void template_error(struct template_loader *l, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (l->cat->nerrors >= WF_MAX_ERRORS) {
		l->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	template_append(l->cat, msg);
}

void template_problem(struct template_obj *o, const struct yaml_doc_node *at, int line,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at)
		line = at->line + o->line_base;
	if (o->name[0])
		template_error(o->l, "%s:%d: %s %s/%s: %s", o->l->file, line, o->kind, o->ns, o->name,
			       msg);
	else
		template_error(o->l, "%s:%d: %s: %s", o->l->file, line, o->kind, msg);
	o->bad = true;
}

int template_string(struct template_obj *o, const struct yaml_doc_node *map, const char *key,
		    const char *path, char *out, size_t n)
{
	const struct yaml_doc_node *v = yaml_doc_get(map, key);

	if (!v)
		return 0;
	if (v->type != YAML_DOC_SCALAR) {
		template_problem(o, v, 0, "%s: expected a string, got %s", path,
				 yaml_doc_type_name(v));
		return -1;
	}
	if (v->too_long) {
		template_problem(o, v, 0, "%s: longer than %d bytes", path, YAML_DOC_MAX_STRING);
		return -1;
	}
	text_clean(out, n, v->u.s);
	return 1;
}

int template_int(struct template_obj *o, const struct yaml_doc_node *map, const char *key,
		 const char *path, long min, long max, int *out)
{
	const struct yaml_doc_node *v = yaml_doc_get(map, key);
	long x;

	if (!v)
		return 0;
	if (yaml_doc_int(v, true, &x) < 0 || x < min || x > max) {
		template_problem(o, v, 0, "%s: expected a whole number from %ld to %ld", path, min,
				 max);
		return -1;
	}
	*out = (int)x;
	return 1;
}

/* metadata.name (required) and namespace. 0 or -1. */
static int template_metadata(struct template_obj *o, const struct yaml_doc_node *obj)
{
	const struct yaml_doc_node *md = yaml_doc_get(obj, "metadata");

	snprintf(o->ns, sizeof(o->ns), "default");
	if (!md || md->type != YAML_DOC_MAP) {
		template_problem(o, md ? md : obj, 0, "metadata: expected a mapping with a name");
		return -1;
	}
	if (template_string(o, md, "name", "metadata.name", o->name, sizeof(o->name)) <= 0 ||
	    !o->name[0]) {
		if (!o->bad)
			template_problem(o, md, 0, "metadata.name missing");
		return -1;
	}
	template_string(o, md, "namespace", "metadata.namespace", o->ns, sizeof(o->ns));
	return o->bad ? -1 : 0;
}

/* The file line where spec.data's own line 1 is: the next line for a
 * block scalar (data: |), the same line otherwise. */
static int template_data_base(const struct template_loader *l, int line)
{
	const unsigned char *p = l->buf, *end = l->buf + l->len, *eol;

	for (int i = 1; i < line && p < end; i++) {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
	if (!eol)
		eol = end;
	for (const unsigned char *q = eol; q > p; q--) {
		unsigned char c = q[-1];

		if (c == ' ' || c == '\t' || c == '\r' || c == '-' || c == '+' ||
		    (c >= '0' && c <= '9'))
			continue;
		return c == '|' || c == '>' ? line : line - 1;
	}
	return line - 1;
}

#define TEMPLATE_MAX_DATA (256u << 10)

/* spec.data past yaml_doc's string limit (cloud-init contents make big
 * templates): the file is read again for the scalar that starts at
 * LINE, up to TEMPLATE_MAX_DATA. NULL when it is not found or larger. */
static char *template_long_scalar(const struct template_loader *l, int line)
{
	yaml_parser_t p;
	yaml_event_t e;
	char *out = NULL;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return NULL;
	yaml_parser_set_input_string(&p, l->buf, l->len);
	while (!done && yaml_parser_parse(&p, &e)) {
		if (e.type == YAML_STREAM_END_EVENT)
			done = true;
		if (e.type == YAML_SCALAR_EVENT && (int)e.start_mark.line + 1 == line &&
		    e.data.scalar.length > YAML_DOC_MAX_STRING) {
			if (e.data.scalar.length <= TEMPLATE_MAX_DATA &&
			    !memchr(e.data.scalar.value, '\0', e.data.scalar.length))
				out = strndup((const char *)e.data.scalar.value, e.data.scalar.length);
			done = true;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	return out;
}

static void template_add(struct template_loader *l, struct wf_template *t)
{
	struct wf_catalog *cat = l->cat;
	struct wf_template *n;

	for (size_t i = 0; i < cat->ntemplates; i++) {
		if (!strcmp(cat->templates[i].name, t->name)) {
			/* The first wins; the shipped ones load first, so a
			 * site's own must have another name. */
			template_error(l, "%s: Template %s/%s: a Template named %s was already loaded from %s; this one is ignored",
				       t->source, t->ns, t->name, t->name, cat->templates[i].source);
			wf_tasks_free(t->tasks, t->ntasks);
			return;
		}
	}
	n = realloc(cat->templates, (cat->ntemplates + 1) * sizeof(*n));
	if (!n) {
		wf_tasks_free(t->tasks, t->ntasks);
		return;
	}
	cat->templates = n;
	n[cat->ntemplates++] = *t;
}

static void template_read(struct template_loader *l, const struct yaml_doc_node *obj)
{
	struct template_obj o = { .l = l, .kind = "Template" };
	struct wf_template t;
	const struct yaml_doc_node *spec, *data;

	memset(&t, 0, sizeof(t));
	if (template_metadata(&o, obj) < 0)
		return;
	snprintf(t.source, sizeof(t.source), "%s:%d", l->file, obj->line);
	spec = yaml_doc_get(obj, "spec");
	data = spec && spec->type == YAML_DOC_MAP ? yaml_doc_get(spec, "data") : NULL;
	if (!data) {
		template_problem(&o, spec ? spec : obj, 0, "spec.data missing (the template's YAML)");
		return;
	}
	if (data->type != YAML_DOC_SCALAR) {
		template_problem(&o, data, 0, "spec.data: expected a string holding YAML, got %s",
				 yaml_doc_type_name(data));
		return;
	}
	text_copy(t.ns, sizeof(t.ns), o.ns);
	o.line_base = template_data_base(l, data->line);
	if (data->too_long) {
		char *big = template_long_scalar(l, data->line);
		int rc;

		if (!big) {
			template_problem(&o, data, 0, "spec.data: longer than %u bytes",
					 TEMPLATE_MAX_DATA);
			return;
		}
		rc = template_data_parse(&o, big, &t);
		free(big);
		if (rc < 0)
			return;
	} else if (template_data_parse(&o, data->u.s, &t) < 0) {
		return;
	}
	/* The object's name is what a Workflow's templateRef names. */
	text_copy(t.name, sizeof(t.name), o.name);
	template_add(l, &t);
}

static void template_workflow_read(struct template_loader *l, const struct yaml_doc_node *obj)
{
	struct template_obj o = { .l = l, .kind = "Workflow" };
	struct wf_object w;
	const struct yaml_doc_node *spec, *status;
	char state[64];
	struct wf_object *n;

	memset(&w, 0, sizeof(w));
	if (template_metadata(&o, obj) < 0)
		return;
	text_copy(w.name, sizeof(w.name), o.name);
	text_copy(w.ns, sizeof(w.ns), o.ns);
	snprintf(w.source, sizeof(w.source), "%s:%d", l->file, obj->line);
	spec = yaml_doc_get(obj, "spec");
	if (!spec || spec->type != YAML_DOC_MAP) {
		template_problem(&o, spec ? spec : obj, 0, "spec: expected a mapping with templateRef and hardwareRef");
		return;
	}
	if (template_string(&o, spec, "templateRef", "spec.templateRef", w.template_ref,
			    sizeof(w.template_ref)) <= 0 || !w.template_ref[0]) {
		if (!o.bad)
			template_problem(&o, spec, 0, "spec.templateRef missing (the Template to run)");
		return;
	}
	if (template_string(&o, spec, "hardwareRef", "spec.hardwareRef", w.hardware_ref,
			    sizeof(w.hardware_ref)) < 0)
		return;
	status = yaml_doc_get(obj, "status");
	if (status && status->type == YAML_DOC_MAP) {
		if (template_string(&o, status, "state", "status.state", state, sizeof(state)) > 0 &&
		    wf_state_parse(state, &w.state) < 0) {
			template_problem(&o, yaml_doc_get(status, "state"), 0,
					 "status.state: '%s' is not a state (expected PENDING, RUNNING, SUCCESS, FAILED or TIMEOUT)",
					 state);
			return;
		}
		if (yaml_doc_get(status, "tasks") &&
		    template_status_tasks(&o, yaml_doc_get(status, "tasks"), &w) < 0) {
			wf_tasks_free(w.tasks, w.ntasks);
			return;
		}
	}
	n = realloc(l->cat->objects, (l->cat->nobjects + 1) * sizeof(*n));
	if (!n) {
		wf_tasks_free(w.tasks, w.ntasks);
		return;
	}
	l->cat->objects = n;
	n[l->cat->nobjects++] = w;
}

static void template_object(struct template_loader *l, const struct yaml_doc_node *obj, bool in_list)
{
	const struct yaml_doc_node *api = yaml_doc_get(obj, "apiVersion");
	const struct yaml_doc_node *kind = yaml_doc_get(obj, "kind");
	bool tpl, wf;

	if (!obj || obj->type != YAML_DOC_MAP || !kind || kind->type != YAML_DOC_SCALAR)
		return;
	tpl = !strcmp(kind->u.s, "Template");
	wf = !strcmp(kind->u.s, "Workflow");
	if (!in_list && !strcmp(kind->u.s + (strlen(kind->u.s) > 4 ? strlen(kind->u.s) - 4 : 0), "List")) {
		const struct yaml_doc_node *items = yaml_doc_get(obj, "items");

		for (size_t i = 0; items && items->type == YAML_DOC_SEQ && i < items->n; i++)
			template_object(l, items->u.kids[i], true);
		return;
	}
	if (!tpl && !wf)
		return;   /* Hardware, Machine, Secret...: the inventory's */
	if (!api || api->type != YAML_DOC_SCALAR || strcmp(api->u.s, TEMPLATE_API)) {
		char a[64];

		text_clean(a, sizeof(a), api && api->type == YAML_DOC_SCALAR ? api->u.s : "(none)");
		/* Another group's Template (not tinkerbell.org) is not ours. */
		if (api && api->type == YAML_DOC_SCALAR && strncmp(api->u.s, "tinkerbell.org/", 15))
			return;
		template_error(l, "%s:%d: %s: apiVersion %s is not supported (expected %s)", l->file,
			       obj->line, kind->u.s, a, TEMPLATE_API);
		return;
	}
	if (tpl)
		template_read(l, obj);
	else
		template_workflow_read(l, obj);
}

static void template_yaml_document(void *ctx, const struct yaml_doc_node *root)
{
	template_object(ctx, root, false);
}

static void template_yaml_error(void *ctx, int line, const char *msg)
{
	struct template_loader *l = ctx;

	if (!l->inventory)
		template_error(l, "%s:%d: %s", l->file, line, msg);
}

static int template_load_file(struct template_loader *l, const char *path)
{
	struct yaml_doc_callbacks cb = {
		.document = template_yaml_document,
		.error = template_yaml_error,
		.ctx = l,
	};
	const char *why;
	char *text;
	unsigned char *buf;
	size_t got = 0;
	/* Non-blocking and checked on the open file: -w FIFO is an error,
	 * not a hang (buf.h). */
	int fd = buf_open_file(AT_FDCWD, path, O_RDONLY, 0, 0, NULL, &why);

	if (fd < 0) {
		if (!l->inventory)
			template_error(l, "%s: %s", path, why);
		return -1;
	}
	why = buf_read_fd(fd, TEMPLATE_MAX_FILE, &text, &got);
	close(fd);
	if (why == buf_too_large) {
		if (!l->inventory)
			template_error(l, "%s: larger than %u MiB; not loaded", path,
				       TEMPLATE_MAX_FILE >> 20);
		return 0;
	}
	if (why) {
		if (!l->inventory)
			template_error(l, "%s: %s", path, why);
		return 0;
	}
	buf = (unsigned char *)text;
	l->file = path;
	l->buf = buf;
	l->len = got;
	yaml_doc_parse(buf, got, &cb);
	l->file = NULL;
	l->buf = NULL;
	/* An inventory file may hold Secrets. */
	explicit_bzero(buf, got);
	free(buf);
	return 0;
}

static bool template_is_yaml_name(const char *n)
{
	size_t len = strlen(n);

	if (n[0] == '.')
		return false;
	return (len > 5 && !strcmp(n + len - 5, ".yaml")) || (len > 4 && !strcmp(n + len - 4, ".yml"));
}

static int template_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int template_load_dir(struct template_loader *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		if (!l->inventory)
			template_error(l, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (!template_is_yaml_name(e->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));

			if (!nn)
				break;
			names = nn;
		}
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), template_cmp);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			template_load_file(l, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int template_catalog_load(struct wf_catalog *cat, const char *path, bool quiet_missing,
				 bool inventory)
{
	struct template_loader l = { .cat = cat, .inventory = inventory };
	struct stat st;
	int rc;

	if (stat(path, &st) < 0) {
		if (quiet_missing && errno == ENOENT)
			return 0;
		if (!inventory)
			template_error(&l, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = S_ISDIR(st.st_mode) ? template_load_dir(&l, path) : template_load_file(&l, path);
	if (l.dropped) {
		char msg[600];

		snprintf(msg, sizeof(msg), "%s: %zu more errors not shown", path, l.dropped);
		template_append(cat, msg);
	}
	return rc;
}

int wf_catalog_load(struct wf_catalog *cat, const char *path, bool quiet_missing)
{
	return template_catalog_load(cat, path, quiet_missing, false);
}

int wf_catalog_load_inventory(struct wf_catalog *cat, const char *path)
{
	return template_catalog_load(cat, path, true, true);
}

void wf_catalog_link(struct wf_catalog *cat)
{
	for (size_t i = 0; i < cat->nobjects; i++) {
		struct wf_object *w = &cat->objects[i];
		const struct wf_template *t = wf_catalog_find(cat, w->template_ref);

		if (w->tasks || !t)
			continue;
		w->tasks = wf_tasks_copy(t->tasks, t->ntasks);
		w->ntasks = w->tasks ? t->ntasks : 0;
	}
}

const struct wf_template *wf_catalog_find(const struct wf_catalog *cat, const char *name)
{
	for (size_t i = 0; name && i < cat->ntemplates; i++)
		if (!strcmp(cat->templates[i].name, name))
			return &cat->templates[i];
	return NULL;
}

void wf_catalog_free(struct wf_catalog *cat)
{
	for (size_t i = 0; i < cat->ntemplates; i++)
		wf_tasks_free(cat->templates[i].tasks, cat->templates[i].ntasks);
	free(cat->templates);
	for (size_t i = 0; i < cat->nobjects; i++)
		wf_tasks_free(cat->objects[i].tasks, cat->objects[i].ntasks);
	free(cat->objects);
	for (size_t i = 0; i < cat->nerrors; i++)
		free(cat->errors[i]);
	free(cat->errors);
	memset(cat, 0, sizeof(*cat));
}

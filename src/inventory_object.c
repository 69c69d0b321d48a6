/* Reading one object's fields: type-checked, bounded, cleaned, and every
 * problem reported as "file:line: Kind ns/name: field: what was wanted". */
#include "inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Reports a problem at AT's line (or LINE when AT is NULL). */
void inventory_object_problem(struct inventory_object *o, const struct yaml_doc_node *at, int line,
			      bool fatal, const char *fmt, ...)
{
	char msg[FLEET_ERR];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at)
		line = at->line;
	if (o->name[0])
		inventory_error(o->l, "%s:%d: %s %s/%s: %s", o->l->file, line, o->kind, o->ns, o->name,
				msg);
	else
		inventory_error(o->l, "%s:%d: %s: %s", o->l->file, line, o->kind, msg);
	if (fatal && !o->bad) {
		o->bad = true;
		text_copy(o->first, sizeof o->first, msg);
	}
}

/* A string field: 1 found (cleaned into OUT), 0 absent, -1 wrong type. */
int inventory_object_string(struct inventory_object *o, const struct yaml_doc_node *parent,
			    const char *key, const char *path, bool fatal, char *out, size_t n)
{
	const struct yaml_doc_node *v = yaml_doc_get(parent, key);

	if (!v)
		return 0;
	if (v->type != YAML_DOC_SCALAR) {
		inventory_object_problem(o, v, 0, fatal, "%s: expected a string, got %s", path,
					 yaml_doc_type_name(v));
		return -1;
	}
	if (v->too_long) {
		inventory_object_problem(o, v, 0, fatal, "%s: longer than %d bytes", path,
					 YAML_DOC_MAX_STRING);
		return -1;
	}
	text_clean(out, n, v->u.s);
	return 1;
}

/* A mapping field: the node, or NULL when absent or of the wrong type. */
const struct yaml_doc_node *inventory_object_map(struct inventory_object *o,
						 const struct yaml_doc_node *parent, const char *key,
						 const char *path, bool fatal)
{
	const struct yaml_doc_node *v = yaml_doc_get(parent, key);

	if (v && v->type != YAML_DOC_MAP) {
		inventory_object_problem(o, v, 0, fatal, "%s: expected a mapping, got %s", path,
					 yaml_doc_type_name(v));
		return NULL;
	}
	return v;
}

int inventory_object_bool(struct inventory_object *o, const struct yaml_doc_node *parent,
			  const char *key, const char *path, bool *out)
{
	const struct yaml_doc_node *v = yaml_doc_get(parent, key);

	if (!v)
		return 0;
	if (yaml_doc_bool(v, out) < 0) {
		inventory_object_problem(o, v, 0, true, "%s: expected true or false, got %s", path,
					 v->type == YAML_DOC_SCALAR ? "a string"
								    : yaml_doc_type_name(v));
		return -1;
	}
	return 1;
}

/* An integer in [MIN, MAX]; quoted digits accepted when QUOTED_OK. */
int inventory_object_int(struct inventory_object *o, const struct yaml_doc_node *parent, const char *key,
			 const char *path, bool quoted_ok, long min, long max, int *out)
{
	const struct yaml_doc_node *v = yaml_doc_get(parent, key);
	long x;

	if (!v)
		return 0;
	if (yaml_doc_int(v, quoted_ok, &x) < 0) {
		inventory_object_problem(o, v, 0, true, "%s: expected an integer, got %s", path,
					 v->type == YAML_DOC_SCALAR ? "a string"
								    : yaml_doc_type_name(v));
		return -1;
	}
	if (x < min || x > max) {
		inventory_object_problem(o, v, 0, true, "%s: %ld is out of range (%ld-%ld)", path, x,
					 min, max);
		return -1;
	}
	*out = (int)x;
	return 1;
}

/* Adds the object read into O to the loader, unless one of the same kind
 * and ns/name came first. Takes OBJ's heap fields either way. */
void inventory_object_add(struct inventory_object *o, struct inventory_obj *obj, int line)
{
	struct inventory_loader *l = o->l;
	char key[2 * INVENTORY_NAME_MAX + 2];
	char source[300];
	size_t first;
	int rc;

	snprintf(source, sizeof source, "%s:%d", l->file, line);
	snprintf(key, sizeof key, "%s/%s", o->ns, o->name);
	rc = inventory_map_put(&l->index[obj->kind], key, l->nobjs, &first);
	if (rc == 1) {
		inventory_error(l, "%s: duplicate %s %s, first at %s", source, o->kind, key,
				l->objs[first].source);
		inventory_obj_free(obj);
		return;
	}
	if (rc == 0 && l->nobjs == l->capobjs) {
		size_t cap = l->capobjs ? l->capobjs * 2 : 64;
		struct inventory_obj *n = realloc(l->objs, cap * sizeof *n);

		if (!n) {
			rc = -1;
		} else {
			l->objs = n;
			l->capobjs = cap;
		}
	}
	if (rc < 0) {
		inventory_error(l, "%s: out of memory", source);
		inventory_obj_free(obj);
		return;
	}
	obj->ns = strdup(o->ns);
	obj->name = strdup(o->name);
	obj->source = strdup(source);
	if (o->bad)
		obj->error = strdup(o->first);
	l->objs[l->nobjs++] = *obj;
}

/* metadata.name and metadata.namespace; 0, or -1 when unusable. */
int inventory_object_metadata(struct inventory_object *o, const struct yaml_doc_node *obj,
			      const struct yaml_doc_node **metadata)
{
	const struct yaml_doc_node *md = inventory_object_map(o, obj, "metadata", "metadata", true);
	char name[INVENTORY_NAME_MAX + 2];
	int rc;

	*metadata = md;
	if (!md) {
		if (!o->bad)
			inventory_object_problem(o, NULL, obj->line, true, "metadata.name missing");
		return -1;
	}
	rc = inventory_object_string(o, md, "name", "metadata.name", true, name, sizeof name);
	if (rc == 0 || (rc == 1 && !name[0]))
		inventory_object_problem(o, md, 0, true, "metadata.name missing");
	if (rc <= 0 || !name[0])
		return -1;
	if (strlen(name) > INVENTORY_NAME_MAX || strchr(name, '/')) {
		inventory_object_problem(o, md, 0, true, "metadata.name: not a valid name");
		return -1;
	}
	if (inventory_object_string(o, md, "namespace", "metadata.namespace", true, o->ns,
				    sizeof o->ns) <= 0 ||
	    !o->ns[0] || strchr(o->ns, '/'))
		strcpy(o->ns, "default");
	/* Problems from here on name the object. */
	strcpy(o->name, name);
	return 0;
}

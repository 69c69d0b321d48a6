/* Objects out of YAML documents: recognised by apiVersion and kind
 * (Hardware, Machine, Secret, and Lists of them); Hardware and Secret are
 * read here, Machine in inventory_machine.c. A bad object is kept with its
 * error so that the host it makes can show it. */
#include "inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define GROUP_TINK "tinkerbell.org"
#define GROUP_BMC "bmc.tinkerbell.org"

static void inventory_parse_hardware(struct inventory_object *o, const struct yaml_doc_node *obj)
{
	struct inventory_obj hw = { .kind = INVENTORY_HARDWARE };
	const struct yaml_doc_node *md, *spec, *ref;
	char kind[FLEET_STR], group[FLEET_STR], name[INVENTORY_NAME_MAX + 2];
	int rc;

	if (inventory_object_metadata(o, obj, &md) < 0)
		return;
	spec = inventory_object_map(o, obj, "spec", "spec", true);
	ref = inventory_object_map(o, spec, "bmcRef", "spec.bmcRef", true);
	if (ref) {
		if (inventory_object_string(o, ref, "kind", "spec.bmcRef.kind", true, kind,
					    sizeof kind) == 0)
			inventory_object_problem(o, ref, 0, true, "spec.bmcRef.kind missing");
		else if (!o->bad && strcmp(kind, "Machine"))
			inventory_object_problem(o, yaml_doc_get(ref, "kind"), 0, true,
						 "spec.bmcRef.kind: expected Machine, got %.64s", kind);
		if (inventory_object_string(o, ref, "apiGroup", "spec.bmcRef.apiGroup", true, group,
					    sizeof group) == 1 &&
		    strcmp(group, GROUP_BMC))
			inventory_object_problem(
				o, yaml_doc_get(ref, "apiGroup"), 0, true,
				"spec.bmcRef.apiGroup: expected " GROUP_BMC ", got %.64s", group);
		rc = inventory_object_string(o, ref, "name", "spec.bmcRef.name", true, name,
					     sizeof name);
		if (rc == 0 || (rc == 1 && !name[0]))
			inventory_object_problem(o, ref, 0, true, "spec.bmcRef.name missing");
		else if (rc == 1)
			hw.ref_name = strdup(name);
	}
	inventory_object_add(o, &hw, obj->line);
}

static void inventory_parse_secret(struct inventory_object *o, const struct yaml_doc_node *obj)
{
	static const char *const fields[] = { "username", "password" };
	struct inventory_obj s = { .kind = INVENTORY_SECRET };
	const struct yaml_doc_node *md, *data, *sdata, *v;
	char path[32];
	int i;

	if (inventory_object_metadata(o, obj, &md) < 0)
		return;
	data = inventory_object_map(o, obj, "data", "data", true);
	sdata = inventory_object_map(o, obj, "stringData", "stringData", true);
	for (i = 0; i < 2; i++) {
		char **dst = i == 0 ? &s.username : &s.password;
		char *val = NULL;
		size_t len = 0;

		/* stringData wins over data, as the API server merges them. */
		v = yaml_doc_get(sdata, fields[i]);
		snprintf(path, sizeof path, "%s.%s", v ? "stringData" : "data", fields[i]);
		if (!v)
			v = yaml_doc_get(data, fields[i]);
		if (!v)
			continue;
		if (v->type != YAML_DOC_SCALAR || v->too_long) {
			inventory_object_problem(o, v, 0, true, "%s: expected a string, got %s", path,
						 v->too_long ? "a longer one" : yaml_doc_type_name(v));
			continue;
		}
		if (!strncmp(path, "stringData", 10)) {
			len = strlen(v->u.s);
			val = strdup(v->u.s);
		} else {
			val = inventory_base64_decode(v->u.s, &len);
			if (!val) {
				inventory_object_problem(o, v, 0, true, "%s: not valid base64", path);
				continue;
			}
		}
		if (val && strlen(val) != len) {
			inventory_object_problem(o, v, 0, true, "%s: holds a NUL byte", path);
			explicit_bzero(val, len);
			free(val);
			continue;
		}
		if (val && i == 0) {
			/* The user name may be shown; the password never is. */
			char clean[FLEET_STR * 2];

			text_clean(clean, sizeof clean, val);
			explicit_bzero(val, len);
			free(val);
			val = strdup(clean);
		}
		*dst = val;
	}
	if (!o->bad && !s.username)
		inventory_object_problem(o, obj, 0, true, "data.username missing");
	else if (!o->bad && !s.password)
		inventory_object_problem(o, obj, 0, true, "data.password missing");
	inventory_object_add(o, &s, obj->line);
}

/* Splits "group/version" (or "v1") and checks it against WANT_GROUP.
 * Returns 1 for the wanted version, 0 for another group, -1 for the
 * wanted group at an unsupported version (reported). */
static int inventory_parse_api(struct inventory_object *o, const struct yaml_doc_node *obj,
			       const char *api, const char *want_group, const char *want)
{
	size_t gl = strlen(want_group);

	if (!strcmp(api, want))
		return 1;
	if (!strncmp(api, want_group, gl) && (api[gl] == '/' || api[gl] == '\0')) {
		inventory_object_problem(o, obj, 0, true,
					 "apiVersion %.64s is not supported (expected %s)", api, want);
		return -1;
	}
	return 0;
}

static void inventory_parse_object(struct inventory_loader *l, const struct yaml_doc_node *obj,
				   bool in_list);

static void inventory_parse_list(struct inventory_loader *l, const struct yaml_doc_node *obj,
				 const char *kind)
{
	const struct yaml_doc_node *items = yaml_doc_get(obj, "items");
	size_t i;

	if (!items)
		return;
	if (items->type != YAML_DOC_SEQ) {
		inventory_error(l, "%s:%d: %.64s: items: expected a sequence, got %s", l->file,
				items->line, kind, yaml_doc_type_name(items));
		return;
	}
	for (i = 0; i < items->n; i++)
		inventory_parse_object(l, items->u.kids[i], true);
}

static void inventory_parse_object(struct inventory_loader *l, const struct yaml_doc_node *obj,
				   bool in_list)
{
	struct inventory_object o = { .l = l };
	char api[128], kind[128];
	size_t kl;

	if (obj->type == YAML_DOC_NULL)
		return;
	if (obj->type != YAML_DOC_MAP) {
		inventory_error(l, "%s:%d: expected a Kubernetes object (a mapping), got %s", l->file,
				obj->line, yaml_doc_type_name(obj));
		return;
	}
	o.kind = "object";
	if (inventory_object_string(&o, obj, "apiVersion", "apiVersion", true, api, sizeof api) <= 0 ||
	    inventory_object_string(&o, obj, "kind", "kind", true, kind, sizeof kind) <= 0) {
		if (!o.bad)
			inventory_error(l, "%s:%d: not a Kubernetes object (apiVersion or kind missing)",
					l->file, obj->line);
		return;
	}
	kl = strlen(kind);
	o.kind = kind;
	if (!strcmp(kind, "Hardware")) {
		if (inventory_parse_api(&o, obj, api, GROUP_TINK, GROUP_TINK "/v1alpha1") == 1)
			inventory_parse_hardware(&o, obj);
	} else if (!strcmp(kind, "Machine")) {
		if (inventory_parse_api(&o, obj, api, GROUP_BMC, GROUP_BMC "/v1alpha1") == 1)
			inventory_machine_read(&o, obj);
	} else if (!strcmp(kind, "Secret")) {
		if (!strcmp(api, "v1"))
			inventory_parse_secret(&o, obj);
	} else if (!in_list && kl >= 4 && !strcmp(kind + kl - 4, "List")) {
		/* kubectl get -o yaml: "List"; the API itself: "HardwareList". */
		inventory_parse_list(l, obj, kind);
	}
	/* Templates, Workflows, Jobs, ConfigMaps...: not the inventory's. */
}

void inventory_parse_document(struct inventory_loader *l, const struct yaml_doc_node *root)
{
	inventory_parse_object(l, root, false);
}

void inventory_obj_free(struct inventory_obj *o)
{
	free(o->ns);
	free(o->name);
	free(o->source);
	free(o->error);
	free(o->ref_name);
	free(o->bmc);
	free(o->secret_ns);
	free(o->secret_name);
	text_wipe_free(o->username);
	text_wipe_free(o->password);
	memset(o, 0, sizeof *o);
}

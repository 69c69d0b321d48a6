/* Inside the inventory loader: the objects read from the manifests before
 * they are linked into hosts. Not for use outside src/inventory*.c. */
#ifndef RACKTOP_INVENTORY_INT_H
#define RACKTOP_INVENTORY_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "yaml_doc.h"

#define INVENTORY_MAX_FILE (64u << 20)
#define INVENTORY_MAX_ERRORS 1000
#define INVENTORY_NAME_MAX 253     /* Kubernetes object names */

/* ns/name -> index, open addressing: lookups stay O(1) at fleet size. */
struct inventory_map {
	size_t cap, n;
	struct inventory_map_slot {
		char *key;
		size_t val;
	} *slots;
};

/* Inserts KEY -> VAL. Returns 0, 1 when KEY was there (*OLD set, nothing
 * changed), -1 when out of memory. */
int inventory_map_put(struct inventory_map *m, const char *key, size_t val, size_t *old);
/* 0 and *VAL set, or -1 when absent. */
int inventory_map_get(const struct inventory_map *m, const char *key, size_t *val);
void inventory_map_free(struct inventory_map *m);

enum inventory_kind {
	INVENTORY_HARDWARE = 0,
	INVENTORY_MACHINE,
	INVENTORY_SECRET,
};

struct inventory_obj {
	enum inventory_kind kind;
	char *ns, *name;           /* cleaned */
	char *source;              /* "file:line" */
	char *error;               /* NULL, or why it cannot be used (no file:line) */
	/* Hardware */
	char *ref_name;            /* spec.bmcRef.name; NULL: no bmcRef */
	/* Machine */
	struct inventory_host *bmc; /* the connection fields, no name or credential */
	char *secret_ns, *secret_name; /* authSecretRef; NULL: none */
	size_t used_by;            /* 1 + index of the Hardware naming it; 0: none */
	/* Secret */
	char *username, *password; /* heap, wiped when freed */
};

struct inventory_loader {
	struct inventory *inv;
	struct inventory_obj *objs;
	size_t nobjs, capobjs;
	struct inventory_map index[3]; /* by enum inventory_kind, "ns/name" */
	const char *file;          /* the file being read, as shown in messages */
	size_t dropped_errors;     /* past INVENTORY_MAX_ERRORS */
};

/* Appends "fmt..." to inv->errors (bounded). */
void inventory_error(struct inventory_loader *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The object being read, for messages. */
struct inventory_object {
	struct inventory_loader *l;
	const char *kind;
	char ns[INVENTORY_NAME_MAX + 1];
	char name[INVENTORY_NAME_MAX + 1];
	char first[FLEET_ERR];     /* the first problem, without file:line */
	bool bad;                  /* a problem that makes it unusable */
};

void inventory_object_problem(struct inventory_object *o, const struct yaml_doc_node *at, int line,
			      bool fatal, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Fields of PARENT: 1 found, 0 absent, -1 wrong type (reported). */
int inventory_object_string(struct inventory_object *o, const struct yaml_doc_node *parent,
			    const char *key, const char *path, bool fatal, char *out, size_t n);
int inventory_object_bool(struct inventory_object *o, const struct yaml_doc_node *parent,
			  const char *key, const char *path, bool *out);
int inventory_object_int(struct inventory_object *o, const struct yaml_doc_node *parent,
			 const char *key, const char *path, bool quoted_ok, long min, long max, int *out);
/* NULL when absent or not a mapping (reported). */
const struct yaml_doc_node *inventory_object_map(struct inventory_object *o,
						 const struct yaml_doc_node *parent, const char *key,
						 const char *path, bool fatal);
/* metadata.name and namespace into O; 0, or -1 when unusable. */
int inventory_object_metadata(struct inventory_object *o, const struct yaml_doc_node *obj,
			      const struct yaml_doc_node **metadata);
/* Adds OBJ (read into O) unless its kind and ns/name came first; takes
 * OBJ's heap fields either way. */
void inventory_object_add(struct inventory_object *o, struct inventory_obj *obj, int line);

void inventory_machine_read(struct inventory_object *o, const struct yaml_doc_node *obj);
/* The console annotations of a Machine (inventory_console.c), and
 * copying them from the Machine into its host. */
void inventory_console_annotations(struct inventory_object *o, const struct yaml_doc_node *ann,
				   struct inventory_host *b);
void inventory_console_copy(struct inventory_host *h, const struct inventory_host *b);

/* One YAML document of l->file: objects are added to l->objs. */
void inventory_parse_document(struct inventory_loader *l, const struct yaml_doc_node *root);
void inventory_obj_free(struct inventory_obj *o);

/* Builds inv->hosts from l->objs. 0 or -1 (out of memory). */
int inventory_link(struct inventory_loader *l);

/* Decodes standard base64 (padding optional, whitespace ignored) into a
 * new NUL-terminated heap buffer. Returns it and its length in *LEN, or
 * NULL if IN is not base64. */
char *inventory_base64_decode(const char *in, size_t *len);

#endif

/* Inside the Template/Workflow loader (template.c, template_data.c). */
#ifndef RACKTOP_TEMPLATE_INT_H
#define RACKTOP_TEMPLATE_INT_H

#include <stdarg.h>

#include "workflow.h"
#include "yaml_doc.h"

#define TEMPLATE_MAX_FILE (16u << 20)

struct template_loader {
	struct wf_catalog *cat;
	const char *file;          /* as shown in messages */
	const unsigned char *buf;  /* the file's text */
	size_t len;
	size_t dropped;            /* errors past WF_MAX_ERRORS */
	/* The inventory's file (-f): the inventory loader reports a file
	 * that cannot be read and YAML syntax errors; said once, not here. */
	bool inventory;
};

/* The object being read, for "file:line: Kind ns/name: what". */
struct template_obj {
	struct template_loader *l;
	const char *kind;
	char ns[WF_NAME], name[WF_NAME];
	int line_base;             /* spec.data: its lines are counted from here */
	bool bad;
};

void template_error(struct template_loader *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A problem at node AT (or LINE): marks O bad. */
void template_problem(struct template_obj *o, const struct yaml_doc_node *at, int line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 1 found (cleaned into OUT), 0 absent, -1 wrong type (reported). */
int template_string(struct template_obj *o, const struct yaml_doc_node *map, const char *key,
		    const char *path, char *out, size_t n);
/* 1 found, 0 absent, -1 wrong (reported). Quoted numbers are taken. */
int template_int(struct template_obj *o, const struct yaml_doc_node *map, const char *key,
		 const char *path, long min, long max, int *out);

/* Parses the YAML text DATA of spec.data (DATA_NODE, at LINE in the
 * file) into T's tasks. 0, or -1 (reported; T is then unusable). */
int template_data_parse(struct template_obj *o, const char *data, struct wf_template *t);
/* A Workflow's status.tasks. 0 or -1 (reported). */
int template_status_tasks(struct template_obj *o, const struct yaml_doc_node *tasks,
			  struct wf_object *w);

#endif

#include "yaml_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define CHUNK_NODES 1024
#define MAX_ANCHORS 1024

/* Nodes come from chunks so that one document frees in one sweep, even
 * when aliases make the tree a DAG. */
struct chunk {
	struct chunk *next;
	size_t used;
	struct yaml_doc_node nodes[CHUNK_NODES];
};

struct frame {
	struct yaml_doc_node *node;
	size_t cap;                /* allocated kids */
};

struct anchor {
	char *name;
	struct yaml_doc_node *node;
};

struct builder {
	const struct yaml_doc_callbacks *cb;
	struct chunk *chunks;
	size_t nnodes;
	struct frame stack[YAML_DOC_MAX_DEPTH];
	int depth;
	int skip;                  /* >0: inside a subtree dropped for depth */
	bool depth_reported;
	struct anchor anchors[MAX_ANCHORS];
	size_t nanchors;
	bool anchors_reported;
	struct yaml_doc_node *root;
	bool fatal;                /* node limit or memory: stop this stream */
};

static char empty_string[1];

static void builder_error(struct builder *b, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void builder_error(struct builder *b, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (b->cb->error)
		b->cb->error(b->cb->ctx, line, msg);
}

static void builder_reset(struct builder *b, bool keep_none)
{
	struct chunk *c, *next, *keep = NULL;
	size_t i;

	for (c = b->chunks; c; c = next) {
		next = c->next;
		for (i = 0; i < c->used; i++) {
			struct yaml_doc_node *n = &c->nodes[i];

			if (n->type == YAML_DOC_SCALAR && n->u.s != empty_string) {
				/* Secrets pass through here: leave no copy behind. */
				explicit_bzero(n->u.s, strlen(n->u.s));
				free(n->u.s);
			} else if (n->type == YAML_DOC_MAP || n->type == YAML_DOC_SEQ) {
				free(n->u.kids);
			}
		}
		/* One chunk is kept for the next document: most fit in it. */
		if (!keep && !keep_none) {
			keep = c;
			keep->used = 0;
			keep->next = NULL;
		} else {
			free(c);
		}
	}
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	b->chunks = keep;
	b->nnodes = 0;
	b->depth = 0;
	b->skip = 0;
	b->depth_reported = false;
	b->nanchors = 0;
	b->anchors_reported = false;
	b->root = NULL;
}

static struct yaml_doc_node *builder_alloc(struct builder *b, int line)
{
	struct yaml_doc_node *n;

	if (b->nnodes >= YAML_DOC_MAX_NODES) {
		builder_error(b, line, "document has more than %d nodes; the rest of the file is ignored",
			      YAML_DOC_MAX_NODES);
		b->fatal = true;
		return NULL;
	}
	if (!b->chunks || b->chunks->used == CHUNK_NODES) {
		struct chunk *c = malloc(sizeof *c);

		if (!c) {
			builder_error(b, line, "out of memory");
			b->fatal = true;
			return NULL;
		}
		c->used = 0;
		c->next = b->chunks;
		b->chunks = c;
	}
	n = &b->chunks->nodes[b->chunks->used++];
	memset(n, 0, sizeof *n);
	n->line = line;
	b->nnodes++;
	return n;
}

/* Hangs N under the open container (or makes it the root). */
static int builder_attach(struct builder *b, struct yaml_doc_node *n)
{
	struct frame *f;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct yaml_doc_node **k = realloc(f->node->u.kids, cap * sizeof *k);

		if (!k) {
			builder_error(b, n->line, "out of memory");
			b->fatal = true;
			return -1;
		}
		f->node->u.kids = k;
		f->cap = cap;
	}
	/* While building, n counts kids; a mapping's is halved at its end. */
	f->node->u.kids[f->node->n++] = n;
	return 0;
}

static void builder_anchor(struct builder *b, const yaml_char_t *name, struct yaml_doc_node *n)
{
	if (!name)
		return;
	if (b->nanchors == MAX_ANCHORS) {
		if (!b->anchors_reported)
			builder_error(b, n->line, "more than %d anchors in one document", MAX_ANCHORS);
		b->anchors_reported = true;
		return;
	}
	b->anchors[b->nanchors].name = strdup((const char *)name);
	if (!b->anchors[b->nanchors].name)
		return;
	b->anchors[b->nanchors++].node = n;
}

static bool scalar_is_null(const yaml_event_t *e)
{
	const char *v = (const char *)e->data.scalar.value;

	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || e->data.scalar.tag)
		return false;
	return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static void builder_scalar(struct builder *b, const yaml_event_t *e, int line)
{
	struct yaml_doc_node *n = builder_alloc(b, line);
	const char *tag = (const char *)e->data.scalar.tag;

	if (!n)
		return;
	if (scalar_is_null(e)) {
		n->type = YAML_DOC_NULL;
	} else {
		n->type = YAML_DOC_SCALAR;
		n->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
			    (tag && !strcmp(tag, YAML_STR_TAG));
		if (e->data.scalar.length > YAML_DOC_MAX_STRING) {
			n->too_long = true;
			n->u.s = empty_string;
		} else {
			n->u.s = malloc(e->data.scalar.length + 1);
			if (!n->u.s) {
				/* Keep the node freeable as a plain null. */
				n->type = YAML_DOC_NULL;
				builder_error(b, line, "out of memory");
				b->fatal = true;
				return;
			}
			memcpy(n->u.s, e->data.scalar.value, e->data.scalar.length);
			n->u.s[e->data.scalar.length] = '\0';
		}
	}
	builder_anchor(b, e->data.scalar.anchor, n);
	builder_attach(b, n);
}

static void builder_alias(struct builder *b, const yaml_event_t *e, int line)
{
	const char *name = (const char *)e->data.alias.anchor;
	struct yaml_doc_node *n = NULL;
	size_t i;
	int d;

	for (i = b->nanchors; i-- > 0;) {
		if (!strcmp(b->anchors[i].name, name)) {
			n = b->anchors[i].node;
			break;
		}
	}
	if (!n) {
		builder_error(b, line, "alias *%.64s names no anchor", name);
	} else {
		for (d = 0; d < b->depth; d++) {
			if (b->stack[d].node == n) {
				/* A container holding itself would make a cycle. */
				builder_error(b, line, "alias *%.64s refers to a node that contains it", name);
				n = NULL;
				break;
			}
		}
	}
	if (!n) {
		n = builder_alloc(b, line);
		if (!n)
			return;
	}
	builder_attach(b, n);
}

static void builder_start(struct builder *b, const yaml_event_t *e, int line)
{
	bool map = e->type == YAML_MAPPING_START_EVENT;
	struct yaml_doc_node *n;

	if (b->skip > 0) {
		b->skip++;
		return;
	}
	if (b->depth == YAML_DOC_MAX_DEPTH) {
		if (!b->depth_reported)
			builder_error(b, line, "nesting deeper than %d levels; the deeper part is ignored",
				      YAML_DOC_MAX_DEPTH);
		b->depth_reported = true;
		b->skip = 1;
		/* A null stands in for the dropped subtree. */
		n = builder_alloc(b, line);
		if (n)
			builder_attach(b, n);
		return;
	}
	n = builder_alloc(b, line);
	if (!n)
		return;
	n->type = map ? YAML_DOC_MAP : YAML_DOC_SEQ;
	builder_anchor(b, map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor, n);
	if (builder_attach(b, n) < 0)
		return;
	b->stack[b->depth].node = n;
	b->stack[b->depth].cap = 0;
	b->depth++;
}

static void builder_end(struct builder *b)
{
	struct yaml_doc_node *n;

	if (b->skip > 0) {
		b->skip--;
		return;
	}
	if (b->depth == 0)
		return;
	n = b->stack[--b->depth].node;
	if (n->type == YAML_DOC_MAP)
		n->n /= 2;
}

static int line_of_offset(const unsigned char *buf, size_t len, size_t off)
{
	int line = 1;
	size_t i;

	for (i = 0; i < off && i < len; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

static void report_parser_error(struct builder *b, const yaml_parser_t *p,
				const unsigned char *buf, size_t len)
{
	const char *problem = p->problem ? p->problem : "unknown error";

	if (p->error == YAML_READER_ERROR) {
		builder_error(b, line_of_offset(buf, len, p->problem_offset),
			      "YAML encoding error: %s (at byte %zu)", problem, p->problem_offset);
	} else if (p->error == YAML_MEMORY_ERROR) {
		builder_error(b, (int)p->problem_mark.line + 1, "out of memory");
	} else if (p->context) {
		builder_error(b, (int)p->problem_mark.line + 1, "YAML syntax error: %s (%s at line %d)",
			      problem, p->context, (int)p->context_mark.line + 1);
	} else {
		builder_error(b, (int)p->problem_mark.line + 1, "YAML syntax error: %s", problem);
	}
}

int yaml_doc_parse(const unsigned char *buf, size_t len, const struct yaml_doc_callbacks *cb)
{
	struct builder *b;
	yaml_parser_t parser;
	yaml_event_t e;
	int rc = 0;
	bool done = false;

	b = calloc(1, sizeof *b);
	if (!b) {
		if (cb->error)
			cb->error(cb->ctx, 1, "out of memory");
		return -1;
	}
	b->cb = cb;
	if (!yaml_parser_initialize(&parser)) {
		builder_error(b, 1, "out of memory");
		free(b);
		return -1;
	}
	yaml_parser_set_input_string(&parser, buf, len);
	while (!done) {
		int line;

		if (!yaml_parser_parse(&parser, &e)) {
			report_parser_error(b, &parser, buf, len);
			rc = -1;
			break;
		}
		line = (int)e.start_mark.line + 1;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			builder_reset(b, false);
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (b->root && cb->document)
				cb->document(cb->ctx, b->root);
			builder_reset(b, false);
			break;
		case YAML_SCALAR_EVENT:
			if (b->skip == 0)
				builder_scalar(b, &e, line);
			break;
		case YAML_ALIAS_EVENT:
			if (b->skip == 0)
				builder_alias(b, &e, line);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			builder_start(b, &e, line);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			builder_end(b);
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (b->fatal) {
			rc = -1;
			break;
		}
	}
	builder_reset(b, true);
	yaml_parser_delete(&parser);
	free(b);
	return rc;
}

const struct yaml_doc_node *yaml_doc_get(const struct yaml_doc_node *map, const char *key)
{
	size_t i;

	if (!map || map->type != YAML_DOC_MAP)
		return NULL;
	/* The last of duplicate keys wins, as in most YAML loaders. */
	for (i = map->n; i-- > 0;) {
		const struct yaml_doc_node *k = map->u.kids[2 * i];

		if (k->type == YAML_DOC_SCALAR && !k->too_long && !strcmp(k->u.s, key)) {
			const struct yaml_doc_node *v = map->u.kids[2 * i + 1];

			return v->type == YAML_DOC_NULL ? NULL : v;
		}
	}
	return NULL;
}

const char *yaml_doc_type_name(const struct yaml_doc_node *n)
{
	if (!n)
		return "null";
	switch (n->type) {
	case YAML_DOC_SCALAR:
		return "a string";
	case YAML_DOC_MAP:
		return "a mapping";
	case YAML_DOC_SEQ:
		return "a sequence";
	default:
		return "null";
	}
}

int yaml_doc_bool(const struct yaml_doc_node *n, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	size_t i;

	if (!n || n->type != YAML_DOC_SCALAR || n->quoted || n->too_long)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!strcmp(n->u.s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->u.s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int yaml_doc_int(const struct yaml_doc_node *n, bool allow_quoted, long *out)
{
	const char *s;
	char *end;
	long v;

	if (!n || n->type != YAML_DOC_SCALAR || n->too_long || (n->quoted && !allow_quoted))
		return -1;
	s = n->u.s;
	if (!((*s >= '0' && *s <= '9') || ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

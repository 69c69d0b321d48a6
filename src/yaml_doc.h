/* A small YAML node tree with line numbers, built from libyaml's events.
 *
 * Untrusted input: scalars over a size limit are kept as markers without
 * their text, nesting past a depth limit is dropped (and reported), and a
 * document may hold at most so many nodes. Aliases point at the anchored
 * node (shared, never copied), so "billion laughs" costs nothing. Each
 * document is handed to a callback and freed as soon as it returns. */
#ifndef RACKTOP_YAML_DOC_H
#define RACKTOP_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#define YAML_DOC_MAX_STRING 4096
#define YAML_DOC_MAX_DEPTH 64
#define YAML_DOC_MAX_NODES 4000000

enum yaml_doc_type {
	YAML_DOC_NULL = 0,    /* empty, ~ or null */
	YAML_DOC_SCALAR,
	YAML_DOC_MAP,
	YAML_DOC_SEQ,
};

struct yaml_doc_node {
	unsigned char type;        /* enum yaml_doc_type */
	bool quoted;               /* scalar in quotes or tagged !!str: never a number or boolean */
	bool too_long;             /* scalar over YAML_DOC_MAX_STRING: text dropped */
	int line;                  /* 1-based */
	size_t n;                  /* SEQ: items; MAP: pairs (kids holds 2n: key, value) */
	union {
		char *s;           /* SCALAR: NUL-terminated ("" when too_long) */
		struct yaml_doc_node **kids;
	} u;
};

struct yaml_doc_callbacks {
	/* One whole document; ROOT is freed after the call. */
	void (*document)(void *ctx, const struct yaml_doc_node *root);
	/* A problem at LINE (1-based). */
	void (*error)(void *ctx, int line, const char *msg);
	void *ctx;
};

/* Parses BUF (LEN bytes, a whole stream of documents). Documents before a
 * syntax error are delivered; the rest of the stream is lost (libyaml
 * cannot resynchronise). Returns 0, or -1 after a syntax error. */
int yaml_doc_parse(const unsigned char *buf, size_t len, const struct yaml_doc_callbacks *cb);

/* The value under KEY in MAP; NULL when MAP is not a mapping, the key is
 * absent or its value is null. */
const struct yaml_doc_node *yaml_doc_get(const struct yaml_doc_node *map, const char *key);
/* "a string", "a mapping", "a sequence", "null" (for messages). */
const char *yaml_doc_type_name(const struct yaml_doc_node *n);
/* Plain scalars only: true/false (and True/TRUE/False/FALSE). 0 or -1. */
int yaml_doc_bool(const struct yaml_doc_node *n, bool *out);
/* Plain decimal integers (quoted ones too when ALLOW_QUOTED). 0 or -1. */
int yaml_doc_int(const struct yaml_doc_node *n, bool allow_quoted, long *out);

#endif

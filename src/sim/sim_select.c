/* $select as DSP0266 defines it: a comma-separated list of properties,
 * a nested one written with '/' (Status/Health), applied to the answer
 * after $expand (the spec's order: $skip, $top, $expand, $select), so
 * "Members/Status" selects inside each expanded member. An array takes
 * the same selection for each element. The annotations @odata.id,
 * @odata.type, @odata.context and @odata.etag stay in every object, as
 * if selected (and as OpenBMC's bmcweb keeps them). */
#include "sim.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SEL_MAX 32                /* properties in one $select */
#define SEL_DEPTH 8               /* segments in one property path */
#define SEL_SEG 64

struct sel_path {
	char seg[SEL_DEPTH][SEL_SEG];
	int n;
};

struct redfish_selection {
	struct sel_path p[SEL_MAX];
	int n;
};

static bool select_segment_ok(const char *s, size_t len)
{
	if (len == 0 || len >= SEL_SEG)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("#@_.", s[i]))
			return false;
	return true;
}

/* Parses SPEC into S; -1 when it is malformed or too big. */
static int select_parse(const char *spec, struct redfish_selection *s)
{
	const char *at = spec;

	s->n = 0;
	while (*at) {
		size_t plen = strcspn(at, ",");
		struct sel_path *p;
		const char *seg = at;

		if (s->n == SEL_MAX || plen == 0)
			return -1;
		p = &s->p[s->n++];
		p->n = 0;
		while (seg < at + plen) {
			size_t len = strcspn(seg, "/,");

			if (p->n == SEL_DEPTH || !select_segment_ok(seg, len))
				return -1;
			memcpy(p->seg[p->n], seg, len);
			p->seg[p->n++][len] = '\0';
			seg += len;
			if (*seg == '/') {
				seg++;
				if (seg == at + plen)
					return -1;   /* "Status/" */
			}
		}
		at += plen;
		if (*at == ',' && !*++at)
			return -1;           /* trailing comma */
	}
	return s->n ? 0 : -1;
}

static bool select_reserved(const char *key)
{
	return !strcmp(key, "@odata.id") || !strcmp(key, "@odata.type") ||
	       !strcmp(key, "@odata.context") || !strcmp(key, "@odata.etag");
}

/* Keeps in V what the paths in ACTIVE select, their segment DEPTH on. */
static void select_in(json_t *v, const struct redfish_selection *s, uint32_t active, int depth)
{
	json_t *e;
	size_t i;
	void *it;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			select_in(e, s, active, depth);
		return;
	}
	if (!json_is_object(v))
		return;
	it = json_object_iter(v);
	while (it) {
		const char *key = json_object_iter_key(it);
		uint32_t deeper = 0;
		bool whole = select_reserved(key);

		for (int k = 0; k < s->n && !whole; k++) {
			if (!(active & (1u << k)) || strcmp(s->p[k].seg[depth], key) != 0)
				continue;
			if (s->p[k].n == depth + 1)
				whole = true;
			else
				deeper |= 1u << k;
		}
		if (whole) {
			it = json_object_iter_next(v, it);
		} else if (deeper) {
			select_in(json_object_iter_value(it), s, deeper, depth + 1);
			it = json_object_iter_next(v, it);
		} else {
			/* jansson: the iterator after a deleted key is the next one */
			void *next = json_object_iter_next(v, it);
			char gone[SEL_SEG * 4];

			snprintf(gone, sizeof(gone), "%s", key);
			json_object_del(v, gone);
			it = next;
		}
	}
}

int redfish_select(json_t *res, const char *spec)
{
	struct redfish_selection s;

	if (select_parse(spec, &s) != 0)
		return -1;
	select_in(res, &s, s.n == 32 ? UINT32_MAX : (1u << s.n) - 1, 0);
	return 0;
}

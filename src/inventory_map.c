/* A string -> index hash for the loader's lookups (Machines, Secrets,
 * host names): 10,000 hosts must not cost 10,000^2 comparisons. */
#include "inventory_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t inventory_map_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

static struct inventory_map_slot *inventory_map_find(const struct inventory_map *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = inventory_map_hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
		if (!m->slots[i].key || !strcmp(m->slots[i].key, key))
			return &m->slots[i];
}

static int inventory_map_grow(struct inventory_map *m)
{
	struct inventory_map old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		*m = old;
		return -1;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*inventory_map_find(m, old.slots[i].key) = old.slots[i];
	free(old.slots);
	return 0;
}

int inventory_map_put(struct inventory_map *m, const char *key, size_t val, size_t *old)
{
	struct inventory_map_slot *s;

	/* Keep the load under one half so probes stay short. */
	if ((m->n + 1) * 2 > m->cap && inventory_map_grow(m) < 0)
		return -1;
	s = inventory_map_find(m, key);
	if (s->key) {
		*old = s->val;
		return 1;
	}
	s->key = strdup(key);
	if (!s->key)
		return -1;
	s->val = val;
	m->n++;
	return 0;
}

int inventory_map_get(const struct inventory_map *m, const char *key, size_t *val)
{
	const struct inventory_map_slot *s = inventory_map_find(m, key);

	if (!s || !s->key)
		return -1;
	*val = s->val;
	return 0;
}

void inventory_map_free(struct inventory_map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

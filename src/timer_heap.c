/* The engine's timers as a binary min-heap with a position index, so a
 * host's timer can be moved (an action asks for a poll now) without a
 * search. Ties go in no particular order. */
#include "timer_heap.h"

#include <stdlib.h>
#include <string.h>

int timer_heap_init(struct timer_heap *h, size_t nids)
{
	memset(h, 0, sizeof(*h));
	h->v = calloc(nids ? nids : 1, sizeof(*h->v));
	h->pos = calloc(nids ? nids : 1, sizeof(*h->pos));
	if (!h->v || !h->pos) {
		timer_heap_free(h);
		return -1;
	}
	h->nids = nids;
	return 0;
}

void timer_heap_free(struct timer_heap *h)
{
	free(h->v);
	free(h->pos);
	memset(h, 0, sizeof(*h));
}

static void timer_heap_place(struct timer_heap *h, size_t i, struct timer_heap_node x)
{
	h->v[i] = x;
	h->pos[x.id] = i + 1;
}

static void timer_heap_up(struct timer_heap *h, size_t i)
{
	struct timer_heap_node x = h->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h->v[parent].due <= x.due)
			break;
		timer_heap_place(h, i, h->v[parent]);
		i = parent;
	}
	timer_heap_place(h, i, x);
}

static void timer_heap_down(struct timer_heap *h, size_t i)
{
	struct timer_heap_node x = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].due < h->v[c].due)
			c++;
		if (x.due <= h->v[c].due)
			break;
		timer_heap_place(h, i, h->v[c]);
		i = c;
	}
	timer_heap_place(h, i, x);
}

void timer_heap_set(struct timer_heap *h, size_t id, double due)
{
	size_t i;

	if (id >= h->nids)
		return;
	if (!h->pos[id]) {
		i = h->n++;
		timer_heap_place(h, i, (struct timer_heap_node){ due, id });
		timer_heap_up(h, i);
		return;
	}
	i = h->pos[id] - 1;
	h->v[i].due = due;
	timer_heap_up(h, i);
	timer_heap_down(h, h->pos[id] - 1);
}

void timer_heap_remove(struct timer_heap *h, size_t id)
{
	size_t i;

	if (id >= h->nids || !h->pos[id])
		return;
	i = h->pos[id] - 1;
	h->pos[id] = 0;
	if (--h->n == i)
		return;
	/* The last node fills the hole, then finds its place either way. */
	struct timer_heap_node x = h->v[h->n];

	timer_heap_place(h, i, x);
	timer_heap_up(h, i);
	timer_heap_down(h, h->pos[x.id] - 1);
}

bool timer_heap_queued(const struct timer_heap *h, size_t id)
{
	return id < h->nids && h->pos[id] != 0;
}

bool timer_heap_peek(const struct timer_heap *h, size_t *id, double *due)
{
	if (h->n == 0)
		return false;
	if (id)
		*id = h->v[0].id;
	if (due)
		*due = h->v[0].due;
	return true;
}

bool timer_heap_pop_due(struct timer_heap *h, double now, size_t *id)
{
	if (h->n == 0 || h->v[0].due > now)
		return false;
	*id = h->v[0].id;
	timer_heap_remove(h, *id);
	return true;
}

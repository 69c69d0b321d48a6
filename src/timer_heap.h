/* A binary min-heap of timers keyed by a small integer id (a host's
 * index): the engine finds the next due poll in O(1) and moves or
 * removes one in O(log n), so 10,000 hosts cost no scan per event.
 * Each id is in the heap at most once; setting it again moves it. */
#ifndef RACKTOP_TIMER_HEAP_H
#define RACKTOP_TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>

struct timer_heap_node {
	double due;
	size_t id;
};

struct timer_heap {
	struct timer_heap_node *v;  /* the heap, v[0] due first */
	size_t n;
	size_t *pos;                /* pos[id]: index in v plus one, 0 not queued */
	size_t nids;
};

/* Room for ids 0 .. NIDS-1. 0, or -1 when out of memory. */
int timer_heap_init(struct timer_heap *h, size_t nids);
void timer_heap_free(struct timer_heap *h);
/* Queues ID for DUE, or moves it there if queued. */
void timer_heap_set(struct timer_heap *h, size_t id, double due);
void timer_heap_remove(struct timer_heap *h, size_t id);
bool timer_heap_queued(const struct timer_heap *h, size_t id);
/* The first due: false when empty. */
bool timer_heap_peek(const struct timer_heap *h, size_t *id, double *due);
/* Takes the first one if it is due at NOW: false when none is. */
bool timer_heap_pop_due(struct timer_heap *h, double now, size_t *id);

#endif

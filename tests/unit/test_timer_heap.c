/* The engine's timer heap against a plain array: the same answers for
 * random sets, moves and removals, and the heap order kept. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "timer_heap.h"

#define IDS 2000

static void check_order(const struct timer_heap *h)
{
	for (size_t i = 1; i < h->n; i++)
		cr_assert_leq(h->v[(i - 1) / 2].due, h->v[i].due, "heap order broken at %zu", i);
	for (size_t i = 0; i < h->n; i++)
		cr_assert_eq(h->pos[h->v[i].id], i + 1, "position index wrong for %zu", h->v[i].id);
}

Test(timer_heap, pops_in_due_order)
{
	struct timer_heap h;
	static const double due[] = { 5, 1, 4, 1.5, 9, 2, 6 };
	size_t id;
	double last = -1, d;

	cr_assert_eq(timer_heap_init(&h, 7), 0);
	cr_expect(!timer_heap_peek(&h, &id, &d), "empty");
	for (size_t i = 0; i < 7; i++)
		timer_heap_set(&h, i, due[i]);
	cr_assert(timer_heap_peek(&h, &id, &d));
	cr_expect_eq(id, 1);
	cr_expect_eq(d, 1);
	cr_expect(!timer_heap_pop_due(&h, 0.5, &id), "nothing is due at 0.5");
	for (int k = 0; k < 7; k++) {
		cr_assert(timer_heap_pop_due(&h, 100, &id));
		cr_expect_geq(due[id], last);
		cr_expect(!timer_heap_queued(&h, id));
		last = due[id];
	}
	cr_expect_eq(h.n, 0);
	timer_heap_set(&h, 99, 1);   /* out of range: ignored */
	cr_expect_eq(h.n, 0);
	timer_heap_free(&h);
}

Test(timer_heap, moves_and_removals_match_a_scan)
{
	struct timer_heap h;
	static double due[IDS];
	static bool queued[IDS];
	unsigned seed = 42;

	cr_assert_eq(timer_heap_init(&h, IDS), 0);
	for (int step = 0; step < 50000; step++) {
		size_t id = (size_t)rand_r(&seed) % IDS, got, want = IDS;
		int op = rand_r(&seed) % 10;
		double d, best = 1e300;

		if (op < 6) {
			due[id] = (double)(rand_r(&seed) % 1000) / 7.0;
			queued[id] = true;
			timer_heap_set(&h, id, due[id]);
		} else if (op < 8) {
			queued[id] = false;
			timer_heap_remove(&h, id);
		} else if (timer_heap_pop_due(&h, 60, &got)) {
			cr_assert(queued[got]);
			cr_assert_leq(due[got], 60);
			queued[got] = false;
		}
		for (size_t i = 0; i < IDS; i++)
			if (queued[i] && due[i] < best) {
				best = due[i];
				want = i;
			}
		if (want == IDS) {
			cr_assert(!timer_heap_peek(&h, &got, &d), "step %d: heap should be empty", step);
			continue;
		}
		cr_assert(timer_heap_peek(&h, &got, &d), "step %d: heap is empty", step);
		cr_assert_eq(d, best, "step %d: first due %g, want %g", step, d, best);
		if (step % 1000 == 0)
			check_order(&h);
	}
	check_order(&h);
	timer_heap_free(&h);
}

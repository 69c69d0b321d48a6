/* The worker pool: jobs run off the owner's thread, completions come
 * back only through workers_drain(), a stuck job holds one worker only,
 * and stopping never waits past its deadline. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "workers.h"

struct job {
	int sleep_ms;
	atomic_int *release;     /* when set, run() blocks until it is non-zero */
	pthread_t ran_on;
	atomic_int *finished;
	int *done_count;         /* owner thread only */
	enum workers_end end;
	bool free_in_done;
};

static atomic_int wakes;
static atomic_int orphans_done;  /* orphaned jobs whose done() has freed them */

static void wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

static void run(void *arg)
{
	struct job *j = arg;

	j->ran_on = pthread_self();
	if (j->sleep_ms)
		usleep((useconds_t)j->sleep_ms * 1000);
	while (j->release && !atomic_load(j->release))
		usleep(1000);
	if (j->finished)
		atomic_fetch_add(j->finished, 1);
}

static void done(void *arg, enum workers_end end)
{
	struct job *j = arg;

	j->end = end;
	if (j->done_count && end != WORKERS_ORPHANED)
		(*j->done_count)++;
	if (j->free_in_done || end == WORKERS_ORPHANED)
		free(j);
	if (end == WORKERS_ORPHANED)
		atomic_fetch_add(&orphans_done, 1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Drains until N completions, or 30 s on a very busy machine. */
static void drain_until(struct workers *w, int *count, int n)
{
	double end = now_s() + 30;

	while (*count < n && now_s() < end) {
		workers_drain(w);
		usleep(1000);
	}
}

Test(workers, jobs_run_on_workers_and_complete_on_drain)
{
	struct workers *w = workers_new(4, wake, NULL);
	struct job jobs[10] = { 0 };
	int count = 0;

	atomic_store(&wakes, 0);
	cr_assert_eq(workers_threads(w), 0, "no thread before the first job");
	for (int i = 0; i < 10; i++) {
		jobs[i].done_count = &count;
		jobs[i].sleep_ms = 5;
		cr_assert_eq(workers_submit(w, run, done, &jobs[i]), 0);
	}
	usleep(100 * 1000);
	cr_assert_eq(count, 0, "done() runs only in workers_drain()");
	drain_until(w, &count, 10);
	cr_assert_eq(count, 10);
	cr_assert_geq(atomic_load(&wakes), 1);
	cr_assert_leq(workers_threads(w), 4);
	cr_assert_eq(workers_pending(w), 0);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(jobs[i].end, WORKERS_DONE);
		cr_assert_not(pthread_equal(jobs[i].ran_on, pthread_self()));
	}
	workers_free(w, 1000);
}

Test(workers, a_stuck_job_holds_one_worker_only)
{
	struct workers *w = workers_new(2, wake, NULL);
	struct job *stuck = calloc(1, sizeof(*stuck));
	struct job quick[5] = { 0 };
	static atomic_int release, stuck_finished;
	int count = 0;
	double end;

	/* The stuck job runs until released, so "the others did not wait for
	 * it" is an order of events, not a time a busy machine could miss. */
	atomic_store(&release, 0);
	atomic_store(&stuck_finished, 0);
	stuck->release = &release;
	stuck->finished = &stuck_finished;
	cr_assert_eq(workers_submit(w, run, done, stuck), 0);
	usleep(20 * 1000);
	for (int i = 0; i < 5; i++) {
		quick[i].done_count = &count;
		cr_assert_eq(workers_submit(w, run, done, &quick[i]), 0);
	}
	drain_until(w, &count, 5);
	cr_assert_eq(count, 5);
	cr_assert_eq(atomic_load(&stuck_finished), 0, "the other jobs waited for the stuck one");
	/* Quitting does not wait for the stuck job: it is still running after. */
	workers_free(w, 200);
	cr_assert_eq(atomic_load(&stuck_finished), 0, "workers_free waited for the stuck job");
	/* Released, the orphaned job ends and frees itself (LeakSanitizer checks). */
	atomic_store(&orphans_done, 0);
	atomic_store(&release, 1);
	end = now_s() + 30;
	while (!atomic_load(&orphans_done) && now_s() < end)
		usleep(1000);
	cr_assert_eq(atomic_load(&stuck_finished), 1);
	cr_assert_eq(atomic_load(&orphans_done), 1);
	usleep(200 * 1000);   /* the last worker frees the pool after the job */
}

Test(workers, queued_jobs_are_cancelled_not_dropped)
{
	struct workers *w = workers_new(1, wake, NULL);
	struct job blocker = { .sleep_ms = 300 };
	struct job queued[3] = { 0 };
	int count = 0;

	blocker.done_count = &count;
	cr_assert_eq(workers_submit(w, run, done, &blocker), 0);
	usleep(50 * 1000);
	for (int i = 0; i < 3; i++) {
		queued[i].done_count = &count;
		cr_assert_eq(workers_submit(w, run, done, &queued[i]), 0);
	}
	workers_free(w, 2000);
	cr_assert_eq(count, 4, "every job's done() ran exactly once");
	cr_assert_eq(blocker.end, WORKERS_DONE);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(queued[i].end, WORKERS_CANCELLED);
}

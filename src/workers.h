/* A pool of threads for libraries that block (FreeIPMI), owned by the
 * engine. Jobs run on a worker; their completions run later on the
 * owner's thread, in workers_drain(), after WAKE told it to look (the
 * engine passes http_wakeup, which breaks its poll). A job that hangs
 * holds one worker until its library times out, nothing else.
 *
 * Threads start as jobs arrive, up to the pool's size, so a fleet with no
 * IPMI host costs no thread. */
#ifndef RACKTOP_WORKERS_H
#define RACKTOP_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

struct workers;

/* Runs on a worker thread: must touch only what ARG owns. */
typedef void (*workers_run_fn)(void *arg);
/* How a job ended, as its done() is told. */
enum workers_end {
	WORKERS_DONE = 0,      /* it ran; owner thread (workers_drain) */
	WORKERS_CANCELLED,     /* it never ran; owner thread (cancel or free) */
	WORKERS_ORPHANED,      /* it ran after the owner gave up on it: only
				* free ARG; called on the worker thread */
};
/* Called exactly once per job. */
typedef void (*workers_done_fn)(void *arg, enum workers_end end);
/* Called from a worker after a job finished; must be thread-safe. */
typedef void (*workers_wake_fn)(void *arg);

/* NTHREADS at most (at least 1). */
struct workers *workers_new(int nthreads, workers_wake_fn wake, void *wake_arg);
/* Queues a job: 0, or -1 (out of memory, or the pool is stopping). */
int workers_submit(struct workers *w, workers_run_fn run, workers_done_fn done, void *arg);
/* Runs done() of every finished job; returns how many. Owner thread. */
size_t workers_drain(struct workers *w);
/* Jobs queued, running or finished but not yet drained. */
size_t workers_pending(struct workers *w);
/* Threads started so far. */
int workers_threads(struct workers *w);
/* Takes back the jobs no worker has started: done(arg, CANCELLED) for
 * each, now, on the caller's thread. */
void workers_cancel_queued(struct workers *w);
/* Stops the pool: cancels queued jobs, waits up to WAIT_MS for running
 * ones (their done() runs here), then leaves the rest to finish on their
 * own (done(arg, ORPHANED) on their thread): quitting never waits for a
 * hung BMC's full timeout. */
void workers_free(struct workers *w, int wait_ms);

#endif

/* The worker pool (workers.h): one mutex, a FIFO of jobs to run and a
 * FIFO of finished jobs for the owner to drain. */
#include "workers.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct workers_job {
	workers_run_fn run;
	workers_done_fn done;
	void *arg;
	struct workers_job *next;
};

struct workers_fifo {
	struct workers_job *head, *tail;
};

struct workers {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* a job was queued, or stopping */
	pthread_cond_t finished;    /* a job finished (workers_free waits) */
	workers_wake_fn wake;
	void *wake_arg;
	int max, nthreads, idle, alive;
	size_t running;
	size_t queued;
	struct workers_fifo todo, done;
	bool stopping, orphaned;
	pthread_t *threads;
};

static void workers_push(struct workers_fifo *f, struct workers_job *j)
{
	j->next = NULL;
	if (f->tail)
		f->tail->next = j;
	else
		f->head = j;
	f->tail = j;
}

static struct workers_job *workers_take_all(struct workers_fifo *f)
{
	struct workers_job *j = f->head;

	f->head = f->tail = NULL;
	return j;
}

static void workers_destroy(struct workers *w)
{
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->finished);
	free(w->threads);
	free(w);
}

static void *workers_main(void *arg)
{
	struct workers *w = arg;
	bool last;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct workers_job *j;

		while (!w->todo.head && !w->stopping) {
			w->idle++;
			pthread_cond_wait(&w->work, &w->lock);
			w->idle--;
		}
		if (w->stopping)
			break;
		j = w->todo.head;
		w->todo.head = j->next;
		if (!w->todo.head)
			w->todo.tail = NULL;
		w->queued--;
		w->running++;
		pthread_mutex_unlock(&w->lock);
		j->run(j->arg);
		pthread_mutex_lock(&w->lock);
		w->running--;
		if (w->orphaned) {
			/* The owner is gone: nobody will drain this one. */
			pthread_mutex_unlock(&w->lock);
			j->done(j->arg, WORKERS_ORPHANED);
			free(j);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		workers_push(&w->done, j);
		pthread_cond_broadcast(&w->finished);
		if (w->wake)
			w->wake(w->wake_arg);
	}
	last = --w->alive == 0 && w->orphaned;
	pthread_mutex_unlock(&w->lock);
	if (last)
		workers_destroy(w);
	return NULL;
}

struct workers *workers_new(int nthreads, workers_wake_fn wake, void *wake_arg)
{
	struct workers *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->max = nthreads > 0 ? nthreads : 1;
	w->threads = calloc((size_t)w->max, sizeof(*w->threads));
	if (!w->threads) {
		free(w);
		return NULL;
	}
	w->wake = wake;
	w->wake_arg = wake_arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->finished, NULL);
	return w;
}

int workers_submit(struct workers *w, workers_run_fn run, workers_done_fn done, void *arg)
{
	struct workers_job *j = calloc(1, sizeof(*j));

	if (!j)
		return -1;
	j->run = run;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		free(j);
		return -1;
	}
	workers_push(&w->todo, j);
	w->queued++;
	/* One more thread only when every started one is busy. */
	if ((size_t)w->idle < w->queued && w->nthreads < w->max &&
	    pthread_create(&w->threads[w->nthreads], NULL, workers_main, w) == 0) {
		w->nthreads++;
		w->alive++;
	}
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

static size_t workers_finish(struct workers_job *j, enum workers_end end)
{
	size_t n = 0;

	while (j) {
		struct workers_job *next = j->next;

		j->done(j->arg, end);
		free(j);
		j = next;
		n++;
	}
	return n;
}

size_t workers_drain(struct workers *w)
{
	struct workers_job *j;

	pthread_mutex_lock(&w->lock);
	j = workers_take_all(&w->done);
	pthread_mutex_unlock(&w->lock);
	return workers_finish(j, WORKERS_DONE);
}

size_t workers_pending(struct workers *w)
{
	size_t n;

	pthread_mutex_lock(&w->lock);
	n = w->queued + w->running;
	for (struct workers_job *j = w->done.head; j; j = j->next)
		n++;
	pthread_mutex_unlock(&w->lock);
	return n;
}

int workers_threads(struct workers *w)
{
	int n;

	pthread_mutex_lock(&w->lock);
	n = w->nthreads;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void workers_cancel_queued(struct workers *w)
{
	struct workers_job *j;

	pthread_mutex_lock(&w->lock);
	j = workers_take_all(&w->todo);
	w->queued = 0;
	pthread_mutex_unlock(&w->lock);
	workers_finish(j, WORKERS_CANCELLED);
}

void workers_free(struct workers *w, int wait_ms)
{
	struct workers_job *finished;
	struct timespec until;
	bool gone;

	if (!w)
		return;
	workers_cancel_queued(w);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->work);
	while (w->running > 0 &&
	       pthread_cond_timedwait(&w->finished, &w->lock, &until) != ETIMEDOUT)
		;
	finished = workers_take_all(&w->done);
	gone = w->running == 0;
	if (!gone) {
		/* A hung BMC: leave its worker to time out on its own; the last
		 * thread out frees the pool, so W is not touched after this. */
		w->orphaned = true;
		for (int i = 0; i < w->nthreads; i++)
			pthread_detach(w->threads[i]);
	}
	pthread_mutex_unlock(&w->lock);
	workers_finish(finished, WORKERS_DONE);
	if (!gone)
		return;
	for (int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	workers_destroy(w);
}

/* Reconnect backoff for dropped consoles (console_retry.h). */
#include "console_retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

long long console_retry_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A factor in [0.8, 1.2): one seed per process is enough to spread the
 * consoles of one racktop and of several. */
static double console_retry_jitter(void)
{
	static unsigned seed;

	if (!seed)
		seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16) ^ 0x9e3779b9u;
	return 0.8 + 0.4 * ((double)rand_r(&seed) / ((double)RAND_MAX + 1.0));
}

long console_retry_schedule(struct console_retry *r, long long now_ms, const char *why)
{
	long delay;

	if (r->attempt == 0 || !r->why[0])
		snprintf(r->why, sizeof(r->why), "%s", why && *why ? why : "the session ended");
	if (r->next_s <= 0)
		r->next_s = CONSOLE_RETRY_FIRST_S;
	delay = (long)(r->next_s * 1000 * console_retry_jitter());
	if (delay > CONSOLE_RETRY_MAX_S * 1000L)
		delay = CONSOLE_RETRY_MAX_S * 1000L;
	r->attempt++;
	r->next_s = r->next_s * 2 > CONSOLE_RETRY_MAX_S ? CONSOLE_RETRY_MAX_S : r->next_s * 2;
	r->due_ms = now_ms + delay;
	if (r->due_ms == 0)
		r->due_ms = 1;
	return delay;
}

bool console_retry_due(struct console_retry *r, long long now_ms)
{
	if (!r->due_ms || now_ms < r->due_ms)
		return false;
	r->due_ms = 0;
	return true;
}

long console_retry_left_ms(const struct console_retry *r, long long now_ms)
{
	if (!r->due_ms)
		return -1;
	return r->due_ms > now_ms ? (long)(r->due_ms - now_ms) : 0;
}

void console_retry_reset(struct console_retry *r)
{
	r->attempt = 0;
	r->next_s = 0;
	r->due_ms = 0;
	r->why[0] = '\0';
}

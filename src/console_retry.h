/* When to reconnect a dropped console: exponential backoff (1, 2, 4 ...
 * seconds, capped at a minute) with jitter, so that a BMC that comes
 * back is not met by every console of the fleet in the same second.
 * Pure arithmetic on a caller's clock (milliseconds): no thread, no
 * timer of its own; the caller's poll() loop asks how long to sleep. */
#ifndef RACKTOP_CONSOLE_RETRY_H
#define RACKTOP_CONSOLE_RETRY_H

#include <stdbool.h>
#include <stddef.h>

#include "console.h"

#define CONSOLE_RETRY_FIRST_S 1
#define CONSOLE_RETRY_MAX_S 60

struct console_retry {
	int attempt;             /* attempts since the drop; 0: none (connected) */
	int next_s;              /* base delay of the next wait */
	long long due_ms;        /* the next attempt starts then; 0: none waiting */
	char why[CONSOLE_ERR];   /* why the session dropped first */
};

/* The session dropped (or an attempt failed) at NOW_MS: schedules the
 * next attempt and returns its delay in ms. WHY is kept from the first
 * drop of a run of attempts. */
long console_retry_schedule(struct console_retry *r, long long now_ms, const char *why);
/* True (and the wait cleared) when the attempt is due at NOW_MS. */
bool console_retry_due(struct console_retry *r, long long now_ms);
/* Ms until the attempt (0 when due), or -1 when none waits. */
long console_retry_left_ms(const struct console_retry *r, long long now_ms);
/* Connected again (or given up by the operator): back to the start. */
void console_retry_reset(struct console_retry *r);
/* Now, CLOCK_MONOTONIC, in ms. */
long long console_retry_now_ms(void);

#endif

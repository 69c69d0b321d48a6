/* Which hosts are in trouble, and how badly: the fleet view's health
 * sort (worst first) and its next-problem keys (] and [). */
#ifndef RACKTOP_UI_PROBLEM_H
#define RACKTOP_UI_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fleet.h"

/* The health sort's key, worst highest: a host that does not answer
 * (never did, or its readings are stale), then Critical, Warning, OK;
 * a host not yet polled is not known (0). */
enum problem_rank {
	PROBLEM_RANK_UNKNOWN = 0,
	PROBLEM_RANK_OK,
	PROBLEM_RANK_WARNING,
	PROBLEM_RANK_CRITICAL,
	PROBLEM_RANK_UNREACHABLE,
};

enum problem_rank problem_health_rank(const struct fleet_host *h);
/* Whether H has a problem worth going to: it does not answer, its health
 * or a GPU's is Warning or Critical, or its last action failed. */
bool problem_host(const struct fleet_host *h);
/* In a few words why (for the status line): "unreachable (refused)",
 * "critical", "GPU warning", "action failed". "" when none. */
void problem_why(const struct fleet_host *h, char *buf, size_t n);

#define PROBLEM_NONE SIZE_MAX
/* From row CURSOR, the next row (DIR > 0) or previous one (DIR < 0)
 * whose host has a problem, wrapping round; the cursor's own row is the
 * last one looked at. ROWS index HOSTS. PROBLEM_NONE when none has. */
size_t problem_step(const struct fleet_host *hosts, const size_t *rows, size_t nrows,
		    size_t cursor, int dir);
/* How many of the rows' hosts have a problem. */
size_t problem_count(const struct fleet_host *hosts, const size_t *rows, size_t nrows);

#endif

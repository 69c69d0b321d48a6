#include "problem.h"

#include <stdio.h>

/* The summary counts a host with an error as unreachable: so does this. */
static bool problem_unreachable(const struct fleet_host *h)
{
	return h->error[0] != '\0';
}

enum problem_rank problem_health_rank(const struct fleet_host *h)
{
	if (problem_unreachable(h))
		return PROBLEM_RANK_UNREACHABLE;
	if (!h->has_data)
		return PROBLEM_RANK_UNKNOWN;
	switch (h->data.health) {
	case FLEET_HEALTH_CRITICAL: return PROBLEM_RANK_CRITICAL;
	case FLEET_HEALTH_WARNING: return PROBLEM_RANK_WARNING;
	case FLEET_HEALTH_OK: return PROBLEM_RANK_OK;
	default: return PROBLEM_RANK_UNKNOWN;
	}
}

/* The worse of the host's health and its worst GPU's. */
static enum fleet_health problem_worst(const struct fleet_host *h)
{
	enum fleet_health g = h->has_data ? fleet_host_worst_gpu(h) : FLEET_HEALTH_UNKNOWN;
	enum fleet_health s = h->has_data ? h->data.health : FLEET_HEALTH_UNKNOWN;

	if (g != FLEET_HEALTH_WARNING && g != FLEET_HEALTH_CRITICAL)
		g = FLEET_HEALTH_UNKNOWN;
	if (s != FLEET_HEALTH_WARNING && s != FLEET_HEALTH_CRITICAL)
		s = FLEET_HEALTH_UNKNOWN;
	return g > s ? g : s;
}

bool problem_host(const struct fleet_host *h)
{
	if (h->gone)
		return false;
	return problem_unreachable(h) || problem_worst(h) != FLEET_HEALTH_UNKNOWN ||
	       h->action_state == FLEET_ACTION_FAILED;
}

void problem_why(const struct fleet_host *h, char *buf, size_t n)
{
	enum fleet_health w = problem_worst(h);
	bool gpu = h->has_data && w != h->data.health;
	const char *word = w == FLEET_HEALTH_CRITICAL ? "critical" : "warning";

	if (problem_unreachable(h))
		snprintf(buf, n, "%s (%s)", fleet_host_stale(h) ? "stale, unreachable" : "unreachable",
			 fleet_error_class(h->error));
	else if (w != FLEET_HEALTH_UNKNOWN)
		snprintf(buf, n, "%s%s", gpu ? "GPU " : "", word);
	else if (h->action_state == FLEET_ACTION_FAILED)
		snprintf(buf, n, "last action failed");
	else if (n)
		buf[0] = '\0';
}

size_t problem_step(const struct fleet_host *hosts, const size_t *rows, size_t nrows,
		    size_t cursor, int dir)
{
	if (nrows == 0)
		return PROBLEM_NONE;
	if (cursor >= nrows)
		cursor = nrows - 1;
	for (size_t k = 1; k <= nrows; k++) {
		size_t r = dir >= 0 ? (cursor + k) % nrows : (cursor + nrows - k % nrows) % nrows;

		if (problem_host(&hosts[rows[r]]))
			return r;
	}
	return PROBLEM_NONE;
}

size_t problem_count(const struct fleet_host *hosts, const size_t *rows, size_t nrows)
{
	size_t n = 0;

	for (size_t r = 0; r < nrows; r++)
		n += problem_host(&hosts[rows[r]]);
	return n;
}

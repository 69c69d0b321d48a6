/* Which hosts are in trouble (ui/problem.c): the health sort's order and
 * the fleet view's ] and [ keys. */
#include <criterion/criterion.h>
#include <string.h>

#include "problem.h"

static struct fleet_host hosts[6];

static void setup(void)
{
	memset(hosts, 0, sizeof(hosts));
	for (int i = 0; i < 6; i++) {
		hosts[i].has_data = true;
		hosts[i].data.health = FLEET_HEALTH_OK;
	}
	/* 1: never answered; 2: critical; 3: stale; 5: warning; 0, 4: OK */
	hosts[1].has_data = false;
	strcpy(hosts[1].error, "https://h/redfish/v1: connection refused");
	hosts[2].data.health = FLEET_HEALTH_CRITICAL;
	hosts[3].stale = true;
	strcpy(hosts[3].error, "no answer within 10 s");
	hosts[5].data.health = FLEET_HEALTH_WARNING;
}

TestSuite(problem, .init = setup);

Test(problem, health_rank_worst_first)
{
	/* Unreachable, whether it never answered or its readings are stale,
	 * before Critical (a never-answered host sorted last before). */
	cr_assert_eq(problem_health_rank(&hosts[1]), PROBLEM_RANK_UNREACHABLE);
	cr_assert_eq(problem_health_rank(&hosts[3]), PROBLEM_RANK_UNREACHABLE);
	cr_assert_eq(problem_health_rank(&hosts[2]), PROBLEM_RANK_CRITICAL);
	cr_assert_eq(problem_health_rank(&hosts[5]), PROBLEM_RANK_WARNING);
	cr_assert_eq(problem_health_rank(&hosts[0]), PROBLEM_RANK_OK);
	cr_assert_gt(PROBLEM_RANK_UNREACHABLE, PROBLEM_RANK_CRITICAL);
	cr_assert_gt(PROBLEM_RANK_CRITICAL, PROBLEM_RANK_WARNING);
	cr_assert_gt(PROBLEM_RANK_WARNING, PROBLEM_RANK_OK);
	hosts[0].has_data = false;   /* not polled yet: not known, last */
	cr_assert_eq(problem_health_rank(&hosts[0]), PROBLEM_RANK_UNKNOWN);
}

Test(problem, which_hosts)
{
	struct fleet_gpu g = { .health = FLEET_HEALTH_WARNING };

	cr_assert_not(problem_host(&hosts[0]));
	cr_assert(problem_host(&hosts[1]));
	cr_assert(problem_host(&hosts[2]));
	cr_assert(problem_host(&hosts[3]));
	cr_assert(problem_host(&hosts[5]));
	hosts[0].action_state = FLEET_ACTION_FAILED;
	cr_assert(problem_host(&hosts[0]));
	hosts[4].data.ngpus = 1;     /* host OK, a GPU Warning */
	hosts[4].data.gpus = &g;
	cr_assert(problem_host(&hosts[4]));

	char why[64];

	problem_why(&hosts[4], why, sizeof(why));
	cr_assert_str_eq(why, "GPU warning");
	problem_why(&hosts[1], why, sizeof(why));
	cr_assert_str_eq(why, "unreachable (refused)");
	problem_why(&hosts[0], why, sizeof(why));
	cr_assert_str_eq(why, "last action failed");
	hosts[4].data.gpus = NULL;
	hosts[4].data.ngpus = 0;
}

Test(problem, step_wraps_both_ways)
{
	size_t rows[6] = { 0, 1, 2, 3, 4, 5 };

	cr_assert_eq(problem_step(hosts, rows, 6, 0, 1), 1);
	cr_assert_eq(problem_step(hosts, rows, 6, 1, 1), 2);
	cr_assert_eq(problem_step(hosts, rows, 6, 3, 1), 5);
	cr_assert_eq(problem_step(hosts, rows, 6, 5, 1), 1, "wraps to the top");
	cr_assert_eq(problem_step(hosts, rows, 6, 5, -1), 3);
	cr_assert_eq(problem_step(hosts, rows, 6, 1, -1), 5, "wraps to the bottom");
	cr_assert_eq(problem_step(hosts, rows, 6, 0, -1), 5);
	cr_assert_eq(problem_count(hosts, rows, 6), 4);
}

Test(problem, step_none_and_one)
{
	size_t rows[2] = { 0, 4 };
	size_t one[3] = { 0, 2, 4 };

	cr_assert_eq(problem_step(hosts, rows, 2, 0, 1), PROBLEM_NONE);
	cr_assert_eq(problem_step(hosts, rows, 2, 1, -1), PROBLEM_NONE);
	cr_assert_eq(problem_step(hosts, rows, 0, 0, 1), PROBLEM_NONE);
	/* The only one, from itself: it stays there. */
	cr_assert_eq(problem_step(hosts, one, 3, 1, 1), 1);
	cr_assert_eq(problem_step(hosts, one, 3, 1, -1), 1);
}

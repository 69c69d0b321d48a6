/* batch_signal: the first signal asks the batch loops to stop, and
 * their wait returns at once, however long it was asked to sleep.
 * Criterion runs each test in a process of its own. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "batch_signal.h"
#include "fleet.h"

Test(batch_signal, nothing_caught_waits_and_returns_0)
{
	struct fleet *f = fleet_new();

	cr_assert_eq(batch_signal_install(), 0);
	cr_assert_eq(batch_signal_caught(), 0);
	cr_assert_eq(batch_signal_wait(f, 10), 0);
	fleet_free(f);
}

/* A real SIGTERM, through the handler: the wait that follows returns
 * it (a wait of a day would fail the test by its timeout). */
Test(batch_signal, a_signal_ends_the_wait, .timeout = 30)
{
	struct fleet *f = fleet_new();

	cr_assert_eq(batch_signal_install(), 0);
	cr_assert_eq(kill(getpid(), SIGTERM), 0);
	cr_assert_eq(batch_signal_caught(), SIGTERM);
	cr_assert_eq(batch_signal_wait(f, 24 * 3600 * 1000), SIGTERM);
	cr_assert_str_eq(batch_signal_name(SIGTERM), "SIGTERM");
	cr_assert_str_eq(batch_signal_name(SIGHUP), "SIGHUP");
	cr_assert_str_eq(batch_signal_name(SIGINT), "SIGINT");
	fleet_free(f);
}

/* A signal ignored when racktop started (nohup's SIGHUP) stays ignored. */
Test(batch_signal, an_ignored_signal_stays_ignored)
{
	struct sigaction sa;

	signal(SIGHUP, SIG_IGN);
	cr_assert_eq(batch_signal_install(), 0);
	cr_assert_eq(sigaction(SIGHUP, NULL, &sa), 0);
	cr_assert(sa.sa_handler == SIG_IGN);
	cr_assert_eq(sigaction(SIGINT, NULL, &sa), 0);
	cr_assert(sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL);
}

/* The second signal quits at once, with 130. */
Test(batch_signal, a_second_signal_exits_130, .exit_code = 130)
{
	cr_assert_eq(batch_signal_install(), 0);
	kill(getpid(), SIGINT);
	cr_assert_eq(batch_signal_caught(), SIGINT);
	kill(getpid(), SIGINT);
	cr_assert_fail("still running after the second signal");
}

/* harden_process(): no core dump unless asked for. Criterion runs each
 * test in a process of its own, so what one turns off stays there. */
#include <criterion/criterion.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "harden.h"

Test(harden, no_core_dump_by_default)
{
	struct rlimit rl;
	char err[200] = "";

	cr_assert_eq(harden_process(false, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0, "the process is still dumpable");
	cr_assert_eq(getrlimit(RLIMIT_CORE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 0, "soft RLIMIT_CORE %llu", (unsigned long long)rl.rlim_cur);
	cr_assert_eq(rl.rlim_max, 0, "hard RLIMIT_CORE %llu", (unsigned long long)rl.rlim_max);
}

/* --allow-core-dump: both stay as they were (for debugging a crash). */
Test(harden, allow_core_dump_changes_nothing)
{
	struct rlimit before, after;
	int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	char err[200] = "";

	cr_assert_eq(getrlimit(RLIMIT_CORE, &before), 0);
	cr_assert_eq(harden_process(true, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(getrlimit(RLIMIT_CORE, &after), 0);
	cr_assert_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), dumpable);
	cr_assert_eq(after.rlim_cur, before.rlim_cur);
	cr_assert_eq(after.rlim_max, before.rlim_max);
}

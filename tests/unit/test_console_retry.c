/* Reconnect backoff for dropped consoles: waits of 1, 2, 4 ... s within
 * 20% jitter, capped at 60 s, due exactly once, reset after a success. */
#include <criterion/criterion.h>
#include <string.h>

#include "console_retry.h"

Test(console_retry, backs_off_doubling_with_jitter_up_to_a_minute)
{
	struct console_retry r;
	long long now = 1000;
	long base = 1000;

	memset(&r, 0, sizeof(r));
	for (int i = 1; i <= 10; i++) {
		long d = console_retry_schedule(&r, now, "gone");

		cr_assert_eq(r.attempt, i);
		cr_assert_geq(d, base * 8 / 10, "attempt %d waits %ld ms, base %ld", i, d, base);
		cr_assert_leq(d, base * 12 / 10 > 60000 ? 60000 : base * 12 / 10,
			      "attempt %d waits %ld ms, base %ld", i, d, base);
		cr_assert_eq(console_retry_left_ms(&r, now), d);
		cr_assert(!console_retry_due(&r, now + d - 1), "due early");
		cr_assert(console_retry_due(&r, now + d), "not due on time");
		cr_assert(!console_retry_due(&r, now + d + 5), "due twice");
		cr_assert_eq(console_retry_left_ms(&r, now + d), -1);
		now += d;
		base = base * 2 > 60000 ? 60000 : base * 2;
	}
	cr_assert_str_eq(r.why, "gone", "the first reason is kept");
}

Test(console_retry, first_reason_kept_and_reset_starts_over)
{
	struct console_retry r;
	long d;

	memset(&r, 0, sizeof(r));
	console_retry_schedule(&r, 0, "session timeout");
	console_retry_schedule(&r, 5000, "connection refused");
	cr_assert_str_eq(r.why, "session timeout");
	cr_assert_eq(r.attempt, 2);
	console_retry_reset(&r);
	cr_assert_eq(r.attempt, 0);
	cr_assert_eq(console_retry_left_ms(&r, 0), -1);
	d = console_retry_schedule(&r, 0, "");
	cr_assert(d >= 800 && d <= 1200, "after a reset the wait is about 1 s again, not %ld", d);
	cr_assert_str_eq(r.why, "the session ended");
}

/* The status line's key hints (ui/hints.c): whole items drop from the
 * end to fit, but the help key's never does. */
#include <criterion/criterion.h>
#include <string.h>

#include "hints.h"

static const char fleet[] = "Enter host  / filter  Space mark  a action  W workflow  w workflows  "
			    "s/S sort  r refresh  ? help  q quit";

static const char *fit(const char *hints, const char *keep, int width)
{
	static char out[400];

	hints_fit(hints, keep, width, out, sizeof(out));
	return out;
}

Test(hints, wide_enough_is_unchanged)
{
	cr_assert_str_eq(fit(fleet, "? help", 200), fleet);
	cr_assert_str_eq(fit(fleet, "? help", (int)strlen(fleet)), fleet);
}

Test(hints, help_stays_when_items_drop)
{
	/* 80 columns less "host 1 of 10" on the right. */
	const char *s = fit(fleet, "? help", 65);

	cr_assert_str_eq(s, "Enter host  / filter  Space mark  a action  W workflow  ? help");
	cr_assert_leq(hints_width(s), 65);
	cr_assert_str_eq(fit(fleet, "? help", 40), "Enter host  / filter  Space mark  ? help");
	cr_assert_str_eq(fit(fleet, "? help", 18), "Enter host  ? help");
	cr_assert_str_eq(fit(fleet, "? help", 17), "? help");
	cr_assert_str_eq(fit(fleet, "? help", 6), "? help");
}

Test(hints, narrower_than_help_is_help_alone)
{
	cr_assert_str_eq(fit(fleet, "? help", 3), "? help");
	cr_assert_str_eq(fit(fleet, "? help", 0), "? help");
}

Test(hints, without_a_kept_item_the_last_ones_drop)
{
	cr_assert_str_eq(fit("Esc back  j/k scroll  Q quit", NULL, 20), "Esc back  j/k scroll");
	cr_assert_str_eq(fit("Esc back  j/k scroll  Q quit", NULL, 5), "");
	cr_assert_str_eq(fit("Esc back  j/k scroll  Q quit", "F1 help", 20), "Esc back  j/k scroll");
}

Test(hints, kept_item_anywhere)
{
	cr_assert_str_eq(fit("F1 help  j/k move  / up  ? down", "F1 help", 17), "F1 help  j/k move");
	cr_assert_str_eq(fit("a b  F1 help  j/k move", "F1 help", 12), "a b  F1 help");
	/* Only the whole item is the help's, not one that holds its text. */
	cr_assert_str_eq(fit("x ? help y  ? help", "? help", 8), "? help");
}

Test(hints, utf8_is_counted_in_characters)
{
	cr_assert_eq(hints_width("j/k ↑↓"), 6);
	cr_assert_str_eq(fit("↑↓ move  ? help", "? help", 15), "↑↓ move  ? help");
	cr_assert_str_eq(fit("↑↓ move  ? help", "? help", 14), "? help");
}

Test(hints, small_buffer_is_cut_cleanly)
{
	char out[8];

	hints_fit(fleet, "? help", 200, out, sizeof(out));
	cr_assert_lt(strlen(out), sizeof(out));
}

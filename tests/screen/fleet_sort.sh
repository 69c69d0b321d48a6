#!/bin/sh
# Finding trouble in the fleet view: s opens a column chooser (a key
# each, the current one marked; the current one again reverses); the
# health sort puts hosts that do not answer (never, or stale) first, then
# Critical, Warning, OK; a sort puts the cursor on the first row; ] and [
# go to the next and previous host with a problem, round the ends.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
FIXTURE=$(dirname "$RACKTOP")/tests/screen/ui_fixture
DATA=$RACKTOP_TESTDATA/ui/problems.json
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE not built" >&2; exit 1; }

# row N: the name on the fleet view's Nth row (the screen's line N+3).
row() { printf '%s\n' "$SCR_SCREEN" | sed -n "$(($1 + 3))p" | awk '{ print $1 }'; }

scr_start 120 40
scr_run "$FIXTURE --themes-dir $RACKTOP_SRCDIR/themes $DATA"
scr_wait_re '^node-08 '
scr_wait '[ "$(scr_alternate)" = 1 ]' "the alternate screen"

# The cursor at the bottom, then the chooser.
scr_keys G
scr_wait_for "host 8 of 8"
scr_keys s
scr_wait_for "Sort by"
scr_wait_re ' n +name +\(current\)'
for k in 'p +power' 'h +health' 'g +GPUs' 't +temperature' 'w +GPU power' 'l +last poll / error'; do
	scr_has_re " $k" || scr_fail "the chooser lacks '$k'"
done
scr_ok "s opens the column chooser, a key each, name marked current"

scr_keys h
scr_wait_for "sorted by health, natural order"
scr_wait_re 'HEALTH▼'
scr_wait_gone "Sort by"
order="$(row 1) $(row 2) $(row 3) $(row 4) $(row 5)"
[ "$order" = "node-03 node-07 node-05 node-02 node-01" ] ||
	scr_fail "health order (unreachable, stale, critical, warning, OK): $order"
scr_ok "health sort: unreachable and stale first, then critical, warning, OK"
scr_wait_for "host 1 of 8"
scr_ok "the sort put the cursor on the first row"

# The current column again reverses; S too; Enter picks the highlighted one.
scr_keys G s
scr_wait_re ' h +health +\(current\)'
scr_keys h
scr_wait_for "sorted by health, reversed"
scr_wait_re 'HEALTH▲'
scr_wait_for "host 1 of 8"
[ "$(row 1)" = node-01 ] || scr_fail "reversed health: OK first, got $(row 1)"
scr_keys S
scr_wait_for "sorted by health, natural order"
scr_keys s Down Down Enter
scr_wait_for "sorted by temperature, natural order"
scr_wait_re 'TEMP▼'
[ "$(row 1)" = node-08 ] || scr_fail "hottest first: got $(row 1)"
scr_keys s Escape
scr_wait_for "sort unchanged"
scr_wait_re 'TEMP▼'
scr_ok "the current column again reverses; Enter picks; Esc leaves it"

# ] and [ : by name, from node-01.
scr_keys s n
scr_wait_for "sorted by name, natural order"
scr_wait_for "host 1 of 8"
scr_keys ']'
scr_wait_for "node-02: warning (5 with a problem)"
scr_wait_for "host 2 of 8"
scr_keys ']'
scr_wait_for "node-03: unreachable (refused)"
scr_keys ']'
scr_wait_for "node-05: critical"
scr_keys ']'
scr_wait_for "node-06: last action failed"
scr_keys ']'
scr_wait_for "node-07: stale, unreachable (timeout)"
scr_wait_for "host 7 of 8"
scr_keys ']'
scr_wait_for "node-02: warning"
scr_wait_for "host 2 of 8"
scr_keys '['
scr_wait_for "node-07: stale"
scr_wait_for "host 7 of 8"
scr_ok "] and [ go round the hosts with a problem, saying why"

scr_keys /
scr_type 'node-0[148]'
scr_keys Enter
scr_wait_for "3 of 8 hosts"
scr_keys ']'
scr_wait_for "no problem in the hosts the filter shows"
scr_ok "no problem: says so"

# The help lists the keys.
scr_keys Escape '?'
scr_wait_for "sort: choose the column"
scr_wait_for "next host with a problem"
scr_keys Escape
scr_quit_and_check_terminal q

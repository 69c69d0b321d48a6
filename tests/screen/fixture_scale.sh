#!/bin/sh
# 10,000 hosts: moving, filtering and sorting stay quick, only visible
# rows are drawn, and the screen still sleeps at rest.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
FIXTURE=$(dirname "$RACKTOP")/tests/screen/ui_fixture
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE not built" >&2; exit 1; }
# How long each step takes is printed, never asserted (a busy machine is
# slow; tests/bench/screen_frame.sh measures it): this only bounds a hang.
SCR_TIMEOUT=60

scr_start 120 40
scr_run "$FIXTURE --themes-dir $RACKTOP_SRCDIR/themes --hosts 10000 -"
scr_wait_re 'Hosts 10000: 9314 on +582 off +104 unreachable +GPUs 80000:'
scr_wait_re '^gen-node-00001 +Off'
scr_ok "10,000 hosts loaded"

ms() { date +%s%3N; }
t0=$(ms)
scr_keys G
scr_wait_re '^gen-node-10000 '
scr_wait_for "host 10000 of 10000"
scr_keys PageUp
scr_wait_for "host 9964 of 10000"
scr_keys g
scr_wait_for "host 1 of 10000"
scr_ok "End, PgUp, Home ($(( $(ms) - t0 )) ms)"

t0=$(ms)
scr_keys /
scr_type 'gen-node-0999[0-9]'
scr_keys Enter
scr_wait_for "filter: /gen-node-0999[0-9]/  10 of 10000 hosts"
[ "$(scr_count '^gen-node-0999[0-9] ')" = 10 ] || scr_fail "filter rows"
scr_keys /
scr_keys C-u
scr_type '!power:on'
scr_keys Enter
# 582 off, and the 104 unreachable, whose power nobody knows now.
scr_wait_for "filter: /!power:on/  686 of 10000 hosts"
# As it is typed: the rows follow each key over 10,000 hosts.
scr_keys /
scr_keys C-u
scr_type 'gen-node-0999'
scr_wait '[ "$(scr_count "^gen-node-")" = 10 ]' "10 rows while typing"
scr_type '7'
scr_wait '[ "$(scr_count "^gen-node-")" = 1 ]' "1 row after one more key"
scr_keys Escape
scr_wait_for "filter: /!power:on/  686 of 10000 hosts"
scr_keys Escape
scr_wait_for "filter cleared"
scr_keys g
scr_wait_for "host 1 of 10000"
scr_ok "filter 10,000 rows ($(( $(ms) - t0 )) ms)"

t0=$(ms)
scr_keys s t
scr_wait_re 'TEMP▼'
# A sort puts the cursor on the first row (g is a no-op there).
scr_keys g
scr_wait_for "host 1 of 10000"
[ "$(printf '%s\n' "$SCR_SCREEN" | sed -n 4p | grep -o -E '[0-9]+°C')" = "89°C" ] ||
	scr_fail "hottest host not first"
scr_keys S g
scr_wait_re 'TEMP▲'
[ "$(printf '%s\n' "$SCR_SCREEN" | sed -n 4p | grep -o -E '[0-9]+°C')" = "49°C" ] ||
	scr_fail "coolest host not first after S"
scr_ok "sort 10,000 rows by temperature ($(( $(ms) - t0 )) ms)"

pid=$(scr_pid ui_fixture)
a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
sleep 3
b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
# CPU ticks, not wall time: a screen that redrew in a loop would burn
# all 300 of them; a sleeping one a few, however busy the machine.
[ $((b - a)) -le 60 ] || scr_fail "busy at rest with 10,000 hosts: $((b - a)) ticks in 3 s"
scr_ok "idle with 10,000 hosts: $((b - a)) clock ticks in 3 s"
scr_quit_and_check_terminal q

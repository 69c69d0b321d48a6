#!/bin/sh
# A slow BMC's first poll takes minutes: its row says the poll is running,
# for how long, how many requests it answered and the slowest answer,
# not a bare "waiting for first poll"; then it shows its readings.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

sim_start 2 --misbehave 1:slow --slow-delay 1
scr_start 140 40
scr_run "$(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On +OK'
scr_wait_re '^gpu-node-002 .*first poll: [0-9]+s, [0-9]+ requests, slowest 1\.[0-9] s'
scr_ok "the slow host's row shows its first poll moving"
scr_wait_re '^gpu-node-002 +On +OK +8 OK .*[0-9]+s ago'
scr_has_re 'first poll:' && scr_fail "the progress stayed after the first poll"
scr_ok "then its readings"
scr_quit_and_check_terminal q
scr_tmux kill-server

#!/bin/sh
# Automatic SOL reconnection (racktop/console-reconnect: true): the BMC
# (ipmi_sim) goes away under an open SOL console; the pane says the
# session dropped and counts down to each attempt, the attempts back off
# (1, 2, 4 ... s), and once the BMC is back the console reconnects by
# itself and typing reaches the host again. The timestamped log notes the
# drop, the attempts and the reconnection.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sol_bmc 'racktop/console-reconnect: "true"'

scr_start 120 40
scr_run "$(con_racktop --console solnode --timeout 3)"
scr_wait_re "solnode +SOL 127\\.0\\.0\\.1:$port +connected"
scr_keys Enter
scr_wait_for "gpu-node-$port login:"
scr_ok "SOL session established"

# The BMC goes away: the pane says so and counts down to attempt 1, then
# (the BMC still away) to attempt 2 with a longer wait.
sim_down
t0=$(date +%s)
SCR_TIMEOUT=120 scr_wait_re "SOL dropped: .*; reconnecting in [0-9]+s \\(attempt 1\\)"
echo "dropped after $(( $(date +%s) - t0 ))s"
scr_line "SOL dropped"
scr_has "DROPPED, reconnecting" || scr_fail "the pane header does not say the session dropped"
scr_ok "the pane says the SOL session dropped and when it reconnects"
SCR_TIMEOUT=120 scr_wait_re "reconnecting in [0-9]+s \\(attempt 2\\)"
# The waits as the log has them: about 1 s, then about 2 s (jitter 20%).
tlog=$CON_LOGS/solnode.tlog
wait_of() {
	sed -n "s/.*reconnecting in \\([0-9.]*\\)s (attempt $1).*/\\1/p" "$tlog" | head -n 1
}
w1=$(wait_of 1) w2=$(wait_of 2)
echo "waits: ${w1}s, ${w2}s"
awk -v a="$w1" -v b="$w2" 'BEGIN { exit !(a >= 0.8 && a <= 1.2 && b >= 1.6 && b <= 2.4) }' ||
	{ cat "$tlog" >&2; scr_fail "the waits (${w1}s, ${w2}s) do not back off from 1 s to 2 s"; }
scr_ok "attempt 1 failed; attempt 2 waits twice as long"

# Back: the console reconnects by itself and typing reaches the host.
sim_up
SCR_TIMEOUT=120 scr_wait_re "solnode +SOL 127\\.0\\.0\\.1:$port +connected"
scr_has "SOL dropped" && { scr_show; scr_fail "the drop note stayed after reconnecting"; }
con_sol_login
scr_type "echo recon-ok"
scr_keys Enter
scr_wait_re "^recon-ok *$"
scr_ok "reconnected by itself; typed input reaches the host again"

con_reconnect_logged "$tlog" SOL "[0-9]+"
scr_ok "the log notes the drop, the attempts and the reconnection with times"

# ^] r still reconnects by hand (here: the session is up, so it says so).
scr_keys C-]
scr_type r
scr_wait_for "the console is still connected"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

#!/bin/sh
# "done" means the host got there, not only that its BMC took the
# request: a power off the BMC accepted shows "accepted" while the host
# powers off (the summary counts it powering off, not pending), then
# "done" when a poll sees it Off; one whose state no poll sees within
# --action-wait (racktop.conf's action_wait) says "not reached". The
# audit log has each step.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

LOG=$SCR_TMP/audit.log
# log_count RESULT: audit lines with that result.
log_count() {
	if [ -f "$LOG" ]; then grep -c "\"result\":\"$1\"" "$LOG"; else echo 0; fi
}

# The sim's hosts take 5 s to power off.
sim_start 2 --power-delay 5
scr_start 120 40
scr_run "$(racktop_cmd) --audit-log $LOG --action-wait 60"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On '
scr_wait_re '^gpu-node-002 +On '
scr_keys g a f
scr_wait_for "y: yes"
scr_keys y
scr_wait_re '^gpu-node-001 .*off: accepted [0-9]+s ago, waiting for power Off'
scr_wait_re 'Hosts 2: 1 on +0 off +1 powering off +0 unreachable +GPUs'
scr_has 'pending' && scr_fail "a host powering off counted pending"
scr_has_re '^gpu-node-001 .*off: done' && scr_fail "done while powering off"
[ "$(log_count accepted)" = 1 ] || scr_fail "audit log: no accepted line: $(cat "$LOG")"
[ "$(log_count done)" = 0 ] || scr_fail "audit log: done while powering off: $(cat "$LOG")"
scr_ok "off: accepted while the host powers off; the summary says powering off"

scr_wait_re '^gpu-node-001 +Off .*off: done [0-9]+s ago'
scr_wait_re 'Hosts 2: 1 on +1 off +0 unreachable'
[ "$(log_count done)" = 1 ] || scr_fail "audit log: no done line: $(cat "$LOG")"
grep '"result":"done"' "$LOG" | grep -q 'power Off seen [0-9]*s after the BMC accepted it' ||
	scr_fail "the done line does not say what was seen: $(cat "$LOG")"
scr_ok "off: done once a poll sees it Off; the audit log says so"
scr_quit_and_check_terminal q
scr_tmux kill-server
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null

# Hosts that take 10 minutes: not reached after action_wait = 2
# (racktop.conf, as --action-wait 2).
sim_start 1 --power-delay 600
printf 'action_wait = 2\n' >"$SCR_TMP/racktop.conf"
scr_start 120 40
scr_run "$(racktop_cmd) --audit-log $LOG --config $SCR_TMP/racktop.conf"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On '
scr_keys g a s
scr_wait_for "y: yes"
scr_keys y
scr_wait_re '^gpu-node-001 .*soft: not reached: power Off not seen after 2 s'
scr_wait '[ "$(log_count "not reached")" = 1 ]' "a not reached line in the audit log"
grep '"result":"not reached"' "$LOG" | grep -q '(power is PoweringOff)' ||
	scr_fail "the not reached line does not say what the poll saw: $(cat "$LOG")"
scr_keys Enter
scr_wait_re 'Last action +soft: not reached: power Off not seen after 2 s \(power is PoweringOff\)'
scr_has_re 'soft: failed' && scr_fail "the host view calls not reached failed"
scr_keys Escape
scr_ok "soft: not reached after --action-wait, on the row, in the host view and in the audit log"
scr_quit_and_check_terminal q

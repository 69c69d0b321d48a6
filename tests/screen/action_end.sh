#!/bin/sh
# How an action ended shows on its host's row and in the host view,
# whatever the host's polls say: on a host whose BMC port is closed (it
# never answered a poll), the row says "on: failed: connection refused"
# (why, in few words) instead of the poll's error, and the host view's
# Last action line has the whole answer, wrapped rather than cut; on a
# host that answers, "done".
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

sim_start 2
# gpu-node-002's BMC port: one nobody listens on.
python3 - "$SCR_TMP/fleet.yaml" <<'PY' || scr_fail "could not rewrite the manifest"
import re, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
t = open(sys.argv[1]).read()
last = re.findall(r"port: (\d+)", t)[-1]
open(sys.argv[1], "w").write(t.replace("port: " + last, "port: %d" % port))
PY

LOG=$SCR_TMP/audit.log
scr_start 100 30
scr_run "$(racktop_cmd) --audit-log $LOG"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On +OK '
scr_wait_re '^gpu-node-002 +- +- +- +- +- +connection refused *$'
scr_ok "gpu-node-002 never answered a poll"

scr_keys G a o
scr_wait_for "on: sent to gpu-node-002"
scr_wait_re '^gpu-node-002 +- +- .* on: failed: connection refused *$'
grep -q '"hosts":\["gpu-node-002"\].*"result":"failed"' "$LOG" || scr_fail "the audit log lacks the failure"
scr_ok "the row says the action failed and why"

scr_keys Enter
scr_wait_re 'Name +gpu-node-002'
scr_wait_re '^ Last action +on: failed [0-9]+s ago: power On failed: login failed:'
# The whole answer, wrapped: the reason at its end is on screen.
scr_wait '[ -n "$(printf "%s\n" "$SCR_SCREEN" | sed -n "/^ Last action/,/^ *──/p" | grep "connection refused")" ]' \
	"the Last action lines to end with the reason"
scr_ok "the host view has the last action and its whole answer"
scr_keys Escape

# The same on a host that answers: done, then the poll's age again later.
scr_keys g a o
scr_wait_for "on: sent to gpu-node-001"
scr_wait_re '^gpu-node-001 +On +OK .* on: done [0-9]+s ago'
scr_keys Enter
scr_wait_re '^ Last action +on: done [0-9]+s ago'
scr_wait '[ -n "$(printf "%s\n" "$SCR_SCREEN" | sed -n "/^ Last action/,/^ *──/p" | grep "No Content")" ]' \
	"the Last action lines to hold the BMC's answer"
scr_ok "done shows on the row and in the host view"
scr_keys Escape
scr_quit_and_check_terminal q

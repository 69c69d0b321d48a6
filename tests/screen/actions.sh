#!/bin/sh
# Actions from the screen on racktop-sim: marking hosts (Space, M, U),
# the action menu, the typed confirmation (a wrong number cancels and
# says so; the right one runs, the rows show the result and the sim's
# power state agrees), y/n on one host, the host view's last action,
# the audit log behind it all, and --read-only refusing.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3 curl

LOG=$SCR_TMP/audit.log
sim_start 5 --power-delay 1
scr_start 120 40
scr_run "$(racktop_cmd) --audit-log $LOG"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-005 +On '
scr_wait_re '^gpu-node-001 +On '

# sim_power INDEX: the simulated host's PowerState, asked over Redfish.
sim_power() {
	python3 - "$SCR_TMP/fleet.yaml" "$SCR_TMP/ca.pem" "$1" <<'PY'
import base64, json, ssl, sys, urllib.request, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
pw = base64.b64decode([d for d in docs if d["kind"] == "Secret"][0]["data"]["password"]).decode()
m = [d for d in docs if d["kind"] == "Machine"][int(sys.argv[3])]
url = "https://127.0.0.1:%d/redfish/v1/Systems/DGX" % m["spec"]["connection"]["port"]
auth = "Basic " + base64.b64encode(("admin:" + pw).encode()).decode()
req = urllib.request.Request(url, headers={"Authorization": auth})
ctx = ssl.create_default_context(cafile=sys.argv[2])
print(json.load(urllib.request.urlopen(req, context=ctx, timeout=10))["PowerState"])
PY
}
# log_count RESULT: audit lines with that result.
log_count() {
	if [ -f "$LOG" ]; then grep -c "\"result\":\"$1\"" "$LOG"; else echo 0; fi
}

# --- marking --------------------------------------------------------------
scr_keys g Space Space
scr_wait_for "2 marked"
scr_wait_re '^\*gpu-node-001 +On '
scr_wait_re '^\*gpu-node-002 +On '
scr_has_re '^\*gpu-node-003' && scr_fail "gpu-node-003 is marked"
scr_ok "Space marks the host and moves down"
scr_keys k Space
scr_wait_re '^gpu-node-002 +On '
scr_wait_for "1 marked"
scr_ok "Space again unmarks"
scr_keys U
scr_wait_for "marks cleared"
[ "$(scr_count '^\*gpu-node')" = 0 ] || scr_fail "marks left after U"
scr_ok "U clears every mark"
scr_keys /
scr_type 'node-00[23]'
scr_keys Enter
scr_wait_for "filter: /node-00[23]/  2 of 5 hosts"
scr_keys M
scr_wait_for "2 marked (every host the filter shows)"
scr_keys Escape
scr_wait_for "filter cleared"
scr_wait_re '^\*gpu-node-002 '
scr_wait_re '^\*gpu-node-003 '
[ "$(scr_count '^\*gpu-node')" = 2 ] || scr_fail "M marked other rows"
scr_ok "M marks every host the filter shows"

# --- typed confirmation: a wrong number cancels ----------------------------
scr_keys a
scr_wait_for "Action on 2 hosts"
scr_wait_re 'f +off +power off'
scr_wait_re 'l +clear-log +clear the event log'
scr_keys f
scr_wait_for "Type 2 and Enter to confirm"
scr_type 3
scr_keys Enter
scr_wait_for "off: cancelled, you typed '3' but it was 2 hosts"
sleep 1.5
[ "$(sim_power 1)" = On ] && [ "$(sim_power 2)" = On ] || scr_fail "a cancelled off reached the sim"
[ "$(log_count cancelled)" = 1 ] || scr_fail "the audit log lacks the cancelled line"
[ "$(log_count requested)" = 0 ] || scr_fail "a cancelled action was requested"
scr_ok "a wrong count cancels, says so, and nothing reaches a BMC"

# --- the right number runs ---------------------------------------------------
scr_keys a f
scr_wait_for "Type 2 and Enter to confirm"
scr_type 2
scr_keys Enter
scr_wait_for "off: sent to 2 hosts"
scr_wait_re '^gpu-node-002 .*off: done [0-9]+s ago'
scr_wait_re '^gpu-node-003 .*off: done [0-9]+s ago'
scr_has_re '^gpu-node-001 .*off:' && scr_fail "an unmarked host shows the action"
scr_ok "the rows show off: done (the marks cleared)"
scr_wait_re '^gpu-node-002 +Off '
scr_wait_re '^gpu-node-003 +Off '
[ "$(sim_power 1)" = Off ] || scr_fail "sim host 2 is $(sim_power 1), not Off"
[ "$(sim_power 2)" = Off ] || scr_fail "sim host 3 is $(sim_power 2), not Off"
[ "$(sim_power 0)" = On ] || scr_fail "sim host 1 was touched"
scr_ok "the sim's hosts 2 and 3 are Off, host 1 is On"
[ "$(log_count requested)" = 1 ] && [ "$(log_count done)" = 2 ] ||
	scr_fail "audit log: $(cat "$LOG")"
scr_ok "the audit log has the request and both results"

# --- one host: y/n ---------------------------------------------------------
scr_keys U
scr_wait_for "marks cleared"
scr_keys g a c
scr_wait_for "power cycle (cycle) on gpu-node-001?"
scr_wait_for "y: yes"
scr_keys n
scr_wait_for "cycle: cancelled, not confirmed"
scr_keys a c
scr_wait_for "y: yes"
scr_keys y
scr_wait_for "cycle: sent to gpu-node-001"
scr_wait_re '^gpu-node-001 .*cycle: done [0-9]+s ago'
scr_ok "y/n on one host: n cancels, y runs"
# Power on (not destructive) on one host goes without a question.
scr_keys j a o
scr_wait_for "on: sent to gpu-node-002"
scr_wait_re '^gpu-node-002 .*on: done'
scr_ok "power on, one host, no question"

# --- the host view ---------------------------------------------------------
scr_keys Enter
# Done once a poll saw it On; the BMC's answer follows (the line wraps).
scr_wait_re 'Last action +on: done [0-9]+s ago \(power On seen [0-9]+s after the BMC accepted it'
scr_wait_re '\(https://127\.0\.0\.1:[0-9]+/redfish/v1/Systems/DGX/Actions/ComputerSystem\.Reset: HTTP 204'
scr_ok "the host view shows the last action and the BMC's answer"
scr_keys Escape
scr_wait_re 'Hosts 5: '
scr_quit_and_check_terminal q

# --- read-only -------------------------------------------------------------
scr_run "$(racktop_cmd) --audit-log $SCR_TMP/ro.log --read-only"
scr_wait_re '^gpu-node-001 +[A-Za-z>-]+ '
scr_keys Space a
scr_wait_for "read-only: actions are refused (racktop was started with --read-only)"
scr_expect_not "Action on"
[ -e "$SCR_TMP/ro.log" ] && scr_fail "read-only racktop wrote an audit log"
scr_ok "--read-only refuses actions with a message"
scr_quit_and_check_terminal q

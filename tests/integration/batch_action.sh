#!/bin/sh
# racktop --batch --action on racktop-sim: refusal without --yes, a power
# cycle of 3 of 5 hosts (JSON lines, the sim's hosts really cycled, the
# audit log matching), an off reported done only once the host is off
# (--no-wait: accepted), a BMC reset (the BMC answers 503 for a moment,
# racktop logs in again after), clearing the event log, a failure that
# exits 1 with its reason, and --read-only.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Act-Test
R=$SIM_TMP/r
M=$SIM_TMP/fleet.yaml
CA=$SIM_TMP/ca.pem
LOG=$SIM_TMP/state/racktop/audit.log
OUT=$SIM_TMP/out

sim_start fleet --hosts 5 --port 0 --manifest "$M" --cert-out "$CA" \
	--password-file "$SIM_TMP/pw" --power-delay 1 --misbehave 4:500 || exit 1
export XDG_STATE_HOME=$SIM_TMP/state
act() { "$RACKTOP" --batch -f "$M" --cacert "$CA" --timeout 5 "$@" >"$OUT" 2>"$OUT.err"; }
url() { echo "https://127.0.0.1:$(sim_port "$M" "$1")"; }
# log_of HOST: the sim's event log messages of host HOST (0-based), one a line.
log_of() {
	sim_req "$R" --cacert "$CA" -K "$CONF" "$(url "$1")/redfish/v1/Systems/DGX/LogServices/EventLog/Entries" >/dev/null
	sim_json "$R.body" '"\n".join(e["Message"] for e in d["Members"])'
}

# --- refusals -----------------------------------------------------------
act --action cycle --hosts 'gpu-node-00[123]'
sim_eq "3 hosts without --yes: exit 2" $? 2
sim_check "the refusal says how many hosts matched" grep -q "matches 3 hosts.*--yes" "$OUT.err"
sim_eq "the refusal prints no result" "$(wc -c < "$OUT")" 0
sim_check "nothing was sent: no audit log" test ! -e "$LOG"
act --action explode --hosts x
sim_eq "unknown action: exit 2" $? 2
sim_check "unknown action lists the words" grep -q "on, off, soft, cycle" "$OUT.err"
act --action cycle --hosts 'no-such-host'
sim_eq "no host matches: exit 2" $? 2
act --action cycle --hosts '('
sim_eq "bad regex: exit 2" $? 2
sim_check "bad regex names it" grep -q -- "--hosts '('" "$OUT.err"
act --action off --hosts 'gpu-node-001' --read-only
sim_eq "--read-only refuses: exit 2" $? 2
sim_check "--read-only says why" grep -q "read-only" "$OUT.err"
case $(log_of 0) in
*"Power action"*) sim_fail "refused actions reached the sim: $(log_of 0)" ;;
*) sim_ok "the sim saw no power request" ;;
esac

# --- power cycle of 3 of 5 hosts -----------------------------------------
act --action cycle --hosts 'gpu-node-00[123]' --yes
sim_eq "cycle on 3 hosts with --yes: exit 0" $? 0
sim_check "3 JSON lines, done, for hosts 1-3" python3 - "$OUT" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 3, lines
assert sorted(l["host"] for l in lines) == ["gpu-node-001", "gpu-node-002", "gpu-node-003"], lines
for l in lines:
    assert list(l) == ["host", "action", "protocol", "result", "message", "time"], l
    assert l["action"] == "cycle" and l["protocol"] == "redfish" and l["result"] == "done", l
    assert "ComputerSystem.Reset" in l["message"] and "204" in l["message"], l
    assert l["time"].endswith("Z"), l
PY
sleep 2.5   # the cycle: PoweringOff, then PoweringOn, then On (1 s each)
for i in 0 1 2; do
	msgs=$(log_of $i)
	case $msgs in
	*"Power action PowerCycle requested."*"powered off."*"powered on."*) sim_ok "sim host $((i + 1)): PowerCycle, off, on" ;;
	*) sim_fail "sim host $((i + 1)) did not cycle: $msgs" ;;
	esac
done
for i in 3; do
	msgs=$(log_of $i)
	case $msgs in
	*"Power action"*) sim_fail "sim host $((i + 1)) was not asked but saw: $msgs" ;;
	*) sim_ok "sim host $((i + 1)) untouched" ;;
	esac
done
sim_check "the audit log: requested for 3, then done for each" python3 - "$LOG" "$(id -un)" <<'PY'
import json, os, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 4, lines
req = lines[0]
assert req["result"] == "requested" and req["action"] == "cycle" and req["protocol"] == "redfish"
assert sorted(req["hosts"]) == ["gpu-node-001", "gpu-node-002", "gpu-node-003"], req
assert req["operator"] == sys.argv[2] and req["uid"] == os.getuid(), req
done = sorted(l["hosts"][0] for l in lines[1:] if l["result"] == "done" and l["error"] is None)
assert done == ["gpu-node-001", "gpu-node-002", "gpu-node-003"], lines
for l in lines:
    assert set(["time", "operator", "hosts", "action", "protocol", "result", "error"]) <= set(l)
PY
sim_eq "audit log is private" "$(stat -c %a "$LOG")" 600
sim_eq "its directory is private" "$(stat -c %a "$(dirname "$LOG")")" 700

# --- off is done when the host is off ------------------------------------
act --action off --hosts 'gpu-node-002'
sim_eq "off: exit 0" $? 0
sim_check "off: done once a poll saw it Off, with the BMC's answer" python3 -c '
import json, sys
l = json.loads(open(sys.argv[1]).read())
assert l["result"] == "done" and l["message"].startswith("power Off seen "), l
assert "ComputerSystem.Reset" in l["message"], l' "$OUT"
sim_req "$R" --cacert "$CA" -K "$CONF" "$(url 1)/redfish/v1/Systems/DGX" >/dev/null
sim_eq "the sim's host is Off when racktop says done" "$(sim_json "$R.body" 'd["PowerState"]')" Off
sim_check "the audit log: accepted, then done" python3 -c '
import json, sys
l = [json.loads(x) for x in open(sys.argv[1])][-2:]
assert [x["result"] for x in l] == ["accepted", "done"], l
assert all(x["hosts"] == ["gpu-node-002"] and x["action"] == "off" for x in l), l' "$LOG"
act --action on --hosts 'gpu-node-002' --no-wait
sim_eq "on --no-wait: exit 0" $? 0
sim_check "on --no-wait: reported accepted" python3 -c '
import json, sys
l = json.loads(open(sys.argv[1]).read())
assert l["result"] == "accepted", l' "$OUT"

# --- a failure ----------------------------------------------------------
act --action off --hosts 'gpu-node-005'
sim_eq "a BMC that answers 500: exit 1" $? 1
sim_check "the line says failed, with the reason" python3 -c '
import json, sys
l = json.loads(open(sys.argv[1]).read())
assert l["result"] == "failed" and "500" in l["message"], l' "$OUT"
sim_check "the audit log has the failure with its reason" python3 -c '
import json, sys
l = [json.loads(x) for x in open(sys.argv[1])][-1]
assert l["result"] == "failed" and l["hosts"] == ["gpu-node-005"] and "500" in l["error"], l' "$LOG"

# --- BMC reset ------------------------------------------------------------
act --action bmc-reset --hosts 'gpu-node-004' --audit-log "$SIM_TMP/other.log"
sim_eq "bmc-reset: exit 0" $? 0
sim_check "bmc-reset: done through Manager.Reset" grep -q '"result":"done".*Manager.Reset' "$OUT"
sim_eq "the reset BMC answers 503 at once" "$(sim_req "$R" --cacert "$CA" -K "$CONF" "$(url 3)/redfish/v1/Systems")" 503
sim_check "--audit-log FILE is where it went" grep -q '"action":"bmc-reset","protocol":"redfish","result":"done"' "$SIM_TMP/other.log"
sleep 2.2
sim_eq "and answers again after 2 s" "$(sim_req "$R" --cacert "$CA" -K "$CONF" "$(url 3)/redfish/v1/Systems")" 200
case $(log_of 3) in
*"BMC reset (GracefulRestart) requested."*) sim_ok "sim: BMC reset (GracefulRestart) in the log" ;;
*) sim_fail "sim: no BMC reset in the log: $(log_of 3)" ;;
esac
act --action on --hosts 'gpu-node-004'
sim_eq "the restarted BMC takes actions again: exit 0" $? 0

# --- clear the event log ------------------------------------------------
act --action clear-log --hosts 'gpu-node-001'
sim_eq "clear-log: exit 0" $? 0
sim_check "clear-log: done through LogService.ClearLog" grep -q '"result":"done".*LogService.ClearLog' "$OUT"
sim_eq "the sim's log holds only 'Log cleared.'" "$(log_of 0)" "Log cleared."

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

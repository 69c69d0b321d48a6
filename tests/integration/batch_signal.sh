#!/bin/sh
# Ctrl-C, SIGTERM and SIGHUP in batch mode stop racktop cleanly: exit
# 130, an action in flight is "cancelled" in the output and the audit
# log (it may have reached the BMC), every Redfish session is ended
# (a login still on its way too), and a second signal quits at once.
# Also a plain --batch and --workflow (batch_sweep.sh: --interval). Host 2 of the
# simulated fleet answers slowly (3 s a request), so its work is in
# flight when the signal comes.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Sig-Test
R=$SIM_TMP/r
M=$SIM_TMP/fleet.yaml
CA=$SIM_TMP/ca.pem
LOG=$SIM_TMP/audit.log
OUT=$SIM_TMP/out
export XDG_STATE_HOME=$SIM_TMP/state
sim_start fleet --hosts 2 --port 0 --manifest "$M" --cert-out "$CA" \
	--password-file "$SIM_TMP/pw" --misbehave 1:slow || exit 1

url() { echo "https://127.0.0.1:$(sim_port "$M" "$1")"; }
# sessions I: how many Redfish sessions simulated host I holds.
sessions() {
	sim_req "$R" --max-time 20 --cacert "$CA" -K "$CONF" \
		"$(url "$1")/redfish/v1/SessionService/Sessions" >/dev/null
	sim_json "$R.body" 'len(d["Members"])'
}
# run ARGS...: racktop --batch ARGS in the background (RT its pid).
run() {
	: >"$OUT"
	: >"$OUT.err"
	# A shell starts a job in the background with SIGINT ignored, and
	# racktop keeps an ignored signal ignored: give it the default.
	env --default-signal=INT,HUP "$RACKTOP" --batch -f "$M" --cacert "$CA" --audit-log "$LOG" \
		"$@" >"$OUT" 2>"$OUT.err" &
	RT=$!
	SIM_PIDS="$RT $SIM_PIDS"
}
# wait_for FILE PATTERN: until FILE has a line matching PATTERN (30 s at most).
wait_for() {
	n=0
	while [ $n -lt 300 ] && ! grep -q -- "$2" "$1" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
	grep -q -- "$2" "$1" 2>/dev/null
}
# busy PID: until racktop's engine thread runs (30 s at most).
busy() {
	n=0
	while [ $n -lt 300 ]; do
		t=$(awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
		[ "${t:-0}" -ge 2 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# finish: racktop's exit status (60 s at most; then it is killed, 137).
finish() {
	n=0
	while [ $n -lt 600 ] && kill -0 "$RT" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
	kill -KILL "$RT" 2>/dev/null
	wait "$RT"
}

for sig in INT TERM; do
	rm -f "$LOG"
	run --action cycle --hosts 'gpu-node-00[12]' --yes
	# Host 1 answers at once; host 2 is still logging in.
	sim_check "SIG$sig: host 1 is reported first" wait_for "$OUT" '"gpu-node-001"'
	kill -"$sig" "$RT"
	finish
	sim_eq "SIG$sig during --action: exit 130" $? 130
	sim_check "SIG$sig: stderr says it is stopping" grep -q "SIG$sig: stopping" "$OUT.err"
	sim_check "SIG$sig: both hosts reported, host 2 cancelled" python3 - "$OUT" <<'PY'
import json, sys
lines = {l["host"]: l for l in map(json.loads, open(sys.argv[1]))}
assert sorted(lines) == ["gpu-node-001", "gpu-node-002"], lines
assert lines["gpu-node-001"]["result"] == "done", lines
assert lines["gpu-node-002"]["result"] == "cancelled", lines
assert "may have reached" in lines["gpu-node-002"]["message"], lines
PY
	sim_check "SIG$sig: the audit log has host 2 cancelled, saying it may have reached the BMC" \
		python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
c = [l for l in lines if l["hosts"] == ["gpu-node-002"] and l["result"] != "requested"]
assert len(c) == 1 and c[0]["result"] == "cancelled", lines
assert "may have reached" in c[0]["error"], c
PY
	sim_eq "SIG$sig: host 1 holds no session" "$(sessions 0)" 0
	sim_eq "SIG$sig: host 2 holds no session (its login was on its way)" "$(sessions 1)" 0
done

# --- a second signal quits at once -----------------------------------------
rm -f "$LOG"
run --action on --hosts 'gpu-node-002'
sim_check "host 2's action is asked for" wait_for "$LOG" '"requested"'
kill -INT "$RT"
sim_check "the first Ctrl-C: stopping" wait_for "$OUT.err" "SIGINT: stopping"
kill -INT "$RT"
finish
sim_eq "a second Ctrl-C: exit 130" $? 130
sim_check "it says so" grep -q "interrupted again: quitting now" "$OUT.err"
# That one may leave host 2's session: it ends on its own (30 min idle).

# --- one picture, interrupted while host 2's first poll runs --------------
run
sim_check "racktop is polling" busy "$RT"
kill -HUP "$RT"
finish
sim_eq "SIGHUP during --batch: exit 130" $? 130
sim_check "the picture still prints; host 2 says it was not polled" python3 - "$OUT" <<'PY'
import json, sys
hosts = {h["name"]: h for h in json.load(open(sys.argv[1]))}
assert hosts["gpu-node-002"]["error"].startswith("not polled: racktop was interrupted (SIGHUP)"), hosts
PY

# --- a workflow -----------------------------------------------------------
rm -f "$LOG"
run --timeout 5 -w "$RACKTOP_TESTDATA/workflow/tests.yaml" --workflow pause-long --hosts gpu-node-001
sim_check "the workflow started" wait_for "$LOG" '"started"'
kill -TERM "$RT"
finish
sim_eq "SIGTERM during --workflow: exit 130" $? 130
sim_check "its line says interrupted" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["interrupted"] is True and r["host"] == "gpu-node-001", r' "$OUT"
sim_check "the audit log: the workflow cancelled" grep -q '"workflow pause-long".*"result":"cancelled"' "$LOG"
sim_eq "host 1 holds no session" "$(sessions 0)" 0

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

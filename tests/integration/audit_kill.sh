#!/bin/sh
# racktop killed with SIGKILL in the middle of a 20-host action: every
# line of the audit log still parses, and every host the batch output
# had reported done is in the log as done. Half the simulated BMCs answer
# slowly (3 s a request), so the kill lands while they are still going.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Kill-Test
M=$SIM_TMP/fleet.yaml
LOG=$SIM_TMP/audit.log
OUT=$SIM_TMP/out
slow=""
for i in 10 11 12 13 14 15 16 17 18 19; do slow="$slow --misbehave $i:slow"; done
# shellcheck disable=SC2086
sim_start fleet --hosts 20 --port 0 --manifest "$M" --cert-out "$SIM_TMP/ca.pem" \
	--password-file "$SIM_TMP/pw" $slow || exit 1

for round in 1 2 3; do
	: >"$OUT"
	"$RACKTOP" --batch -f "$M" --cacert "$SIM_TMP/ca.pem" --action cycle --hosts 'gpu-node-' \
		--yes --audit-log "$LOG" >"$OUT" 2>"$SIM_TMP/err" &
	pid=$!
	# Kill as soon as the first host is reported done: the rest are in flight.
	n=0
	while [ $n -lt 200 ] && [ ! -s "$OUT" ]; do sleep 0.05; n=$((n + 1)); done
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	sim_check "round $round: racktop reported some hosts before the kill" test -s "$OUT"
	reported=$(grep -c '"result":"done"' "$OUT")
	if [ "$reported" -lt 20 ]; then
		sim_ok "round $round: killed in the middle ($reported of 20 reported)"
	else
		sim_fail "round $round: all 20 finished before the kill; the test proves nothing"
	fi
	sim_check "round $round: every audit line parses; every reported host is logged done" \
		python3 - "$LOG" "$OUT" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\n"), "the log ends in a torn line"
logged = set()
for n, line in enumerate(raw.split(b"\n")[:-1], 1):
    o = json.loads(line)
    for k in ("time", "operator", "hosts", "action", "protocol", "result", "error"):
        assert k in o, (n, k, o)
    assert o["result"] in ("requested", "done", "failed", "cancelled"), o
    if o["result"] == "done":
        logged.update(o["hosts"])
out = [json.loads(l) for l in open(sys.argv[2]) if l.endswith("\n")]
done = {l["host"] for l in out if l["result"] == "done"}
missing = done - logged
assert not missing, "reported done but not in the audit log: %s" % sorted(missing)
PY
done
echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

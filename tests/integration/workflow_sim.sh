#!/bin/sh
# Workflows on racktop-sim without a screen (racktop --batch --workflow):
# gpu-recover on a host whose GPU fell off the bus ends SUCCESS when the
# power cycle brings it back, and FAILED with the reason when it does
# not; a wait that times out ends TIMEOUT; a power-on that meets a
# resetting BMC is retried and then succeeds; the audit log has every
# workflow and every BMC action; refusals; and a workflow killed half-way
# is found interrupted at the next start, never resumed.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Wf-Test
R=$SIM_TMP/r
M=$SIM_TMP/fleet.yaml
CA=$SIM_TMP/ca.pem
LOG=$SIM_TMP/state/racktop/audit.log
# Each inventory's workflow state is its own: INVENTORIES/KEY/workflows.
WFDIR=$SIM_TMP/state/racktop/inventories
OUT=$SIM_TMP/out
TESTS=$RACKTOP_TESTDATA/workflow/tests.yaml

# GPU 3 of host 0 is off the bus until the next power-on; GPU 4 of host
# 1 is gone for good.
sim_start fleet --hosts 4 --port 0 --manifest "$M" --cert-out "$CA" \
	--password-file "$SIM_TMP/pw" --power-delay 1 \
	--fault 0:2:offbus --fault 1:3:offbus:persist || exit 1
export XDG_STATE_HOME=$SIM_TMP/state XDG_CONFIG_HOME=$SIM_TMP/config
# The shipped templates, with the health check's 300 s cut to 8 so that
# the failing case ends soon.
mkdir -p "$SIM_TMP/tpl"
cp "$RACKTOP_SRCDIR/src/templates/reprovision.yaml" "$SIM_TMP/tpl/"
python3 - "$RACKTOP_SRCDIR/src/templates/gpu-recover.yaml" "$SIM_TMP/tpl/gpu-recover.yaml" <<'PY'
import sys
t = open(sys.argv[1]).read()
head, tail = t.split('image: racktop/wait-healthy', 1)
assert 'timeout: 300' in tail
open(sys.argv[2], 'w').write(head + 'image: racktop/wait-healthy' + tail.replace('timeout: 300', 'timeout: 8', 1))
PY
export RACKTOP_TEMPLATES=$SIM_TMP/tpl
wf() { "$RACKTOP" --batch -f "$M" --cacert "$CA" --timeout 5 --interval 2 "$@" >"$OUT" 2>"$OUT.err"; }
url() { echo "https://127.0.0.1:$(sim_port "$M" "$1")"; }
gpu_state() { # gpu_state HOST GPU(1-based)
	sim_req "$R" --cacert "$CA" -K "$CONF" "$(url "$1")/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_$2" >/dev/null
	sim_json "$R.body" 'd["Status"]["State"]'
}
sleep 1.2   # the injected faults start with the model's first second
sim_eq "sim: host 0's GPU_SXM_3 is off the bus" "$(gpu_state 0 3)" Absent
sim_eq "sim: host 1's GPU_SXM_4 is off the bus" "$(gpu_state 1 4)" Absent

# --- refusals -----------------------------------------------------------
wf --workflow gpu-recover
sim_eq "--workflow without --hosts: exit 2" $? 2
sim_check "it says --hosts is needed" grep -q -- "--workflow needs --hosts" "$OUT.err"
wf --workflow gpu-recover --hosts 'gpu-node-00[12]'
sim_eq "two hosts without --yes: exit 2" $? 2
sim_check "the refusal counts the hosts" grep -q "matches 2 hosts: workflow gpu-recover on more than one host needs --yes" "$OUT.err"
wf --workflow no-such --hosts gpu-node-001
sim_eq "unknown template: exit 2" $? 2
sim_check "unknown template lists the ones there are" grep -q "no template named 'no-such' (.*gpu-recover" "$OUT.err"
wf -w "$RACKTOP_SHARED/tinkerbell/examples" --workflow debian --hosts gpu-node-001
sim_eq "a Tinkerbell template of container images: exit 2" $? 2
sim_check "it says the agent runs those" grep -q "debian: action stream-debian-image runs the container quay.io/tinkerbell-actions/image2disk:v1.0.0, which Tinkerbell's agent runs, not racktop" "$OUT.err"
wf --workflow gpu-recover --hosts gpu-node-001 --read-only
sim_eq "--read-only: exit 2" $? 2
mkdir -p "$SIM_TMP/config/racktop"
printf 'read_only = true\n' > "$SIM_TMP/config/racktop/racktop.conf"
wf --workflow gpu-recover --hosts gpu-node-001
sim_eq "read_only = true in racktop.conf refuses too: exit 2" $? 2
sim_check "and says so" grep -q "read-only" "$OUT.err"
printf '[recover x]\nwhen = gpu-hot\n' > "$SIM_TMP/config/racktop/racktop.conf"
wf --workflow gpu-recover --hosts gpu-node-001
sim_eq "a bad racktop.conf: exit 2" $? 2
sim_check "it names the file and line" grep -q "racktop.conf:2: when: expected gpu-critical or gpu-absent, got 'gpu-hot'" "$OUT.err"
rm -f "$SIM_TMP/config/racktop/racktop.conf"
sim_check "nothing was started: no workflow state" test ! -e "$WFDIR"

# --- --batch --hosts: only those hosts; a GPU off the bus says Absent ---
"$RACKTOP" --batch -f "$M" --cacert "$CA" --timeout 5 --hosts 'gpu-node-00[12]' >"$OUT" 2>"$OUT.err"
sim_eq "--batch --hosts without --action: exit 0" $? 0
sim_check "only the two hosts; each GPU's name and state; the one off the bus Absent" python3 - "$OUT" <<'PY'
import json, sys, re
doc = json.load(open(sys.argv[1]))
assert [h["name"] for h in doc] == ["gpu-node-001", "gpu-node-002"], [h["name"] for h in doc]
for h, lost in zip(doc, ("GPU_SXM_3", "GPU_SXM_4")):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", h["polled_at"]), h["polled_at"]
    gs = {g["name"]: g for g in h["gpus"]}
    assert len(gs) == 8, gs.keys()
    assert gs[lost]["state"] == "Absent" and gs[lost]["health"] == "Critical", gs[lost]
    assert all(g["state"] == "Enabled" for n, g in gs.items() if n != lost), h["gpus"]
PY
"$RACKTOP" --batch -f "$M" --cacert "$CA" --hosts 'no-such' >"$OUT" 2>"$OUT.err"
sim_eq "--batch --hosts matching nothing: exit 2" $? 2
sim_check "it says so, before any poll" grep -q "^racktop: --hosts 'no-such' matches no host (of 4 in the inventory)$" "$OUT.err"

# --- gpu-recover: one recovers, one does not ------------------------------
wf --workflow gpu-recover --hosts 'gpu-node-00[12]' --yes
sim_eq "gpu-recover on 2 hosts, one of which stays broken: exit 1" $? 1
sim_check "node 1 SUCCESS in every task and action; node 2 FAILED with the reason" python3 - "$OUT" <<'PY'
import json, sys
runs = {r["host"]: r for r in map(json.loads, open(sys.argv[1]))}
assert sorted(runs) == ["gpu-node-001", "gpu-node-002"], runs
ok, bad = runs["gpu-node-001"], runs["gpu-node-002"]
for r in (ok, bad):
    assert r["template"] == "gpu-recover" and r["origin"] == "batch" and not r["interrupted"], r
    assert [t["name"] for t in r["tasks"]] == ["power-down", "power-up"], r
    assert [a["name"] for a in r["tasks"][1]["actions"]] == ["power-on", "wait-power-on", "wait-gpus-healthy"], r
assert ok["state"] == "SUCCESS" and ok["message"] is None, ok
for t in ok["tasks"]:
    assert t["state"] == "SUCCESS", t
    for a in t["actions"]:
        assert a["state"] == "SUCCESS" and a["attempts"] == 1 and a["started"] and a["stopped"], a
assert ok["tasks"][1]["actions"][2]["message"].startswith("8 GPUs present, none critical"), ok
assert bad["state"] == "FAILED", bad
assert bad["message"] == "task power-up, action wait-gpus-healthy: not healthy after 8 s: GPU GPU_SXM_4 is absent", bad["message"]
last = bad["tasks"][1]["actions"][2]
assert last["state"] == "FAILED" and "GPU_SXM_4 is absent" in last["message"], last
assert [a["state"] for a in bad["tasks"][1]["actions"][:2]] == ["SUCCESS", "SUCCESS"], bad
assert bad["tasks"][1]["state"] == "FAILED" and bad["tasks"][0]["state"] == "SUCCESS", bad
PY
sim_check "progress on stderr: each action's start and end, with its time" python3 - "$OUT.err" <<'PY'
import sys, re
err = open(sys.argv[1]).read()
T = r"racktop: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
for h in ("gpu-node-001", "gpu-node-002"):
    for a in ("power-on", "wait-power-on", "wait-gpus-healthy"):
        assert re.search("^" + T + h + ": gpu-recover: " + a + ": started$", err, re.M), (h, a, err)
    assert re.search("^" + T + h + ": gpu-recover: power-on: SUCCESS after \d+ s$", err, re.M), err
assert re.search("^" + T + "gpu-node-001: gpu-recover: wait-gpus-healthy: SUCCESS after \d+ s$", err, re.M), err
assert re.search("^" + T + "gpu-node-002: gpu-recover: wait-gpus-healthy: FAILED after \d+ s: .*GPU_SXM_4 is absent", err, re.M), err
# a start before its end
i = err.index("gpu-node-001: gpu-recover: power-on: started")
assert i < err.index("gpu-node-001: gpu-recover: power-on: SUCCESS")
PY
sim_eq "sim: host 0's GPU came back" "$(gpu_state 0 3)" Enabled
sim_eq "sim: host 1's did not" "$(gpu_state 1 4)" Absent
sim_check "the audit log: each workflow started and ended, each BMC action requested and done" python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
def of(host, action, result):
    return [l for l in lines if l["hosts"] == [host] and l["action"] == action and l["result"] == result]
for h in ("gpu-node-001", "gpu-node-002"):
    assert len(of(h, "workflow gpu-recover", "started")) == 1, lines
    for act in ("soft", "on"):
        assert len(of(h, act, "requested")) == 1 and len(of(h, act, "done")) == 1, (h, act, lines)
assert len(of("gpu-node-001", "workflow gpu-recover", "done")) == 1
f = of("gpu-node-002", "workflow gpu-recover", "failed")
assert len(f) == 1 and "GPU_SXM_4 is absent" in f[0]["error"], f
# Order: nothing was done before it was asked for.
i = lines.index(of("gpu-node-001", "soft", "requested")[0])
assert i < lines.index(of("gpu-node-001", "soft", "done")[0]) < lines.index(of("gpu-node-001", "workflow gpu-recover", "done")[0])
PY

# --- a task that times out ------------------------------------------------
wf -w "$TESTS" --workflow wait-off-short --hosts gpu-node-004
sim_eq "a wait for power off on a host that stays on: exit 1" $? 1
sim_check "TIMEOUT, with what it waited for" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
a = r["tasks"][0]["actions"][0]
assert r["state"] == "TIMEOUT" and r["tasks"][0]["state"] == "TIMEOUT", r
assert a["state"] == "TIMEOUT" and a["message"] == "no result within 3 s: waiting for power off (now On)", a
assert 3 <= a["seconds"] <= 5, a' "$OUT"

# --- a retry that then succeeds -------------------------------------------
wf -w "$TESTS" --workflow reset-then-on --hosts gpu-node-003
sim_eq "power on right after a BMC reset: exit 0" $? 0
sim_check "SUCCESS after more than one attempt" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
reset, on = r["tasks"][0]["actions"]
assert r["state"] == "SUCCESS", r
assert reset["state"] == "SUCCESS" and reset["attempts"] == 1, reset
assert on["state"] == "SUCCESS" and on["attempts"] >= 2 and on["retries"] == 4, on' "$OUT"
sim_check "the audit log has the failed attempt and the one that worked" python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if '"gpu-node-003"' in l]
on = [l["result"] for l in lines if l["action"] == "on" and l["result"] != "requested"]
assert on[0] == "failed" and on[-1] == "done", on
assert [l["result"] for l in lines if l["action"] == "bmc-reset"] == ["requested", "done"], lines
PY

# --- killed half-way: interrupted at the next start ------------------------
"$RACKTOP" --batch -f "$M" --cacert "$CA" --timeout 5 -w "$TESTS" --workflow pause-long \
	--hosts gpu-node-004 >"$OUT" 2>"$OUT.err" &
RT=$!
i=0
while [ $i -lt 100 ]; do
	f=$(ls "$WFDIR"/fleet.yaml-*/workflows/pause-long-*.json 2>/dev/null | head -1)
	if [ -n "$f" ] && grep -q '"pause-600"' "$f" && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["tasks"][1]["state"] == "RUNNING" else 1)' "$f"; then break; fi
	sleep 0.1
	i=$((i + 1))
done
kill -KILL $RT
wait $RT 2>/dev/null
sim_check "the state file says RUNNING in the second task" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["state"] == "RUNNING" and not r["interrupted"], r
assert r["tasks"][0]["state"] == "SUCCESS" and r["tasks"][1]["actions"][0]["state"] == "RUNNING", r' "$f"
sim_check "no temporary files are left" sh -c "! ls '$WFDIR'/*/workflows | grep -q tmp"
wf -w "$TESTS" --workflow wait-off-short --hosts gpu-node-004
sim_check "the next racktop marks it interrupted, and does not resume it" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["state"] == "RUNNING" and r["interrupted"], r
assert r["tasks"][1]["actions"][0]["state"] == "RUNNING" and r["tasks"][1]["actions"][0]["attempts"] == 1, r' "$f"
sim_eq "every state file is valid JSON" "$(python3 -c '
import glob, json, sys
print(sum(1 for p in glob.glob(sys.argv[1] + "/*/workflows/*.json") if json.load(open(p))["id"]))' "$WFDIR")" 6

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

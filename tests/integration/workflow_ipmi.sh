#!/bin/sh
# Workflows over IPMI (racktop --batch --workflow) on an OpenIPMI ipmi_sim
# BMC: the shipped reprovision template (boot once to PXE, power cycle,
# wait for power on) ends SUCCESS in every action, and the simulator saw
# it: its boot device is pxe, its chassis log has the power going off and
# on again after the boot device was set, and the power is on; the audit
# log says protocol ipmi. The same workflow against a BMC that does not
# answer ends FAILED in its first action, with the reason, after retries.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"
. "$RACKTOP_SRCDIR/tests/ipmi_sim_lib.sh"
ipmi_sim_need

ST=$SIM_TMP/ipmi
M=$SIM_TMP/fleet.yaml
OUT=$SIM_TMP/out
LOG=$SIM_TMP/state/racktop/audit.log
export XDG_STATE_HOME=$SIM_TMP/state XDG_CONFIG_HOME=$SIM_TMP/config \
	XDG_CACHE_HOME=$SIM_TMP/cache
export RACKTOP_TEMPLATES=$RACKTOP_SRCDIR/src/templates

trap 'ipmi_sim_down_all; sim_cleanup' EXIT
ipmi_sim_up "$ST" || { echo "FAIL: ipmi_sim did not start" >&2; exit 1; }
port=$IPMI_SIM_PORT
# A second Machine whose BMC never answers: a UDP socket we hold and
# never read, so no other test's BMC can be on that port.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(600)' >"$SIM_TMP/dead.port" &
SIM_PIDS="$SIM_PIDS $!"
i=0
until [ -s "$SIM_TMP/dead.port" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
dead=$(cat "$SIM_TMP/dead.port")
[ -n "$dead" ] || { echo "FAIL: no UDP port for the silent BMC" >&2; exit 1; }

{
	ipmi_sim_machine ipmi-bmc-1 "$port"
	ipmi_sim_machine ipmi-bmc-dead "$dead"
	ipmi_sim_secret
} >"$M"

sim_eq "ipmi_sim starts powered on" "$(cat "$ST/host/power")" 1
sim_check "and with no boot device asked for" sh -c "[ ! -e '$ST/host/boot' ] || [ \"\$(cat '$ST/host/boot')\" != pxe ]"
: >"$ST/chassis.log"

"$RACKTOP" --batch -f "$M" --timeout 5 --interval 2 --workflow reprovision \
	--hosts '^ipmi-bmc-1$' >"$OUT" 2>"$OUT.err"
rc=$?
sim_eq "reprovision on the ipmi_sim host: exit 0 ($(cat "$OUT.err"))" $rc 0
sim_check "it ends SUCCESS, every action once ($(cat "$OUT"))" python3 - "$OUT" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
assert len(runs) == 1, runs
r = runs[0]
assert r["host"] == "ipmi-bmc-1" and r["template"] == "reprovision" and r["origin"] == "batch", r
assert r["state"] == "SUCCESS" and r["message"] is None and not r["interrupted"], r
acts = [a for t in r["tasks"] for a in t["actions"]]
assert [a["name"] for a in acts] == ["boot-once-pxe", "power-cycle", "wait-power-on"], acts
for a in acts:
    assert a["state"] == "SUCCESS" and a["attempts"] == 1 and a["started"] and a["stopped"], a
PY
sim_eq "the simulator's boot device is now pxe" "$(cat "$ST/host/boot" 2>/dev/null)" pxe
sim_eq "and its power is on" "$(cat "$ST/host/power")" 1
sim_check "its chassis log: boot pxe set, then power off, then on ($(tr '\n' '|' <"$ST/chassis.log"))" python3 - "$ST/chassis.log" <<'PY'
import sys
ev = []
for l in open(sys.argv[1]):
    w = l.split()[2:]
    if w[:1] == ["set"]:
        ev.append(" ".join(w[1:]))
b = next(i for i, e in enumerate(ev) if e.startswith("boot pxe"))
off = next(i for i, e in enumerate(ev) if i > b and e == "power 0")
on = next(i for i, e in enumerate(ev) if i > off and e == "power 1")
PY
sim_check "the audit log: started, each action over ipmi, done" python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
mine = [l for l in lines if l["hosts"] == ["ipmi-bmc-1"]]
res = [(l["action"], l["result"]) for l in mine]
assert ("workflow reprovision", "started") in res and ("workflow reprovision", "done") in res, res
for act in ("pxe", "cycle"):
    done = [l for l in mine if l["action"] == act and l["result"] == "done"]
    assert len(done) == 1 and done[0]["protocol"] == "ipmi", mine
PY

# --- a BMC that does not answer -----------------------------------------
"$RACKTOP" --batch -f "$M" --timeout 2 --interval 2 --workflow reprovision \
	--hosts '^ipmi-bmc-dead$' >"$OUT" 2>"$OUT.err"
sim_eq "reprovision on a silent IPMI BMC: exit 1" $? 1
sim_check "it ends FAILED in boot-once-pxe with the reason ($(cat "$OUT"))" python3 - "$OUT" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["state"] in ("FAILED", "TIMEOUT") and r["message"], r
assert "boot-once-pxe" in r["message"], r
a = r["tasks"][0]["actions"]
assert a[0]["state"] in ("FAILED", "TIMEOUT") and a[0]["attempts"] == 3, a
assert a[1]["state"] == "PENDING" and a[2]["state"] == "PENDING", a
PY
sim_check "the secret never reaches the output" sh -c "! grep -q password '$OUT' '$OUT.err' '$LOG'"

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

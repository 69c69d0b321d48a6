#!/bin/sh
# Automatic recovery on racktop-sim: a [recover] rule in racktop.conf
# starts gpu-recover on each host whose GPU has been critical for 2
# polls, at most one at a time fleet-wide (max_hosts = 1); both end
# SUCCESS, each start is in the audit log and the workflow view, and a
# host without a fault is left alone.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

STATE=$SCR_TMP/state
LOG=$STATE/racktop/audit.log
mkdir -p "$SCR_TMP/config/racktop"
cat > "$SCR_TMP/config/racktop/racktop.conf" <<'EOF2'
# only the rule
[recover gpus]
when = gpu-critical
polls = 2
template = gpu-recover
max_hosts = 1
EOF2
sim_start 3 --power-delay 1 --fault 0:2:offbus --fault 2:5:offbus
scr_start 150 40
scr_run "XDG_STATE_HOME=$STATE XDG_CONFIG_HOME=$SCR_TMP/config $(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_keys w
scr_wait_re '^gpu-node-00[13] +gpu-recover +RUNNING '
scr_ok "the rule started gpu-recover on a host with a critical GPU"
[ "$(scr_count 'gpu-recover +RUNNING')" = 1 ] || scr_fail "more than max_hosts = 1 at once"
scr_wait_re '^gpu-node-001 +gpu-recover +SUCCESS +.*5/5 '
scr_wait_re '^gpu-node-003 +gpu-recover +SUCCESS +.*5/5 '
scr_ok "both recovered, one after the other"
scr_has_re '^gpu-node-002 ' && scr_fail "the healthy host got a workflow"
sleep 3
[ "$(scr_count '^gpu-node-00[0-9] +gpu-recover')" = 2 ] || scr_fail "a recovered host was started again"
scr_ok "the healthy host and the recovered ones are left alone"
python3 - "$LOG" <<'PY' || scr_fail "audit log: $(cat "$LOG")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
wf = [(l["hosts"][0], l["result"]) for l in lines if l["action"] == "workflow gpu-recover"]
assert sorted(wf) == sorted([("gpu-node-001", "started"), ("gpu-node-001", "done"),
                             ("gpu-node-003", "started"), ("gpu-node-003", "done")]), wf
# max_hosts = 1: the second starts only after the first is done.
assert wf[1][1] == "done" and wf[0][0] == wf[1][0], wf
PY
scr_ok "the audit log: each start and end, one at a time"
python3 - "$STATE/racktop/inventories/*/workflows" <<'PY' || scr_fail "state files"
import glob, json, sys
runs = [json.load(open(p)) for p in glob.glob(sys.argv[1] + "/*.json")]
assert sorted(r["origin"] for r in runs) == ["recover gpus", "recover gpus"], runs
PY
scr_ok "the workflows say which rule started them"
scr_quit_and_check_terminal Q

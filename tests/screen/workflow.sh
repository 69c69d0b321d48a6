#!/bin/sh
# Workflows on the screen, on racktop-sim: the workflow view lists a
# workflow interrupted by an earlier racktop (as INTERRUPTED) and a
# Workflow object from a file; W on two marked hosts chooses gpu-recover
# and starts it only once the number of hosts is typed (a wrong number,
# y or Esc start nothing); the fleet rows show "wf gpu-recover 2/5"
# while they run; the view shows the progress to 5/5 and
# SUCCESS, Enter the per-action list with times; x cancels a running
# one after y (n keeps it); the audit log has it all; --read-only
# refuses W.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

STATE=$SCR_TMP/state
LOG=$STATE/racktop/audit.log
mkdir -p "$STATE/racktop/workflows" "$SCR_TMP/config"
# What a racktop killed in the middle of a power cycle left behind.
cat > "$STATE/racktop/workflows/reprovision-gpu-node-003-20260101T000000Z-1.json" <<'EOF'
{"id": "reprovision-gpu-node-003-20260101T000000Z-1", "template": "reprovision",
 "host": "gpu-node-003", "origin": "operator", "state": "RUNNING", "interrupted": false,
 "created": "2026-01-01T00:00:00Z", "started": "2026-01-01T00:00:00Z", "stopped": null,
 "global_timeout": 900, "message": null,
 "tasks": [{"name": "reprovision", "state": "RUNNING", "started": "2026-01-01T00:00:00Z", "stopped": null,
   "actions": [
    {"name": "boot-once-pxe", "image": "racktop/boot", "state": "SUCCESS", "attempts": 1, "timeout": 60, "retries": 2,
     "started": "2026-01-01T00:00:00Z", "stopped": "2026-01-01T00:00:01Z", "message": "done"},
    {"name": "power-cycle", "image": "racktop/power", "state": "RUNNING", "attempts": 1, "timeout": 60, "retries": 2,
     "started": "2026-01-01T00:00:01Z", "stopped": null, "message": null},
    {"name": "wait-power-on", "image": "racktop/wait-power", "state": "PENDING", "attempts": 0, "timeout": 300,
     "retries": 0, "started": null, "stopped": null, "message": null}]}]}
EOF
sim_start 3 --power-delay 1 --fault 0:2:offbus
scr_start 150 40
ENV="XDG_STATE_HOME=$STATE XDG_CONFIG_HOME=$SCR_TMP/config"
scr_run "$ENV $(racktop_cmd) -w $RACKTOP_TESTDATA/workflow/tests.yaml"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-003 +On '
scr_wait_re '^gpu-node-001 +On '
scr_wait_for "problem at start (n lists them): workflow reprovision-gpu-node-003-20260101T000000Z-1"
scr_ok "the interrupted workflow is said at start"
# The shared directory's file moved into this inventory's own (its host is ours).
WFDIR=$(echo "$STATE"/racktop/inventories/fleet.yaml-*/workflows)
[ -d "$WFDIR" ] || scr_fail "no state directory of this inventory: $WFDIR"

# --- the view: interrupted and from a file ----------------------------------
scr_keys w
scr_wait_for "workflows"
scr_wait_re '^gpu-node-003 +reprovision +INTERRUPTED .*1/3 +reprovision / power-cycle'
scr_wait_re '^gpu-node-001 +gpu-recover +SUCCESS .*2/2 +power-down / wait-power-off'
scr_ok "an interrupted workflow and a Workflow object from a file are listed"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["interrupted"] and r["state"] == "RUNNING", r' \
	"$WFDIR/reprovision-gpu-node-003-20260101T000000Z-1.json" ||
	scr_fail "the state file was not marked interrupted"
scr_ok "and its file is marked interrupted, not resumed"
scr_keys Escape
scr_wait_re 'Hosts 3: '

# --- start gpu-recover on two marked hosts -----------------------------------
scr_wait_for "W workflow  w workflows"
scr_ok "the fleet view's hint line names W and w"
scr_keys g Space Space
scr_wait_for "2 marked"
scr_keys W
scr_wait_for "Start a workflow on 2 hosts"
scr_wait_re 'gpu-recover +2 tasks, 5 actions'
scr_wait_re 'reprovision +1 task, 3 actions'
scr_wait_re 'pause-long +2 tasks, 2 actions'
scr_keys Enter
scr_wait_for "Start workflow gpu-recover on 2 hosts?"
scr_wait_for "Type 2 and Enter to confirm; Esc cancels"
scr_expect_not "y: yes"
scr_type 3
scr_keys Enter
scr_wait_for "no workflow started: you typed '3' but it was 2 hosts"
sleep 1
[ -n "$(ls "$WFDIR" | grep gpu-recover)" ] && scr_fail "a wrong count started a workflow"
grep -q gpu-recover "$LOG" 2>/dev/null && scr_fail "a wrong count reached the audit log: $(cat "$LOG")"
scr_ok "several hosts want the count typed; a wrong one starts nothing"
scr_keys W Enter
scr_wait_for "Type 2 and Enter to confirm"
scr_keys y Enter
scr_wait_for "no workflow started: you typed 'y' but it was 2 hosts"
[ -n "$(ls "$WFDIR" | grep gpu-recover)" ] && scr_fail "y started a workflow on 2 hosts"
scr_keys W Enter
scr_wait_for "Type 2 and Enter to confirm"
scr_keys Escape
scr_wait_for "no workflow started: not confirmed"
scr_keys W Enter
scr_wait_for "Type 2 and Enter to confirm"
scr_type 2
scr_keys Enter
scr_wait_for "workflow gpu-recover started on 2 hosts; marks cleared (w: workflows)"
scr_ok "W, the template, the count typed: started on the marked hosts"
scr_wait_re '^gpu-node-00[12] .*wf gpu-recover [0-4]/5'
scr_has_re '^gpu-node-003 .*wf gpu-recover' && scr_fail "an unmarked row shows the workflow"
scr_ok "the fleet rows show the running workflow and its progress"
scr_keys w
scr_wait_re '^gpu-node-00[12] +gpu-recover +RUNNING +.*[0-4]/5 +power-'
scr_ok "the view shows them running, with progress and the current action"
scr_wait_re '^gpu-node-001 +gpu-recover +SUCCESS +.*5/5 +power-up / wait-gpus-healthy +[0-9]+s'
scr_wait_re '^gpu-node-002 +gpu-recover +SUCCESS +.*5/5 '
scr_ok "both reach SUCCESS, 5 of 5 actions"
scr_keys g Enter
scr_wait_re 'task power-down +SUCCESS'
scr_wait_re 'graceful-shutdown +racktop/power +SUCCESS +1/3 +[0-9:]{8}-[0-9:]{8} +[0-9]+s'
scr_wait_re 'wait-gpus-healthy +racktop/wait-healthy +SUCCESS .*8 GPUs present, none critical'
scr_ok "Enter lists every action with its attempts and times"
scr_keys Escape
scr_wait_re '^gpu-node-002 +gpu-recover'

# --- cancel ------------------------------------------------------------------
scr_keys Escape U
scr_wait_for "marks cleared"
scr_keys G W
scr_wait_for "Start a workflow on gpu-node-003"
scr_keys j j j j Enter
scr_wait_for "Start workflow pause-long on gpu-node-003?"
scr_keys y
scr_wait_for "workflow pause-long started on gpu-node-003"
scr_keys w g
scr_wait_re '^gpu-node-003 +pause-long +RUNNING +.* second / pause-600'
scr_keys x
scr_wait_for "Cancel workflow pause-long-gpu-node-003-"
scr_keys n
scr_wait_re 'workflow pause-long-gpu-node-003-[0-9TZ-]+ goes on'
sleep 1
scr_wait_re '^gpu-node-003 +pause-long +RUNNING '
scr_keys x
scr_wait_for "Cancel workflow pause-long-gpu-node-003-"
scr_keys y
scr_wait_re '^gpu-node-003 +pause-long +FAILED .*cancelled by the operator in task second'
scr_ok "x then y cancels it; n did not"
scr_keys x
scr_wait_re 'is not running \(FAILED\)'
scr_ok "a finished workflow cannot be cancelled again"
python3 - "$LOG" <<'PY' || scr_fail "audit log: $(cat "$LOG")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
def of(host, action, result):
    return [l for l in lines if l["hosts"] == [host] and l["action"] == action and l["result"] == result]
for h in ("gpu-node-001", "gpu-node-002"):
    assert len(of(h, "workflow gpu-recover", "started")) == 1, lines
    assert len(of(h, "workflow gpu-recover", "done")) == 1, lines
    assert len(of(h, "soft", "done")) == 1 and len(of(h, "on", "done")) == 1, lines
assert len(of("gpu-node-003", "workflow pause-long", "started")) == 1, lines
c = of("gpu-node-003", "workflow pause-long", "cancelled")
assert len(c) == 1 and "cancelled by the operator" in c[0]["error"], lines
PY
scr_ok "the audit log has every start, end and BMC action"
scr_quit_and_check_terminal Q

# --- read-only ---------------------------------------------------------------
scr_run "$ENV $(racktop_cmd) --read-only"
scr_wait_re '^gpu-node-001 +[A-Za-z>-]+ '
scr_keys W
scr_wait_for "read-only: workflows are refused (racktop was started with --read-only)"
scr_expect_not "Start a workflow"
scr_ok "--read-only refuses W with a message"
scr_quit_and_check_terminal q

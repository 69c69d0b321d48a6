#!/bin/sh
# Each inventory keeps its own workflow state: racktop on fleet B never
# lists fleet A's workflows, nor says at start that they were
# interrupted (the n view), even with the same host names; A (through a
# symlink too: the real path counts) still has them. The old shared
# directory's files move, once, into the first inventory started that
# has their host; the others stay where they were. A YAML error in the
# inventory is one problem in n, not two.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

STATE=$SCR_TMP/state
OLD=$STATE/racktop/workflows
mkdir -p "$OLD" "$SCR_TMP/config" "$SCR_TMP/a" "$SCR_TMP/b" "$SCR_TMP/c"
# Hosts whose BMC is a closed port (polls fail fast); A and B alike.
for n in 1 2 3; do
	cat <<EOT
---
apiVersion: bmc.tinkerbell.org/v1alpha1
kind: Machine
metadata:
  name: gpu-node-00$n
  namespace: default
  annotations:
    racktop/scheme: http
spec:
  connection:
    host: 127.0.0.1
    port: 9
    insecureTLS: true
EOT
done >"$SCR_TMP/a/fleet.yaml"
cp "$SCR_TMP/a/fleet.yaml" "$SCR_TMP/b/fleet.yaml"
ln -s a/fleet.yaml "$SCR_TMP/a-link.yaml"

# What an earlier racktop left in the shared directory: one workflow
# on gpu-node-003 (A's, as it is started first), one on a host that
# neither inventory has.
old_run() {
	cat >"$OLD/$1.json" <<EOT
{"id": "$1", "template": "reprovision", "host": "$2", "origin": "operator",
 "state": "FAILED", "interrupted": false, "created": "2026-01-01T00:00:00Z",
 "started": "2026-01-01T00:00:00Z", "stopped": "2026-01-01T00:00:09Z",
 "global_timeout": 900, "message": "old run on $2",
 "tasks": [{"name": "reprovision", "state": "FAILED", "started": null, "stopped": null,
   "actions": []}]}
EOT
}
old_run reprovision-gpu-node-003-20260101T000000Z-1 gpu-node-003
old_run reprovision-other-node-9-20260101T000000Z-1 other-node-9

ENV="XDG_STATE_HOME=$STATE XDG_CONFIG_HOME=$SCR_TMP/config"
# cmd INVENTORY: racktop on it.
cmd() {
	printf '%s %s -f %s --interval 60 -w %s' "$ENV" "$RACKTOP" "$1" \
		"$RACKTOP_TESTDATA/workflow/tests.yaml"
}
scr_start 150 40

# --- A: adopts its old workflow, starts one, quits in the middle --------------
scr_run "$(cmd "$SCR_TMP/a/fleet.yaml")"
scr_wait_re '^gpu-node-003 '
scr_keys w
scr_wait_re '^gpu-node-003 +reprovision +FAILED'
scr_expect_not "other-node-9"
scr_ok "A lists the old workflow of its host gpu-node-003, not other-node-9's"
scr_keys Escape
scr_wait_re '^gpu-node-003 '
scr_keys g W
scr_wait_for "Start a workflow on gpu-node-001"
scr_keys j j j j Enter
scr_wait_for "Start workflow pause-long on gpu-node-001?"
scr_keys y
scr_wait_for "workflow pause-long started on gpu-node-001"
scr_quit_and_check_terminal Q Q
scr_ok "A: pause-long started on gpu-node-001, then racktop quit (interrupting it)"
[ -f "$OLD/reprovision-other-node-9-20260101T000000Z-1.json" ] ||
	scr_fail "other-node-9's workflow left the shared directory"
[ -f "$OLD/reprovision-gpu-node-003-20260101T000000Z-1.json" ] &&
	scr_fail "gpu-node-003's workflow is still in the shared directory"
python3 - "$STATE/racktop/inventories" <<'PY' || scr_fail "A's state directory"
import glob, json, os, sys
dirs = glob.glob(sys.argv[1] + "/fleet.yaml-*/workflows")
assert len(dirs) == 1, dirs
runs = sorted(json.load(open(p))["host"] for p in glob.glob(dirs[0] + "/*.json"))
assert runs == ["gpu-node-001", "gpu-node-003"], runs
PY
scr_ok "A's own directory holds both; other-node-9's stays in the shared one"

# --- B: the same host names, nothing of A's ------------------------------------
scr_run "$(cmd "$SCR_TMP/b/fleet.yaml")"
scr_wait_re '^gpu-node-003 '
scr_keys j   # a notice at start would show until the first key
scr_expect_not "problem"
scr_expect_not "interrupted"
scr_keys n
scr_wait_for "0 problems found at start"
scr_wait_for "no problems"
scr_keys Escape
scr_keys w
scr_wait_re '^ racktop .*workflows'
scr_wait_re "^gpu-node-001 +gpu-recover +SUCCESS"   # the Workflow object from -w: B's too
scr_expect_not "pause-long"
scr_expect_not "reprovision"
scr_ok "B lists none of A's workflows and has no notice of them"
scr_keys Escape
scr_quit_and_check_terminal q

# --- A again, through a symlink: the same inventory ---------------------------
scr_run "$(cmd "$SCR_TMP/a-link.yaml")"
scr_wait_for "problem at start (n lists them): workflow pause-long"
scr_keys w
scr_wait_re '^gpu-node-001 +pause-long +INTERRUPTED'
scr_wait_re '^gpu-node-003 +reprovision +FAILED'
scr_ok "A through a symlink: its workflows and the notice of the interrupted one"
scr_keys Escape
scr_quit_and_check_terminal q
# B saved nothing; the symlink is A: one inventory directory in all.
[ "$(ls "$STATE/racktop/inventories" | wc -l)" = 1 ] ||
	scr_fail "inventory directories: $(ls "$STATE/racktop/inventories")"

# --- a YAML error: one problem, listed once -------------------------------------
cp "$SCR_TMP/a/fleet.yaml" "$SCR_TMP/c/fleet.yaml"
printf -- '---\nkind: [unclosed\n' >>"$SCR_TMP/c/fleet.yaml"
scr_run "$(cmd "$SCR_TMP/c/fleet.yaml")"
scr_wait_re '^gpu-node-003 '
scr_keys n
scr_wait_re 'problems? found at start'
scr_wait_re '^ .*c/fleet\.yaml:[0-9]+: '
[ "$(scr_count 'c/fleet\.yaml:[0-9]+: ')" = 1 ] || scr_fail "the YAML error is listed more than once"
scr_wait_for "1 problem found at start"
scr_ok "a YAML error in the inventory is one problem in n"
scr_keys Escape
scr_quit_and_check_terminal q

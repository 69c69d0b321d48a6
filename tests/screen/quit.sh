#!/bin/sh
# q and Q while something would be lost: with a workflow running and
# console panes open, both ask first, naming them ("Quit? 1 workflow
# running (pause-long on gpu-node-001), 2 consoles open (gpu-node-002,
# gpu-node-003): y/n"); n or Esc stays (the workflow goes on), y quits,
# and Q pressed at the question quits. With nothing running, q quits at
# once as before.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

STATE=$SCR_TMP/state
mkdir -p "$STATE" "$SCR_TMP/config" "$SCR_TMP/logs"
# Three hosts whose BMC and SSH console are a closed port: polls fail
# fast, and a console pane opens (and stays, its session ended). The
# workflow only pauses: it needs no BMC.
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
    racktop/console-ssh: tester@127.0.0.1:9
spec:
  connection:
    host: 127.0.0.1
    port: 9
    insecureTLS: true
EOT
done >"$SCR_TMP/fleet.yaml"

ENV="XDG_STATE_HOME=$STATE XDG_CONFIG_HOME=$SCR_TMP/config"
CMD="$ENV $RACKTOP -f $SCR_TMP/fleet.yaml --interval 60 --console-log-dir $SCR_TMP/logs \
--known-hosts $SCR_TMP/known_hosts -w $RACKTOP_TESTDATA/workflow/tests.yaml"
scr_start 150 40
scr_run "$CMD"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-003 '

# A workflow that runs for ten minutes on gpu-node-001.
scr_keys g W
scr_wait_for "Start a workflow on gpu-node-001"
scr_keys j j j j Enter
scr_wait_for "Start workflow pause-long on gpu-node-001?"
scr_keys y
scr_wait_for "workflow pause-long started on gpu-node-001"
# No key pressed and no poll due (the BMCs fail, so no age ticks): the
# runner's own progress must wake the screen (pause-1 ends after 1 s).
scr_wait_re '^gpu-node-001 .*wf pause-long 1/2'
# Console panes on gpu-node-002 and gpu-node-003, back to the fleet view.
scr_keys j
scr_type c
scr_wait_re 'gpu-node-002 +ssh tester@127\.0\.0\.1:9'
scr_keys C-]
scr_type f
scr_wait_for "Enter host"
scr_keys j
scr_type c
scr_wait_re 'gpu-node-003 +ssh tester@127\.0\.0\.1:9'
scr_keys C-]
scr_type f
scr_wait_for "Enter host"

Q='Quit? 1 workflow running (pause-long on gpu-node-001), 2 consoles open (gpu-node-002, gpu-node-003): y/n'
scr_keys q
scr_wait_for "$Q"
[ "$(scr_alternate)" = 1 ] || scr_fail "q quit with a workflow running"
scr_keys n
scr_wait_for "not quitting"
scr_expect_not "Quit?"
scr_ok "q asks, naming the workflow and the consoles; n stays"
scr_keys Q
scr_wait_for "$Q"
scr_keys Escape
scr_wait_for "not quitting"
[ "$(scr_alternate)" = 1 ] || scr_fail "Esc at the question quit"
scr_wait_re '^gpu-node-001 .*wf pause-long'
scr_ok "Q asks too; Esc stays, and the workflow goes on"

# Narrow: the names give way, the counts and y/n stay.
scr_tmux resize-window -t scr -x 80 -y 30
scr_wait_re '^ racktop .{60,78}$'
scr_keys q
scr_wait_re '^Quit\? 1 workflow running.*2 consoles open.*: y/n'
line=$(scr_line '^Quit\?')
[ "${#line}" -le 80 ] || scr_fail "the question is wider than 80 columns: $line"
scr_keys n
scr_wait_for "not quitting"
scr_tmux resize-window -t scr -x 150 -y 40
scr_wait_re '^ racktop .{120}'
scr_ok "in 80 columns the question fits"

# Q at the question quits: the workflow is interrupted, as it was told.
scr_keys Q
scr_wait_for "$Q"
scr_quit_and_check_terminal Q
python3 - "$STATE/racktop/inventories/*/workflows" <<'PY' || scr_fail "the workflow's state file"
import glob, json, sys
runs = [json.load(open(p)) for p in glob.glob(sys.argv[1] + "/pause-long-*.json")]
assert len(runs) == 1 and runs[0]["interrupted"], runs
PY
scr_ok "Q then Q quits (the workflow saved interrupted)"

# Only a console: y quits.
scr_run "$CMD"
scr_wait_re '^gpu-node-003 '
scr_keys g
scr_type c
scr_wait_re 'gpu-node-001 +ssh tester@127\.0\.0\.1:9'
scr_keys C-]
scr_type f
scr_wait_for "Enter host"
scr_keys q
scr_wait_for "Quit? 1 console open (gpu-node-001): y/n"
scr_quit_and_check_terminal y
scr_ok "one console open: asked, and y quits"

# Nothing running (the interrupted workflow is not resumed): q quits.
scr_run "$CMD"
scr_wait_re '^gpu-node-003 '
scr_quit_and_check_terminal q
scr_ok "nothing running: q quits at once"

#!/bin/sh
# One BMC that sends broken JSON: its row says so, in the row, while the
# rest of the fleet keeps showing readings.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

sim_start 5 --misbehave 1:badjson
scr_start 120 40
scr_run "$(racktop_cmd)"
scr_wait_re '^gpu-node-001 +On +[A-Za-z]+ +8 [A-Za-z]+ +[0-9]+°C +[0-9]+W +[0-9]+s ago'
scr_wait_re '^gpu-node-002 +- +- +- +- +- +[^ ].*'
err=$(scr_line '^gpu-node-002' | sed -E 's/^gpu-node-002 +- +- +- +- +- +//')
case $err in
*[Jj][Ss][Oo][Nn]*|*parse*|*invalid*) ;;
*) scr_fail "gpu-node-002's row does not say what is wrong: '$err'" ;;
esac
scr_ok "the broken host shows its error in its row: $err"
for n in 001 003 004 005; do
	scr_wait_re "^gpu-node-$n +On +[A-Za-z]+ +8 [A-Za-z]+ +[0-9]+°C"
done
scr_wait_re 'Hosts 5: 4 on +0 off +1 unreachable'
scr_ok "the other hosts show readings; the summary counts the unreachable one"

scr_keys j Enter
scr_wait_re 'Name +gpu-node-002'
scr_wait_re '^ Error +[^ ].*'
scr_wait_for "no data yet"
scr_ok "the host view shows the error"
scr_keys Escape
scr_quit_and_check_terminal q

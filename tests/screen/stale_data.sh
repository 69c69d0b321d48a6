#!/bin/sh
# A host that stops answering: its last readings stay on the screen but
# are never shown as current. The row says how old they are, dims them
# and marks each one (a mark seen without colour and in plain ASCII), its
# health is the failure, never OK; the summary counts its GPUs unknown;
# the host view says the readings are from the last good poll at TIME.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

# stale_run ENV...: racktop over a fresh 3-host sim until every row has
# readings, then the sim stops (its ports refuse) and every row goes stale.
stale_run() {
	sim_start 3
	scr_start 120 40 "$@"
	scr_run "$(racktop_cmd)"
	scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
	for n in 001 002 003; do
		scr_wait_re "^gpu-node-$n +On +OK +8 OK +[0-9]+(°C|C) +[0-9]+W +[0-9]+s ago"
	done
	scr_wait_re 'GPUs 24: 24 (healthy|ok)'
	kill "$SIM_PID"
	wait "$SIM_PID" 2>/dev/null
}

stale_run
for n in 001 002 003; do
	scr_wait_re "^gpu-node-$n +On\\? +refused +8 \\? +[0-9]+°C\\? +[0-9]+W\\? +stale [0-9]+s: "
done
scr_has_re '^gpu-node-00[1-3] +On +OK' && scr_fail "a host that stopped answering still shows On OK"
scr_ok "stale rows: each reading marked, health is the failure, the age shown"
scr_wait_re 'Hosts 3: 0 on +0 off +3 unreachable +GPUs 24: 0 healthy +0 warning +0 critical +24 unknown'
scr_ok "the summary counts the stale hosts' GPUs unknown"
# Dimmed: the cells carry the dim attribute (SGR 2); the health is not.
scr_tmux capture-pane -p -e -t scr | grep 'gpu-node-002' | grep -q "$(printf '\033')\\[[0-9;]*2[;m]" ||
	scr_fail "the stale readings are not dimmed"
scr_ok "stale readings dimmed"

scr_keys g Enter
scr_wait_re 'Name +gpu-node-001'
scr_wait_re 'Readings +stale: from the last good poll at [0-9]{2}:[0-9]{2}:[0-9]{2} \([0-9]+s ago\)'
scr_wait_re 'Health +refused \(the last good poll said OK\)'
scr_wait_re 'Power +On\? \(at the last good poll\)'
scr_wait_re '── GPUs \(8\) - stale, from [0-9]{2}:[0-9]{2}:[0-9]{2} ─'
scr_ok "the host view says the readings are from the last good poll"
scr_keys Escape
scr_quit_and_check_terminal q
scr_tmux kill-server

# Plain ASCII without colour: the marks are what says stale.
stale_run LANG=C LC_ALL=C NO_COLOR=1
scr_wait_re "^gpu-node-001 +On\\? +refused +8 \\? +[0-9]+C\\? +[0-9]+W\\? +stale [0-9]+s: "
scr_wait_re 'Hosts 3: 0 on +0 off +3 unreachable +GPUs 24: 0 (healthy|ok) +0 (warning|warn) +0 (critical|crit) +24 unknown'
scr_ok "ASCII, no colour: stale readings still marked"
scr_quit_and_check_terminal q

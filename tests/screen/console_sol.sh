#!/bin/sh
# IPMI serial-over-LAN consoles against OpenIPMI's ipmi_sim (its host
# console behaves like a Linux box on ttyS1): connect, log in, run a
# command, send a Break; the BMC going away shows as a dropped session,
# and ^] r reconnects once it is back. The log holds what came over SOL.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sol_bmc

scr_start 120 40
scr_run "$(con_racktop --console solnode --timeout 3)"
scr_wait_re "solnode +SOL 127\\.0\\.0\\.1:$port +connected"
scr_ok "SOL session established"
con_sol_login
scr_type hostname
scr_keys Enter
scr_wait_re "^gpu-node-$port *$"
scr_has "secret" && scr_fail "the password was echoed"
scr_ok "logged in over SOL, ran hostname"

scr_keys C-]
scr_type b
scr_wait_for "break sent to solnode"
scr_ok "Break sent"

grep -q "gpu-node-$port login:" "$CON_LOGS/solnode.log" || scr_fail "the SOL log lacks the login prompt"
grep -q "connected to SOL 127.0.0.1:$port" "$CON_LOGS/solnode.tlog" ||
	scr_fail "the timestamped log lacks the session start"
scr_ok "SOL output logged"

# The BMC goes away: the session drops and says so; back: reconnect.
sim_down
t0=$(date +%s)
SCR_TIMEOUT=120 scr_wait_for "DISCONNECTED"
echo "dropped after $(( $(date +%s) - t0 ))s"
scr_ok "a dropped SOL session is shown as such"
sim_up
scr_keys C-]
scr_type r
scr_wait_re "solnode +SOL 127\\.0\\.0\\.1:$port +connected"
scr_keys Enter
scr_wait_re "login: *$|:~# *$"
scr_ok "^] r reconnects"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

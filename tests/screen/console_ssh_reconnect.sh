#!/bin/sh
# Automatic SSH console reconnection (--console-reconnect): the console
# server (sshd on loopback) goes away under an open SSH console; the pane
# says "SSH dropped ... reconnecting in Ns (attempt 1)", backs off while
# the server is away, and reconnects by itself once it is back; typing
# reaches the console again. A session dropped by the server side while
# it stays up comes back at the first attempt. A host key that is no
# longer in known_hosts on a reconnect is asked about, never taken, and
# no attempt follows while the question waits.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
con_machine node-a "serial node-a" >"$CON_DIR/fleet.yaml"
tlog=$CON_LOGS/node-a.tlog
header="node-a +ssh $(id -un)@127\\.0\\.0\\.1:$CON_PORT serial node-a +connected"
# The console sets its pty raw (which drops input typed before) and then
# prompts: keys may go once session N's prompt went out.
session() {
	SCR_TIMEOUT=30 scr_wait '[ "$(grep -c "node-a login:" "$CON_SENT-node-a" 2>/dev/null)" -ge '"$1"' ]' \
		"session $1's login prompt"
}

scr_start 120 40
scr_run "$(con_racktop --console node-a --console-reconnect --timeout 3)"
scr_wait_for "node-a login:"
scr_wait_re "$header"
scr_type "first"
scr_keys Enter
scr_wait_for "you typed: first"
scr_ok "SSH console open"

# The server goes away (listener and session): the pane counts down to
# attempt 1, then (still away) to attempt 2.
con_sshd_drop stop
# Attempt 1's countdown shows for about a second: the log has it for sure.
SCR_TIMEOUT=30 scr_wait_re "SSH dropped: .*; reconnecting in [0-9]+s \\(attempt [12]\\)"
scr_has "DROPPED, reconnecting" || scr_fail "the pane header does not say the session dropped"
scr_has "SOL" && scr_fail "an SSH pane speaks of SOL"
SCR_TIMEOUT=30 scr_wait_re "SSH dropped: .*; reconnecting in [0-9]+s \\(attempt [23]\\)"
grep -q "SSH dropped: .*; reconnecting in [0-9.]*s (attempt 1)" "$tlog" ||
	{ cat "$tlog" >&2; scr_fail "the log lacks attempt 1's wait"; }
scr_ok "the pane says the SSH session dropped; attempt 1 failed, attempt 2 waits"

# Back on the same port: reconnected by itself, and the console works.
con_sshd_start
SCR_TIMEOUT=30 scr_wait_re "$header"
scr_wait_re "console node-a: SSH reconnected \\(attempt [2-9]\\)"
scr_wait_gone "SSH dropped"
session 2
scr_type "second"
scr_keys Enter
scr_wait_for "you typed: second"
scr_ok "reconnected by itself once the server was back; typing reaches the console"

con_reconnect_logged "$tlog" SSH "[2-9]"
scr_ok "the log notes the drop, the attempts and the reconnection"

# The server drops the session and stays up: back at attempt 1.
before=$(grep -c "reconnected at attempt 1 " "$tlog")
con_sshd_drop
SCR_TIMEOUT=30 scr_wait '[ "$(grep -c "reconnected at attempt 1 " "$tlog")" -gt "$before" ]' \
	"the log to note a reconnection at attempt 1"
scr_wait_re "$header"
session 3
scr_type "third"
scr_keys Enter
scr_wait_for "you typed: third"
scr_ok "a session the server dropped came back at attempt 1"

# The stored key is gone: the reconnect asks, and nothing else happens
# until the operator answers.
: >"$CON_KNOWN"
con_sshd_drop
SCR_TIMEOUT=30 scr_wait_for "Press y to accept it"
scr_has "unknown host key" || scr_fail "the header does not say the host key is unknown"
attempts=$(grep -c "reconnect attempt" "$tlog")
sleep 4
[ "$(grep -c "reconnect attempt" "$tlog")" = "$attempts" ] ||
	{ cat "$tlog" >&2; scr_fail "attempts went on while the host key question waited"; }
[ -s "$CON_KNOWN" ] && scr_fail "a key went into known_hosts without the operator"
scr_expect_not "reconnecting in"
scr_ok "an unknown key on a reconnect waits for the operator; no attempt meanwhile"
scr_type y
scr_wait_re "$header"
ssh-keygen -F "[127.0.0.1]:$CON_PORT" -f "$CON_KNOWN" >/dev/null ||
	scr_fail "the accepted key is not in known_hosts"
session 4
scr_type "fourth"
scr_keys Enter
scr_wait_for "you typed: fourth"
scr_ok "y accepts it: reconnected"

scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

#!/bin/sh
# What automatic reconnection must not retry (racktop/console-reconnect:
# "true" on an SSH console): after a drop, an attempt that the server
# refuses to log in (each try would count towards a lockout) and one
# that meets a changed host key both stop the attempts; the pane says
# "not reconnecting: " and why, the log too, and ^] r still works.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
con_machine node-a "serial node-a" |
	awk '{ print } /^  annotations:$/ { print "    racktop/console-reconnect: \"true\"" }' \
		>"$CON_DIR/fleet.yaml"
grep -q 'console-reconnect: "true"' "$CON_DIR/fleet.yaml" || scr_fail "the annotation is missing"
tlog=$CON_LOGS/node-a.tlog
header="node-a +ssh $(id -un)@127\\.0\\.0\\.1:$CON_PORT serial node-a +connected"
attempts() { grep -c "reconnect attempt" "$tlog"; }

scr_start 120 40
scr_run "$(con_racktop --console node-a --timeout 3)"
scr_wait_for "node-a login:"
scr_wait_re "$header"
scr_ok "SSH console open"

# Our key is no longer authorized; the session drops: one attempt, which
# the server refuses, and no more.
: >"$CON_DIR/authorized_keys"
con_sshd_drop
SCR_TIMEOUT=30 scr_wait_for "not reconnecting: "
scr_has "authentication failed" || scr_fail "the pane does not say the login was refused"
scr_has "DISCONNECTED" || scr_fail "the header does not say DISCONNECTED"
tries=$(attempts)
[ "$tries" = 1 ] || { cat "$tlog" >&2; scr_fail "$tries attempts before giving up, not 1"; }
# Attempt 2 would come about 2 s later.
sleep 4
[ "$(attempts)" = 1 ] || { cat "$tlog" >&2; scr_fail "a refused login was tried again"; }
scr_expect_not "reconnecting in"
scr_has "not reconnecting: " || scr_fail "the pane no longer says why it stopped"
grep -q "not reconnecting: .*authentication failed" "$tlog" ||
	{ cat "$tlog" >&2; scr_fail "the log does not say why it stopped"; }
scr_ok "a refused login is not retried; the pane and the log say why"

# ^] r by hand, the key authorized again: connected; attempts re-armed.
cp "$CON_DIR/id_ed25519.pub" "$CON_DIR/authorized_keys"
scr_keys C-]
scr_type r
scr_wait_re "$header"
scr_wait_gone "not reconnecting"
SCR_TIMEOUT=30 scr_wait '[ "$(grep -c "node-a login:" "$CON_SENT-node-a")" -ge 2 ]' \
	"the second session's login prompt"
scr_ok "^] r reconnects by hand"

# The server comes back on the same port with another key: refused, not
# retried.
ssh-keygen -q -t ed25519 -N '' -f "$CON_DIR/other_ed25519" || scr_fail "ssh-keygen"
con_sshd_drop stop
con_sshd_start "$CON_DIR/other_ed25519"
SCR_TIMEOUT=30 scr_wait_for "not reconnecting: "
scr_has "HOST KEY CHANGED" || scr_fail "the pane does not say the host key changed"
tries=$(attempts)
sleep 4
[ "$(attempts)" = "$tries" ] || { cat "$tlog" >&2; scr_fail "a changed host key was tried again"; }
scr_has "is not known" && scr_fail "a changed key was offered for acceptance"
[ "$(grep -c . "$CON_KNOWN")" = 1 ] || scr_fail "known_hosts changed"
grep -q "not reconnecting: .*HOST KEY CHANGED" "$tlog" ||
	{ cat "$tlog" >&2; scr_fail "the log does not say why it stopped"; }
scr_ok "a changed host key is not retried"

scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

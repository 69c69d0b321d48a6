#!/bin/sh
# SSH host keys of consoles: an unknown key is shown with its SHA256
# fingerprint and used only when the operator accepts it (then it is in
# known_hosts); refusing ends the session; a changed key is refused
# loudly and nothing of the host is shown.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_machine node-a "serial node-a" >"$CON_DIR/fleet.yaml"
fp=$(ssh-keygen -l -E sha256 -f "$CON_DIR/host_ed25519.pub" | cut -d' ' -f2)
case $fp in SHA256:*) ;; *) scr_fail "no fingerprint from ssh-keygen: $fp" ;; esac

scr_start 120 40
scr_run "$(con_racktop --console node-a)"
scr_wait_for "is not known"
scr_wait_for "ssh-ed25519 $fp"
scr_has "login:" && scr_fail "the console shows the host before its key was accepted"
scr_ok "unknown key: asked, with its fingerprint $fp"

scr_type n
scr_wait_for "refused by the operator"
scr_wait_for "DISCONNECTED"
[ -s "$CON_KNOWN" ] && scr_fail "a refused key went into known_hosts"
scr_ok "n refuses: the session ends, known_hosts untouched"

scr_keys C-]
scr_type r
# The refusal's message names the key too: wait for the new question,
# or y reaches a session still connecting (slow under sanitizers).
scr_wait_for "Press y to accept it"
scr_wait_for "ssh-ed25519 $fp"
scr_type y
scr_wait_for "node-a login:"
ssh-keygen -F "[127.0.0.1]:$CON_PORT" -f "$CON_KNOWN" >/dev/null ||
	scr_fail "the accepted key is not in known_hosts"
scr_ok "y accepts: connected, and the key is in known_hosts"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

# The same address and port with another key: refused, loudly.
con_sshd_stop
sent_before=$(wc -c <"$CON_SENT-node-a")
ssh-keygen -q -t ed25519 -N '' -f "$CON_DIR/other_ed25519" || scr_fail "ssh-keygen"
con_sshd_start "$CON_DIR/other_ed25519"
scr_run "clear; $(con_racktop --console node-a)"
scr_wait_for "HOST KEY CHANGED"
scr_wait_for "DISCONNECTED"
[ "$(wc -c <"$CON_SENT-node-a")" = "$sent_before" ] || scr_fail "the host with a changed key ran the console"
scr_wait_for "live from here"
scr_ok "the earlier session is replayed from the log"
scr_has "is not known" && scr_fail "a changed key was offered for acceptance"
grep -q "HOST KEY CHANGED for \\[127.0.0.1\\]:$CON_PORT" "$CON_LOGS/node-a.tlog" ||
	scr_fail "the log does not record the refusal"
[ "$(grep -c . "$CON_KNOWN")" = 1 ] || scr_fail "known_hosts changed"
scr_ok "changed key refused with a loud message; known_hosts kept"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

#!/bin/sh
# SSH consoles in panes, against sshd on loopback whose forced command
# behaves like a serial console (console_serial.py): two consoles side
# by side, typing reaches the focused one only, the pty follows resizes
# and zoom, a full-screen menu renders where the host drew it, the log
# is byte for byte what the far side sent, and panes close cleanly.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
{ con_machine node-a "serial node-a"; con_machine node-b "serial node-b"; } >"$CON_DIR/fleet.yaml"

scr_start 160 40
scr_run "$(con_racktop --console node-a)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_for "node-a login:"
scr_wait_re "node-a +ssh $(id -un)@127\\.0\\.0\\.1:$CON_PORT serial node-a +connected"
scr_ok "--console node-a opens straight onto its console"

# To the fleet view, down to node-b, c: a second pane beside the first.
scr_keys C-]
scr_type f
scr_wait_for "Enter host"
scr_keys j
scr_type c
scr_wait_for "node-b login:"
[ "$(con_col 'node-b login:')" -ge 80 ] || scr_fail "node-b's pane is not on the right"
[ "$(con_col 'node-a login:')" -lt 80 ] && [ "$(con_col 'node-a login:')" -ge 0 ] ||
	scr_fail "node-a's pane is not on the left"
scr_ok "c on node-b: a second pane, side by side"

# Typing goes to the focused pane (node-b) only.
scr_type "hello-b"
scr_keys Enter
scr_wait_for "you typed: hello-b"
[ "$(con_col 'you typed: hello-b')" -ge 80 ] || scr_fail "node-b's echo is not in node-b's pane"
[ "$(scr_count 'hello-b')" = 2 ] || scr_fail "hello-b shows in more places than node-b's pane"
scr_keys C-]
scr_type o
scr_type "hi-a"
scr_keys Enter
scr_wait_for "you typed: hi-a"
c=$(con_col 'you typed: hi-a')
[ "$c" -ge 0 ] && [ "$c" -lt 80 ] || scr_fail "node-a's echo is not in node-a's pane"
scr_has "you typed: hello-b" || scr_fail "node-b's output went away"
[ "$(scr_count 'hi-a')" = 2 ] || scr_fail "hi-a reached node-b too"
scr_ok "keys reach the focused pane only"

# Ctrl-C goes to the host, not to racktop (raw mode while a pane has focus).
scr_keys C-c
scr_wait_for "^C"
scr_type "size"
scr_keys Enter
# 160x40: the fleet gets 13 rows, the panes 27 (one is the header).
scr_wait_for "size 26x79"
scr_ok "the pty has the pane's size (26x79); ^C did not stop racktop"

scr_tmux resize-window -t scr -x 120 -y 30
scr_wait_re "^ racktop .*"
scr_type "size"
scr_keys Enter
scr_wait_for "size 19x59"
scr_ok "resize reaches the SSH pty (19x59)"

scr_keys C-]
scr_type z
scr_type "size"
scr_keys Enter
scr_wait_for "size 27x120"
scr_wait_gone "NAME▲"
scr_ok "zoom: the focused pane takes the screen (27x120)"

# A full-screen menu: alternate screen, colours, cursor movement, DEC
# line drawing; the pane's content starts at row 2 (title, header).
scr_type "menu"
scr_keys Enter
scr_wait_for "Press any key to leave"
con_at 5 9 "┌──────────────────────┐" || scr_fail "the menu's top border is not at row 4, column 10"
con_at 7 9 "│ > 1. Network (PXE) " || scr_fail "the menu's first entry is not in its box"
con_at 6 11 "Boot Menu" || scr_fail "'Boot Menu' is not at row 5, column 12"
con_at 10 9 "└──────────────────────┘" || scr_fail "the menu's bottom border"
con_at 13 2 "Press any key to leave" || scr_fail "the menu's last line"
scr_has "you typed: hi-a" && scr_fail "the menu did not replace the screen (alternate screen)"
scr_ok "full-screen menu: box, entries and text where the host put them"
scr_type x
scr_wait_for "you typed: hi-a"
scr_ok "leaving the menu brings the screen back"

# Scrollback: search back with /, copy the line with y through OSC 52
# (tmux takes it into a paste buffer when set-clipboard is on).
scr_tmux set -g set-clipboard on
scr_keys C-]
scr_type "["
scr_wait_re "\\[copy 0/[0-9]+\\]"
scr_type "/hi-a"
scr_keys Enter
scr_type y
scr_wait_for "copied 15 bytes to the clipboard (OSC 52)"
[ "$(scr_tmux show-buffer)" = "you typed: hi-a" ] ||
	scr_fail "the clipboard holds '$(scr_tmux show-buffer)', not the line found"
scr_wait_gone "[copy"
scr_ok "scrollback search and OSC 52 copy"

# The host hangs up: the pane says so; the log is what the host sent.
scr_type "bye"
scr_keys Enter
scr_wait_for "DISCONNECTED"
scr_wait_for "the console hung up"
cmp "$CON_LOGS/node-a.log" "$CON_SENT-node-a" || scr_fail "node-a.log differs from what the host sent"
[ "$(wc -c <"$CON_LOGS/node-a.log")" -gt 500 ] || scr_fail "node-a.log is too short"
grep -q '^[0-9-]*T[0-9:.]*Z node-a login: hi-a' "$CON_LOGS/node-a.tlog" ||
	scr_fail "the timestamped log lacks the login line"
grep -q -- '--- session ended: node-a: the console hung up' "$CON_LOGS/node-a.tlog" ||
	scr_fail "the timestamped log lacks the hang-up"
scr_ok "the log is byte for byte what the host sent; timestamped log too"

# Close both panes: the fleet view is back, whole.
scr_keys C-]
scr_type x
scr_wait_for "console of node-a closed"
scr_keys C-]
scr_type x
scr_wait_for "console of node-b closed"
scr_wait_for "NAME▲"
scr_has "serial node-" && scr_fail "a pane header is still there"
scr_ok "both panes closed"
scr_quit_and_check_terminal q
cmp "$CON_LOGS/node-b.log" "$CON_SENT-node-b" || scr_fail "node-b.log differs from what the host sent"
scr_ok "node-b's log complete after racktop closed it mid-session"

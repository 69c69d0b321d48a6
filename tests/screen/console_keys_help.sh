#!/bin/sh
# The console pane keys are on the generated help screen (ui/keys.c's
# table, from which the panes dispatch too): `?` in the fleet view and
# `^] ?` in a pane show the escape key and the commands after it
# (split, zoom, next pane, list, Break, monitor, scrollback, reconnect,
# close) and the scrollback's search and copy, each with where it works.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
con_machine node-a "serial node-a" >"$CON_DIR/fleet.yaml"

# Tall enough for the whole help on one page.
scr_start 150 90
scr_run "$(con_racktop)"
scr_wait_for "node-a"
scr_type "?"
scr_wait_for "Each key works on the screens named on the right"
scr_wait_re '^ q Esc +back to the live screen'   # the last line: all drawn

# help_has KEYS TEXT WHERE: a help line with those columns.
help_has() {
	scr_has_re "^ $1 +$2.* $3 *\$" || { scr_show; scr_fail "no help line: $1 / $2 / $3"; }
}
pane='console, after \^]'
sb='console scrollback'
help_has '\^]' 'the escape key \(--escape-key\): never sent to the host' "$pane"
help_has 'o Tab Right Down' 'next pane' "$pane"
help_has 'Left Up' 'previous pane' "$pane"
help_has '1-9' 'pane N' "$pane"
help_has 'f q' 'back to the fleet view' "$pane"
help_has 'z' 'zoom the pane to the screen, or unzoom' "$pane"
help_has 's' 'split: panes side by side or stacked' "$pane"
help_has 'l' 'list the open consoles' "$pane"
help_has 'x' 'close the pane' "$pane"
help_has 'r' 'reconnect a dropped session' "$pane"
help_has 'T' 'reconnect taking over an SOL session' "$pane"
help_has 'b' 'send a serial Break' "$pane"
help_has 'm' 'monitor: read-only, keys are not sent' "$pane"
help_has '\[' 'scrollback: search and copy' "$pane"
help_has '/' 'search older lines \(up\) for text, in any case' "$sb"
help_has '\?' 'search newer lines \(down\) for text, in any case' "$sb"
help_has 'n' 'search again, the same way' "$sb"
help_has 'N' 'search again, the other way' "$sb"
help_has 'F1' 'this help \(as \^] \? is\)' "$sb"
help_has 'v' 'mark one end of a selection' "$sb"
help_has 'y Enter' 'copy the marked lines to the clipboard \(OSC 52\)' "$sb"
help_has 'q Esc' 'back to the live screen' "$sb"
[ "$(scr_count 'zoom the pane')" = 1 ] || scr_fail "the zoom key is listed more than once"
scr_ok "? lists the console pane and scrollback keys"

# From a pane: ^] ? opens the same screen; Esc comes back, Tab to the pane.
scr_keys Escape
scr_wait_gone "Each key works on the screens"
scr_type c
scr_wait_for "node-a login:"
scr_keys C-]
scr_type "?"
scr_wait_for "Each key works on the screens named on the right"
scr_wait_re '^ q Esc +back to the live screen'   # the last line: all drawn
scr_has_re "^ z +zoom the pane" || scr_fail "^] ? did not show the pane keys"
scr_ok "^] ? in a pane opens the help screen"
scr_keys Escape
scr_wait_gone "Each key works on the screens"
scr_keys Tab
scr_type "after-help"
scr_keys Enter
scr_wait_for "you typed: after-help"
scr_ok "Tab goes back to the pane, which still types"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

# With --escape-key ^A the help names ^A: the key that works, not ^].
scr_run "$(con_racktop --escape-key ^A)"
scr_wait_for "node-a"
scr_type "?"
scr_wait_for "Each key works on the screens named on the right"
scr_wait_re '^ q Esc +back to the live screen'   # the last line: all drawn
pane='console, after \^A'
help_has '\^A' 'the escape key \(--escape-key\): never sent to the host' "$pane"
help_has 'z' 'zoom the pane to the screen, or unzoom' "$pane"
scr_has_re '^ Tab +to the console panes \(there, \^A f comes back\)' ||
	scr_fail "the Tab line still names ^]"
scr_has '^]' && scr_fail "the help still shows ^] with --escape-key ^A"
scr_ok "the help names the escape key given with --escape-key"
scr_keys Escape
scr_quit_and_check_terminal Q

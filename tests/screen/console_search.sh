#!/bin/sh
# A console pane's scrollback search, as in less and tmux's copy mode:
# / searches older lines (up), ? newer lines (down), n again the same
# way, N the other way, in any case (as the fleet filter matches names);
# Enter alone searches again for the last text. Inside the scrollback ?
# searches, so the help is F1 there (^] ? still works too). Each hit is
# checked by copying its line (y, OSC 52 into tmux's paste buffer). In
# 80 columns the status line keeps the help key's hint in every pane
# state, spelt with the escape key given (--escape-key ^A: "^A ? help").
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
con_machine node-a "serial node-a" >"$CON_DIR/fleet.yaml"

scr_start 80 30
scr_tmux set -g set-clipboard on
scr_run "$(con_racktop --console node-a)"
scr_wait_for "node-a login:"
scr_wait_re '\^] \? help( |$)'
scr_ok "80 columns, in a pane: the status line names ^] ? help"

# Lines to find, older to newer (each typed line is echoed as "you typed").
for w in alpha-1 Beta-1 alpha-2 BETA-2 alpha-3; do
	scr_type "$w"
	scr_keys Enter
	scr_wait_for "you typed: $w"
done

# copied TEXT: y copies the cursor's line; tmux's buffer must hold TEXT.
copied() {
	scr_type y
	scr_wait_for "copied"
	got=$(scr_tmux show-buffer)
	[ "$got" = "$1" ] || scr_fail "the cursor was on '$got', not on '$1'"
	scr_wait_gone "[copy"
}
# search KEY TEXT: / or ? then TEXT and Enter.
search() {
	scr_type "$1"
	scr_wait_for "search $([ "$1" = / ] && echo older || echo newer) lines"
	scr_type "$2"
	scr_keys Enter
}

scr_keys C-]
scr_type "["
scr_wait_re "\\[copy 0/[0-9]+\\]"
scr_wait_re 'F1 help( |$)'
scr_ok "80 columns, in the scrollback: the status line names F1 help"
search / "you typed: beta"
copied "you typed: BETA-2"
scr_ok "/ finds the nearest older line, in any case"

scr_keys C-]
scr_type "["
search / "YOU TYPED: BETA"
scr_type n
scr_type y
scr_wait_for "copied"
[ "$(scr_tmux show-buffer)" = "you typed: Beta-1" ] ||
	scr_fail "n did not go on upward: '$(scr_tmux show-buffer)'"
scr_ok "n searches again upward after /"

scr_keys C-]
scr_type "["
search / "you typed: beta"
scr_type n
scr_type N
copied "you typed: BETA-2"
scr_ok "N searches again the other way (down) after /"

# ? from the oldest line down.
scr_keys C-]
scr_type "["
scr_type g
search "?" "You Typed: ALPHA"
copied "you typed: alpha-1"
scr_ok "? finds the nearest newer line, in any case"

scr_keys C-]
scr_type "["
scr_type g
search "?" "you typed: alpha"
scr_type nn
copied "you typed: alpha-3"
scr_keys C-]
scr_type "["
scr_type g
search "?" "you typed: alpha"
scr_type nnN
copied "you typed: alpha-2"
scr_ok "n goes on down after ?, N goes back up"

# Enter alone: the last text again, in the way just chosen.
scr_keys C-]
scr_type "["
scr_type g
scr_type "?"
scr_keys Enter
copied "you typed: alpha-1"
scr_ok "? and Enter alone search again for the last text"

# Nothing further: said, and the cursor stays.
scr_keys C-]
scr_type "["
search / "you typed: alpha-1"
scr_type n
scr_wait_for "'you typed: alpha-1' not found in older lines"
copied "you typed: alpha-1"
scr_keys C-]
scr_type "["
search "?" "no such text"
scr_wait_for "'no such text' not found in newer lines"
scr_type q
scr_wait_gone "[copy"
scr_ok "a search that finds nothing says so, in which direction"

# The help: F1 in the scrollback (where ? searches), and ^] ? there too.
scr_keys C-]
scr_type "["
scr_wait_re "\\[copy 0/[0-9]+\\]"
scr_keys F1
scr_wait_for "Each key works on the screens named on the right"
scr_keys Escape
scr_wait_gone "Each key works on the screens"
scr_keys Tab
scr_wait_re "\\[copy 0/[0-9]+\\]"
scr_ok "F1 in the scrollback opens the help; Tab comes back to the scrollback"
scr_keys C-]
scr_type "?"
scr_wait_for "Each key works on the screens named on the right"
scr_keys Escape
scr_wait_gone "Each key works on the screens"
scr_keys Tab
scr_wait_re "\\[copy 0/[0-9]+\\]"
scr_type q
scr_wait_gone "[copy"
scr_ok "^] ? opens the help from the scrollback too"

# A live pane: ? and F1 go to the host, as any key does.
scr_type "x?y"
scr_keys Enter
scr_wait_for "you typed: x?y"
scr_ok "outside the scrollback ? reaches the host"

scr_keys C-]
scr_wait_re ' \? help( |$)'
scr_ok "after ^], the status line names ? help"
scr_type f
scr_quit_and_check_terminal Q Q

# With --escape-key ^A the pane's hint names the key that works.
scr_run "$(con_racktop --console node-a --escape-key ^A)"
scr_wait_for "node-a login:"
scr_wait_re '^\^A then: .*\^A \? help( |$)'
scr_has '^]' && scr_fail "the status line still names ^] with --escape-key ^A"
scr_ok "--escape-key ^A: the status line says ^A ? help"
scr_keys C-a
scr_type f
scr_quit_and_check_terminal Q Q

#!/bin/sh
# The status line's key hints at any width: items that do not fit drop
# whole, the last ones first, but the help key's ("? help") never does,
# from 120 columns down to 10 (racktop has no smallest size; "? help"
# itself takes 6). The position on the right gives way before it does.
# On the fixed fleet (tests/data/ui/fleet.json, no network).
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
FIXTURE=$(dirname "$RACKTOP")/tests/screen/ui_fixture
DATA=$RACKTOP_TESTDATA/ui/fleet.json
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE not built" >&2; exit 1; }

scr_start 120 40
scr_run "$FIXTURE --themes-dir $RACKTOP_SRCDIR/themes $DATA"
scr_wait_for "gpu-node-001"
scr_keys j   # the notice at start gives way to the hints
scr_wait_re '^Enter host  / filter  Space mark  a action  W workflow  w workflows  s/S sort  r refresh  \? help  q quit +host 2 of 10$'
scr_ok "120 columns: every hint"

# size COLS ROWS: the terminal's new size, once racktop has drawn it.
size() {
	scr_tmux resize-window -t scr -x "$1" -y "$2"
	scr_wait "[ \"\$(scr_capture | head -n 1 | wc -L)\" -le $1 ] && scr_has_re '^NAME'" "${1}x$2 drawn"
}
# last_line REGEX: the status line (the last one) matches REGEX.
last_line() {
	SCR_PAT=$1
	scr_wait '[ -n "$(printf "%s\n" "$SCR_SCREEN" | tail -n 1 | grep -E -e "$SCR_PAT")" ]' \
		"status line '$1'"
}

size 80 24
last_line '^Enter host  / filter  Space mark  a action  W workflow  \? help +host 2 of 10$'
scr_ok "80 columns: whole items drop from the end, ? help stays"
scr_keys Enter
scr_wait_re 'Name +gpu-node-001'
last_line '^Esc back  j/k scroll  a action  r refresh  \? help  Q quit$'
scr_keys Escape
size 40 24
last_line '^Enter host  \? help +host 2 of 10$'
scr_ok "40 columns: ? help stays beside the position"
size 20 24
last_line '^Enter host  \? help *$'
scr_ok "20 columns: the position gives way, ? help stays"
size 10 24
last_line '^\? help *$'
scr_ok "10 columns: ? help alone"
scr_keys Enter
scr_wait_gone 'NAME'
last_line '^\? help *$'
scr_ok "10 columns, host view: ? help"
scr_keys Escape

# Marks and a filter make the right side long: it still leaves room.
size 80 24
scr_keys g Space Space
scr_type "/gpu"
scr_keys Enter
last_line '\? help +2 marked '
scr_ok "80 columns with marks and a filter: ? help stays"
size 30 24
last_line '^Enter host  / filter  \? help *$'
scr_ok "30 columns with marks and a filter: the right side gives way"

scr_quit_and_check_terminal q

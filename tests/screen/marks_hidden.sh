#!/bin/sh
# Marks the filter hides: the action menu and its confirmation name the
# hosts they will touch (as many as fit 80 columns, the rest counted)
# and say how many of them the filter hides; one hidden host is asked
# about even for a harmless action; W's confirmation says the same.
# After an action is sent the marks clear, unless --keep-marks or
# racktop.conf keep_marks = yes keeps them.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

LOG=$SCR_TMP/audit.log
mkdir -p "$SCR_TMP/state" "$SCR_TMP/config/racktop"
ENV="XDG_STATE_HOME=$SCR_TMP/state XDG_CONFIG_HOME=$SCR_TMP/config"
sim_start 8 --power-delay 1
scr_start 80 30
scr_run "$ENV $(racktop_cmd) --audit-log $LOG"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-008 +On '

# filter TEXT: the fleet view shows what matches TEXT.
filter() {
	scr_keys /
	scr_keys C-u
	scr_type "$1"
	scr_keys Enter
}

# Three marked, then a filter that shows none of them.
scr_keys g Space Space Space
scr_wait_for "3 marked"
filter 'node-00[45]'
scr_wait_for "filter: /node-00[45]/  2 of 8 hosts"
scr_keys a
scr_wait_for "Action on 3 hosts"
scr_wait_for " gpu-node-001, gpu-node-002, gpu-node-003"
scr_wait_for " 3 of them hidden by the filter"
scr_ok "the menu names the marked hosts and says the filter hides them all"
# Even a harmless action on several hosts asks, naming them.
scr_keys o
scr_wait_for "power on (on) on 3 hosts?"
scr_wait_for " gpu-node-001, gpu-node-002, gpu-node-003"
scr_wait_for " 3 of them hidden by the filter"
scr_keys n
scr_wait_for "on: cancelled, not confirmed"
scr_wait_for "3 marked"
scr_ok "its question names them too; n keeps the marks"

# One of them shown: "2 of them"; the typed count sends it, the marks clear.
filter 'node-00[3-5]'
scr_wait_for "filter: /node-00[3-5]/  3 of 8 hosts"
scr_keys a f
scr_wait_for "power off (forced) (off) on 3 hosts?"
scr_wait_for " gpu-node-001, gpu-node-002, gpu-node-003"
scr_wait_for " 2 of them hidden by the filter"
scr_wait_for "Type 3 and Enter to confirm"
scr_type 3
scr_keys Enter
scr_wait_for "off: sent to 3 hosts; marks cleared (logged in"
scr_wait_re '^gpu-node-003 .*off: '
scr_has_re '^\*' && scr_fail "a row is still marked"
scr_has "marked" && scr_fail "the status line still counts marks"
scr_ok "sent: the marks clear by default"

# Every host marked: the names that fit, the rest counted, in 80 columns.
filter ''
scr_wait_for "filter cleared"
scr_keys M
scr_wait_for "8 marked"
filter 'node-001'
scr_wait_for "1 of 8 hosts"
scr_keys a
scr_wait_re ' gpu-node-001, gpu-node-002, .* and [1-6] more'
scr_wait_for " 7 of them hidden by the filter"
scr_has_re '^.{81}' && scr_fail "a line is wider than 80 columns"
scr_keys Escape
scr_wait_for "no action taken"
scr_ok "many hosts: the first names and a count, within 80 columns"

# W says the same.
scr_keys W
scr_wait_for "Start a workflow on 8 hosts"
scr_keys Enter
scr_wait_re "Start workflow [a-z-]+ on 8 hosts\\?"
scr_wait_re ' gpu-node-001, gpu-node-002, .* and [1-6] more'
scr_wait_for " 7 of them hidden by the filter"
scr_keys Escape
scr_wait_for "no workflow started"
scr_ok "W's confirmation names the hosts and the hidden ones"

# One hidden host and a harmless action: asked, not done unseen.
scr_keys U
scr_wait_for "marks cleared"
filter ''
scr_wait_for "filter cleared"
scr_keys G Space
scr_wait_for "1 marked"
filter 'node-001'
scr_wait_for "1 of 8 hosts"
scr_keys a
scr_wait_for "Action on gpu-node-008"
scr_wait_for " hidden by the filter"
scr_keys o
scr_wait_for "power on (on) on gpu-node-008?"
scr_wait_for " hidden by the filter"
scr_keys n
scr_wait_for "on: cancelled, not confirmed"
scr_ok "one hidden host: even power on asks"
scr_quit_and_check_terminal q

# --keep-marks: the marks stay.
scr_run "$ENV $(racktop_cmd) --audit-log $LOG --keep-marks"
scr_wait_re '^gpu-node-008 +O'
scr_keys g Space Space
scr_wait_for "2 marked"
scr_keys a o
scr_wait_for "power on (on) on 2 hosts?"
scr_keys y
scr_wait_for "on: sent to 2 hosts"
scr_expect_not "marks cleared"
scr_wait_re '^\*gpu-node-001 '
scr_keys C-l   # clears the message: the status line counts the marks again
scr_wait_for "2 marked"
scr_ok "--keep-marks keeps the marks after an action"
scr_quit_and_check_terminal q

# racktop.conf keep_marks = yes does too.
echo "keep_marks = yes" >"$SCR_TMP/config/racktop/racktop.conf"
scr_run "$ENV $(racktop_cmd) --audit-log $LOG"
scr_wait_re '^gpu-node-008 +O'
scr_keys g Space Space
scr_wait_for "2 marked"
scr_keys a o
scr_wait_for "power on (on) on 2 hosts?"
scr_keys y
scr_wait_for "on: sent to 2 hosts"
scr_wait_re '^\*gpu-node-002 '
scr_keys C-l
scr_wait_for "2 marked"
scr_ok "racktop.conf keep_marks = yes keeps them too"
scr_quit_and_check_terminal q

#!/bin/sh
# A GPU fallen off the bus shows on its host's fleet row at 80 columns,
# in plain ASCII: "7 OK 1 abs", never hidden in "8 Critical"; and the /
# filter's gpu:absent, gpu:critical and gpu:warning find the hosts with
# at least one such GPU.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

# Host 2's GPU 0 and host 4's GPUs 1 and 5 are off the bus for good.
sim_start 4 --power-delay 0 --fault 1:0:offbus:persist --fault 3:1:offbus:persist \
	--fault 3:5:offbus:persist

scr_start 80 24
scr_run "$(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On +OK +8 OK '
scr_wait_re '^gpu-node-002 +On +Critical +7 OK 1 abs '
scr_wait_re '^gpu-node-003 +On +OK +8 OK '
scr_wait_re '^gpu-node-004 +On +Critical +6 OK 2 abs '
scr_expect_not "8 Critical"
scr_ok "the GPUS column counts the absent GPUs apart, at 80 columns"

filter() {
	scr_keys /
	scr_keys C-u
	scr_type "$1"
	scr_keys Enter
}
filter 'gpu:absent'
scr_wait_for 'filter: /gpu:absent/  2 of 4 hosts'
scr_wait '[ "$(scr_count "^gpu-node-")" = 2 ]' "2 rows"
scr_has_re '^gpu-node-002 ' && scr_has_re '^gpu-node-004 ' || scr_fail "gpu:absent: the wrong hosts"
scr_ok "gpu:absent finds the hosts with a GPU off the bus"
filter 'gpu:critical'
scr_wait_for 'filter: /gpu:critical/  2 of 4 hosts'
filter 'gpu:warning'
scr_wait_for 'filter: /gpu:warning/  0 of 4 hosts'
filter '!gpu:absent'
scr_wait_for 'filter: /!gpu:absent/  2 of 4 hosts'
scr_wait '[ "$(scr_count "^gpu-node-")" = 2 ]' "2 rows"
scr_has_re '^gpu-node-001 ' && scr_has_re '^gpu-node-003 ' || scr_fail "!gpu:absent: the wrong hosts"
scr_ok "gpu:critical, gpu:warning, !gpu:absent"
scr_quit_and_check_terminal q

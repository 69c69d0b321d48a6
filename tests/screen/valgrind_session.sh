#!/bin/sh
# A normal session under valgrind: start on the simulated fleet (HTTPS,
# verified), watch polls land, open a host, filter, quit. valgrind must
# report no leak (definitely or indirectly lost) and no memory error.
# In the sanitizer build valgrind cannot run the binary; LeakSanitizer
# does the same check there, failing racktop's exit status on a leak.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

sim_start 4
SCR_TIMEOUT=60
scr_start 120 40
vlog="$SCR_TMP/valgrind.log"
if [ "$RACKTOP_SANITIZED" = yes ]; then
	scr_run "ASAN_OPTIONS=detect_leaks=1:exitcode=99 $(racktop_cmd) 2>$vlog"
else
	scr_need valgrind
	scr_run "valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$vlog $(racktop_cmd)"
fi
scr_wait_re '^gpu-node-004 +On +[A-Za-z]+ +8 '
scr_wait_re 'Hosts 4: 4 on'
scr_ok "the fleet shows under valgrind"
scr_keys Enter
scr_wait_for "GPU_SXM_8"
scr_keys Escape
scr_type "/"
scr_type "node-00[23]"
scr_keys Enter
scr_wait '[ "$(scr_count "^gpu-node-")" = 2 ]' "the filter to leave two rows"
# Let a few more polls land so their memory is exercised too.
sleep 3
scr_keys q
scr_wait '[ "$(scr_alternate)" = 0 ]' "racktop to end"
scr_type 'echo "exit=$?"'
scr_keys Enter
scr_wait_re 'exit=[0-9]+'
SCR_SCREEN=$(scr_capture)
if ! scr_has 'exit=0'; then
	cat "$vlog" >&2
	scr_fail "valgrind reported leaks or errors (log above)"
fi
if [ -s "$vlog" ]; then
	cat "$vlog" >&2
	scr_fail "valgrind printed a report"
fi
scr_ok "valgrind: no leak and no memory error in a normal session"

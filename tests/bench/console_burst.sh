#!/bin/sh
# Benchmark: a burst of console output with escape sequences (colours,
# cursor save/move/restore, erase) through one pane, over SSH on
# loopback (sshd + tests/screen/console_serial.py "burst MB").
#   sh tests/bench/console_burst.sh [BUILDDIR] [MB]
# Prints: MB/s from the first byte sent to the last line on the screen
# (through libssh, the log, libvterm and ncurses, into tmux); whether the
# log is byte-identical to what was sent; and key-to-screen times while
# it flows (^] m toggles the pane's [monitor] mark, a local key that
# must come through the same loop that reads the burst). Asserts only
# that the log is identical. See doc/benchmarks.md.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
mb=${2:-20}
RACKTOP=$build/racktop
RACKTOP_SRCDIR=$top
export RACKTOP RACKTOP_SRCDIR
. "$top/tests/screen/lib.sh"
. "$top/tests/screen/console_lib.sh"

now_ms() { date +%s%3N; }

con_sshd_start
con_trust
con_machine burst "burst $mb" >"$CON_DIR/fleet.yaml"
scr_start 120 40
scr_run "$(con_racktop --console burst)"
SCR_TIMEOUT=300

lat=$CON_DIR/latency
: >"$lat"
# Keys while the burst flows: each ^] m must show (or clear) the mark.
scr_wait_re "burst +ssh .* connected"
on=0
while :; do
	SCR_SCREEN=$(scr_capture)
	scr_has "BURST-END" && break
	t0=$(now_ms)
	scr_keys C-] m
	# Every 10 ms (scr_wait's 100 ms would hide what we measure).
	while :; do
		SCR_SCREEN=$(scr_capture)
		scr_has "BURST-END" && break
		if scr_has "[monitor]"; then [ $on = 0 ] && break; else [ $on = 1 ] && break; fi
		[ $(( $(now_ms) - t0 )) -gt 10000 ] && scr_fail "no answer to ^] m within 10 s"
		sleep 0.01
	done
	on=$((1 - on))
	scr_has "BURST-END" && break
	echo $(( $(now_ms) - t0 )) >>"$lat"
	sleep 0.2
done
t_end=$(now_ms)
start=$(cat "$CON_SENT-burst.start")
bytes=$(wc -c <"$CON_SENT-burst")
python3 - "$bytes" "$start" "$t_end" <<'PY'
import sys
b, start, end = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]) / 1000
print("burst: %.1f MB in %.2f s: %.1f MB/s to the screen" % (b / 1e6, end - start, b / 1e6 / (end - start)))
PY
if [ -s "$lat" ]; then
	sort -n "$lat" | awk '{v[NR]=$1} END {printf "keys while it flowed: %d, key-to-screen median %d ms, slowest %d ms\n", NR, v[int((NR+1)/2)], v[NR]}'
else
	echo "keys while it flowed: none (the burst ended first)"
fi
# The log: complete once the last line is on screen.
if cmp -s "$CON_LOGS/burst.log" "$CON_SENT-burst"; then
	echo "log: byte-identical ($bytes bytes)"
else
	echo "log: DIFFERS from what was sent" >&2
	exit 1
fi

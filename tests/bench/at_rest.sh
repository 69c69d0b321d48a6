#!/bin/sh
# At rest (doc/benchmarks.md): racktop's screen on N simulated BMCs
# (racktop-sim, HTTPS verified) polled every INTERVAL s, in tmux at
# 120x40. Once every host has been polled, for DURATION s:
#
#   - CPU: utime+stime of the racktop process (/proc/PID/stat) before and
#     after, as a share of one core;
#   - wake-ups: every second, each thread's voluntary context switches
#     (/proc/PID/task/TID/status: a thread that sleeps and wakes adds one;
#     being preempted on a busy machine does not), split into the
#     screen's thread (TID == PID) and the others (the engine; IPMI workers are not started for
#     a Redfish fleet). Seconds in which no host's poll ran show whether
#     anything wakes between polls;
#   - requests: racktop-sim's counters (/racktop-sim/stats) of the first 10
#     BMCs before and after, as requests and KB of JSON a host a poll.
#
#   sh tests/bench/at_rest.sh [BUILDDIR]
#   N=1000 INTERVAL=30 DURATION=180 sh tests/bench/at_rest.sh build
#
# Not a test: it prints figures.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
N=${N:-1000}
INTERVAL=${INTERVAL:-30}
DURATION=${DURATION:-180}
command -v tmux >/dev/null || { echo "at_rest.sh: tmux is needed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/racktop-rest-bench.XXXXXX")
sock=racktop-rest-$$
sim=
trap 'tmux -L $sock kill-server 2>/dev/null; [ -n "$sim" ] && kill $sim 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

"$build/racktop-sim" --hosts "$N" --port 0 --manifest "$tmp/fleet.yaml" --cert-out "$tmp/ca.pem" \
	>"$tmp/sim.out" 2>"$tmp/sim.err" &
sim=$!
for _ in $(seq 600); do grep -q ready "$tmp/sim.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$tmp/sim.out" || { cat "$tmp/sim.err" >&2; exit 1; }

tmux -L $sock -f /dev/null new-session -d -x 120 -y 40 \
	"exec env LANG=C.UTF-8 $build/racktop -f $tmp/fleet.yaml --cacert $tmp/ca.pem -i $INTERVAL"
pid=$(tmux -L $sock display -p '#{pane_pid}')
t0=$(date +%s)
until tmux -L $sock capture-pane -p | grep -q "^ *Hosts $N: $N on"; do
	[ $(($(date +%s) - t0)) -lt 180 ] || { echo "at_rest.sh: not all $N hosts polled in 180 s" >&2;
		tmux -L $sock capture-pane -p | head -3 >&2; exit 1; }
	sleep 0.5
done
echo "at rest: racktop pid $pid, $N hosts (HTTPS) all polled $(($(date +%s) - t0)) s after start;" \
	"polled every $INTERVAL s; watching $DURATION s"

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
ui_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/task/$pid/stat"; }
switches() { # TID: voluntary + nonvoluntary context switches
	awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }' "/proc/$pid/task/$1/status" 2>/dev/null || echo 0
}
# racktop-sim's request counter (/racktop-sim/stats) of the first 10
# BMCs: requests a host a poll. Credentials from the manifest into a 0600
# curl config, never on a command line.
( umask 077; printf 'user = "admin:%s"\ncacert = "%s"\nsilent\nmax-time = 10\n' \
	"$(awk '/^  password:/ { print $2; exit }' "$tmp/fleet.yaml" | base64 -d)" "$tmp/ca.pem" >"$tmp/curl.conf" )
sim_stat() { # WHAT: the sum of racktop-sim's counter WHAT (Requests, GetBytes)
	awk '/^    port:/ { print $2 }' "$tmp/fleet.yaml" | head -10 | while read -r port; do
		curl -K "$tmp/curl.conf" "https://127.0.0.1:$port/racktop-sim/stats"; echo
	done | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" | awk '{ s += $1 } END { print s + 0 }'
}
sim_requests() { echo "$(sim_stat Requests) $(sim_stat GetBytes)"; }
hz=$(getconf CLK_TCK)
r0=$(sim_requests)
c0=$(ticks)
u0=$(ui_ticks)
s0=$(date +%s.%N)
i=0
: >"$tmp/slots"
prev_ui=$(switches "$pid")
prev_other=0
for t in /proc/$pid/task/*; do tid=${t##*/}; [ "$tid" = "$pid" ] || prev_other=$((prev_other + $(switches "$tid"))); done
while [ $i -lt "$DURATION" ]; do
	sleep 1
	ui=$(switches "$pid")
	other=0
	for t in /proc/$pid/task/*; do tid=${t##*/}; [ "$tid" = "$pid" ] || other=$((other + $(switches "$tid"))); done
	echo "$((ui - prev_ui)) $((other - prev_other))" >>"$tmp/slots"
	prev_ui=$ui
	prev_other=$other
	i=$((i + 1))
done
c1=$(ticks)
u1=$(ui_ticks)
s1=$(date +%s.%N)
r1=$(sim_requests)
rss=$(awk '/VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status")
echo "$r0 $r1" | awk -v d="$DURATION" -v i="$INTERVAL" '{ printf "requests: %d to the first 10 BMCs in %d s = %.1f a host a poll (every %d s), %.1f KB a host a poll\n",
	$3 - $1, d, ($3 - $1) / 10 / (d / i), i, ($4 - $2) / 1000 / 10 / (d / i) }'
echo "$c0 $c1 $s0 $s1 $hz $u0 $u1" | awk '{ printf "CPU: %.2f s in %.0f s = %.2f %% of one core (screen thread %.2f s, engine %.2f s)\n",
	($2 - $1) / $5, $4 - $3, 100 * ($2 - $1) / $5 / ($4 - $3), ($7 - $6) / $5, ($2 - $1 - $7 + $6) / $5 }'
echo "memory: racktop VmRSS $rss with $N hosts"
awk -v n="$DURATION" '
	{ ui += $1; eng += $2; if ($2 == 0) quiet++; if ($2 == 0 && $1 > 0) uiq += $1; if ($2 == 0 && $1 == 0) still++ }
	END {
		printf "wake-ups (context switches) in %d s: screen thread %d (%.1f/s), engine %d (%.1f/s)\n", n, ui, ui / n, eng, eng / n
		printf "seconds with no engine wake-up (no poll running): %d of %d; in them the screen woke %d times; seconds with no wake-up at all: %d\n", quiet, n, uiq, still
	}' "$tmp/slots"
echo "engine wake-ups per second (first 60 s): $(head -60 "$tmp/slots" | awk '{ printf "%s ", $2 }')"
echo "screen wake-ups per second (first 60 s): $(head -60 "$tmp/slots" | awk '{ printf "%s ", $1 }')"

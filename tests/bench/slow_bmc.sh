#!/bin/sh
# Benchmark: a slow BMC (every answer after DELAY s; real ones take 2-5 s)
# in a large fleet. How long until its first poll reaches the screen (racktop
# in a terminal, tmux 200x50, the fleet view filtered to that host) and
# until --batch has it (the run ends with the last host). Prints figures;
# it asserts nothing. See doc/benchmarks.md.
#   sh tests/bench/slow_bmc.sh [BUILDDIR] [HOSTS] [SLOW] [DELAY]
# SLOW is the 0-based index of the slow BMC (racktop-sim --misbehave).
set -eu
build=$(cd "${1:-build}" && pwd)
hosts=${2:-600}
slow=${3:-400}
delay=${4:-3}
dir=$(mktemp -d)
sock=racktop-bench-$$
sim=
# A signal (an early-closing pipe included) must still stop the simulator.
trap 'tmux -L $sock kill-server 2>/dev/null; [ -n "$sim" ] && { kill $sim 2>/dev/null; wait $sim 2>/dev/null; }; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP PIPE

name=$(printf 'gpu-node-%03u' $((slow + 1)))
[ "$hosts" -gt 999 ] && name=$(printf 'gpu-node-%04u' $((slow + 1)))
now_ms() { date +%s%3N; }

sim_up() {
	"${RACKTOP_SIM:-$build/racktop-sim}" --hosts "$hosts" --port 0 --manifest "$dir/fleet.yaml" \
		--cert-out "$dir/ca.pem" --misbehave "$slow:slow" --slow-delay "$delay" \
		>"$dir/sim.out" 2>"$dir/sim.err" &
	sim=$!
	for _ in $(seq 300); do grep -q ready "$dir/sim.out" && return; sleep 0.1; done
	echo "racktop-sim did not get ready: $(cat "$dir/sim.err")" >&2
	exit 1
}
sim_down() { kill $sim; wait $sim 2>/dev/null || true; sim=; }

echo "$hosts hosts (HTTPS), $name answering every request after $delay s; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The screen: from launch to the slow host's row showing data ("ago").
sim_up
t0=$(now_ms)
tmux -L $sock -f /dev/null new-session -d -x 200 -y 50 \
	"LANG=C.UTF-8 $build/racktop -f $dir/fleet.yaml --cacert $dir/ca.pem"
sleep 1
tmux -L $sock send-keys / "^$name\$" Enter
seen=
while :; do
	row=$(tmux -L $sock capture-pane -p 2>/dev/null | grep "^ *$name " || true)
	case $row in
	*"first poll:"*) seen=$(printf '%s' "$row" | sed 's/.*first poll/first poll/; s/  *$//') ;;
	esac
	case $row in
	*" ago"*) break ;;
	esac
	if [ $(( $(now_ms) - t0 )) -gt 1800000 ]; then echo "screen: timed out after 30 min: $row"; break; fi
	sleep 0.2
done
t1=$(now_ms)
tmux -L $sock kill-server 2>/dev/null || true
echo "screen: first poll of $name shown after $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 )) s"
[ -n "$seen" ] && echo "  the last it said before: $seen"
sim_down

# 2. --batch: the run ends once every host, the slow one last, was polled.
sim_up
t0=$(now_ms)
"$build/racktop" --batch -f "$dir/fleet.yaml" --cacert "$dir/ca.pem" >"$dir/batch.json" || true
t1=$(now_ms)
python3 - "$dir/batch.json" "$name" <<'PY'
import json, sys
h = [x for x in json.load(open(sys.argv[1])) if x["name"] == sys.argv[2]][0]
print("  batch: %s: %s, %d GPUs" % (h["name"], h["error"] or "polled", len(h["gpus"])))
PY
echo "batch: whole run (the slow host last) $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 )) s"
sim_down

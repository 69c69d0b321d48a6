#!/bin/sh
# Benchmark: how long racktop takes to start and to have a complete
# picture of the 32-server demo fleet (racktop-sim, HTTPS, verified).
# Prints figures; it asserts nothing. See doc/benchmarks.md.
#   sh tests/bench/first_poll.sh [BUILDDIR] [HOSTS] [RUNS]
set -eu
build=$(cd "${1:-build}" && pwd)
hosts=${2:-32}
runs=${3:-10}
dir=$(mktemp -d)
sock=racktop-bench-$$
# A signal (an early-closing pipe included) must still stop the simulator.
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; tmux -L $sock kill-server 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP PIPE

"${RACKTOP_SIM:-$build/racktop-sim}" --hosts "$hosts" --port 0 --manifest "$dir/fleet.yaml" \
	--cert-out "$dir/ca.pem" >"$dir/sim.out" 2>"$dir/sim.err" &
sim=$!
for _ in $(seq 100); do grep -q ready "$dir/sim.out" && break; sleep 0.1; done

now_ms() { date +%s%3N; }
stats() { sort -n | awk '{v[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms (%d runs)\n", v[1], v[int((NR+1)/2)], v[NR], NR}'; }

# 1. Start-up alone: racktop parses its options and exits.
for _ in $(seq "$runs"); do
	t0=$(now_ms); "$build/racktop" --version >/dev/null; t1=$(now_ms); echo $((t1 - t0))
done | stats | sed 's/^/start (racktop --version): /'

# 2. Start, load the manifest, log in to every BMC, discover and read every
#    GPU of every host, log out, print JSON: one complete sweep.
for _ in $(seq "$runs"); do
	t0=$(now_ms)
	"$build/racktop" --batch -f "$dir/fleet.yaml" --cacert "$dir/ca.pem" >"$dir/batch.json"
	t1=$(now_ms); echo $((t1 - t0))
done | stats | sed "s/^/first complete poll of $hosts hosts (batch, HTTPS): /"
python3 -c "
import json,sys
d=json.load(open('$dir/batch.json'))
g=sum(len(h['gpus']) for h in d)
t=sum(1 for h in d for x in h['gpus'] if x['temperature_c'] is not None)
print(f'  last sweep: {len(d)} hosts, {g} GPUs, {t} with a temperature, {sum(1 for h in d if h[\"error\"])} hosts failed')"

# 3. The screen: from launching racktop in a terminal (tmux, 120x40) to the
#    first frame, and to the summary line counting every host as polled.
if command -v tmux >/dev/null; then
	for _ in $(seq "$runs"); do
		t0=$(now_ms)
		tmux -L $sock -f /dev/null new-session -d -x 120 -y 40 \
			"LANG=C.UTF-8 $build/racktop -f $dir/fleet.yaml --cacert $dir/ca.pem"
		first=
		while :; do
			scr=$(tmux -L $sock capture-pane -p 2>/dev/null || true)
			[ -z "$first" ] && printf '%s' "$scr" | grep -q "^Hosts $hosts" && first=$(now_ms)
			printf '%s' "$scr" | grep -q "^Hosts $hosts: $hosts on" && break
			[ $(( $(now_ms) - t0 )) -gt 30000 ] && { echo "timed out" >&2; break; }
			sleep 0.01
		done
		t1=$(now_ms)
		tmux -L $sock kill-server 2>/dev/null || true
		echo "$((first - t0)) $((t1 - t0))"
	done >"$dir/screen.times"
	cut -d' ' -f1 "$dir/screen.times" | stats | sed 's/^/screen: launch to first frame: /'
	cut -d' ' -f2 "$dir/screen.times" | stats | sed "s/^/screen: launch to all $hosts hosts shown polled: /"
fi

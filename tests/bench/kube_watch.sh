#!/bin/sh
# racktop --kube watching 10,000 Hardware and 10,000 Workflows
# (doc/benchmarks.md): a real kube-apiserver (../shared/kube-apiserver)
# loaded by tests/bench/kube_load.py (each Workflow with a status of one
# task and three actions), then racktop on a tmux screen: the time from
# its start to the first complete fleet screen (every Hardware a row),
# then to the workflow view with every Workflow, and its memory (VmRSS)
# at each point and after a minute of watching. For comparison, first:
# how long python3 takes to list the same objects, and racktop --batch
# --kube (the same lists, no screen).
#
#   sh tests/bench/kube_watch.sh [BUILDDIR]
#   N=2000 sh tests/bench/kube_watch.sh build
#
# Not a test: it prints figures. Needs tmux, curl, python3.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
N=${N:-10000}
IDLE=${IDLE:-60}
RACKTOP=$build/racktop
[ -x "$RACKTOP" ] || { echo "kube_watch.sh: build $RACKTOP first" >&2; exit 1; }
RACKTOP_SHARED=${RACKTOP_SHARED:-$top/../shared}
export RACKTOP_SHARED
. "$top/tests/integration/kube_lib.sh"

T=$(mktemp -d /tmp/racktop-kbench.XXXXXX)
SOCK=racktop-kbench-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup()
{
	tm kill-server 2>/dev/null || true
	kube_stop
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

now_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }
rss() { awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$1/status"; }
# wait_screen REGEX SECONDS: until the screen matches (0) or not (1).
wait_screen()
{
	_end=$(( $(date +%s) + $2 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		tm capture-pane -p -t b 2>/dev/null | grep -Eq -e "$1" && return 0
		sleep 0.05
	done
	return 1
}

echo "kube watch: $N Hardware, $N Workflows; $(nproc) CPUs; $(date -u +%Y-%m-%d);" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
kube_start "$T/k8s"
kube_post "$TB/default/templates" '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"Template",
	"metadata":{"name":"debian"},"spec":{"data":"version: \"0.1\"\nname: debian\n"}}'
python3 "$top/tests/bench/kube_load.py" "$N" 8
python3 "$top/tests/bench/kube_load.py" --list
# The same picture without a screen: the kube thread alone.
python3 - "$RACKTOP" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
out = subprocess.run([sys.argv[1], "--batch", "--kube"], stdout=subprocess.PIPE, check=True).stdout
dt = time.monotonic() - t0
print("racktop --batch --kube: the complete picture (%d bytes of JSON) in %d ms; max RSS %.1f MiB"
      % (len(out), dt * 1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY

tm start-server \; new-session -d -s b -x 200 -y 50 -e "KUBECONFIG=$KUBECONFIG" \
	-e "XDG_STATE_HOME=$T/state" -e LANG=C.UTF-8 sh
tm set -g status off
sleep 0.5
t0=$(now_ms)
tm send-keys -t b "exec $RACKTOP --kube" Enter
sleep 0.3
pid=$(tm display -p -t b '#{pane_pid}')
wait_screen "Hosts $N: " 300 || { echo "no complete fleet screen within 300 s:"; tm capture-pane -p -t b | tail -5; exit 1; }
t1=$(now_ms)
echo "first complete fleet screen ($N hosts): $((t1 - t0)) ms; VmRSS $(rss "$pid")"
_end=$(( $(date +%s) + 300 ))
while tm capture-pane -p -t b | grep -q "kube: listing" && [ "$(date +%s)" -lt "$_end" ]; do sleep 0.05; done
t3=$(now_ms)
echo "every resource listed (the title stops saying \"kube: listing\"): $((t3 - t0)) ms; VmRSS $(rss "$pid")"
tm send-keys -t b w
wait_screen "in all" 60 || { echo "no workflow view"; exit 1; }
wait_screen "[0-9]+ running, $N in all" 300 || { echo "not every Workflow in the view:"; tm capture-pane -p -t b | head -3; exit 1; }
t2=$(now_ms)
echo "workflow view with $N Workflows: $((t2 - t0)) ms from the start; VmRSS $(rss "$pid")"
tm capture-pane -p -t b | sed -n 1,4p
c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
sleep "$IDLE"
c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
echo "after ${IDLE} s watching (workflow view up, elapsed times ticking): VmRSS $(rss "$pid");" \
	"CPU $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) ms"
tm send-keys -t b q
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

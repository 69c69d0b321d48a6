#!/bin/sh
# The fleet screen at 10,000 hosts (doc/benchmarks.md): tests/bench/bench_frame
# times the real filter, sort and draw code on a pseudo-terminal, with the
# data racktop-sim's BMCs report (8 GPUs, 19 sensors, 1 log entry a host),
# then the memory with every host's log full (32 entries).
#
#   sh tests/bench/screen_frame.sh [BUILDDIR]
#   HOSTS=10000 FRAMES=300 SIZE=200x50 sh tests/bench/screen_frame.sh build
#   CLOCK=cpu sh tests/bench/screen_frame.sh build   # on a loaded machine:
#       frames timed by the thread's CPU clock, not the wall clock
#
# Not a test: it prints figures.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
HOSTS=${HOSTS:-10000}
FRAMES=${FRAMES:-300}
SIZE=${SIZE:-200x50}
case ${CLOCK:-wall} in
cpu) clock=--cpu-clock ;;
wall) clock= ;;
*) echo "screen_frame.sh: CLOCK is wall or cpu, not '$CLOCK'" >&2; exit 2 ;;
esac
b=$build/tests/bench/bench_frame
[ -x "$b" ] || { echo "screen_frame.sh: build $b first (make -C $build tests/bench/bench_frame)" >&2; exit 1; }
echo "fleet screen: $HOSTS hosts, $((HOSTS * 8)) GPUs, terminal $SIZE; $(nproc) CPUs; $(date -u +%Y-%m-%d);" \
	"${CLOCK:-wall} clock; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$b" --hosts "$HOSTS" --frames "$FRAMES" --size "$SIZE" --sensors 19 --events 1 $clock
"$b" --hosts "$HOSTS" --frames 20 --size "$SIZE" --sensors 19 --events 32 $clock | tail -1
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

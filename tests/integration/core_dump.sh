#!/bin/sh
# racktop leaves no core dump (it would hold the BMC passwords): a real
# racktop --batch, held busy by a slow simulated BMC (3 s a request),
# runs with RLIMIT_CORE 0, soft and hard, and not dumpable; with
# --allow-core-dump both stay as they were.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Core-Test
M=$SIM_TMP/fleet.yaml
export XDG_STATE_HOME=$SIM_TMP/state
sim_start fleet --hosts 1 --port 0 --manifest "$M" --cert-out "$SIM_TMP/ca.pem" \
	--password-file "$SIM_TMP/pw" --misbehave 0:slow || exit 1

# core_limits PID: "SOFT HARD" of its RLIMIT_CORE.
core_limits() { awk '/^Max core file size/ { print $5, $6 }' "/proc/$1/limits"; }
# busy PID: waits (20 s at most) until racktop's engine thread runs,
# which starts well after racktop turned core dumps off.
busy() {
	n=0
	while [ $n -lt 200 ]; do
		t=$(awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
		[ "${t:-0}" -ge 2 ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
start() {
	"$RACKTOP" --batch -f "$M" --cacert "$SIM_TMP/ca.pem" "$@" >"$SIM_TMP/out" 2>"$SIM_TMP/err" &
	pid=$!
	SIM_PIDS="$pid $SIM_PIDS"
}
stop() { kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

start
sim_check "racktop --batch is running" busy "$pid"
sim_eq "RLIMIT_CORE is 0, soft and hard" "$(core_limits "$pid")" "0 0"
if [ "$(id -u)" != 0 ]; then
	# Not dumpable: the kernel gives its /proc files to root.
	sim_eq "racktop is not dumpable" "$(stat -c %u "/proc/$pid")" 0
fi
stop

start --allow-core-dump
sim_check "racktop --batch --allow-core-dump is running" busy "$pid"
sim_eq "--allow-core-dump keeps the hard limit" "$(core_limits "$pid" | cut -d' ' -f2)" \
	"$(core_limits $$ | cut -d' ' -f2)"
if [ "$(id -u)" != 0 ]; then
	sim_eq "--allow-core-dump: dumpable" "$(stat -c %u "/proc/$pid")" "$(id -u)"
fi
stop
sim_check "the help names --allow-core-dump" sh -c '"$RACKTOP" --help | grep -q -- --allow-core-dump'

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

#!/bin/sh
# IPMI sensor sweep benchmark (doc/benchmarks.md): N ipmi_sim BMCs on
# loopback, every sensor of every BMC read once by racktop's own sensor
# path (tests/bench/ipmi_sweep --sensors: the poll's session and sensor
# functions on racktop's worker pool, WORKERS threads) and by FreeIPMI's
# own hostranged ipmi-sensors (--fanout FANOUT), in the same run, on the
# same BMCs, cold (empty SDR caches) and warm (cached). racktop's warm
# figure is a sweep in the sessions it keeps open between polls (what
# every poll after the first does); its sweep in new sessions is shown
# next to it. ipmi-sensors opens a session per BMC every run. Second line of
# each round: racktop's full first poll by the engine (chassis status,
# Device ID, FRU, SEL Info, sensors, SEL) against ipmi-sensors followed
# by ipmi-chassis --get-chassis-status.
#   PERF=FILE also records one warm racktop sensor sweep with perf.
#
#   sh tests/bench/ipmi_sweep.sh [BUILDDIR]      (default: build)
#   N=50 ROUNDS=3 WORKERS=64 sh tests/bench/ipmi_sweep.sh build-ipmi
#
# Credentials go through a 0600 config file (ipmi-sensors) and a Secret
# in the manifest (racktop), never a command line. Not a test: it prints
# figures; it fails only when a sweep does not read every BMC.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
N=${N:-50}
ROUNDS=${ROUNDS:-3}
WORKERS=${WORKERS:-64}
FANOUT=${FANOUT:-64}
SIM=${RACKTOP_SHARED:-$top/../shared}/ipmi-sim
# start.sh's wait for each BMC: 20 s is short on a loaded 2-core machine.
IPMI_SIM_WAIT=${IPMI_SIM_WAIT:-60}; export IPMI_SIM_WAIT
sweep=$build/tests/bench/ipmi_sweep
[ -x "$sweep" ] || { echo "ipmi_sweep.sh: build $sweep first (make tests/bench/ipmi_sweep)" >&2; exit 1; }
for t in ipmi_sim ipmi-sensors socat; do
	command -v $t >/dev/null || { echo "ipmi_sweep.sh: $t is needed (apt-get install openipmi freeipmi-tools socat)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/racktop-ipmi-bench.XXXXXX")
stop_all() {
	for d in "$tmp"/bmc*; do
		[ -f "$d/pids" ] && "$SIM/stop.sh" --keep "$d" >/dev/null 2>&1 &
	done
	wait
	rm -rf "$tmp"
}
trap stop_all EXIT
trap 'exit 1' INT TERM

mem_used() { free -m | awk '/^Mem:/ { print $3 }'; }
mem0=$(mem_used)

# ---- N BMCs, started 10 at a time (about 0.8 s each) --------------------
base=$((20000 + ($$ % 200) * 100))
start_one() { # index port
	"$SIM/start.sh" "$2" "$tmp/bmc$1" >"$tmp/bmc$1.env" 2>"$tmp/bmc$1.err"
}
t0=$(date +%s.%N)
i=1
while [ $i -le "$N" ]; do
	j=$i
	while [ $j -le "$N" ] && [ $j -lt $((i + 10)) ]; do
		port=$((base + j))
		( tries=0
		  until start_one $j $port; do
			"$SIM/stop.sh" --keep "$tmp/bmc$j" >/dev/null 2>&1 || true
			tries=$((tries + 1)); port=$((port + 5000))
			[ $tries -lt 4 ] || exit 1
		  done
		  echo $port >"$tmp/bmc$j.port" ) &
		j=$((j + 1))
	done
	wait
	i=$j
done
t1=$(date +%s.%N)
ports=
for i in $(seq 1 "$N"); do
	[ -s "$tmp/bmc$i.port" ] || { cat "$tmp/bmc$i.err" >&2; echo "ipmi_sweep.sh: BMC $i did not start" >&2; exit 1; }
	ports="$ports $(cat "$tmp/bmc$i.port")"
done
sim_rss=$(ps -C ipmi_sim -o rss= | awk '{ s += $1 } END { printf "%d", s / 1024 }')
echo "started $N ipmi_sim BMCs in $(echo "$t1 - $t0" | bc) s; memory used $mem0 -> $(mem_used) MiB (ipmi_sim RSS $sim_rss MiB in all)"

# ---- the two clients' settings -------------------------------------------
manifest=$tmp/fleet.yaml
{
	echo "apiVersion: v1"; echo "kind: Secret"
	echo "metadata: {name: bmc-auth, namespace: default}"
	echo "stringData: {username: admin, password: password}"
	n=0
	for p in $ports; do
		n=$((n + 1))
		cat <<EOT
---
apiVersion: bmc.tinkerbell.org/v1alpha1
kind: Machine
metadata:
  name: bmc-$n
  namespace: default
  annotations:
    racktop/protocol: ipmi
    racktop/ipmi-workarounds: opensesspriv
spec:
  connection:
    host: 127.0.0.1
    insecureTLS: false
    authSecretRef: {name: bmc-auth, namespace: default}
    providerOptions:
      ipmitool: {port: $p, cipherSuite: "3"}
EOT
	done
} >"$manifest"
conf=$tmp/freeipmi.conf
(umask 077; printf '%s\n' "driver-type LAN_2_0" "username admin" "password password" \
	"privilege-level ADMIN" "cipher-suite-id 3" "workaround-flags opensesspriv" >"$conf")
hosts=$(for p in $ports; do printf '127.0.0.1:%s,' "$p"; done | sed 's/,$//')

# ---- sweeps ----------------------------------------------------------------
now() { date +%s.%N; }
run_freeipmi() { # SDRDIR
	s=$(now)
	ipmi-sensors --config-file="$conf" -h "$hosts" --fanout "$FANOUT" \
		--sdr-cache-directory="$1" --quiet-cache >"$tmp/fi.out" 2>"$tmp/fi.err" || true
	e=$(now)
	ok=$(grep -c '| GPU0 Temp *|' "$tmp/fi.out" || true)
	[ "$ok" = "$N" ] || { head -5 "$tmp/fi.err" >&2; echo "ipmi-sensors read $ok of $N BMCs" >&2; exit 1; }
	echo "$e - $s" | bc
}
# The same BMC work as racktop's poll: sensors, then chassis status.
run_freeipmi_both() { # SDRDIR
	s=$(now)
	ipmi-sensors --config-file="$conf" -h "$hosts" --fanout "$FANOUT" \
		--sdr-cache-directory="$1" --quiet-cache >"$tmp/fi.out" 2>"$tmp/fi.err" || true
	ipmi-chassis --config-file="$conf" -h "$hosts" --fanout "$FANOUT" \
		--get-chassis-status >"$tmp/fc.out" 2>"$tmp/fc.err" || true
	e=$(now)
	ok=$(grep -c 'System Power' "$tmp/fc.out" || true)
	[ "$ok" = "$N" ] || { head -5 "$tmp/fc.err" >&2; echo "ipmi-chassis read $ok of $N BMCs" >&2; exit 1; }
	echo "$e - $s" | bc
}
run_racktop() { # SDRDIR [--sensors]
	out=$("$sweep" "$manifest" "$WORKERS" "$@" 2>"$tmp/rt.err") ||
		{ head -5 "$tmp/rt.err" >&2; echo "racktop: $out" >&2; exit 1; }
	set -- $out
	[ "$2" = "$N" ] || { echo "racktop read $2 of $N BMCs" >&2; exit 1; }
	echo "$1${4:+ $4}"
}
# --sensors prints "kept new": the sweep in kept sessions, in new ones.
ratio() { echo "scale=2; $1 / $2" | bc; }

mkdir -m 700 "$tmp/sdr-fi" "$tmp/sdr-rt" "$tmp/sdr-rp"
fi_cold=$(run_freeipmi "$tmp/sdr-fi")
rt_cold=$(run_racktop "$tmp/sdr-rt" --sensors); rt_cold=${rt_cold#* }
echo "cold sensors (new sessions, SDR caches built): racktop $rt_cold s, ipmi-sensors $fi_cold s, racktop/ipmi-sensors $(ratio "$rt_cold" "$fi_cold")"
set -- $(run_racktop "$tmp/sdr-rp")
echo "cold full poll: racktop first poll $1 s (SDR cache built), second poll $2 s"
rt_best= rtn_best= fi_best= rp_best= rp2_best= both_best=
for r in $(seq 1 "$ROUNDS"); do
	# Alternate who goes first, so neither always meets warm BMCs.
	if [ $((r % 2)) = 1 ]; then
		rt=$(run_racktop "$tmp/sdr-rt" --sensors); fi=$(run_freeipmi "$tmp/sdr-fi")
		rp=$(run_racktop "$tmp/sdr-rp"); both=$(run_freeipmi_both "$tmp/sdr-fi")
	else
		fi=$(run_freeipmi "$tmp/sdr-fi"); rt=$(run_racktop "$tmp/sdr-rt" --sensors)
		both=$(run_freeipmi_both "$tmp/sdr-fi"); rp=$(run_racktop "$tmp/sdr-rp")
	fi
	rtn=${rt#* }; rt=${rt% *}
	echo "warm round $r sensors: racktop $rt s in kept sessions ($rtn s in new ones), ipmi-sensors $fi s, racktop/ipmi-sensors $(ratio "$rt" "$fi") ($(ratio "$rtn" "$fi") new)"
	rp2=${rp#* }; rp=${rp% *}
	echo "warm round $r full poll: racktop first poll $rp s, second poll $rp2 s; ipmi-sensors + ipmi-chassis $both s; ratios $(ratio "$rp" "$both") (first), $(ratio "$rp2" "$both") (second)"
	[ -z "$rt_best" ] || [ "$(echo "$rt < $rt_best" | bc)" = 1 ] && rt_best=$rt
	[ -z "$rtn_best" ] || [ "$(echo "$rtn < $rtn_best" | bc)" = 1 ] && rtn_best=$rtn
	[ -z "$fi_best" ] || [ "$(echo "$fi < $fi_best" | bc)" = 1 ] && fi_best=$fi
	[ -z "$rp_best" ] || [ "$(echo "$rp < $rp_best" | bc)" = 1 ] && rp_best=$rp
	[ -z "$rp2_best" ] || [ "$(echo "$rp2 < $rp2_best" | bc)" = 1 ] && rp2_best=$rp2
	[ -z "$both_best" ] || [ "$(echo "$both < $both_best" | bc)" = 1 ] && both_best=$both
done
echo "best warm sensors: racktop $rt_best s in kept sessions, $rtn_best s in new ones ($WORKERS workers), ipmi-sensors $fi_best s (fanout $FANOUT), ratios $(ratio "$rt_best" "$fi_best") (kept), $(ratio "$rtn_best" "$fi_best") (new)"
echo "best warm full poll: racktop first poll $rp_best s, second poll $rp2_best s; ipmi-sensors + ipmi-chassis $both_best s; ratios $(ratio "$rp_best" "$both_best") (first), $(ratio "$rp2_best" "$both_best") (second)"
echo "(first poll: a new session, chassis status, Device ID, FRU, Get SEL Info, sensors, the SEL; second poll, in the session kept: chassis status, Get SEL Info, sensors)"
if [ -n "${PERF:-}" ]; then
	perf record -q -g -o "$PERF" -- "$sweep" "$manifest" "$WORKERS" "$tmp/sdr-rt" --sensors >/dev/null 2>&1 ||
		echo "perf record failed" >&2
fi

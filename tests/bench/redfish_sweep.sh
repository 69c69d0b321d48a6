#!/bin/sh
# Redfish sweep benchmark (doc/benchmarks.md): racktop-sim with N
# simulated 8-GPU BMCs on loopback, and the time each client takes to a
# complete picture of every GPU of every host, in the same run:
#
#   racktop --batch   the whole program, cold: start, log in, discover,
#                     read, log out, print JSON
#   bench_sweep       racktop's engine: cold, then WARM sweeps (sessions,
#                     connections and discovered trees kept)
#   plain fetch       tests/bench/bench_fetch: the same URLs as the peers,
#                     known up front, GET on one curl multi, nothing decoded:
#                     the simulator's own limit (PAR in flight, PERHOST
#                     connections a BMC; the best of them is the limit)
#   python3-sushy     tests/bench/sweep_peers.py sushy, a ThreadPoolExecutor
#   redfishtool       DMTF's CLI, one process a request, xargs -P; on the
#                     first RFT_HOSTS hosts only (it takes ~0.2 s of CPU a
#                     call), scaled to N
#
#   sh tests/bench/redfish_sweep.sh [BUILDDIR]
#   N=1000 SCHEMES="http https" WARM=3 sh tests/bench/redfish_sweep.sh build
#
# Credentials: the simulator's generated loopback password, read from its
# manifest into 0600 files (a netrc for bench_fetch, redfishtool's -c JSON
# for redfishtool and sushy); never on a command line. Not a test: it
# prints figures; it fails when a sweep misses a host.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
N=${N:-1000}
SCHEMES=${SCHEMES:-http https}
WARM=${WARM:-3}
PAR=${PAR:-16 64}
PERHOST=${PERHOST:-1 4}
SUSHY_WORKERS=${SUSHY_WORKERS:-32}
RFT_HOSTS=${RFT_HOSTS:-20}
RFT_PAR=${RFT_PAR:-8}
sweep=$build/tests/bench/bench_sweep
fetch=$build/tests/bench/bench_fetch
peers="/usr/bin/python3 $top/tests/bench/sweep_peers.py"
for p in "$sweep" "$fetch"; do
	[ -x "$p" ] || { echo "redfish_sweep.sh: build $p first (make -C $build tests/bench/bench_sweep tests/bench/bench_fetch)" >&2; exit 1; }
done
command -v redfishtool >/dev/null || { echo "redfish_sweep.sh: apt-get install redfishtool python3-sushy" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/racktop-rf-bench.XXXXXX")
sim=
stop_sim() { [ -n "$sim" ] && kill "$sim" 2>/dev/null && wait "$sim" 2>/dev/null; sim=; }
trap 'stop_sim; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.3f", $1 - $2 }'; }

echo "redfish sweep: $N simulated BMCs, 8 GPUs each; $(nproc) CPUs; $(date -u +%Y-%m-%d)"
for scheme in $SCHEMES; do
	d=$tmp/$scheme
	mkdir -p "$d"
	if [ "$scheme" = http ]; then
		simopt=--http; ca=; cacert=; rftS=Never
	else
		simopt="--cert-out $d/ca.pem"; ca=$d/ca.pem; cacert="--cacert $d/ca.pem"; rftS=Always
	fi
	t0=$(now)
	"$build/racktop-sim" --hosts "$N" --port 0 $simopt --manifest "$d/fleet.yaml" \
		>"$d/sim.out" 2>"$d/sim.err" &
	sim=$!
	for _ in $(seq 600); do grep -q ready "$d/sim.out" 2>/dev/null && break; sleep 0.1; done
	grep -q ready "$d/sim.out" || { cat "$d/sim.err" >&2; exit 1; }
	echo "== $scheme: simulator ready in $(since "$t0") s, $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$sim/status)"

	grep '^    port:' "$d/fleet.yaml" | awk '{ print $2 }' >"$d/ports"
	( umask 077
	  pw=$(awk '/^  password:/ { print $2; exit }' "$d/fleet.yaml" | base64 -d)
	  printf '{"user": "admin", "password": "%s"}\n' "$pw" >"$d/creds.json"
	  printf 'machine 127.0.0.1 login admin password %s\n' "$pw" >"$d/netrc" )
	$peers urls "$d/ports" "$d/creds.json" "$scheme" $ca >"$d/urls"
	echo "resources a peer reads: $(wc -l <"$d/urls") ($(($(wc -l <"$d/urls") / N)) a host)"

	# racktop --batch, cold, the whole program.
	t0=$(now)
	"$build/racktop" --batch -f "$d/fleet.yaml" $cacert >"$d/batch.json" 2>"$d/batch.err" || true
	t=$(since "$t0")
	/usr/bin/python3 - "$d/batch.json" "$N" "$t" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
	gpus = sum(len(h["gpus"]) for h in d)
	temps = sum(1 for h in d for g in h["gpus"] if g["temperature_c"] is not None)
	bad = sum(1 for h in d if h["error"])
	print(f"racktop --batch (cold, whole program): {sys.argv[3]} s, {len(d)} hosts, {gpus} GPUs, "
	      f"{temps} temperatures, {bad} hosts failed")
	if len(d) != n or gpus != 8 * n or bad:
	    sys.exit(1)
	EOF

	# racktop's engine: cold, then warm sweeps.
	"$sweep" "$d/fleet.yaml" "$WARM" 0 0 $ca | while read -r what s cpu good bad; do
		echo "racktop engine $what: $s s ($cpu s CPU), $good hosts complete, $bad not"
	done

	# The plain fetch: the simulator's limit.
	for par in $PAR; do
		for ph in $PERHOST; do
			"$fetch" "$d/urls" "$par" "$ph" "$d/netrc" $ca | while read -r s n bytes bad; do
				echo "plain fetch ($par in flight, $ph a host): $s s, $n GETs, $bytes bytes, $bad failed"
			done
		done
	done

	# python3-sushy, every host.
	$peers sushy "$d/ports" "$d/creds.json" "$scheme" "$SUSHY_WORKERS" $ca |
		while read -r s hosts gpus bad; do
			echo "python3-sushy ($SUSHY_WORKERS threads): $s s, $hosts hosts, $gpus GPUs, $bad hosts failed"
		done

	# redfishtool: per host the collections it reads itself, then a raw
	# GET for every GPU metric (it has no subcommand for them).
	head -n "$RFT_HOSTS" "$d/ports" | while read -r p; do
		echo "$p Systems -a"
		grep "^$scheme://127.0.0.1:$p/" "$d/urls" | sed "s|^$scheme://127.0.0.1:$p||" |
			awk -v p="$p" '
			/\/Processors$/ { split($0, a, "/"); print p " Systems -I " a[5] " Processors -a"; next }
			/Metrics$/ { print p " raw GET " $0 }'
	done >"$d/rft.cmds"
	t0=$(now)
	rc=0
	RFT_CREDS=$d/creds.json RFT_S=$rftS RFT_ERR=$d/rft.err xargs -P "$RFT_PAR" -L 1 sh -c 'redfishtool -r "127.0.0.1:$0" -c "$RFT_CREDS" -S "$RFT_S" -T 30 "$@" >/dev/null 2>>"$RFT_ERR"' \
		<"$d/rft.cmds" || rc=$?
	t=$(since "$t0")
	echo "redfishtool (xargs -P $RFT_PAR): $t s for $RFT_HOSTS hosts ($(wc -l <"$d/rft.cmds") calls, exit $rc);" \
		"scaled to $N hosts: $(echo "$t $N $RFT_HOSTS" | awk '{ printf "%.0f", $1 * $2 / $3 }') s"
	stop_sim
done

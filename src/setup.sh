#!/bin/sh
# racktop set-up for a fresh Debian 12 machine, run as root from the top
# of the source tree (see README):
#   sh src/setup.sh run    install what is missing, build, start racktop --demo
#   sh src/setup.sh test   install what is missing, build, run every test:
#                          the suite, the suite again under AddressSanitizer
#                          and UndefinedBehaviorSanitizer, make distcheck,
#                          and every fuzzer for 30 s
set -eu

mode=${1:-run}
case $mode in run|test) ;; *) echo "usage: sh src/setup.sh run|test" >&2; exit 2;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Build and run-time libraries, then what the tests drive.
pkgs="autoconf automake pkg-config make gcc libc6-dev
libncurses-dev libcurl4-openssl-dev libjansson-dev libyajl-dev libyaml-dev
libmicrohttpd-dev libgnutls28-dev libcriterion-dev
libfreeipmi-dev libipmimonitoring-dev libipmiconsole-dev libssh-dev libvterm-dev
ca-certificates"
[ "$mode" = test ] && pkgs="$pkgs tmux curl python3 python3-yaml valgrind openipmi freeipmi-tools ipmitool socat openssh-server openssh-client
clang libclang-rt-dev binutils"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "racktop setup: these Debian packages are missing and installing them needs root:$missing" >&2
		exit 1
	fi
	echo "racktop setup: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p build
(cd build && { [ -f Makefile ] || ../configure -q; } && make -s -j"$jobs")

if [ "$mode" = run ]; then
	exec ./build/racktop --demo
fi

# Every test, three ways. The counts at the end add up all three.
status=0
# The Kubernetes mode tests drive a real kube-apiserver, built once from
# Debian's kubernetes source package (about 7 minutes on 2 cores), then
# cached in ~/.cache/kube-apiserver.
"$top/../shared/kube-apiserver/build.sh" >/dev/null || {
	echo "racktop setup: building kube-apiserver failed (../shared/kube-apiserver/build.sh)" >&2
	status=1
}
(cd build && make -s -j"$jobs" check) || status=1
mkdir -p build-sanitize
(cd build-sanitize && { [ -f Makefile ] || ../configure -q --enable-sanitizers; } &&
	make -s -j"$jobs" && ASAN_OPTIONS=detect_leaks=1 make -s -j"$jobs" check) || status=1
(cd build && make -s -j"$jobs" distcheck >distcheck.out 2>&1) || { tail -50 build/distcheck.out; status=1; }
# Every parser of untrusted input under libFuzzer for 30 s each
# (doc/fuzzing.md); a finding fails the run and leaves its input in
# build-fuzz/tests/fuzz/.
mkdir -p build-fuzz
(cd build-fuzz && { [ -f Makefile ] || ../configure -q --enable-fuzzing CC=clang; } &&
	make -s -j"$jobs" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-30}") || status=1

passed=0; failed=0
for log in build/test-suite.log build-sanitize/test-suite.log; do
	[ -f "$log" ] || { failed=$((failed + 1)); continue; }
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -1); f=$(sed -n 's/^# FAIL: *//p' "$log" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"

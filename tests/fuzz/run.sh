#!/bin/sh
# make fuzz: run each harness for $FUZZ_SECONDS from its seed corpus.
# usage: run.sh SEED_DIR HARNESS...   (from the build tree)
# Fails (exit 1) when any harness reports a finding; each finding is left
# as tests/fuzz/crash-NAME-* (or leak-, timeout-, oom-) to reproduce with
#   tests/fuzz/fuzz_NAME tests/fuzz/crash-NAME-...
set -u
seeds=$1; shift
: "${FUZZ_SECONDS:=30}" "${FUZZ_FLAGS:=}"
# Every harness may write temporary files; keep them in one place that
# is removed afterwards.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/racktop-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=
for h in "$@"; do
	name=${h##*/fuzz_}
	work=tests/fuzz/work/$name
	mkdir -p "$work"
	log=tests/fuzz/$name.fuzz.log
	dirs="$work"
	[ -d "$seeds/$name" ] && dirs="$dirs $seeds/$name"
	printf 'fuzz %-16s %ss ... ' "$name" "$FUZZ_SECONDS"
	# shellcheck disable=SC2086
	if TMPDIR=$tmp "$h" $FUZZ_FLAGS -max_total_time="$FUZZ_SECONDS" \
		-artifact_prefix="tests/fuzz/crash-$name-" $dirs >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "ok (${runs:-?} runs)"
	else
		echo "FAILED (see $log)"
		grep -m 5 -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | sed 's/^/    /'
		failed="$failed $name"
	fi
done
if [ -n "$failed" ]; then
	echo "make fuzz: findings in:$failed" >&2
	exit 1
fi

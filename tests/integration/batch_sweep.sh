#!/bin/sh
# racktop --batch --interval N on racktop-sim (--demo): one JSON document
# a line per sweep until SIGTERM or Ctrl-C (then exit 130), each host with
# polled_at and its GPUs' names and states; --hosts alone sweeps only
# those hosts; and --format table.
set -eu
T=$(mktemp -d /tmp/racktop-sweep.XXXXXX)
trap 'rm -rf "$T"' EXIT
export RACKTOP_SIM

: >"$T/sweeps"
"$RACKTOP" --batch --demo --demo-hosts 2 --interval 1 >"$T/sweeps" 2>"$T/err" &
pid=$!
# The first sweep comes after the first complete poll, then one a second.
t=60
while [ "$(wc -l <"$T/sweeps")" -lt 3 ]; do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: fewer than 3 sweeps"; cat "$T/err"; kill $pid; exit 1; }
	sleep 0.5
done
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { echo "FAIL: exit $rc after SIGTERM, want 130"; cat "$T/err"; exit 1; }
python3 - "$T/sweeps" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 3, lines
import re
first = None
for l in lines:
    doc = json.loads(l)
    assert [h["name"] for h in doc] == ["gpu-node-001", "gpu-node-002"], doc
    assert all(h["power"] == "On" and len(h["gpus"]) == 8 for h in doc), doc
    # Each host says when its last poll ended (ISO 8601 UTC).
    for h in doc:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", h["polled_at"]), h["polled_at"]
        assert [g["name"] for g in h["gpus"]] == ["GPU_SXM_%d" % i for i in range(1, 9)], h["gpus"]
        assert all(g["state"] == "Enabled" for g in h["gpus"]), h["gpus"]
    at = [h["polled_at"] for h in doc]
    first = first or at
    assert all(a >= f for a, f in zip(at, first)), (first, at)
PY

# --hosts without --action: the sweeps hold only those hosts. Emptied
# first: the background job's own > may truncate it only after the loop
# below has counted the last run's lines, and signalled a racktop not
# yet started.
: >"$T/sweeps"
"$RACKTOP" --batch --demo --demo-hosts 3 --interval 1 --hosts '-00[13]$' >"$T/sweeps" 2>"$T/err" &
pid=$!
t=60
while [ "$(wc -l <"$T/sweeps")" -lt 2 ]; do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: no --hosts sweeps"; cat "$T/err"; kill $pid; exit 1; }
	sleep 0.5
done
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { echo "FAIL: --hosts sweep: exit $rc after SIGTERM, want 130"; cat "$T/err"; exit 1; }
python3 - "$T/sweeps" <<'PY'
import json, sys
for l in open(sys.argv[1]).read().splitlines():
    assert [h["name"] for h in json.loads(l)] == ["gpu-node-001", "gpu-node-003"], l
PY
rc=0
"$RACKTOP" --batch --demo --demo-hosts 2 --hosts '(' >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "^racktop: --hosts '(': " "$T/err" || { echo "FAIL: bad --hosts: exit $rc"; cat "$T/err"; exit 1; }
rc=0
"$RACKTOP" --demo --hosts 'x' >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--hosts and --yes go with --action (or --batch" "$T/err" || { echo "FAIL: --hosts on the screen: exit $rc"; cat "$T/err"; exit 1; }

# Ctrl-C too (a shell starts a background job with SIGINT ignored, and
# racktop keeps an ignored signal ignored: give it the default).
env --default-signal=INT "$RACKTOP" --batch --demo --demo-hosts 2 --interval 1 --format table \
	>"$T/table" 2>"$T/err" &
pid=$!
t=60
until grep -q '^gpu-node-002 ' "$T/table"; do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: no table sweep"; cat "$T/err"; kill $pid; exit 1; }
	sleep 0.5
done
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] && grep -q "SIGINT: stopping" "$T/err" ||
	{ echo "FAIL: exit $rc after SIGINT, want 130 and a word on stderr"; cat "$T/err"; exit 1; }

"$RACKTOP" --batch --demo --demo-hosts 2 --format table >"$T/table"
head -1 "$T/table" | grep -Eq '^NAME +POWER +HEALTH +GPUS +HOTTEST +ERROR$' || { echo "FAIL: header"; cat "$T/table"; exit 1; }
grep -Eq '^gpu-node-002 +On +OK +8 +[0-9]+C +-$' "$T/table" || { echo "FAIL: table row"; cat "$T/table"; exit 1; }
rc=0
"$RACKTOP" --batch --demo --format yaml 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "not json or table" "$T/err" || { echo "FAIL: --format yaml"; exit 1; }
echo PASS

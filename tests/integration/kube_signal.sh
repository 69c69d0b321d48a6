#!/bin/sh
# racktop --kube --batch stopped by a signal (a real kube-apiserver,
# ../shared/kube-apiserver): a sweep exits 130 on SIGTERM; an action
# waiting for its Rufio Job exits 130 on Ctrl-C, printed and logged
# "cancelled" (the Job was made: it may still run).
set -eu
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"

T=$(mktemp -d /tmp/racktop-kubesig.XXXXXX)
BG=
cleanup()
{
	[ -n "$BG" ] && kill -KILL "$BG" 2>/dev/null || true
	kube_stop
	rm -rf "$T"
}
trap cleanup EXIT
export XDG_STATE_HOME="$T/state"
LOG=$XDG_STATE_HOME/racktop/audit.log

kube_start "$T/k8s"
NS=default
kube_host $NS hw1 10.0.0.1
kube_machine_status $NS hw1 on True

echo "# a sweep, SIGTERM"
"$RACKTOP" --batch --kube --interval 1 >"$T/sweeps" 2>"$T/sweeps.err" &
BG=$!
wait_for "$T/sweeps" 'h["hw1"]["power"] == "On"'
kill -TERM "$BG"
rc=0
wait "$BG" || rc=$?
BG=
[ "$rc" = 130 ] || { echo "FAIL: sweep exit $rc after SIGTERM, want 130"; cat "$T/sweeps.err"; exit 1; }

echo "# an action waiting for its Job, Ctrl-C"
# A shell starts a background job with SIGINT ignored; racktop keeps an
# ignored signal ignored: give it the default.
env --default-signal=INT "$RACKTOP" --batch --kube --action cycle --hosts '^hw1$' \
	>"$T/cycle.out" 2>"$T/cycle.err" &
BG=$!
t=30
until [ "$(kube GET "$BMC/$NS/jobs" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')" = 1 ]; do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: no Job"; cat "$T/cycle.err"; exit 1; }
	sleep 1
done
kill -INT "$BG"
rc=0
wait "$BG" || rc=$?
BG=
[ "$rc" = 130 ] && grep -q "SIGINT: stopping" "$T/cycle.err" ||
	{ echo "FAIL: action exit $rc after SIGINT, want 130"; cat "$T/cycle.err"; exit 1; }
python3 - "$T/cycle.out" "$LOG" <<'PY'
import json, sys
line = json.loads(open(sys.argv[1]).read())
assert line["host"] == "hw1" and line["result"] == "cancelled", line
audit = [json.loads(l) for l in open(sys.argv[2])]
assert [a["result"] for a in audit] == ["requested", "cancelled"], audit
PY
echo PASS

#!/bin/sh
# racktop --kube against a real kube-apiserver (../shared/kube-apiserver):
# list and watch (objects created, patched and deleted after start), the
# picture marked stale while the server is down and live again after it
# restarts on the same etcd (new credentials: the kubeconfig is read
# again), a 410 Gone relist, a 403 shown as such, and Rufio Jobs that
# racktop creates for actions, ended by their conditions.
set -eu
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"

T=$(mktemp -d /tmp/racktop-kube.XXXXXX)
BG=
cleanup()
{
	rc=$?
	[ -n "$BG" ] && kill "$BG" 2>/dev/null || true
	if [ "$rc" != 0 ] && [ -f "$T/sweeps.err" ]; then
		echo "--- racktop's stderr (sweeps):"; tail -20 "$T/sweeps.err"
	fi
	kube_stop
	[ -n "${RACKTOP_KEEP:-}" ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT
export XDG_STATE_HOME="$T/state"

kube_start "$T/k8s"
NS=default
kube_host $NS hw1 10.0.0.1
kube_machine_status $NS hw1 on True

echo "# one batch picture"
"$RACKTOP" --batch --kube >"$T/one.json"
python3 - "$T/one.json" <<'PY'
import json, sys
h = {x["name"]: x for x in json.load(open(sys.argv[1]))}
assert list(h) == ["hw1"], h
assert h["hw1"]["power"] == "On" and h["hw1"]["health"] == "OK", h
assert h["hw1"]["bmc"] == "10.0.0.1" and h["hw1"]["error"] is None and h["hw1"]["gpus"] == [], h
PY
"$RACKTOP" --batch --kube --format table >"$T/one.txt"
grep -Eq '^hw1 +On +OK ' "$T/one.txt" || { echo "FAIL: table"; cat "$T/one.txt"; exit 1; }
"$RACKTOP" --batch --kube --namespace other >"$T/other.json"
[ "$(cat "$T/other.json")" = "[]" ] || { echo "FAIL: --namespace other shows hosts"; exit 1; }

echo "# watch: sweeps every second"
"$RACKTOP" --batch --kube --interval 1 >"$T/sweeps" 2>"$T/sweeps.err" &
BG=$!
wait_for "$T/sweeps" 'h["hw1"]["power"] == "On"'
kube_host $NS hw2 10.0.0.2
wait_for "$T/sweeps" '"hw2" in h and h["hw2"]["bmc"] == "10.0.0.2"'
kube_machine_status $NS hw2 off False "dial tcp 10.0.0.2:443: i/o timeout"
wait_for "$T/sweeps" 'h["hw2"]["power"] == "Off" and h["hw2"]["health"] == "Critical" and "i/o timeout" in (h["hw2"]["error"] or "")'
kube DELETE "$TB/$NS/hardware/hw2" >/dev/null
wait_for "$T/sweeps" '"hw2" not in h and "hw1" in h'

echo "# the server goes away and comes back on the same etcd"
kube_machine_status $NS hw1 off True
wait_for "$T/sweeps" 'h["hw1"]["power"] == "Off"'
# Writes to other resources after Hardware's last event: the restarted
# server's watch cache starts past the resourceVersion racktop holds for
# Hardware, so resuming that watch gets 410 Gone and racktop lists again.
kube_post "$TB/$NS/templates" '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"Template","metadata":{"name":"t1"},"spec":{"data":"x"}}'
kube_machine_status $NS hw1 off True "still here"
kube_stop --keep
wait_grep "$T/sweeps.err" 'kube: watch broken since [0-9]{2}:[0-9]{2}:[0-9]{2}: [a-z.]+: .*(refused|Couldn.t connect|Failed to connect)'
# Stale, but still shown.
wait_for "$T/sweeps" '"hw1" in h' 5
kube_start "$T/k8s" "$KUBE_PORT"
kube_machine_status $NS hw1 on True
wait_for "$T/sweeps" 'h["hw1"]["power"] == "On"' 60
wait_grep "$T/sweeps.err" 'hardware.tinkerbell.org: watch from resourceVersion [0-9]+: 410 Gone.*listing again'
# A change after the relist still arrives: the watch runs again.
kube_host $NS hw3 10.0.0.3
wait_for "$T/sweeps" '"hw3" in h and h["hw3"]["bmc"] == "10.0.0.3"'
kill "$BG"
wait "$BG" || true
BG=

echo "# forbidden"
rc=0
"$RACKTOP" --batch --kube --context test-viewer >"$T/viewer.json" 2>"$T/viewer.err" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: test-viewer exit $rc"; cat "$T/viewer.err"; exit 1; }
grep -q 'HTTP 403 Forbidden: hardware.tinkerbell.org is forbidden: User "viewer" cannot list' \
	"$T/viewer.err" || { echo "FAIL: no 403"; cat "$T/viewer.err"; exit 1; }
if grep -q "$KUBE_TOKEN" "$T/viewer.err" "$T/sweeps.err"; then echo "FAIL: a token on stderr"; exit 1; fi

echo "# a power cycle becomes a Rufio Job"
"$RACKTOP" --batch --kube --action cycle --hosts '^hw1$' --yes >"$T/cycle.out" 2>"$T/cycle.err" &
BG=$!
jobs_json()
{
	kube GET "$BMC/$NS/jobs?labelSelector=app.kubernetes.io/managed-by%3Dracktop"
}
t=30
until [ "$(jobs_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')" = 1 ]; do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: no Job"; cat "$T/cycle.err"; exit 1; }
	sleep 1
done
JOB=$(jobs_json | python3 -c '
import json, sys
j = json.load(sys.stdin)["items"][0]
assert j["apiVersion"] == "bmc.tinkerbell.org/v1alpha1" and j["kind"] == "Job", j
assert j["spec"] == {"machineRef": {"name": "hw1-bmc", "namespace": "default"},
                     "tasks": [{"powerAction": "cycle"}]}, j["spec"]
print(j["metadata"]["name"])')
kube_patch "$BMC/$NS/jobs/$JOB/status" '{"status":{"conditions":[{"type":"Running","status":"False"},{"type":"Completed","status":"True","message":"power cycled"}]}}'
wait "$BG" || { echo "FAIL: cycle exit $?"; cat "$T/cycle.out" "$T/cycle.err"; exit 1; }
BG=
python3 - "$T/cycle.out" "$JOB" "$XDG_STATE_HOME/racktop/audit.log" <<'PY'
import json, sys
line = json.loads(open(sys.argv[1]).read())
assert line["host"] == "hw1" and line["result"] == "done", line
assert sys.argv[2] in line["message"] and "power cycled" in line["message"], line
audit = [json.loads(l) for l in open(sys.argv[3])]
assert [a["result"] for a in audit] == ["requested", "done"], audit
assert all(a["protocol"] == "kube" and a["hosts"] == ["hw1"] for a in audit), audit
PY

echo "# a boot device Job that fails"
"$RACKTOP" --batch --kube --action pxe --hosts '^hw3$' >"$T/pxe.out" 2>"$T/pxe.err" &
BG=$!
t=30
until JOB=$(kube GET "$BMC/$NS/jobs" | python3 -c '
import json, sys
for j in json.load(sys.stdin)["items"]:
    if j["spec"]["machineRef"]["name"] == "hw3-bmc":
        assert j["spec"]["tasks"] == [{"oneTimeBootDeviceAction": {"device": ["pxe"], "efiBoot": True}}], j
        print(j["metadata"]["name"]); break
else:
    sys.exit(1)'); do
	t=$((t - 1)); [ $t -gt 0 ] || { echo "FAIL: no pxe Job"; cat "$T/pxe.err"; exit 1; }
	sleep 1
done
kube_patch "$BMC/$NS/jobs/$JOB/status" '{"status":{"conditions":[{"type":"Failed","status":"True","message":"BMC refused the boot override"}]}}'
rc=0
wait "$BG" || rc=$?
BG=
[ "$rc" = 1 ] || { echo "FAIL: pxe exit $rc"; cat "$T/pxe.out" "$T/pxe.err"; exit 1; }
grep -q '"result":"failed".*BMC refused the boot override' "$T/pxe.out" || { echo "FAIL: pxe line"; cat "$T/pxe.out"; exit 1; }

echo "# an action Rufio has no Job task for is refused, and logged"
rc=0
"$RACKTOP" --batch --kube --action bmc-reset --hosts '^hw1$' >"$T/bmc.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'not available in Kubernetes mode' "$T/bmc.out" || { echo "FAIL: bmc-reset"; cat "$T/bmc.out"; exit 1; }
echo "# a reprovision is a Workflow from a Template"
"$RACKTOP" --batch --kube --reprovision t1 --hosts '^hw1$' >"$T/wf.out" 2>"$T/wf.err" ||
	{ echo "FAIL: reprovision"; cat "$T/wf.out" "$T/wf.err"; exit 1; }
grep -q '"host":"hw1","action":"reprovision","template":"t1","result":"done"' "$T/wf.out" ||
	{ echo "FAIL: reprovision line"; cat "$T/wf.out"; exit 1; }
kube GET "$TB/$NS/workflows" | python3 -c '
import json, sys
w = [w for w in json.load(sys.stdin)["items"] if w["spec"].get("hardwareRef") == "hw1"]
assert len(w) == 1, w
assert w[0]["spec"] == {"templateRef": "t1", "hardwareRef": "hw1",
                        "hardwareMap": {"device_1": "3c:ec:ef:00:00:01"}}, w[0]["spec"]
assert w[0]["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "racktop"'
rc=0
"$RACKTOP" --batch --kube --reprovision nope --hosts '^hw1$' >"$T/wf2.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q '"result":"failed","message":"no Template default/nope"' "$T/wf2.out" ||
	{ echo "FAIL: reprovision from a missing template"; cat "$T/wf2.out"; exit 1; }
grep -q '"action":"reprovision t1","protocol":"kube","result":"done"' "$XDG_STATE_HOME/racktop/audit.log" ||
	{ echo "FAIL: reprovision not in the audit log"; cat "$XDG_STATE_HOME/racktop/audit.log"; exit 1; }
echo "PASS"

#!/bin/sh
# racktop --kube on the screen, against a real kube-apiserver: Hardware
# rows with their Machine's power and BMC health, a host that is not
# contactable showing the condition's message, a deleted Hardware leaving
# the screen, the cluster's Workflows in the workflow view (states,
# current action, failure message, per-action list), W creating a
# Workflow from a Template, Hardware of one name in two namespaces as
# two hosts, r in the host view reading one host's GPUs from its BMC
# (racktop-sim) with the Machine's Secret, and the title saying the picture is stale (and since when)
# while the server is down.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"
scr_need python3 curl
trap 'kube_stop; scr_cleanup' EXIT

kube_start "$SCR_TMP/k8s" || exit 1
kube_host default hw1 10.0.0.1
kube_machine_status default hw1 on True
kube_host default hw2 10.0.0.2
kube_machine_status default hw2 off False "dial tcp 10.0.0.2:623: i/o timeout"

scr_start 120 30 "KUBECONFIG=$KUBECONFIG" "XDG_STATE_HOME=$SCR_TMP/state"
scr_run "$RACKTOP --kube"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_for "kube: context test, all namespaces"
scr_wait_re '^hw1 +On '
scr_wait_re '^hw2 +Off +Critical .*BMC not contactable: dial tcp 10.0.0.2:623'
scr_ok "Hardware rows with their Machines' power and health"

kube_machine_status default hw1 off True
scr_wait_re '^hw1 +Off '
kube DELETE "$TB/default/hardware/hw2" >/dev/null
scr_wait_gone "hw2"
scr_wait_re 'Hosts 1: '
scr_ok "a status patch and a delete show"

# The workflow view shows the cluster's Workflows as it reports them
# (the test plays Tinkerbell's controller by patching /status).
kube_post "$TB/default/templates" '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"Template",
	"metadata":{"name":"t1"},"spec":{"data":"version: \"0.1\"\nname: t1\n"}}'
kube_post "$TB/default/workflows" '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"Workflow",
	"metadata":{"name":"wf-a"},"spec":{"templateRef":"t1","hardwareRef":"hw1"}}'
kube_patch "$TB/default/workflows/wf-a/status" '{"status":{"state":"STATE_RUNNING",
	"currentState":{"taskName":"os","actionName":"kexec"},
	"tasks":[{"id":"t1","name":"os","agentID":"3c:ec:ef:00:00:01","actions":[
	{"id":"a1","name":"stream","image":"image2disk:v1","state":"STATE_SUCCESS",
	 "executionStart":"2026-01-01T10:00:00Z","executionDuration":"1m30s"},
	{"id":"a2","name":"kexec","image":"kexec:v1","state":"STATE_RUNNING",
	 "executionStart":"2026-01-01T10:01:30Z"},
	{"id":"a3","name":"reboot","image":"reboot:v1","state":"STATE_PENDING"}]}]}}'
scr_keys w
scr_wait_re 'workflows +1 running, 1 in all'
scr_wait_re '^hw1 +t1 +RUNNING +.*1/3 .*os / kexec'
scr_keys Enter
scr_wait_for "workflow default/wf-a"
scr_wait_re 'stream +image2disk:v1 +SUCCESS .* 1m30s'
scr_wait_re 'kexec +kexec:v1 +RUNNING'
scr_wait_re 'reboot +reboot:v1 +PENDING'
kube_patch "$TB/default/workflows/wf-a/status" '{"status":{"state":"STATE_FAILED",
	"tasks":[{"id":"t1","name":"os","agentID":"3c:ec:ef:00:00:01","actions":[
	{"id":"a1","name":"stream","image":"image2disk:v1","state":"STATE_SUCCESS",
	 "executionStart":"2026-01-01T10:00:00Z","executionDuration":"1m30s"},
	{"id":"a2","name":"kexec","image":"kexec:v1","state":"STATE_FAILED","message":"kexec: no kernel",
	 "executionStart":"2026-01-01T10:01:30Z","executionDuration":"12s"},
	{"id":"a3","name":"reboot","image":"reboot:v1","state":"STATE_PENDING"}]}]}}'
scr_wait_re 'kexec +kexec:v1 +FAILED .*kexec: no kernel'
scr_keys Escape
scr_wait_re '^hw1 +t1 +FAILED +.*1/3 .* 1m42s +os/kexec: kexec'
scr_keys x
scr_wait_for "is the cluster's: racktop does not cancel it"
# Nothing runs (no per-second redraw): a new Workflow still shows, and goes.
kube_post "$TB/default/workflows" '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"Workflow",
	"metadata":{"name":"wf-b"},"spec":{"templateRef":"t1","hardwareRef":"hw1"}}'
scr_wait_re 'workflows +0 running, 2 in all'
kube DELETE "$TB/default/workflows/wf-b" >/dev/null
scr_wait_re 'workflows +0 running, 1 in all'
scr_ok "the cluster's Workflow with its tasks' and actions' states, live"

# W reprovisions from the cluster's Templates: a Workflow appears there.
scr_keys Escape
scr_wait_re '^hw1 +Off '
scr_keys W
scr_wait_for "Template default/t1"
scr_keys Enter
scr_wait_for "Reprovision hw1 from Template default/t1?"
scr_keys n
scr_wait_for "no workflow started"
[ "$(kube GET "$TB/default/workflows" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')" = 1 ] ||
	scr_fail "a Workflow was created after n"
scr_keys W
scr_wait_for "Template default/t1"
scr_keys Enter
scr_wait_for "Reprovision hw1 from Template default/t1?"
scr_keys y
scr_wait_for "reprovision default/t1 of hw1 sent"
_t=30
until kube GET "$TB/default/workflows" | python3 -c '
import json, sys
w = [x for x in json.load(sys.stdin)["items"] if x["metadata"]["name"].startswith("racktop-hw1-")]
sys.exit(0 if len(w) == 1 and w[0]["spec"]["templateRef"] == "t1" and w[0]["spec"]["hardwareRef"] == "hw1" else 1)'; do
	_t=$((_t - 1)); [ "$_t" -gt 0 ] || scr_fail "no Workflow racktop-hw1-* from t1 in the cluster"; sleep 1
done
scr_keys w
scr_wait_re 'workflows +0 running, 2 in all'
scr_wait_re '^hw1 +t1 +PENDING '
# The cursor may still be on wf-a (the list grew under it): the first
# row (g), then down to the new one; keys are taken in order.
scr_keys g
n=$(scr_capture | grep -E '^hw1 +t1 ' | grep -n -E '^hw1 +t1 +PENDING ' | head -1 | cut -d: -f1)
[ -n "$n" ] || scr_fail "the new Workflow's row went away"
while [ "$n" -gt 1 ]; do scr_keys j; n=$((n - 1)); done
scr_keys Enter
scr_wait_for "workflow default/racktop-hw1-"
scr_keys Escape Escape
_t=30
until grep -q '"action":"reprovision t1","protocol":"kube","result":"done"' "$SCR_TMP/state/racktop/audit.log" 2>/dev/null; do
	_t=$((_t - 1)); [ "$_t" -gt 0 ] || scr_fail "the reprovision is not in the audit log as done"; sleep 1
done
scr_ok "W creates a Workflow from a Template in the cluster, shown in w, audited"

# All namespaces: Hardware hw1 in two namespaces are two hosts.
kube_post /api/v1/namespaces '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}'
kube_host other hw1 10.0.1.1
kube_machine_status other hw1 on True
scr_wait_re '^default/hw1 +Off '
scr_wait_re '^other/hw1 +On '
scr_wait_re 'Hosts 2: '
kube DELETE "$TB/other/hardware/hw1" >/dev/null
scr_wait_re '^hw1 +Off '
scr_wait_gone "other/hw1"
scr_wait_re 'Hosts 1: '
scr_ok "the same name in two namespaces: two hosts, shown namespace/name"

# r in the host view reads this one host's GPUs from its BMC directly
# (racktop-sim over HTTP), with the Machine's Secret from the cluster.
"$RACKTOP_SIM" --hosts 1 --port 0 --http --manifest "$SCR_TMP/fleet.yaml" \
	>"$SCR_TMP/sim.out" 2>"$SCR_TMP/sim.err" &
SCR_PIDS="$SCR_PIDS $!"
scr_wait 'grep -q "^racktop-sim: ready 1 hosts" "$SCR_TMP/sim.out"' "racktop-sim"
python3 - "$SCR_TMP/fleet.yaml" "$SCR_TMP/objs" <<'PY'
import json, sys, yaml
paths = {"Secret": "/api/v1/namespaces/default/secrets",
         "Machine": "/apis/bmc.tinkerbell.org/v1alpha1/namespaces/default/machines",
         "Hardware": "/apis/tinkerbell.org/v1alpha1/namespaces/default/hardware"}
with open(sys.argv[2], "w") as out:
    for d in yaml.safe_load_all(open(sys.argv[1])):
        if d and d.get("kind") in paths:
            out.write(paths[d["kind"]] + " " + json.dumps(d) + "\n")
PY
while read -r path obj; do kube_post "$path" "$obj"; done <"$SCR_TMP/objs"
rm -f "$SCR_TMP/objs"
scr_wait_re '^gpu-node-001 '
scr_keys /
scr_type 'gpu-node-001'
scr_keys Enter
scr_wait_re "1 of [0-9]+ hosts"
scr_keys Enter
scr_wait_re 'Name +gpu-node-001'
scr_has "GPUs (8)" && scr_fail "GPUs before any read: the cluster has none"
scr_keys r
scr_wait_for "reading gpu-node-001's GPUs directly from its BMC"
port=$(python3 -c 'import sys, yaml
print([d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Machine"][0]["spec"]["connection"]["port"])' "$SCR_TMP/fleet.yaml")
scr_wait_re "Last action +BMC read: done .*GPU readings from http://127.0.0.1:$port at [0-9:]{8}"
scr_wait_re "Notes +read directly from the BMC at [0-9:]{8}"
scr_wait_for "GPUs (8)"
# What the BMC itself says (racktop-sim: 8 GPUs a host).
( umask 077; python3 -c 'import base64, sys, yaml
s = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Secret"][0]["data"]
print("user = \"admin:%s\"" % base64.b64decode(s["password"]).decode())' "$SCR_TMP/fleet.yaml" >"$SCR_TMP/curl.cfg" )
serial=$(curl -sS -K "$SCR_TMP/curl.cfg" "http://127.0.0.1:$port/redfish/v1/Systems" | python3 -c '
import json, sys, urllib.request
print(json.load(sys.stdin)["Members"][0]["@odata.id"])')
serial=$(curl -sS -K "$SCR_TMP/curl.cfg" "http://127.0.0.1:$port$serial" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["SerialNumber"])')
[ -n "$serial" ] || scr_fail "the BMC reports no serial number"
scr_wait_re "Serial +$serial"
scr_expect_not "$(sed 's/.*admin://; s/"$//' "$SCR_TMP/curl.cfg")"
rm -f "$SCR_TMP/curl.cfg"
scr_ok "r reads one host's GPUs from its BMC directly, and says from where"
scr_keys Escape
scr_keys /
scr_keys C-u
scr_type '^hw1'
scr_keys Enter
scr_wait_re "1 of [0-9]+ hosts"
scr_keys Enter
scr_wait_re 'Name +hw1'
scr_keys r
scr_wait_re 'Last action +BMC read: failed.*HTTP 404 Not Found: secrets "hw1-auth" not found'
scr_has "GPUs (8)" && scr_fail "hw1 shows GPUs it never had"
scr_ok "a Machine whose Secret is missing: the read fails, saying so"
scr_keys Escape
scr_keys /
scr_keys C-u
scr_keys Enter
scr_wait_for "filter cleared"

kube_stop --keep
scr_wait_re 'kube: watch broken since [0-9]{2}:[0-9]{2}:[0-9]{2}'
scr_wait_re '^hw1 +Off '
scr_ok "the stale picture says so"
scr_quit_and_check_terminal q
scr_ok "racktop --kube quits cleanly"

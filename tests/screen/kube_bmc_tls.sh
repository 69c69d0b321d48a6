#!/bin/sh
# racktop --kube, r in the host view: one host's GPUs read directly from
# its BMC (racktop-sim over HTTPS, its own CA) verify TLS as BMC mode
# does: without --cacert the read fails saying so, with --cacert it
# reads; a Machine with insecureTLS: true reads without it; a Machine
# that names no Secret takes the credentials file's line (-c FILE).
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"
scr_need python3 curl
trap 'kube_stop; scr_cleanup' EXIT

kube_start "$SCR_TMP/k8s" || exit 1
sim_start 1
# The sim's Secret, Machine and Hardware; beside them "insecure" (its
# Machine says insecureTLS: true) and "nosecret" (no authSecretRef), on
# the same BMC; and a credentials file for nosecret.
python3 - "$SCR_TMP/fleet.yaml" "$SCR_TMP/objs" "$SCR_TMP/creds" <<'PY'
import base64, copy, json, os, sys, yaml
docs = {d["kind"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
paths = {"Secret": "/api/v1/namespaces/default/secrets",
         "Machine": "/apis/bmc.tinkerbell.org/v1alpha1/namespaces/default/machines",
         "Hardware": "/apis/tinkerbell.org/v1alpha1/namespaces/default/hardware"}
objs = [docs["Secret"], docs["Machine"], docs["Hardware"]]
for name in ("insecure", "nosecret"):
    m = copy.deepcopy(docs["Machine"])
    m["metadata"]["name"] = name + "-bmc"
    if name == "insecure":
        m["spec"]["connection"]["insecureTLS"] = True
    else:
        del m["spec"]["connection"]["authSecretRef"]
    hw = copy.deepcopy(docs["Hardware"])
    hw["metadata"]["name"] = name
    hw["spec"]["bmcRef"]["name"] = name + "-bmc"
    objs += [m, hw]
with open(sys.argv[2], "w") as out:
    for d in objs:
        out.write(paths[d["kind"]] + " " + json.dumps(d) + "\n")
data = docs["Secret"]["data"]
fd = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, ("nosecret %s %s\n" % (base64.b64decode(data["username"]).decode(),
                                    base64.b64decode(data["password"]).decode())).encode())
os.close(fd)
PY
while read -r path obj; do kube_post "$path" "$obj"; done <"$SCR_TMP/objs"
rm -f "$SCR_TMP/objs"

# read HOST: its host view, r, and back (the fleet view).
open_host() {
	scr_keys /
	scr_keys C-u
	scr_type "$1"
	scr_keys Enter
	scr_wait_re "1 of [0-9]+ hosts"
	scr_keys Enter
	scr_wait_re "Name +$1"
	scr_keys r
}
back() {
	scr_keys Escape
	scr_keys /
	scr_keys C-u
	scr_keys Enter
	scr_wait_for "Hosts 3:"
}

mkdir -p "$SCR_TMP/config"
scr_start 200 40 "KUBECONFIG=$KUBECONFIG" "XDG_STATE_HOME=$SCR_TMP/state" \
	"XDG_CONFIG_HOME=$SCR_TMP/config"
scr_run "$RACKTOP --kube --cacert $SCR_TMP/ca.pem -c $SCR_TMP/creds"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 '
scr_wait_re '^nosecret '
open_host gpu-node-001
scr_wait_re "Last action +BMC read: done .*GPU readings from https://127\\.0\\.0\\.1:[0-9]+ at [0-9:]{8}"
scr_wait_for "GPUs (8)"
scr_ok "with --cacert the direct read verifies the BMC and reads its GPUs"
back
open_host nosecret
scr_wait_re 'Last action +BMC read: done'
scr_wait_for "GPUs (8)"
scr_expect_not "$(cut -d' ' -f3 "$SCR_TMP/creds")"
scr_ok "a Machine with no Secret: the credentials file's line, never shown"
scr_keys Escape
scr_quit_and_check_terminal Q

scr_run "$RACKTOP --kube"
scr_wait_re '^gpu-node-001 '
scr_wait_re '^nosecret '
open_host gpu-node-001
scr_wait_re 'Last action +BMC read: failed( [0-9]+[smh] ago)?: .*TLS certificate of https://127\.0\.0\.1:[0-9]+.* not trusted'
scr_has "GPUs (8)" && scr_fail "GPUs read from a BMC whose certificate was not checked"
scr_ok "without --cacert the sim's certificate is not trusted, and r says so"
back
open_host insecure
scr_wait_re 'Last action +BMC read: done'
scr_wait_for "GPUs (8)"
scr_ok "insecureTLS: true on the Machine reads without --cacert"
back
open_host nosecret
scr_wait_for "has no spec.connection.authSecretRef (and there is no credentials file: -c FILE)"
scr_ok "a Machine with no Secret and no credentials file: r says why"
scr_keys Escape
scr_quit_and_check_terminal Q


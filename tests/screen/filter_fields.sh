#!/bin/sh
# The / filter on racktop-sim: a bare term is the host name, as --hosts
# matches it (so $ anchors it, and the README's '^gpu-node-00[1-3]$'
# works); field terms (power:, health:, gpu:, fw:, error:, node:) match a
# field's values; spaces AND terms and ! negates one; the rows follow each
# key; Enter keeps the filter, Esc puts back the one before.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

# Host 3's GPU 0 is off the bus (Absent, Critical); host 5 answers 500.
sim_start 5 --power-delay 0 --fault 2:0:offbus:persist --misbehave 4:500
# Host 4 is powered off before racktop starts.
python3 - "$SCR_TMP/fleet.yaml" "$SCR_TMP/ca.pem" 3 <<'PY' || scr_fail "could not power off host 4"
import base64, json, ssl, sys, urllib.request, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
pw = base64.b64decode([d for d in docs if d["kind"] == "Secret"][0]["data"]["password"]).decode()
m = [d for d in docs if d["kind"] == "Machine"][int(sys.argv[3])]
url = "https://127.0.0.1:%d/redfish/v1/Systems/DGX/Actions/ComputerSystem.Reset" % m["spec"]["connection"]["port"]
auth = "Basic " + base64.b64encode(("admin:" + pw).encode()).decode()
req = urllib.request.Request(url, data=json.dumps({"ResetType": "ForceOff"}).encode(),
                             headers={"Authorization": auth, "Content-Type": "application/json"})
ctx = ssl.create_default_context(cafile=sys.argv[2])
urllib.request.urlopen(req, context=ctx, timeout=10)
PY

scr_start 120 30
scr_run "$(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On +OK +8 OK '
scr_wait_re '^gpu-node-003 +On +Critical +7 OK 1 abs '
scr_wait_re '^gpu-node-004 +Off '
scr_wait_re '^gpu-node-005 +- +- .*login refused by'

# filter TEXT: TEXT typed at the / prompt, then Enter.
filter() {
	scr_keys /
	scr_keys C-u
	scr_type "$1"
	scr_keys Enter
}
# shows N HOSTS...: the rows are exactly these hosts (gpu-node-HOST).
shows() {
	_n=$1
	shift
	scr_wait '[ "$(scr_count "^gpu-node-")" = '"$_n"' ]' "$_n rows"
	for _h in "$@"; do
		scr_has_re "^gpu-node-$_h " || scr_fail "gpu-node-$_h is not shown"
	done
}

filter '^gpu-node-00[1-3]$'
scr_wait_for 'filter: /^gpu-node-00[1-3]$/  3 of 5 hosts'
shows 3 001 002 003
scr_ok "the README's '^gpu-node-00[1-3]\$' matches the names, as --hosts does"
filter 'node-002$'
scr_wait_for 'filter: /node-002$/  1 of 5 hosts'
shows 1 002
scr_ok "\$ anchors the name's end"
filter 'refused|500'
scr_wait_for '0 of 5 hosts'
scr_ok "a bare term does not search the error text"

filter 'power:off'
scr_wait_for 'filter: /power:off/  1 of 5 hosts'
shows 1 004
filter 'health:crit'
scr_wait_for 'filter: /health:crit/  1 of 5 hosts'
shows 1 003
filter 'gpu:absent'
scr_wait_for 'filter: /gpu:absent/  1 of 5 hosts'
shows 1 003
filter 'health:unreach'
scr_wait_for 'filter: /health:unreach/  1 of 5 hosts'
shows 1 005
filter 'health:http'
scr_wait_for 'filter: /health:http/  1 of 5 hosts'
shows 1 005
filter 'error:500'
scr_wait_for 'filter: /error:500/  1 of 5 hosts'
shows 1 005
filter 'fw:13\.03'
scr_wait_for 'filter: /fw:13\.03/  4 of 5 hosts'
shows 4 001 002 003 004
scr_ok "field terms: power:off, health:crit, gpu:absent, health:unreach, error:, fw:"

filter 'gpu-node power:on !health:crit'
scr_wait_for 'filter: /gpu-node power:on !health:crit/  2 of 5 hosts'
shows 2 001 002
filter '!power:on'
scr_wait_for 'filter: /!power:on/  2 of 5 hosts'
shows 2 004 005
scr_ok "spaces AND the terms, ! negates one"

filter 'node:cordoned'
scr_wait_for "node: racktop has no Kubernetes node data yet"
scr_wait_for 'filter: /node:cordoned/  0 of 5 hosts'
scr_ok "node: matches nothing and says why"
filter 'colour:red'
scr_wait_for "filter: no field 'colour:'"
scr_wait_for 'filter: /node:cordoned/  0 of 5 hosts'
scr_ok "an unknown field is refused, the filter stays"

# As it is typed: the rows follow each key; Esc puts back the filter.
filter 'power:on'
scr_wait_for 'filter: /power:on/  3 of 5 hosts'
scr_keys /
scr_keys C-u
scr_type 'gpu-node-00'
shows 5 001 002 003 004 005
scr_type '4'
shows 1 004
scr_keys BSpace
shows 5
scr_type '2'
shows 1 002
scr_keys Escape
scr_wait_for 'filter: /power:on/  3 of 5 hosts'
shows 3 001 002 003
scr_ok "the rows follow each key; Esc puts back the filter from before"
scr_keys /
scr_keys C-u
scr_type 'node-00['
# Not a regex yet: the rows keep the last one that was ("node-00").
shows 5
scr_keys Enter
scr_wait_re "filter 'node-00\\[': "
scr_wait_for 'filter: /power:on/  3 of 5 hosts'
scr_ok "Enter on a bad regex: the reason, and the filter from before"
scr_keys /
scr_keys C-u
scr_type 'health:ok'
shows 3 001 002 004
scr_keys Enter
scr_wait_for 'filter: /health:ok/  3 of 5 hosts'
scr_ok "Enter keeps the filter typed"
scr_keys Escape
scr_wait_for "filter cleared"
shows 5
scr_quit_and_check_terminal q

#!/bin/sh
# BMC actions over IPMI in batch mode (racktop --batch --action) on an
# OpenIPMI ipmi_sim BMC: clear-log empties the SEL (FreeIPMI's ipmi-sel,
# an independent reader, then finds no entry), the JSON line and the
# audit log say done over ipmi; bmc-reset, which ipmi_sim does not
# implement, fails with the BMC's completion code in plain words, and
# the BMC is still polled and acted on afterwards.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"
. "$RACKTOP_SRCDIR/tests/ipmi_sim_lib.sh"
ipmi_sim_need
command -v ipmi-sel >/dev/null || { echo "FAIL: ipmi-sel is not installed (freeipmi-tools)" >&2; exit 1; }

ST=$SIM_TMP/ipmi
M=$SIM_TMP/fleet.yaml
OUT=$SIM_TMP/out
LOG=$SIM_TMP/state/racktop/audit.log
FI=$SIM_TMP/freeipmi.conf
export XDG_STATE_HOME=$SIM_TMP/state XDG_CONFIG_HOME=$SIM_TMP/config \
	XDG_CACHE_HOME=$SIM_TMP/cache

trap 'ipmi_sim_down_all; sim_cleanup' EXIT
ipmi_sim_up "$ST" || { echo "FAIL: ipmi_sim did not start" >&2; exit 1; }
port=$IPMI_SIM_PORT
ipmi_sim_freeipmi_conf "$FI"
mkdir -m 700 "$SIM_TMP/sdr"

ipmi_sim_machine ipmi-bmc-1 "$port" ipmi-auth >"$M"

# sel_entries: the SEL's entry count as FreeIPMI reads it.
sel_entries() {
	ipmi-sel -h "127.0.0.1:$port" --config-file="$FI" --info 2>&1 |
		sed -n 's/^Number of log entries *: *\([0-9]*\).*/\1/p'
}
# sel_list: the SEL's records as FreeIPMI lists them ("ID | Date | ..."),
# or "ipmi-sel failed".
sel_list() {
	ipmi-sel -h "127.0.0.1:$port" --config-file="$FI" --sdr-cache-directory="$SIM_TMP/sdr" \
		>"$SIM_TMP/sel.txt" 2>&1 || { echo "ipmi-sel failed: $(cat "$SIM_TMP/sel.txt")"; return; }
	grep -E '^ *[0-9]+ +\|' "$SIM_TMP/sel.txt" | tr '\n' ';'
}
sim_eq "ipmi_sim starts with 6 SEL entries (ipmi-sel)" "$(sel_entries)" 6
case $(sel_list) in
*"GPU5 Temp"*) sim_ok "ipmi-sel lists them (GPU5 Temp among them)" ;;
*) sim_fail "ipmi-sel does not list the SEL: $(sel_list)" ;;
esac

# --- clear the event log ----------------------------------------------------
"$RACKTOP" --batch -f "$M" --timeout 5 --action clear-log --hosts '^ipmi-bmc' --yes \
	>"$OUT" 2>"$OUT.err"
rc=$?
sim_eq "clear-log on the ipmi_sim host: exit 0 ($(cat "$OUT.err"))" $rc 0
sim_check "its JSON line: done over ipmi, 6 entries erased ($(cat "$OUT"))" python3 - "$OUT" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 1, lines
l = lines[0]
assert l["host"] == "ipmi-bmc-1" and l["action"] == "clear-log" and l["protocol"] == "ipmi", l
assert l["result"] == "done" and "SEL cleared: 6 entries erased, 0 now" in l["message"], l
assert l["time"].endswith("Z"), l
PY
sim_eq "the BMC's SEL is empty (ipmi-sel --info)" "$(sel_entries)" 0
sim_eq "and ipmi-sel lists no record" "$(sel_list)" ""
sim_check "the audit log: clear-log requested, then done over ipmi" python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
mine = [l for l in lines if l["action"] == "clear-log" and l["hosts"] == ["ipmi-bmc-1"]]
res = [(l["result"], l["protocol"]) for l in mine]
assert ("requested", "ipmi") in res and ("done", "ipmi") in res, lines
done = [l for l in mine if l["result"] == "done"][0]
assert done["error"] is None, done
PY

# --- BMC reset: ipmi_sim answers Cold Reset with 0xC1 ------------------------
"$RACKTOP" --batch -f "$M" --timeout 5 --action bmc-reset --hosts '^ipmi-bmc-1$' \
	>"$OUT" 2>"$OUT.err"
sim_eq "bmc-reset on ipmi_sim: exit 1" $? 1
sim_check "its line: failed, command not supported (0xC1) ($(cat "$OUT"))" python3 - "$OUT" <<'PY'
import json, sys
l = json.loads(open(sys.argv[1]).readline())
assert l["result"] == "failed" and l["protocol"] == "ipmi", l
assert "BMC reset: command not supported (0xC1)" in l["message"], l
PY
sim_check "the audit log has the failure with its reason" python3 - "$LOG" <<'PY'
import json, sys
l = [json.loads(x) for x in open(sys.argv[1])][-1]
assert l["action"] == "bmc-reset" and l["result"] == "failed", l
assert "command not supported (0xC1)" in l["error"], l
PY
"$RACKTOP" --batch -f "$M" --timeout 5 --action pxe --hosts '^ipmi-bmc-1$' >"$OUT" 2>"$OUT.err"
rc=$?
sim_eq "the BMC still takes actions afterwards: exit 0 ($(cat "$OUT"))" $rc 0
sim_eq "its boot device is pxe" "$(cat "$ST/host/boot" 2>/dev/null)" pxe
sim_check "the secret never reaches the output or the log" sh -c "! grep -q password '$OUT' '$OUT.err' '$LOG'"

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

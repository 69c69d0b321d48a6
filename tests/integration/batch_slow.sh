#!/bin/sh
# A slow BMC (3 s a request, as real ones can be) with a short --timeout:
# racktop --batch waits for its whole first poll (here about a minute of
# requests, more than the 6 x --timeout + 30 s batch mode once gave up
# after), and the host ends with data or an explicit error, never an
# error of null with nothing else. The mockup has a large tree (many
# requests a poll).
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

MOCK=$RACKTOP_SHARED/redfish-mockups/hpe-cray-ex235n-a100
[ -d "$MOCK" ] || { echo "SKIP: no $MOCK"; exit 77; }
sim_password Slow-Test
M=$SIM_TMP/fleet.yaml
export XDG_STATE_HOME=$SIM_TMP/state
sim_start fleet --hosts 1 --port 0 --http --mockup "$MOCK" --manifest "$M" \
	--password-file "$SIM_TMP/pw" --misbehave 0:slow || exit 1

"$RACKTOP" --batch -f "$M" --timeout 4 >"$SIM_TMP/out" 2>"$SIM_TMP/err"
rc=$?
sim_check "the slow host ends with data or an explicit error" python3 - "$SIM_TMP/out" <<'PY'
import json, sys
for h in json.load(open(sys.argv[1])):
    has_data = h["power"] is not None or h["health"] is not None or h["gpus"]
    assert has_data or h["error"], "error null and no data: %s" % h
PY
case $rc in
0) sim_check "polled in full: data and no error" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))[0]
assert h["error"] is None and h["power"] and h["gpus"], h' "$SIM_TMP/out" ;;
1) sim_check "exit 1 comes with the host's error" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))[0]["error"]' "$SIM_TMP/out" ;;
*) sim_fail "exit $rc: $(cat "$SIM_TMP/err")" ;;
esac

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

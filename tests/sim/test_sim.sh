#!/bin/sh
# racktop-sim end to end: HTTPS verified against --cert-out, sessions and
# their cap, Basic auth, power transitions, boot override, every generated
# resource reachable and valid, the Thermal/PowerSubsystem agreeing with
# the Sensors, misbehaving hosts, the three DMTF/vendor
# mockups, the Tinkerbell manifest, errors and a clean SIGTERM exit.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

sim_password Sim-Test
R=$SIM_TMP/r

sim_start fleet --hosts 3 --port 0 --manifest "$SIM_TMP/fleet.yaml" \
	--cert-out "$SIM_TMP/ca.pem" --password-file "$SIM_TMP/pw" --power-delay 1 \
	--misbehave 2:badjson || exit 1
FLEET_PID=$SIM_PID
sim_eq "one ready line" "$(cat "$SIM_TMP/fleet/out")" "racktop-sim: ready 3 hosts"
sim_eq "manifest is private (it holds the password)" "$(stat -c %a "$SIM_TMP/fleet.yaml")" 600
sim_check "password not printed" sh -c "! grep -q '$PW' '$SIM_TMP/fleet/out' '$SIM_TMP/fleet/err'"

# --- manifest -----------------------------------------------------------
sim_check "manifest is valid YAML with Secret, Machines and Hardware" python3 - "$SIM_TMP/fleet.yaml" "$PW" <<'PY'
import sys, yaml, base64
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = [(d["apiVersion"], d["kind"]) for d in docs]
assert kinds.count(("v1", "Secret")) == 1, kinds
assert kinds.count(("bmc.tinkerbell.org/v1alpha1", "Machine")) == 3, kinds
assert kinds.count(("tinkerbell.org/v1alpha1", "Hardware")) == 3, kinds
sec = [d for d in docs if d["kind"] == "Secret"][0]
assert sec["metadata"] == {"name": "racktop-sim-bmc", "namespace": "default"}
assert sec["type"] == "Opaque"
assert base64.b64decode(sec["data"]["username"]) == b"admin"
assert base64.b64decode(sec["data"]["password"]).decode() == sys.argv[2]
ports = set()
for i, m in enumerate(d for d in docs if d["kind"] == "Machine"):
    name = "gpu-node-%03d" % (i + 1)
    assert m["metadata"]["name"] == name + "-bmc" and m["metadata"]["namespace"] == "default"
    c = m["spec"]["connection"]
    assert c["host"] == "127.0.0.1" and c["insecureTLS"] is False
    assert isinstance(c["port"], int) and c["port"] > 0
    assert c["providerOptions"]["redfish"]["port"] == c["port"]
    assert c["authSecretRef"] == {"name": "racktop-sim-bmc", "namespace": "default"}
    ports.add(c["port"])
for i, h in enumerate(d for d in docs if d["kind"] == "Hardware"):
    name = "gpu-node-%03d" % (i + 1)
    assert h["metadata"]["name"] == name
    assert h["spec"]["bmcRef"] == {"apiGroup": "bmc.tinkerbell.org", "kind": "Machine", "name": name + "-bmc"}
    assert h["spec"]["metadata"]["instance"]["hostname"] == name
assert len(ports) == 3
PY
P0=$(sim_port "$SIM_TMP/fleet.yaml" 0)
P2=$(sim_port "$SIM_TMP/fleet.yaml" 2)
U=https://127.0.0.1:$P0
CA="--cacert $SIM_TMP/ca.pem"

# --- TLS, service root, auth --------------------------------------------
sim_eq "service root over verified HTTPS" "$(sim_req "$R" $CA "$U/redfish/v1")" 200
sim_eq "service root advertises \$expand levels" "$(sim_json "$R.body" 'd["ProtocolFeaturesSupported"]["ExpandQuery"]["MaxLevels"]')" 2
sim_check "unverified TLS is refused without the CA" sh -c "! curl -s --max-time 5 -o /dev/null '$U/redfish/v1'"
sim_eq "/redfish version document" "$(sim_req "$R" $CA "$U/redfish"; sim_json "$R.body" 'd["v1"]')" "200/redfish/v1/"
sim_eq "no credentials: 401" "$(sim_req "$R" $CA "$U/redfish/v1/Systems")" 401
sim_check "401 carries WWW-Authenticate" grep -qi '^WWW-Authenticate: Basic' "$R.hdr"
( umask 077; printf 'user = "admin:wrong-%s"\n' "$$" > "$SIM_TMP/bad.conf" )
sim_eq "wrong password: 401" "$(sim_req "$R" $CA -K "$SIM_TMP/bad.conf" "$U/redfish/v1/Systems")" 401
sim_eq "Basic auth works" "$(sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Systems")" 200

# --- sessions -----------------------------------------------------------
( umask 077; printf '{"UserName":"admin","Password":"%s"}' "$PW" > "$SIM_TMP/login.json" )
( umask 077; printf '{"UserName":"admin","Password":"nope"}' > "$SIM_TMP/badlogin.json" )
login() { sim_req "$R" $CA -H 'Content-Type: application/json' --data-binary "@$1" "$U/redfish/v1/SessionService/Sessions"; }
sim_eq "login with a wrong password: 401" "$(login "$SIM_TMP/badlogin.json")" 401
sim_eq "login: 201" "$(login "$SIM_TMP/login.json")" 201
TOKEN=$(sed -n 's/^X-Auth-Token: *\([0-9a-f]*\).*/\1/ip' "$R.hdr")
LOC=$(sed -n 's/^Location: *\([^[:space:]]*\).*/\1/ip' "$R.hdr")
sim_check "login gave a token and a Location" test -n "$TOKEN" -a -n "$LOC"
( umask 077; printf 'header = "X-Auth-Token: %s"\n' "$TOKEN" > "$SIM_TMP/tok.conf" )
sim_eq "token authenticates" "$(sim_req "$R" $CA -K "$SIM_TMP/tok.conf" "$U/redfish/v1/SessionService/Sessions")" 200
sim_eq "one session listed" "$(sim_json "$R.body" 'd["Members@odata.count"]')" 1
sim_eq "logout: 204" "$(sim_req "$R" $CA -K "$SIM_TMP/tok.conf" -X DELETE "$U$LOC")" 204
sim_eq "token is dead after logout" "$(sim_req "$R" $CA -K "$SIM_TMP/tok.conf" "$U/redfish/v1/Systems")" 401
n=0; codes=""
while [ $n -lt 16 ]; do codes="$codes$(login "$SIM_TMP/login.json")"; n=$((n + 1)); done
sim_eq "16 sessions allowed" "$codes" "201201201201201201201201201201201201201201201201"
sim_eq "17th session: 503" "$(login "$SIM_TMP/login.json")" 503
sim_check "503 has a Redfish error body" grep -q '"error"' "$R.body"
sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/SessionService/Sessions" >/dev/null
for s in $(sim_json "$R.body" '" ".join(m["@odata.id"] for m in d["Members"])'); do
	sim_req "$R.del" $CA -K "$CONF" -X DELETE "$U$s" >/dev/null
done
sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/SessionService/Sessions" >/dev/null
sim_eq "all sessions deleted" "$(sim_json "$R.body" 'd["Members@odata.count"]')" 0

# --- every generated resource is reachable and valid ---------------------
sim_check "crawl: every linked resource answers 200 with JSON" env PYTHONPATH="$RACKTOP_SRCDIR/tests/sim" PYTHONDONTWRITEBYTECODE=1 python3 - "$U" "$SIM_TMP/ca.pem" "$SIM_TMP/pw" <<'PY'
import json, urllib.error, urllib.parse
from sim_client import get
seen, todo = set(), ["/redfish/v1"]
def links(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "@odata.id" and isinstance(v, str):
                yield v.split("#")[0]
            else:
                yield from links(v)
    elif isinstance(o, list):
        for v in o:
            yield from links(v)
skip = ("/MetricReportDefinitions/", "/Actions/")
while todo and len(seen) < 500:
    p = todo.pop()
    if p in seen or any(s in p for s in skip):
        continue
    seen.add(p)
    d = get(p)
    assert d.get("@odata.id", p).split("#")[0] == p, (p, d.get("@odata.id"))
    todo.extend(l for l in links(d) if l not in seen)
gpus = [p for p in seen if p.startswith("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_") and p.count("/") == 6]
assert len(gpus) == 8, gpus
g = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_3")
assert g["ProcessorType"] == "GPU" and g["Model"] == "H100 80GB HBM3"
e = get(g["EnvironmentMetrics"]["@odata.id"])
assert 20 <= e["TemperatureCelsius"]["Reading"] <= 100 and e["PowerWatts"]["Reading"] > 50
m = get(g["MemorySummary"]["Metrics"]["@odata.id"])
assert "CorrectableECCErrorCount" in m["LifeTime"]
x = get("/redfish/v1/Systems/DGX/Processors?$expand=.($levels=1)")
assert sorted(p["ProcessorType"] for p in x["Members"]) == ["CPU", "CPU"]
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors?$expand=*($levels=1)")
assert [p["ProcessorType"] for p in x["Members"]] == ["GPU"] * 8
# $levels=2: each Processor and, inside it, its subordinate metrics; links
# under Links stay links with '.', are expanded with '*', alone with '~'
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors?$expand=.($levels=2)")
p = x["Members"][2]
assert p["Id"] == "GPU_SXM_3" and p["Metrics"]["Id"] == "ProcessorMetrics", p["Metrics"]
assert 20 <= p["EnvironmentMetrics"]["TemperatureCelsius"]["Reading"] <= 100
assert "LifeTime" in p["MemorySummary"]["Metrics"]
assert p["Links"]["Chassis"] == {"@odata.id": "/redfish/v1/Chassis/HGX_GPU_SXM_3"}
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors?$expand=.($levels=1)")
assert x["Members"][0]["Metrics"] == {"@odata.id": x["Members"][0]["@odata.id"] + "/ProcessorMetrics"}
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1?$expand=*($levels=1)")
assert x["Links"]["Chassis"]["Id"] == "HGX_GPU_SXM_1" and x["Metrics"]["Id"] == "ProcessorMetrics"
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1?$expand=~($levels=1)")
assert x["Links"]["Chassis"]["Id"] == "HGX_GPU_SXM_1" and list(x["Metrics"]) == ["@odata.id"]
x = get("/redfish/v1/Chassis/DGX?$expand=.($levels=1)")
assert x["Thermal"]["Temperatures"] and x["Power"]["PowerSupplies"], list(x)
assert list(x["Links"]["ManagedBy"][0]) == ["@odata.id"]
r = get("/redfish/v1/TelemetryService/MetricReports/HGX_PlatformEnvironmentMetrics_0")
assert len(r["MetricValues"]) == 16 and float(r["MetricValues"][0]["MetricValue"]) > 0
assert r["MetricValues"][0]["MetricProperty"].endswith("/EnvironmentMetrics#/TemperatureCelsius/Reading")
# $select after $expand: the selected properties of each member, and the
# @odata annotations of every object; a malformed list is a 400
sel = ("Members/Status,Members/EnvironmentMetrics/TemperatureCelsius/Reading,"
       "Members/MemorySummary/Metrics/LifeTime")
x = get("/redfish/v1/Systems/HGX_Baseboard_0/Processors?$expand=.($levels=2)&$select=" + sel)
p = x["Members"][2]
assert sorted(x) == ["@odata.id", "@odata.type", "Members"], sorted(x)
assert sorted(p) == ["@odata.id", "@odata.type", "EnvironmentMetrics", "MemorySummary", "Status"], sorted(p)
assert p["@odata.id"].endswith("/GPU_SXM_3") and p["Status"]["State"] == "Enabled"
assert sorted(p["EnvironmentMetrics"]) == ["@odata.id", "@odata.type", "TemperatureCelsius"]
assert list(p["EnvironmentMetrics"]["TemperatureCelsius"]) == ["Reading"]
assert list(p["MemorySummary"]) == ["Metrics"] and "CorrectableECCErrorCount" in p["MemorySummary"]["Metrics"]["LifeTime"]
assert len(json.dumps(x)) < len(json.dumps(get("/redfish/v1/Systems/HGX_Baseboard_0/Processors?$expand=.($levels=2)"))) / 3
x = get("/redfish/v1/Systems/DGX?$select=PowerState,Status/Health")
assert sorted(x) == ["@odata.id", "@odata.type", "PowerState", "Status"] and list(x["Status"]) == ["Health"], x
assert get("/redfish/v1")["ProtocolFeaturesSupported"]["SelectQuery"] is True
for bad in ("Status/", "Status,,Id", "Sta tus", ",".join(["Id"] * 33)):
    try:
        get("/redfish/v1/Systems/DGX?$select=" + urllib.parse.quote(bad, safe="/,"))
        assert False, "$select=%s was accepted" % bad
    except urllib.error.HTTPError as e:
        assert e.code == 400 and "QueryParameterValueFormatError" in e.read().decode(), bad
for p in ("/ThermalSubsystem/ThermalMetrics", "/ThermalSubsystem/Fans/FAN_SYS6",
          "/PowerSubsystem/PowerSupplies/PSU1/Metrics"):
    assert "/redfish/v1/Chassis/DGX" + p in seen, p
print("crawled", len(seen), "resources")
PY

# --- ThermalSubsystem and PowerSubsystem show the Sensors' readings ------
sim_check "subsystems: DMTF shapes with the same readings as the Sensors" env PYTHONPATH="$RACKTOP_SRCDIR/tests/sim" PYTHONDONTWRITEBYTECODE=1 python3 - "$U" "$SIM_TMP/ca.pem" "$SIM_TMP/pw" <<'PY'
from sim_client import get
def agree(a, b):
    # the model steps once a second: a step between the two reads is retried
    for _ in range(3):
        x, y = a(), b()
        if x == y:
            return x
    raise AssertionError((x, y))
c = get("/redfish/v1/Chassis/DGX")
ts = get(c["ThermalSubsystem"]["@odata.id"])
assert ts["@odata.type"].startswith("#ThermalSubsystem.v1_") and ts["Status"]["State"] == "Enabled"
fans = get(ts["Fans"]["@odata.id"])
assert fans["@odata.type"] == "#FanCollection.FanCollection"
assert fans["Members@odata.count"] == len(fans["Members"]) == 6
assert [m["@odata.id"] for m in ts["FanRedundancy"][0]["RedundancyGroup"]] == [m["@odata.id"] for m in fans["Members"]]
for m in fans["Members"]:
    f = get(m["@odata.id"])
    assert f["@odata.type"].startswith("#Fan.v1_") and f["Id"] == m["@odata.id"].rsplit("/", 1)[1]
    src = f["SpeedPercent"]["DataSourceUri"]
    assert src == "/redfish/v1/Chassis/DGX/Sensors/" + f["Id"], src
    rpm = agree(lambda: get(m["@odata.id"])["SpeedPercent"]["SpeedRPM"], lambda: get(src)["Reading"])
    assert 2500 <= rpm <= 14000, rpm
    sp = f["SpeedPercent"]
    assert sp["Reading"] == round(sp["SpeedRPM"] * 100 / 14000), sp
tm = get(ts["ThermalMetrics"]["@odata.id"])
assert tm["@odata.type"].startswith("#ThermalMetrics.v1_")
rd = tm["TemperatureReadingsCelsius"]
assert [r["DeviceName"] for r in rd] == ["TEMP_INLET", "TEMP_EXHAUST"] + ["GPU_SXM_%d" % g for g in range(1, 9)]
assert tm["TemperatureSummaryCelsius"]["Intake"] == {k: rd[0][k] for k in ("Reading", "DataSourceUri")}
assert get(rd[0]["DataSourceUri"])["Reading"] == rd[0]["Reading"]
for i in (1, 2, 9):
    u = rd[i]["DataSourceUri"]
    agree(lambda: get(ts["ThermalMetrics"]["@odata.id"])["TemperatureReadingsCelsius"][i]["Reading"],
          lambda: get(u)["Reading"])
ps = get(c["PowerSubsystem"]["@odata.id"])
assert ps["@odata.type"].startswith("#PowerSubsystem.v1_") and ps["CapacityWatts"] == 3300
psus = get(ps["PowerSupplies"]["@odata.id"])
assert psus["@odata.type"] == "#PowerSupplyCollection.PowerSupplyCollection" and psus["Members@odata.count"] == 2
legacy = lambda i: get("/redfish/v1/Chassis/DGX/Power")["PowerSupplies"][i]["PowerInputWatts"]
for i, m in enumerate(psus["Members"]):
    p = get(m["@odata.id"])
    assert p["@odata.type"].startswith("#PowerSupply.v1_") and p["PowerCapacityWatts"] == 3300
    mu = p["Metrics"]["@odata.id"]
    src = get(mu)["InputPowerWatts"]["DataSourceUri"]
    assert src == "/redfish/v1/Chassis/DGX/Sensors/PWR_PSU%d_IN" % i, src
    w = agree(lambda: get(mu)["InputPowerWatts"]["Reading"], lambda: get(src)["Reading"])
    assert w > 900 / 2, w
    agree(lambda: get(mu)["InputPowerWatts"]["Reading"], lambda: legacy(i))
PY
sim_eq "no PSU among the fans" "$(sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Chassis/DGX/ThermalSubsystem/Fans/PSU0")" 404
sim_eq "no fan among the PSUs" "$(sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Chassis/DGX/PowerSubsystem/PowerSupplies/FAN_SYS1")" 404

# --- power --------------------------------------------------------------
SYS=$U/redfish/v1/Systems/DGX
post() { sim_req "$R" $CA -K "$CONF" -H 'Content-Type: application/json' -d "$2" "$1"; }
power() { sim_req "$R.p" $CA -K "$CONF" "$SYS" >/dev/null; sim_json "$R.p.body" 'd["PowerState"]'; }
sim_eq "bad ResetType: 400" "$(post "$SYS/Actions/ComputerSystem.Reset" '{"ResetType":"Explode"}')" 400
sim_check "400 names the allowed values" grep -q 'GracefulShutdown' "$R.body"
sim_eq "malformed JSON body: 400" "$(post "$SYS/Actions/ComputerSystem.Reset" '{"ResetType":')" 400
sim_eq "ForceOff: 204" "$(post "$SYS/Actions/ComputerSystem.Reset" '{"ResetType":"ForceOff"}')" 204
sim_eq "PoweringOff at once" "$(power)" PoweringOff
sleep 1.3
sim_eq "Off after the delay" "$(power)" Off
sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1/EnvironmentMetrics" >/dev/null
sim_eq "off: GPU readings absent" "$(sim_json "$R.body" '"TemperatureCelsius" in d')" False
sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1" >/dev/null
sim_eq "off: GPU StandbyOffline" "$(sim_json "$R.body" 'd["Status"]["State"]')" StandbyOffline
CH=$U/redfish/v1/Chassis/DGX
sim_req "$R" $CA -K "$CONF" "$CH/PowerSubsystem/PowerSupplies/PSU0/Metrics" >/dev/null
sim_eq "off: PSU draws standby power" "$(sim_json "$R.body" 'd["InputPowerWatts"]["Reading"]')" 35.0
sim_req "$R" $CA -K "$CONF" "$CH/ThermalSubsystem/Fans/FAN_SYS1" >/dev/null
sim_eq "off: fans stopped" "$(sim_json "$R.body" '(d["SpeedPercent"]["SpeedRPM"], d["SpeedPercent"]["Reading"])')" "(0.0, 0)"
sim_req "$R" $CA -K "$CONF" "$CH/ThermalSubsystem/ThermalMetrics" >/dev/null
sim_eq "off: no GPU temperatures in ThermalMetrics" "$(sim_json "$R.body" 'sum("Reading" in r for r in d["TemperatureReadingsCelsius"])')" 2
sim_eq "On: 204" "$(post "$SYS/Actions/ComputerSystem.Reset" '{"ResetType":"On"}')" 204
sim_eq "PoweringOn at once" "$(power)" PoweringOn
sleep 1.3
sim_eq "On after the delay" "$(power)" On
sim_req "$R" $CA -K "$CONF" "$SYS/LogServices/EventLog/Entries" >/dev/null
sim_check "power changes are in the event log" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); m=d["Members"]
ids=[int(e["Id"]) for e in m]; assert ids==sorted(ids)
msgs=[e["MessageId"] for e in m]
assert "ResourceEvent.1.0.ResourcePoweredOff" in msgs and msgs[-1]=="ResourceEvent.1.0.ResourcePoweredOn"
assert all(e["EntryType"]=="Event" and e["Severity"] and e["Created"] for e in m)' "$R.body"

# --- boot override ------------------------------------------------------
patch() { sim_req "$R" $CA -K "$CONF" -X PATCH -H 'Content-Type: application/json' -d "$1" "$SYS"; }
sim_eq "boot PATCH: 204" "$(patch '{"Boot":{"BootSourceOverrideTarget":"Pxe","BootSourceOverrideEnabled":"Once"}}')" 204
sim_req "$R" $CA -K "$CONF" "$SYS" >/dev/null
sim_eq "boot override shows" "$(sim_json "$R.body" 'd["Boot"]["BootSourceOverrideTarget"]+"/"+d["Boot"]["BootSourceOverrideEnabled"]')" Pxe/Once
sim_eq "bad boot target: 400" "$(patch '{"Boot":{"BootSourceOverrideTarget":"Floppy"}}')" 400

# --- log and BMC actions ------------------------------------------------
LS=$SYS/LogServices/EventLog
sim_req "$R" $CA -K "$CONF" "$LS" >/dev/null
sim_eq "LogService advertises ClearLog" "$(sim_json "$R.body" 'd["Actions"]["#LogService.ClearLog"]["target"]')" /redfish/v1/Systems/DGX/LogServices/EventLog/Actions/LogService.ClearLog
sim_req "$R" $CA -K "$CONF" "$LS/Entries" >/dev/null
LAST_ID=$(sim_json "$R.body" 'max(int(e["Id"]) for e in d["Members"])')
sim_eq "ClearLog: 204" "$(post "$LS/Actions/LogService.ClearLog" '{}')" 204
sim_req "$R" $CA -K "$CONF" "$LS/Entries" >/dev/null
sim_eq "the log holds one 'Log cleared.' entry" "$(sim_json "$R.body" '[e["Message"] for e in d["Members"]]')" "['Log cleared.']"
sim_check "its Id goes on from the old ones" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); assert int(d["Members"][0]["Id"]) > int(sys.argv[2])' "$R.body" "$LAST_ID"
MGR=$U/redfish/v1/Managers/BMC_0
sim_req "$R" $CA -K "$CONF" "$MGR" >/dev/null
sim_eq "Manager advertises Reset" "$(sim_json "$R.body" 'd["Actions"]["#Manager.Reset"]["ResetType@Redfish.AllowableValues"]')" "['GracefulRestart', 'ForceRestart']"
sim_eq "Manager.Reset with a bad ResetType: 400" "$(post "$MGR/Actions/Manager.Reset" '{"ResetType":"Explode"}')" 400
sim_eq "a session before the BMC reset" "$(login "$SIM_TMP/login.json")" 201
( umask 077; printf 'header = "X-Auth-Token: %s"\n' "$(sed -n 's/^X-Auth-Token: *\([0-9a-f]*\).*/\1/ip' "$R.hdr")" > "$SIM_TMP/tok2.conf" )
sim_eq "its token works" "$(sim_req "$R" $CA -K "$SIM_TMP/tok2.conf" "$U/redfish/v1/Systems")" 200
sim_eq "Manager.Reset: 204" "$(post "$MGR/Actions/Manager.Reset" '{"ResetType":"GracefulRestart"}')" 204
sim_eq "restarting BMC: 503" "$(sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Systems")" 503
sim_eq "restarting BMC: login 503 too" "$(login "$SIM_TMP/login.json")" 503
sim_eq "other BMCs unaffected" "$(sim_req "$R" $CA -K "$CONF" "https://127.0.0.1:$P2/redfish/v1")" 200
sleep 2.2
sim_eq "back after 2 s" "$(sim_req "$R" $CA -K "$CONF" "$U/redfish/v1/Systems")" 200
sim_eq "the old session is gone: 401" "$(sim_req "$R" $CA -K "$SIM_TMP/tok2.conf" "$U/redfish/v1/Systems")" 401
sim_req "$R" $CA -K "$CONF" "$LS/Entries" >/dev/null
sim_eq "the BMC reset is in the log" "$(sim_json "$R.body" 'd["Members"][-1]["Message"]')" "BMC reset (GracefulRestart) requested."

# --- misbehaving host ---------------------------------------------------
sim_eq "badjson host answers 200" "$(sim_req "$R" $CA -K "$CONF" "https://127.0.0.1:$P2/redfish/v1/Systems")" 200
sim_check "badjson body is not JSON" sh -c "! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$R.body' 2>/dev/null"

# --- errors -------------------------------------------------------------
"$RACKTOP_SIM" --hosts 1 --port "$P0" --http >"$SIM_TMP/busy.out" 2>"$SIM_TMP/busy.err"
sim_eq "port in use: exit 2" $? 2
sim_check "port in use: message names the port" grep -q "racktop-sim: .*127.0.0.1:$P0" "$SIM_TMP/busy.err"
"$RACKTOP_SIM" --hosts 1 --port 0 --mockup /nonexistent >/dev/null 2>"$SIM_TMP/mock.err"
sim_eq "bad mockup: exit 2" $? 2
sim_check "bad mockup: message names it" grep -q "racktop-sim: --mockup /nonexistent" "$SIM_TMP/mock.err"
"$RACKTOP_SIM" --hosts 2 --port 0 --misbehave 5:hang >/dev/null 2>&1
sim_eq "bad --misbehave: exit 2" $? 2

# --- mockups ------------------------------------------------------------
M=$RACKTOP_SHARED/redfish-mockups
for mk in dmtf-public-tower:Systems/437XR1238R2 hpe-cray-ex235n-a100:Systems/Node0 \
          nvidia-dgx-h100:Systems/HGX_Baseboard_0/Processors/GPU_SXM_1; do
	name=${mk%%:*}; rel=${mk#*:}
	file=$M/$name/$rel/index.json
	[ -f "$file" ] || file=$M/$name/redfish/v1/$rel/index.json
	sim_start "$name" --hosts 1 --port 0 --http --mockup "$M/$name" \
		--manifest "$SIM_TMP/$name.yaml" --password-file "$SIM_TMP/pw" || { sim_fail "$name start"; continue; }
	MU=http://127.0.0.1:$(sim_port "$SIM_TMP/$name.yaml" 0)
	sim_check "$name: --http manifest marks the scheme" python3 -c '
import sys, yaml
m = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Machine"][0]
assert m["metadata"]["annotations"] == {"racktop/scheme": "http"}' "$SIM_TMP/$name.yaml"
	sim_eq "$name: file served" "$(sim_req "$R" -K "$CONF" "$MU/redfish/v1/$rel?\$select=Id")" 200
	# $select only where the mockup's ServiceRoot advertises SelectQuery
	sim_check "$name: same JSON as the file" python3 -c '
import json,sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if sys.argv[3] == "nvidia-dgx-h100":
    want = {k: v for k, v in want.items() if k in ("@odata.id", "@odata.type", "Id")}
assert got == want, sorted(got)' "$R.body" "$file" "$name"
	sim_eq "$name: unknown path 404" "$(sim_req "$R" -K "$CONF" "$MU/redfish/v1/NoSuchThing")" 404
	sim_eq "$name: .. refused" "$(sim_req "$R" -K "$CONF" --path-as-is "$MU/redfish/v1/Systems/../../../../etc")" 404
	sim_eq "$name: login works" "$(sim_req "$R" -H 'Content-Type: application/json' --data-binary "@$SIM_TMP/login.json" "$MU/redfish/v1/SessionService/Sessions")" 201
	sim_eq "$name: no credentials 401" "$(sim_req "$R" "$MU/redfish/v1/Systems")" 401
	kill "$SIM_PID"
done

# --- --fault: one known fault on one GPU ----------------------------------
sim_start faults --hosts 2 --port 0 --http --manifest "$SIM_TMP/faults.yaml" \
	--password-file "$SIM_TMP/pw" --power-delay 0.2 --fault 0:2:offbus --fault 1:5:offbus:persist ||
	sim_fail "--fault start"
FAULTS_PID=$SIM_PID
FU0=http://127.0.0.1:$(sim_port "$SIM_TMP/faults.yaml" 0)
FU1=http://127.0.0.1:$(sim_port "$SIM_TMP/faults.yaml" 1)
gpu() { sim_req "$R" -K "$CONF" "$1/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_$2" >/dev/null; sim_json "$R.body" 'd["Status"]["State"]'; }
sleep 1.2
sim_eq "--fault 0:2:offbus: GPU_SXM_3 absent at once" "$(gpu "$FU0" 3)" Absent
sim_eq "--fault: the other GPUs are there" "$(gpu "$FU0" 2)" Enabled
sim_eq "--fault 1:5:offbus:persist: GPU_SXM_6 absent" "$(gpu "$FU1" 6)" Absent
for u in "$FU0" "$FU1"; do
	sim_req "$R" -K "$CONF" -H 'Content-Type: application/json' -d '{"ResetType":"PowerCycle"}' \
		"$u/redfish/v1/Systems/DGX/Actions/ComputerSystem.Reset" >/dev/null
done
sleep 1.5
sim_eq "a power cycle clears the fault" "$(gpu "$FU0" 3)" Enabled
sim_eq "but not a persistent one" "$(gpu "$FU1" 6)" Absent
# /racktop-sim/fault: the same faults while the simulator runs
sim_eq "POST /racktop-sim/fault" "$(sim_req "$R" -K "$CONF" -H 'Content-Type: application/json' \
	-d '{"Fault":"4:offbus"}' "$FU0/racktop-sim/fault")" 204
sleep 1.2
sim_eq "/racktop-sim/fault 4:offbus: GPU_SXM_5 absent" "$(gpu "$FU0" 5)" Absent
sim_eq "/racktop-sim/fault: a bad one is refused" "$(sim_req "$R" -K "$CONF" \
	-H 'Content-Type: application/json' -d '{"Fault":"9:offbus"}' "$FU0/racktop-sim/fault")" 400
sim_eq "/racktop-sim/fault wants credentials" "$(sim_req "$R" -H 'Content-Type: application/json' \
	-d '{"Fault":"1:offbus"}' "$FU0/racktop-sim/fault")" 401
# /racktop-sim/stats: the requests this BMC answered (its own not counted)
sim_eq "GET /racktop-sim/stats" "$(sim_req "$R" -K "$CONF" "$FU1/racktop-sim/stats")" 200
n0=$(sim_json "$R.body" 'd["Requests"]')
for i in 1 2 3; do sim_req "$R" -K "$CONF" "$FU1/redfish/v1/Systems" >/dev/null; done
sim_req "$R" -K "$CONF" "$FU1/racktop-sim/stats" >/dev/null
sim_eq "stats: three GETs counted" "$(sim_json "$R.body" "d['Requests'] - $n0")" 3
kill "$FAULTS_PID"
for bad in 2:0:offbus 0:8:offbus 0:1:melt 0:1:offbus:forever x; do
	"$RACKTOP_SIM" --hosts 2 --port 0 --fault "$bad" >"$SIM_TMP/fault.out" 2>&1
	sim_eq "--fault $bad is refused" "$?" 2
done
sim_check "the refusal says what is wanted" grep -q "want I:GPU:KIND\[:persist\] with I from 0 to 1, GPU from 0 to 7" "$SIM_TMP/fault.out"

# --- clean exit ---------------------------------------------------------
kill -TERM "$FLEET_PID"
wait "$FLEET_PID"
sim_eq "SIGTERM: exit 0" $? 0

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

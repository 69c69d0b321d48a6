#!/bin/sh
# racktop-sim's serial consoles over SSH (--ssh-port), with OpenSSH's
# client: one port per BMC, advertised in its Manager's SerialConsole.SSH;
# the host key in --ssh-known-hosts (checked strictly); the BMC's password
# and no other; the host's serial line: login prompt, echo, nvidia-smi -L
# agreeing with Redfish's GPU UUIDs, a lost GPU, shutdown and boot lines
# following Redfish power actions, a Break arming SysRq (b reboots);
# sessions per BMC capped, dropped by Manager.Reset; option errors; a
# clean SIGTERM with sessions open.
. "$RACKTOP_SRCDIR/tests/sim/sim_lib.sh"

command -v ssh >/dev/null || { echo "FAIL: ssh (openssh-client) is needed" >&2; exit 1; }
sim_password Ssh-Test
KH=$SIM_TMP/known_hosts
ASK=$SIM_TMP/askpass
printf '#!/bin/sh\ncat "%s"\n' "$SIM_TMP/pw" >"$ASK"
chmod 700 "$ASK"
printf '#!/bin/sh\necho wrong-password\n' >"$SIM_TMP/askbad"
chmod 700 "$SIM_TMP/askbad"

sim_start ssh --hosts 2 --port 0 --http --manifest "$SIM_TMP/fleet.yaml" \
	--password-file "$SIM_TMP/pw" --power-delay 1 --fault 1:2:offbus \
	--ssh-port 0 --ssh-known-hosts "$KH" || exit 1
SSH_PID=$SIM_PID
U0=http://127.0.0.1:$(sim_port "$SIM_TMP/fleet.yaml" 0)
U1=http://127.0.0.1:$(sim_port "$SIM_TMP/fleet.yaml" 1)

# --- where the consoles are ------------------------------------------------
sim_eq "known_hosts: a line per BMC" "$(wc -l <"$KH")" 2
S0=$(sed -n '1s/^\[127\.0\.0\.1\]:\([0-9]*\) ssh-ed25519 AAAA.*/\1/p' "$KH")
S1=$(sed -n '2s/^\[127\.0\.0\.1\]:\([0-9]*\) ssh-ed25519 AAAA.*/\1/p' "$KH")
sim_check "known_hosts: [127.0.0.1]:PORT ssh-ed25519 KEY, a port each" test -n "$S0" -a -n "$S1" -a "$S0" != "$S1"
sim_req "$SIM_TMP/m0" -K "$CONF" "$U0/redfish/v1/Managers/BMC_0" >/dev/null
sim_eq "Manager 0 advertises its own SSH console port" \
	"$(sim_json "$SIM_TMP/m0.body" 'd["SerialConsole"]["SSH"]["Port"], d["SerialConsole"]["SSH"]["ServiceEnabled"], d["SerialConsole"]["MaxConcurrentSessions"]')" \
	"($S0, True, 4)"
sim_req "$SIM_TMP/m1" -K "$CONF" "$U1/redfish/v1/Managers/BMC_0" >/dev/null
sim_eq "Manager 1 advertises its own" "$(sim_json "$SIM_TMP/m1.body" 'd["SerialConsole"]["SSH"]["Port"]')" "$S1"
sim_check "the manifest asks for SSH consoles (the port is the BMC's to say)" python3 -c '
import sys, yaml
ms = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Machine"]
assert len(ms) == 2
for m in ms:
    assert m["metadata"]["annotations"] == {"racktop/scheme": "http", "racktop/console": "ssh"}, m
' "$SIM_TMP/fleet.yaml"

con() { # con PORT STEP...: a session; its transcript in $SIM_TMP/con.out
	port=$1; shift
	timeout 60 python3 "$RACKTOP_SRCDIR/tests/sim/ssh_console.py" "$port" "$KH" "$ASK" "$@" \
		>"$SIM_TMP/con.out" 2>&1
}
act() { # act BASEURL RESETTYPE
	sim_req "$SIM_TMP/act" -K "$CONF" -H 'Content-Type: application/json' \
		-d "{\"ResetType\":\"$2\"}" "$1/redfish/v1/Systems/DGX/Actions/ComputerSystem.Reset"
}

# --- logging in -------------------------------------------------------------
timeout 30 python3 "$RACKTOP_SRCDIR/tests/sim/ssh_console.py" "$S0" "$KH" "$SIM_TMP/askbad" eof \
	>"$SIM_TMP/bad.out" 2>&1
sim_check "a wrong password is refused" grep -q "Permission denied" "$SIM_TMP/bad.out"
sim_check "no console without the password" sh -c "! grep -q 'login:' '$SIM_TMP/bad.out'"
ssh-keygen -q -t ed25519 -N '' -f "$SIM_TMP/hostkey" -C sim-test
printf '[127.0.0.1]:%s %s\n' "$S0" "$(cut -d' ' -f1,2 "$SIM_TMP/hostkey.pub")" >"$SIM_TMP/kh_other"
timeout 30 python3 "$RACKTOP_SRCDIR/tests/sim/ssh_console.py" "$S0" "$SIM_TMP/kh_other" "$ASK" eof \
	>"$SIM_TMP/other.out" 2>&1
sim_check "another host key in known_hosts: the client refuses (the key is checked)" \
	grep -qi "host key" "$SIM_TMP/other.out"

if con "$S0" "wait:gpu-node-001 login: " "send:ops\r" "wait:ops@gpu-node-001:~\$ " \
	"send:nvidia-smi -L\r" "wait:GPU 7: " "wait:ops@gpu-node-001:~\$ " \
	"send:uptime\r" "wait: up " "send:frobnicate\r" "wait:frobnicate: command not found" \
	"send:exit\r" "wait:gpu-node-001 login: "; then
	sim_ok "login prompt, login, commands, exit back to the prompt"
else
	sim_fail "a console session: $(cat "$SIM_TMP/con.out")"
fi
sim_check "typed characters echo" grep -q "login: ops" "$SIM_TMP/con.out"
sim_eq "nvidia-smi -L lists 8 GPUs" "$(grep -c '^GPU [0-7]: NVIDIA H100 80GB HBM3 (UUID: GPU-' "$SIM_TMP/con.out")" 8
sim_req "$SIM_TMP/gpu" -K "$CONF" "$U0/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_4" >/dev/null
sim_check "its UUIDs are Redfish's" grep -q "^GPU 3: .*(UUID: GPU-$(sim_json "$SIM_TMP/gpu.body" 'd["UUID"]'))" \
	"$SIM_TMP/con.out"

if con "$S1" "wait:gpu-node-002 login: " "send:root\r" "wait:root@gpu-node-002:~# " \
	"send:nvidia-smi -L\r" "wait:GPU 7: " "wait:root@gpu-node-002:~# "; then
	sim_ok "the second BMC's console is its own host's"
else
	sim_fail "gpu-node-002's console: $(cat "$SIM_TMP/con.out")"
fi
sim_check "a GPU off the bus is lost to nvidia-smi" \
	grep -q "GPU2: 0000:52:00.0: GPU is lost" "$SIM_TMP/con.out"
sim_eq "and the other 7 are listed" "$(grep -c '^GPU [0-7]: NVIDIA' "$SIM_TMP/con.out")" 7

# --- power through Redfish, seen on the console -------------------------------
( sleep 1; act "$U0" GracefulShutdown >/dev/null; sleep 2.5; act "$U0" On >/dev/null ) &
ACT=$!
con "$S0" "send:\025" "wait:login: " "wait:ACPI: button: Power Button" "wait:poweroff.target" \
	"wait:reboot: Power down" "wait:racktop-sim UEFI firmware" "wait:Linux version" \
	"wait:gpu-node-001 login: " && ok=1 || ok=0
wait "$ACT"
if [ $ok = 1 ]; then sim_ok "a graceful shutdown and power on: their lines in order"
else sim_fail "shutdown and boot: $(cat "$SIM_TMP/con.out")"; fi

# --- a Break: SysRq --------------------------------------------------------------
# OpenSSH sends a Break for ~B at the start of a line.
con "$S0" "wait:login: " "send:\r" "sleep:0.3" "send:~B" "wait:sysrq: serial break" "send:h" \
	"wait:sysrq: HELP" "send:\r" "sleep:0.3" "send:~B" "wait:sysrq: serial break" "send:b" "wait:sysrq: Resetting" \
	"wait:Linux version" "wait:gpu-node-001 login: " && ok=1 || ok=0
if [ $ok = 1 ]; then sim_ok "a Break arms SysRq: h helps, b reboots the host"
else sim_fail "Break: $(cat "$SIM_TMP/con.out")"; fi
sim_req "$SIM_TMP/log" -K "$CONF" "$U0/redfish/v1/Systems/DGX/LogServices/EventLog/Entries" >/dev/null
sim_check "the reboot is in the BMC's event log" \
	grep -q "Power action ForceRestart requested" "$SIM_TMP/log.body"

# --- sessions ------------------------------------------------------------------
sim_check "4 sessions per BMC; the 5th is hung up on, a freed one is reusable" python3 - "$S0" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def banner(s):
    s.settimeout(5)
    try:
        return s.recv(64)
    except socket.timeout:
        return None
held = []
deadline = time.time() + 10
while len(held) < 4:   # sessions just ended may still be counted for a moment
    s = socket.create_connection(("127.0.0.1", port))
    b = banner(s)
    if b and b.startswith(b"SSH-2.0-"):
        held.append(s)
        continue
    s.close()
    assert time.time() < deadline, "4 sessions were not served"
    time.sleep(0.2)
fifth = socket.create_connection(("127.0.0.1", port))
assert banner(fifth) in (b"", None), "a 5th session was served"
held.pop().close()
deadline = time.time() + 10
while True:
    s = socket.create_connection(("127.0.0.1", port))
    b = banner(s)
    s.close()
    if b and b.startswith(b"SSH-2.0-"):
        break
    assert time.time() < deadline, "the freed session was not reused"
    time.sleep(0.2)
PY
( sleep 1.5; sim_req "$SIM_TMP/reset" -K "$CONF" -H 'Content-Type: application/json' \
	-d '{"ResetType":"ForceRestart"}' "$U0/redfish/v1/Managers/BMC_0/Actions/Manager.Reset" >/dev/null ) &
ACT=$!
con "$S0" "wait:login: " eof && ok=1 || ok=0
wait "$ACT"
if [ $ok = 1 ]; then sim_ok "Manager.Reset drops the BMC's console sessions"
else sim_fail "Manager.Reset: $(cat "$SIM_TMP/con.out")"; fi

# --- SIGTERM with a session open --------------------------------------------------
timeout 60 python3 "$RACKTOP_SRCDIR/tests/sim/ssh_console.py" "$S1" "$KH" "$ASK" \
	"wait:gpu-node-002" eof >"$SIM_TMP/term.out" 2>&1 &
CON=$!
sleep 3
kill -TERM "$SSH_PID"
wait "$SSH_PID"
sim_eq "SIGTERM with a session open: exit 0" $? 0
wait "$CON"
rc=$?
sim_eq "and the session ends" $rc 0
[ $rc = 0 ] || cat "$SIM_TMP/term.out" >&2

# --- a host key of one's own, and errors ---------------------------------------------
sim_start own --hosts 1 --port 0 --http --ssh-port 0 --ssh-host-key "$SIM_TMP/hostkey" \
	--ssh-known-hosts "$SIM_TMP/kh_own" || exit 1
sim_eq "--ssh-host-key: known_hosts has that key" "$(cut -d' ' -f2,3 "$SIM_TMP/kh_own")" \
	"$(cut -d' ' -f1,2 "$SIM_TMP/hostkey.pub")"
kill "$SIM_PID"
printf 'not a key\n' >"$SIM_TMP/badkey"
"$RACKTOP_SIM" --hosts 1 --port 0 --ssh-port 0 --ssh-host-key "$SIM_TMP/badkey" >/dev/null 2>"$SIM_TMP/e1"
sim_eq "an unreadable --ssh-host-key: exit 2" $? 2
sim_check "naming the file" grep -q "ssh-host-key $SIM_TMP/badkey: cannot read a private key" "$SIM_TMP/e1"
"$RACKTOP_SIM" --hosts 1 --port 0 --ssh-port 0 --ssh-console-port 2200 >/dev/null 2>"$SIM_TMP/e2"
sim_eq "--ssh-port with --ssh-console-port: exit 2" $? 2
"$RACKTOP_SIM" --hosts 1 --port 0 --ssh-known-hosts "$SIM_TMP/x" >/dev/null 2>"$SIM_TMP/e3"
sim_eq "--ssh-known-hosts without --ssh-port: exit 2" $? 2
"$RACKTOP_SIM" --hosts 3 --port 20000 --ssh-port 20002 >/dev/null 2>"$SIM_TMP/e4"
sim_eq "overlapping --port and --ssh-port: exit 2" $? 2
sim_check "saying so" grep -q "would share ports" "$SIM_TMP/e4"

echo "$SIM_PASSES passed, $SIM_FAILS failed"
[ "$SIM_FAILS" -eq 0 ]

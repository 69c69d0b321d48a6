#!/bin/sh
# The SSH console port from the BMC: racktop-sim's Manager advertises
# SerialConsole.SSH {ServiceEnabled, Port} (--ssh-console-port) pointing
# at sshd on loopback. gpu-node-001's console is SSH to 127.0.0.1 with
# no port: racktop waits for the BMC's first poll, learns the port and
# connects there. gpu-node-002 names a port of its own, which still wins.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
sim_start 2 --ssh-console-port "$CON_PORT"
closed=$(con_free_port)
user=$(id -un)
# The simulator's manifest with console annotations on both Machines.
python3 - "$SCR_TMP/fleet.yaml" "$CON_DIR/fleet.yaml" "$user" "$closed" <<'PY'
import sys
src, dst, user, closed = sys.argv[1:5]
ann = {
    "gpu-node-001-bmc": ["racktop/console-ssh: %s@127.0.0.1" % user,
                         "racktop/console-command: serial node-1"],
    "gpu-node-002-bmc": ["racktop/console-ssh: %s@127.0.0.1:%s" % (user, closed),
                         "racktop/console-command: serial node-2"],
}
out, pending = [], None
for line in open(src).read().split("\n"):
    out.append(line)
    if line.startswith("  name: ") and line[8:] in ann:
        pending = line[8:]
    elif pending and line.startswith("  namespace: "):
        out.append("  annotations:")
        out += ["    " + a for a in ann[pending]]
        pending = None
open(dst, "w").write("\n".join(out))
PY
grep -q "serial node-2" "$CON_DIR/fleet.yaml" || scr_fail "could not annotate the manifest"

scr_start 140 40
scr_run "$(con_racktop --cacert "$SCR_TMP/ca.pem" --console gpu-node-001)"
scr_wait_for "node-1 login:"
scr_wait_re "gpu-node-001 +ssh $user@127\\.0\\.0\\.1:$CON_PORT serial node-1 +connected"
scr_ok "no port in the inventory: the console went to the port the BMC advertises ($CON_PORT)"
scr_type "via-bmc-port"
scr_keys Enter
scr_wait_for "you typed: via-bmc-port"
scr_ok "typing reaches the host"

# gpu-node-002: its own port (closed here) wins over the advertised one.
scr_keys C-]
scr_type f
scr_wait_for "gpu-node-002"
scr_keys j
scr_type c
scr_wait_re "gpu-node-002 +ssh $user@127\\.0\\.0\\.1:$closed serial node-2 +DISCONNECTED"
scr_has "node-2 login:" && scr_fail "gpu-node-002 reached the advertised port"
scr_ok "an explicit port annotation wins over the advertised one"
scr_keys C-]
scr_type f
scr_quit_and_check_terminal Q Q   # a console is open: Q asks, Q again quits

# Helpers for the console tests (sourced after lib.sh): an sshd on
# loopback whose forced command is tests/screen/console_serial.py (a
# fake serial console), a client key and known_hosts of our own, and an
# inventory of Machines whose consoles are on that sshd.

scr_need ssh-keygen python3
CON_SSHD=${CON_SSHD:-/usr/sbin/sshd}
[ -x "$CON_SSHD" ] || { echo "FAIL: $CON_SSHD is needed (openssh-server)" >&2; exit 1; }

CON_DIR=$SCR_TMP/con
mkdir -p "$CON_DIR/logs"
chmod 700 "$CON_DIR"
CON_SENT=$CON_DIR/sent.raw
CON_KNOWN=$CON_DIR/known_hosts
CON_LOGS=$CON_DIR/logs

con_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# con_sshd_start [HOSTKEY]: sshd on 127.0.0.1:$CON_PORT with HOSTKEY (made
# when missing). Waits until it accepts connections.
con_sshd_start() {
	key=${1:-$CON_DIR/host_ed25519}
	[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -f "$key" || scr_fail "ssh-keygen (host)"
	[ -f "$CON_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$CON_DIR/id_ed25519" ||
		scr_fail "ssh-keygen (client)"
	cp "$CON_DIR/id_ed25519.pub" "$CON_DIR/authorized_keys"
	CON_PORT=${CON_PORT:-$(con_free_port)}
	cat >"$CON_DIR/sshd_config" <<EOT
ListenAddress 127.0.0.1
Port $CON_PORT
HostKey $key
PidFile $CON_DIR/sshd.pid
AuthorizedKeysFile $CON_DIR/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitTTY yes
ForceCommand /usr/bin/python3 $RACKTOP_SRCDIR/tests/screen/console_serial.py $CON_SENT
LogLevel ERROR
EOT
	# As root, sshd wants its privilege separation directory.
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	"$CON_SSHD" -D -e -f "$CON_DIR/sshd_config" 2>"$CON_DIR/sshd.err" &
	CON_SSHD_PID=$!
	SCR_PIDS="$SCR_PIDS $CON_SSHD_PID"
	i=0
	while [ $i -lt 100 ]; do
		if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$CON_PORT),1)" \
			2>/dev/null; then
			return 0
		fi
		kill -0 "$CON_SSHD_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	cat "$CON_DIR/sshd.err" >&2
	scr_fail "sshd did not start on port $CON_PORT"
}

con_sshd_stop() {
	kill "$CON_SSHD_PID" 2>/dev/null
	wait "$CON_SSHD_PID" 2>/dev/null
}

# con_sshd_drop [stop]: the server side drops every session of our sshd
# (its per-connection processes, and what they run, end); with "stop"
# the listener goes too (con_sshd_start brings it back on CON_PORT).
con_sshd_tree() {
	tree=$(pgrep -P "$CON_SSHD_PID")
	more=$tree
	while [ -n "$more" ]; do
		next=
		for p in $more; do next="$next $(pgrep -P "$p")"; done
		more=$(echo $next)
		tree="$tree $more"
	done
	echo $tree
}
con_sshd_drop() {
	# The login shell may still be starting (a shell rc file running
	# "pyenv rehash", say): killed then, it can leave a lock behind that
	# stalls every later login. Wait for the forced command instead.
	i=0
	while [ $i -lt 100 ]; do
		drop=$(con_sshd_tree)
		busy=
		for p in $drop; do
			case $(cat "/proc/$p/cmdline" 2>/dev/null | tr '\0' ' ') in
			*console_serial.py*) ;;
			*sshd*) ;;
			*) busy=$p ;;
			esac
		done
		[ -z "$busy" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$drop" ] || scr_fail "sshd has no session to drop"
	[ "$1" = stop ] && con_sshd_stop
	kill $drop 2>/dev/null
}

# con_machine NAME COMMAND: a Machine whose console is ssh to our sshd
# running COMMAND (its BMC address is a closed port: polls fail fast).
con_machine() {
	cat <<EOT
---
apiVersion: bmc.tinkerbell.org/v1alpha1
kind: Machine
metadata:
  name: $1
  namespace: default
  annotations:
    racktop/scheme: http
    racktop/console-ssh: $(id -un)@127.0.0.1:$CON_PORT
    racktop/console-command: $2
spec:
  connection:
    host: 127.0.0.1
    port: 9
    insecureTLS: true
EOT
}

# The racktop command line for the console tests.
con_racktop() {
	printf '%s -f %s --console-log-dir %s --known-hosts %s --ssh-identity %s --interval 60 %s' \
		"$RACKTOP" "$CON_DIR/fleet.yaml" "$CON_LOGS" "$CON_KNOWN" "$CON_DIR/id_ed25519" "$*"
}

# con_trust: known_hosts already holds the sshd's key.
con_trust() {
	printf '[127.0.0.1]:%s %s\n' "$CON_PORT" "$(cut -d' ' -f1,2 "${1:-$CON_DIR/host_ed25519}.pub")" \
		>"$CON_KNOWN"
}

# con_reconnect_logged TLOG KIND ATTEMPT_RE: the timestamped log TLOG notes
# KIND's (SOL or SSH) drop with attempt 1's wait, attempt 2, and the
# reconnection at an attempt matching ATTEMPT_RE.
con_reconnect_logged() {
	_stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+'
	grep -Eq "$_stamp.*$2 dropped: .*reconnecting in [0-9.]+s \\(attempt 1\\)" "$1" ||
		{ cat "$1" >&2; scr_fail "the timestamped log lacks the drop"; }
	grep -Eq "$_stamp.*reconnect attempt 2" "$1" ||
		{ cat "$1" >&2; scr_fail "the timestamped log lacks the attempts"; }
	grep -Eq "$_stamp.*reconnected at attempt $3" "$1" ||
		{ cat "$1" >&2; scr_fail "the timestamped log lacks the reconnection"; }
}

# con_col TEXT: the screen column (in characters, from 0) where TEXT first
# shows in $SCR_SCREEN, or -1.
con_col() {
	printf '%s\n' "$SCR_SCREEN" | python3 -c '
import sys
t = sys.argv[1]
for line in sys.stdin.read().split("\n"):
    i = line.find(t)
    if i >= 0:
        print(i)
        sys.exit(0)
print(-1)' "$1"
}

# con_at ROW COL TEXT: TEXT shows at ROW, COL (from 0) of $SCR_SCREEN.
con_at() {
	printf '%s\n' "$SCR_SCREEN" | python3 -c '
import sys
r, c, t = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lines = sys.stdin.read().split("\n")
sys.exit(0 if r < len(lines) and lines[r][c:c + len(t)] == t else 1)' "$1" "$2" "$3"
}

# con_sol_bmc [ANNOTATION...]: one ipmi_sim BMC on a free port (PORT) for
# the SOL tests, and $CON_DIR/fleet.yaml with a Machine "solnode" on it
# (extra annotation lines given as "key: value"). sim_down stops the BMC;
# sim_up starts it again on the same port.
con_sol_bmc() {
	. "$RACKTOP_SRCDIR/tests/ipmi_sim_lib.sh"
	ipmi_sim_need
	scr_need bash
	state=$CON_DIR/ipmi
	trap 'ipmi_sim_down_all; scr_cleanup' EXIT
	port=
	sim_up
	{
		ipmi_sim_secret bmc-creds
		cat <<EOT
---
apiVersion: bmc.tinkerbell.org/v1alpha1
kind: Machine
metadata:
  name: solnode
  namespace: default
  annotations:
    racktop/protocol: ipmi
    racktop/ipmi-workarounds: opensesspriv
    racktop/sol-workarounds: solchannelsupport,solpayloadsize
EOT
		for a in "$@"; do printf '    %s\n' "$a"; done
		cat <<EOT
spec:
  connection:
    host: 127.0.0.1
    port: $port
    insecureTLS: true
    authSecretRef: {name: bmc-creds, namespace: default}
EOT
	} >"$CON_DIR/fleet.yaml"
}
sim_up() {
	ipmi_sim_up "$state" ${port:+"$port"} || scr_fail "ipmi_sim did not start${port:+ on $port}"
	port=$IPMI_SIM_PORT
}
sim_down() { ipmi_sim_down "$state"; }

# con_sol_login: logs in on the SOL console of ipmi_sim's host (root,
# password "secret") from its login prompt to the shell prompt.
con_sol_login() {
	scr_keys Enter
	scr_wait_for "gpu-node-$port login:"
	scr_type root
	scr_keys Enter
	scr_wait_re "[Pp]assword:"
	scr_type secret
	scr_keys Enter
	scr_wait_re ":~# *$"
}

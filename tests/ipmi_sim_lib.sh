# OpenIPMI ipmi_sim BMCs for the shell tests (sourced; see
# ../shared/ipmi-sim/README.md). Each BMC's state dir is the caller's,
# inside its own temp dir; the simulator is always stopped with --keep,
# and the caller's cleanup removes the dir. Ports are below 32768
# (libipmiconsole 1.6 cannot reach higher ones) and free for UDP (IPMI)
# and TCP (the emulator console). Names start with ipmi_sim_ / IPMI_SIM_
# and the functions' own variables with _is_, so a caller's port, state
# or tries are never touched.

IPMI_SIM_SHARED=$RACKTOP_SHARED/ipmi-sim
IPMI_SIM_STATES=""

# ipmi_sim_need: the tools ipmi_sim needs are installed, else FAIL.
ipmi_sim_need() {
	[ -x "$IPMI_SIM_SHARED/start.sh" ] || { echo "FAIL: no ipmi-sim at $IPMI_SIM_SHARED" >&2; exit 1; }
	for _is_t in ipmi_sim socat bmc-info python3; do
		command -v "$_is_t" >/dev/null || {
			echo "FAIL: $_is_t is not installed (apt-get install openipmi freeipmi-tools socat)" >&2
			exit 1
		}
	done
}

# ipmi_sim_free_port: a port in 20000-32000 free for UDP and TCP on 127.0.0.1.
ipmi_sim_free_port() {
	python3 -c '
import random, socket
while True:
    p = random.randint(20000, 32000)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(); t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass'
}

# ipmi_sim_up STATEDIR [PORT]: starts a BMC with its state in STATEDIR,
# on PORT (restarting one on its port), else on a free port, trying
# another when start.sh finds it taken meanwhile. Sets IPMI_SIM_PORT;
# start.sh's IPMI_SIM_* lines are in STATEDIR.env. Returns 1, with
# start.sh's words on stderr, when the BMC did not come up.
ipmi_sim_up() {
	_is_state=$1
	_is_want=${2:-}
	_is_tries=0
	_is_port=${_is_want:-$(ipmi_sim_free_port)}
	# A loaded CI machine (sanitizers, distcheck) needs more than 20 s.
	until IPMI_SIM_WAIT=${IPMI_SIM_WAIT:-40} "$IPMI_SIM_SHARED/start.sh" "$_is_port" "$_is_state" \
		>"$_is_state.env" 2>"$_is_state.err"; do
		"$IPMI_SIM_SHARED/stop.sh" --keep "$_is_state" >/dev/null 2>&1
		_is_tries=$((_is_tries + 1))
		if [ -n "$_is_want" ] || [ $_is_tries -ge 10 ]; then
			cat "$_is_state.err" >&2
			return 1
		fi
		_is_port=$(ipmi_sim_free_port)
	done
	IPMI_SIM_PORT=$_is_port
	case " $IPMI_SIM_STATES " in
	*" $_is_state "*) ;;
	*) IPMI_SIM_STATES="$IPMI_SIM_STATES $_is_state" ;;
	esac
	return 0
}

# ipmi_sim_down STATEDIR: stops that BMC (the dir stays).
ipmi_sim_down() {
	[ -d "$1" ] && "$IPMI_SIM_SHARED/stop.sh" --keep "$1" >/dev/null 2>&1
	return 0
}

# ipmi_sim_down_all: stops every BMC ipmi_sim_up started (for traps).
ipmi_sim_down_all() {
	for _is_s in $IPMI_SIM_STATES; do
		ipmi_sim_down "$_is_s"
	done
}

# ipmi_sim_freeipmi_conf FILE: a FreeIPMI config file (mode 600) with the
# simulator's admin credential, for FreeIPMI's tools as an independent
# reader: TOOL -h 127.0.0.1:PORT --config-file=FILE. The password is
# never on a command line.
ipmi_sim_freeipmi_conf() {
	(
		umask 077
		printf 'username admin\npassword password\ndriver-type LAN_2_0\nworkaround-flags opensesspriv\n' >"$1"
	)
}

# ipmi_sim_machine NAME PORT [SECRET]: a Rufio Machine for an ipmi_sim BMC
# on 127.0.0.1:PORT (IPMI, cipher suite 3) and, when SECRET is given, that
# Secret with ipmi_sim's admin credential. Without SECRET it names
# "ipmi-auth", which ipmi_sim_secret prints once for several Machines.
ipmi_sim_machine() {
	cat <<EOT
---
apiVersion: bmc.tinkerbell.org/v1alpha1
kind: Machine
metadata:
  name: $1
  namespace: default
  annotations:
    racktop/protocol: ipmi
spec:
  connection:
    host: 127.0.0.1
    insecureTLS: false
    authSecretRef:
      name: ${3:-ipmi-auth}
      namespace: default
    providerOptions:
      ipmitool:
        port: $2
        cipherSuite: "3"
EOT
	[ -z "$3" ] || ipmi_sim_secret "$3"
}
ipmi_sim_secret() { # ipmi_sim_secret [NAME]
	cat <<EOT
---
apiVersion: v1
kind: Secret
metadata:
  name: ${1:-ipmi-auth}
  namespace: default
stringData:
  username: admin
  password: password
EOT
}

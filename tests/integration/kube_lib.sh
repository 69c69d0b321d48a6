# Helpers for the Kubernetes mode tests: a real kube-apiserver (with
# etcd and the Tinkerbell CRDs) from ../shared/kube-apiserver on a free
# loopback port, stopped by the caller's trap, and curl as its client.
# Sourced by tests/integration/kube*.sh.

KUBE_DIR=${RACKTOP_SHARED:?}/kube-apiserver

# A port P with P+1 and P+2 free too (etcd takes them).
kube_free_port()
{
	python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randint(20000, 60000)
    ok = True
    for q in (p, p + 1, p + 2):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", q))
        except OSError:
            ok = False
        finally:
            s.close()
    if ok:
        print(p)
        break
PY
}

# kube_start STATEDIR [PORT]: starts the server, sets KUBECONFIG,
# KUBE_SERVER, KUBE_TOKEN, KUBE_STATEDIR, KUBE_PORT.
kube_start()
{
	KUBE_PORT=${2:-$(kube_free_port)}
	"$KUBE_DIR/start.sh" "$KUBE_PORT" "$1" >"$1.env" 2>"$1.err" || {
		echo "kube-apiserver did not start:"; cat "$1.err"; tail -20 "$1/apiserver.log" 2>/dev/null
		return 1
	}
	. "$1.env"
	export KUBECONFIG KUBE_SERVER KUBE_TOKEN KUBE_STATEDIR
	# The CRDs' endpoints and the default namespace appear a moment
	# after start.sh returns (more than its 2 s on a busy machine).
	_t=60
	for _r in tinkerbell.org/v1alpha1/hardware tinkerbell.org/v1alpha1/templates \
		  tinkerbell.org/v1alpha1/workflows bmc.tinkerbell.org/v1alpha1/machines \
		  bmc.tinkerbell.org/v1alpha1/jobs bmc.tinkerbell.org/v1alpha1/tasks \
		  ../api/v1/namespaces/default; do
		until kube GET "/apis/$_r?limit=1" >/dev/null 2>&1; do
			_t=$((_t - 1))
			[ "$_t" -gt 0 ] || { echo "kube-apiserver: /apis/$_r never answered"; return 1; }
			sleep 0.5
		done
	done
}

kube_stop()
{
	[ -n "${KUBE_STATEDIR:-}" ] && "$KUBE_DIR/stop.sh" "$KUBE_STATEDIR" "$@" >/dev/null 2>&1 || true
}

# kube METHOD PATH [curl args]: the body on stdout; fails on HTTP >= 400.
kube()
{
	_m=$1 _p=$2
	shift 2
	curl -sS --fail-with-body --cacert "$KUBE_STATEDIR/ca.crt" \
		-H "Authorization: Bearer $KUBE_TOKEN" -X "$_m" "$KUBE_SERVER$_p" "$@"
}

kube_post() # PATH JSON
{
	kube POST "$1" -H 'Content-Type: application/json' -d "$2" >/dev/null
}

kube_patch() # PATH JSON (a merge patch)
{
	kube PATCH "$1" -H 'Content-Type: application/merge-patch+json' -d "$2" >/dev/null
}

TB=/apis/tinkerbell.org/v1alpha1/namespaces
BMC=/apis/bmc.tinkerbell.org/v1alpha1/namespaces

# kube_host NS NAME ADDRESS: a Machine and the Hardware naming it.
kube_host()
{
	kube_post "$BMC/$1/machines" "{\"apiVersion\":\"bmc.tinkerbell.org/v1alpha1\",\"kind\":\"Machine\",
		\"metadata\":{\"name\":\"$2-bmc\"},\"spec\":{\"connection\":{\"host\":\"$3\",
		\"authSecretRef\":{\"name\":\"$2-auth\",\"namespace\":\"$1\"},\"insecureTLS\":false}}}"
	kube_post "$TB/$1/hardware" "{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":\"Hardware\",
		\"metadata\":{\"name\":\"$2\"},\"spec\":{\"bmcRef\":{\"apiGroup\":\"bmc.tinkerbell.org\",
		\"kind\":\"Machine\",\"name\":\"$2-bmc\"},\"interfaces\":[{\"dhcp\":{\"mac\":\"3c:ec:ef:00:00:01\"}}]}}"
}

# kube_machine_status NS NAME POWER CONTACTABLE [MESSAGE]
kube_machine_status()
{
	kube_patch "$BMC/$1/machines/$2-bmc/status" "{\"status\":{\"powerState\":\"$3\",
		\"conditions\":[{\"type\":\"Contactable\",\"status\":\"$4\",\"message\":\"${5:-}\"}]}}"
}

# wait_for FILE PYTHON-EXPR [SECONDS]: until the last JSON line of FILE
# (bound to h: name -> host) makes EXPR true.
wait_for()
{
	_t=${3:-30}
	while [ "$_t" -gt 0 ]; do
		if python3 - "$1" "$2" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("[")]
if not lines:
    sys.exit(1)
h = {x["name"]: x for x in json.loads(lines[-1])}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
		then return 0; fi
		sleep 1
		_t=$((_t - 1))
	done
	echo "FAIL: not within ${3:-30} s: $2"
	echo "last line: $(grep '^\[' "$1" | tail -1)"
	return 1
}

# wait_grep FILE REGEX [SECONDS]
wait_grep()
{
	_t=${3:-30}
	while [ "$_t" -gt 0 ]; do
		grep -Eq "$2" "$1" && return 0
		sleep 1
		_t=$((_t - 1))
	done
	echo "FAIL: '$2' not in $1 within ${3:-30} s:"; tail -20 "$1"
	return 1
}

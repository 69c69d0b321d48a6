# Helpers for the racktop-sim tests (sourced). Each test runs in its own
# temporary folder; the password lives only in mode-600 files.

SIM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/racktop-sim-test.XXXXXX")
SIM_PIDS=""
SIM_FAILS=0
SIM_PASSES=0

sim_cleanup() {
	for p in $SIM_PIDS; do kill "$p" 2>/dev/null; done
	for p in $SIM_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$SIM_TMP"
}
trap sim_cleanup EXIT

sim_ok() { SIM_PASSES=$((SIM_PASSES + 1)); echo "ok: $1"; }
sim_fail() { SIM_FAILS=$((SIM_FAILS + 1)); echo "FAIL: $1" >&2; }
sim_check() { # sim_check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then sim_ok "$d"; else sim_fail "$d"; fi
}
sim_eq() { # sim_eq DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then sim_ok "$1"; else sim_fail "$1: got '$2', want '$3'"; fi
}

# sim_start NAME ARGS...: starts racktop-sim in $SIM_TMP/NAME, waits for
# its ready line (10 s at most) and sets SIM_PID and SIM_DIR.
sim_start() {
	name=$1; shift
	SIM_DIR=$SIM_TMP/$name
	mkdir -p "$SIM_DIR"
	"$RACKTOP_SIM" "$@" >"$SIM_DIR/out" 2>"$SIM_DIR/err" &
	SIM_PID=$!
	SIM_PIDS="$SIM_PIDS $SIM_PID"
	i=0
	while [ $i -lt 100 ]; do
		if grep -q '^racktop-sim: ready' "$SIM_DIR/out" 2>/dev/null; then return 0; fi
		if ! kill -0 "$SIM_PID" 2>/dev/null; then break; fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "racktop-sim $name did not get ready:" >&2
	cat "$SIM_DIR/err" >&2
	return 1
}

# sim_port MANIFEST INDEX: the port of host INDEX (0-based) in the manifest.
sim_port() {
	python3 - "$1" "$2" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "Machine"]
print(docs[int(sys.argv[2])]["spec"]["connection"]["port"])
PY
}

# sim_curl_config FILE PASSWORD: a curl config (mode 600) with credentials.
sim_curl_config() {
	( umask 077; printf 'user = "admin:%s"\n' "$2" > "$1" )
}

# sim_password WORD: a password unique to this run in $SIM_TMP/pw (mode 600,
# the form --password-file reads) and a curl config for it in
# $SIM_TMP/curl.conf; sets PW and CONF.
sim_password() {
	PW=$1-$$-pw
	( umask 077; printf '%s\n' "$PW" > "$SIM_TMP/pw" )
	CONF=$SIM_TMP/curl.conf
	sim_curl_config "$CONF" "$PW"
}

# sim_req OUTPREFIX CURLARGS...: runs curl; prints the HTTP status, body in
# OUTPREFIX.body, headers in OUTPREFIX.hdr.
sim_req() {
	out=$1; shift
	curl -sS --max-time 10 -o "$out.body" -D "$out.hdr" -w '%{http_code}' "$@"
}

# sim_json FILE EXPR: evaluates a Python expression over the JSON in FILE (as d).
sim_json() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

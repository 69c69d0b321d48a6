#!/bin/sh
# The host view's focus, counted on racktop-sim: a host polled at rest
# costs its steady requests (the extras every 8th poll only); opening
# its host view polls it at once and reads everything (sensors and log
# too), and so does every poll while the view is open; back in the
# fleet view its polls are steady again. Polls are asked with r (the
# timed ones are 10 minutes off), so each one is counted alone.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need curl awk base64

sim_start 2
scr_start 120 40
scr_run "$RACKTOP -f $SCR_TMP/fleet.yaml --cacert $SCR_TMP/ca.pem --interval 600"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On +[A-Za-z]+ +8 '
scr_wait_re '^gpu-node-002 +On +[A-Za-z]+ +8 '

# racktop-sim's request counter of gpu-node-001. Credentials from the
# manifest into a 0600 curl config, never on a command line.
( umask 077; printf 'user = "admin:%s"\ncacert = "%s"\nsilent\nmax-time = 10\n' \
	"$(awk '/^  password:/ { print $2; exit }' "$SCR_TMP/fleet.yaml" | base64 -d)" \
	"$SCR_TMP/ca.pem" >"$SCR_TMP/curl.conf" )
PORT=$(awk '/^    port:/ { print $2; exit }' "$SCR_TMP/fleet.yaml")
[ -n "$PORT" ] || scr_fail "no port in the manifest"
requests() {
	curl -K "$SCR_TMP/curl.conf" "https://127.0.0.1:$PORT/racktop-sim/stats" |
		sed -n 's/.*"Requests": *\([0-9]*\).*/\1/p'
}
# settled: the request count once it stopped moving (a poll is a few
# steps of parallel GETs; 1 s without a request means it ended).
settled() {
	prev=$(requests)
	i=0
	while [ $i -lt 30 ]; do
		sleep 1
		now=$(requests)
		[ "$now" = "$prev" ] && { echo "$now"; return; }
		prev=$now
		i=$((i + 1))
	done
	echo "$prev"
}
# one_poll WHAT KEYS...: presses KEYS (they start one poll of
# gpu-node-001) and sets POLL to the requests it made.
one_poll() {
	what=$1
	shift
	before=$(settled)
	[ -n "$before" ] || scr_fail "no stats from racktop-sim"
	scr_keys "$@"
	SCR_PAT=$before
	scr_wait '[ "$(requests)" -gt "$SCR_PAT" ]' "$what: a poll of gpu-node-001"
	POLL=$(($(settled) - before))
}

scr_keys g
scr_wait_for "host 1 of 2"
one_poll "warm-up" r   # the first refresh after the discovery
one_poll "fleet view" r
STEADY=$POLL
[ "$STEADY" -ge 1 ] && [ "$STEADY" -le 3 ] || scr_fail "a steady poll made $STEADY requests"
scr_ok "fleet view: a poll makes $STEADY requests"

one_poll "opening the host view" Enter
scr_wait_re 'Name +gpu-node-001'
FULL=$POLL
[ "$FULL" -ge $((STEADY + 2)) ] ||
	scr_fail "opening the host view: $FULL requests, want the sensors and the log too"
scr_ok "opening the host view polls at once and reads everything ($FULL requests)"
one_poll "r in the host view" r
[ "$POLL" = "$FULL" ] || scr_fail "a poll in the host view made $POLL requests, want $FULL"
scr_ok "every poll while the host view is open reads everything"

scr_keys Escape
scr_wait_re 'Hosts 2: '
one_poll "r back in the fleet view" r
[ "$POLL" = "$STEADY" ] || scr_fail "back in the fleet view: $POLL requests, want $STEADY"
scr_ok "Esc drops the focus: steady polls again"

scr_quit_and_check_terminal q
scr_ok "q quits"

# Helpers for the screen tests (sourced): racktop runs in a private tmux
# server at a fixed size; keys go in with send-keys and the screen comes
# back with capture-pane, as a person would see it.
#
# Every wait has a deadline; a failed wait prints the screen it saw.

SCR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/racktop-screen.XXXXXX")
SCR_SOCK=racktop-test-$$
SCR_PIDS=""
SCR_TIMEOUT=${SCR_TIMEOUT:-30}
SCR_PROMPT='SCREEN-TEST-PROMPT$ '

scr_tmux() { tmux -L "$SCR_SOCK" -f /dev/null "$@"; }

scr_cleanup() {
	scr_tmux kill-server 2>/dev/null
	for p in $SCR_PIDS; do kill "$p" 2>/dev/null; done
	for p in $SCR_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$SCR_TMP"
}
trap scr_cleanup EXIT
trap 'exit 1' INT TERM HUP

scr_capture() { scr_tmux capture-pane -p -t scr 2>/dev/null; }

scr_show() {
	echo "---- screen ($(scr_tmux display -p -t scr '#{pane_width}x#{pane_height}' 2>/dev/null)) ----" >&2
	scr_capture >&2
	echo "---- end of screen ----" >&2
}

scr_fail() {
	echo "FAIL: $*" >&2
	scr_show
	exit 1
}

scr_ok() { echo "ok: $*"; }

# scr_start COLS ROWS [ENV=VALUE...]: a shell in a fresh tmux session of
# that size, with LANG=C.UTF-8 and TERM=screen-256color unless ENV says
# otherwise. Run programs in it with scr_run.
scr_start() {
	cols=$1 rows=$2
	shift 2
	set -- -e LANG=C.UTF-8 -e LC_ALL= -e NO_COLOR= \
		$(for e in "$@"; do printf -- '-e %s ' "$e"; done)
	scr_tmux start-server \; set -g default-terminal screen-256color \; \
		set -g history-limit 0 \; \
		new-session -d -s scr -x "$cols" -y "$rows" "$@" "sh" ||
		scr_fail "tmux did not start"
	scr_tmux set -g status off
	# Shells pick their own prompt (dash ignores PS1 for root): set it.
	scr_type "PS1='$SCR_PROMPT'; clear"
	scr_keys Enter
	scr_wait_re "^SCREEN-TEST-PROMPT"
}

# scr_run COMMAND: types COMMAND and Enter at the shell prompt.
scr_run() {
	scr_tmux send-keys -t scr -l "$1"
	scr_tmux send-keys -t scr Enter
}

# scr_keys KEY...: tmux key names (Enter, Escape, Down, PageDown, ...).
scr_keys() { scr_tmux send-keys -t scr "$@"; }
# scr_type TEXT: literal text.
scr_type() { scr_tmux send-keys -t scr -l "$1"; }

# scr_wait COMMAND DESCRIPTION: until COMMAND (run on the captured screen
# in $SCR_SCREEN) succeeds, every 0.1 s, for $SCR_TIMEOUT s.
scr_wait() {
	n=0
	while [ $n -lt $((SCR_TIMEOUT * 10)) ]; do
		SCR_SCREEN=$(scr_capture)
		if eval "$1"; then return 0; fi
		sleep 0.1
		n=$((n + 1))
	done
	scr_fail "timed out after ${SCR_TIMEOUT}s waiting for: $2"
}

scr_has() { printf '%s\n' "$SCR_SCREEN" | grep -q -F -e "$1"; }
scr_has_re() { printf '%s\n' "$SCR_SCREEN" | grep -q -E -e "$1"; }

scr_wait_for() { SCR_PAT=$1; scr_wait 'scr_has "$SCR_PAT"' "text '$1'"; }
scr_wait_re() { SCR_PAT=$1; scr_wait 'scr_has_re "$SCR_PAT"' "regex '$1'"; }
scr_wait_gone() { SCR_PAT=$1; scr_wait '! scr_has "$SCR_PAT"' "text '$1' to go away"; }

# scr_line REGEX: the first screen line matching REGEX (from $SCR_SCREEN).
scr_line() { printf '%s\n' "$SCR_SCREEN" | grep -E -e "$1" | head -n 1; }

# scr_count REGEX: how many lines of $SCR_SCREEN match.
scr_count() { printf '%s\n' "$SCR_SCREEN" | grep -c -E -e "$1"; }

# scr_expect_gone TEXT: the current screen must not show TEXT.
scr_expect_not() {
	SCR_SCREEN=$(scr_capture)
	if scr_has "$1"; then scr_fail "the screen shows '$1' and should not"; fi
}

# scr_alternate: 1 while the program in the pane uses the alternate screen.
scr_alternate() { scr_tmux display -p -t scr '#{alternate_on}'; }

# scr_quit_and_check_terminal KEY...: presses the KEYs (Q Q: quit with
# a console open, which asks first) and checks that the program ended,
# the shell prompt came back and the terminal is restored.
scr_quit_and_check_terminal() {
	scr_keys "$@"
	scr_wait '[ "$(scr_alternate)" = 0 ]' "the alternate screen to be left"
	scr_type 'echo "exit=$?"'
	scr_keys Enter
	scr_wait_re 'exit=0'
	scr_wait_re "^SCREEN-TEST-PROMPT\\$ *$"
}

# scr_pid NAME: the pid of the process NAME running in the pane.
scr_pid() {
	pgrep -n -P "$(scr_tmux display -p -t scr '#{pane_pid}')" "$1"
}

# sim_start N [ARGS...]: racktop-sim with N hosts on ephemeral ports; its
# manifest and CA go to $SCR_TMP. Waits for its ready line.
sim_start() {
	n=$1
	shift
	"$RACKTOP_SIM" --hosts "$n" --port 0 --manifest "$SCR_TMP/fleet.yaml" \
		--cert-out "$SCR_TMP/ca.pem" "$@" >"$SCR_TMP/sim.out" 2>"$SCR_TMP/sim.err" &
	SIM_PID=$!
	SCR_PIDS="$SCR_PIDS $SIM_PID"
	i=0
	while [ $i -lt 150 ]; do
		if grep -q "^racktop-sim: ready $n hosts" "$SCR_TMP/sim.out" 2>/dev/null; then
			return 0
		fi
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: racktop-sim did not get ready:" >&2
	cat "$SCR_TMP/sim.out" "$SCR_TMP/sim.err" >&2
	exit 1
}

# The racktop command line for the simulated fleet.
racktop_cmd() {
	printf '%s -f %s --cacert %s --interval 1' "$RACKTOP" "$SCR_TMP/fleet.yaml" "$SCR_TMP/ca.pem"
}

scr_need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "FAIL: $t is needed" >&2; exit 1; }
	done
}
scr_need tmux grep

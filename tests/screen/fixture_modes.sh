#!/bin/sh
# Terminal modes and themes on the fixed fleet: colours, NO_COLOR,
# ASCII in a non-UTF-8 locale, theme files good and bad, live updates,
# no work at rest, resize by signal, and SIGTERM ending the screen cleanly.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
FIXTURE=$(dirname "$RACKTOP")/tests/screen/ui_fixture
DATA=$RACKTOP_TESTDATA/ui/fleet.json
THEMES=$RACKTOP_SRCDIR/themes
ESC=$(printf '\033')
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE not built" >&2; exit 1; }

colour_sgr() { # lines of the pane (with attributes) that set a colour
	scr_tmux capture-pane -p -e -t scr | grep -c -E "$ESC\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m"
}

# Colours by default; none with NO_COLOR set (attributes only).
scr_start 100 30
scr_run "$FIXTURE --themes-dir $THEMES $DATA"
scr_wait_for "gpu-node-001"
[ "$(colour_sgr)" -gt 0 ] || scr_fail "no colours in the default theme"
scr_ok "default theme uses colours"
scr_quit_and_check_terminal q
scr_run "NO_COLOR=1 $FIXTURE --themes-dir $THEMES $DATA"
scr_wait_for "gpu-node-001"
[ "$(colour_sgr)" = 0 ] || scr_fail "NO_COLOR: colours still drawn"
scr_tmux capture-pane -p -e -t scr | grep -q -E "$ESC\\[([0-9;]*;)?7(;[0-9;]*)?m" ||
	scr_fail "NO_COLOR: the title bar is not in reverse video"
scr_ok "NO_COLOR: monochrome, attributes only"
scr_quit_and_check_terminal q

# A non-UTF-8 locale: ASCII rules, meters and marks; names that are not
# ASCII come out as '?', never as broken bytes.
scr_run "LANG=C LC_ALL=C $FIXTURE --themes-dir $THEMES $DATA"
scr_wait_re '^NAME\^ +POWER'
scr_wait_re '^gpu-node-001 +On +OK +8 OK +48C +2760W'
scr_wait_re '^\?+-\?+n\?+code-\?+ +On'
n=$(scr_capture | LC_ALL=C grep -c '[^ -~]')
[ "$n" = 0 ] || scr_fail "non-ASCII on an ASCII terminal ($n lines)"
scr_keys j Enter
scr_wait_re '^-- GPUs \(8\) -+$'
scr_wait_re '^GPU_SXM_8 +OK +Enabled +48C \[#+-+\] 380/700W \[#+-*\] +80%'
n=$(scr_capture | LC_ALL=C grep -c '[^ -~]')
[ "$n" = 0 ] || scr_fail "non-ASCII in the ASCII host view ($n lines)"
scr_ok "ASCII mode with LANG=C"
scr_keys Escape
scr_quit_and_check_terminal q

# Themes: a named one loads quietly; a broken file says file:line and the
# screen carries on with the default.
scr_run "$FIXTURE --themes-dir $THEMES --theme high-contrast $DATA"
scr_wait_for "gpu-node-001"
scr_wait_for "2 problems at start"
scr_has "theme" && scr_fail "high-contrast theme gave a message"
[ "$(colour_sgr)" -gt 0 ] || scr_fail "no colours in the high-contrast theme"
scr_ok "high-contrast theme"
scr_quit_and_check_terminal q
cat > "$SCR_TMP/bad.theme" <<'THEME'
# a theme with a typo
title   black  cyan  bold
header  black  purpel
THEME
scr_run "$FIXTURE --theme $SCR_TMP/bad.theme $DATA"
scr_wait_for "bad.theme:3: unknown colour 'purpel'; using the default theme"
scr_wait_re '^gpu-node-001 +On'
[ "$(colour_sgr)" -gt 0 ] || scr_fail "no colours after falling back to the default theme"
scr_ok "bad theme: file:line in the status line, default theme used"
scr_quit_and_check_terminal q
# The source tree's path may be long (a distcheck tree under a CI
# workspace) and the message is cut at the screen edge: name the themes
# directory by a short link so the whole message fits.
ln -s "$THEMES" "$SCR_TMP/th"
scr_run "$FIXTURE --themes-dir $SCR_TMP/th --theme no-such-theme $DATA"
scr_wait_for "theme $SCR_TMP/th/no-such-theme: No such file or directory"
scr_ok "missing theme named"
scr_quit_and_check_terminal q

# Defence in depth: strings stored without text_clean() (ESC, BEL in a
# log message) still reach the terminal without their control characters.
scr_run "$FIXTURE --themes-dir $THEMES --unclean $DATA"
scr_wait_for "gpu-node-001"
scr_keys j Enter G
scr_wait_for "PSU2 input lost [2J[31mESC-INJECTED"
scr_wait_re '^ racktop  gpu-node-001 +redfish$'
scr_wait_re '^ Name +gpu-node-001'
scr_ok "control characters refused by the drawing layer itself"
scr_keys Escape
scr_quit_and_check_terminal q

# Live: rows change as polls land, with no key pressed.
scr_run "$FIXTURE --themes-dir $THEMES --live $DATA"
scr_wait_re '^gpu-node-001 +On +OK +1 OK +4[1-9]°C'
t1=$(scr_line '^gpu-node-001' | grep -o -E '[0-9]+°C')
scr_wait '[ "$(scr_line "^gpu-node-001" | grep -o -E "[0-9]+°C")" != "$t1" ]' "the temperature to change"
scr_ok "live updates without a key"
scr_quit_and_check_terminal q

# At rest: ages tick once a second and nothing else runs.
scr_run "$FIXTURE --themes-dir $THEMES $DATA"
scr_wait_for "gpu-node-001"
pid=$(scr_pid ui_fixture)
[ -n "$pid" ] || scr_fail "no ui_fixture process"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
a=$(ticks "$pid")
age1=$(scr_line '^gpu-node-001' | grep -o -E '[0-9]+s ago')
sleep 3
b=$(ticks "$pid")
scr_wait '[ "$(scr_line "^gpu-node-001" | grep -o -E "[0-9]+s ago")" != "$age1" ]' "the age to tick"
[ $((b - a)) -le 10 ] || scr_fail "busy at rest: $((b - a)) clock ticks in 3 s"
scr_ok "idle: $((b - a)) clock ticks in 3 s, ages still tick"

# Resize by SIGWINCH from tmux, then SIGTERM ends the screen cleanly.
scr_tmux resize-window -t scr -x 80 -y 24
scr_wait_re 'Hosts 10: 6 on 1 off 2 unreach'
scr_tmux resize-window -t scr -x 120 -y 40
scr_wait_re 'Hosts 10: 6 on  1 off  2 unreachable'
kill -TERM "$pid"
scr_wait '[ "$(scr_alternate)" = 0 ]' "the screen to end on SIGTERM"
scr_type 'echo "exit=$?"'
scr_keys Enter
scr_wait_re 'exit=0'
scr_ok "SIGTERM ends the screen and restores the terminal"

#!/bin/sh
# The screen over a fixed fleet (tests/data/ui/fleet.json, no network):
# rows, summary, missing readings, error rows, hostile and long names,
# filter, sort, host view, help, 80x24 and resizing, and a clean exit.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
FIXTURE=$(dirname "$RACKTOP")/tests/screen/ui_fixture
DATA=$RACKTOP_TESTDATA/ui/fleet.json
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE not built" >&2; exit 1; }

scr_start 120 40
scr_run "$FIXTURE --themes-dir $RACKTOP_SRCDIR/themes $DATA"
scr_wait_for "gpu-node-001"
scr_wait '[ "$(scr_alternate)" = 1 ]' "the alternate screen"

# Problems found at start are announced, and n lists them.
scr_wait_for "2 problems at start (n lists them): fleet.yaml:12: Machine gpu-node-011-bmc"
scr_keys n
scr_wait_for "2 problems found at start"
scr_wait_re '^ fleet.yaml:40: Hardware gpu-node-012: bmcRef names Machine nope-bmc'
scr_keys Escape
scr_wait_for "host 1 of 10"
scr_ok "notices"

# A full row: power, GPU count and worst state, hottest GPU, GPU power, age.
scr_wait_re '^gpu-node-001 +On +OK +8 OK +48°C +2760W +[0-9]+s ago'
scr_ok "gpu-node-001 row"
# stale-node-009's 8 GPUs are unknown: what it said before its poll failed is not now.
scr_wait_re 'Hosts 10: 6 on +1 off +2 unreachable +1 pending +GPUs 42: 24 healthy +1 warning +1 critical +16 unknown'
scr_ok "summary line counts"
# Missing readings are '-', never 0.
scr_wait_re '^gpu-node-004 +Off +OK +8 - +- +- +[0-9]+s ago'
scr_has_re '^gpu-node-004.* 0°C' && scr_fail "a missing temperature drawn as 0"
scr_ok "missing readings shown as -"
# An unreachable host shows its error in its row; the others show readings.
scr_wait_re '^gpu-node-003 +- +- +- +- +- +Connection refused'
# A host whose poll failed after a good one: its last readings marked stale,
# its health the failure, how old they are.
scr_wait_re '^stale-node-009 +On\? +badreply +8 \? +50°C\? +3200W\? +stale 10m: invalid JSON at line 1'
scr_wait_re '^pending-node-010 .*waiting for first poll'
scr_ok "error rows"
# Control characters never reach the terminal: ESC and BEL are gone.
scr_wait_re '^evil\[31mredname +On'
scr_ok "control characters stripped from a name"
# A long name is cut with an ellipsis; the row keeps its columns.
scr_wait_re '^rack12-row7-a-very[-a-z]*… On +OK +1 OK +33°C'
scr_has "dc-west.example.com" && scr_fail "the long name was not truncated"
scr_ok "long name truncated with an ellipsis"
# Double-width characters are measured: the POWER column lines up.
col_of_on() { # display column where " On " starts in the line matching $1
	scr_line "$1" | python3 -c '
import sys, unicodedata
line = sys.stdin.read().rstrip("\n")
i = line.index(" On ")
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))'
}
[ "$(col_of_on '^节点')" = "$(col_of_on '^gpu-node-001')" ] ||
	scr_fail "the wide-character name shifts the columns"
scr_ok "wide characters keep columns aligned"

# Filter: a POSIX ERE, case-insensitive, on the host name.
scr_keys /
scr_wait_for "Filter /"
scr_type 'NODE-00[12]'
scr_keys Enter
scr_wait_for "filter: /NODE-00[12]/  2 of 10 hosts"
[ "$(scr_count '^(gpu|evil|rack|stale|pending|节点)')" = 2 ] || scr_fail "filter shows other rows"
scr_has_re '^gpu-node-001 ' && scr_has_re '^gpu-node-002 ' || scr_fail "filter lost a matching row"
scr_ok "filter shows exactly the matching rows"
scr_keys /
scr_keys C-u
scr_type '!node'
scr_keys Enter
scr_wait_for "filter: /!node/  3 of 10 hosts"
scr_has_re '^gpu-node' && scr_fail "inverted filter still shows gpu-node rows"
scr_has_re '^evil' && scr_has_re '^rack12' && scr_has_re '^节点' || scr_fail "inverted filter lost rows"
scr_ok "inverted filter"
scr_keys /
scr_keys C-u
scr_type 'node-00['
scr_keys Enter
scr_wait_re "filter 'node-00\\[': (Unmatched|Missing|Invalid|brack)"
scr_has "filter: /!node/  3 of 10 hosts" || scr_fail "a bad regex replaced the old filter"
scr_ok "invalid regex: regcomp's message, old filter kept"
scr_keys /
scr_keys C-u
scr_keys Enter
scr_wait_for "filter cleared"
scr_wait_for "host 1 of 10"
scr_ok "empty filter clears"

# Sort: s cycles columns (name, power, health, GPUs, temperature), S reverses.
scr_keys s t
scr_wait_for "sort: temperature ▼"
scr_wait_re 'TEMP▼'
first=$(printf '%s\n' "$SCR_SCREEN" | sed -n 4p)
case $first in gpu-node-002*) ;; *) scr_fail "hottest host not first: $first" ;; esac
scr_keys S
scr_wait_re 'TEMP▲'
first=$(printf '%s\n' "$SCR_SCREEN" | sed -n 4p)
case $first in rack12*) ;; *) scr_fail "coolest host not first after S: $first" ;; esac
# Hosts without a temperature come last either way.
last=$(printf '%s\n' "$SCR_SCREEN" | sed -n 13p)
case $last in gpu-node-004*|gpu-node-003*|pending*|evil*) ;; *) scr_fail "missing temperature not last: $last" ;; esac
scr_ok "sort by temperature and reverse"
scr_keys s n
scr_wait_for "sort: name ▲"

# Host view: inventory, GPUs with meters, sensors, log.
scr_keys g Enter
scr_wait_for "Credential"
scr_wait_re 'Name +evil\[31mredname'
scr_keys Escape
scr_wait_for "host 1 of 10"
scr_keys j Enter
scr_wait_re 'Name +gpu-node-001'
scr_wait_re 'Credential +Secret default/bmc-gpu-node-001'
scr_wait_re 'BMC +https://127.0.0.1:8443'
scr_wait_re 'Serial +S12345678'
for i in 1 2 3 4 5 6 7 8; do
	scr_has_re "^GPU_SXM_$i +OK +Enabled +4$i°C +\\[" || scr_fail "GPU_SXM_$i row"
done
scr_has_re '^GPU_SXM_8 .*380/700W.* 80% .*32/140G +0/0' || scr_fail "GPU_SXM_8 meters"
scr_ok "host view GPU rows with meters"
scr_has_re '^CPU1 Temp +temperature +52 °C OK' || scr_fail "sensor row"
scr_keys G
scr_wait_for "Log (3 newest)"
scr_wait_re 'Warning +GPU_SXM_3 temperature above upper caution threshold'
# The event's ESC sequences were dropped: their text is on screen, literally.
scr_wait_for "PSU2 input lost [2J[31mESC-INJECTED"
scr_ok "host view log entries"
scr_keys Escape
scr_wait_for "Hosts 10:"
scr_ok "Esc back to the fleet"

# Help, generated from the binding table.
scr_keys '?'
scr_wait_for "move down"
scr_has_re '/ +filter as you type: name regex, power:off' || scr_fail "help lacks the filter key"
scr_has_re 'Q +quit' || scr_fail "help lacks Q"
scr_has_re 'Enter +open the selected host' || scr_fail "help lacks Enter"
scr_keys q
scr_wait_for "Hosts 10:"
scr_ok "help screen"

# 80x24: columns shrink, the header stays, nothing runs over.
scr_tmux resize-window -t scr -x 80 -y 24
scr_wait_re '^NAME▲ +POWER +HEALTH +GPUS +TEMP +GPU W +LAST POLL'
scr_wait_re '^gpu-node-001 +On +OK +8 OK +48°C +2760W'
scr_wait_re '^rack12-row7-a-v… On'
scr_wait_re 'Hosts 10: 6 on 1 off 2 unreach'
[ "$(printf '%s\n' "$SCR_SCREEN" | wc -l)" -le 24 ] || scr_fail "more than 24 lines"
scr_ok "80x24 layout"
scr_keys g j j Enter
scr_wait_re 'Name +gpu-node-002'
# Missing GPU readings: a dash and an empty bar, never a 0.
scr_wait_re '^GPU_SXM_1 +OK +- \[ +\] +-/700W \[ +\] +- \[ +\] +-/140G +0/0$'
scr_wait_re '^GPU_SXM_3 +Warning +88°C \[[^]]*\] 690/700W .* 99% .*137/140G +12/0$'
scr_ok "missing GPU readings in the host view"
scr_keys Escape k Enter
scr_wait_re '^GPU +HEALTH +TEMP +POWER +UTIL +MEMORY +ECC C/U'
scr_wait_re '^GPU_SXM_1 +OK +41°C \[[^]]*\] 310/700W \[[^]]*\] 10% \[[^]]*\] +4/140G +0/0$'
scr_ok "80x24 host view"
scr_keys Escape
scr_tmux resize-window -t scr -x 160 -y 50
scr_wait_re '^ racktop  ui_fixture {100,}sort: name ▲$'
scr_wait_re '^gpu-node-001 +On +OK +8 OK +48°C +2760W'
scr_ok "resize to 160x50"

scr_quit_and_check_terminal q
scr_ok "q quits and the terminal is restored"

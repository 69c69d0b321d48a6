#!/bin/sh
# racktop on a simulated fleet (racktop-sim, real Redfish over HTTPS),
# used the way an operator would: read the rows, filter, sort, open a
# host, go back, refresh, resize, read the help, quit.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"

sim_start 10
scr_start 120 40
scr_run "$(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"

# Rows fill in as polls land: power, 8 GPUs, the hottest GPU, GPU power, age.
scr_wait_re '^gpu-node-001 +On +[A-Za-z]+ +8 [A-Za-z]+ +[0-9]+°C +[0-9]+W +[0-9]+s ago'
scr_ok "gpu-node-001: On, 8 GPUs, temperature, power, age"
scr_wait_re 'Hosts 10: 10 on +0 off +0 unreachable +GPUs 80: '
scr_wait_re 'GPUs 80: [0-9]+ healthy +[0-9]+ warning +[0-9]+ critical'
scr_ok "summary counts"
[ "$(scr_count '^gpu-node-0(0[1-9]|10) +On ')" = 10 ] || scr_fail "not every host has a row"

# Filter and inverted filter.
scr_keys /
scr_type 'node-00[12]'
scr_keys Enter
scr_wait_for "filter: /node-00[12]/  2 of 10 hosts"
[ "$(scr_count '^gpu-node-')" = 2 ] || scr_fail "the filter shows other rows"
scr_has_re '^gpu-node-001 ' && scr_has_re '^gpu-node-002 ' || scr_fail "the filter lost a row"
scr_ok "filter node-00[12]"
scr_keys /
scr_keys C-u
scr_type '!node-00[12]'
scr_keys Enter
scr_wait_for "filter: /!node-00[12]/  8 of 10 hosts"
scr_has_re '^gpu-node-00[12] ' && scr_fail "the inverted filter shows gpu-node-001/002"
[ "$(scr_count '^gpu-node-')" = 8 ] || scr_fail "the inverted filter row count"
scr_ok "inverted filter"
scr_keys Escape
scr_wait_for "filter cleared"
scr_keys g
scr_wait_for "host 1 of 10"

# Sort by temperature, hottest first; S reverses.
scr_keys s t
scr_wait_re 'TEMP▼'
temps() { printf '%s\n' "$SCR_SCREEN" | grep -E '^gpu-node-' | grep -o -E '[0-9]+°C' | tr -d '°C'; }
temps | sort -n -r -c 2>/dev/null || scr_fail "rows not in falling temperature: $(temps | tr '\n' ' ')"
scr_keys S
scr_wait_re 'TEMP▲'
temps | sort -n -c 2>/dev/null || scr_fail "rows not in rising temperature after S: $(temps | tr '\n' ' ')"
scr_ok "sort by temperature, and reversed"
scr_keys s n
scr_wait_for "sort: name ▲"

# The host view: inventory, eight GPUs with readings, sensors, log.
scr_keys g Enter
scr_wait_re 'Name +gpu-node-001'
scr_wait_re 'BMC +https://127\.0\.0\.1:[0-9]+'
scr_wait_re 'Protocol +redfish'
for i in 1 2 3 4 5 6 7 8; do
	scr_wait_re "^GPU_SXM_$i +[A-Za-z]+ .* [0-9]+°C \\["
done
scr_ok "host view: GPU_SXM_1..8 with temperatures and meters"
scr_keys G
scr_wait_re '^── Log \([1-9][0-9]* newest\)'
scr_wait_re '^ 20[0-9-]+T[0-9:]+'
scr_ok "host view: log entries"
scr_keys r
scr_wait_for "polling gpu-node-001 now"
scr_ok "r asks for a poll"
scr_keys Escape
scr_wait_re 'Hosts 10: '
scr_ok "Esc back to the fleet"

# Resize: redrawn at each size, the header still there, nothing garbled.
scr_tmux resize-window -t scr -x 80 -y 24
scr_wait_re '^NAME▲ +POWER +HEALTH +GPUS +TEMP +GPU W +LAST POLL'
scr_wait_re '^gpu-node-001 +On +[A-Za-z]+ +8 [A-Za-z]+ +[0-9]+°C'
scr_wait_re 'Hosts 10: 10 on 0 off 0 unreach'
scr_ok "80x24"
scr_tmux resize-window -t scr -x 160 -y 50
scr_wait_re '^ racktop .* sort: name ▲$'
scr_wait_re '^gpu-node-010 +On +[A-Za-z]+ +8 '
scr_wait_re 'Hosts 10: 10 on  0 off  0 unreachable'
scr_ok "160x50"

scr_keys '?'
scr_wait_for "open the selected host"
scr_has_re 'r +poll the selected host now' || scr_fail "help lacks r"
scr_keys Escape
scr_wait_re 'Hosts 10: '
scr_ok "help"

scr_quit_and_check_terminal q
scr_ok "q quits; the shell prompt is back"

#!/bin/sh
# racktop --demo's consoles: with no set-up, c on a host opens its
# serial console over SSH to the simulated BMC (the port from the BMC's
# SerialConsole.SSH, the host key from the demo's own known_hosts, the
# BMC's user and password): the login prompt shows, a login and
# nvidia-smi -L answer with the host's GPUs, a graceful shutdown shows
# systemd's and the kernel's last lines, power on and a power cycle the
# boot, a Break (^] b) arms SysRq. Quitting removes the demo's files,
# console logs included.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
scr_need python3

mkdir -p "$SCR_TMP/home"
scr_start 120 45 HOME="$SCR_TMP/home"
scr_run "$RACKTOP --demo --demo-hosts 3 --interval 1 --audit-log $SCR_TMP/audit.log"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^gpu-node-001 +On '
RT=$(scr_pid racktop)
SIM=$(pgrep -n -P "$RT" racktop-sim) || scr_fail "no racktop-sim under racktop"
DEMO=$(tr '\0' '\n' <"/proc/$SIM/cmdline" | sed -n 's|/fleet.yaml$||p')
[ -d "$DEMO" ] || scr_fail "cannot find the demo's directory"

scr_keys c
scr_wait_re 'gpu-node-001 +ssh 127\.0\.0\.1:[0-9]+ +connected'
scr_wait_for "gpu-node-001 login:"
scr_has "unknown host key" && scr_fail "the demo asked about its own host key"
scr_ok "c opens the console with no set-up: connected, the login prompt shows"
[ -e "$SCR_TMP/home/.ssh/known_hosts" ] && scr_fail "the demo wrote the user's known_hosts"
[ -s "$DEMO/consoles/gpu-node-001.log" ] || scr_fail "no console log in the demo's directory"
scr_ok "the demo's own known_hosts and console logs, not the user's"

scr_type operator
scr_keys Enter
scr_wait_for 'operator@gpu-node-001:~$'
scr_type 'nvidia-smi -L'
scr_keys Enter
scr_wait_re '^GPU 7: NVIDIA H100 80GB HBM3 \(UUID: GPU-[0-9a-f-]{36}\)'
scr_has_re '^GPU 0: NVIDIA H100' || scr_fail "GPU 0 is not listed"
scr_ok "login, typed keys echo, nvidia-smi -L lists the host's 8 GPUs"

# A Break arms SysRq: h asks for its help.
scr_keys C-]
scr_type b
scr_wait_for "sysrq: serial break"
scr_type h
scr_wait_for "sysrq: HELP"
scr_ok "a Break (^] b) reaches the host: SysRq"

# Power through the BMC (the fleet view's actions): the console follows.
scr_keys C-]
scr_type f
scr_keys a s
scr_wait_for "y: yes"
scr_keys y
scr_wait_for "Reached target poweroff.target"
scr_wait_re '^\[ *[0-9]+\.[0-9]{6}\] reboot: Power down'
scr_wait_re '^gpu-node-001 +Off '
scr_ok "a graceful shutdown shows systemd's and the kernel's last lines"
scr_keys a o
scr_wait_for "racktop-sim UEFI firmware"
scr_wait_re '^\[ *0\.[0-9]{6}\] Linux version'
scr_wait_re '^gpu-node-001 login: *$'
scr_ok "power on shows the firmware, the kernel's boot and the login prompt"
boots=$(grep -c "Linux version" "$DEMO/consoles/gpu-node-001.log")
scr_keys a c
scr_wait_for "y: yes"
scr_keys y
scr_wait '[ "$(grep -c "Linux version" "$DEMO/consoles/gpu-node-001.log")" -gt "$boots" ]' \
	"a second boot in the console log"
scr_wait_re '^gpu-node-001 login: *$'
scr_ok "a power cycle boots the host again"

scr_quit_and_check_terminal Q Q
[ -d "$DEMO" ] && scr_fail "the demo's directory $DEMO is left behind"
kill -0 "$SIM" 2>/dev/null && scr_fail "racktop-sim is still running"
scr_ok "quitting stops the simulator and removes its files"

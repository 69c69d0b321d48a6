#!/bin/sh
# racktop --kube offers only what the mode can do: the action menu asks
# the mode (actions_available: a Rufio Job has power and boot device
# tasks) and lists neither bmc-reset nor clear-log; their keys say why
# and send nothing. GPUs the cluster does not know show "-" in the GPUS
# column, never 0, and the host view says they are not known.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"
scr_need python3 curl
trap 'kube_stop; scr_cleanup' EXIT

kube_start "$SCR_TMP/k8s" || exit 1
kube_host default hw1 10.0.0.1
kube_machine_status default hw1 on True

LOG=$SCR_TMP/state/racktop/audit.log
scr_start 120 30 "KUBECONFIG=$KUBECONFIG" "XDG_STATE_HOME=$SCR_TMP/state" \
	"XDG_CONFIG_HOME=$SCR_TMP/config"
scr_run "$RACKTOP --kube"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_re '^hw1 +On +OK +- '
scr_has_re '^hw1 +On +OK +0 ' && scr_fail "GPUS says 0 for GPUs nobody read"
scr_ok "GPUs the cluster does not know: '-', not 0"

scr_keys a
scr_wait_for "Action on hw1"
scr_wait_re 'o +on +power on'
scr_wait_re 'c +cycle +power cycle'
scr_wait_re 'b +bios +boot once into BIOS setup'
scr_has "bmc-reset" && scr_fail "the menu offers bmc-reset"
scr_has "clear-log" && scr_fail "the menu offers clear-log"
scr_ok "the menu offers power and boot actions only"
scr_keys m
scr_wait_for "bmc-reset: not available in Kubernetes mode (a Rufio Job has no such task)"
scr_wait_for "Action on hw1"
scr_expect_not "y: yes"
scr_keys l
scr_wait_for "clear-log: not available in Kubernetes mode"
scr_keys Escape
scr_wait_for "no action taken"
[ -f "$LOG" ] && grep -q 'bmc-reset\|clear-log' "$LOG" && scr_fail "audit log: $(cat "$LOG")"
scr_ok "their keys say why, and nothing is asked, sent or logged"

scr_keys Enter
scr_wait_re 'Name +hw1'
scr_wait_for "GPUs (not known)"
scr_wait_for "not read from the host's BMC"
scr_has "GPUs (0)" && scr_fail "the host view says 0 GPUs"
scr_ok "the host view says the GPUs are not known"
scr_keys Escape
scr_wait_re '^hw1 '
scr_quit_and_check_terminal q

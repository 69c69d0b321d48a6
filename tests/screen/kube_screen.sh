#!/bin/sh
# racktop --kube on the screen, against a real kube-apiserver: Hardware
# rows with their Machine's power and BMC health, a host that is not
# contactable showing the condition's message, a deleted Hardware leaving
# the screen, and the title saying the picture is stale (and since when)
# while the server is down.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/integration/kube_lib.sh"
scr_need python3 curl
trap 'kube_stop; scr_cleanup' EXIT

kube_start "$SCR_TMP/k8s" || exit 1
kube_host default hw1 10.0.0.1
kube_machine_status default hw1 on True
kube_host default hw2 10.0.0.2
kube_machine_status default hw2 off False "dial tcp 10.0.0.2:623: i/o timeout"

scr_start 120 30 "KUBECONFIG=$KUBECONFIG" "XDG_STATE_HOME=$SCR_TMP/state"
scr_run "$RACKTOP --kube"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_for "kube: context test, all namespaces"
scr_wait_re '^hw1 +On '
scr_wait_re '^hw2 +Off +Critical .*BMC not contactable: dial tcp 10.0.0.2:623'
scr_ok "Hardware rows with their Machines' power and health"

kube_machine_status default hw1 off True
scr_wait_re '^hw1 +Off '
kube DELETE "$TB/default/hardware/hw2" >/dev/null
scr_wait_gone "hw2"
scr_wait_re 'Hosts 1: '
scr_ok "a status patch and a delete show"

kube_stop --keep
scr_wait_re 'kube: watch broken since [0-9]{2}:[0-9]{2}:[0-9]{2}'
scr_wait_re '^hw1 +Off '
scr_ok "the stale picture says so"
scr_quit_and_check_terminal q
scr_ok "racktop --kube quits cleanly"

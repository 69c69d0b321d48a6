#!/bin/sh
# A mixed fleet on one screen: racktop-sim hosts over Redfish and two
# OpenIPMI ipmi_sim BMCs over IPMI, in one manifest. Both kinds show rows
# with GPU temperatures; an IPMI host's view shows protocol ipmi, its
# sensors, its SEL and the workaround racktop found for it.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/ipmi_sim_lib.sh"
ipmi_sim_need

sim_start 3

# Two BMCs on free loopback ports, each with its state in our temp dir.
trap 'ipmi_sim_down_all; scr_cleanup' EXIT
ipmi_sim_up "$SCR_TMP/ipmi1" || scr_fail "ipmi_sim 1 did not start"
p1=$IPMI_SIM_PORT
ipmi_sim_up "$SCR_TMP/ipmi2" || scr_fail "ipmi_sim 2 did not start"
p2=$IPMI_SIM_PORT

# The IPMI hosts: Rufio Machines with racktop/protocol: ipmi, the port in
# providerOptions.ipmitool, the credential in a Secret. No workaround is
# given: racktop must find ipmi_sim's itself.
for i in 1 2; do
	eval port=\$p$i
	ipmi_sim_machine "ipmi-bmc-$i" "$port" "ipmi-bmc-$i-auth" >>"$SCR_TMP/fleet.yaml"
done

# The SDR cache goes to a private directory, not the user's.
scr_start 120 45 "XDG_CACHE_HOME=$SCR_TMP/cache"
scr_run "$(racktop_cmd)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"

scr_wait_re '^gpu-node-001 +On +[A-Za-z]+ +8 [A-Za-z]+ +[0-9]+°C'
scr_ok "Redfish host row with GPU temperatures"
scr_wait_re '^ipmi-bmc-1 +On +OK +8 OK +49°C'
scr_wait_re '^ipmi-bmc-2 +On +OK +8 OK +49°C'
scr_ok "IPMI host rows: On, 8 GPUs, hottest GPU 49°C"
scr_wait_re 'Hosts 5: 5 on +0 off +0 unreachable +GPUs 40: '
scr_ok "one screen, five hosts, forty GPUs"

# The host view of an IPMI host.
scr_keys /
scr_type 'ipmi-bmc-1'
scr_keys Enter
scr_wait_for "1 of 5 hosts"
scr_keys g Enter
scr_wait_re 'Name +ipmi-bmc-1'
scr_wait_re "BMC +ipmi://127\\.0\\.0\\.1:$p1"
scr_wait_re 'Protocol +ipmi'
scr_wait_re 'Model +SIM-GPU8 Server'
scr_wait_re 'Vendor +SimServer Inc\.'
scr_wait_re 'Notes +IPMI workaround opensesspriv found and used'
scr_ok "host view: protocol ipmi, FRU, the workaround found"
for i in 0 1 2 3 4 5 6 7; do
	scr_wait_re "^GPU$i +[A-Za-z]+ .* 4[0-9]°C"
done
scr_ok "host view: GPU0..7 from sensor names"
scr_keys G
scr_wait_re 'Inlet Temp'
scr_wait_re 'PSU1 Power'
scr_ok "host view: sensors"
scr_wait_re '^── Log \(6 newest\)'
scr_wait_re 'GPU5 Temp: '
scr_ok "host view: the SEL, newest first"

scr_keys Escape Escape
scr_quit_and_check_terminal q

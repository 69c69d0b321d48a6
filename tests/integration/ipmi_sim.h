/* Test harness: OpenIPMI's ipmi_sim (../shared/ipmi-sim) instances on
 * free loopback ports, each with its state in a private temp dir. */
#ifndef RACKTOP_TEST_IPMI_SIM_H
#define RACKTOP_TEST_IPMI_SIM_H

#include <stdbool.h>
#include <stddef.h>

struct ipmi_sim {
	int port;
	char dir[256];        /* private temp dir: state/, sdr/ (0700), manifests */
	char state[300];      /* the simulator's STATEDIR */
};

/* Starts one BMC; ENV: extra "NAME=value" for start.sh or NULL.
 * 0, or -1 with a message on stderr. */
int ipmi_sim_start(struct ipmi_sim *s, const char *env);
void ipmi_sim_stop(struct ipmi_sim *s);
/* Stops the BMC and starts it again on the same port (its state reset,
 * as a rebooted BMC: every session forgotten). 0 or -1. */
int ipmi_sim_restart(struct ipmi_sim *s);
/* simcmd.sh with CMD: 0 or -1. */
int ipmi_sim_cmd(const struct ipmi_sim *s, const char *cmd);
/* A file of the simulated host (host/power, host/boot, chassis.log) into
 * BUF; -1 if missing. */
int ipmi_sim_read(const struct ipmi_sim *s, const char *file, char *buf, size_t n);
/* A FreeIPMI tool against the BMC as admin: "TOOL -h 127.0.0.1:PORT
 * --config-file=F ARGS", the credential in F (mode 0600, in the temp
 * dir), never on the command line. Its stdout and stderr into OUT.
 * The tool's exit status, or -1. */
int ipmi_sim_tool(const struct ipmi_sim *s, const char *tool, const char *args, char *out,
		  size_t n);
/* A UDP port on 127.0.0.1 with nothing behind it (a dead BMC). */
int ipmi_sim_free_port(void);
/* The shared ipmi-sim directory ($RACKTOP_SHARED/ipmi-sim). */
const char *ipmi_sim_dir(void);

#endif

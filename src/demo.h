/* racktop --demo: a racktop-sim fleet on loopback for racktop to watch. */
#ifndef RACKTOP_DEMO_H
#define RACKTOP_DEMO_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct demo {
	pid_t pid;
	char dir[64];              /* private temp dir: manifest, CA, sim log, ... */
	char manifest[PATH_MAX];
	char ca_file[PATH_MAX];
	char log_file[PATH_MAX];
	char known_hosts[PATH_MAX];  /* the simulated BMCs' SSH host key */
	char console_logs[PATH_MAX]; /* the demo's console logs, not the user's */
};

/* Starts SIM (the racktop-sim binary) with HOSTS servers on ephemeral
 * loopback ports, each with its serial console over SSH, and waits until
 * it is ready. 0, or -1 with ERR set. */
int demo_start(struct demo *d, const char *sim, int hosts, char *err, size_t errlen);
/* Stops the simulator and removes its files (the console logs too).
 * Safe to call twice. */
void demo_stop(struct demo *d);

/* Where racktop-sim is: $RACKTOP_SIM, next to this executable, or PATH. */
void demo_find_sim(char *buf, size_t n);

#endif

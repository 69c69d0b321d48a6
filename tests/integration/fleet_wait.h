/* For integration tests: wait, with a deadline, until the fleet store
 * shows what the test expects. */
#ifndef RACKTOP_TEST_FLEET_WAIT_H
#define RACKTOP_TEST_FLEET_WAIT_H

#include <stdbool.h>

#include "fleet.h"

typedef bool (*fleet_wait_cond)(const struct fleet_snapshot *s, void *arg);

/* Takes fresh snapshots of F into SNAP every 50 ms until COND holds or
 * SECS pass; SNAP keeps the last one. Returns COND's last answer. */
bool fleet_wait_for(struct fleet *f, struct fleet_snapshot *snap, double secs,
		    fleet_wait_cond cond, void *arg);

#endif

/* The engine: one background thread that owns all BMC network I/O.
 *
 * It polls every inventory host on a timer through that host's backend
 * (Redfish over one libcurl multi handle; later IPMI on a worker pool),
 * writes results into the fleet store and wakes the UI. Operator actions
 * reach it through engine_request(), a queue the thread drains. */
#ifndef RACKTOP_ENGINE_H
#define RACKTOP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet.h"
#include "inventory.h"

struct engine_config {
	int poll_interval_s;      /* between the end of one poll and the next (10) */
	int timeout_ms;           /* every request (10000) */
	int max_per_host;         /* requests in flight to one BMC (4) */
	int max_total;            /* requests in flight in all (512) */
	int backoff_max_s;        /* a failing host is retried with backoff up to this (300) */
	size_t max_body;          /* larger responses are refused (4 MiB) */
	const char *ca_file;      /* extra CA bundle (PEM) or NULL */
	int ipmi_workers;         /* threads for blocking IPMI calls (8) */
	const char *ipmi_sdr_cache_dir; /* FreeIPMI SDR cache; NULL: $XDG_CACHE_HOME/racktop/sdr */
	const char *ipmi_gpu_patterns;  /* GPU sensor name patterns, one a line; NULL: defaults
					 * (doc/ipmi.md) */
	/* A power on, off or soft off the BMC accepted is "accepted" until a
	 * poll sees the power it asked for ("done"), or "not reached" after
	 * this many seconds (120; <= 0: the default). */
	int action_wait_s;
};

enum engine_action {
	ENGINE_ACTION_POLL_NOW = 0,
	ENGINE_ACTION_POWER_ON,
	ENGINE_ACTION_POWER_OFF,          /* ForceOff */
	ENGINE_ACTION_POWER_SOFT,         /* GracefulShutdown */
	ENGINE_ACTION_POWER_CYCLE,        /* PowerCycle */
	ENGINE_ACTION_POWER_RESET,        /* ForceRestart */
	ENGINE_ACTION_BOOT_PXE,           /* one-time boot override */
	ENGINE_ACTION_BOOT_DISK,
	ENGINE_ACTION_BOOT_BIOS,
	ENGINE_ACTION_BMC_RESET,          /* Manager.Reset of the BMC itself */
	ENGINE_ACTION_CLEAR_LOG,          /* LogService.ClearLog of the event log */
};

struct engine;

void engine_config_defaults(struct engine_config *c);

/* INV's hosts are FLEET's hosts, in the same order (engine_new adds them
 * to the fleet). INV must outlive the engine. */
struct engine *engine_new(struct fleet *fleet, const struct inventory *inv,
			  const struct engine_config *cfg);
int engine_start(struct engine *e);
/* Ends every Redfish session (logout) and joins the thread. */
void engine_stop(struct engine *e);
void engine_free(struct engine *e);

/* Queues an action for host HOST; thread-safe. 0 or -1. How it ends
 * shows in the host's action record (fleet.h: action, action_state,
 * action_result): pending when queued, running once sent, then done
 * (with the BMC's answer) or failed (with why, naming the URL); an
 * unknown action on a real host is recorded failed and gives -1.
 * ENGINE_ACTION_POLL_NOW leaves the record alone. */
int engine_request(struct engine *e, size_t host, enum engine_action a);
/* The host the operator is looking at (the host view), or ENGINE_NO_FOCUS
 * for none; at most one. Its backend reads everything each poll, also
 * what only the host view shows (backend.h: focus), and a newly focused
 * host is polled at once. Thread-safe: the engine thread applies it
 * before the requests queued after it. 0, or -1 for a host out of range. */
#define ENGINE_NO_FOCUS ((size_t)-1)
int engine_focus(struct engine *e, size_t host);
/* "power ForceOff", "boot PXE", ...: the words of the action record. */
const char *engine_action_name(enum engine_action a);

/* Told of every change of a host's action record (STATE an enum
 * fleet_action_state, RESULT the answer or why not), just BEFORE the
 * record shows it: an audit log written here is on disk before anyone
 * sees the action done. Called on whichever thread learnt it (the
 * engine's, engine_request()'s caller, or engine_free()'s), so it must
 * be thread-safe. Set it before engine_start(). */
typedef void (*engine_action_hook)(void *arg, size_t host, enum engine_action a, int state,
				   const char *result);
void engine_set_action_hook(struct engine *e, engine_action_hook fn, void *arg);

#endif

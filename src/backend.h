/* What the engine needs from a BMC protocol, in the manner of nvtop's
 * per-vendor GPU backends: one table of function pointers per protocol.
 * A new protocol is one new file that fills a struct backend (Redfish:
 * redfish.c; IPMI later: ipmi.c, whose blocking FreeIPMI calls will run
 * on a worker pool that completes through the same callbacks on the
 * engine thread, see engine.c).
 *
 * Every call is made on the engine thread and must not block; it
 * reports back exactly once through the completion given, on the engine
 * thread, possibly before the call returns. */
#ifndef RACKTOP_BACKEND_H
#define RACKTOP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "fleet.h"
#include "http.h"
#include "inventory.h"

struct workers;

/* A poll in progress: one more request answered, after ELAPSED_S (0:
 * unknown). ARG is the poll's (backend.poll's ARG). */
typedef void (*backend_poll_progress)(void *arg, double elapsed_s);

/* What backends share: the engine's configuration and transports. */
struct backend_env {
	const struct engine_config *cfg;
	struct http_transport *http;     /* Redfish requests */
	struct workers *workers;         /* blocking libraries (IPMI), workers.h */
	backend_poll_progress progress;  /* NULL: nobody asks */
};

/* DATA is the poll's result (the callee may take it with
 * fleet_host_update) or NULL with ERROR set. */
typedef void (*backend_poll_done)(void *arg, struct fleet_host_data *data, const char *error);
/* ERROR NULL: done, RESULT (or NULL) the BMC's answer ("URL: HTTP 204
 * No Content"); else ERROR says why not, naming the URL. POWER: what
 * the action left (or UNKNOWN). */
typedef void (*backend_action_done)(void *arg, const char *error, enum fleet_power power,
				    const char *result);

struct backend {
	const char *name;
	/* NULL with ERR filled when the host cannot be polled at all. */
	void *(*host_new)(const struct backend_env *env, const struct inventory_host *ih,
			  char *err, size_t errlen);
	void (*host_free)(void *bh);
	void (*poll)(void *bh, backend_poll_done done, void *arg);
	/* A ENGINE_ACTION_POWER_* action. */
	void (*power)(void *bh, enum engine_action a, backend_action_done done, void *arg);
	/* A ENGINE_ACTION_BOOT_* action (one-time boot device). */
	void (*boot_override)(void *bh, enum engine_action a, backend_action_done done, void *arg);
	/* ENGINE_ACTION_BMC_RESET or ENGINE_ACTION_CLEAR_LOG; NULL: this
	 * backend cannot (the action is recorded failed). */
	void (*manage)(void *bh, enum engine_action a, backend_action_done done, void *arg);
	/* Ends the host's session if it has one; done at once if not. */
	void (*logout)(void *bh, backend_action_done done, void *arg);
	/* ON: the operator looks at this host (engine_focus): read everything
	 * each poll, even what is otherwise read only now and then. NULL: a
	 * backend whose every poll reads everything anyway. */
	void (*focus)(void *bh, bool on);
};

extern const struct backend redfish_backend;
extern const struct backend ipmi_backend;          /* ipmi.c */
extern const struct backend ipmi_fallback_backend; /* ipmi_fallback.c: Redfish, then IPMI */

#endif

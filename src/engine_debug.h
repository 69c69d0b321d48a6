/* What tests may ask of the engine beyond engine.h. */
#ifndef RACKTOP_ENGINE_DEBUG_H
#define RACKTOP_ENGINE_DEBUG_H

#include "engine.h"

/* Passes the engine loop has made: an idle engine must not add any
 * between polls (it sleeps until the next one is due). Thread-safe. */
unsigned long engine_loop_passes(struct engine *e);
/* How many times HOST's first poll failed and was started over from the
 * beginning (0 when it went through at once). Thread-safe. */
unsigned engine_poll_restarts(struct engine *e, size_t host);
/* Requests in flight to one BMC at most, as applied to this fleet. */
int engine_per_host_limit(struct engine *e);

#endif

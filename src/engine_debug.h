/* What tests may ask of the engine beyond engine.h. */
#ifndef RACKTOP_ENGINE_DEBUG_H
#define RACKTOP_ENGINE_DEBUG_H

#include "engine.h"

/* Passes the engine loop has made: an idle engine must not add any
 * between polls (it sleeps until the next one is due). Thread-safe. */
unsigned long engine_loop_passes(struct engine *e);

#endif

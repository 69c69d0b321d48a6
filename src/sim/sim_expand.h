/* $expand as a BMC does it, on a parsed answer: racktop-sim's
 * (sim_http.c), and the unit tests' mockup transport links it too, so
 * it needs jansson only. */
#ifndef RACKTOP_SIM_EXPAND_H
#define RACKTOP_SIM_EXPAND_H

#include <jansson.h>

/* $expand: replaces links by the resources they name, LEVELS deep;
 * MODE '.' subordinate links, '~' those under Links, '*' all. RESOLVE
 * gives the resource at a path (a new reference), or NULL. */
#define SIM_EXPAND_MAX_LEVELS 2   /* ProtocolFeaturesSupported.ExpandQuery.MaxLevels */
typedef json_t *(*redfish_resolver)(void *ctx, const char *path);
void redfish_expand(json_t *res, char mode, int levels, redfish_resolver resolve, void *ctx);

#endif

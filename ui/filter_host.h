/* What the / filter sees of a host: each field's values, one a line
 * (filter.h). A stale host's power, health and GPUs are not what it
 * said last: power and GPUs are Unknown, health is its failure. */
#ifndef RACKTOP_UI_FILTER_HOST_H
#define RACKTOP_UI_FILTER_HOST_H

#include "filter.h"
#include "fleet.h"

/* The fields of H in one malloc'd buffer (the caller frees it); field K
 * starts at OFF[K]. */
char *filter_host_fields(const struct fleet_host *h, unsigned off[FILTER_FIELDS]);

#endif

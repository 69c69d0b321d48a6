/* Batch mode output: the fleet as JSON for scripts (see doc/batch.md). */
#ifndef RACKTOP_BATCH_H
#define RACKTOP_BATCH_H

#include <stdio.h>
#include <time.h>

#include "fleet.h"

/* Writes a JSON array, one object per host; every reading or string the
 * BMC did not report is null. 0, or -1 when writing failed. */
int batch_write_json(FILE *out, const struct fleet_snapshot *snap);
/* The same on one line (--interval: one document a line). */
int batch_write_json_line(FILE *out, const struct fleet_snapshot *snap);
/* Every host of SNAP whose first poll has not ended (no data, no error)
 * gets the error "not polled: WHY": batch output never shows such a
 * host as a null error with nothing else. Returns how many. */
size_t batch_mark_unpolled(struct fleet_snapshot *snap, const char *why);
/* T as ISO 8601 UTC, "2026-12-07T08:51:50Z" (BUF of 21 bytes or more). */
void batch_time_iso(char *buf, size_t n, time_t t);

#endif

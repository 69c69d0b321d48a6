/* racktop --batch --interval N: the fleet printed every N seconds, as
 * one JSON document a line or as a plain table (--format table). */
#ifndef RACKTOP_BATCH_SWEEP_H
#define RACKTOP_BATCH_SWEEP_H

#include <stdbool.h>
#include <stdio.h>

#include "fleet.h"
#include "inventory.h"

enum batch_format {
	BATCH_FORMAT_JSON = 0,
	BATCH_FORMAT_TABLE,
};

/* "json" or "table". 0, or -1. */
int batch_format_parse(const char *s, enum batch_format *out);
/* NAME POWER HEALTH GPUS HOTTEST ERROR, one host a line, under a header. */
int batch_write_table(FILE *out, const struct fleet_snapshot *snap);
/* SNAP in FMT; JSON indented unless LINE. 0, or -1 when writing failed. */
int batch_write(FILE *out, const struct fleet_snapshot *snap, enum batch_format fmt, bool line);

/* Prints FLEET now and then every INTERVAL_S seconds until a signal
 * asks racktop to stop (batch_signal.h) or a write fails; each time the
 * fleet's source status is set (kube: a broken watch) it goes to
 * stderr first. BATCH_SIGNAL_EXIT (130) when stopped by a signal, else
 * 1 (writing failed). */
int batch_sweep(struct fleet *fleet, int interval_s, enum batch_format fmt, FILE *out);

/* --batch --hosts REGEX without --action: only the hosts whose names
 * match (POSIX ERE, anywhere in the name) stay in INV, in their order;
 * the others are dropped before anything is polled. 0; or -1 with ERR
 * (a bad expression, or no host matches) and INV unchanged. */
int batch_sweep_select(struct inventory *inv, const char *re, char *err, size_t errlen);

#endif

/* Readings as the screen writes them. A missing reading (NAN) is "-". */
#ifndef RACKTOP_UI_FMT_H
#define RACKTOP_UI_FMT_H

#include <stddef.h>
#include <time.h>

#include "fleet.h"

#define FMT_MISSING "-"

void fmt_temp(char *buf, size_t n, double c);
void fmt_watts(char *buf, size_t n, double w);
/* "350/700W", "350W/-", "-" */
void fmt_watts_of(char *buf, size_t n, double w, double limit);
/* "20.5/80G" from MiB */
void fmt_mem_of(char *buf, size_t n, double used_mib, double total_mib);
void fmt_pct(char *buf, size_t n, double pct);
/* A plain number ("12", "3.3") or "-". */
void fmt_number(char *buf, size_t n, double v);
/* "12s ago", "3m ago", "2h ago", "5d ago"; "never" for 0. */
void fmt_age(char *buf, size_t n, time_t then, time_t now);
/* The same without "ago", for a narrow cell: "12s", "3m", "2h", "5d". */
void fmt_age_short(char *buf, size_t n, time_t then, time_t now);
/* Appended to a reading from before the host's last, failed, poll: seen
 * without colour and in plain ASCII, where dimming is not. */
#define FMT_STALE "?"
/* Why something failed, short enough for a row: TEXT without the
 * URLs of "URL: what" and without leading "X failed: " (the row says
 * failed already): "power On failed: login failed: https://h/x:
 * connection refused" is "connection refused". */
void fmt_why(char *buf, size_t n, const char *text);
/* Redfish's UCUM units as people write them: Cel -> °C (C in ASCII). */
const char *fmt_units(const char *ucum);
/* Short power names for narrow columns: On, Off, ->On, ->Off, -. */
const char *fmt_power(enum fleet_power p);
/* Health for display: "-" when unknown. */
const char *fmt_health(enum fleet_health h);
/* A host's GPUs by state in at most WIDTH cells, plain ASCII: all alike
 * "8 OK", "8 Critical", "8 absent"; else the OK ones, then the rest
 * worst first: "7 OK 1 absent", shorter "7 OK 1 abs", then the count
 * and the worst: "8: 1 absent" ("+": others are not OK either), "8: 1
 * abs+". An absent GPU (fallen off the bus) is never hidden in a
 * count of Critical. */
void fmt_gpu_states(char *buf, size_t n, const struct fleet_gpu_counts *c, int width);

#endif

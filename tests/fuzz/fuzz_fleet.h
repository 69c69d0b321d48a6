/* What the fleet store may hold, checked on what a decoder or a poll
 * built: text fit for the screen (fuzz_check_text), each reading NAN
 * or finite, counts within the store's bounds. For the Redfish and
 * Kubernetes harnesses; header-only so that fuzz.mk's lists stay as
 * they are. */
#ifndef RACKTOP_FUZZ_FLEET_H
#define RACKTOP_FUZZ_FLEET_H

#include <math.h>
#include <string.h>

#include "fleet.h"
#include "fuzz_check.h"

/* S is a terminated string in its array of N bytes, and clean. */
static inline void fuzz_fleet_str(const char *what, const char *s, size_t n)
{
	FUZZ_ASSERT(memchr(s, '\0', n) != NULL, what);
	fuzz_check_text(what, s);
}

#define FUZZ_FLEET_STR(what, arr) fuzz_fleet_str(what, arr, sizeof(arr))

static inline void fuzz_fleet_reading(const char *what, double v)
{
	FUZZ_ASSERT(isnan(v) || isfinite(v), what);
}

static inline void fuzz_fleet_health(enum fleet_health h)
{
	FUZZ_ASSERT(h >= FLEET_HEALTH_UNKNOWN && h <= FLEET_HEALTH_CRITICAL, "health out of range");
}

static inline void fuzz_fleet_gpu(const struct fleet_gpu *g)
{
	FUZZ_FLEET_STR("gpu id", g->id);
	FUZZ_FLEET_STR("gpu model", g->model);
	FUZZ_FLEET_STR("gpu serial", g->serial);
	FUZZ_FLEET_STR("gpu uuid", g->uuid);
	FUZZ_FLEET_STR("gpu firmware", g->firmware);
	FUZZ_FLEET_STR("gpu state", g->state);
	fuzz_fleet_health(g->health);
	fuzz_fleet_reading("gpu temperature", g->temperature_c);
	fuzz_fleet_reading("gpu power", g->power_w);
	fuzz_fleet_reading("gpu power limit", g->power_limit_w);
	fuzz_fleet_reading("gpu utilisation", g->utilization_pct);
	fuzz_fleet_reading("gpu memory used", g->memory_used_mib);
	fuzz_fleet_reading("gpu memory total", g->memory_total_mib);
	fuzz_fleet_reading("gpu ECC corrected", g->ecc_corrected);
	fuzz_fleet_reading("gpu ECC uncorrected", g->ecc_uncorrected);
}

static inline void fuzz_fleet_sensor(const struct fleet_sensor *s)
{
	FUZZ_FLEET_STR("sensor name", s->name);
	FUZZ_FLEET_STR("sensor units", s->units);
	FUZZ_ASSERT(s->kind >= FLEET_SENSOR_TEMP && s->kind <= FLEET_SENSOR_OTHER, "sensor kind");
	fuzz_fleet_health(s->health);
	fuzz_fleet_reading("sensor reading", s->reading);
}

static inline void fuzz_fleet_event(const struct fleet_event *e)
{
	FUZZ_FLEET_STR("event created", e->created);
	FUZZ_FLEET_STR("event severity", e->severity);
	FUZZ_FLEET_STR("event message", e->message);
}

/* MAX_GPUS, MAX_SENSORS: the producer's bounds. */
static inline void fuzz_fleet_data(const struct fleet_host_data *d, size_t max_gpus,
				   size_t max_sensors)
{
	FUZZ_FLEET_STR("vendor", d->vendor);
	FUZZ_FLEET_STR("model", d->model);
	FUZZ_FLEET_STR("serial", d->serial);
	FUZZ_FLEET_STR("BIOS version", d->bios_version);
	FUZZ_FLEET_STR("BMC firmware", d->bmc_firmware);
	FUZZ_FLEET_STR("notes", d->notes);
	FUZZ_FLEET_STR("part number", d->part_number);
	fuzz_fleet_health(d->health);
	FUZZ_ASSERT(d->power >= FLEET_POWER_UNKNOWN && d->power <= FLEET_POWER_POWERING_OFF,
		    "power out of range");
	FUZZ_ASSERT(d->ngpus <= max_gpus && (d->ngpus == 0 || d->gpus), "GPU count");
	FUZZ_ASSERT(d->nsensors <= max_sensors && (d->nsensors == 0 || d->sensors),
		    "sensor count");
	FUZZ_ASSERT(d->nevents <= FLEET_EVENTS_MAX && (d->nevents == 0 || d->events),
		    "event count");
	FUZZ_ASSERT(!d->events_kept || d->nevents == 0, "events kept and given");
	FUZZ_ASSERT(!d->sensors_kept || d->nsensors == 0, "sensors kept and given");
	FUZZ_ASSERT(d->ssh_console_port >= 0 && d->ssh_console_port < 65536, "SSH port");
	for (size_t i = 0; i < d->ngpus; i++)
		fuzz_fleet_gpu(&d->gpus[i]);
	for (size_t i = 0; i < d->nsensors; i++)
		fuzz_fleet_sensor(&d->sensors[i]);
	for (size_t i = 0; i < d->nevents; i++) {
		fuzz_fleet_event(&d->events[i]);
		/* Newest first. */
		FUZZ_ASSERT(i == 0 || strcmp(d->events[i - 1].created, d->events[i].created) >= 0,
			    "events not newest first");
	}
}

#endif

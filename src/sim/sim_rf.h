/* The generated Redfish tree of one simulated host, shared between its
 * files: the paths, the parsed request path, the builders every resource
 * uses (sim_redfish.c) and each subtree's entry points. Private to the
 * sim_redfish.c and sim_rf_*.c files; sim_http.c sees only sim.h. */
#ifndef RACKTOP_SIM_RF_H
#define RACKTOP_SIM_RF_H

#include "sim.h"

#include <string.h>

#define RF "/redfish/v1"
#define SYS RF "/Systems/DGX"
#define HGX RF "/Systems/HGX_Baseboard_0"
#define DGX_CHASSIS RF "/Chassis/DGX"

#define RF_SEGS 8
#define RF_SEG_LEN 64

/* A request path below /redfish/v1, split at '/'. */
struct rf_path {
	int n;
	char seg[RF_SEGS][RF_SEG_LEN];
};

/* True when segment I exists and is S. */
static inline bool rf_at(const struct rf_path *p, int i, const char *s)
{
	return p->n > i && strcmp(p->seg[i], s) == 0;
}

/* sim_redfish.c: builders shared by every resource */
json_t *redfish_link(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
json_t *redfish_collection(const char *id, const char *type, const char *name, json_t *members);
/* Appends links BEFORE<i>AFTER for i = 1..COUNT to MEMBERS. */
void redfish_numbered(json_t *members, const char *before, const char *after, unsigned count);
/* {State, Health, HealthRollup}: a resource that rolls up its parts. */
json_t *redfish_status(const char *state, int health);
/* {State, Health}: a leaf. */
json_t *redfish_state(const char *state, int health);
double redfish_round(double v, double scale);
/* GPU state as its resources show it: Absent, Enabled or StandbyOffline. */
const char *redfish_gpu_state(const struct sim_host *h, unsigned g);
/* Readings are there only while the GPU is powered and on the bus. */
bool redfish_gpu_readable(const struct sim_host *h, unsigned g);
/* GPU_SXM_<1..8><suffix>: the 0-based index, or -1. */
int redfish_gpu_index(const char *s, const char *suffix);

/* Each subtree: the resource at P (P->seg[0] names the subtree) or NULL. */
json_t *rf_system_get(struct sim_host *h, const struct rf_path *p);
json_t *rf_gpu_get(struct sim_host *h, const struct rf_path *p);
json_t *rf_log_get(struct sim_host *h, const struct rf_path *p);
json_t *rf_chassis_get(struct sim_host *h, const struct rf_path *p);
json_t *rf_bmc_get(struct sim_host *h, const struct rf_path *p, const struct sim_config *cfg);
json_t *rf_telemetry_get(struct sim_host *h, const struct rf_path *p);

/* sim_rf_system.c: the writable parts of Systems/DGX */
int rf_system_patch(struct sim_host *h, json_t *body, json_t **err);
int rf_system_reset(struct sim_host *h, json_t *body, const struct sim_config *cfg, json_t **err);

/* sim_rf_bmc.c: Manager.Reset (the BMC restarts: 503 for SIM_BMC_RESET_S,
 * every session gone) */
int rf_bmc_reset(struct sim_host *h, json_t *body, json_t **err);
/* sim_rf_log.c: LogService.ClearLog (emptied, one "Log cleared" entry) */
int rf_log_clear(struct sim_host *h, json_t **err);

/* sim_rf_sensor.c: the host chassis's environment, one table for every
 * shape it is shown in (Sensors, Thermal/Power, the subsystems). */
enum rf_sensor_kind { RF_SENSOR_TEMP, RF_SENSOR_FAN, RF_SENSOR_PSU };
struct rf_sensor {
	const char *id;          /* Sensors/<id> */
	uint8_t kind;            /* enum rf_sensor_kind */
	uint8_t unit;            /* which fan or PSU; for temperatures 0 inlet, 1 exhaust */
	const char *context;     /* PhysicalContext */
	int caution, critical;   /* thresholds; fans: critical is a lower bound */
};
extern const struct rf_sensor rf_sensors[];  /* ends with a NULL id */
const struct rf_sensor *rf_sensor_find(const char *id);
double rf_sensor_reading(const struct sim_host *h, const struct rf_sensor *s);
json_t *rf_sensor_get(struct sim_host *h, const struct rf_path *p);    /* Chassis/DGX/Sensors... */
json_t *rf_sensor_gpu_get(struct sim_host *h, unsigned g, const struct rf_path *p); /* Chassis/HGX_GPU_SXM_n/Sensors... */
/* {DataSourceUri, Reading} of GPU G's temperature (TEMP) or power sensor;
 * no Reading while the GPU is not readable. */
json_t *rf_sensor_gpu_excerpt(const struct sim_host *h, unsigned g, bool temp);
json_t *rf_sensor_thermal(struct sim_host *h);                         /* Chassis/DGX/Thermal */
json_t *rf_sensor_power(struct sim_host *h);                           /* Chassis/DGX/Power */

/* sim_rf_subsystem.c: Chassis/DGX/ThermalSubsystem and PowerSubsystem */
json_t *rf_subsystem_get(struct sim_host *h, const struct rf_path *p);

#endif

/* One Redfish poll as the poll's files share it (not for the engine):
 * redfish_poll.c runs the steps, redfish_discover.c learns the static
 * tree, redfish_refresh.c reads the dynamic resources,
 * redfish_telemetry.c reads a MetricReport, redfish_tree.c keeps the
 * tree, redfish_arena.h decodes a refresh's answers in an arena. */
#ifndef RACKTOP_REDFISH_POLL_H
#define RACKTOP_REDFISH_POLL_H

#include <stdint.h>

#include "redfish.h"

#define RF_EXPAND "?$expand=.($levels=1)"
#define RF_EXPAND2 "?$expand=.($levels=2)"   /* a collection's members and their metrics */
#define RF_MAX_MANAGERS 8         /* managers read, per host */
/* $select (DSP0266: applied after $expand, '/' for a nested property)
 * of what a refresh reads: a System's state and identity, and a GPU's
 * status with the readings of its metrics resources. Ten properties at
 * most: OpenBMC's bmcweb refuses more. */
#define RF_SELECT_SYSTEM "Status,PowerState,Manufacturer,Model,SerialNumber,BiosVersion"
#define RF_SELECT_SYSTEMS "Members/Status,Members/PowerState,Members/Manufacturer," \
	"Members/Model,Members/SerialNumber,Members/BiosVersion"
#define RF_SELECT_CHASSIS "Thermal/Temperatures,Thermal/Fans,Power/PowerControl," \
	"Power/PowerSupplies,Power/Voltages"
#define RF_SELECT_GPUS_ROW "Members/Status,Members/Metrics/BandwidthPercent," \
	"Members/EnvironmentMetrics/TemperatureCelsius/Reading," \
	"Members/EnvironmentMetrics/PowerWatts/Reading"
#define RF_SELECT_GPUS "Members/Status,Members/Metrics/BandwidthPercent," \
	"Members/Metrics/CacheMetricsTotal/LifeTime," \
	"Members/EnvironmentMetrics/TemperatureCelsius/Reading," \
	"Members/EnvironmentMetrics/PowerWatts/Reading," \
	"Members/EnvironmentMetrics/PowerLimitWatts/SetPoint," \
	"Members/EnvironmentMetrics/PowerLimitWatts/Reading," \
	"Members/MemorySummary/Metrics/CapacityUtilizationPercent," \
	"Members/MemorySummary/Metrics/LifeTime"

struct rf_poll;
/* Issues the GETs of one step; the next step runs once all answered. */
typedef void (*rf_step)(struct rf_poll *p);
/* Handles one answer (a JSON object); CTX is the caller's index. */
typedef void (*rf_handler)(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			   intptr_t ctx);

/* A GPU reading found among chassis sensors (sys, GPU number). */
struct rf_gpu_reading {
	int sys, num;
	bool temp;
	bool chassis;              /* from a chassis' Thermal or Sensors */
	double v;
};

struct rf_poll {
	struct rf_host *h;
	backend_poll_done done;
	void *arg;
	bool discover;
	bool in_step;
	int outstanding;
	rf_step next;
	char error[FLEET_ERR];
	struct rf_tree nt;              /* being discovered */
	struct rf_tree *t;              /* the tree this poll reads */
	struct fleet_host_data data;
	struct fleet_gpu *g;            /* readings, parallel to t->gpus */
	double *cache_ecc;              /* 2 per GPU: ProcessorMetrics cache ECC */
	struct rf_sensors sens;
	struct rf_events ev;
	char **chm;                     /* Chassis collection member paths (discovery) */
	size_t nchm;
	char *mgr_logservices[RF_MAX_MANAGERS]; /* Managers' LogServices (discovery) */
	int fw_rank;                    /* where bmc_firmware came from, 0: nowhere yet */
	int ssh_rank;                   /* where ssh_console_port came from, 0: nowhere yet */
	struct rf_gpu_reading gr[2 * RF_MAX_GPU_SENSORS + 16];
	size_t ngr;
	size_t report_temps;            /* GPU temperatures the report gave */
	json_t *pdev[16];               /* PCIe devices whose functions are being read */
	int pdev_sys[16];
	bool pdev_added[16];
	size_t npdev;
	bool sens_skipped;              /* chassis sensors not read: the store keeps them */
	bool gpu_row;                   /* GPUs read with RF_SELECT_GPUS_ROW: the rest from the tree */
};

/* redfish_poll.c */
/* GETs PATH (nothing when NULL or the poll already failed); with EXPAND
 * and a BMC that can, one level of $expand. OPTIONAL: a BMC without the
 * resource (404 and the like) is no error. */
void rf_poll_get(struct rf_poll *p, const char *path, bool expand, rf_handler fn, intptr_t ctx,
		 bool optional);
/* The same with QUERY (RF_EXPAND, RF_EXPAND2) added to PATH; a BMC that
 * refuses it (400, 404, 501 and the like) gets FN an empty object, for
 * FN to read what it lacks resource by resource. */
void rf_poll_get_query(struct rf_poll *p, const char *path, const char *query, rf_handler fn,
		       intptr_t ctx, bool optional);
/* The same, with $select=SELECT added where the BMC advertises it (and
 * has not refused it): a BMC that refuses the two together (bmcweb
 * does) is asked again without $select, and not asked with it again.
 * QUERY may be "" (a plain GET whose refusal is then an error). */
void rf_poll_get_select(struct rf_poll *p, const char *path, const char *query,
			const char *select, rf_handler fn, intptr_t ctx, bool optional);
/* Whether answers of this poll were asked for with $select. */
bool rf_poll_selecting(const struct rf_poll *p);
/* Each of the first MAX members of collection O: handled in place when
 * the answer was expanded, else fetched and handled when it comes.
 * CTX RF_CTX_INDEX: each member's handler gets its position. */
#define RF_CTX_INDEX ((intptr_t)-1)
void rf_poll_members(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
		     size_t max, rf_handler fn, intptr_t ctx, bool optional);
const char *rf_poll_last_segment(const char *path);

/* redfish_discover.c: the first step of a discovering poll. */
void rf_discover_start(struct rf_poll *p);

/* redfish_refresh.c: the dynamic resources, every poll; then merges
 * what came from several places into p->g. */
void rf_refresh_step(struct rf_poll *p);
void rf_refresh_finish(struct rf_poll *p);
/* What the event log would record (power, health, GPU and sensor
 * states) as one number: a change is a reason to read the log. */
uint32_t rf_refresh_sig(const struct rf_poll *p);

/* redfish_telemetry.c */
void rf_telemetry_report(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx);
/* After discovery: whether the report alone can give GPU temperatures. */
bool rf_telemetry_covers(const struct rf_poll *p);

/* redfish_tree.c: building the static tree. */
struct rf_gpu *rf_tree_gpu_new(struct rf_tree *t, int sys);
void rf_tree_add_chassis(struct rf_tree *t, const char *path, int sys);
void rf_tree_add_gpu_sensor(struct rf_tree *t, const char *path, int sys);
void rf_tree_add_log(struct rf_tree *t, const char *path);
void rf_tree_sort_gpus(struct rf_tree *t);

#endif

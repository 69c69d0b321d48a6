/* The generated Redfish model of one simulated server, as jansson
 * objects: the router that maps a path to its subtree (sim_rf_*.c), the
 * ServiceRoot, Redfish error bodies, $expand and the builders every
 * resource shares. Resource paths and property names follow the captured
 * NVIDIA DGX H100 mockup (Systems/DGX, Systems/HGX_Baseboard_0/Processors/
 * GPU_SXM_n with ProcessorMetrics, EnvironmentMetrics and
 * MemorySummary/MemoryMetrics, Chassis/HGX_GPU_SXM_n/PCIeDevices) so one
 * client decoder serves the sim and the real thing. */
#include "sim_rf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *redfish_link(const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return json_pack("{s:s}", "@odata.id", path);
}

json_t *redfish_collection(const char *id, const char *type, const char *name, json_t *members)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "@odata.id", id,
	                 "@odata.type", type, "Name", name,
	                 "Members@odata.count", (json_int_t)json_array_size(members),
	                 "Members", members);
}

void redfish_numbered(json_t *members, const char *before, const char *after, unsigned count)
{
	for (unsigned i = 1; i <= count; i++)
		json_array_append_new(members, redfish_link("%s%u%s", before, i, after));
}

json_t *redfish_status(const char *state, int health)
{
	return json_pack("{s:s, s:s, s:s}", "State", state,
	                 "Health", model_health_name(health),
	                 "HealthRollup", model_health_name(health));
}

json_t *redfish_state(const char *state, int health)
{
	return json_pack("{s:s, s:s}", "State", state, "Health", model_health_name(health));
}

double redfish_round(double v, double scale)
{
	return round(v * scale) / scale;
}

const char *redfish_gpu_state(const struct sim_host *h, unsigned g)
{
	if (!model_gpu_present(h, g))
		return "Absent";
	return model_is_on(h) ? "Enabled" : "StandbyOffline";
}

bool redfish_gpu_readable(const struct sim_host *h, unsigned g)
{
	return model_is_on(h) && model_gpu_present(h, g);
}

int redfish_gpu_index(const char *s, const char *suffix)
{
	char tail[64] = "";
	unsigned n;
	int used = 0;

	if (sscanf(s, "GPU_SXM_%u%n", &n, &used) != 1 || n < 1 || n > SIM_GPUS)
		return -1;
	snprintf(tail, sizeof(tail), "%s", s + used);
	return strcmp(tail, suffix) == 0 ? (int)n - 1 : -1;
}

json_t *redfish_error(const char *message_id, const char *message)
{
	return json_pack("{s:{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}}", "error",
	                 "code", message_id, "message", message,
	                 "@Message.ExtendedInfo",
	                 "@odata.type", "#Message.v1_1_1.Message",
	                 "MessageId", message_id, "Message", message,
	                 "Severity", "Critical", "Resolution", "See the message.");
}

static json_t *redfish_service_root(void)
{
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
		" s:{s:{s:b, s:b, s:i, s:b, s:b}, s:b, s:b},"
		" s:o, s:o, s:o, s:o, s:o, s:{s:o}}",
		"@odata.id", RF, "@odata.type", "#ServiceRoot.v1_13_0.ServiceRoot",
		"Id", "RootService", "Name", "Root Service",
		"RedfishVersion", "1.11.0", "Product", "racktop-sim",
		"Vendor", "racktop", "UUID", "00000000-0000-4000-8000-000000000001",
		"ProtocolFeaturesSupported", "ExpandQuery", "ExpandAll", 1, "Levels", 1,
		"MaxLevels", SIM_EXPAND_MAX_LEVELS, "Links", 1, "NoLinks", 1, "SelectQuery", 1, "FilterQuery", 0,
		"Systems", redfish_link(RF "/Systems"), "Chassis", redfish_link(RF "/Chassis"),
		"Managers", redfish_link(RF "/Managers"),
		"SessionService", redfish_link(RF "/SessionService"),
		"TelemetryService", redfish_link(RF "/TelemetryService"),
		"Links", "Sessions", redfish_link(RF "/SessionService/Sessions"));
}

/* Splits PATH below /redfish/v1; -1 when it is not there or too deep. */
static int redfish_split(const char *path, struct rf_path *p)
{
	p->n = 0;
	if (strncmp(path, RF, strlen(RF)) != 0)
		return -1;
	path += strlen(RF);
	while (*path == '/') {
		const char *end;
		size_t len;

		path++;
		end = strchr(path, '/');
		len = end ? (size_t)(end - path) : strlen(path);
		if (p->n == RF_SEGS || len == 0 || len >= RF_SEG_LEN)
			return -1;
		memcpy(p->seg[p->n], path, len);
		p->seg[p->n][len] = '\0';
		p->n++;
		path += len;
	}
	return *path ? -1 : 0;
}

json_t *redfish_get(struct sim_host *h, const char *path, const struct sim_config *cfg)
{
	struct rf_path p;

	if (redfish_split(path, &p) != 0)
		return NULL;
	model_advance(h, cfg);
	if (p.n == 0)
		return redfish_service_root();
	if (rf_at(&p, 0, "Systems"))
		return rf_system_get(h, &p);
	if (rf_at(&p, 0, "Chassis"))
		return rf_chassis_get(h, &p);
	if (rf_at(&p, 0, "Managers") || rf_at(&p, 0, "SessionService"))
		return rf_bmc_get(h, &p, cfg);
	if (rf_at(&p, 0, "TelemetryService"))
		return rf_telemetry_get(h, &p);
	return NULL;
}

int redfish_patch(struct sim_host *h, const char *path, json_t *body, json_t **err)
{
	if (strcmp(path, SYS) != 0) {
		*err = redfish_error("Base.1.8.OperationNotAllowed", "PATCH is supported on " SYS " only.");
		return 405;
	}
	return rf_system_patch(h, body, err);
}

int redfish_post(struct sim_host *h, const char *path, json_t *body,
                 const struct sim_config *cfg, json_t **err)
{
	if (strcmp(path, RF "/Managers/BMC_0/Actions/Manager.Reset") == 0)
		return rf_bmc_reset(h, body, err);
	if (strcmp(path, SYS "/LogServices/EventLog/Actions/LogService.ClearLog") == 0)
		return rf_log_clear(h, err);
	if (strcmp(path, SYS "/Actions/ComputerSystem.Reset") != 0) {
		*err = redfish_error("Base.1.8.ActionNotSupported", "No such action.");
		return 404;
	}
	return rf_system_reset(h, body, cfg, err);
}

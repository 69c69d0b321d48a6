/* The generated Redfish model of one simulated server, as jansson
 * objects. Resource paths and property names follow the captured NVIDIA
 * DGX H100 mockup (Systems/DGX, Systems/HGX_Baseboard_0/Processors/
 * GPU_SXM_n with ProcessorMetrics, EnvironmentMetrics and
 * MemorySummary/MemoryMetrics, Chassis/HGX_GPU_SXM_n/PCIeDevices) so one
 * client decoder serves the sim and the real thing. */
#include "sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RF "/redfish/v1"
#define SYS RF "/Systems/DGX"
#define HGX RF "/Systems/HGX_Baseboard_0"

static const char *const redfish_sensor_ids[] = {
	"TEMP_INLET", "TEMP_EXHAUST", "FAN_SYS1", "FAN_SYS2", "FAN_SYS3",
	"FAN_SYS4", "FAN_SYS5", "FAN_SYS6", "PWR_PSU0_IN", "PWR_PSU1_IN", NULL
};

static json_t *redfish_link(const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return json_pack("{s:s}", "@odata.id", path);
}

static json_t *redfish_collection(const char *id, const char *type, const char *name,
                                  json_t *members)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "@odata.id", id,
	                 "@odata.type", type, "Name", name,
	                 "Members@odata.count", (json_int_t)json_array_size(members),
	                 "Members", members);
}

static json_t *redfish_status(const char *state, int health)
{
	return json_pack("{s:s, s:s, s:s}", "State", state,
	                 "Health", model_health_name(health),
	                 "HealthRollup", model_health_name(health));
}

static double redfish_round(double v, double scale)
{
	return round(v * scale) / scale;
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
		"MaxLevels", 2, "Links", 1, "NoLinks", 1, "SelectQuery", 0, "FilterQuery", 0,
		"Systems", redfish_link(RF "/Systems"), "Chassis", redfish_link(RF "/Chassis"),
		"Managers", redfish_link(RF "/Managers"),
		"SessionService", redfish_link(RF "/SessionService"),
		"TelemetryService", redfish_link(RF "/TelemetryService"),
		"Links", "Sessions", redfish_link(RF "/SessionService/Sessions"));
}

static json_t *redfish_system(struct sim_host *h)
{
	json_t *targets = json_array();

	for (int i = 0; sim_boot_targets[i]; i++)
		json_array_append_new(targets, json_string(sim_boot_targets[i]));
	json_t *resets = json_array();
	for (int i = 0; sim_reset_types[i]; i++)
		json_array_append_new(resets, json_string(sim_reset_types[i]));
	char serial[32];
	snprintf(serial, sizeof(serial), "SIM%07u", h->index + 1);
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o,"
		" s:{s:i, s:s, s:o}, s:{s:s, s:s, s:s, s:o},"
		" s:{s:{s:s, s:o}}, s:o, s:o, s:o, s:{s:[o], s:[o]}}",
		"@odata.id", SYS, "@odata.type", "#ComputerSystem.v1_16_0.ComputerSystem",
		"Id", "DGX", "Name", "System", "HostName", h->name,
		"SystemType", "Physical", "Manufacturer", "racktop-sim",
		"Model", "HGX H100 8-GPU (simulated)", "SerialNumber", serial,
		"BiosVersion", "1.1.3-sim", "PowerState", model_power_name(h),
		"UUID", json_sprintf("4c4c4544-0000-4000-8000-%012x", h->index + 1),
		"Status", redfish_status("Enabled", model_host_health(h)),
		"ProcessorSummary", "Count", 2, "Model", "Intel(R) Xeon(R) Platinum 8480C",
		"Status", redfish_status("Enabled", 0),
		"Boot", "BootSourceOverrideEnabled", sim_boot_enabled[h->boot_enabled],
		"BootSourceOverrideTarget", sim_boot_targets[h->boot_target],
		"BootSourceOverrideMode", "UEFI",
		"BootSourceOverrideTarget@Redfish.AllowableValues", targets,
		"Actions", "#ComputerSystem.Reset", "target", SYS "/Actions/ComputerSystem.Reset",
		"ResetType@Redfish.AllowableValues", resets,
		"Processors", redfish_link(SYS "/Processors"),
		"LogServices", redfish_link(SYS "/LogServices"),
		"MemorySummary", json_pack("{s:i}", "TotalSystemMemoryGiB", 2048),
		"Links", "Chassis", redfish_link(RF "/Chassis/DGX"),
		"ManagedBy", redfish_link(RF "/Managers/BMC_0"));
}

static json_t *redfish_baseboard(struct sim_host *h)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
	                 "@odata.id", HGX, "@odata.type", "#ComputerSystem.v1_16_0.ComputerSystem",
	                 "Id", "HGX_Baseboard_0", "Name", "HGX_Baseboard_0",
	                 "SystemType", "Physical", "PowerState", model_power_name(h),
	                 "Status", redfish_status("Enabled", model_host_health(h)),
	                 "Processors", redfish_link(HGX "/Processors"),
	                 "Memory", redfish_link(HGX "/Memory"),
	                 "LogServices", redfish_link(SYS "/LogServices"));
}

static const char *redfish_gpu_state(const struct sim_host *h, unsigned g)
{
	if (!model_gpu_present(h, g))
		return "Absent";
	return model_is_on(h) ? "Enabled" : "StandbyOffline";
}

/* Readings are there only while the GPU is powered and on the bus. */
static bool redfish_gpu_readable(const struct sim_host *h, unsigned g)
{
	return model_is_on(h) && model_gpu_present(h, g);
}

static json_t *redfish_gpu(struct sim_host *h, unsigned g)
{
	unsigned n = g + 1;
	char id[32], serial[32], uuid[48];
	uint64_t x = (uint64_t)(h->index + 1) * 0x9e3779b97f4a7c15ull + n * 0xbf58476d1ce4e5b9ull;

	snprintf(id, sizeof(id), "GPU_SXM_%u", n);
	snprintf(serial, sizeof(serial), "1652923%06u", (h->index * SIM_GPUS + g) % 1000000);
	snprintf(uuid, sizeof(uuid), "%08x-%04x-%04x-%04x-%012llx", (unsigned)(x >> 32),
	         (unsigned)(x >> 16) & 0xffff, 0x4000 | ((unsigned)x & 0x0fff),
	         0x8000 | (h->index & 0x3fff), (unsigned long long)(x & 0xffffffffffffull));
	json_t *o = json_pack(
		"{s:s+, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o,"
		" s:{s:{s:[s], s:s+}}}",
		"@odata.id", HGX "/Processors/", id, "@odata.type", "#Processor.v1_13_0.Processor",
		"Id", id, "Name", "Processor", "ProcessorType", "GPU",
		"Model", "H100 80GB HBM3", "Manufacturer", "NVIDIA", "SerialNumber", serial,
		"UUID", uuid, "FirmwareVersion", "96.00.89.00.01", "PartNumber", "2330-885-A1",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"Actions", "#Processor.Reset", "ResetType@Redfish.AllowableValues", "ForceRestart",
		"target", HGX "/Processors/", id, "/Actions/Processor.Reset");
	char base[96];
	snprintf(base, sizeof(base), HGX "/Processors/%s", id);
	json_object_set_new(o, "Metrics", redfish_link("%s/ProcessorMetrics", base));
	json_object_set_new(o, "EnvironmentMetrics", redfish_link("%s/EnvironmentMetrics", base));
	json_object_set_new(o, "MemorySummary",
		json_pack("{s:b, s:I, s:o}", "ECCModeEnabled", 1, "TotalMemorySizeMiB",
		          (json_int_t)81559, "Metrics", redfish_link("%s/MemorySummary/MemoryMetrics", base)));
	json_object_set_new(o, "Links", json_pack("{s:o, s:[o], s:o}",
		"Chassis", redfish_link(RF "/Chassis/HGX_%s", id),
		"Memory", redfish_link(HGX "/Memory/%s_DRAM_0", id),
		"PCIeDevice", redfish_link(RF "/Chassis/HGX_%s/PCIeDevices/%s", id, id)));
	json_object_set_new(o, "Location", json_pack("{s:{s:s, s:s+}}", "PartLocation",
		"LocationType", "Embedded", "ServiceLabel", "SXM", id + 8));
	if (redfish_gpu_readable(h, g))
		json_object_set_new(o, "OperatingSpeedMHz",
		                    json_integer(345 + (json_int_t)(h->gpu[g].load * 16.35)));
	return o;
}

static json_t *redfish_gpu_metrics(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "@odata.id", "",
	                      "@odata.type", "#ProcessorMetrics.v1_4_0.ProcessorMetrics",
	                      "Id", "ProcessorMetrics", "Name", "");
	char buf[96];

	snprintf(buf, sizeof(buf), HGX "/Processors/GPU_SXM_%u/ProcessorMetrics", g + 1);
	json_object_set_new(o, "@odata.id", json_string(buf));
	snprintf(buf, sizeof(buf), "GPU_SXM_%u Processor Metrics", g + 1);
	json_object_set_new(o, "Name", json_string(buf));
	if (!redfish_gpu_readable(h, g))
		return o;
	json_object_set_new(o, "BandwidthPercent", json_real(redfish_round(gpu->load, 100)));
	json_object_set_new(o, "OperatingSpeedMHz", json_integer(345 + (json_int_t)(gpu->load * 16.35)));
	json_object_set_new(o, "CacheMetricsTotal", json_pack("{s:{s:I, s:I}}", "LifeTime",
		"CorrectableECCErrorCount", (json_int_t)gpu->ecc_corr,
		"UncorrectableECCErrorCount", (json_int_t)gpu->ecc_uncorr));
	return o;
}

static json_t *redfish_gpu_environment(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	char buf[96];

	snprintf(buf, sizeof(buf), HGX "/Processors/GPU_SXM_%u/EnvironmentMetrics", g + 1);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "@odata.id", buf,
	                      "@odata.type", "#EnvironmentMetrics.v1_3_0.EnvironmentMetrics",
	                      "Id", "Environment Metrics",
	                      "Name", json_sprintf("GPU_SXM_%u Environment Metrics", g + 1));
	if (!redfish_gpu_readable(h, g))
		return o;
	double w = redfish_round(gpu->power, 1000);
	json_object_set_new(o, "TemperatureCelsius", json_pack("{s:o, s:f}",
		"DataSourceUri", json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u/Sensors/HGX_GPU_SXM_%u_TEMP_1", g + 1, g + 1),
		"Reading", redfish_round(gpu->temp, 10)));
	json_object_set_new(o, "PowerWatts", json_pack("{s:o, s:f}",
		"DataSourceUri", json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u/Sensors/HGX_GPU_SXM_%u_Power_0", g + 1, g + 1),
		"Reading", w));
	json_object_set_new(o, "PowerLimitWatts", json_pack("{s:i, s:i, s:s, s:i, s:f, s:i}",
		"AllowableMax", 700, "AllowableMin", 200, "ControlMode", "Automatic",
		"DefaultSetPoint", 700, "Reading", w, "SetPoint", 700));
	return o;
}

static json_t *redfish_gpu_memory_metrics(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	char buf[112];

	snprintf(buf, sizeof(buf), HGX "/Processors/GPU_SXM_%u/MemorySummary/MemoryMetrics", g + 1);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "@odata.id", buf,
	                      "@odata.type", "#MemoryMetrics.v1_4_1.MemoryMetrics",
	                      "Id", "MemoryMetrics",
	                      "Name", json_sprintf("GPU_SXM_%u Memory Summary Metrics", g + 1));
	if (!redfish_gpu_readable(h, g))
		return o;
	json_object_set_new(o, "CapacityUtilizationPercent", json_integer((json_int_t)gpu->mem_util));
	json_object_set_new(o, "BandwidthPercent", json_integer((json_int_t)(gpu->load * 0.8)));
	json_object_set_new(o, "OperatingSpeedMHz", json_integer(2619));
	json_object_set_new(o, "LifeTime", json_pack("{s:I, s:I}",
		"CorrectableECCErrorCount", (json_int_t)gpu->ecc_corr,
		"UncorrectableECCErrorCount", (json_int_t)gpu->ecc_uncorr));
	return o;
}

static json_t *redfish_gpu_dram(struct sim_host *h, unsigned g)
{
	char buf[96];

	snprintf(buf, sizeof(buf), HGX "/Memory/GPU_SXM_%u_DRAM_0", g + 1);
	return json_pack("{s:s, s:s, s:o, s:s, s:I, s:s, s:s, s:s, s:o, s:{s:o, s:[o]}}",
		"@odata.id", buf, "@odata.type", "#Memory.v1_11_0.Memory",
		"Id", json_sprintf("GPU_SXM_%u_DRAM_0", g + 1), "Name", "DIMM Slot",
		"CapacityMiB", (json_int_t)81559, "MemoryDeviceType", "HBM", "MemoryType", "DRAM",
		"ErrorCorrection", "SingleBitECC",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"Links", "Chassis", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u", g + 1),
		"Processors", redfish_link(HGX "/Processors/GPU_SXM_%u", g + 1));
}

static json_t *redfish_cpu(struct sim_host *h, unsigned c)
{
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:i, s:i, s:o}",
		"@odata.id", json_sprintf(SYS "/Processors/CPU_%u", c),
		"@odata.type", "#Processor.v1_13_0.Processor",
		"Id", json_sprintf("CPU_%u", c), "Name", "Processor", "ProcessorType", "CPU",
		"Manufacturer", "Intel(R) Corporation", "Model", "Intel(R) Xeon(R) Platinum 8480C",
		"TotalCores", 56, "TotalThreads", 112,
		"Status", redfish_status(model_is_on(h) ? "Enabled" : "StandbyOffline", 0));
}

static json_t *redfish_sensor(struct sim_host *h, const char *chassis, const char *id)
{
	int i = model_find(redfish_sensor_ids, id);
	const char *type, *units, *context;
	double reading;
	json_t *thresholds;

	if (i < 0)
		return NULL;
	if (i <= 1) {
		type = "Temperature", units = "Cel", context = i == 0 ? "Intake" : "Exhaust";
		reading = i == 0 ? model_inlet(h) : model_exhaust(h);
		thresholds = json_pack("{s:{s:i}, s:{s:i}}", "UpperCaution", "Reading", i == 0 ? 40 : 70,
		                       "UpperCritical", "Reading", i == 0 ? 45 : 80);
	} else if (i <= 7) {
		type = "Rotational", units = "RPM", context = "Fan";
		reading = model_fan_rpm(h, (unsigned)i - 2);
		thresholds = json_pack("{s:{s:i}}", "LowerCritical", "Reading", 1000);
	} else {
		type = "Power", units = "W", context = "PowerSupply";
		reading = model_psu_watts(h, (unsigned)i - 8);
		thresholds = json_pack("{s:{s:i}}", "UpperCritical", "Reading", 3300);
	}
	return json_pack("{s:o, s:s, s:s, s:s, s:f, s:s, s:s, s:s, s:o, s:o}",
		"@odata.id", json_sprintf(RF "/Chassis/%s/Sensors/%s", chassis, id),
		"@odata.type", "#Sensor.v1_2_0.Sensor", "Id", id, "Name", id,
		"Reading", reading, "ReadingUnits", units, "ReadingType", type,
		"PhysicalContext", context,
		"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK"),
		"Thresholds", thresholds);
}

static json_t *redfish_gpu_sensor(struct sim_host *h, unsigned g, const char *id)
{
	char temp[40], power[40];
	bool is_temp;

	snprintf(temp, sizeof(temp), "HGX_GPU_SXM_%u_TEMP_1", g + 1);
	snprintf(power, sizeof(power), "HGX_GPU_SXM_%u_Power_0", g + 1);
	if (strcmp(id, temp) == 0)
		is_temp = true;
	else if (strcmp(id, power) == 0)
		is_temp = false;
	else
		return NULL;
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		"@odata.id", json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u/Sensors/%s", g + 1, id),
		"@odata.type", "#Sensor.v1_2_0.Sensor", "Id", id, "Name", id,
		"ReadingUnits", is_temp ? "Cel" : "W", "ReadingType", is_temp ? "Temperature" : "Power",
		"PhysicalContext", "GPU",
		"Status", json_pack("{s:s, s:s}", "State", redfish_gpu_state(h, g),
		                    "Health", model_health_name(model_gpu_health(h, g))));
	if (redfish_gpu_readable(h, g))
		json_object_set_new(o, "Reading", json_real(is_temp ? redfish_round(h->gpu[g].temp, 10)
		                                                    : redfish_round(h->gpu[g].power, 1000)));
	return o;
}

static json_t *redfish_thermal(struct sim_host *h)
{
	json_t *temps = json_array(), *fans = json_array();
	unsigned m = 0;

	json_array_append_new(temps, json_pack("{s:o, s:s, s:s, s:f, s:s, s:i, s:i, s:o}",
		"@odata.id", json_sprintf(RF "/Chassis/DGX/Thermal#/Temperatures/%u", m),
		"MemberId", "0", "Name", "TEMP_INLET", "ReadingCelsius", model_inlet(h),
		"PhysicalContext", "Intake", "UpperThresholdNonCritical", 40, "UpperThresholdCritical", 45,
		"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK")));
	m++;
	json_array_append_new(temps, json_pack("{s:o, s:s, s:s, s:f, s:s, s:i, s:i, s:o}",
		"@odata.id", json_sprintf(RF "/Chassis/DGX/Thermal#/Temperatures/%u", m),
		"MemberId", "1", "Name", "TEMP_EXHAUST", "ReadingCelsius", model_exhaust(h),
		"PhysicalContext", "Exhaust", "UpperThresholdNonCritical", 70, "UpperThresholdCritical", 80,
		"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK")));
	m++;
	for (unsigned g = 0; g < SIM_GPUS; g++, m++) {
		json_t *t = json_pack("{s:o, s:o, s:o, s:s, s:i, s:i, s:o}",
			"@odata.id", json_sprintf(RF "/Chassis/DGX/Thermal#/Temperatures/%u", m),
			"MemberId", json_sprintf("%u", m), "Name", json_sprintf("TEMP_GPU_SXM_%u", g + 1),
			"PhysicalContext", "GPU", "UpperThresholdNonCritical", 85, "UpperThresholdCritical", 92,
			"Status", json_pack("{s:s, s:s}", "State", redfish_gpu_state(h, g),
			                    "Health", model_health_name(model_gpu_health(h, g))));
		if (redfish_gpu_readable(h, g))
			json_object_set_new(t, "ReadingCelsius", json_real(redfish_round(h->gpu[g].temp, 10)));
		json_array_append_new(temps, t);
	}
	for (unsigned f = 0; f < 6; f++)
		json_array_append_new(fans, json_pack("{s:o, s:o, s:o, s:f, s:s, s:s, s:i, s:o}",
			"@odata.id", json_sprintf(RF "/Chassis/DGX/Thermal#/Fans/%u", f),
			"MemberId", json_sprintf("%u", f), "Name", json_sprintf("FAN_SYS%u", f + 1),
			"Reading", model_fan_rpm(h, f), "ReadingUnits", "RPM", "PhysicalContext", "Fan",
			"LowerThresholdCritical", 1000,
			"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK")));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "@odata.id", RF "/Chassis/DGX/Thermal",
	                 "@odata.type", "#Thermal.v1_7_0.Thermal", "Id", "Thermal", "Name", "Thermal",
	                 "Temperatures", temps, "Fans", fans);
}

static json_t *redfish_power(struct sim_host *h)
{
	json_t *psus = json_array();
	double total = 0;

	for (unsigned p = 0; p < 2; p++) {
		double w = model_psu_watts(h, p);
		total += w;
		json_array_append_new(psus, json_pack("{s:o, s:o, s:o, s:f, s:i, s:o}",
			"@odata.id", json_sprintf(RF "/Chassis/DGX/Power#/PowerSupplies/%u", p),
			"MemberId", json_sprintf("%u", p), "Name", json_sprintf("PSU%u", p),
			"PowerInputWatts", w, "PowerCapacityWatts", 3300,
			"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK")));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:f}], s:o}",
		"@odata.id", RF "/Chassis/DGX/Power", "@odata.type", "#Power.v1_7_1.Power",
		"Id", "Power", "Name", "Power",
		"PowerControl", "@odata.id", RF "/Chassis/DGX/Power#/PowerControl/0", "MemberId", "0",
		"Name", "Chassis Power Control", "PowerConsumedWatts", total,
		"PowerSupplies", psus);
}

static json_t *redfish_log_entry(const struct sim_log_entry *e)
{
	const char *severity, *message_id;
	char msg[160], created[40];

	model_log_render(e, &severity, &message_id, msg, sizeof(msg));
	sim_iso8601(created, sizeof(created), (time_t)e->created);
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}",
		"@odata.id", json_sprintf(SYS "/LogServices/EventLog/Entries/%u", e->id),
		"@odata.type", "#LogEntry.v1_9_0.LogEntry", "Id", json_sprintf("%u", e->id),
		"Name", "System Event Log Entry", "Created", created, "EntryType", "Event",
		"Severity", severity, "Message", msg, "MessageId", message_id);
}

static json_t *redfish_log_entries(struct sim_host *h)
{
	json_t *m = json_array();

	for (unsigned i = 0; i < h->log_count; i++)
		json_array_append_new(m, redfish_log_entry(&h->log[(h->log_head + i) % SIM_LOG_MAX]));
	return redfish_collection(SYS "/LogServices/EventLog/Entries",
	                          "#LogEntryCollection.LogEntryCollection", "Event Log Entries", m);
}

static json_t *redfish_metric_report(struct sim_host *h)
{
	json_t *values = json_array();
	char ts[40];

	sim_iso8601(ts, sizeof(ts), time(NULL));
	for (unsigned g = 0; g < SIM_GPUS; g++) {
		if (!redfish_gpu_readable(h, g))
			continue;
		json_array_append_new(values, json_pack("{s:o, s:o, s:o, s:s}",
			"MetricId", json_sprintf("GPU_SXM_%u_Temperature", g + 1),
			"MetricProperty", json_sprintf(HGX "/Processors/GPU_SXM_%u/EnvironmentMetrics#/TemperatureCelsius/Reading", g + 1),
			"MetricValue", json_sprintf("%.6f", redfish_round(h->gpu[g].temp, 10)),
			"Timestamp", ts));
		json_array_append_new(values, json_pack("{s:o, s:o, s:o, s:s}",
			"MetricId", json_sprintf("GPU_SXM_%u_Power", g + 1),
			"MetricProperty", json_sprintf(HGX "/Processors/GPU_SXM_%u/EnvironmentMetrics#/PowerWatts/Reading", g + 1),
			"MetricValue", json_sprintf("%.6f", redfish_round(h->gpu[g].power, 1000)),
			"Timestamp", ts));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
		"@odata.id", RF "/TelemetryService/MetricReports/HGX_PlatformEnvironmentMetrics_0",
		"@odata.type", "#MetricReport.v1_3_0.MetricReport",
		"Id", "HGX_PlatformEnvironmentMetrics_0", "Name", "HGX Platform Environment Metrics",
		"Timestamp", ts,
		"MetricReportDefinition", redfish_link(RF "/TelemetryService/MetricReportDefinitions/HGX_PlatformEnvironmentMetrics_0"),
		"MetricValues", values);
}

json_t *redfish_session(const struct sim_host *h, const struct sim_session *s)
{
	(void)h;
	return json_pack("{s:o, s:s, s:o, s:s, s:s}",
		"@odata.id", json_sprintf(RF "/SessionService/Sessions/%u", s->id),
		"@odata.type", "#Session.v1_3_0.Session", "Id", json_sprintf("%u", s->id),
		"Name", "User Session", "UserName", "admin");
}

json_t *redfish_session_collection(const struct sim_host *h)
{
	json_t *m = json_array();

	for (unsigned i = 0; i < SIM_SESSIONS; i++)
		if (h->sessions[i].id)
			json_array_append_new(m, redfish_link(RF "/SessionService/Sessions/%u", h->sessions[i].id));
	return redfish_collection(RF "/SessionService/Sessions",
	                          "#SessionCollection.SessionCollection", "Session Collection", m);
}

/* Splits PATH below /redfish/v1 into at most MAX segments. */
static int redfish_split(const char *path, char seg[][64], int max)
{
	int n = 0;

	if (strncmp(path, RF, strlen(RF)) != 0)
		return -1;
	path += strlen(RF);
	while (*path == '/') {
		const char *end;
		size_t len;

		path++;
		end = strchr(path, '/');
		len = end ? (size_t)(end - path) : strlen(path);
		if (n == max || len == 0 || len >= 64)
			return -1;
		memcpy(seg[n], path, len);
		seg[n][len] = '\0';
		n++;
		path += len;
	}
	return *path ? -1 : n;
}

/* GPU_SXM_<1..8><suffix>: the 0-based index, or -1. */
static int redfish_gpu_index(const char *s, const char *suffix)
{
	char tail[64] = "";
	unsigned n;
	int used = 0;

	if (sscanf(s, "GPU_SXM_%u%n", &n, &used) != 1 || n < 1 || n > SIM_GPUS)
		return -1;
	snprintf(tail, sizeof(tail), "%s", s + used);
	return strcmp(tail, suffix) == 0 ? (int)n - 1 : -1;
}

#define IS(i, s) (n > (i) && strcmp(seg[i], (s)) == 0)

static json_t *redfish_get_systems(struct sim_host *h, char seg[][64], int n)
{
	if (n == 1)
		return redfish_collection(RF "/Systems", "#ComputerSystemCollection.ComputerSystemCollection",
		                          "Systems Collection",
		                          json_pack("[o, o]", redfish_link(SYS), redfish_link(HGX)));
	if (IS(1, "DGX")) {
		if (n == 2)
			return redfish_system(h);
		if (IS(2, "Processors") && n == 3)
			return redfish_collection(SYS "/Processors", "#ProcessorCollection.ProcessorCollection",
			                          "Processors Collection",
			                          json_pack("[o, o]", redfish_link(SYS "/Processors/CPU_0"),
			                                    redfish_link(SYS "/Processors/CPU_1")));
		if (IS(2, "Processors") && n == 4 && (IS(3, "CPU_0") || IS(3, "CPU_1")))
			return redfish_cpu(h, (unsigned)(seg[3][4] - '0'));
		if (IS(2, "LogServices") && n == 3)
			return redfish_collection(SYS "/LogServices", "#LogServiceCollection.LogServiceCollection",
			                          "Log Service Collection",
			                          json_pack("[o]", redfish_link(SYS "/LogServices/EventLog")));
		if (IS(2, "LogServices") && IS(3, "EventLog")) {
			if (n == 4)
				return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o}",
					"@odata.id", SYS "/LogServices/EventLog", "@odata.type", "#LogService.v1_2_0.LogService",
					"Id", "EventLog", "Name", "Event Log", "MaxNumberOfRecords", SIM_LOG_MAX,
					"OverWritePolicy", "WrapsWhenFull",
					"Entries", redfish_link(SYS "/LogServices/EventLog/Entries"));
			if (n == 5 && IS(4, "Entries"))
				return redfish_log_entries(h);
			if (n == 6 && IS(4, "Entries")) {
				char *end;
				unsigned long id = strtoul(seg[5], &end, 10);
				for (unsigned i = 0; *end == '\0' && i < h->log_count; i++) {
					const struct sim_log_entry *e = &h->log[(h->log_head + i) % SIM_LOG_MAX];
					if (e->id == id)
						return redfish_log_entry(e);
				}
			}
		}
		return NULL;
	}
	if (!IS(1, "HGX_Baseboard_0"))
		return NULL;
	if (n == 2)
		return redfish_baseboard(h);
	if (IS(2, "Processors")) {
		if (n == 3) {
			json_t *m = json_array();
			for (unsigned g = 1; g <= SIM_GPUS; g++)
				json_array_append_new(m, redfish_link(HGX "/Processors/GPU_SXM_%u", g));
			return redfish_collection(HGX "/Processors", "#ProcessorCollection.ProcessorCollection",
			                          "Processors Collection", m);
		}
		int g = redfish_gpu_index(seg[3], "");
		if (g < 0)
			return NULL;
		if (n == 4)
			return redfish_gpu(h, (unsigned)g);
		if (n == 5 && IS(4, "ProcessorMetrics"))
			return redfish_gpu_metrics(h, (unsigned)g);
		if (n == 5 && IS(4, "EnvironmentMetrics"))
			return redfish_gpu_environment(h, (unsigned)g);
		if (n == 6 && IS(4, "MemorySummary") && IS(5, "MemoryMetrics"))
			return redfish_gpu_memory_metrics(h, (unsigned)g);
		return NULL;
	}
	if (IS(2, "Memory")) {
		if (n == 3) {
			json_t *m = json_array();
			for (unsigned g = 1; g <= SIM_GPUS; g++)
				json_array_append_new(m, redfish_link(HGX "/Memory/GPU_SXM_%u_DRAM_0", g));
			return redfish_collection(HGX "/Memory", "#MemoryCollection.MemoryCollection",
			                          "Memory Module Collection", m);
		}
		int g = n == 4 ? redfish_gpu_index(seg[3], "_DRAM_0") : -1;
		return g < 0 ? NULL : redfish_gpu_dram(h, (unsigned)g);
	}
	return NULL;
}

static json_t *redfish_get_chassis(struct sim_host *h, char seg[][64], int n)
{
	if (n == 1) {
		json_t *m = json_pack("[o]", redfish_link(RF "/Chassis/DGX"));
		for (unsigned g = 1; g <= SIM_GPUS; g++)
			json_array_append_new(m, redfish_link(RF "/Chassis/HGX_GPU_SXM_%u", g));
		return redfish_collection(RF "/Chassis", "#ChassisCollection.ChassisCollection",
		                          "Chassis Collection", m);
	}
	if (IS(1, "DGX")) {
		if (n == 2)
			return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:{s:[o], s:[o]}}",
				"@odata.id", RF "/Chassis/DGX", "@odata.type", "#Chassis.v1_21_0.Chassis",
				"Id", "DGX", "Name", "DGX", "ChassisType", "RackMount",
				"Manufacturer", "racktop-sim", "PowerState", model_power_name(h),
				"Status", redfish_status("Enabled", model_host_health(h)),
				"Sensors", redfish_link(RF "/Chassis/DGX/Sensors"),
				"Thermal", redfish_link(RF "/Chassis/DGX/Thermal"),
				"Power", redfish_link(RF "/Chassis/DGX/Power"),
				"Links", "ComputerSystems", redfish_link(SYS),
				"ManagedBy", redfish_link(RF "/Managers/BMC_0"));
		if (n == 3 && IS(2, "Sensors")) {
			json_t *m = json_array();
			for (int i = 0; redfish_sensor_ids[i]; i++)
				json_array_append_new(m, redfish_link(RF "/Chassis/DGX/Sensors/%s", redfish_sensor_ids[i]));
			return redfish_collection(RF "/Chassis/DGX/Sensors", "#SensorCollection.SensorCollection",
			                          "Sensors", m);
		}
		if (n == 4 && IS(2, "Sensors"))
			return redfish_sensor(h, "DGX", seg[3]);
		if (n == 3 && IS(2, "Thermal"))
			return redfish_thermal(h);
		if (n == 3 && IS(2, "Power"))
			return redfish_power(h);
		return NULL;
	}
	if (strncmp(seg[1], "HGX_", 4) != 0)
		return NULL;
	int g = redfish_gpu_index(seg[1] + 4, "");
	if (g < 0)
		return NULL;
	unsigned u = (unsigned)g + 1;
	if (n == 2)
		return json_pack("{s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o}",
			"@odata.id", json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u", u),
			"@odata.type", "#Chassis.v1_21_0.Chassis",
			"Id", json_sprintf("HGX_GPU_SXM_%u", u), "Name", json_sprintf("GPU_SXM_%u", u),
			"ChassisType", "Component", "Manufacturer", "NVIDIA",
			"Status", redfish_status(redfish_gpu_state(h, (unsigned)g), model_gpu_health(h, (unsigned)g)),
			"PCIeDevices", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u/PCIeDevices", u),
			"Sensors", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u/Sensors", u));
	if (IS(2, "PCIeDevices")) {
		char base[80];
		snprintf(base, sizeof(base), RF "/Chassis/HGX_GPU_SXM_%u/PCIeDevices", u);
		if (n == 3)
			return redfish_collection(base, "#PCIeDeviceCollection.PCIeDeviceCollection",
			                          "PCIe Device Collection",
			                          json_pack("[o]", redfish_link("%s/GPU_SXM_%u", base, u)));
		if (n == 4 && redfish_gpu_index(seg[3], "") == g)
			return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:i}}",
				"@odata.id", json_sprintf("%s/GPU_SXM_%u", base, u),
				"@odata.type", "#PCIeDevice.v1_9_0.PCIeDevice",
				"Id", json_sprintf("GPU_SXM_%u", u), "Name", "GPU PCIe Device",
				"DeviceType", "SingleFunction", "Manufacturer", "NVIDIA", "Model", "H100 80GB HBM3",
				"Status", redfish_status(redfish_gpu_state(h, (unsigned)g), model_gpu_health(h, (unsigned)g)),
				"PCIeInterface", "PCIeType", "Gen5", "MaxPCIeType", "Gen5", "LanesInUse", 16);
		return NULL;
	}
	if (IS(2, "Sensors")) {
		char base[64];
		snprintf(base, sizeof(base), RF "/Chassis/HGX_GPU_SXM_%u/Sensors", u);
		if (n == 3)
			return redfish_collection(base, "#SensorCollection.SensorCollection", "Sensors",
				json_pack("[o, o]", redfish_link("%s/HGX_GPU_SXM_%u_TEMP_1", base, u),
				          redfish_link("%s/HGX_GPU_SXM_%u_Power_0", base, u)));
		if (n == 4)
			return redfish_gpu_sensor(h, (unsigned)g, seg[3]);
	}
	return NULL;
}

static json_t *redfish_get_managers(struct sim_host *h, char seg[][64], int n)
{
	char now[40];

	(void)h;
	if (n == 1)
		return redfish_collection(RF "/Managers", "#ManagerCollection.ManagerCollection",
		                          "Manager Collection", json_pack("[o]", redfish_link(RF "/Managers/BMC_0")));
	if (n != 2 || !IS(1, "BMC_0"))
		return NULL;
	sim_iso8601(now, sizeof(now), time(NULL));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:[o], s:[o]}}",
		"@odata.id", RF "/Managers/BMC_0", "@odata.type", "#Manager.v1_14_0.Manager",
		"Id", "BMC_0", "Name", "Manager", "ManagerType", "BMC",
		"Model", "racktop-sim BMC", "FirmwareVersion", "13.03-sim", "DateTime", now,
		"PowerState", "On",
		"Status", redfish_status("Enabled", 0),
		"Links", "ManagerForServers", redfish_link(SYS), "ManagerForChassis", redfish_link(RF "/Chassis/DGX"));
}

static json_t *redfish_get_telemetry(struct sim_host *h, char seg[][64], int n)
{
	if (n == 1)
		return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}",
			"@odata.id", RF "/TelemetryService", "@odata.type", "#TelemetryService.v1_3_0.TelemetryService",
			"Id", "TelemetryService", "Name", "Telemetry Service", "ServiceEnabled", 1,
			"Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health", "OK"),
			"MetricReports", redfish_link(RF "/TelemetryService/MetricReports"));
	if (!IS(1, "MetricReports"))
		return NULL;
	if (n == 2)
		return redfish_collection(RF "/TelemetryService/MetricReports",
			"#MetricReportCollection.MetricReportCollection", "Metric Reports",
			json_pack("[o]", redfish_link(RF "/TelemetryService/MetricReports/HGX_PlatformEnvironmentMetrics_0")));
	if (n == 3 && IS(2, "HGX_PlatformEnvironmentMetrics_0"))
		return redfish_metric_report(h);
	return NULL;
}

json_t *redfish_get(struct sim_host *h, const char *path, const struct sim_config *cfg)
{
	char seg[8][64];
	int n = redfish_split(path, seg, 8);

	if (n < 0)
		return NULL;
	model_advance(h, cfg);
	if (n == 0)
		return redfish_service_root();
	if (IS(0, "Systems"))
		return redfish_get_systems(h, seg, n);
	if (IS(0, "Chassis"))
		return redfish_get_chassis(h, seg, n);
	if (IS(0, "Managers"))
		return redfish_get_managers(h, seg, n);
	if (IS(0, "TelemetryService"))
		return redfish_get_telemetry(h, seg, n);
	if (IS(0, "SessionService") && n == 1)
		return json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:o}",
			"@odata.id", RF "/SessionService", "@odata.type", "#SessionService.v1_1_8.SessionService",
			"Id", "SessionService", "Name", "Session Service", "ServiceEnabled", 1,
			"SessionTimeout", SIM_SESSION_IDLE_S,
			"Sessions", redfish_link(RF "/SessionService/Sessions"));
	return NULL;
}

/* A member that is only a link is replaced by the resource it names;
 * what cannot be resolved stays a link. */
void redfish_expand(json_t *res, int levels, redfish_resolver resolve, void *ctx)
{
	json_t *members = json_object_get(res, "Members");
	size_t i;
	json_t *m;

	if (levels <= 0 || !json_is_array(members))
		return;
	json_array_foreach(members, i, m) {
		const char *id = json_string_value(json_object_get(m, "@odata.id"));
		if (!id || json_object_size(m) != 1)
			continue;
		json_t *full = resolve(ctx, id);
		if (!full)
			continue;
		redfish_expand(full, levels - 1, resolve, ctx);
		json_array_set_new(members, i, full);
	}
}

int redfish_patch(struct sim_host *h, const char *path, json_t *body, json_t **err)
{
	json_t *boot = json_object_get(body, "Boot");
	const char *key;
	json_t *v;

	if (strcmp(path, SYS) != 0) {
		*err = redfish_error("Base.1.8.OperationNotAllowed", "PATCH is supported on " SYS " only.");
		return 405;
	}
	if (!json_is_object(boot) || json_object_size(body) != 1) {
		*err = redfish_error("Base.1.8.PropertyNotWritable",
		                     "Only the Boot property of this system can be changed.");
		return 400;
	}
	int target = h->boot_target, enabled = h->boot_enabled;
	json_object_foreach(boot, key, v) {
		if (strcmp(key, "BootSourceOverrideTarget") == 0)
			target = model_find(sim_boot_targets, json_string_value(v));
		else if (strcmp(key, "BootSourceOverrideEnabled") == 0)
			enabled = model_find(sim_boot_enabled, json_string_value(v));
		else if (strcmp(key, "BootSourceOverrideMode") == 0 && json_is_string(v))
			continue;
		else {
			*err = redfish_error("Base.1.8.PropertyUnknown", "Unknown or read-only Boot property.");
			return 400;
		}
	}
	if (target < 0) {
		*err = redfish_error("Base.1.8.PropertyValueNotInList",
			"BootSourceOverrideTarget must be one of None, Pxe, Hdd, BiosSetup, Cd, Usb.");
		return 400;
	}
	if (enabled < 0) {
		*err = redfish_error("Base.1.8.PropertyValueNotInList",
			"BootSourceOverrideEnabled must be one of Disabled, Once, Continuous.");
		return 400;
	}
	/* setting a target without saying how long means once, as BMCs do */
	if (target != h->boot_target && enabled == 0 && !json_object_get(boot, "BootSourceOverrideEnabled"))
		enabled = target ? 1 : 0;
	h->boot_target = (uint8_t)target;
	h->boot_enabled = (uint8_t)enabled;
	model_log(h, SIM_LOG_BOOT_OVERRIDE, 0, (uint8_t)target, (uint8_t)enabled);
	return 204;
}

int redfish_post(struct sim_host *h, const char *path, json_t *body,
                 const struct sim_config *cfg, json_t **err)
{
	if (strcmp(path, SYS "/Actions/ComputerSystem.Reset") != 0) {
		*err = redfish_error("Base.1.8.ActionNotSupported", "No such action.");
		return 404;
	}
	const char *type = json_string_value(json_object_get(body, "ResetType"));
	if (!type || model_reset(h, type, cfg) != 0) {
		*err = redfish_error("Base.1.8.ActionParameterNotSupported",
			"ResetType must be one of On, ForceOff, GracefulShutdown, ForceRestart, PowerCycle.");
		return 400;
	}
	return 204;
}

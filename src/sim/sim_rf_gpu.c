/* Redfish view of the eight GPUs of a simulated host, below the HGX
 * baseboard system: Processors/GPU_SXM_n with ProcessorMetrics,
 * EnvironmentMetrics and MemorySummary/MemoryMetrics, and the GPUs' HBM
 * as Memory/GPU_SXM_n_DRAM_0. Readings appear only while a GPU is
 * readable (powered and on the bus), as on real HGX BMCs. */
#include "sim_rf.h"

#include <stdio.h>

#define RF_GPU_MODEL "H100 80GB HBM3"
#define RF_GPU_MEM_MIB 81559

/* The SM clock follows the load: 345 MHz idle, 1980 MHz flat out. */
static json_t *rf_gpu_clock(const struct sim_gpu *gpu)
{
	return json_integer(345 + (json_int_t)(gpu->load * 16.35));
}

/* Lifetime ECC counts, the same in processor and memory metrics */
static json_t *rf_gpu_ecc(const struct sim_gpu *gpu)
{
	return json_pack("{s:I, s:I}", "CorrectableECCErrorCount", (json_int_t)gpu->ecc_corr,
	                 "UncorrectableECCErrorCount", (json_int_t)gpu->ecc_uncorr);
}

/* The serial console's nvidia-smi -L shows the same. */
void sim_gpu_uuid(const struct sim_host *h, unsigned g, char *buf, size_t n)
{
	uint64_t x = (uint64_t)(h->index + 1) * 0x9e3779b97f4a7c15ull + (g + 1) * 0xbf58476d1ce4e5b9ull;

	snprintf(buf, n, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(x >> 32),
	         (unsigned)(x >> 16) & 0xffff, 0x4000 | ((unsigned)x & 0x0fff),
	         0x8000 | (h->index & 0x3fff), (unsigned long long)(x & 0xffffffffffffull));
}

static json_t *rf_gpu_processor(struct sim_host *h, unsigned g)
{
	unsigned n = g + 1;
	char id[32], serial[32], uuid[48], base[96];

	snprintf(id, sizeof(id), "GPU_SXM_%u", n);
	snprintf(base, sizeof(base), HGX "/Processors/%s", id);
	snprintf(serial, sizeof(serial), "1652923%06u", (h->index * SIM_GPUS + g) % 1000000);
	sim_gpu_uuid(h, g, uuid, sizeof(uuid));
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o,"
		" s:{s:{s:[s], s:s+}}}",
		"@odata.id", base, "@odata.type", "#Processor.v1_13_0.Processor",
		"Id", id, "Name", "Processor", "ProcessorType", "GPU",
		"Model", RF_GPU_MODEL, "Manufacturer", "NVIDIA", "SerialNumber", serial,
		"UUID", uuid, "FirmwareVersion", "96.00.89.00.01", "PartNumber", "2330-885-A1",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"Actions", "#Processor.Reset", "ResetType@Redfish.AllowableValues", "ForceRestart",
		"target", base, "/Actions/Processor.Reset");
	json_object_set_new(o, "Metrics", redfish_link("%s/ProcessorMetrics", base));
	json_object_set_new(o, "EnvironmentMetrics", redfish_link("%s/EnvironmentMetrics", base));
	json_object_set_new(o, "MemorySummary",
		json_pack("{s:b, s:I, s:o}", "ECCModeEnabled", 1, "TotalMemorySizeMiB",
		          (json_int_t)RF_GPU_MEM_MIB, "Metrics", redfish_link("%s/MemorySummary/MemoryMetrics", base)));
	json_object_set_new(o, "Links", json_pack("{s:o, s:[o], s:o}",
		"Chassis", redfish_link(RF "/Chassis/HGX_%s", id),
		"Memory", redfish_link(HGX "/Memory/%s_DRAM_0", id),
		"PCIeDevice", redfish_link(RF "/Chassis/HGX_%s/PCIeDevices/%s", id, id)));
	json_object_set_new(o, "Location", json_pack("{s:{s:s, s:s+}}", "PartLocation",
		"LocationType", "Embedded", "ServiceLabel", "SXM", id + 8));
	if (redfish_gpu_readable(h, g))
		json_object_set_new(o, "OperatingSpeedMHz", rf_gpu_clock(&h->gpu[g]));
	return o;
}

/* The common head of a GPU's metrics resources, at
 * Processors/GPU_SXM_n/<SUFFIX>, named "GPU_SXM_n <WHAT>". */
static json_t *rf_gpu_metrics_head(unsigned g, const char *suffix, const char *type,
                                   const char *id, const char *what)
{
	return json_pack("{s:o, s:s, s:s, s:o}",
		"@odata.id", json_sprintf(HGX "/Processors/GPU_SXM_%u/%s", g + 1, suffix),
		"@odata.type", type, "Id", id, "Name", json_sprintf("GPU_SXM_%u %s", g + 1, what));
}

static json_t *rf_gpu_metrics(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	json_t *o = rf_gpu_metrics_head(g, "ProcessorMetrics", "#ProcessorMetrics.v1_4_0.ProcessorMetrics",
	                                "ProcessorMetrics", "Processor Metrics");

	if (!redfish_gpu_readable(h, g))
		return o;
	json_object_set_new(o, "BandwidthPercent", json_real(redfish_round(gpu->load, 100)));
	json_object_set_new(o, "OperatingSpeedMHz", rf_gpu_clock(gpu));
	json_object_set_new(o, "CacheMetricsTotal", json_pack("{s:o}", "LifeTime", rf_gpu_ecc(gpu)));
	return o;
}

static json_t *rf_gpu_environment(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	json_t *o = rf_gpu_metrics_head(g, "EnvironmentMetrics", "#EnvironmentMetrics.v1_3_0.EnvironmentMetrics",
	                                "Environment Metrics", "Environment Metrics");

	if (!redfish_gpu_readable(h, g))
		return o;
	double w = redfish_round(gpu->power, 1000);
	json_object_set_new(o, "TemperatureCelsius", rf_sensor_gpu_excerpt(h, g, true));
	json_object_set_new(o, "PowerWatts", rf_sensor_gpu_excerpt(h, g, false));
	json_object_set_new(o, "PowerLimitWatts", json_pack("{s:i, s:i, s:s, s:i, s:f, s:i}",
		"AllowableMax", 700, "AllowableMin", 200, "ControlMode", "Automatic",
		"DefaultSetPoint", 700, "Reading", w, "SetPoint", 700));
	return o;
}

static json_t *rf_gpu_memory_metrics(struct sim_host *h, unsigned g)
{
	const struct sim_gpu *gpu = &h->gpu[g];
	json_t *o = rf_gpu_metrics_head(g, "MemorySummary/MemoryMetrics", "#MemoryMetrics.v1_4_1.MemoryMetrics",
	                                "MemoryMetrics", "Memory Summary Metrics");

	if (!redfish_gpu_readable(h, g))
		return o;
	json_object_set_new(o, "CapacityUtilizationPercent", json_integer((json_int_t)gpu->mem_util));
	json_object_set_new(o, "BandwidthPercent", json_integer((json_int_t)(gpu->load * 0.8)));
	json_object_set_new(o, "OperatingSpeedMHz", json_integer(2619));
	json_object_set_new(o, "LifeTime", rf_gpu_ecc(gpu));
	return o;
}

static json_t *rf_gpu_dram(struct sim_host *h, unsigned g)
{
	return json_pack("{s:o, s:s, s:o, s:s, s:I, s:s, s:s, s:s, s:o, s:{s:o, s:[o]}}",
		"@odata.id", json_sprintf(HGX "/Memory/GPU_SXM_%u_DRAM_0", g + 1),
		"@odata.type", "#Memory.v1_11_0.Memory",
		"Id", json_sprintf("GPU_SXM_%u_DRAM_0", g + 1), "Name", "DIMM Slot",
		"CapacityMiB", (json_int_t)RF_GPU_MEM_MIB, "MemoryDeviceType", "HBM", "MemoryType", "DRAM",
		"ErrorCorrection", "SingleBitECC",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"Links", "Chassis", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u", g + 1),
		"Processors", redfish_link(HGX "/Processors/GPU_SXM_%u", g + 1));
}

static json_t *rf_gpu_processors_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 3) {
		json_t *m = json_array();
		redfish_numbered(m, HGX "/Processors/GPU_SXM_", "", SIM_GPUS);
		return redfish_collection(HGX "/Processors", "#ProcessorCollection.ProcessorCollection",
		                          "Processors Collection", m);
	}
	int g = redfish_gpu_index(p->seg[3], "");
	if (g < 0)
		return NULL;
	if (p->n == 4)
		return rf_gpu_processor(h, (unsigned)g);
	if (p->n == 5 && rf_at(p, 4, "ProcessorMetrics"))
		return rf_gpu_metrics(h, (unsigned)g);
	if (p->n == 5 && rf_at(p, 4, "EnvironmentMetrics"))
		return rf_gpu_environment(h, (unsigned)g);
	if (p->n == 6 && rf_at(p, 4, "MemorySummary") && rf_at(p, 5, "MemoryMetrics"))
		return rf_gpu_memory_metrics(h, (unsigned)g);
	return NULL;
}

/* Systems/HGX_Baseboard_0/{Processors,Memory}/... */
json_t *rf_gpu_get(struct sim_host *h, const struct rf_path *p)
{
	if (rf_at(p, 2, "Processors"))
		return rf_gpu_processors_get(h, p);
	if (!rf_at(p, 2, "Memory"))
		return NULL;
	if (p->n == 3) {
		json_t *m = json_array();
		redfish_numbered(m, HGX "/Memory/GPU_SXM_", "_DRAM_0", SIM_GPUS);
		return redfish_collection(HGX "/Memory", "#MemoryCollection.MemoryCollection",
		                          "Memory Module Collection", m);
	}
	int g = p->n == 4 ? redfish_gpu_index(p->seg[3], "_DRAM_0") : -1;
	return g < 0 ? NULL : rf_gpu_dram(h, (unsigned)g);
}

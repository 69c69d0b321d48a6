/* Redfish Systems of a simulated host: the collection, the host system
 * (Systems/DGX with its CPUs, boot override and Reset action) and the
 * HGX baseboard system; the GPUs below the baseboard are in
 * sim_rf_gpu.c, the event log in sim_rf_log.c. */
#include "sim_rf.h"

#include <stdio.h>
#include <string.h>

static json_t *rf_system_names(const char *const *list)
{
	json_t *a = json_array();

	for (int i = 0; list[i]; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static json_t *rf_system_dgx(struct sim_host *h)
{
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
		"BootSourceOverrideTarget@Redfish.AllowableValues", rf_system_names(sim_boot_targets),
		"Actions", "#ComputerSystem.Reset", "target", SYS "/Actions/ComputerSystem.Reset",
		"ResetType@Redfish.AllowableValues", rf_system_names(sim_reset_types),
		"Processors", redfish_link(SYS "/Processors"),
		"LogServices", redfish_link(SYS "/LogServices"),
		"MemorySummary", json_pack("{s:i}", "TotalSystemMemoryGiB", 2048),
		"Links", "Chassis", redfish_link(DGX_CHASSIS),
		"ManagedBy", redfish_link(RF "/Managers/BMC_0"));
}

static json_t *rf_system_baseboard(struct sim_host *h)
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

static json_t *rf_system_cpu(struct sim_host *h, unsigned c)
{
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:i, s:i, s:o}",
		"@odata.id", json_sprintf(SYS "/Processors/CPU_%u", c),
		"@odata.type", "#Processor.v1_13_0.Processor",
		"Id", json_sprintf("CPU_%u", c), "Name", "Processor", "ProcessorType", "CPU",
		"Manufacturer", "Intel(R) Corporation", "Model", "Intel(R) Xeon(R) Platinum 8480C",
		"TotalCores", 56, "TotalThreads", 112,
		"Status", redfish_status(model_is_on(h) ? "Enabled" : "StandbyOffline", 0));
}

static json_t *rf_system_dgx_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 2)
		return rf_system_dgx(h);
	if (rf_at(p, 2, "Processors") && p->n == 3)
		return redfish_collection(SYS "/Processors", "#ProcessorCollection.ProcessorCollection",
		                          "Processors Collection",
		                          json_pack("[o, o]", redfish_link(SYS "/Processors/CPU_0"),
		                                    redfish_link(SYS "/Processors/CPU_1")));
	if (rf_at(p, 2, "Processors") && p->n == 4 && (rf_at(p, 3, "CPU_0") || rf_at(p, 3, "CPU_1")))
		return rf_system_cpu(h, (unsigned)(p->seg[3][4] - '0'));
	if (rf_at(p, 2, "LogServices"))
		return rf_log_get(h, p);
	return NULL;
}

json_t *rf_system_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 1)
		return redfish_collection(RF "/Systems", "#ComputerSystemCollection.ComputerSystemCollection",
		                          "Systems Collection",
		                          json_pack("[o, o]", redfish_link(SYS), redfish_link(HGX)));
	if (rf_at(p, 1, "DGX"))
		return rf_system_dgx_get(h, p);
	if (!rf_at(p, 1, "HGX_Baseboard_0"))
		return NULL;
	if (p->n == 2)
		return rf_system_baseboard(h);
	return rf_gpu_get(h, p);
}

int rf_system_patch(struct sim_host *h, json_t *body, json_t **err)
{
	json_t *boot = json_object_get(body, "Boot");
	const char *key;
	json_t *v;

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

int rf_system_reset(struct sim_host *h, json_t *body, const struct sim_config *cfg, json_t **err)
{
	const char *type = json_string_value(json_object_get(body, "ResetType"));

	if (!type || model_reset(h, type, cfg) != 0) {
		*err = redfish_error("Base.1.8.ActionParameterNotSupported",
			"ResetType must be one of On, ForceOff, GracefulShutdown, ForceRestart, PowerCycle.");
		return 400;
	}
	return 204;
}

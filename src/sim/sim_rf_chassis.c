/* Redfish Chassis of a simulated host: the collection, the host chassis
 * Chassis/DGX (whose environment is in sim_rf_sensor.c and
 * sim_rf_subsystem.c) and one component chassis per GPU,
 * Chassis/HGX_GPU_SXM_n, with its PCIe device and sensors. */
#include "sim_rf.h"

#include <stdio.h>
#include <string.h>

static json_t *rf_chassis_dgx(struct sim_host *h)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o,"
	                 " s:{s:[o], s:[o]}}",
		"@odata.id", DGX_CHASSIS, "@odata.type", "#Chassis.v1_21_0.Chassis",
		"Id", "DGX", "Name", "DGX", "ChassisType", "RackMount",
		"Manufacturer", "racktop-sim", "PowerState", model_power_name(h),
		"Status", redfish_status("Enabled", model_host_health(h)),
		"Sensors", redfish_link(DGX_CHASSIS "/Sensors"),
		"ThermalSubsystem", redfish_link(DGX_CHASSIS "/ThermalSubsystem"),
		"PowerSubsystem", redfish_link(DGX_CHASSIS "/PowerSubsystem"),
		"Thermal", redfish_link(DGX_CHASSIS "/Thermal"),
		"Power", redfish_link(DGX_CHASSIS "/Power"),
		"Links", "ComputerSystems", redfish_link(SYS),
		"ManagedBy", redfish_link(RF "/Managers/BMC_0"));
}

static json_t *rf_chassis_dgx_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 2)
		return rf_chassis_dgx(h);
	if (rf_at(p, 2, "Sensors"))
		return rf_sensor_get(h, p);
	if (rf_at(p, 2, "ThermalSubsystem") || rf_at(p, 2, "PowerSubsystem"))
		return rf_subsystem_get(h, p);
	if (p->n == 3 && rf_at(p, 2, "Thermal"))
		return rf_sensor_thermal(h);
	if (p->n == 3 && rf_at(p, 2, "Power"))
		return rf_sensor_power(h);
	return NULL;
}

static json_t *rf_chassis_gpu(struct sim_host *h, unsigned g)
{
	unsigned u = g + 1;

	return json_pack("{s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o}",
		"@odata.id", json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u", u),
		"@odata.type", "#Chassis.v1_21_0.Chassis",
		"Id", json_sprintf("HGX_GPU_SXM_%u", u), "Name", json_sprintf("GPU_SXM_%u", u),
		"ChassisType", "Component", "Manufacturer", "NVIDIA",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"PCIeDevices", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u/PCIeDevices", u),
		"Sensors", redfish_link(RF "/Chassis/HGX_GPU_SXM_%u/Sensors", u));
}

static json_t *rf_chassis_pcie(struct sim_host *h, unsigned g, const struct rf_path *p)
{
	unsigned u = g + 1;
	char base[80];

	snprintf(base, sizeof(base), RF "/Chassis/HGX_GPU_SXM_%u/PCIeDevices", u);
	if (p->n == 3)
		return redfish_collection(base, "#PCIeDeviceCollection.PCIeDeviceCollection",
		                          "PCIe Device Collection",
		                          json_pack("[o]", redfish_link("%s/GPU_SXM_%u", base, u)));
	if (p->n != 4 || redfish_gpu_index(p->seg[3], "") != (int)g)
		return NULL;
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:i}}",
		"@odata.id", json_sprintf("%s/GPU_SXM_%u", base, u),
		"@odata.type", "#PCIeDevice.v1_9_0.PCIeDevice",
		"Id", json_sprintf("GPU_SXM_%u", u), "Name", "GPU PCIe Device",
		"DeviceType", "SingleFunction", "Manufacturer", "NVIDIA", "Model", "H100 80GB HBM3",
		"Status", redfish_status(redfish_gpu_state(h, g), model_gpu_health(h, g)),
		"PCIeInterface", "PCIeType", "Gen5", "MaxPCIeType", "Gen5", "LanesInUse", 16);
}

/* Chassis/HGX_GPU_SXM_n/... */
static json_t *rf_chassis_gpu_get(struct sim_host *h, const struct rf_path *p)
{
	if (strncmp(p->seg[1], "HGX_", 4) != 0)
		return NULL;
	int g = redfish_gpu_index(p->seg[1] + 4, "");
	if (g < 0)
		return NULL;
	if (p->n == 2)
		return rf_chassis_gpu(h, (unsigned)g);
	if (rf_at(p, 2, "PCIeDevices"))
		return rf_chassis_pcie(h, (unsigned)g, p);
	if (rf_at(p, 2, "Sensors"))
		return rf_sensor_gpu_get(h, (unsigned)g, p);
	return NULL;
}

json_t *rf_chassis_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 1) {
		json_t *m = json_pack("[o]", redfish_link(DGX_CHASSIS));
		redfish_numbered(m, RF "/Chassis/HGX_GPU_SXM_", "", SIM_GPUS);
		return redfish_collection(RF "/Chassis", "#ChassisCollection.ChassisCollection",
		                          "Chassis Collection", m);
	}
	if (rf_at(p, 1, "DGX"))
		return rf_chassis_dgx_get(h, p);
	return rf_chassis_gpu_get(h, p);
}

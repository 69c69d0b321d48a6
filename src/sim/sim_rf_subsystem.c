/* Chassis/DGX/ThermalSubsystem (ThermalMetrics, Fans) and
 * Chassis/DGX/PowerSubsystem (PowerSupplies and their Metrics): the
 * current DMTF shapes of a chassis's cooling and power, laid out as in
 * the DMTF public tower mockup. Every reading comes from the sensor
 * table (sim_rf_sensor.c) and names its Sensors/<id> in DataSourceUri,
 * so a client sees the same numbers whichever shape it reads. */
#include "sim_rf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RF_THERMAL DGX_CHASSIS "/ThermalSubsystem"
#define RF_POWER DGX_CHASSIS "/PowerSubsystem"

/* The part behind a fan or PSU sensor: Fans/<sensor id>, or
 * PowerSupplies/PSU<n> as the legacy Power resource names PSUs. */
static void rf_subsystem_id(const struct rf_sensor *s, char *buf, size_t n)
{
	if (s->kind == RF_SENSOR_PSU)
		snprintf(buf, n, "PSU%u", s->unit);
	else
		snprintf(buf, n, "%s", s->id);
}

static void rf_subsystem_part(const struct rf_sensor *s, char *buf, size_t n)
{
	char id[32];

	rf_subsystem_id(s, id, sizeof(id));
	snprintf(buf, n, "%s/%s", s->kind == RF_SENSOR_PSU ? RF_POWER "/PowerSupplies" : RF_THERMAL "/Fans", id);
}

/* Links to every part of KIND, for collections and redundancy groups. */
static json_t *rf_subsystem_parts(uint8_t kind)
{
	json_t *a = json_array();
	char path[160];

	for (const struct rf_sensor *s = rf_sensors; s->id; s++) {
		if (s->kind != kind)
			continue;
		rf_subsystem_part(s, path, sizeof(path));
		json_array_append_new(a, redfish_link("%s", path));
	}
	return a;
}

/* The sensor of KIND whose part is called ID, or NULL. */
static const struct rf_sensor *rf_subsystem_find(uint8_t kind, const char *id)
{
	char name[32];

	for (const struct rf_sensor *s = rf_sensors; s->id; s++) {
		if (s->kind != kind)
			continue;
		rf_subsystem_id(s, name, sizeof(name));
		if (strcmp(name, id) == 0)
			return s;
	}
	return NULL;
}

static json_t *rf_subsystem_excerpt(const struct sim_host *h, const struct rf_sensor *s)
{
	return json_pack("{s:f, s:o}", "Reading", rf_sensor_reading(h, s),
	                 "DataSourceUri", json_sprintf(DGX_CHASSIS "/Sensors/%s", s->id));
}

static json_t *rf_subsystem_redundancy(uint8_t kind, int max, int min)
{
	return json_pack("[{s:s, s:i, s:i, s:o, s:o}]", "RedundancyType", "NPlusM",
	                 "MaxSupportedInGroup", max, "MinNeededInGroup", min,
	                 "RedundancyGroup", rf_subsystem_parts(kind),
	                 "Status", redfish_state("Enabled", 0));
}

static json_t *rf_subsystem_thermal(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
		"@odata.id", RF_THERMAL, "@odata.type", "#ThermalSubsystem.v1_5_0.ThermalSubsystem",
		"Id", "ThermalSubsystem", "Name", "Thermal Subsystem for Chassis",
		"Status", redfish_status("Enabled", 0),
		"FanRedundancy", rf_subsystem_redundancy(RF_SENSOR_FAN, 6, 5),
		"Fans", redfish_link(RF_THERMAL "/Fans"),
		"ThermalMetrics", redfish_link(RF_THERMAL "/ThermalMetrics"));
}

/* The chassis's temperatures: inlet, exhaust and every GPU. */
static json_t *rf_subsystem_thermal_metrics(struct sim_host *h)
{
	json_t *summary = json_object(), *readings = json_array();

	for (const struct rf_sensor *s = rf_sensors; s->id; s++) {
		if (s->kind != RF_SENSOR_TEMP)
			continue;
		json_object_set_new(summary, s->context, rf_subsystem_excerpt(h, s));
		json_t *r = rf_subsystem_excerpt(h, s);
		json_object_set_new(r, "DeviceName", json_string(s->id));
		json_object_set_new(r, "PhysicalContext", json_string(s->context));
		json_array_append_new(readings, r);
	}
	for (unsigned g = 0; g < SIM_GPUS; g++) {
		/* as the sensor: no reading while the GPU is off or off the bus */
		json_t *r = rf_sensor_gpu_excerpt(h, g, true);
		json_object_set_new(r, "DeviceName", json_sprintf("GPU_SXM_%u", g + 1));
		json_object_set_new(r, "PhysicalContext", json_string("GPU"));
		json_array_append_new(readings, r);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}",
		"@odata.id", RF_THERMAL "/ThermalMetrics", "@odata.type", "#ThermalMetrics.v1_3_2.ThermalMetrics",
		"Id", "ThermalMetrics", "Name", "Chassis Thermal Metrics",
		"TemperatureSummaryCelsius", summary, "TemperatureReadingsCelsius", readings);
}

static json_t *rf_subsystem_fan(struct sim_host *h, const struct rf_sensor *s)
{
	double rpm = rf_sensor_reading(h, s);
	json_t *speed = rf_subsystem_excerpt(h, s);

	/* SpeedPercent is the reading; the sensor's RPM goes alongside */
	json_object_set_new(speed, "Reading", json_integer(lround(rpm * 100.0 / SIM_FAN_MAX_RPM)));
	json_object_set_new(speed, "SpeedRPM", json_real(rpm));
	return json_pack("{s:o, s:s, s:s, s:o, s:o, s:s, s:b, s:o, s:{s:{s:o, s:s, s:i}}}",
		"@odata.id", json_sprintf(RF_THERMAL "/Fans/%s", s->id), "@odata.type", "#Fan.v1_5_0.Fan",
		"Id", s->id, "Name", json_sprintf("Fan %u", s->unit + 1u),
		"Status", redfish_state("Enabled", 0), "PhysicalContext", "Chassis",
		"HotPluggable", 1, "SpeedPercent", speed,
		"Location", "PartLocation", "ServiceLabel", json_string(s->id),
		"LocationType", "Bay", "LocationOrdinalValue", s->unit);
}

static json_t *rf_subsystem_thermal_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 3)
		return rf_subsystem_thermal();
	if (p->n == 4 && rf_at(p, 3, "ThermalMetrics"))
		return rf_subsystem_thermal_metrics(h);
	if (!rf_at(p, 3, "Fans"))
		return NULL;
	if (p->n == 4)
		return redfish_collection(RF_THERMAL "/Fans", "#FanCollection.FanCollection",
		                          "Fan Collection", rf_subsystem_parts(RF_SENSOR_FAN));
	const struct rf_sensor *s = p->n == 5 ? rf_subsystem_find(RF_SENSOR_FAN, p->seg[4]) : NULL;
	return s ? rf_subsystem_fan(h, s) : NULL;
}

static json_t *rf_subsystem_power(void)
{
	/* 1+1 redundant: the capacity is what one PSU can carry */
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o}",
		"@odata.id", RF_POWER, "@odata.type", "#PowerSubsystem.v1_1_3.PowerSubsystem",
		"Id", "PowerSubsystem", "Name", "Power Subsystem for Chassis",
		"CapacityWatts", rf_sensor_find("PWR_PSU0_IN")->critical,
		"Status", redfish_status("Enabled", 0),
		"PowerSupplyRedundancy", rf_subsystem_redundancy(RF_SENSOR_PSU, 2, 1),
		"PowerSupplies", redfish_link(RF_POWER "/PowerSupplies"));
}

static json_t *rf_subsystem_psu(const struct rf_sensor *s)
{
	char path[160], id[32];

	rf_subsystem_part(s, path, sizeof(path));
	rf_subsystem_id(s, id, sizeof(id));
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:i, s:b,"
	                 " s:{s:{s:s, s:s, s:i}}, s:o}",
		"@odata.id", path, "@odata.type", "#PowerSupply.v1_5_0.PowerSupply",
		"Id", id, "Name", json_sprintf("Power Supply %u", s->unit),
		"Status", redfish_state("Enabled", 0),
		"PowerSupplyType", "AC", "Manufacturer", "racktop-sim", "Model", "CRPS 3300W (simulated)",
		"PowerCapacityWatts", s->critical, "HotPluggable", 1,
		"Location", "PartLocation", "ServiceLabel", id,
		"LocationType", "Bay", "LocationOrdinalValue", s->unit,
		"Metrics", redfish_link("%s/Metrics", path));
}

static json_t *rf_subsystem_psu_metrics(struct sim_host *h, const struct rf_sensor *s)
{
	char path[160];

	rf_subsystem_part(s, path, sizeof(path));
	return json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}",
		"@odata.id", json_sprintf("%s/Metrics", path),
		"@odata.type", "#PowerSupplyMetrics.v1_0_1.PowerSupplyMetrics",
		"Id", "Metrics", "Name", json_sprintf("Metrics for Power Supply %u", s->unit),
		"Status", redfish_state("Enabled", 0),
		"InputPowerWatts", rf_subsystem_excerpt(h, s));
}

static json_t *rf_subsystem_power_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 3)
		return rf_subsystem_power();
	if (!rf_at(p, 3, "PowerSupplies"))
		return NULL;
	if (p->n == 4)
		return redfish_collection(RF_POWER "/PowerSupplies", "#PowerSupplyCollection.PowerSupplyCollection",
		                          "Power Supply Collection", rf_subsystem_parts(RF_SENSOR_PSU));
	const struct rf_sensor *s = rf_subsystem_find(RF_SENSOR_PSU, p->seg[4]);
	if (!s)
		return NULL;
	if (p->n == 5)
		return rf_subsystem_psu(s);
	if (p->n == 6 && rf_at(p, 5, "Metrics"))
		return rf_subsystem_psu_metrics(h, s);
	return NULL;
}

/* Chassis/DGX/{ThermalSubsystem,PowerSubsystem}/... */
json_t *rf_subsystem_get(struct sim_host *h, const struct rf_path *p)
{
	if (rf_at(p, 2, "ThermalSubsystem"))
		return rf_subsystem_thermal_get(h, p);
	return rf_subsystem_power_get(h, p);
}

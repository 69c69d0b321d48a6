/* The environment of a simulated host as Redfish Sensors
 * (Chassis/DGX/Sensors and each GPU chassis's two sensors) and in the
 * deprecated Thermal and Power shapes that older clients still read.
 * One table describes the host's sensors, so every shape (these and the
 * subsystems in sim_rf_subsystem.c) shows the same readings and
 * thresholds from the same model. */
#include "sim_rf.h"

#include <stdio.h>
#include <string.h>

/* GPU temperature thresholds, as model_gpu_health() judges them */
#define RF_GPU_TEMP_CAUTION 85
#define RF_GPU_TEMP_CRITICAL 92

const struct rf_sensor rf_sensors[] = {
	{ "TEMP_INLET", RF_SENSOR_TEMP, 0, "Intake", 40, 45 },
	{ "TEMP_EXHAUST", RF_SENSOR_TEMP, 1, "Exhaust", 70, 80 },
	{ "FAN_SYS1", RF_SENSOR_FAN, 0, "Fan", 0, 1000 },
	{ "FAN_SYS2", RF_SENSOR_FAN, 1, "Fan", 0, 1000 },
	{ "FAN_SYS3", RF_SENSOR_FAN, 2, "Fan", 0, 1000 },
	{ "FAN_SYS4", RF_SENSOR_FAN, 3, "Fan", 0, 1000 },
	{ "FAN_SYS5", RF_SENSOR_FAN, 4, "Fan", 0, 1000 },
	{ "FAN_SYS6", RF_SENSOR_FAN, 5, "Fan", 0, 1000 },
	{ "PWR_PSU0_IN", RF_SENSOR_PSU, 0, "PowerSupply", 0, 3300 },
	{ "PWR_PSU1_IN", RF_SENSOR_PSU, 1, "PowerSupply", 0, 3300 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

const struct rf_sensor *rf_sensor_find(const char *id)
{
	for (const struct rf_sensor *s = rf_sensors; s->id; s++)
		if (strcmp(s->id, id) == 0)
			return s;
	return NULL;
}

double rf_sensor_reading(const struct sim_host *h, const struct rf_sensor *s)
{
	switch (s->kind) {
	case RF_SENSOR_TEMP: return s->unit == 0 ? model_inlet(h) : model_exhaust(h);
	case RF_SENSOR_FAN: return model_fan_rpm(h, s->unit);
	default: return model_psu_watts(h, s->unit);
	}
}

static json_t *rf_sensor_thresholds(const struct rf_sensor *s)
{
	switch (s->kind) {
	case RF_SENSOR_TEMP:
		return json_pack("{s:{s:i}, s:{s:i}}", "UpperCaution", "Reading", s->caution,
		                 "UpperCritical", "Reading", s->critical);
	case RF_SENSOR_FAN:
		return json_pack("{s:{s:i}}", "LowerCritical", "Reading", s->critical);
	default:
		return json_pack("{s:{s:i}}", "UpperCritical", "Reading", s->critical);
	}
}

static json_t *rf_sensor_host(struct sim_host *h, const struct rf_sensor *s)
{
	static const char *const types[] = { "Temperature", "Rotational", "Power" };
	static const char *const units[] = { "Cel", "RPM", "W" };

	return json_pack("{s:o, s:s, s:s, s:s, s:f, s:s, s:s, s:s, s:o, s:o}",
		"@odata.id", json_sprintf(DGX_CHASSIS "/Sensors/%s", s->id),
		"@odata.type", "#Sensor.v1_2_0.Sensor", "Id", s->id, "Name", s->id,
		"Reading", rf_sensor_reading(h, s), "ReadingUnits", units[s->kind],
		"ReadingType", types[s->kind], "PhysicalContext", s->context,
		"Status", redfish_state("Enabled", 0), "Thresholds", rf_sensor_thresholds(s));
}

/* Chassis/DGX/Sensors and Chassis/DGX/Sensors/<id> */
json_t *rf_sensor_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 3) {
		json_t *m = json_array();
		for (const struct rf_sensor *s = rf_sensors; s->id; s++)
			json_array_append_new(m, redfish_link(DGX_CHASSIS "/Sensors/%s", s->id));
		return redfish_collection(DGX_CHASSIS "/Sensors", "#SensorCollection.SensorCollection",
		                          "Sensors", m);
	}
	const struct rf_sensor *s = p->n == 4 ? rf_sensor_find(p->seg[3]) : NULL;
	return s ? rf_sensor_host(h, s) : NULL;
}

/* GPU G's two sensors: HGX_GPU_SXM_n_TEMP_1 and HGX_GPU_SXM_n_Power_0. */
static void rf_sensor_gpu_id(unsigned g, bool temp, char *buf, size_t n)
{
	snprintf(buf, n, "HGX_GPU_SXM_%u_%s", g + 1, temp ? "TEMP_1" : "Power_0");
}

static json_t *rf_sensor_gpu_uri(unsigned g, bool temp)
{
	char id[40];

	rf_sensor_gpu_id(g, temp, id, sizeof(id));
	return json_sprintf(RF "/Chassis/HGX_GPU_SXM_%u/Sensors/%s", g + 1, id);
}

/* Sets OBJ's Reading from GPU G's sensor; none while it is not readable. */
static void rf_sensor_gpu_reading(json_t *obj, const struct sim_host *h, unsigned g, bool temp)
{
	if (redfish_gpu_readable(h, g))
		json_object_set_new(obj, "Reading", json_real(temp ? redfish_round(h->gpu[g].temp, 10)
		                                                   : redfish_round(h->gpu[g].power, 1000)));
}

json_t *rf_sensor_gpu_excerpt(const struct sim_host *h, unsigned g, bool temp)
{
	json_t *o = json_pack("{s:o}", "DataSourceUri", rf_sensor_gpu_uri(g, temp));

	rf_sensor_gpu_reading(o, h, g, temp);
	return o;
}

static json_t *rf_sensor_gpu(struct sim_host *h, unsigned g, bool temp)
{
	char id[40];

	rf_sensor_gpu_id(g, temp, id, sizeof(id));
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		"@odata.id", rf_sensor_gpu_uri(g, temp),
		"@odata.type", "#Sensor.v1_2_0.Sensor", "Id", id, "Name", id,
		"ReadingUnits", temp ? "Cel" : "W", "ReadingType", temp ? "Temperature" : "Power",
		"PhysicalContext", "GPU",
		"Status", redfish_state(redfish_gpu_state(h, g), model_gpu_health(h, g)));
	rf_sensor_gpu_reading(o, h, g, temp);
	return o;
}

/* Chassis/HGX_GPU_SXM_n/Sensors and .../Sensors/<id> */
json_t *rf_sensor_gpu_get(struct sim_host *h, unsigned g, const struct rf_path *p)
{
	char temp[40], power[40], base[64];

	rf_sensor_gpu_id(g, true, temp, sizeof(temp));
	rf_sensor_gpu_id(g, false, power, sizeof(power));
	snprintf(base, sizeof(base), RF "/Chassis/HGX_GPU_SXM_%u/Sensors", g + 1);
	if (p->n == 3)
		return redfish_collection(base, "#SensorCollection.SensorCollection", "Sensors",
		                          json_pack("[o, o]", redfish_link("%s/%s", base, temp),
		                                    redfish_link("%s/%s", base, power)));
	if (p->n != 4)
		return NULL;
	if (strcmp(p->seg[3], temp) == 0)
		return rf_sensor_gpu(h, g, true);
	if (strcmp(p->seg[3], power) == 0)
		return rf_sensor_gpu(h, g, false);
	return NULL;
}

/* One member of an array in the Thermal or Power resource: its fragment
 * link, MemberId and Name, then the properties in REST. */
static json_t *rf_sensor_member(const char *array, unsigned m, json_t *name, json_t *rest)
{
	json_t *o = json_pack("{s:o, s:o, s:o}",
		"@odata.id", json_sprintf(DGX_CHASSIS "/%s/%u", array, m),
		"MemberId", json_sprintf("%u", m), "Name", name);

	json_object_update_new(o, rest);
	return o;
}

/* Thermal and Power are deprecated for ThermalSubsystem and
 * PowerSubsystem, but many clients and BMCs still use them. */
json_t *rf_sensor_thermal(struct sim_host *h)
{
	json_t *temps = json_array(), *fans = json_array();
	unsigned t = 0, f = 0;

	for (const struct rf_sensor *s = rf_sensors; s->id; s++) {
		if (s->kind == RF_SENSOR_TEMP)
			json_array_append_new(temps, rf_sensor_member("Thermal#/Temperatures", t++,
				json_string(s->id), json_pack("{s:f, s:s, s:i, s:i, s:o}",
				"ReadingCelsius", rf_sensor_reading(h, s), "PhysicalContext", s->context,
				"UpperThresholdNonCritical", s->caution, "UpperThresholdCritical", s->critical,
				"Status", redfish_state("Enabled", 0))));
		else if (s->kind == RF_SENSOR_FAN)
			json_array_append_new(fans, rf_sensor_member("Thermal#/Fans", f++,
				json_string(s->id), json_pack("{s:f, s:s, s:s, s:i, s:o}",
				"Reading", rf_sensor_reading(h, s), "ReadingUnits", "RPM",
				"PhysicalContext", s->context, "LowerThresholdCritical", s->critical,
				"Status", redfish_state("Enabled", 0))));
	}
	for (unsigned g = 0; g < SIM_GPUS; g++) {
		json_t *rest = json_pack("{s:s, s:i, s:i, s:o}", "PhysicalContext", "GPU",
			"UpperThresholdNonCritical", RF_GPU_TEMP_CAUTION,
			"UpperThresholdCritical", RF_GPU_TEMP_CRITICAL,
			"Status", redfish_state(redfish_gpu_state(h, g), model_gpu_health(h, g)));
		if (redfish_gpu_readable(h, g))
			json_object_set_new(rest, "ReadingCelsius", json_real(redfish_round(h->gpu[g].temp, 10)));
		json_array_append_new(temps, rf_sensor_member("Thermal#/Temperatures", t++,
			json_sprintf("TEMP_GPU_SXM_%u", g + 1), rest));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "@odata.id", DGX_CHASSIS "/Thermal",
	                 "@odata.type", "#Thermal.v1_7_0.Thermal", "Id", "Thermal", "Name", "Thermal",
	                 "Temperatures", temps, "Fans", fans);
}

json_t *rf_sensor_power(struct sim_host *h)
{
	json_t *psus = json_array();
	double total = 0;

	for (const struct rf_sensor *s = rf_sensors; s->id; s++) {
		if (s->kind != RF_SENSOR_PSU)
			continue;
		double w = rf_sensor_reading(h, s);
		total += w;
		json_array_append_new(psus, rf_sensor_member("Power#/PowerSupplies", s->unit,
			json_sprintf("PSU%u", s->unit), json_pack("{s:f, s:i, s:o}",
			"PowerInputWatts", w, "PowerCapacityWatts", s->critical,
			"Status", redfish_state("Enabled", 0))));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:f}], s:o}",
		"@odata.id", DGX_CHASSIS "/Power", "@odata.type", "#Power.v1_7_1.Power",
		"Id", "Power", "Name", "Power",
		"PowerControl", "@odata.id", DGX_CHASSIS "/Power#/PowerControl/0", "MemberId", "0",
		"Name", "Chassis Power Control", "PowerConsumedWatts", total,
		"PowerSupplies", psus);
}

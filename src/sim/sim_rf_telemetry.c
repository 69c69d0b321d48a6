/* The simulated host's TelemetryService: one metric report,
 * HGX_PlatformEnvironmentMetrics_0, with every readable GPU's
 * temperature and power, as HGX BMCs publish it for fast polling. */
#include "sim_rf.h"

#include <stdio.h>

#define RF_REPORTS RF "/TelemetryService/MetricReports"
#define RF_REPORT "HGX_PlatformEnvironmentMetrics_0"

/* MetricValue is a string in Redfish, whatever the metric. */
static json_t *rf_telemetry_value(unsigned g, const char *metric, const char *property,
                                  double value, const char *ts)
{
	return json_pack("{s:o, s:o, s:o, s:s}",
		"MetricId", json_sprintf("GPU_SXM_%u_%s", g + 1, metric),
		"MetricProperty", json_sprintf(HGX "/Processors/GPU_SXM_%u/EnvironmentMetrics#/%s/Reading",
		                               g + 1, property),
		"MetricValue", json_sprintf("%.6f", value), "Timestamp", ts);
}

static json_t *rf_telemetry_report(struct sim_host *h)
{
	json_t *values = json_array();
	char ts[40];

	sim_iso8601(ts, sizeof(ts), time(NULL));
	for (unsigned g = 0; g < SIM_GPUS; g++) {
		if (!redfish_gpu_readable(h, g))
			continue;
		json_array_append_new(values, rf_telemetry_value(g, "Temperature", "TemperatureCelsius",
		                                                 redfish_round(h->gpu[g].temp, 10), ts));
		json_array_append_new(values, rf_telemetry_value(g, "Power", "PowerWatts",
		                                                 redfish_round(h->gpu[g].power, 1000), ts));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
		"@odata.id", RF_REPORTS "/" RF_REPORT, "@odata.type", "#MetricReport.v1_3_0.MetricReport",
		"Id", RF_REPORT, "Name", "HGX Platform Environment Metrics", "Timestamp", ts,
		"MetricReportDefinition", redfish_link(RF "/TelemetryService/MetricReportDefinitions/" RF_REPORT),
		"MetricValues", values);
}

/* TelemetryService/... */
json_t *rf_telemetry_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 1)
		return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}",
			"@odata.id", RF "/TelemetryService", "@odata.type", "#TelemetryService.v1_3_0.TelemetryService",
			"Id", "TelemetryService", "Name", "Telemetry Service", "ServiceEnabled", 1,
			"Status", redfish_state("Enabled", 0), "MetricReports", redfish_link(RF_REPORTS));
	if (!rf_at(p, 1, "MetricReports"))
		return NULL;
	if (p->n == 2)
		return redfish_collection(RF_REPORTS, "#MetricReportCollection.MetricReportCollection",
			"Metric Reports", json_pack("[o]", redfish_link(RF_REPORTS "/" RF_REPORT)));
	if (p->n == 3 && rf_at(p, 2, RF_REPORT))
		return rf_telemetry_report(h);
	return NULL;
}

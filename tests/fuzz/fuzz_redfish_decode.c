/* Every Redfish decoder on one answer: the input is the answer's body,
 * parsed as the poll parses it (rf_parse), and each decoder reads it,
 * then each member of its Members (an expanded collection hands its
 * members to the same decoders). What they store must be clean text,
 * readings NAN or finite, counts within bounds; errors name the URL in
 * clean text. Leaks are LeakSanitizer's. */
#include "fuzz_check.h"
#include "fuzz_fleet.h"
#include "redfish_poll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FR_URL "https://bmc.example:443/redfish/v1/Chassis/1/Thermal"
#define FR_BASE "/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_"

static void fr_check_err(const char *err)
{
	fuzz_check_text("decoder error", err);
	FUZZ_ASSERT(!err[0] || strncmp(err, FR_URL, strlen(FR_URL)) == 0,
		    "a decoder error that does not name the URL");
}

static void fr_check_num(int num)
{
	FUZZ_ASSERT(num >= -1 && num <= 100000, "GPU number out of range");
}

/* The decoders of one resource (the answer, or one member of it). */
static void fr_decode(json_t *o, bool main)
{
	char err[FLEET_ERR] = "";
	struct rf_doc d = { FR_URL, err, sizeof(err) };
	struct fleet_host_data data = { 0 };
	struct rf_gpu rg;
	struct rf_sensors s = { 0 };
	double cc = NAN, cu = NAN, v;
	int num;
	bool temp;

	rf_decode_system(&d, o, &data, main);
	memset(&rg, 0, sizeof(rg));
	fleet_gpu_init(&rg.st, 0);
	rf_decode_gpu_static(&d, o, &rg);
	fr_check_num(rg.num);
	rf_decode_gpu_status(&d, o, &rg.st);
	rf_decode_env(&d, o, &rg.st, &rg);
	rf_decode_proc_metrics(&d, o, &rg.st, &cc, &cu);
	fuzz_fleet_reading("cache ECC corrected", cc);
	fuzz_fleet_reading("cache ECC uncorrected", cu);
	rf_decode_mem_metrics(&d, o, &rg.st);
	fuzz_fleet_gpu(&rg.st);
	rf_decode_env(&d, o, &rg.st, NULL);
	fuzz_fleet_gpu(&rg.st);
	free(rg.env);
	free(rg.metrics);
	free(rg.memmetrics);
	free(rg.temp_src);
	free(rg.power_src);

	rf_decode_thermal(&d, o, &s);
	rf_decode_power(&d, o, &s);
	rf_decode_sensor(&d, o, &s);
	rf_sensors_finish(&s, &data);
	FUZZ_ASSERT(s.v == NULL && s.n == 0, "sensors left after rf_sensors_finish");
	fuzz_fleet_data(&data, 0, RF_MAX_SENSORS);

	if (rf_gpu_sensor(o, &num, &temp, &v)) {
		FUZZ_ASSERT(num >= 0, "a GPU sensor without a GPU number");
		fuzz_fleet_reading("GPU sensor reading", v);
	}
	(void)rf_expanded(o);
	fr_check_err(err);
	fleet_host_data_free(&data);
}

/* A MetricReport read against a tree of two GPUs with the URIs
 * racktop-sim and the HGX mockups use (the seeds carry them). */
static void fr_telemetry(json_t *o)
{
	static const char *const env[] = { FR_BASE "1/EnvironmentMetrics",
					   FR_BASE "2/EnvironmentMetrics" };
	static const char *const tsrc[] = {
		"/redfish/v1/Chassis/HGX_GPU_SXM_1/Sensors/HGX_GPU_SXM_1_TEMP_1",
		"/redfish/v1/Chassis/HGX_GPU_SXM_2/Sensors/HGX_GPU_SXM_2_TEMP_1",
	};
	static const char *const psrc[] = {
		"/redfish/v1/Chassis/HGX_GPU_SXM_1/Sensors/HGX_GPU_SXM_1_Power_0",
		"/redfish/v1/Chassis/HGX_GPU_SXM_2/Sensors/HGX_GPU_SXM_2_Power_0",
	};
	struct rf_gpu gpus[2];
	struct fleet_gpu g[2];
	struct rf_tree t;
	struct rf_poll *p = calloc(1, sizeof(*p));
	char err[FLEET_ERR] = "";
	struct rf_doc d = { FR_URL, err, sizeof(err) };

	FUZZ_ASSERT(p != NULL, "out of memory");
	memset(&t, 0, sizeof(t));
	memset(gpus, 0, sizeof(gpus));
	for (int i = 0; i < 2; i++) {
		gpus[i].env = (char *)env[i];
		gpus[i].temp_src = (char *)tsrc[i];
		gpus[i].power_src = (char *)psrc[i];
		fleet_gpu_init(&g[i], i);
	}
	t.gpus = gpus;
	t.ngpus = 2;
	t.report = (char *)"/redfish/v1/TelemetryService/MetricReports/HGX_PlatformEnvironmentMetrics_0";
	p->t = &t;
	p->g = g;
	for (int discover = 0; discover < 2; discover++) {
		p->discover = discover;
		rf_telemetry_report(p, o, &d, FR_URL, 0);
		for (int i = 0; i < 2; i++)
			fuzz_fleet_gpu(&g[i]);
		FUZZ_ASSERT(p->report_temps <= 4 * RF_MAX_MEMBERS, "report temperatures");
		(void)rf_telemetry_covers(p);
	}
	fr_check_err(err);
	free(p);
}

/* Two reads of the same collection as two logs, then one as a third:
 * repeats dropped, newest first, at most FLEET_EVENTS_MAX. */
static void fr_events(json_t *o)
{
	char err[FLEET_ERR] = "";
	struct rf_doc d = { FR_URL, err, sizeof(err) };
	struct rf_events ev = { 0 };
	struct fleet_host_data data = { 0 };

	rf_events_decode(&d, o, &ev, 0);
	FUZZ_ASSERT(ev.n <= RF_MAX_MEMBERS, "more entries than members looked at");
	rf_events_decode(&d, o, &ev, 0);
	rf_events_decode(&d, o, &ev, 1);
	rf_events_finish(&ev, &data);
	FUZZ_ASSERT(ev.v == NULL && ev.n == 0, "entries left after rf_events_finish");
	fuzz_fleet_data(&data, 0, 0);
	fr_check_err(err);
	fleet_host_data_free(&data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req *r = http_req_new("GET", FR_URL);
	char err[FLEET_ERR] = "";
	json_t *o, *m, *e;
	size_t i;

	/* Without a body: rf_parse's empty-answer path. */
	r->resp = size ? malloc(size + 1) : NULL;
	if (size) {
		FUZZ_ASSERT(r->resp != NULL, "out of memory");
		memcpy(r->resp, data, size);
		r->resp[size] = '\0';
	}
	r->resp_len = size;
	r->status = 200;
	o = rf_answer(r, err, sizeof(err));
	http_req_free(r);
	if (!o) {
		FUZZ_ASSERT(err[0] != '\0', "no answer and no error");
		fr_check_err(err);
		return 0;
	}
	FUZZ_ASSERT(json_is_object(o), "an answer that is not an object");
	fr_decode(o, true);
	fr_telemetry(o);
	fr_events(o);
	{
		char merr[FLEET_ERR] = "";
		struct rf_doc d = { FR_URL, merr, sizeof(merr) };

		m = rf_members(&d, o);
		fr_check_err(merr);
		json_array_foreach(m, i, e) {
			if (i >= 64)
				break;
			if (json_is_object(e))
				fr_decode(e, i == 0);
			fr_check_num(rf_id_number(json_string_value(json_object_get(e, "Id"))));
		}
	}
	fr_check_num(rf_id_number(json_string_value(json_object_get(o, "Id"))));
	json_decref(o);
	return 0;
}

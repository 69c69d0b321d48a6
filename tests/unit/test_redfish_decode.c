/* The Redfish poll and decoders against the mockups on disk, through a
 * transport that serves files (no network). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "inventory.h"
#include "redfish.h"
#include "redfish_poll.h"
#include "rf_file_transport.h"

struct result {
	int calls;
	bool ok;
	struct fleet_host_data data;
	char error[FLEET_ERR];
};

static void on_poll(void *arg, struct fleet_host_data *d, const char *error)
{
	struct result *r = arg;

	r->calls++;
	fleet_host_data_free(&r->data);
	r->ok = d != NULL;
	r->error[0] = '\0';
	if (d) {
		r->data = *d;
		memset(d, 0, sizeof(*d));
	} else {
		snprintf(r->error, sizeof(r->error), "%s", error);
	}
}

static struct engine_config cfg;
static struct inventory_host ih;
static struct rf_file_transport ft;
static struct rf_host *host;
static struct result res;

static void setup_mockup(const char *name, const char *system)
{
	const char *shared = getenv("RACKTOP_SHARED");
	char dir[512], err[FLEET_ERR] = "";

	cr_assert(shared, "RACKTOP_SHARED is not set");
	snprintf(dir, sizeof(dir), "%s/redfish-mockups/%s", shared, name);
	engine_config_defaults(&cfg);
	memset(&ih, 0, sizeof(ih));
	snprintf(ih.name, sizeof(ih.name), "node1");
	snprintf(ih.address, sizeof(ih.address), "bmc.test");
	ih.plain_http = true;
	ih.username = "admin";
	ih.password = "secret";
	snprintf(ih.cred_ref, sizeof(ih.cred_ref), "Secret default/racktop-sim-bmc");
	if (system)
		snprintf(ih.system_name, sizeof(ih.system_name), "%s", system);
	rf_file_init(&ft, dir);
	host = rf_host_new(&ft.base, &cfg, &ih, err, sizeof(err));
	cr_assert(host, "rf_host_new: %s", err);
	memset(&res, 0, sizeof(res));
}

static void teardown_mockup(void)
{
	fleet_host_data_free(&res.data);
	rf_host_free(host);
	host = NULL;
}

static void poll_once(void)
{
	int before = res.calls;

	rf_poll_start(host, on_poll, &res);
	rf_file_run(&ft);
	cr_assert_eq(res.calls, before + 1, "the poll did not finish");
}

static const struct fleet_gpu *gpu(size_t i)
{
	cr_assert(i < res.data.ngpus);
	return &res.data.gpus[i];
}

Test(redfish_decode, dgx_h100)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.ngpus, 8);
	for (size_t i = 0; i < 8; i++) {
		char id[16];

		snprintf(id, sizeof(id), "GPU_SXM_%zu", i + 1);
		cr_expect_str_eq(gpu(i)->id, id);
		cr_expect_str_eq(gpu(i)->model, "H100 80GB HBM3");
		cr_expect_eq(gpu(i)->index, (int)i);
	}
	cr_expect_str_eq(gpu(0)->serial, "1652923003067");
	cr_expect_str_eq(gpu(0)->firmware, "96.00.89.00.01");
	cr_expect_str_eq(gpu(0)->uuid, "9dad5bfd-a732-23fe-40ad-465d0cbe5f95");
	cr_expect_str_eq(gpu(0)->state, "Enabled");
	cr_expect_eq(gpu(0)->health, FLEET_HEALTH_OK);
	cr_expect_float_eq(gpu(0)->temperature_c, 60, 1e-9);
	cr_expect_float_eq(gpu(0)->power_w, 71.586, 1e-9);
	cr_expect_float_eq(gpu(0)->power_limit_w, 700, 1e-9);
	cr_expect_float_eq(gpu(0)->utilization_pct, 0, 1e-9);
	cr_expect_float_eq(gpu(0)->memory_total_mib, 81559, 1e-9);
	cr_expect_float_eq(gpu(0)->memory_used_mib, 0, 1e-9);
	cr_expect_float_eq(gpu(0)->ecc_corrected, 0, 1e-9);
	cr_expect_float_eq(gpu(0)->ecc_uncorrected, 0, 1e-9);
	cr_expect_float_eq(gpu(7)->power_w, 74.656, 1e-9);
	cr_expect_eq(res.data.power, FLEET_POWER_ON);
	cr_expect_str_eq(res.data.vendor, "NVIDIA");
	cr_expect_str_eq(res.data.bios_version, "1.1.3");
	cr_expect_str_eq(res.data.bmc_firmware, "23.11.20");
	cr_expect_eq(res.data.health, FLEET_HEALTH_OK);
	cr_expect_gt(res.data.nsensors, 10);
	cr_expect_leq(res.data.nsensors, RF_MAX_SENSORS);
	cr_expect_eq(ft.posts, 1, "one login");
	cr_expect(host->tree.report_covers, "the HGX metric report has every GPU temperature");

	/* The second poll reads only dynamic resources, temperatures from
	 * the telemetry report: far fewer requests, same readings. */
	unsigned first = ft.gets;

	poll_once();
	cr_assert(res.ok, "second poll failed: %s", res.error);
	cr_expect_lt(ft.gets - first, first / 2, "second poll: %u GETs, first %u",
		     ft.gets - first, first);
	cr_expect_eq(res.data.ngpus, 8);
	cr_expect_float_eq(gpu(0)->temperature_c, 60, 1e-9);
	cr_expect_float_eq(gpu(0)->power_limit_w, 700, 1e-9);
	cr_expect_str_eq(gpu(0)->serial, "1652923003067");
	cr_expect_eq(ft.posts, 1, "the session is reused");
	teardown_mockup();
}

/* Three polls (discovery, then refreshes) of the DGX mockup: the last
 * refresh's GET count, and the data of the last poll or (FIRST) of the
 * discovery, which reads every resource on its own. NO_EXPAND: the
 * transport ignores $expand, as a BMC that advertises it but does not
 * would. */
static struct fleet_host_data dgx_refresh(bool no_expand, bool first_data, unsigned *gets,
					  bool *fell_back)
{
	struct fleet_host_data d, d1;
	unsigned first;

	setup_mockup("nvidia-dgx-h100", NULL);
	ft.no_expand = no_expand;
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	d1 = res.data;
	memset(&res.data, 0, sizeof(res.data));
	poll_once();   /* a plain BMC: learns here that it gets no $expand */
	cr_assert(res.ok, "second poll failed: %s", res.error);
	first = ft.gets;
	host->polls_since_sensors = RF_SENSOR_POLLS;   /* the chassis sensors too */
	poll_once();
	cr_assert(res.ok, "third poll failed: %s", res.error);
	cr_expect(!res.data.sensors_kept);
	*gets = ft.gets - first;
	*fell_back = host->tree.no_proc_expand && host->tree.no_chassis_expand;
	d = res.data;
	memset(&res.data, 0, sizeof(res.data));
	teardown_mockup();
	fleet_host_data_free(first_data ? &d : &d1);
	return first_data ? d1 : d;
}

static bool same_reading(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* A refresh through $expand (the Systems collection, each Processors
 * collection with its metrics at $levels=2, the chassis with Thermal and
 * Power) shows what reading each resource on its own shows (the
 * discovery poll does; the mockup's telemetry report was captured at
 * another moment), in a few GETs. */
Test(redfish_decode, dgx_h100_expand_reads_the_same)
{
	unsigned plain_gets, exp_gets, x;
	bool plain_fell_back, exp_fell_back, b;
	struct fleet_host_data plain = dgx_refresh(true, true, &x, &b);
	struct fleet_host_data exp = dgx_refresh(false, false, &exp_gets, &exp_fell_back);
	struct fleet_host_data plain3 = dgx_refresh(true, false, &plain_gets, &plain_fell_back);

	cr_expect(plain_fell_back, "a BMC that ignores $expand is read resource by resource");
	cr_expect(!exp_fell_back, "the expanded answers were used");
	cr_expect_leq(exp_gets, 5, "expanded refresh: %u GETs (plain: %u)", exp_gets, plain_gets);
	cr_expect_geq(plain_gets, 20, "plain refresh: %u GETs", plain_gets);
	cr_assert_eq(exp.ngpus, 8);
	cr_assert_eq(plain.ngpus, exp.ngpus);
	for (size_t i = 0; i < exp.ngpus; i++) {
		const struct fleet_gpu *a = &plain.gpus[i], *b = &exp.gpus[i];

		cr_expect_str_eq(a->id, b->id);
		cr_expect_str_eq(a->state, b->state);
		cr_expect_eq(a->health, b->health);
		cr_expect(same_reading(a->temperature_c, b->temperature_c), "%s temp %g / %g", a->id,
			  a->temperature_c, b->temperature_c);
		cr_expect(same_reading(a->power_w, b->power_w), "%s power", a->id);
		cr_expect(same_reading(a->utilization_pct, b->utilization_pct), "%s util", a->id);
		cr_expect(same_reading(a->memory_used_mib, b->memory_used_mib), "%s mem", a->id);
		cr_expect(same_reading(a->ecc_corrected, b->ecc_corrected), "%s ecc", a->id);
		cr_expect(same_reading(a->power_limit_w, b->power_limit_w), "%s limit", a->id);
	}
	cr_expect(fleet_has(exp.gpus[0].temperature_c) && fleet_has(exp.gpus[0].power_w));
	cr_expect_eq(exp.power, plain.power);
	cr_expect_eq(exp.health, plain.health);
	cr_expect_str_eq(exp.bios_version, plain.bios_version);
	cr_expect_eq(exp.nsensors, plain.nsensors);
	for (size_t i = 0; i < exp.nsensors && i < plain.nsensors; i++) {
		cr_expect_str_eq(exp.sensors[i].name, plain.sensors[i].name);
		cr_expect(same_reading(exp.sensors[i].reading, plain.sensors[i].reading), "%s",
			  exp.sensors[i].name);
	}
	cr_assert_eq(plain3.ngpus, 8, "a BMC that ignores $expand still shows its GPUs");
	cr_expect(fleet_has(plain3.gpus[7].temperature_c) && fleet_has(plain3.gpus[7].utilization_pct));
	cr_expect_eq(plain3.nsensors, exp.nsensors);
	fleet_host_data_free(&plain);
	fleet_host_data_free(&plain3);
	fleet_host_data_free(&exp);
}

/* A BMC that advertises $expand and then refuses it (400) is read
 * resource by resource, in the same poll, and not asked again. */
Test(redfish_decode, dgx_h100_expand_refused)
{
	unsigned before;

	setup_mockup("nvidia-dgx-h100", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	ft.expand_status = 400;
	host->polls_since_sensors = RF_SENSOR_POLLS;   /* the chassis too */
	poll_once();
	cr_assert(res.ok, "refresh with $expand refused: %s", res.error);
	cr_assert_eq(res.data.ngpus, 8);
	for (size_t i = 0; i < 8; i++) {
		cr_expect(fleet_has(gpu(i)->temperature_c), "GPU %zu temperature", i);
		cr_expect(fleet_has(gpu(i)->utilization_pct), "GPU %zu utilisation", i);
		cr_expect_str_eq(gpu(i)->state, "Enabled");
	}
	cr_expect_eq(res.data.power, FLEET_POWER_ON);
	cr_expect_gt(res.data.nsensors, 10);
	cr_expect(host->tree.no_sys_expand && host->tree.no_proc_expand &&
		  host->tree.no_chassis_expand);
	before = ft.gets;
	poll_once();
	cr_assert(res.ok, "%s", res.error);
	cr_expect_geq(ft.gets - before, 20, "resource by resource: %u GETs", ft.gets - before);
	teardown_mockup();
}

Test(redfish_decode, hpe_ex235n_gpu_temps_from_chassis_sensors)
{
	static const double temps[4] = { 30, 28, 30, 28 };

	setup_mockup("hpe-cray-ex235n-a100", "Node0");
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.ngpus, 4);
	for (size_t i = 0; i < 4; i++) {
		char id[8];

		snprintf(id, sizeof(id), "GPU%zu", i);
		cr_expect_str_eq(gpu(i)->id, id);
		cr_expect_str_eq(gpu(i)->model, "NVIDIA_A100-SXM4-40GB");
		cr_expect_float_eq(gpu(i)->temperature_c, temps[i], 1e-9, "GPU%zu", i);
		cr_expect_eq(gpu(i)->health, FLEET_HEALTH_OK);
		cr_expect(isnan(gpu(i)->power_limit_w));
	}
	cr_expect_str_eq(gpu(0)->serial, "1322520068320");
	cr_expect_str_eq(res.data.model, "HPE Cray EX235n");
	cr_expect_str_eq(res.data.serial, "DP20300012");
	cr_expect_eq(res.data.power, FLEET_POWER_ON);
	/* Those readings exist only as chassis sensors: they are read every
	 * poll, not every RF_SENSOR_POLLS. */
	cr_expect(host->tree.gpu_from_chassis);
	for (int p = 1; p < RF_SENSOR_POLLS; p++) {
		poll_once();
		cr_assert(res.ok, "poll %d failed: %s", p, res.error);
		cr_expect(!res.data.sensors_kept, "poll %d", p);
		for (size_t i = 0; i < 4; i++)
			cr_expect_float_eq(gpu(i)->temperature_c, temps[i], 1e-9, "poll %d GPU%zu", p, i);
	}
	teardown_mockup();
}

Test(redfish_decode, hpe_ex235n_both_nodes)
{
	setup_mockup("hpe-cray-ex235n-a100", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.ngpus, 8, "4 GPUs on each of the 2 nodes");
	cr_expect_str_eq(gpu(7)->serial, "1321020042325");
	for (size_t i = 0; i < 8; i++)
		cr_expect(!isnan(gpu(i)->temperature_c), "GPU %zu has a temperature", i);
	teardown_mockup();
}

Test(redfish_decode, dmtf_tower_no_temperature)
{
	setup_mockup("dmtf-public-tower", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.ngpus, 2);
	cr_expect_str_eq(gpu(0)->id, "GPU1");
	cr_expect_str_eq(gpu(1)->id, "GPU2");
	for (size_t i = 0; i < 2; i++) {
		cr_expect_str_eq(gpu(i)->model, "Nvidia(R) TU102");
		cr_expect(isnan(gpu(i)->temperature_c), "no temperature is NAN, not %g",
			  gpu(i)->temperature_c);
		cr_expect(isnan(gpu(i)->power_w));
		cr_expect(isnan(gpu(i)->utilization_pct));
		cr_expect_float_eq(gpu(i)->memory_total_mib, 11264, 1e-9);
		cr_expect(isnan(gpu(i)->memory_used_mib));
		cr_expect_eq(gpu(i)->health, FLEET_HEALTH_OK);
	}
	cr_expect_str_eq(res.data.vendor, "Contoso");
	teardown_mockup();
}

Test(redfish_decode, malformed_json)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	rf_file_override(&ft, "/redfish/v1/Systems", "{\"Members\": [ {\"@odata.id\": ", 0);
	poll_once();
	cr_assert(!res.ok);
	cr_expect(strstr(res.error, "http://bmc.test/redfish/v1/Systems"), "%s", res.error);
	cr_expect(strstr(res.error, "invalid JSON at line 1 column"), "%s", res.error);
	teardown_mockup();
}

Test(redfish_decode, wrong_types)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	rf_file_override(&ft, "/redfish/v1/Systems", "{\"Members\": {\"a\": 1}}", 0);
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error,
			 "http://bmc.test/redfish/v1/Systems: Members is an object, expected an array");
	teardown_mockup();

	setup_mockup("nvidia-dgx-h100", NULL);
	rf_file_override(&ft,
			 "/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1/EnvironmentMetrics",
			 "{\"TemperatureCelsius\": {\"Reading\": \"hot\"}}", 0);
	poll_once();
	cr_assert(!res.ok);
	cr_expect(strstr(res.error, "GPU_SXM_1/EnvironmentMetrics: Reading is a string, expected a number"),
		  "%s", res.error);
	teardown_mockup();

	setup_mockup("nvidia-dgx-h100", NULL);
	rf_file_override(&ft, "/redfish/v1", "[1, 2]", 0);
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error, "http://bmc.test/redfish/v1: answer is not a JSON object");
	teardown_mockup();
}

/* A link may hold any byte; the poll's error names the URL made of it
 * and reaches the store and notes (ipmi_fallback.c) as clean text
 * (fuzz_redfish_poll). */
Test(redfish_decode, error_naming_a_hostile_link_is_clean_text)
{
	setup_mockup("dmtf-public-tower", NULL);
	rf_file_override(&ft, "/redfish/v1/Systems",
			 "{\"Members\": [{\"@odata.id\": \"/redfish/v1/Systems/\\u001b[31m\\u00e9\\u0085X\"}]}",
			 0);
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error,
			 "http://bmc.test/redfish/v1/Systems/[31m\u00e9X: HTTP 404 Not Found");
	teardown_mockup();
}

/* A slow BMC: one answer past the timeout is asked again, not the end
 * of the poll (a first poll would start over from the beginning); the
 * same request late twice is. */
Test(redfish_decode, one_timeout_is_asked_again)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	ft.timeouts = 1;
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_expect_eq(res.data.ngpus, 8);
	cr_expect_eq(ft.timeouts, 0);
	teardown_mockup();

	setup_mockup("nvidia-dgx-h100", NULL);
	ft.timeouts = 2;   /* /redfish/v1, the first step's only GET, and again */
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error, "http://bmc.test/redfish/v1: no answer within 10 s");
	teardown_mockup();
}

Test(redfish_decode, http_errors)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	rf_file_override(&ft, "/redfish/v1", "{}", 500);
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error, "http://bmc.test/redfish/v1: HTTP 500 Internal Server Error");
	teardown_mockup();

	setup_mockup("nvidia-dgx-h100", NULL);
	ft.login_status = 401;
	poll_once();
	cr_assert(!res.ok);
	cr_expect_str_eq(res.error,
			 "login refused: HTTP 401 (check the credentials in Secret default/racktop-sim-bmc)");
	teardown_mockup();
}

Test(redfish_decode, relogin_after_401)
{
	setup_mockup("dmtf-public-tower", NULL);
	poll_once();
	cr_assert(res.ok, "%s", res.error);
	cr_expect_eq(ft.posts, 1);
	ft.unauthorized = 1;   /* the BMC forgot our session */
	poll_once();
	cr_assert(res.ok, "after a 401: %s", res.error);
	cr_expect_eq(ft.posts, 2, "logged in again once");
	cr_expect_eq(res.data.ngpus, 2);
	teardown_mockup();
}

static int action_calls;
static char action_error[FLEET_ERR], action_result[FLEET_ERR];

static void on_action(void *arg, const char *error, enum fleet_power power, const char *result)
{
	action_calls++;
	snprintf(action_error, sizeof(action_error), "%s", error ? error : "");
	snprintf(action_result, sizeof(action_result), "%s", result ? result : "");
}

Test(redfish_decode, actions_and_logout)
{
	setup_mockup("nvidia-dgx-h100", NULL);
	/* Before any poll the action finds the System itself. */
	rf_host_action(host, ENGINE_ACTION_POWER_OFF, on_action, NULL);
	rf_file_run(&ft);
	cr_assert_eq(action_calls, 1);
	cr_expect_str_eq(action_error, "");
	cr_expect_str_eq(ft.last_path, "/redfish/v1/Systems/DGX/Actions/ComputerSystem.Reset");
	cr_expect_str_eq(ft.last_body, "{\"ResetType\":\"ForceOff\"}");
	cr_expect_str_eq(action_result,
			 "http://bmc.test/redfish/v1/Systems/DGX/Actions/ComputerSystem.Reset: HTTP 204 No Content");

	poll_once();
	cr_assert(res.ok, "%s", res.error);
	rf_host_action(host, ENGINE_ACTION_BOOT_PXE, on_action, NULL);
	rf_file_run(&ft);
	cr_assert_eq(action_calls, 2);
	cr_expect_eq(ft.patches, 1);
	cr_expect_str_eq(ft.last_path, "/redfish/v1/Systems/DGX");
	cr_expect(strstr(ft.last_body, "\"BootSourceOverrideTarget\":\"Pxe\""), "%s", ft.last_body);
	cr_expect(strstr(ft.last_body, "\"BootSourceOverrideEnabled\":\"Once\""), "%s", ft.last_body);

	rf_host_logout(host, on_action, NULL);
	rf_file_run(&ft);
	cr_expect_eq(action_calls, 3);
	cr_expect_eq(ft.deletes, 1, "the session is deleted");
	rf_host_logout(host, on_action, NULL);
	rf_file_run(&ft);
	cr_expect_eq(action_calls, 4);
	cr_expect_eq(ft.deletes, 1, "only once");
	teardown_mockup();
}

Test(redfish_decode, manager_logs_when_systems_have_none)
{
	setup_mockup("hpe-cray-ex235n-a100", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	/* HPE keeps its event log under Managers/BMC only (163 entries). */
	cr_assert_eq(res.data.nevents, FLEET_EVENTS_MAX);
	cr_expect_str_eq(res.data.events[0].created, "2022-04-12T17:15:13+00:00");
	cr_expect_str_eq(res.data.events[2].severity, "Critical");
	cr_expect(strstr(res.data.events[2].message, "12V_HSS ECB Temperature"), "%s",
		  res.data.events[2].message);
	for (size_t i = 1; i < res.data.nevents; i++)
		cr_expect_geq(strcmp(res.data.events[i - 1].created, res.data.events[i].created), 0,
			      "newest first at %zu", i);
	teardown_mockup();

	/* A BMC whose Systems have a log: the Managers' logs are not read. */
	setup_mockup("dmtf-public-tower", NULL);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_expect_eq(res.data.nevents, 2);
	cr_expect_str_eq(res.data.events[0].created, "2012-03-07T14:45:00Z");
	teardown_mockup();
}

#define ENTRY(id, created, msg)                                                              \
	"{\"@odata.id\": \"/redfish/v1/x/" id "\", \"@odata.type\": \"#LogEntry.v1_2_0.LogEntry\"," \
	" \"Id\": \"" id "\", \"Created\": \"" created "\", \"Severity\": \"Warning\","             \
	" \"Message\": \"" msg "\"}"

Test(redfish_decode, log_entries_with_the_same_id)
{
	static const char sys_log[] = "{\"Members\": [" ENTRY("1", "2024-01-01T00:00:01Z", "first")
		"," ENTRY("2", "2024-01-01T00:00:02Z", "second")
		"," ENTRY("1", "2024-01-01T00:00:01Z", "first") /* listed again */
		"," ENTRY("2", "2024-01-01T00:00:09Z", "second, again") "]}";
	static const char sel[] = "{\"Members\": [" ENTRY("7", "2024-01-01T00:00:07Z", "seven")
		"," ENTRY("7", "2024-01-01T00:00:08Z", "seven, again") "]}";
	static const char event_log[] = "{\"Members\": ["
		ENTRY("7", "2024-01-01T00:00:07Z", "seven") /* the same record in two logs */
		"," ENTRY("1", "2024-01-01T00:00:03Z", "EventLog's own entry 1") "]}";

	/* One log: an Id seen twice is one entry, the first kept. */
	setup_mockup("dmtf-public-tower", NULL);
	rf_file_override(&ft, "/redfish/v1/Systems/437XR1238R2/LogServices/Log1/Entries", sys_log, 0);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.nevents, 2);
	cr_expect_str_eq(res.data.events[0].message, "second");
	cr_expect_str_eq(res.data.events[1].message, "first");
	teardown_mockup();

	/* Two logs (HPE's Manager logs): the same Id is the same entry only
	 * when its time and message match too. */
	setup_mockup("hpe-cray-ex235n-a100", NULL);
	rf_file_override(&ft, "/redfish/v1/Managers/BMC/LogServices/SEL/Entries", sel, 0);
	rf_file_override(&ft, "/redfish/v1/Managers/BMC/LogServices/EventLog/Entries", event_log, 0);
	poll_once();
	cr_assert(res.ok, "poll failed: %s", res.error);
	cr_assert_eq(res.data.nevents, 2, "%zu events", res.data.nevents);
	cr_expect_str_eq(res.data.events[0].message, "seven");
	cr_expect_str_eq(res.data.events[1].message, "EventLog's own entry 1");
	teardown_mockup();
}

/* The event log is read at discovery, after an action, and every
 * RF_LOG_POLLS polls when nothing it would record changed; in between a
 * poll says its events are kept (the store keeps those it has). */
Test(redfish_decode, event_log_read_when_due)
{
	int kept = 0;

	setup_mockup("nvidia-dgx-h100", NULL);
	poll_once();
	cr_assert(res.ok, "%s", res.error);
	cr_expect(!res.data.events_kept && res.data.nevents > 0, "discovery reads the log");
	for (int i = 1; i < RF_LOG_POLLS; i++) {
		poll_once();
		cr_assert(res.ok, "%s", res.error);
		kept += res.data.events_kept && res.data.nevents == 0;
	}
	cr_expect_eq(kept, RF_LOG_POLLS - 1, "unchanged: the log is not read for %d polls",
		     RF_LOG_POLLS - 1);
	poll_once();
	cr_expect(!res.data.events_kept && res.data.nevents > 0, "read again after %d polls",
		  RF_LOG_POLLS);
	poll_once();
	cr_expect(res.data.events_kept);
	rf_host_action(host, ENGINE_ACTION_BOOT_PXE, on_action, NULL);
	rf_file_run(&ft);
	poll_once();
	cr_expect(!res.data.events_kept && res.data.nevents > 0, "read after an action");
	teardown_mockup();
}

/* The chassis sensors likewise: read at discovery and every
 * RF_SENSOR_POLLS polls while the systems' power and health stay the
 * same; in between a poll says its sensors are kept, and asks for no
 * Thermal or Power. */
Test(redfish_decode, sensors_read_when_due)
{
	int kept = 0;
	unsigned before;

	setup_mockup("nvidia-dgx-h100", NULL);
	poll_once();
	cr_assert(res.ok, "%s", res.error);
	cr_expect(!res.data.sensors_kept && res.data.nsensors > 10, "discovery reads them");
	for (int i = 1; i < RF_SENSOR_POLLS; i++) {
		before = ft.gets;
		poll_once();
		cr_assert(res.ok, "%s", res.error);
		kept += res.data.sensors_kept && res.data.nsensors == 0;
		cr_expect_leq(ft.gets - before, 3, "poll %d: %u GETs", i, ft.gets - before);
	}
	cr_expect_eq(kept, RF_SENSOR_POLLS - 1, "unchanged: not read for %d polls",
		     RF_SENSOR_POLLS - 1);
	poll_once();
	cr_expect(!res.data.sensors_kept && res.data.nsensors > 10, "read again after %d polls",
		  RF_SENSOR_POLLS);
	teardown_mockup();
}

/* At rest the extras (chassis sensors, event log, the GPUs' memory, ECC
 * and power limit) are read every 8th poll; while the host view shows
 * the host (the backend's focus hook, engine_focus) every poll reads
 * them all, and once the focus goes, every 8th poll again. */
Test(redfish_decode, focus_reads_extras_every_poll)
{
	int sens = 0, logs = 0;
	unsigned row_polls = 0;

	cr_assert_eq(RF_SENSOR_POLLS, 8, "the sensors every %d polls", RF_SENSOR_POLLS);
	cr_assert_eq(RF_LOG_POLLS, 8, "the log every %d polls", RF_LOG_POLLS);
	cr_assert(redfish_backend.focus, "Redfish has a focus hook");
	setup_mockup("nvidia-dgx-h100", NULL);
	poll_once();
	cr_assert(res.ok, "%s", res.error);
	for (int i = 1; i <= 2 * RF_SENSOR_POLLS; i++) {
		poll_once();
		cr_assert(res.ok, "%s", res.error);
		sens += !res.data.sensors_kept;
		logs += !res.data.events_kept;
		row_polls += host->polls_since_gpu_full > 0;
	}
	cr_expect_eq(sens, 2, "unfocused: sensors read in %d of 16 polls", sens);
	cr_expect_eq(logs, 2, "unfocused: the log read in %d of 16 polls", logs);
	/* So that the check below can fail: most unfocused polls read only
	 * the GPU readings the fleet row shows. */
	cr_expect_geq(row_polls, 12, "unfocused: %u of 16 polls row-only", row_polls);

	redfish_backend.focus(host, true);
	for (int i = 0; i < 4; i++) {
		poll_once();
		cr_assert(res.ok, "%s", res.error);
		cr_expect(!res.data.sensors_kept && res.data.nsensors > 10,
			  "focused poll %d: sensors read (%zu)", i, res.data.nsensors);
		cr_expect(!res.data.events_kept && res.data.nevents > 0,
			  "focused poll %d: log read (%zu events)", i, res.data.nevents);
		/* A row-only poll counts up to the next full one; a full one is at 0. */
		cr_expect_eq(host->polls_since_gpu_full, 0, "focused poll %d: GPUs read in full", i);
	}

	redfish_backend.focus(host, false);
	for (int i = 1; i < RF_SENSOR_POLLS; i++) {
		poll_once();
		cr_assert(res.ok, "%s", res.error);
		cr_expect(res.data.sensors_kept && res.data.events_kept,
			  "unfocused again, poll %d: extras kept", i);
	}
	poll_once();
	cr_expect(!res.data.sensors_kept && !res.data.events_kept,
		  "unfocused: extras read again at the %dth poll", RF_SENSOR_POLLS);
	teardown_mockup();
}

/* A reading is NAN or a number (fleet.h): two huge figures of a
 * MemoryMetrics must not make the memory used inf (fuzz_redfish_decode). */
Test(redfish_decode, memory_used_is_never_inf)
{
	char err[FLEET_ERR] = "";
	struct rf_doc d = { "http://bmc.test/m", err, sizeof(err) };
	struct fleet_gpu g;
	json_t *o = json_loads("{\"CapacityUtilizationPercent\": 1e300}", 0, NULL);

	cr_assert(o);
	fleet_gpu_init(&g, 0);
	g.memory_total_mib = 1.5e308;
	rf_decode_mem_metrics(&d, o, &g);
	cr_expect(isnan(g.memory_used_mib), "memory used %g", g.memory_used_mib);
	json_decref(o);
	o = json_loads("{\"CapacityUtilizationPercent\": 50}", 0, NULL);
	g.memory_total_mib = 81559;
	rf_decode_mem_metrics(&d, o, &g);
	cr_expect_float_eq(g.memory_used_mib, 40780, 1e-9);
	cr_expect_str_eq(err, "");
	json_decref(o);
}

/* A MetricValue string is read with strtod(), which also takes "inf",
 * "nan" and "1e999": those are no reading (fuzz_redfish_decode). */
Test(redfish_decode, telemetry_values_are_finite)
{
	static const char *const bad[] = { "inf", "-Infinity", "1e999", "nan" };
	char err[FLEET_ERR] = "", report[512];
	struct rf_doc d = { "http://bmc.test/r", err, sizeof(err) };
	struct rf_gpu rg = { .env = "/redfish/v1/Systems/S/Processors/GPU_1/EnvironmentMetrics" };
	struct rf_tree t = { .gpus = &rg, .ngpus = 1 };
	struct fleet_gpu g;
	struct rf_poll p = { .t = &t, .g = &g };

	for (size_t i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		const char *v = i < sizeof(bad) / sizeof(bad[0]) ? bad[i] : "41.5";
		json_t *o;

		snprintf(report, sizeof(report),
			 "{\"MetricValues\": [{\"MetricProperty\": \"%s#/TemperatureCelsius/Reading\","
			 " \"MetricValue\": \"%s\"}, {\"MetricProperty\": \"%s#/PowerWatts/Reading\","
			 " \"MetricValue\": \"%s\"}]}", rg.env, v, rg.env, v);
		o = json_loads(report, 0, NULL);
		cr_assert(o, "%s", report);
		fleet_gpu_init(&g, 0);
		rf_telemetry_report(&p, o, &d, "/r", 0);
		if (i < sizeof(bad) / sizeof(bad[0])) {
			cr_expect(isnan(g.temperature_c) && isnan(g.power_w), "%s: %g, %g", v,
				  g.temperature_c, g.power_w);
			cr_expect_eq(p.report_temps, 0, "%s counted as a temperature", v);
		} else {
			cr_expect_float_eq(g.temperature_c, 41.5, 1e-9);
			cr_expect_float_eq(g.power_w, 41.5, 1e-9);
		}
		json_decref(o);
	}
}

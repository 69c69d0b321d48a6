#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"

static json_t *run_batch(const struct fleet_snapshot *snap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t je;
	json_t *o;

	cr_assert(f);
	cr_assert_eq(batch_write_json(f, snap), 0);
	fclose(f);
	o = json_loads(buf, 0, &je);
	cr_assert(o, "batch output is not JSON: %s\n%s", je.text, buf);
	free(buf);
	return o;
}

Test(batch, nulls_and_integers)
{
	struct fleet_host hosts[2];
	struct fleet_gpu g[2];
	struct fleet_snapshot snap = { 1, 2, hosts };
	json_t *a, *h0, *h1, *g0, *g1;

	memset(hosts, 0, sizeof(hosts));
	snprintf(hosts[0].name, sizeof(hosts[0].name), "gpu-node-01");
	snprintf(hosts[0].bmc, sizeof(hosts[0].bmc), "https://10.0.0.5");
	hosts[0].data.power = FLEET_POWER_ON;
	hosts[0].data.health = FLEET_HEALTH_WARNING;
	fleet_gpu_init(&g[0], 0);
	fleet_gpu_init(&g[1], 1);
	snprintf(g[0].model, sizeof(g[0].model), "H100 80GB HBM3");
	snprintf(g[0].serial, sizeof(g[0].serial), "1652923003067");
	g[0].temperature_c = 60;
	g[0].power_w = 71.586;
	g[0].ecc_corrected = 3;
	g[0].memory_total_mib = 81559;
	g[0].health = FLEET_HEALTH_OK;
	hosts[0].data.gpus = g;
	hosts[0].data.ngpus = 2;
	snprintf(hosts[1].name, sizeof(hosts[1].name), "gpu-node-02");
	hosts[1].protocol = FLEET_PROTO_IPMI;
	snprintf(hosts[1].error, sizeof(hosts[1].error), "http://x/redfish/v1: connection refused");

	a = run_batch(&snap);
	cr_assert(json_is_array(a));
	cr_assert_eq(json_array_size(a), 2);
	h0 = json_array_get(a, 0);
	h1 = json_array_get(a, 1);
	cr_expect_str_eq(json_string_value(json_object_get(h0, "name")), "gpu-node-01");
	cr_expect_str_eq(json_string_value(json_object_get(h0, "bmc")), "https://10.0.0.5");
	cr_expect_str_eq(json_string_value(json_object_get(h0, "protocol")), "redfish");
	cr_expect_str_eq(json_string_value(json_object_get(h0, "power")), "On");
	cr_expect_str_eq(json_string_value(json_object_get(h0, "health")), "Warning");
	cr_expect(json_is_null(json_object_get(h0, "error")));
	g0 = json_array_get(json_object_get(h0, "gpus"), 0);
	g1 = json_array_get(json_object_get(h0, "gpus"), 1);
	cr_expect_eq(json_integer_value(json_object_get(g0, "index")), 0);
	cr_expect_str_eq(json_string_value(json_object_get(g0, "model")), "H100 80GB HBM3");
	cr_expect(json_is_null(json_object_get(g0, "uuid")));
	cr_expect(json_is_integer(json_object_get(g0, "temperature_c")));
	cr_expect_eq(json_integer_value(json_object_get(g0, "temperature_c")), 60);
	cr_expect(json_is_real(json_object_get(g0, "power_w")));
	cr_expect_float_eq(json_real_value(json_object_get(g0, "power_w")), 71.586, 1e-9);
	cr_expect(json_is_integer(json_object_get(g0, "ecc_corrected")));
	cr_expect_eq(json_integer_value(json_object_get(g0, "memory_total_mib")), 81559);
	cr_expect(json_is_null(json_object_get(g0, "ecc_uncorrected")));
	cr_expect(json_is_null(json_object_get(g0, "power_limit_w")));
	cr_expect_str_eq(json_string_value(json_object_get(g0, "health")), "OK");
	cr_expect(json_is_null(json_object_get(g1, "temperature_c")), "NAN is null, never 0");
	cr_expect(json_is_null(json_object_get(g1, "model")));
	cr_expect(json_is_null(json_object_get(g1, "health")));
	cr_expect_eq(json_integer_value(json_object_get(g1, "index")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(h1, "protocol")), "ipmi");
	cr_expect(json_is_null(json_object_get(h1, "power")), "Unknown power is null");
	cr_expect(json_is_null(json_object_get(h1, "health")));
	cr_expect_str_eq(json_string_value(json_object_get(h1, "error")),
			 "http://x/redfish/v1: connection refused");
	cr_expect_eq(json_array_size(json_object_get(h1, "gpus")), 0);
	json_decref(a);
}

Test(batch, empty_fleet)
{
	struct fleet_snapshot snap = { 0 };
	json_t *a = run_batch(&snap);

	cr_expect(json_is_array(a));
	cr_expect_eq(json_array_size(a), 0);
	json_decref(a);
}

/* A host whose last poll failed keeps its last readings in the JSON, but
 * says they are stale and how old; a current host says it is not. */
Test(batch, stale_readings_say_so)
{
	struct fleet_host hosts[3];
	struct fleet_snapshot snap = { 1, 3, hosts };
	time_t now = time(NULL);
	json_t *a, *h0, *h1, *h2;

	memset(hosts, 0, sizeof(hosts));
	for (int i = 0; i < 3; i++) {
		snprintf(hosts[i].name, sizeof(hosts[i].name), "gpu-node-0%d", i + 1);
		hosts[i].data.power = FLEET_POWER_ON;
		hosts[i].data.health = FLEET_HEALTH_OK;
		hosts[i].has_data = true;
		hosts[i].last_good = now - 120;
	}
	snprintf(hosts[1].error, sizeof(hosts[1].error), "http://x/redfish/v1: connection refused");
	hosts[1].stale = true;
	hosts[2] = (struct fleet_host){ .name = "never", .error = "connection refused" };

	a = run_batch(&snap);
	h0 = json_array_get(a, 0);
	h1 = json_array_get(a, 1);
	h2 = json_array_get(a, 2);
	cr_expect(json_is_false(json_object_get(h0, "stale")));
	cr_expect(json_is_true(json_object_get(h1, "stale")), "a failed poll after a good one");
	cr_expect_str_eq(json_string_value(json_object_get(h1, "power")), "On",
			 "the last readings stay (fields are never removed)");
	cr_expect(json_is_integer(json_object_get(h1, "data_age_s")));
	cr_expect_geq(json_integer_value(json_object_get(h1, "data_age_s")), 120);
	cr_expect(json_is_false(json_object_get(h2, "stale")), "no data: nothing stale");
	cr_expect(json_is_null(json_object_get(h2, "data_age_s")), "no data: no age");
	json_decref(a);
}

/* A host whose first poll never ended says so: never error null with
 * nothing else. Polled hosts, good or failed, keep what they have. */
Test(batch, unpolled_hosts_say_so)
{
	struct fleet_host hosts[3];
	struct fleet_snapshot snap = { 1, 3, hosts };
	json_t *a;
	const char *e;

	memset(hosts, 0, sizeof(hosts));
	snprintf(hosts[0].name, sizeof(hosts[0].name), "good");
	hosts[0].polls = 1;
	hosts[0].has_data = true;
	snprintf(hosts[1].name, sizeof(hosts[1].name), "failed");
	hosts[1].polls = 1;
	snprintf(hosts[1].error, sizeof(hosts[1].error), "login refused");
	snprintf(hosts[2].name, sizeof(hosts[2].name), "slow");
	cr_assert_eq(batch_mark_unpolled(&snap, "racktop was interrupted (SIGINT)"), 1);
	a = run_batch(&snap);
	cr_expect(json_is_null(json_object_get(json_array_get(a, 0), "error")));
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(a, 1), "error")),
			 "login refused");
	e = json_string_value(json_object_get(json_array_get(a, 2), "error"));
	cr_assert_not_null(e);
	cr_expect_str_eq(e, "not polled: racktop was interrupted (SIGINT)");
	json_decref(a);
}

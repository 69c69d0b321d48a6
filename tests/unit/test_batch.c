#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "batch_sweep.h"
#include "batch_workflow.h"
#include "inventory.h"

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

/* Each GPU says its BMC name and Redfish state: a GPU fallen off the bus
 * is "Absent", not only a Critical among eight. A host says when its
 * last poll ended (ISO 8601 UTC); never polled: null. */
Test(batch, gpu_name_state_and_polled_at)
{
	struct fleet_host hosts[2];
	struct fleet_gpu g[2];
	struct fleet_snapshot snap = { 1, 2, hosts };
	json_t *a, *gs;

	memset(hosts, 0, sizeof(hosts));
	snprintf(hosts[0].name, sizeof(hosts[0].name), "gpu-node-01");
	hosts[0].has_data = true;
	hosts[0].polls = 3;
	hosts[0].polled_at = 1796633510;   /* 2026-12-07T08:51:50Z */
	for (int i = 0; i < 2; i++) {
		fleet_gpu_init(&g[i], i);
		snprintf(g[i].id, sizeof(g[i].id), "GPU_SXM_%d", i + 1);
		g[i].health = i ? FLEET_HEALTH_CRITICAL : FLEET_HEALTH_OK;
	}
	snprintf(g[0].state, sizeof(g[0].state), "Enabled");
	snprintf(g[1].state, sizeof(g[1].state), "Absent");
	hosts[0].data.gpus = g;
	hosts[0].data.ngpus = 2;
	snprintf(hosts[1].name, sizeof(hosts[1].name), "never");

	a = run_batch(&snap);
	gs = json_object_get(json_array_get(a, 0), "gpus");
	cr_assert_eq(json_array_size(gs), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(gs, 0), "name")),
			 "GPU_SXM_1");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(gs, 0), "state")),
			 "Enabled");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(gs, 1), "state")),
			 "Absent");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(gs, 1), "health")),
			 "Critical", "health stays beside the state");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(a, 0), "polled_at")),
			 "2026-12-07T08:51:50Z");
	cr_expect(json_is_null(json_object_get(json_array_get(a, 1), "polled_at")));
	/* A GPU whose state was not reported: null, never "". */
	g[1].state[0] = '\0';
	json_decref(a);
	a = run_batch(&snap);
	gs = json_object_get(json_array_get(a, 0), "gpus");
	cr_expect(json_is_null(json_object_get(json_array_get(gs, 1), "state")));
	json_decref(a);
}

/* The store counts an absent GPU as absent, whatever its health. */
Test(batch, gpu_counts)
{
	struct fleet_host h;
	struct fleet_gpu g[8];
	struct fleet_gpu_counts c;

	memset(&h, 0, sizeof(h));
	for (int i = 0; i < 8; i++) {
		fleet_gpu_init(&g[i], i);
		snprintf(g[i].state, sizeof(g[i].state), "Enabled");
		g[i].health = FLEET_HEALTH_OK;
	}
	snprintf(g[2].state, sizeof(g[2].state), "Absent");
	g[2].health = FLEET_HEALTH_CRITICAL;
	snprintf(g[3].state, sizeof(g[3].state), "UnavailableOffline");
	g[4].health = FLEET_HEALTH_WARNING;
	g[5].health = FLEET_HEALTH_CRITICAL;
	g[6].health = FLEET_HEALTH_UNKNOWN;
	h.data.gpus = g;
	h.data.ngpus = 8;
	fleet_host_gpu_counts(&h, &c);
	cr_expect_eq(c.total, 8);
	cr_expect_eq(c.absent, 2);
	cr_expect_eq(c.critical, 1);
	cr_expect_eq(c.warning, 1);
	cr_expect_eq(c.unknown, 1);
	cr_expect_eq(c.ok, 3);
}

/* --batch --hosts without --action: only the hosts that match stay, in
 * order, before anything is polled; no match or a bad expression: an
 * error and the inventory as it was. */
Test(batch, sweep_select)
{
	struct inventory inv = { 0 };
	const char *names[] = { "gpu-node-001", "gpu-node-002", "cpu-node-003", "gpu-node-004" };
	char err[300] = "";

	inv.nhosts = 4;
	inv.hosts = calloc(4, sizeof(*inv.hosts));
	cr_assert(inv.hosts);
	for (int i = 0; i < 4; i++) {
		snprintf(inv.hosts[i].name, sizeof(inv.hosts[i].name), "%s", names[i]);
		inv.hosts[i].username = strdup("admin");
		inv.hosts[i].password = strdup("secret");
	}
	cr_expect_eq(batch_sweep_select(&inv, "(", err, sizeof(err)), -1);
	cr_expect(strstr(err, "--hosts '('"), "%s", err);
	cr_expect_eq(batch_sweep_select(&inv, "^nope", err, sizeof(err)), -1);
	cr_expect_str_eq(err, "--hosts '^nope' matches no host (of 4 in the inventory)");
	cr_assert_eq(inv.nhosts, 4, "a refusal leaves the inventory");
	cr_assert_eq(batch_sweep_select(&inv, "^gpu-node-00[24]$", err, sizeof(err)), 0);
	cr_assert_eq(inv.nhosts, 2);
	cr_expect_str_eq(inv.hosts[0].name, "gpu-node-002");
	cr_expect_str_eq(inv.hosts[1].name, "gpu-node-004");
	cr_expect_str_eq(inv.hosts[1].password, "secret", "the kept keep their credentials");
	inventory_free(&inv);
}

/* --workflow's progress on stderr: each action's start and end, with
 * the time, the host, and for an end its state, length and why. */
Test(batch, workflow_progress)
{
	struct wf_action acts[3];
	struct wf_task task;
	struct wf_run w;
	unsigned char shown[3] = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(acts, 0, sizeof(acts));
	memset(&task, 0, sizeof(task));
	memset(&w, 0, sizeof(w));
	snprintf(w.host, sizeof(w.host), "gpu-node-001");
	snprintf(w.template_name, sizeof(w.template_name), "gpu-recover");
	snprintf(acts[0].name, sizeof(acts[0].name), "power-cycle");
	snprintf(acts[1].name, sizeof(acts[1].name), "wait-healthy");
	snprintf(acts[2].name, sizeof(acts[2].name), "never-reached");
	task.actions = acts;
	task.nactions = 3;
	w.tasks = &task;
	w.ntasks = 1;
	acts[0].state = WF_RUNNING;
	acts[0].started = 1796633510;

	f = open_memstream(&buf, &len);
	cr_assert(f);
	batch_workflow_progress(f, &w, shown, 3);
	batch_workflow_progress(f, &w, shown, 3);   /* nothing new: nothing said */
	acts[0].state = WF_SUCCESS;
	acts[0].stopped = 1796633522;
	acts[1].state = WF_FAILED;
	acts[1].started = 1796633522;
	acts[1].stopped = 1796633530;
	snprintf(acts[1].message, sizeof(acts[1].message), "GPU_SXM_3 still absent");
	batch_workflow_progress(f, &w, shown, 3);
	fclose(f);
	cr_expect_str_eq(buf,
		"racktop: 2026-12-07T08:51:50Z gpu-node-001: gpu-recover: power-cycle: started\n"
		"racktop: 2026-12-07T08:52:02Z gpu-node-001: gpu-recover: power-cycle: SUCCESS after 12 s\n"
		"racktop: 2026-12-07T08:52:02Z gpu-node-001: gpu-recover: wait-healthy: started\n"
		"racktop: 2026-12-07T08:52:10Z gpu-node-001: gpu-recover: wait-healthy: FAILED after 8 s: "
		"GPU_SXM_3 still absent\n");
	free(buf);
}

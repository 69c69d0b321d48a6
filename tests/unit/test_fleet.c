/* The fleet store and the untrusted-text cleaner. */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "fleet.h"
#include "text.h"

static struct fleet_host_data data_with_gpus(size_t n, double temp)
{
	struct fleet_host_data d = { 0 };

	d.power = FLEET_POWER_ON;
	d.health = FLEET_HEALTH_OK;
	d.ngpus = n;
	d.gpus = calloc(n, sizeof(*d.gpus));
	for (size_t i = 0; i < n; i++) {
		fleet_gpu_init(&d.gpus[i], (int)i);
		d.gpus[i].temperature_c = temp + (double)i;
		d.gpus[i].health = FLEET_HEALTH_OK;
	}
	return d;
}

Test(fleet, add_find_and_count)
{
	struct fleet *f = fleet_new();

	cr_assert_not_null(f);
	cr_assert_eq(fleet_host_add(f, "a", "https://10.0.0.1", FLEET_PROTO_REDFISH, "Secret default/x"), 0);
	cr_assert_eq(fleet_host_add(f, "b", "https://10.0.0.2", FLEET_PROTO_IPMI, ""), 1);
	cr_assert_eq(fleet_host_count(f), 2);
	cr_assert_eq(fleet_host_find(f, "b"), 1);
	cr_assert_eq(fleet_host_find(f, "nope"), -1);
	fleet_free(f);
}

Test(fleet, update_takes_data_and_clears_error)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct fleet_host_data d = data_with_gpus(8, 40);

	fleet_host_add(f, "a", "https://10.0.0.1", FLEET_PROTO_REDFISH, "");
	fleet_host_fail(f, 0, "connection refused", 100);
	fleet_snapshot_take(f, &s);
	cr_assert_str_eq(s.hosts[0].error, "connection refused");
	cr_assert_eq(s.hosts[0].error_since, 100);
	cr_assert_eq(s.hosts[0].polls, 1);

	fleet_host_update(f, 0, &d, 200);
	cr_assert_null(d.gpus, "update must take the data");
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_assert_str_eq(s.hosts[0].error, "");
	cr_assert_eq(s.hosts[0].last_good, 200);
	cr_assert_eq(s.hosts[0].data.ngpus, 8);
	cr_assert_float_eq(fleet_host_hottest_gpu(&s.hosts[0]), 47.0, 1e-9);
	cr_assert_eq(fleet_hosts_polled(f, 2), 1);
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(fleet, failure_keeps_last_data_and_first_error_time)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct fleet_host_data d = data_with_gpus(2, 50);

	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_update(f, 0, &d, 10);
	fleet_host_fail(f, 0, "timeout", 20);
	fleet_host_fail(f, 0, "timeout again", 30);
	fleet_snapshot_take(f, &s);
	cr_assert_eq(s.hosts[0].data.ngpus, 2, "last good data stays");
	cr_assert_eq(s.hosts[0].error_since, 20, "error_since is the first failure");
	cr_assert_str_eq(s.hosts[0].error, "timeout again");
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(fleet, snapshot_copies_only_changed_hosts)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct fleet_host_data d = data_with_gpus(1, 30);
	struct fleet_gpu *before;

	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_add(f, "b", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_update(f, 0, &d, 1);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	before = s.hosts[0].data.gpus;
	cr_assert_eq(fleet_snapshot_take(f, &s), 0, "nothing changed");
	fleet_host_fail(f, 1, "x", 2);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_assert_eq(s.hosts[0].data.gpus, before, "host a was not copied again");
	cr_assert_str_eq(s.hosts[1].error, "x");
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(fleet, action_record_bumps_version_and_wakes)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct fleet_host_data d = data_with_gpus(1, 30);
	struct pollfd p;
	uint64_t v;

	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_add(f, "b", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_update(f, 0, &d, 1);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_expect_eq(s.hosts[0].action_state, FLEET_ACTION_NONE);
	cr_expect_str_eq(s.hosts[0].action, "");
	fleet_wake_drain(f);
	p = (struct pollfd){ .fd = fleet_wake_fd(f), .events = POLLIN };
	v = fleet_version(f);

	fleet_host_set_action(f, 0, "power ForceOff", FLEET_ACTION_PENDING, NULL, 5);
	cr_expect_gt(fleet_version(f), v);
	cr_expect_eq(poll(&p, 1, 0), 1, "the UI is woken");
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_expect_str_eq(s.hosts[0].action, "power ForceOff");
	cr_expect_eq(s.hosts[0].action_state, FLEET_ACTION_PENDING);
	cr_expect_str_eq(s.hosts[0].action_result, "");
	cr_expect_eq(s.hosts[0].action_time, 5);
	cr_expect_eq(s.hosts[0].data.ngpus, 1, "the poll data stays");
	cr_expect_eq(s.hosts[1].action_state, FLEET_ACTION_NONE, "only host a");

	/* A result from a BMC is untrusted text: cleaned like any other. */
	fleet_host_set_action(f, 0, "power ForceOff", FLEET_ACTION_FAILED,
			      "refused by http://x/redfish/v1/Systems/1\x1b[2J: HTTP 500", 7);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_expect_eq(s.hosts[0].action_state, FLEET_ACTION_FAILED);
	cr_expect_eq(s.hosts[0].action_time, 7);
	cr_expect(strstr(s.hosts[0].action_result, "HTTP 500"), "%s", s.hosts[0].action_result);
	cr_expect_null(strchr(s.hosts[0].action_result, '\x1b'), "no escape reaches the screen");
	cr_expect_str_eq(s.hosts[0].error, "", "an action's end is not a poll error");
	cr_expect_str_eq(fleet_action_state_name(FLEET_ACTION_DONE), "done");
	cr_expect_str_eq(fleet_action_state_name(FLEET_ACTION_FAILED), "failed");
	cr_expect_str_eq(fleet_action_state_name(FLEET_ACTION_NONE), "");
	fleet_host_set_action(f, 9, "x", FLEET_ACTION_DONE, NULL, 8);   /* no host 9: ignored */
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(fleet, wake_pipe_signals_changes)
{
	struct fleet *f = fleet_new();
	struct pollfd p;

	fleet_wake_drain(f);
	p = (struct pollfd){ .fd = fleet_wake_fd(f), .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 0), 0, "quiet before a change");
	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	cr_assert_eq(poll(&p, 1, 0), 1);
	fleet_wake_drain(f);
	cr_assert_eq(poll(&p, 1, 0), 0);
	fleet_free(f);
}

Test(fleet, missing_readings_are_nan)
{
	struct fleet_gpu g;
	struct fleet_host h = { 0 };

	fleet_gpu_init(&g, 3);
	cr_assert_eq(g.index, 3);
	cr_assert(!fleet_has(g.temperature_c));
	cr_assert(!fleet_has(g.ecc_uncorrected));
	h.data.ngpus = 1;
	h.data.gpus = &g;
	cr_assert(!fleet_has(fleet_host_hottest_gpu(&h)), "no reading is not 0");
	cr_assert(!fleet_has(fleet_host_gpu_power(&h)));
	g.health = FLEET_HEALTH_CRITICAL;
	cr_assert_eq(fleet_host_worst_gpu(&h), FLEET_HEALTH_CRITICAL);
}

Test(fleet, names_and_parsing)
{
	cr_assert_eq(fleet_health_parse("Critical"), FLEET_HEALTH_CRITICAL);
	cr_assert_eq(fleet_health_parse("bogus"), FLEET_HEALTH_UNKNOWN);
	cr_assert_eq(fleet_power_parse("PoweringOff"), FLEET_POWER_POWERING_OFF);
	cr_assert_eq(fleet_power_parse(NULL), FLEET_POWER_UNKNOWN);
	cr_assert_str_eq(fleet_power_name(FLEET_POWER_ON), "On");
	cr_assert_str_eq(fleet_health_name(FLEET_HEALTH_WARNING), "Warning");
}

struct writer_arg {
	struct fleet *f;
	int rounds;
};

static void *writer(void *p)
{
	struct writer_arg *a = p;

	for (int i = 0; i < a->rounds; i++) {
		struct fleet_host_data d = data_with_gpus(8, i);

		fleet_host_update(a->f, (size_t)(i % 4), &d, i);
	}
	return NULL;
}

/* The UI's snapshots stay consistent while the engine writes. */
Test(fleet, snapshots_consistent_under_concurrent_writes)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct writer_arg a = { f, 5000 };
	pthread_t t;

	for (int i = 0; i < 4; i++)
		fleet_host_add(f, "h", "u", FLEET_PROTO_REDFISH, "");
	pthread_create(&t, NULL, writer, &a);
	for (int i = 0; i < 2000; i++) {
		fleet_snapshot_take(f, &s);
		for (size_t h = 0; h < s.nhosts; h++) {
			const struct fleet_host_data *d = &s.hosts[h].data;

			if (d->ngpus == 0)
				continue;
			cr_assert_eq(d->ngpus, 8);
			/* All GPUs of one poll came from the same update. */
			cr_assert_float_eq(d->gpus[7].temperature_c - d->gpus[0].temperature_c, 7.0, 1e-9);
		}
	}
	pthread_join(t, NULL);
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(text, clean_strips_controls_and_bad_utf8)
{
	char out[64];

	cr_assert_str_eq(text_clean(out, sizeof(out), "GPU\x1b]0;pwned\x07 ok"), "GPU]0;pwned ok");
	cr_assert_str_eq(text_clean(out, sizeof(out), "a\tb\nc"), "a b c");
	cr_assert_str_eq(text_clean(out, sizeof(out), "caf\xc3\xa9"), "caf\xc3\xa9");
	cr_assert_str_eq(text_clean(out, sizeof(out), "x\xc2\x9b" "31my"), "x31my", "C1 CSI dropped");
	cr_assert_str_eq(text_clean(out, sizeof(out), "bad\xff\xfe"), "bad");
	cr_assert_str_eq(text_clean(out, sizeof(out), "\xc0\xaf"), "", "overlong form dropped");
	cr_assert_str_eq(text_clean(out, sizeof(out), NULL), "");
	cr_assert_str_eq(text_clean(out, sizeof(out), "del\x7f"), "del");
}

Test(text, clean_cuts_at_character_boundary)
{
	char out[5];

	/* "ab" + a 3-byte character does not fit in 4 bytes: cut before it. */
	cr_assert_str_eq(text_clean(out, sizeof(out), "ab\xe2\x82\xac"), "ab");
	text_copy(out, sizeof(out), "ab\xe2\x82\xac");
	cr_assert_str_eq(out, "ab");
	text_copy(out, sizeof(out), "abcd");
	cr_assert_str_eq(out, "abcd");
}

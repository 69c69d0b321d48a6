/* The fleet store and the untrusted-text cleaner. */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
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

/* A failed poll after a good one makes the readings stale (the screen
 * must not show them as now); an error the source gives with fresh data
 * (Kubernetes) does not; the next good poll makes them current again. */
Test(fleet, failed_poll_after_good_one_marks_data_stale)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 };
	struct fleet_host_data d = data_with_gpus(8, 40), d2 = data_with_gpus(8, 40);

	fleet_host_add(f, "a", "https://10.0.0.1", FLEET_PROTO_REDFISH, "");
	fleet_host_fail(f, 0, "https://10.0.0.1/redfish/v1: connection refused", 90);
	fleet_snapshot_take(f, &s);
	cr_expect(!fleet_host_stale(&s.hosts[0]), "no data yet: nothing to be stale");

	fleet_host_update(f, 0, &d, 100);
	fleet_snapshot_take(f, &s);
	cr_expect(!fleet_host_stale(&s.hosts[0]));
	fleet_host_fail(f, 0, "https://10.0.0.1/redfish/v1: connection refused", 160);
	fleet_snapshot_take(f, &s);
	cr_expect(fleet_host_stale(&s.hosts[0]), "a failed poll after a good one: stale");
	cr_expect_eq(s.hosts[0].last_good, 100, "the time of the last good poll is kept");
	cr_expect_eq(s.hosts[0].data.ngpus, 8, "the readings are kept, marked stale");

	fleet_host_update(f, 0, &d2, 200);
	fleet_snapshot_take(f, &s);
	cr_expect(!fleet_host_stale(&s.hosts[0]), "a good poll makes them current");
	fleet_host_set_error(f, 0, "BMC not contactable: i/o timeout (Machine default/a)", 200);
	fleet_snapshot_take(f, &s);
	cr_expect_str_eq(s.hosts[0].error, "BMC not contactable: i/o timeout (Machine default/a)");
	cr_expect(!fleet_host_stale(&s.hosts[0]), "an error given with fresh data: not stale");
	fleet_snapshot_free(&s);
	fleet_free(f);
}

Test(fleet, error_classes)
{
	static const char *const cases[][2] = {
		{ "https://h/redfish/v1: connection refused", "refused" },
		{ "login failed: https://h/redfish/v1/SessionService/Sessions: connection refused",
		  "refused" },
		{ "https://h/redfish/v1: no connection within 10 s", "timeout" },
		{ "IPMI 127.0.0.1:623: no answer within 10.0 s (connection timeout)", "timeout" },
		{ "https://h/redfish/v1: cannot resolve the host name", "dns" },
		{ "TLS certificate of https://h not trusted: x; give --cacert FILE", "tls" },
		{ "login refused: HTTP 401 (check the credentials in Secret default/x)", "auth" },
		{ "https://h/redfish/v1/Systems: invalid JSON at line 1", "badreply" },
		{ "https://h/redfish/v1/Systems: HTTP 500 Internal Server Error", "http" },
		{ "login refused by https://h/redfish/v1/SessionService/Sessions: HTTP 500 "
		  "Internal Server Error", "http" },
		{ "https://h: cannot connect: No route to host", "unreach" },
		{ "IPMI 10.0.0.1: username refused: the BMC has no such user (x)", "auth" },
		{ "IPMI 10.0.0.1: wrong password for this user (x)", "auth" },
		{ "IPMI 10.0.0.1: wrong privilege: ADMIN level is not enough for this", "auth" },
		{ "something else", "error" },
		{ "", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(fleet_error_class(cases[i][0]), cases[i][1], "'%s'", cases[i][0]);
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

static struct fleet_host_data data_with_log(size_t ngpus, double temp, size_t nevents,
					     size_t nsensors)
{
	struct fleet_host_data d = data_with_gpus(ngpus, temp);

	d.nevents = nevents;
	d.events = calloc(nevents, sizeof(*d.events));
	for (size_t i = 0; i < nevents; i++) {
		snprintf(d.events[i].created, sizeof(d.events[i].created), "2026-11-27T10:%02zu:00Z", i);
		snprintf(d.events[i].severity, sizeof(d.events[i].severity), "Warning");
		snprintf(d.events[i].message, sizeof(d.events[i].message), "event %zu", i);
	}
	d.nsensors = nsensors;
	d.sensors = calloc(nsensors, sizeof(*d.sensors));
	for (size_t i = 0; i < nsensors; i++) {
		snprintf(d.sensors[i].name, sizeof(d.sensors[i].name), "Fan %zu", i);
		d.sensors[i].reading = temp * 100 + (double)i;
	}
	return d;
}

/* A snapshot's arrays are the store's, shared; a later poll puts in new
 * ones and leaves what the snapshot holds as it was. */
Test(fleet, snapshot_unaffected_by_later_writes)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 }, t = { 0 };
	struct fleet_host_data d = data_with_log(4, 40, 32, 19);

	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_update(f, 0, &d, 1);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_assert_eq(fleet_snapshot_take(f, &t), 1);
	cr_expect_eq(s.hosts[0].data.gpus, t.hosts[0].data.gpus, "two snapshots share, not copy");
	cr_expect_eq(s.hosts[0].data.sensors, t.hosts[0].data.sensors);
	cr_expect_eq(s.hosts[0].data.events, t.hosts[0].data.events);

	/* A new poll: other readings, fewer log entries, no sensors. */
	d = data_with_log(2, 70, 3, 0);
	snprintf(d.events[0].message, sizeof(d.events[0].message), "newest");
	fleet_host_update(f, 0, &d, 2);
	fleet_host_fail(f, 0, "timeout", 3);
	cr_assert_eq(fleet_snapshot_take(f, &t), 1);
	cr_expect_eq(t.hosts[0].data.ngpus, 2);
	cr_expect_float_eq(t.hosts[0].data.gpus[0].temperature_c, 70.0, 1e-9);
	cr_expect_eq(t.hosts[0].data.nevents, 3);
	cr_expect_str_eq(t.hosts[0].data.events[0].message, "newest");
	cr_expect_eq(t.hosts[0].data.nsensors, 0);
	/* The old snapshot still reads the first poll, whole. */
	cr_expect_eq(s.hosts[0].data.ngpus, 4);
	for (size_t i = 0; i < 4; i++)
		cr_expect_float_eq(s.hosts[0].data.gpus[i].temperature_c, 40.0 + (double)i, 1e-9);
	cr_expect_eq(s.hosts[0].data.nevents, 32);
	cr_expect_str_eq(s.hosts[0].data.events[0].message, "event 0");
	cr_expect_str_eq(s.hosts[0].data.events[31].message, "event 31");
	cr_expect_eq(s.hosts[0].data.nsensors, 19);
	cr_expect_float_eq(s.hosts[0].data.sensors[18].reading, 4018.0, 1e-9);
	cr_expect_str_eq(s.hosts[0].error, "");

	/* The store goes first; the snapshots' arrays live on until each
	 * drops them (ASan and valgrind check that nothing leaks or is
	 * read after the free). */
	fleet_free(f);
	cr_expect_str_eq(s.hosts[0].data.events[31].message, "event 31");
	cr_expect_str_eq(t.hosts[0].data.events[0].message, "newest");
	fleet_snapshot_free(&s);
	cr_expect_eq(t.hosts[0].data.ngpus, 2);
	cr_expect_float_eq(t.hosts[0].data.gpus[1].temperature_c, 71.0, 1e-9);
	fleet_snapshot_free(&t);
}

/* What a poll did not change (most often the log) stays one block that
 * old snapshots and new share; what it changed is a new block. */
Test(fleet, unchanged_arrays_stay_shared)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot s = { 0 }, t = { 0 };
	struct fleet_host_data d = data_with_log(8, 40, 32, 19), c;
	const struct fleet_event *events;
	const struct fleet_sensor *sensors;

	fleet_host_add(f, "a", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_add(f, "b", "u", FLEET_PROTO_REDFISH, "");
	fleet_host_update(f, 0, &d, 1);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	events = s.hosts[0].data.events;
	sensors = s.hosts[0].data.sensors;

	/* Same log and sensors, one GPU hotter. */
	d = data_with_log(8, 40, 32, 19);
	d.gpus[3].temperature_c = 99;
	fleet_host_update(f, 0, &d, 2);
	cr_assert_eq(fleet_snapshot_take(f, &t), 1);
	cr_expect_eq(t.hosts[0].data.events, events, "an unchanged log is shared, not copied");
	cr_expect_eq(t.hosts[0].data.sensors, sensors);
	cr_expect_neq(t.hosts[0].data.gpus, s.hosts[0].data.gpus, "changed GPUs are a new block");
	cr_expect_float_eq(t.hosts[0].data.gpus[3].temperature_c, 99.0, 1e-9);
	cr_expect_float_eq(s.hosts[0].data.gpus[3].temperature_c, 43.0, 1e-9);

	/* A change that leaves the arrays alone (power, an action) shares
	 * them all again. */
	fleet_host_set_power(f, 0, FLEET_POWER_OFF);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_expect_eq(s.hosts[0].data.power, FLEET_POWER_OFF);
	cr_expect_eq(s.hosts[0].data.gpus, t.hosts[0].data.gpus);
	cr_expect_eq(s.hosts[0].data.events, events);

	/* One changed log entry: a new block, the old one as it was. */
	d = data_with_log(8, 40, 32, 19);
	d.gpus[3].temperature_c = 99;
	snprintf(d.events[5].message, sizeof(d.events[5].message), "changed");
	fleet_host_update(f, 0, &d, 3);
	cr_assert_eq(fleet_snapshot_take(f, &t), 1);
	cr_expect_neq(t.hosts[0].data.events, events);
	cr_expect_str_eq(t.hosts[0].data.events[5].message, "changed");
	cr_expect_str_eq(s.hosts[0].data.events[5].message, "event 5");
	cr_expect_eq(t.hosts[0].data.gpus, s.hosts[0].data.gpus, "GPUs as before: shared");

	/* A deep copy is the caller's own to change. */
	fleet_host_data_copy(&c, &t.hosts[0].data);
	cr_expect_neq(c.events, t.hosts[0].data.events);
	snprintf(c.events[5].message, sizeof(c.events[5].message), "mine");
	c.gpus[0].temperature_c = 1;
	cr_expect_str_eq(t.hosts[0].data.events[5].message, "changed");
	cr_expect_float_eq(t.hosts[0].data.gpus[0].temperature_c, 40.0, 1e-9);
	/* And handed to the store, it is taken like any poll's data. */
	fleet_host_update(f, 1, &c, 4);
	cr_expect_null(c.events);
	cr_assert_eq(fleet_snapshot_take(f, &s), 1);
	cr_expect_str_eq(s.hosts[1].data.events[5].message, "mine");
	cr_expect_float_eq(s.hosts[1].data.gpus[0].temperature_c, 1.0, 1e-9);
	/* Data for a host that is not there is freed, blocks and all (ASan). */
	d = data_with_log(2, 1, 2, 2);
	fleet_host_update(f, 9, &d, 5);
	cr_expect_null(d.gpus);
	fleet_snapshot_free(&s);
	fleet_snapshot_free(&t);
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

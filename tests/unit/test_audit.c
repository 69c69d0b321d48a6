/* The audit log: every line is one JSON object with the fields the
 * format promises; lines from two threads never tear; each line is
 * synced (and a failing write or fsync says so, naming the path); the
 * file and its directories are private; the default path follows XDG. */
#include <criterion/criterion.h>

#include <fcntl.h>

#include <jansson.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "audit.h"
#include "engine.h"
#include "fleet.h"
#include "inventory.h"

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/racktop-audit-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

/* Every line of PATH, parsed; fails the test on a line that is not one
 * JSON object ending in a newline. Returns the count. */
static size_t read_lines(const char *path, json_t **out, size_t max)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;

	cr_assert_not_null(f, "cannot open %s", path);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *o;

		cr_assert_eq(line[len - 1], '\n', "line %zu has no newline (torn)", n + 1);
		o = json_loads(line, 0, &je);
		cr_assert(json_is_object(o), "line %zu is not a JSON object: %s (%s)", n + 1,
			  je.text, line);
		if (n < max)
			out[n] = o;
		else
			json_decref(o);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

TestSuite(audit, .init = setup, .fini = teardown);

Test(audit, lines_parse_with_every_field)
{
	char path[300], err[300];
	const char *hosts[] = { "gpu-node-001", "gpu-node-\x1b[31m002" };
	struct audit_entry e = { hosts, 2, "cycle", "redfish", "requested", NULL, NULL };
	struct audit *a;
	json_t *lines[4];

	snprintf(path, sizeof(path), "%s/log/audit.log", tmpdir);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
	e.hosts = hosts;
	e.nhosts = 1;
	e.result = "failed";
	e.error = "power PowerCycle refused by https://x/: HTTP 500";
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
	e.result = "done";
	e.error = NULL;
	e.answer = "https://x/redfish/v1/Systems/1/Actions/ComputerSystem.Reset: HTTP 204 No Content";
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(audit_synced(a), 3);
	audit_close(a);

	cr_assert_eq(read_lines(path, lines, 4), 3);
	cr_assert_not_null(str(lines[0], "operator"));
	cr_assert_str_eq(str(lines[0], "action"), "cycle");
	cr_assert_str_eq(str(lines[0], "protocol"), "redfish");
	cr_assert_str_eq(str(lines[0], "result"), "requested");
	cr_assert(json_is_null(json_object_get(lines[0], "error")));
	cr_assert_eq(json_array_size(json_object_get(lines[0], "hosts")), 2);
	/* The escape sequence in a host name does not reach the file. */
	cr_assert_null(strchr(json_string_value(json_array_get(json_object_get(lines[0], "hosts"), 1)),
			      '\x1b'));
	cr_assert_str_eq(str(lines[1], "result"), "failed");
	cr_assert(strstr(str(lines[1], "error"), "HTTP 500"));
	cr_assert_str_eq(str(lines[2], "result"), "done");
	cr_assert(strstr(str(lines[2], "answer"), "204"));
	/* ISO 8601 UTC with milliseconds. */
	for (int i = 0; i < 3; i++) {
		const char *t = str(lines[i], "time");
		int y, mo, d, h, mi, s, ms;
		char z;

		cr_assert_eq(strlen(t), 24, "time %s", t);
		cr_assert_eq(sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms, &z),
			     8, "time %s", t);
		cr_assert_eq(z, 'Z');
		json_decref(lines[i]);
	}
}

Test(audit, private_file_and_directories)
{
	char path[400], dir[300], err[500];
	struct audit *a;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/state/racktop", tmpdir);
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	audit_close(a);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "directory mode %o", st.st_mode & 0777);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "file mode %o", st.st_mode & 0777);
}

Test(audit, appends_never_rewrites)
{
	char path[300], err[300];
	const char *h[] = { "a" };
	struct audit_entry e = { h, 1, "on", "redfish", "requested", NULL, NULL };
	json_t *lines[8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"earlier\":true}\n", f);
	fclose(f);
	for (int round = 0; round < 2; round++) {
		struct audit *a = audit_open(path, err, sizeof(err));

		cr_assert_not_null(a, "%s", err);
		cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
		audit_close(a);
	}
	cr_assert_eq(read_lines(path, lines, 8), 3);
	cr_assert(json_is_true(json_object_get(lines[0], "earlier")));
	for (int i = 0; i < 3; i++)
		json_decref(lines[i]);
}

#define THREAD_LINES 400

struct writer {
	struct audit *a;
	const char *name;
	int failures;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	/* Long lines (many hosts) make a torn write likely if it could happen. */
	const char *hosts[64];
	char err[300];

	for (int i = 0; i < 64; i++)
		hosts[i] = w->name;
	for (int i = 0; i < THREAD_LINES; i++) {
		struct audit_entry e = { hosts, 1 + (size_t)(i % 64), "cycle", "redfish", "done",
					 NULL, NULL };

		if (audit_write(w->a, &e, err, sizeof(err)) != 0)
			w->failures++;
	}
	return NULL;
}

Test(audit, two_threads_two_handles_never_tear)
{
	char path[300], err[300];
	struct writer w[4];
	pthread_t t[4];
	static json_t *lines[4 * THREAD_LINES];
	size_t n, count[4] = { 0 };
	const char *names[4] = { "thread-a", "thread-b", "other-process-c", "other-process-d" };

	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	/* Two threads on one handle (the UI and the engine), and two more on
	 * a second handle of the same file (as a second racktop would). */
	w[0].a = w[1].a = audit_open(path, err, sizeof(err));
	w[2].a = w[3].a = audit_open(path, err, sizeof(err));
	cr_assert(w[0].a && w[2].a, "%s", err);
	for (int i = 0; i < 4; i++) {
		w[i].name = names[i];
		w[i].failures = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].failures, 0);
	}
	cr_assert_eq(audit_synced(w[0].a), 2 * THREAD_LINES);
	audit_close(w[0].a);
	audit_close(w[2].a);
	n = read_lines(path, lines, 4 * THREAD_LINES);
	cr_assert_eq(n, 4 * THREAD_LINES);
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_object_get(lines[i], "hosts");
		const char *first = json_string_value(json_array_get(h, 0));
		size_t k;
		json_t *v;

		/* A line is all one writer's. */
		json_array_foreach(h, k, v)
			cr_assert_str_eq(json_string_value(v), first);
		for (int j = 0; j < 4; j++)
			if (!strcmp(first, names[j]))
				count[j]++;
		json_decref(lines[i]);
	}
	for (int j = 0; j < 4; j++)
		cr_assert_eq(count[j], THREAD_LINES, "%s wrote %zu lines", names[j], count[j]);
}

/* The sync path: a line that cannot be written or synced is an error
 * naming the file and the reason, and is not counted as synced. */
Test(audit, failed_write_and_fsync_are_errors)
{
	char path[300], err[300] = "";
	const char *h[] = { "a" };
	struct audit_entry e = { h, 1, "off", "redfish", "requested", NULL, NULL };
	struct rlimit none = { 0, 0 };
	struct audit *a;

	/* A file that may not grow (RLIMIT_FSIZE 0): write fails (EFBIG). */
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &none), 0);
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), -1);
	cr_assert(strstr(err, path) && strstr(err, "write"), "%s", err);
	cr_assert_eq(audit_synced(a), 0);
	audit_close(a);

	/* A regular file of procfs takes the write but cannot be synced
	 * (EINVAL): the test process's own name. */
	a = audit_open("/proc/self/comm", err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), -1);
	cr_assert(strstr(err, "/proc/self/comm") && strstr(err, "fsync"), "%s", err);
	cr_assert_eq(audit_synced(a), 0);
	audit_close(a);
}

/* What is in FILE, whole (at most 4 KiB), for before/after comparisons. */
static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	cr_assert_not_null(f, "cannot open %s", path);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

/* Another user plants audit.log -> a file of the operator's: racktop
 * refuses it rather than appending there, and the target is untouched. */
Test(audit, symlink_is_refused)
{
	char path[300], target[300], err[600] = "", text[4096];
	FILE *f;

	snprintf(target, sizeof(target), "%s/bashrc", tmpdir);
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	f = fopen(target, "w");
	cr_assert_not_null(f);
	fputs("alias ls='ls -F'\n", f);
	fclose(f);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_null(audit_open(path, err, sizeof(err)), "a symlink was followed");
	cr_assert(strstr(err, path) && strstr(err, "symbolic link"), "%s", err);
	slurp(target, text, sizeof(text));
	cr_assert_str_eq(text, "alias ls='ls -F'\n");
}

/* A log that others may write is refused, naming the mode and the fix,
 * and nothing in it is lost or changed. */
Test(audit, writable_by_others_is_refused_and_kept)
{
	char path[300], err[600] = "", text[4096];
	struct audit *a;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"earlier\":true}\n", f);
	fclose(f);
	cr_assert_eq(chmod(path, 0666), 0);
	cr_assert_null(audit_open(path, err, sizeof(err)), "a 0666 log was used as it is");
	cr_assert(strstr(err, path) && strstr(err, "0666") && strstr(err, "chmod"), "%s", err);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, "{\"earlier\":true}\n");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0666, "left as it was: the operator decides");
	/* Once private again it is appended to, earlier lines kept. */
	cr_assert_eq(chmod(path, 0600), 0);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	audit_close(a);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, "{\"earlier\":true}\n");
}

/* A log owned by another user could be rewritten by that user: refused
 * (only root can make one here). */
Test(audit, owned_by_another_user_is_refused)
{
	char path[300], err[600] = "";

	if (geteuid() != 0)
		cr_skip_test("needs root to give the file away");
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	cr_assert_eq(close(creat(path, 0600)), 0);
	cr_assert_eq(chown(path, 65534, 65534), 0);
	cr_assert_null(audit_open(path, err, sizeof(err)));
	cr_assert(strstr(err, path) && strstr(err, "65534"), "%s", err);
}

/* A FIFO where the log should be: an error at once, not a racktop
 * blocked forever in open() or write() (the timeout fails a hang). */
Test(audit, fifo_is_refused_promptly, .timeout = 10)
{
	char path[300], err[600] = "";
	int rd;

	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	/* Nobody reading: a blocking open for writing would wait forever. */
	cr_assert_null(audit_open(path, err, sizeof(err)));
	cr_assert(strstr(err, path) && strstr(err, "not a regular file"), "%s", err);
	/* Someone reading (and never draining): refused all the same. */
	rd = open(path, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rd, 0);
	err[0] = '\0';
	cr_assert_null(audit_open(path, err, sizeof(err)));
	cr_assert(strstr(err, "not a regular file"), "%s", err);
	close(rd);
}

/* The operator is who the system says runs racktop; $USER, $SUDO_USER
 * and the SSH client are recorded beside it, never instead of it. */
Test(audit, operator_is_the_real_uid)
{
	char path[300], err[300], real[256];
	const char *h[] = { "gpu-node-001" };
	struct audit_entry e = { h, 1, "cycle", "redfish", "requested", NULL, NULL };
	struct passwd *pw = getpwuid(getuid());
	struct audit *a;
	json_t *lines[4];

	snprintf(real, sizeof(real), "%s", pw ? pw->pw_name : "");
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	/* Spoofed: $USER says someone else. */
	setenv("USER", "op", 1);
	setenv("SUDO_USER", "alice\x1b[31m", 1);
	setenv("SSH_CONNECTION", "192.0.2.7 52144 192.0.2.1 22", 1);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
	audit_close(a);
	/* $USER the same as the account: not repeated; SSH_CLIENT when
	 * SSH_CONNECTION is not there. */
	if (real[0])
		setenv("USER", real, 1);
	unsetenv("SUDO_USER");
	unsetenv("SSH_CONNECTION");
	setenv("SSH_CLIENT", "2001:db8::5 40000 22", 1);
	a = audit_open(path, err, sizeof(err));
	cr_assert_not_null(a, "%s", err);
	cr_assert_eq(audit_write(a, &e, err, sizeof(err)), 0, "%s", err);
	audit_close(a);

	cr_assert_eq(read_lines(path, lines, 4), 2);
	if (real[0])
		cr_assert_str_eq(str(lines[0], "operator"), real);
	else
		cr_assert(!strncmp(str(lines[0], "operator"), "uid ", 4), "%s", str(lines[0], "operator"));
	cr_assert_eq(json_integer_value(json_object_get(lines[0], "uid")), (json_int_t)getuid());
	cr_assert_str_eq(str(lines[0], "env_user"), "op");
	cr_assert_str_eq(str(lines[0], "sudo_user"), "alice[31m", "cleaned");
	cr_assert_str_eq(str(lines[0], "ssh_client"), "192.0.2.7");
	/* The fields older readers know are all still there. */
	cr_assert_str_eq(str(lines[0], "action"), "cycle");
	cr_assert_str_eq(str(lines[0], "result"), "requested");
	cr_assert_not_null(str(lines[0], "time"));
	if (real[0]) {
		cr_assert_str_eq(str(lines[1], "operator"), real);
		cr_assert_null(json_object_get(lines[1], "env_user"), "the same as operator");
	}
	cr_assert_null(json_object_get(lines[1], "sudo_user"));
	cr_assert_str_eq(str(lines[1], "ssh_client"), "2001:db8::5");
	json_decref(lines[0]);
	json_decref(lines[1]);
}

Test(audit, unopenable_path_is_named)
{
	char path[300], err[300] = "";

	snprintf(path, sizeof(path), "%s/file", tmpdir);
	cr_assert_eq(close(creat(path, 0600)), 0);
	/* A directory where a file is: cannot be created. */
	snprintf(path, sizeof(path), "%s/file/audit.log", tmpdir);
	cr_assert_null(audit_open(path, err, sizeof(err)));
	cr_assert(strstr(err, path), "%s", err);
}

Test(audit, default_path_follows_xdg)
{
	char buf[512];

	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	setenv("HOME", "/home/op", 1);
	cr_assert_eq(audit_default_path(buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "/xdg/state/racktop/audit.log");
	/* A relative XDG_STATE_HOME is to be ignored (XDG base directory spec). */
	setenv("XDG_STATE_HOME", "relative", 1);
	cr_assert_eq(audit_default_path(buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "/home/op/.local/state/racktop/audit.log");
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	cr_assert_eq(audit_default_path(buf, sizeof(buf)), -1);
}

Test(audit, action_words)
{
	size_t n;
	const struct action_info *t = actions_table(&n);
	const char *words[] = { "on", "off", "soft", "cycle", "reset", "pxe", "disk", "bios",
				"bmc-reset", "clear-log" };

	cr_assert_eq(n, 10);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(t[i].word, words[i]);
		cr_assert_eq(actions_by_word(words[i]), &t[i]);
		cr_assert_eq(actions_by_record(engine_action_name(t[i].a)), &t[i]);
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(t[i].key, t[j].key, "two actions on key %c", t[i].key);
	}
	cr_assert_null(actions_by_word("explode"));
	cr_assert(actions_by_word("cycle")->destructive);
	cr_assert(!actions_by_word("on")->destructive);
	cr_assert(actions_by_word("clear-log")->destructive);
}

/* An inventory of one Redfish host on a port nobody serves. */
static void one_host(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->nhosts = 1;
	inv->hosts = calloc(1, sizeof(*inv->hosts));
	cr_assert_not_null(inv->hosts);
	snprintf(inv->hosts[0].name, sizeof(inv->hosts[0].name), "gpu-node-001");
	snprintf(inv->hosts[0].address, sizeof(inv->hosts[0].address), "127.0.0.1");
	inv->hosts[0].port = 9;
	inv->hosts[0].protocol = FLEET_PROTO_REDFISH;
	inv->hosts[0].username = strdup("admin");
	inv->hosts[0].password = strdup("secret");
}

/* An action racktop never ran (the engine stopped first) ends in the log
 * as cancelled, through the engine's hook, after its "requested" line. */
Test(audit, engine_cancelled_reaches_the_log)
{
	char path[300], err[300] = "";
	struct inventory inv;
	struct fleet *f = fleet_new();
	struct engine *e;
	struct actions *ac;
	json_t *lines[4];
	size_t host = 0;

	one_host(&inv);
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	e = engine_new(f, &inv, NULL);
	cr_assert_not_null(e);
	ac = actions_new(e, &inv, path, false);
	/* Not started: the request waits in the queue until engine_free(). */
	cr_assert_eq(actions_request(ac, &host, 1, ENGINE_ACTION_POWER_CYCLE, err, sizeof(err)), 0,
		     "%s", err);
	engine_free(e);
	actions_free(ac);
	cr_assert_eq(read_lines(path, lines, 4), 2);
	cr_assert_str_eq(str(lines[0], "result"), "requested");
	cr_assert_str_eq(str(lines[1], "result"), "cancelled");
	cr_assert_str_eq(str(lines[1], "action"), "cycle");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(lines[1], "hosts"), 0)),
			 "gpu-node-001");
	cr_assert(strstr(str(lines[1], "error"), "racktop stopped"), "%s", str(lines[1], "error"));
	json_decref(lines[0]);
	json_decref(lines[1]);
	fleet_free(f);
	inventory_free(&inv);
}

/* --read-only: nothing is sent and nothing is logged (no file made). */
Test(audit, read_only_refuses_and_writes_nothing)
{
	char path[300], err[300] = "";
	struct inventory inv;
	struct fleet *f = fleet_new();
	struct engine *e;
	struct actions *ac;
	size_t host = 0;

	one_host(&inv);
	snprintf(path, sizeof(path), "%s/audit.log", tmpdir);
	e = engine_new(f, &inv, NULL);
	ac = actions_new(e, &inv, path, true);
	cr_assert(actions_read_only(ac));
	cr_assert_eq(actions_request(ac, &host, 1, ENGINE_ACTION_POWER_OFF, err, sizeof(err)), -1);
	cr_assert(strstr(err, "read-only"), "%s", err);
	engine_free(e);
	actions_free(ac);
	cr_assert_eq(access(path, F_OK), -1, "read-only racktop created %s", path);
	fleet_free(f);
	inventory_free(&inv);
}

/* Console logs: what a host sends is appended to files of the operator's
 * own, in a directory only the operator may write; a symlink another
 * user planted there is not followed, a FIFO does not hang racktop, and
 * without HOME there is no guessable directory in /tmp. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console.h"
#include "console_log.h"

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/racktop-conlog-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(console_log, .init = setup, .fini = teardown);

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

/* TMPDIR/NAME made with MODE exactly (whatever the umask). */
static void mkdir_mode(char *buf, size_t n, const char *name, mode_t mode)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
	cr_assert_eq(mkdir(buf, 0700), 0);
	cr_assert_eq(chmod(buf, mode), 0);
}

/* Another user plants gpu-node-001.log -> ~/.bashrc: racktop refuses to
 * open the log, and what the host sends never lands in the target. */
Test(console_log, planted_symlink_is_not_followed)
{
	char dir[300], target[300], link[400], err[600] = "", text[256];
	const char *ext[] = { "log", "tlog" };

	mkdir_mode(dir, sizeof(dir), "logs", 0700);
	snprintf(target, sizeof(target), "%s/bashrc", tmpdir);
	put(target, "alias ls='ls -F'\n");
	for (int i = 0; i < 2; i++) {
		snprintf(link, sizeof(link), "%s/gpu-node-001.%s", dir, ext[i]);
		cr_assert_eq(symlink(target, link), 0);
		cr_assert_null(console_log_open(dir, "gpu-node-001", err, sizeof(err)),
			       "the planted %s was followed", link);
		cr_assert(strstr(err, link) && strstr(err, "symbolic link"), "%s", err);
		cr_assert_eq(unlink(link), 0);
	}
	slurp(target, text, sizeof(text));
	cr_assert_str_eq(text, "alias ls='ls -F'\n");
}

/* A directory others may write (where they could plant anything) is
 * refused, naming it; once private it is used. */
Test(console_log, directory_others_may_write_is_refused)
{
	char dir[300], path[400], err[600] = "", text[256];
	struct console_log *l;

	mkdir_mode(dir, sizeof(dir), "shared", 0777);
	cr_assert_null(console_log_open(dir, "gpu-node-001", err, sizeof(err)),
		       "a 0777 log directory was used");
	cr_assert(strstr(err, dir) && strstr(err, "0777"), "%s", err);
	snprintf(path, sizeof(path), "%s/gpu-node-001.log", dir);
	cr_assert_eq(access(path, F_OK), -1, "nothing is created there");
	/* Sticky, as /tmp is: still refused. */
	cr_assert_eq(chmod(dir, 01777), 0);
	cr_assert_null(console_log_open(dir, "gpu-node-001", err, sizeof(err)));
	cr_assert_eq(chmod(dir, 0700), 0);
	l = console_log_open(dir, "gpu-node-001", err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	cr_assert_eq(console_log_write(l, "login: ", 7), 0);
	console_log_close(l);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, "login: ");
}

/* Only root can give a directory away to try this. */
Test(console_log, directory_of_another_user_is_refused)
{
	char dir[300], err[600] = "";

	if (geteuid() != 0)
		cr_skip_test("needs root to give the directory away");
	mkdir_mode(dir, sizeof(dir), "theirs", 0700);
	cr_assert_eq(chown(dir, 65534, 65534), 0);
	cr_assert_null(console_log_open(dir, "gpu-node-001", err, sizeof(err)));
	cr_assert(strstr(err, dir) && strstr(err, "65534"), "%s", err);
}

/* A FIFO as the log or in the replay's place: an error at once. */
Test(console_log, fifo_is_refused_promptly, .timeout = 10)
{
	char dir[300], path[400], err[600] = "", *out = NULL;
	size_t outlen = 0;

	mkdir_mode(dir, sizeof(dir), "logs", 0700);
	snprintf(path, sizeof(path), "%s/gpu-node-001.log", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_null(console_log_open(dir, "gpu-node-001", err, sizeof(err)));
	cr_assert(strstr(err, path) && strstr(err, "not a regular file"), "%s", err);
	cr_assert_eq(console_log_tail(path, 4096, &out, &outlen), -1);
	cr_assert_null(out);
}

/* The replay reads the log's tail, not what a symlink points at. */
Test(console_log, replay_does_not_follow_a_symlink)
{
	char dir[300], path[400], target[300], *out = NULL;
	size_t outlen = 0;

	mkdir_mode(dir, sizeof(dir), "logs", 0700);
	snprintf(target, sizeof(target), "%s/secret", tmpdir);
	put(target, "not a console\n");
	snprintf(path, sizeof(path), "%s/gpu-node-001.log", dir);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(console_log_tail(path, 4096, &out, &outlen), -1);
	cr_assert_null(out);
	unlink(path);
	put(path, "line 1\nline 2\n");
	cr_assert_eq(console_log_tail(path, 4096, &out, &outlen), 0);
	cr_assert_eq(outlen, 14);
	free(out);
}

/* Without HOME and XDG_STATE_HOME there is no default: never a
 * predictable /tmp/racktop-consoles-UID another user could make first. */
Test(console_log, no_home_no_tmp_directory)
{
	char buf[4096], err[600] = "", guess[64];
	struct stat st;
	bool existed;

	snprintf(guess, sizeof(guess), "/tmp/racktop-consoles-%ld", (long)getuid());
	existed = stat(guess, &st) == 0;
	unsetenv("HOME");
	unsetenv("XDG_STATE_HOME");
	cr_assert_eq(console_log_default_dir(buf, sizeof(buf)), -1);
	console_default_log_dir(buf, sizeof(buf));
	cr_assert_str_eq(buf, "", "a default without HOME: %s", buf);
	cr_assert_null(console_log_open(buf, "gpu-node-001", err, sizeof(err)));
	cr_assert(strstr(err, "--console-log-dir"), "%s", err);
	if (!existed)
		cr_assert_neq(stat(guess, &st), 0, "%s was made", guess);
	console_log_path_for(buf, "gpu-node-001", guess, sizeof(guess));
	cr_assert_str_eq(guess, "", "no replay path either: %s", guess);

	/* A relative XDG_STATE_HOME is ignored (XDG base directory spec). */
	setenv("XDG_STATE_HOME", "relative", 1);
	cr_assert_eq(console_log_default_dir(buf, sizeof(buf)), -1);
	setenv("HOME", "/home/op", 1);
	cr_assert_eq(console_log_default_dir(buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "/home/op/.local/state/racktop/consoles");
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	console_default_log_dir(buf, sizeof(buf));
	cr_assert_str_eq(buf, "/xdg/state/racktop/consoles");
}

/* A directory racktop makes is private; so are the logs. */
Test(console_log, made_private)
{
	char dir[300], path[400], err[600] = "";
	struct console_log *l;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/state/racktop/consoles", tmpdir);
	l = console_log_open(dir, "gpu-node-001", err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	console_log_close(l);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
	snprintf(path, sizeof(path), "%s/gpu-node-001.tlog", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
}

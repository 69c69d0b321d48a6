#include "demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEMO_READY "racktop-sim: ready"
#define DEMO_START_TIMEOUT_MS 20000

static long demo_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void demo_find_sim(char *buf, size_t n)
{
	const char *env = getenv("RACKTOP_SIM");
	char self[PATH_MAX];
	ssize_t l;

	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (l > 0) {
		char *slash;

		self[l] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, n, "%s/racktop-sim", self);
			if (access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, n, "racktop-sim");   /* execvp searches PATH */
}

/* Reads the simulator's stdout until its ready line, the deadline or EOF. */
static int demo_wait_ready(int fd, char *err, size_t errlen)
{
	char buf[512];
	size_t len = 0;
	long deadline = demo_now_ms() + DEMO_START_TIMEOUT_MS;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - demo_now_ms();
		ssize_t r;

		if (left <= 0) {
			snprintf(err, errlen, "racktop-sim did not say it was ready within %d s",
				 DEMO_START_TIMEOUT_MS / 1000);
			return -1;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r <= 0) {
			snprintf(err, errlen, "racktop-sim exited before it was ready");
			return -1;
		}
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, DEMO_READY))
			return 0;
		if (len == sizeof(buf) - 1)
			len = 0;
	}
}

int demo_start(struct demo *d, const char *sim, int hosts, char *err, size_t errlen)
{
	int out[2];
	char nhosts[16];
	pid_t pid;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/racktop-demo-XXXXXX");
	if (!mkdtemp(d->dir)) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
		return -1;
	}
	snprintf(d->manifest, sizeof(d->manifest), "%s/fleet.yaml", d->dir);
	snprintf(d->ca_file, sizeof(d->ca_file), "%s/ca.pem", d->dir);
	snprintf(d->log_file, sizeof(d->log_file), "%s/sim.log", d->dir);
	snprintf(d->known_hosts, sizeof(d->known_hosts), "%s/known_hosts", d->dir);
	snprintf(d->console_logs, sizeof(d->console_logs), "%s/consoles", d->dir);
	snprintf(nhosts, sizeof(nhosts), "%d", hosts);
	if (pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		rmdir(d->dir);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		rmdir(d->dir);
		return -1;
	}
	if (pid == 0) {
		int logfd = open(d->log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDONLY);

		/* The simulator must not outlive racktop, even if racktop is killed. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (null >= 0)
			dup2(null, 0);
		dup2(out[1], 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		/* Serial consoles over SSH, their host key in known_hosts for
		 * racktop (as the CA is for HTTPS). */
		execlp(sim, sim, "--hosts", nhosts, "--port", "0", "--manifest", d->manifest,
		       "--cert-out", d->ca_file, "--faults", "1", "--ssh-port", "0",
		       "--ssh-known-hosts", d->known_hosts, (char *)NULL);
		fprintf(stderr, "racktop: cannot run %s: %s\n", sim, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	d->pid = pid;
	if (demo_wait_ready(out[0], err, errlen) < 0) {
		char log[256] = "";
		FILE *f = fopen(d->log_file, "r");

		if (f) {
			if (fgets(log, sizeof(log), f))
				log[strcspn(log, "\n")] = '\0';
			fclose(f);
		}
		if (log[0]) {
			size_t l = strlen(err);

			snprintf(err + l, errlen - l, " (%s)", log);
		}
		close(out[0]);
		demo_stop(d);
		return -1;
	}
	/* Keep reading nothing more; the simulator may still write, so drain
	 * by closing: it ignores EPIPE (it writes only the ready line). */
	close(out[0]);
	return 0;
}

/* The console logs racktop wrote into the demo's directory (no deeper). */
static void demo_remove_logs(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	if (!dp)
		return;
	while ((e = readdir(dp)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(dp), e->d_name, 0);
	closedir(dp);
	rmdir(dir);
}

void demo_stop(struct demo *d)
{
	if (d->pid > 0) {
		long deadline = demo_now_ms() + 3000;
		int st;

		kill(d->pid, SIGTERM);
		while (waitpid(d->pid, &st, WNOHANG) == 0) {
			if (demo_now_ms() > deadline) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &st, 0);
				break;
			}
			usleep(20000);
		}
		d->pid = 0;
	}
	if (d->dir[0]) {
		unlink(d->manifest);
		unlink(d->ca_file);
		unlink(d->log_file);
		unlink(d->known_hosts);
		demo_remove_logs(d->console_logs);
		rmdir(d->dir);
		d->dir[0] = '\0';
	}
}

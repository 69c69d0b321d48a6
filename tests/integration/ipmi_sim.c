/* ipmi_sim instances for the tests (ipmi_sim.h). start.sh takes the
 * port and a state dir; ports come from the kernel (bind to port 0,
 * read it, close) and are checked free for UDP and TCP (the emulator
 * console listens on TCP PORT), with retries for the small race. */
#include "ipmi_sim.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *ipmi_sim_dir(void)
{
	static char dir[512];
	const char *shared = getenv("RACKTOP_SHARED");

	snprintf(dir, sizeof(dir), "%s/ipmi-sim", shared && *shared ? shared : "/work/shared");
	return dir;
}

static int ipmi_sim_bind(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type, 0), got = -1;

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		got = ntohs(a.sin_port);
	close(fd);
	return got;
}

int ipmi_sim_free_port(void)
{
	for (int i = 0; i < 50; i++) {
		int p = ipmi_sim_bind(SOCK_DGRAM, 0);

		if (p > 1024 && ipmi_sim_bind(SOCK_STREAM, p) == p)
			return p;
	}
	return -1;
}

int ipmi_sim_start(struct ipmi_sim *s, const char *env)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[2048], line[512];

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/racktop-ipmi.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		perror("mkdtemp");
		return -1;
	}
	for (int tries = 0; tries < 5; tries++) {
		FILE *p;
		int rc;

		s->port = ipmi_sim_free_port();
		snprintf(s->state, sizeof(s->state), "%s/state", s->dir);
		snprintf(cmd, sizeof(cmd), "%s '%s/start.sh' %d '%s' 2>'%s/start.err'", env ? env : "",
			 ipmi_sim_dir(), s->port, s->state, s->dir);
		p = popen(cmd, "r");
		if (!p)
			return -1;
		while (fgets(line, sizeof(line), p))
			;
		rc = pclose(p);
		if (rc == 0)
			return 0;
		snprintf(cmd, sizeof(cmd), "cat '%s/start.err' >&2; '%s/stop.sh' '%s' >/dev/null 2>&1",
			 s->dir, ipmi_sim_dir(), s->state);
		if (system(cmd) != 0) {
			/* nothing was running */
		}
	}
	fprintf(stderr, "ipmi_sim did not start (see above)\n");
	return -1;
}

void ipmi_sim_stop(struct ipmi_sim *s)
{
	char cmd[2048];

	if (!s->dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "'%s/stop.sh' '%s' >/dev/null 2>&1; rm -rf '%s'", ipmi_sim_dir(),
		 s->state, s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "stopping ipmi_sim in %s failed\n", s->dir);
	s->dir[0] = '\0';
}

int ipmi_sim_restart(struct ipmi_sim *s)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
		 "'%s/stop.sh' --keep '%s' >/dev/null 2>&1; '%s/start.sh' %d '%s' >/dev/null "
		 "2>'%s/start.err' || { cat '%s/start.err' >&2; exit 1; }",
		 ipmi_sim_dir(), s->state, ipmi_sim_dir(), s->port, s->state, s->dir, s->dir);
	return system(cmd) == 0 ? 0 : -1;
}

int ipmi_sim_cmd(const struct ipmi_sim *s, const char *c)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "'%s/simcmd.sh' '%s' %s >/dev/null", ipmi_sim_dir(), s->state, c);
	return system(cmd) == 0 ? 0 : -1;
}

int ipmi_sim_read(const struct ipmi_sim *s, const char *file, char *buf, size_t n)
{
	char path[600];
	FILE *f;
	size_t got;

	snprintf(path, sizeof(path), "%s/%s", s->state, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
	while (got && (buf[got - 1] == '\n'))
		buf[--got] = '\0';
	return 0;
}

int ipmi_sim_tool(const struct ipmi_sim *s, const char *tool, const char *args, char *out,
		  size_t n)
{
	char conf[400], cmd[2048];
	size_t got = 0;
	FILE *f, *p;
	int rc;

	snprintf(conf, sizeof(conf), "%s/freeipmi.conf", s->dir);
	f = fopen(conf, "w");
	if (!f || fchmod(fileno(f), 0600) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	fprintf(f, "username admin\npassword password\ndriver-type LAN_2_0\n"
		   "workaround-flags opensesspriv\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s -h 127.0.0.1:%d --config-file='%s' %s 2>&1", tool, s->port,
		 conf, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n > 1 && got < n - 1) {
		size_t r = fread(out + got, 1, n - 1 - got, p);

		if (r == 0)
			break;
		got += r;
	}
	if (n)
		out[got] = '\0';
	/* The rest unread, so the tool never blocks on a full pipe. */
	while (fread(cmd, 1, sizeof(cmd), p) > 0)
		;
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

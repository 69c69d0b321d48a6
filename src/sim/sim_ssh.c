/* The simulated BMCs' serial consoles over SSH (--ssh-port): each BMC
 * listens on a port of its own, as a real BMC at its own address does,
 * and says so in its Manager's SerialConsole.SSH. libssh's server side
 * runs non-blocking in the main loop: the listening sockets and every
 * session's socket sit in the master epoll; a readable one goes to
 * ssh_handle_key_exchange() until the keys are agreed, then to the
 * session's own ssh_event. One host key (made at start, or
 * --ssh-host-key) serves every BMC. Users log in with the BMC's own user
 * and password. A session shows the host's serial line (sim_serial.c);
 * every session of a host sees the same output, as on a console server. */
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#define SSH_TAG_INDEX 0xffffffffull
#define SSH_HANDSHAKE_S 30.0      /* to log in and open the console */
#define SSH_AUTH_TRIES 3

struct ssh_conn {
	struct sim_host *host;
	ssh_session s;
	ssh_event ev;             /* once the keys are agreed */
	ssh_channel ch;
	int fd;
	unsigned slot;
	uint32_t events;          /* what the epoll watches */
	bool kex_done, authed, attach_pending, attached, dead;
	unsigned auth_fails;
	double deadline;          /* for the handshake, login and console */
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
};

static struct {
	ssh_bind bind;
	int ep;
	const struct sim_config *cfg;
	struct sim_host *hosts;
	unsigned nhosts;
	struct ssh_conn **conns;
	unsigned cap;
	char hostkey[2048];       /* "TYPE BASE64" for known_hosts */
} ssh_g = { .ep = -1 };

bool ssh_console_owns(uint64_t tag)
{
	return (tag & (SIM_SSH_TAG_LISTEN | SIM_SSH_TAG_CONN)) != 0 && tag != UINT64_MAX;
}

static void ssh_conn_watch(struct ssh_conn *c, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.u64 = SIM_SSH_TAG_CONN | c->slot };

	if (events != c->events && epoll_ctl(ssh_g.ep, EPOLL_CTL_MOD, c->fd, &e) == 0)
		c->events = events;
}

static void ssh_conn_free(struct ssh_conn *c)
{
	epoll_ctl(ssh_g.ep, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->ev) {
		ssh_event_remove_session(c->ev, c->s);
		ssh_event_free(c->ev);
	}
	ssh_disconnect(c->s);    /* closes the socket too */
	ssh_free(c->s);
	c->host->ssh_sessions--;
	ssh_g.conns[c->slot] = NULL;
	free(c);
}

static void ssh_conn_attach(struct ssh_conn *c);

/* Everything the session sends arrives here. */
static int ssh_cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr,
                       void *u)
{
	struct ssh_conn *c = u;

	(void)s, (void)ch;
	if (c->attach_pending)
		ssh_conn_attach(c);   /* typed ahead: the shell's answer is out already */
	if (c->attached && !is_stderr)
		serial_input(c->host, data, len, ssh_g.cfg);
	return (int)len;
}

static void ssh_cb_gone(ssh_session s, ssh_channel ch, void *u)
{
	struct ssh_conn *c = u;

	(void)s, (void)ch;
	c->dead = true;
}

static int ssh_cb_pty(ssh_session s, ssh_channel ch, const char *term, int w, int h, int pw,
                      int ph, void *u)
{
	(void)s, (void)ch, (void)term, (void)w, (void)h, (void)pw, (void)ph, (void)u;
	return 0;   /* a serial line has no size: any will do */
}

static int ssh_cb_window(ssh_session s, ssh_channel ch, int w, int h, int pw, int ph, void *u)
{
	(void)s, (void)ch, (void)w, (void)h, (void)pw, (void)ph, (void)u;
	return 0;
}

static int ssh_cb_shell(ssh_session s, ssh_channel ch, void *u)
{
	struct ssh_conn *c = u;

	(void)s, (void)ch;
	if (c->attached || c->attach_pending)
		return -1;
	c->attach_pending = true;   /* after libssh has answered the request */
	return 0;
}

/* A command (a console server's "console com2", say) gets the console too. */
static int ssh_cb_exec(ssh_session s, ssh_channel ch, const char *command, void *u)
{
	(void)command;
	return ssh_cb_shell(s, ch, u);
}

static int ssh_cb_password(ssh_session s, const char *user, const char *pass, void *u)
{
	struct ssh_conn *c = u;

	(void)s;
	if (sim_credentials_ok(ssh_g.cfg, user, pass)) {
		c->authed = true;
		return SSH_AUTH_SUCCESS;
	}
	if (++c->auth_fails >= SSH_AUTH_TRIES)
		c->dead = true;
	return SSH_AUTH_DENIED;
}

static ssh_channel ssh_cb_channel(ssh_session s, void *u)
{
	struct ssh_conn *c = u;

	if (!c->authed || c->ch)
		return NULL;   /* one console per session */
	c->ch = ssh_channel_new(s);
	if (!c->ch)
		return NULL;
	ssh_callbacks_init(&c->ccb);
	c->ccb.userdata = c;
	c->ccb.channel_data_function = ssh_cb_data;
	c->ccb.channel_eof_function = ssh_cb_gone;
	c->ccb.channel_close_function = ssh_cb_gone;
	c->ccb.channel_pty_request_function = ssh_cb_pty;
	c->ccb.channel_pty_window_change_function = ssh_cb_window;
	c->ccb.channel_shell_request_function = ssh_cb_shell;
	c->ccb.channel_exec_request_function = ssh_cb_exec;
	ssh_set_channel_callbacks(c->ch, &c->ccb);
	return c->ch;
}

/* What the callbacks above leave to libssh's messages. libssh parses no
 * "break" request (RFC 4335): it arrives as a request of unknown type,
 * and the only such request a console client sends is a Break. */
static int ssh_cb_message(ssh_session s, ssh_message m, void *u)
{
	struct ssh_conn *c = u;

	(void)s;
	if (ssh_message_type(m) == SSH_REQUEST_CHANNEL &&
	    ssh_message_subtype(m) == SSH_CHANNEL_REQUEST_UNKNOWN && c->attached &&
	    ssh_message_channel_request_channel(m) == c->ch) {
		serial_break(c->host);
		ssh_message_channel_request_reply_success(m);
		return 0;
	}
	return 1;   /* libssh refuses it */
}

static void ssh_conn_attach(struct ssh_conn *c)
{
	char greeting[512];

	c->attach_pending = false;
	/* Up to date first: what happened while nobody watched is not shown. */
	serial_follow(c->host, ssh_g.cfg);
	serial_greeting(c->host, greeting, sizeof(greeting));
	c->attached = true;
	if (ssh_channel_write(c->ch, greeting, (uint32_t)strlen(greeting)) < 0)
		c->dead = true;
}

static void ssh_conn_step(struct ssh_conn *c)
{
	if (c->dead)
		return;
	if (!c->kex_done) {
		int rc = ssh_handle_key_exchange(c->s);

		if (rc == SSH_AGAIN)
			return;
		if (rc != SSH_OK) {
			c->dead = true;
			return;
		}
		c->kex_done = true;
		c->ev = ssh_event_new();
		if (!c->ev || ssh_event_add_session(c->ev, c->s) != SSH_OK) {
			c->dead = true;
			return;
		}
	}
	if (ssh_event_dopoll(c->ev, 0) == SSH_ERROR || !ssh_is_connected(c->s))
		c->dead = true;
	if (!c->dead && c->attach_pending)
		ssh_conn_attach(c);
}

static int ssh_conn_slot(void)
{
	for (unsigned i = 0; i < ssh_g.cap; i++)
		if (!ssh_g.conns[i])
			return (int)i;
	unsigned cap = ssh_g.cap ? 2 * ssh_g.cap : 16;
	struct ssh_conn **n = realloc(ssh_g.conns, cap * sizeof(*n));

	if (!n)
		return -1;
	memset(n + ssh_g.cap, 0, (cap - ssh_g.cap) * sizeof(*n));
	ssh_g.conns = n;
	ssh_g.cap = cap;
	return ssh_conn_slot();
}

static void ssh_conn_new(struct sim_host *h, int fd)
{
	struct ssh_conn *c;
	int slot;

	/* A BMC that is restarting, or has all the sessions it allows, hangs up. */
	if (sim_now() < h->bmc_down_until || h->ssh_sessions >= SIM_SSH_SESSIONS ||
	    (slot = ssh_conn_slot()) < 0 || !(c = calloc(1, sizeof(*c)))) {
		close(fd);
		return;
	}
	c->host = h;
	c->fd = fd;
	c->slot = (unsigned)slot;
	c->deadline = sim_now() + SSH_HANDSHAKE_S;
	c->s = ssh_new();
	if (!c->s || ssh_bind_accept_fd(ssh_g.bind, c->s, fd) != SSH_OK) {
		if (c->s)
			ssh_free(c->s);
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		free(c);
		return;
	}
	ssh_set_blocking(c->s, 0);
	ssh_callbacks_init(&c->scb);
	c->scb.userdata = c;
	c->scb.auth_password_function = ssh_cb_password;
	c->scb.channel_open_request_session_function = ssh_cb_channel;
	ssh_set_server_callbacks(c->s, &c->scb);
	ssh_set_auth_methods(c->s, SSH_AUTH_METHOD_PASSWORD);
	ssh_set_message_callback(c->s, ssh_cb_message, c);
	c->events = EPOLLIN;
	struct epoll_event e = { .events = c->events, .data.u64 = SIM_SSH_TAG_CONN | c->slot };
	if (epoll_ctl(ssh_g.ep, EPOLL_CTL_ADD, fd, &e) != 0) {
		ssh_free(c->s);   /* closes FD */
		free(c);
		return;
	}
	ssh_g.conns[slot] = c;
	h->ssh_sessions++;
	ssh_conn_step(c);    /* our banner goes first */
	if (c->dead)
		ssh_conn_free(c);
}

void ssh_console_event(uint64_t tag, uint32_t events)
{
	unsigned i = (unsigned)(tag & SSH_TAG_INDEX);

	if (tag & SIM_SSH_TAG_LISTEN) {
		struct sim_host *h = &ssh_g.hosts[i];
		int fd;

		while ((fd = accept4(h->ssh_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
			ssh_conn_new(h, fd);
		return;
	}
	if (i < ssh_g.cap && ssh_g.conns[i]) {
		struct ssh_conn *c = ssh_g.conns[i];

		ssh_conn_step(c);
		/* A hang-up that libssh did not take as one would wake us forever. */
		if (events & (EPOLLHUP | EPOLLERR))
			c->dead = true;
		if (c->dead)
			ssh_conn_free(c);
	}
}

void ssh_console_tick(void)
{
	double now = sim_now();

	for (unsigned i = 0; i < ssh_g.cap; i++) {
		struct ssh_conn *c = ssh_g.conns[i];

		if (!c)
			continue;
		if (!c->attached && now > c->deadline)
			c->dead = true;
		if (c->attached && !c->dead)
			serial_follow(c->host, ssh_g.cfg);   /* power, faults: printed as they happen */
		/* Manager.Reset: a restarting BMC drops its console sessions. */
		if (now < c->host->bmc_down_until)
			c->dead = true;
		if (c->dead) {
			ssh_conn_free(c);
			continue;
		}
		/* Output libssh could not write yet: wait for room. */
		ssh_conn_watch(c, EPOLLIN | (ssh_get_poll_flags(c->s) & SSH_WRITE_PENDING ? EPOLLOUT : 0));
	}
}

void ssh_console_send(struct sim_host *h, const char *buf, size_t n)
{
	for (unsigned i = 0; h->ssh_sessions && i < ssh_g.cap; i++) {
		struct ssh_conn *c = ssh_g.conns[i];

		/* A session whose window is full loses the bytes, as a serial line would. */
		if (c && c->host == h && c->attached && !c->dead &&
		    ssh_channel_write(c->ch, buf, (uint32_t)n) < 0)
			c->dead = true;
	}
}

static int ssh_console_key(const struct sim_config *cfg, ssh_key *key, char *err, size_t n)
{
	char *b64 = NULL;

	if (cfg->ssh_host_key) {
		if (ssh_pki_import_privkey_file(cfg->ssh_host_key, NULL, NULL, NULL, key) != SSH_OK) {
			snprintf(err, n, "--ssh-host-key %s: cannot read a private key from it (OpenSSH "
			         "or PEM format, with no passphrase)", cfg->ssh_host_key);
			return -1;
		}
	} else if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, key) != SSH_OK) {
		snprintf(err, n, "cannot make an SSH host key (ED25519)");
		return -1;
	}
	if (ssh_pki_export_pubkey_base64(*key, &b64) != SSH_OK) {
		snprintf(err, n, "cannot export the SSH host key");
		ssh_key_free(*key);
		return -1;
	}
	snprintf(ssh_g.hostkey, sizeof(ssh_g.hostkey), "%s %s", ssh_key_type_to_char(ssh_key_type(*key)),
	         b64);
	ssh_string_free_char(b64);
	return 0;
}

int ssh_console_start(struct sim_host *hosts, unsigned nhosts, const struct sim_config *cfg, int ep,
                      char *err, size_t n)
{
	ssh_key key = NULL;
	bool no = false;

	ssh_g.ep = ep;
	ssh_g.cfg = cfg;
	ssh_g.hosts = hosts;
	ssh_g.nhosts = nhosts;
	if (ssh_console_key(cfg, &key, err, n) != 0)
		return -1;
	ssh_g.bind = ssh_bind_new();
	/* The key goes to the bind (it frees it); no system-wide sshd config. */
	if (!ssh_g.bind || ssh_bind_options_set(ssh_g.bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK) {
		snprintf(err, n, "cannot set up the SSH server");
		ssh_key_free(key);
		return -1;
	}
	ssh_bind_options_set(ssh_g.bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);
	for (unsigned i = 0; i < nhosts; i++) {
		struct sim_host *h = &hosts[i];
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = SIM_SSH_TAG_LISTEN | i };

		if (sim_listen(h->name, cfg->ssh_port ? cfg->ssh_port + i : 0, &h->ssh_fd, &h->ssh_port,
		               err, n) != 0)
			return -1;
		/* A hung BMC: the kernel completes handshakes, nobody accepts. */
		if (h->misbehave != SIM_MB_HANG && epoll_ctl(ep, EPOLL_CTL_ADD, h->ssh_fd, &e) != 0) {
			snprintf(err, n, "%s: SSH console: epoll: %s", h->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int ssh_console_known_hosts(const char *path, char *err, size_t n)
{
	char tmp[4200];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	ok = f != NULL;
	for (unsigned i = 0; ok && i < ssh_g.nhosts; i++)
		ok = fprintf(f, "[127.0.0.1]:%u %s\n", ssh_g.hosts[i].ssh_port, ssh_g.hostkey) > 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, n, "--ssh-known-hosts %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void ssh_console_stop(void)
{
	for (unsigned i = 0; i < ssh_g.cap; i++)
		if (ssh_g.conns[i])
			ssh_conn_free(ssh_g.conns[i]);
	free(ssh_g.conns);
	ssh_g.conns = NULL;
	ssh_g.cap = 0;
	for (unsigned i = 0; i < ssh_g.nhosts; i++) {
		if (ssh_g.hosts[i].ssh_fd >= 0)
			close(ssh_g.hosts[i].ssh_fd);
		ssh_g.hosts[i].ssh_fd = -1;
		serial_free(&ssh_g.hosts[i]);
	}
	if (ssh_g.bind)
		ssh_bind_free(ssh_g.bind);
	ssh_g.bind = NULL;
	ssh_finalize();
}

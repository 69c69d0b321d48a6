/* SSH consoles with libssh: BMCs and console servers that serve a
 * serial port over SSH (racktop/console-ssh, racktop/console-command).
 *
 * The handshake (connect, host key, authentication, pty, command) is
 * blocking libssh code, so it runs on a helper thread that lives only
 * until the channel is open; then the session goes non-blocking and
 * the caller's poll() takes its socket. An unknown host key stops the
 * helper until the operator answers; a changed one is refused. */
#include "console_int.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "text.h"

struct console_ssh {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool joinable;
	bool abandoned;          /* closed while the helper ran: the helper frees */
	bool done, ok;           /* the helper finished, and how */
	bool final;              /* failed so that a retry cannot help (console_retryable) */
	bool ask;                /* an unknown host key waits for an answer */
	int answer;              /* -1 none yet, 0 refuse, 1 accept */
	char err[CONSOLE_ERR];
	char hostkey[160];
	struct console *c;       /* only while !abandoned */

	char host[256];
	int port;
	char user[FLEET_STR];
	char *password;          /* heap, wiped */
	char command[256];
	char known_hosts[4096];
	char identity[4096];
	int timeout_s, rows, cols;

	ssh_session s;
	ssh_channel ch;
};

/* Messages cut to fit: paths and library errors can be long. */
__attribute__((format(printf, 3, 4))) static void console_ssh_msg(char *buf, size_t n,
								  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

static void console_ssh_destroy(struct console_ssh *x)
{
	if (x->ch) {
		ssh_channel_close(x->ch);
		ssh_channel_free(x->ch);
	}
	if (x->s) {
		ssh_disconnect(x->s);
		ssh_free(x->s);
	}
	text_wipe_free(x->password);
	pthread_mutex_destroy(&x->lock);
	pthread_cond_destroy(&x->cond);
	free(x);
}

void *console_ssh_prepare(struct console *c, const struct inventory_host *ih)
{
	struct console_ssh *x = calloc(1, sizeof(*x));
	const char *home = getenv("HOME");
	bool user_shown;

	if (!x) {
		console_fail(c, "%s: out of memory", ih->name);
		return NULL;
	}
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->cond, NULL);
	x->answer = -1;
	x->c = c;
	/* The console server, else the BMC itself; the port the inventory
	 * names, else the one the BMC advertises (Redfish SerialConsole.SSH),
	 * else 22. */
	snprintf(x->host, sizeof(x->host), "%s",
		 ih->console_ssh_host[0] ? ih->console_ssh_host : ih->address);
	x->port = ih->console_ssh_port > 0 ? ih->console_ssh_port
		  : c->cfg.ssh_port > 0    ? c->cfg.ssh_port
					   : 22;
	user_shown = ih->console_ssh_user[0] != '\0';
	snprintf(x->user, sizeof(x->user), "%s",
		 ih->console_ssh_user[0] ? ih->console_ssh_user : ih->username ? ih->username : "");
	if (ih->password)
		x->password = strdup(ih->password);
	snprintf(x->command, sizeof(x->command), "%s", ih->console_command);
	if (c->cfg.known_hosts)
		snprintf(x->known_hosts, sizeof(x->known_hosts), "%s", c->cfg.known_hosts);
	else
		snprintf(x->known_hosts, sizeof(x->known_hosts), "%s/.ssh/known_hosts",
			 home ? home : "");
	if (c->cfg.identity)
		snprintf(x->identity, sizeof(x->identity), "%s", c->cfg.identity);
	x->timeout_s = c->cfg.timeout_s;
	x->rows = c->rows;
	x->cols = c->cols;
	/* The user name may be the BMC's credential: shown only when the
	 * annotation gave it. */
	console_ssh_msg(c->target, sizeof(c->target), "ssh %s%s%s:%d%s%s", user_shown ? x->user : "",
		 user_shown ? "@" : "", x->host, x->port, x->command[0] ? " " : "", x->command);
	if (!x->host[0]) {
		console_fail(c, "%s: no SSH console host (racktop/console-ssh)", ih->name);
		console_ssh_destroy(x);
		return NULL;
	}
	return x;
}

/* [host]:port as known_hosts and people write it. */
static void console_ssh_where(const struct console_ssh *x, char *buf, size_t n)
{
	if (x->port == 22)
		snprintf(buf, n, "%s", x->host);
	else
		snprintf(buf, n, "[%s]:%d", x->host, x->port);
}

static bool console_ssh_fingerprint(struct console_ssh *x, char *buf, size_t n)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	if (ssh_get_server_publickey(x->s, &key) != SSH_OK)
		return false;
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0) {
		ssh_key_free(key);
		return false;
	}
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	snprintf(buf, n, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), fp ? fp : "?");
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return true;
}

/* Waits for the operator's answer to an unknown key; true: accepted. */
static bool console_ssh_ask(struct console_ssh *x, const char *fp)
{
	bool accept;

	pthread_mutex_lock(&x->lock);
	snprintf(x->hostkey, sizeof(x->hostkey), "%s", fp);
	x->ask = true;
	if (!x->abandoned)
		console_notify(x->c);
	while (x->answer < 0 && !x->abandoned)
		pthread_cond_wait(&x->cond, &x->lock);
	accept = x->answer == 1 && !x->abandoned;
	x->ask = false;
	pthread_mutex_unlock(&x->lock);
	return accept;
}

static bool console_ssh_hostkey(struct console_ssh *x, char *err, size_t n)
{
	char where[300], fp[160] = "?";
	enum ssh_known_hosts_e k = ssh_session_is_known_server(x->s);

	console_ssh_where(x, where, sizeof(where));
	console_ssh_fingerprint(x, fp, sizeof(fp));
	switch (k) {
	case SSH_KNOWN_HOSTS_OK:
		return true;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		console_ssh_msg(err, n,
			 "HOST KEY CHANGED for %s: it now offers %s, which is not the key in %s. "
			 "Refused: someone may be intercepting this connection. If the host really "
			 "has a new key, remove its old line from %s and connect again.",
			 where, fp, x->known_hosts, x->known_hosts);
		x->final = true;
		return false;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		if (!console_ssh_ask(x, fp)) {
			console_ssh_msg(err, n, "%s: host key %s refused by the operator", where, fp);
			x->final = true;
			return false;
		}
		if (ssh_session_update_known_hosts(x->s) != SSH_OK) {
			console_ssh_msg(err, n, "%s: cannot add the host key to %s: %s", where,
				 x->known_hosts, ssh_get_error(x->s));
			x->final = true;
			return false;
		}
		return true;
	default:
		console_ssh_msg(err, n, "%s: cannot check the host key against %s: %s", where,
			 x->known_hosts, ssh_get_error(x->s));
		x->final = true;
		return false;
	}
}

static bool console_ssh_auth(struct console_ssh *x, char *err, size_t n)
{
	char where[300];
	int rc = SSH_AUTH_DENIED;

	console_ssh_where(x, where, sizeof(where));
	if (x->identity[0]) {
		ssh_key pk = NULL;

		if (ssh_pki_import_privkey_file(x->identity, NULL, NULL, NULL, &pk) != SSH_OK) {
			console_ssh_msg(err, n, "%s: cannot read the SSH key %s", where, x->identity);
			x->final = true;
			return false;
		}
		rc = ssh_userauth_publickey(x->s, NULL, pk);
		ssh_key_free(pk);
	} else {
		rc = ssh_userauth_publickey_auto(x->s, NULL, NULL);
	}
	if (rc != SSH_AUTH_SUCCESS && x->password && rc != SSH_AUTH_ERROR)
		rc = ssh_userauth_password(x->s, NULL, x->password);
	if (rc == SSH_AUTH_SUCCESS)
		return true;
	/* Refused by the server (not a connection lost midway): each retry
	 * would count towards a lockout. */
	x->final = rc != SSH_AUTH_ERROR;
	console_ssh_msg(err, n, "%s: authentication failed (tried %s%s): %s", where,
		 x->identity[0] ? "the key " : "the agent and ~/.ssh keys",
		 x->identity[0] ? x->identity : "", ssh_get_error(x->s));
	if (x->password && strlen(err) + 20 < n)
		strcat(err, "; and the password");
	return false;
}

static bool console_ssh_connect(struct console_ssh *x, char *err, size_t n)
{
	long timeout = x->timeout_s;
	bool no = false;
	char where[300];

	console_ssh_where(x, where, sizeof(where));
	x->s = ssh_new();
	if (!x->s) {
		console_ssh_msg(err, n, "%s: ssh: out of memory", where);
		return false;
	}
	ssh_options_set(x->s, SSH_OPTIONS_HOST, x->host);
	ssh_options_set(x->s, SSH_OPTIONS_PORT, &x->port);
	if (x->user[0])
		ssh_options_set(x->s, SSH_OPTIONS_USER, x->user);
	ssh_options_set(x->s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(x->s, SSH_OPTIONS_KNOWNHOSTS, x->known_hosts);
	/* racktop's settings are the whole story: ~/.ssh/config could
	 * point the console elsewhere without the operator seeing it. */
	ssh_options_set(x->s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	if (ssh_connect(x->s) != SSH_OK) {
		console_ssh_msg(err, n, "%s: cannot connect: %s", where, ssh_get_error(x->s));
		return false;
	}
	if (!console_ssh_hostkey(x, err, n) || !console_ssh_auth(x, err, n))
		return false;
	x->ch = ssh_channel_new(x->s);
	if (!x->ch || ssh_channel_open_session(x->ch) != SSH_OK ||
	    ssh_channel_request_pty_size(x->ch, "xterm", x->cols, x->rows) != SSH_OK ||
	    (x->command[0] ? ssh_channel_request_exec(x->ch, x->command)
			   : ssh_channel_request_shell(x->ch)) != SSH_OK) {
		console_ssh_msg(err, n, "%s: cannot open the console channel%s%s: %s", where,
			 x->command[0] ? " running " : "", x->command, ssh_get_error(x->s));
		return false;
	}
	return true;
}

static void *console_ssh_thread(void *arg)
{
	struct console_ssh *x = arg;
	char err[CONSOLE_ERR] = "";
	bool ok = console_ssh_connect(x, err, sizeof(err));
	bool abandoned;

	pthread_mutex_lock(&x->lock);
	x->done = true;
	x->ok = ok;
	snprintf(x->err, sizeof(x->err), "%s", err);
	abandoned = x->abandoned;
	if (!abandoned)
		console_notify(x->c);
	pthread_mutex_unlock(&x->lock);
	if (abandoned)
		console_ssh_destroy(x);
	return NULL;
}

static int console_ssh_start(struct console *c)
{
	struct console_ssh *x = c->impl;
	int rc = pthread_create(&x->thread, NULL, console_ssh_thread, x);

	if (rc) {
		console_fail(c, "%s: cannot start the SSH helper: %s", c->host, strerror(rc));
		return -1;
	}
	x->joinable = true;
	return 0;
}

static void console_ssh_handover(struct console *c)
{
	struct console_ssh *x = c->impl;
	bool done, ok, ask, final;

	pthread_mutex_lock(&x->lock);
	done = x->done;
	ok = x->ok;
	final = x->final;
	ask = x->ask && x->answer < 0;
	if (ask)
		snprintf(c->hostkey, sizeof(c->hostkey), "%s", x->hostkey);
	pthread_mutex_unlock(&x->lock);
	if (ask) {
		c->state = CONSOLE_HOSTKEY_ASK;
		return;
	}
	if (!done)
		return;
	pthread_join(x->thread, NULL);
	x->joinable = false;
	if (!ok) {
		if (final)
			console_set_final(c);
		console_fail(c, "%s", x->err);
		return;
	}
	ssh_set_blocking(x->s, 0);
	c->state = CONSOLE_OPEN;
	/* The size may have changed while connecting. */
	if (c->rows != x->rows || c->cols != x->cols)
		ssh_channel_change_pty_size(x->ch, c->cols, c->rows);
}

static int console_ssh_fd(const struct console *c)
{
	const struct console_ssh *x = c->impl;

	return ssh_get_fd(x->s);
}

static short console_ssh_events(const struct console *c)
{
	return POLLIN;
}

static ssize_t console_ssh_read(struct console *c, char *buf, size_t n)
{
	struct console_ssh *x = c->impl;
	int r = ssh_channel_read_nonblocking(x->ch, buf, (uint32_t)n, 0);

	if (r > 0)
		return r;
	if (r == 0 || r == SSH_EOF) {
		int e = ssh_channel_read_nonblocking(x->ch, buf, (uint32_t)n, 1);

		if (e > 0)
			return e;
		if (r == SSH_EOF || ssh_channel_is_closed(x->ch) ||
		    (ssh_channel_is_eof(x->ch) && ssh_channel_poll(x->ch, 0) <= 0)) {
			console_fail(c, "%s: the console hung up (%s)", c->host, c->target);
			return -1;
		}
		if (e != SSH_ERROR)
			return 0;
	}
	console_fail(c, "%s: %s: %s", c->host, c->target, ssh_get_error(x->s));
	return -1;
}

static bool console_ssh_pending(const struct console *c)
{
	const struct console_ssh *x = c->impl;

	/* Not only bytes: an EOF or error that libssh already took off the
	 * socket (while writing, say) never wakes poll() again, so the read
	 * that notices the hang-up must come from here. */
	return ssh_channel_poll(x->ch, 0) != 0 || ssh_channel_poll(x->ch, 1) != 0;
}

static int console_ssh_write(struct console *c, const char *buf, size_t n)
{
	struct console_ssh *x = c->impl;

	return ssh_channel_write(x->ch, buf, (uint32_t)n) < 0 ? -1 : 0;
}

static void console_ssh_resize(struct console *c, int rows, int cols)
{
	struct console_ssh *x = c->impl;

	ssh_channel_change_pty_size(x->ch, cols, rows);
}

static int console_ssh_brk(struct console *c)
{
	struct console_ssh *x = c->impl;

	if (ssh_channel_request_send_break(x->ch, 300) != SSH_OK) {
		snprintf(c->err, sizeof(c->err), "%s: break not sent: %s", c->host,
			 ssh_get_error(x->s));
		return -1;
	}
	return 0;
}

static void console_ssh_hostkey_answer(struct console *c, bool accept)
{
	struct console_ssh *x = c->impl;

	pthread_mutex_lock(&x->lock);
	x->answer = accept ? 1 : 0;
	pthread_cond_signal(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

static void console_ssh_free(struct console *c)
{
	struct console_ssh *x = c->impl;
	bool running;

	c->impl = NULL;
	pthread_mutex_lock(&x->lock);
	running = x->joinable && !x->done;
	if (running) {
		/* Still connecting (up to the timeout): the helper finishes
		 * on its own and frees everything. */
		x->abandoned = true;
		x->c = NULL;
		pthread_cond_signal(&x->cond);
	}
	pthread_mutex_unlock(&x->lock);
	if (running) {
		pthread_detach(x->thread);
		return;
	}
	if (x->joinable)
		pthread_join(x->thread, NULL);
	console_ssh_destroy(x);
}

const struct console_ops console_ssh_ops = {
	.start = console_ssh_start,
	.handover = console_ssh_handover,
	.fd = console_ssh_fd,
	.events = console_ssh_events,
	.read = console_ssh_read,
	.pending = console_ssh_pending,
	.write = console_ssh_write,
	.resize = console_ssh_resize,
	.brk = console_ssh_brk,
	.hostkey_answer = console_ssh_hostkey_answer,
	.free = console_ssh_free,
};

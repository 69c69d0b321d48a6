/* IPMI serial-over-LAN consoles with libipmiconsole.
 *
 * No thread of ours: libipmiconsole's engine (started once, a few
 * threads for every session) runs the protocol and gives each session
 * a socket pair end; its callback tells us when the session is up or
 * failed, and from then on the caller polls that fd. */
#include "console_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ipmiconsole.h>

#include "text.h"

#define CONSOLE_SOL_ENGINE_THREADS 2

struct console_sol {
	pthread_mutex_t lock;
	ipmiconsole_ctx_t ctx;
	int fd;
	bool called;             /* the engine's callback ran */
	bool orphan;             /* closed before the callback: it frees */
	struct console *c;
	char where[300];
};

static pthread_once_t console_sol_once = PTHREAD_ONCE_INIT;
static int console_sol_engine_rc = -1;

static void console_sol_engine_init(void)
{
	console_sol_engine_rc = ipmiconsole_engine_init(CONSOLE_SOL_ENGINE_THREADS, 0);
}

static unsigned console_sol_workarounds(const struct inventory_host *ih)
{
	static const struct {
		unsigned inv, lib;
	} map[] = {
		{ INVENTORY_IPMI_WA_AUTHCAP, IPMICONSOLE_WORKAROUND_AUTHENTICATION_CAPABILITIES },
		{ INVENTORY_IPMI_WA_INTEL20, IPMICONSOLE_WORKAROUND_INTEL_2_0_SESSION },
		{ INVENTORY_IPMI_WA_SUPERMICRO20, IPMICONSOLE_WORKAROUND_SUPERMICRO_2_0_SESSION },
		{ INVENTORY_IPMI_WA_SUN20, IPMICONSOLE_WORKAROUND_SUN_2_0_SESSION },
		{ INVENTORY_IPMI_WA_OPENSESSPRIV, IPMICONSOLE_WORKAROUND_OPEN_SESSION_PRIVILEGE },
		{ INVENTORY_IPMI_WA_INTEGRITYCHECKVALUE,
		  IPMICONSOLE_WORKAROUND_NON_EMPTY_INTEGRITY_CHECK_VALUE },
		{ INVENTORY_IPMI_WA_NOCHECKSUMCHECK, IPMICONSOLE_WORKAROUND_NO_CHECKSUM_CHECK },
	};
	unsigned f = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ih->ipmi_workarounds & map[i].inv)
			f |= map[i].lib;
	if (ih->sol_workarounds & INVENTORY_SOL_WA_CHANNEL_SUPPORT)
		f |= IPMICONSOLE_WORKAROUND_SKIP_CHANNEL_PAYLOAD_SUPPORT;
	if (ih->sol_workarounds & INVENTORY_SOL_WA_PAYLOAD_SIZE)
		f |= IPMICONSOLE_WORKAROUND_IGNORE_SOL_PAYLOAD_SIZE;
	return f;
}

static void console_sol_destroy(struct console_sol *x)
{
	if (x->fd >= 0)
		close(x->fd);
	if (x->ctx)
		ipmiconsole_ctx_destroy(x->ctx);
	pthread_mutex_destroy(&x->lock);
	free(x);
}

void *console_sol_prepare(struct console *c, const struct inventory_host *ih)
{
	struct console_sol *x;
	struct ipmiconsole_ipmi_config ipmi;
	struct ipmiconsole_protocol_config proto;
	struct ipmiconsole_engine_config eng;
	char hostport[300];
	int port = ih->ipmi_port > 0 ? ih->ipmi_port : 623;

	snprintf(hostport, sizeof(hostport), "%s:%d", ih->address, port);
	snprintf(c->target, sizeof(c->target), "SOL %s", hostport);
	/* libipmiconsole 1.6 reads the port as a signed 16-bit number:
	 * above 32767 it fails with "hostname invalid" (and closes fd 0 on
	 * the way out, see console_sol_start). */
	if (port > 32767) {
		console_fail(c, "%s: %s: libipmiconsole cannot reach IPMI ports above 32767",
			     ih->name, hostport);
		return NULL;
	}
	pthread_once(&console_sol_once, console_sol_engine_init);
	if (console_sol_engine_rc < 0) {
		console_fail(c, "%s: cannot start the SOL engine (libipmiconsole): %s", ih->name,
			     strerror(errno));
		return NULL;
	}
	x = calloc(1, sizeof(*x));
	if (!x) {
		console_fail(c, "%s: out of memory", ih->name);
		return NULL;
	}
	pthread_mutex_init(&x->lock, NULL);
	x->fd = -1;
	x->c = c;
	snprintf(x->where, sizeof(x->where), "%s", hostport);
	memset(&ipmi, 0, sizeof(ipmi));
	ipmi.username = ih->username;
	ipmi.password = ih->password;
	ipmi.privilege_level = ih->ipmi_privilege == INVENTORY_IPMI_PRIV_USER
				       ? IPMICONSOLE_PRIVILEGE_USER
			       : ih->ipmi_privilege == INVENTORY_IPMI_PRIV_OPERATOR
				       ? IPMICONSOLE_PRIVILEGE_OPERATOR
				       : IPMICONSOLE_PRIVILEGE_ADMIN;
	ipmi.cipher_suite_id = ih->ipmi_cipher_suite;
	ipmi.workaround_flags = console_sol_workarounds(ih);
	memset(&proto, 0xff, sizeof(proto)); /* every field -1: the library's defaults */
	/* A dead BMC is noticed after twice the request timeout (at least
	 * 6 s); keepalives must come well inside that or the library
	 * refuses the configuration. */
	proto.session_timeout_len = c->cfg.timeout_s * 2000 > 6000 ? c->cfg.timeout_s * 2000 : 6000;
	proto.keepalive_timeout_len = proto.session_timeout_len / 3;
	proto.retransmission_keepalive_timeout_len = proto.keepalive_timeout_len / 2;
	memset(&eng, 0, sizeof(eng));
	/* Not IPMICONSOLE_ENGINE_CLOSE_FD: the engine would close our own
	 * descriptor behind our back; by default it closes its end, and we
	 * read EOF. A session already active elsewhere is an error unless
	 * the operator asked to take it over. */
	eng.engine_flags = 0;
	eng.behavior_flags = c->cfg.sol_takeover ? 0 : IPMICONSOLE_BEHAVIOR_ERROR_ON_SOL_INUSE;
	eng.debug_flags = 0;
	x->ctx = ipmiconsole_ctx_create(hostport, &ipmi, &proto, &eng);
	if (!x->ctx) {
		console_fail(c, "%s: %s: cannot set up SOL: %s", ih->name, hostport, strerror(errno));
		console_sol_destroy(x);
		return NULL;
	}
	return x;
}

/* From an engine thread: once, when the session is up or failed. */
static void console_sol_callback(void *arg)
{
	struct console_sol *x = arg;

	bool orphan;

	pthread_mutex_lock(&x->lock);
	x->called = true;
	if (x->c)
		console_notify(x->c);
	orphan = x->orphan;
	pthread_mutex_unlock(&x->lock);
	if (orphan) {
		pthread_mutex_destroy(&x->lock);
		free(x);
	}
}

static int console_sol_start(struct console *c)
{
	struct console_sol *x = c->impl;
	/* A failed submit in libipmiconsole 1.6 closes descriptors it never
	 * opened, which it holds as 0: the terminal's stdin. Keep a copy to
	 * put back. */
	int keep = dup(STDIN_FILENO);
	int rc = ipmiconsole_engine_submit(x->ctx, console_sol_callback, x);

	if (rc < 0 && keep >= 0 && fcntl(STDIN_FILENO, F_GETFD) < 0)
		dup2(keep, STDIN_FILENO);
	if (keep >= 0)
		close(keep);
	if (rc < 0) {
		console_fail(c, "%s: %s: %s", c->host, x->where,
			     ipmiconsole_ctx_errormsg(x->ctx));
		return -1;
	}
	return 0;
}

static void console_sol_error(struct console *c)
{
	struct console_sol *x = c->impl;
	int e = ipmiconsole_ctx_errnum(x->ctx);

	/* The BMC refused these credentials: each retry would count towards
	 * a lockout and none can succeed. */
	if (e == IPMICONSOLE_ERR_USERNAME_INVALID || e == IPMICONSOLE_ERR_PASSWORD_INVALID ||
	    e == IPMICONSOLE_ERR_K_G_INVALID || e == IPMICONSOLE_ERR_PRIVILEGE_LEVEL_INSUFFICIENT ||
	    e == IPMICONSOLE_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED)
		console_set_final(c);
	if (e == IPMICONSOLE_ERR_SOL_INUSE)
		console_fail(c, "%s: %s: SOL payload already active (someone else is on this "
				"console); reconnect with take-over to end their session",
			     c->host, x->where);
	else
		console_fail(c, "%s: %s: SOL: %s", c->host, x->where,
			     ipmiconsole_ctx_strerror(e));
}

static void console_sol_handover(struct console *c)
{
	struct console_sol *x = c->impl;
	bool called;

	pthread_mutex_lock(&x->lock);
	called = x->called;
	pthread_mutex_unlock(&x->lock);
	if (!called)
		return;
	if (ipmiconsole_ctx_status(x->ctx) != IPMICONSOLE_CTX_STATUS_SOL_ESTABLISHED) {
		console_sol_error(c);
		return;
	}
	x->fd = ipmiconsole_ctx_fd(x->ctx);
	/* The library's end is blocking: ours must not be, or a read with
	 * nothing there would freeze the screen. */
	if (x->fd < 0 || fcntl(x->fd, F_SETFL, fcntl(x->fd, F_GETFL) | O_NONBLOCK) < 0) {
		console_sol_error(c);
		return;
	}
	/* ipmi_sim (and some BMCs) drop a new session's first packet when
	 * its sequence number repeats the last session's: a NUL, which the
	 * host ignores, goes first so that no key of the operator's is lost. */
	if (write(x->fd, "", 1) < 0) {
		console_sol_error(c);
		return;
	}
	c->state = CONSOLE_OPEN;
}

static int console_sol_fd(const struct console *c)
{
	const struct console_sol *x = c->impl;

	return x->fd;
}

static short console_sol_events(const struct console *c)
{
	return POLLIN;
}

static ssize_t console_sol_read(struct console *c, char *buf, size_t n)
{
	struct console_sol *x = c->impl;
	ssize_t r = read(x->fd, buf, n);

	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (ipmiconsole_ctx_errnum(x->ctx) != IPMICONSOLE_ERR_SUCCESS)
		console_sol_error(c);
	else
		console_fail(c, "%s: %s: the SOL session ended", c->host, x->where);
	return -1;
}

static bool console_sol_pending(const struct console *c)
{
	return false;
}

static int console_sol_write(struct console *c, const char *buf, size_t n)
{
	struct console_sol *x = c->impl;

	while (n) {
		ssize_t w = write(x->fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void console_sol_resize(struct console *c, int rows, int cols)
{
	/* A serial line has no size: the host keeps its own idea of it. */
}

static int console_sol_brk(struct console *c)
{
	struct console_sol *x = c->impl;

	if (ipmiconsole_ctx_generate_break(x->ctx) < 0) {
		snprintf(c->err, sizeof(c->err), "%s: break not sent: %s", c->host,
			 ipmiconsole_ctx_errormsg(x->ctx));
		return -1;
	}
	return 0;
}

static void console_sol_hostkey_answer(struct console *c, bool accept)
{
}

static void console_sol_free(struct console *c)
{
	struct console_sol *x = c->impl;

	c->impl = NULL;
	/* The callback may still come from an engine thread: after this it
	 * has no console to wake. */
	bool wait_cb;

	pthread_mutex_lock(&x->lock);
	x->c = NULL;
	wait_cb = !x->called;
	x->orphan = wait_cb;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (x->ctx)
		ipmiconsole_ctx_destroy(x->ctx);
	x->ctx = NULL;
	pthread_mutex_unlock(&x->lock);
	if (!wait_cb)
		console_sol_destroy(x);
}

const struct console_ops console_sol_ops = {
	.start = console_sol_start,
	.handover = console_sol_handover,
	.fd = console_sol_fd,
	.events = console_sol_events,
	.read = console_sol_read,
	.pending = console_sol_pending,
	.write = console_sol_write,
	.resize = console_sol_resize,
	.brk = console_sol_brk,
	.hostkey_answer = console_sol_hostkey_answer,
	.free = console_sol_free,
};

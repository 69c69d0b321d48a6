/* The console session abstraction (console.h): the state machine and
 * the log; the kinds fill struct console_ops (console_int.h). */
#include "console_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

void console_default_log_dir(char *buf, size_t n)
{
	/* "" without HOME: console_log_open() then says to give a directory. */
	console_log_default_dir(buf, n);
}

int console_kind_for(const struct inventory_host *ih, char *err, size_t errlen)
{
	if (ih->console == INVENTORY_CONSOLE_SSH ||
	    (ih->console == INVENTORY_CONSOLE_AUTO && ih->console_ssh_host[0]))
		return CONSOLE_KIND_SSH;
	if (ih->console == INVENTORY_CONSOLE_SOL ||
	    (ih->console == INVENTORY_CONSOLE_AUTO &&
	     (ih->protocol == FLEET_PROTO_IPMI || ih->ipmi_fallback)))
		return ih->address[0] ? CONSOLE_KIND_SOL : -1;
	snprintf(err, errlen,
		 "%s: no console configured (annotate its Machine with racktop/console-ssh: "
		 "user@host:port, or give it an IPMI connection for SOL)",
		 ih->name);
	return -1;
}

void console_notify(struct console *c)
{
	char b = 1;

	if (write(c->notify[1], &b, 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
}

void console_notify_drain(struct console *c)
{
	char buf[64];

	while (read(c->notify[0], buf, sizeof(buf)) > 0) {
	}
}

void console_fail(struct console *c, const char *fmt, ...)
{
	va_list ap;
	char raw[CONSOLE_ERR];

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Library messages may carry whatever the far side said. */
	text_clean(c->err, sizeof(c->err), raw);
	if (c->state != CONSOLE_CLOSED)
		console_log_event(c->log, "session ended: %s", c->err);
	c->state = CONSOLE_CLOSED;
}

struct console *console_open(const struct console_config *cfg, const struct inventory_host *ih,
			     int rows, int cols, char *err, size_t errlen)
{
	struct console *c;
	char dir[4096];
	int kind = console_kind_for(ih, err, errlen);

	if (kind < 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s: console: out of memory", ih->name);
		return NULL;
	}
	c->cfg = *cfg;
	if (c->cfg.timeout_s <= 0)
		c->cfg.timeout_s = 10;
	c->kind = (enum console_kind)kind;
	c->ops = kind == CONSOLE_KIND_SSH ? &console_ssh_ops : &console_sol_ops;
	c->rows = rows > 0 ? rows : 24;
	c->cols = cols > 0 ? cols : 80;
	snprintf(c->host, sizeof(c->host), "%s", ih->name);
	c->notify[0] = c->notify[1] = -1;
	if (pipe2(c->notify, O_NONBLOCK | O_CLOEXEC) < 0) {
		snprintf(err, errlen, "%s: console: pipe: %s", ih->name, strerror(errno));
		free(c);
		return NULL;
	}
	if (cfg->log_dir)
		snprintf(dir, sizeof(dir), "%s", cfg->log_dir);
	else
		console_default_log_dir(dir, sizeof(dir));
	c->log = console_log_open(dir, ih->name, err, errlen);
	if (!c->log) {
		close(c->notify[0]);
		close(c->notify[1]);
		free(c);
		return NULL;
	}
	c->state = CONSOLE_CONNECTING;
	/* The kind's start fills target and impl from IH. */
	if (c->kind == CONSOLE_KIND_SSH)
		c->impl = console_ssh_prepare(c, ih);
	else
		c->impl = console_sol_prepare(c, ih);
	if (!c->impl || c->ops->start(c) < 0) {
		snprintf(err, errlen, "%s", c->err[0] ? c->err : "console: cannot start");
		console_close(c);
		return NULL;
	}
	console_log_event(c->log, "opening %s", c->target);
	return c;
}

void console_close(struct console *c)
{
	if (!c)
		return;
	if (c->impl)
		c->ops->free(c);
	if (c->state != CONSOLE_CLOSED)
		console_log_event(c->log, "closed by the operator");
	console_log_close(c->log);
	if (c->notify[0] >= 0)
		close(c->notify[0]);
	if (c->notify[1] >= 0)
		close(c->notify[1]);
	free(c);
}

int console_fd(const struct console *c)
{
	if (c->state == CONSOLE_OPEN)
		return c->ops->fd(c);
	return c->notify[0];
}

short console_events(const struct console *c)
{
	if (c->state == CONSOLE_OPEN)
		return c->ops->events(c);
	return POLLIN;
}

ssize_t console_read(struct console *c, char *buf, size_t n)
{
	ssize_t r;

	switch (c->state) {
	case CONSOLE_CLOSED:
		console_notify_drain(c);
		return -1;
	case CONSOLE_CONNECTING:
	case CONSOLE_HOSTKEY_ASK:
		console_notify_drain(c);
		c->ops->handover(c);
		if (c->state == CONSOLE_OPEN) {
			c->was_open = true;
			console_log_event(c->log, "connected to %s", c->target);
		}
		if (c->state != CONSOLE_OPEN)
			return c->state == CONSOLE_CLOSED ? -1 : 0;
		/* fall through: bytes may be there already */
	case CONSOLE_OPEN:
		break;
	}
	r = c->ops->read(c, buf, n);
	if (r > 0 && console_log_write(c->log, buf, (size_t)r) < 0 && !c->err[0])
		snprintf(c->err, sizeof(c->err), "console log %s: %s",
			 console_log_raw_path(c->log), strerror(errno));
	return r;
}

bool console_pending(const struct console *c)
{
	return c->state == CONSOLE_OPEN && c->ops->pending(c);
}

int console_write(struct console *c, const char *buf, size_t n)
{
	if (c->state != CONSOLE_OPEN)
		return -1;
	return c->ops->write(c, buf, n);
}

void console_resize(struct console *c, int rows, int cols)
{
	if (rows <= 0 || cols <= 0 || (rows == c->rows && cols == c->cols))
		return;
	c->rows = rows;
	c->cols = cols;
	if (c->state == CONSOLE_OPEN)
		c->ops->resize(c, rows, cols);
}

int console_send_break(struct console *c)
{
	if (c->state != CONSOLE_OPEN) {
		snprintf(c->err, sizeof(c->err), "%s: the console is not open", c->host);
		return -1;
	}
	console_log_event(c->log, "break sent");
	return c->ops->brk(c);
}

void console_hostkey_answer(struct console *c, bool accept)
{
	if (c->state != CONSOLE_HOSTKEY_ASK)
		return;
	console_log_event(c->log, "host key %s %s by the operator", c->hostkey,
			  accept ? "accepted" : "refused");
	c->state = CONSOLE_CONNECTING;
	c->ops->hostkey_answer(c, accept);
}

void console_note(struct console *c, const char *fmt, ...)
{
	va_list ap;
	char raw[CONSOLE_ERR];

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	console_log_event(c->log, "%s", raw);
}

void console_set_final(struct console *c) { c->final = true; }

bool console_was_open(const struct console *c) { return c->was_open; }
bool console_retryable(const struct console *c) { return !c->final; }
enum console_state console_state(const struct console *c) { return c->state; }
enum console_kind console_kind(const struct console *c) { return c->kind; }
const char *console_error(const struct console *c) { return c->err; }
const char *console_host(const struct console *c) { return c->host; }
const char *console_target(const struct console *c) { return c->target; }
const char *console_log_path(const struct console *c) { return console_log_raw_path(c->log); }
const char *console_hostkey(const struct console *c) { return c->hostkey; }

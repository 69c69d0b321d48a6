/* What console.c shares with its two kinds (console_ssh.c,
 * console_sol.c). Not for callers: they use console.h. */
#ifndef RACKTOP_CONSOLE_INT_H
#define RACKTOP_CONSOLE_INT_H

#include <pthread.h>

#include "console.h"
#include "console_log.h"

struct console_ops {
	/* Begins connecting; a helper (thread or library engine) writes a
	 * byte to c->notify[1] when the state should change. -1 with c->err. */
	int (*start)(struct console *c);
	/* On the caller's thread when notify fired: move to OPEN, HOSTKEY_ASK
	 * or CLOSED (with c->err). */
	void (*handover)(struct console *c);
	int (*fd)(const struct console *c);
	short (*events)(const struct console *c);
	/* OPEN only: >0 bytes, 0 none now, -1 ended (c->err set). */
	ssize_t (*read)(struct console *c, char *buf, size_t n);
	bool (*pending)(const struct console *c);
	int (*write)(struct console *c, const char *buf, size_t n);
	void (*resize)(struct console *c, int rows, int cols);
	int (*brk)(struct console *c);
	void (*hostkey_answer)(struct console *c, bool accept);
	/* Ends the session; must not block on the network for long. */
	void (*free)(struct console *c);
};

struct console {
	const struct console_ops *ops;
	enum console_kind kind;
	enum console_state state;   /* changed on the caller's thread only */
	bool was_open;              /* reached CONSOLE_OPEN once */
	bool final;                 /* ended with what a retry cannot fix (console_retryable) */
	struct console_config cfg;
	char host[FLEET_STR];
	char target[320];
	char err[CONSOLE_ERR];
	char hostkey[160];
	int notify[2];              /* helper -> caller: "look at me" */
	int rows, cols;
	struct console_log *log;
	void *impl;
};

extern const struct console_ops console_ssh_ops;
extern const struct console_ops console_sol_ops;

/* Fill c->target and return the kind's state (c->impl) for IH; NULL
 * with console_fail() when IH lacks what the kind needs. */
void *console_ssh_prepare(struct console *c, const struct inventory_host *ih);
void *console_sol_prepare(struct console *c, const struct inventory_host *ih);

/* Wakes the caller's poll(); safe from any thread. */
void console_notify(struct console *c);
/* Empties the notify pipe. */
void console_notify_drain(struct console *c);
/* Marks the session ended with a message (printf format). */
void console_fail(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks the session's end as one that retrying cannot fix. */
void console_set_final(struct console *c);

#endif

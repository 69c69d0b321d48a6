/* A console session: the serial console of one host as a byte stream
 * with a file descriptor for poll(). Two kinds behind one interface:
 * SSH (console_ssh.c, libssh: BMCs and console servers that serve the
 * serial port over SSH) and IPMI serial-over-LAN (console_sol.c,
 * libipmiconsole). Every byte read is written to the host's console log
 * (console_log.c) before the caller sees it.
 *
 * Opening never blocks: the SSH handshake runs on a short-lived helper
 * thread and SOL on libipmiconsole's own engine threads; both hand over
 * through console_fd(). Everything else is called from one thread (the
 * UI's) and never blocks either. */
#ifndef RACKTOP_CONSOLE_H
#define RACKTOP_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "inventory.h"

#define CONSOLE_ERR 512

enum console_kind {
	CONSOLE_KIND_SSH = 0,
	CONSOLE_KIND_SOL,
};

enum console_state {
	CONSOLE_CONNECTING = 0,
	CONSOLE_HOSTKEY_ASK,     /* an unknown SSH host key waits for the operator */
	CONSOLE_OPEN,
	CONSOLE_CLOSED,          /* hung up or failed: console_error() says why */
};

struct console_config {
	const char *log_dir;     /* per-host logs; NULL: $XDG_STATE_HOME/racktop/consoles */
	const char *known_hosts; /* SSH known_hosts; NULL: ~/.ssh/known_hosts */
	const char *identity;    /* SSH private key; NULL: the agent and ~/.ssh/id_* */
	int timeout_s;           /* connecting (10) */
	bool sol_takeover;       /* take over an SOL payload already active elsewhere */
	bool reconnect;          /* reconnect a dropped session by itself (console_reconnect) */
	int ssh_port;            /* the BMC's SSH console port (Redfish Manager SerialConsole.SSH),
				  * used when the inventory names none; 0: 22 */
};

struct console;

/* Which console IH has, per its annotations (inventory.h): SSH when
 * racktop/console-ssh is set or racktop/console says ssh, else SOL
 * for hosts with an IPMI connection. -1 with ERR when none. */
int console_kind_for(const struct inventory_host *ih, char *err, size_t errlen);

/* Starts connecting to IH's console with a terminal of ROWS x COLS.
 * NULL with ERR filled when it cannot even start (no target, the log
 * cannot be opened). Credentials are copied and wiped on close. */
struct console *console_open(const struct console_config *cfg, const struct inventory_host *ih,
			     int rows, int cols, char *err, size_t errlen);
/* Closes the session (the far side sees a hang-up) and the log. */
void console_close(struct console *c);

/* What to poll: an fd (never -1 before CLOSED) and POLLIN/POLLOUT. */
int console_fd(const struct console *c);
short console_events(const struct console *c);

/* Reads what arrived (the handshake advances here too). >0: bytes
 * (already in the log); 0: nothing now; -1: the session ended
 * (state CLOSED, console_error() says why). */
ssize_t console_read(struct console *c, char *buf, size_t n);
/* True when bytes wait inside the library: read again before poll(). */
bool console_pending(const struct console *c);
/* Sends operator input; -1 when the session is not open. */
int console_write(struct console *c, const char *buf, size_t n);
/* A new terminal size (SSH: the pty follows; SOL has none). */
void console_resize(struct console *c, int rows, int cols);
/* A serial Break; -1 with console_error() when it could not be sent. */
int console_send_break(struct console *c);

enum console_state console_state(const struct console *c);
enum console_kind console_kind(const struct console *c);
const char *console_error(const struct console *c);
const char *console_host(const struct console *c);    /* inventory name */
const char *console_target(const struct console *c);  /* "ssh root@10.0.0.5:22" */
const char *console_log_path(const struct console *c);/* raw log, NULL when none */
/* CONSOLE_HOSTKEY_ASK: "ssh-ed25519 SHA256:..." of the unknown key. */
const char *console_hostkey(const struct console *c);
/* The operator's answer to CONSOLE_HOSTKEY_ASK: accept adds the key to
 * known_hosts and goes on; refuse ends the session. */
void console_hostkey_answer(struct console *c, bool accept);

/* True once the session reached CONSOLE_OPEN: a later CLOSED is a drop,
 * not a failure to connect. */
bool console_was_open(const struct console *c);
/* False once the session ended with what trying again cannot fix and
 * could make worse: an authentication failure (a lockout counts them),
 * a host key that changed, was refused or cannot be checked. Automatic
 * reconnection stops there; the operator may still try (^] r). */
bool console_retryable(const struct console *c);
/* A line of racktop's own in the session's timestamped log (reconnect
 * attempts and the like). */
void console_note(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Where logs go by default (into BUF; "" without HOME and XDG_STATE_HOME). */
void console_default_log_dir(char *buf, size_t n);

#endif

/* The audit log: an append-only record of every action taken, one JSON
 * object a line (doc/racktop.1, AUDIT LOG). Each line goes out in one
 * write() on an O_APPEND descriptor and is fsync'd before audit_write()
 * returns, so a line the caller then reports is on disk whole, and a
 * racktop killed at any moment leaves no torn line. Thread-safe: the
 * engine thread writes results while the UI thread writes requests. */
#ifndef RACKTOP_AUDIT_H
#define RACKTOP_AUDIT_H

#include <stddef.h>

struct audit;

struct audit_entry {
	const char *const *hosts;  /* host names */
	size_t nhosts;
	const char *action;        /* the batch word: "cycle", "pxe", "bmc-reset" */
	const char *protocol;      /* "redfish", "ipmi" */
	const char *result;        /* "requested", "accepted" (a power action the BMC took; a
				    * "done" or "not reached" line follows), "done",
				    * "not reached", "failed", "cancelled" */
	const char *error;         /* why not (failed, cancelled); NULL: none */
	const char *answer;        /* the BMC's answer (done); NULL: none */
};

/* $XDG_STATE_HOME/racktop/audit.log, else ~/.local/state/racktop/audit.log.
 * 0, or -1 when neither variable is set. */
int audit_default_path(char *buf, size_t n);

/* Opens PATH for appending (created 0600; missing directories 0700).
 * Refused: a symbolic link, anything but a regular file (a FIFO would
 * block), a file of another user's or one group or others may write.
 * The operator is the real uid's account name; $USER, $SUDO_USER (when
 * they differ) and the SSH client's address are recorded beside it.
 * NULL with ERR naming the path and the reason. */
struct audit *audit_open(const char *path, char *err, size_t errlen);
void audit_close(struct audit *a);
const char *audit_path(const struct audit *a);
const char *audit_operator(const struct audit *a);

/* Appends one line and syncs it. 0, or -1 with ERR (the line may then
 * be missing, never torn by another writer). */
int audit_write(struct audit *a, const struct audit_entry *e, char *err, size_t errlen);
/* Lines written and synced so far (for tests). */
unsigned long audit_synced(struct audit *a);

#endif

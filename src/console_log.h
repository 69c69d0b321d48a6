/* The console log of one host, written as bytes arrive (conman's
 * "timestamps in the log"). Two files in the log directory:
 *   HOST.log   every byte the host sent, unchanged: byte for byte what
 *              came over the wire (replay on attach reads its tail)
 *   HOST.tlog  the same bytes, each line prefixed with its arrival time
 *              (UTC, milliseconds), plus session open/close lines
 * Each chunk goes to the kernel with write(2) at once, unbuffered, so
 * the logs are complete whenever and however racktop ends. */
#ifndef RACKTOP_CONSOLE_LOG_H
#define RACKTOP_CONSOLE_LOG_H

#include <stdbool.h>
#include <stddef.h>

struct console_log;

/* Opens (appending, creating DIR with mode 0700) DIR/HOST.log and
 * DIR/HOST.tlog. Refused: an empty DIR, a DIR of another user's or one
 * group or others may write, a log that is a symlink or not a regular
 * file. NULL with ERR naming the path on failure. */
struct console_log *console_log_open(const char *dir, const char *host, char *err, size_t errlen);
/* The host's bytes: into both files. -1 when a write failed. */
int console_log_write(struct console_log *l, const char *buf, size_t n);
/* A line of racktop's own into the timestamped log only. */
void console_log_event(struct console_log *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void console_log_close(struct console_log *l);
const char *console_log_raw_path(const struct console_log *l);
/* $XDG_STATE_HOME/racktop/consoles, else ~/.local/state/racktop/consoles.
 * -1 (and "") when neither variable is set: there is no default then. */
int console_log_default_dir(char *buf, size_t n);
/* The raw log's path for HOST in DIR (into BUF); "" when DIR is "". */
void console_log_path_for(const char *dir, const char *host, char *buf, size_t n);
/* The last MAX bytes of PATH, from a line start when one is in them
 * (malloc'd into *OUT). 0, or -1 when there is no log. */
int console_log_tail(const char *path, size_t max, char **out, size_t *outlen);

#endif

/* Checks on the error messages of the file parsers' harnesses: clean
 * text that names the file, and a line the file can have. */
#ifndef RACKTOP_FUZZ_MSG_H
#define RACKTOP_FUZZ_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The highest line a YAML or text parser may report for D (N bytes):
 * every byte that may end a line (\n, \r, NEL, LS, PS) or start an
 * escape that makes one (\n in a double-quoted scalar), plus 2; INT_MAX
 * for UTF-16 input, whose breaks are not those bytes. */
int fuzz_msg_max_line(const uint8_t *d, size_t n);

/* Aborts unless MSG passes fuzz_check_text() and starts with FILE and a
 * colon ("DIR/": with DIR/NAME and a colon); "FILE:N:" (or "FILE:N" at
 * the end) must have 1 <= N <= MAX_LINE. NEED_LINE: the line is
 * required. Returns N, or 0 when MSG has none. */
int fuzz_check_msg(const char *what, const char *msg, const char *file, int max_line,
		   bool need_line);

/* Aborts, naming WHAT, unless V is in [MIN, MAX]. */
void fuzz_check_range(const char *what, long v, long min, long max);

#endif

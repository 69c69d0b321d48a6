/* The hosts an action or a workflow start will touch: the marked ones
 * (else the one under the cursor), named in its menu and question,
 * with how many of them the filter hides: a mark outlives the filter
 * that showed it, and a host off the screen must not be acted on
 * unseen. After the action is sent the marks clear, unless
 * --keep-marks (racktop.conf keep_marks) keeps them. */
#ifndef RACKTOP_UI_TARGETS_H
#define RACKTOP_UI_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

struct ui;

/* How many of HOSTS the fleet view does not show (filtered out). */
size_t targets_hidden(const struct ui *ui, const size_t *hosts, size_t n);
/* "gpu-node-001, gpu-node-002 and 3 more": as many names as fit WIDTH
 * columns, the rest counted. */
void targets_names(const struct ui *ui, const size_t *hosts, size_t n, int width, char *buf,
		   size_t len);
/* "2 of them hidden by the filter" ("hidden by the filter" for one
 * host); "" when HIDDEN is 0. */
void targets_hidden_note(size_t n, size_t hidden, char *buf, size_t len);
/* An action went out on the marked hosts (FROM_MARKS): clears the
 * marks unless they are kept. True when it cleared them. */
bool targets_sent(struct ui *ui, bool from_marks);

#endif

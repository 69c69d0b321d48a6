/* Console panes beside the fleet view: open, lay out (side by side or
 * stacked, zoom), focus, route keys, poll console fds. Keys typed go to
 * the focused pane only; the escape key (default Ctrl-]) is never sent
 * to a host: it introduces pane commands (doc/consoles.md). */
#ifndef RACKTOP_UI_PANE_H
#define RACKTOP_UI_PANE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "console.h"
#include "inventory.h"

#define PANE_MAX 8

struct ui;
struct panes;

/* INV may be NULL (no consoles can open: display-only screens). */
struct panes *pane_new(const struct inventory *inv, const struct console_config *cfg,
		       int escape_key);
void pane_free(struct panes *p);
/* The escape key's control character (0x1d: Ctrl-]); P may be NULL. */
int pane_escape_key(const struct panes *p);
bool pane_any(const struct ui *ui);
bool pane_focused(const struct ui *ui);
/* How many consoles are open, and pane I's host name. */
size_t pane_count(const struct ui *ui);
const char *pane_name(const struct ui *ui, size_t i);

/* Opens HOST's console in a new pane (or focuses the open one). */
void pane_open(struct ui *ui, size_t host);
/* By inventory name; -1 with ERR when there is no such host. */
int pane_open_name(struct ui *ui, const char *name, char *err, size_t n);
/* From the fleet or host view to the panes (none open: says so). */
void pane_focus_consoles(struct ui *ui);

/* A key: true when the panes took it. */
bool pane_key(struct ui *ui, bool keycode, wint_t ch);

/* Rows the fleet/host view may draw in (as its LINES): all when no pane
 * shows, 0 when a console is zoomed. */
int pane_fleet_lines(const struct ui *ui);
void pane_draw(struct ui *ui);
/* After the status line: the host's cursor in the focused pane. */
void pane_place_cursor(struct ui *ui);
/* The status line's hints while the panes have focus; NULL otherwise.
 * *HELP: the item naming the help key (kept at any width), or NULL. */
const char *pane_hints(const struct ui *ui, const char **help);

/* Console fds into PFD (at most MAX); how many. */
int pane_pollfds(struct ui *ui, struct pollfd *pfd, int max);
/* Reads what the polled fds have; true when a pane needs a redraw. */
bool pane_io(struct ui *ui, const struct pollfd *pfd, int n);
/* Ms until a pane's timer (a reconnect, its countdown) wants pane_io(),
 * or -1: the UI loop's poll() sleeps no longer than this. */
int pane_timeout_ms(const struct ui *ui);
/* Bytes wait inside a library: poll without sleeping. */
bool pane_pending(const struct ui *ui);

#endif

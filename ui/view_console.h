/* The terminal inside a console pane: a libvterm screen fed with the
 * host's bytes, a scrollback of its own, drawn cell by cell through
 * ncurses. Nothing the host sends reaches the operator's terminal
 * except as cells drawn here, so a host cannot retitle, recolour or
 * take over that terminal. */
#ifndef RACKTOP_UI_VIEW_CONSOLE_H
#define RACKTOP_UI_VIEW_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#define VIEW_CONSOLE_SCROLLBACK 10000

struct view_console;

struct view_console *view_console_new(int rows, int cols, size_t scrollback);
void view_console_free(struct view_console *vc);

/* The host's bytes, into the emulator. */
void view_console_feed(struct view_console *vc, const char *buf, size_t n);
/* The pane's inner size changed; true when it did. */
bool view_console_resize(struct view_console *vc, int rows, int cols);
void view_console_size(const struct view_console *vc, int *rows, int *cols);

/* Draws the screen (or the scrolled-back view) into H x W cells at Y,X
 * of stdscr. *CY,*CX: where the host's cursor is (-1 when hidden). */
void view_console_draw(struct view_console *vc, int y, int x, int h, int w, int *cy, int *cx);

/* An operator key, as the host's terminal would send it (cursor-key
 * mode and all); the bytes wait in view_console_output(). */
void view_console_key(struct view_console *vc, bool keycode, wint_t ch);
/* Bytes for the host (keys, answers to its queries); returns how many. */
size_t view_console_output(struct view_console *vc, char *buf, size_t n);

/* Copy mode: the view stops following the host and a line cursor
 * moves through the scrollback (at least VIEW_CONSOLE_SCROLLBACK
 * lines) and the screen; output keeps arriving underneath. */
void view_console_copy_mode(struct view_console *vc, bool on);
bool view_console_copying(const struct view_console *vc);
void view_console_cursor_move(struct view_console *vc, int delta);
/* Lines between the live screen's top and the view's top. */
long view_console_scrolled(const struct view_console *vc);
size_t view_console_history(const struct view_console *vc);
/* Searches from the cursor's line for NEEDLE (plain text, any case):
 * OLDER toward older lines (up), else toward newer ones (down, to the
 * screen's last line); moves the cursor to the nearest hit. False when
 * none (the cursor stays). */
bool view_console_search(struct view_console *vc, const char *needle, bool older);
/* Sets or clears the selection's other end at the cursor. */
void view_console_mark(struct view_console *vc);
bool view_console_marked(const struct view_console *vc);
/* The lines from the mark to the cursor (the cursor's line when no
 * mark) as UTF-8 text, one line each, trailing blanks cut; malloc'd. */
char *view_console_selection(const struct view_console *vc);

/* Colour pairs for host colours start here (below: the theme's). */
void view_console_colours(bool colour);

#endif

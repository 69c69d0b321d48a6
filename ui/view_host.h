/* The host view: one host's inventory, every GPU with meters, the other
 * sensors and the newest log entries, as one scrolling page. */
#ifndef RACKTOP_UI_VIEW_HOST_H
#define RACKTOP_UI_VIEW_HOST_H

#include <stddef.h>

#include "keys.h"

struct view_host {
	size_t host;       /* index in the snapshot */
	int scroll;        /* first page line shown */
	int lines;         /* page length at the last draw */
};

struct ui;

void view_host_open(struct ui *ui, size_t host);
void view_host_draw(struct ui *ui);
void view_host_action(struct ui *ui, enum keys_action a);

#endif

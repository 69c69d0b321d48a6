/* The notices view: problems found before the screen started (the
 * inventory's "file:line: message" lines), one per line. */
#ifndef RACKTOP_UI_VIEW_NOTICES_H
#define RACKTOP_UI_VIEW_NOTICES_H

#include "keys.h"

struct ui;

void view_notices_draw(struct ui *ui);
void view_notices_action(struct ui *ui, enum keys_action a);

#endif

/* The help screen, generated from the binding table (keys.c). */
#ifndef RACKTOP_UI_HELP_H
#define RACKTOP_UI_HELP_H

#include "keys.h"

struct ui;

void help_draw(struct ui *ui);
void help_action(struct ui *ui, enum keys_action a);

#endif

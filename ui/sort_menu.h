/* The fleet view's sort chooser (s): the sortable columns, each with a
 * key, the current one marked. A key or Enter picks; the current column
 * again reverses it (as S does). */
#ifndef RACKTOP_UI_SORT_MENU_H
#define RACKTOP_UI_SORT_MENU_H

#include <stdbool.h>
#include <wchar.h>

struct sort_menu_col {
	char key;
	const char *name;
	bool descending;         /* the order that reads naturally: worst, hottest first */
};

/* COL: an enum view_fleet_col. */
const struct sort_menu_col *sort_menu_info(int col);

struct ui;

void sort_menu_open(struct ui *ui);
bool sort_menu_active(const struct ui *ui);
void sort_menu_key(struct ui *ui, bool keycode, wint_t ch);
void sort_menu_draw(struct ui *ui);

#endif

#include "sort_menu.h"

#include <stdio.h>

#include <curses.h>

#include "draw.h"
#include "theme.h"
#include "ui_state.h"

/* Sort directions that read naturally: names A..Z, worst health first
 * (unreachable, critical, warning, OK), hottest and hungriest first,
 * errors then oldest data first. */
static const struct sort_menu_col sort_menu_cols[VF_COLS] = {
	[VF_COL_NAME] = { 'n', "name", false },
	[VF_COL_POWER] = { 'p', "power", false },
	[VF_COL_HEALTH] = { 'h', "health", true },
	[VF_COL_GPUS] = { 'g', "GPUs (worst state)", true },
	[VF_COL_TEMP] = { 't', "temperature", true },
	[VF_COL_WATTS] = { 'w', "GPU power", true },
	[VF_COL_STATUS] = { 'l', "last poll / error", true },
};

#define SORT_MENU_WIDTH 50

const struct sort_menu_col *sort_menu_info(int col)
{
	return &sort_menu_cols[col >= 0 && col < VF_COLS ? col : VF_COL_NAME];
}

void sort_menu_open(struct ui *ui)
{
	ui->vf.sort_menu = true;
	ui->vf.sort_menu_cursor = ui->vf.sort;
}

bool sort_menu_active(const struct ui *ui)
{
	return ui->vf.sort_menu && ui->view == UI_VIEW_FLEET;
}

static void sort_menu_pick(struct ui *ui, int col)
{
	ui->vf.sort_menu = false;
	view_fleet_sort(ui, col);
}

void sort_menu_key(struct ui *ui, bool keycode, wint_t ch)
{
	struct view_fleet *vf = &ui->vf;

	if ((keycode && ch == KEY_UP) || (!keycode && ch == 'k')) {
		vf->sort_menu_cursor = (vf->sort_menu_cursor + VF_COLS - 1) % VF_COLS;
		return;
	}
	if ((keycode && ch == KEY_DOWN) || (!keycode && ch == 'j')) {
		vf->sort_menu_cursor = (vf->sort_menu_cursor + 1) % VF_COLS;
		return;
	}
	if ((keycode && ch == KEY_ENTER) || (!keycode && (ch == '\n' || ch == '\r'))) {
		sort_menu_pick(ui, vf->sort_menu_cursor);
		return;
	}
	if (!keycode && (ch == 27 || ch == 'q' || ch == 's')) {
		vf->sort_menu = false;
		ui_message(ui, THEME_MESSAGE, "sort unchanged");
		return;
	}
	for (int c = 0; !keycode && c < VF_COLS; c++) {
		if ((wint_t)sort_menu_cols[c].key == ch) {
			sort_menu_pick(ui, c);
			return;
		}
	}
	/* Any other key keeps the menu up: a stray key must not sort. */
}

void sort_menu_draw(struct ui *ui)
{
	const struct view_fleet *vf = &ui->vf;
	int w = SORT_MENU_WIDTH < COLS ? SORT_MENU_WIDTH : COLS, rows = VF_COLS + 2;
	int x = (COLS - w) / 2, y0 = (LINES - rows) / 2;
	char line[96];

	if (!sort_menu_active(ui))
		return;
	if (x < 0)
		x = 0;
	if (y0 < 1)
		y0 = 1;
	/* A blank margin keeps the rows underneath from running into it. */
	for (int r = 0; r <= rows && y0 + r < LINES - 1; r++)
		draw_fill(stdscr, y0 + r, x > 0 ? x - 1 : 0, w + (x > 0) + (x + w < COLS), L' ', ' ',
			  theme_attr(THEME_NORMAL));
	draw_fill(stdscr, y0, x, w, L' ', ' ', theme_attr(THEME_TITLE));
	draw_text(stdscr, y0, x, w, " Sort by", theme_attr(THEME_TITLE) | A_BOLD, DRAW_LEFT);
	for (int c = 0; c < VF_COLS && y0 + 1 + c < LINES - 1; c++) {
		const struct sort_menu_col *s = &sort_menu_cols[c];
		char key[4] = { ' ', s->key, ' ', '\0' };
		bool cur = c == vf->sort;
		attr_t a = c == vf->sort_menu_cursor ? theme_attr(THEME_SELECTED) :
			   theme_attr(THEME_NORMAL);

		draw_text_n(stdscr, y0 + 1 + c, x + 1, 3, key, theme_attr(THEME_KEY));
		/* The current column is marked in words, seen without colour. */
		snprintf(line, sizeof(line), " %s%s", s->name,
			 cur ? (vf->sort_reverse ? "  (current, reversed)" : "  (current)") : "");
		draw_text(stdscr, y0 + 1 + c, x + 4, w - 5, line, a | (cur ? A_BOLD : 0), DRAW_LEFT);
	}
	if (y0 + 1 + VF_COLS < LINES - 1)
		draw_text(stdscr, y0 + 1 + VF_COLS, x + 1, w - 2,
			  "Enter picks; the current again reverses; Esc", theme_attr(THEME_MISSING),
			  DRAW_LEFT);
}

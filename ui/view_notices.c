#include "view_notices.h"

#include <stdio.h>

#include <curses.h>

#include "draw.h"
#include "theme.h"
#include "ui_state.h"

#define VN_TOP 1

static int vn_page(void)
{
	int n = LINES - VN_TOP - 1;

	return n > 1 ? n : 1;
}

void view_notices_draw(struct ui *ui)
{
	char what[64];
	int page = vn_page(), n = (int)ui->nnotices;

	snprintf(what, sizeof(what), "%zu problem%s found at start", ui->nnotices,
		 ui->nnotices == 1 ? "" : "s");
	ui_draw_title(ui, what, "Esc or q: back");
	if (ui->notices_scroll > n - page)
		ui->notices_scroll = n - page;
	if (ui->notices_scroll < 0)
		ui->notices_scroll = 0;
	if (n == 0) {
		draw_text(stdscr, VN_TOP, 1, COLS - 1, "no problems", theme_attr(THEME_MISSING),
			  DRAW_LEFT);
		return;
	}
	for (int r = 0; r < page && ui->notices_scroll + r < n; r++)
		draw_text(stdscr, VN_TOP + r, 1, COLS - 1, ui->notices[ui->notices_scroll + r],
			  theme_attr(THEME_ERROR), DRAW_LEFT);
}

void view_notices_action(struct ui *ui, enum keys_action a)
{
	switch (a) {
	case KEYS_UP: ui->notices_scroll--; break;
	case KEYS_DOWN: ui->notices_scroll++; break;
	case KEYS_PAGE_UP: ui->notices_scroll -= vn_page(); break;
	case KEYS_PAGE_DOWN: ui->notices_scroll += vn_page(); break;
	case KEYS_HOME: ui->notices_scroll = 0; break;
	case KEYS_END: ui->notices_scroll = (int)ui->nnotices; break;
	case KEYS_BACK: ui->view = UI_VIEW_FLEET; break;
	default: break;
	}
	if (ui->notices_scroll < 0)
		ui->notices_scroll = 0;
}

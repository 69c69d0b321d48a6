#include "help.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "theme.h"
#include "ui_state.h"

#define HELP_TOP 2

/* One help line per run of bindings that share action, views and text. */
struct help_line {
	char keys[64];
	unsigned views;
	const char *text;
};

static size_t help_lines(struct help_line *out, size_t max)
{
	size_t n, count = 0;
	const struct keys_binding *b = keys_table(&n);

	for (size_t i = 0; i < n; i++) {
		struct help_line *l = count ? &out[count - 1] : NULL;

		if (l && b[i].views == l->views && strcmp(b[i].help, l->text) == 0) {
			/* Enter is bound three ways; say it once. */
			if (!strstr(l->keys, b[i].label)) {
				size_t len = strlen(l->keys);

				snprintf(l->keys + len, sizeof(l->keys) - len, " %s", b[i].label);
			}
			continue;
		}
		if (count == max)
			break;
		l = &out[count++];
		snprintf(l->keys, sizeof(l->keys), "%s", b[i].label);
		l->views = b[i].views;
		l->text = b[i].help;
	}
	return count;
}

static int help_page(void)
{
	int n = LINES - HELP_TOP - 1;

	return n > 1 ? n : 1;
}

void help_draw(struct ui *ui)
{
	struct help_line lines[64];
	size_t n = help_lines(lines, 64);
	int page = help_page();

	ui_draw_title(ui, "keys", "Esc or q: back");
	draw_text(stdscr, 1, 1, COLS - 1,
		  "Each key works on the screens named on the right (doc/keys.md has more).",
		  theme_attr(THEME_MISSING), DRAW_LEFT);
	if (ui->help_scroll > (int)n - page)
		ui->help_scroll = (int)n - page;
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	for (int r = 0; r < page && (size_t)(ui->help_scroll + r) < n; r++) {
		const struct help_line *l = &lines[ui->help_scroll + r];
		char where[48];
		int y = HELP_TOP + r, textw = COLS - 20 - 22;

		keys_views_name(l->views, where, sizeof(where));
		draw_text(stdscr, y, 1, 18, l->keys, theme_attr(THEME_KEY), DRAW_LEFT);
		if (textw < 10) {
			draw_text(stdscr, y, 20, COLS - 20, l->text, theme_attr(THEME_NORMAL),
				  DRAW_LEFT);
			continue;
		}
		draw_text(stdscr, y, 20, textw, l->text, theme_attr(THEME_NORMAL), DRAW_LEFT);
		draw_text(stdscr, y, 20 + textw + 1, 20, where, theme_attr(THEME_LABEL),
			  DRAW_LEFT);
	}
}

void help_action(struct ui *ui, enum keys_action a)
{
	switch (a) {
	case KEYS_UP: ui->help_scroll--; break;
	case KEYS_DOWN: ui->help_scroll++; break;
	case KEYS_PAGE_UP: ui->help_scroll -= help_page(); break;
	case KEYS_PAGE_DOWN: ui->help_scroll += help_page(); break;
	case KEYS_HOME: ui->help_scroll = 0; break;
	case KEYS_END: ui->help_scroll = 1000; break;
	case KEYS_BACK: ui->view = ui->help_return; break;
	default: break;
	}
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
}

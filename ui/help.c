#include "help.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "pane.h"
#include "theme.h"
#include "ui_state.h"

#define HELP_TOP 2

/* One help line per run of bindings that share action, views and text. */
struct help_line {
	char keys[64];
	unsigned views;
	char text[160];
};

/* S with the table's "^]" spelt as the escape key the operator chose
 * (--escape-key ^A shows "^A f", not a key that does nothing). */
static void help_subst(char *out, size_t n, const char *s, int escape)
{
	size_t o = 0;

	while (*s && o + 1 < n) {
		if (s[0] == '^' && s[1] == ']' && o + 2 < n) {
			out[o++] = '^';
			out[o++] = (char)(escape + '@');
			s += 2;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = '\0';
}

static size_t help_lines(struct help_line *out, size_t max, int escape)
{
	size_t n, count = 0;
	const struct keys_binding *b = keys_table(&n);
	char label[32], text[160];

	for (size_t i = 0; i < n; i++) {
		struct help_line *l = count ? &out[count - 1] : NULL;

		help_subst(label, sizeof(label), b[i].label, escape);
		help_subst(text, sizeof(text), b[i].help, escape);
		if (l && b[i].views == l->views && strcmp(text, l->text) == 0) {
			/* Enter is bound three ways; say it once. */
			if (!strstr(l->keys, label)) {
				size_t len = strlen(l->keys);

				snprintf(l->keys + len, sizeof(l->keys) - len, " %s", label);
			}
			continue;
		}
		if (count == max)
			break;
		l = &out[count++];
		snprintf(l->keys, sizeof(l->keys), "%s", label);
		l->views = b[i].views;
		snprintf(l->text, sizeof(l->text), "%s", text);
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
	struct help_line lines[128];
	int escape = pane_escape_key(ui->panes);
	size_t n = help_lines(lines, 128, escape);
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
		char views[48], where[48];
		int y = HELP_TOP + r, textw = COLS - 20 - 22;

		keys_views_name(l->views, views, sizeof(views));
		help_subst(where, sizeof(where), views, escape);
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

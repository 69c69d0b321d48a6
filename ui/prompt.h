/* One line of input at the bottom of the screen (the / filter). */
#ifndef RACKTOP_UI_PROMPT_H
#define RACKTOP_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#define PROMPT_MAX 256

enum prompt_result {
	PROMPT_EDITING = 0,
	PROMPT_DONE,
	PROMPT_CANCEL,
};

struct prompt {
	bool active;
	char label[16];
	wchar_t buf[PROMPT_MAX];
	size_t len, pos;
};

void prompt_open(struct prompt *p, const char *label, const char *initial);
/* Feeds one key (KEYCODE: a curses KEY_* value). */
enum prompt_result prompt_key(struct prompt *p, bool keycode, wint_t ch);
/* The text typed so far, as UTF-8. */
void prompt_text(const struct prompt *p, char *out, size_t n);
/* Draws the prompt on line Y and leaves the cursor at the edit point. */
void prompt_draw(WINDOW *w, int y, const struct prompt *p, attr_t label_attr, attr_t attr);

#endif

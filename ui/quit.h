/* q and Q: quitting at once, unless it would stop something an
 * operator may not mean to stop. A running workflow is interrupted by
 * quitting (and never resumed: a host it had just shut down stays off)
 * and an open console session ends, so then both ask first, naming
 * them, as tmux and screen do; y (or Q again) quits, anything else
 * stays. */
#ifndef RACKTOP_UI_QUIT_H
#define RACKTOP_UI_QUIT_H

#include <stdbool.h>
#include <wchar.h>

struct ui;

/* q or Q was pressed: quits (ui->quit), or asks. */
void quit_request(struct ui *ui);
/* The question is up: the key answers it. */
bool quit_asking(const struct ui *ui);
void quit_key(struct ui *ui, bool keycode, wint_t ch);

#endif

/* The status line's key hints ("Enter host  / filter  ? help"): items
 * two spaces apart, fitted to the width there is. Whole items drop,
 * the last ones first; the help key's item never drops, so a new
 * operator can always find the help screen, at any width (doc/keys.md). */
#ifndef RACKTOP_UI_HINTS_H
#define RACKTOP_UI_HINTS_H

#include <stddef.h>

/* Columns TEXT takes (UTF-8; every character one column). */
int hints_width(const char *text);
/* HINTS fitted into WIDTH columns, into OUT (N bytes): items in their
 * order, dropped from the end until the rest fits, but the item KEEP
 * (NULL: none) stays. Narrower than KEEP itself: KEEP alone. */
void hints_fit(const char *hints, const char *keep, int width, char *out, size_t n);

#endif

/* Colours and attributes by role, loaded from a plain-text theme file
 * (doc/themes.md). Without colours (no terminal support, or NO_COLOR)
 * every role falls back to its built-in monochrome attributes. */
#ifndef RACKTOP_UI_THEME_H
#define RACKTOP_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

enum theme_role {
	THEME_NORMAL = 0,
	THEME_TITLE,
	THEME_SUMMARY,
	THEME_HEADER,
	THEME_HEADER_SORT,
	THEME_SELECTED,
	THEME_SECTION,
	THEME_LABEL,
	THEME_MISSING,
	THEME_OK,
	THEME_WARNING,
	THEME_CRITICAL,
	THEME_ERROR,
	THEME_POWER_ON,
	THEME_POWER_OFF,
	THEME_METER,
	THEME_METER_HIGH,
	THEME_METER_EMPTY,
	THEME_STATUS,
	THEME_MESSAGE,
	THEME_PROMPT,
	THEME_KEY,
	THEME_ROLES
};

/* Parses the theme file PATH into the role table. On failure the table
 * is reset to the built-in default and ERR holds "PATH:LINE: what". */
int theme_load_file(const char *path, char *err, size_t errlen);
/* Resolves NAME (a path if it holds '/', else a file in DIR) and loads
 * it; NAME NULL loads DIR/default if present, else the built-in table. */
int theme_load(const char *name, const char *dir, char *err, size_t errlen);
/* Turns the table into colour pairs; COLOUR false: monochrome. Call
 * after the terminal is set up. */
void theme_apply(bool colour);
attr_t theme_attr(enum theme_role r);
const char *theme_role_name(enum theme_role r);
/* Role for a health value (OK, Warning, Critical, unknown). */
enum theme_role theme_health_role(int health);

#endif

#include "theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fleet.h"

#define THEME_DEFAULT_COLOUR (-1)
#define THEME_LINE_MAX 512

struct theme_style {
	short fg, bg;
	attr_t attrs;
};

struct theme_role_info {
	const char *name;
	attr_t mono;                 /* what the role looks like without colour */
	struct theme_style dflt;     /* the built-in default theme */
};

static const struct theme_role_info theme_roles[THEME_ROLES] = {
	[THEME_NORMAL] = { "normal", A_NORMAL, { -1, -1, A_NORMAL } },
	[THEME_TITLE] = { "title", A_REVERSE | A_BOLD, { COLOR_BLACK, COLOR_CYAN, A_BOLD } },
	[THEME_SUMMARY] = { "summary", A_BOLD, { -1, -1, A_BOLD } },
	[THEME_HEADER] = { "header", A_REVERSE, { COLOR_BLACK, COLOR_GREEN, A_NORMAL } },
	[THEME_HEADER_SORT] = { "header-sort", A_REVERSE | A_BOLD | A_UNDERLINE,
				{ COLOR_BLACK, COLOR_CYAN, A_BOLD } },
	[THEME_SELECTED] = { "selected", A_REVERSE, { COLOR_BLACK, COLOR_CYAN, A_NORMAL } },
	[THEME_SECTION] = { "section", A_BOLD, { COLOR_CYAN, -1, A_BOLD } },
	[THEME_LABEL] = { "label", A_NORMAL, { COLOR_CYAN, -1, A_NORMAL } },
	[THEME_MISSING] = { "missing", A_DIM, { COLOR_BLUE, -1, A_BOLD } },
	[THEME_OK] = { "ok", A_NORMAL, { COLOR_GREEN, -1, A_NORMAL } },
	[THEME_WARNING] = { "warning", A_BOLD, { COLOR_YELLOW, -1, A_BOLD } },
	[THEME_CRITICAL] = { "critical", A_BOLD | A_UNDERLINE, { COLOR_RED, -1, A_BOLD } },
	[THEME_ERROR] = { "error", A_BOLD, { COLOR_RED, -1, A_BOLD } },
	[THEME_POWER_ON] = { "power-on", A_NORMAL, { COLOR_GREEN, -1, A_NORMAL } },
	[THEME_POWER_OFF] = { "power-off", A_DIM, { COLOR_YELLOW, -1, A_NORMAL } },
	[THEME_METER] = { "meter", A_NORMAL, { COLOR_GREEN, -1, A_NORMAL } },
	[THEME_METER_HIGH] = { "meter-high", A_BOLD, { COLOR_RED, -1, A_BOLD } },
	[THEME_METER_EMPTY] = { "meter-empty", A_DIM, { COLOR_BLUE, -1, A_BOLD } },
	[THEME_STATUS] = { "status", A_NORMAL, { -1, -1, A_NORMAL } },
	[THEME_MESSAGE] = { "message", A_BOLD, { COLOR_YELLOW, -1, A_BOLD } },
	[THEME_PROMPT] = { "prompt", A_BOLD, { COLOR_CYAN, -1, A_BOLD } },
	[THEME_KEY] = { "key", A_BOLD, { COLOR_CYAN, -1, A_BOLD } },
};

static struct theme_style theme_table[THEME_ROLES];
static bool theme_table_set;
static attr_t theme_attrs[THEME_ROLES];
static bool theme_default_ok;      /* the terminal knows "default colour" */

static const char *const theme_colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static void theme_reset(void)
{
	for (int i = 0; i < THEME_ROLES; i++)
		theme_table[i] = theme_roles[i].dflt;
	theme_table_set = true;
}

const char *theme_role_name(enum theme_role r)
{
	return r < THEME_ROLES ? theme_roles[r].name : "?";
}

/* "default", a name, "bright" + name, or "colorN" (0..255). */
static int theme_parse_colour(const char *s, short *out)
{
	char *end;
	long n;

	if (strcasecmp(s, "default") == 0) {
		*out = THEME_DEFAULT_COLOUR;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(s, theme_colour_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
		if (strncasecmp(s, "bright", 6) == 0 && strcasecmp(s + 6, theme_colour_names[i]) == 0) {
			*out = (short)(i + 8);
			return 0;
		}
	}
	if (strncasecmp(s, "color", 5) == 0 && isdigit((unsigned char)s[5])) {
		errno = 0;
		n = strtol(s + 5, &end, 10);
		if (errno == 0 && *end == '\0' && n >= 0 && n <= 255) {
			*out = (short)n;
			return 0;
		}
	}
	return -1;
}

static int theme_parse_attr(const char *s, attr_t *out)
{
	static const struct { const char *name; attr_t a; } names[] = {
		{ "normal", A_NORMAL }, { "bold", A_BOLD }, { "dim", A_DIM },
		{ "underline", A_UNDERLINE }, { "reverse", A_REVERSE },
		{ "standout", A_STANDOUT }, { "italic", A_ITALIC },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out |= names[i].a;
			return 0;
		}
	}
	return -1;
}

static int theme_find_role(const char *s)
{
	for (int i = 0; i < THEME_ROLES; i++)
		if (strcasecmp(s, theme_roles[i].name) == 0)
			return i;
	return -1;
}

/* One line: "role fg bg [attr...]". Returns 0 or writes ERR. */
static int theme_parse_line(char *line, struct theme_style *table, char *err, size_t errlen)
{
	char *save = NULL, *tok[8];
	int n = 0, role;
	struct theme_style st = { -1, -1, A_NORMAL };
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 8) {
			snprintf(err, errlen, "too many words (want: role foreground background [attributes])");
			return -1;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return 0;
	role = theme_find_role(tok[0]);
	if (role < 0) {
		snprintf(err, errlen, "unknown role '%.40s'", tok[0]);
		return -1;
	}
	if (n < 3) {
		snprintf(err, errlen, "role '%s' needs a foreground and a background colour",
			 theme_roles[role].name);
		return -1;
	}
	if (theme_parse_colour(tok[1], &st.fg) < 0) {
		snprintf(err, errlen, "unknown colour '%.40s'", tok[1]);
		return -1;
	}
	if (theme_parse_colour(tok[2], &st.bg) < 0) {
		snprintf(err, errlen, "unknown colour '%.40s'", tok[2]);
		return -1;
	}
	for (int i = 3; i < n; i++) {
		if (theme_parse_attr(tok[i], &st.attrs) < 0) {
			snprintf(err, errlen, "unknown attribute '%.40s'", tok[i]);
			return -1;
		}
	}
	table[role] = st;
	return 0;
}

int theme_load_file(const char *path, char *err, size_t errlen)
{
	struct theme_style table[THEME_ROLES];
	char line[THEME_LINE_MAX], what[160];
	unsigned lineno = 0;
	FILE *fp;

	theme_reset();
	memcpy(table, theme_table, sizeof(table));
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "theme %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(fp)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			fclose(fp);
			return -1;
		}
		if (theme_parse_line(line, table, what, sizeof(what)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, what);
			fclose(fp);
			return -1;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "theme %s: read error", path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	memcpy(theme_table, table, sizeof(table));
	return 0;
}

int theme_load(const char *name, const char *dir, char *err, size_t errlen)
{
	char path[4096];

	theme_reset();
	if (!dir)
		dir = RACKTOP_DATADIR "/themes";
	if (!name || !*name) {
		snprintf(path, sizeof(path), "%s/default", dir);
		/* Not installed: the built-in table is the same theme. */
		if (access(path, R_OK) != 0)
			return 0;
		return theme_load_file(path, err, errlen);
	}
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	return theme_load_file(path, err, errlen);
}

static short theme_colour(short c, short fallback)
{
	if (c < 0)
		return theme_default_ok ? -1 : fallback;
	/* A 256-colour name on an 8-colour terminal: the nearest base colour. */
	if (c >= COLORS)
		return (short)(c % 8);
	return c;
}

void theme_apply(bool colour)
{
	if (!theme_table_set)
		theme_reset();
	if (colour) {
		start_color();
		theme_default_ok = use_default_colors() == OK;
	}
	for (int i = 0; i < THEME_ROLES; i++) {
		const struct theme_style *st = &theme_table[i];

		if (!colour) {
			theme_attrs[i] = theme_roles[i].mono;
			continue;
		}
		if (i + 1 < COLOR_PAIRS && (st->fg >= 0 || st->bg >= 0)) {
			init_pair((short)(i + 1), theme_colour(st->fg, COLOR_WHITE),
				  theme_colour(st->bg, COLOR_BLACK));
			theme_attrs[i] = COLOR_PAIR(i + 1) | st->attrs;
		} else {
			theme_attrs[i] = st->attrs;
		}
	}
}

attr_t theme_attr(enum theme_role r)
{
	return r < THEME_ROLES ? theme_attrs[r] : A_NORMAL;
}

enum theme_role theme_health_role(int health)
{
	switch (health) {
	case FLEET_HEALTH_OK: return THEME_OK;
	case FLEET_HEALTH_WARNING: return THEME_WARNING;
	case FLEET_HEALTH_CRITICAL: return THEME_CRITICAL;
	default: return THEME_MISSING;
	}
}

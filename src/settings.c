/* The configuration file (config.h). Small enough to parse by hand:
 * lines, "key = value", "[recover NAME]". */
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "text.h"

#define SETTINGS_MAX_FILE (1u << 20)
#define SETTINGS_MAX_LINE 1024

int settings_default_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int r;

	if (xdg && xdg[0] == '/')
		r = snprintf(buf, n, "%s/racktop/racktop.conf", xdg);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.config/racktop/racktop.conf", home);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

static char *settings_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int settings_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int settings_int(const char *v, int min, int max, int *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return -1;
	*out = (int)x;
	return 0;
}

/* A Kubernetes-style name: what a template or rule may be called. */
static bool settings_name_ok(const char *s)
{
	if (!*s || strlen(s) >= WF_NAME)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* A finished [recover] section: everything it needs is there. */
static int settings_rule_check(const char *name, int line, const struct wf_rule *r, char *err,
			     size_t errlen)
{
	if (!r->template_name[0]) {
		snprintf(err, errlen, "%s:%d: [recover %s]: 'template = NAME' missing (the template to run)",
			 name, line, r->name);
		return -1;
	}
	return 0;
}

static int settings_rule_key(struct wf_rule *rule, const char *k, const char *v, char *why,
			   size_t n)
{
	if (!strcmp(k, "when")) {
		if (!strcmp(v, "gpu-critical"))
			rule->when = WF_WHEN_GPU_CRITICAL;
		else if (!strcmp(v, "gpu-absent"))
			rule->when = WF_WHEN_GPU_ABSENT;
		else
			return snprintf(why, n, "when: expected gpu-critical or gpu-absent, got '%.64s'", v), -1;
	} else if (!strcmp(k, "polls")) {
		if (settings_int(v, 1, 1000, &rule->polls) < 0)
			return snprintf(why, n, "polls: expected a whole number from 1 to 1000, got '%.64s'", v), -1;
	} else if (!strcmp(k, "max_hosts")) {
		if (settings_int(v, 1, 100000, &rule->max_hosts) < 0)
			return snprintf(why, n, "max_hosts: expected a whole number from 1 to 100000, got '%.64s'", v), -1;
	} else if (!strcmp(k, "template")) {
		if (!settings_name_ok(v))
			return snprintf(why, n, "template: expected a template name, got '%.64s'", v), -1;
		text_copy(rule->template_name, sizeof(rule->template_name), v);
	} else {
		return snprintf(why, n, "unknown key '%.64s' in a [recover] section (expected when, polls, template or max_hosts)", k), -1;
	}
	return 0;
}

static int settings_top_key(struct settings *c, const char *k, const char *v, char *why, size_t n)
{
	if (!strcmp(k, "read_only")) {
		if (settings_bool(v, &c->read_only) < 0)
			return snprintf(why, n, "read_only: expected true or false, got '%.64s'", v), -1;
	} else if (!strcmp(k, "console_reconnect")) {
		if (settings_bool(v, &c->console_reconnect) < 0)
			return snprintf(why, n, "console_reconnect: expected true or false, got '%.64s'", v), -1;
	} else if (!strcmp(k, "keep_marks")) {
		if (settings_bool(v, &c->keep_marks) < 0)
			return snprintf(why, n, "keep_marks: expected true or false, got '%.64s'", v), -1;
	} else if (!strcmp(k, "action_wait")) {
		if (settings_int(v, 1, 3600, &c->action_wait_s) < 0)
			return snprintf(why, n, "action_wait: expected seconds from 1 to 3600, got '%.64s'", v), -1;
	} else if (!strcmp(k, "audit_log") || !strcmp(k, "workflows")) {
		char **dst = !strcmp(k, "audit_log") ? &c->audit_log : &c->workflows;
		char clean[SETTINGS_MAX_LINE + 1];

		if (!*v)
			return snprintf(why, n, "%s: expected a path", k), -1;
		/* Messages print the path as it is ("audit log PATH: ..."). */
		if (strcmp(text_clean(clean, sizeof(clean), v), v))
			return snprintf(why, n, "%s: the path holds control characters or invalid UTF-8", k), -1;
		free(*dst);
		*dst = strdup(v);
	} else {
		return snprintf(why, n, "unknown key '%.64s' (expected read_only, audit_log, workflows, console_reconnect, keep_marks, action_wait, or a [recover NAME] section)", k), -1;
	}
	return 0;
}

int settings_parse(const char *name, const char *text, struct settings *c, char *err, size_t errlen)
{
	struct wf_rule *rule = NULL;
	int line = 0, rule_line = 0;
	const char *p = text;
	char why[300];

	memset(c, 0, sizeof(*c));
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[SETTINGS_MAX_LINE + 1], *s, *eq;

		line++;
		if (len > SETTINGS_MAX_LINE) {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes", name, line,
				 SETTINGS_MAX_LINE);
			goto fail;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = eol ? eol + 1 : p + len;
		s = settings_trim(buf);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']'), *nm;

			if (!close || settings_trim(close + 1)[0] || strncmp(s, "[recover", 8) ||
			    (s[8] != ' ' && s[8] != '\t')) {
				snprintf(err, errlen, "%s:%d: expected a section [recover NAME]", name, line);
				goto fail;
			}
			*close = '\0';
			nm = settings_trim(s + 8);
			if (!settings_name_ok(nm)) {
				snprintf(err, errlen, "%s:%d: [recover NAME]: expected a name of letters, digits, '-', '_' or '.'",
					 name, line);
				goto fail;
			}
			if (rule && settings_rule_check(name, rule_line, rule, err, errlen) < 0)
				goto fail;
			if (c->nrules == SETTINGS_MAX_RULES) {
				snprintf(err, errlen, "%s:%d: more than %d [recover] sections", name, line,
					 SETTINGS_MAX_RULES);
				goto fail;
			}
			rule = realloc(c->rules, (c->nrules + 1) * sizeof(*rule));
			if (!rule) {
				snprintf(err, errlen, "%s:%d: out of memory", name, line);
				goto fail;
			}
			c->rules = rule;
			rule = &c->rules[c->nrules++];
			memset(rule, 0, sizeof(*rule));
			text_copy(rule->name, sizeof(rule->name), nm);
			rule->when = WF_WHEN_GPU_CRITICAL;
			rule->polls = 3;
			rule->max_hosts = 1;
			snprintf(rule->source, sizeof(rule->source), "%s:%d", name, line);
			rule_line = line;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			char shown[80];

			text_clean(shown, sizeof(shown), s);
			snprintf(err, errlen, "%s:%d: expected 'key = value', got '%s'", name, line, shown);
			goto fail;
		}
		*eq = '\0';
		{
			char *k = settings_trim(s), *v = settings_trim(eq + 1);
			size_t vl = strlen(v);

			/* "a value" in quotes keeps its spaces. */
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v[vl - 1] = '\0';
				v++;
			}
			if ((rule ? settings_rule_key(rule, k, v, why, sizeof(why))
			     : settings_top_key(c, k, v, why, sizeof(why))) < 0) {
				char clean[400];

				text_clean(clean, sizeof(clean), why);
				snprintf(err, errlen, "%s:%d: %s", name, line, clean);
				goto fail;
			}
		}
	}
	if (rule && settings_rule_check(name, rule_line, rule, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	settings_free(c);
	return -1;
}

int settings_load(const char *path, bool must_exist, struct settings *c, char *err, size_t errlen)
{
	const char *why;
	char *buf = NULL;
	size_t n = 0;
	int fd, rc;

	memset(c, 0, sizeof(*c));
	/* Non-blocking, checked on the open file, size bounded before the
	 * read: a FIFO or a device there is an error, not a hang. */
	fd = buf_open_file(AT_FDCWD, path, O_RDONLY, 0, SETTINGS_MAX_FILE, NULL, &why);
	if (fd < 0 && errno == ENOENT && !must_exist)
		return 0;
	if (fd >= 0) {
		why = buf_read_fd(fd, SETTINGS_MAX_FILE, &buf, &n);
		close(fd);
	}
	if (why) {
		snprintf(err, errlen, "%s: %s", path, why == buf_too_large ? "larger than 1 MiB" : why);
		return -1;
	}
	if (memchr(buf, '\0', n)) {
		free(buf);
		snprintf(err, errlen, "%s: not a text file (it holds NUL bytes)", path);
		return -1;
	}
	rc = settings_parse(path, buf, c, err, errlen);
	free(buf);
	return rc;
}

void settings_free(struct settings *c)
{
	free(c->audit_log);
	free(c->workflows);
	free(c->rules);
	memset(c, 0, sizeof(*c));
}

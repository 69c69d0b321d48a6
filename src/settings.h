/* The configuration file (doc/racktop.conf.5): plain "key = value"
 * lines, '#' comments, and [recover NAME] sections holding automatic
 * recovery rules. Every problem is "file:line: what was expected". */
#ifndef RACKTOP_SETTINGS_H
#define RACKTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "workflow.h"

#define SETTINGS_MAX_RULES 64

struct settings {
	bool read_only;            /* read_only = true */
	char *audit_log;           /* audit_log = FILE (NULL: not set) */
	char *workflows;           /* workflows = PATH (NULL: not set) */
	bool console_reconnect;    /* console_reconnect = true: SOL and SSH consoles reconnect by themselves */
	bool keep_marks;           /* keep_marks = yes: marks stay after an action */
	int action_wait_s;         /* action_wait = N (--action-wait); 0: not set */
	size_t nrules;
	struct wf_rule *rules;
};

/* $XDG_CONFIG_HOME/racktop/racktop.conf, else ~/.config/racktop/racktop.conf.
 * 0, or -1 when neither variable is set. */
int settings_default_path(char *buf, size_t n);
/* Reads PATH into C. MUST_EXIST: a missing file is an error (--config
 * FILE), else it is an empty configuration. 0, or -1 with ERR
 * ("file:line: ..."); C is then empty. */
int settings_load(const char *path, bool must_exist, struct settings *c, char *err, size_t errlen);
/* Parses TEXT as if read from NAME (tests). */
int settings_parse(const char *name, const char *text, struct settings *c, char *err, size_t errlen);
void settings_free(struct settings *c);

#endif

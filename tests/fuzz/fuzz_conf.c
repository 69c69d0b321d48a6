/* racktop.conf (settings_load): accepted, every value is in the range
 * doc/racktop.conf.5 gives and every string is clean (the paths too:
 * they reach messages such as "audit log PATH: cannot open"); refused,
 * the message is clean and names the file (and line), and nothing is
 * left loaded. settings_parse() of the same text agrees. */
#include "fuzz_check.h"
#include "fuzz_msg.h"
#include "settings.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_conf_name(const char *what, const char *s)
{
	FUZZ_ASSERT(s[0] != '\0', "an empty name");
	FUZZ_ASSERT(strlen(s) < WF_NAME, "a name too long");
	for (; *s; s++)
		FUZZ_ASSERT((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.',
			    what);
}

static void fuzz_conf_check(const struct settings *c, const char *path, int max_line)
{
	FUZZ_ASSERT(c->nrules <= SETTINGS_MAX_RULES, "more rules than allowed");
	FUZZ_ASSERT(c->nrules == 0 || c->rules, "rules counted but not there");
	FUZZ_ASSERT(!c->audit_log || c->audit_log[0], "an empty audit_log path");
	FUZZ_ASSERT(!c->workflows || c->workflows[0], "an empty workflows path");
	fuzz_check_text("audit_log", c->audit_log);
	fuzz_check_text("workflows", c->workflows);
	for (size_t i = 0; i < c->nrules; i++) {
		const struct wf_rule *r = &c->rules[i];

		fuzz_conf_name("a rule's name is not a name", r->name);
		fuzz_conf_name("a rule's template is not a name", r->template_name);
		fuzz_check_range("rule.when", r->when, WF_WHEN_GPU_CRITICAL, WF_WHEN_GPU_ABSENT);
		fuzz_check_range("rule.polls", r->polls, 1, 1000);
		fuzz_check_range("rule.max_hosts", r->max_hosts, 1, 100000);
		fuzz_check_msg("rule.source", r->source, path, max_line, true);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("racktop.conf", data, size, 0600);
	int max_line = fuzz_msg_max_line(data, size);
	struct settings c, again;
	char err[1024] = "", err2[1024] = "";
	char *text;
	int rc, rc2;

	rc = settings_load(path, true, &c, err, sizeof err);
	if (rc == 0) {
		FUZZ_ASSERT(!err[0], "accepted with a message");
		fuzz_conf_check(&c, path, max_line);
	} else {
		FUZZ_ASSERT(rc == -1 && err[0], "refused without a reason");
		fuzz_check_msg("settings error", err, path, max_line, false);
		FUZZ_ASSERT(!c.nrules && !c.rules && !c.audit_log && !c.workflows,
			    "a refused file left settings loaded");
	}
	/* The text parser says the same of the same text (a NUL byte cuts
	 * it there; the file loader refuses it). */
	text = malloc(size + 1);
	FUZZ_ASSERT(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	rc2 = settings_parse(path, text, &again, err2, sizeof err2);
	if (!memchr(data, '\0', size)) {
		FUZZ_ASSERT(rc2 == rc, "settings_parse and settings_load disagree");
		FUZZ_ASSERT(!strcmp(err, err2), "settings_parse and settings_load differ in the message");
		FUZZ_ASSERT(again.nrules == c.nrules && again.read_only == c.read_only &&
				    again.console_reconnect == c.console_reconnect,
			    "settings_parse and settings_load read different settings");
	}
	if (rc2 == 0)
		fuzz_conf_check(&again, path, max_line);
	else
		fuzz_check_msg("settings error", err2, path, max_line, false);
	settings_free(&again);
	settings_free(&c);
	free(text);
	return 0;
}

/* A Machine's console annotations (inventory.h):
 *   racktop/console: ssh | sol
 *   racktop/console-ssh: [user@]host[:port]   (or [v6addr]:port)
 *   racktop/console-command: console com2
 *   racktop/sol-workarounds: solchannelsupport,solpayloadsize
 *   racktop/console-reconnect: true | false */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inventory_int.h"

#define ANN "metadata.annotations."

/* "[user@]host[:port]" into B; -1 when malformed. */
static int inventory_console_ssh_parse(const char *v, struct inventory_host *b)
{
	const char *at = strrchr(v, '@'), *h = at ? at + 1 : v, *colon;
	size_t hl;
	char *end;
	long port = 0;

	if (at && ((size_t)(at - v) >= sizeof(b->console_ssh_user) || at == v))
		return -1;
	if (*h == '[') {
		const char *close = strchr(h, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -1;
		hl = (size_t)(close - h - 1);
		colon = close[1] == ':' ? close + 1 : NULL;
		h++;
	} else {
		colon = strrchr(h, ':');
		hl = colon ? (size_t)(colon - h) : strlen(h);
	}
	if (colon) {
		port = strtol(colon + 1, &end, 10);
		if (*end || end == colon + 1 || port < 1 || port > 65535)
			return -1;
	}
	if (!hl || hl >= sizeof(b->console_ssh_host) || strcspn(h, " \t/") < hl)
		return -1;
	if (at)
		snprintf(b->console_ssh_user, sizeof(b->console_ssh_user), "%.*s", (int)(at - v), v);
	snprintf(b->console_ssh_host, sizeof(b->console_ssh_host), "%.*s", (int)hl, h);
	b->console_ssh_port = (int)port;
	return 0;
}

static int inventory_console_sol_wa(const char *v, unsigned *out, char *bad, size_t badlen)
{
	unsigned bits = 0;

	while (*v) {
		size_t len;

		v += strspn(v, ", ");
		len = strcspn(v, ", ");
		if (!len)
			break;
		if (len == 17 && !strncasecmp(v, "solchannelsupport", len))
			bits |= INVENTORY_SOL_WA_CHANNEL_SUPPORT;
		else if (len == 14 && !strncasecmp(v, "solpayloadsize", len))
			bits |= INVENTORY_SOL_WA_PAYLOAD_SIZE;
		else {
			snprintf(bad, badlen, "%.*s", (int)len, v);
			return -1;
		}
		v += len;
	}
	*out = bits;
	return 0;
}

void inventory_console_annotations(struct inventory_object *o, const struct yaml_doc_node *ann,
				   struct inventory_host *b)
{
	char v[512], bad[48];

	if (!ann)
		return;
	if (inventory_object_string(o, ann, "racktop/console", ANN "racktop/console", true, v,
				    sizeof v) == 1) {
		if (!strcmp(v, "ssh"))
			b->console = INVENTORY_CONSOLE_SSH;
		else if (!strcmp(v, "sol"))
			b->console = INVENTORY_CONSOLE_SOL;
		else
			inventory_object_problem(o, yaml_doc_get(ann, "racktop/console"), 0, false,
						 ANN "racktop/console: expected ssh or sol, got %.40s",
						 v);
	}
	if (inventory_object_string(o, ann, "racktop/console-ssh", ANN "racktop/console-ssh", true,
				    v, sizeof v) == 1 &&
	    inventory_console_ssh_parse(v, b) < 0)
		inventory_object_problem(o, yaml_doc_get(ann, "racktop/console-ssh"), 0, false,
					 ANN "racktop/console-ssh: expected [user@]host[:port], "
					     "got %.80s",
					 v);
	if (inventory_object_string(o, ann, "racktop/console-command", ANN "racktop/console-command",
				    true, v, sizeof v) == 1) {
		if (strlen(v) >= sizeof(b->console_command))
			inventory_object_problem(o, yaml_doc_get(ann, "racktop/console-command"), 0,
						 false,
						 ANN "racktop/console-command: longer than %zu bytes",
						 sizeof(b->console_command) - 1);
		else
			snprintf(b->console_command, sizeof(b->console_command), "%s", v);
	}
	if (inventory_object_string(o, ann, "racktop/sol-workarounds", ANN "racktop/sol-workarounds",
				    true, v, sizeof v) == 1 &&
	    inventory_console_sol_wa(v, &b->sol_workarounds, bad, sizeof bad) < 0)
		inventory_object_problem(o, yaml_doc_get(ann, "racktop/sol-workarounds"), 0, false,
					 ANN "racktop/sol-workarounds: unknown workaround \"%s\" "
					     "(known: solchannelsupport, solpayloadsize)",
					 bad);
	if (inventory_object_string(o, ann, "racktop/console-reconnect",
				    ANN "racktop/console-reconnect", true, v, sizeof v) == 1) {
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
			b->console_reconnect = 1;
		else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
			b->console_reconnect = -1;
		else
			inventory_object_problem(o, yaml_doc_get(ann, "racktop/console-reconnect"), 0,
						 false,
						 ANN "racktop/console-reconnect: expected true or false, "
						     "got %.40s",
						 v);
	}
}

void inventory_console_copy(struct inventory_host *h, const struct inventory_host *b)
{
	h->console = b->console;
	memcpy(h->console_ssh_user, b->console_ssh_user, sizeof h->console_ssh_user);
	memcpy(h->console_ssh_host, b->console_ssh_host, sizeof h->console_ssh_host);
	h->console_ssh_port = b->console_ssh_port;
	memcpy(h->console_command, b->console_command, sizeof h->console_command);
	h->sol_workarounds = b->sol_workarounds;
	h->console_reconnect = b->console_reconnect;
}

#include "fuzz_inv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "fuzz_msg.h"

static void fuzz_inv_host(const struct inventory_host *h, const char *where, int max_line)
{
	char url[512], names[256];
	unsigned back;
	const char *p;

	FUZZ_ASSERT(h->name[0], "a host has no name");
	fuzz_check_text("host.name", h->name);
	fuzz_check_text("host.namespace", h->namespace_);
	fuzz_check_text("host.address", h->address);
	fuzz_check_text("host.system_name", h->system_name);
	fuzz_check_text("host.cred_ref", h->cred_ref);
	fuzz_check_text("host.error", h->error);
	fuzz_check_text("host.console_ssh_user", h->console_ssh_user);
	fuzz_check_text("host.console_ssh_host", h->console_ssh_host);
	fuzz_check_text("host.console_command", h->console_command);
	fuzz_check_text("host.username", h->username);
	/* source is "file:line": the same rules as a message. */
	fuzz_check_msg("host.source", h->source, where, max_line, true);
	for (p = h->address; *p; p++)
		FUZZ_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || strchr(".-_:%", *p),
			    "host.address holds a character that could change a URL");
	FUZZ_ASSERT(!h->console_ssh_host[0] || strcspn(h->console_ssh_host, " \t/") ==
						       strlen(h->console_ssh_host),
		    "console_ssh_host holds a space or a slash");
	FUZZ_ASSERT((h->username == NULL) == (h->password == NULL),
		    "a user name without a password, or the reverse");
	FUZZ_ASSERT(!h->username || h->cred_ref[0], "a credential with no cred_ref");
	fuzz_check_range("host.port", h->port, 0, 65535);
	fuzz_check_range("host.ipmi_port", h->ipmi_port, 0, 65535);
	fuzz_check_range("host.console_ssh_port", h->console_ssh_port, 0, 65535);
	fuzz_check_range("host.ipmi_cipher_suite", h->ipmi_cipher_suite, 0, 17);
	fuzz_check_range("host.protocol", h->protocol, FLEET_PROTO_REDFISH, FLEET_PROTO_IPMI);
	fuzz_check_range("host.ipmi_privilege", h->ipmi_privilege, INVENTORY_IPMI_PRIV_ADMIN,
			 INVENTORY_IPMI_PRIV_USER);
	fuzz_check_range("host.console", h->console, INVENTORY_CONSOLE_AUTO, INVENTORY_CONSOLE_SOL);
	fuzz_check_range("host.console_reconnect", h->console_reconnect, -1, 1);
	FUZZ_ASSERT(!(h->ipmi_workarounds & ~0x7fu), "unknown IPMI workaround bits");
	FUZZ_ASSERT(!(h->sol_workarounds & ~0x3u), "unknown SOL workaround bits");
	FUZZ_ASSERT(!(h->protocol == FLEET_PROTO_IPMI && h->ipmi_fallback),
		    "an IPMI host with an IPMI fallback");
	/* The workarounds' names read back as the same bits. */
	inventory_ipmi_workarounds_name(h->ipmi_workarounds, names, sizeof names);
	fuzz_check_text("workaround names", names);
	FUZZ_ASSERT(inventory_ipmi_workarounds_parse(names, &back, url, sizeof url) == 0 &&
			    back == h->ipmi_workarounds,
		    "IPMI workaround names do not read back");
	/* The URL is what requests go to: one host, nothing after it. */
	inventory_host_url(h, url, sizeof url);
	fuzz_check_text("host URL", url);
	if (h->address[0]) {
		const char *rest = strstr(url, "://");

		FUZZ_ASSERT(rest != NULL, "a URL without a scheme");
		FUZZ_ASSERT(strcspn(rest + 3, "/?#@ \\") == strlen(rest + 3),
			    "a URL with a path, query, user or space");
	} else {
		FUZZ_ASSERT(!url[0], "a URL for a host with no address");
	}
}

void fuzz_inv_check_hosts(const struct inventory *inv, const char *where, int max_line)
{
	FUZZ_ASSERT(inv->nhosts == 0 || inv->hosts, "hosts counted but not there");
	for (size_t i = 0; i < inv->nhosts; i++) {
		fuzz_inv_host(&inv->hosts[i], where, max_line);
		/* Hosts are known by name: two with one name would be one. */
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(inv->hosts[i].name, inv->hosts[j].name),
				    "two hosts with one name");
	}
}

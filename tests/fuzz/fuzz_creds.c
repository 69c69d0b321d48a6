/* The credentials file (inventory_load_credentials) against a fixed
 * inventory. Its mode is 0600 (0640 for one input size in eight, which
 * must be refused). Refused or not, a message is clean, names the file
 * (and line) and says only what the loader's fixed texts say: no
 * password or user name reaches it, and no host changes. Accepted, each
 * filled host has a clean user name, a password from the file with no
 * line break or edge blanks, and the file as its cred_ref; a host with
 * no address or with a Secret's credential is left alone. */
#include "fuzz_check.h"
#include "fuzz_inv.h"
#include "fuzz_msg.h"
#include "inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "manifest.yaml"

enum { H_TINK, H_DEFAULT, H_NO_BMC, H_SECRET, H_STAR, H_MISSING, NHOSTS };

static void fuzz_creds_inventory(struct inventory *inv)
{
	static const struct {
		const char *name, *ns, *address, *error;
	} def[NHOSTS] = {
		[H_TINK] = { "gpu-01", "tink-system", "10.0.0.1", "" },
		[H_DEFAULT] = { "gpu-02", "default", "10.0.0.2", "" },
		[H_NO_BMC] = { "spare", "default", "", "no BMC: Hardware has no spec.bmcRef" },
		[H_SECRET] = { "has-secret", "default", "10.0.0.4", "" },
		[H_STAR] = { "*", "default", "10.0.0.5", "" },
		[H_MISSING] = { "gpu-06", "default", "10.0.0.6",
				"Secret default/x (authSecretRef) not found in the manifests" },
	};

	memset(inv, 0, sizeof *inv);
	inv->hosts = calloc(NHOSTS, sizeof *inv->hosts);
	FUZZ_ASSERT(inv->hosts != NULL, "out of memory");
	inv->nhosts = NHOSTS;
	for (size_t i = 0; i < NHOSTS; i++) {
		struct inventory_host *h = &inv->hosts[i];

		snprintf(h->name, sizeof h->name, "%s", def[i].name);
		snprintf(h->namespace_, sizeof h->namespace_, "%s", def[i].ns);
		snprintf(h->address, sizeof h->address, "%s", def[i].address);
		snprintf(h->error, sizeof h->error, "%s", def[i].error);
		snprintf(h->source, sizeof h->source, SOURCE ":1");
		h->ipmi_cipher_suite = 3;
	}
	inv->hosts[H_SECRET].username = strdup("secret-user");
	inv->hosts[H_SECRET].password = strdup("secret-pass");
	snprintf(inv->hosts[H_SECRET].cred_ref, sizeof inv->hosts[H_SECRET].cred_ref,
		 "Secret default/s");
	FUZZ_ASSERT(inv->hosts[H_SECRET].username && inv->hosts[H_SECRET].password, "out of memory");
}

static bool fuzz_creds_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* A refusal: what the message may be. */
static void fuzz_creds_refused(const char *err, const char *path, int max_line)
{
	char prefix[4200];

	snprintf(prefix, sizeof prefix, "credentials file %s", path);
	if (!strncmp(err, prefix, strlen(prefix))) {
		fuzz_check_text("credentials error", err);
		return;
	}
	/* "FILE:N: fixed text": nothing of the line itself. */
	if (fuzz_check_msg("credentials error", err, path, max_line, false) > 0)
		FUZZ_ASSERT(fuzz_creds_ends(err, ": expected NAME USERNAME PASSWORD") ||
				    fuzz_creds_ends(err, ": line longer than 4096 bytes"),
			    "a credentials error says more than its fixed text");
	else
		FUZZ_ASSERT(fuzz_creds_ends(err, ": out of memory"), "an unknown credentials error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size % 8 == 7 ? 0640 : 0600;
	const char *path = fuzz_file("credentials", data, size, mode);
	int max_line = fuzz_msg_max_line(data, size);
	struct inventory inv;
	char err[1024], ref[4200];
	int rc;

	fuzz_creds_inventory(&inv);
	memset(err, 'X', sizeof err);
	rc = inventory_load_credentials(&inv, path, err, sizeof err);
	FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL, "the message is not terminated");
	if (mode != 0600)
		FUZZ_ASSERT(rc == -1 && strstr(err, "readable by group or others"),
			    "a credentials file others may read was not refused");
	if (rc < 0) {
		FUZZ_ASSERT(err[0], "refused without a reason");
		fuzz_creds_refused(err, path, max_line);
		for (size_t i = 0; i < NHOSTS; i++)
			FUZZ_ASSERT(i == H_SECRET || !inv.hosts[i].username,
				    "a refused file filled a host");
	} else {
		FUZZ_ASSERT(rc == 0 && !err[0], "accepted with a message");
		snprintf(ref, sizeof ref, "credentials file %s", path);
		for (size_t i = 0; i < NHOSTS; i++) {
			const struct inventory_host *h = &inv.hosts[i];
			const char *pw = h->password;
			size_t pl = pw ? strlen(pw) : 0;

			if (i == H_SECRET || !pw)
				continue;
			FUZZ_ASSERT(!strcmp(h->cred_ref, ref), "cred_ref does not name the file");
			FUZZ_ASSERT(pl > 0, "an empty password");
			FUZZ_ASSERT(!strpbrk(pw, "\n"), "a password holds a line break");
			FUZZ_ASSERT(pw[0] != ' ' && pw[0] != '\t' && pw[pl - 1] != ' ' &&
					    pw[pl - 1] != '\t' && pw[pl - 1] != '\r',
				    "a password kept the blanks around it");
			FUZZ_ASSERT(memmem(data, size, pw, pl) != NULL, "a password not in the file");
			FUZZ_ASSERT(i != H_MISSING || !h->error[0],
				    "a missing Secret's error stayed after the file filled it");
		}
		FUZZ_ASSERT(!inv.hosts[H_NO_BMC].username, "a host with no BMC got a credential");
	}
	FUZZ_ASSERT(!strcmp(inv.hosts[H_SECRET].username, "secret-user") &&
			    !strcmp(inv.hosts[H_SECRET].password, "secret-pass") &&
			    !strcmp(inv.hosts[H_SECRET].cred_ref, "Secret default/s"),
		    "the file replaced a Secret's credential");
	fuzz_inv_check_hosts(&inv, SOURCE, 1);
	inventory_free(&inv);
	return 0;
}

/* The inventory: which hosts exist and how to reach their BMCs.
 *
 * Loaded from Tinkerbell manifests (a YAML file or a directory of them)
 * holding Hardware (tinkerbell.org/v1alpha1), Rufio Machine
 * (bmc.tinkerbell.org/v1alpha1) and v1 Secret objects. A host is a
 * Hardware whose spec.bmcRef names a Machine, or a Machine no Hardware
 * names. Credentials come from the Secret in the Machine's
 * spec.connection.authSecretRef, else from the credentials file.
 *
 * One bad object gives one error (file:line: what was expected) and the
 * others still load. */
#ifndef RACKTOP_INVENTORY_H
#define RACKTOP_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet.h"

struct inventory_host {
	char name[FLEET_STR];        /* Hardware name (or Machine name) */
	char namespace_[FLEET_STR];
	char address[256];           /* Machine.spec.connection.host */
	int port;                    /* connection.port / providerOptions.redfish.port; 0: default */
	bool plain_http;             /* annotation racktop/scheme: http, or an http:// host */
	enum fleet_protocol protocol;
	bool insecure_tls;           /* connection.insecureTLS */
	bool use_basic_auth;         /* providerOptions.redfish.useBasicAuth */
	char system_name[FLEET_STR]; /* providerOptions.redfish.systemName */
	int ipmi_port;               /* providerOptions.ipmitool.port; 0: 623 */
	int ipmi_cipher_suite;       /* providerOptions.ipmitool.cipherSuite; default 3 */
	int ipmi_privilege;          /* annotation racktop/ipmi-privilege: INVENTORY_IPMI_PRIV_* */
	unsigned ipmi_workarounds;   /* annotation racktop/ipmi-workarounds: INVENTORY_IPMI_WA_* */
	bool ipmi_fallback;          /* a Redfish host with providerOptions.ipmitool: IPMI
				      * is used when Redfish fails */
	char *username;              /* heap; NULL if none found */
	char *password;              /* heap; wiped when freed */
	char cred_ref[128];          /* "Secret ns/name" or "credentials file" */
	char source[300];            /* file:line of the object that made this host */
	char error[FLEET_ERR];       /* set when the host is known but cannot be polled */
	/* The serial console (console.h), from the Machine's annotations
	 * racktop/console (ssh|sol), racktop/console-ssh ([user@]host[:port]),
	 * racktop/console-command and racktop/sol-workarounds. */
	int console;                 /* INVENTORY_CONSOLE_* */
	char console_ssh_user[FLEET_STR];
	char console_ssh_host[256];
	int console_ssh_port;        /* 0: the BMC's advertised port, else 22 */
	char console_command[256];   /* run instead of a shell, e.g. "console com2" */
	unsigned sol_workarounds;    /* INVENTORY_SOL_WA_* */
	int console_reconnect;       /* racktop/console-reconnect: 1 on, -1 off, 0 as configured */
};

/* Which console a host has (racktop/console); AUTO: SSH when
 * racktop/console-ssh is set, else SOL for IPMI hosts. */
enum {
	INVENTORY_CONSOLE_AUTO = 0,
	INVENTORY_CONSOLE_SSH,
	INVENTORY_CONSOLE_SOL,
};

/* racktop/sol-workarounds: the names ipmiconsole takes after -W. */
#define INVENTORY_SOL_WA_CHANNEL_SUPPORT 0x01u /* solchannelsupport */
#define INVENTORY_SOL_WA_PAYLOAD_SIZE    0x02u /* solpayloadsize */

/* IPMI privilege levels (racktop/ipmi-privilege: admin|operator|user). */
enum {
	INVENTORY_IPMI_PRIV_ADMIN = 0,   /* the default */
	INVENTORY_IPMI_PRIV_OPERATOR,
	INVENTORY_IPMI_PRIV_USER,
};

/* FreeIPMI's IPMI 2.0 workarounds, by the names its tools take after -W
 * (racktop/ipmi-workarounds: "opensesspriv,intel20"). */
#define INVENTORY_IPMI_WA_AUTHCAP             0x01u
#define INVENTORY_IPMI_WA_INTEL20             0x02u
#define INVENTORY_IPMI_WA_SUPERMICRO20        0x04u
#define INVENTORY_IPMI_WA_SUN20               0x08u
#define INVENTORY_IPMI_WA_OPENSESSPRIV        0x10u
#define INVENTORY_IPMI_WA_INTEGRITYCHECKVALUE 0x20u
#define INVENTORY_IPMI_WA_NOCHECKSUMCHECK     0x40u

/* "opensesspriv,intel20" -> bits: 0, or -1 with *BAD the first unknown
 * name (cut to BADLEN). */
int inventory_ipmi_workarounds_parse(const char *s, unsigned *out, char *bad, size_t badlen);
/* The names of BITS, comma-separated, into BUF. */
void inventory_ipmi_workarounds_name(unsigned bits, char *buf, size_t n);

struct inventory {
	size_t nhosts;
	struct inventory_host *hosts;
	size_t nerrors;
	char **errors;               /* "file:line: message" */
};

/* Loads PATH (a file or a directory of *.yaml and *.yml files, sorted).
 * CREDS_FILE may be NULL. Returns 0 when PATH could be read at all (errors
 * in objects are in inv->errors), -1 when it could not or when CREDS_FILE
 * was refused (inv->errors says why). */
int inventory_load(const char *path, const char *creds_file, struct inventory *inv);
void inventory_free(struct inventory *inv);

/* "https://127.0.0.1:8443" for display and requests. */
void inventory_host_url(const struct inventory_host *h, char *buf, size_t n);

/* Loads a credentials file: lines "NAME USERNAME PASSWORD", NAME "*" for
 * any host; '#' comments. Refused (-1, ERR says why) if group or others
 * may read it. Fills hosts that have no credential yet. */
int inventory_load_credentials(struct inventory *inv, const char *path, char *err, size_t errlen);

#endif

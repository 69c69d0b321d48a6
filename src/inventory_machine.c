/* A Rufio Machine (bmc.tinkerbell.org/v1alpha1): how to reach one BMC.
 * spec.connection and its providerOptions, plus racktop's annotations
 * racktop/protocol and racktop/scheme. */
#include "inventory_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

static int inventory_machine_port(const char *s, int *port)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -1;
	}
	if (v < 1)
		return -1;
	*port = (int)v;
	return 0;
}

static bool inventory_machine_valid_address(const char *a)
{
	if (!*a)
		return false;
	/* Names, IPv4 and IPv6 (with a %zone): nothing that could change a URL. */
	for (; *a; a++)
		if (!isalnum((unsigned char)*a) && !strchr(".-_:%", *a))
			return false;
	return true;
}

/* connection.host: "name", "10.0.0.5:8443", "[fd00::5]:443",
 * "http://name:8000/" into address, port and scheme. */
static int inventory_machine_split_host(struct inventory_object *o, const struct yaml_doc_node *at,
					const char *in, struct inventory_host *b, int *port)
{
	char buf[512];
	char *s = buf, *p, *colon;

	text_copy(buf, sizeof buf, in);
	if (!strncasecmp(s, "http://", 7)) {
		b->plain_http = true;
		s += 7;
	} else if (!strncasecmp(s, "https://", 8)) {
		s += 8;
	}
	p = strchr(s, '/');
	if (p)
		*p = '\0';
	if (*s == '[') {
		p = strchr(s, ']');
		if (!p || (p[1] && p[1] != ':'))
			goto bad;
		*p = '\0';
		if (p[1] == ':' && inventory_machine_port(p + 2, port) < 0)
			goto bad;
		s++;
	} else {
		colon = strchr(s, ':');
		/* One colon is host:port; more is a bare IPv6 address. */
		if (colon && !strchr(colon + 1, ':')) {
			*colon = '\0';
			if (inventory_machine_port(colon + 1, port) < 0)
				goto bad;
		}
	}
	if (!inventory_machine_valid_address(s) || strlen(s) >= sizeof b->address)
		goto bad;
	text_clean(b->address, sizeof b->address, s);
	return 0;
bad:
	inventory_object_problem(o, at, 0, true,
				 "spec.connection.host: not a host, host:port or URL: \"%.80s\"", in);
	return -1;
}

static void inventory_machine_options(struct inventory_object *o, const struct yaml_doc_node *conn,
				      struct inventory_host *b, bool *ipmi, bool *have_proto,
				      int *redfish_port)
{
	const struct yaml_doc_node *po, *rf, *ipmitool, *order, *first;

	po = inventory_object_map(o, conn, "providerOptions", "spec.connection.providerOptions", true);
	if (!po)
		return;
	rf = inventory_object_map(o, po, "redfish", "spec.connection.providerOptions.redfish", true);
	ipmitool = inventory_object_map(o, po, "ipmitool", "spec.connection.providerOptions.ipmitool",
					true);
	if (rf) {
		inventory_object_int(o, rf, "port", "spec.connection.providerOptions.redfish.port",
				     false, 0, 65535, redfish_port);
		inventory_object_string(o, rf, "systemName",
					"spec.connection.providerOptions.redfish.systemName", true,
					b->system_name, sizeof b->system_name);
		inventory_object_bool(o, rf, "useBasicAuth",
				      "spec.connection.providerOptions.redfish.useBasicAuth",
				      &b->use_basic_auth);
	}
	if (ipmitool) {
		inventory_object_int(o, ipmitool, "port",
				     "spec.connection.providerOptions.ipmitool.port", false, 0, 65535,
				     &b->ipmi_port);
		/* The CRD says string ("3"); a bare 3 is what people write. */
		inventory_object_int(o, ipmitool, "cipherSuite",
				     "spec.connection.providerOptions.ipmitool.cipherSuite", true, 0, 17,
				     &b->ipmi_cipher_suite);
	}
	order = yaml_doc_get(po, "preferredOrder");
	if (order && order->type != YAML_DOC_SEQ) {
		inventory_object_problem(
			o, order, 0, true,
			"spec.connection.providerOptions.preferredOrder: expected a sequence, got %s",
			yaml_doc_type_name(order));
	} else if (order && order->n > 0) {
		first = order->u.kids[0];
		if (first->type != YAML_DOC_SCALAR || first->too_long) {
			inventory_object_problem(o, first, 0, true,
						 "spec.connection.providerOptions.preferredOrder[0]: "
						 "expected a string, got %s",
						 yaml_doc_type_name(first));
		} else {
			*ipmi = !strcasecmp(first->u.s, "ipmitool");
			*have_proto = true;
		}
	}
	if (!*have_proto && ipmitool && !rf) {
		*ipmi = true;
		*have_proto = true;
	}
	/* Both kinds of options: the other one is the fallback. */
	b->ipmi_fallback = ipmitool != NULL;
}

static const struct {
	const char *name;
	unsigned bit;
} inventory_machine_wa[] = {
	{ "authcap", INVENTORY_IPMI_WA_AUTHCAP },
	{ "intel20", INVENTORY_IPMI_WA_INTEL20 },
	{ "supermicro20", INVENTORY_IPMI_WA_SUPERMICRO20 },
	{ "sun20", INVENTORY_IPMI_WA_SUN20 },
	{ "opensesspriv", INVENTORY_IPMI_WA_OPENSESSPRIV },
	{ "integritycheckvalue", INVENTORY_IPMI_WA_INTEGRITYCHECKVALUE },
	{ "nochecksumcheck", INVENTORY_IPMI_WA_NOCHECKSUMCHECK },
};

int inventory_ipmi_workarounds_parse(const char *s, unsigned *out, char *bad, size_t badlen)
{
	unsigned bits = 0;

	while (*s) {
		size_t len, i;

		s += strspn(s, ", ");
		len = strcspn(s, ", ");
		if (!len)
			break;
		for (i = 0; i < sizeof inventory_machine_wa / sizeof inventory_machine_wa[0]; i++)
			if (strlen(inventory_machine_wa[i].name) == len &&
			    !strncasecmp(s, inventory_machine_wa[i].name, len))
				break;
		if (i == sizeof inventory_machine_wa / sizeof inventory_machine_wa[0]) {
			snprintf(bad, badlen, "%.*s", (int)(len > 40 ? 40 : len), s);
			return -1;
		}
		bits |= inventory_machine_wa[i].bit;
		s += len;
	}
	*out = bits;
	return 0;
}

void inventory_ipmi_workarounds_name(unsigned bits, char *buf, size_t n)
{
	size_t used = 0;

	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof inventory_machine_wa / sizeof inventory_machine_wa[0]; i++) {
		int w;

		if (!(bits & inventory_machine_wa[i].bit) || used >= n)
			continue;
		w = snprintf(buf + used, n - used, "%s%s", used ? "," : "",
			     inventory_machine_wa[i].name);
		if (w > 0)
			used += (size_t)w;
	}
}

/* racktop/ipmi-privilege and racktop/ipmi-workarounds. */
static void inventory_machine_ipmi_annotations(struct inventory_object *o,
					       const struct yaml_doc_node *ann,
					       struct inventory_host *b)
{
	char v[256], bad[48];

	if (inventory_object_string(o, ann, "racktop/ipmi-privilege",
				    "metadata.annotations.racktop/ipmi-privilege", true, v,
				    sizeof v) == 1) {
		if (!strcasecmp(v, "admin") || !strcasecmp(v, "administrator"))
			b->ipmi_privilege = INVENTORY_IPMI_PRIV_ADMIN;
		else if (!strcasecmp(v, "operator"))
			b->ipmi_privilege = INVENTORY_IPMI_PRIV_OPERATOR;
		else if (!strcasecmp(v, "user"))
			b->ipmi_privilege = INVENTORY_IPMI_PRIV_USER;
		else
			inventory_object_problem(o, yaml_doc_get(ann, "racktop/ipmi-privilege"), 0,
						 true,
						 "metadata.annotations.racktop/ipmi-privilege: "
						 "expected admin, operator or user, got %.40s",
						 v);
	}
	if (inventory_object_string(o, ann, "racktop/ipmi-workarounds",
				    "metadata.annotations.racktop/ipmi-workarounds", true, v,
				    sizeof v) == 1 &&
	    inventory_ipmi_workarounds_parse(v, &b->ipmi_workarounds, bad, sizeof bad) < 0)
		inventory_object_problem(o, yaml_doc_get(ann, "racktop/ipmi-workarounds"), 0, true,
					 "metadata.annotations.racktop/ipmi-workarounds: unknown "
					 "workaround \"%s\" (known: authcap, intel20, supermicro20, "
					 "sun20, opensesspriv, integritycheckvalue, nochecksumcheck)",
					 bad);
}

/* racktop/protocol and racktop/scheme. */
static void inventory_machine_annotations(struct inventory_object *o, const struct yaml_doc_node *md,
					  struct inventory_host *b, bool *ipmi, bool *have_proto,
					  int *scheme)
{
	const struct yaml_doc_node *ann =
		inventory_object_map(o, md, "annotations", "metadata.annotations", false);
	char v[16];

	if (inventory_object_string(o, ann, "racktop/protocol", "metadata.annotations.racktop/protocol",
				    true, v, sizeof v) == 1) {
		if (!strcmp(v, "ipmi") || !strcmp(v, "redfish")) {
			*ipmi = !strcmp(v, "ipmi");
			*have_proto = true;
		} else {
			inventory_object_problem(o, yaml_doc_get(ann, "racktop/protocol"), 0, true,
						 "metadata.annotations.racktop/protocol: expected "
						 "redfish or ipmi, got %s",
						 v);
		}
	}
	if (inventory_object_string(o, ann, "racktop/scheme", "metadata.annotations.racktop/scheme",
				    true, v, sizeof v) == 1) {
		if (!strcmp(v, "http") || !strcmp(v, "https"))
			*scheme = !strcmp(v, "http") ? 1 : 0;
		else
			inventory_object_problem(
				o, yaml_doc_get(ann, "racktop/scheme"), 0, true,
				"metadata.annotations.racktop/scheme: expected https or http, got %s",
				v);
	}
	inventory_machine_ipmi_annotations(o, ann, b);
	inventory_console_annotations(o, ann, b);
}

static void inventory_machine_auth_ref(struct inventory_object *o, const struct yaml_doc_node *conn,
				       struct inventory_obj *m)
{
	const struct yaml_doc_node *ref;
	char name[INVENTORY_NAME_MAX + 2], ns[INVENTORY_NAME_MAX + 2];
	int rc;

	ref = inventory_object_map(o, conn, "authSecretRef", "spec.connection.authSecretRef", true);
	if (!ref)
		return;
	rc = inventory_object_string(o, ref, "name", "spec.connection.authSecretRef.name", true, name,
				     sizeof name);
	if (rc == 0 || (rc == 1 && !name[0])) {
		inventory_object_problem(o, ref, 0, true, "spec.connection.authSecretRef.name missing");
		return;
	}
	if (rc < 0)
		return;
	/* An empty namespace means the Machine's own, as in Kubernetes. */
	if (inventory_object_string(o, ref, "namespace", "spec.connection.authSecretRef.namespace", true,
				    ns, sizeof ns) <= 0 ||
	    !ns[0])
		strcpy(ns, o->ns);
	m->secret_name = strdup(name);
	m->secret_ns = strdup(ns);
}

void inventory_machine_read(struct inventory_object *o, const struct yaml_doc_node *obj)
{
	struct inventory_obj m = { .kind = INVENTORY_MACHINE };
	const struct yaml_doc_node *md, *spec, *conn, *hostn;
	struct inventory_host *b;
	char host[YAML_DOC_MAX_STRING + 1];
	bool ipmi = false, have_proto = false, tls = false;
	int scheme = -1, host_port = 0, conn_port = 0, redfish_port = 0;

	if (inventory_object_metadata(o, obj, &md) < 0)
		return;
	b = calloc(1, sizeof *b);
	if (!b) {
		inventory_object_problem(o, obj, 0, true, "out of memory");
		return;
	}
	m.bmc = b;
	b->ipmi_cipher_suite = 3;
	spec = inventory_object_map(o, obj, "spec", "spec", true);
	conn = inventory_object_map(o, spec, "connection", "spec.connection", true);
	if (!spec && !o->bad)
		inventory_object_problem(o, obj, 0, true, "spec missing");
	else if (!conn && !o->bad)
		inventory_object_problem(o, spec, 0, true, "spec.connection missing");
	if (conn) {
		hostn = yaml_doc_get(conn, "host");
		switch (inventory_object_string(o, conn, "host", "spec.connection.host", true, host,
						sizeof host)) {
		case 0:
			inventory_object_problem(o, conn, 0, true, "spec.connection.host missing");
			break;
		case 1:
			inventory_machine_split_host(o, hostn, host, b, &host_port);
			break;
		}
		inventory_object_int(o, conn, "port", "spec.connection.port", false, 0, 65535,
				     &conn_port);
		/* Required by the CRD; verifying TLS is the safe reading of its absence. */
		if (inventory_object_bool(o, conn, "insecureTLS", "spec.connection.insecureTLS", &tls) ==
		    0)
			inventory_object_problem(
				o, conn, 0, false,
				"spec.connection.insecureTLS missing (TLS will be verified)");
		b->insecure_tls = tls;
		inventory_machine_auth_ref(o, conn, &m);
		inventory_machine_options(o, conn, b, &ipmi, &have_proto, &redfish_port);
	}
	inventory_machine_annotations(o, md, b, &ipmi, &have_proto, &scheme);
	b->protocol = ipmi ? FLEET_PROTO_IPMI : FLEET_PROTO_REDFISH;
	if (ipmi)
		b->ipmi_fallback = false;
	if (scheme >= 0)
		b->plain_http = scheme == 1;
	if (ipmi) {
		b->port = host_port ? host_port : conn_port;
		if (!b->ipmi_port)
			b->ipmi_port = b->port;
	} else {
		/* The CRD defaults connection.port to 623, IPMI's port: a Redfish
		 * service is never there, so that value means "not set". */
		if (conn_port == 623)
			conn_port = 0;
		b->port = host_port ? host_port : conn_port ? conn_port : redfish_port;
	}
	inventory_object_add(o, &m, obj->line);
}

/* One BMC's IPMI connection settings, and the messages an operator sees
 * when a session cannot be had. */
#include "ipmi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "inventory.h"
#include "text.h"

void ipmi_conn_timeouts(const struct ipmi_conn *c, unsigned *session_ms, unsigned *retransmit_ms)
{
	unsigned t = c->timeout_ms > 0 ? (unsigned)c->timeout_ms : 10000;
	unsigned r = t / 4;

	/* FreeIPMI retransmits within the session timeout: a lost UDP
	 * packet costs a fraction of it, not all of it. */
	if (r > 1000)
		r = 1000;
	if (r < 100)
		r = 100;
	if (r >= t)
		r = t > 1 ? t - 1 : 1;
	*session_ms = t;
	*retransmit_ms = r;
}

void ipmi_conn_clear(struct ipmi_conn *c)
{
	text_wipe_free(c->user);
	text_wipe_free(c->pass);
	c->user = c->pass = NULL;
}

int ipmi_conn_copy(struct ipmi_conn *dst, const struct ipmi_conn *src)
{
	*dst = *src;
	dst->user = src->user ? strdup(src->user) : NULL;
	dst->pass = src->pass ? strdup(src->pass) : NULL;
	if ((src->user && !dst->user) || (src->pass && !dst->pass)) {
		ipmi_conn_clear(dst);
		return -1;
	}
	return 0;
}

static const char *ipmi_conn_priv_name(int p)
{
	switch (p) {
	case INVENTORY_IPMI_PRIV_OPERATOR: return "operator";
	case INVENTORY_IPMI_PRIV_USER: return "user";
	default: return "admin";
	}
}

void ipmi_err_set(struct ipmi_err *e, enum ipmi_fail f, const struct ipmi_conn *c,
		  const char *libmsg)
{
	char lib[128];
	unsigned s_ms, r_ms;

	text_clean(lib, sizeof(lib), libmsg && *libmsg ? libmsg : "unknown error");
	e->fail = f;
	switch (f) {
	case IPMI_OK:
		e->msg[0] = '\0';
		break;
	case IPMI_FAIL_USERNAME:
		http_fmt(e->msg, sizeof(e->msg),
			 "IPMI %s: username refused: the BMC has no such user (%s)", c->host, lib);
		break;
	case IPMI_FAIL_PASSWORD:
		http_fmt(e->msg, sizeof(e->msg), "IPMI %s: wrong password for this user (%s)",
			 c->host, lib);
		break;
	case IPMI_FAIL_PRIVILEGE:
		/* The session opened; the BMC refused one command at its level. */
		http_fmt(e->msg, sizeof(e->msg),
			 "IPMI %s: wrong privilege: %s level is not enough for this "
			 "(annotation racktop/ipmi-privilege) (%s)",
			 c->host, ipmi_conn_priv_name(c->privilege), lib);
		break;
	case IPMI_FAIL_PRIV_REFUSED:
		http_fmt(e->msg, sizeof(e->msg),
			 "IPMI %s: wrong privilege: the BMC refuses %s level for this user, user "
			 "level is allowed (annotation racktop/ipmi-privilege) (%s)",
			 c->host, ipmi_conn_priv_name(c->privilege), lib);
		break;
	case IPMI_FAIL_PRIV_NOT_OBTAINED:
		http_fmt(e->msg, sizeof(e->msg),
			 "IPMI %s: wrong privilege: %s level cannot be obtained for this user "
			 "(annotation racktop/ipmi-privilege) (%s)",
			 c->host, ipmi_conn_priv_name(c->privilege), lib);
		break;
	case IPMI_FAIL_CIPHER:
		http_fmt(e->msg, sizeof(e->msg),
			 "IPMI %s: cipher suite %d is not supported by this BMC "
			 "(providerOptions.ipmitool.cipherSuite) (%s)",
			 c->host, c->cipher_suite, lib);
		break;
	case IPMI_FAIL_TIMEOUT:
		ipmi_conn_timeouts(c, &s_ms, &r_ms);
		http_fmt(e->msg, sizeof(e->msg), "IPMI %s: no answer within %.1f s (%s)", c->host,
			 s_ms / 1000.0, lib);
		break;
	case IPMI_FAIL_BUSY:
		http_fmt(e->msg, sizeof(e->msg), "IPMI %s: BMC busy (%s)", c->host, lib);
		break;
	default:
		http_fmt(e->msg, sizeof(e->msg), "IPMI %s: %s", c->host, lib);
		break;
	}
}

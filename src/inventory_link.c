/* Linking the objects into hosts: Hardware -> Machine (spec.bmcRef) ->
 * Secret (spec.connection.authSecretRef), all by hash lookup. A host
 * that cannot be polled is still a host, with its error set. */
#include "inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static void inventory_link_fail(struct inventory_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets the host's error, cleaned: an object's message quotes its text
 * cut to so many bytes ("%.80s"), which may end mid-character. */
static void inventory_link_fail(struct inventory_host *h, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	text_clean(h->error, sizeof h->error, msg);
}

static void inventory_link_credentials(struct inventory_loader *l, struct inventory_host *h,
				       const struct inventory_obj *m)
{
	char key[2 * INVENTORY_NAME_MAX + 2];
	const struct inventory_obj *s;
	size_t idx;

	if (!m->secret_name)
		return;
	snprintf(key, sizeof key, "%s/%s", m->secret_ns, m->secret_name);
	if (inventory_map_get(&l->index[INVENTORY_SECRET], key, &idx) < 0) {
		/* A credentials file may still fill it: the host keeps only this. */
		inventory_link_fail(h, "Secret %s (authSecretRef) not found in the manifests", key);
		return;
	}
	s = &l->objs[idx];
	if (s->error) {
		inventory_link_fail(h, "Secret %s (authSecretRef): %s", key, s->error);
		return;
	}
	h->username = strdup(s->username);
	h->password = strdup(s->password);
	if (!h->username || !h->password) {
		text_wipe_free(h->username);
		text_wipe_free(h->password);
		h->username = h->password = NULL;
		inventory_link_fail(h, "out of memory");
		return;
	}
	text_clean(h->cred_ref, sizeof h->cred_ref, "Secret ");
	text_clean(h->cred_ref + 7, sizeof h->cred_ref - 7, key);
}

/* The BMC half of a host, from Machine M. */
static void inventory_link_machine(struct inventory_loader *l, struct inventory_host *h,
				   const struct inventory_obj *m)
{
	const struct inventory_host *b = m->bmc;

	memcpy(h->address, b->address, sizeof h->address);
	h->port = b->port;
	h->plain_http = b->plain_http;
	h->protocol = b->protocol;
	h->insecure_tls = b->insecure_tls;
	h->use_basic_auth = b->use_basic_auth;
	memcpy(h->system_name, b->system_name, sizeof h->system_name);
	h->ipmi_port = b->ipmi_port;
	h->ipmi_cipher_suite = b->ipmi_cipher_suite;
	h->ipmi_privilege = b->ipmi_privilege;
	h->ipmi_workarounds = b->ipmi_workarounds;
	h->ipmi_fallback = b->ipmi_fallback;
	inventory_console_copy(h, b);
	if (m->error) {
		inventory_link_fail(h, "Machine %s/%s: %s", m->ns, m->name, m->error);
		return;
	}
	inventory_link_credentials(l, h, m);
}

/* Hardware at index I: which Machine it names. */
static void inventory_link_hardware(struct inventory_loader *l, struct inventory_host *h, size_t i)
{
	struct inventory_obj *hw = &l->objs[i], *m;
	char key[2 * INVENTORY_NAME_MAX + 2];
	size_t idx;

	if (hw->error) {
		inventory_link_fail(h, "Hardware %s/%s: %s", hw->ns, hw->name, hw->error);
		return;
	}
	if (!hw->ref_name) {
		inventory_link_fail(h, "no BMC: Hardware has no spec.bmcRef");
		return;
	}
	/* bmcRef has no namespace: the Machine lives beside the Hardware. */
	snprintf(key, sizeof key, "%s/%s", hw->ns, hw->ref_name);
	if (inventory_map_get(&l->index[INVENTORY_MACHINE], key, &idx) < 0) {
		inventory_link_fail(h, "Machine %s named by spec.bmcRef not found", key);
		inventory_error(l, "%s: Hardware %s/%s: %s", hw->source, hw->ns, hw->name, h->error);
		return;
	}
	m = &l->objs[idx];
	if (m->used_by && m->used_by != i + 1) {
		const struct inventory_obj *first = &l->objs[m->used_by - 1];

		inventory_link_fail(h, "Machine %s is already the BMC of Hardware %s/%s", key,
			 first->ns, first->name);
		inventory_error(l, "%s: Hardware %s/%s: %s (at %s)", hw->source, hw->ns, hw->name, h->error,
				first->source);
		return;
	}
	m->used_by = i + 1;
	inventory_link_machine(l, h, m);
}

int inventory_link(struct inventory_loader *l)
{
	struct inventory *inv = l->inv;
	struct inventory_map names = { 0 };
	size_t i, cap = 0;
	char key[2 * INVENTORY_NAME_MAX + 2];
	char name[FLEET_STR];

	/* First every Hardware claims its Machine, so that a Machine listed
	 * before its Hardware is not taken for a host of its own. */
	for (i = 0; i < l->nobjs; i++) {
		struct inventory_obj *hw = &l->objs[i];
		size_t idx;

		if (hw->kind != INVENTORY_HARDWARE || hw->error || !hw->ref_name)
			continue;
		snprintf(key, sizeof key, "%s/%s", hw->ns, hw->ref_name);
		if (inventory_map_get(&l->index[INVENTORY_MACHINE], key, &idx) == 0 &&
		    !l->objs[idx].used_by)
			l->objs[idx].used_by = i + 1;
	}
	for (i = 0; i < l->nobjs; i++) {
		struct inventory_obj *o = &l->objs[i];
		struct inventory_host *h;
		size_t first;
		int rc;

		if (o->kind == INVENTORY_SECRET || (o->kind == INVENTORY_MACHINE && o->used_by))
			continue;
		/* Hosts are known by name on screen and in the fleet store, by
		 * the name as stored (cut to FLEET_STR). */
		text_clean(name, sizeof name, o->name);
		rc = inventory_map_put(&names, name, i, &first);
		if (rc == 1) {
			const struct inventory_obj *f = &l->objs[first];

			inventory_error(l, "%s: %s %s/%s: host name %s already used by %s %s/%s at %s", o->source,
					o->kind == INVENTORY_HARDWARE ? "Hardware" : "Machine", o->ns, o->name,
					name, f->kind == INVENTORY_HARDWARE ? "Hardware" : "Machine", f->ns,
					f->name, f->source);
			continue;
		}
		if (rc == 0 && inv->nhosts == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct inventory_host *n = realloc(inv->hosts, ncap * sizeof *n);

			if (n) {
				inv->hosts = n;
				cap = ncap;
			} else {
				rc = -1;
			}
		}
		if (rc < 0) {
			inventory_map_free(&names);
			return -1;
		}
		h = &inv->hosts[inv->nhosts++];
		memset(h, 0, sizeof *h);
		memcpy(h->name, name, sizeof h->name);
		text_clean(h->namespace_, sizeof h->namespace_, o->ns);
		text_clean(h->source, sizeof h->source, o->source);
		h->ipmi_cipher_suite = 3;
		if (o->kind == INVENTORY_HARDWARE)
			inventory_link_hardware(l, h, i);
		else
			inventory_link_machine(l, h, o);
	}
	inventory_map_free(&names);
	return 0;
}

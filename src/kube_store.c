/* Kubernetes mode: the decoded objects, hashed by kind and ns/name so a
 * watch event on a fleet of 10,000 costs one lookup. */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "kube_int.h"

static size_t kube_store_hash(const char *ns, const char *name)
{
	uint32_t h = hash_fnv1a_str(HASH_FNV1A_INIT, ns);

	h = hash_fnv1a(h, "/", 1);
	return hash_fnv1a_str(h, name) % KUBE_HASH;
}

void kube_obj_free(struct kube_obj *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->wf.ntasks; i++)
		free(o->wf.tasks[i].actions);
	free(o->wf.tasks);
	free(o);
}

struct kube_obj *kube_store_find(struct kube *k, enum kube_kind kind, const char *ns,
				 const char *name)
{
	for (struct kube_obj *o = k->objs[kind][kube_store_hash(ns, name)]; o; o = o->next)
		if (!strcmp(o->ns, ns) && !strcmp(o->name, name))
			return o;
	return NULL;
}

void kube_store_put(struct kube *k, struct kube_obj *obj)
{
	struct kube_obj **pp = &k->objs[obj->kind][kube_store_hash(obj->ns, obj->name)];

	for (; *pp; pp = &(*pp)->next) {
		struct kube_obj *old = *pp;

		if (strcmp(old->ns, obj->ns) || strcmp(old->name, obj->name))
			continue;
		obj->host = old->host;
		memcpy(obj->shown, old->shown, sizeof(obj->shown));
		obj->next = old->next;
		*pp = obj;
		kube_obj_free(old);
		return;
	}
	obj->next = NULL;
	*pp = obj;
	k->nobjs[obj->kind]++;
}

void kube_store_del(struct kube *k, enum kube_kind kind, const char *ns, const char *name)
{
	struct kube_obj **pp = &k->objs[kind][kube_store_hash(ns, name)];

	for (; *pp; pp = &(*pp)->next) {
		struct kube_obj *o = *pp;

		if (strcmp(o->ns, ns) || strcmp(o->name, name))
			continue;
		*pp = o->next;
		kube_obj_free(o);
		k->nobjs[kind]--;
		return;
	}
}

void kube_store_each(struct kube *k, enum kube_kind kind,
		     void (*fn)(struct kube *k, struct kube_obj *o, void *arg), void *arg)
{
	for (size_t b = 0; b < KUBE_HASH; b++) {
		struct kube_obj *o = k->objs[kind][b], *next;

		for (; o; o = next) {
			next = o->next;   /* FN may delete O */
			fn(k, o, arg);
		}
	}
}

/* Kubernetes mode: copies of the cluster's Workflows and Templates for
 * other threads (the workflow view, a reprovision prompt), taken under
 * the store's lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_int.h"

/* Workflows for the screen: deep copies under the lock. */
struct kube_wf_collect {
	struct kube_workflow *w;
	size_t n;
};

static void kube_wf_collect(struct kube *k, struct kube_obj *o, void *arg)
{
	struct kube_wf_collect *c = arg;
	struct kube_workflow *d = &c->w[c->n++];
	struct kube_obj *hw = kube_store_find(k, KUBE_HARDWARE, o->wf.namespace_,
					      o->wf.hardware_ref);

	*d = o->wf;
	d->host = hw ? hw->host : -1;
	d->tasks = d->ntasks ? calloc(d->ntasks, sizeof(*d->tasks)) : NULL;
	if (d->ntasks && !d->tasks)
		abort();
	for (size_t i = 0; i < d->ntasks; i++) {
		d->tasks[i] = o->wf.tasks[i];
		d->tasks[i].actions = NULL;
		if (!d->tasks[i].nactions)
			continue;
		d->tasks[i].actions = malloc(d->tasks[i].nactions * sizeof(*d->tasks[i].actions));
		if (!d->tasks[i].actions)
			abort();
		memcpy(d->tasks[i].actions, o->wf.tasks[i].actions,
		       d->tasks[i].nactions * sizeof(*d->tasks[i].actions));
	}
}

static int kube_wf_cmp(const void *a, const void *b)
{
	const struct kube_workflow *x = a, *y = b;
	int r = strcmp(x->namespace_, y->namespace_);

	return r ? r : strcmp(x->name, y->name);
}

uint64_t kube_workflows_snapshot(struct kube *k, struct kube_workflow **out, size_t *n)
{
	struct kube_wf_collect c = { 0 };
	uint64_t v;

	pthread_mutex_lock(&k->lock);
	c.w = calloc(k->nobjs[KUBE_WORKFLOW] ? k->nobjs[KUBE_WORKFLOW] : 1, sizeof(*c.w));
	if (!c.w)
		abort();
	kube_store_each(k, KUBE_WORKFLOW, kube_wf_collect, &c);
	v = k->wf_version;
	pthread_mutex_unlock(&k->lock);
	qsort(c.w, c.n, sizeof(*c.w), kube_wf_cmp);
	*out = c.w;
	*n = c.n;
	return v;
}

uint64_t kube_workflows_version(struct kube *k)
{
	uint64_t v;

	pthread_mutex_lock(&k->lock);
	v = k->wf_version;
	pthread_mutex_unlock(&k->lock);
	return v;
}

void kube_workflows_free(struct kube_workflow *w, size_t n)
{
	for (size_t i = 0; w && i < n; i++) {
		for (size_t t = 0; t < w[i].ntasks; t++)
			free(w[i].tasks[t].actions);
		free(w[i].tasks);
	}
	free(w);
}

struct kube_tpl_collect {
	char **names;
	size_t n;
};

static void kube_tpl_collect(struct kube *k, struct kube_obj *o, void *arg)
{
	struct kube_tpl_collect *c = arg;
	char buf[140];

	(void)k;
	snprintf(buf, sizeof(buf), "%s/%s", o->ns, o->name);
	c->names[c->n] = strdup(buf);
	if (c->names[c->n])
		c->n++;
}

static int kube_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kube_templates(struct kube *k, char ***out, size_t *n)
{
	struct kube_tpl_collect c = { 0 };

	pthread_mutex_lock(&k->lock);
	c.names = calloc(k->nobjs[KUBE_TEMPLATE] + 1, sizeof(*c.names));
	if (c.names)
		kube_store_each(k, KUBE_TEMPLATE, kube_tpl_collect, &c);
	pthread_mutex_unlock(&k->lock);
	if (c.names)
		qsort(c.names, c.n, sizeof(*c.names), kube_str_cmp);
	*out = c.names;
	*n = c.n;
}

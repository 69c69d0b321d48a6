#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

struct fleet {
	pthread_mutex_t lock;
	uint64_t version;
	size_t nhosts, cap;
	struct fleet_host *hosts;
	int wake[2];
	atomic_bool wake_pending;  /* a byte is in the pipe: more would say nothing new */
	char source_status[FLEET_ERR]; /* fleet_set_source_status() */
};

/* One GPU, sensor or log array shared, read-only, by the store and the
 * snapshots: a snapshot takes a reference instead of a copy (10,000 hosts
 * with full logs were 140 MiB a copy), and a poll puts in a new block
 * rather than writing into this one. Snapshots are taken and dropped on
 * other threads than the engine's, hence the atomic count. */
struct fleet_block {
	atomic_size_t refs;
	void *items;               /* malloc'd; freed with the last reference */
};

/* A block holding ITEMS (taken), one reference. */
static struct fleet_block *fleet_block_wrap(void *items)
{
	struct fleet_block *b = malloc(sizeof(*b));

	if (!b)
		abort();
	atomic_init(&b->refs, 1);
	b->items = items;
	return b;
}

static struct fleet_block *fleet_block_ref(struct fleet_block *b)
{
	atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
	return b;
}

static void fleet_block_put(struct fleet_block *b)
{
	/* acq_rel: every holder's reads happen before the free. */
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1) {
		free(b->items);
		free(b);
	}
}

/* Frees ITEMS, or drops the reference when the array is a shared block's. */
static void fleet_array_drop(void *items, struct fleet_block *b)
{
	if (b)
		fleet_block_put(b);
	else
		free(items);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p;

	if (n == 0 || !src)
		return NULL;
	p = malloc(n * size);
	if (!p)
		abort();
	memcpy(p, src, n * size);
	return p;
}

/* Whether a new array holds exactly what the old one did. */
static bool fleet_array_same(const void *a, size_t na, const void *b, size_t nb, size_t size)
{
	return na == nb && (na == 0 || (a && b && memcmp(a, b, na * size) == 0));
}

/* Makes the plain arrays of D (built by the engine) shared blocks. */
static void fleet_data_share(struct fleet_host_data *d)
{
	if (d->gpus && !d->gpus_block)
		d->gpus_block = fleet_block_wrap(d->gpus);
	if (d->sensors && !d->sensors_block)
		d->sensors_block = fleet_block_wrap(d->sensors);
	if (d->events && !d->events_block)
		d->events_block = fleet_block_wrap(d->events);
}

/* An array a poll left as it was (a host's log mostly is) keeps the
 * block that the store held: a snapshot taken before still shares it,
 * however long it is kept (the workflow runner's). The new copy goes. */
#define FLEET_KEEP_SAME(nd, od, arr, cnt, blk)                                          \
	do {                                                                            \
		if ((od)->blk && (nd)->arr != (od)->arr &&                              \
		    fleet_array_same((nd)->arr, (nd)->cnt, (od)->arr, (od)->cnt,         \
				     sizeof(*(nd)->arr))) {                             \
			fleet_array_drop((nd)->arr, (nd)->blk);                         \
			(nd)->arr = (od)->arr;                                          \
			(nd)->blk = fleet_block_ref((od)->blk);                         \
		}                                                                       \
	} while (0)

/* A poll that did not read an array (KEPT: the log or the sensors were
 * not due) keeps the store's, block and all. */
#define FLEET_KEEP_KEPT(nd, od, kept, arr, cnt, blk)                                    \
	do {                                                                            \
		if ((nd)->kept && !(nd)->arr && (od)->blk) {                            \
			(nd)->arr = (od)->arr;                                          \
			(nd)->cnt = (od)->cnt;                                          \
			(nd)->blk = fleet_block_ref((od)->blk);                         \
		}                                                                       \
		(nd)->kept = false;                                                     \
	} while (0)

/* D (a snapshot's copy of the store's host data) takes a reference on
 * each shared array. */
static void fleet_data_ref(struct fleet_host_data *d)
{
	/* Every array in the store is a block (fleet_host_update); a plain
	 * one would be copied, never shared without a count. */
	if (d->gpus_block)
		fleet_block_ref(d->gpus_block);
	else
		d->gpus = dup_array(d->gpus, d->ngpus, sizeof(*d->gpus));
	if (d->sensors_block)
		fleet_block_ref(d->sensors_block);
	else
		d->sensors = dup_array(d->sensors, d->nsensors, sizeof(*d->sensors));
	if (d->events_block)
		fleet_block_ref(d->events_block);
	else
		d->events = dup_array(d->events, d->nevents, sizeof(*d->events));
}

struct fleet *fleet_new(void)
{
	struct fleet *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	pthread_mutex_init(&f->lock, NULL);
	atomic_init(&f->wake_pending, false);
	if (pipe2(f->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(f);
		return NULL;
	}
	f->version = 1;
	return f;
}

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nhosts; i++)
		fleet_host_data_free(&f->hosts[i].data);
	free(f->hosts);
	close(f->wake[0]);
	close(f->wake[1]);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static void fleet_wake(struct fleet *f)
{
	char b = 1;

	/* One byte says "look" until the UI drains it: a sweep updating
	 * 1,000 hosts makes one write, not 1,000, and wakes the UI once. */
	if (atomic_exchange(&f->wake_pending, true))
		return;
	/* A full pipe already means "look"; EAGAIN is fine. */
	if (write(f->wake[1], &b, 1) < 0 && errno != EAGAIN)
		return;
}

void fleet_notify(struct fleet *f)
{
	fleet_wake(f);
}

/* Where a host's BMC is and how to reach it; the caller holds the lock. */
static void fleet_host_set_bmc(struct fleet *f, struct fleet_host *h, const char *bmc,
			       enum fleet_protocol protocol, const char *cred_ref)
{
	text_clean(h->bmc, sizeof(h->bmc), bmc);
	text_clean(h->cred_ref, sizeof(h->cred_ref), cred_ref);
	h->protocol = protocol;
	h->version = ++f->version;
}

size_t fleet_host_add(struct fleet *f, const char *name, const char *bmc,
		      enum fleet_protocol protocol, const char *cred_ref)
{
	struct fleet_host *h;
	size_t idx;

	pthread_mutex_lock(&f->lock);
	if (f->nhosts == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct fleet_host *n = realloc(f->hosts, cap * sizeof(*n));

		if (!n)
			abort();
		f->hosts = n;
		f->cap = cap;
	}
	idx = f->nhosts++;
	h = &f->hosts[idx];
	memset(h, 0, sizeof(*h));
	text_clean(h->name, sizeof(h->name), name);
	fleet_host_set_bmc(f, h, bmc, protocol, cred_ref);
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
	return idx;
}

size_t fleet_host_count(struct fleet *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->nhosts;
	pthread_mutex_unlock(&f->lock);
	return n;
}

ssize_t fleet_host_find(struct fleet *f, const char *name)
{
	ssize_t r = -1;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->nhosts; i++) {
		if (strcmp(f->hosts[i].name, name) == 0) {
			r = (ssize_t)i;
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return r;
}

void fleet_host_update(struct fleet *f, size_t idx, struct fleet_host_data *data, time_t now)
{
	struct fleet_host_data old;

	fleet_data_share(data);   /* allocations off the lock */
	pthread_mutex_lock(&f->lock);
	if (idx >= f->nhosts) {
		pthread_mutex_unlock(&f->lock);
		fleet_host_data_free(data);
		return;
	}
	struct fleet_host *h = &f->hosts[idx];

	old = h->data;
	FLEET_KEEP_KEPT(data, &old, events_kept, events, nevents, events_block);
	FLEET_KEEP_KEPT(data, &old, sensors_kept, sensors, nsensors, sensors_block);
	FLEET_KEEP_SAME(data, &old, gpus, ngpus, gpus_block);
	FLEET_KEEP_SAME(data, &old, sensors, nsensors, sensors_block);
	FLEET_KEEP_SAME(data, &old, events, nevents, events_block);
	h->data = *data;
	memset(data, 0, sizeof(*data));
	h->has_data = true;
	h->last_good = now;
	h->error[0] = '\0';
	h->error_since = 0;
	h->stale = false;
	h->polls++;
	h->polled_at = now;
	h->version = ++f->version;
	pthread_mutex_unlock(&f->lock);
	fleet_host_data_free(&old);
	fleet_wake(f);
}

/* Sets host IDX's error; STALE: its data is from before (a failed poll). */
static void fleet_host_error(struct fleet *f, size_t idx, const char *error, time_t now,
			     bool stale)
{
	pthread_mutex_lock(&f->lock);
	if (idx < f->nhosts) {
		struct fleet_host *h = &f->hosts[idx];

		if (!h->error[0])
			h->error_since = now;
		text_clean(h->error, sizeof(h->error), error && *error ? error : "unknown error");
		h->stale = stale && h->has_data;
		h->polls++;
		h->polled_at = now;
		h->version = ++f->version;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

void fleet_host_fail(struct fleet *f, size_t idx, const char *error, time_t now)
{
	fleet_host_error(f, idx, error, now, true);
}

void fleet_host_set_error(struct fleet *f, size_t idx, const char *error, time_t now)
{
	fleet_host_error(f, idx, error, now, false);
}

void fleet_host_set_power(struct fleet *f, size_t idx, enum fleet_power power)
{
	pthread_mutex_lock(&f->lock);
	if (idx < f->nhosts) {
		f->hosts[idx].data.power = power;
		f->hosts[idx].version = ++f->version;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

void fleet_host_set_first_poll(struct fleet *f, size_t idx, time_t started, unsigned answers,
			       double slowest_s)
{
	pthread_mutex_lock(&f->lock);
	if (idx < f->nhosts) {
		struct fleet_host *h = &f->hosts[idx];

		h->first_poll_started = started;
		h->first_poll_answers = answers;
		h->first_poll_slowest_s = slowest_s;
		h->version = ++f->version;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

void fleet_host_set_action(struct fleet *f, size_t idx, const char *action, int state,
			   const char *result, time_t now)
{
	pthread_mutex_lock(&f->lock);
	if (idx < f->nhosts) {
		struct fleet_host *h = &f->hosts[idx];

		text_clean(h->action, sizeof(h->action), action ? action : "");
		text_clean(h->action_result, sizeof(h->action_result), result ? result : "");
		h->action_state = state;
		h->action_time = now;
		h->version = ++f->version;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

void fleet_host_remove(struct fleet *f, size_t idx)
{
	pthread_mutex_lock(&f->lock);
	if (idx < f->nhosts && !f->hosts[idx].gone) {
		f->hosts[idx].gone = true;
		f->hosts[idx].version = ++f->version;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

size_t fleet_host_revive(struct fleet *f, ssize_t hint, const char *name, const char *bmc,
			 enum fleet_protocol protocol, const char *cred_ref)
{
	char clean[FLEET_STR];

	text_clean(clean, sizeof(clean), name);
	pthread_mutex_lock(&f->lock);
	for (size_t j = 0; j <= f->nhosts; j++) {
		/* j == 0: the hint; then every host. */
		size_t i = j == 0 ? (size_t)hint : j - 1;
		struct fleet_host *h;

		if (j == 0 && (hint < 0 || (size_t)hint >= f->nhosts))
			continue;
		h = &f->hosts[i];
		if (strcmp(h->name, clean) != 0)
			continue;
		h->gone = false;
		fleet_host_set_bmc(f, h, bmc, protocol, cred_ref);
		pthread_mutex_unlock(&f->lock);
		fleet_wake(f);
		return i;
	}
	pthread_mutex_unlock(&f->lock);
	return fleet_host_add(f, name, bmc, protocol, cred_ref);
}

void fleet_set_source_status(struct fleet *f, const char *status)
{
	char clean[FLEET_ERR];

	text_clean(clean, sizeof(clean), status ? status : "");
	pthread_mutex_lock(&f->lock);
	if (strcmp(clean, f->source_status) != 0) {
		memcpy(f->source_status, clean, sizeof(clean));
		f->version++;
	}
	pthread_mutex_unlock(&f->lock);
	fleet_wake(f);
}

int fleet_source_status(struct fleet *f, char *buf, size_t n)
{
	int set;

	pthread_mutex_lock(&f->lock);
	text_copy(buf, n, f->source_status);
	set = f->source_status[0] != '\0';
	pthread_mutex_unlock(&f->lock);
	return set;
}

uint64_t fleet_version(struct fleet *f)
{
	uint64_t v;

	pthread_mutex_lock(&f->lock);
	v = f->version;
	pthread_mutex_unlock(&f->lock);
	return v;
}

size_t fleet_hosts_polled(struct fleet *f, unsigned n)
{
	size_t c = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].polls >= n)
			c++;
	pthread_mutex_unlock(&f->lock);
	return c;
}

int fleet_host_data_copy(struct fleet_host_data *dst, const struct fleet_host_data *src)
{
	*dst = *src;
	dst->gpus = dup_array(src->gpus, src->ngpus, sizeof(*src->gpus));
	dst->sensors = dup_array(src->sensors, src->nsensors, sizeof(*src->sensors));
	dst->events = dup_array(src->events, src->nevents, sizeof(*src->events));
	dst->gpus_block = dst->sensors_block = dst->events_block = NULL;
	return 0;
}

void fleet_host_data_free(struct fleet_host_data *d)
{
	if (!d)
		return;
	fleet_array_drop(d->gpus, d->gpus_block);
	fleet_array_drop(d->sensors, d->sensors_block);
	fleet_array_drop(d->events, d->events_block);
	memset(d, 0, sizeof(*d));
}

int fleet_snapshot_take(struct fleet *f, struct fleet_snapshot *snap)
{
	int changed = 0;

	pthread_mutex_lock(&f->lock);
	if (snap->version == f->version && snap->nhosts == f->nhosts) {
		pthread_mutex_unlock(&f->lock);
		return 0;
	}
	if (snap->nhosts < f->nhosts) {
		struct fleet_host *n = realloc(snap->hosts, f->nhosts * sizeof(*n));

		if (!n)
			abort();
		memset(n + snap->nhosts, 0, (f->nhosts - snap->nhosts) * sizeof(*n));
		snap->hosts = n;
		snap->nhosts = f->nhosts;
	}
	for (size_t i = 0; i < f->nhosts; i++) {
		struct fleet_host *s = &snap->hosts[i];
		const struct fleet_host *h = &f->hosts[i];

		if (s->version == h->version)
			continue;
		fleet_host_data_free(&s->data);
		*s = *h;
		fleet_data_ref(&s->data);
		changed = 1;
	}
	snap->version = f->version;
	pthread_mutex_unlock(&f->lock);
	return changed;
}

void fleet_snapshot_free(struct fleet_snapshot *snap)
{
	for (size_t i = 0; i < snap->nhosts; i++)
		fleet_host_data_free(&snap->hosts[i].data);
	free(snap->hosts);
	memset(snap, 0, sizeof(*snap));
}

int fleet_wake_fd(struct fleet *f)
{
	return f->wake[0];
}

void fleet_wake_drain(struct fleet *f)
{
	char buf[256];

	/* Cleared first: a change made after this writes a byte again, and
	 * the snapshot the caller takes next sees every change before it. */
	atomic_store(&f->wake_pending, false);
	while (read(f->wake[0], buf, sizeof(buf)) > 0)
		;
}

void fleet_gpu_init(struct fleet_gpu *g, int index)
{
	memset(g, 0, sizeof(*g));
	g->index = index;
	g->temperature_c = g->power_w = g->power_limit_w = NAN;
	g->utilization_pct = g->memory_used_mib = g->memory_total_mib = NAN;
	g->ecc_corrected = g->ecc_uncorrected = NAN;
}

bool fleet_gpu_absent(const struct fleet_gpu *g)
{
	return !strcmp(g->state, "Absent") || !strcmp(g->state, "UnavailableOffline");
}

void fleet_host_gpu_counts(const struct fleet_host *h, struct fleet_gpu_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < h->data.ngpus; i++) {
		const struct fleet_gpu *g = &h->data.gpus[i];

		c->total++;
		if (fleet_gpu_absent(g))
			c->absent++;
		else if (g->health == FLEET_HEALTH_CRITICAL)
			c->critical++;
		else if (g->health == FLEET_HEALTH_WARNING)
			c->warning++;
		else if (g->health == FLEET_HEALTH_OK)
			c->ok++;
		else
			c->unknown++;
	}
}

enum fleet_health fleet_host_worst_gpu(const struct fleet_host *h)
{
	enum fleet_health w = FLEET_HEALTH_UNKNOWN;

	for (size_t i = 0; i < h->data.ngpus; i++)
		if (h->data.gpus[i].health > w)
			w = h->data.gpus[i].health;
	return w;
}

double fleet_host_hottest_gpu(const struct fleet_host *h)
{
	double t = NAN;

	for (size_t i = 0; i < h->data.ngpus; i++) {
		double v = h->data.gpus[i].temperature_c;

		if (fleet_has(v) && (!fleet_has(t) || v > t))
			t = v;
	}
	return t;
}

double fleet_host_gpu_power(const struct fleet_host *h)
{
	double p = NAN;

	for (size_t i = 0; i < h->data.ngpus; i++) {
		double v = h->data.gpus[i].power_w;

		if (fleet_has(v))
			p = fleet_has(p) ? p + v : v;
	}
	return p;
}

const char *fleet_error_class(const char *e)
{
	/* Most telling first: a login refused over a refused connection is
	 * still "refused", but a TLS failure says more than its handshake. */
	static const struct {
		const char *word, *cls;
	} classes[] = {
		{ "certificate", "tls" }, { "TLS ", "tls" },
		{ "cannot resolve", "dns" },
		{ "connection refused", "refused" },
		{ "no connection within", "timeout" }, { "no answer within", "timeout" },
		{ "timed out", "timeout" }, { "timeout", "timeout" },
		{ "HTTP 401", "auth" }, { "HTTP 403", "auth" },
		{ "password", "auth" }, { "authenticat", "auth" }, { "credential", "auth" },
		{ "username refused", "auth" }, { "wrong privilege", "auth" },
		{ "JSON", "badreply" }, { "larger than", "badreply" },
		{ "cut short", "badreply" }, { "without an answer", "badreply" },
		{ "HTTP ", "http" },
		{ "cannot connect", "unreach" }, { "not contactable", "unreach" },
	};

	if (!e || !*e)
		return "";
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcasestr(e, classes[i].word))
			return classes[i].cls;
	return "error";
}

const char *fleet_power_name(enum fleet_power p)
{
	switch (p) {
	case FLEET_POWER_ON: return "On";
	case FLEET_POWER_OFF: return "Off";
	case FLEET_POWER_POWERING_ON: return "PoweringOn";
	case FLEET_POWER_POWERING_OFF: return "PoweringOff";
	default: return "Unknown";
	}
}

const char *fleet_health_name(enum fleet_health h)
{
	switch (h) {
	case FLEET_HEALTH_OK: return "OK";
	case FLEET_HEALTH_WARNING: return "Warning";
	case FLEET_HEALTH_CRITICAL: return "Critical";
	default: return "Unknown";
	}
}

const char *fleet_protocol_name(enum fleet_protocol p)
{
	return p == FLEET_PROTO_IPMI ? "ipmi" : "redfish";
}

const char *fleet_sensor_kind_name(enum fleet_sensor_kind k)
{
	switch (k) {
	case FLEET_SENSOR_TEMP: return "temperature";
	case FLEET_SENSOR_FAN: return "fan";
	case FLEET_SENSOR_POWER: return "power";
	case FLEET_SENSOR_VOLTAGE: return "voltage";
	default: return "other";
	}
}

const char *fleet_action_state_name(int state)
{
	switch (state) {
	case FLEET_ACTION_PENDING: return "pending";
	case FLEET_ACTION_RUNNING: return "running";
	case FLEET_ACTION_DONE: return "done";
	case FLEET_ACTION_FAILED: return "failed";
	case FLEET_ACTION_ACCEPTED: return "accepted";
	default: return "";
	}
}

enum fleet_health fleet_health_parse(const char *s)
{
	if (!s)
		return FLEET_HEALTH_UNKNOWN;
	if (strcmp(s, "OK") == 0)
		return FLEET_HEALTH_OK;
	if (strcmp(s, "Warning") == 0)
		return FLEET_HEALTH_WARNING;
	if (strcmp(s, "Critical") == 0)
		return FLEET_HEALTH_CRITICAL;
	return FLEET_HEALTH_UNKNOWN;
}

enum fleet_power fleet_power_parse(const char *s)
{
	if (!s)
		return FLEET_POWER_UNKNOWN;
	if (strcmp(s, "On") == 0)
		return FLEET_POWER_ON;
	if (strcmp(s, "Off") == 0)
		return FLEET_POWER_OFF;
	if (strcmp(s, "PoweringOn") == 0)
		return FLEET_POWER_POWERING_ON;
	if (strcmp(s, "PoweringOff") == 0)
		return FLEET_POWER_POWERING_OFF;
	return FLEET_POWER_UNKNOWN;
}

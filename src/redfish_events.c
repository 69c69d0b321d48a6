/* Log entries: read from the expanded LogEntry collections of a poll,
 * repeats dropped, newest first.
 *
 * A repeat is the same Id twice in one collection (a BMC that lists an
 * entry again, or a log that moved while it was read), or the same Id,
 * Created and Message in two collections (a BMC that shows one record in
 * several logs). Ids alone are not unique across logs: SEL entry 1 and
 * EventLog entry 1 are different events. */
#include "redfish.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static void rf_events_grow(struct rf_events *ev)
{
	size_t c = ev->cap ? ev->cap * 2 : 32;

	ev->v = realloc(ev->v, c * sizeof(*ev->v));
	ev->id = realloc(ev->id, c * sizeof(*ev->id));
	ev->log = realloc(ev->log, c * sizeof(*ev->log));
	if (!ev->v || !ev->id || !ev->log)
		abort();
	ev->cap = c;
}

static void rf_events_copy(struct rf_doc *d, json_t *e, const char *key, char *dst, size_t n)
{
	const char *s = rf_str(d, e, key);

	if (s)
		text_clean(dst, n, s);
}

void rf_events_decode(struct rf_doc *d, json_t *o, struct rf_events *ev, int log)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		struct fleet_event *x;
		const char *msg;

		if (i >= RF_MAX_MEMBERS || !rf_expanded(e))
			break;
		msg = rf_str(d, e, "Message");
		if (!msg)
			continue;
		if (ev->n == ev->cap)
			rf_events_grow(ev);
		x = &ev->v[ev->n];
		memset(x, 0, sizeof(*x));
		rf_events_copy(d, e, "Created", x->created, sizeof(x->created));
		rf_events_copy(d, e, "Severity", x->severity, sizeof(x->severity));
		text_clean(x->message, sizeof(x->message), msg);
		ev->id[ev->n][0] = '\0';
		rf_events_copy(d, e, "Id", ev->id[ev->n], sizeof(ev->id[ev->n]));
		ev->log[ev->n] = log;
		ev->n++;
	}
}

static int rf_events_id_cmp(const void *a, const void *b, void *arg)
{
	const struct rf_events *ev = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(ev->id[x], ev->id[y]);

	if (c)
		return c;
	return x < y ? -1 : x > y;   /* the first one read is kept */
}

static bool rf_events_same(const struct rf_events *ev, size_t a, size_t b)
{
	return ev->log[a] == ev->log[b] ||
	       (!strcmp(ev->v[a].created, ev->v[b].created) &&
		!strcmp(ev->v[a].message, ev->v[b].message));
}

/* Marks repeats in DROP; sorting by Id keeps it O(n log n) for big logs. */
static void rf_events_mark_repeats(const struct rf_events *ev, bool *drop)
{
	size_t *idx = malloc(ev->n * sizeof(*idx));

	if (!idx)
		abort();
	for (size_t i = 0; i < ev->n; i++)
		idx[i] = i;
	qsort_r(idx, ev->n, sizeof(*idx), rf_events_id_cmp, (void *)ev);
	for (size_t g = 0; g < ev->n;) {
		size_t end = g + 1;

		while (end < ev->n && !strcmp(ev->id[idx[g]], ev->id[idx[end]]))
			end++;
		for (size_t j = g + 1; j < end && ev->id[idx[g]][0]; j++)
			for (size_t k = g; k < j && !drop[idx[j]]; k++)
				if (!drop[idx[k]] && rf_events_same(ev, idx[k], idx[j]))
					drop[idx[j]] = true;
		g = end;
	}
	free(idx);
}

static int rf_events_time_cmp(const void *a, const void *b)
{
	const struct fleet_event *x = a, *y = b;

	return strcmp(y->created, x->created);
}

void rf_events_finish(struct rf_events *ev, struct fleet_host_data *data)
{
	size_t n = 0;
	bool *drop;

	if (ev->n > 1) {
		drop = calloc(ev->n, sizeof(*drop));
		if (!drop)
			abort();
		rf_events_mark_repeats(ev, drop);
		for (size_t i = 0; i < ev->n; i++)
			if (!drop[i])
				ev->v[n++] = ev->v[i];
		free(drop);
		ev->n = n;
		qsort(ev->v, ev->n, sizeof(*ev->v), rf_events_time_cmp);
	}
	free(data->events);
	data->events = ev->v;
	data->nevents = ev->n < FLEET_EVENTS_MAX ? ev->n : FLEET_EVENTS_MAX;
	ev->v = NULL;
	rf_events_free(ev);
}

void rf_events_free(struct rf_events *ev)
{
	free(ev->v);
	free(ev->id);
	free(ev->log);
	memset(ev, 0, sizeof(*ev));
}

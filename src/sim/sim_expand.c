/* $expand as DSP0266 defines it: MODE '.' expands the subordinate
 * navigation links (every link not inside a Links property: a
 * collection's Members, Processor.Metrics, MemorySummary.Metrics), '~'
 * only those inside Links, '*' both; each expanded resource's own links
 * LEVELS - 1 deep. A link is an object holding only @odata.id; one that
 * cannot be resolved stays a link. */
#include "sim_expand.h"

#include <stdbool.h>
#include <string.h>

static bool redfish_is_link(json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 1 &&
	       json_is_string(json_object_get(v, "@odata.id"));
}

static bool redfish_wanted(char mode, bool in_links)
{
	return mode == '*' || (mode == '.' && !in_links) || (mode == '~' && in_links);
}

static void redfish_expand_in(json_t *v, char mode, int levels, bool in_links,
                              redfish_resolver resolve, void *ctx);

/* What replaces value E (IN_LINKS: E is inside a Links property): the
 * resource it links to, itself expanded; NULL: E stays, expanded within. */
static json_t *redfish_expand_value(json_t *e, char mode, int levels, bool in_links,
                                    redfish_resolver resolve, void *ctx)
{
	json_t *full;

	if (!redfish_is_link(e)) {
		redfish_expand_in(e, mode, levels, in_links, resolve, ctx);
		return NULL;
	}
	if (!redfish_wanted(mode, in_links))
		return NULL;
	full = resolve(ctx, json_string_value(json_object_get(e, "@odata.id")));
	if (full)
		redfish_expand_in(full, mode, levels - 1, false, resolve, ctx);
	return full;
}

static void redfish_expand_in(json_t *v, char mode, int levels, bool in_links,
                              redfish_resolver resolve, void *ctx)
{
	json_t *e, *full;
	size_t i;
	void *it;

	if (levels <= 0)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if ((full = redfish_expand_value(e, mode, levels, in_links, resolve, ctx)))
				json_array_set_new(v, i, full);
		return;
	}
	if (!json_is_object(v))
		return;
	for (it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
		bool links = in_links || strcmp(json_object_iter_key(it), "Links") == 0;

		full = redfish_expand_value(json_object_iter_value(it), mode, levels, links,
		                            resolve, ctx);
		if (full)
			json_object_iter_set_new(v, it, full);
	}
}

void redfish_expand(json_t *res, char mode, int levels, redfish_resolver resolve, void *ctx)
{
	redfish_expand_in(res, mode, levels, false, resolve, ctx);
}

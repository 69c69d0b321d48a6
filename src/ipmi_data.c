/* What a sensor reading becomes in the fleet store, whichever FreeIPMI
 * library read it: a GPU's temperature or power when its name matches a
 * GPU pattern, else one of the host's sensors; health rolls up. */
#include "ipmi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define IPMI_SENSORS_MAX 512

static struct fleet_gpu *ipmi_data_gpu(struct fleet_host_data *d, int index)
{
	struct fleet_gpu *g;
	size_t at;

	for (at = 0; at < d->ngpus; at++) {
		if (d->gpus[at].index == index)
			return &d->gpus[at];
		if (d->gpus[at].index > index)
			break;
	}
	g = realloc(d->gpus, (d->ngpus + 1) * sizeof(*g));
	if (!g)
		return NULL;
	d->gpus = g;
	/* Kept sorted by index: the screen lists GPUs in order. */
	memmove(&g[at + 1], &g[at], (d->ngpus - at) * sizeof(*g));
	d->ngpus++;
	fleet_gpu_init(&g[at], index);
	snprintf(g[at].id, sizeof(g[at].id), "GPU%d", index);
	snprintf(g[at].state, sizeof(g[at].state), "Enabled");
	return &g[at];
}

int ipmi_data_add_sensor(const struct ipmi_conn *c, struct fleet_host_data *d, size_t *cap,
			 const char *raw_name, enum fleet_sensor_kind k, double v, const char *units,
			 enum fleet_health h)
{
	char name[FLEET_STR];
	struct fleet_sensor *s;
	int gi;

	text_clean(name, sizeof(name), raw_name);
	if (!name[0])
		return 0;
	if (h > d->health)
		d->health = h;
	gi = (k == FLEET_SENSOR_TEMP || k == FLEET_SENSOR_POWER) ? ipmi_gpu_match(c->gpu, name) : -1;
	if (gi >= 0) {
		struct fleet_gpu *g = ipmi_data_gpu(d, gi);

		if (!g)
			return -1;
		if (h > g->health)
			g->health = h;
		/* Several sensors per GPU (core, memory): the hottest counts. */
		if (k == FLEET_SENSOR_TEMP && fleet_has(v) &&
		    (!fleet_has(g->temperature_c) || v > g->temperature_c))
			g->temperature_c = v;
		if (k == FLEET_SENSOR_POWER && fleet_has(v) &&
		    (!fleet_has(g->power_w) || v > g->power_w))
			g->power_w = v;
		return 0;
	}
	if (d->nsensors == IPMI_SENSORS_MAX)
		return 0;
	if (d->nsensors == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct fleet_sensor *ns = realloc(d->sensors, ncap * sizeof(*ns));

		if (!ns)
			return -1;
		d->sensors = ns;
		*cap = ncap;
	}
	s = &d->sensors[d->nsensors++];
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, sizeof(s->name));
	s->kind = k;
	s->reading = v;
	snprintf(s->units, sizeof(s->units), "%s", units);
	s->health = h;
	return 0;
}

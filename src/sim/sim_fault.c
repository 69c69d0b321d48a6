/* Faults injected on the command line (--fault I:GPU:KIND[:persist]),
 * for tests that need one fault on one GPU, known in advance: it
 * starts at once (the first second of the model) and, unless
 * ":persist", clears with the next power-on as the seeded ones do. */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static const char *const fault_names[] = { "", "overheat", "offbus", "ecc", NULL };

int fault_parse(const char *arg, unsigned hosts, struct sim_fault_spec *out)
{
	char *end;
	unsigned long i = strtoul(arg, &end, 10), g;
	char kind[16];
	const char *k, *colon;
	size_t len;
	int m;

	if (end == arg || *end != ':' || i >= hosts || arg[0] == '-')
		return -1;
	g = strtoul(end + 1, &end, 10);
	if (*end != ':' || g >= SIM_GPUS)
		return -1;
	k = end + 1;
	colon = strchr(k, ':');
	len = colon ? (size_t)(colon - k) : strlen(k);
	if (len == 0 || len >= sizeof(kind))
		return -1;
	memcpy(kind, k, len);
	kind[len] = '\0';
	m = model_find(fault_names, kind);
	if (m <= 0)
		return -1;
	if (colon && strcmp(colon + 1, "persist"))
		return -1;
	out->host = (unsigned)i;
	out->gpu = (unsigned)g;
	out->kind = (uint8_t)m;
	out->persist = colon != NULL;
	return 0;
}

void fault_apply(struct sim_host *h, const struct sim_fault_spec *f)
{
	struct sim_gpu *g = &h->gpu[f->gpu];

	g->fault = f->kind;
	g->fault_at = 0.0f;
	g->fault_active = false;   /* the model turns it on at its next step */
	g->fault_persists = f->persist;
}

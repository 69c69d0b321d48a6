/* Telemetry: GPU readings from one MetricReport (NVIDIA HGX's
 * HGX_PlatformEnvironmentMetrics), one request instead of one per GPU.
 * A MetricProperty is the DataSourceUri of a GPU reading, or
 * "<EnvironmentMetrics URI>#/TemperatureCelsius/Reading". */
#include "redfish_poll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool rf_telemetry_uri_eq(const char *a, size_t alen, const char *b)
{
	return b && strlen(b) == alen && strncmp(a, b, alen) == 0;
}

/* PROP (cut at its '#' to BLEN, FRAG the rest) names reading FIELD of G. */
static bool rf_telemetry_is(const struct rf_gpu *g, const char *prop, size_t blen,
			    const char *frag, const char *src, const char *field)
{
	return rf_telemetry_uri_eq(prop, blen, src) ||
	       (rf_telemetry_uri_eq(prop, blen, g->env) && frag && !strcmp(frag, field));
}

/* A MetricValue: a number, or a string holding only a finite number. */
static bool rf_telemetry_value(json_t *mv, double *v)
{
	char *end;

	if (json_is_number(mv)) {
		*v = json_number_value(mv);
		return true;
	}
	if (!json_is_string(mv))
		return false;
	*v = strtod(json_string_value(mv), &end);
	/* strtod() also reads "inf", "nan" and "1e999" (inf): no reading. */
	return end != json_string_value(mv) && !*end && isfinite(*v);
}

void rf_telemetry_report(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			 intptr_t ctx)
{
	json_t *vals = rf_arr(d, o, "MetricValues"), *e;
	size_t i;

	p->report_temps = 0;
	json_array_foreach(vals, i, e) {
		const char *prop = rf_str(d, e, "MetricProperty");
		const char *frag;
		size_t blen;
		double v;

		if (!prop || i >= 4 * RF_MAX_MEMBERS)
			continue;
		if (!rf_telemetry_value(json_object_get(e, "MetricValue"), &v))
			continue;
		frag = strchr(prop, '#');
		blen = frag ? (size_t)(frag - prop) : strlen(prop);
		for (size_t k = 0; k < p->t->ngpus; k++) {
			struct rf_gpu *g = &p->t->gpus[k];
			bool temp = rf_telemetry_is(g, prop, blen, frag, g->temp_src,
						    "#/TemperatureCelsius/Reading");
			bool pow = rf_telemetry_is(g, prop, blen, frag, g->power_src,
						   "#/PowerWatts/Reading");

			/* EnvironmentMetrics, when read too, is the fresher source. */
			if (temp) {
				if (!fleet_has(p->g[k].temperature_c) || !p->discover)
					p->g[k].temperature_c = v;
				p->report_temps++;
			} else if (pow && (!fleet_has(p->g[k].power_w) || !p->discover)) {
				p->g[k].power_w = v;
			}
		}
	}
}

bool rf_telemetry_covers(const struct rf_poll *p)
{
	const struct rf_tree *t = p->t;
	size_t with_env = 0;

	for (size_t i = 0; i < t->ngpus; i++)
		with_env += t->gpus[i].env != NULL;
	return t->report && with_env == t->ngpus && t->ngpus > 0 && p->report_temps == t->ngpus;
}

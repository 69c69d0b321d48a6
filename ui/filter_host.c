/* What the / filter sees of a host (filter_host.h). */
#include "filter_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends VALUE to the field being built as a line of its own, unless
 * the field has it already (eight GPUs are mostly "Enabled" and "OK"). */
struct fh_buf {
	char *s;
	size_t len, cap, start;   /* START: where the current field begins */
};

static void fh_add(struct fh_buf *b, const char *value)
{
	size_t n = strlen(value), l = b->len - b->start;
	const char *f = b->s + b->start;

	if (!n)
		return;
	/* Already a line of this field? */
	for (const char *p = f; p < f + l; ) {
		const char *e = memchr(p, '\n', (size_t)(f + l - p));
		size_t pl = e ? (size_t)(e - p) : (size_t)(f + l - p);

		if (pl == n && !memcmp(p, value, n))
			return;
		p += pl + 1;
	}
	if (b->len + n + 2 > b->cap) {
		b->cap = (b->len + n + 2) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	if (l)
		b->s[b->len++] = '\n';
	memcpy(b->s + b->len, value, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Ends the field being built: its values start at OFF. */
static void fh_end(struct fh_buf *b, unsigned *off)
{
	if (b->len + 1 > b->cap) {
		b->cap = b->len + 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	*off = (unsigned)b->start;
	b->s[b->len++] = '\0';
	b->start = b->len;
}

char *filter_host_fields(const struct fleet_host *h, unsigned off[FILTER_FIELDS])
{
	struct fh_buf b = { 0 };
	bool stale = fleet_host_stale(h);
	bool live = h->has_data && !stale;   /* readings that are the host's state now */

	for (int k = 0; k < FILTER_FIELDS; k++) {
		switch (k) {
		case FILTER_NAME:
			fh_add(&b, h->name);
			break;
		case FILTER_POWER:
			/* Never polled, or stale: nobody knows what it is now. */
			fh_add(&b, live ? fleet_power_name(h->data.power) : "Unknown");
			break;
		case FILTER_HEALTH:
			/* A failed poll is the health: never the OK it said before. */
			if (h->error[0]) {
				fh_add(&b, "unreachable");
				fh_add(&b, fleet_error_class(h->error));
			}
			fh_add(&b, live ? fleet_health_name(h->data.health) :
			       h->error[0] ? "" : "Unknown");
			break;
		case FILTER_GPU:
			for (size_t g = 0; g < h->data.ngpus; g++) {
				if (!live) {
					fh_add(&b, "Unknown");
					break;
				}
				fh_add(&b, h->data.gpus[g].state);
				/* gpu:absent finds UnavailableOffline too */
				if (fleet_gpu_absent(&h->data.gpus[g]) &&
				    strcmp(h->data.gpus[g].state, "Absent"))
					fh_add(&b, "absent");
				fh_add(&b, fleet_health_name(h->data.gpus[g].health));
			}
			break;
		case FILTER_NODE:
			break;   /* racktop reads no Kubernetes node yet (filter.h) */
		case FILTER_FW:
			/* What is installed changes with an update, not a poll:
			 * the last good poll's is kept for a stale host too. */
			fh_add(&b, h->data.bmc_firmware);
			fh_add(&b, h->data.bios_version);
			for (size_t g = 0; g < h->data.ngpus; g++)
				fh_add(&b, h->data.gpus[g].firmware);
			break;
		case FILTER_ERROR:
			fh_add(&b, h->error);
			break;
		default:
			break;
		}
		fh_end(&b, &off[k]);
	}
	return b.s;
}

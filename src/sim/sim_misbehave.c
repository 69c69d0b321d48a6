/* Broken BMCs for tests: a host can hang, answer malformed JSON, answer
 * an endless-looking 64 MiB body, fail every request or answer slowly.
 * "hang" and "slow" live in sim_http.c (no daemon; suspended answers),
 * "500" in its dispatcher; the GET bodies are spoilt here. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

static const char *const misbehave_names[] = {
	"", "hang", "badjson", "huge", "500", "slow", "noselectexpand", NULL
};

int misbehave_parse(const char *arg, unsigned hosts, unsigned *index, uint8_t *mode)
{
	char *end;
	unsigned long i = strtoul(arg, &end, 10);
	int m;

	if (end == arg || *end != ':' || i >= hosts)
		return -1;
	m = model_find(misbehave_names, end + 1);
	if (m <= 0)
		return -1;
	*index = (unsigned)i;
	*mode = (uint8_t)m;
	return 0;
}

static const char misbehave_huge_head[] = "{\"@odata.id\":\"/redfish/v1\",\"Padding\":\"";
static const char misbehave_huge_tail[] = "\"}";

/* Streams the padding a block at a time: nothing is allocated. */
static ssize_t misbehave_huge_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	const uint64_t head = sizeof(misbehave_huge_head) - 1;
	const uint64_t tail = sizeof(misbehave_huge_tail) - 1;
	size_t n = 0;

	(void)cls;
	if (pos >= SIM_HUGE_BYTES)
		return MHD_CONTENT_READER_END_OF_STREAM;
	while (n < max && pos < SIM_HUGE_BYTES) {
		if (pos < head)
			buf[n] = misbehave_huge_head[pos];
		else if (pos >= SIM_HUGE_BYTES - tail)
			buf[n] = misbehave_huge_tail[pos - (SIM_HUGE_BYTES - tail)];
		else
			buf[n] = 'x';
		n++, pos++;
	}
	return (ssize_t)n;
}

struct MHD_Response *misbehave_response(const struct sim_host *h, const char *body,
                                        unsigned *status)
{
	size_t len = strlen(body);

	switch (h->misbehave) {
	case SIM_MB_BADJSON:
		/* cut mid-document: an unterminated object is never valid JSON */
		*status = 200;
		return MHD_create_response_from_buffer(len / 2, (void *)body, MHD_RESPMEM_MUST_COPY);
	case SIM_MB_HUGE:
		*status = 200;
		return MHD_create_response_from_callback(SIM_HUGE_BYTES, 64 * 1024,
		                                         misbehave_huge_read, NULL, NULL);
	default:
		return NULL;
	}
}

/* A Redfish discovery and up to two more polls of one host (the last
 * focused: it reads everything) over the unit tests' file transport
 * and the mockups in $RACKTOP_SHARED/redfish-mockups (default: the
 * source tree's ../shared), with ONE answer replaced by the input; the
 * run ends with the poll after the one that read it. The first bytes
 * choose:
 *   byte 0: the mockup (DMTF tower, HPE EX235n, DGX H100) and whether
 *           the BMC ignores the $expand it advertises;
 *   bytes 1-2: which request of the run (in the order they are sent,
 *           counted in a clean run of the same mockup at start);
 *   byte 3: the status (200, 201, 404, 500, 503);
 * the rest is the answer's body. Every poll must end (its callback
 * once), with host data whose strings are clean and readings NAN or
 * finite, or an error in clean text. No network, no sleeps: the
 * transport serves files (their answers kept from a clean run) and
 * delivers answers in a loop. */
#include "fuzz_check.h"
#include "fuzz_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine.h"
#include "inventory.h"
#include "redfish.h"
#include "rf_file_transport.h"

#define FP_POLLS 3

static const char *const fp_mockups[] = {
	"dmtf-public-tower", "hpe-cray-ex235n-a100", "nvidia-dgx-h100",
};
#define FP_NMOCKUPS (sizeof(fp_mockups) / sizeof(fp_mockups[0]))
static const long fp_status[] = { 200, 201, 404, 500, 503 };

/* A clean run's answers, by method and URL: the file transport reads
 * files and expands them (dozens of json_loadb() a poll), so a run
 * replays what it answered and asks it only for what it did not. */
struct fp_answer {
	char method[8], url[512];
	long status;
	char *body, *token;
	size_t len;
	char location[512];
};

struct fp_cache {
	struct fp_answer *v;
	size_t n, cap;
};

/* The transport of a run: request number PICK (counted from 0) taken
 * aside and answered with the input; the others from CACHE, else from
 * the file transport (RECORD: every one, into CACHE). */
struct fp_transport {
	struct http_transport base;
	struct rf_file_transport ft;
	size_t sent, pick;
	struct http_req *held;
	struct http_req *head, *tail;   /* waiting for an answer */
	struct fp_cache *cache;
	bool record;
};

static struct fp_cache *fp_recording;
static http_done_fn fp_done;        /* the Redfish code's: one for every request */

static void fp_record(struct http_req *r)
{
	struct fp_cache *c = fp_recording;
	struct fp_answer *a;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		FUZZ_ASSERT(c->v != NULL, "out of memory");
	}
	a = &c->v[c->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->method, sizeof(a->method), "%s", r->method);
	snprintf(a->url, sizeof(a->url), "%s", r->url);
	snprintf(a->location, sizeof(a->location), "%s", r->location);
	a->status = r->status;
	a->len = r->resp_len;
	a->body = r->resp ? malloc(a->len + 1) : NULL;
	if (a->body) {
		memcpy(a->body, r->resp, a->len);
		a->body[a->len] = '\0';
	}
	a->token = r->auth_token ? strdup(r->auth_token) : NULL;
	fp_done(r);
}

static const struct fp_answer *fp_find(const struct fp_cache *c, const struct http_req *r)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].url, r->url) && !strcmp(c->v[i].method, r->method))
			return &c->v[i];
	return NULL;
}

static void fp_submit(struct http_transport *bt, struct http_req *r)
{
	struct fp_transport *t = (struct fp_transport *)bt;

	FUZZ_ASSERT(!fp_done || r->done == fp_done, "requests with different done()");
	fp_done = r->done;
	if (t->sent++ == t->pick && !t->held) {
		t->held = r;
		return;
	}
	r->next = NULL;
	if (t->tail)
		t->tail->next = r;
	else
		t->head = r;
	t->tail = r;
}

/* Answers what waits, in order, until nothing does. */
static void fp_deliver(struct fp_transport *t)
{
	while (t->head) {
		struct http_req *r = t->head;
		const struct fp_answer *a = t->record ? NULL : fp_find(t->cache, r);

		t->head = r->next;
		if (!t->head)
			t->tail = NULL;
		r->next = NULL;
		if (!a) {
			if (t->record) {
				fp_recording = t->cache;
				r->done = fp_record;
			}
			t->ft.base.submit(&t->ft.base, r);
			rf_file_run(&t->ft);
			continue;
		}
		r->status = a->status;
		if (a->body) {
			r->resp = malloc(a->len + 1);
			FUZZ_ASSERT(r->resp != NULL, "out of memory");
			memcpy(r->resp, a->body, a->len + 1);
			r->resp_len = a->len;
		}
		if (a->token)
			r->auth_token = strdup(a->token);
		snprintf(r->location, sizeof(r->location), "%s", a->location);
		r->done(r);
	}
}

struct fp_result {
	int calls;
	struct fleet_host_data data;
	char error[FLEET_ERR];
};

static void fp_on_poll(void *arg, struct fleet_host_data *d, const char *error)
{
	struct fp_result *r = arg;

	r->calls++;
	if (d) {
		fuzz_fleet_data(d, RF_MAX_GPUS, RF_MAX_SENSORS);
		fleet_host_data_free(d);
	} else {
		FUZZ_ASSERT(error && error[0], "a failed poll without an error");
		fuzz_check_text("poll error", error);
		FUZZ_ASSERT(strlen(error) < FLEET_ERR, "an error longer than FLEET_ERR");
	}
}

static char fp_root[FP_NMOCKUPS][600];
static size_t fp_requests[FP_NMOCKUPS][2];
static struct fp_cache fp_answers[FP_NMOCKUPS][2];

/* One run: discovery, a refresh, a focused refresh. Returns the
 * requests sent. BODY == NULL: nothing replaced, and the answers are
 * recorded. */
static size_t fp_run(size_t m, bool no_expand, size_t pick, long status, const uint8_t *body,
		     size_t len)
{
	static struct engine_config cfg;
	struct inventory_host ih;
	struct fp_transport t;
	struct fp_result res = { 0 };
	struct rf_host *h;
	char err[FLEET_ERR] = "";

	engine_config_defaults(&cfg);
	memset(&ih, 0, sizeof(ih));
	snprintf(ih.name, sizeof(ih.name), "node1");
	snprintf(ih.address, sizeof(ih.address), "bmc.test");
	ih.plain_http = true;
	ih.username = "admin";
	ih.password = "secret";
	snprintf(ih.cred_ref, sizeof(ih.cred_ref), "credentials file");
	memset(&t, 0, sizeof(t));
	rf_file_init(&t.ft, fp_root[m]);
	t.ft.no_expand = no_expand;
	t.base.submit = fp_submit;
	t.pick = body ? pick : (size_t)-1;
	t.cache = &fp_answers[m][no_expand];
	t.record = !body;
	h = rf_host_new(&t.base, &cfg, &ih, err, sizeof(err));
	FUZZ_ASSERT(h != NULL, "rf_host_new failed");
	for (int poll = 0, answered = -1; poll < FP_POLLS; poll++) {
		/* What the input changed shows in the poll that read it and
		 * the next (the tree it left): no need for a third. */
		if (answered >= 0 && poll > answered + 1)
			break;
		if (poll == FP_POLLS - 1)
			redfish_backend.focus(h, true);
		rf_poll_start(h, fp_on_poll, &res);
		for (;;) {
			struct http_req *r;

			fp_deliver(&t);
			if (!t.held)
				break;
			r = t.held;
			t.held = NULL;
			answered = poll;
			r->status = status;
			r->resp = malloc(len + 1);
			FUZZ_ASSERT(r->resp != NULL, "out of memory");
			memcpy(r->resp, body, len);
			r->resp[len] = '\0';
			r->resp_len = len;
			r->done(r);
		}
		FUZZ_ASSERT(res.calls == poll + 1, "a poll did not end, or ended twice");
	}
	rf_host_free(h);
	return t.sent;
}

static void fp_init(void)
{
	const char *shared = getenv("RACKTOP_SHARED");
	char dir[520];
	struct stat st;

	if (!shared || !*shared)
		shared = RACKTOP_SRCDIR "/../shared";
	for (size_t m = 0; m < FP_NMOCKUPS; m++) {
		snprintf(dir, sizeof(dir), "%s/redfish-mockups/%s", shared, fp_mockups[m]);
		if (stat(dir, &st) != 0) {
			fprintf(stderr, "fuzz_redfish_poll: no mockup %s (set RACKTOP_SHARED)\n", dir);
			abort();
		}
		snprintf(fp_root[m], sizeof(fp_root[m]), "%s", dir);
		for (int ne = 0; ne < 2; ne++)
			fp_requests[m][ne] = fp_run(m, ne, 0, 0, NULL, 0);
	}
}

/* FUZZ_POLL_SEEDS=DIR: writes each answer of the clean runs (as an
 * input that replays it) to DIR and exits; how the seed corpus was
 * made. */
static void fp_write_seeds(const char *dir)
{
	for (size_t m = 0; m < FP_NMOCKUPS; m++)
		for (int ne = 0; ne < 2; ne++)
			for (size_t k = 0; k < fp_answers[m][ne].n; k++) {
				const struct fp_answer *a = &fp_answers[m][ne].v[k];
				char path[700];
				uint8_t head[4] = { (uint8_t)(m + FP_NMOCKUPS * ne), (uint8_t)(k >> 8),
						    (uint8_t)k, 0 };
				FILE *f;

				for (size_t i = 0; i < 5; i++)
					if (fp_status[i] == a->status)
						head[3] = (uint8_t)i;
				snprintf(path, sizeof(path), "%s/%zu-%d-%03zu-%.100s", dir, m, ne, k,
					 a->url + strlen("http://bmc.test"));
				for (char *c = path + strlen(dir) + 1; *c; c++)
					if (*c == '/' || *c == '?' || *c == '$' || *c == '(' || *c == ')' ||
					    *c == '=')
						*c = '_';
				f = fopen(path, "wb");
				FUZZ_ASSERT(f && fwrite(head, 1, 4, f) == 4 &&
					    fwrite(a->body ? a->body : "", 1, a->len, f) == a->len &&
					    fclose(f) == 0, "cannot write a seed");
			}
	exit(0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	size_t m, pick, n;
	bool no_expand;

	if (!ready) {
		fp_init();
		ready = true;
		if (getenv("FUZZ_POLL_SEEDS"))
			fp_write_seeds(getenv("FUZZ_POLL_SEEDS"));
	}
	if (size < 4)
		return 0;
	m = data[0] % FP_NMOCKUPS;
	no_expand = (data[0] / FP_NMOCKUPS) % 2;
	n = fp_requests[m][no_expand];
	pick = ((size_t)data[1] << 8 | data[2]) % n;
	fp_run(m, no_expand, pick, fp_status[data[3] % 5], data + 4, size - 4);
	return 0;
}

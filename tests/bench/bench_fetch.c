/* bench_fetch URLFILE PARALLEL PER_HOST NETRC [CAFILE]: the simulator's
 * own limit for the Redfish sweep benchmark (tests/bench/redfish_sweep.sh).
 *
 * GETs every URL of URLFILE (one a line) once, at most PARALLEL in
 * flight and PER_HOST to one host:port, on one libcurl multi handle with
 * a pool of reused easy handles (kept connections, TLS sessions shared),
 * HTTP Basic credentials from the 0600 NETRC file (never the command
 * line). Bodies are counted and dropped: no JSON is decoded. This is the
 * least any client must do to read the same resources.
 * Prints "seconds requests bytes failed". Not a test. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fetch_slot {
	CURL *easy;
	size_t bytes;
};

static double fetch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t fetch_sink(char *p, size_t size, size_t n, void *arg)
{
	struct fetch_slot *s = arg;

	(void)p;
	s->bytes += size * n;
	return size * n;
}

static char **fetch_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[1024], **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[(*n)++] = strdup(line);
	}
	fclose(f);
	return v;
}

static void fetch_start(CURLM *m, struct fetch_slot *s, const char *url)
{
	curl_easy_setopt(s->easy, CURLOPT_URL, url);
	curl_multi_add_handle(m, s->easy);
}

int main(int argc, char **argv)
{
	size_t nurls, next = 0, done = 0, failed = 0, bytes = 0;
	char **urls;
	int par, running;
	struct fetch_slot *slots;
	CURLM *m;
	CURLSH *sh;
	double t0, t;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: bench_fetch URLFILE PARALLEL PER_HOST NETRC [CAFILE]\n");
		return 2;
	}
	urls = fetch_read(argv[1], &nurls);
	par = atoi(argv[2]);
	if (par < 1)
		par = 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	sh = curl_share_init();
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)atoi(argv[3]));
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)par);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)par);
	slots = calloc((size_t)par, sizeof(*slots));
	if (!slots)
		abort();
	for (int i = 0; i < par; i++) {
		CURL *e = curl_easy_init();

		slots[i].easy = e;
		curl_easy_setopt(e, CURLOPT_PRIVATE, &slots[i]);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_sink);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, &slots[i]);
		curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_REQUIRED);
		curl_easy_setopt(e, CURLOPT_NETRC_FILE, argv[4]);
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_SHARE, sh);
		curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
		if (argc == 6)
			curl_easy_setopt(e, CURLOPT_CAINFO, argv[5]);
	}
	t0 = fetch_now();
	for (int i = 0; i < par && next < nurls; i++)
		fetch_start(m, &slots[i], urls[next++]);
	while (done < nurls) {
		CURLMsg *msg;
		int left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct fetch_slot *s;
			long status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			if (msg->data.result != CURLE_OK || status != 200) {
				char *u = NULL;

				curl_easy_getinfo(msg->easy_handle, CURLINFO_EFFECTIVE_URL, &u);
				if (failed < 5)
					fprintf(stderr, "bench_fetch: %s: %s (HTTP %ld)\n", u ? u : "?",
						curl_easy_strerror(msg->data.result), status);
				failed++;
			}
			done++;
			curl_multi_remove_handle(m, s->easy);
			if (next < nurls)
				fetch_start(m, s, urls[next++]);
		}
		if (done < nurls)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	t = fetch_now() - t0;
	for (int i = 0; i < par; i++) {
		bytes += slots[i].bytes;
		curl_easy_cleanup(slots[i].easy);
	}
	printf("%.3f %zu %zu %zu\n", t, nurls, bytes, failed);
	curl_multi_cleanup(m);
	curl_share_cleanup(sh);
	for (size_t i = 0; i < nurls; i++)
		free(urls[i]);
	free(urls);
	free(slots);
	curl_global_cleanup();
	return failed ? 1 : 0;
}

/* Workflows kept on disk (workflow.h): one JSON file per workflow,
 * replaced atomically (temporary file, fsync, rename, fsync of the
 * directory), so that a racktop killed at any moment leaves each file
 * whole, old or new. A workflow found RUNNING at start is marked
 * interrupted: shown as such, never resumed. */
#include "workflow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "text.h"
#include "workflow_int.h"

#define WF_STORE_MAX_FILE (1u << 20)

/* An id is the state file's name: letters, digits, '.', '_' and '-', not
 * "." or "..", not hidden; never a path that could leave the directory. */
static bool wf_store_id_ok(const char *id)
{
	size_t len = strlen(id);

	if (!len || len + sizeof(".json.tmp") > NAME_MAX || id[0] == '.' || strstr(id, ".."))
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

int wf_store_default_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int r;

	if (xdg && xdg[0] == '/')
		r = snprintf(buf, n, "%s/racktop/workflows", xdg);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.local/state/racktop/workflows", home);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

static json_t *wf_store_time(time_t t)
{
	struct tm tm;
	char buf[32];

	if (!t)
		return json_null();
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static time_t wf_store_parse_time(json_t *v)
{
	struct tm tm;
	const char *s = json_string_value(v);
	char *end;

	if (!s)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return 0;
	return timegm(&tm);
}

static json_t *wf_store_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *wf_store_action(const struct wf_action *a, time_t now)
{
	json_t *o = json_object();
	time_t end = a->stopped ? a->stopped : a->started ? now : 0;

	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(o, "image", json_string(a->image));
	json_object_set_new(o, "state", json_string(wf_state_name(a->state)));
	json_object_set_new(o, "attempts", json_integer(a->attempts));
	json_object_set_new(o, "timeout", json_integer(a->timeout_s));
	json_object_set_new(o, "retries", json_integer(a->retries));
	json_object_set_new(o, "started", wf_store_time(a->started));
	json_object_set_new(o, "stopped", wf_store_time(a->stopped));
	json_object_set_new(o, "seconds", a->started ? json_integer((json_int_t)(end - a->started))
				: json_null());
	json_object_set_new(o, "message", wf_store_str(a->message));
	return o;
}

void *wf_run_json(const struct wf_run *w)
{
	json_t *o = json_object(), *tasks = json_array();
	time_t now = time(NULL);

	json_object_set_new(o, "id", json_string(w->id));
	json_object_set_new(o, "template", json_string(w->template_name));
	json_object_set_new(o, "host", json_string(w->host));
	json_object_set_new(o, "origin", json_string(w->origin));
	json_object_set_new(o, "state", json_string(wf_state_name(w->state)));
	json_object_set_new(o, "interrupted", json_boolean(w->interrupted));
	json_object_set_new(o, "created", wf_store_time(w->created));
	json_object_set_new(o, "started", wf_store_time(w->started));
	json_object_set_new(o, "stopped", wf_store_time(w->stopped));
	json_object_set_new(o, "global_timeout", json_integer(w->global_timeout_s));
	json_object_set_new(o, "message", wf_store_str(w->message));
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct wf_task *t = &w->tasks[i];
		json_t *to = json_object(), *acts = json_array();

		json_object_set_new(to, "name", json_string(t->name));
		json_object_set_new(to, "state", json_string(wf_state_name(t->state)));
		json_object_set_new(to, "started", wf_store_time(t->started));
		json_object_set_new(to, "stopped", wf_store_time(t->stopped));
		for (size_t j = 0; j < t->nactions; j++)
			json_array_append_new(acts, wf_store_action(&t->actions[j], now));
		json_object_set_new(to, "actions", acts);
		json_array_append_new(tasks, to);
	}
	json_object_set_new(o, "tasks", tasks);
	return o;
}

static int wf_store_fail(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "workflow state %s: %s: %s", path, what, strerror(errno));
	return -1;
}

/* Creates DIR and the missing directories above it, mode 0700. */
int wf_store_mkdirs(const char *dir, char *err, size_t errlen)
{
	char p[PATH_MAX];

	text_copy(p, sizeof(p), dir);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return wf_store_fail(err, errlen, "cannot create the directory", p);
		*s = c;
		if (!c)
			break;
	}
	return 0;
}

int wf_store_save(const char *dir, const struct wf_run *w, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	json_t *o = wf_run_json(w);
	char *text = o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	const char *why;
	size_t len, off = 0;
	int fd, dfd, rc = -1;

	json_decref(o);
	if (!text) {
		snprintf(err, errlen, "workflow state: out of memory");
		return -1;
	}
	if (!wf_store_id_ok(w->id)) {
		char shown[sizeof(w->id)];

		text_clean(shown, sizeof(shown), w->id);
		snprintf(err, errlen, "workflow state %s: the id '%s' is not a file name (letters, "
			 "digits, '.', '_', '-'); not saved", dir, shown);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s.json", dir, w->id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (wf_store_mkdirs(dir, err, errlen) < 0)
		goto out;
	/* Not through a symlink, never blocked by a FIFO put there. */
	fd = buf_open_file(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600, 0, NULL,
			   &why);
	if (fd < 0) {
		snprintf(err, errlen, "workflow state %s: cannot write: %s", tmp, why);
		goto out;
	}
	len = strlen(text);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		wf_store_fail(err, errlen, "cannot write", tmp);
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		wf_store_fail(err, errlen, "cannot rename into place", path);
		unlink(tmp);
		goto out;
	}
	/* The rename itself survives a crash only once the directory is synced. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	free(text);
	return rc;
}

static void wf_store_cstr(char *dst, size_t n, json_t *o, const char *key)
{
	text_clean(dst, n, json_string_value(json_object_get(o, key)));
}

static int wf_store_state(json_t *o, const char *key)
{
	int st = WF_PENDING;

	wf_state_parse(json_string_value(json_object_get(o, key)), &st);
	return st;
}

/* One file, NAME in DIR (open as DFD), into W. 0, or -1 with WHY. */
int wf_store_read(int dfd, const char *name, struct wf_run *w, char *why, size_t n)
{
	json_error_t je;
	json_t *o, *tasks;
	const char *err;
	char *text;
	size_t len;
	int fd;

	memset(w, 0, sizeof(*w));
	/* Only a regular file of at most 1 MiB, read with a bound: never a
	 * FIFO that would block, a symlink to elsewhere or a huge file. */
	fd = buf_open_file(dfd, name, O_RDONLY | O_NOFOLLOW, 0, WF_STORE_MAX_FILE, NULL, &err);
	if (fd >= 0) {
		err = buf_read_fd(fd, WF_STORE_MAX_FILE, &text, &len);
		close(fd);
	}
	if (err) {
		snprintf(why, n, "%s", err == buf_too_large ? "larger than 1 MiB" : err);
		return -1;
	}
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!o || !json_is_object(o)) {
		snprintf(why, n, "line %d: %s", je.line, o ? "not a JSON object" : je.text);
		json_decref(o);
		return -1;
	}
	wf_store_cstr(w->id, sizeof(w->id), o, "id");
	wf_store_cstr(w->template_name, sizeof(w->template_name), o, "template");
	wf_store_cstr(w->host, sizeof(w->host), o, "host");
	wf_store_cstr(w->origin, sizeof(w->origin), o, "origin");
	wf_store_cstr(w->message, sizeof(w->message), o, "message");
	w->state = wf_store_state(o, "state");
	w->interrupted = json_is_true(json_object_get(o, "interrupted"));
	w->created = wf_store_parse_time(json_object_get(o, "created"));
	w->started = wf_store_parse_time(json_object_get(o, "started"));
	w->stopped = wf_store_parse_time(json_object_get(o, "stopped"));
	w->global_timeout_s = (int)json_integer_value(json_object_get(o, "global_timeout"));
	w->host_idx = (size_t)-1;
	tasks = json_object_get(o, "tasks");
	if (!w->id[0] || !json_is_array(tasks) || json_array_size(tasks) > WF_MAX_TASKS) {
		snprintf(why, n, "not a racktop workflow (id or tasks missing)");
		json_decref(o);
		return -1;
	}
	/* The id names the file it is saved back to (marked interrupted):
	 * it must be this file's own name, and a file name at all. */
	{
		const char *raw = json_string_value(json_object_get(o, "id"));
		size_t stem = strlen(name) - 5;

		if (!raw || !wf_store_id_ok(raw) || strlen(raw) != stem || strncmp(raw, name, stem)) {
			snprintf(why, n, "the id '%s' is not the file's own name", w->id);
			json_decref(o);
			return -1;
		}
	}
	w->tasks = calloc(json_array_size(tasks) + 1, sizeof(*w->tasks));
	for (size_t i = 0; w->tasks && i < json_array_size(tasks); i++) {
		json_t *to = json_array_get(tasks, i), *acts = json_object_get(to, "actions");
		struct wf_task *t = &w->tasks[i];
		size_t na = json_array_size(acts);

		w->ntasks = i + 1;
		wf_store_cstr(t->name, sizeof(t->name), to, "name");
		t->state = wf_store_state(to, "state");
		t->started = wf_store_parse_time(json_object_get(to, "started"));
		t->stopped = wf_store_parse_time(json_object_get(to, "stopped"));
		if (na > WF_MAX_ACTIONS)
			na = WF_MAX_ACTIONS;
		t->actions = calloc(na + 1, sizeof(*t->actions));
		for (size_t j = 0; t->actions && j < na; j++) {
			json_t *ao = json_array_get(acts, j);
			struct wf_action *a = &t->actions[j];

			t->nactions = j + 1;
			wf_store_cstr(a->name, sizeof(a->name), ao, "name");
			wf_store_cstr(a->image, sizeof(a->image), ao, "image");
			wf_store_cstr(a->message, sizeof(a->message), ao, "message");
			a->state = wf_store_state(ao, "state");
			a->attempts = (int)json_integer_value(json_object_get(ao, "attempts"));
			a->timeout_s = (int)json_integer_value(json_object_get(ao, "timeout"));
			a->retries = (int)json_integer_value(json_object_get(ao, "retries"));
			a->started = wf_store_parse_time(json_object_get(ao, "started"));
			a->stopped = wf_store_parse_time(json_object_get(ao, "stopped"));
		}
	}
	json_decref(o);
	return 0;
}

static int wf_store_cmp(const void *a, const void *b)
{
	const struct wf_run *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void wf_store_error(char ***errors, size_t *nerrors, const char *fmt, const char *a,
			   const char *b)
{
	char msg[1024], clean[1024], **e;

	if (*nerrors >= WF_MAX_ERRORS)
		return;
	snprintf(msg, sizeof(msg), fmt, a, b);
	text_clean(clean, sizeof(clean), msg);
	e = realloc(*errors, (*nerrors + 1) * sizeof(*e));
	if (!e)
		return;
	*errors = e;
	if ((e[*nerrors] = strdup(clean)))
		(*nerrors)++;
}

int wf_store_load(const char *dir, size_t max, struct wf_run **runs, size_t *n,
		  char ***errors, size_t *nerrors)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct wf_run *v = NULL;
	size_t k = 0, cap = 0;

	*runs = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	/* Files are opened relative to the directory that was listed. */
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[PATH_MAX], why[300];
		struct wf_run w;

		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (wf_store_read(dirfd(d), e->d_name, &w, why, sizeof(why)) < 0) {
			wf_store_error(errors, nerrors, "workflow state %s: %s; not loaded", path, why);
			wf_run_free(&w);
			continue;
		}
		if (!wf_state_final(w.state) && !w.interrupted) {
			char err[600];

			/* Never resumed: what ran half-way needs a person. */
			w.interrupted = true;
			w.state = WF_RUNNING;
			if (wf_store_save(dir, &w, err, sizeof(err)) < 0)
				wf_store_error(errors, nerrors, "%s%s", err, "");
		}
		if (k == cap) {
			struct wf_run *nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*nv));

			if (!nv) {
				wf_run_free(&w);
				break;
			}
			v = nv;
		}
		v[k++] = w;
	}
	closedir(d);
	if (k)
		qsort(v, k, sizeof(*v), wf_store_cmp);
	/* The newest MAX are kept in view; older files stay on disk. */
	if (k > max) {
		for (size_t i = 0; i < k - max; i++)
			wf_run_free(&v[i]);
		memmove(v, v + (k - max), max * sizeof(*v));
		k = max;
	}
	*runs = v;
	*n = k;
	return 0;
}

/* Where one inventory's workflow state lives (workflow.h). Every
 * inventory had shared one directory, so racktop on fleet A listed
 * fleet B's workflows and said at start that B's were interrupted. Now
 * each has its own, named by its real path; the files of the old
 * shared directory are moved, once, into the directory of the first
 * inventory started that has their host, and the others stay there. */
#include "workflow_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "text.h"

#define WF_HOME_BASE_MAX 48

int wf_home_key(const char *inv_path, char *buf, size_t n)
{
	char real[PATH_MAX], base[WF_HOME_BASE_MAX + 1];
	const char *b;
	uint32_t h;
	size_t k = 0;
	int r;

	if (!inv_path) {
		r = snprintf(buf, n, "demo");
		return r > 0 && (size_t)r < n ? 0 : -1;
	}
	if (!realpath(inv_path, real))
		text_copy(real, sizeof(real), inv_path);
	h = hash_fnv1a_str(HASH_FNV1A_INIT, real);
	b = strrchr(real, '/');
	b = b && b[1] ? b + 1 : real;
	/* A file name, whatever the inventory's is: never a path, never hidden. */
	for (; *b && k < WF_HOME_BASE_MAX; b++)
		base[k++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
				   *b) ? *b : '_';
	base[k] = '\0';
	if (!k)
		snprintf(base, sizeof(base), "_");
	else if (base[0] == '.')
		base[0] = '_';
	r = snprintf(buf, n, "%s-%08x", base, (unsigned)h);
	return r > 0 && (size_t)r < n ? 0 : -1;
}

int wf_home_dir(const char *key, char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int r;

	if (!key || !*key || strchr(key, '/') || key[0] == '.')
		return -1;
	if (xdg && xdg[0] == '/')
		r = snprintf(buf, n, "%s/racktop/inventories/%s/workflows", xdg, key);
	else if (home && *home)
		r = snprintf(buf, n, "%s/.local/state/racktop/inventories/%s/workflows", home, key);
	else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

static bool wf_home_has_host(const struct inventory *inv, const char *host)
{
	for (size_t i = 0; i < inv->nhosts; i++)
		if (!strcmp(inv->hosts[i].name, host))
			return true;
	return false;
}

/* NAME of OLD (open as OFD) into DIR, never over a file there. */
static bool wf_home_move(int ofd, const char *name, const char *dir)
{
	char to[PATH_MAX];
	struct stat st;
	int r = snprintf(to, sizeof(to), "%s/%s", dir, name);

	if (r < 0 || (size_t)r >= sizeof(to))
		return false;
	/* A link, then the old name goes: the file is in one place or both,
	 * never lost, and one already in DIR is kept. */
	if (linkat(ofd, name, AT_FDCWD, to, 0) == 0) {
		unlinkat(ofd, name, 0);
		return true;
	}
	if (errno == EEXIST || lstat(to, &st) == 0)
		return false;
	/* A file system without hard links. */
	return renameat(ofd, name, AT_FDCWD, to) == 0;
}

size_t wf_home_adopt(const char *old_dir, const char *dir, const struct inventory *inv)
{
	DIR *d = old_dir && dir ? opendir(old_dir) : NULL;
	struct dirent *e;
	size_t moved = 0;
	bool made = false;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char why[300], err[600];
		struct wf_run w;
		bool ours;

		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		/* Only what loads as a workflow (a regular file, its own id). */
		if (wf_store_read(dirfd(d), e->d_name, &w, why, sizeof(why)) < 0) {
			wf_run_free(&w);
			continue;
		}
		ours = wf_home_has_host(inv, w.host);
		wf_run_free(&w);
		if (!ours)
			continue;
		if (!made && wf_store_mkdirs(dir, err, sizeof(err)) < 0)
			break;
		made = true;
		if (wf_home_move(dirfd(d), e->d_name, dir))
			moved++;
	}
	closedir(d);
	return moved;
}

/* What the IPMI hosts of one racktop share: the SDR cache directory and
 * the GPU name patterns, built with the first IPMI host and freed with
 * the last holder (a host, or a job that outlived the engine). */
#include "ipmi.h"

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t ipmi_shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ipmi_shared *ipmi_shared_now;

static int ipmi_shared_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

void ipmi_shared_put(struct ipmi_shared *sh)
{
	bool last;

	if (!sh)
		return;
	pthread_mutex_lock(&ipmi_shared_lock);
	last = --sh->refs == 0;
	if (last && ipmi_shared_now == sh)
		ipmi_shared_now = NULL;
	pthread_mutex_unlock(&ipmi_shared_lock);
	if (!last)
		return;
	if (sh->sdr_dir_ours)
		nftw(sh->sdr_dir, ipmi_shared_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	ipmi_gpu_patterns_free(sh->gpu);
	free(sh);
}

/* mkdir -p with mode 0700 for what racktop creates. */
static int ipmi_shared_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* The SDR cache: the configured directory, else the user's cache
 * directory, else a private temporary one. FreeIPMI refuses a cache
 * others could change; so do we. */
static int ipmi_shared_sdr_dir(struct ipmi_shared *sh, const char *want, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	struct stat st;

	if (want)
		snprintf(sh->sdr_dir, sizeof(sh->sdr_dir), "%s", want);
	else if (xdg && *xdg == '/')
		snprintf(sh->sdr_dir, sizeof(sh->sdr_dir), "%s/racktop/sdr", xdg);
	else if (home && *home == '/')
		snprintf(sh->sdr_dir, sizeof(sh->sdr_dir), "%s/.cache/racktop/sdr", home);
	else
		sh->sdr_dir[0] = '\0';
	if (sh->sdr_dir[0] && ipmi_shared_mkdirs(sh->sdr_dir) == 0 && stat(sh->sdr_dir, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022))
		return 0;
	if (want) {
		snprintf(err, errlen,
			 "IPMI SDR cache directory %s: cannot be created, or others may write "
			 "to it (%s)",
			 want, errno ? strerror(errno) : "mode");
		return -1;
	}
	snprintf(sh->sdr_dir, sizeof(sh->sdr_dir), "%s/racktop-sdr.XXXXXX",
		 tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(sh->sdr_dir)) {
		snprintf(err, errlen, "IPMI SDR cache: cannot create %s: %s", sh->sdr_dir,
			 strerror(errno));
		return -1;
	}
	sh->sdr_dir_ours = true;
	return 0;
}

struct ipmi_shared *ipmi_shared_get(const struct engine_config *cfg, char *err,
					   size_t errlen)
{
	struct ipmi_shared *sh;

	pthread_mutex_lock(&ipmi_shared_lock);
	sh = ipmi_shared_now;
	if (sh) {
		sh->refs++;
		pthread_mutex_unlock(&ipmi_shared_lock);
		return sh;
	}
	sh = calloc(1, sizeof(*sh));
	if (!sh) {
		snprintf(err, errlen, "IPMI: out of memory");
		goto fail;
	}
	if (ipmi_library_init(err, errlen) < 0)
		goto fail;
	ipmi_sensors_prepare();
	sh->gpu = ipmi_gpu_patterns_new(cfg ? cfg->ipmi_gpu_patterns : NULL, err, errlen);
	if (!sh->gpu || ipmi_shared_sdr_dir(sh, cfg ? cfg->ipmi_sdr_cache_dir : NULL, err, errlen) < 0)
		goto fail;
	sh->refs = 1;
	ipmi_shared_now = sh;
	pthread_mutex_unlock(&ipmi_shared_lock);
	return sh;
fail:
	if (sh)
		ipmi_gpu_patterns_free(sh->gpu);
	free(sh);
	pthread_mutex_unlock(&ipmi_shared_lock);
	return NULL;
}

void ipmi_shared_hold(struct ipmi_shared *sh)
{
	pthread_mutex_lock(&ipmi_shared_lock);
	sh->refs++;
	pthread_mutex_unlock(&ipmi_shared_lock);
}

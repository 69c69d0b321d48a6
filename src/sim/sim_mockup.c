/* --mockup DIR: serve a DMTF mockup folder as it is. Both layouts: "short"
 * (DIR/index.json is /redfish/v1) and "tall" (DIR/redfish/v1/index.json).
 * /redfish/v1/X/Y maps to ROOT/X/Y/index.json; reads are bounded and
 * paths that step out of the folder are refused. */
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MOCKUP_FILE_MAX (8 * 1024 * 1024)

static bool mockup_has_index(const char *dir)
{
	char p[4200];
	struct stat st;

	snprintf(p, sizeof(p), "%s/index.json", dir);
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int mockup_open(struct sim_config *cfg, char *err, size_t n)
{
	struct stat st;

	if (strlen(cfg->mockup) > 3000) {
		snprintf(err, n, "--mockup: path too long");
		return -1;
	}
	if (stat(cfg->mockup, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, n, "--mockup %s: %s", cfg->mockup,
		         errno ? strerror(errno) : "not a directory");
		return -1;
	}
	snprintf(cfg->mockup_root, sizeof(cfg->mockup_root), "%s", cfg->mockup);
	if (!mockup_has_index(cfg->mockup_root))
		snprintf(cfg->mockup_root, sizeof(cfg->mockup_root), "%s/redfish/v1", cfg->mockup);
	if (mockup_has_index(cfg->mockup_root)) {
		/* $select only where the mockup's BMC said it does it */
		json_t *root = mockup_get(cfg, "/redfish/v1");
		json_t *pf = json_object_get(root, "ProtocolFeaturesSupported");

		cfg->mockup_select = json_is_true(json_object_get(pf, "SelectQuery"));
		json_decref(root);
		return 0;
	}
	snprintf(err, n, "--mockup %s: no index.json (neither %s/index.json nor %s/redfish/v1/index.json)",
	         cfg->mockup, cfg->mockup, cfg->mockup);
	return -1;
}

/* Only plain segments: no "..", ".", empty ones or odd bytes. */
static bool mockup_path_ok(const char *rest)
{
	const char *s = rest;

	while (*s) {
		const char *end;
		size_t len;

		if (*s != '/')
			return false;
		s++;
		end = strchr(s, '/');
		len = end ? (size_t)(end - s) : strlen(s);
		if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == '\\')
				return false;
		s += len;
	}
	return true;
}

json_t *mockup_get(const struct sim_config *cfg, const char *path)
{
	const char *rest;
	char file[8192];
	struct stat st;
	json_t *res = NULL;
	char *buf;
	int fd;

	if (strncmp(path, "/redfish/v1", 11) != 0)
		return NULL;
	rest = path + 11;
	if ((*rest && *rest != '/') || !mockup_path_ok(rest) || strlen(rest) > 2048)
		return NULL;
	snprintf(file, sizeof(file), "%s%s/index.json", cfg->mockup_root, rest);
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MOCKUP_FILE_MAX) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf) {
		size_t got = 0;
		ssize_t r;
		while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
			got += (size_t)r;
		res = json_loadb(buf, got, 0, NULL);
		free(buf);
	}
	close(fd);
	return res;
}

/* --manifest FILE: the fleet as Tinkerbell objects (a v1 Secret with the
 * BMC credentials, a bmc.tinkerbell.org Machine and a tinkerbell.org
 * Hardware per host), multi-document YAML written to FILE.tmp and renamed
 * so a reader never sees half a file. Every value written is either a
 * number, a fixed word or base64, so plain fprintf gives valid YAML. */
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void manifest_base64(char *dst, size_t n, const char *src)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(src), o = 0;

	for (size_t i = 0; i < len && o + 5 < n; i += 3) {
		unsigned v = (unsigned char)src[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)src[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)src[i + 2];
		dst[o++] = tab[(v >> 18) & 63];
		dst[o++] = tab[(v >> 12) & 63];
		dst[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		dst[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	dst[o] = '\0';
}

static void manifest_host(FILE *f, const struct sim_config *cfg, const struct sim_host *h)
{
	fprintf(f, "---\n"
	        "apiVersion: bmc.tinkerbell.org/v1alpha1\n"
	        "kind: Machine\n"
	        "metadata:\n"
	        "  name: %s-bmc\n"
	        "  namespace: default\n", h->name);
	if (cfg->http || cfg->ssh_consoles)
		fprintf(f, "  annotations:\n");
	if (cfg->http)
		fprintf(f, "    racktop/scheme: http\n");
	/* The port comes from the BMC (SerialConsole.SSH), as it would. */
	if (cfg->ssh_consoles)
		fprintf(f, "    racktop/console: ssh\n");
	fprintf(f, "spec:\n"
	        "  connection:\n"
	        "    host: 127.0.0.1\n"
	        "    port: %u\n"
	        "    insecureTLS: false\n"
	        "    authSecretRef:\n"
	        "      name: racktop-sim-bmc\n"
	        "      namespace: default\n"
	        "    providerOptions:\n"
	        "      redfish:\n"
	        "        port: %u\n", h->port, h->port);
	fprintf(f, "---\n"
	        "apiVersion: tinkerbell.org/v1alpha1\n"
	        "kind: Hardware\n"
	        "metadata:\n"
	        "  name: %s\n"
	        "  namespace: default\n"
	        "spec:\n"
	        "  bmcRef:\n"
	        "    apiGroup: bmc.tinkerbell.org\n"
	        "    kind: Machine\n"
	        "    name: %s-bmc\n"
	        "  metadata:\n"
	        "    instance:\n"
	        "      hostname: %s\n", h->name, h->name, h->name);
}

int manifest_write(const struct sim_config *cfg, const struct sim_host *hosts,
                   char *err, size_t n)
{
	char tmp[4200], user64[16], pass64[400];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->manifest);
	/* it holds the password: readable by the owner only */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, n, "--manifest %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	manifest_base64(user64, sizeof(user64), "admin");
	manifest_base64(pass64, sizeof(pass64), cfg->password);
	fprintf(f, "# racktop-sim fleet: %u hosts\n"
	        "apiVersion: v1\n"
	        "kind: Secret\n"
	        "metadata:\n"
	        "  name: racktop-sim-bmc\n"
	        "  namespace: default\n"
	        "type: Opaque\n"
	        "data:\n"
	        "  username: %s\n"
	        "  password: %s\n", cfg->hosts, user64, pass64);
	explicit_bzero(pass64, sizeof(pass64));
	for (unsigned i = 0; i < cfg->hosts; i++)
		if (hosts[i].listen_fd >= 0 || hosts[i].daemon)
			manifest_host(f, cfg, &hosts[i]);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		snprintf(err, n, "--manifest %s: write failed: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, cfg->manifest) != 0) {
		snprintf(err, n, "--manifest: rename %s to %s: %s", tmp, cfg->manifest, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

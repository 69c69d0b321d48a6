/* IPMI has no GPU object: a GPU is the sensors whose names match one of
 * these patterns ("GPU0 Temp", "GPU_1_TEMP", "GPU3 Power",
 * "HGX_GPU_SXM_1_TEMP"). The GPU's number is the first group of the
 * pattern that matched only digits (POSIX EREs have no non-capturing
 * groups, so a pattern may group other things first). */
#include "ipmi.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPMI_GPU_MAX_INDEX 255
#define IPMI_GPU_MAX_PATTERNS 32

const char ipmi_gpu_default_patterns[] =
	"^GPU[ _-]?([0-9]+)([ _-].*)?$\n"
	"base=1 ^(HGX_)?GPU_SXM_?([0-9]+)([ _-].*)?$\n"
	"base=1 ^SXM[ _-]?([0-9]+)[ _-]GPU([ _-].*)?$\n";

struct ipmi_gpu_pattern {
	regex_t re;
	int base;
};

struct ipmi_gpu_patterns {
	size_t n;
	struct ipmi_gpu_pattern p[IPMI_GPU_MAX_PATTERNS];
};

void ipmi_gpu_patterns_free(struct ipmi_gpu_patterns *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		regfree(&p->p[i].re);
	free(p);
}

struct ipmi_gpu_patterns *ipmi_gpu_patterns_new(const char *spec, char *err, size_t errlen)
{
	struct ipmi_gpu_patterns *p = calloc(1, sizeof(*p));
	const char *s = spec ? spec : ipmi_gpu_default_patterns;
	int line = 0;

	if (!p) {
		snprintf(err, errlen, "GPU sensor patterns: out of memory");
		return NULL;
	}
	while (*s) {
		size_t len = strcspn(s, "\n");
		char buf[512];
		const char *re = buf;
		int base = 0, rc;

		line++;
		if (len >= sizeof(buf)) {
			snprintf(err, errlen, "GPU sensor pattern %d: longer than %zu bytes", line,
				 sizeof(buf) - 1);
			goto fail;
		}
		memcpy(buf, s, len);
		buf[len] = '\0';
		s += len + (s[len] == '\n');
		if (!strncmp(re, "base=1 ", 7)) {
			base = 1;
			re += 7;
		}
		if (!*re || *re == '#')
			continue;
		if (p->n == IPMI_GPU_MAX_PATTERNS) {
			snprintf(err, errlen, "GPU sensor patterns: more than %d",
				 IPMI_GPU_MAX_PATTERNS);
			goto fail;
		}
		rc = regcomp(&p->p[p->n].re, re, REG_EXTENDED | REG_ICASE);
		if (rc != 0) {
			char why[128];

			regerror(rc, NULL, why, sizeof(why));
			snprintf(err, errlen, "GPU sensor pattern %d \"%.100s\": %s", line, re, why);
			goto fail;
		}
		p->p[p->n++].base = base;
	}
	return p;
fail:
	ipmi_gpu_patterns_free(p);
	return NULL;
}

int ipmi_gpu_match(const struct ipmi_gpu_patterns *p, const char *name)
{
	regmatch_t m[10];

	if (!p || !name)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		if (regexec(&p->p[i].re, name, 10, m, 0) != 0)
			continue;
		for (int g = 1; g < 10; g++) {
			long v = 0;
			regoff_t k;

			if (m[g].rm_so < 0 || m[g].rm_eo <= m[g].rm_so || m[g].rm_eo - m[g].rm_so > 4)
				continue;
			for (k = m[g].rm_so; k < m[g].rm_eo; k++) {
				if (name[k] < '0' || name[k] > '9')
					break;
				v = v * 10 + (name[k] - '0');
			}
			if (k != m[g].rm_eo)
				continue;
			v -= p->p[i].base;
			return v >= 0 && v <= IPMI_GPU_MAX_INDEX ? (int)v : -1;
		}
	}
	return -1;
}

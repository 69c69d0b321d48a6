/* The inventory loader on a directory of manifests. The input is split
 * at "\n#--file\n" lines into files of a fresh directory: NN.yaml,
 * NN.yml and NN.txt in turn, or the name on a first line "#name: NAME"
 * (any bytes but '/' and ':'), or a subdirectory for "#dir: NAME". An
 * empty input is an empty directory. Beyond fuzz_inventory's checks:
 * only *.yaml and *.yml files are read (the sources and errors name no
 * other), and a directory with none of them is refused. */
#include "fuzz_check.h"
#include "fuzz_inv.h"
#include "fuzz_msg.h"
#include "inventory.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define SEP "\n#--file\n"
#define MAX_FILES 64
#define MAX_ERRORS 1000

static bool fuzz_dir_yaml_name(const char *n, size_t len)
{
	if (!len || n[0] == '.')
		return false;
	return (len > 5 && !memcmp(n + len - 5, ".yaml", 5)) || (len > 4 && !memcmp(n + len - 4, ".yml", 4));
}

/* Writes chunk I (D, N bytes) into DIR. True when it made an entry the
 * loader must read (a *.yaml or *.yml file or directory). */
static bool fuzz_dir_chunk(const char *sub, size_t i, const uint8_t *d, size_t n)
{
	char name[128], rel[256];
	bool is_dir = false;
	struct stat st;

	snprintf(name, sizeof name, "%02zu.%s", i, i % 3 == 0 ? "yaml" : i % 3 == 1 ? "yml" : "txt");
	if ((n >= 7 && !memcmp(d, "#name: ", 7)) || (n >= 6 && !memcmp(d, "#dir: ", 6))) {
		size_t skip = d[1] == 'n' ? 7 : 6, len = 0;

		is_dir = d[1] == 'd';
		while (skip + len < n && d[skip + len] != '\n' && len < 100)
			len++;
		/* Names are the input's, but must stay in this directory and
		 * leave "file:line" readable. */
		if (len && !memchr(d + skip, '/', len) && !memchr(d + skip, ':', len) &&
		    !memchr(d + skip, '\0', len) && !(len == 1 && d[skip] == '.') &&
		    !(len == 2 && d[skip] == '.' && d[skip + 1] == '.')) {
			memcpy(name, d + skip, len);
			name[len] = '\0';
		}
		d += skip + len;
		n -= skip + len;
		if (n) {
			d++;
			n--;
		}
	}
	snprintf(rel, sizeof rel, "%s/%s", sub, name);
	if (is_dir) {
		char path[4096];

		snprintf(path, sizeof path, "%s/%s", fuzz_dir(), rel);
		mkdir(path, 0700);
	} else {
		char path[4096];

		snprintf(path, sizeof path, "%s/%s", fuzz_dir(), rel);
		/* A directory of that name came first: it stays. */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return fuzz_dir_yaml_name(name, strlen(name));
		fuzz_file(rel, d, n, 0600);
	}
	return fuzz_dir_yaml_name(name, strlen(name));
}

static bool fuzz_dir_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* "DIR/NAME..." names a *.yaml or *.yml NAME (as cleaned for the
 * message, which may have dropped its first bytes: the suffix is all
 * that is sure to stay). */
static void fuzz_dir_check_named(const char *what, const char *s, const char *dir_slash)
{
	const char *name = s + strlen(dir_slash), *colon = strchr(name, ':');
	size_t len = colon ? (size_t)(colon - name) : strlen(name);

	if (!(len >= 5 && !memcmp(name + len - 5, ".yaml", 5)) &&
	    !(len >= 4 && !memcmp(name + len - 4, ".yml", 4))) {
		fprintf(stderr, "%s: \"%s\" names a file that is not *.yaml or *.yml\n", what, s);
		FUZZ_ASSERT(0, "a file that is not a manifest was read");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[4096], dir_slash[4100], empty[4200];
	int max_line = fuzz_msg_max_line(data, size);
	struct inventory inv;
	bool any = false;
	size_t nfiles = 0;
	int rc;

	fuzz_dir_clear();
	snprintf(dir, sizeof dir, "%s/inv", fuzz_dir());
	snprintf(dir_slash, sizeof dir_slash, "%s/", dir);
	FUZZ_ASSERT(mkdir(dir, 0700) == 0, "cannot make the directory");
	/* Empty input: an empty directory. */
	for (const uint8_t *p = data, *end = data + size; size && nfiles < MAX_FILES; nfiles++) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
		const uint8_t *stop = sep ? sep : end;

		any |= fuzz_dir_chunk("inv", nfiles, p, (size_t)(stop - p));
		if (!sep)
			break;
		p = sep + strlen(SEP);
	}
	rc = inventory_load(dir, NULL, &inv);
	FUZZ_ASSERT(inv.nerrors <= MAX_ERRORS + 1, "errors are not bounded");
	if (!any) {
		/* Nothing to read is an error, not an empty fleet. */
		snprintf(empty, sizeof empty, "no manifests in %s (no *.yaml or *.yml files)", dir);
		FUZZ_ASSERT(rc == -1, "a directory with no manifests was accepted");
		FUZZ_ASSERT(inv.nerrors == 1 && !strcmp(inv.errors[0], empty),
			    "a directory with no manifests is not said so");
		FUZZ_ASSERT(inv.nhosts == 0, "hosts out of no manifests");
	} else {
		FUZZ_ASSERT(rc == 0, "a directory with manifests was not loaded");
	}
	for (size_t i = 0; i < inv.nerrors; i++) {
		const char *e = inv.errors[i];

		if (!any)
			break;
		if (!strncmp(e, dir_slash, strlen(dir_slash))) {
			fuzz_check_msg("inventory error", e, dir_slash, max_line,
				       !fuzz_dir_ends(e, ": a directory; subdirectories are not read"));
			fuzz_dir_check_named("inventory error", e, dir_slash);
		} else {
			/* About the whole directory: "DIR: N more errors not shown". */
			fuzz_check_msg("inventory error", e, dir, max_line, false);
			FUZZ_ASSERT(fuzz_dir_ends(e, " more errors not shown"),
				    "an error about the directory that names no file");
		}
	}
	fuzz_inv_check_hosts(&inv, dir_slash, max_line);
	for (size_t i = 0; i < inv.nhosts; i++)
		fuzz_dir_check_named("host.source", inv.hosts[i].source, dir_slash);
	inventory_free(&inv);
	return 0;
}

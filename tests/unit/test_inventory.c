/* The inventory loader against the real Tinkerbell/Rufio examples, our
 * own fixtures (tests/data/inventory) and generated files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "inventory.h"

static char *path_in(const char *env, const char *fallback, const char *rel)
{
	const char *base = getenv(env);
	char *p;

	if (!base)
		base = fallback;
	cr_assert(asprintf(&p, "%s/%s", base, rel) > 0);
	return p;
}

static char *data(const char *rel)
{
	return path_in("RACKTOP_TESTDATA", "tests/data", rel);
}

static char *example(const char *rel)
{
	return path_in("RACKTOP_SHARED", "../shared", rel);
}

static char *xfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	cr_assert(vasprintf(&s, fmt, ap) > 0);
	va_end(ap);
	return s;
}

static void dump_errors(const struct inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->nerrors; i++)
		cr_log_info("error[%zu]: %s", i, inv->errors[i]);
}

/* Asserts that inv->errors holds exactly WANT (formatted). */
static void assert_error(const struct inventory *inv, const char *want)
{
	size_t i;

	for (i = 0; i < inv->nerrors; i++)
		if (!strcmp(inv->errors[i], want))
			return;
	dump_errors(inv);
	cr_assert_fail("missing error: %s", want);
}

/* Whether some error in INV contains TEXT. */
static bool has_error_text(const struct inventory *inv, const char *text)
{
	for (size_t i = 0; i < inv->nerrors; i++)
		if (strstr(inv->errors[i], text))
			return true;
	return false;
}

static const struct inventory_host *host(const struct inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; i < inv->nhosts; i++)
		if (!strcmp(inv->hosts[i].name, name))
			return &inv->hosts[i];
	cr_assert_fail("no host %s among %zu", name, inv->nhosts);
	return NULL;
}

static void assert_no_secret_in_errors(const struct inventory *inv, const char *secret)
{
	size_t i;

	for (i = 0; i < inv->nerrors; i++)
		cr_assert_null(strstr(inv->errors[i], secret), "password in error: %s", inv->errors[i]);
	for (i = 0; i < inv->nhosts; i++)
		cr_assert_null(strstr(inv->hosts[i].error, secret));
}

static char *tempdir(void)
{
	char *d = strdup("/tmp/racktop-inv-XXXXXX");

	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Copies SRC (freed) into DIR/NAME, replacing FROM by TO (if given). */
static char *copy_file(char *src, const char *dir, const char *name, const char *from,
		       const char *to)
{
	char *text = read_file(src), *dst = xfmt("%s/%s", dir, name), *at;

	if (from && (at = strstr(text, from))) {
		char *n = xfmt("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));

		free(text);
		text = n;
	}
	write_file(dst, text, 0644);
	free(text);
	free(src);
	return dst;
}

static void rm_tree(const char *dir)
{
	char *cmd = xfmt("rm -rf '%s'", dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* ---- the real Rufio and Tinkerbell examples ---- */

Test(examples, machine_secret_in_other_namespace)
{
	struct inventory inv;
	char *dir = tempdir(), *dst;
	const struct inventory_host *h;

	free(copy_file(example("tinkerbell/examples/rufio-machine_v1alpha1.yaml"), dir, "machine.yaml", NULL, NULL));
	free(copy_file(example("tinkerbell/examples/rufio-auth-secret.yaml"), dir, "secret.yaml", NULL, NULL));
	cr_assert_eq(inventory_load(dir, NULL, &inv), 0);
	dump_errors(&inv);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 1);
	h = &inv.hosts[0];
	cr_assert_str_eq(h->name, "machine-sample");
	cr_assert_str_eq(h->namespace_, "default");
	cr_assert_str_eq(h->address, "127.0.0.1");
	cr_assert(h->insecure_tls);
	cr_assert_eq(h->protocol, FLEET_PROTO_REDFISH);
	/* The Secret has no namespace (default); the Machine looks in rufio-system. */
	cr_assert_str_eq(h->error, "Secret rufio-system/sample-machine-auth (authSecretRef) not found in the manifests");
	cr_assert_null(h->username);
	cr_assert_null(h->password);
	dst = xfmt("%s/machine.yaml:1", dir);
	cr_assert_str_eq(h->source, dst);
	free(dst);
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
}

Test(examples, machine_secret_same_namespace)
{
	struct inventory inv;
	char *dir = tempdir();
	const struct inventory_host *h;

	free(copy_file(example("tinkerbell/examples/rufio-machine_v1alpha1.yaml"), dir, "machine.yaml",
		       "namespace: rufio-system", "namespace: default"));
	free(copy_file(example("tinkerbell/examples/rufio-auth-secret.yaml"), dir, "secret.yaml", NULL, NULL));
	cr_assert_eq(inventory_load(dir, NULL, &inv), 0);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 1);
	h = &inv.hosts[0];
	cr_assert_str_eq(h->error, "");
	cr_assert_str_eq(h->username, "admin");
	cr_assert_str_eq(h->password, "t0p-Secret");
	cr_assert_str_eq(h->cred_ref, "Secret default/sample-machine-auth");
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
}

Test(examples, hardware_without_bmcref)
{
	struct inventory inv;
	char *p = example("tinkerbell/examples/tink-hardware.yaml"), *src = xfmt("%s:1", p);
	char url[64] = "x";

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 1);
	cr_assert_str_eq(inv.hosts[0].name, "sm01");
	cr_assert_str_eq(inv.hosts[0].error, "no BMC: Hardware has no spec.bmcRef");
	cr_assert_str_eq(inv.hosts[0].source, src);
	inventory_host_url(&inv.hosts[0], url, sizeof url);
	cr_assert_str_eq(url, "");
	inventory_free(&inv);
	free(p);
	free(src);
}

Test(examples, whole_directory)
{
	struct inventory inv;
	char *p = example("tinkerbell/examples");

	/* Templates, Workflows, Jobs and Tasks are there too: ignored. */
	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	dump_errors(&inv);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 3);
	cr_assert_str_eq(host(&inv, "machine-sample-with-opts")->error, "");
	cr_assert_str_eq(host(&inv, "machine-sample")->error,
			 "Secret rufio-system/sample-machine-auth (authSecretRef) not found in the manifests");
	cr_assert_str_eq(host(&inv, "sm01")->error, "no BMC: Hardware has no spec.bmcRef");
	inventory_free(&inv);
	free(p);
}

/* ---- our fixtures ---- */

Test(fixtures, good_fleet)
{
	struct inventory inv;
	char *p = data("inventory/fleet.yaml"), *src;
	const struct inventory_host *h;
	char url[300];

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	dump_errors(&inv);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 4);
	/* In manifest order. */
	cr_assert_str_eq(inv.hosts[0].name, "gpu-01");
	cr_assert_str_eq(inv.hosts[1].name, "gpu-02");
	cr_assert_str_eq(inv.hosts[2].name, "spare-01");
	cr_assert_str_eq(inv.hosts[3].name, "lab-bmc");

	h = host(&inv, "gpu-01");
	cr_assert_str_eq(h->namespace_, "tink-system");
	cr_assert_str_eq(h->address, "10.0.0.11");
	cr_assert_eq(h->port, 8443);
	cr_assert_eq(h->protocol, FLEET_PROTO_REDFISH);
	cr_assert(h->insecure_tls);
	cr_assert(h->use_basic_auth);
	cr_assert_not(h->plain_http);
	cr_assert_str_eq(h->system_name, "System.Embedded.1");
	cr_assert_str_eq(h->username, "root");
	cr_assert_str_eq(h->password, "s3cr3t-pass");
	cr_assert_str_eq(h->cred_ref, "Secret tink-system/bmc-creds");
	cr_assert_str_eq(h->error, "");
	src = xfmt("%s:2", p);
	cr_assert_str_eq(h->source, src);
	free(src);
	inventory_host_url(h, url, sizeof url);
	cr_assert_str_eq(url, "https://10.0.0.11:8443");

	h = host(&inv, "gpu-02");
	cr_assert_eq(h->protocol, FLEET_PROTO_IPMI);
	cr_assert_eq(h->ipmi_port, 6230);
	cr_assert_eq(h->ipmi_cipher_suite, 17);
	cr_assert_not(h->insecure_tls);
	cr_assert_null(h->username);
	cr_assert_str_eq(h->error, "");
	inventory_host_url(h, url, sizeof url);
	cr_assert_str_eq(url, "ipmi://10.0.0.12:6230");

	h = host(&inv, "spare-01");
	cr_assert_str_eq(h->error, "no BMC: Hardware has no spec.bmcRef");
	cr_assert_str_eq(h->address, "");

	h = host(&inv, "lab-bmc");
	cr_assert_str_eq(h->namespace_, "default");
	cr_assert(h->plain_http);
	cr_assert_str_eq(h->address, "127.0.0.1");
	cr_assert_eq(h->port, 8000);
	cr_assert_eq(h->ipmi_cipher_suite, 3);
	inventory_host_url(h, url, sizeof url);
	cr_assert_str_eq(url, "http://127.0.0.1:8000");
	assert_no_secret_in_errors(&inv, "s3cr3t-pass");
	inventory_free(&inv);
	cr_assert_eq(inv.nhosts, 0);
	cr_assert_null(inv.hosts);
	free(p);
}

Test(fixtures, kubectl_list)
{
	struct inventory inv;
	char *p = data("inventory/list.yaml");
	const struct inventory_host *h;
	char url[300];

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 1);
	h = &inv.hosts[0];
	cr_assert_str_eq(h->name, "node-a");
	cr_assert_eq(h->protocol, FLEET_PROTO_IPMI);   /* racktop/protocol: ipmi */
	cr_assert_eq(h->ipmi_port, 623);
	cr_assert_str_eq(h->username, "ADMIN");        /* stringData */
	cr_assert_str_eq(h->password, "plain-text-pw");
	cr_assert_str_eq(h->cred_ref, "Secret default/node-a-auth");
	inventory_host_url(h, url, sizeof url);
	cr_assert_str_eq(url, "ipmi://192.168.1.20");
	inventory_free(&inv);
	free(p);
}

Test(fixtures, directory_with_a_bad_file)
{
	struct inventory inv;
	char *p = data("inventory/dir"), *e;
	char url[300];

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	dump_errors(&inv);
	/* notes.txt is not read; b-bad.yaml loses only what follows its error. */
	cr_assert_eq(inv.nhosts, 4);
	cr_assert_eq(inv.nerrors, 2);
	cr_assert_str_eq(inv.hosts[0].name, "rack1-bmc");
	cr_assert_str_eq(inv.hosts[1].name, "rack2-bmc");
	cr_assert_str_eq(inv.hosts[2].name, "rack3-bmc");
	cr_assert_str_eq(inv.hosts[3].name, "rack5-bmc");
	e = xfmt("%s/b-bad.yaml:13: YAML syntax error: did not find expected key (while parsing a block mapping at line 9)", p);
	assert_error(&inv, e);
	free(e);
	e = xfmt("%s/b-bad.yaml:7: Machine default/rack3-bmc: spec.connection.insecureTLS missing (TLS will be verified)", p);
	assert_error(&inv, e);
	free(e);
	cr_assert_not(host(&inv, "rack3-bmc")->insecure_tls);

	inventory_host_url(host(&inv, "rack1-bmc"), url, sizeof url);
	cr_assert_str_eq(url, "https://[fd00::10]:8443");
	cr_assert_str_eq(host(&inv, "rack1-bmc")->address, "fd00::10");
	inventory_host_url(host(&inv, "rack2-bmc"), url, sizeof url);
	cr_assert_str_eq(url, "https://bmc.rack2.example");
	inventory_host_url(host(&inv, "rack5-bmc"), url, sizeof url);
	cr_assert_str_eq(url, "https://[fd00::50]");
	inventory_free(&inv);
	free(p);
}

Test(fixtures, bad_objects_exact_errors)
{
	struct inventory inv;
	char *p = data("inventory/bad-types.yaml");
	static const char *const want[] = {
		"%s:8: Machine default/bmc-1: spec.connection.host: expected a string, got a mapping",
		"%s:10: Machine default/bmc-1: spec.connection.port: 99999 is out of range (0-65535)",
		"%s:9: Machine default/bmc-1: spec.connection.insecureTLS: expected true or false, got a string",
		"%s:18: Machine default/bmc-2: spec.connection.host missing",
		"%s:23: Hardware: metadata.name missing",
		"%s:35: duplicate Hardware default/hw-ghost, first at %s:26",
		"%s:58: Secret default/broken: data.password: not valid base64",
		"%s:26: Hardware default/hw-ghost: Machine default/no-such-bmc named by spec.bmcRef not found",
	};
	size_t i;

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	dump_errors(&inv);
	cr_assert_eq(inv.nerrors, sizeof want / sizeof want[0]);
	for (i = 0; i < inv.nerrors; i++) {
		char *e = xfmt(want[i], p, p);

		cr_assert_str_eq(inv.errors[i], e);
		free(e);
	}
	/* Bad objects still make hosts that say what is wrong. */
	cr_assert_eq(inv.nhosts, 4);
	cr_assert_str_eq(host(&inv, "bmc-1")->error,
			 "Machine default/bmc-1: spec.connection.host: expected a string, got a mapping");
	cr_assert_str_eq(host(&inv, "bmc-2")->error, "Machine default/bmc-2: spec.connection.host missing");
	cr_assert_str_eq(host(&inv, "hw-ghost")->error, "Machine default/no-such-bmc named by spec.bmcRef not found");
	cr_assert_str_eq(host(&inv, "bmc-3")->error,
			 "Secret default/missing-secret (authSecretRef) not found in the manifests");
	cr_assert_str_eq(host(&inv, "bmc-3")->address, "10.0.0.3");
	inventory_free(&inv);
	free(p);
}

Test(fixtures, syntax_error_keeps_earlier_documents)
{
	struct inventory inv;
	char *p = data("inventory/syntax.yaml"), *e;

	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	cr_assert_eq(inv.nerrors, 1);
	e = xfmt("%s:14: YAML syntax error: mapping values are not allowed in this context", p);
	cr_assert_str_eq(inv.errors[0], e);
	free(e);
	cr_assert_eq(inv.nhosts, 1);
	cr_assert_str_eq(inv.hosts[0].name, "before-error");
	inventory_free(&inv);
	free(p);
}

Test(fixtures, unreadable_path)
{
	struct inventory inv;

	cr_assert_eq(inventory_load("/nonexistent/racktop/fleet.yaml", NULL, &inv), -1);
	cr_assert_eq(inv.nerrors, 1);
	cr_assert_str_eq(inv.errors[0], "/nonexistent/racktop/fleet.yaml: No such file or directory");
	cr_assert_eq(inv.nhosts, 0);
	inventory_free(&inv);
}

/* An empty directory (or one of other files only) is a clear error, not
 * a load of nothing (and no qsort(NULL, 0), which UBSan aborts on). */
Test(fixtures, empty_directory_is_an_error)
{
	struct inventory inv;
	char *dir = tempdir(), *want = xfmt("no manifests in %s (no *.yaml or *.yml files)", dir);
	char *other = xfmt("%s/README", dir);

	cr_assert_eq(inventory_load(dir, NULL, &inv), -1);
	assert_error(&inv, want);
	cr_assert_eq(inv.nhosts, 0);
	inventory_free(&inv);
	write_file(other, "not a manifest\n", 0644);
	cr_assert_eq(inventory_load(dir, NULL, &inv), -1);
	assert_error(&inv, want);
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(want);
	free(other);
}

/* A FIFO named like a manifest: an error at once, the other files load
 * (the timeout fails a hang). */
Test(fixtures, fifo_manifest_is_refused_promptly, .timeout = 10)
{
	struct inventory inv;
	char *dir = tempdir(), *fifo = xfmt("%s/a.yaml", dir);
	char *good = copy_file(data("inventory/fleet.yaml"), dir, "b.yaml", NULL, NULL);

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(inventory_load(fifo, NULL, &inv), -1);
	cr_assert_eq(inv.nerrors, 1);
	cr_assert(strstr(inv.errors[0], fifo) && strstr(inv.errors[0], "not a regular file"), "%s",
		  inv.errors[0]);
	inventory_free(&inv);
	cr_assert_eq(inventory_load(dir, NULL, &inv), 0);
	cr_assert(has_error_text(&inv, "a.yaml: not a regular file"));
	cr_assert_not_null(host(&inv, "gpu-01"), "the good file still loads");
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(fifo);
	free(good);
}

/* ---- generated manifests: addresses, bounds, odd YAML ---- */

static void load_text(const char *text, struct inventory *inv, char **path_out)
{
	char *dir = tempdir(), *p = xfmt("%s/m.yaml", dir);

	write_file(p, text, 0644);
	cr_assert_eq(inventory_load(p, NULL, inv), 0);
	unlink(p);
	rmdir(dir);
	free(dir);
	if (path_out)
		*path_out = p;
	else
		free(p);
}

#define MACHINE(name, conn)                                                   \
	"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata:\n" \
	"  name: " name "\nspec:\n  connection:\n    insecureTLS: false\n" conn "---\n"

Test(generated, host_field_forms)
{
	struct inventory inv;
	char url[300];

	load_text(MACHINE("a", "    host: http://10.1.1.1:8000/redfish\n")
		  MACHINE("b", "    host: \"[2001:db8::1]\"\n    port: 8443\n")
		  MACHINE("c", "    host: bmc-c.example\n    port: 623\n"
			  "    providerOptions:\n      redfish:\n        port: 9443\n")
		  MACHINE("d", "    host: 10.1.1.4\n    providerOptions:\n      ipmitool:\n        cipherSuite: 17\n")
		  MACHINE("e", "    host: \"10.1.1.5/../../x?y\"\n")
		  MACHINE("f", "    host: \"evil@host:80\"\n")
		  MACHINE("g", "    host: 10.1.1.7:99999\n"),
		  &inv, NULL);
	dump_errors(&inv);
	cr_assert_eq(inv.nhosts, 7);
	inventory_host_url(host(&inv, "a"), url, sizeof url);
	cr_assert_str_eq(url, "http://10.1.1.1:8000");
	cr_assert(host(&inv, "a")->plain_http);
	inventory_host_url(host(&inv, "b"), url, sizeof url);
	cr_assert_str_eq(url, "https://[2001:db8::1]:8443");
	/* 623 is the CRD's default (IPMI's port): Redfish uses its own. */
	cr_assert_eq(host(&inv, "c")->port, 9443);
	cr_assert_eq(host(&inv, "d")->protocol, FLEET_PROTO_IPMI);
	cr_assert_eq(host(&inv, "d")->ipmi_cipher_suite, 17);
	cr_assert_str_eq(host(&inv, "e")->address, "10.1.1.5");
	cr_assert_str_eq(host(&inv, "f")->error,
			 "Machine default/f: spec.connection.host: not a host, host:port or URL: \"evil@host:80\"");
	cr_assert_str_eq(host(&inv, "g")->error,
			 "Machine default/g: spec.connection.host: not a host, host:port or URL: \"10.1.1.7:99999\"");
	inventory_free(&inv);
}

/* Found by fuzzing (tests/fuzz/corpus/inventory/host-error-cut-utf8.yaml):
 * a message quotes 80 bytes of the host, which cut "é" in two, and the
 * half character reached the host's error (the screen). */
Test(generated, host_error_cut_mid_character_is_clean)
{
	struct inventory inv;
	char want[200];

	load_text(MACHINE("m", "    host: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00e9/\"\n"),
		  &inv, NULL);
	snprintf(want, sizeof want, "Machine default/m: spec.connection.host: not a host, host:port or URL: \"%.79s\"",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	cr_assert_str_eq(host(&inv, "m")->error, want);
	inventory_free(&inv);
}

#define ANNOTATED(name, ann, conn)                                                      \
	"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata:\n"          \
	"  name: " name "\n  annotations:\n" ann "spec:\n  connection:\n"              \
	"    insecureTLS: false\n" conn "---\n"

Test(generated, ipmi_annotations_and_fallback)
{
	struct inventory inv;

	load_text(ANNOTATED("p", "    racktop/protocol: ipmi\n    racktop/ipmi-privilege: operator\n"
			    "    racktop/ipmi-workarounds: \"opensesspriv, intel20\"\n",
			    "    host: 10.1.2.1\n")
		  ANNOTATED("q", "    racktop/protocol: ipmi\n", "    host: 10.1.2.2\n")
		  ANNOTATED("r", "    racktop/protocol: ipmi\n    racktop/ipmi-privilege: root\n",
			    "    host: 10.1.2.3\n")
		  ANNOTATED("s", "    racktop/protocol: ipmi\n    racktop/ipmi-workarounds: bogus\n",
			    "    host: 10.1.2.4\n")
		  MACHINE("both", "    host: 10.1.2.5\n    providerOptions:\n      redfish:\n"
			  "        port: 8443\n      ipmitool:\n        port: 6230\n")
		  MACHINE("rf", "    host: 10.1.2.6\n    providerOptions:\n      redfish:\n"
			  "        port: 8443\n"),
		  &inv, NULL);
	cr_assert_eq(inv.nhosts, 6);
	cr_assert_eq(host(&inv, "p")->ipmi_privilege, INVENTORY_IPMI_PRIV_OPERATOR);
	cr_assert_eq(host(&inv, "p")->ipmi_workarounds,
		     INVENTORY_IPMI_WA_OPENSESSPRIV | INVENTORY_IPMI_WA_INTEL20);
	cr_assert_eq(host(&inv, "q")->ipmi_privilege, INVENTORY_IPMI_PRIV_ADMIN, "the default");
	cr_assert_eq(host(&inv, "q")->ipmi_workarounds, 0);
	cr_assert_not(host(&inv, "q")->ipmi_fallback);
	cr_assert(strstr(host(&inv, "r")->error,
			 "racktop/ipmi-privilege: expected admin, operator or user, got root"),
		  "%s", host(&inv, "r")->error);
	cr_assert(strstr(host(&inv, "s")->error, "unknown workaround \"bogus\""), "%s",
		  host(&inv, "s")->error);
	/* Redfish first, IPMI (port 6230) when Redfish fails. */
	cr_assert_eq(host(&inv, "both")->protocol, FLEET_PROTO_REDFISH);
	cr_assert(host(&inv, "both")->ipmi_fallback);
	cr_assert_eq(host(&inv, "both")->port, 8443);
	cr_assert_eq(host(&inv, "both")->ipmi_port, 6230);
	cr_assert_not(host(&inv, "rf")->ipmi_fallback);
	inventory_free(&inv);
}

/* Console annotations (console.h): SSH target, command, kind, SOL
 * workarounds; bad values are reported and leave the host usable. */
static bool has_error(const struct inventory *inv, const char *text)
{
	for (size_t i = 0; i < inv->nerrors; i++)
		if (strstr(inv->errors[i], text))
			return true;
	return false;
}

Test(generated, console_annotations)
{
	struct inventory inv;
	const struct inventory_host *h;

	load_text(ANNOTATED("cs-bmc", "    racktop/console-ssh: admin@10.9.0.1:2222\n"
			    "    racktop/console-command: console com2\n",
			    "    host: 10.1.3.1\n")
		  "apiVersion: tinkerbell.org/v1alpha1\nkind: Hardware\nmetadata:\n"
		  "  name: cs-node\nspec:\n  bmcRef:\n    kind: Machine\n    name: cs-bmc\n---\n"
		  ANNOTATED("v6", "    racktop/console-ssh: \"[2001:db8::5]:22\"\n"
			    "    racktop/console: ssh\n", "    host: 10.1.3.2\n")
		  ANNOTATED("sol", "    racktop/protocol: ipmi\n    racktop/console: sol\n"
			    "    racktop/sol-workarounds: solchannelsupport,solpayloadsize\n"
			    "    racktop/console-reconnect: \"true\"\n",
			    "    host: 10.1.3.3\n")
		  ANNOTATED("bad", "    racktop/console-ssh: \"me@host:99999\"\n"
			    "    racktop/console: telnet\n    racktop/sol-workarounds: nope\n"
			    "    racktop/console-reconnect: sometimes\n",
			    "    host: 10.1.3.4\n")
		  MACHINE("plain", "    host: 10.1.3.5\n"),
		  &inv, NULL);
	cr_assert_eq(inv.nhosts, 5);
	/* Copied from the Machine into the Hardware's host. */
	h = host(&inv, "cs-node");
	cr_assert_str_eq(h->console_ssh_user, "admin");
	cr_assert_str_eq(h->console_ssh_host, "10.9.0.1");
	cr_assert_eq(h->console_ssh_port, 2222);
	cr_assert_str_eq(h->console_command, "console com2");
	cr_assert_eq(h->console, INVENTORY_CONSOLE_AUTO);
	h = host(&inv, "v6");
	cr_assert_str_eq(h->console_ssh_host, "2001:db8::5");
	cr_assert_eq(h->console_ssh_port, 22);
	cr_assert_str_eq(h->console_ssh_user, "");
	cr_assert_eq(h->console, INVENTORY_CONSOLE_SSH);
	h = host(&inv, "sol");
	cr_assert_eq(h->console, INVENTORY_CONSOLE_SOL);
	cr_assert_eq(h->sol_workarounds,
		     INVENTORY_SOL_WA_CHANNEL_SUPPORT | INVENTORY_SOL_WA_PAYLOAD_SIZE);
	cr_assert_eq(h->console_reconnect, 1);
	cr_assert_eq(host(&inv, "v6")->console_reconnect, 0, "not set: as configured");
	h = host(&inv, "bad");
	cr_assert_eq(h->console_reconnect, 0);
	cr_assert_str_eq(h->console_ssh_host, "");
	cr_assert_eq(h->console, INVENTORY_CONSOLE_AUTO);
	cr_assert_eq(h->sol_workarounds, 0);
	cr_assert_str_eq(h->error, "", "console problems do not stop polling: %s", h->error);
	cr_assert(has_error(&inv, "racktop/console-ssh: expected [user@]host[:port], got me@host:99999"));
	cr_assert(has_error(&inv, "racktop/console: expected ssh or sol, got telnet"));
	cr_assert(has_error(&inv, "racktop/sol-workarounds: unknown workaround \"nope\""));
	cr_assert(has_error(&inv, "racktop/console-reconnect: expected true or false, got sometimes"));
	cr_assert_eq(host(&inv, "plain")->console_ssh_host[0], '\0');
	inventory_free(&inv);
}

Test(generated, bounds)
{
	struct inventory inv;
	char *text, *big = malloc(5001), *deep = malloc(200), *p, *e;
	size_t i;

	memset(big, 'x', 5000);
	big[5000] = '\0';
	for (i = 0; i < 70; i++)
		deep[i] = '[';
	deep[70] = '\0';
	/* A long userdata is fine (never read); a long host is not. */
	text = xfmt("apiVersion: tinkerbell.org/v1alpha1\nkind: Hardware\nmetadata:\n  name: hw\n"
		    "spec:\n  userData: %s\n---\n" MACHINE("m", "    host: %s\n")
		    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: %s\n",
		    big, big, deep);
	load_text(text, &inv, &p);
	dump_errors(&inv);
	cr_assert_eq(inv.nhosts, 2);
	cr_assert_str_eq(host(&inv, "hw")->error, "no BMC: Hardware has no spec.bmcRef");
	cr_assert_str_eq(host(&inv, "m")->error, "Machine default/m: spec.connection.host: longer than 4096 bytes");
	e = xfmt("%s:20: nesting deeper than 64 levels; the deeper part is ignored", p);
	assert_error(&inv, e);
	inventory_free(&inv);
	free(e);
	free(p);
	free(text);
	free(big);
	free(deep);
}

Test(generated, file_over_64_mib_is_refused)
{
	struct inventory inv;
	char *dir = tempdir(), *p = xfmt("%s/huge.yaml", dir), *e = xfmt("%s: larger than 64 MiB; not loaded", p);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);

	/* Sparse: costs no disk. */
	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, (64 << 20) + 1), 0);
	close(fd);
	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	cr_assert_eq(inv.nhosts, 0);
	cr_assert_eq(inv.nerrors, 1);
	cr_assert_str_eq(inv.errors[0], e);
	inventory_free(&inv);
	unlink(p);
	rmdir(dir);
	free(dir);
	free(p);
	free(e);
}

Test(generated, aliases_and_odd_documents)
{
	struct inventory inv;
	char *p, *e;
	/* Anchors are shared, not copied: a "billion laughs" costs nothing.
	 * A self-containing alias is refused, not followed forever. */
	const char *text =
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"---\n"
		"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata: &md\n  name: shared\n"
		"spec:\n  connection: {host: 10.2.0.1, insecureTLS: true}\n"
		"---\n"
		"- &loop [*loop]\n"
		"---\n"
		"just a string\n"
		"---\n"
		"apiVersion: tinkerbell.org/v1alpha2\nkind: Hardware\nmetadata: {name: future}\n";

	load_text(text, &inv, &p);
	dump_errors(&inv);
	cr_assert_eq(inv.nhosts, 1);
	cr_assert_str_eq(inv.hosts[0].name, "shared");
	e = xfmt("%s:1: not a Kubernetes object (apiVersion or kind missing)", p);
	assert_error(&inv, e);
	free(e);
	e = xfmt("%s:14: alias *loop refers to a node that contains it", p);
	assert_error(&inv, e);
	free(e);
	e = xfmt("%s:16: expected a Kubernetes object (a mapping), got a string", p);
	assert_error(&inv, e);
	free(e);
	e = xfmt("%s:18: Hardware: apiVersion tinkerbell.org/v1alpha2 is not supported (expected tinkerbell.org/v1alpha1)", p);
	assert_error(&inv, e);
	free(e);
	inventory_free(&inv);
	free(p);
}

Test(generated, ten_thousand_hosts)
{
	char *dir = tempdir(), *p = xfmt("%s/fleet.yaml", dir);
	FILE *f = fopen(p, "w");
	struct inventory inv;
	int i;

	cr_assert_not_null(f);
	for (i = 0; i < 10000; i++)
		fprintf(f,
			"apiVersion: tinkerbell.org/v1alpha1\nkind: Hardware\nmetadata:\n  name: node-%05d\n"
			"  namespace: fleet\nspec:\n  bmcRef:\n    apiGroup: bmc.tinkerbell.org\n    kind: Machine\n"
			"    name: bmc-%05d\n  interfaces:\n  - dhcp:\n      mac: 02:00:00:00:%02x:%02x\n"
			"      ip: {address: 10.1.%d.%d}\n---\n"
			"apiVersion: bmc.tinkerbell.org/v1alpha1\nkind: Machine\nmetadata:\n  name: bmc-%05d\n"
			"  namespace: fleet\nspec:\n  connection:\n    host: 10.0.%d.%d\n    insecureTLS: true\n"
			"    authSecretRef: {name: fleet-creds, namespace: fleet}\n---\n",
			i, i, i / 256, i % 256, i / 256, i % 256, i, i / 256, i % 256);
	fprintf(f, "apiVersion: v1\nkind: Secret\nmetadata: {name: fleet-creds, namespace: fleet}\n"
		   "data: {username: cm9vdA==, password: cGFzcw==}\n");
	cr_assert_eq(fclose(f), 0);

	/* How long this takes is tests/bench/bench_inventory's to say
	 * (doc/benchmarks.md): a timed assert fails on a busy machine. */
	cr_assert_eq(inventory_load(p, NULL, &inv), 0);
	cr_assert_eq(inv.nerrors, 0);
	cr_assert_eq(inv.nhosts, 10000);
	cr_assert_str_eq(inv.hosts[9999].name, "node-09999");
	cr_assert_str_eq(inv.hosts[9999].address, "10.0.39.15");
	cr_assert_str_eq(inv.hosts[9999].password, "pass");
	cr_assert_str_eq(inv.hosts[0].cred_ref, "Secret fleet/fleet-creds");
	inventory_free(&inv);
	unlink(p);
	rmdir(dir);
	free(dir);
	free(p);
}

/* ---- the credentials file ---- */

static const char *creds_fleet =
	MACHINE("bmc-a", "    host: 10.3.0.1\n    authSecretRef: {name: absent}\n")
	MACHINE("bmc-b", "    host: 10.3.0.2\n")
	MACHINE("bmc-c", "    host: 10.3.0.3\n")
	"apiVersion: tinkerbell.org/v1alpha1\nkind: Hardware\nmetadata: {name: no-bmc}\n";

Test(credentials, private_file_fills_hosts)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir), *ref = xfmt("credentials file %s", c);
	char err[512];

	write_file(c,
		   "# host user password\n\n"
		   "bmc-b   operator   pass with spaces  \n"
		   "*       admin      Fallback#1\n"
		   "default/bmc-c  ops  c-pass\n",
		   0600);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_str_eq(host(&inv, "bmc-a")->error, "Secret default/absent (authSecretRef) not found in the manifests");
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), 0, "%s", err);
	/* bmc-a's Secret is missing: the file fills it and clears the error. */
	cr_assert_str_eq(host(&inv, "bmc-a")->username, "admin");
	cr_assert_str_eq(host(&inv, "bmc-a")->password, "Fallback#1");
	cr_assert_str_eq(host(&inv, "bmc-a")->error, "");
	cr_assert_str_eq(host(&inv, "bmc-a")->cred_ref, ref);
	/* A host's own line beats "*", whatever the order. */
	cr_assert_str_eq(host(&inv, "bmc-b")->username, "operator");
	cr_assert_str_eq(host(&inv, "bmc-b")->password, "pass with spaces");
	cr_assert_str_eq(host(&inv, "bmc-c")->username, "ops");
	/* No BMC, nothing to log in to. */
	cr_assert_null(host(&inv, "no-bmc")->username);
	cr_assert_str_eq(host(&inv, "no-bmc")->error, "no BMC: Hardware has no spec.bmcRef");
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
	free(ref);
}

Test(credentials, does_not_replace_secret)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir), *p = data("inventory/fleet.yaml");
	char err[512];

	write_file(c, "* other other-pass\n", 0600);
	cr_assert_eq(inventory_load(p, c, &inv), 0);
	cr_assert_str_eq(host(&inv, "gpu-01")->password, "s3cr3t-pass");
	cr_assert_str_eq(host(&inv, "gpu-01")->cred_ref, "Secret tink-system/bmc-creds");
	cr_assert_str_eq(host(&inv, "gpu-02")->password, "other-pass");
	cr_assert_null(host(&inv, "spare-01")->password);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), 0);
	cr_assert_str_eq(host(&inv, "gpu-01")->password, "s3cr3t-pass");
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
	free(p);
}

Test(credentials, readable_by_others_is_refused)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir), *p = data("inventory/fleet.yaml");
	char *want = xfmt("credentials file %s is readable by group or others (mode 0644); run: chmod 600 %s", c, c);
	char err[512];

	write_file(c, "* admin Hunter2-secret\n", 0644);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert_str_eq(err, want);
	cr_assert_null(host(&inv, "bmc-b")->username);
	inventory_free(&inv);

	/* Through inventory_load too: refused, said in errors, never filled. */
	cr_assert_eq(inventory_load(p, c, &inv), -1);
	assert_error(&inv, want);
	cr_assert_null(host(&inv, "gpu-02")->password);
	assert_no_secret_in_errors(&inv, "Hunter2-secret");
	inventory_free(&inv);

	cr_assert_eq(chmod(c, 0640), 0);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "(mode 0640)"));
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
	free(p);
	free(want);
}

/* A FIFO as the credentials file: an error at once, not a racktop
 * blocked in open() (the timeout fails a hang). */
Test(credentials, fifo_is_refused_promptly, .timeout = 10)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir);
	char err[512] = "";

	cr_assert_eq(mkfifo(c, 0600), 0);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert(strstr(err, c) && strstr(err, "not a regular file"), "%s", err);
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
}

/* Root reading another user's 0600 file: that user chose the passwords,
 * not the operator. Refused, saying whose it is (needs root to set up). */
Test(credentials, owned_by_another_user_is_refused)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir);
	char err[512] = "";

	if (getuid() != 0)
		cr_skip_test("needs root to give the file away");
	write_file(c, "* admin Hunter2-secret\n", 0600);
	cr_assert_eq(chown(c, 65534, 65534), 0);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert(strstr(err, c) && strstr(err, "uid 65534"), "%s", err);
	cr_assert_null(host(&inv, "bmc-b")->username);
	cr_assert_null(strstr(err, "Hunter2"));
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
}

Test(credentials, bad_line_names_file_and_line)
{
	struct inventory inv;
	char *dir = tempdir(), *c = xfmt("%s/creds", dir), *want = xfmt("%s:3: expected NAME USERNAME PASSWORD", c);
	char err[512];

	write_file(c, "bmc-a admin Sup3r-Secret-Pw\n# comment\nbmc-b Sup3r-Secret-Pw\n", 0600);
	load_text(creds_fleet, &inv, NULL);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert_str_eq(err, want);
	cr_assert_null(strstr(err, "Sup3r"));
	/* A file with a mistake fills nothing. */
	cr_assert_null(host(&inv, "bmc-a")->username);
	inventory_free(&inv);

	free(want);
	want = xfmt("credentials file %s/none: No such file or directory", dir);
	load_text(creds_fleet, &inv, NULL);
	free(c);
	c = xfmt("%s/none", dir);
	cr_assert_eq(inventory_load_credentials(&inv, c, err, sizeof err), -1);
	cr_assert_str_eq(err, want);
	inventory_free(&inv);
	rm_tree(dir);
	free(dir);
	free(c);
	free(want);
}

Test(credentials, secret_values_never_in_errors)
{
	struct inventory inv;

	/* base64 of "Leaky-Pass-42" with a bad character in the middle. */
	load_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
		  "data: {username: YWRtaW4=, password: \"TGVha3ktUGFz*y00Mg==\"}\n---\n"
		  "apiVersion: v1\nkind: Secret\nmetadata: {name: t}\n"
		  "stringData: {username: admin, password: {nested: Leaky-Pass-42}}\n---\n"
		  MACHINE("m", "    host: 10.4.0.1\n    authSecretRef: {name: s}\n"),
		  &inv, NULL);
	dump_errors(&inv);
	cr_assert_eq(inv.nerrors, 2);
	cr_assert_str_eq(host(&inv, "m")->error, "Secret default/s (authSecretRef): data.password: not valid base64");
	assert_no_secret_in_errors(&inv, "TGVha3ktUGFz");
	assert_no_secret_in_errors(&inv, "Leaky-Pass");
	inventory_free(&inv);
}

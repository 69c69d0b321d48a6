/* Kubernetes mode without a server: the fleet store's runtime hosts
 * (gone, revive, source status), the kubeconfig and v1alpha1 decoding. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet.h"
#include "json_yajl.h"
#include "kube_int.h"
#include "kubeconfig.h"
#include "workflow.h"

Test(kube_fleet, remove_and_revive_keep_the_index)
{
	struct fleet *f = fleet_new();
	struct fleet_snapshot snap = { 0 };
	size_t a = fleet_host_add(f, "a", "", FLEET_PROTO_REDFISH, "");
	size_t b = fleet_host_add(f, "b", "", FLEET_PROTO_REDFISH, "");
	uint64_t v;

	fleet_snapshot_take(f, &snap);
	cr_assert(!snap.hosts[a].gone);
	v = fleet_version(f);
	fleet_host_remove(f, b);
	cr_assert_gt(fleet_version(f), v);
	cr_assert_eq(fleet_snapshot_take(f, &snap), 1);
	cr_assert(snap.hosts[b].gone);
	cr_assert(!snap.hosts[a].gone);
	/* The same name comes back at the same index, with its new BMC. */
	cr_assert_eq(fleet_host_revive(f, -1, "b", "10.0.0.9", FLEET_PROTO_IPMI, "Secret x/y"), b);
	fleet_snapshot_take(f, &snap);
	cr_assert(!snap.hosts[b].gone);
	cr_assert_str_eq(snap.hosts[b].bmc, "10.0.0.9");
	cr_assert_eq(snap.hosts[b].protocol, FLEET_PROTO_IPMI);
	/* A new name is a new host. */
	cr_assert_eq(fleet_host_revive(f, -1, "c", "", FLEET_PROTO_REDFISH, ""), 2);
	cr_assert_eq(fleet_host_count(f), 3);
	/* A right hint is taken, a wrong or stale one is only a hint. */
	cr_assert_eq(fleet_host_revive(f, 2, "c", "x", FLEET_PROTO_REDFISH, ""), 2);
	cr_assert_eq(fleet_host_revive(f, 0, "c", "x", FLEET_PROTO_REDFISH, ""), 2);
	cr_assert_eq(fleet_host_revive(f, 77, "a", "", FLEET_PROTO_REDFISH, ""), a);
	fleet_host_remove(f, 99);   /* out of range: nothing */
	fleet_snapshot_free(&snap);
	fleet_free(f);
}

Test(kube_fleet, source_status)
{
	struct fleet *f = fleet_new();
	char buf[64];
	uint64_t v;

	cr_assert_eq(fleet_source_status(f, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
	v = fleet_version(f);
	fleet_set_source_status(f, "kube: watch broken since 12:01:03: \x1b[31mrefused");
	cr_assert_gt(fleet_version(f), v);
	cr_assert_eq(fleet_source_status(f, buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "kube: watch broken since 12:01:03: [31mrefused");
	v = fleet_version(f);
	fleet_set_source_status(f, "kube: watch broken since 12:01:03: \x1b[31mrefused");
	cr_assert_eq(fleet_version(f), v, "an unchanged status is no change");
	fleet_set_source_status(f, NULL);
	cr_assert_eq(fleet_source_status(f, buf, sizeof(buf)), 0);
	fleet_free(f);
}

static char kc_dir[] = "/tmp/racktop-kc-XXXXXX";

static const char *kc_write(const char *name, const char *text)
{
	static char path[256];
	static bool made;
	FILE *fp;

	if (!made)
		cr_assert_not_null(mkdtemp(kc_dir));
	made = true;
	snprintf(path, sizeof(path), "%s/%s", kc_dir, name);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static const char *kc_text =
	"apiVersion: v1\nkind: Config\n"
	"clusters:\n"
	"- name: c1\n  cluster: {server: \"https://127.0.0.1:6443/\", certificate-authority: ca.crt}\n"
	"- name: bad\n  cluster: {server: \"https://x\", insecure-skip-tls-verify: true}\n"
	"- name: plain\n  cluster: {server: \"http://x\"}\n"
	"users:\n"
	"- name: tok\n  user: {token: s3cret}\n"
	"- name: file\n  user: {tokenFile: tok.txt}\n"
	"- name: cert\n  user: {client-certificate-data: aGVsbG8=, client-key-data: a2V5}\n"
	"- name: half\n  user: {client-certificate: c.pem}\n"
	"contexts:\n"
	"- name: a\n  context: {cluster: c1, user: tok, namespace: ns1}\n"
	"- name: f\n  context: {cluster: c1, user: file}\n"
	"- name: c\n  context: {cluster: c1, user: cert}\n"
	"- name: h\n  context: {cluster: c1, user: half}\n"
	"- name: i\n  context: {cluster: bad, user: tok}\n"
	"- name: p\n  context: {cluster: plain, user: tok}\n"
	"- name: m\n  context: {cluster: missing, user: tok}\n"
	"current-context: a\n";

Test(kubeconfig, contexts_users_and_refusals)
{
	struct kubeconfig kc;
	char err[512];
	const char *path;

	kc_write("tok.txt", "from-file\n");
	path = kc_write("config", kc_text);
	cr_assert_eq(kubeconfig_load(path, NULL, &kc, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(kc.context, "a");
	cr_assert_str_eq(kc.server, "https://127.0.0.1:6443");
	cr_assert_str_eq(kc.namespace_, "ns1");
	cr_assert_str_eq(kc.token, "s3cret");
	cr_assert(strstr(kc.ca_file, "/ca.crt") && kc.ca_file[0] == '/', "%s", kc.ca_file);
	kubeconfig_free(&kc);

	cr_assert_eq(kubeconfig_load(path, "f", &kc, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(kc.token, "from-file");
	kubeconfig_free(&kc);

	cr_assert_eq(kubeconfig_load(path, "c", &kc, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(kc.cert_len, 5);
	cr_assert_eq(memcmp(kc.cert_data, "hello", 5), 0);
	cr_assert_eq(kc.key_len, 3);
	cr_assert_null(kc.token);
	kubeconfig_free(&kc);

	cr_assert_eq(kubeconfig_load(path, "h", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "needs its key"), "%s", err);
	cr_assert_eq(kubeconfig_load(path, "i", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "insecure-skip-tls-verify"), "%s", err);
	cr_assert_eq(kubeconfig_load(path, "p", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "https://"), "%s", err);
	cr_assert_eq(kubeconfig_load(path, "m", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "'missing'"), "%s", err);
	cr_assert_eq(kubeconfig_load(path, "nope", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "no context named 'nope'") && strstr(err, "/config"), "%s", err);
	cr_assert_null(strstr(err, "s3cret"));
	unlink(path);
	unlink(kc_write("tok.txt", ""));
	rmdir(kc_dir);
}

/* Found by fuzzing: a server URL with no host, and a token whose CR LF
 * would have added headers to every request ("Authorization: Bearer
 * abc\r\nX-Evil: 1"), from the file or from a tokenFile. */
Test(kubeconfig, no_host_and_header_injection_refused)
{
	struct kubeconfig kc;
	char err[512], path[256];

	snprintf(path, sizeof(path), "%s", kc_write("config", "clusters:\n- name: c\n  cluster: {server: \"https:///\"}\n"
				  "- name: ok\n  cluster: {server: \"https://h/\"}\n"
				  "users:\n- name: u\n  user: {token: \"abc\\r\\nX-Evil: 1\"}\n"
				  "- name: f\n  user: {tokenFile: tok.txt}\n"
				  "contexts:\n- name: a\n  context: {cluster: c}\n"
				  "- name: b\n  context: {cluster: ok, user: u}\n"
				  "- name: d\n  context: {cluster: ok, user: f}\n"
				  "current-context: a\n"));
	cr_assert_eq(kubeconfig_load(path, NULL, &kc, err, sizeof(err)), -1, "%s", kc.server);
	cr_assert(strstr(err, "server URL has no host"), "%s", err);
	cr_assert_eq(kubeconfig_load(path, "b", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "token holds a space or control character"), "%s", err);
	cr_assert_null(strstr(err, "Evil"), "%s", err);
	kc_write("tok.txt", "abc\r\nX-Evil: 1\n");
	cr_assert_eq(kubeconfig_load(path, "d", &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, "token file ") && strstr(err, "control character"), "%s", err);
	cr_assert_null(strstr(err, "Evil"), "%s", err);
	/* A token file's own last line end is fine. */
	kc_write("tok.txt", "from-file\r\n");
	cr_assert_eq(kubeconfig_load(path, "d", &kc, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(kc.token, "from-file");
	kubeconfig_free(&kc);
	unlink(path);
	unlink(kc_write("tok.txt", ""));
	rmdir(kc_dir);
}

/* A kubeconfig's names reach messages cleaned: an escape sequence in a
 * context, cluster or user name never gets to the terminal (stderr). */
Test(kubeconfig, control_bytes_never_reach_a_message)
{
	struct kubeconfig kc;
	char err[512];
	const char *path;
	/* YAML's "\e" is ESC, "\a" BEL: an OSC retitle and a screen clear. */
	static const char *const texts[] = {
		"current-context: \"evil\\e]0;owned\\a\\e[2J\"\n"
		"contexts:\n- name: \"evil\\e]0;owned\\a\\e[2J\"\n  context: not-a-mapping\n",
		"current-context: a\n"
		"contexts:\n- name: a\n  context: {cluster: \"c\\e[31m\", user: u}\n"
		"clusters:\n- name: \"c\\e[31m\"\n  cluster: 5\n",
		"current-context: a\n"
		"contexts:\n- name: a\n  context: {cluster: c, user: \"u\\e[31m\"}\n"
		"clusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\n"
		"users:\n- name: \"u\\e[31m\"\n  user: [1]\n",
		"current-context: \"gone\\e[31m\"\ncontexts: []\n",
	};
	static const char *const want[] = { "has no context mapping", "is not in clusters",
					     "is not in users", "no context named" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		path = kc_write("esc", texts[i]);
		err[0] = '\0';
		cr_assert_eq(kubeconfig_load(path, NULL, &kc, err, sizeof(err)), -1, "text %zu loaded", i);
		cr_assert(strstr(err, want[i]), "text %zu: %s", i, err);
		for (const char *p = err; *p; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f,
				  "text %zu: control byte 0x%02x in: %s", i, (unsigned char)*p, err);
	}
	unlink(path);
	rmdir(kc_dir);
}

/* A FIFO as the kubeconfig or its token file: an error at once, never a
 * racktop blocked in open() (the timeout fails a hang). */
Test(kubeconfig, fifo_is_refused_promptly, .timeout = 10)
{
	struct kubeconfig kc;
	char err[512] = "", fifo[300];
	const char *path;

	path = kc_write("config", "current-context: a\n"
			"contexts:\n- name: a\n  context: {cluster: c, user: u}\n"
			"clusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\n"
			"users:\n- name: u\n  user: {tokenFile: tok}\n");
	snprintf(fifo, sizeof(fifo), "%s/tok", kc_dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(kubeconfig_load(path, NULL, &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, fifo) && strstr(err, "not a regular file"), "%s", err);
	unlink(path);
	cr_assert_eq(rename(fifo, path), 0);
	err[0] = '\0';
	cr_assert_eq(kubeconfig_load(path, NULL, &kc, err, sizeof(err)), -1);
	cr_assert(strstr(err, path) && strstr(err, "not a regular file"), "%s", err);
	unlink(path);
	rmdir(kc_dir);
}

static json_t *load(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	cr_assert_not_null(j, "%s", s);
	return j;
}

Test(kube_decode, machine_power_and_contactable)
{
	struct kube_obj o = { 0 };
	char err[256];
	json_t *j = load("{\"metadata\":{\"name\":\"m1\",\"namespace\":\"ns\",\"annotations\":"
			 "{\"racktop/scheme\":\"http\"}},"
			 "\"spec\":{\"connection\":{\"host\":\"10.0.0.5\",\"port\":8000,"
			 "\"insecureTLS\":true,\"authSecretRef\":"
			 "{\"name\":\"s\",\"namespace\":\"ns\"},\"providerOptions\":{\"ipmitool\":{}}}},"
			 "\"status\":{\"powerState\":\"off\",\"conditions\":[{\"type\":\"Contactable\","
			 "\"status\":\"False\",\"message\":\"dial tcp: \\u001b[2Jtimeout\"}]}}");

	cr_assert_eq(kube_decoder_v1alpha1.decode(KUBE_MACHINE, j, &o, err, sizeof(err)), 0);
	cr_assert_str_eq(o.name, "m1");
	cr_assert_str_eq(o.address, "10.0.0.5");
	cr_assert_str_eq(o.secret, "Secret ns/s");
	cr_assert_eq(o.port, 8000);
	cr_assert(o.insecure_tls);
	cr_assert(o.plain_http);
	cr_assert_eq(o.protocol, FLEET_PROTO_IPMI);
	cr_assert_eq(o.power, FLEET_POWER_OFF);
	cr_assert_eq(o.contactable, 0);
	cr_assert_str_eq(o.message, "dial tcp: [2Jtimeout");
	json_decref(j);
	/* Wrong types are left empty, not guessed. */
	memset(&o, 0, sizeof(o));
	j = load("{\"metadata\":{\"name\":\"m2\"},\"spec\":{\"connection\":{\"host\":5}},"
		 "\"status\":{\"powerState\":true,\"conditions\":{}}}");
	cr_assert_eq(kube_decoder_v1alpha1.decode(KUBE_MACHINE, j, &o, err, sizeof(err)), 0);
	cr_assert_str_eq(o.address, "");
	cr_assert_eq(o.port, 0);
	cr_assert(!o.insecure_tls && !o.plain_http);
	cr_assert_eq(o.power, FLEET_POWER_UNKNOWN);
	cr_assert_eq(o.contactable, -1);
	json_decref(j);
	j = load("{\"metadata\":{}}");
	cr_assert_eq(kube_decoder_v1alpha1.decode(KUBE_HARDWARE, j, &o, err, sizeof(err)), -1);
	json_decref(j);
}

Test(kube_decode, workflow_states_and_job_conditions)
{
	struct kube_obj *o = calloc(1, sizeof(*o));
	char err[256];
	json_t *j = load("{\"metadata\":{\"name\":\"wf\",\"namespace\":\"default\"},"
			 "\"spec\":{\"templateRef\":\"debian\",\"hardwareRef\":\"sm01\"},"
			 "\"status\":{\"state\":\"STATE_RUNNING\",\"currentState\":{\"taskName\":\"os\","
			 "\"actionName\":\"stream\"},\"tasks\":[{\"name\":\"os\",\"agentID\":\"3c:ec\","
			 "\"actions\":[{\"id\":\"1\",\"name\":\"stream\",\"state\":\"SUCCESS\"},"
			 "{\"id\":\"2\",\"name\":\"kexec\",\"state\":\"STATE_PENDING\"}]}]}}");

	cr_assert_eq(kube_decoder_v1alpha1.decode(KUBE_WORKFLOW, j, o, err, sizeof(err)), 0);
	cr_assert_str_eq(o->wf.state, "RUNNING");
	cr_assert_str_eq(o->wf.template_ref, "debian");
	cr_assert_str_eq(o->wf.current_action, "stream");
	cr_assert_eq(o->wf.ntasks, 1);
	cr_assert_str_eq(o->wf.tasks[0].worker, "3c:ec");
	cr_assert_eq(o->wf.tasks[0].nactions, 2);
	cr_assert_str_eq(o->wf.tasks[0].actions[0].state, "SUCCESS");
	cr_assert_str_eq(o->wf.tasks[0].actions[1].state, "PENDING");
	kube_obj_free(o);
	json_decref(j);

	o = calloc(1, sizeof(*o));
	j = load("{\"metadata\":{\"name\":\"j\"},\"status\":{\"conditions\":["
		 "{\"type\":\"Running\",\"status\":\"True\"},"
		 "{\"type\":\"Failed\",\"status\":\"True\",\"message\":\"bmc said no\"}]}}");
	cr_assert_eq(kube_decoder_v1alpha1.decode(KUBE_JOB, j, o, err, sizeof(err)), 0);
	cr_assert_eq(o->job_state, 2);
	cr_assert_str_eq(o->message, "bmc said no");
	kube_obj_free(o);
	json_decref(j);
}

/* The cluster's Workflow as the workflow view's run: states as sent
 * (an unknown word kept in the message), progress, elapsed from the
 * actions' times, the first failure's message, the current action. */
Test(kube_wfrun, workflow_as_a_run)
{
	struct kube_wf_action acts[3] = {
		{ .name = "stream", .image = "image2disk:v1", .state = "SUCCESS",
		  .started = "2026-01-01T10:00:00Z", .duration = "1m30s" },
		{ .name = "kexec", .image = "kexec:v1", .state = "FAILED",
		  .started = "2026-01-01T10:01:30.250Z", .duration = "12", .message = "no kernel" },
		{ .name = "reboot", .state = "WEIRD" },
	};
	struct kube_wf_task task = { .name = "os", .worker = "3c:ec", .nactions = 3,
				     .actions = acts };
	struct kube_workflow w = { .namespace_ = "default", .name = "wf-a", .template_ref = "t1",
				   .hardware_ref = "hw1", .state = "FAILED",
				   .current_task = "os", .current_action = "kexec",
				   .created = "2026-01-01T09:59:00Z", .host = 3,
				   .ntasks = 1, .tasks = &task };
	struct wf_run r;
	size_t done, total;

	cr_assert_eq(kube_wf_seconds("1m30s"), 90);
	cr_assert_eq(kube_wf_seconds("1h2m3.5s"), 3723);
	cr_assert_eq(kube_wf_seconds("250ms"), 0);
	cr_assert_eq(kube_wf_seconds("42"), 42);
	cr_assert_eq(kube_wf_seconds("soon"), -1);
	cr_assert_eq(kube_wf_seconds("5x"), -1);
	cr_assert_eq(kube_wf_seconds(""), -1);
	cr_assert_eq(kube_wf_time("1970-01-01T00:01:00Z"), 60);
	cr_assert_eq(kube_wf_time("yesterday"), 0);

	cr_assert_eq(kube_wf_to_run(&w, "default/hw1", &r), 0);
	cr_assert_str_eq(r.id, "default/wf-a");
	cr_assert_str_eq(r.host, "default/hw1");
	cr_assert_eq(r.host_idx, 3);
	cr_assert_str_eq(r.origin, "cluster");
	cr_assert_eq(r.state, WF_FAILED);
	cr_assert_str_eq(r.message, "os/kexec: no kernel");
	cr_assert_eq(r.tasks[0].state, WF_FAILED);
	cr_assert_eq(r.tasks[0].actions[0].state, WF_SUCCESS);
	cr_assert_eq(r.tasks[0].actions[2].state, WF_PENDING);
	cr_assert_str_eq(r.tasks[0].actions[2].message, "state WEIRD");
	wf_run_progress(&r, &done, &total);
	cr_assert_eq(done, 1);
	cr_assert_eq(total, 3);
	/* 10:00:00 to 10:01:42 */
	cr_assert_eq(r.stopped - r.started, 102);
	cr_assert_eq(r.cur_action, 1);
	wf_run_free(&r);

	/* No host in the fleet: its hardwareRef; no status yet: PENDING,
	 * nothing elapsed. */
	w.host = -1;
	w.ntasks = 0;
	w.state[0] = '\0';
	cr_assert_eq(kube_wf_to_run(&w, NULL, &r), 0);
	cr_assert_str_eq(r.host, "hw1");
	cr_assert_eq(r.host_idx, (size_t)-1);
	cr_assert_eq(r.state, WF_PENDING);
	cr_assert_eq(r.started, 0);
	cr_assert_str_eq(r.message, "");
	wf_run_free(&r);
}

/* Two namespaces' Hardware of one name are two hosts named NS/NAME, the
 * two parts cut to fit a row: at a character, so that kube_host_name()
 * (the workflow view's, the direct BMC read's) is the fleet's own name,
 * valid UTF-8 (fuzz_kube_decode). */
Test(kube_hosts, repeated_names_cut_at_a_character)
{
	static const char *const cfgtext =
		"apiVersion: v1\nkind: Config\n"
		"clusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\n"
		"users:\n- name: u\n  user: {token: t}\n"
		"contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
		"current-context: x\n";
	struct kube_config cfg = { .kubeconfig = kc_write("config-names", cfgtext) };
	struct fleet *f = fleet_new();
	struct fleet_snapshot snap = { 0 };
	struct kube_xfer x = { 0 };
	char err[512], list[1024], e15[64] = "", e30[128] = "", want[2][FLEET_STR];
	struct kube *k = kube_new(f, &cfg, err, sizeof(err));
	int seen = 0;

	cr_assert(k, "%s", err);
	for (int i = 0; i < 15; i++)
		strcat(e15, "\xc3\xa9");
	for (int i = 0; i < 30; i++)
		strcat(e30, "\xc3\xa9");
	/* "a" and 15 e-acute: 31 bytes, cut at 20; "x" and 30: 61, cut at 42. */
	snprintf(list, sizeof(list),
		 "{\"items\": [{\"metadata\": {\"namespace\": \"a%s\", \"name\": \"x%s\"}},"
		 " {\"metadata\": {\"namespace\": \"b\", \"name\": \"x%s\"}}]}", e15, e30, e30);
	snprintf(want[0], sizeof(want[0]), "a%.18s/x%.40s", e15, e30);
	snprintf(want[1], sizeof(want[1]), "b/x%.40s", e30);
	x.k = k;
	x.arg = &k->watch[KUBE_HARDWARE];
	snprintf(x.url, sizeof(x.url), "https://127.0.0.1:1/apis/tinkerbell.org/v1alpha1/hardware");
	x.resp = list;
	x.len = strlen(list);
	k->watch[KUBE_HARDWARE].state = KUBE_WATCH_LISTING;
	kube_watch_list_done(k, &x, CURLE_OK, 200);
	fleet_snapshot_take(f, &snap);
	/* The first one listed was named x... alone, then renamed: a row
	 * gone, two new ones. */
	for (size_t i = 0; i < snap.nhosts; i++) {
		char name[FLEET_STR];

		if (snap.hosts[i].gone)
			continue;
		cr_assert_eq(kube_host_name(k, i, name, sizeof(name)), 0);
		cr_expect_str_eq(name, snap.hosts[i].name, "host %zu", i);
		cr_expect(!strcmp(name, want[0]) || !strcmp(name, want[1]), "host %zu: %s", i, name);
		seen++;
	}
	cr_expect_eq(seen, 2);
	fleet_snapshot_free(&snap);
	kube_free(k);
	fleet_free(f);
	unlink(cfg.kubeconfig);
	rmdir(kc_dir);
}

/* What the API server answered, parsed or refused with the URL and the
 * place: a list page cut short, an HTML error page from a proxy, a
 * body that is JSON but no object. */
Test(kube_answer, invalid_json_says_url_and_where)
{
	const char *url = "https://127.0.0.1:6443/apis/tinkerbell.org/v1alpha1/hardware?limit=500";
	const char *cut = "{\"kind\": \"HardwareList\",\n \"items\": [{\"metadata\": {\"name\": \"n1\"";
	const char *html = "<html><body>502 Bad Gateway</body></html>";
	char why[FLEET_ERR];
	json_t *j;

	j = json_yajl_answer(url, "{\"items\": []}", 13, 0, why, sizeof(why));
	cr_assert(j);
	cr_expect(json_is_array(json_object_get(j, "items")));
	json_decref(j);

	why[0] = '\0';
	cr_expect_null(json_yajl_answer(url, cut, strlen(cut), 0, why, sizeof(why)));
	cr_expect(strstr(why, url) == why, "%s", why);
	cr_expect(strstr(why, "invalid JSON at line 2 column"), "%s", why);

	cr_expect_null(json_yajl_answer(url, html, strlen(html), 0, why, sizeof(why)));
	cr_expect(strstr(why, "invalid JSON at line 1 column"), "%s", why);

	cr_expect_null(json_yajl_answer(url, "[1, 2]", 6, 0, why, sizeof(why)));
	cr_expect(strstr(why, "not a JSON object"), "%s", why);

	cr_expect_null(json_yajl_answer(url, NULL, 0, 0, why, sizeof(why)));
	cr_expect(strstr(why, "empty answer"), "%s", why);
}

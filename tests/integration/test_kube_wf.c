/* The kube client's Workflow store against a real kube-apiserver: a
 * Workflow created after start appears in kube_workflows_snapshot with
 * its Hardware's host, and a status patch (the Tinkerbell controller's
 * part, played here) shows per-task and per-action states; Templates
 * are listed. One server for the program (../shared/kube-apiserver). */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "kube.h"

static char dir[] = "/tmp/racktop-kwf-XXXXXX";
static char env_file[300];

static void sh(const char *script)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), ". %s && . \"$RACKTOP_SRCDIR/tests/integration/kube_lib.sh\" && %s",
		 env_file, script);
	cr_assert_eq(system(cmd), 0, "%s", script);
}

static void setup(void)
{
	char cmd[1024];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(env_file, sizeof(env_file), "%s/env.sh", dir);
	snprintf(cmd, sizeof(cmd),
		 ". \"$RACKTOP_SRCDIR/tests/integration/kube_lib.sh\" && kube_start %s/k8s && "
		 "{ echo \"KUBE_STATEDIR='$KUBE_STATEDIR'; KUBECONFIG='$KUBECONFIG'; "
		 "KUBE_SERVER='$KUBE_SERVER'; KUBE_TOKEN='$KUBE_TOKEN'; export KUBECONFIG\"; } >%s",
		 dir, env_file);
	cr_assert_eq(system(cmd), 0, "kube-apiserver did not start");
}

static void teardown(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), ". %s && \"$RACKTOP_SHARED/kube-apiserver/stop.sh\" "
		 "\"$KUBE_STATEDIR\" >/dev/null 2>&1; rm -rf %s", env_file, dir);
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: %s\n", cmd);
}

/* Waits (at most 30 s) until FN(arg) holds, sleeping on the store. */
static bool wait_until(struct fleet *f, bool (*fn)(void *), void *arg)
{
	time_t end = time(NULL) + 30;

	while (time(NULL) < end) {
		struct pollfd p = { .fd = fleet_wake_fd(f), .events = POLLIN };

		if (fn(arg))
			return true;
		poll(&p, 1, 200);
		fleet_wake_drain(f);
	}
	return fn(arg);
}

struct probe {
	struct kube *k;
	const char *want_state;
};

static bool wf_has(void *arg)
{
	struct probe *p = arg;
	struct kube_workflow *w;
	size_t n;
	bool ok = false;

	kube_workflows_snapshot(p->k, &w, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i].name, "wf1") && !strcmp(w[i].state, p->want_state))
			ok = true;
	kube_workflows_free(w, n);
	return ok;
}

static bool synced(void *arg)
{
	return kube_sync_state(arg, NULL, 0) == 1;
}

Test(kube_workflows, created_then_patched, .init = setup, .fini = teardown, .timeout = 120)
{
	struct fleet *f = fleet_new();
	struct kube_config cfg = { .timeout_s = 10 };
	struct kube_workflow *w;
	struct probe p;
	char err[512], **tpl;
	size_t n, ntpl;
	uint64_t v;
	struct kube *k;

	/* KUBECONFIG for kube_new: read it from the env file. */
	FILE *fp = fopen(env_file, "r");
	char line[2048], *kc, *end;

	cr_assert_not_null(fp);
	cr_assert_not_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	kc = strstr(line, "KUBECONFIG='");
	cr_assert_not_null(kc);
	kc += 12;
	end = strchr(kc, '\'');
	*end = '\0';
	cfg.kubeconfig = kc;

	sh("kube_host default hw1 10.0.0.1 && kube_post \"$TB/default/templates\" "
	   "'{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":\"Template\","
	   "\"metadata\":{\"name\":\"debian\"},\"spec\":{\"data\":\"x\"}}'");
	k = kube_new(f, &cfg, err, sizeof(err));
	cr_assert_not_null(k, "%s", err);
	cr_assert_eq(kube_start(k), 0);
	cr_assert(wait_until(f, synced, k), "never synced");
	kube_templates(k, &tpl, &ntpl);
	cr_assert_eq(ntpl, 1);
	cr_assert_str_eq(tpl[0], "default/debian");
	free(tpl[0]);
	free(tpl);

	v = kube_workflows_version(k);
	sh("kube_post \"$TB/default/workflows\" '{\"apiVersion\":\"tinkerbell.org/v1alpha1\","
	   "\"kind\":\"Workflow\",\"metadata\":{\"name\":\"wf1\"},\"spec\":{\"templateRef\":"
	   "\"debian\",\"hardwareRef\":\"hw1\",\"hardwareMap\":{\"device_1\":\"3c:ec:ef:00:00:01\"}}}'");
	p = (struct probe){ k, "" };
	cr_assert(wait_until(f, wf_has, &p), "the Workflow never appeared");
	cr_assert_gt(kube_workflows_version(k), v);
	sh("kube_patch \"$TB/default/workflows/wf1/status\" '{\"status\":{\"state\":\"STATE_RUNNING\","
	   "\"currentState\":{\"taskName\":\"os\",\"actionName\":\"stream\"},"
	   "\"tasks\":[{\"id\":\"t1\",\"name\":\"os\",\"agentID\":\"3c:ec:ef:00:00:01\",\"actions\":["
	   "{\"id\":\"a1\",\"name\":\"stream\",\"image\":\"image2disk:v1\",\"state\":\"STATE_SUCCESS\","
	   "\"executionDuration\":\"42s\"},"
	   "{\"id\":\"a2\",\"name\":\"kexec\",\"image\":\"kexec:v1\",\"state\":\"STATE_PENDING\"}]}]}}'");
	p.want_state = "RUNNING";
	cr_assert(wait_until(f, wf_has, &p), "the status patch never showed");
	kube_workflows_snapshot(k, &w, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(w[0].namespace_, "default");
	cr_assert_str_eq(w[0].template_ref, "debian");
	cr_assert_str_eq(w[0].hardware_ref, "hw1");
	cr_assert_eq(w[0].host, 0, "hw1 is the fleet's first host");
	cr_assert_str_eq(w[0].current_action, "stream");
	cr_assert_eq(w[0].ntasks, 1);
	cr_assert_str_eq(w[0].tasks[0].worker, "3c:ec:ef:00:00:01");
	cr_assert_eq(w[0].tasks[0].nactions, 2);
	cr_assert_str_eq(w[0].tasks[0].actions[0].state, "SUCCESS");
	cr_assert_str_eq(w[0].tasks[0].actions[0].duration, "42s");
	cr_assert_str_eq(w[0].tasks[0].actions[1].state, "PENDING");
	kube_workflows_free(w, n);

	sh("kube DELETE \"$TB/default/workflows/wf1\" >/dev/null");
	p.want_state = "RUNNING";
	for (time_t until = time(NULL) + 30; wf_has(&p) && time(NULL) < until;)
		usleep(100000);
	cr_assert(!wf_has(&p), "a deleted Workflow stayed");
	kube_stop(k);
	kube_free(k);
	fleet_free(f);
}

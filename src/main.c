/* racktop: arguments, inventory, engine, then the screen or batch mode. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "batch.h"
#include "batch_action.h"
#include "batch_signal.h"
#include "batch_sweep.h"
#include "console.h"
#include "demo.h"
#include "engine.h"
#include "fleet.h"
#include "harden.h"
#include "inventory.h"
#include "kube_main.h"
#include "main_workflow.h"
#include "ui.h"

#define MAIN_DEMO_HOSTS 32

struct main_options {
	const char *path;
	const char *credentials;
	const char *cacert;
	const char *theme;
	bool demo;
	int demo_hosts;
	bool batch;
	int interval_s;
	int timeout_s;
	const char *action;       /* --action WORD (batch) */
	const char *hosts;        /* --hosts REGEX */
	bool yes;
	bool read_only;
	bool keep_marks;          /* --keep-marks: marks stay after an action */
	int action_wait_s;        /* --action-wait: a power action's state awaited this long */
	bool action_wait_given;   /* on the command line: racktop.conf's action_wait gives way */
	bool no_wait;             /* --no-wait: batch --action reports it accepted */
	const char *audit_log;
	const char *console_host;  /* --console HOST */
	struct console_config console;
	int escape_key;
	bool interval_set;        /* --interval given: batch mode sweeps */
	const char *format;       /* --format json|table (batch) */
	bool kube;                /* --kube: the picture from Kubernetes (kube_main.c) */
	const char *kube_context;
	const char *kube_namespace;
	const char *reprovision;  /* --reprovision TEMPLATE (--kube --batch) */
	struct main_wf wf;        /* -w, --workflow, --config (main_workflow.c) */
	bool allow_core_dump;     /* --allow-core-dump (harden.c) */
};

static void main_usage(FILE *out)
{
	fprintf(out,
		"Usage: racktop [OPTION]... -f PATH\n"
		"       racktop --demo\n"
		"       racktop --batch -f PATH [--hosts REGEX] [--interval N]\n"
		"       racktop --batch -f PATH --action ACTION --hosts REGEX [--yes]\n"
		MAIN_WF_USAGE
		"       racktop --kube [--context NAME] [--namespace NS] [--batch]\n"
		"Watch a GPU server fleet's BMCs (Redfish) on one screen.\n\n"
		"  -f, --file PATH          inventory: a Tinkerbell manifest file or directory\n"
		"                           (Hardware, Machine, Secret objects)\n"
		"      --demo               start racktop-sim with %d simulated servers on\n"
		"                           loopback and watch them\n"
		"      --demo-hosts N       number of simulated servers for --demo\n"
		"  -b, --batch              no screen: poll every host once, print JSON\n"
		"      --action ACTION      with --batch: run ACTION (on, off, soft, cycle,\n"
		"                           reset, pxe, disk, bios, bmc-reset, clear-log) on\n"
		"                           the hosts --hosts names; one JSON line per host\n"
		"      --hosts REGEX        hosts whose names match (POSIX extended regex);\n"
		"                           with --batch alone: print only those hosts\n"
		"  -y, --yes                act on more than one host without asking\n"
		"      --read-only          refuse every action (watch only)\n"
		"      --keep-marks         marks stay after an action (default: they clear)\n"
		"      --action-wait N      a power on/off is done when a poll sees its power;\n"
		"                           'not reached' after N seconds (default 120)\n"
		"      --no-wait            with --batch --action: report a power action once\n"
		"                           the BMC accepts it, without waiting for its state\n"
		"      --audit-log FILE     where actions are recorded (default\n"
		"                           $XDG_STATE_HOME/racktop/audit.log)\n"
		"  -c, --credentials FILE   BMC credentials file (mode 0600; see racktop(1))\n"
		"      --cacert FILE        CA certificates (PEM) to verify BMCs with\n"
		"  -i, --interval SECONDS   time between polls of a host (default 10)\n"
		"  -t, --timeout SECONDS    limit on every BMC request (default 10)\n"
		"      --theme NAME|FILE    colour theme (default, high-contrast, ...)\n"
		"      --console HOST       open straight onto HOST's serial console\n"
		"      --console-log-dir DIR  console logs (default\n"
		"                           $XDG_STATE_HOME/racktop/consoles)\n"
		"      --known-hosts FILE   SSH consoles' known hosts (default ~/.ssh/known_hosts)\n"
		"      --ssh-identity FILE  SSH consoles' private key (default: agent, ~/.ssh)\n"
		"      --escape-key KEY     console escape key, ^X form (default ^])\n"
		"      --console-reconnect  reconnect dropped SOL and SSH consoles by themselves\n"
		"      --kube               the fleet from Kubernetes (Tinkerbell Hardware,\n"
		"                           Rufio Machines) instead of polling BMCs; actions\n"
		"                           become Rufio Jobs (kubeconfig: $KUBECONFIG or\n"
		"                           ~/.kube/config)\n"
		"      --context NAME       with --kube: the kubeconfig context to use\n"
		"      --namespace NS       with --kube: one namespace (default: all)\n"
		"      --reprovision TEMPLATE  with --kube --batch --hosts: create a Workflow\n"
		"                           from TEMPLATE for each host\n"
		"      --format FORMAT      with --batch: json (default) or table\n"
		"                           (with --interval N, --batch prints every N s)\n"
		MAIN_WF_HELP
		"      --allow-core-dump    let a crash leave a core dump (off by default:\n"
		"                           it would hold the BMC passwords)\n"
		"  -h, --help               this help\n"
		"  -V, --version            version\n",
		MAIN_DEMO_HOSTS);
}

static int main_parse_int(const char *opt, const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "racktop: %s: '%s' is not a whole number from %d to %d\n",
			opt, s, min, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* The Kubernetes and batch-format options agree with the rest. */
static int main_parse_kube(const struct main_options *o)
{
	enum batch_format f;

	if (o->format && batch_format_parse(o->format, &f) < 0) {
		fprintf(stderr, "racktop: --format: '%s' is not json or table\n", o->format);
		return -1;
	}
	if (o->format && !o->batch) {
		fprintf(stderr, "racktop: --format is for --batch\n");
		return -1;
	}
	if ((o->kube_context || o->kube_namespace) && !o->kube) {
		fprintf(stderr, "racktop: --context and --namespace go with --kube\n");
		return -1;
	}
	if (o->kube && (o->path || o->demo)) {
		fprintf(stderr, "racktop: --kube reads the fleet from the cluster; leave out %s\n",
			o->demo ? "--demo" : "-f");
		return -1;
	}
	if (o->kube && o->console_host) {
		fprintf(stderr, "racktop: --console is not available with --kube\n");
		return -1;
	}
	/* A namespace is a DNS label: nothing else goes into a URL path. */
	if (o->kube_namespace && (!*o->kube_namespace || strlen(o->kube_namespace) > 63 ||
				  strspn(o->kube_namespace, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
				  strlen(o->kube_namespace))) {
		fprintf(stderr, "racktop: --namespace: '%s' is not a namespace name (lower-case "
			"letters, digits and '-', at most 63)\n", o->kube_namespace);
		return -1;
	}
	if (o->reprovision && (!o->kube || !o->batch || !o->hosts || o->action)) {
		fprintf(stderr, "racktop: --reprovision TEMPLATE goes with --kube --batch --hosts REGEX "
			"(and not --action)\n");
		return -1;
	}
	if (o->reprovision && o->read_only) {
		fprintf(stderr, "racktop: --read-only: every action is refused (--reprovision)\n");
		return -1;
	}
	if (o->interval_set && o->batch && o->action) {
		fprintf(stderr, "racktop: --interval sweeps print the fleet; leave out --action\n");
		return -1;
	}
	return 0;
}

static int main_parse(int argc, char **argv, struct main_options *o)
{
	enum { OPT_DEMO = 256, OPT_DEMO_HOSTS, OPT_CACERT, OPT_THEME, OPT_ACTION, OPT_HOSTS,
	       OPT_READ_ONLY, OPT_AUDIT_LOG, OPT_CONSOLE, OPT_CONSOLE_LOG_DIR, OPT_KNOWN_HOSTS,
	       OPT_SSH_IDENTITY, OPT_ESCAPE_KEY, OPT_KUBE, OPT_CONTEXT, OPT_NAMESPACE, OPT_FORMAT,
	       OPT_REPROVISION, OPT_CONSOLE_RECONNECT, OPT_ALLOW_CORE_DUMP,
	       OPT_KEEP_MARKS, OPT_ACTION_WAIT, OPT_NO_WAIT };
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "demo", no_argument, NULL, OPT_DEMO },
		{ "demo-hosts", required_argument, NULL, OPT_DEMO_HOSTS },
		{ "batch", no_argument, NULL, 'b' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "interval", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "action", required_argument, NULL, OPT_ACTION },
		{ "hosts", required_argument, NULL, OPT_HOSTS },
		{ "yes", no_argument, NULL, 'y' },
		{ "read-only", no_argument, NULL, OPT_READ_ONLY },
		{ "keep-marks", no_argument, NULL, OPT_KEEP_MARKS },
		{ "action-wait", required_argument, NULL, OPT_ACTION_WAIT },
		{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
		{ "audit-log", required_argument, NULL, OPT_AUDIT_LOG },
		{ "console", required_argument, NULL, OPT_CONSOLE },
		{ "console-log-dir", required_argument, NULL, OPT_CONSOLE_LOG_DIR },
		{ "known-hosts", required_argument, NULL, OPT_KNOWN_HOSTS },
		{ "ssh-identity", required_argument, NULL, OPT_SSH_IDENTITY },
		{ "escape-key", required_argument, NULL, OPT_ESCAPE_KEY },
		{ "console-reconnect", no_argument, NULL, OPT_CONSOLE_RECONNECT },
		{ "kube", no_argument, NULL, OPT_KUBE },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "namespace", required_argument, NULL, OPT_NAMESPACE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "reprovision", required_argument, NULL, OPT_REPROVISION },
		{ "allow-core-dump", no_argument, NULL, OPT_ALLOW_CORE_DUMP },
		MAIN_WF_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->interval_s = 10;
	o->timeout_s = 10;
	o->action_wait_s = 120;
	o->demo_hosts = MAIN_DEMO_HOSTS;
	while ((c = getopt_long(argc, argv, "f:bc:i:t:yhVw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->path = optarg; break;
		case OPT_DEMO: o->demo = true; break;
		case OPT_DEMO_HOSTS:
			if (main_parse_int("--demo-hosts", optarg, 1, 10000, &o->demo_hosts) < 0)
				return -1;
			break;
		case 'b': o->batch = true; break;
		case 'c': o->credentials = optarg; break;
		case OPT_CACERT: o->cacert = optarg; break;
		case 'i':
			if (main_parse_int("--interval", optarg, 1, 86400, &o->interval_s) < 0)
				return -1;
			o->interval_set = true;
			break;
		case OPT_KUBE: o->kube = true; break;
		case OPT_CONTEXT: o->kube_context = optarg; break;
		case OPT_NAMESPACE: o->kube_namespace = optarg; break;
		case OPT_FORMAT: o->format = optarg; break;
		case OPT_REPROVISION: o->reprovision = optarg; break;
		case OPT_ALLOW_CORE_DUMP: o->allow_core_dump = true; break;
		case 't':
			if (main_parse_int("--timeout", optarg, 1, 600, &o->timeout_s) < 0)
				return -1;
			break;
		case OPT_THEME: o->theme = optarg; break;
		case OPT_ACTION: o->action = optarg; break;
		case OPT_HOSTS: o->hosts = optarg; break;
		case 'y': o->yes = true; break;
		case OPT_READ_ONLY: o->read_only = true; break;
		case OPT_KEEP_MARKS: o->keep_marks = true; break;
		case OPT_ACTION_WAIT:
			if (main_parse_int("--action-wait", optarg, 1, 3600, &o->action_wait_s) < 0)
				return -1;
			o->action_wait_given = true;
			break;
		case OPT_NO_WAIT: o->no_wait = true; break;
		case OPT_AUDIT_LOG: o->audit_log = optarg; break;
		case OPT_CONSOLE: o->console_host = optarg; break;
		case OPT_CONSOLE_LOG_DIR: o->console.log_dir = optarg; break;
		case OPT_KNOWN_HOSTS: o->console.known_hosts = optarg; break;
		case OPT_SSH_IDENTITY: o->console.identity = optarg; break;
		case OPT_CONSOLE_RECONNECT: o->console.reconnect = true; break;
		case OPT_ESCAPE_KEY:
			/* "^]" or "^A": a control key, so that no text is lost to it. */
			if (strlen(optarg) != 2 || optarg[0] != '^' || optarg[1] < '@' ||
			    optarg[1] > '_') {
				fprintf(stderr, "racktop: --escape-key: '%s' is not a control key "
					"such as ^] or ^A\n", optarg);
				return -1;
			}
			o->escape_key = optarg[1] & 0x1f;
			break;
		case 'w':
		case MAIN_WF_OPT_WORKFLOW:
		case MAIN_WF_OPT_CONFIG:
			main_wf_option(&o->wf, c, optarg);
			break;
		case 'h': main_usage(stdout); exit(0);
		case 'V': printf("racktop %s\n", PACKAGE_VERSION); exit(0);
		default:
			fprintf(stderr, "Try 'racktop --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "racktop: unexpected argument '%s'; the inventory is given with -f PATH\n",
			argv[optind]);
		return -1;
	}
	if (o->demo && o->path) {
		fprintf(stderr, "racktop: --demo makes its own inventory; leave out -f\n");
		return -1;
	}
	if (o->action && !actions_by_word(o->action)) {
		fprintf(stderr, "racktop: --action: '%s' is not an action; use one of %s\n",
			o->action, actions_words());
		return -1;
	}
	if (o->action && !o->batch) {
		fprintf(stderr, "racktop: --action is for --batch; on the screen, press a on a host\n");
		return -1;
	}
	if (o->action && !o->hosts) {
		fprintf(stderr, "racktop: --action needs --hosts REGEX (the hosts to act on)\n");
		return -1;
	}
	if (main_wf_check(&o->wf, o->batch, o->action, o->hosts, o->read_only) < 0)
		return -1;
	/* --batch --hosts alone prints (or sweeps) just those hosts. */
	if (((o->hosts && (!o->batch || o->kube)) || o->yes) && !o->action && !o->wf.workflow &&
	    !o->reprovision) {
		fprintf(stderr, "racktop: --hosts and --yes go with --action%s\n",
			o->yes || o->kube ? "" : " (or --batch, to print only those hosts)");
		return -1;
	}
	if (o->action && o->read_only) {
		fprintf(stderr, "racktop: --read-only: every action is refused (--action %s)\n",
			o->action);
		return -1;
	}
	o->console.timeout_s = o->timeout_s;
	if (o->console_host && o->batch) {
		fprintf(stderr, "racktop: --console needs the screen; leave out --batch\n");
		return -1;
	}
	if (main_parse_kube(o) < 0)
		return -1;
	if (!o->demo && !o->path && !o->kube) {
		fprintf(stderr, "racktop: no inventory: give -f PATH (a Tinkerbell manifest file or directory), or --demo\n");
		return -1;
	}
	return 0;
}

/* The default credentials file, used only when it exists. */
static const char *main_default_credentials(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	struct stat st;

	if (xdg && *xdg)
		snprintf(buf, n, "%s/racktop/credentials", xdg);
	else if (home && *home)
		snprintf(buf, n, "%s/.config/racktop/credentials", home);
	else
		return NULL;
	return stat(buf, &st) == 0 ? buf : NULL;
}

/* Themes: $RACKTOP_THEMES, the installed data directory, or the source tree. */
static const char *main_themes_dir(void)
{
	const char *env = getenv("RACKTOP_THEMES");
	struct stat st;

	if (env && *env)
		return env;
	if (stat(RACKTOP_DATADIR "/themes", &st) == 0)
		return RACKTOP_DATADIR "/themes";
	return RACKTOP_SRCDIR "/themes";
}

/* Batch mode: wait until every host has been polled once (good or bad),
 * however long a slow BMC takes: every request has its limit (--timeout)
 * and a poll is a bounded series of them, so each ends with data or an
 * error. A time cap here (it was 6 x --timeout + 30 s) printed a slow
 * but answering BMC (2-5 s a request) as error null with nothing. A
 * whole run is bounded from outside (timeout(1): SIGTERM, exit 130). */
static int main_batch(struct fleet *fleet, struct engine *engine, const struct main_options *o)
{
	enum batch_format fmt = BATCH_FORMAT_JSON;
	struct fleet_snapshot snap = { 0 };
	size_t n = fleet_host_count(fleet);
	int failed = 0, sig = 0;

	while (fleet_hosts_polled(fleet, 1) < n && !(sig = batch_signal_wait(fleet, 1000)))
		;
	if (o->format)
		batch_format_parse(o->format, &fmt);
	if (o->interval_set && !sig) {
		/* Sweeps: the engine goes on polling every --interval. */
		failed = batch_sweep(fleet, o->interval_s, fmt, stdout);
		engine_stop(engine);
		return failed;
	}
	engine_stop(engine);
	fleet_snapshot_take(fleet, &snap);
	if (sig) {
		/* What was learnt is printed; the status says it is partial. */
		char why[96];

		snprintf(why, sizeof(why), "racktop was interrupted (%s) before its first poll ended",
			 batch_signal_name(sig));
		batch_mark_unpolled(&snap, why);
		failed = BATCH_SIGNAL_EXIT;
	}
	for (size_t i = 0; i < snap.nhosts && !sig; i++) {
		if (snap.hosts[i].error[0] || snap.hosts[i].polls == 0)
			failed = 1;
	}
	if (batch_write(stdout, &snap, fmt, false) < 0) {
		fprintf(stderr, "racktop: cannot write the result: %s\n", strerror(errno));
		if (!sig)
			failed = 1;
	}
	fleet_snapshot_free(&snap);
	return failed;
}

/* racktop --kube: no inventory and no engine; kube_main.c. */
static int main_kube(const struct main_options *o)
{
	char credbuf[PATH_MAX];
	struct kube_main_options ko = {
		.context = o->kube_context,
		.namespace_ = o->kube_namespace,
		.batch = o->batch,
		.interval_s = o->interval_s,
		.interval_set = o->interval_set,
		.action = o->action,
		.hosts = o->hosts,
		.yes = o->yes,
		.read_only = o->read_only,
		.audit_log = o->audit_log,
		.timeout_s = o->timeout_s,
		.reprovision = o->reprovision,
		/* r reads one BMC directly: its TLS and credentials as for -f. */
		.cacert = o->cacert,
		.credentials = o->credentials ? o->credentials
			       : main_default_credentials(credbuf, sizeof(credbuf)),
	};
	struct ui_options uo = {
		.theme = o->theme,
		.themes_dir = main_themes_dir(),
		.console = &o->console,
		.console_escape = o->escape_key,
		.keep_marks = o->keep_marks,
	};

	if (o->format)
		batch_format_parse(o->format, &ko.format);
	return kube_main_run(&ko, &uo);
}

/* batch_action_run's halt: the engine stops, recording what it had in
 * flight as cancelled, and logs out. */
static void main_halt_engine(void *arg)
{
	engine_stop(arg);
}

int main(int argc, char **argv)
{
	struct main_options o;
	struct inventory inv = { 0 };
	struct engine_config cfg;
	struct demo demo = { 0 };
	struct fleet *fleet = NULL;
	struct engine *engine = NULL;
	struct actions *actions = NULL;
	const struct action_info *ai = NULL;
	size_t *act_hosts = NULL, act_n = 0;
	char credbuf[PATH_MAX], err[512];
	const char *path, *cacert, *creds;
	sigset_t sigs;
	int rc = 0;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	if (main_parse(argc, argv, &o) < 0)
		return 2;
	/* Before any credential is read. */
	if (harden_process(o.allow_core_dump, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		return 2;
	}
	/* Ctrl-C, SIGTERM, SIGHUP: stop cleanly, exit 130 (batch_signal.h). */
	if (o.batch && batch_signal_install() < 0) {
		fprintf(stderr, "racktop: cannot catch signals: %s\n", strerror(errno));
		return 2;
	}
	if (main_wf_config(&o.wf, &o.read_only, &o.audit_log) < 0)
		return 2;
	if (o.wf.cfg.console_reconnect)
		o.console.reconnect = true;
	if (o.wf.cfg.keep_marks)
		o.keep_marks = true;
	if (o.wf.cfg.action_wait_s && !o.action_wait_given)
		o.action_wait_s = o.wf.cfg.action_wait_s;
	if (o.kube)
		return main_kube(&o);

	path = o.path;
	cacert = o.cacert;
	o.wf.demo = o.demo;
	if (o.demo) {
		char sim[PATH_MAX];

		demo_find_sim(sim, sizeof(sim));
		if (demo_start(&demo, sim, o.demo_hosts, err, sizeof(err)) < 0) {
			fprintf(stderr, "racktop: --demo: %s\n", err);
			return 2;
		}
		path = demo.manifest;
		if (!cacert)
			cacert = demo.ca_file;
		/* Its consoles: the simulated BMCs' host key, logs kept apart. */
		if (!o.console.known_hosts)
			o.console.known_hosts = demo.known_hosts;
		if (!o.console.log_dir)
			o.console.log_dir = demo.console_logs;
	}

	creds = o.credentials ? o.credentials : main_default_credentials(credbuf, sizeof(credbuf));
	if (inventory_load(path, NULL, &inv) < 0) {
		for (size_t i = 0; i < inv.nerrors; i++)
			fprintf(stderr, "racktop: %s\n", inv.errors[i]);
		rc = 2;
		goto out;
	}
	if (creds && inventory_load_credentials(&inv, creds, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		rc = 2;
		goto out;
	}
	for (size_t i = 0; i < inv.nerrors; i++)
		fprintf(stderr, "racktop: %s\n", inv.errors[i]);
	if (inv.nhosts == 0) {
		fprintf(stderr, "racktop: %s: no hosts (no Hardware or bmc.tinkerbell.org Machine objects)\n",
			path);
		rc = 2;
		goto out;
	}

	/* Hosts are picked (and a batch refused) before any BMC is touched. */
	ai = o.action ? actions_by_word(o.action) : NULL;
	if (o.batch && o.hosts && !ai && !o.wf.workflow &&
	    batch_sweep_select(&inv, o.hosts, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		rc = 2;
		goto out;
	}
	if (ai && batch_action_select(&inv, o.hosts, o.yes, ai, &act_hosts, &act_n, err,
				      sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		rc = 2;
		goto out;
	}
	if (main_wf_load(&o.wf, path, &inv, o.hosts, o.yes) < 0) {
		rc = 2;
		goto out;
	}

	fleet = fleet_new();
	engine_config_defaults(&cfg);
	cfg.poll_interval_s = o.interval_s;
	cfg.timeout_ms = o.timeout_s * 1000;
	cfg.action_wait_s = o.action_wait_s;
	cfg.ca_file = cacert;
	engine = fleet ? engine_new(fleet, &inv, &cfg) : NULL;
	actions = engine ? actions_new(engine, &inv, o.audit_log, o.read_only) : NULL;
	if ((ai || o.wf.workflow) && actions && actions_open_audit(actions, err, sizeof(err)) < 0) {
		fprintf(stderr, "racktop: %s\n", err);
		rc = 2;
		goto out;
	}
	if (actions && (o.wf.workflow || !o.batch) &&
	    main_wf_runner(&o.wf, fleet, engine, actions, &inv) < 0) {
		fprintf(stderr, "racktop: cannot start the workflow runner\n");
		rc = 2;
		goto out;
	}
	batch_signal_block(&sigs);
	if (!engine || !actions || engine_start(engine) < 0 || main_wf_start(&o.wf) < 0) {
		batch_signal_restore(&sigs);
		fprintf(stderr, "racktop: cannot start the engine\n");
		rc = 2;
		goto out;
	}
	batch_signal_restore(&sigs);

	if (ai) {
		rc = batch_action_run(fleet, actions, ai, act_hosts, act_n, o.timeout_s,
				      o.no_wait ? 0 : o.action_wait_s, stdout, main_halt_engine,
				      engine);
		engine_stop(engine);
	} else if (o.wf.workflow) {
		rc = main_wf_batch(&o.wf, fleet);
		main_wf_stop(&o.wf);
		engine_stop(engine);
	} else if (o.batch) {
		rc = main_batch(fleet, engine, &o);
		if (inv.nerrors && rc == 0)
			rc = 1;
	} else {
		size_t nnotices = 0;
		char *const *notices = main_wf_notices(&o.wf, inv.errors, inv.nerrors, &nnotices);
		struct ui_options uo = {
			.theme = o.theme,
			.themes_dir = main_themes_dir(),
			.title = o.demo ? "demo fleet (racktop-sim)" : path,
			.notices = notices,
			.nnotices = nnotices,
			.workflows = o.wf.runner,
			.actions = actions,
			.inventory = &inv,
			.console = &o.console,
			.console_escape = o.escape_key,
			.console_host = o.console_host,
			.keep_marks = o.keep_marks,
		};

		rc = ui_run(fleet, engine, &uo);
		main_wf_stop(&o.wf);
		engine_stop(engine);
	}

out:
	/* The engine's last records (actions it never ran) reach the audit
	 * log through the hook: free it before the log. */
	if (engine)
		engine_free(engine);
	main_wf_free(&o.wf);
	actions_free(actions);
	free(act_hosts);
	if (fleet)
		fleet_free(fleet);
	inventory_free(&inv);
	if (o.demo)
		demo_stop(&demo);
	return rc;
}

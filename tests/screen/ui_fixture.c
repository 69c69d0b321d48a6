/* ui_fixture: the screen over a fleet store filled from a JSON file, with
 * no engine and no network. The screen tests drive it in tmux to check
 * rendering edge cases: missing readings, error rows, hostile strings,
 * long names, themes, monochrome and ASCII terminals, a 10,000-host fleet.
 *
 *   ui_fixture [--theme NAME] [--themes-dir DIR] [--hosts N] [--live]
 *              [--unclean] FILE
 *
 * --hosts N   adds N generated hosts after FILE's (FILE may be "-": none)
 * --live      one thread updates the first host every second, as polls would
 * --unclean   stores data strings without text_clean(), to prove the
 *             drawing layer refuses control characters on its own */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fleet.h"
#include "text.h"
#include "ui.h"

static bool fx_unclean;

static void fx_str(char *dst, size_t n, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (fx_unclean)
		text_copy(dst, n, s ? s : "");
	else
		text_clean(dst, n, s);
}

/* null or absent: not reported (NAN). */
static double fx_num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static enum fleet_sensor_kind fx_kind(const char *s)
{
	static const char *names[] = { "temperature", "fan", "power", "voltage" };

	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum fleet_sensor_kind)i;
	return FLEET_SENSOR_OTHER;
}

static void fx_data(json_t *d, struct fleet_host_data *out)
{
	json_t *a, *v;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->power = fleet_power_parse(json_string_value(json_object_get(d, "power")));
	out->health = fleet_health_parse(json_string_value(json_object_get(d, "health")));
	fx_str(out->vendor, sizeof(out->vendor), d, "vendor");
	fx_str(out->model, sizeof(out->model), d, "model");
	fx_str(out->serial, sizeof(out->serial), d, "serial");
	fx_str(out->bios_version, sizeof(out->bios_version), d, "bios");
	fx_str(out->bmc_firmware, sizeof(out->bmc_firmware), d, "bmc_firmware");
	a = json_object_get(d, "gpus");
	out->gpus_read = json_is_array(a);   /* no "gpus": not known */
	out->ngpus = json_array_size(a);
	out->gpus = out->ngpus ? calloc(out->ngpus, sizeof(*out->gpus)) : NULL;
	json_array_foreach(a, i, v) {
		struct fleet_gpu *g = &out->gpus[i];

		fleet_gpu_init(g, (int)i);
		fx_str(g->id, sizeof(g->id), v, "id");
		fx_str(g->model, sizeof(g->model), v, "model");
		fx_str(g->state, sizeof(g->state), v, "state");
		g->health = fleet_health_parse(json_string_value(json_object_get(v, "health")));
		g->temperature_c = fx_num(v, "temperature_c");
		g->power_w = fx_num(v, "power_w");
		g->power_limit_w = fx_num(v, "power_limit_w");
		g->utilization_pct = fx_num(v, "utilization_pct");
		g->memory_used_mib = fx_num(v, "memory_used_mib");
		g->memory_total_mib = fx_num(v, "memory_total_mib");
		g->ecc_corrected = fx_num(v, "ecc_corrected");
		g->ecc_uncorrected = fx_num(v, "ecc_uncorrected");
	}
	a = json_object_get(d, "sensors");
	out->nsensors = json_array_size(a);
	out->sensors = out->nsensors ? calloc(out->nsensors, sizeof(*out->sensors)) : NULL;
	json_array_foreach(a, i, v) {
		struct fleet_sensor *s = &out->sensors[i];

		fx_str(s->name, sizeof(s->name), v, "name");
		s->kind = fx_kind(json_string_value(json_object_get(v, "kind")));
		s->reading = fx_num(v, "reading");
		fx_str(s->units, sizeof(s->units), v, "units");
		s->health = fleet_health_parse(json_string_value(json_object_get(v, "health")));
	}
	a = json_object_get(d, "events");
	out->nevents = json_array_size(a);
	if (out->nevents > FLEET_EVENTS_MAX)
		out->nevents = FLEET_EVENTS_MAX;
	out->events = out->nevents ? calloc(out->nevents, sizeof(*out->events)) : NULL;
	json_array_foreach(a, i, v) {
		if (i >= out->nevents)
			break;
		fx_str(out->events[i].created, sizeof(out->events[i].created), v, "created");
		fx_str(out->events[i].severity, sizeof(out->events[i].severity), v, "severity");
		fx_str(out->events[i].message, sizeof(out->events[i].message), v, "message");
	}
}

static char *fx_notices[16];

static int fx_load(struct fleet *f, const char *path, struct ui_options *o)
{
	json_error_t jerr;
	json_t *root, *hosts, *h;
	size_t i;
	time_t now = time(NULL);

	root = json_load_file(path, 0, &jerr);
	if (!root) {
		fprintf(stderr, "ui_fixture: %s:%d: %s\n", path, jerr.line, jerr.text);
		return -1;
	}
	json_array_foreach(json_object_get(root, "notices"), i, h) {
		if (i < 16 && json_is_string(h))
			fx_notices[o->nnotices++] = strdup(json_string_value(h));
	}
	o->notices = fx_notices;
	hosts = json_object_get(root, "hosts");
	json_array_foreach(hosts, i, h) {
		const char *proto = json_string_value(json_object_get(h, "protocol"));
		size_t idx = fleet_host_add(f, json_string_value(json_object_get(h, "name")),
					    json_string_value(json_object_get(h, "bmc")),
					    proto && strcmp(proto, "ipmi") == 0 ?
					    FLEET_PROTO_IPMI : FLEET_PROTO_REDFISH,
					    json_string_value(json_object_get(h, "cred_ref")));
		json_t *d = json_object_get(h, "data");
		const char *err = json_string_value(json_object_get(h, "error"));

		if (json_is_object(d)) {
			struct fleet_host_data data;
			json_t *age = json_object_get(h, "age_s");

			fx_data(d, &data);
			fleet_host_update(f, idx, &data, now - (json_is_integer(age) ?
						       (time_t)json_integer_value(age) : 0));
		}
		if (err)
			fleet_host_fail(f, idx, err, now);
		/* "action": ["power On", "failed", "why"]: its last action. */
		json_t *act = json_object_get(h, "action");

		if (json_array_size(act) == 3) {
			const char *st = json_string_value(json_array_get(act, 1));

			fleet_host_set_action(f, idx, json_string_value(json_array_get(act, 0)),
					      st && !strcmp(st, "failed") ? FLEET_ACTION_FAILED :
					      FLEET_ACTION_DONE,
					      json_string_value(json_array_get(act, 2)), now);
		}
	}
	json_decref(root);
	return 0;
}

/* Generated hosts: 8 GPUs each, readings from a fixed sequence. */
static void fx_generate(struct fleet *f, int n)
{
	unsigned seed = 12345;
	time_t now = time(NULL);

	for (int i = 0; i < n; i++) {
		char name[32], bmc[64];
		struct fleet_host_data d;
		size_t idx;

		snprintf(name, sizeof(name), "gen-node-%05d", i + 1);
		snprintf(bmc, sizeof(bmc), "https://10.%d.%d.%d:443", (i >> 16) & 255,
			 (i >> 8) & 255, i & 255);
		idx = fleet_host_add(f, name, bmc, FLEET_PROTO_REDFISH, "credentials file");
		memset(&d, 0, sizeof(d));
		d.power = i % 17 == 0 ? FLEET_POWER_OFF : FLEET_POWER_ON;
		d.health = FLEET_HEALTH_OK;
		d.ngpus = 8;
		d.gpus = calloc(8, sizeof(*d.gpus));
		for (int g = 0; g < 8; g++) {
			fleet_gpu_init(&d.gpus[g], g);
			snprintf(d.gpus[g].id, sizeof(d.gpus[g].id), "GPU_SXM_%d", g + 1);
			seed = seed * 1103515245 + 12345;
			d.gpus[g].temperature_c = 30 + (seed >> 16) % 60;
			d.gpus[g].power_w = 100 + (seed >> 8) % 600;
			d.gpus[g].power_limit_w = 700;
			d.gpus[g].health = (seed >> 20) % 50 == 0 ? FLEET_HEALTH_WARNING : FLEET_HEALTH_OK;
		}
		fleet_host_update(f, idx, &d, now - (i % 30));
		if (i % 97 == 5)
			fleet_host_fail(f, idx, "connection refused (https://10.0.0.1:443/redfish/v1)", now);
	}
}

/* --live: the first host's GPUs warm by one degree a second. */
static void *fx_live(void *arg)
{
	struct fleet *f = arg;
	double t = 40;

	for (;;) {
		struct fleet_host_data d;

		sleep(1);
		memset(&d, 0, sizeof(d));
		d.power = FLEET_POWER_ON;
		d.health = FLEET_HEALTH_OK;
		d.ngpus = 1;
		d.gpus = calloc(1, sizeof(*d.gpus));
		fleet_gpu_init(&d.gpus[0], 0);
		snprintf(d.gpus[0].id, sizeof(d.gpus[0].id), "GPU_SXM_1");
		d.gpus[0].health = FLEET_HEALTH_OK;
		d.gpus[0].temperature_c = ++t;
		fleet_host_update(f, 0, &d, time(NULL));
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "theme", required_argument, NULL, 't' },
		{ "themes-dir", required_argument, NULL, 'd' },
		{ "hosts", required_argument, NULL, 'n' },
		{ "live", no_argument, NULL, 'l' },
		{ "unclean", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct ui_options o = { .title = "ui_fixture" };
	struct fleet *f;
	bool live = false;
	int c, n = 0, rc;
	pthread_t th;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o.theme = optarg; break;
		case 'd': o.themes_dir = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'l': live = true; break;
		case 'u': fx_unclean = true; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: ui_fixture [--theme NAME] [--themes-dir DIR] [--hosts N] "
			"[--live] [--unclean] FILE|-\n");
		return 2;
	}
	f = fleet_new();
	if (!f)
		return 1;
	if (strcmp(argv[optind], "-") != 0 && fx_load(f, argv[optind], &o) < 0)
		return 1;
	fx_generate(f, n);
	if (live && pthread_create(&th, NULL, fx_live, f) != 0)
		return 1;
	rc = ui_run(f, NULL, &o);
	/* The live thread never ends; exit without joining it. */
	if (!live)
		fleet_free(f);
	return rc;
}

/* bench_frame [--hosts N] [--sensors S] [--events E] [--frames F] [--size COLSxLINES]
 *             [--cpu-clock]:
 * the fleet screen at scale (doc/benchmarks.md, tests/bench/screen_frame.sh).
 *
 * Fills a fleet store with N hosts of 8 GPUs (and S sensors and E log
 * entries each, as racktop-sim's BMCs report them), then times the real
 * screen code as ui.c runs it on a wake-up: fleet_snapshot_take,
 * view_fleet_rebuild (filter and sort), and the frame (werase,
 * view_fleet_draw, the status line, doupdate) written to a
 * pseudo-terminal of COLSxLINES whose far side a thread reads and drops.
 *
 * Frames, F of each kind, each timed from the first call to doupdate's
 * return:
 *   live       100 hosts changed in the store (a 10,000-host fleet polled
 *              every 10 s changes ~100 hosts per 100 ms snapshot), sorted
 *              by name
 *   live-temp  the same, sorted by hottest GPU
 *   filter     a new filter typed (every host matched again), then drawn
 *   sort       the next sort column (every host matched and sorted again)
 *   scroll     a page down, no rebuild
 * --cpu-clock times with this thread's CPU clock instead of the wall
 * clock: on a machine shared with other builds it leaves out the time
 * they took the CPU away (it also leaves out waits, of which a frame has
 * none but the pseudo-terminal's writes).
 * Prints median, 99th percentile and max per kind, then the resident
 * memory (VmRSS, VmHWM) of the process: the store plus the screen's own
 * snapshot, as in racktop. Not a test: it prints figures. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "draw.h"
#include "fleet.h"
#include "theme.h"
#include "ui_state.h"
#include "view_fleet.h"

static unsigned bf_seed = 12345;

static unsigned bf_rand(void)
{
	bf_seed = bf_seed * 1103515245 + 12345;
	return bf_seed >> 8;
}

static clockid_t bf_clock = CLOCK_MONOTONIC;

static double bf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(bf_clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One poll's worth of data for host I, readings drawn afresh. */
static void bf_data(struct fleet_host_data *d, int i, int nsensors, int nevents)
{
	memset(d, 0, sizeof(*d));
	d->power = i % 17 == 0 ? FLEET_POWER_OFF : FLEET_POWER_ON;
	d->health = FLEET_HEALTH_OK;
	snprintf(d->vendor, sizeof(d->vendor), "racktop-sim");
	snprintf(d->model, sizeof(d->model), "HGX H100 8-GPU (simulated)");
	snprintf(d->serial, sizeof(d->serial), "SIM%07d", i + 1);
	snprintf(d->bios_version, sizeof(d->bios_version), "1.1.3-sim");
	snprintf(d->bmc_firmware, sizeof(d->bmc_firmware), "24.01-sim");
	d->ngpus = 8;
	d->gpus = calloc(8, sizeof(*d->gpus));
	for (int g = 0; g < 8; g++) {
		struct fleet_gpu *x = &d->gpus[g];

		fleet_gpu_init(x, g);
		snprintf(x->id, sizeof(x->id), "GPU_SXM_%d", g + 1);
		snprintf(x->model, sizeof(x->model), "H100 80GB HBM3");
		snprintf(x->serial, sizeof(x->serial), "16529230%05d", i * 8 + g);
		snprintf(x->uuid, sizeof(x->uuid), "5d8fc126-9c2f-41ce-8000-%012d", i * 8 + g);
		snprintf(x->firmware, sizeof(x->firmware), "96.00.89.00.01");
		snprintf(x->state, sizeof(x->state), "Enabled");
		x->temperature_c = 30 + bf_rand() % 60;
		x->power_w = 100 + bf_rand() % 600;
		x->power_limit_w = 700;
		x->utilization_pct = bf_rand() % 100;
		x->memory_used_mib = bf_rand() % 81559;
		x->memory_total_mib = 81559;
		x->ecc_corrected = 0;
		x->ecc_uncorrected = 0;
		x->health = bf_rand() % 50 == 0 ? FLEET_HEALTH_WARNING : FLEET_HEALTH_OK;
	}
	d->nsensors = (size_t)nsensors;
	d->sensors = nsensors ? calloc((size_t)nsensors, sizeof(*d->sensors)) : NULL;
	for (int s = 0; s < nsensors; s++) {
		struct fleet_sensor *x = &d->sensors[s];

		snprintf(x->name, sizeof(x->name), "Chassis Sensor %d", s);
		x->kind = (enum fleet_sensor_kind)(s % 5);
		x->reading = bf_rand() % 100;
		snprintf(x->units, sizeof(x->units), "Cel");
		x->health = FLEET_HEALTH_OK;
	}
	d->nevents = (size_t)nevents;
	d->events = nevents ? calloc((size_t)nevents, sizeof(*d->events)) : NULL;
	for (int e = 0; e < nevents; e++) {
		struct fleet_event *x = &d->events[e];

		snprintf(x->created, sizeof(x->created), "2026-11-27T10:%02d:00+00:00", e % 60);
		snprintf(x->severity, sizeof(x->severity), "OK");
		snprintf(x->message, sizeof(x->message),
			 "GPU_SXM_%d: the device was reset by the driver (event %d)", e % 8 + 1, e);
	}
}

static void *bf_drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	return NULL;
}

/* What ui.c does for one frame of the fleet view. */
static void bf_draw(struct ui *ui)
{
	char right[400] = "";

	ui->now = time(NULL);
	werase(stdscr);
	view_fleet_draw(ui);
	view_fleet_status(ui, right, sizeof(right));
	draw_fill(stdscr, LINES - 1, 0, COLS, L' ', ' ', theme_attr(THEME_STATUS));
	draw_text_n(stdscr, LINES - 1, COLS - draw_width(right) - 1, draw_width(right), right,
		    theme_attr(THEME_STATUS));
	wnoutrefresh(stdscr);
	doupdate();
}

static int bf_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void bf_report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(*ms), bf_cmp);
	printf("%-10s median %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%d frames)\n", what,
		ms[n / 2], ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], ms[n - 1], n);
}

static long bf_status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hosts", required_argument, NULL, 'n' },
		{ "sensors", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'e' },
		{ "frames", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 'z' },
		{ "cpu-clock", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *filters[] = { "gen-node-0[0-4]", "gpu:warning|critical", "node-.*7$",
					 "!power:off", "gen-node-09" };
	int nhosts = 10000, nsensors = 0, nevents = 0, frames = 200, cols = 200, lines = 50, c;
	struct winsize ws;
	int master, slave;
	pthread_t th;
	FILE *out, *in;
	SCREEN *scr;
	struct fleet *f;
	struct ui ui;
	char err[300];
	double *ms, t0;
	time_t now = time(NULL);

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': nhosts = atoi(optarg); break;
		case 's': nsensors = atoi(optarg); break;
		case 'e': nevents = atoi(optarg); break;
		case 'f': frames = atoi(optarg); break;
		case 'c': bf_clock = CLOCK_THREAD_CPUTIME_ID; break;
		case 'z':
			if (sscanf(optarg, "%dx%d", &cols, &lines) != 2)
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (nhosts < 1 || frames < 1 || nevents > FLEET_EVENTS_MAX)
		return 2;
	setlocale(LC_ALL, "C.UTF-8");
	long rss0 = bf_status_kb("VmRSS:");

	f = fleet_new();
	for (int i = 0; i < nhosts; i++) {
		char name[32], bmc[64];
		struct fleet_host_data d;
		size_t idx;

		snprintf(name, sizeof(name), "gen-node-%05d", i + 1);
		snprintf(bmc, sizeof(bmc), "https://10.%d.%d.%d:443", (i >> 16) & 255, (i >> 8) & 255,
			 i & 255);
		idx = fleet_host_add(f, name, bmc, FLEET_PROTO_REDFISH, "Secret default/bmc-creds");
		bf_data(&d, i, nsensors, nevents);
		fleet_host_update(f, idx, &d, now - (i % 30));
		if (i % 97 == 5)
			fleet_host_fail(f, idx, "https://10.0.0.1:443/redfish/v1: connection refused", now);
	}
	long rss_store = bf_status_kb("VmRSS:");

	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)lines;
	ws.ws_col = (unsigned short)cols;
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		perror("openpty");
		return 1;
	}
	pthread_create(&th, NULL, bf_drain, &master);
	out = fdopen(slave, "w");
	in = fopen("/dev/null", "r");
	setenv("TERM", "xterm-256color", 0);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	scr = newterm(NULL, out, in);
	if (!scr) {
		fprintf(stderr, "bench_frame: newterm failed (TERM=%s)\n", getenv("TERM"));
		return 1;
	}
	draw_set_utf8(true);
	theme_load(NULL, RACKTOP_SRCDIR "/themes", err, sizeof(err));
	theme_apply(true);
	leaveok(stdscr, TRUE);

	memset(&ui, 0, sizeof(ui));
	ui.fleet = f;
	ui.title = "bench_frame";
	view_fleet_init(&ui.vf);
	fleet_snapshot_take(f, &ui.snap);
	view_fleet_rebuild(&ui);
	bf_draw(&ui);
	long rss_snap = bf_status_kb("VmRSS:");

	ms = calloc((size_t)frames, sizeof(*ms));
	for (int pass = 0; pass < 2; pass++) {
		ui.vf.sort = pass ? VF_COL_TEMP : VF_COL_NAME;
		ui.vf.dirty = true;
		view_fleet_rebuild(&ui);
		for (int k = 0; k < frames; k++) {
			for (int j = 0; j < 100; j++) {
				struct fleet_host_data d;
				int i = (int)(bf_rand() % (unsigned)nhosts);

				bf_data(&d, i, nsensors, nevents);
				fleet_host_update(f, (size_t)i, &d, time(NULL));
			}
			t0 = bf_now_ms();
			fleet_snapshot_take(f, &ui.snap);
			view_fleet_rebuild(&ui);
			bf_draw(&ui);
			ms[k] = bf_now_ms() - t0;
		}
		bf_report(pass ? "live-temp" : "live", ms, frames);
	}
	ui.vf.sort = VF_COL_NAME;
	for (int k = 0; k < frames; k++) {
		t0 = bf_now_ms();
		view_fleet_set_filter(&ui, filters[k % 5]);
		bf_draw(&ui);
		ms[k] = bf_now_ms() - t0;
	}
	/* Each filter on its own too: they cost differently. */
	for (int f = 0; f < 5 && frames >= 10; f++) {
		double one[frames / 5 + 1];
		int n = 0;
		char what[64];

		for (int k = f; k < frames; k += 5)
			one[n++] = ms[k];
		view_fleet_set_filter(&ui, filters[f]);
		snprintf(what, sizeof(what), "  /%s/ %zu rows", filters[f], ui.vf.nrows);
		bf_report(what, one, n);
	}
	bf_report("filter", ms, frames);
	view_fleet_set_filter(&ui, "");
	for (int k = 0; k < frames; k++) {
		t0 = bf_now_ms();
		view_fleet_sort(&ui, (ui.vf.sort + 1) % VF_COLS);   /* the next column */
		bf_draw(&ui);
		ms[k] = bf_now_ms() - t0;
	}
	bf_report("sort", ms, frames);
	for (int k = 0; k < frames; k++) {
		t0 = bf_now_ms();
		view_fleet_action(&ui, k % 40 < 20 ? KEYS_PAGE_DOWN : KEYS_PAGE_UP);
		bf_draw(&ui);
		ms[k] = bf_now_ms() - t0;
	}
	bf_report("scroll", ms, frames);

	endwin();
	printf("memory: %d hosts, %d GPUs, %d sensors and %d log entries a host: "
		"store %.1f MiB, with the screen's snapshot %.1f MiB, at the end VmRSS %.1f MiB, "
		"VmHWM %.1f MiB\n", nhosts, nhosts * 8, nsensors, nevents,
		(rss_store - rss0) / 1024.0, (rss_snap - rss0) / 1024.0,
		bf_status_kb("VmRSS:") / 1024.0, bf_status_kb("VmHWM:") / 1024.0);
	delscreen(scr);
	view_fleet_free(&ui.vf);
	fleet_snapshot_free(&ui.snap);
	fleet_free(f);
	free(ms);
	return 0;
}

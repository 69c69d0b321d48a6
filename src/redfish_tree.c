/* The static tree of one BMC (struct rf_tree): adding what discovery
 * finds, within the fixed bounds, and freeing it. */
#include "redfish_poll.h"

#include <stdlib.h>
#include <string.h>

static void rf_tree_free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

void rf_tree_clear(struct rf_tree *t)
{
	for (size_t i = 0; i < t->ngpus; i++) {
		struct rf_gpu *g = &t->gpus[i];
		char *s[] = { g->url, g->env, g->metrics, g->memmetrics, g->temp_src, g->power_src,
			      g->memlink };

		rf_tree_free_strs(s, sizeof(s) / sizeof(s[0]));
	}
	free(t->gpus);
	for (size_t i = 0; i < RF_MAX_SYSTEMS; i++) {
		struct rf_system *x = &t->systems[i];
		char *s[] = { x->url, x->reset_target, x->processors, x->logservices, x->chassis };

		rf_tree_free_strs(s, sizeof(s) / sizeof(s[0]));
	}
	for (size_t i = 0; i < RF_MAX_CHASSIS; i++) {
		struct rf_chassis *c = &t->chassis[i];
		char *s[] = { c->url, c->thermal, c->power, c->sensors, c->pcie };

		rf_tree_free_strs(s, sizeof(s) / sizeof(s[0]));
	}
	rf_tree_free_strs(t->logs, RF_MAX_LOGS);
	rf_tree_free_strs(t->gpu_sensors, RF_MAX_GPU_SENSORS);
	{
		char *s[] = { t->systems_coll, t->chassis_coll, t->managers, t->telemetry, t->report };

		rf_tree_free_strs(s, sizeof(s) / sizeof(s[0]));
	}
	memset(t, 0, sizeof(*t));
}

/* A new GPU of system SYS, readings unknown; NULL when the tree is full. */
struct rf_gpu *rf_tree_gpu_new(struct rf_tree *t, int sys)
{
	struct rf_gpu *g;

	if (t->ngpus >= RF_MAX_GPUS)
		return NULL;
	g = realloc(t->gpus, (t->ngpus + 1) * sizeof(*g));
	if (!g)
		abort();
	t->gpus = g;
	g = &t->gpus[t->ngpus++];
	memset(g, 0, sizeof(*g));
	fleet_gpu_init(&g->st, 0);
	g->sys = sys;
	return g;
}

void rf_tree_add_chassis(struct rf_tree *t, const char *path, int sys)
{
	if (!path || t->nchassis >= RF_MAX_CHASSIS)
		return;
	for (size_t i = 0; i < t->nchassis; i++)
		if (!strcmp(t->chassis[i].url, path))
			return;
	t->chassis[t->nchassis].sys = sys;
	rf_set(&t->chassis[t->nchassis].url, path);
	t->nchassis++;
}

void rf_tree_add_gpu_sensor(struct rf_tree *t, const char *path, int sys)
{
	if (!path || t->ngpu_sensors >= RF_MAX_GPU_SENSORS)
		return;
	t->gpu_sensor_sys[t->ngpu_sensors] = sys;
	rf_set(&t->gpu_sensors[t->ngpu_sensors++], path);
}

/* Two systems may share one log service (racktop-sim's do): read once. */
void rf_tree_add_log(struct rf_tree *t, const char *path)
{
	if (!path || t->nlogs >= RF_MAX_LOGS)
		return;
	for (size_t i = 0; i < t->nlogs; i++)
		if (!strcmp(t->logs[i], path))
			return;
	rf_set(&t->logs[t->nlogs++], path);
}

static int rf_tree_gpu_cmp(const void *a, const void *b)
{
	const struct rf_gpu *x = a, *y = b;

	if (x->sys != y->sys)
		return x->sys - y->sys;
	if (x->num != y->num)
		return x->num - y->num;
	return strcmp(x->st.id, y->st.id);
}

/* By system, then the number in the Id: GPU_SXM_2 before GPU_SXM_10. */
void rf_tree_sort_gpus(struct rf_tree *t)
{
	if (t->ngpus > 1)
		qsort(t->gpus, t->ngpus, sizeof(*t->gpus), rf_tree_gpu_cmp);
}

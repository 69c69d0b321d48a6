/* Discovery: the static tree of one BMC, learnt in steps.
 *
 *   root        ServiceRoot: the collections, $expand support
 *   collections Systems (filtered by the inventory's system name),
 *               Managers (BMC firmware, their log services), Chassis,
 *               TelemetryService (a MetricReport with GPU readings)
 *   systems     Processors (the GPUs and their metric links), the
 *               systems' log services, the chassis that hold sensors
 *   gpus        GPU memory sizes; PCIe devices when no Processor is a
 *               GPU; the Managers' log services when no System has one
 *   gpus2       GPU order, chassis sensors for GPUs without
 *               EnvironmentMetrics; then the first refresh reads it all
 *
 * Every link comes from the BMC and is followed only on the BMC. */
#include "redfish_poll.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

static void rf_discover_root(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			     intptr_t ctx)
{
	struct rf_tree *t = &p->nt;
	json_t *pf = rf_obj(d, o, "ProtocolFeaturesSupported");
	json_t *eq = rf_obj(d, pf, "ExpandQuery");
	json_t *ml = json_object_get(eq, "MaxLevels");

	t->expand = eq && json_is_true(json_object_get(eq, "Levels")) &&
		    json_is_true(json_object_get(eq, "NoLinks"));
	/* MaxLevels absent: one level is all that Levels promises. */
	t->expand_levels = !t->expand ? 0 : json_is_integer(ml) && json_integer_value(ml) >= 2 ? 2 : 1;
	t->select = json_is_true(json_object_get(pf, "SelectQuery"));
	rf_set(&t->systems_coll, rf_path_of(p->h, rf_link(d, o, "Systems")));
	rf_set(&t->chassis_coll, rf_path_of(p->h, rf_link(d, o, "Chassis")));
	rf_set(&t->managers, rf_path_of(p->h, rf_link(d, o, "Managers")));
	rf_set(&t->telemetry, rf_path_of(p->h, rf_link(d, o, "TelemetryService")));
	if (!t->systems_coll)
		rf_fail(d, "the service root has no Systems");
}

/* ---- collections ---- */

static void rf_discover_system(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	struct rf_system *s = &p->nt.systems[ctx];
	json_t *acts = rf_obj(d, o, "Actions");
	json_t *reset = rf_obj(d, acts, "#ComputerSystem.Reset");
	json_t *links = rf_obj(d, o, "Links");
	json_t *ch = rf_arr(d, links, "Chassis");
	const char *id = rf_str(d, o, "Id");

	text_clean(s->id, sizeof(s->id), id ? id : rf_poll_last_segment(path));
	rf_set(&s->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	if (!s->url)
		rf_set(&s->url, path);
	rf_set(&s->reset_target, rf_path_of(p->h, rf_str(d, reset, "target")));
	rf_set(&s->processors, rf_path_of(p->h, rf_link(d, o, "Processors")));
	rf_set(&s->logservices, rf_path_of(p->h, rf_link(d, o, "LogServices")));
	if (json_array_size(ch) > 0)
		rf_set(&s->chassis, rf_path_of(p->h, rf_str(d, json_array_get(ch, 0), "@odata.id")));
}

static bool rf_discover_wanted(struct rf_poll *p, json_t *m, const char *path)
{
	const char *want = p->h->system_name;
	const char *id;

	if (!want[0])
		return true;
	id = json_string_value(json_object_get(m, "Id"));
	return (id && !strcmp(id, want)) || !strcmp(rf_poll_last_segment(path), want);
}

static void rf_discover_systems(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));
		size_t k = p->nt.nsystems;

		if (i >= RF_MAX_MEMBERS || k >= RF_MAX_SYSTEMS)
			break;
		if (!mp || !rf_discover_wanted(p, e, mp))
			continue;
		p->nt.nsystems++;
		rf_set(&p->nt.systems[k].url, mp);
		if (rf_expanded(e))
			rf_discover_system(p, e, d, mp, (intptr_t)k);
		else
			rf_poll_get(p, mp, false, rf_discover_system, (intptr_t)k, false);
	}
}

/* SerialConsole.SSH {ServiceEnabled, Port}: where the BMC serves its
 * serial console over SSH (an SSH console with no port in the inventory
 * uses it). Ranked like the firmware version. Optional: a malformed one
 * is ignored rather than failing the BMC's discovery. */
static void rf_discover_ssh_console(struct rf_poll *p, json_t *o, int rank)
{
	json_t *sc = json_object_get(o, "SerialConsole");
	json_t *ssh = json_is_object(sc) ? json_object_get(sc, "SSH") : NULL;
	json_t *port = json_is_object(ssh) ? json_object_get(ssh, "Port") : NULL;

	if (!json_is_true(json_object_get(ssh, "ServiceEnabled")) || !json_is_integer(port) ||
	    json_integer_value(port) < 1 || json_integer_value(port) > 65535)
		return;
	if (!p->ssh_rank || rank < p->ssh_rank) {
		p->nt.ssh_console_port = (int)json_integer_value(port);
		p->ssh_rank = rank;
	}
}

/* CTX: the manager's position in the collection. */
static void rf_discover_manager(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				intptr_t ctx)
{
	const char *fw = rf_str(d, o, "FirmwareVersion");
	const char *type = rf_str(d, o, "ManagerType");
	/* The first BMC-type manager's version wins, else the first one's;
	 * answers come in any order, so rank them by position. */
	int rank = (type && !strcmp(type, "BMC") ? 1 : 1 + RF_MAX_MANAGERS) + (int)ctx;

	if (fw && *fw && (!p->fw_rank || rank < p->fw_rank)) {
		text_clean(p->nt.bmc_firmware, sizeof(p->nt.bmc_firmware), fw);
		p->fw_rank = rank;
	}
	rf_set(&p->mgr_logservices[ctx], rf_path_of(p->h, rf_link(d, o, "LogServices")));
	rf_discover_ssh_console(p, o, rank);
}

static void rf_discover_managers(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				 intptr_t ctx)
{
	rf_poll_members(p, o, d, path, RF_MAX_MANAGERS, rf_discover_manager, RF_CTX_INDEX, true);
}

static void rf_discover_chassis_coll(struct rf_poll *p, json_t *o, struct rf_doc *d,
				     const char *path, intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	p->chm = calloc(json_array_size(m) + 1, sizeof(*p->chm));
	if (!p->chm)
		abort();
	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		if (mp)
			p->chm[p->nchm++] = strdup(mp);
	}
}

static void rf_discover_reports(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		if (mp && strstr(mp, "PlatformEnvironmentMetrics")) {
			rf_set(&p->nt.report, mp);
			break;
		}
	}
}

static void rf_discover_telemetry(struct rf_poll *p, json_t *o, struct rf_doc *d,
				  const char *path, intptr_t ctx)
{
	rf_poll_get(p, rf_path_of(p->h, rf_link(d, o, "MetricReports")), false, rf_discover_reports,
		    0, true);
}

static void rf_discover_step_systems(struct rf_poll *p);

static void rf_discover_step_collections(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	rf_poll_get(p, t->systems_coll, true, rf_discover_systems, 0, false);
	rf_poll_get(p, t->managers, true, rf_discover_managers, 0, true);
	rf_poll_get(p, t->chassis_coll, false, rf_discover_chassis_coll, 0, true);
	rf_poll_get(p, t->telemetry, false, rf_discover_telemetry, 0, true);
	p->next = rf_discover_step_systems;
}

/* ---- systems: processors, log services, chassis ---- */

static void rf_discover_proc(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			     intptr_t ctx)
{
	const char *type = rf_str(d, o, "ProcessorType");
	json_t *links = rf_obj(d, o, "Links");
	json_t *mem = rf_arr(d, links, "Memory");
	struct rf_gpu *g;

	if (!type || strcmp(type, "GPU") != 0)
		return;
	g = rf_tree_gpu_new(&p->nt, (int)ctx);
	if (!g)
		return;
	rf_decode_gpu_static(d, o, g);
	rf_set(&g->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	if (!g->url)
		rf_set(&g->url, path);
	/* Links from the BMC are followed only on the BMC itself. */
	{
		char *raw[3] = { g->env, g->metrics, g->memmetrics };

		g->env = g->metrics = g->memmetrics = NULL;
		rf_set(&g->env, rf_path_of(p->h, raw[0]));
		rf_set(&g->metrics, rf_path_of(p->h, raw[1]));
		rf_set(&g->memmetrics, rf_path_of(p->h, raw[2]));
		for (int k = 0; k < 3; k++)
			free(raw[k]);
	}
	if (json_array_size(mem) > 0)
		rf_set(&g->memlink, rf_path_of(p->h, rf_str(d, json_array_get(mem, 0), "@odata.id")));
}

static void rf_discover_procs(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			      intptr_t ctx)
{
	rf_poll_members(p, o, d, path, 4 * RF_MAX_GPUS, rf_discover_proc, ctx, false);
}

static void rf_discover_logsvc(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	rf_tree_add_log(&p->nt, rf_path_of(p->h, rf_link(d, o, "Entries")));
}

static void rf_discover_logsvcs(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				intptr_t ctx)
{
	rf_poll_members(p, o, d, path, RF_MAX_LOGS, rf_discover_logsvc, ctx, true);
}

static void rf_discover_chassis(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				intptr_t ctx)
{
	struct rf_chassis *c = &p->nt.chassis[ctx];

	rf_set(&c->thermal, rf_path_of(p->h, rf_link(d, o, "Thermal")));
	rf_set(&c->power, rf_path_of(p->h, rf_link(d, o, "Power")));
	rf_set(&c->sensors, rf_path_of(p->h, rf_link(d, o, "Sensors")));
	rf_set(&c->pcie, rf_path_of(p->h, rf_link(d, o, "PCIeDevices")));
}

static void rf_discover_step_gpus(struct rf_poll *p);

static void rf_discover_step_systems(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	if (t->nsystems == 0) {
		if (p->h->system_name[0])
			http_fmt(p->error, sizeof(p->error), "%s%s: no system named %s", p->h->base,
				 t->systems_coll, p->h->system_name);
		else
			http_fmt(p->error, sizeof(p->error), "%s%s: no ComputerSystem", p->h->base,
				 t->systems_coll);
		return;
	}
	t->main_sys = 0;
	for (size_t i = 0; i < t->nsystems; i++) {
		if (t->systems[i].reset_target) {
			t->main_sys = (int)i;
			break;
		}
	}
	for (size_t i = 0; i < t->nsystems; i++) {
		struct rf_system *s = &t->systems[i];

		rf_poll_get(p, s->processors, true, rf_discover_procs, (intptr_t)i, false);
		rf_poll_get(p, s->logservices, true, rf_discover_logsvcs, (intptr_t)i, true);
		rf_tree_add_chassis(t, s->chassis, (int)i);
		/* HPE: Chassis/Node0 is the chassis of Systems/Node0, unlinked. */
		for (size_t k = 0; k < p->nchm; k++)
			if (!strcmp(rf_poll_last_segment(p->chm[k]), s->id))
				rf_tree_add_chassis(t, p->chm[k], (int)i);
	}
	if (t->nchassis == 0 && p->nchm > 0)
		rf_tree_add_chassis(t, p->chm[0], t->main_sys);
	for (size_t i = 0; i < t->nchassis; i++)
		rf_poll_get(p, t->chassis[i].url, false, rf_discover_chassis, (intptr_t)i, true);
	p->next = rf_discover_step_gpus;
}

/* ---- GPUs: memory, the PCIe fallback, chassis sensors ---- */

static void rf_discover_gpumem(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
			       intptr_t ctx)
{
	double c = rf_num(d, o, "CapacityMiB");

	if (fleet_has(c) && !fleet_has(p->nt.gpus[ctx].st.memory_total_mib))
		p->nt.gpus[ctx].st.memory_total_mib = c;
}

static void rf_discover_copy(struct rf_doc *d, json_t *o, const char *key, char *dst, size_t n)
{
	const char *s = rf_str(d, o, key);

	if (s)
		text_clean(dst, n, s);
}

/* A GPU known only as a PCIe device (no Processor for it). */
static void rf_discover_gpu_from_pcie(struct rf_poll *p, json_t *o, struct rf_doc *d, int sys)
{
	struct rf_gpu *g = rf_tree_gpu_new(&p->nt, sys);
	const char *id = rf_str(d, o, "Id");

	if (!g)
		return;
	if (id)
		text_clean(g->st.id, sizeof(g->st.id), id);
	g->num = rf_id_number(id);
	rf_discover_copy(d, o, "Model", g->st.model, sizeof(g->st.model));
	rf_discover_copy(d, o, "SerialNumber", g->st.serial, sizeof(g->st.serial));
	rf_discover_copy(d, o, "UUID", g->st.uuid, sizeof(g->st.uuid));
	rf_decode_gpu_status(d, o, &g->st);
	rf_set(&g->url, rf_path_of(p->h, rf_str(d, o, "@odata.id")));
	rf_set(&g->env, rf_path_of(p->h, rf_link(d, o, "EnvironmentMetrics")));
}

static bool rf_discover_display_function(json_t *f)
{
	const char *cc = json_string_value(json_object_get(f, "ClassCode"));
	const char *dc = json_string_value(json_object_get(f, "DeviceClass"));

	return (cc && strlen(cc) >= 4 && !strncasecmp(cc, "0x03", 4)) ||
	       (dc && !strcmp(dc, "DisplayController"));
}

static void rf_discover_pcie_func(struct rf_poll *p, json_t *o, struct rf_doc *d,
				  const char *path, intptr_t ctx)
{
	if (!p->pdev_added[ctx] && rf_discover_display_function(o)) {
		p->pdev_added[ctx] = true;
		rf_discover_gpu_from_pcie(p, p->pdev[ctx], d, p->pdev_sys[ctx]);
	}
}

static void rf_discover_pcie_funcs(struct rf_poll *p, json_t *o, struct rf_doc *d,
				   const char *path, intptr_t ctx)
{
	rf_poll_members(p, o, d, path, 4, rf_discover_pcie_func, ctx, true);
}

static void rf_discover_pcie_dev(struct rf_poll *p, json_t *o, struct rf_doc *d, const char *path,
				 intptr_t ctx)
{
	const char *type = rf_str(d, o, "DeviceType");
	const char *funcs = rf_path_of(p->h, rf_link(d, o, "PCIeFunctions"));
	int sys = p->nt.chassis[ctx].sys;

	if (type && !strcmp(type, "GPU")) {
		rf_discover_gpu_from_pcie(p, o, d, sys);
		return;
	}
	if (!funcs || p->npdev >= sizeof(p->pdev) / sizeof(p->pdev[0]))
		return;
	p->pdev[p->npdev] = json_incref(o);
	p->pdev_sys[p->npdev] = sys;
	rf_poll_get(p, funcs, true, rf_discover_pcie_funcs, (intptr_t)p->npdev, true);
	p->npdev++;
}

static void rf_discover_pcie_coll(struct rf_poll *p, json_t *o, struct rf_doc *d,
				  const char *path, intptr_t ctx)
{
	rf_poll_members(p, o, d, path, 16, rf_discover_pcie_dev, ctx, true);
}

static void rf_discover_sensor_coll(struct rf_poll *p, json_t *o, struct rf_doc *d,
				    const char *path, intptr_t ctx)
{
	json_t *m = rf_members(d, o), *e;
	size_t i;
	int sys = p->nt.chassis[ctx].sys;

	json_array_foreach(m, i, e) {
		const char *mp = rf_path_of(p->h, rf_str(d, e, "@odata.id"));

		if (i >= RF_MAX_MEMBERS)
			break;
		/* Without $expand only the GPU sensors are worth a request each. */
		if (mp && strcasestr(rf_poll_last_segment(mp), "gpu"))
			rf_tree_add_gpu_sensor(&p->nt, mp, sys);
	}
}

static void rf_discover_step_gpus2(struct rf_poll *p);

static void rf_discover_step_gpus(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	rf_tree_sort_gpus(t);
	for (size_t i = 0; i < t->ngpus; i++)
		if (!fleet_has(t->gpus[i].st.memory_total_mib))
			rf_poll_get(p, t->gpus[i].memlink, false, rf_discover_gpumem, (intptr_t)i,
				    true);
	if (t->ngpus == 0)
		for (size_t i = 0; i < t->nchassis; i++)
			rf_poll_get(p, t->chassis[i].pcie, true, rf_discover_pcie_coll, (intptr_t)i,
				    true);
	/* Some BMCs (HPE) keep their event log under the Manager only. */
	if (t->nlogs == 0)
		for (size_t i = 0; i < RF_MAX_MANAGERS; i++)
			rf_poll_get(p, p->mgr_logservices[i], true, rf_discover_logsvcs, 0, true);
	p->next = rf_discover_step_gpus2;
}

static void rf_discover_step_gpus2(struct rf_poll *p)
{
	struct rf_tree *t = &p->nt;

	rf_tree_sort_gpus(t);
	for (size_t i = 0; i < t->ngpus; i++) {
		t->gpus[i].st.index = (int)i;
		free(t->gpus[i].memlink);
		t->gpus[i].memlink = NULL;
	}
	/* GPUs without EnvironmentMetrics: their readings may be chassis sensors. */
	for (size_t c = 0; c < t->nchassis; c++) {
		struct rf_chassis *ch = &t->chassis[c];
		bool need = false;

		for (size_t i = 0; i < t->ngpus; i++)
			if (t->gpus[i].sys == ch->sys && !t->gpus[i].env)
				need = true;
		if (!need || !ch->sensors)
			continue;
		if (t->expand) {
			char u[400];

			http_fmt(u, sizeof(u), "%s%s", ch->sensors, RF_EXPAND);
			rf_tree_add_gpu_sensor(t, u, ch->sys);
		} else {
			rf_poll_get(p, ch->sensors, false, rf_discover_sensor_coll, (intptr_t)c, true);
		}
	}
	p->t = &p->nt;
	p->next = rf_refresh_step;
}

void rf_discover_start(struct rf_poll *p)
{
	rf_poll_get(p, "/redfish/v1", false, rf_discover_root, 0, false);
	p->next = rf_discover_step_collections;
}

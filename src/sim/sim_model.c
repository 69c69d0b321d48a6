/* The state of one simulated server and how it evolves: power
 * transitions, GPU load/power/temperature, the seeded fault schedule and
 * the event log. The model is stepped in whole seconds from the time of
 * its last step whenever a request looks at the host, so idle hosts cost
 * nothing. */
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const sim_reset_types[] = {
	"On", "ForceOff", "GracefulShutdown", "ForceRestart", "PowerCycle", NULL
};
const char *const sim_boot_targets[] = {
	"None", "Pxe", "Hdd", "BiosSetup", "Cd", "Usb", NULL
};
const char *const sim_boot_enabled[] = {
	"Disabled", "Once", "Continuous", NULL
};
const char *const sim_bmc_reset_types[] = {
	"GracefulRestart", "ForceRestart", NULL
};

enum { RESET_ON, RESET_FORCEOFF, RESET_GRACEFUL, RESET_RESTART, RESET_CYCLE };

static uint64_t model_splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t model_rand(uint64_t *s)
{
	*s = model_splitmix(*s);
	return *s;
}

/* Uniform in [0, 1). */
static double model_unit(uint64_t *s)
{
	return (double)(model_rand(s) >> 11) / 9007199254740992.0;
}

int model_find(const char *const *list, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

void model_log(struct sim_host *h, uint8_t kind, uint8_t gpu, uint8_t arg, uint8_t arg2)
{
	unsigned slot;

	if (h->log_count < SIM_LOG_MAX) {
		slot = (h->log_head + h->log_count) % SIM_LOG_MAX;
		h->log_count++;
	} else {
		slot = h->log_head;
		h->log_head = (uint16_t)((h->log_head + 1) % SIM_LOG_MAX);
	}
	h->log[slot] = (struct sim_log_entry){
		.id = ++h->log_next_id, .created = (uint32_t)time(NULL),
		.kind = kind, .gpu = gpu, .arg = arg, .arg2 = arg2,
	};
}

void model_log_render(const struct sim_log_entry *e, const char **severity,
                      const char **message_id, char *msg, size_t n)
{
	unsigned g = e->gpu + 1u;

	*severity = "OK";
	switch (e->kind) {
	case SIM_LOG_POWER_REQUEST:
		*message_id = "ResourceEvent.1.0.ResourceChanged";
		snprintf(msg, n, "Power action %s requested.",
		         e->arg < RESET_CYCLE + 1 ? sim_reset_types[e->arg] : "?");
		break;
	case SIM_LOG_POWER_ON:
		*message_id = "ResourceEvent.1.0.ResourcePoweredOn";
		snprintf(msg, n, "The resource System has powered on.");
		break;
	case SIM_LOG_POWER_OFF:
		*message_id = "ResourceEvent.1.0.ResourcePoweredOff";
		snprintf(msg, n, "The resource System has powered off.");
		break;
	case SIM_LOG_BOOT_OVERRIDE:
		*message_id = "ResourceEvent.1.0.ResourceChanged";
		snprintf(msg, n, "Boot source override set to %s (%s).",
		         sim_boot_targets[e->arg], sim_boot_enabled[e->arg2]);
		break;
	case SIM_LOG_GPU_OVERTEMP_WARN:
		*severity = "Warning";
		*message_id = "ResourceEvent.1.0.ResourceErrorThresholdExceeded";
		snprintf(msg, n, "GPU_SXM_%u temperature exceeded its warning threshold.", g);
		break;
	case SIM_LOG_GPU_OVERTEMP_CRIT:
		*severity = "Critical";
		*message_id = "ResourceEvent.1.0.ResourceErrorThresholdExceeded";
		snprintf(msg, n, "GPU_SXM_%u temperature exceeded its critical threshold.", g);
		break;
	case SIM_LOG_GPU_OFFBUS:
		*severity = "Critical";
		*message_id = "ResourceEvent.1.0.ResourceErrorsDetected";
		snprintf(msg, n, "GPU_SXM_%u has fallen off the bus.", g);
		break;
	case SIM_LOG_GPU_ECC_CORR:
		*severity = "Warning";
		*message_id = "ResourceEvent.1.0.ResourceErrorsDetected";
		snprintf(msg, n, "GPU_SXM_%u correctable ECC errors are increasing.", g);
		break;
	case SIM_LOG_GPU_ECC_UNCORR:
		*severity = "Critical";
		*message_id = "ResourceEvent.1.0.ResourceErrorsDetected";
		snprintf(msg, n, "GPU_SXM_%u uncorrectable ECC error.", g);
		break;
	case SIM_LOG_GPU_RECOVERED:
		*message_id = "ResourceEvent.1.0.ResourceErrorsCorrected";
		snprintf(msg, n, "GPU_SXM_%u recovered after a power cycle.", g);
		break;
	case SIM_LOG_CLEARED:
		*message_id = "ResourceEvent.1.0.ResourceChanged";
		snprintf(msg, n, "Log cleared.");
		break;
	case SIM_LOG_BMC_RESET:
		*message_id = "ResourceEvent.1.0.ResourceChanged";
		snprintf(msg, n, "BMC reset (%s) requested.",
		         e->arg < 2 ? sim_bmc_reset_types[e->arg] : "?");
		break;
	default:
		*message_id = "ResourceEvent.1.0.ResourceChanged";
		snprintf(msg, n, "Event.");
	}
}

/* The first three hosts always get one fault of each kind early, so a
 * small demo fleet shows every kind; the rest draw from the seed. */
static void model_schedule_faults(struct sim_host *h, unsigned index, uint64_t seed)
{
	uint64_t r = model_splitmix(seed ^ (0x632be59bd9b4e019ull * (index + 1)));
	unsigned kind = 0, count = 0;
	float at = 0;

	if (index < 3) {
		kind = index + 1;
		at = 6.0f + 7.0f * (float)index;
		count = 1;
	} else if (model_unit(&r) < 0.3) {
		kind = 1 + (unsigned)(model_rand(&r) % 3);
		at = 5.0f + (float)(model_rand(&r) % 26);
		count = 1;
	}
	if (count) {
		struct sim_gpu *g = &h->gpu[model_rand(&r) % SIM_GPUS];

		g->fault = (uint8_t)kind;
		g->fault_at = at;
		g->fault_persists = model_unit(&r) < 0.3;
	}
	if (model_unit(&r) < 0.15) {  /* a later, second fault */
		struct sim_gpu *g = &h->gpu[model_rand(&r) % SIM_GPUS];

		if (g->fault == SIM_FAULT_NONE) {
			g->fault = (uint8_t)(1 + model_rand(&r) % 3);
			g->fault_at = 60.0f + (float)(model_rand(&r) % 540);
			g->fault_persists = model_unit(&r) < 0.3;
		}
	}
}

/* Calibrated on a real H200 (tests/data/gpu): 81 W and 39 C idle, 340 W
 * and 52 C at full utilisation of a light kernel, i.e. about 0.05 C per W;
 * heavy training loads reach the 700 W limit, so load spans 80-650 W. */
static float model_gpu_power(float load)
{
	return 80.0f + load * 5.7f;
}

static float model_gpu_temp(float power)
{
	return 38.0f + (power - 80.0f) * 0.05f;
}


void model_init(struct sim_host *h, unsigned index, const struct sim_config *cfg)
{
	memset(h, 0, sizeof(*h));
	h->index = index;
	snprintf(h->name, sizeof(h->name), cfg->hosts > 999 ? "gpu-node-%04u" : "gpu-node-%03u",
	         index + 1);
	h->power = SIM_POWER_ON;
	h->rng = model_splitmix(0x5eedull + index * 7919ull + (cfg->faults ? cfg->seed : 0));
	h->last_step = sim_now();
	h->listen_fd = -1;
	h->daemon_epoll_fd = -1;
	h->ssh_fd = -1;
	for (unsigned i = 0; i < SIM_GPUS; i++) {
		struct sim_gpu *g = &h->gpu[i];

		g->load = g->load_target = (float)(model_unit(&h->rng) * 60.0);
		g->power = model_gpu_power(g->load);
		g->temp = model_gpu_temp(g->power);
		g->mem_util = g->mem_target = (float)(model_unit(&h->rng) * 50.0);
		g->next_target_at = (float)(5.0 + model_unit(&h->rng) * 20.0);
	}
	if (cfg->faults)
		model_schedule_faults(h, index, cfg->seed);
	model_log(h, SIM_LOG_POWER_ON, 0, 0, 0);
}

bool model_is_on(const struct sim_host *h)
{
	return h->power == SIM_POWER_ON || h->power == SIM_POWER_POWERING_OFF;
}

const char *model_power_name(const struct sim_host *h)
{
	switch (h->power) {
	case SIM_POWER_ON: return "On";
	case SIM_POWER_OFF: return "Off";
	case SIM_POWER_POWERING_ON: return "PoweringOn";
	default: return "PoweringOff";
	}
}

bool model_gpu_present(const struct sim_host *h, unsigned g)
{
	return !(h->gpu[g].fault_active && h->gpu[g].fault == SIM_FAULT_OFFBUS);
}

int model_gpu_health(const struct sim_host *h, unsigned i)
{
	const struct sim_gpu *g = &h->gpu[i];

	if (!g->fault_active)
		return 0;
	switch (g->fault) {
	case SIM_FAULT_OFFBUS:
		return 2;
	case SIM_FAULT_OVERHEAT:
		return g->temp >= 92.0f ? 2 : g->temp >= 85.0f ? 1 : 0;
	case SIM_FAULT_ECC:
		return g->uncorr_pending ? 2 : g->ecc_corr >= 50 ? 1 : 0;
	default:
		return 0;
	}
}

int model_host_health(const struct sim_host *h)
{
	int worst = 0;

	for (unsigned i = 0; i < SIM_GPUS; i++) {
		int v = model_gpu_health(h, i);
		if (v > worst)
			worst = v;
	}
	return worst;
}

const char *model_health_name(int health)
{
	return health >= 2 ? "Critical" : health == 1 ? "Warning" : "OK";
}

static float model_max_temp(const struct sim_host *h)
{
	float t = 25.0f;

	for (unsigned i = 0; i < SIM_GPUS; i++)
		if (model_gpu_present(h, i) && h->gpu[i].temp > t)
			t = h->gpu[i].temp;
	return t;
}

static double model_gpu_watts(const struct sim_host *h)
{
	double w = 0;

	if (!model_is_on(h))
		return 0;
	for (unsigned i = 0; i < SIM_GPUS; i++)
		if (model_gpu_present(h, i))
			w += h->gpu[i].power;
	return w;
}

double model_fan_rpm(const struct sim_host *h, unsigned fan)
{
	if (!model_is_on(h))
		return 0;
	double rpm = 3000.0 + (model_max_temp(h) - 30.0) * 150.0 + fan * 37.0;
	return rpm < 2500.0 ? 2500.0 : rpm > SIM_FAN_MAX_RPM ? SIM_FAN_MAX_RPM : round(rpm);
}

double model_inlet(const struct sim_host *h)
{
	return 23.0 + (double)(h->index % 5) * 0.5;
}

double model_exhaust(const struct sim_host *h)
{
	return round((model_inlet(h) + 2.0 + model_gpu_watts(h) / 300.0) * 10.0) / 10.0;
}

double model_psu_watts(const struct sim_host *h, unsigned psu)
{
	(void)psu;
	if (!model_is_on(h))
		return 35.0;
	/* two PSUs share the load: CPUs, fans and the rest add ~900 W */
	return round((model_gpu_watts(h) + 900.0) / 2.0);
}

/* After a power-on, faults that a power cycle fixes are gone. */
static void model_powered_on(struct sim_host *h)
{
	for (unsigned i = 0; i < SIM_GPUS; i++) {
		struct sim_gpu *g = &h->gpu[i];

		if (g->fault_active && !g->fault_persists) {
			g->fault_active = false;
			g->fault = SIM_FAULT_NONE;
			g->uncorr_pending = false;
			g->health_logged = 0;
			model_log(h, SIM_LOG_GPU_RECOVERED, (uint8_t)i, 0, 0);
		}
	}
	model_log(h, SIM_LOG_POWER_ON, 0, 0, 0);
}

static void model_transition(struct sim_host *h, double t, const struct sim_config *cfg)
{
	if (h->power != SIM_POWER_POWERING_ON && h->power != SIM_POWER_POWERING_OFF)
		return;
	if (t < h->transition_end)
		return;
	if (h->power == SIM_POWER_POWERING_OFF) {
		model_log(h, SIM_LOG_POWER_OFF, 0, 0, 0);
		if (h->cycle) {
			h->cycle = false;
			h->power = SIM_POWER_POWERING_ON;
			h->transition_end += cfg->power_delay;
			if (t >= h->transition_end) {
				h->power = SIM_POWER_ON;
				model_powered_on(h);
			}
			return;
		}
		h->power = SIM_POWER_OFF;
		return;
	}
	h->power = SIM_POWER_ON;
	model_powered_on(h);
}

static float model_approach(float v, float target, float rate)
{
	return v + (target - v) * rate;
}

static void model_step_gpu(struct sim_host *h, unsigned i, double up)
{
	struct sim_gpu *g = &h->gpu[i];
	double noise = model_unit(&h->rng) - 0.5;

	if (!model_is_on(h)) {
		g->load = 0;
		g->power = 0;
		g->temp = model_approach(g->temp, 25.0f, 0.05f);
		return;
	}
	if (g->fault != SIM_FAULT_NONE && !g->fault_active && up >= g->fault_at) {
		g->fault_active = true;
		if (g->fault == SIM_FAULT_OFFBUS)
			model_log(h, SIM_LOG_GPU_OFFBUS, (uint8_t)i, 0, 0);
		else if (g->fault == SIM_FAULT_ECC)
			model_log(h, SIM_LOG_GPU_ECC_CORR, (uint8_t)i, 0, 0);
		g->health_logged = g->fault == SIM_FAULT_OFFBUS ? 2 : 0;
	}
	if (up >= g->next_target_at) {
		double r = model_unit(&h->rng);
		/* a mix of idle, medium and flat-out jobs */
		g->load_target = (float)(r < 0.2 ? r * 25.0 : r < 0.5 ? 30.0 + r * 40.0 : 85.0 + r * 15.0);
		if (g->load_target > 100.0f)
			g->load_target = 100.0f;
		g->mem_target = (float)(10.0 + model_unit(&h->rng) * 85.0);
		g->next_target_at = (float)(up + 15.0 + model_unit(&h->rng) * 45.0);
	}
	g->load = model_approach(g->load, g->load_target, 0.15f) + (float)(noise * 2.0);
	g->load = g->load < 0 ? 0 : g->load > 100 ? 100 : g->load;
	g->mem_util = model_approach(g->mem_util, g->mem_target, 0.1f);
	g->power = model_gpu_power(g->load) + (float)(noise * 6.0);
	float target = model_gpu_temp(g->power);
	if (g->fault_active && g->fault == SIM_FAULT_OVERHEAT)
		target = 99.0f;  /* a failed heatsink or stuck fan: climbs past 90 */
	g->temp = model_approach(g->temp, target, 0.08f);
	if (g->fault_active && g->fault == SIM_FAULT_ECC) {
		g->ecc_corr += (uint32_t)(model_rand(&h->rng) % 5);
		if (model_unit(&h->rng) < 1.0 / 90.0) {
			g->ecc_uncorr++;
			g->uncorr_pending = true;
			model_log(h, SIM_LOG_GPU_ECC_UNCORR, (uint8_t)i, 0, 0);
		}
	}
	int health = model_gpu_health(h, i);
	if (g->fault == SIM_FAULT_OVERHEAT && health > g->health_logged) {
		model_log(h, health == 2 ? SIM_LOG_GPU_OVERTEMP_CRIT : SIM_LOG_GPU_OVERTEMP_WARN,
		          (uint8_t)i, 0, 0);
		g->health_logged = (uint8_t)health;
	}
}

void model_advance(struct sim_host *h, const struct sim_config *cfg)
{
	double now = sim_now();
	double start = now - sim_uptime();

	if (now - h->last_step > 600.0)  /* bound the catch-up work */
		h->last_step = now - 600.0;
	while (h->last_step + 1.0 <= now) {
		h->last_step += 1.0;
		model_transition(h, h->last_step, cfg);
		for (unsigned i = 0; i < SIM_GPUS; i++)
			model_step_gpu(h, i, h->last_step - start);
	}
	model_transition(h, now, cfg);
}

int model_reset(struct sim_host *h, const char *type, const struct sim_config *cfg)
{
	int t = model_find(sim_reset_types, type);
	double now = sim_now();

	if (t < 0)
		return -1;
	model_advance(h, cfg);
	model_log(h, SIM_LOG_POWER_REQUEST, 0, (uint8_t)t, 0);
	switch (t) {
	case RESET_ON:
		if (h->power == SIM_POWER_OFF || h->power == SIM_POWER_POWERING_OFF) {
			h->power = SIM_POWER_POWERING_ON;
			h->cycle = false;
			h->transition_end = now + cfg->power_delay;
		}
		break;
	case RESET_FORCEOFF:
	case RESET_GRACEFUL:
		if (h->power == SIM_POWER_ON || h->power == SIM_POWER_POWERING_ON) {
			h->power = SIM_POWER_POWERING_OFF;
			h->cycle = false;
			h->transition_end = now + cfg->power_delay;
		}
		break;
	default: /* ForceRestart, PowerCycle */
		if (h->power == SIM_POWER_OFF) {
			h->power = SIM_POWER_POWERING_ON;
		} else {
			h->power = SIM_POWER_POWERING_OFF;
			h->cycle = true;
		}
		h->transition_end = now + cfg->power_delay;
		break;
	}
	return 0;
}

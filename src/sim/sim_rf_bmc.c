/* The simulated BMC's own Redfish resources: Managers/BMC_0 and the
 * SessionService with its sessions (which sim_http.c creates, checks
 * and deletes; this file only renders them). */
#include "sim_rf.h"

#include <stdio.h>
#include <string.h>

#define RF_SESSIONS RF "/SessionService/Sessions"

json_t *rf_bmc_session(const struct sim_host *h, const struct sim_session *s)
{
	(void)h;
	return json_pack("{s:o, s:s, s:o, s:s, s:s}",
		"@odata.id", json_sprintf(RF_SESSIONS "/%u", s->id),
		"@odata.type", "#Session.v1_3_0.Session", "Id", json_sprintf("%u", s->id),
		"Name", "User Session", "UserName", "admin");
}

json_t *rf_bmc_sessions(const struct sim_host *h)
{
	json_t *m = json_array();

	for (unsigned i = 0; i < SIM_SESSIONS; i++)
		if (h->sessions[i].id)
			json_array_append_new(m, redfish_link(RF_SESSIONS "/%u", h->sessions[i].id));
	return redfish_collection(RF_SESSIONS, "#SessionCollection.SessionCollection",
	                          "Session Collection", m);
}

static json_t *rf_bmc_manager(const struct sim_host *h, const struct sim_config *cfg)
{
	char now[40];
	json_t *m;

	sim_iso8601(now, sizeof(now), time(NULL));
	m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:[o], s:[o]},"
		" s:{s:{s:s, s:[s, s]}}}",
		"@odata.id", RF "/Managers/BMC_0", "@odata.type", "#Manager.v1_14_0.Manager",
		"Id", "BMC_0", "Name", "Manager", "ManagerType", "BMC",
		"Model", "racktop-sim BMC", "FirmwareVersion", "13.03-sim", "DateTime", now,
		"PowerState", "On", "Status", redfish_status("Enabled", 0),
		"Links", "ManagerForServers", redfish_link(SYS),
		"ManagerForChassis", redfish_link(DGX_CHASSIS),
		"Actions", "#Manager.Reset", "target", RF "/Managers/BMC_0/Actions/Manager.Reset",
		"ResetType@Redfish.AllowableValues", sim_bmc_reset_types[0], sim_bmc_reset_types[1]);
	/* Where this BMC serves its serial console over SSH (racktop's SSH
	 * consoles use it): its own port with --ssh-port, the one
	 * --ssh-console-port names otherwise. */
	if (m && cfg && (h->ssh_port || cfg->ssh_console_port))
		json_object_set_new(m, "SerialConsole", json_pack("{s:i, s:{s:b, s:i, s:[s]}}",
			"MaxConcurrentSessions", h->ssh_port ? SIM_SSH_SESSIONS : 1, "SSH",
			"ServiceEnabled", 1, "Port", h->ssh_port ? (int)h->ssh_port : (int)cfg->ssh_console_port,
			"ConnectTypesSupported", "OEM"));
	return m;
}

int rf_bmc_reset(struct sim_host *h, json_t *body, json_t **err)
{
	int t = model_find(sim_bmc_reset_types,
	                   json_string_value(json_object_get(body, "ResetType")));

	if (t < 0) {
		*err = redfish_error("Base.1.8.ActionParameterValueNotInList",
		                     "ResetType must be GracefulRestart or ForceRestart.");
		return 400;
	}
	model_log(h, SIM_LOG_BMC_RESET, 0, (uint8_t)t, 0);
	/* A restarted BMC has forgotten every session. */
	memset(h->sessions, 0, sizeof(h->sessions));
	h->bmc_down_until = sim_now() + SIM_BMC_RESET_S;
	return 204;
}

/* Managers/... and SessionService (its Sessions are sim_http.c's) */
json_t *rf_bmc_get(struct sim_host *h, const struct rf_path *p, const struct sim_config *cfg)
{
	if (rf_at(p, 0, "SessionService"))
		return p->n != 1 ? NULL : json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:o}",
			"@odata.id", RF "/SessionService", "@odata.type", "#SessionService.v1_1_8.SessionService",
			"Id", "SessionService", "Name", "Session Service", "ServiceEnabled", 1,
			"SessionTimeout", SIM_SESSION_IDLE_S, "Sessions", redfish_link(RF_SESSIONS));
	if (p->n == 1)
		return redfish_collection(RF "/Managers", "#ManagerCollection.ManagerCollection",
		                          "Manager Collection", json_pack("[o]", redfish_link(RF "/Managers/BMC_0")));
	if (p->n == 2 && rf_at(p, 1, "BMC_0"))
		return rf_bmc_manager(h, cfg);
	return NULL;
}

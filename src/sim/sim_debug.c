/* racktop-sim's own endpoints, below /racktop-sim (not Redfish), for
 * tests and benchmarks: GET /racktop-sim/stats counts the requests this
 * BMC has answered (to check how many a client's poll costs), and POST
 * /racktop-sim/fault {"Fault": "GPU:KIND[:persist]"} starts a fault
 * while the simulator runs (as --fault does at start). Both want the
 * BMC's credentials like any Redfish resource. */
#include "sim.h"

#include <stdio.h>
#include <string.h>

bool debug_is_path(const char *path)
{
	return strncmp(path, SIM_DEBUG_PREFIX "/", strlen(SIM_DEBUG_PREFIX) + 1) == 0;
}

static int debug_fault(struct sim_host *h, json_t *body, json_t **out)
{
	const char *spec = json_string_value(json_object_get(body, "Fault"));
	struct sim_fault_spec f;
	char arg[64];

	if (!spec || strlen(spec) > 40) {
		*out = redfish_error("Base.1.8.PropertyMissing", "Fault (\"GPU:KIND[:persist]\") is required.");
		return 400;
	}
	/* fault_parse wants I:GPU:KIND; this host is the only one here. */
	snprintf(arg, sizeof(arg), "0:%s", spec);
	if (fault_parse(arg, 1, &f) != 0) {
		*out = redfish_error("Base.1.8.PropertyValueNotInList",
		                     "Fault: want GPU:KIND[:persist], GPU from 0 to 7, KIND one of overheat, offbus, ecc.");
		return 400;
	}
	f.host = h->index;
	fault_apply(h, &f);
	return 204;
}

int debug_handle(struct sim_host *h, const char *method, const char *path, json_t *body,
                 json_t **out)
{
	*out = NULL;
	if (strcmp(path, SIM_DEBUG_PREFIX "/stats") == 0 && strcmp(method, "GET") == 0) {
		*out = json_pack("{s:I, s:I, s:I}", "Requests", (json_int_t)h->requests,
		                 "Gets", (json_int_t)h->gets, "GetBytes", (json_int_t)h->get_bytes);
		return 200;
	}
	if (strcmp(path, SIM_DEBUG_PREFIX "/fault") == 0 && strcmp(method, "POST") == 0)
		return debug_fault(h, body, out);
	*out = redfish_error("Base.1.8.ResourceMissingAtURI", "No such racktop-sim endpoint.");
	return 404;
}

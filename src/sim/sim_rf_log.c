/* Redfish view of a simulated host's event log:
 * Systems/DGX/LogServices/EventLog and its Entries, rendered on demand
 * from the compact ring the model keeps (sim_model.c). */
#include "sim_rf.h"

#include <stdlib.h>

#define RF_LOG SYS "/LogServices/EventLog"

static json_t *rf_log_entry(const struct sim_log_entry *e)
{
	const char *severity, *message_id;
	char msg[160], created[40];

	model_log_render(e, &severity, &message_id, msg, sizeof(msg));
	sim_iso8601(created, sizeof(created), (time_t)e->created);
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}",
		"@odata.id", json_sprintf(RF_LOG "/Entries/%u", e->id),
		"@odata.type", "#LogEntry.v1_9_0.LogEntry", "Id", json_sprintf("%u", e->id),
		"Name", "System Event Log Entry", "Created", created, "EntryType", "Event",
		"Severity", severity, "Message", msg, "MessageId", message_id);
}

/* The I-th entry, oldest first. */
static const struct sim_log_entry *rf_log_at(const struct sim_host *h, unsigned i)
{
	return &h->log[(h->log_head + i) % SIM_LOG_MAX];
}

static json_t *rf_log_entries(struct sim_host *h)
{
	json_t *m = json_array();

	for (unsigned i = 0; i < h->log_count; i++)
		json_array_append_new(m, rf_log_entry(rf_log_at(h, i)));
	return redfish_collection(RF_LOG "/Entries", "#LogEntryCollection.LogEntryCollection",
	                          "Event Log Entries", m);
}

static json_t *rf_log_find(struct sim_host *h, const char *id_text)
{
	char *end;
	unsigned long id = strtoul(id_text, &end, 10);

	for (unsigned i = 0; *end == '\0' && i < h->log_count; i++)
		if (rf_log_at(h, i)->id == id)
			return rf_log_entry(rf_log_at(h, i));
	return NULL;
}

int rf_log_clear(struct sim_host *h, json_t **err)
{
	(void)err;
	/* Ids go on from where they were: a client that saw entry 40 must
	 * not take the next entry 1 for an old one. */
	h->log_head = 0;
	h->log_count = 0;
	model_log(h, SIM_LOG_CLEARED, 0, 0, 0);
	return 204;
}

/* Systems/DGX/LogServices/... */
json_t *rf_log_get(struct sim_host *h, const struct rf_path *p)
{
	if (p->n == 3)
		return redfish_collection(SYS "/LogServices", "#LogServiceCollection.LogServiceCollection",
		                          "Log Service Collection", json_pack("[o]", redfish_link(RF_LOG)));
	if (!rf_at(p, 3, "EventLog"))
		return NULL;
	if (p->n == 4)
		return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:{s:{s:s}}}",
			"@odata.id", RF_LOG, "@odata.type", "#LogService.v1_2_0.LogService",
			"Id", "EventLog", "Name", "Event Log", "MaxNumberOfRecords", SIM_LOG_MAX,
			"OverWritePolicy", "WrapsWhenFull", "Entries", redfish_link(RF_LOG "/Entries"),
			"Actions", "#LogService.ClearLog", "target", RF_LOG "/Actions/LogService.ClearLog");
	if (p->n == 5 && rf_at(p, 4, "Entries"))
		return rf_log_entries(h);
	if (p->n == 6 && rf_at(p, 4, "Entries"))
		return rf_log_find(h, p->seg[5]);
	return NULL;
}

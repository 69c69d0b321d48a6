/* A transport for tests: serves Redfish mockup folders from disk, no
 * network. Answers are queued and delivered by rf_file_run(), like a
 * real transport would, so the poll code sees the same call order. */
#ifndef RF_FILE_TRANSPORT_H
#define RF_FILE_TRANSPORT_H

#include <stdbool.h>

#include "http.h"

#define RF_FILE_OVERRIDES 8

struct rf_file_override {
	const char *path;     /* /redfish/v1/... (no query) */
	const char *body;     /* served instead of the file */
	long status;          /* 0: 200 */
};

struct rf_file_transport {
	struct http_transport base;
	char root[512];       /* the folder that is /redfish/v1 */
	struct http_req *head, *tail;
	unsigned gets, posts, patches, deletes;
	char last_body[512];  /* body of the last POST/PATCH other than a login */
	char last_path[512];
	struct rf_file_override ov[RF_FILE_OVERRIDES];
	int nov;
	long login_status;    /* 0: 201 */
	int unauthorized;     /* this many GETs answer 401 (an expired session) */
	int timeouts;         /* this many GETs get no answer within the timeout */
	bool no_expand;       /* ignore $expand (a BMC that advertises it but does not) */
	unsigned expanded;    /* GETs answered with $expand */
	long expand_status;   /* non-zero: every GET with $expand gets this status */
};

/* DIR is a mockup folder: "tall" (DIR/redfish/v1/...) or "short"
 * (DIR/index.json is /redfish/v1). */
void rf_file_init(struct rf_file_transport *t, const char *dir);
void rf_file_override(struct rf_file_transport *t, const char *path, const char *body, long status);
/* Delivers answers until nothing is queued. */
void rf_file_run(struct rf_file_transport *t);

#endif

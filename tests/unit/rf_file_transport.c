#include "rf_file_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void rf_file_submit(struct http_transport *bt, struct http_req *r)
{
	struct rf_file_transport *t = (struct rf_file_transport *)bt;

	r->next = NULL;
	if (t->tail)
		t->tail->next = r;
	else
		t->head = r;
	t->tail = r;
}

void rf_file_init(struct rf_file_transport *t, const char *dir)
{
	char p[600];
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->base.submit = rf_file_submit;
	snprintf(p, sizeof(p), "%s/redfish/v1/index.json", dir);
	if (stat(p, &st) == 0)
		snprintf(t->root, sizeof(t->root), "%s/redfish/v1", dir);
	else
		snprintf(t->root, sizeof(t->root), "%s", dir);
}

void rf_file_override(struct rf_file_transport *t, const char *path, const char *body, long status)
{
	if (t->nov < RF_FILE_OVERRIDES)
		t->ov[t->nov++] = (struct rf_file_override){ path, body, status };
}

static void rf_file_serve(struct rf_file_transport *t, struct http_req *r)
{
	const char *path = strstr(r->url, "/redfish/v1");
	char rel[512], file[1200];
	FILE *f;
	long n;

	if (!path) {
		r->status = 404;
		return;
	}
	snprintf(rel, sizeof(rel), "%s", path);
	rel[strcspn(rel, "?#")] = '\0';
	while (strlen(rel) > 1 && rel[strlen(rel) - 1] == '/')
		rel[strlen(rel) - 1] = '\0';
	if (strcmp(r->method, "POST") == 0 && strstr(rel, "SessionService/Sessions")) {
		t->posts++;
		r->status = t->login_status ? t->login_status : 201;
		if (r->status == 201) {
			r->auth_token = strdup("file-token");
			snprintf(r->location, sizeof(r->location),
				 "/redfish/v1/SessionService/Sessions/%u", t->posts);
		}
		return;
	}
	if (strcmp(r->method, "GET") != 0) {
		if (!strcmp(r->method, "DELETE"))
			t->deletes++;
		else {
			if (!strcmp(r->method, "PATCH"))
				t->patches++;
			else
				t->posts++;
			snprintf(t->last_body, sizeof(t->last_body), "%s", r->body ? r->body : "");
			snprintf(t->last_path, sizeof(t->last_path), "%s", rel);
		}
		r->status = 204;
		return;
	}
	t->gets++;
	if (t->unauthorized > 0) {
		t->unauthorized--;
		r->status = 401;
		return;
	}
	for (int i = 0; i < t->nov; i++) {
		if (strcmp(t->ov[i].path, rel) == 0) {
			r->status = t->ov[i].status ? t->ov[i].status : 200;
			r->resp = strdup(t->ov[i].body);
			r->resp_len = strlen(r->resp);
			return;
		}
	}
	snprintf(file, sizeof(file), "%s%s/index.json", t->root, rel + strlen("/redfish/v1"));
	f = fopen(file, "rb");
	if (!f) {
		r->status = 404;
		return;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	r->resp = malloc((size_t)n + 1);
	r->resp_len = fread(r->resp, 1, (size_t)n, f);
	r->resp[r->resp_len] = '\0';
	fclose(f);
	r->status = 200;
}

void rf_file_run(struct rf_file_transport *t)
{
	while (t->head) {
		struct http_req *r = t->head;

		t->head = r->next;
		if (!t->head)
			t->tail = NULL;
		r->next = NULL;
		rf_file_serve(t, r);
		r->done(r);
	}
}

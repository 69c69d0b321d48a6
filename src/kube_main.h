/* racktop --kube: the cluster's picture on the screen or in batch mode
 * (kube.h, doc/kubernetes.md). Called from main.c. */
#ifndef RACKTOP_KUBE_MAIN_H
#define RACKTOP_KUBE_MAIN_H

#include <stdbool.h>

#include "batch_sweep.h"
#include "ui.h"

struct kube_main_options {
	const char *context;       /* --context NAME */
	const char *namespace_;    /* --namespace NS; NULL: all namespaces */
	bool batch;
	int interval_s;            /* --interval, with interval_set */
	bool interval_set;
	enum batch_format format;  /* --format */
	const char *action;        /* --action WORD (batch) */
	const char *hosts;         /* --hosts REGEX */
	bool yes;
	bool read_only;
	const char *audit_log;
	int timeout_s;
	const char *reprovision;   /* --reprovision TEMPLATE (batch) */
	/* r's direct BMC read: --cacert, and the credentials file (-c, or
	 * the default one when it exists) for a Machine with no Secret. */
	const char *cacert;
	const char *credentials;
};

/* Runs racktop in Kubernetes mode; UO's theme and console settings are
 * used for the screen. Returns the exit status. */
int kube_main_run(const struct kube_main_options *o, const struct ui_options *uo);

#endif

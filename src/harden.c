/* No core dumps (harden.h): a crash of racktop --batch once left a core
 * file holding the BMC password 27 times (libcurl's, jansson's and our
 * own copies), readable by whoever could read the file. */
#include "harden.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

int harden_process(bool allow_core, char *err, size_t errlen)
{
	struct rlimit none = { 0, 0 };

	if (allow_core)
		return 0;
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		snprintf(err, errlen, "cannot turn core dumps off (RLIMIT_CORE): %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(err, errlen, "cannot turn core dumps off (PR_SET_DUMPABLE): %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* Keeping the BMC passwords and tokens racktop holds out of core dumps
 * (racktop(1), --allow-core-dump). */
#ifndef RACKTOP_HARDEN_H
#define RACKTOP_HARDEN_H

#include <stdbool.h>
#include <stddef.h>

/* Unless ALLOW_CORE: no core dump of this process at all. RLIMIT_CORE
 * goes to 0, soft and hard (so nothing later raises it), and the
 * process is made not dumpable, which also stops a core_pattern pipe
 * (systemd-coredump, apport) that ignores RLIMIT_CORE, and other
 * processes of the same user reading its memory (ptrace,
 * /proc/PID/mem). ALLOW_CORE leaves both as they were. 0, or -1 with
 * ERR naming what failed. */
int harden_process(bool allow_core, char *err, size_t errlen);

#endif

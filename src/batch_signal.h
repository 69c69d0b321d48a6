/* Ctrl-C, SIGTERM and SIGHUP in batch mode (racktop(1), EXIT STATUS).
 * The first asks every batch loop to stop: actions and workflows in
 * flight end "cancelled" in the audit log (the request may have reached
 * the BMC), the engine logs out of every BMC, and racktop exits 130.
 * A second signal exits at once, also 130. */
#ifndef RACKTOP_BATCH_SIGNAL_H
#define RACKTOP_BATCH_SIGNAL_H

#include <signal.h>

#include "fleet.h"

#define BATCH_SIGNAL_EXIT 130

/* Catches SIGINT, SIGTERM and SIGHUP from now on, but leaves one that
 * is ignored (nohup, a job a shell put in the background) ignored. 0,
 * or -1. */
int batch_signal_install(void);
/* The signal that asked racktop to stop, or 0. Async-signal-safe. */
int batch_signal_caught(void);
/* "SIGINT", "SIGTERM", "SIGHUP", "signal N". */
const char *batch_signal_name(int sig);
/* Threads started between these two never take the signals (the main
 * thread's waits see them at once, and no worker's system call is
 * interrupted); a thread they start inherits that. */
void batch_signal_block(sigset_t *old);
void batch_signal_restore(const sigset_t *old);
/* Sleeps until FLEET changes, MS milliseconds pass or a stop is asked
 * for (FLEET's wake pipe is drained). Returns batch_signal_caught();
 * the first time it returns a signal it says on stderr that racktop is
 * stopping. */
int batch_signal_wait(struct fleet *fleet, int ms);
/* As if SIG had arrived (the handler's first-signal path); for tests. */
void batch_signal_raise(int sig);
/* Forgets a caught signal (tests). */
void batch_signal_reset(void);

#endif

/* Stopping batch mode on a signal (batch_signal.h). The handler only
 * records the signal and writes a byte to a pipe the batch loops poll
 * beside the fleet's wake pipe; the loops do the stopping. */
#include "batch_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t batch_signal_sig;
static int batch_signal_pipe[2] = { -1, -1 };
static volatile sig_atomic_t batch_signal_said;

static void batch_signal_handler(int sig)
{
	int saved = errno;

	if (batch_signal_sig) {
		static const char msg[] = "racktop: interrupted again: quitting now\n";

		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
			/* nothing to be done */
		}
		_exit(BATCH_SIGNAL_EXIT);
	}
	batch_signal_sig = sig;
	if (batch_signal_pipe[1] >= 0 && write(batch_signal_pipe[1], "", 1) < 0) {
		/* full: a byte is already there */
	}
	errno = saved;
}

int batch_signal_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	if (batch_signal_pipe[0] < 0 && pipe2(batch_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = batch_signal_handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* Blocking calls elsewhere go on rather than fail with EINTR. */
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		/* One ignored when racktop started stays so: nohup's SIGHUP,
		 * a shell's SIGINT for a job in the background. */
		if (sigaction(sigs[i], NULL, &old) != 0)
			return -1;
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	}
	return 0;
}

int batch_signal_caught(void)
{
	return batch_signal_sig;
}

const char *batch_signal_name(int sig)
{
	static char buf[32];

	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	default:
		snprintf(buf, sizeof(buf), "signal %d", sig);
		return buf;
	}
}

static void batch_signal_set(sigset_t *s)
{
	sigemptyset(s);
	sigaddset(s, SIGINT);
	sigaddset(s, SIGTERM);
	sigaddset(s, SIGHUP);
}

void batch_signal_block(sigset_t *old)
{
	sigset_t s;

	batch_signal_set(&s);
	pthread_sigmask(SIG_BLOCK, &s, old);
}

void batch_signal_restore(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

int batch_signal_wait(struct fleet *fleet, int ms)
{
	struct pollfd p[2] = {
		{ .fd = fleet_wake_fd(fleet), .events = POLLIN },
		{ .fd = batch_signal_pipe[0], .events = POLLIN },
	};
	int sig = batch_signal_caught();

	if (!sig) {
		poll(p, batch_signal_pipe[0] >= 0 ? 2 : 1, ms);
		fleet_wake_drain(fleet);
		sig = batch_signal_caught();
	}
	if (sig && !batch_signal_said) {
		batch_signal_said = 1;
		fprintf(stderr, "racktop: %s: stopping (what is in flight is recorded cancelled; "
			"logging out of the BMCs); again to quit at once\n", batch_signal_name(sig));
	}
	return sig;
}

void batch_signal_raise(int sig)
{
	batch_signal_handler(sig);
}

void batch_signal_reset(void)
{
	char b[16];

	batch_signal_sig = 0;
	batch_signal_said = 0;
	while (batch_signal_pipe[0] >= 0 && read(batch_signal_pipe[0], b, sizeof(b)) > 0)
		;
}

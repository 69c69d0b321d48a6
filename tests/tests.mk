# Tests. Unit and integration tests are Criterion programs; screen tests
# are shell scripts driving racktop in tmux. Every test gets the paths it
# needs from this environment.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	RACKTOP='$(abs_top_builddir)/racktop'; export RACKTOP; \
	RACKTOP_SIM='$(abs_top_builddir)/racktop-sim'; export RACKTOP_SIM; \
	RACKTOP_SRCDIR='$(abs_top_srcdir)'; export RACKTOP_SRCDIR; \
	RACKTOP_SHARED='$(SHARED_DIR)'; export RACKTOP_SHARED; \
	RACKTOP_TESTDATA='$(abs_top_srcdir)/tests/data'; export RACKTOP_TESTDATA; \
	RACKTOP_SANITIZED='$(enable_sanitizers)'; export RACKTOP_SANITIZED; \
	RACKTOP_HARDENED='$(enable_hardening)'; export RACKTOP_HARDENED; \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp'; export LSAN_OPTIONS;
AM_DISTCHECK_CONFIGURE_FLAGS = --with-shared='$(SHARED_DIR)'

TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(YAML_CFLAGS)
TEST_LIBS = $(RACKTOP_CORE_LIBS) $(CRITERION_LIBS)

check_PROGRAMS += tests/unit/test_fleet
tests_unit_test_fleet_SOURCES = tests/unit/test_fleet.c
tests_unit_test_fleet_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_fleet_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_fleet

EXTRA_DIST += tests/lsan.supp tests/bench/first_poll.sh tests/data/gpu

# No core dumps unless --allow-core-dump (src/harden.c).
check_PROGRAMS += tests/unit/test_harden
tests_unit_test_harden_SOURCES = tests/unit/test_harden.c
tests_unit_test_harden_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_harden_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_harden tests/integration/core_dump.sh
EXTRA_DIST += tests/integration/core_dump.sh
# Batch mode stopped by a signal: exit 130, cancelled, logged out.
check_PROGRAMS += tests/unit/test_batch_signal
tests_unit_test_batch_signal_SOURCES = tests/unit/test_batch_signal.c
tests_unit_test_batch_signal_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_batch_signal_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_batch_signal tests/integration/batch_signal.sh \
	tests/integration/kube_signal.sh
# A slow BMC is waited for, never printed as error null with nothing.
TESTS += tests/integration/batch_slow.sh
EXTRA_DIST += tests/integration/batch_signal.sh tests/integration/batch_slow.sh \
	tests/integration/kube_signal.sh

# How racktop is built: full RELRO, PIE, stack protector, fortified calls.
TESTS += tests/integration/hardening.sh
EXTRA_DIST += tests/integration/hardening.sh

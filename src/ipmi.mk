# The IPMI backend (FreeIPMI: libipmimonitoring, libfreeipmi) and the
# worker pool its blocking calls run on.
libracktop_a_SOURCES += src/workers.c src/workers.h \
	src/ipmi.c src/ipmi.h src/ipmi_conn.c src/ipmi_chassis.c src/ipmi_sensors.c \
	src/ipmi_sel.c src/ipmi_manage.c src/ipmi_data.c src/ipmi_shared.c src/ipmi_gpu.c src/ipmi_fallback.c

check_PROGRAMS += tests/unit/test_workers
tests_unit_test_workers_SOURCES = tests/unit/test_workers.c
tests_unit_test_workers_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_workers_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_workers

check_PROGRAMS += tests/unit/test_ipmi_gpu
tests_unit_test_ipmi_gpu_SOURCES = tests/unit/test_ipmi_gpu.c
tests_unit_test_ipmi_gpu_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ipmi_gpu_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_ipmi_gpu

check_PROGRAMS += tests/integration/test_ipmi
tests_integration_test_ipmi_SOURCES = tests/integration/test_ipmi.c \
	tests/integration/ipmi_sim.c tests/integration/ipmi_sim.h \
	tests/integration/fleet_wait.c tests/integration/fleet_wait.h
tests_integration_test_ipmi_CFLAGS = $(TEST_CFLAGS) $(FREEIPMI_CFLAGS)
tests_integration_test_ipmi_LDADD = $(TEST_LIBS)
TESTS += tests/integration/test_ipmi

TESTS += tests/screen/mixed_fleet.sh tests/integration/ipmi_actions.sh
EXTRA_DIST += tests/screen/mixed_fleet.sh tests/bench/ipmi_sweep.sh doc/ipmi.md \
	tests/integration/ipmi_actions.sh tests/ipmi_sim_lib.sh

# The IPMI sensor sweep benchmark's racktop side (tests/bench/ipmi_sweep.sh);
# built with the tests, not run by them.
check_PROGRAMS += tests/bench/ipmi_sweep
tests_bench_ipmi_sweep_SOURCES = tests/bench/ipmi_sweep.c
tests_bench_ipmi_sweep_CFLAGS = $(TEST_CFLAGS)
tests_bench_ipmi_sweep_LDADD = $(TEST_LIBS)

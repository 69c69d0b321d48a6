# racktop-sim: the simulated GPU fleet (Redfish BMCs on loopback).
bin_PROGRAMS += racktop-sim
racktop_sim_SOURCES = src/sim/sim.h src/sim/sim_main.c src/sim/sim_clock.c \
	src/sim/sim_model.c src/sim/sim_http.c src/sim/sim_mockup.c \
	src/sim/sim_misbehave.c src/sim/sim_fault.c src/sim/sim_debug.c src/sim/sim_tls.c src/sim/sim_manifest.c \
	src/sim/sim_rf.h src/sim/sim_redfish.c src/sim/sim_rf_system.c \
	src/sim/sim_rf_gpu.c src/sim/sim_rf_log.c src/sim/sim_rf_chassis.c \
	src/sim/sim_rf_sensor.c src/sim/sim_rf_subsystem.c src/sim/sim_rf_bmc.c \
	src/sim/sim_rf_telemetry.c src/sim/sim_select.c \
	src/sim/sim_expand.h src/sim/sim_expand.c src/sim/sim_ssh.c src/sim/sim_serial.c
racktop_sim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS) $(GNUTLS_CFLAGS) $(LIBSSH_CFLAGS)
racktop_sim_LDADD = $(MHD_LIBS) $(JANSSON_LIBS) $(GNUTLS_LIBS) $(LIBSSH_LIBS) -lm

TESTS += tests/sim/test_sim.sh tests/sim/test_sim_ssh.sh tests/screen/demo_console.sh
EXTRA_DIST += tests/sim/test_sim.sh tests/sim/sim_lib.sh tests/sim/sim_client.py doc/simulator.md \
	tests/sim/test_sim_ssh.sh tests/sim/ssh_console.py tests/screen/demo_console.sh

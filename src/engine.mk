# The engine thread and its backends (Redfish over libcurl multi).
libracktop_a_SOURCES += src/engine.c src/engine_debug.h src/timer_heap.c src/timer_heap.h \
	src/backend.h src/http.c src/http.h \
	src/redfish.c src/redfish.h src/redfish_decode.c src/redfish_events.c \
	src/redfish_poll.c src/redfish_poll.h src/redfish_discover.c \
	src/redfish_refresh.c src/redfish_telemetry.c src/redfish_tree.c \
	src/redfish_arena.c src/redfish_arena.h \
	src/batch.c src/batch.h

check_PROGRAMS += tests/unit/test_redfish_decode
tests_unit_test_redfish_decode_SOURCES = tests/unit/test_redfish_decode.c \
	tests/unit/rf_file_transport.c tests/unit/rf_file_transport.h \
	src/sim/sim_expand.c src/sim/sim_expand.h
tests_unit_test_redfish_decode_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_redfish_decode_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_redfish_decode

check_PROGRAMS += tests/unit/test_http
tests_unit_test_http_SOURCES = tests/unit/test_http.c
tests_unit_test_http_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_http_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_http

check_PROGRAMS += tests/unit/test_redfish_arena
tests_unit_test_redfish_arena_SOURCES = tests/unit/test_redfish_arena.c
tests_unit_test_redfish_arena_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_redfish_arena_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_redfish_arena

check_PROGRAMS += tests/unit/test_timer_heap
tests_unit_test_timer_heap_SOURCES = tests/unit/test_timer_heap.c
tests_unit_test_timer_heap_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_timer_heap_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_timer_heap

check_PROGRAMS += tests/unit/test_batch
tests_unit_test_batch_SOURCES = tests/unit/test_batch.c
tests_unit_test_batch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_batch_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_batch

check_PROGRAMS += tests/integration/test_engine
tests_integration_test_engine_SOURCES = tests/integration/test_engine.c \
	tests/integration/fleet_wait.c tests/integration/fleet_wait.h
tests_integration_test_engine_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_engine_LDADD = $(TEST_LIBS)
TESTS += tests/integration/test_engine

check_PROGRAMS += tests/unit/test_json_yajl
tests_unit_test_json_yajl_SOURCES = tests/unit/test_json_yajl.c
tests_unit_test_json_yajl_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_json_yajl_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_json_yajl

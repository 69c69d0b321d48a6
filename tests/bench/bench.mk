# Scale benchmarks (doc/benchmarks.md): programs that print figures.
# Built with the tests (make check) so that they keep compiling, never
# run by them: they are not in TESTS.

# Redfish sweep of many BMCs (tests/bench/redfish_sweep.sh): racktop's
# engine, cold and warm, and a plain parallel fetch of the same URLs.
check_PROGRAMS += tests/bench/bench_sweep tests/bench/bench_fetch
tests_bench_bench_sweep_SOURCES = tests/bench/bench_sweep.c
tests_bench_bench_sweep_CFLAGS = $(TEST_CFLAGS)
tests_bench_bench_sweep_LDADD = $(TEST_LIBS)
tests_bench_bench_fetch_SOURCES = tests/bench/bench_fetch.c
tests_bench_bench_fetch_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
tests_bench_bench_fetch_LDADD = $(CURL_LIBS)

# The fleet screen with 10,000 hosts: filter, sort and draw one frame.
check_PROGRAMS += tests/bench/bench_frame
tests_bench_bench_frame_SOURCES = tests/bench/bench_frame.c
tests_bench_bench_frame_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/ui
tests_bench_bench_frame_LDADD = libracktop_ui.a $(RACKTOP_CORE_LIBS) $(NCURSES_LIBS) $(VTERM_LIBS)

# Loading a 10,000-host inventory (timed here, checked for correctness
# by tests/unit/test_inventory).
check_PROGRAMS += tests/bench/bench_inventory
tests_bench_bench_inventory_SOURCES = tests/bench/bench_inventory.c
tests_bench_bench_inventory_CFLAGS = $(TEST_CFLAGS)
tests_bench_bench_inventory_LDADD = $(RACKTOP_CORE_LIBS)

EXTRA_DIST += tests/bench/redfish_sweep.sh tests/bench/sweep_peers.py \
	tests/bench/screen_frame.sh tests/bench/at_rest.sh \
	tests/bench/kube_watch.sh tests/bench/kube_load.py tests/bench/slow_bmc.sh

# The screen's filter, whose plain-word fast path came from the screen
# benchmark: it must match what the regex matches. A test (TESTS).
check_PROGRAMS += tests/unit/test_filter
tests_unit_test_filter_SOURCES = tests/unit/test_filter.c ui/filter.c ui/filter.h \
	ui/filter_host.c ui/filter_host.h
tests_unit_test_filter_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/ui
tests_unit_test_filter_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_filter

# libFuzzer harnesses, one per parser of untrusted input (doc/fuzzing.md).
# Built only by ./configure --enable-fuzzing CC=clang; `make fuzz
# FUZZ_SECONDS=N` runs each for N seconds from its seed corpus and fails
# on any finding. Adding one: a tests/fuzz/fuzz_NAME.c, its name in
# FUZZERS, its three lines below and a tests/fuzz/corpus/NAME/ of seeds.
FUZZERS = tests/fuzz/fuzz_text tests/fuzz/fuzz_json \
	tests/fuzz/fuzz_inventory tests/fuzz/fuzz_inventory_dir \
	tests/fuzz/fuzz_creds tests/fuzz/fuzz_conf tests/fuzz/fuzz_kubeconfig \
	tests/fuzz/fuzz_template tests/fuzz/fuzz_wfstate \
	tests/fuzz/fuzz_redfish_decode tests/fuzz/fuzz_redfish_poll \
	tests/fuzz/fuzz_kube_decode

FUZZ_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(YAJL_CFLAGS) $(YAML_CFLAGS)
FUZZ_LIBS = $(RACKTOP_CORE_LIBS)
FUZZ_SECONDS = 30
FUZZ_FLAGS = -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1

if FUZZING
noinst_PROGRAMS = $(FUZZERS)
endif
EXTRA_PROGRAMS = $(FUZZERS)

tests_fuzz_fuzz_text_SOURCES = tests/fuzz/fuzz_text.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_text_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_text_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_text_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_json_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_json_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_inventory_SOURCES = tests/fuzz/fuzz_inventory.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h tests/fuzz/fuzz_inv.c tests/fuzz/fuzz_inv.h
tests_fuzz_fuzz_inventory_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_inventory_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_inventory_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_inventory_dir_SOURCES = tests/fuzz/fuzz_inventory_dir.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h tests/fuzz/fuzz_inv.c tests/fuzz/fuzz_inv.h
tests_fuzz_fuzz_inventory_dir_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_inventory_dir_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_inventory_dir_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_creds_SOURCES = tests/fuzz/fuzz_creds.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h tests/fuzz/fuzz_inv.c tests/fuzz/fuzz_inv.h
tests_fuzz_fuzz_creds_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_creds_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_creds_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h
tests_fuzz_fuzz_conf_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_conf_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_kubeconfig_SOURCES = tests/fuzz/fuzz_kubeconfig.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h
tests_fuzz_fuzz_kubeconfig_CFLAGS = $(FUZZ_CFLAGS)
# The harness keeps the loader's reads to its own directory (fuzz_kubeconfig.c).
tests_fuzz_fuzz_kubeconfig_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -Wl,--wrap=fopen,--wrap=open,--wrap=openat
tests_fuzz_fuzz_kubeconfig_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_template_SOURCES = tests/fuzz/fuzz_template.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h
tests_fuzz_fuzz_template_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_template_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_template_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_wfstate_SOURCES = tests/fuzz/fuzz_wfstate.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_msg.c tests/fuzz/fuzz_msg.h
tests_fuzz_fuzz_wfstate_CFLAGS = $(FUZZ_CFLAGS)
# fsync is the disk's, not the parser's (fuzz_wfstate.c).
tests_fuzz_fuzz_wfstate_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -Wl,--wrap=fsync
tests_fuzz_fuzz_wfstate_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_redfish_decode_SOURCES = tests/fuzz/fuzz_redfish_decode.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_redfish_decode_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_redfish_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_redfish_decode_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_redfish_poll_SOURCES = tests/fuzz/fuzz_redfish_poll.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h \
	tests/unit/rf_file_transport.c tests/unit/rf_file_transport.h src/sim/sim_expand.c
tests_fuzz_fuzz_redfish_poll_CFLAGS = $(FUZZ_CFLAGS) -I$(top_srcdir)/tests/unit -I$(top_srcdir)/src/sim
tests_fuzz_fuzz_redfish_poll_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_redfish_poll_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_kube_decode_SOURCES = tests/fuzz/fuzz_kube_decode.c tests/fuzz/fuzz_check.c tests/fuzz/fuzz_check.h
tests_fuzz_fuzz_kube_decode_CFLAGS = $(FUZZ_CFLAGS)
tests_fuzz_fuzz_kube_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_kube_decode_LDADD = $(FUZZ_LIBS)

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/run.sh

# Runs every harness (or FUZZERS='tests/fuzz/fuzz_json') for FUZZ_SECONDS
# each. New inputs go to tests/fuzz/work/NAME in the build tree; the seeds
# in the source tree are only read. A finding leaves tests/fuzz/crash-*.
.PHONY: fuzz
if FUZZING
fuzz: $(FUZZERS)
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_FLAGS='$(FUZZ_FLAGS)' \
	  $(SHELL) $(srcdir)/tests/fuzz/run.sh '$(srcdir)/tests/fuzz/corpus' $(FUZZERS)
else
fuzz:
	@echo "make fuzz: configure with --enable-fuzzing CC=clang first (doc/fuzzing.md)" >&2; exit 1
endif
CLEANFILES += $(FUZZERS)

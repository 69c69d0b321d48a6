# The core library: everything that is not drawing, shared by racktop and
# the tests. Other fragments add their sources with +=.
noinst_LIBRARIES += libracktop.a
libracktop_a_SOURCES = src/fleet.c src/fleet.h src/text.c src/text.h src/buf.c src/buf.h src/hash.h \
	src/json_yajl.c src/json_yajl.h src/harden.c src/harden.h \
	src/batch_signal.c src/batch_signal.h \
	src/engine.h src/inventory.h
libracktop_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(YAJL_CFLAGS) $(YAML_CFLAGS) \
	$(FREEIPMI_CFLAGS) $(IPMIMONITORING_CFLAGS)
RACKTOP_CORE_LIBS = libracktop.a $(CURL_LIBS) $(JANSSON_LIBS) $(YAJL_LIBS) $(YAML_LIBS) \
	$(FREEIPMI_LIBS) $(IPMIMONITORING_LIBS) -lm

bin_PROGRAMS += racktop
racktop_SOURCES = src/main.c src/demo.c src/demo.h
racktop_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/ui
racktop_LDADD = libracktop_ui.a $(RACKTOP_CORE_LIBS) $(NCURSES_LIBS)

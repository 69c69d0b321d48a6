# Consoles: SSH (libssh) and IPMI SOL (libipmiconsole) sessions with
# per-host logs in the core library; panes with a libvterm screen each
# in the UI library.
libracktop_a_SOURCES += src/console.c src/console.h src/console_int.h \
	src/console_ssh.c src/console_sol.c src/console_log.c src/console_log.h \
	src/console_retry.c src/console_retry.h \
	src/inventory_console.c
libracktop_a_CFLAGS += $(LIBSSH_CFLAGS) $(IPMICONSOLE_CFLAGS)
RACKTOP_CORE_LIBS += $(LIBSSH_LIBS) $(IPMICONSOLE_LIBS)

libracktop_ui_a_SOURCES += ui/view_console.c ui/view_console.h ui/pane.c ui/pane.h
libracktop_ui_a_CFLAGS += $(VTERM_CFLAGS)
racktop_LDADD += $(VTERM_LIBS)
tests_screen_ui_fixture_LDADD += $(VTERM_LIBS)

EXTRA_DIST += doc/consoles.md tests/screen/console_lib.sh tests/screen/console_serial.py \
	tests/bench/console_burst.sh tests/screen/console_ssh.sh tests/screen/console_hostkey.sh \
	tests/screen/console_sol.sh tests/screen/console_sol_reconnect.sh \
	tests/screen/console_ssh_bmc_port.sh tests/screen/console_keys_help.sh \
	tests/screen/console_ssh_reconnect.sh tests/screen/console_ssh_noretry.sh
TESTS += tests/screen/console_ssh.sh tests/screen/console_hostkey.sh tests/screen/console_sol.sh \
	tests/screen/console_sol_reconnect.sh tests/screen/console_ssh_bmc_port.sh \
	tests/screen/console_keys_help.sh tests/screen/console_ssh_reconnect.sh \
	tests/screen/console_ssh_noretry.sh

# --read-only consoles: monitor mode only, no Break; the READ-ONLY badge.
TESTS += tests/screen/console_readonly.sh
EXTRA_DIST += tests/screen/console_readonly.sh
# Scrollback search: / up, ? down, n and N, in any case; F1 the help there.
TESTS += tests/screen/console_search.sh
EXTRA_DIST += tests/screen/console_search.sh

check_PROGRAMS += tests/unit/test_console_retry
tests_unit_test_console_retry_SOURCES = tests/unit/test_console_retry.c
tests_unit_test_console_retry_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_console_retry_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_console_retry

check_PROGRAMS += tests/unit/test_console_log
tests_unit_test_console_log_SOURCES = tests/unit/test_console_log.c
tests_unit_test_console_log_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_console_log_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_console_log

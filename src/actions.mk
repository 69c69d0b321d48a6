# Operator actions: the action words and request path, the audit log,
# batch mode actions, the Redfish BMC-side actions (Manager.Reset,
# LogService.ClearLog), and their tests.
libracktop_a_SOURCES += src/actions.c src/actions.h src/audit.c src/audit.h \
	src/batch_action.c src/batch_action.h src/redfish_manage.c

check_PROGRAMS += tests/unit/test_audit
tests_unit_test_audit_SOURCES = tests/unit/test_audit.c
tests_unit_test_audit_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_audit

TESTS += tests/integration/batch_action.sh tests/integration/audit_kill.sh \
	tests/screen/actions.sh
EXTRA_DIST += tests/integration/batch_action.sh tests/integration/audit_kill.sh \
	tests/screen/actions.sh
# Marks the filter hides: named and counted before an action; cleared after.
TESTS += tests/screen/marks_hidden.sh
EXTRA_DIST += tests/screen/marks_hidden.sh

# The screen's side: marks live in the fleet view; the action menu and
# its confirmations here.
libracktop_ui_a_SOURCES += ui/action_menu.c ui/action_menu.h

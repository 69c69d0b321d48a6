# Templates, Workflows, Tasks: the loader, the runner and its state on
# disk, the configuration file (recovery rules), batch --workflow, the
# workflow view, the shipped templates, and their tests.
libracktop_a_SOURCES += src/workflow.h src/workflow_int.h src/workflow.c \
	src/workflow_step.c src/workflow_run.c src/workflow_store.c src/workflow_home.c \
	src/template.c src/template_int.h src/template_data.c \
	src/settings.c src/settings.h src/batch_workflow.c src/batch_workflow.h

libracktop_ui_a_SOURCES += ui/view_workflow.c ui/view_workflow.h
racktop_SOURCES += src/main_workflow.c src/main_workflow.h

templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = src/templates/reprovision.yaml src/templates/gpu-recover.yaml

check_PROGRAMS += tests/unit/test_workflow
tests_unit_test_workflow_SOURCES = tests/unit/test_workflow.c
tests_unit_test_workflow_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_workflow_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_workflow

TESTS += tests/integration/workflow_sim.sh tests/integration/workflow_ipmi.sh \
	tests/screen/workflow.sh tests/screen/workflow_recover.sh
EXTRA_DIST += tests/integration/workflow_sim.sh tests/integration/workflow_ipmi.sh \
	tests/screen/workflow.sh tests/screen/workflow_recover.sh \
	tests/data/workflow doc/workflows.md
# Each inventory its own workflow state; the old shared directory's files adopted.
TESTS += tests/screen/workflow_per_inventory.sh
EXTRA_DIST += tests/screen/workflow_per_inventory.sh
dist_man_MANS += doc/racktop.conf.5

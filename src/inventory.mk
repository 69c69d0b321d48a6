# The inventory: Tinkerbell Hardware/Machine/Secret manifests -> hosts.
libracktop_a_SOURCES += src/inventory.c src/inventory_int.h src/inventory_parse.c \
	src/inventory_object.c src/inventory_machine.c \
	src/inventory_link.c src/inventory_creds.c src/inventory_map.c \
	src/inventory_base64.c src/yaml_doc.c src/yaml_doc.h

check_PROGRAMS += tests/unit/test_inventory
tests_unit_test_inventory_SOURCES = tests/unit/test_inventory.c
tests_unit_test_inventory_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_inventory_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_inventory

EXTRA_DIST += tests/data/inventory doc/inventory.md

# The screen: everything that draws. ncursesw is used here and nowhere else.
noinst_LIBRARIES += libracktop_ui.a
libracktop_ui_a_SOURCES = ui/ui.h ui/ui.c ui/ui_state.h \
	ui/draw.c ui/draw.h ui/fmt.c ui/fmt.h ui/theme.c ui/theme.h \
	ui/table.c ui/table.h ui/meter.c ui/meter.h ui/prompt.c ui/prompt.h \
	ui/filter.c ui/filter.h ui/keys.c ui/keys.h ui/help.c ui/help.h \
	ui/view_fleet.c ui/view_fleet.h ui/view_host.c ui/view_host.h \
	ui/view_notices.c ui/view_notices.h
libracktop_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
# What the / filter sees of a host: its fields' values.
libracktop_ui_a_SOURCES += ui/filter_host.c ui/filter_host.h
# q and Q ask while workflows run or consoles are open.
libracktop_ui_a_SOURCES += ui/quit.c ui/quit.h
# The hosts an action touches: named, hidden ones counted, marks cleared.
libracktop_ui_a_SOURCES += ui/targets.c ui/targets.h
# The status line's key hints: fitted to the width, the help key's kept.
libracktop_ui_a_SOURCES += ui/hints.c ui/hints.h
# The fleet view's sort chooser (s) and which hosts are in trouble (health sort, ] and [).
libracktop_ui_a_SOURCES += ui/sort_menu.c ui/sort_menu.h ui/problem.c ui/problem.h
check_PROGRAMS += tests/unit/test_problem
tests_unit_test_problem_SOURCES = tests/unit/test_problem.c
tests_unit_test_problem_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/ui
tests_unit_test_problem_LDADD = libracktop_ui.a $(RACKTOP_CORE_LIBS) $(NCURSES_LIBS) $(CRITERION_LIBS)
TESTS += tests/unit/test_problem tests/screen/fleet_sort.sh
EXTRA_DIST += tests/screen/fleet_sort.sh tests/data/ui/problems.json
# A power action is accepted, then done when a poll sees its state, or not reached.
TESTS += tests/screen/action_reached.sh
EXTRA_DIST += tests/screen/action_reached.sh
check_PROGRAMS += tests/unit/test_hints
tests_unit_test_hints_SOURCES = tests/unit/test_hints.c ui/hints.c ui/hints.h
tests_unit_test_hints_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/ui
tests_unit_test_hints_LDADD = $(CRITERION_LIBS)
TESTS += tests/unit/test_hints tests/screen/status_hints.sh
EXTRA_DIST += tests/screen/status_hints.sh

themesdir = $(pkgdatadir)/themes
dist_themes_DATA = themes/default themes/high-contrast
EXTRA_DIST += doc/themes.md doc/keys.md

# A display-only racktop over a fleet store filled from a JSON file: the
# screen tests use it for rendering edge cases without any network.
check_PROGRAMS += tests/screen/ui_fixture
tests_screen_ui_fixture_SOURCES = tests/screen/ui_fixture.c
tests_screen_ui_fixture_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) -I$(top_srcdir)/ui
tests_screen_ui_fixture_LDADD = libracktop_ui.a $(RACKTOP_CORE_LIBS) $(NCURSES_LIBS)

EXTRA_DIST += tests/screen/lib.sh tests/data/ui/fleet.json

# How the screen words readings and reasons (ui/fmt.c).
check_PROGRAMS += tests/unit/test_fmt
tests_unit_test_fmt_SOURCES = tests/unit/test_fmt.c
tests_unit_test_fmt_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/ui
tests_unit_test_fmt_LDADD = libracktop_ui.a $(RACKTOP_CORE_LIBS) $(NCURSES_LIBS) $(CRITERION_LIBS)
TESTS += tests/unit/test_fmt

# Screen tests: the fixture for rendering edge cases, racktop on
# racktop-sim for the real thing. tests/screen/lib.sh holds the helpers.
TESTS += tests/screen/fixture_render.sh tests/screen/fixture_modes.sh \
	tests/screen/fixture_scale.sh tests/screen/racktop_fleet.sh \
	tests/screen/racktop_broken.sh tests/screen/valgrind_session.sh
EXTRA_DIST += tests/screen/valgrind_session.sh
# The host view's focus (engine_focus), counted on racktop-sim.
TESTS += tests/screen/host_focus.sh
EXTRA_DIST += tests/screen/host_focus.sh
# A host that stops answering: its readings are shown stale, never current.
TESTS += tests/screen/stale_data.sh
EXTRA_DIST += tests/screen/stale_data.sh
# A slow BMC's first poll: its row shows the poll moving.
TESTS += tests/screen/first_poll_progress.sh
EXTRA_DIST += tests/screen/first_poll_progress.sh
# The / filter: host names as --hosts, field terms, as you type.
TESTS += tests/screen/filter_fields.sh
EXTRA_DIST += tests/screen/filter_fields.sh
# A GPU off the bus counted apart on its row ("7 OK 1 abs"); gpu:absent.
TESTS += tests/screen/gpu_states.sh
EXTRA_DIST += tests/screen/gpu_states.sh
# How an action ended shows on its row and in the host view, whatever the polls say.
TESTS += tests/screen/action_end.sh
EXTRA_DIST += tests/screen/action_end.sh
# q and Q ask while workflows run or consoles are open (ui/quit.c).
TESTS += tests/screen/quit.sh
EXTRA_DIST += tests/screen/quit.sh
EXTRA_DIST += tests/screen/fixture_render.sh tests/screen/fixture_modes.sh \
	tests/screen/fixture_scale.sh tests/screen/racktop_fleet.sh \
	tests/screen/racktop_broken.sh

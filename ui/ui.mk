noinst_LIBRARIES += libracktop_ui.a
libracktop_ui_a_SOURCES = ui/ui.h ui/ui.c
libracktop_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)

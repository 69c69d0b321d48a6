#!/bin/sh
# racktop --read-only: the title bar says READ-ONLY on every view (in
# colour, and in plain ASCII with NO_COLOR); a console opens in monitor
# mode and stays there (^] m says why), nothing typed reaches the host,
# and Break (^] b) is refused with a message. Without --read-only the
# same pane types and the title has no badge.
. "$RACKTOP_SRCDIR/tests/screen/lib.sh"
. "$RACKTOP_SRCDIR/tests/screen/console_lib.sh"

con_sshd_start
con_trust
con_machine node-a "serial node-a" >"$CON_DIR/fleet.yaml"

# title_has: the title bar (the first line) names READ-ONLY.
title_has() { scr_wait_re '^ racktop +READ-ONLY '; }

scr_start 120 36
scr_run "$(con_racktop --read-only --console node-a)"
scr_wait '[ "$(scr_alternate)" = 1 ]' "racktop on the alternate screen"
scr_wait_for "node-a login:"
scr_wait_re 'node-a +ssh .* connected \[monitor: racktop is --read-only\]'
title_has
scr_ok "the console opens in monitor mode, and says why; the title says READ-ONLY"

scr_type "hello-ro"
scr_keys Enter
scr_wait_for "node-a: monitor mode: racktop was started with --read-only; the key was not sent"
sleep 1
scr_expect_not "hello-ro"
scr_ok "nothing typed reaches the host"

scr_keys C-]
scr_type m
scr_wait_for "node-a: monitor mode stays on: racktop was started with --read-only (keys are not sent)"
scr_wait_re 'connected \[monitor: racktop is --read-only\]'
scr_type "again"
scr_keys Enter
scr_wait_for "the key was not sent"
sleep 1
scr_expect_not "you typed: again"
scr_ok "^] m cannot turn monitor mode off, and says why"

scr_keys C-]
scr_type b
scr_wait_for "read-only: Break to node-a refused (racktop was started with --read-only)"
grep -q "Break sent" "$CON_LOGS/node-a.tlog" && scr_fail "the log says a Break was sent"
scr_ok "^] b is refused"

# The badge on every view: zoomed console, fleet, host, help, workflows.
scr_keys C-]
scr_type z
scr_wait_for "^] z: unzoom"
title_has
scr_keys C-]
scr_type z
scr_keys C-]
scr_type f
scr_wait_for "Enter host"
title_has
scr_keys Enter
scr_wait_re 'Name +node-a'
title_has
scr_keys Escape
scr_type "?"
scr_wait_for "Each key works on the screens"
title_has
scr_keys Escape
scr_type w
scr_wait_re '^ racktop .*workflows'
title_has
scr_keys Escape
scr_ok "READ-ONLY on the title of every view"
scr_quit_and_check_terminal Q Q

# Plain ASCII, no colour: the badge is words, so it still shows.
scr_run "LANG=C LC_ALL=C NO_COLOR=1 $(con_racktop --read-only)"
scr_wait_re '^node-a '
title_has
scr_keys Enter
scr_wait_re 'Name +node-a'
title_has
scr_keys Escape
scr_ok "READ-ONLY shows in plain ASCII without colour too"
scr_quit_and_check_terminal q

# Not read-only: no badge, and the pane types (and ^] m toggles).
scr_run "$(con_racktop --console node-a)"
# The log's replay shows the first session's prompt: wait for the live one.
scr_wait '[ "$(scr_count "node-a login:")" -ge 2 ]' "the live session's login prompt"
scr_wait_re 'node-a +ssh .* connected *$'
scr_expect_not "READ-ONLY"
scr_type "typed-rw"
scr_keys Enter
scr_wait_for "you typed: typed-rw"
scr_ok "without --read-only: no badge, and keys reach the host"
scr_keys C-]
scr_type f
scr_wait_for "Enter host"
scr_quit_and_check_terminal Q Q

#!/bin/sh
# screen_progress.sh - the place is saved on every step: a start without
# --lesson resumes there and says so; a corrupt progress file is reported
# once, replaced, and never crashes the program.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
state="$TMPD/state/socktutor/progress"

start_tmux 80 24 "$PROG" --lang=en --lesson=3 --port=0
check "lesson 3 starts" wait_for "Welcome to the bar"
keys n
check "step 2 of lesson 3" wait_for "The bartender takes his place"
keys q
check "q quits" wait_exit
check "the progress file was written" test -s "$state"

start_tmux 80 24 "$PROG" --lang=en --port=0
check "a start without --lesson resumes at lesson 3" \
	wait_for "3. The bartender and the customers"
check "at the step left" wait_for "The bartender takes his place"
check "and says so in the status line" wait_for "resumed at lesson 3, step 2"
keys n
check "the status line clears on the next step" wait_gone "resumed at"
keys q
check "q quits" wait_exit

start_tmux 80 24 "$PROG" --lang=it --port=0
check "the resume message in Italian" wait_for "Rieccoti alla lezione 3, passo 3."
keys q
check "q quits" wait_exit

printf 'garbage\001\002 not a progress file\n%s\n' "lesson=???" >"$state"
start_tmux 80 24 "$PROG" --lang=en --port=0
check "a corrupt file is reported" wait_for "progress file was unreadable"
check "the program starts at lesson 1" wait_for "1. What a socket is"
keys n
keys q
check "q quits after a corrupt file" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
start_tmux 80 24 "$PROG" --lang=en --port=0
check "the corrupt file was replaced: it resumes" \
	wait_for "resumed at lesson 1, step 2"
keys q
check "q quits" wait_exit
done_testing

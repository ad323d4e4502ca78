#!/bin/sh
# screen_start.sh - the real program on a real terminal (tmux): it starts,
# draws its first screen, and q quits with status 0.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

start_tmux 80 24 "$PROG" --lang=en --lesson=1
check "the first screen shows the lesson title" wait_for "What a socket is"
check "the first screen shows the language" wait_for "EN"
keys q
check "q ends the program" wait_exit
check "q exits with status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

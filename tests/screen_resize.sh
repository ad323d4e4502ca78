#!/bin/sh
# screen_resize.sh - below 80x24 the screen asks for more room, and it
# comes back by itself when the terminal grows; a resize in the middle of
# a step redraws it whole.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

start_tmux 80 24 "$PROG" --lang=en --lesson=1 --port=0
check "the first screen" wait_for "Two programs that want to talk"
keys n
check "step 2" wait_for "Both ways through the same socket"
resize 40 12
check "at 40x12 it asks for a bigger terminal" wait_for "enlarge the terminal"
check "it names the size it needs" wait_for "80x24"
check "the lesson is off the screen" wait_gone "Both ways through"
check "the language still shows" sh -c "tmux -L '$TMUX_SOCK' capture-pane -p | head -n 1 | grep -q 'EN'"
resize 120 40
check "grown back, the step is drawn again" wait_for "Both ways through the same socket"
check "the message is gone" wait_gone "enlarge the terminal"
check "the footer is back" wait_for "q quit"
resize 79 24
check "one column short is too small" wait_for "enlarge the terminal"
keys l
resize 80 24
check "a language switch while small shows once grown" wait_for "Nei due sensi, sullo stesso socket"
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

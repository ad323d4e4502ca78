#!/bin/sh
# screen_walk.sh - the normal layout at the smallest and at a big size:
# the first screen, walking a lesson forward and back, switching language
# in the middle of a step and back, and the lesson menu and help screen in
# both languages.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

start_tmux 80 24 "$PROG" --lang=en --lesson=1 --port=0
check "80x24: the title bar names the lesson" wait_for "1. What a socket is"
check "80x24: the title bar shows the step" wait_for "step 1/6"
check "80x24: the title bar shows EN" wait_for "EN"
check "80x24: the first step's title" wait_for "Two programs that want to talk"
check "80x24: the lab pane" wait_for "Bartender (server)"
check "80x24: the event log" wait_for "What really happened"
check "80x24: the footer offers quit" wait_for "q quit"
keys Right
check "Right goes to step 2" wait_for "Both ways through the same socket"
check "the title bar says step 2/6" wait_for "step 2/6"
keys Space
check "Space goes to step 3" wait_for "The one who waits and the one who calls"
keys Left
check "Left goes back to step 2" wait_for "Both ways through the same socket"
keys p
check "p goes back to step 1" wait_for "step 1/6"
keys n n n
check "n goes forward to step 4" wait_for "The bartender opens a socket"
check "the real socket() is in the log" wait_for "socket(AF_INET, SOCK_STREAM, 0) ="
keys l
check "l switches to Italian at once" wait_for "IT"
check "the same step, in Italian" wait_for "$(printf 'Il barista apre un socket')"
check "the lesson title in Italian" wait_for "Che cos'è un socket"
check "still step 4/6" wait_for "passo 4/6"
check "the Italian footer" wait_for "q esci"
check "the log keeps the real call" wait_for "socket(AF_INET, SOCK_STREAM, 0) ="
keys l
check "l switches back to English" wait_for "The bartender opens a socket"
check "the English footer is back" wait_for "q quit"

keys g
check "g opens the lesson menu" wait_for "Lessons"
check "the menu lists lesson 3" wait_for "3. The bartender and the customers"
keys l
check "the menu in Italian" wait_for "Lezioni"
keys Escape
check "Esc closes the menu" wait_for "passo 4/6"
keys '?'
check "? opens the help in Italian" wait_for "Aiuto: i tasti"
check "the help lists the language key" wait_for "passa dall'inglese all'italiano"
keys l
check "the help in English" wait_for "Help: the keys"
keys Escape
check "Esc closes the help" wait_for "The bartender opens a socket"
keys g Down Down Enter
check "Enter in the menu opens lesson 3" wait_for "Welcome to the bar"
check "lesson 3 starts at step 1" wait_for "3. The bartender and the customers"
keys q
check "q quits" wait_exit
check "q exits with status 0" test "${EXIT_STATUS:-x}" = 0

start_tmux 200 60 "$PROG" --lang=it --lesson=1 --port=0
check "200x60: the title in Italian" wait_for "Che cos'è un socket"
check "200x60: the first step in Italian" wait_for "Due programmi che vogliono parlarsi"
check "200x60: the lab pane in Italian" wait_for "Barista (server)"
keys n n n
check "200x60: step 4 with C and Python side by side" \
	wait_for "Python"
check "200x60: the C code is there" wait_for "socket(AF_INET, SOCK_STREAM, 0)"
keys C-c
check "Ctrl-C quits" wait_exit
check "Ctrl-C exits with status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

#!/bin/sh
# screen_text.sh - what a learner must be able to reach at the smallest
# size: a step's shell command beside its C or Python, the whole code of
# a step, a hint asked for, a typed answer; a new lesson starts with a
# clean log; --listen is named on the normal screen.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

# quit: leave with q and wait for the end, so the next session is alone.
quit() {
	keys q
	check "$1: q quits" wait_exit
	check "$1: exit status 0" test "${EXIT_STATUS:-x}" = 0
}

# The shell command of lesson 3 step 6 sits beside its Python.
for size in "80 24" "100 30" "160 48"; do
	set -- $size
	start_tmux "$1" "$2" "$PROG" --lang=en --lesson=bartender --port=0
	check "$1x$2: lesson 3" wait_for "Welcome to the bar"
	keys n n n n n
	check "$1x$2: step 6" wait_for "Order something yourself"
	check "$1x$2: the shell block is labelled" \
		wait_for "Shell, in another terminal:"
	check "$1x$2: the shell command shows" wait_for "nc 127.0.0.1"
	check "$1x$2: the Python is labelled as Python" wait_for "Python code"
	if [ "$1" = 80 ]; then
		check "80x24: the text overflows: the footer offers scrolling" \
			wait_for "PgUp/PgDn scroll"
	fi
	keys l
	check "$1x$2: the label in Italian" \
		wait_for "Shell, in un altro terminale:"
	check "$1x$2: the command stays as it is" wait_for "nc 127.0.0.1"
	quit "$1x$2"
done

# The whole code of lesson 5 step 8, to its last Python line, at 80x24.
start_tmux 80 24 "$PROG" --lang=en --lesson=server --port=0
check "lesson 5" wait_for "5. The server in five steps"
keys n n n n n n n
check "step 8" wait_for "The five steps together"
check "the pane names the key for all the code" wait_for "v: all the code"
check "the footer offers the code" wait_for "v code"
check "the pane shows the C first" wait_for "C code"
keys t
check "t puts the Python on top, around its marked call" \
	wait_for "con, addr = ss.accept()"
check "the pane then offers the C" wait_for "t: C code"
keys v
check "v opens the whole code" wait_for "The code of step 8"
check "its footer says how to close it" wait_for "Esc/v close"
keys End
check "the last line of the Python is reachable" wait_for "ss.close()"
keys l
check "the code screen in Italian" wait_for "Il codice del passo 8"
keys l Escape
check "Esc closes it" wait_for "The five steps together"
keys '?'
check "the help names v" wait_for "the step's whole code on a screen"
keys Escape
quit "code"

# h brings its hint into view even when the text overflows.
start_tmux 80 24 "$PROG" --lang=en --lesson=ports --port=0
check "lesson 4" wait_for "4. Ports and their ranges"
keys n
check "step 2" wait_for "A 16-bit number"
check "the footer offers hints" wait_for "h hints"
check "the hint is not there yet" wait_gone "2 to the power of 16"
keys h
check "h shows the hint" wait_for "2 to the power of 16"

# Digits typed at a question fill its answer field.
keys n n
check "the question step" wait_for "Well-known ports: 0 to 1023"
keys 4 4 3
check "443 typed at once lands in the field" wait_for "[443_]"
keys Enter
check "the answer is judged right" wait_for "Yes: HTTPS is at 443"
check "and stays in its field" wait_for "[443]"
keys a 9 9 9 9 9 9 9 Enter
check "an out-of-range number is not a port" \
	wait_for '"9999999" is not a port'
keys a x y z Enter
check "what was typed is shown back" wait_for '"xyz" is not a port'
quit "answers"

# A new lesson from the menu starts with an empty log, and no reset.
start_tmux 160 48 "$PROG" --lang=en --lesson=1 --port=0
check "lesson 1" wait_for "1. What a socket is"
keys n n n n n
check "lesson 1 made its calls" wait_for "socket(AF_INET, SOCK_STREAM, 0) ="
keys g
check "the menu" wait_for "Esc close"
keys Down Enter
check "lesson 2 from the menu" wait_for "2. What sockets are for"
check "its log is empty" wait_for "No call yet."
keys n
check "lesson 2 makes its own calls; serve is the lab's, marked so" \
	wait_for "[the lab]"
check "not written as a call" wait_gone "serve("
check "no reset line on a new lesson" sh -c '! tmux -L "$1" capture-pane -p | grep -q "was reset"' - "$TMUX_SOCK"
check "nothing marked redone" sh -c '! tmux -L "$1" capture-pane -p | grep -q "(redone)"' - "$TMUX_SOCK"
check "one socket() only: lesson 1's are gone" sh -c 'test "$(tmux -L "$1" capture-pane -p | grep -c "socket(AF_INET, SOCK_STREAM, 0) =")" -eq 1' - "$TMUX_SOCK"
keys n
check "the customer's calls" wait_for 'send(9, "hello'
keys n Left
check "back at step 3" wait_for "step 3/6"
check "going back marks the redone calls" wait_for "(redone) [the lab]"
check "but not the step's own" wait_for 'send(9, "hello'
check "which are live" sh -c '! tmux -L "$1" capture-pane -p | grep -q "(redone) send("' - "$TMUX_SOCK"
quit "log"

# --listen is named on the normal screen.
start_tmux 80 24 "$PROG" --lang=en --lesson=3 --port=0 --listen=127.0.0.2
check "--listen=127.0.0.2 is named" wait_for "Listening on 127.0.0.2"
check "as reachable from this machine only" wait_for "this machine only"
quit "listen loopback"
start_tmux 80 24 "$PROG" --lang=it --lesson=3 --port=0 --listen=0.0.0.0
check "--listen=0.0.0.0 is named, in Italian" \
	wait_for "In ascolto su 0.0.0.0"
check "as reachable from other machines" wait_for "altre macchine"
quit "listen any"

done_testing

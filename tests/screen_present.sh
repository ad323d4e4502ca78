#!/bin/sh
# screen_present.sh - the lecture layout: the two figures, the step's key
# sentence alone, PgUp/PgDn stepping as a presenter remote sends them, and
# for a classroom address the address students type and the customers who
# arrive.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

start_tmux 80 24 "$PROG" --present --lang=en --lesson=1 --port=0
check "80x24: the key sentence" \
	wait_for "A socket is one end of a conversation between two programs."
check "80x24: the bartender's figure" wait_for "Bartender (server)"
check "80x24: the customer's figure" wait_for "Customer (client)"
check "80x24: the paragraphs are not shown" wait_gone "Think of the two ends"
keys NPage
check "PgDn steps forward" wait_for "A socket works in both directions"
check "step 2/6" wait_for "step 2/6"
keys PPage
check "PgUp steps back" wait_for "A socket is one end of a conversation"
keys l
check "l: the key sentence in Italian" wait_for "passo 1/6"
check "l: the figures in Italian" wait_for "Barista (server)"
keys q
check "q quits" wait_exit

# Lesson 5 step 7, "Two sockets, two jobs": both of the bartender's
# sockets, each with its numbers, and the step's question on screen.
start_tmux 80 24 "$PROG" --present --lang=en --lesson=server --port=0
check "80x24: lesson 5" wait_for "5. The server in five steps"
keys n n n n n n
check "80x24: step 7" wait_for "Two sockets, two jobs"
check "80x24: the listener" wait_for "LISTEN"
check "80x24: its accept queue" wait_for "accept queue 0/5"
check "80x24: the connection" wait_for "in 0 B, out 0 B"
check "80x24: both ESTABLISHED ends" sh -c "
	test \$(tmux -L '$TMUX_SOCK' capture-pane -p | grep -o ESTABLISHED | wc -l) -ge 2"
check "80x24: the question" wait_for "On which socket does he send?"
check "80x24: its first choice" wait_for "1) ss, the listening socket."
check "80x24: its second choice" wait_for "2) con, the socket that accept() returned."
keys 2
check "2: the feedback" wait_for "Right: con is the connection to this customer"
keys l
check "Italian: the question" wait_for "Su quale socket invia il saluto?"
check "Italian: the numbers" wait_for "entrata 0 B, uscita 0 B"
keys q
check "q quits" wait_exit

start_tmux 160 48 "$PROG" --present --lang=en --lesson=3 --port=0 --listen=127.0.0.2
check "160x48: the lesson" wait_for "3. The bartender and the customers"
keys Right Right
check "160x48: the bar opens" wait_for "With listen() the bar opens"
check "160x48: the state in large letters" wait_for "LISTEN"
check "160x48: the classroom address to type" wait_for "Connect to  127.0.0.2  port"
port=$(screen | sed -n 's/.*Connect to  127\.0\.0\.2  port \([0-9]*\).*/\1/p' | head -n 1)
check "the port is on the screen" test -n "$port"
python3 - "$port" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.2", int(sys.argv[1])), timeout=5)
s.sendall(b"espresso\n")
time.sleep(8)
PY
guest=$!
check "a customer who connects shows up" wait_for "1 guest "
check "with their order" wait_for "espresso"
kill "$guest" 2>/dev/null
wait "$guest" 2>/dev/null
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

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
check "a customer who connects shows up" wait_for "Customers here: 1"
check "with their order" wait_for "espresso"
kill "$guest" 2>/dev/null
wait "$guest" 2>/dev/null
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

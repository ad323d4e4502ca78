#!/bin/sh
# screen_guests.sh - the lab pane keeps its numbers whole and tells the
# truth about who is connected to whom: at 80x24 the bartender's
# connection shows its byte counts in both languages, outside customers
# appear in the customer column by their port as they arrive (numbered
# from 1), and the arrow joins only the two ends of one connection.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

# title_port: the bartender's port from the title bar, once it shows
# one (empty after a few seconds without).
title_port() {
	deadline=$(( $(date +%s) + 5 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		p=$(screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p')
		if [ -n "$p" ]; then
			echo "$p"
			return
		fi
		sleep 0.05
	done
}

# arrow_rows: the screen rows that hold the connection arrow's left end
# (the row of the bartender's socket it starts from).
arrow_rows() {
	screen | grep -E '<(─|\.)+(>|┐|┘)'
}

# wait_arrow [SECONDS]: poll until an arrow is on screen.
wait_arrow() {
	deadline=$(( $(date +%s) + ${1:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		[ -n "$(arrow_rows)" ] && return 0
		sleep 0.05
	done
	diag "no arrow on screen:"
	screen | sed 's/^/# | /'
	return 1
}

# --- Lesson 9 step 2 at 80x24: two orders wait, 11 bytes, whole.
start_tmux 80 24 "$PROG" --lang=en --lesson=byte-stream --port=0
check "lesson 9" wait_for "9. A stream of bytes"
keys n
check "80x24: the bartender's connection shows in 11 B" wait_for "in 11 B, out 0 B"
check "80x24: and the customer's numbers too" wait_for "in 0 B, out 0 B"
keys l
check "80x24 Italian: entrata 11 B, whole" wait_for "entrata 11 B"
check "80x24 Italian: uscita, whole" wait_for "uscita 0 B"
check "80x24 Italian: the listener's queue" wait_for "coda di accept 0/5"
keys q
check "q quits" wait_exit

# --- Lesson 3 step 6 at 100x30: three customers from another program.
start_tmux 100 30 "$PROG" --lang=en --lesson=bartender --port=0
check "lesson 3" wait_for "3. The bartender and the customers"
keys n n n n n
check "step 6: order something yourself" wait_for "step 6/8"
port=$(title_port)
check "the title bar shows the port" test -n "$port"
python3 - "$port" "$TMPD/ports" <<'PY' &
import socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
socks = []
for order in (b"espresso\n", b"tea\n", b"water\n"):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(order)
    socks.append(s)
    time.sleep(0.2)
with open(out + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
import os
os.rename(out + ".tmp", out)
time.sleep(30)
PY
guests=$!
deadline=$(( $(date +%s) + 10 ))
while [ ! -s "$TMPD/ports" ] && [ "$(date +%s)" -le "$deadline" ]; do
	sleep 0.05
done
check "the customers connected" test -s "$TMPD/ports"
n=0
for p in $(cat "$TMPD/ports" 2>/dev/null); do
	n=$((n + 1))
	check "customer $n appears by his port" wait_for "127.0.0.1:$p"
	# In the customer column: right of the middle, after his number.
	check "customer $n is in the customer column" sh -c "
		tmux -L '$TMUX_SOCK' capture-pane -p |
		grep -E 'Customer [0-9]+  127\\.0\\.0\\.1:$p' |
		awk '{ if (index(\$0, \"Customer \") > 45) f = 1 } END { exit !f }'"
done
check "three customers" test "$n" = 3
check "the first outside customer is Customer 1" wait_for "Customer 1  127.0.0.1:"
check "with his order" wait_for '"espresso"'
check "no old counter on screen" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -p | grep -q 'more customers'"
keys l
check "Italian: the customers stay" wait_for "Cliente 3  127.0.0.1:"
kill "$guests" 2>/dev/null
wait "$guests" 2>/dev/null
keys q
check "q quits" wait_exit

# --- Lesson 5 at 100x30: the arrow joins real peers only.
start_tmux 100 30 "$PROG" --lang=en --lesson=server --port=0
check "lesson 5" wait_for "5. The server in five steps"
keys n n n n n n
check "step 7: two sockets, two jobs" wait_for "step 7/8"
check "the connection is on screen" wait_for "ESTABLISHED"
check "an arrow is drawn" wait_arrow
rows=$(arrow_rows)
check "one arrow" test "$(printf '%s\n' "$rows" | grep -c .)" = 1
check "the arrow joins the two ESTABLISHED sockets" \
	test "$(printf '%s\n' "$rows" | grep -o ESTABLISHED | wc -l)" = 2
check "the listener has no arrow" sh -c "! printf '%s\n' '$rows' | grep -q LISTEN"
keys q
check "q quits" wait_exit

# Someone else is accepted first: the lab's customer waits in the queue,
# and the bartender's connection is not his.
start_tmux 100 30 "$PROG" --lang=en --lesson=server --port=0
check "lesson 5 again" wait_for "5. The server in five steps"
keys n n n n
check "step 5: accept() waits" wait_for "step 5/8"
port=$(title_port)
check "the title bar shows the port again" test -n "$port"
python3 - "$port" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
time.sleep(20)
PY
other=$!
check "the other program is accepted" wait_for "ESTABLISHED  127.0.0.1:$port"
keys n
check "step 6: the lab's customer connects" wait_for "step 6/8"
check "the customer is connected" wait_for "fd "
sleep 0.5
rows=$(arrow_rows)
diag "$rows"
check "no arrow from a bartender's socket with an fd to the lab's customer" \
	sh -c "! printf '%s\n' '$rows' | grep -q '^ *[*]\{0,1\}fd [0-9]'"
kill "$other" 2>/dev/null
wait "$other" 2>/dev/null
keys q
check "q quits" wait_exit
done_testing

#!/bin/sh
# screen_leftovers.sh - what earlier lessons left is not the lesson's:
# lesson 3 leaves a guest who stays, a guest who left and the lab's own
# customer who closed (TIME_WAITs), lesson 4 leaves its connection; lesson 5's first
# step ("no sockets yet") then lists none of them among its sockets.  The
# guest who stays is still served, under the "earlier lessons" heading;
# the closed connections are counted in the column headings, and b, which
# opens the lab, lists them.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

bar_port() {
	screen | head -1 | sed -n 's/.*:\([0-9][0-9]*\) *$/\1/p'
}

# count_is N TEXT: TEXT is on the screen exactly N times.
count_is() {
	[ "$(screen | grep -oF -- "$2" | wc -l)" -eq "$1" ]
}

start_tmux 100 30 "$PROG" --lang=en --lesson=3 --port=0
check "lesson 3 opens" wait_for "step 1/8"
keys Right Right Right Right Right
check "its step 6 invites guests" wait_for "step 6/8"
check "the bar listens" wait_for "LISTEN"
port=$(bar_port)
# One guest orders and stays, as nc would; another orders and leaves,
# which leaves his end in TIME_WAIT.
python3 - "$port" >"$TMPD/guest.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
stay = socket.create_connection(("127.0.0.1", port), 5)
stay.sendall(b"grappa\n")
stay.recv(100)
go = socket.create_connection(("127.0.0.1", port), 5)
go.sendall(b"tea\n")
print("tea:", go.recv(100), flush=True)
go.close()
time.sleep(90)
PY
guest=$!
check "the guest who stays is served" wait_for '"grappa"'
check "the guest who leaves is served" wait_file "$TMPD/guest.out" "^tea: b'.*tea"
keys Right
check "step 7: the lab's customer leaves" wait_for "step 7/8"
keys Right Right
check "lesson 4 opens" wait_for "4. Ports"
# Each Right is one step, keys are never dropped: lesson 4 has 8.
for k in 2 3 4 5 6 7 8; do
	keys Right
	check "lesson 4 step $k" wait_for "step $k/8"
done
keys Right
check "lesson 5 opens" wait_for "5. The server in five steps"
check "at its first step" wait_for "step 1/8"
# A loaded machine may take its time over the closes: 30 s.
check "the closed connections are counted apart" wait_for "earlier: " 30
check "the lesson's two columns say it has no socket yet" \
	wait_for "(no socket yet)"
check "both of them" count_is 2 "(no socket yet)"
check "no TIME_WAIT among the lesson's sockets" wait_gone "TIME_WAIT"
check "the guest who stays is under the earlier lessons' heading" \
	wait_below "earlier lessons:" '"grappa"'
check "and below the lesson's own line" \
	wait_below "(no socket yet)" "earlier lessons:"
keys b
check "b opens the lab: the closed connections are listed" \
	wait_for "TIME_WAIT" 30
check "still apart from the lesson's" \
	wait_below "earlier lessons:" "TIME_WAIT"
keys b
check "b again: counted, not listed" wait_gone "TIME_WAIT"
kill $guest 2>/dev/null
keys q
check "q quits" wait_exit
done_testing

#!/bin/sh
# screen_earlier.sh - what an earlier lesson left stays apart: a guest who
# came in lesson 3 is still served in lesson 5, but under the "earlier
# lessons" heading, below the lesson's own sockets, and back in lesson 3
# he is that lesson's again.  On the way, w opens the whole log.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

# The bar's port, from the title bar.
bar_port() {
	screen | head -1 | sed -n 's/.*:\([0-9][0-9]*\) *$/\1/p'
}

start_tmux 100 30 "$PROG" --lang=en --lesson=3 --port=0
check "lesson 3 opens" wait_for "step 1/8"
keys Right Right Right Right Right
check "its step 6 invites a guest" wait_for "step 6/8"
check "the bar has a port" wait_for "LISTEN"
port=$(bar_port)
# A guest who orders and stays, as nc would, until the test ends.
python3 - "$port" >"$TMPD/guest.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(b"grappa\n")
time.sleep(60)
PY
guest=$!
check "the guest is served in lesson 3" wait_for '"grappa"'
check "no heading for earlier lessons in lesson 3" wait_gone "earlier lessons:"
keys Right Right Right Right Right Right Right Right Right Right Right
check "lesson 5 opens" wait_for "5. The server in five steps"
keys Right Right
check "lesson 5 step 3 binds" wait_for "step 3/8"
keys b
check "b opens the lab: the guest is still there" wait_for '"grappa"'
check "under the earlier lessons' heading" wait_for "earlier lessons:"
check "below it, not among the lesson's sockets" \
	wait_below "earlier lessons:" '"grappa"'
keys w
check "w shows the whole log on its own screen" wait_for "Esc/w close"
check "from the lesson's first calls" wait_for "socket(AF_INET, SOCK_STREAM, 0) = 8"
keys Escape
check "Esc goes back to the lesson" wait_gone "Esc/w close"
keys l
check "the heading in Italian" wait_for "dalle lezioni precedenti:"
keys l g
check "the menu" wait_for "Lessons"
keys Up Up Enter
check "back in lesson 3" wait_for "3. The bartender and the customers"
check "the guest is lesson 3's again" wait_gone "earlier lessons:"
kill $guest 2>/dev/null
keys q
check "q quits" wait_exit
done_testing

#!/bin/sh
# screen_guests_wait.sh - guests wait (k) in the lecture layout at
# 160x48.  Without the lab's private network (unshare refused): a
# student who connects to lesson 7's bar before the accept step is set
# aside, the lesson's accept() takes the lab's customer, recv() gets its
# 11 bytes, and the student is counted on screen, then served after k.
# With the private network: the lesson's pair moves there, out of the
# students' reach, and the projector shows its real packets.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
NOUNSHARE="$top_builddir/tests/no_unshare"

# student PORT: connects, orders, and stays a while.
student() {
	python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"espresso pls\n")
time.sleep(60)' "$1" &
	student_pid=$!
}

bar_port() {
	screen | sed -n '1s/.* 127\.0\.0\.1:\([0-9]*\) *$/\1/p'
}

start_tmux 160 48 "$NOUNSHARE" "$PROG" --present --lang=en \
	--lesson=conversation --port=0
check "lesson 7" wait_for "A whole conversation"
check "the footer offers k" wait_for "k guests wait"
keys k
check "k: the title says so" wait_for "GUESTS WAIT  step 1/12"
check "k: on this machine (no private network)" wait_for "this PC 127.0.0.1:"
check "k: the projector says what it does" \
	wait_for "Guests wait (k): accept() takes only the lab's own customer"
check "k: the footer offers k again" wait_for "k guests come in"
bar=$(bar_port)
check "the bar has its port ($bar)" test -n "$bar"
student "$bar"
check "the student waits in the accept queue" wait_for "accept queue 1/5"
keys n n
check "the accept step" wait_for "accept(): the bartender takes the customer"
check "accept() set the student aside" wait_for "1 set aside (guests wait)"
check "the student is a row of the crowd" sh -c "
	d=\$(( \$(date +%s) + 10 ))
	until tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '^  #[0-9]+  set aside'; do
		[ \$(date +%s) -le \$d ] || exit 1; sleep 0.05; done"
check "the sentence counts the student" wait_for "1 guest is set aside"
check "accept() returned the lab's customer" \
	wait_for "accept(11, -> 127.0.0.1:"
check "no hijack" sh -c "
	! tmux -L '$TMUX_SOCK' capture-pane -p | grep -q \"instead of the lab's customer\""
keys n n
check "recv() gets the lab customer's 11 bytes" \
	wait_for 'recv(14, "cappuccino\n", 1024) = 11'
check "the student is still set aside" wait_for "1 set aside (guests wait)"
keys l
check "l: the title in Italian" wait_for "OSPITI IN ATTESA"
check "l: the sentence in Italian" \
	wait_for "Ospiti in attesa (k): accept() prende solo il cliente"
check "l: the crowd in Italian" wait_for "1 messo da parte (ospiti in attesa)"
keys l
keys k
check "k again: the title is plain" wait_gone "GUESTS WAIT"
check "k again: the student is served" wait_for '"espresso pls"'
check "k again: one guest" wait_for "1 guest  "
kill "$student_pid" 2>/dev/null
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0

# With the private network the pair moves there; without one (a machine
# that refuses user namespaces) there is nothing to show.
start_tmux 160 48 "$PROG" --present --lang=en --lesson=conversation --port=0
check "lesson 7 again" wait_for "A whole conversation"
keys k
if wait_for "GUESTS WAIT  step 1/12  EN  lab net"; then
	ok "k: the lesson's pair moves to the lab's own network"
	check "k: the projector says so" \
		wait_for "the lesson's pair runs on the lab's own private network"
	bar=$(bar_port)
	check "no student can reach the bar ($bar)" python3 -c '
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$bar"
	keys n n n n
	check "recv() gets the 11 bytes" \
		wait_for '"cappuccino\n", 1024) = 11'
	check "the projector shows the real packets" \
		wait_for "packets on the wire"
	check "the order's segment" wait_for "len=11"
	keys k
	check "k again: back on this machine" wait_for "EN  this PC 127.0.0.1:"
	check "k again: the step is run again there" \
		wait_for '"cappuccino\n", 1024) = 11'
else
	echo "ok $((tap_n + 1)) - the private network # SKIP user namespaces refused here"
	tap_n=$((tap_n + 1))
fi
keys q
check "q quits" wait_exit
done_testing

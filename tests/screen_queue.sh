#!/bin/sh
# screen_queue.sh - the accept queue on screen follows the kernel's with
# no key pressed: at lesson 5 step 5 accept() is blocked, three customers
# from another program connect; accept() takes the first, the other two
# wait in the queue, and the screen shows the count the kernel reports
# (ss's Recv-Q for a listener) without waiting for the next action.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
command -v ss >/dev/null || skip_all "ss is not installed"

screen_has() {
	screen | grep -qF -- "$1"
}

bar_port() {
	screen | head -1 | sed -n 's/.*:\([0-9][0-9]*\) *$/\1/p'
}

# kernel_queue: the listener's accept queue as ss reports it.
kernel_queue() {
	ss -Htln "sport = :$port" | awk '{ print $2; exit }'
}

# wait_kernel N: until the kernel's count is N (10 s at most).
wait_kernel() {
	deadline=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		[ "$(kernel_queue)" = "$1" ] && return 0
		sleep 0.05
	done
	diag "the kernel's queue stayed at $(kernel_queue), not $1"
	return 1
}

start_tmux 100 30 "$PROG" --lang=en --lesson=5 --port=0
check "lesson 5 opens" wait_for "step 1/8"
keys Right Right Right Right
check "step 5: accept() waits" wait_for "step 5/8"
check "the bar listens" wait_for "accept queue 0/5"
port=$(bar_port)
check "the bar has a port" test -n "$port"
python3 - "$port" >"$TMPD/clients.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
cs = [socket.create_connection(("127.0.0.1", port), 5) for _ in range(3)]
print("connected", flush=True)
time.sleep(60)
PY
clients=$!
check "three customers connect" wait_file "$TMPD/clients.out" "^connected"
check "the kernel queues two of them" wait_kernel 2
t0=$(date +%s%N)
check "the screen says so, with no key pressed" wait_for "accept queue 2/5"
# How long the screen lagged the kernel (a figure, not a check: the
# machine may be loaded; the screen looks every 500 ms while a bar
# listens).
diag "the screen followed the kernel in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check "the kernel's count and the screen's agree" \
	screen_has "accept queue $(kernel_queue)/5"
kill $clients 2>/dev/null
keys q
check "q quits" wait_exit
done_testing

#!/bin/sh
# screen_lab.sh - the lab on the screen is the real one: walking the
# bartender's lesson, the server lesson and the client lesson shows LISTEN
# and then ESTABLISHED, while the kernel (ss, or /proc/net/tcp without
# it) lists the same listening port and connection.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

# listening PORT: does the kernel list a listener on 127.0.0.1:PORT?
listening() {
	if command -v ss >/dev/null; then
		ss -Htln "sport = :$1" | grep -q "127.0.0.1:$1"
	else
		hex=$(printf '%04X' "$1")
		grep -q "^ *[0-9]*: 0100007F:$hex 00000000:0000 0A" /proc/net/tcp
	fi
}
established() {
	if command -v ss >/dev/null; then
		ss -Htn state established "dport = :$1" | grep -q "127.0.0.1:$1"
	else
		hex=$(printf '%04X' "$1")
		grep -q "0100007F:$hex 01" /proc/net/tcp
	fi
}

start_tmux 100 30 "$PROG" --lang=en --lesson=bartender --port=0
check "the bartender's lesson" wait_for "3. The bartender and the customers"
keys n
check "the bartender takes his place" wait_for "The bartender takes his place"
check "bind() is in the log" wait_for "bind("
port=$(screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p')
check "the title bar shows ADDR:PORT" test -n "$port"
keys n
check "the bar opens" wait_for "The bar opens"
check "LISTEN on the screen" wait_for "LISTEN  127.0.0.1:$port"
check "listen() is in the log" wait_for "listen("
check "the kernel lists the same listening port" listening "$port"
keys n
check "a customer comes in" wait_for "A customer comes in"
check "ESTABLISHED on the screen" wait_for "ESTABLISHED"
check "the kernel has the connection too" established "$port"
keys Left
check "back a step: the log says the lab redid it" wait_for "(redone)"
check "still listening after the redo" wait_for "LISTEN  127.0.0.1:"
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0

# The server in five steps: the accept() really waits, and returns when
# the lab's customer connects.
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
start_tmux 100 30 "$PROG" --lang=en --lesson=server --port=0
check "the server lesson" wait_for "5. The server in five steps"
keys n n
check "server: bind() step" wait_for "bind(): a place behind the bar"
check "server: bind() in the log" wait_for "bind("
port=$(screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p')
check "server: the title bar shows ADDR:PORT" test -n "$port"
keys n
check "server: listen() step" wait_for "listen(): open for business"
check "server: LISTEN on the screen" wait_for "LISTEN  127.0.0.1:$port"
check "server: the kernel lists the same listening port" listening "$port"
keys n
check "server: accept() waits, and the screen says so" wait_for "waiting in accept()"
keys n
check "server: a customer walks in" wait_for "A customer walks in"
check "server: ESTABLISHED on the screen" wait_for "ESTABLISHED"
check "server: accept() returned a new socket" wait_for ", -> 127.0.0.1:"
check "server: the kernel has the connection" established "$port"
keys q
wait_exit
check "server: exit status 0" test "${EXIT_STATUS:-x}" = 0

# The client in four steps, against a bartender who serves by himself.
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
# Its steps after the first run in the lab's private network where the
# system allows one, out of reach of this ss: here, on the machine.
start_tmux 100 30 env SOCKTUTOR_NO_NETNS=1 "$PROG" --lang=en --lesson=client --port=0
check "the client lesson" wait_for "6. The client in four steps"
check "client: the bartender listens" wait_for "LISTEN  127.0.0.1:"
port=$(screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p')
check "client: the kernel lists the bartender" listening "$port"
keys n n n
check "client: connect() step" wait_for "connect(): going to the bar"
check "client: connect() in the log" wait_for "connect("
check "client: ESTABLISHED on the screen" wait_for "ESTABLISHED"
check "client: the kernel has the connection" established "$port"
keys n n
check "client: recv() step" wait_for "recv(): the answer"
check "client: the bartender's answer arrived" wait_for "espresso"
keys q
wait_exit
check "client: exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

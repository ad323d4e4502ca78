#!/bin/sh
# screen_sandbox.sh - the sandbox on the real screen: the learner's keys
# make real calls, and the kernel's answers appear with their explanation
# in English and in Italian: ECONNREFUSED before anyone listens, ENOTCONN
# from recv() on a fresh socket and 0 after a refused connect, the port
# (on every address) the kernel picks for listen() without bind(), a key
# for a side that is busy waiting, EADDRINUSE for a second socket on a port still held; r
# starts again with a clean lab.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

# A port that is free right now (EADDRINUSE needs a fixed one).
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

port=$(free_port)
start_tmux 100 30 "$PROG" --lang=en --lesson=sandbox --port="$port"
check "the sandbox opens" wait_for "Sandbox: make the calls yourself"
check "its keys are shown" wait_for "6 connect"
check "the footer names the sandbox's keys" wait_for "s side  r start again"

# connect() with the bartender's side chosen and no customer socket:
# the note says to choose the customer's side first (1 would make a
# socket for the bartender).
keys 6
check "connect with no customer socket: EBADF" wait_for "= -1 EBADF"
check "the note says to choose the customer's side" \
	wait_for "Press s to choose the"
# connect() before anyone listens.
keys s 1
check "the customer's socket" wait_for "socket(AF_INET, SOCK_STREAM, 0) ="
keys 6
check "connect before listen: ECONNREFUSED" \
	wait_for "connect(" && wait_for "= -1 ECONNREFUSED"
check "with its explanation" wait_for "nobody is listening on that"
# recv() after the refused connect: 0, but not an end of stream.
keys 8
check "recv after a refused connect returns 0" wait_for "recv(" && wait_for ") = 0"
check "it is not called the other side closing" wait_for "this socket is not connected to anybody"
check "the note says the connect failed" wait_for "Its connect() failed, so this"
check "no talk of the other side closing" wait_gone "the other side has closed its end"
# A second connect() on the socket whose first failed.
keys 6
check "a second connect: ECONNABORTED" wait_for "= -1 ECONNABORTED"
check "the note says why" wait_for "This socket has already tried to connect"

# recv() on a socket that never connected.
keys r
check "r: a clean lab" wait_for "A clean lab: every socket"
check "r: the log starts again" wait_for "No call yet."
keys 1 8
check "recv on an unconnected socket: ENOTCONN" wait_for "= -1 ENOTCONN"
check "with its explanation" wait_for "the socket is not connected"

# listen() without bind(): the kernel picks the port, on the loopback,
# never on every address of the machine.
keys r s 1 4
check "listen without bind succeeds" wait_for "listen("
check "the kernel picked a port" wait_for "the kernel picked a free port for"
picked=$(screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p')
check "the title bar shows the picked port" test -n "$picked"
check "it is not the lab's port" test "$picked" != "$port"
check "the lab shows the socket listening there" \
	wait_for "LISTEN  127.0.0.1:$picked"
check "the log says the lab kept it off every address" \
	wait_for "listen() would take a free port on every"
check "the machine has no listener on every address" \
	sh -c "! ss -ltnH 'sport = :$picked' | grep -q '0.0.0.0:$picked'"

# A key for a side that waits in a call: said, not ignored.
keys s 1 6 8
check "the customer waits in recv" wait_for "recv(" && wait_for "The customer is waiting in recv()"
keys 7
check "a key while it waits: busy" wait_for "Busy: the customer waits in recv()"
keys s

# A second socket cannot bind the port a connection still holds.
keys r 1 3 4
check "bind the lab's port" wait_for "LISTEN  127.0.0.1:$port"
keys s 1 6 5
check "a connection is accepted" wait_for "accept("
check "the connection is up" wait_for "ESTABLISHED  127.0.0.1:$port"
keys s 1 3
check "bind a second socket: EADDRINUSE" wait_for "= -1 EADDRINUSE"
check "with its explanation" wait_for "another socket already holds this"
check "and who holds the port" wait_for "in ESTABLISHED: a connection of the old"

# The same in Italian, switched in place.
keys l
check "Italian at once" wait_for "Sandbox: le chiamate le fai tu"
check "EADDRINUSE explained in Italian" wait_for "un altro socket occupa già"
check "the footer in Italian" wait_for "s lato  r ricomincia"
keys r s 1 6
check "ECONNREFUSED explained in Italian" \
	wait_for "ECONNREFUSED: nessuno è in ascolto"

# The help lists the sandbox's keys.
keys '?'
check "the help lists the sandbox's keys in Italian" \
	wait_for "scegli il lato: il barista o il cliente"
keys Escape l '?'
check "and in English" wait_for "choose the side: the bartender or the customer"
keys Escape
check "back in the sandbox" wait_for "Sandbox: make the calls yourself"

# The menu has the sandbox last, and leaves it for a lesson.
keys g
check "the menu lists the sandbox" wait_for "Sandbox: make any call yourself"
keys Home Enter
check "a lesson from the menu leaves the sandbox" wait_for "1. What a socket is"
keys g End Enter
check "and the menu brings it back" wait_for "Sandbox: make the calls yourself"
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

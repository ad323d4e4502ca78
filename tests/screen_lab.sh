#!/bin/sh
# screen_lab.sh - the lab on the screen is the real one: walking the
# bartender's lesson shows LISTEN and then ESTABLISHED, while the kernel
# (ss, or /proc/net/tcp without it) lists the same listening port.
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
done_testing

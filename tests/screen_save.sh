#!/bin/sh
# screen_save.sh - f saves the step's whole program: lesson 5's last step
# in C and in Python, each run as a server on a port of its own and
# served a customer; a second save never overwrites the first, and a
# symbolic link in the way is neither followed nor replaced.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
command -v cc >/dev/null || skip_all "no C compiler"

WORK="$TMPD/work"
mkdir -p "$WORK"
cd "$WORK" || exit 1

# A free port on 127.0.0.1, as the kernel hands them out.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# order PORT: a customer connects (retrying until the server listens,
# for at most 10 s), orders one line and prints the answer.
order() {
	python3 - "$1" <<'PY'
import socket, sys, time
end = time.time() + 10
while True:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
        break
    except OSError:
        if time.time() > end:
            sys.exit("the server never listened")
        time.sleep(0.05)
s.sendall(b"espresso\n")
s.settimeout(5)
print(s.makefile("rb").readline().decode(), end="")
PY
}

start_tmux 80 24 "$PROG" --lang=en --lesson=5 --port=0
check "lesson 5 opens" wait_for "step 1/"
keys Right Right Right Right Right Right Right
check "its last step" wait_for "step 8/8"
keys f
check "f says where the C program went" wait_for "Saved as $WORK/bar.c"
check "bar.c is there" test -f bar.c
keys t
check "t shows the Python code" wait_for "t: C code"
keys f
check "f then saves the Python program" wait_for "Saved as $WORK/bar.py"
keys f
check "a second save takes a new name" wait_for "Saved as $WORK/bar-2.py"
check "the first save is left as it was" cmp -s bar.py bar-2.py
ln -s "$TMPD/target" bar-3.py
keys f
check "a link in the way is passed over" wait_for "Saved as $WORK/bar-4.py"
check "the link's target was not created" test ! -e "$TMPD/target"
check "the link is still a link" test -L bar-3.py
keys q
check "q quits" wait_exit

port=$(free_port)
python3 bar.py "$port" >"$TMPD/py.out" 2>&1 &
pypid=$!
check "the saved Python server serves a customer on its port" \
	test "$(order "$port")" = "coming up"
wait $pypid
check "the Python server ends after its customer" test $? = 0

if cc -o "$TMPD/server" bar.c 2>"$TMPD/cc.err"; then
	ok "the saved C program compiles"
	port=$(free_port)
	"$TMPD/server" "$port" &
	cpid=$!
	check "the saved C server serves a customer on its port" \
		test "$(order "$port")" = "coming up"
	wait $cpid
	check "the C server ends after its customer" test $? = 0
else
	not_ok "the saved C program compiles"
	diag "$(cat "$TMPD/cc.err")"
fi
done_testing

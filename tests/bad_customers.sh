#!/bin/sh
# bad_customers.sh - the real program's bartender against outside
# customers who misbehave (control sequences, a 10 MiB line, silence, a
# reset mid-order, 2,000 connections against the cap), and against
# accept() failing with EMFILE, which must not spin the CPU.  After each
# the lesson's next step still runs.
. "${top_srcdir:-..}/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

# Outside customers come in where the lab runs on the machine's loopback:
# lesson 2 would run in the lab's private network, where nobody else is.
export SOCKTUTOR_NO_NETNS=1

# start NAME ARGS...: socktutor in plain mode at lesson 2, stdin from a
# FIFO held open on descriptor 3 (NAME.in), output in NAME.out.
start() {
	name=$1
	shift
	mkfifo "$TMPD/$name.in"
	"$PROG" --plain --lesson=2 --port=0 "$@" <"$TMPD/$name.in" \
		>"$TMPD/$name.out" 2>"$TMPD/$name.err" &
	echo $! >"$TMPD/$name.pid"
}

# wait_out NAME PATTERN COUNT: until PATTERN (grep -E) is on COUNT lines.
wait_out() {
	deadline=$(( $(date +%s) + 15 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		[ "$(grep -cE -- "$2" "$TMPD/$1.out" 2>/dev/null)" -ge "$3" ] &&
			return 0
		sleep 0.05
	done
	diag "timed out waiting for $2 in $1's output:" "$(tail -n 20 "$TMPD/$1.out")"
	return 1
}

port_of() {
	sed -n 's/.*bartender at 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMPD/$1.out" | head -n 1
}

# CPU time (user + system, all threads) of a process, in clock ticks.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

ulimit -n 8192 2>/dev/null || ulimit -n 4096

# --- misbehaving customers ---------------------------------------------
start bar --max-customers=50 --backlog=1024
exec 3>"$TMPD/bar.in"
echo >&3			# step 2: the bartender opens and serves
check "the bartender serves" wait_out bar "Press Enter" 2
port=$(port_of bar)
check "the bartender's port is shown" test -n "$port"
python3 "$top_srcdir/tests/customers.py" 127.0.0.1 "$port" 50 "$tap_n" >"$TMPD/py.tap"
cat "$TMPD/py.tap" | grep -v '^#count'
tap_n=$(sed -n 's/^#count //p' "$TMPD/py.tap")
tap_n=${tap_n:-0}
grep -q '^not ok' "$TMPD/py.tap" && tap_failed=1
[ -s "$TMPD/py.tap" ] || not_ok "customers.py ran"
echo >&3			# step 3: the lab's own customer
check "the lesson's next step still runs after the crowd" \
	wait_out bar '^  recv\(.*"[^"]*hello' 1
exec 3>&-
pid=$(cat "$TMPD/bar.pid")
wait "$pid"; rc=$?
check "the program ends normally" test "$rc" -eq 0
check "nothing raw reached the output" sh -c '! LC_ALL=C grep -q "$(printf "\033")" "$1"' - "$TMPD/bar.out"

# --- accept() failing with EMFILE ---------------------------------------
# A low descriptor limit for the program only: it runs out after a few
# guests, while the backlog keeps more waiting in the accept queue.
(ulimit -n 40 && exec "$PROG" --plain --lesson=2 --port=0 --backlog=512 \
	<"$TMPD/bar.in" >"$TMPD/emfile.out" 2>"$TMPD/emfile.err") &
empid=$!
exec 3>"$TMPD/bar.in"
echo >&3
check "the bartender serves with 40 descriptors" wait_out emfile "Press Enter" 2
port=$(port_of emfile)
python3 - 127.0.0.1 "$port" "$empid" >"$TMPD/emfile.py" 2>&1 <<'PY'
import os, socket, sys, time
host, port, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def ticks():
    with open("/proc/%s/stat" % pid) as f:
        v = f.read().rsplit(")", 1)[1].split()
    return int(v[11]) + int(v[12])
hz = os.sysconf("SC_CLK_TCK")
socks = [socket.create_connection((host, port), timeout=5) for _ in range(80)]
time.sleep(0.5)           # let the bartender take what it can
t0 = ticks()
time.sleep(2.0)
used = (ticks() - t0) / hz
print("cpu %.2f" % used)
print("fds %d" % len(os.listdir("/proc/%s/fd" % pid)))
for s in socks:
    s.close()
# With descriptors back, a newcomer is served.
end = time.monotonic() + 15
ok = False
while not ok and time.monotonic() < end:
    try:
        s = socket.create_connection((host, port), timeout=5)
        s.settimeout(5)
        s.sendall(b"late order\n")
        ok = b"late order" in s.recv(4096)
        s.close()
    except OSError:
        time.sleep(0.2)
print("served %s" % ("yes" if ok else "no"))
PY
cpu=$(sed -n 's/^cpu //p' "$TMPD/emfile.py")
fds=$(sed -n 's/^fds //p' "$TMPD/emfile.py")
diag "CPU used over 2 s while out of descriptors: ${cpu:-?} s"
check "the bartender really ran out of descriptors ($fds open of 40)" \
	test "${fds:-0}" -ge 39
check "out of descriptors, the bartender does not spin (< 0.5 s of CPU in 2 s)" \
	awk -v c="${cpu:-9}" 'BEGIN { exit !(c < 0.5) }'
check "with descriptors back, a newcomer is served" grep -qx "served yes" "$TMPD/emfile.py"
echo >&3
check "the lesson's next step still runs after EMFILE" \
	wait_out emfile '^  recv\(.*"[^"]*hello' 1
exec 3>&-
wait "$empid"; rc=$?
check "the program ends normally after EMFILE" test "$rc" -eq 0
done_testing

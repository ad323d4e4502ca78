#!/bin/sh
# listen_real.sh - the real program keeps the bartender on the addresses
# asked for: lesson 15 in plain mode, at its dual-stack step, with the
# default address, --listen=127.0.0.1, --listen=::1 and --listen=::, on
# the machine (private network refused) and with the private network;
# the process's listening sockets on the machine are read from the
# kernel's tables by their inodes.
. "${top_srcdir:-..}/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' \
	2>/dev/null || skip_all "::1 is not available on this host"

WRAP=

# listeners PID: "ADDR PORT" for each listening TCP socket of PID in the
# machine's tables.
listeners() {
	python3 - "$1" <<'PY'
import os, socket, struct, sys
pid = sys.argv[1]
inodes = set()
for fd in os.listdir("/proc/%s/fd" % pid):
    try:
        link = os.readlink("/proc/%s/fd/%s" % (pid, fd))
    except OSError:
        continue
    if link.startswith("socket:["):
        inodes.add(link[8:-1])
for table, fam in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
    with open("/proc/%s/net/%s" % (os.getpid(), table)) as f:
        next(f)
        for line in f:
            v = line.split()
            if v[3] != "0A" or v[9] not in inodes:
                continue
            hexaddr, hexport = v[1].split(":")
            raw = b"".join(struct.pack("=I", int(hexaddr[i:i + 8], 16))
                           for i in range(0, len(hexaddr), 8))
            print(socket.inet_ntop(fam, raw), int(hexport, 16))
PY
}

# at_step4 NAME ARGS...: lesson 15 in plain mode, up to the dual-stack
# step (stdin from a FIFO held on descriptor 3).
at_step4() {
	name=$1
	shift
	mkfifo "$TMPD/$name.in"
	$WRAP "$PROG" --plain --lang=en --lesson=15 --port=0 "$@" <"$TMPD/$name.in" \
		>"$TMPD/$name.out" 2>&1 &
	echo $! >"$TMPD/$name.pid"
	exec 3>"$TMPD/$name.in"
	# Step 2's question takes one Enter of its own.
	echo >&3
	echo >&3
	echo >&3
	echo >&3
	wait_file "$TMPD/$name.out" "^  listen(" 15
}

finish() {
	exec 3>&-
	wait "$(cat "$TMPD/$1.pid")"
}

# run NAME WANT ARGS...: at step 4, the machine's listeners of the
# program are exactly WANT ("" for none).
run() {
	name=$1 want=$2
	shift 2
	check "$name: the dual-stack step is reached" at_step4 "$name" "$@"
	got=$(listeners "$(cat "$TMPD/$name.pid")" | awk '{print $1}' | sort | tr '\n' ' ')
	check "$name: listening on the machine at '$want' (got '$got')" \
		test "$got" = "$want"
	finish "$name"
}

SOCKTUTOR_NO_NETNS=1
export SOCKTUTOR_NO_NETNS
run machine-default "::1 "
check "machine-default: the log says why not ::" \
	sh -c 'tr "\n" " " <"$1" | tr -s " " | grep -q "the lab binds him to ::1 instead"' \
	- "$TMPD/machine-default.out"
run machine-lo4 "::1 " --listen=127.0.0.1
run machine-lo6 "::1 " --listen=::1
run machine-any ":: " --listen=::
check "machine-any: no word of keeping it" \
	sh -c '! grep -q "binds him to" "$1"' - "$TMPD/machine-any.out"
unset SOCKTUTOR_NO_NETNS

# Where the system refuses user namespaces for real.
WRAP="$top_builddir/tests/no_unshare"
run refused-default "::1 "
check "refused-default: it ran on the machine" \
	grep -q "^No private network for the lab (unshare" \
	"$TMPD/refused-default.out"
WRAP=

# Inside the private network :: is that network alone: nothing of
# lesson 15's listens on the machine.
run private-default ""
if grep -q "^Network: the lab's own" "$TMPD/private-default.out"; then
	check "private-default: the bartender is at [::]" \
		grep -q "^  bind([0-9]*, \[::\]:" "$TMPD/private-default.out"
else
	diag "no private network here: lesson 15 ran on the machine"
fi
done_testing

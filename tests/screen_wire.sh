#!/bin/sh
# screen_wire.sh - the packet ladder on a real terminal, run as an
# unprivileged user (uid 65534 when the tests run as root):
#  - lesson 7's connect step at 100x30 (a pane of its own) and at 80x24
#    (in the lab pane's place, as the step asks with @wire) shows the
#    real handshake: the SYN tied to connect(), the SYN+ACK acknowledging
#    its seq + 1 and the ACK acknowledging the SYN+ACK's, sent by the
#    kernel; the title bar names the lab's own network, in both
#    languages; x hides and shows the ladder;
#  - o saves the packets as a new pcap file, never over an old one;
#  - lesson 11: at the full queue the ladder shows a SYN sent again by
#    the kernel with the same seq (a retransmission);
#  - with the private network refused (the environment variable, and
#    unshare() refused by a seccomp filter) the screen says so in one
#    line, x gives the cause, and lesson 7 still connects.
# Skips where user namespaces are refused.
. "${top_srcdir:-..}/tests/lib.sh"
. "${top_srcdir:-..}/tests/nobody.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
nobody_setup
need_private

# handshake: the screen's SYN, SYN+ACK and ACK rows agree (python3 reads
# the screen on stdin; prints what it found, fails when they do not).
handshake() {
	screen | python3 -c '
import re, sys
syn = sa = ack = None
rows = sys.stdin.read().split("\n")
for r in rows:
    m = re.search(r"(?<![+A-Z])SYN seq=(\d+) ", r)
    if m and "connect()" in r:
        syn = int(m.group(1))
    m = re.search(r"SYN\+ACK seq=(\d+) ack=(\d+) ", r)
    if m and "kernel" in r:
        sa = (int(m.group(1)), int(m.group(2)))
for r in rows:
    m = re.search(r"(?<![+A-Z])ACK seq=(\d+) ack=(\d+) ", r)
    if m and "kernel" in r and syn is not None and \
            int(m.group(1)) == (syn + 1) % 2**32:
        ack = int(m.group(2))
print("SYN seq=%s (connect()), SYN+ACK seq, ack=%s (kernel), ACK ack=%s "
      "(kernel)" % (syn, sa, ack))
sys.exit(0 if syn is not None and sa and ack is not None and
         sa[1] == (syn + 1) % 2**32 and ack == (sa[0] + 1) % 2**32 else 1)
' >"$TMPD/hs"
	r=$?
	diag "$(cat "$TMPD/hs")"
	return $r
}

# wait_handshake: poll until the three rows agree (the last segment may
# be drawn a frame after the others).
wait_handshake() {
	deadline=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		handshake >/dev/null 2>&1 && { handshake; return 0; }
		sleep 0.1
	done
	diag "no whole handshake on screen:"
	screen | sed 's/^/# | /'
	return 1
}

mkdir "$TMPD/out"
chmod 777 "$TMPD/out"
run() {
	cols=$1 rows=$2
	shift 2
	start_tmux "$cols" "$rows" sh -c 'cd "$1" && shift && exec "$@"' - \
		"$TMPD/out" $AS "$PROG" "$@"
}

# --- 100x30: the ladder has a pane of its own, under the lab.
run 100 30 --lang=en --lesson=7 --port=0
check "100x30: lesson 7 opens" wait_for "step 1/"
check "100x30: the title names the lab's own network" wait_for "lab net 127.0.0.1:"
keys n
check "100x30: the connect step" wait_for "step 2/"
check "100x30: SYN, SYN+ACK = seq + 1, ACK = seq + 1" wait_handshake
check "100x30: the lab stays beside the ladder" wait_for "Bartender (server)"
screen >"$TMPD/shot100"
keys l
check "100x30 Italian: the title says rete lab" wait_for "rete lab 127.0.0.1:"
check "100x30 Italian: the kernel's packets keep their numbers" wait_handshake
keys l
keys x
check "100x30: x hides the ladder" wait_gone "SYN+ACK seq="
keys x
check "100x30: x shows it again" wait_for "SYN+ACK seq="
keys o
check "o saves the packets" wait_for "packets to $TMPD/out/socktutor.pcap."
keys o
check "o again: a new file, the first kept" wait_for "socktutor-2.pcap."
check "the file is a pcap (magic a1b2c3d4, little-endian)" \
	sh -c 'od -An -tx1 -N4 "$1" | grep -q "d4 c3 b2 a1"' - "$TMPD/out/socktutor.pcap"
if command -v tcpdump >/dev/null 2>&1; then
	check "tcpdump reads the SYN in it" \
		sh -c 'tcpdump -nn -r "$1" 2>/dev/null | head -n 1 | grep -q "Flags \[S\]"' - "$TMPD/out/socktutor.pcap"
fi
keys q
check "100x30: q quits" wait_exit

# --- 80x24: the step asks for the ladder, in the lab pane's place.
run 80 24 --lang=en --lesson=7 --port=0
check "80x24: lesson 7 opens" wait_for "step 1/"
keys n
check "80x24: the connect step" wait_for "step 2/"
check "80x24: SYN, SYN+ACK = seq + 1, ACK = seq + 1" wait_handshake
screen >"$TMPD/shot80"
check "80x24: the marked code line stays beside the ladder" \
	wait_for "connect(s, (struct sockaddr *)&bar, sizeof bar);"
keys x
check "80x24: x gives the lab its place back" wait_for "Bartender (server)"
check "80x24: ... and the ladder goes" wait_gone "SYN+ACK seq="
keys n
check "80x24: the next step has no ladder of its own" \
	sh -c '! tmux -L "$1" capture-pane -p | grep -q "SYN+ACK seq="' - "$TMUX_SOCK"
keys q
check "80x24: q quits" wait_exit
diag "lesson 7, the connect step, 100x30:" "$(sed 's/^/| /' "$TMPD/shot100")"
diag "lesson 7, the connect step, 80x24:" "$(sed 's/^/| /' "$TMPD/shot80")"

# --- Lesson 11: a full queue; the SYN is sent again with its seq.
run 100 40 --lang=en --lesson=11 --port=0
check "lesson 11 opens" wait_for "step 1/"
keys n n n n
check "the crowd's step" wait_for "step 5/"
keys n
check "the full queue's step" wait_for "step 6/"
resent() {
	screen | python3 -c '
import re, sys
rows = [r for r in sys.stdin.read().split("\n")]
seen = {}
for r in rows:
    m = re.search(r"(?<![+A-Z])SYN seq=(\d+)", r)
    if m:
        seen.setdefault(m.group(1), []).append(r)
again = [s for s, rs in seen.items() if len(rs) > 1 and "kernel" in rs[-1]]
print(again[0] if again else "")
sys.exit(0 if again else 1)' >"$TMPD/resent"
}
deadline=$(( $(date +%s) + 15 ))
until resent || [ "$(date +%s)" -gt "$deadline" ]; do
	sleep 0.2
done
check "a SYN comes again with the same seq, from the kernel ($(cat "$TMPD/resent"))" resent
resent || screen | sed 's/^/# | /'
keys q
check "lesson 11: q quits" wait_exit

# --- No private network: one line, and the lesson works all the same.
# wait_re REGEX: poll the screen until a row matches (grep -E).
wait_re() {
	deadline=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	diag "timed out waiting for /$1/; screen was:"
	screen | sed 's/^/# | /'
	return 1
}
nonet() {
	label=$1 cause=$2
	shift 2
	start_tmux 80 24 sh -c 'cd "$1" && shift && exec "$@"' - "$TMPD/out" \
		"$@" --lang=en --lesson=7 --port=0
	check "$label: the status line says there is no private network" \
		wait_for "The lab has no private network: no packets (x)."
	check "$label: the title says this PC" wait_for "this PC 127.0.0.1:"
	keys n
	check "$label: the lesson's connect() succeeds all the same" \
		wait_re 'connect\([0-9]+, 127\.0\.0\.1:[0-9]+\) = 0'
	check "$label: ... and its customer is ESTABLISHED" wait_for "ESTABLISHED"
	screen >"$TMPD/nonet"
	keys x
	check "$label: x says why" wait_for "No private network for the lab ("
	check "$label: ... naming the cause" wait_for "$cause"
	keys q
	check "$label: q quits" wait_exit
}
nonet "SOCKTUTOR_NO_NETNS" "SOCKTUTOR_NO_NETNS is set" \
	env SOCKTUTOR_NO_NETNS=1 $AS "$PROG"
nonet "unshare() refused" "unshare(CLONE_NEWUSER|CLONE_NEWNET)" \
	$AS "$NOUNSHARE" "$PROG"
diag "lesson 7, the connect step, unshare() refused, 80x24:" \
	"$(sed 's/^/| /' "$TMPD/nonet")"
done_testing

#!/bin/sh
# wire.sh - the lab's private network, live, as an unprivileged user
# (uid 65534 when the tests run as root): a connect, a send and a close
# there show the real segments (the SYN's seq acknowledged +1, a data
# segment as long as what was sent, a FIN each way, new ISNs every run);
# routes give an unreachable and a silent host; the capture is saved as
# pcap; and where the network is refused (the environment variable, or
# unshare() refused by a seccomp filter) the cause is one line.
# Skips, never passes, where user namespaces are refused.
. "${top_srcdir:-..}/tests/lib.sh"

probe="$top_builddir/tests/wire_probe"
nounshare="$top_builddir/tests/no_unshare"
unset SOCKTUTOR_NO_NETNS

# As root, run as nobody; copy the programs where nobody may run them
# when the build tree is closed to it.
AS=""
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || skip_all "setpriv is needed to test as uid 65534"
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$TMPD"
	if ! $AS test -x "$probe"; then
		cp "$probe" "$nounshare" "$TMPD/"
		probe="$TMPD/wire_probe"
		nounshare="$TMPD/no_unshare"
	fi
	check "the probe runs as uid 65534" $AS test -x "$probe"
fi

$AS "$probe" talk 5 >"$TMPD/talk1" 2>"$TMPD/err1"
rc=$?
if [ $rc = 77 ]; then
	skip_all "no private network here: $(cat "$TMPD/err1")"
fi
check "a talk in the private network runs (exit $rc)" test $rc = 0
diag "$(cat "$TMPD/talk1")"

# The customer's SYN, and the bartender's SYN+ACK acknowledging it +1.
isn=$(sed -n 's/^c>s SYN seq=\([0-9]*\) .*/\1/p' "$TMPD/talk1" | head -n 1)
check "the customer's SYN is there" test -n "$isn"
want=$(awk -v s="$isn" 'BEGIN { printf "%.0f", (s + 1) % 4294967296 }')
check "the SYN+ACK acknowledges the SYN's seq + 1" \
	grep -q "^s>c SYN+ACK seq=[0-9]* ack=$want len=0 " "$TMPD/talk1"
check "the customer's data segment carries the 5 bytes sent" \
	grep -qE "^c>s (PSH\\+)?ACK seq=$want ack=[0-9]+ len=5 " "$TMPD/talk1"
check "the customer sends a FIN" grep -q "^c>s FIN" "$TMPD/talk1"
check "the bartender sends a FIN" grep -q "^s>c FIN" "$TMPD/talk1"
check "no segment appears twice (outgoing copies skipped)" \
	test "$(sort "$TMPD/talk1" | uniq -d | wc -l)" = 0

$AS "$probe" talk 1 >"$TMPD/talk2" 2>&1
isn2=$(sed -n 's/^c>s SYN seq=\([0-9]*\) .*/\1/p' "$TMPD/talk2" | head -n 1)
check "a second run has a SYN" test -n "$isn2"
check "a second run has another ISN ($isn, $isn2)" test "$isn" != "$isn2"
check "a 1-byte send is a 1-byte segment" grep -q "^c>s .* len=1 " "$TMPD/talk2"

$AS "$probe" routes >"$TMPD/routes" 2>&1
diag "$(cat "$TMPD/routes")"
check "an unreachable route answers EHOSTUNREACH at once" \
	grep -qE '^127\.0\.0\.8 EHOSTUNREACH 0\.[0-5]$' "$TMPD/routes"
check "a silent host times out (TCP_SYNCNT=1: about 3 s)" \
	grep -qE '^127\.0\.0\.9 ETIMEDOUT [2-9]\.' "$TMPD/routes"
check "127.0.0.1 is still this host" \
	grep -q '^127\.0\.0\.1 ECONNREFUSED' "$TMPD/routes"

mkdir "$TMPD/out" && chmod 777 "$TMPD/out"
$AS "$probe" pcap "$TMPD/out/talk.pcap" >"$TMPD/pcap" 2>&1
check "the capture is saved" grep -q '^saved 8$' "$TMPD/pcap"
check "a second save refuses to replace the file" \
	sh -c '! '"$AS"' "$1" pcap "$2" >/dev/null 2>&1' sh "$probe" "$TMPD/out/talk.pcap"
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -nn -r "$TMPD/out/talk.pcap" >"$TMPD/tcpdump" 2>/dev/null
	check "tcpdump reads the file: 8 segments, the first a SYN" \
		sh -c 'test "$(wc -l <"$1")" = 8 && head -n 1 "$1" | grep -q "Flags \[S\]"' sh "$TMPD/tcpdump"
else
	diag "tcpdump is not installed: the file's bytes are checked by check_wire only"
fi

SOCKTUTOR_NO_NETNS=1 $AS "$probe" talk 1 >/dev/null 2>"$TMPD/off"
rc=$?
check "SOCKTUTOR_NO_NETNS refuses the network (exit $rc)" test $rc = 77
check "... and says so in one line" \
	sh -c 'test "$(wc -l <"$1")" = 1 && grep -q "SOCKTUTOR_NO_NETNS is set" "$1"' sh "$TMPD/off"

$AS "$nounshare" "$probe" talk 1 >/dev/null 2>"$TMPD/denied"
rc=$?
check "unshare() refused by seccomp refuses the network (exit $rc)" test $rc = 77
check "... and the one line names the refused call" \
	sh -c 'test "$(wc -l <"$1")" = 1 && grep -q "unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM" "$1"' sh "$TMPD/denied"
done_testing

#!/bin/sh
# syn_schedule.sh - lesson 11 tells the SYN schedule of the running
# kernel: the waits and the give-up time shown in plain mode are computed
# here again from /proc/sys (net.ipv4.tcp_syn_retries and, where it
# exists, net.ipv4.tcp_syn_linear_timeouts), in both languages.
. "${top_srcdir:-..}/tests/lib.sh"

export XDG_STATE_HOME="$TMPD/state"
export SOCKTUTOR_PLAIN_WAIT=0.2
retries_f=/proc/sys/net/ipv4/tcp_syn_retries
linear_f=/proc/sys/net/ipv4/tcp_syn_linear_timeouts
[ -r "$retries_f" ] || skip_all "no $retries_f"
retries=$(cat "$retries_f")
linear=0
[ -r "$linear_f" ] && linear=$(cat "$linear_f")

# The kernel's timer, step by step: a SYN leaves after each wait; the
# first linear + 1 waits are one second, then each doubles up to 120 s;
# it gives up after retries + linear new SYNs, or once the time of
# `retries` doubling tries (1 + 2 + 4 ..., then 120 s each) has passed.
expected=$(awk -v r="$retries" -v l="$linear" 'BEGIN {
	limit = 0; w = 1
	for (i = 0; i <= r; i++) { limit += w; w = (w * 2 > 120) ? 120 : w * 2 }
	t = 0; rto = 1; sent = 0; waits = ""
	while (1) {
		t += rto
		if (sent >= r + l || (sent > 0 && t >= limit))
			break
		waits = waits (sent ? ", " : "") rto
		sent++
		if (sent > l)
			rto = (rto * 2 > 120) ? 120 : rto * 2
	}
	printf "%s|%d\n", waits, t
}')
waits=${expected%|*}
giveup=${expected#*|}
diag "tcp_syn_retries $retries, tcp_syn_linear_timeouts $linear: waits $waits, gives up at $giveup s"

for lang in en it; do
	"$PROG" --plain --lesson=11 --port=0 --lang=$lang </dev/null \
		>"$TMPD/$lang" 2>"$TMPD/$lang.err"
	check "lesson 11 in $lang exits 0" test $? -eq 0
	tr '\n' ' ' <"$TMPD/$lang" | tr -s ' ' >"$TMPD/$lang.flat"
done
check "English: the waits and the give-up time of this kernel" \
	grep -qF "after waits of $waits seconds, and connect() gives up $giveup seconds after the first SYN" "$TMPD/en.flat"
check "Italian: the same schedule" \
	grep -qF "dopo attese di $waits secondi, e connect() rinuncia $giveup secondi dopo il primo SYN" "$TMPD/it.flat"
check "no placeholder is left unfilled" sh -c '! grep -q "{syn_" "$1" "$2"' - "$TMPD/en" "$TMPD/it"
if [ "$linear" -gt 0 ]; then
	check "a kernel with tcp_syn_linear_timeouts starts with one-second waits" \
		grep -qF "waits of 1, 1, " "$TMPD/en.flat"
else
	check "a kernel without linear timeouts doubles from the first wait" \
		grep -qE "waits of 1, 2(,| seconds)" "$TMPD/en.flat"
fi
done_testing

#!/bin/sh
# valgrind.sh - memcheck over a plain-mode run of every lesson, lab threads
# included: no invalid access, no uninitialised value used, nothing
# definitely lost.  Lessons run a few at a time (each mostly waits on its
# lab), and customers who never come are waited for only briefly.
. "${top_srcdir:-..}/tests/lib.sh"

# Under the TAP driver a skip is "1..0 # SKIP" and exit 0 (77 would be
# reported as an error).
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed"
# A sanitizer build has its own checks and cannot run under valgrind.
if ldd "$PROG" 2>/dev/null | grep -q 'lib[at]san'; then
	skip_all "the program is built with a sanitizer"
fi

"$PROG" --list >"$TMPD/list" 2>/dev/null ||
	{ not_ok "--list works"; done_testing; }
count=$(wc -l <"$TMPD/list")
check "there are lessons to run" test "$count" -gt 0

export SOCKTUTOR_PLAIN_WAIT=0.3
# One lesson under memcheck; its exit status and log land in $TMPD.
run_one() {
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --log-file="$TMPD/vg.$1" \
		"$PROG" --plain --lesson="$1" --port=0 </dev/null \
		>"$TMPD/out.$1" 2>"$TMPD/err.$1"
	echo $? >"$TMPD/rc.$1"
}
# Batches of a few lessons at a time: they mostly wait on their labs.
jobs=${VALGRIND_JOBS:-5}
n=1
while [ "$n" -le "$count" ]; do
	run_one "$n" &
	if [ $((n % jobs)) -eq 0 ]; then
		wait
	fi
	n=$((n + 1))
done
wait

n=1
while [ "$n" -le "$count" ]; do
	rc=$(cat "$TMPD/rc.$n" 2>/dev/null || echo none)
	if [ "$rc" = 0 ] && [ ! -s "$TMPD/vg.$n" ]; then
		ok "lesson $n runs clean under memcheck"
	else
		not_ok "lesson $n runs clean under memcheck (exit $rc)"
		diag "$(head -n 40 "$TMPD/vg.$n" 2>/dev/null)" \
			"$(tail -n 5 "$TMPD/err.$n" 2>/dev/null)"
	fi
	n=$((n + 1))
done
done_testing

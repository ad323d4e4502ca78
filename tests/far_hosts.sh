#!/bin/sh
# far_hosts.sh - lesson 18's "Three ways to fail" in plain mode: in the
# lab's private network the customer's connect() meets ENETUNREACH and
# EHOSTUNREACH at once and ETIMEDOUT after about three seconds; without
# a private network the three calls are not made (nothing leaves for
# another machine) and the text says what they would show.
. "${top_srcdir:-..}/tests/lib.sh"

export XDG_STATE_HOME="$TMPD/state"
export SOCKTUTOR_PLAIN_WAIT=8

# The step's part of a transcript.
far_step() {
	sed -n '/Step 5 of 6: Three ways to fail/,/Step 6 of 6/p' "$1"
}

# 1. Without a private network.
SOCKTUTOR_NO_NETNS=1 "$PROG" --plain --lesson=18 --port=0 --lang=en \
	</dev/null >"$TMPD/machine" 2>"$TMPD/machine.err"
check "lesson 18 without a private network exits 0" test $? -eq 0
far_step "$TMPD/machine" >"$TMPD/machine.step"
check "the step is there" grep -q "Three ways to fail" "$TMPD/machine.step"
check "no connect() to a far host is made" sh -c \
	'! grep -E "^  connect\(.*(192\.0\.2\.|198\.51\.100\.)" "$1"' - "$TMPD/machine.step"
check "the text says what they would show" \
	grep -q "these three connect() calls are not made" "$TMPD/machine.step"

# 2. In the private network, where the system allows one.
unset SOCKTUTOR_NO_NETNS
"$PROG" --plain --lesson=18 --port=0 --lang=en </dev/null \
	>"$TMPD/private" 2>"$TMPD/private.err"
check "lesson 18 exits 0" test $? -eq 0
far_step "$TMPD/private" >"$TMPD/private.step"
if ! grep -q "^Network: the lab's own" "$TMPD/private"; then
	sed 's/^/# | /' "$TMPD/private.err" | head -n 5
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP no private network here: the far hosts"
	done_testing
fi
check "no route: ENETUNREACH" \
	grep -qE "^  connect\([0-9]+, 198\.51\.100\.1:[0-9]+\) = -1 ENETUNREACH$" "$TMPD/private.step"
check "an unreachable host: EHOSTUNREACH" \
	grep -qE "^  connect\([0-9]+, 192\.0\.2\.2:[0-9]+\) = -1 EHOSTUNREACH$" "$TMPD/private.step"
check "a silent host: ETIMEDOUT" \
	grep -qE "^  connect\([0-9]+, 192\.0\.2\.1:[0-9]+\) = -1 ETIMEDOUT$" "$TMPD/private.step"
done_testing

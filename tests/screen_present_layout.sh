#!/bin/sh
# screen_present_layout.sh - what the projector shows of lesson 12 at
# 160x48: on step 6 the server-side TIME_WAIT that holds the bar's port
# (the one that makes bind() fail, as the kernel lists it) in the
# bartender's figure; on step 8 the customer's ECONNRESET, as the latest
# call and in the calls under it; and the rows below the figures used.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

# wait_re REGEX [SECONDS]: poll the screen until a line matches the
# extended regex; fails after the deadline and shows the screen.
wait_re() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if screen | grep -qE -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for /$1/" "screen was:"
	screen | sed 's/^/# | /'
	return 1
}

# left_has TEXT [SECONDS]: poll until TEXT is in the bartender's half of
# the screen, inside his figure's box (the rows from its top corner to
# its bottom one).  cut -c may count bytes, not columns, on the box's
# lines: either way its cut at 80 falls between the two figures (the
# bartender's ends at column 70, the customer's starts at 90).
left_has() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if screen | cut -c1-80 |
			sed -n '/┌/,/└/p' | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "not in the bartender's figure: $1" "screen was:"
	screen | sed 's/^/# | /'
	return 1
}

# blank_rows: rows of the screen that hold spaces only.
blank_rows() {
	screen | grep -c '^ *$'
}

start_tmux 160 48 "$PROG" --present --lang=en --lesson=12 --port=0
check "lesson 12" wait_for "12. Closing a connection"
check "step 1/9" wait_for "step 1/9"
for k in 2 3 4 5 6; do
	keys Right
	check "step $k/9" wait_for "step $k/9"
done
check "step 6: bind() fails" \
	wait_re 'bind\([0-9]+, 127\.0\.0\.1:[0-9]+\) = -1 EADDRINUSE' 15
port=$(screen | sed -n \
	's/.*bind([0-9]*, 127\.0\.0\.1:\([0-9]*\)) = -1 EADDRINUSE.*/\1/p' |
	head -n 1)
check "step 6: the bar's port is on the screen" test -n "$port"
# The kernel's word first: a TIME_WAIT holds the port on the server side.
if command -v ss >/dev/null; then
	check "step 6: ss lists a TIME_WAIT whose local end is the bar's port" \
		sh -c "ss -tanH state time-wait |
			awk '\$3 == \"127.0.0.1:$port\" { f = 1 } END { exit !f }'"
fi
check "step 6: the bartender's figure shows the TIME_WAIT" \
	left_has "TIME_WAIT"
check "step 6: ... on the bar's own port" \
	left_has "no fd  127.0.0.1:$port"
check "step 6: ... counting down" left_has "gone in"
check "step 6: the calls below the figures" \
	wait_for "What really happened (the calls)"
check "step 6: the step's failed bind() among them" sh -c "
	test \$(tmux -L '$TMUX_SOCK' capture-pane -p |
		grep -c 'bind([0-9]*, 127.0.0.1:$port) = -1 EADDRINUSE') -ge 2"
n=$(blank_rows)
check "step 6: at most 14 of 48 rows blank (were 28), $n are" \
	test "$n" -le 14

keys Right
check "step 7/9" wait_for "step 7/9"
keys Right
check "step 8/9" wait_for "step 8/9"
check "step 8: the customer's ECONNRESET" \
	wait_re 'recv\([0-9]+, buf, 1024\) = -1 ECONNRESET' 15
check "step 8: as the latest call and in the calls" sh -c "
	test \$(tmux -L '$TMUX_SOCK' capture-pane -p |
		grep -cE 'recv\([0-9]+, buf, 1024\) = -1 ECONNRESET') -ge 2"
check "step 8: with what it means" wait_for "failed with ECONNRESET"
n=$(blank_rows)
check "step 8: at most 10 of 48 rows blank, $n are" test "$n" -le 10

keys l
check "Italian: step 8" wait_for "passo 8/9"
check "Italian: the calls' heading" \
	wait_for "Che cosa è successo davvero (le chiamate)"
check "Italian: ECONNRESET still there" \
	wait_re 'recv\([0-9]+, buf, 1024\) = -1 ECONNRESET'
keys q
check "q quits" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

#!/bin/sh
# screen_fatal.sh - a fatal error gives the terminal back: the program
# runs out of memory once its first screen is up (SOCKTUTOR_TEST_FATAL
# makes one allocation no machine grants), says so on stderr and aborts,
# and the shell it ran from has its terminal as before: cooked, echoing,
# the cursor shown, off the alternate screen.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

tmux_fmt() {
	tmux -L "$TMUX_SOCK" display-message -p "$1"
}

# The sanitizers abort on a huge allocation unless told to return NULL,
# as malloc does.
cat >"$TMPD/run.sh" <<EOS
ulimit -c 0
stty -a >"$TMPD/stty.before"
ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}allocator_may_return_null=1" \\
TSAN_OPTIONS="\${TSAN_OPTIONS:+\$TSAN_OPTIONS:}allocator_may_return_null=1" \\
SOCKTUTOR_TEST_FATAL=1 "$PROG" --lang=en --lesson=1 --port=0 2>"$TMPD/err"
echo \$? >"$TMPD/rc"
stty -a >"$TMPD/stty.after"
echo "the shell is back"
EOS
start_tmux 80 24 sh "$TMPD/run.sh"
check "the program ends" wait_exit 20
check "it aborted (exit status 134)" test "$(cat "$TMPD/rc")" = 134
check "stderr says why" grep -q "^socktutor: out of memory" "$TMPD/err"
check "the shell goes on, its line on the screen" wait_for "the shell is back"
check "the terminal left the alternate screen" \
	test "$(tmux_fmt '#{alternate_on}')" = 0
check "the cursor is visible again" test "$(tmux_fmt '#{cursor_flag}')" = 1
# Line by line, with echo and signals, as the shell had it: the modes
# curses changed (icanon, echo, icrnl, isig...) are back.
for mode in icanon echo icrnl isig opost; do
	check "stty: $mode is on again" \
		sh -c "grep -qE '(^| )$mode( |\$)' '$TMPD/stty.after'"
done
check "stty: the modes are those from before the program" \
	sh -c "sed 1d '$TMPD/stty.before' >'$TMPD/b'; sed 1d '$TMPD/stty.after' >'$TMPD/a'; cmp -s '$TMPD/b' '$TMPD/a'"
done_testing

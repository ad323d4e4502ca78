#!/bin/sh
# screen_term.sh - SIGTERM and SIGHUP end the program with 128+signal after
# the terminal is restored; NO_COLOR leaves a readable screen without a
# single colour.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

prog_pid() {
	pane=$(tmux -L "$TMUX_SOCK" list-panes -F '#{pane_pid}' | head -n 1)
	pgrep -P "$pane" | head -n 1
}
tmux_fmt() {
	tmux -L "$TMUX_SOCK" display-message -p "$1"
}
colour_sgr() {
	tmux -L "$TMUX_SOCK" capture-pane -p -e |
		grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)(;[0-9;]*)?m"
}

for sig in TERM HUP; do
	start_tmux 80 24 "$PROG" --lang=en --lesson=1 --port=0
	check "$sig: the screen is up" wait_for "Two programs that want to talk"
	check "$sig: the alternate screen is on" test "$(tmux_fmt '#{alternate_on}')" = 1
	pid=$(prog_pid)
	check "$sig: the program's pid is known" test -n "$pid"
	kill -s "$sig" "$pid"
	check "$sig: the program ends" wait_exit
	want=143
	[ "$sig" = HUP ] && want=129
	check "$sig: the exit status is $want" test "${EXIT_STATUS:-x}" = "$want"
	check "$sig: the terminal left the alternate screen" \
		test "$(tmux_fmt '#{alternate_on}')" = 0
	check "$sig: the cursor is visible again" test "$(tmux_fmt '#{cursor_flag}')" = 1
done

start_tmux 80 24 "$PROG" --lang=en --lesson=1 --port=0
check "with colours: the screen is up" wait_for "Two programs that want to talk"
check "with colours: colour is used" colour_sgr
keys q
check "q quits" wait_exit

start_tmux 80 24 env NO_COLOR=1 "$PROG" --lang=en --lesson=1 --port=0
check "NO_COLOR: the screen is up" wait_for "Two programs that want to talk"
check "NO_COLOR: the footer is there" wait_for "q quit"
if colour_sgr; then not_ok "NO_COLOR: no colour is used"; else ok "NO_COLOR: no colour is used"; fi
check "NO_COLOR: the title bar is still set apart (reverse video)" \
	sh -c "tmux -L '$TMUX_SOCK' capture-pane -p -e | grep -q \"\$(printf '\033')\\[[0-9;]*7[;m]\""
keys q
check "q quits" wait_exit
done_testing

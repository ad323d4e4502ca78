# lib.sh - shared by the shell tests: TAP output and a tmux harness that
# drives the real program on a private tmux server at a fixed size.
# Source it; it reads top_srcdir and top_builddir from the environment.

: "${top_srcdir:=..}"
: "${top_builddir:=..}"
PROG="$top_builddir/src/socktutor"
tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=1
	echo "not ok $tap_n - $*"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# check DESCRIPTION COMMAND...: one TAP line for the command's success.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

done_testing() {
	echo "1..$tap_n"
	exit $tap_failed
}

# A private scratch directory, removed at exit.
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/socktutor-test.XXXXXX")
TMUX_SOCK="socktutor-test-$$"
# The learner's own progress file (its language is resumed) must not
# steer a test: every test gets an empty state directory of its own.
XDG_STATE_HOME="$TMPD/state"
export XDG_STATE_HOME
cleanup() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# start_tmux COLS ROWS COMMAND...: run the command in a detached session;
# its exit status lands in $TMPD/status when it ends.
start_tmux() {
	cols=$1 rows=$2
	shift 2
	rm -f "$TMPD/status"
	cmd=""
	for a in "$@"; do
		cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	# A server just killed on the same socket may still be going away
	# ("server exited unexpectedly"): try again for up to 5 s.
	tries=0
	until tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x "$cols" \
		-y "$rows" \
		"env XDG_STATE_HOME='$TMPD/state' $cmd; echo \$? > '$TMPD/status'; sleep 30" \
		2>"$TMPD/tmux.err"; do
		tries=$((tries + 1))
		if [ "$tries" -ge 50 ]; then
			diag "tmux would not start:" "$(cat "$TMPD/tmux.err")"
			break
		fi
		sleep 0.1
	done
	tmux -L "$TMUX_SOCK" set-option -g remain-on-exit off >/dev/null 2>&1
}

screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p
}

keys() {
	tmux -L "$TMUX_SOCK" send-keys "$@"
}

resize() {
	tmux -L "$TMUX_SOCK" resize-window -x "$1" -y "$2" 2>/dev/null ||
		tmux -L "$TMUX_SOCK" resize-pane -x "$1" -y "$2"
}

# wait_for TEXT [SECONDS]: poll the screen until TEXT (a fixed string)
# appears; fails after the deadline (default 10 s) and shows the screen.
wait_for() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for: $1" "screen was:"
	screen | sed 's/^/# | /'
	return 1
}

# rows_below A B: the first row with B comes after the first with A.
rows_below() {
	a=$(screen | grep -nF -- "$1" | head -1 | cut -d: -f1)
	b=$(screen | grep -nF -- "$2" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}

# wait_below A B: polls until rows_below A B holds (10 s at most), and
# shows the screen when it never does.
wait_below() {
	deadline=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		rows_below "$1" "$2" && return 0
		sleep 0.05
	done
	diag "'$2' never came below '$1'; the screen was:"
	screen | sed 's/^/# | /'
	diag "the kernel's TCP sockets:"
	ss -tan 2>/dev/null | sed 's/^/# | /'
	return 1
}

# wait_gone TEXT [SECONDS]: poll until TEXT is no longer on the screen.
wait_gone() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "still on screen: $1"
	return 1
}

# wait_file FILE PATTERN [SECONDS]: poll until FILE holds a line that
# matches PATTERN (grep's basic regex); a file written after the screen
# changes (the progress file, say) may lag the screen by a moment.
wait_file() {
	deadline=$(( $(date +%s) + ${3:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if grep -q -- "$2" "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for $2 in $1"
	return 1
}

# wait_exit [SECONDS]: wait until the program has ended; its exit status
# is then in $EXIT_STATUS.
wait_exit() {
	deadline=$(( $(date +%s) + ${1:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if [ -s "$TMPD/status" ]; then
			EXIT_STATUS=$(cat "$TMPD/status")
			return 0
		fi
		sleep 0.05
	done
	diag "the program did not exit"
	return 1
}

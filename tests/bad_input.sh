#!/bin/sh
# bad_input.sh - broken input the contract names, each against the real
# program: lesson files that are empty, binary, huge, have an unknown
# directive or invalid UTF-8 (exit 1, "FILE:LINE: what was expected",
# nothing drawn); a state directory that cannot be made (one warning, the
# tutorial goes on); a missing Italian catalog (English, said once); and
# option values at the edges (exit 2).  tests/cli.sh has the others.
. "${top_srcdir:-..}/tests/lib.sh"

# broken NAME: the lessons directory $TMPD/NAME holds one broken file,
# written from stdin; runs --plain on it.
broken() {
	mkdir -p "$TMPD/$1"
	cat >"$TMPD/$1/01-broken.lesson"
	SOCKTUTOR_LESSONDIR="$TMPD/$1" "$PROG" --plain </dev/null \
		>"$TMPD/$1.out" 2>"$TMPD/$1.err"
	echo $? >"$TMPD/$1.rc"
}

# refused NAME LINE WORDS: exit 1, stderr is one "FILE:LINE: ..." line
# mentioning WORDS (a regex), stdout empty.
refused() {
	f="$TMPD/$1/01-broken.lesson"
	check "$1: exit 1" test "$(cat "$TMPD/$1.rc")" -eq 1
	check "$1: says $f:$2 and what was expected" sh -c '
		test "$(wc -l <"$1")" -eq 1 &&
		grep -qE "^$2:$3: .*($4)" "$1"' - "$TMPD/$1.err" "$f" "$2" "$3"
	check "$1: prints nothing else" test ! -s "$TMPD/$1.out"
}

printf '' | broken empty
refused empty 1 "expected"
head -c 4096 /dev/urandom | tr '\n' '\001' | broken binary
refused binary 1 "UTF-8"
{
	printf '@lesson Huge\n@step One\n'
	i=0
	while [ $i -lt 1200 ]; do
		printf '%01000d\n' 0
		i=$((i + 1))
	done
} | broken huge
refused huge 1 "1 MiB"
printf '@lesson X\n@step One\nText.\n@frobnicate yes\n' | broken directive
refused directive 4 "unknown directive '@frobnicate'"
printf '@lesson X\n@step One\nCaf\351 \377\376 text.\n' | broken utf8
refused utf8 3 "UTF-8"
printf '@lesson X\n@step One\n@code c\nint x;\n@code python\nx = 1\n' | broken unterminated
refused unterminated 3 "@end"

# No screen is drawn for a broken lesson either: in a terminal the error
# is all there is.
mkdir "$TMPD/term"
printf '@lesson X\n@step One\n@bogus\n' >"$TMPD/term/01-broken.lesson"
start_tmux 80 24 env SOCKTUTOR_LESSONDIR="$TMPD/term" "$PROG"
check "in a terminal: a broken lesson exits" wait_exit
check "in a terminal: it exits 1" test "${EXIT_STATUS:-x}" = 1
check "in a terminal: the error is shown" wait_for "01-broken.lesson:3: "
check "in a terminal: no tutorial screen was drawn" sh -c '! tmux -L "$1" capture-pane -p | grep -q "\[EN\]\|EN  \|Step "' - "$TMUX_SOCK"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

# A state directory that cannot be made: a regular file where it should
# be.  The curses interface warns once and goes on; nothing is created.
mkdir -p "$TMPD/state"
: >"$TMPD/state/socktutor"
start_tmux 100 30 "$PROG" --lesson=1 --port=0
check "state: the tutorial starts" wait_for "step 1/"
check "state: a warning says progress cannot be saved" wait_for "Progress cannot be saved"
check "state: the warning names the path in the way" wait_for "state/socktutor"
keys Right
check "state: the next key still moves on" wait_for "step 2/"
check "state: the warning goes away" wait_gone "Progress cannot be saved"
keys Right
check "state: and the next" wait_for "step 3/"
check "state: no second warning" sh -c '! tmux -L "$1" capture-pane -p | grep -q "cannot be saved"' - "$TMUX_SOCK"
check "state: the file in the way is untouched" sh -c 'test -f "$1" && test ! -s "$1"' - "$TMPD/state/socktutor"
keys q
check "state: q still quits" wait_exit
check "state: with status 0" test "${EXIT_STATUS:-x}" = 0
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

# No Italian catalog: English text, and one warning that says why.
mkdir "$TMPD/nolocale"
SOCKTUTOR_LOCALEDIR="$TMPD/nolocale" SOCKTUTOR_PLAIN_WAIT=0.1 "$PROG" \
	--plain --lang=it --lesson=1 --port=0 </dev/null >"$TMPD/it.out" 2>"$TMPD/it.err"
rc=$?
check "no catalog: --lang=it still runs (exit 0)" test "$rc" -eq 0
check "no catalog: the warning is given once" test "$(grep -c "catalog" "$TMPD/it.err")" -eq 1
check "no catalog: the warning names the directory" grep -q "$TMPD/nolocale" "$TMPD/it.err"
"$PROG" --plain --lang=en --lesson=1 --port=0 </dev/null >"$TMPD/en.out" 2>/dev/null
check "no catalog: the lesson text is the English one" sh -c 'head -n 5 "$1" | sed "s/\[..\]//" >"$1.a"; head -n 5 "$2" | sed "s/\[..\]//" >"$2.a"; cmp -s "$1.a" "$2.a"' - "$TMPD/it.out" "$TMPD/en.out"

# Option values at the edges (cli.sh has the common ones).
for bad in --port=65536 --port= --port=5050x --port=99999999999999999999 --lang= --lang=IT --lesson=0 --lesson= --lesson=-1 --max-customers=100001; do
	"$PROG" "$bad" </dev/null >"$TMPD/out" 2>"$TMPD/err"; rc=$?
	check "$bad exits 2, names the option, prints nothing on stdout" sh -c '
		test "$1" -eq 2 && grep -q -- "--${2%%=*}" "$3" && test ! -s "$4"' - "$rc" "${bad#--}" "$TMPD/err" "$TMPD/out"
done
for good in --port=0 --port=65535; do
	"$PROG" "$good" --list >/dev/null 2>&1; rc=$?
	check "$good is accepted" test "$rc" -eq 0
done
done_testing

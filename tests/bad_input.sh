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

# Controls and bidirectional overrides in a lesson: refused with the line,
# and the message itself carries none of them raw.
printf '@lesson A \033]0;TITLE\007 title\n@step One\nText. More.\n' | broken esc
refused esc 1 "control characters"
printf '@lesson T\n@step One\nA \302\233 para. More.\n' | broken c1
refused c1 3 "control characters"
printf '@lesson T\n@step One\nText. More.\n\nabc\342\200\256def.\n' | broken bidi
refused bidi 5 "bidirectional"
raw_free() {	# FILE: no ESC, BEL, C1 CSI or U+202E in it
	! LC_ALL=C grep -q "$(printf '\033')\|$(printf '\007')\|$(printf '\302\233')\|$(printf '\342\200\256')" "$1"
}

# A file name that is an escape sequence: refused as an id, and printed
# escaped.
mkdir "$TMPD/badid"
printf '@lesson T\n@step One\nText. More.\n' >"$TMPD/badid/01-$(printf '\033]0;ID\007').lesson"
SOCKTUTOR_LESSONDIR="$TMPD/badid" "$PROG" --list >"$TMPD/badid.out" 2>"$TMPD/badid.err"
rc=$?
check "bad id: --list exits 1" test "$rc" -eq 1
check "bad id: says what an id is made of" grep -q "a-z, 0-9 and '-'" "$TMPD/badid.err"
check "bad id: the name is printed escaped" grep -qF '01-\x1b]0;ID\x07.lesson' "$TMPD/badid.err"
check "bad id: no raw control reaches stderr" raw_free "$TMPD/badid.err"

# A lessons directory whose name holds controls: the error names it
# escaped.
bad_dir="$TMPD/$(printf 'dir\033]0;PWN\007\342\200\256')"
SOCKTUTOR_LESSONDIR="$bad_dir" "$PROG" --list >"$TMPD/dir.out" 2>"$TMPD/dir.err"
rc=$?
check "bad dir: exits 1" test "$rc" -eq 1
check "bad dir: the path is printed escaped" grep -qF 'dir\x1b]0;PWN\x07\xe2\x80\xae' "$TMPD/dir.err"
check "bad dir: no raw control reaches stderr" raw_free "$TMPD/dir.err"

# --list prints every title through the escaper, and every id is plain.
"$PROG" --list --lang=it >"$TMPD/list.out" 2>&1
check "--list: nothing raw in the real list" raw_free "$TMPD/list.out"

# A FIFO or a device where a lesson should be: refused at once, never
# opened for a blocking read.
mkdir "$TMPD/fifo"
cp "$top_srcdir/lessons/01-what-is-a-socket.lesson" "$TMPD/fifo/"
mkfifo "$TMPD/fifo/02-x.lesson"
timeout 10 env SOCKTUTOR_LESSONDIR="$TMPD/fifo" "$PROG" --list >"$TMPD/fifo.out" 2>"$TMPD/fifo.err"
rc=$?
check "FIFO lesson: --list does not hang and exits 1 (got $rc)" test "$rc" -eq 1
check "FIFO lesson: FILE: not a regular file" grep -qx "$TMPD/fifo/02-x.lesson: not a regular file" "$TMPD/fifo.err"
mkdir "$TMPD/dev"
ln -s /dev/null "$TMPD/dev/01-null.lesson"
timeout 10 env SOCKTUTOR_LESSONDIR="$TMPD/dev" "$PROG" --plain </dev/null >"$TMPD/dev.out" 2>"$TMPD/dev.err"
rc=$?
check "device lesson: exits 1 (got $rc)" test "$rc" -eq 1
check "device lesson: FILE: not a regular file" grep -qx "$TMPD/dev/01-null.lesson: not a regular file" "$TMPD/dev.err"
if [ -e /dev/tty ] || [ -e /dev/ptmx ]; then
	mkdir "$TMPD/tty"
	ln -s /dev/ptmx "$TMPD/tty/01-tty.lesson"
	timeout 10 env SOCKTUTOR_LESSONDIR="$TMPD/tty" "$PROG" --list >"$TMPD/tty.out" 2>"$TMPD/tty.err"
	rc=$?
	check "terminal device as a lesson: exits 1 (got $rc)" test "$rc" -eq 1
	check "terminal device as a lesson: not a regular file" grep -q "not a regular file" "$TMPD/tty.err"
fi

# A state directory whose name holds ESC, BEL and U+202E, and cannot be
# used: the status line names it escaped, and no U+202E reaches the pane.
bad_state="$TMPD/$(printf 'st\033]0;PWN\007\342\200\256')"
mkdir -p "$bad_state"
: >"$bad_state/socktutor"
start_tmux 160 48 env XDG_STATE_HOME="$bad_state" "$PROG" --lesson=1 --port=0
check "hostile state dir: the tutorial starts" wait_for "step 1/"
check "hostile state dir: the warning names it escaped" wait_for 'st\x1b]0;PWN\x07\xe2\x80\xae'
check "hostile state dir: no U+202E on the pane" sh -c '! tmux -L "$1" capture-pane -p | grep -q "$(printf "\342\200\256")"' - "$TMUX_SOCK"
keys q
check "hostile state dir: q quits" wait_exit
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

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

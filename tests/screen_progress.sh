#!/bin/sh
# screen_progress.sh - the place is saved on every step: a start without
# --lesson resumes there and says so; a corrupt progress file is reported
# once, kept aside as progress.bad, and never crashes the program; a FIFO
# in its place never hangs it; the saved language is resumed, in plain
# mode too, which still never writes the file; a question answered is
# kept, and said so at the next visit.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
state="$TMPD/state/socktutor/progress"

start_tmux 80 24 "$PROG" --lang=en --lesson=3 --port=0
check "lesson 3 starts" wait_for "Welcome to the bar"
keys n
check "step 2 of lesson 3" wait_for "The bartender takes his place"
keys q
check "q quits" wait_exit
check "the progress file was written" test -s "$state"

start_tmux 80 24 "$PROG" --lang=en --port=0
check "a start without --lesson resumes at lesson 3" \
	wait_for "3. The bartender and the customers"
check "at the step left" wait_for "The bartender takes his place"
check "and says so in the status line" wait_for "resumed at lesson 3, step 2"
keys n
check "the status line clears on the next step" wait_gone "resumed at"
keys q
check "q quits" wait_exit

start_tmux 80 24 "$PROG" --lang=it --port=0
check "the resume message in Italian" wait_for "Rieccoti alla lezione 3, passo 3."
keys q
check "q quits" wait_exit

printf 'garbage\001\002 not a progress file\n%s\n' "lesson=???" >"$state"
cp "$state" "$TMPD/corrupt"
start_tmux 160 48 "$PROG" --lang=en --port=0
check "a corrupt file is reported" wait_for "progress file was unreadable"
check "the warning says where it is kept" wait_for "is kept as progress.bad"
check "the corrupt file is kept whole as progress.bad" cmp "$TMPD/corrupt" "$state.bad"
check "the program starts at lesson 1" wait_for "1. What a socket is"
keys n
keys q
check "q quits after a corrupt file" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
start_tmux 80 24 "$PROG" --lang=en --port=0
check "the corrupt file was replaced: it resumes" \
	wait_for "resumed at lesson 1, step 2"
keys q
check "q quits" wait_exit
check "progress.bad is still the corrupt file" cmp "$TMPD/corrupt" "$state.bad"

# A FIFO in place of the file: one warning, the keys work, q quits, and
# the FIFO goes aside (it was never opened for a blocking read).
rm -f "$state"
mkfifo "$state"
start_tmux 160 48 "$PROG" --lang=en --lesson=1 --port=0
check "FIFO: the tutorial starts" wait_for "step 1/"
check "FIFO: one warning says it is kept aside" wait_for "is kept as progress.bad"
keys n
check "FIFO: keys still work" wait_for "step 2/"
keys q
check "FIFO: q quits" wait_exit
check "FIFO: with status 0" test "${EXIT_STATUS:-x}" = 0
check "FIFO: it went aside as progress.bad" test -p "$state.bad"
check "FIFO: a real progress file took its place" test -f "$state"

# A link to the terminal in place of the file: reading it would swallow
# the learner's keys.  Refused, set aside, and the keys go to the program.
rm -f "$state" "$state.bad"
ln -s /dev/tty "$state"
start_tmux 160 48 "$PROG" --lang=en --lesson=1 --port=0
check "tty link: the tutorial starts" wait_for "step 1/"
check "tty link: one warning" wait_for "is kept as progress.bad"
keys n
check "tty link: the keys reach the program" wait_for "step 2/"
keys n
check "tty link: and the next" wait_for "step 3/"
keys q
check "tty link: q quits" wait_exit
check "tty link: with status 0" test "${EXIT_STATUS:-x}" = 0
check "tty link: the link went aside, as a link" test -L "$state.bad"
check "tty link: a real progress file took its place" sh -c 'test -f "$1" && test ! -L "$1"' - "$state"

# The saved language: LANGUAGE, then the file, then LANG.
printf 'socktutor-progress 1\nlesson ports\nstep 0\nlang it\n' >"$state"
start_tmux 100 30 env -u LANGUAGE LC_ALL= LC_MESSAGES= LANG=en_US.UTF-8 "$PROG" --port=0
check "lang it in the file: the screen resumes in Italian" wait_for "IT"
check "lang it in the file: Italian text" wait_for "Rieccoti alla lezione 4"
keys q
check "q quits" wait_exit
printf 'socktutor-progress 1\nlesson ports\nstep 0\nlang it\n' >"$state"
cp "$state" "$TMPD/saved"
plain_lang() {	# ARGS...: first line of plain mode's lesson 1 with the saved file
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 \
		XDG_STATE_HOME="$TMPD/state" SOCKTUTOR_PLAIN_WAIT=0.1 \
		"$@" "$PROG" --plain --lesson=1 --port=0 </dev/null 2>/dev/null | head -n 1
}
has() {	# TEXT WORD: TEXT holds WORD
	printf '%s\n' "$1" | grep -qF -- "$2"
}
check "plain: the saved language is resumed" has "$(plain_lang env)" "[IT]"
check "plain: LANGUAGE comes before the file" has "$(plain_lang env LANGUAGE=en)" "[EN]"
check "plain: --lang comes before all" has "$(env -u LANGUAGE LANG=it_IT.UTF-8 XDG_STATE_HOME="$TMPD/state" "$PROG" --plain --lang=en --lesson=1 --port=0 </dev/null 2>/dev/null | head -n 1)" "[EN]"
check "plain: the file is not written" cmp "$TMPD/saved" "$state"
printf 'socktutor-progress 1\nlang en\n' >"$state"
check "plain: the file comes before LANG" has "$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=it_IT.UTF-8 XDG_STATE_HOME="$TMPD/state" SOCKTUTOR_PLAIN_WAIT=0.1 "$PROG" --plain --lesson=1 --port=0 </dev/null 2>/dev/null | head -n 1)" "[EN]"
# An answer is remembered: lesson 4's question at step 8 answered, the
# file keeps it, and the next visit says it was answered before.
printf 'socktutor-progress 1\nlesson ports\nstep 7\nlang en\n' >"$state"
start_tmux 80 24 "$PROG" --port=0
check "answer: at lesson 4, step 8" wait_for "resumed at lesson 4, step 8"
check "answer: not answered yet" wait_gone "answered this question before"
keys 2
check "answer: the choice is judged" wait_for "Right: 8080 lies"
keys q
check "answer: q quits" wait_exit
check "answer: the file keeps it" grep -qx "done q:ports:8" "$state"
start_tmux 80 24 "$PROG" --port=0
check "answer: back at step 8" wait_for "resumed at lesson 4, step 8"
check "answer: it was answered before" \
	wait_for "(You answered this question before.)"
keys 3
check "answer: a new choice is judged" wait_for "the dynamic range starts"
check "answer: and the note goes" wait_gone "answered this question before"
keys q
check "answer: q quits again" wait_exit
done_testing

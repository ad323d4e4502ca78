#!/bin/sh
# screen_same.sh - plain mode and the screen word a step's question and
# exercise the same way (both take them from narrate_step.c): every line
# of the block that plain mode prints is on the screen too, in English
# and in Italian.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

# block FILE STEP: the question and exercise lines plain mode printed at
# step STEP, each cut to its first 40 characters (the screen wraps
# elsewhere) with the layout's leading blanks gone.
block() {
	awk -v step="$2" '
		/^== / { on = index($0, "Step " step " of") > 0 || index($0, "Passo " step " di") > 0 }
		on && /^(\? |  [0-9]\) |! )/ { print }' "$1" |
		sed -E 's/^ *//; s/^(.{40}).*/\1/'
}

same() {	# LANG LESSON STEP KEYS...: the block at this step, both ways
	lang=$1 lesson=$2 step=$3
	shift 3
	SOCKTUTOR_PLAIN_WAIT=0.1 "$PROG" --plain --lang="$lang" \
		--lesson="$lesson" --port=0 </dev/null >"$TMPD/plain" 2>&1
	block "$TMPD/plain" "$step" >"$TMPD/block"
	check "$lang lesson $lesson step $step: plain mode prints a block" \
		test -s "$TMPD/block"
	start_tmux 160 48 "$PROG" --lang="$lang" --lesson="$lesson" --port=0
	check "$lang lesson $lesson: the screen starts" wait_for "$lesson. "
	keys "$@"
	while IFS= read -r line; do
		check "$lang lesson $lesson step $step: on screen too: $line" \
			wait_for "$line"
	done <"$TMPD/block"
	keys q
	check "$lang lesson $lesson: q quits" wait_exit
}

same en 5 3 n n
same it 5 3 n n
same en 3 6 n n n n n
same it 3 6 n n n n n
done_testing

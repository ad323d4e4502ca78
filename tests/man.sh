#!/bin/sh
# man.sh - both manual pages render without a single groff warning, and
# each names every option of --help and every environment variable the
# program reads, and has an entry for every key of the key table.
. "${top_srcdir:-..}/tests/lib.sh"

command -v groff >/dev/null 2>&1 || skip_all "groff is not installed"
for page in doc/socktutor.1 doc/it/socktutor.1; do
	src="$top_srcdir/$page"
	# -k: the Italian page is UTF-8; -ww: every warning.
	groff -k -man -Tutf8 -ww "$src" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	check "$page renders (exit 0)" test "$rc" -eq 0
	check "$page renders without warnings" test ! -s "$TMPD/err"
	[ -s "$TMPD/err" ] && sed 's/^/# /' "$TMPD/err"
	# Overstrike and underline out of the way, to search the text.
	sed 's/.\x08//g' "$TMPD/out" >"$TMPD/text"
	for opt in $("$PROG" --help | grep -oE -- '--[a-z-]+' | sort -u); do
		check "$page documents $opt" grep -q -- "$opt" "$TMPD/text"
	done
	check "$page documents -h and -V" sh -c 'grep -q -- "-h, --help" "$1" && grep -q -- "-V, --version" "$1"' - "$TMPD/text"
	for var in LANGUAGE LC_ALL LC_MESSAGES LANG NO_COLOR XDG_STATE_HOME \
	    SOCKTUTOR_LESSONDIR SOCKTUTOR_LOCALEDIR SOCKTUTOR_PLAIN_WAIT TERM; do
		check "$page documents $var" grep -qw "$var" "$TMPD/text"
	done
	for key in Backspace Esc Ctrl-C 'PgUp|PagSu' 'Right|Destra'; do
		check "$page documents the key $key" grep -qE -- "$key" "$TMPD/text"
	done
	# Every key the key table gives the lesson and lecture screens
	# (src/keys.c; Space and the named keys are checked above) has its
	# entry: a .B or .BR line naming it.
	awk '/^\.BR? /{ for (i = 2; i <= NF; i++) { t = $i;
		gsub(/["\\,]/, "", t); if (t != "") print t } }' "$src" |
		sort -u >"$TMPD/keys"
	for key in $(grep -oE "\{ '[^' ]+', (STEP|S\(KS_LESSON\)|S\(KS_LECTURE\)|WORK|ALL)" \
	    "$top_srcdir/src/keys.c" | sed -E "s/^\{ '(.+)', .*/\1/" | sort -u); do
		check "$page has an entry for the key $key" grep -qxF -- "$key" "$TMPD/keys"
	done
	check "$page names the progress file" grep -q 'socktutor/progress' "$TMPD/text"
	check "$page gives the exit statuses" grep -q '128+N' "$TMPD/text"
done
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$top_srcdir/doc/it/socktutor.1" >"$TMPD/man" 2>"$TMPD/err"
	check "man -l shows the Italian page with its accents" sh -c '! test -s "$2" && grep -q "è un corso interattivo" "$1"' - "$TMPD/man" "$TMPD/err"
fi
done_testing

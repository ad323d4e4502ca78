#!/bin/sh
# cli.sh - the options of the contract: --help, --version, --list, bad
# values (exit 2), broken lessons (exit 1), output errors, the start
# language from LANGUAGE's list, and --list's warning without a catalog.
. "${top_srcdir:-..}/tests/lib.sh"

out=$("$PROG" --help); rc=$?
check "--help exits 0" test "$rc" -eq 0
check "--help names every option" sh -c 'for o in --lang --lesson --list --port --listen --backlog --max-customers --plain --present --help --version; do printf "%s" "$1" | grep -q -- "$o" || exit 1; done' - "$out"
out=$("$PROG" --help --lang=it); rc=$?
check "--help --lang=it is Italian" sh -c 'test "$1" -eq 0 && printf "%s" "$2" | grep -q "Uso:"' - "$rc" "$out"
out=$("$PROG" --version); rc=$?
check "--version exits 0 and names the version" sh -c 'test "$1" -eq 0 && printf "%s" "$2" | head -n1 | grep -qx "socktutor [0-9.]*"' - "$rc" "$out"
if [ -w /dev/full ]; then
	"$PROG" --help >/dev/full 2>/dev/null; rc=$?
	check "--help to a full disk fails" test "$rc" -ne 0
fi
"$PROG" --frobnicate >/dev/null 2>"$TMPD/err"; rc=$?
check "an unknown option exits 2" test "$rc" -eq 2
check "an unknown option prints a usage hint" grep -q -- "--help" "$TMPD/err"
for bad in --port=70000 --port=-1 --port=abc --lang=xx --lesson=999 --lesson=nope --backlog=0 --max-customers=0 --listen=not-an-address; do
	"$PROG" "$bad" </dev/null >/dev/null 2>"$TMPD/err"; rc=$?
	check "$bad exits 2 with a message" sh -c 'test "$1" -eq 2 && test -s "$2"' - "$rc" "$TMPD/err"
done
"$PROG" --list >"$TMPD/list"; rc=$?
check "--list exits 0" test "$rc" -eq 0
check "--list line 1 is N<TAB>ID<TAB>title" sh -c 'head -n1 "$1" | grep -qP "^1\twhat-is-a-socket\t.+"' - "$TMPD/list"
# The start language follows LANGUAGE's list: the first language we have.
lang_of() {
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG "$@" "$PROG" --list 2>/dev/null | head -n 1
}
check "LANGUAGE=fr:it starts in Italian" sh -c 'printf "%s" "$1" | grep -q "Che cos"' - "$(lang_of LANGUAGE=fr:it LANG=C.UTF-8)"
check "LANGUAGE=fr:en:it starts in English" sh -c 'printf "%s" "$1" | grep -q "What a socket is"' - "$(lang_of LANGUAGE=fr:en:it LANG=C.UTF-8)"
check "LANGUAGE=de_DE:it_IT.UTF-8 starts in Italian" sh -c 'printf "%s" "$1" | grep -q "Che cos"' - "$(lang_of LANGUAGE=de_DE:it_IT.UTF-8)"
check "LANGUAGE=fr alone falls back to LANG=it_IT.UTF-8" sh -c 'printf "%s" "$1" | grep -q "Che cos"' - "$(lang_of LANGUAGE=fr LANG=it_IT.UTF-8)"
check "LANGUAGE=fr with LANG=C is English" sh -c 'printf "%s" "$1" | grep -q "What a socket is"' - "$(lang_of LANGUAGE=fr LANG=C)"
check "no language variable at all is English" sh -c 'printf "%s" "$1" | grep -q "What a socket is"' - "$(lang_of)"
check "--lang=en wins over LANGUAGE=it" sh -c 'printf "%s" "$1" | grep -q "What a socket is"' - "$(env LANGUAGE=it "$PROG" --list --lang=en | head -n 1)"
# --list warns about a missing catalog too, once, on stderr only.
SOCKTUTOR_LOCALEDIR="$TMPD/nolocale" "$PROG" --list --lang=it >"$TMPD/list" 2>"$TMPD/err"; rc=$?
check "--list without a catalog still lists (exit 0)" sh -c 'test "$1" -eq 0 && grep -qP "^1\twhat-is-a-socket\t" "$2"' - "$rc" "$TMPD/list"
check "--list without a catalog warns once" test "$(grep -c "Italian catalog was not found" "$TMPD/err")" -eq 1
check "--list keeps the warning off stdout" sh -c '! grep -q catalog "$1"' - "$TMPD/list"
"$PROG" --list >/dev/null 2>"$TMPD/err"
check "--list with the catalog warns nothing" test ! -s "$TMPD/err"
mkdir "$TMPD/lessons"
printf '@lesson Broken\n@step One\n@code c\nint x;\n' >"$TMPD/lessons/01-broken.lesson"
SOCKTUTOR_LESSONDIR="$TMPD/lessons" "$PROG" --plain </dev/null >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "a broken lesson exits 1" test "$rc" -eq 1
check "a broken lesson names file and line" grep -q "01-broken.lesson:3: " "$TMPD/err"
check "a broken lesson draws nothing" test ! -s "$TMPD/out"
SOCKTUTOR_LESSONDIR="$TMPD/missing" "$PROG" --plain </dev/null >/dev/null 2>"$TMPD/err"; rc=$?
check "a missing lessons directory exits 1" sh -c 'test "$1" -eq 1 && grep -q missing "$2"' - "$rc" "$TMPD/err"
done_testing

#!/bin/sh
# core_purity.sh - the core library (lesson model, lab, state) must know
# nothing of curses or gettext: no such header in its sources, and no such
# symbol in the built library.
. "${top_srcdir:-..}/tests/lib.sh"

core_sources=$(sed -n '/^src_libcore_a_SOURCES/,/^$/p' "$top_srcdir/Makefile.am" |
	tr ' \t\\' '\n\n\n' | grep '^src/')
check "the core has sources listed in Makefile.am" test -n "$core_sources"
for f in $core_sources; do
	if grep -nE '#[[:space:]]*include[[:space:]]*[<"](n?cursesw?/)?(n?curses(w)?|libintl|term|panel|menu|form)\.h[>"]' \
		"$top_srcdir/$f"; then
		not_ok "$f includes a curses or libintl header"
	else
		ok "$f includes no curses or libintl header"
	fi
	if grep -nE '\b(gettext|dgettext|ngettext|setlocale|bindtextdomain|initscr|newwin|wrefresh)[[:space:]]*\(' "$top_srcdir/$f"; then
		not_ok "$f calls gettext or curses"
	else
		ok "$f calls neither gettext nor curses"
	fi
done
syms=$(nm -u "$top_builddir/src/libcore.a" 2>/dev/null | awk '{print $2}' |
	grep -E '^(gettext|dgettext|dcgettext|ngettext|libintl_.*|initscr|wrefresh|newwin|endwin|tigetstr|setupterm)$')
check "src/libcore.a uses no curses or gettext symbol" test -z "$syms"
done_testing

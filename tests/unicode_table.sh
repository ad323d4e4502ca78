#!/bin/sh
# unicode_table.sh - the committed src/unicode_ignorable.h is what
# tools/gen-ignorable.py makes from the installed Unicode data, so the
# escaper's table cannot drift from the file it claims to come from.
# Skipped where python3 or the data (Debian: unicode-data) is missing.
. "${top_srcdir:-..}/tests/lib.sh"

ucd=/usr/share/unicode/DerivedCoreProperties.txt
command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -r "$ucd" ] || skip_all "$ucd is missing (Debian: unicode-data)"
grep -q "^# DerivedCoreProperties-15\.0\.0" "$ucd" ||
	skip_all "$ucd is not Unicode 15.0.0, the committed table's version"
python3 "$top_srcdir/tools/gen-ignorable.py" "$ucd" >"$TMPD/table.h"
check "the generator runs" test -s "$TMPD/table.h"
check "src/unicode_ignorable.h is the generator's output" \
	cmp "$TMPD/table.h" "$top_srcdir/src/unicode_ignorable.h"
check "it holds all 4174 code points" \
	grep -q "^#define UNICODE_IGNORABLE_COUNT 4174u$" "$TMPD/table.h"
done_testing

#!/bin/sh
# screen_fit.sh - every step fits the screen it is on (issue 11): walks
# all lessons at 80x24 and 100x30 in both languages with port 5050 held
# busy; see tests/screen_fit.py for what is checked and the figures it
# prints at the end.  A screen that shows 5050 while the bar is elsewhere
# fails: the lessons name the bar's port with {port}, and what earlier
# lessons left at another port is counted, not listed.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
TMPD="$TMPD" exec python3 "$top_srcdir/tests/screen_fit.py"

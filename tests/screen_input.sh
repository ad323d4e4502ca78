#!/bin/sh
# screen_input.sh - an input field keeps the focus until Enter or Esc:
# typing q into it does not quit.  The port field explains the port; a
# typed answer is checked.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"

start_tmux 80 24 "$PROG" --lang=en --lesson=ports --port=0
check "lesson 4" wait_for "4. Ports and their ranges"
keys n n n n n n
check "the step with a port field" wait_for "Try a port"
check "the footer offers the field" wait_for "Enter type a port"
keys Enter
check "Enter gives the field the focus" wait_for "Esc cancel"
keys q l g
check "q, l and g go to the field: still running" wait_for "Esc cancel"
check "the language did not change" wait_for "EN"
keys 8 0 Enter
check "Enter explains the port's range" wait_for "Range: well-known"
check "and its service name" wait_for '"http"'
check "and this machine's ephemeral range" wait_for "ephemeral) ports from"
check "the field let go of the keys" wait_for "q quit"
keys l
check "the explanation in Italian" wait_for "porte ben note"
keys l
keys 1 2 Escape
check "Esc closes the field" wait_for "q quit"
check "without explaining anything" wait_for "Range: well-known"
# (dash reads byte by byte, which a sysctl file answers with one byte)
lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
keys Enter
# shellcheck disable=SC2046
keys $(echo "$lo" | sed 's/./& /g') Enter
check "a port of the temporary range says so" wait_for "temporary range, $lo"
keys Left Left Left
check "the step with a typed answer" wait_for "Well-known ports: 0 to 1023"
keys a
check "a opens the answer field" wait_for "Type your answer"
keys 4 4 3 Enter
check "the right answer is recognised" wait_for "443"
check "the field is closed" wait_for "q quit"
keys q
check "q quits once the field is closed" wait_exit
check "exit status 0" test "${EXIT_STATUS:-x}" = 0
done_testing

#!/bin/sh
# screen_lessons.sh - every lesson, walked on a real terminal at 100x30:
# each step's title appears in turn, 'l' in the middle of each lesson
# shows that step's Italian title (looked up in the real catalog) and 'l'
# again the English one, and the live lab shows on screen what the
# lesson is about (LISTEN, CLOSE_WAIT, SYN_SENT, the port htons() forgot,
# UDP, the dual-stack address...).
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v gettext >/dev/null || skip_all "gettext is not installed"

# The Italian of a msgid, through the compiled catalog the program uses.
italian() {
	LC_ALL=C.UTF-8 LANGUAGE=it TEXTDOMAINDIR="$SOCKTUTOR_LOCALEDIR" \
		gettext -d socktutor -- "$1"
}

# What each lesson must show at some step (fixed strings, '|' between).
signature() {
	case $1 in
	server) echo "LISTEN|accept(" ;;
	client) echo "connect(|ESTABLISHED" ;;
	conversation) echo "CLOSE_WAIT|TIME_WAIT" ;;
	byte-stream) echo "in 11 B|recv(" ;;
	byte-order) echo "45845|ECONNREFUSED" ;;
	accept-queue) echo "SYN_SENT|ECONNREFUSED" ;;
	closing) echo "EADDRINUSE|ECONNRESET|EPIPE" ;;
	many-customers) echo "[the lab]|LISTEN" ;;
	udp) echo "SOCK_DGRAM|recvfrom(|UDP" ;;
	ipv6) echo "getaddrinfo(|AF_INET6" ;;
	*) echo "" ;;
	esac
}

for file in "$top_srcdir"/lessons/[0-9][0-9]-*.lesson; do
	base=${file##*/}
	id=${base#*-}
	id=${id%.lesson}
	sed -n 's/^@step //p' "$file" >"$TMPD/steps"
	n=$(wc -l <"$TMPD/steps")
	mid=$(( (n + 1) / 2 ))
	: >"$TMPD/seen"
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	start_tmux 100 30 "$PROG" --lang=en --lesson="$id" --port=0
	i=0
	walked=yes
	while IFS= read -r title; do
		i=$((i + 1))
		[ "$i" -gt 1 ] && keys n
		if ! wait_for "step $i/$n" 15 || ! wait_for "$title" 5; then
			walked=no
			break
		fi
		# Let the step's calls land before reading the lab.
		sleep 0.3
		screen >>"$TMPD/seen"
		if [ "$i" -eq "$mid" ]; then
			it=$(italian "$title")
			keys l
			check "$id: 'l' at step $i shows its Italian title" \
				sh -c 'test "$1" != "$2"' - "$it" "$title"
			check "$id: the Italian title is on screen" wait_for "$it"
			keys l
			check "$id: 'l' again brings the English back" \
				wait_for "$title"
		fi
	done <"$TMPD/steps"
	check "$id: all $n steps walked, each with its title" test "$walked" = yes
	sig=$(signature "$id")
	if [ -n "$sig" ]; then
		old_ifs=$IFS
		IFS='|'
		for s in $sig; do
			IFS=$old_ifs
			if [ "$id" = ipv6 ] && [ "$s" = AF_INET6 ] &&
				! python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
				ok "$id: '$s' # SKIP ::1 is not available here"
				continue
			fi
			check "$id: the lab showed '$s'" grep -qF -- "$s" "$TMPD/seen"
		done
		IFS=$old_ifs
	fi
	keys q
	EXIT_STATUS=
	wait_exit 10
	check "$id: q quits with status 0" test "${EXIT_STATUS:-x}" = 0
done
done_testing

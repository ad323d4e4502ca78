#!/bin/sh
# plain.sh - plain mode: a whole lesson in both languages (same steps,
# calls and states; the right language; never an escape byte), automatic
# selection, Enter advancing one step, a taken port, and the bounded wait
# for a customer who never comes.
. "${top_srcdir:-..}/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
ESC=$(printf '\033')
export XDG_STATE_HOME="$TMPD/state"
export SOCKTUTOR_PLAIN_WAIT=0.2

now_ms() {
	date +%s%3N
}

# wait_file FILE PATTERN [SECONDS]: poll until FILE has a line matching
# the extended regex PATTERN.
wait_file() {
	deadline=$(( $(date +%s) + ${3:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if grep -qE -- "$2" "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for /$2/ in $1:"
	sed 's/^/# | /' "$1" 2>/dev/null | tail -n 20
	return 1
}

# wait_count FILE PATTERN N: poll until N lines match.
wait_count() {
	deadline=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if [ "$(grep -cE -- "$2" "$1")" -ge "$3" ]; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for $3 lines /$2/ in $1"
	return 1
}

# count FILE PATTERN: lines matching the extended regex.
count() {
	grep -cE -- "$2" "$1"
}

# The untranslated call lines, with ports and addresses of this run
# replaced (each run gets its own free port).
calls() {
	grep -E '^  [a-z]+\(.*\)( = .*| \.\.\.)$' "$1" |
		sed -E 's/:[0-9]+/:P/g'
}

# The socket lines of the states: descriptor and TCP state only (the
# rest holds translated labels and this run's ports).
states() {
	grep -E '^  (fd [0-9]+ +[A-Z_0-9]+ )' "$1" | awk '{print $1, $2, $3}'
}

# 1. A whole lesson, in English and in Italian.
"$PROG" --plain --lesson=5 --port=0 --lang=en </dev/null >"$TMPD/en" 2>"$TMPD/en.err"
rc=$?
check "lesson 5 in English exits 0" test "$rc" -eq 0
"$PROG" --plain --lesson=5 --port=0 --lang=it </dev/null >"$TMPD/it" 2>"$TMPD/it.err"
rc=$?
check "lesson 5 in Italian exits 0" test "$rc" -eq 0
nsteps=$(grep -c '^@step' "$top_srcdir/lessons/05-server.lesson")
check "the English transcript has a header for every step" \
	test "$(count "$TMPD/en" '^== Lesson 5, .* Step [0-9]+ of '"$nsteps"': ')" -eq "$nsteps"
check "the Italian transcript has a header for every step" \
	test "$(count "$TMPD/it" '^== Lezione 5, .* Passo [0-9]+ di '"$nsteps"': ')" -eq "$nsteps"
check "headers name the language" sh -c 'grep "^== " "$1" | grep -q "\[EN\]" && grep "^== " "$2" | grep -q "\[IT\]"' - "$TMPD/en" "$TMPD/it"
check "headers show the bartender's ADDR:PORT once bound" \
	grep -qE '^== .* bartender at 127\.0\.0\.1:[0-9]+$' "$TMPD/en"
calls "$TMPD/en" >"$TMPD/en.calls"
calls "$TMPD/it" >"$TMPD/it.calls"
check "the transcript shows the real calls" sh -c 'grep -q "^  socket(AF_INET, SOCK_STREAM, 0) = [0-9]" "$1" && grep -q "^  listen([0-9]*, 5) = 0" "$1" && grep -q "^  accept([0-9]*) \.\.\." "$1"' - "$TMPD/en"
check "both languages make the same calls, untranslated" cmp -s "$TMPD/en.calls" "$TMPD/it.calls"
[ -s "$TMPD/en.calls" ] && cmp -s "$TMPD/en.calls" "$TMPD/it.calls" ||
	diff "$TMPD/en.calls" "$TMPD/it.calls" | sed 's/^/# /'
states "$TMPD/en" >"$TMPD/en.states"
states "$TMPD/it" >"$TMPD/it.states"
check "the transcript shows socket states" grep -q 'LISTEN' "$TMPD/en.states"
check "both languages show the same socket states" cmp -s "$TMPD/en.states" "$TMPD/it.states"
check "English text in English" sh -c 'grep -q "The bartender has a new socket" "$1" && grep -q "^Sockets now:" "$1"' - "$TMPD/en"
check "Italian text in Italian" sh -c 'grep -q "Il barista ha un nuovo socket" "$1" && grep -q "^I socket adesso:" "$1"' - "$TMPD/it"
check "no English sentence in the Italian transcript" sh -c '! grep -q -e "The bartender has a new socket" -e "^Sockets now:" -e "What happens now" "$1"' - "$TMPD/it"
check "C and Python code are shown" sh -c 'grep -q "^C:$" "$1" && grep -q "^Python:$" "$1" && grep -q "^  > .*accept(ss" "$1"' - "$TMPD/it"
check "a question at end of input shows the right answer" grep -q '^La risposta giusta: ' "$TMPD/it"
for f in en it; do
	check "no escape byte in the $f transcript" sh -c '! grep -q "$1" "$2"' - "$ESC" "$TMPD/$f"
	# Text is wrapped; headers, calls, socket lines and code are not.
	w=$(grep -vE '^(== |  [a-z]+\(|  (fd |no fd|nessun fd|senza fd)|    )' "$TMPD/$f" | wc -L)
	check "no line of $f text wider than 78 columns ($w)" test "$w" -le 78
done
check "plain mode leaves no progress file" test ! -e "$TMPD/state/socktutor/progress"

# 2. Chosen by itself when stdout is not a terminal, and with TERM=dumb.
"$PROG" --lesson=1 --port=0 </dev/null >"$TMPD/auto" 2>&1
rc=$?
check "stdout to a file: plain mode, exit 0" sh -c 'test "$1" -eq 0 && grep -q "^== Lesson 1, " "$2" && ! grep -q "$3" "$2"' - "$rc" "$TMPD/auto" "$ESC"
start_tmux 100 30 env TERM=dumb "$PROG" --lesson=1 --port=0
if wait_for "== Lesson 1, " 10; then
	ok "TERM=dumb on a terminal: plain mode"
else
	not_ok "TERM=dumb on a terminal: plain mode"
fi
keys C-d
if wait_exit 20 && [ "$EXIT_STATUS" -eq 0 ]; then
	ok "TERM=dumb: end of input runs through and exits 0"
else
	not_ok "TERM=dumb: end of input runs through and exits 0"
fi
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

# 3. Each Enter on a pipe advances exactly one step.  Lesson 5 starts
# with two steps without a question or an input field.
mkfifo "$TMPD/in"
"$PROG" --plain --lesson=5 --port=0 <"$TMPD/in" >"$TMPD/steps" 2>&1 &
pid=$!
exec 3>"$TMPD/in"
wait_file "$TMPD/steps" '^Press Enter for the next step, or q and Enter to quit\.$'
check "before any Enter: step 1 only" test "$(count "$TMPD/steps" '^== ')" -eq 1
# Nothing may come without an Enter: give it a moment to misbehave.
sleep 0.5
check "without Enter it stays at step 1" test "$(count "$TMPD/steps" '^== ')" -eq 1
printf '\n' >&3
wait_file "$TMPD/steps" '^== .* Step 2 of '
check "one Enter: step 2" test "$(count "$TMPD/steps" '^== ')" -eq 2
wait_count "$TMPD/steps" '^Press Enter for the next step, or q and Enter to quit\.$' 2
sleep 0.5
check "still step 2 until the next Enter" test "$(count "$TMPD/steps" '^== ')" -eq 2
printf '\n' >&3
wait_file "$TMPD/steps" '^== .* Step 3 of '
check "another Enter: step 3" test "$(count "$TMPD/steps" '^== ')" -eq 3
# Step 3 asks a question: a typed answer gets its feedback.
wait_file "$TMPD/steps" '^Type the number of your answer'
printf '1\n' >&3
wait_file "$TMPD/steps" '^Not this one: try another number'
check "a wrong answer gets its feedback and another try" grep -q '^Not this one: try another number' "$TMPD/steps"
check "a wrong answer does not give the right one away" sh -c '! grep -q "^The right answer" "$1"' - "$TMPD/steps"
printf '3\n' >&3
wait_count "$TMPD/steps" '^Not this one: try another number' 2
printf '\n' >&3
wait_file "$TMPD/steps" '^The right answer: 2\)'
check "just Enter after wrong answers shows the right one" grep -q '^The right answer: 2) ' "$TMPD/steps"
check "the choices read as on the screen" grep -qE '^  2\) So that a restarted server' "$TMPD/steps"
check "the prompt reads as on the screen" grep -q '^? Why does the bartender set SO_REUSEADDR' "$TMPD/steps"
check "the title bar is explained" grep -q '^The lessons speak of a title bar: here it is the line' "$TMPD/steps"
exec 3>&-
wait "$pid"
rc=$?
check "end of input: the lesson runs through, exit 0" sh -c 'test "$1" -eq 0 && test "$(grep -c "^== " "$2")" -eq "$3"' - "$rc" "$TMPD/steps" "$nsteps"

# 4. A port already taken: the bartender says so and takes a free one.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
' >"$TMPD/taken" <"$TMPD/in" &
holder=$!
exec 3>"$TMPD/in"
wait_file "$TMPD/taken" '^[0-9]+$'
port=$(cat "$TMPD/taken")
"$PROG" --plain --lesson=5 --port="$port" </dev/null >"$TMPD/port" 2>&1
rc=$?
# Lessons 3 and 5 send the learner to the bar with nc, in their code (and
# on the machine's own network, where the port is really taken).
"$PROG" --plain --lesson=3 --lang=it --port="$port" </dev/null >"$TMPD/port3" 2>&1
exec 3>&-
wait "$holder"
check "a taken port: still exit 0" test "$rc" -eq 0
check "the transcript says port $port is taken" grep -q "Port $port is taken (EADDRINUSE)" "$TMPD/port"
used=$(sed -nE 's/^  bind\([0-9]+, 127\.0\.0\.1:([0-9]+)\) = 0$/\1/p' "$TMPD/port")
check "bind shows the free port used ($used)" sh -c 'test -n "$1" && test "$1" -ne "$2"' - "$used" "$port"
check "headers show the free port" grep -q "^== .* bartender at 127.0.0.1:$used\$" "$TMPD/port"

for f in port port3; do
	u=$(sed -nE 's/^  bind\([0-9]+, 127\.0\.0\.1:([0-9]+)\) = 0$/\1/p' "$TMPD/$f" | head -n 1)
	# Lines joined: the text wraps "nc" and its address apart.
	grep -vE "is taken|occupata" "$TMPD/$f" | tr -s '\n ' '  ' >"$TMPD/$f.flat"
	check "$f: nc goes to the port the bar really has ($u)" grep -q "nc 127\.0\.0\.1 $u\b" "$TMPD/$f.flat"
	check "$f: nothing sends the learner to the taken port" sh -c '! grep -qE "(nc 127\.0\.0\.1 |porta? |htons\(|, )$2\b" "$1"' - "$TMPD/$f.flat" "$port"
done

# 4b. Port 5050 held busy (by this test, or already by another program):
# the default port is taken, and the code, the shell commands and the
# exercise (lesson 3 step 6) all name the port the bar really has.
# Another program's hold may end at any moment (other tests run the
# bar on 5050): this one holds the port itself, once it is free, so that
# nobody can take it in between (60 s at most, then as it is).
python3 -c '
import socket, sys, time
s = socket.socket()
end = time.time() + 60
while True:
    try:
        s.bind(("127.0.0.1", 5050))
        s.listen(1)
        break
    except OSError:
        if time.time() > end:
            break
        time.sleep(0.05)
print("held", flush=True)
sys.stdin.read()
' >"$TMPD/held5050" <"$TMPD/in" &
holder=$!
exec 3>"$TMPD/in"
wait_file "$TMPD/held5050" '^held$' 70
"$PROG" --plain --lesson=3 --lang=en </dev/null >"$TMPD/busy" 2>&1
exec 3>&-
wait "$holder"
u=$(sed -nE 's/^  bind\([0-9]+, 127\.0\.0\.1:([0-9]+)\) = 0$/\1/p' "$TMPD/busy" | head -n 1)
check "5050 busy: the bar took another port ($u)" sh -c 'test -n "$1" && test "$1" -ne 5050' - "$u"
check "5050 busy: the shell command names the real port" grep -qx "    nc 127\.0\.0\.1 $u" "$TMPD/busy"
check "5050 busy: the Python code names the real port" grep -qx "    PORT = $u" "$TMPD/busy"
# (The lab's own report of the taken port is the one line that names it.)
check "5050 busy: no code or command names 5050" sh -c '! grep -v "Port 5050 is taken" "$1" | grep -qE "^(  >|    ).*(^|[^0-9])5050([^0-9]|\$)"' - "$TMPD/busy"
check "5050 busy: the exercise is shown" grep -q '^! Exercise: from another terminal, connect to the bartender' "$TMPD/busy"
tr -s '\n ' '  ' <"$TMPD/busy" >"$TMPD/busy.flat"
check "5050 busy: the exercise's hint names the real port" grep -q "Here that is: nc 127\.0\.0\.1 $u\b" "$TMPD/busy.flat"

# 4c. --port=0: the port is chosen at start, and the text names it before
# bind() does.
"$PROG" --plain --lesson=4 --port=0 </dev/null >"$TMPD/port0" 2>&1
u=$(sed -nE 's/^  bind\([0-9]+, 127\.0\.0\.1:([0-9]+)\) = 0$/\1/p' "$TMPD/port0" | head -n 1)
check "--port=0: lesson 4 binds port $u and its text says so" sh -c 'test -n "$2" && test "$2" -ne 0 && grep -q "binds his socket to port $2 " "$1"' - "$TMPD/port0" "$u"
check "--port=0: the code binds the same port" grep -q "bind((\"127\.0\.0\.1\", $u))" "$TMPD/port0"

# 5. A customer who never comes: a bounded wait, said, then on.
t0=$(now_ms)
SOCKTUTOR_PLAIN_WAIT=1.5 "$PROG" --plain --lesson=5 --port=0 </dev/null >"$TMPD/wait" 2>&1
rc=$?
t1=$(now_ms)
check "the wait ends and the lesson finishes (exit 0)" test "$rc" -eq 0
check "the wait is announced" grep -q '^Waiting up to 2 s for a customer' "$TMPD/wait"
# The line after the announcement (the lesson has an nc line of its own).
nc_port() {
	grep -A1 '^Waiting up to' "$1" | sed -nE 's/^    nc 127\.0\.0\.1 ([0-9]+)$/\1/p' | head -n 1
}
port=$(nc_port "$TMPD/wait")
check "the wait is announced with the nc command for this port ($port)" \
	grep -q "^== .* bartender at 127.0.0.1:$port\$" "$TMPD/wait"
check "the transcript says nobody came" grep -q '^No customer came in time; going on' "$TMPD/wait"
elapsed=$((t1 - t0))
diag "lesson 5 with a 1.5 s wait took $elapsed ms"
check "it waited about as long as asked" sh -c 'test "$1" -ge 1400 && test "$1" -lt 8000' - "$elapsed"
# A customer who does come during the wait is seen at once.
mkfifo "$TMPD/in2"
SOCKTUTOR_PLAIN_WAIT=20 "$PROG" --plain --lesson=5 --port=0 <"$TMPD/in2" >"$TMPD/come" 2>&1 &
pid=$!
exec 4>"$TMPD/in2"
exec 4>&-
wait_file "$TMPD/come" '^Waiting up to 20 s'
wait_count "$TMPD/come" '^    nc 127\.0\.0\.1 [0-9]+$' 2
port=$(nc_port "$TMPD/come")
t0=$(now_ms)
python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\033[2J\033]0;pwned\007\302\233 hello\n")
s.close()
' "$port"
wait "$pid"
rc=$?
t1=$(now_ms)
check "a customer during the wait: accept returns, exit 0" sh -c 'test "$1" -eq 0 && grep -qE "^  accept\([0-9]+, -> 127\.0\.0\.1:[0-9]+\) = [0-9]+" "$2"' - "$rc" "$TMPD/come"
check "the wait ended when the customer came" test $((t1 - t0)) -lt 15000
check "no escape byte from the network" sh -c '! grep -q "$1" "$2"' - "$ESC" "$TMPD/come"

# 6. The sandbox is not in plain mode yet: a message, exit 0.
"$PROG" --plain --lesson=sandbox </dev/null >"$TMPD/sandbox" 2>&1
rc=$?
check "--lesson=sandbox in plain mode: a message, exit 0" sh -c 'test "$1" -eq 0 && grep -q "sandbox" "$2"' - "$rc" "$TMPD/sandbox"
"$PROG" --plain --lesson=sandbox --lang=it </dev/null >"$TMPD/sandbox" 2>&1
check "the sandbox message in Italian" grep -q "La sandbox non è ancora disponibile" "$TMPD/sandbox"

# 6b. A line q quits at once, exit 0, as the q key does on the screen.
printf '\n q \n\n\n' | "$PROG" --plain --lesson=1 --port=0 >"$TMPD/quit" 2>&1
rc=$?
check "q quits plain mode with exit 0" test "$rc" -eq 0
check "q stops at the step where it was typed" test "$(count "$TMPD/quit" '^== ')" -eq 2
check "q does not run the lesson through" sh -c '! grep -q "^End of lesson" "$1"' - "$TMPD/quit"
printf '\nQ\n' | "$PROG" --plain --lesson=1 --port=0 --lang=it >"$TMPD/quit" 2>&1
rc=$?
check "Q quits too, in Italian" sh -c 'test "$2" -eq 0 && test "$(grep -c "^== " "$1")" -eq 2 && grep -q "oppure q e Invio per uscire" "$1"' - "$TMPD/quit" "$rc"
# A question does not take q for an answer: it quits.
printf '\n\nq\n' | "$PROG" --plain --lesson=1 --port=0 >"$TMPD/quit" 2>&1
check "q at a question quits without showing the answer" \
	sh -c 'test "$(grep -c "^== " "$1")" -eq 3 && ! grep -q "^The right answer" "$1"' - "$TMPD/quit"

# 6c. --listen: a loopback address is not reachable from the network.
"$PROG" --plain --lesson=3 --port=0 --listen=127.0.0.2 </dev/null >"$TMPD/lo" 2>&1
check "--listen=127.0.0.2: only this computer can reach it" \
	grep -q "^Listening on 127.0.0.2, as asked: a loopback address" "$TMPD/lo"
check "--listen=127.0.0.2: not said to be on the network" \
	sh -c '! grep -q "people on the network" "$1"' - "$TMPD/lo"
"$PROG" --plain --lesson=3 --port=0 --listen=0.0.0.0 </dev/null >"$TMPD/any" 2>&1
check "--listen=0.0.0.0: the network can reach it" \
	grep -q "^Listening on 0.0.0.0, as asked: people on the network can reach" "$TMPD/any"

# 6d. A socket is called what its state says: listening only after listen().
"$PROG" --plain --lesson=5 --port=0 </dev/null >"$TMPD/roles" 2>&1
check "a fresh socket is not called listening" \
	grep -qE "^  fd [0-9]+ +CLOSE +- +- bartender \(new socket, no address yet\)$" "$TMPD/roles"
check "a bound socket is not listening yet" \
	grep -qE "^  fd [0-9]+ +CLOSE +127\.0\.0\.1:[0-9]+ - bartender \(bound, not listening yet\)$" "$TMPD/roles"
check "no accept queue before listen()" sh -c '! grep -q "queue 0/0" "$1"' - "$TMPD/roles"
check "after listen() it is listening" \
	grep -qE "^  fd [0-9]+ +LISTEN .* queue 0/5 - bartender \(listening\)$" "$TMPD/roles"
"$PROG" --plain --lesson=14 --port=0 </dev/null >"$TMPD/udp" 2>&1
check "a UDP bartender is not called listening" \
	sh -c 'grep -q "bartender (UDP: receives datagrams)" "$1" && ! grep -q "(listening)" "$1"' - "$TMPD/udp"

# 6e. --backlog: the code shows the number the lab really passes.
"$PROG" --plain --lesson=11 --port=0 --backlog=1 </dev/null >"$TMPD/bl" 2>&1
check "--backlog=1: listen(6, 1) for real" grep -qE "^  listen\([0-9]+, 1\) = 0$" "$TMPD/bl"
check "--backlog=1: the C code says 1" grep -q "^    listen(bartender, 1);" "$TMPD/bl"
check "--backlog=1: the Python code says 1" grep -q "^    bartender.listen(1)" "$TMPD/bl"
check "--backlog=1: no listen(2) left in the code" sh -c '! grep -q "listen(bartender, 2)\|bartender.listen(2)" "$1"' - "$TMPD/bl"

# 6f. The sockets are shown once they have come to rest, as the lessons
# describe them: the closed customer's end in FIN_WAIT2 (not the moment
# before the ACK), and the one-at-a-time bartender already on to the
# next customer, so the queue shrank by one.
"$PROG" --plain --lesson=7 --port=0 </dev/null >"$TMPD/l7" 2>&1
check "lesson 7 step 8: the customer's end waits in FIN_WAIT2" \
	sh -c 'sed -n "/Step 8 of /,/Step 9 of /p" "$1" | grep -q "^  no fd    FIN_WAIT2 "' - "$TMPD/l7"
check "lesson 7: no socket caught in FIN_WAIT1" sh -c '! grep -q "^  no fd    FIN_WAIT1 " "$1"' - "$TMPD/l7"
"$PROG" --plain --lesson=13 --port=0 </dev/null >"$TMPD/l13" 2>&1
check "lesson 13 step 4: the accept queue shrank by one" \
	sh -c 'sed -n "/Step 4 of /,/Step 5 of /p" "$1" | grep -qE "^  fd [0-9]+ +LISTEN .* queue 2/5 "' - "$TMPD/l13"

# 6g. What a step tells the learner to look at is on screen in that
# step: lesson 9's "in 14 B" comes after recv(8) and before recv(1024).
"$PROG" --plain --lesson=9 --port=0 </dev/null >"$TMPD/l9" 2>&1
sed -n '/Step 4 of /,/Step 5 of /p' "$TMPD/l9" >"$TMPD/l9s4"
check "lesson 9 step 4 says in 14 B" grep -q "in 14 B" "$TMPD/l9s4"
check "lesson 9 step 4 reads 8 bytes" grep -qE '^  recv\([0-9]+, "cappucci", 8\) = 8$' "$TMPD/l9s4"
check "lesson 9 step 4 shows the 14 bytes waiting" grep -qE '^  fd [0-9]+ +ESTABLISHED .* in 14 B, .*bartender' "$TMPD/l9s4"
check "lesson 9 step 4 does not read them yet" sh -c '! grep -q "recv(.*\"no with cocoa" "$1"' - "$TMPD/l9s4"

# 7. Output that cannot be written: a failure status, no hang.
if [ -w /dev/full ]; then
	"$PROG" --plain --lesson=1 --port=0 </dev/null >/dev/full 2>/dev/null
	rc=$?
	check "plain mode to a full disk exits 1" test "$rc" -eq 1
fi
done_testing

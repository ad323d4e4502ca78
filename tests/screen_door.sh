#!/bin/sh
# screen_door.sh - the lecture hall at 160x48: the classroom door (the
# line a class types, 12 students answering 2 and 5 answering 1 from
# their own addresses, the counts on the bars, the right answer on 'r',
# the replies and the bars in Italian after 'l'); 30 students at lesson
# 5's accept step, all accounted for; a student who hijacks lesson 7.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

# students PORT VOTE... : one student per vote, each from its own
# 127.0.0.N, each waiting for its reply; prints the replies.
students() {
	python3 - "$@" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for i, vote in enumerate(sys.argv[2:]):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (20 + i), 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.sendall(vote.encode() + b"\n")
    got = b""
    end = time.time() + 10
    while got.count(b"\n") < 2 and time.time() < end:
        b = s.recv(4096)
        if not b:
            break
        got += b
    s.close()
    sys.stdout.write(got.decode("utf-8", "replace"))
PY
}

start_tmux 160 48 "$PROG" --present --lang=en --lesson=1 --port=0
check "the lesson opens" wait_for "Bartender (server)"
keys n n
check "a question step" wait_for "Which of the two is the client?"
check "the line to type" wait_for "Answer from your terminal:  nc 127.0.0.1 "
check "on loopback, only this machine" \
	wait_for "only this machine can answer"
port=$(screen | sed -n 's/.*nc 127\.0\.0\.1 \([0-9]*\) .*/\1/p' | head -n 1)
check "the door has a port ($port)" test -n "$port"

students "$port" 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 >"$TMPD/replies"
check "every student heard 'Vote counted'" \
	test "$(grep -c 'Vote counted' "$TMPD/replies")" -eq 17
check "the bar of choice 2 says 12" sh -c "
	d=\$(( \$(date +%s) + 10 ))
	until tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '^ +2\) +12\$'; do
		[ \$(date +%s) -le \$d ] || exit 1; sleep 0.05; done"
check "the bar of choice 1 says 5" sh -c "
	d=\$(( \$(date +%s) + 10 ))
	until tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '^ +1\) +5\$'; do
		[ \$(date +%s) -le \$d ] || exit 1; sleep 0.05; done"
check "17 answers counted" wait_for "17 answers"
check "the right answer is hidden" sh -c "
	! tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '[0-9]  right answer'"
check "the footer offers r" wait_for "r right answer"
keys r
check "r marks the right answer" sh -c "
	d=\$(( \$(date +%s) + 10 ))
	until tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '2\) +12  right answer'; do
		[ \$(date +%s) -le \$d ] || exit 1; sleep 0.05; done"
keys l
check "l: the bars in Italian" wait_for "17 risposte"
check "l: the line to type in Italian" wait_for "Rispondete dal vostro terminale"
students "$port" 1 >"$TMPD/it"
check "l: students are answered in Italian" \
	grep -q "Manda solo il numero della tua risposta, da 1 a 2" "$TMPD/it"
check "l: the vote counted in Italian" grep -q "Voto registrato: 1" "$TMPD/it"
check "the sixth vote for 1" sh -c "
	d=\$(( \$(date +%s) + 10 ))
	until tmux -L '$TMUX_SOCK' capture-pane -p | grep -qE '1\) +6\$'; do
		[ \$(date +%s) -le \$d ] || exit 1; sleep 0.05; done"
# The next step has no question: the votes are for the question only.
keys n
check "a step without a question" wait_gone "Rispondete dal vostro terminale"
students "$port" 1 >"$TMPD/none"
check "no question: the student is told to wait" \
	grep -q "aspetta la prossima" "$TMPD/none"
keys q
check "q quits" wait_exit
check "exit status 0" test "$EXIT_STATUS" = 0

# A taken port: the door takes another and shows it.
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(120)' >"$TMPD/held" &
holder=$!
deadline=$(( $(date +%s) + 10 ))
while [ ! -s "$TMPD/held" ] && [ "$(date +%s)" -le "$deadline" ]; do sleep 0.05; done
held=$(cat "$TMPD/held")
start_tmux 160 48 "$PROG" --present --lang=en --lesson=1 --port=0 --door="$held"
keys n n
check "--door taken: the line to type" wait_for "Answer from your terminal:  nc 127.0.0.1 "
check "--door taken: another port is shown" sh -c "
	! tmux -L '$TMUX_SOCK' capture-pane -p | grep -q 'nc 127.0.0.1 $held '"
check "--door taken: the screen says so" \
	wait_for "Port $held was taken: the door opened on port"
keys q
check "q quits" wait_exit

# The bar's port taken (as 5050 often is): the bar falls back, and the
# door opens on the port after the bar's real one.
start_tmux 160 48 "$PROG" --present --lang=en --lesson=server --port="$held"
check "bar taken: lesson 5" wait_for "5. The server in five steps"
keys n n n n n n
check "bar taken: the question step" wait_for "On which socket does he send?"
check "bar taken: the line to type" wait_for "Answer from your terminal:  nc 127.0.0.1 "
bar=$(screen | sed -n '1s/.* 127\.0\.0\.1:\([0-9]*\) *$/\1/p')
door=$(screen | sed -n 's/.*nc 127\.0\.0\.1 \([0-9]*\) .*/\1/p' | head -n 1)
check "bar taken: the bar left $held (for $bar)" \
	sh -c "test -n '$bar' && test '$bar' != '$held'"
# (Or, when another program holds that one, the door says so.)
check "bar taken: the door ($door) is the bar's port + 1" sh -c "
	test '$door' = '$(( bar + 1 ))' ||
	tmux -L '$TMUX_SOCK' capture-pane -p |
	grep -q 'Port $(( bar + 1 )) was taken: the door opened on port $door '"
kill "$holder" 2>/dev/null
keys q
check "q quits" wait_exit

# crowd PORT SECONDS: 30 students connect at once, from 127.0.0.40-69,
# and stay SECONDS.
crowd() {
	python3 - "$@" <<'PY' &
import socket, sys, time
ss = []
for i in range(30):
    s = socket.socket()
    s.setblocking(False)
    s.bind(("127.0.0.%d" % (40 + i), 0))
    try:
        s.connect(("127.0.0.1", int(sys.argv[1])))
    except BlockingIOError:
        pass
    ss.append(s)
time.sleep(float(sys.argv[2]))
PY
	crowd_pid=$!
}

# accounted: the accepted one + the queue + the knocking make 30, and
# the queue is its rows plus "and N more".
accounted() {
	tmux -L "$TMUX_SOCK" capture-pane -p | python3 -c '
import re, sys
t = sys.stdin.read()
q = re.search(r"(\d+) waiting in the accept queue", t)
k = re.search(r"(\d+) more knocking", t)
more = re.search(r"and (\d+) more", t)
rows = len(re.findall(r"#\d+  in the accept queue", t))
# The accept() that returned: as the latest call and in the calls.
acc = len(set(re.findall(r"accept\(\d+, -> #\d+\) = \d+", t)))
q = int(q.group(1)) if q else 0
k = int(k.group(1)) if k else 0
more = int(more.group(1)) if more else 0
sys.exit(0 if acc == 1 and 1 + q + k == 30 and rows + more == q and
         rows > 0 else 1)'
}

for backlog in 5 40; do
	start_tmux 160 48 "$PROG" --present --lang=en --lesson=server \
		--port=0 --backlog=$backlog
	check "backlog $backlog: lesson 5" wait_for "5. The server in five steps"
	keys n n n n
	check "backlog $backlog: the accept step" \
		wait_for "accept(): waiting for the first customer"
	check "backlog $backlog: accept() waits" wait_for "accept queue 0/$backlog"
	bar=$(screen | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -n 1)
	# The students stay until killed below (90 s at most): on a loaded
	# machine the checks that follow may take a while.
	crowd "$bar" 90
	# Knockers retry their SYN 1, 3, 7, 15 s after the first: the
	# count settles within that, later on a loaded machine.
	deadline=$(( $(date +%s) + 40 ))
	until accounted || [ "$(date +%s)" -gt "$deadline" ]; do sleep 0.2; done
	check "backlog $backlog: 1 accepted + queue + knocking = 30, rows + more = queue" accounted
	[ $backlog = 40 ] && check "backlog 40: and N more" wait_for "and 13 more"
	check "backlog $backlog: the hijack is narrated" \
		wait_for "instead of the lab's customer"
	check "backlog $backlog: no student's address is projected" sh -c "
		! tmux -L '$TMUX_SOCK' capture-pane -p | grep -q '127\.0\.0\.[4-6][0-9]'"
	keys i
	check "backlog $backlog: i shows addresses" wait_for "127.0.0.4"
	# l mid-lecture: the crowd and its story switch with the rest.
	keys l
	check "backlog $backlog: l: the crowd's counts in Italian" \
		wait_for "in attesa nella coda di accept"
	[ $backlog = 40 ] && check "backlog 40: l: e altri N" wait_for "e altri 13"
	check "backlog $backlog: l: the hijack in Italian" \
		wait_for "invece del cliente del"
	kill "$crowd_pid" 2>/dev/null
	keys q
	check "backlog $backlog: q quits" wait_exit
done

# Lesson 7: a student connects before the accept step and is accepted
# instead of the lab's customer; the projector says so, in both languages.
start_tmux 160 48 "$PROG" --present --lang=en --lesson=conversation --port=0
check "lesson 7" wait_for "A whole conversation"
check "the bar has its port" wait_for "127.0.0.1:"
bar=$(screen | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -n 1)
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"espresso pls\n")
time.sleep(20)' "$bar" &
student=$!
check "the student waits in the queue" wait_for "accept queue 1/5"
keys n n
check "the hijack is narrated" wait_for "instead of the lab's customer"
check "and how to go on" wait_for "go back one step and"
keys l
check "in Italian too" wait_for "invece del cliente del"
kill "$student" 2>/dev/null
keys q
check "q quits" wait_exit
done_testing

#!/bin/sh
# screen_exercise.sh - live exercises and questions, judged for real and
# kept: a real nc or python3 process orders a drink at the port the title
# bar shows and the step says done; a real python3 server of this test
# answers the lab's customer for own-server; an answered question and the
# finished exercises show in the lesson menu, also after a restart; the
# recv() field drains the bartender's receive queue.
. "${top_srcdir:-..}/tests/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
state="$TMPD/state/socktutor/progress"

title_port() {
	screen | sed -n '1s/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p'
}

# order PORT TEXT: a real customer from another process.
order() {
	python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode() + b"\n")
f = s.makefile("rb")
sys.exit(0 if f.readline().endswith(b"\n") else 1)
PY
}

# --- order-a-drink: lesson 3, step 6 ---
start_tmux 100 30 "$PROG" --lang=en --lesson=3 --port=0
check "lesson 3 starts" wait_for "Welcome to the bar"
keys n n n n n
check "the exercise step" wait_for "step 6/8"
keys NPage NPage NPage
check "the exercise is shown, not done" wait_for "Not done yet: the bartender waits at"
port=$(title_port)
check "the title bar shows the port" test -n "$port"
check "a real customer orders and is served" order "$port" mojito
check "the step says done" wait_for 'Done! The bartender got your order "mojito".'
check "the progress file keeps it" wait_file "$state" "ex:order-a-drink"
keys g
check "the menu counts the exercise" wait_for "exercises 1/1"
keys Escape

# --- a question answered, kept across a restart ---
keys n n NPage NPage NPage
check "the question step" wait_for "In the bar, what stands for the port?"
keys 2
check "the answer is judged" wait_for "Yes: the address finds the bar"
keys g
check "the menu counts the question" wait_for "questions 1/1  exercises 1/1"
keys Escape q
check "q quits" wait_exit
check "the answer is in the progress file" wait_file "$state" "q:bartender:8"

start_tmux 100 30 "$PROG" --lang=it --port=0
check "the restart resumes at the question" wait_for "passo 8/8"
keys NPage NPage NPage
check "the question shows it was answered" wait_for "(Hai già risposto a questa domanda.)"
keys g
check "the menu still counts it, in Italian" wait_for "domande 1/1  esercizi 1/1"
keys Escape q
check "q quits" wait_exit

# --- own-server: lesson 8, step 5, against a real python3 server ---
cat >"$TMPD/server.py" <<'PY'
import socket, sys
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 0))
ls.listen(1)
with open(sys.argv[1], "w") as f:
    f.write(str(ls.getsockname()[1]))
ls.settimeout(30)
c, _ = ls.accept()
order = c.makefile("rb").readline()
c.sendall(b"one " + order)
with open(sys.argv[2], "wb") as f:
    f.write(order)
c.close()
PY
python3 "$TMPD/server.py" "$TMPD/sport" "$TMPD/sgot" &
spid=$!
deadline=$(( $(date +%s) + 10 ))
while [ ! -s "$TMPD/sport" ] && [ "$(date +%s)" -le "$deadline" ]; do
	sleep 0.05
done
sport=$(cat "$TMPD/sport" 2>/dev/null)
check "our server listens" test -n "$sport"

start_tmux 100 30 "$PROG" --lang=en --lesson=8 --port=0
check "lesson 8 starts" wait_for "8. Wrap-up and next steps"
keys n n n n
check "the own-server step" wait_for "step 5/"
keys NPage NPage NPage
check "the exercise names the port" wait_for "start your own server on port 6060"
keys c
check "c asks for the port, 6060 suggested" wait_for "[6060_]"
keys BSpace BSpace BSpace BSpace
keys "$sport" Enter
check "done when our server answers" \
	wait_for "Done! Your server on port $sport answered"
check "our server got the lab's order" \
	sh -c "wait $spid 2>/dev/null; grep -q '^espresso\$' '$TMPD/sgot'"
wait "$spid" 2>/dev/null
check "the progress file keeps it" wait_file "$state" "ex:own-server"
keys q
check "q quits" wait_exit

# --- @input recv: lesson 9's sizes drain the queue ---
start_tmux 100 30 "$PROG" --lang=en --lesson=9 --port=0
check "lesson 9 starts" wait_for "A customer at the bar"
keys n n n n n n
check "the recv step" wait_for "Your turn: choose the sizes"
keys NPage NPage NPage
check "52 bytes wait" wait_for "receive queue: 52 bytes"
keys 1 0 Enter
check "recv(10) happens at once" wait_for ", 10) = 10"
check "the queue shrinks by 10" wait_for "receive queue: 42 bytes"
keys 5 0 Enter
check "a large size takes the rest" wait_for "receive queue: 0 bytes"
keys Escape q
check "q quits" wait_exit
done_testing

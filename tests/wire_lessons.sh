#!/bin/sh
# wire_lessons.sh - the lessons and the wire in plain mode, run as an
# unprivileged user (uid 65534 when the tests run as root):
#  - lesson 12: the step where the bartender closes with unread bytes
#    shows the RST his close() sent, after the 12 bytes;
#  - lesson 7 with unshare() refused: one line says why, and every call
#    of the lesson succeeds all the same (the customer's connect() = 0);
#  - the steps whose text sends the reader to nc (lesson 6's first step,
#    lesson 8's challenge) run on this computer: the test connects to the
#    address and port the text prints and the bartender answers.
# Skips where user namespaces are refused.
. "${top_srcdir:-..}/tests/lib.sh"
. "${top_srcdir:-..}/tests/nobody.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
nobody_setup
need_private
export SOCKTUTOR_PLAIN_WAIT=1

# --- Lesson 12: the reset.
$AS "$PROG" --plain --lang=en --lesson=12 --port=0 </dev/null >"$TMPD/l12" 2>&1
rc=$?
check "lesson 12 runs through (exit $rc)" test $rc = 0
# The step whose code says the close sends an RST, by its title.
title=$(awk '/^@step /{t=substr($0, 7)} /unread: RST/{print t; exit}' \
	"$SOCKTUTOR_LESSONDIR/12-closing.lesson")
check "the lesson has a step that closes with unread bytes ($title)" test -n "$title"
awk -v t="$title" 'index($0, "Step ") && index($0, ": " t " [") {on=1; next}
	/^== Lesson/ {on=0} on' "$TMPD/l12" >"$TMPD/l12step"
diag "$(grep -A12 '^On the wire' "$TMPD/l12step")"
check "in that step, the customer's 12 bytes" \
	grep -qE '^  customer to bartender: (PSH\+)?ACK seq=[0-9]+ ack=[0-9]+ len=12 win=[0-9]+ \(send\(\)\)$' "$TMPD/l12step"
check "... and the RST of the bartender's close()" \
	grep -qE '^  bartender to customer: RST(\+ACK)? seq=[0-9]+ .* \(close\(\)\)$' "$TMPD/l12step"
check "no RST before that step" \
	sh -c 'awk -v t="$2" "index(\$0, \": \" t \" [\") {exit} {print}" "$1" | grep -q " RST"; test $? = 1' \
	- "$TMPD/l12" "$title"

# --- Lesson 7 with the private network refused: the lesson works.
$AS "$NOUNSHARE" "$PROG" --plain --lang=en --lesson=7 --port=0 </dev/null \
	>"$TMPD/l7no" 2>&1
rc=$?
check "unshare() refused: lesson 7 runs through (exit $rc)" test $rc = 0
check "... one line says why, first" \
	sh -c 'head -n 3 "$1" | tr "\n" " " | grep -q "^No private network for the lab (unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM)"' - "$TMPD/l7no"
check "... the customer's connect() succeeds" \
	grep -qE '^  connect\([0-9]+, 127\.0\.0\.1:[0-9]+\) = 0$' "$TMPD/l7no"
check "... the order goes out whole" \
	grep -q '^  send([0-9]*, "cappuccino\\n", 11) = 11$' "$TMPD/l7no"
check "... and no call of the lesson fails" \
	sh -c '! grep -E "^  [a-z]+\(.*\) = -1 " "$1"' - "$TMPD/l7no"

# --- The nc the text prints reaches the bartender.
# visit LESSON STEP: walk to the step in plain mode, read "nc ADDR PORT"
# from its text, connect there, order, and print the answer.
visit() {
	python3 - "$1" "$2" $AS "$PROG" <<'PY'
import re, socket, subprocess, sys, threading, time
lesson, step, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
p = subprocess.Popen(cmd + ["--plain", "--lang=en", "--lesson=" + lesson,
                            "--port=0"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
out = []
def read():
    for line in p.stdout:
        out.append(line.decode("utf-8", "replace"))
threading.Thread(target=read, daemon=True).start()
def wait(pattern, secs=15):
    end = time.time() + secs
    while time.time() < end:
        m = re.search(pattern, " ".join(l.strip() for l in out))
        if m:
            return m
        time.sleep(0.05)
    return None
try:
    # Each prompt (the next step, a question) before the step gets its
    # Enter; one snapshot of the output decides, so that a prompt of the
    # step itself is never answered.
    end, written = time.time() + 30, 0
    while True:
        text = " ".join(l.strip() for l in out)
        if re.search(r"Step %d of" % step, text):
            break
        prompts = len(re.findall(r"Press Enter for the next step|"
                                 r"press Enter \(just Enter", text))
        if prompts > written:
            p.stdin.write(b"\n"); p.stdin.flush()
            written += 1
        if time.time() > end or p.poll() is not None:
            print("step %d never came" % step); sys.exit(1)
        time.sleep(0.05)
    m = wait(r"Step %d of .*? run nc (\S+) (\d+) in another terminal|"
             r"Step %d of .*? connect from both with nc (\S+) (\d+)\." %
             (step, step))
    if not m:
        print("no nc in the text of step %d" % step); sys.exit(1)
    host = m.group(1) or m.group(3)
    port = int(m.group(2) or m.group(4))
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"tea\n")
    f = s.makefile("rb")
    print("%s:%d answered: %s" % (host, port,
          f.readline().decode("utf-8", "replace").strip()))
    s.close()
finally:
    try:
        p.stdin.write(b"q\n"); p.stdin.flush(); p.stdin.close()
    except OSError:
        pass
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
PY
}
visit 6 1 >"$TMPD/nc6" 2>&1
diag "$(cat "$TMPD/nc6")"
check "lesson 6 step 1: the nc the text prints is served" \
	grep -q ' answered: .*tea' "$TMPD/nc6"
visit 8 4 >"$TMPD/nc8" 2>&1
diag "$(cat "$TMPD/nc8")"
check "lesson 8 step 4: the nc the text prints is served" \
	grep -q ' answered: .*tea' "$TMPD/nc8"
done_testing

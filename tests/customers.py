#!/usr/bin/env python3
"""customers.py - outside customers who misbehave, against a running
socktutor whose bartender serves at HOST:PORT.  Each case prints one TAP
line (numbered from START); the last line says how many were printed.

    customers.py HOST PORT CAP START   (CAP: the --max-customers given)
"""
import errno
import selectors
import socket
import struct
import sys
import time

HOST, PORT, CAP, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
failed = False


def tap(ok, desc, why=""):
    global N, failed
    N += 1
    if not ok:
        failed = True
    print(("ok %d - %s" if ok else "not ok %d - %s") % (N, desc))
    if not ok and why:
        print("# " + str(why).replace("\n", "\n# "))
    sys.stdout.flush()


def connect():
    s = socket.create_connection((HOST, PORT), timeout=10)
    s.settimeout(10)
    return s


_rest = {}


def read_line(s, limit=65536):
    """One line (with its newline), or what came before EOF; what came
    after the line is kept for the next call."""
    buf = _rest.pop(s, b"")
    while b"\n" not in buf and len(buf) < limit:
        b = s.recv(4096)
        if not b:
            break
        buf += b
    i = buf.find(b"\n")
    if i >= 0 and i + 1 < len(buf):
        _rest[s] = buf[i + 1:]
        buf = buf[:i + 1]
    return buf


def one_printable_line(b):
    return (b.endswith(b"\n") and b.count(b"\n") == 1 and
            all(0x20 <= c < 0x7f for c in b[:-1]))


def served(s, order):
    """Sends order and returns whether the answer names it, quoted: the
    bare word may hide in other text ("hi" in the full line's "while")."""
    s.sendall(order.encode() + b"\n")
    line = read_line(s)
    quoted = b'"' + order.encode() + b'"'
    return one_printable_line(line) and quoted in line, line


# Terminal control sequences come back escaped, on one printable line.
try:
    s = connect()
    s.sendall(b"\x1b[2J\x1b]0;owned\x07\x9b\x1b[31mred\r\n")
    line = read_line(s)
    tap(one_printable_line(line) and b"\\x1b[2J" in line,
        "control sequences are answered escaped on one line", line)
    ok, line = served(s, "tea")
    tap(ok, "the same customer is served afterwards", line)
    s.close()
except OSError as e:
    tap(False, "control sequences", e)

# A 10 MiB line: cut at 4 KiB, answered, and the connection goes on.
try:
    s = connect()
    chunk = bytes((i * 7 + 1) % 256 or 1 for i in range(65536)).replace(b"\n", b"x")
    for _ in range(160):
        s.sendall(chunk)
    s.sendall(b"\n")
    lines = []
    ok, line = served(s, "water")
    # Replies to the long line come first; "water" is the last one.
    while not ok and len(lines) < 50 and line:
        lines.append(line)
        ok = one_printable_line(line) and b"water" in line
        if not ok:
            line = read_line(s)
    tap(ok and all(one_printable_line(l) for l in lines) and
        any(b"4096" in l for l in lines),
        "a 10 MiB line is cut, answered on one line, and the next order served",
        lines[:3])
    s.close()
except OSError as e:
    tap(False, "a 10 MiB line", e)

# Nothing at all: one customer stays silent, another comes and goes
# without a word; neither holds up a third.
try:
    silent = connect()
    mute = connect()
    mute.close()
    s = connect()
    ok, line = served(s, "coffee")
    tap(ok, "silent and wordless customers do not hold up others", line)
    s.close()
    silent.close()
except OSError as e:
    tap(False, "silent customers", e)

# A reset in the middle of an order.
try:
    s = connect()
    s.sendall(b"half an ord")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    s = connect()
    ok, line = served(s, "juice")
    tap(ok, "after a customer resets mid-order the next is served", line)
    s.close()
except OSError as e:
    tap(False, "reset mid-order", e)


def wave(size):
    """size customers at once: each is let in (and served) or told the
    bar is full.  Returns (served, full, undecided, max_inside)."""
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(size):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect((HOST, PORT))
        except BlockingIOError:
            pass
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE)
    # Wait for every connect, then until no "full" line came for a while.
    state = {s: b"" for s in socks}
    full, dead = set(), set()
    end = time.monotonic() + 20
    pending = set(socks)
    while pending and time.monotonic() < end:
        for key, _ in sel.select(0.5):
            s = key.fileobj
            if s in pending:
                pending.discard(s)
                sel.modify(s, selectors.EVENT_READ)
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 0.6 and time.monotonic() < end:
        for key, _ in sel.select(0.1):
            s = key.fileobj
            try:
                b = s.recv(4096)
            except OSError:
                b = b""
            state[s] += b
            if not b or b.endswith(b"\n"):
                sel.unregister(s)
                (full if b"full" in state[s] else dead).add(s)
                quiet_since = time.monotonic()
    inside = [s for s in socks if s not in full and s not in dead]
    ok = 0
    for s in inside:
        s.setblocking(True)
        s.settimeout(10)
        try:
            good, line = served(s, "hi")
        except OSError:
            good, line = False, b""
        if good:
            ok += 1
        elif b"full" in line:
            full.add(s)
        else:
            dead.add(s)
    for s in socks:
        s.close()
    sel.close()
    return ok, len(full), len(dead), len(inside)


# 2,000 customers in waves against the cap.
served_total = full_total = dead_total = 0
worst_inside = 0
for _ in range(8):
    ok, nfull, ndead, inside = wave(250)
    served_total += ok
    full_total += nfull
    dead_total += ndead
    worst_inside = max(worst_inside, ok)
    time.sleep(0.2)
print("# 2000 customers: served %d, told the bar is full %d, neither %d" %
      (served_total, full_total, dead_total))
tap(full_total > 0 and served_total > 0 and worst_inside <= CAP and
    dead_total == 0,
    "2000 customers in waves: each served or told the bar is full",
    "served %d, full %d, neither %d, most served in a wave %d (cap %d)" %
    (served_total, full_total, dead_total, worst_inside, CAP))
try:
    end = time.monotonic() + 10
    while True:
        s = connect()
        ok, line = served(s, "last call")
        s.close()
        if ok or time.monotonic() > end:
            break
        time.sleep(0.2)
    tap(ok, "after the crowd a new customer is served", line)
except OSError as e:
    tap(False, "after the crowd", e)

print("#count %d" % N)
sys.exit(1 if failed else 0)

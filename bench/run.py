#!/usr/bin/env python3
"""bench/run.py - measures socktutor as a person's terminal sees it.

Drives the real program in a pseudo-terminal, next to GNU Typist (the
closest peer: a C, ncurses, gettext tutorial) in the same run, and prints
a table; each figure is the median of several runs.

    python3 bench/run.py [--runs N] [--quick] [--out FILE]

What it measures (goals in brackets):
  start-up to the first complete screen          [<= gtypist's, <= 20 ms]
  keypress -> next step drawn, 100x30            [median <= 2 ms, p99 <= 10 ms,
                                                  median <= 5x gtypist's]
  the same with 500 more connections in TIME_WAIT on the machine
                                                 [median <= 5x gtypist's]
  bytes written to the terminal per step         [median <= 3 KB]
  CPU used while idle on a lesson for 10 s       [<= 0.01 s]
  peak resident memory through a whole lesson    [<= 6 MB]
  the capture's cost: the step latency through lessons 7 and 12 and the
  start-up with the private network and without (SOCKTUTOR_NO_NETNS=1)
  500 customers at once against the bartender, and against a
  one-at-a-time server written as the guide shows; a key pressed during
  the load is drawn within 50 ms.
  2,000 and 10,000 customers each ordering once a second for 10 s: all
  answered, the bartender under 30% of one core, and a key pressed
  meanwhile drawn within 20 ms at the median (2,000) and within 50 ms
  (10,000).

How it reads the screen:
  - start-up: the last byte written before the program fell quiet for
    QUIET seconds (the quiet wait itself is not counted);
  - a keypress: the end of the burst of output the key caused, a burst
    being bytes separated by less than BURST_GAP.  Output that starts
    later (the 1 s countdown tick of a TIME_WAIT, a call that blocks and
    is reported later) is not the step being drawn: it is left out of
    the latency and the bytes, and counted in its own row;
  - a key during the load: the time from the key to the help screen's
    footer ("?"), and back to the lesson's footer ("?" again; Esc would
    add curses' 25 ms wait for an escape sequence); keys are pressed
    one after another from the moment the customers set off until the
    last has been served.
Each figure is the median over --runs runs (latency percentiles are
taken within a run, then the median across runs); the load's key
latencies are pooled across runs and the worst is shown.
"""

import argparse
import asyncio
import fcntl
import os
import platform
import re
import resource
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROG = os.path.join(TOP, "src", "socktutor")
QUIET = 0.15
BURST_GAP = 0.04
COLS, ROWS = 100, 30


class Term:
    """A program running on a pseudo-terminal of a given size."""

    def __init__(self, argv, cols=COLS, rows=ROWS, env=None):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        e = dict(os.environ)
        e.update({"TERM": "xterm-256color", "LANG": "C.UTF-8",
                  "LC_ALL": "C.UTF-8"})
        e.pop("NO_COLOR", None)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=e,
            start_new_session=True, close_fds=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.out = bytearray()

    def read_until_quiet(self, quiet=QUIET, limit=10.0, marker=None):
        """Reads until nothing came for `quiet` s (and marker, if given,
        has been seen); returns (time of the last byte, bytes read)."""
        last = None
        got = 0
        seen = marker is None
        start = time.perf_counter()
        buf = bytearray()
        while time.perf_counter() - start < limit:
            r, _, _ = select.select([self.master], [], [], quiet)
            if not r:
                if last is not None and seen:
                    break
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            last = time.perf_counter()
            got += len(data)
            buf += data
            if not seen and marker.encode() in buf:
                seen = True
        self.out += buf
        return last, got, bytes(buf)

    def read_response(self, quiet=QUIET, limit=10.0):
        """Reads until nothing came for `quiet` s; returns the chunks as
        (arrival time, size) pairs."""
        chunks = []
        start = time.perf_counter()
        while time.perf_counter() - start < limit:
            r, _, _ = select.select([self.master], [], [], quiet)
            if not r:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append((time.perf_counter(), len(data)))
            self.out += data
        return chunks

    def wait_for(self, marker, limit=2.0):
        """Reads until marker appears in what comes from now on; returns
        the time of the byte that completed it, or None."""
        buf = bytearray()
        end = time.perf_counter() + limit
        want = marker.encode()
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return None
            r, _, _ = select.select([self.master], [], [], left)
            if not r:
                return None
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return None
            if not data:
                return None
            buf += data
            if want in buf:
                return time.perf_counter()

    def key(self, k):
        t = time.perf_counter()
        os.write(self.master, k.encode() if isinstance(k, str) else k)
        return t

    def cpu_ns(self):
        total = 0
        for tid in os.listdir(f"/proc/{self.proc.pid}/task"):
            try:
                with open(f"/proc/{self.proc.pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass
        return total

    def hwm_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def drain_for(self, secs):
        end = time.perf_counter() + secs
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    if not os.read(self.master, 65536):
                        return
                except OSError:
                    return

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)


# The lab's private network on (its capture drawn as the ladder), or off
# as where namespaces are refused: the cost of the capture.
WIRE_ON = {"SOCKTUTOR_NO_NETNS": None}
WIRE_OFF = {"SOCKTUTOR_NO_NETNS": "1"}


def socktutor(args, state, wire=None):
    env = {"XDG_STATE_HOME": state}
    env.update(wire or WIRE_ON)
    return Term([PROG, "--lang=en", "--port=0"] + args, env=env)


def lesson_steps(lesson_id):
    """Number of steps of a lesson, and the index of the first step whose
    actions include 'server serve'."""
    path = [p for p in os.listdir(os.path.join(TOP, "lessons"))
            if p.endswith("-%s.lesson" % lesson_id)][0]
    steps, serve = 0, None
    with open(os.path.join(TOP, "lessons", path), encoding="utf-8") as f:
        for line in f:
            if line.startswith("@step"):
                steps += 1
            if re.match(r"@do server serve\b", line) and serve is None:
                serve = steps - 1
    return steps, serve


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def bench_startup(runs, state, wire=None):
    ours, theirs = [], []
    for _ in range(runs):
        t = socktutor(["--lesson=1"], state, wire)
        last, _, _ = t.read_until_quiet(marker="q quit")
        ours.append((last - t.t0) * 1000)
        t.close()
        g = Term(["gtypist"])
        last, _, _ = g.read_until_quiet()
        theirs.append((last - g.t0) * 1000)
        g.close()
    return statistics.median(ours), statistics.median(theirs)


def first_burst(t0, chunks):
    """The key's own burst: chunks up to the first gap of BURST_GAP or
    more.  Returns (latency ms, bytes, whether later output came)."""
    if not chunks:
        return None, 0, False
    end, size = chunks[0][0], chunks[0][1]
    for i in range(1, len(chunks)):
        if chunks[i][0] - end >= BURST_GAP:
            return (end - t0) * 1000, size, True
        end = chunks[i][0]
        size += chunks[i][1]
    return (end - t0) * 1000, size, False


def walk_keys(t, keys):
    lat, sizes, late = [], [], 0
    for key in keys:
        t0 = t.key(key)
        ms, size, later = first_burst(t0, t.read_response())
        if ms is not None:
            lat.append(ms)
            sizes.append(size)
        late += later
    return lat, sizes, late


def summary(lat, sizes, late):
    return (statistics.median(lat), pct(lat, 99), statistics.median(sizes),
            late, len(lat))


def bench_steps(runs, state, lessons, wire=None):
    """Per run: median and p99 of every step forward and back through
    the lessons, the median bytes, and keys followed by later output."""
    per_run = []
    for _ in range(runs):
        lat, sizes, late = [], [], 0
        for lid in lessons:
            n, _ = lesson_steps(lid)
            t = socktutor(["--lesson=" + lid], state, wire)
            t.read_until_quiet(marker="q quit")
            a, b, c = walk_keys(t, ["n"] * (n - 1) + ["p"] * (n - 1))
            lat += a
            sizes += b
            late += c
            t.close()
        per_run.append(summary(lat, sizes, late))
    return per_run


def make_timewaits(n):
    """n connections on 127.0.0.1 left in TIME_WAIT (for 60 s): the
    client closes first, as a browser does."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(128)
    for _ in range(n):
        c = socket.create_connection(srv.getsockname())
        a, _ = srv.accept()
        c.close()
        a.close()
    srv.close()


def step_rows(steps, gsteps, tw_steps):
    def med(per_run, i):
        return statistics.median(r[i] for r in per_run)
    return [
        ("keypress -> next screen drawn, median / gtypist's",
         "%.1fx" % (med(steps, 0) / med(gsteps, 0)), "1x", "<= 5x"),
        ("the same with 500 more connections in TIME_WAIT, median (ms)",
         "%.2f (%.1fx)" % (med(tw_steps, 0), med(tw_steps, 0) /
                           med(gsteps, 0)), "-", "<= 5x"),
    ]


def bench_gtypist_keys(runs):
    per_run = []
    for _ in range(runs):
        g = Term(["gtypist"])
        g.read_until_quiet()
        per_run.append(summary(*walk_keys(g, [b"\x1bOB"] * 8 +
                                          [b"\x1bOA"] * 8)))
        g.close()
    return per_run


def bench_idle_runs(runs, state, secs):
    got = [bench_idle(state, secs) for _ in range(runs)]
    return (statistics.median(g[0] for g in got),
            statistics.median(g[1] for g in got))


def bench_memory_runs(runs, state, lesson):
    got = [bench_memory(state, lesson) for _ in range(runs)]
    return (statistics.median(g[0] for g in got),
            statistics.median(g[1] for g in got))


def bench_idle(state, secs):
    t = socktutor(["--lesson=5"], state)
    t.read_until_quiet(marker="q quit")
    for _ in range(3):
        t.key("n")
        t.read_until_quiet()
    c0 = t.cpu_ns()
    t.drain_for(secs)
    ours = (t.cpu_ns() - c0) / 1e9
    t.close()
    g = Term(["gtypist"])
    g.read_until_quiet()
    c0 = g.cpu_ns()
    g.drain_for(secs)
    theirs = (g.cpu_ns() - c0) / 1e9
    g.close()
    return ours, theirs


def bench_memory(state, lesson):
    n, _ = lesson_steps(lesson)
    t = socktutor(["--lesson=" + lesson], state)
    t.read_until_quiet(marker="q quit")
    for key in ["n"] * (n - 1) + ["p"] * (n - 1) + ["l", "l"]:
        t.key(key)
        t.read_until_quiet(quiet=0.05)
    ours = t.hwm_kb() / 1024.0
    t.close()
    g = Term(["gtypist"])
    g.read_until_quiet()
    theirs = g.hwm_kb() / 1024.0
    g.close()
    return ours, theirs


async def customer(port, sem_start, results):
    await sem_start.wait()
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port), 60)
        await asyncio.sleep(0.05)
        w.write(b"espresso\n")
        await w.drain()
        line = await asyncio.wait_for(r.readline(), 60)
        w.close()
        try:
            await w.wait_closed()
        except OSError:
            pass
        results.append(bool(line.endswith(b"\n")))
    except (OSError, asyncio.TimeoutError):
        results.append(False)


def run_load(port, n, started=None):
    """n customers at once, from a process of their own (so that the
    key presser, a thread here, never waits for their interpreter);
    started (a threading.Event) is set the moment they set off.
    Returns (seconds, customers served)."""
    import multiprocessing

    async def crowd(conn):
        go = asyncio.Event()
        results = []
        tasks = [asyncio.create_task(customer(port, go, results))
                 for _ in range(n)]
        await asyncio.sleep(0.1)
        t0 = time.perf_counter()
        go.set()
        conn.send("go")
        await asyncio.gather(*tasks)
        conn.send((time.perf_counter() - t0, sum(results)))

    def child(conn):
        asyncio.run(crowd(conn))

    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    p = ctx.Process(target=child, args=(theirs,))
    p.start()
    mine.recv()
    if started is not None:
        started.set()
    result = mine.recv()
    p.join()
    return result


GUIDE_SERVER = r"""
import socket, sys
ss = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ss.bind(("127.0.0.1", 0))
ss.listen(512)
print(ss.getsockname()[1], flush=True)
while True:
    con, addr = ss.accept()
    data = con.recv(4096)
    con.send(b"here is your " + data.strip() + b"\n")
    con.close()
"""


def load_once(state, n, lid, serve):
    t = socktutor(["--lesson=" + lid, "--backlog=512",
                   "--max-customers=512"], state)
    t.read_until_quiet(marker="q quit")
    for _ in range(serve):
        t.key("n")
        t.read_until_quiet()
    m = re.findall(rb"127\.0\.0\.1:(\d+)", bytes(t.out))
    port = int(m[-1])
    key_ms = []
    started, stop = threading.Event(), threading.Event()
    th = threading.Thread(target=press_keys,
                          args=(t, started, stop, key_ms))
    th.start()
    took, ok = run_load(port, n, started)
    stop.set()
    th.join()
    t.close()
    return took, ok, key_ms


def guide_once(n):
    g = subprocess.Popen([sys.executable, "-c", GUIDE_SERVER],
                         stdout=subprocess.PIPE, text=True)
    gport = int(g.stdout.readline())
    took, ok = run_load(gport, n)
    g.kill()
    g.wait()
    return took, ok


def bench_load(runs, state, n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 8192)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    lid = None
    for cand in ["bartender", "client", "what-for", "ports"]:
        try:
            steps, serve = lesson_steps(cand)
        except IndexError:
            continue
        if serve is not None:
            lid = cand
            break
    ours, guide, key_ms = [], [], []
    for _ in range(runs):
        took, ok, keys = load_once(state, n, lid, serve)
        ours.append((took, ok))
        key_ms += keys
        guide.append(guide_once(n))
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return (statistics.median(o[0] for o in ours), min(o[1] for o in ours),
            statistics.median(g[0] for g in guide), min(g[1] for g in guide),
            key_ms)


def press_keys(t, started, stop, key_ms, gap=0.0):
    """From the moment started is set until stop is: the help screen and
    back, one key after another (gap s apart), each key's time to its
    screen (ms, inf when it never came) appended to key_ms."""
    started.wait()
    while not stop.is_set():
        # '?' both ways: Esc would add the 25 ms that curses waits to
        # tell a lone Esc from the start of an escape sequence.
        for k, marker in (("?", "Up/Down scroll"), ("?", "Right next")):
            t0 = t.key(k)
            done = t.wait_for(marker, limit=2)
            if stop.is_set() and done is None:
                break
            key_ms.append((done - t0) * 1000 if done is not None
                          else float("inf"))
            if gap:
                stop.wait(gap)


def bench_sustained(state, n, seconds):
    """n customers each ordering once a second for `seconds` seconds,
    from two processes of their own, while keys are pressed on the
    screen.  Returns (orders sent, answered, CPU of the bartender thread
    over the ordering window in % of one core, whole program's CPU in %,
    the keys' times to their screen in ms)."""
    import multiprocessing

    lid = None
    for cand in ["bartender", "client", "what-for", "ports"]:
        try:
            _, serve = lesson_steps(cand)
        except IndexError:
            continue
        if serve is not None:
            lid = cand
            break
    t = socktutor(["--lesson=" + lid, "--backlog=4096",
                   "--max-customers=%d" % (n + 100)], state)
    t.read_until_quiet(marker="q quit")
    for _ in range(serve):
        t.key("n")
        t.read_until_quiet()
    port = int(re.findall(rb"127\.0\.0\.1:(\d+)", bytes(t.out))[-1])
    pid = t.proc.pid

    def bartender_ns():
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() == "bartender":
                    with open(f"/proc/{pid}/task/{tid}/schedstat") as g:
                        return int(g.read().split()[0])
        return 0

    async def crowd(k, conn):
        conns = []
        for i in range(k):
            try:
                conns.append(await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port), 10))
            except (OSError, asyncio.TimeoutError):
                pass
            if i % 200 == 199:
                await asyncio.sleep(0.02)
        conn.send("ready")
        conn.recv()
        sent = answered = 0

        async def one(i, r, w):
            nonlocal sent, answered
            await asyncio.sleep((i % 1000) / 1000.0)
            for _ in range(seconds):
                t0 = time.perf_counter()
                try:
                    w.write(b"espresso\n")
                    sent += 1
                    line = await asyncio.wait_for(r.readline(), 5)
                    if line.endswith(b"\n"):
                        answered += 1
                except (OSError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(max(0.0, 1 - (time.perf_counter() - t0)))

        await asyncio.gather(*(one(i, r, w)
                               for i, (r, w) in enumerate(conns)))
        conn.send((sent, answered))
        for _, w in conns:
            w.close()

    def child(k, conn):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        asyncio.run(crowd(k, conn))

    ctx = multiprocessing.get_context("fork")
    pipes, procs = [], []
    for k in (n // 2, n - n // 2):
        mine, theirs = ctx.Pipe()
        p = ctx.Process(target=child, args=(k, theirs))
        p.start()
        pipes.append(mine)
        procs.append(p)
    for m in pipes:
        m.recv()
    key_ms = []
    started, stop = threading.Event(), threading.Event()
    # A person's pace, 20 keys a second: the program's CPU figure stays
    # the bar's, not the redraws'.
    th = threading.Thread(target=press_keys,
                          args=(t, started, stop, key_ms, 0.05))
    th.start()
    b0, a0, w0 = bartender_ns(), t.cpu_ns(), time.perf_counter()
    for m in pipes:
        m.send("go")
    started.set()
    results = [m.recv() for m in pipes]
    b1, a1, w1 = bartender_ns(), t.cpu_ns(), time.perf_counter()
    stop.set()
    th.join()
    for p in procs:
        p.join()
    t.close()
    wall = (w1 - w0) * 1e9
    return (sum(r[0] for r in results), sum(r[1] for r in results),
            100.0 * (b1 - b0) / wall, 100.0 * (a1 - a0) / wall, key_ms)


def sustained_rows(n, sus):
    """The table's rows for one sustained load."""
    keys = sus[4]
    return [
        ("%d customers ordering once a second, 10 s: answered" % n,
         "%d/%d" % (sus[1], sus[0]), "-", "all"),
        ("same: the bartender thread's CPU (% of one core)",
         "%.1f" % sus[2], "-", "<= 30"),
        ("same: keys pressed meanwhile drawn, median / worst of %d (ms)"
         % len(keys), "%.1f / %.1f" % (statistics.median(keys), max(keys))
         if keys else "not measured", "-",
         "<= 20 median" if n <= 2000 else "<= 50"),
    ]


# Lessons that run in the private network (world.h): a conversation and
# its closing, every step with its segments.
WIRE_LESSONS = ["conversation", "closing"]


def bench_wire(runs, state):
    """Step latency (median, p99) through WIRE_LESSONS, and start-up,
    with the private network and its capture, and without.  The runs
    alternate so that a busy moment of the machine falls on both."""
    on, off, su_on, su_off = [], [], [], []
    for _ in range(runs):
        on += bench_steps(1, state, WIRE_LESSONS, WIRE_ON)
        off += bench_steps(1, state, WIRE_LESSONS, WIRE_OFF)
        su_on.append(bench_startup(1, state, WIRE_ON)[0])
        su_off.append(bench_startup(1, state, WIRE_OFF)[0])
    return on, off, statistics.median(su_on), statistics.median(su_off)


def wire_rows(w):
    on, off, su_on, su_off = w

    def med(per_run, i):
        return statistics.median(r[i] for r in per_run)
    return [
        ("keypress -> next screen, lessons 7 and 12, capture on: "
         "median / p99 (ms)", "%.2f / %.2f" % (med(on, 0), med(on, 1)),
         "-", "<= 2 / <= 10"),
        ("same, no private network (SOCKTUTOR_NO_NETNS=1): "
         "median / p99 (ms)", "%.2f / %.2f" % (med(off, 0), med(off, 1)),
         "-", "-"),
        ("bytes per step, capture on / off, median",
         "%d / %d" % (med(on, 2), med(off, 2)), "-", "<= 3072"),
        ("start-up, private network on / off (ms)",
         "%.1f / %.1f" % (su_on, su_off), "-", "<= 20"),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true",
                    help="fewer runs, a 3 s idle window, 100 customers")
    ap.add_argument("--out", help="also write the table to this file")
    ap.add_argument("--sustained", type=int, default=10000,
                    help="customers ordering once a second (0: skip)")
    ap.add_argument("--sustained-only", action="store_true",
                    help="measure only the sustained load")
    ap.add_argument("--wire-only", action="store_true",
                    help="measure only the cost of the capture")
    ap.add_argument("--steps-only", action="store_true",
                    help="measure only the step latency")
    a = ap.parse_args()
    if not os.access(PROG, os.X_OK):
        sys.exit("bench: build first (src/socktutor is missing)")
    runs = 2 if a.quick else a.runs
    idle = 3 if a.quick else 10
    load_n = 100 if a.quick else 500
    state = tempfile.mkdtemp(prefix="socktutor-bench.")
    if a.steps_only:
        steps = bench_steps(runs, state, ["server", "conversation"])
        gsteps = bench_gtypist_keys(runs)
        make_timewaits(500)
        tw = bench_steps(runs, state, ["server", "conversation"])
        print("\n".join("| %s | %s | %s | %s |" % r for r in [
            ("keypress -> next screen drawn, median / p99 (ms)",
             "%.2f / %.2f" % (statistics.median(r[0] for r in steps),
                              statistics.median(r[1] for r in steps)),
             "%.2f / %.2f" % (statistics.median(r[0] for r in gsteps),
                              statistics.median(r[1] for r in gsteps)),
             "<= 2 / <= 10")] + step_rows(steps, gsteps, tw)))
        return
    if a.wire_only:
        print("\n".join("| %s | %s | %s | %s |" % r
                        for r in wire_rows(bench_wire(runs, state))))
        return
    loads = sorted({n for n in (2000, a.sustained) if n > 0})
    if a.sustained_only:
        for n in loads:
            s = bench_sustained(state, n, 10)
            k = s[4]
            print("%d customers ordering once a second for 10 s: %d/%d "
                  "answered, bartender %.1f%% of one core, program %.1f%%; "
                  "%d keys meanwhile drawn in %s ms (median / worst)"
                  % (n, s[1], s[0], s[2], s[3], len(k),
                     "%.1f / %.1f" % (statistics.median(k), max(k))
                     if k else "-"))
        return

    su_ours, su_g = bench_startup(runs, state)
    steps = bench_steps(runs, state, ["server", "conversation"])
    gsteps = bench_gtypist_keys(runs)
    make_timewaits(500)
    tw_steps = bench_steps(runs, state, ["server", "conversation"])
    idle_ours, idle_g = bench_idle_runs(1 if a.quick else 3, state, idle)
    mem_ours, mem_g = bench_memory_runs(runs, state, "conversation")
    lo_t, lo_ok, gu_t, gu_ok, key_ms = bench_load(runs, state, load_n)
    sus = [(n, bench_sustained(state, n, 10)) for n in loads]
    wire = bench_wire(runs, state)

    def med(per_run, i):
        return statistics.median(r[i] for r in per_run)

    keys = sum(r[4] for r in steps)
    gkeys = sum(r[4] for r in gsteps)
    rows = [
        ("start-up to first complete screen (ms)", "%.1f" % su_ours,
         "%.1f" % su_g, "<= gtypist, <= 20"),
        ("keypress -> next screen drawn, median (ms)",
         "%.2f" % med(steps, 0), "%.2f" % med(gsteps, 0), "<= 2"),
        ("keypress -> next screen drawn, p99 (ms)", "%.2f" % med(steps, 1),
         "%.2f" % med(gsteps, 1), "<= 10"),
    ]
    rows += step_rows(steps, gsteps, tw_steps)
    rows += [
        ("bytes written per step, median", "%d" % med(steps, 2),
         "%d" % med(gsteps, 2), "<= 3072"),
        ("keys followed by later output (ticks, waits), of all keys",
         "%d/%d" % (sum(r[3] for r in steps), keys),
         "%d/%d" % (sum(r[3] for r in gsteps), gkeys), "-"),
        ("CPU while idle for %d s (s)" % idle, "%.4f" % idle_ours,
         "%.4f" % idle_g, "<= 0.01"),
        ("peak resident memory (MB)", "%.1f" % mem_ours, "%.1f" % mem_g,
         "<= 6"),
        ("%d customers at once: served (worst run)" % load_n,
         "%d/%d" % (lo_ok, load_n), "-", "all"),
        ("%d customers at once: total time (s)" % load_n, "%.3f" % lo_t,
         "-", "-"),
        ("same load, one-at-a-time server as the guide shows (s)",
         "%.3f (%d/%d served)" % (gu_t, gu_ok, load_n), "-", "-"),
        ("ratio, guide server / socktutor", "%.2fx" % (gu_t / lo_t), "-",
         "-"),
        ("keys during the load drawn, median / worst of %d (ms)"
         % len(key_ms),
         "%.1f / %.1f" % (statistics.median(key_ms), max(key_ms))
         if key_ms else "not measured", "-", "<= 50"),
    ]
    rows += wire_rows(wire)
    for n, s in sus:
        rows += sustained_rows(n, s)
    # The machine is described, not named.
    head = ("Measured %s (%s, %d cores), %d runs each, %dx%d, %d customers."
            % (time.strftime("%Y-%m-%d"), platform.platform(),
               os.cpu_count() or 0, runs, COLS, ROWS, load_n))
    lines = [head, "",
             "| figure | socktutor | gtypist | goal |",
             "| --- | --- | --- | --- |"]
    lines += ["| %s | %s | %s | %s |" % r for r in rows]
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()

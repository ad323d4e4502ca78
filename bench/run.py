#!/usr/bin/env python3
"""bench/run.py - measures socktutor as a person's terminal sees it.

Drives the real program in a pseudo-terminal, next to GNU Typist (the
closest peer: a C, ncurses, gettext tutorial) in the same run, and prints
a table; each figure is the median of several runs.

    python3 bench/run.py [--runs N] [--quick] [--out FILE]

What it measures (goals in brackets):
  start-up to the first complete screen          [<= gtypist's, <= 20 ms]
  keypress -> next step drawn, 100x30            [median <= 2 ms, p99 <= 10 ms]
  bytes written to the terminal per step         [median <= 3 KB]
  CPU used while idle on a lesson for 10 s       [<= 0.01 s]
  peak resident memory through a whole lesson    [<= 6 MB]
  500 customers at once against the bartender, and against a
  one-at-a-time server written as the guide shows; a key pressed during
  the load is drawn within 50 ms.

The "complete" moment of a screen is the last byte the program wrote
before it fell quiet for QUIET seconds; the quiet wait itself is not
counted.
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
        if env:
            e.update(env)
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


def socktutor(args, state):
    return Term([PROG, "--lang=en", "--port=0"] + args,
                env={"XDG_STATE_HOME": state})


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


def bench_startup(runs, state):
    ours, theirs = [], []
    for _ in range(runs):
        t = socktutor(["--lesson=1"], state)
        last, _, _ = t.read_until_quiet(marker="q quit")
        ours.append((last - t.t0) * 1000)
        t.close()
        g = Term(["gtypist"])
        last, _, _ = g.read_until_quiet()
        theirs.append((last - g.t0) * 1000)
        g.close()
    return statistics.median(ours), statistics.median(theirs)


def bench_steps(runs, state, lessons):
    lat, sizes = [], []
    for _ in range(runs):
        for lid in lessons:
            n, _ = lesson_steps(lid)
            t = socktutor(["--lesson=" + lid], state)
            t.read_until_quiet(marker="q quit")
            for key in ["n"] * (n - 1) + ["p"] * (n - 1):
                t0 = t.key(key)
                last, got, _ = t.read_until_quiet()
                if last is not None:
                    lat.append((last - t0) * 1000)
                    sizes.append(got)
            t.close()
    return lat, sizes


def bench_gtypist_keys(runs):
    lat, sizes = [], []
    for _ in range(runs):
        g = Term(["gtypist"])
        g.read_until_quiet()
        for key in [b"\x1bOB"] * 8 + [b"\x1bOA"] * 8:
            t0 = g.key(key)
            last, got, _ = g.read_until_quiet()
            if last is not None:
                lat.append((last - t0) * 1000)
                sizes.append(got)
        g.close()
    return lat, sizes


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


def run_load(port, n):
    async def main():
        go = asyncio.Event()
        results = []
        tasks = [asyncio.create_task(customer(port, go, results))
                 for _ in range(n)]
        await asyncio.sleep(0.1)
        t0 = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - t0, sum(results)
    return asyncio.run(main())


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


def bench_load(state, n):
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
    t = socktutor(["--lesson=" + lid, "--backlog=512",
                   "--max-customers=512"], state)
    t.read_until_quiet(marker="q quit")
    for _ in range(serve):
        t.key("n")
        t.read_until_quiet()
    m = re.findall(rb"127\.0\.0\.1:(\d+)", bytes(t.out))
    port = int(m[-1])
    key_ms = []
    stop = threading.Event()

    def presser():
        # The help screen and back, while the load runs.
        time.sleep(0.3)
        while not stop.is_set():
            t0 = t.key("?")
            last, _, buf = t.read_until_quiet(quiet=0.02, limit=2)
            # Drawn when the program has written after the key.
            if last is not None:
                key_ms.append((last - t0) * 1000)
            t.key("\x1b")
            t.read_until_quiet(quiet=0.02, limit=2)
            time.sleep(0.2)

    th = threading.Thread(target=presser)
    th.start()
    ours_t, ours_ok = run_load(port, n)
    stop.set()
    th.join()
    t.close()

    g = subprocess.Popen([sys.executable, "-c", GUIDE_SERVER],
                         stdout=subprocess.PIPE, text=True)
    gport = int(g.stdout.readline())
    guide_t, guide_ok = run_load(gport, n)
    g.kill()
    g.wait()
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return ours_t, ours_ok, guide_t, guide_ok, key_ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true",
                    help="fewer runs, a 3 s idle window, 100 customers")
    ap.add_argument("--out", help="also write the table to this file")
    a = ap.parse_args()
    if not os.access(PROG, os.X_OK):
        sys.exit("bench: build first (src/socktutor is missing)")
    runs = 2 if a.quick else a.runs
    idle = 3 if a.quick else 10
    load_n = 100 if a.quick else 500
    state = tempfile.mkdtemp(prefix="socktutor-bench.")

    su_ours, su_g = bench_startup(runs, state)
    lat, sizes = bench_steps(max(1, runs // 2), state,
                             ["server", "conversation"])
    glat, gsizes = bench_gtypist_keys(max(1, runs // 2))
    idle_ours, idle_g = bench_idle(state, idle)
    mem_ours, mem_g = bench_memory(state, "conversation")
    lo_t, lo_ok, gu_t, gu_ok, key_ms = bench_load(state, load_n)

    rows = [
        ("start-up to first complete screen (ms)", "%.1f" % su_ours,
         "%.1f" % su_g, "<= gtypist, <= 20"),
        ("keypress -> next screen drawn, median (ms)",
         "%.2f" % statistics.median(lat), "%.2f" % statistics.median(glat),
         "<= 2"),
        ("keypress -> next screen drawn, p99 (ms)", "%.2f" % pct(lat, 99),
         "%.2f" % pct(glat, 99), "<= 10"),
        ("bytes written per step, median", "%d" % statistics.median(sizes),
         "%d" % statistics.median(gsizes), "<= 3072"),
        ("CPU while idle for %d s (s)" % idle, "%.4f" % idle_ours,
         "%.4f" % idle_g, "<= 0.01"),
        ("peak resident memory (MB)", "%.1f" % mem_ours, "%.1f" % mem_g,
         "<= 6"),
        ("%d customers at once: served" % load_n,
         "%d/%d" % (lo_ok, load_n), "-", "all"),
        ("%d customers at once: total time (s)" % load_n, "%.2f" % lo_t,
         "-", "-"),
        ("same load, one-at-a-time server as the guide shows (s)",
         "%.2f (%d/%d served)" % (gu_t, gu_ok, load_n), "-", "-"),
        ("ratio, guide server / socktutor", "%.1fx" % (gu_t / lo_t), "-",
         "-"),
        ("key during the load drawn, worst of %d (ms)" % len(key_ms),
         "%.1f" % (max(key_ms) if key_ms else float("nan")), "-", "<= 50"),
    ]
    head = ("Measured %s on %s (%s, %d cores), %d runs each, %dx%d."
            % (time.strftime("%Y-%m-%d"), platform.node() or "this machine",
               platform.platform(), os.cpu_count() or 0, runs, COLS, ROWS))
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

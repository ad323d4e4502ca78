#!/usr/bin/env python3
"""bench/present_rows.py - how much of the projector's screen is empty.

Walks every step of every lesson in --present on a real terminal (tmux)
at the given sizes and counts, on each step once it has settled, the
rows that say nothing:

  blank  a row of spaces only;
  empty  a row with no letter, digit or punctuation at all (spaces and
         the figures' box lines only: a row of an empty box counts).

    python3 bench/present_rows.py [--sizes 160x48,120x36] [--lang en]
                                  [--lessons 12] [--prog src/socktutor]
                                  [--show 12:6,12:8]

Prints one line per step (lesson:step blank empty) and a summary per
size: the mean and the worst over all steps.  --show prints the screen of
the given steps.  The program runs with --port=0 and an empty state
directory; the screen is read when two captures 0.3 s apart agree (a
TIME_WAIT's countdown changes it every second: then after 2 s).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOX = set(" \u2500\u2502\u250c\u2510\u2514\u2518\u251c\u2524\u252c\u2534"
          "\u253c\u2550\u2551\u2554\u2557\u255a\u255d-|+<>=")


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock] + list(args),
                          capture_output=True, text=True).stdout


def screen(sock):
    return tmux(sock, "capture-pane", "-p").split("\n")


def settled(sock, want, deadline=8.0):
    """The screen once it shows `want` and holds still."""
    end = time.time() + deadline
    while time.time() < end:
        if any(want in line for line in screen(sock)):
            break
        time.sleep(0.05)
    prev = screen(sock)
    end = time.time() + 2.0
    while time.time() < end:
        time.sleep(0.3)
        cur = screen(sock)
        if cur == prev:
            return cur
        prev = cur
    return prev


def count(rows, height):
    rows = (rows + [""] * height)[:height]
    blank = sum(1 for r in rows if r.strip() == "")
    empty = sum(1 for r in rows if all(c in BOX for c in r))
    return blank, empty


def walk(prog, cols, rows, lang, lesson, show, out):
    sock = "present-rows-%d-%d-%d" % (os.getpid(), lesson, cols)
    state = tempfile.mkdtemp(prefix="present-rows.")
    env = "env XDG_STATE_HOME=%s SOCKTUTOR_LESSONDIR=%s " \
          "SOCKTUTOR_LOCALEDIR=%s" % (state, os.path.join(TOP, "lessons"),
                                      os.path.join(TOP, "po", "locale"))
    cmd = "%s %s --present --lang=%s --lesson=%d --port=0; sleep 30" % (
        env, prog, lang, lesson)
    for _ in range(50):
        if subprocess.run(["tmux", "-L", sock, "-f", "/dev/null",
                           "new-session", "-d", "-x", str(cols), "-y",
                           str(rows), cmd]).returncode == 0:
            break
        time.sleep(0.1)
    word = "step" if lang == "en" else "passo"
    results = []
    try:
        scr = settled(sock, word + " 1/")
        m = None
        for line in scr:
            m = re.search(word + r" 1/(\d+)", line)
            if m:
                break
        if m is None:
            out.write("# lesson %d: no step counter\n%s\n" %
                      (lesson, "\n".join(scr)))
            return results
        n = int(m.group(1))
        for k in range(1, n + 1):
            if k > 1:
                tmux(sock, "send-keys", "Right")
                scr = settled(sock, "%s %d/%d" % (word, k, n))
            b, e = count(scr, rows)
            results.append((lesson, k, b, e))
            out.write("%dx%d %s %d:%d blank %d empty %d\n" %
                      (cols, rows, lang, lesson, k, b, e))
            out.flush()
            if "%d:%d" % (lesson, k) in show:
                out.write("\n".join("| " + r for r in scr) + "\n")
    finally:
        tmux(sock, "kill-server")
        subprocess.run(["rm", "-rf", state])
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="160x48,120x36")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--lessons", default="")
    ap.add_argument("--prog", default=os.path.join(TOP, "src", "socktutor"))
    ap.add_argument("--show", default="")
    a = ap.parse_args()
    nlessons = len([f for f in os.listdir(os.path.join(TOP, "lessons"))
                    if f.endswith(".lesson")])
    lessons = ([int(x) for x in a.lessons.split(",")] if a.lessons
               else range(1, nlessons + 1))
    show = set(a.show.split(",")) if a.show else set()
    for size in a.sizes.split(","):
        cols, rows = (int(x) for x in size.split("x"))
        res = []
        for lesson in lessons:
            res += walk(a.prog, cols, rows, a.lang, lesson, show,
                        sys.stdout)
        if not res:
            continue
        bl = [r[2] for r in res]
        em = [r[3] for r in res]
        print("# %s %s: %d steps; blank rows mean %.1f max %d; "
              "empty rows mean %.1f max %d (of %d)" %
              (size, a.lang, len(res), statistics.mean(bl), max(bl),
               statistics.mean(em), max(em), rows))


if __name__ == "__main__":
    main()

# screen_fit.py - walks every step of every lesson on a real terminal
# (tmux) at 80x24 and 100x30, in English and Italian, with port 5050 held
# busy, and checks what the learner sees when a step opens, before any key:
# the question's prompt and first choice (or the exercise line), the marked
# code line, `?` in the footer, and no 5050 while the bar is elsewhere.
# It speaks TAP and ends with the figures of issue 11 as diagnostics.
# Run by tests/screen_fit.sh, which sets the environment.
import gettext
import os
import re
import socket
import subprocess
import sys
import threading
import time

TOP_SRC = os.environ.get("top_srcdir", "..")
TOP_BUILD = os.environ.get("top_builddir", "..")
PROG = os.path.join(TOP_BUILD, "src", "socktutor")
LESSONDIR = os.environ.get("SOCKTUTOR_LESSONDIR",
                           os.path.join(TOP_SRC, "lessons"))
LOCALEDIR = os.environ.get("SOCKTUTOR_LOCALEDIR",
                           os.path.join(TOP_BUILD, "po", "locale"))
SIZES = [tuple(int(n) for n in s.split("x")) for s in
         os.environ.get("SCREEN_FIT_SIZES", "80x24 100x30").split()]
LANGS = ["en", "it"]
# SCREEN_FIT_SIZES="160x48 200x60" walks other sizes; SCREEN_FIT_ONLY=
# "80x24:it" narrows the walk while developing.
ONLY = os.environ.get("SCREEN_FIT_ONLY", "")

tap_n = 0
failed = False




def tap(good, desc, todo=None):
    global tap_n, failed
    tap_n += 1
    if not good and todo is None:
        failed = True
    print("%s %d - %s%s" % ("ok" if good else "not ok", tap_n, desc,
                            " # TODO " + todo if todo and not good else ""))


def diag(text):
    for line in text.splitlines():
        print("# " + line)


# ---------------------------------------------------------------------
# What each step holds, read from the lesson files the way the program
# reads them: a directive's text goes on over indented lines, and each
# text is normalised (lines trimmed, joined by one space).

def norm(text):
    return re.sub(r"\s+", " ", text).strip()


class Step:
    def __init__(self, title):
        self.title = title
        self.prompt = None      # the question's prompt
        self.choice = None      # its first choice, if it has choices
        self.exercise = None    # the exercise's id
        self.marked = []        # (lang, text) of each marked code line


def read_lesson(path):
    steps = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.startswith("@"):
            continue
        word, _, rest = line.partition(" ")
        if word == "@code":
            lang_mark = rest.split()
            body = []
            while i < len(lines) and lines[i] != "@end":
                body.append(lines[i])
                i += 1
            i += 1
            for opt in lang_mark[1:]:
                if opt.startswith("mark=") and steps:
                    n = int(opt[5:])
                    steps[-1].marked.append((lang_mark[0], body[n - 1]))
            continue
        while i < len(lines) and lines[i][:1] in (" ", "\t") and \
                lines[i].strip():
            rest += " " + lines[i]
            i += 1
        rest = norm(rest)
        if word == "@step":
            steps.append(Step(rest))
        elif word == "@ask":
            steps[-1].prompt = rest
        elif word == "@choice" and steps[-1].choice is None:
            steps[-1].choice = rest
        elif word == "@exercise":
            steps[-1].exercise = rest.split()[0]
    return steps


def read_lessons():
    names = sorted(n for n in os.listdir(LESSONDIR) if n.endswith(".lesson"))
    return [read_lesson(os.path.join(LESSONDIR, n)) for n in names]


EXERCISE_MSGID = {
    "order-a-drink": "Exercise: from another terminal, connect to the "
                     "bartender and order a drink.",
    "client-sends": "Exercise: write a client that sends the order \"%s\" "
                    "(one line) and prints the reply.",
    "own-server": "Exercise: start your own server on port %u, then press "
                  "c: the lab's customer connects to it, orders and waits "
                  "for one line back.",
}


def head(text, n=22):
    """The first words of text, at most n columns, up to anything the
    program may fill in (a placeholder, a port, a format directive)."""
    for stop in ("{", "%", "5050", "\t"):
        k = text.find(stop)
        if k >= 0:
            text = text[:k]
    text = text.strip()
    if len(text) > n:
        cut = text.rfind(" ", 0, n)
        text = text[:cut if cut > 8 else n]
    return text.strip()


def whole(line):
    """A code line as it must be on screen: whole, not cut mid-token
    (it may wrap at a marker); compared without blanks, up to anything
    the program may fill in."""
    return re.sub(r"\s", "", head(line, 1000))


def flat(screen):
    """The screen as one string, rows joined with a space, runs of blanks
    squeezed: a prompt wrapped over two rows still matches."""
    return re.sub(r"\s+", " ", " ".join(screen))


# ---------------------------------------------------------------------
# The terminal.

class Term:
    def __init__(self, cols, rows, lang, state):
        self.sock = "socktutor-fit-%d-%dx%d-%s" % (os.getpid(), cols, rows,
                                                   lang)
        cmd = "env XDG_STATE_HOME='%s' '%s' --lang=%s --lesson=1" % (
            state, PROG, lang)
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null",
                        "new-session", "-d", "-x", str(cols), "-y",
                        str(rows), cmd + "; sleep 30"], check=True)

    def screen(self):
        out = subprocess.run(["tmux", "-L", self.sock, "capture-pane",
                              "-p"], capture_output=True, text=True)
        return out.stdout.rstrip("\n").split("\n")

    def keys(self, *k):
        subprocess.run(["tmux", "-L", self.sock, "send-keys"] + list(k))

    def close(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"],
                       stderr=subprocess.DEVNULL)


def settled(term, want, deadline=10.0):
    """Polls until the title bar says want, then until two captures agree
    (digits aside: TIME_WAIT timers count down).  Returns the screen, or
    None when the title never said it."""
    end = time.time() + deadline
    last = None
    while time.time() < end:
        s = term.screen()
        if s and re.search(want, s[0]):
            masked = [re.sub(r"[0-9]", "#", r) for r in s]
            if masked == last:
                return s
            last = masked
        time.sleep(0.05)
    diag("timed out waiting for /%s/; screen was:" % want)
    for r in term.screen():
        diag("| " + r)
    return None


BAR_RE = re.compile(r"(?:\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\]):(\d+)\s*$")
PORT_5050_RE = re.compile(r"(?<![0-9])5050(?![0-9])")


def walk(cols, rows, lang, lessons, tr, state):
    tx = (lambda s: s) if lang == "en" else tr.gettext
    where = "%dx%d %s" % (cols, rows, lang)
    fig = {"q": 0, "q_all": 0, "m": 0, "m_all": 0, "help": 0, "steps": 0,
           "port": 0, "blank": 0}
    help_word = tx("%s help").replace("%s", "?")
    step_word = tx("step")
    term = Term(cols, rows, lang, state)
    try:
        for li, steps in enumerate(lessons):
            for si, st in enumerate(steps):
                name = "%s lesson %d step %d" % (where, li + 1, si + 1)
                want = r"^ %d\. .*%s %d/%d " % (li + 1, re.escape(step_word),
                                                si + 1, len(steps))
                scr = settled(term, want)
                if scr is None:
                    tap(False, name + ": the step opens")
                    return fig
                text = flat(scr)
                packed = re.sub(r"\s|\u21aa", "", text)
                fig["steps"] += 1
                fig["blank"] += sum(1 for r in scr if not r.strip())
                if st.prompt is not None or st.exercise is not None:
                    fig["q_all"] += 1
                    if st.prompt is not None:
                        ok = ("? " + head(tx(st.prompt))) in text
                        if ok and st.choice is not None:
                            ok = ("1) " + head(tx(st.choice))) in text
                    else:
                        ok = ("! " + head(tx(EXERCISE_MSGID[st.exercise])))\
                            in text
                    fig["q"] += ok
                    tap(ok, name + ": the question or exercise is on the "
                        "first screen")
                for lang_code, line in st.marked:
                    fig["m_all"] += 1
                    ok = whole(line) in packed
                    fig["m"] += ok
                    tap(ok, name + ": the marked %s line is visible whole" %
                        lang_code)
                ok = help_word in scr[-1]
                fig["help"] += ok
                tap(ok, name + ": the footer offers ?")
                bar = BAR_RE.search(scr[0])
                # The log's word on why the bar is elsewhere may name it.
                said = re.sub(r"[Pp]ort[a]? 5050 (is taken|\u00e8 occupata)",
                              "", text)
                # 5050 as a number of its own: an ephemeral port such
                # as 45050 is not the default port.
                named = PORT_5050_RE.search(said)
                ok = not (bar and bar.group(1) != "5050" and named)
                fig["port"] += not ok
                if not ok:
                    k = named.start()
                    diag("5050 in: %r; the screen was:" %
                         said[max(0, k - 70):k + 40])
                    for r in scr:
                        diag("| " + r)
                tap(ok, name + ": no 5050 while the bar is at %s" %
                    (bar.group(1) if bar else "no port yet"))
                term.keys("Right")
    finally:
        term.close()
    return fig


class Hold5050:
    """Holds 127.0.0.1:5050 so that the bar must go elsewhere, for the
    whole walk.  Another test's program may have it for a while: then it
    is busy all the same, and a thread takes it the moment that program
    lets it go, so that no bar of ours gets it in between (a bar that
    did would leave its TIME_WAITs at 5050 to later lessons).  The walk
    waits up to 60 s for the hold, then goes on with the thread trying."""

    def __init__(self):
        self.sock = None
        self.stop = False
        self.thread = threading.Thread(target=self.grab, daemon=True)
        self.thread.start()
        end = time.time() + 60
        while self.sock is None and time.time() < end:
            time.sleep(0.05)
        if self.sock is None:
            diag("5050 is held by another program; this test takes it "
                 "when it is free")

    def grab(self):
        while not self.stop and self.sock is None:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # Old TIME_WAITs on 5050 must not stop the hold.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", 5050))
                s.listen(1)
                self.sock = s
                return
            except OSError:
                s.close()
            time.sleep(0.01)

    def close(self):
        self.stop = True
        self.thread.join()
        if self.sock is not None:
            self.sock.close()


def main():
    if subprocess.run(["sh", "-c", "command -v tmux"],
                      capture_output=True).returncode != 0:
        print("1..0 # SKIP tmux is not installed")
        return 0
    lessons = read_lessons()
    tr = gettext.GNUTranslations(open(os.path.join(
        LOCALEDIR, "it", "LC_MESSAGES", "socktutor.mo"), "rb"))
    held = Hold5050()
    state = os.environ.get("TMPD", "/tmp")
    figures = []
    for cols, rows in SIZES:
        for lang in LANGS:
            if ONLY and ONLY != "%dx%d:%s" % (cols, rows, lang):
                continue
            fig = walk(cols, rows, lang, lessons, tr,
                       os.path.join(state, "state-%s" % lang))
            figures.append(((cols, rows, lang), fig))
    held.close()
    diag("figures (issue 11), per size and language:")
    for (cols, rows, lang), f in figures:
        diag("%dx%d %s: questions on their first screen %d/%d, marked "
             "lines visible %d/%d, footers with ? %d/%d, screens with 5050 "
             "while the bar is elsewhere %d, rows left blank on the "
             "average step %.1f" % (
                 cols, rows, lang, f["q"], f["q_all"], f["m"], f["m_all"],
                 f["help"], f["steps"], f["port"],
                 f["blank"] / f["steps"] if f["steps"] else 0))
    print("1..%d" % tap_n)
    return 1 if failed else 0


sys.exit(main())

/* plain.c - plain mode: the lessons and the live lab as plain lines, for
 * screen readers, pipes, logs and dumb terminals.
 *
 * Each step prints a header, its text wrapped at 78 columns, its code, the
 * calls the lab really made with one sentence each, and the sockets as the
 * kernel reports them; then Enter on stdin goes on.  Nothing here moves
 * the cursor or sets a colour, and every byte that leaves goes through
 * put(), which turns control characters (from a translation, a lesson or a
 * stranger's connection alike) into '?'.  Once stdin ends, the rest of the
 * lesson runs through by itself.  A call that waits for somebody (accept,
 * recv) waits a bounded time, so that a transcript always finishes.
 * A line that says q quits, as the q key does on the curses screen.
 * Plain mode never writes the progress file; main reads its language.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "capture.h"
#include "i18n.h"
#include "narrate.h"
#include "plain.h"
#include "util.h"
#include "world.h"

#define WRAP 78
#define WAIT_MS_DEFAULT 5000
#define SETTLE_MS 10000		/* a step that never settles is a bug */
#define GRACE_MS 300		/* for a waiting call about to return */
#define STABLE_MS 60		/* sockets unchanged this long have settled */
#define STABLE_TRIES 8

/* Lines from stdin, read with read(2) so that poll() can tell whether a
 * whole line is waiting without consuming it. */
struct input {
	char buf[1024];
	size_t len;
	bool eof;
	bool overflow;		/* discarding the rest of an overlong line */
};

struct plain {
	const struct app *app;
	struct lab *lab;
	struct input in;
	unsigned wait_ms;
	enum lab_call blocked;	/* the call waiting for somebody */
	bool step_blocked;	/* a call of this step began to wait */
	bool quit;		/* the learner typed q */
	struct lab_event *held;	/* a step's events, until its text is out */
	size_t nheld, capheld;
	bool world_news;	/* the step's world is new: say which */
	uint64_t wire_from;	/* the first segment not printed yet */
};

/* Writes s to stdout with every control character (but '\n') and every
 * invalid byte replaced: whatever the text came from, no escape sequence
 * reaches the terminal.  Tabs become spaces. */
static void
put(const char *s)
{
	mbstate_t st;
	size_t n = strlen(s);

	memset(&st, 0, sizeof st);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			putchar('?');
			s++;
			n--;
			continue;
		}
		if (k == 0)
			break;
		if (wc == L'\n')
			putchar('\n');
		else if (wc == L'\t')
			fputs("    ", stdout);
		else if (iswcntrl((wint_t)wc) || wc == 0x7f ||
		    (wc >= 0x80 && wc < 0xa0))
			putchar('?');
		else
			fwrite(s, 1, k, stdout);
		s += k;
		n -= k;
	}
}

static void
putln(const char *s)
{
	put(s);
	putchar('\n');
}

static void wrap(const char *text, const char *first, const char *rest);

/* printf, then wrap() without indentation. */
static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		text = NULL;
	va_end(ap);
	if (text == NULL) {
		/* Out of memory: the line is lost, the run goes on. */
		return;
	}
	wrap(text, "", "");
	free(text);
}

/* The display width of one word. */
static size_t
width(const char *s, size_t n)
{
	mbstate_t st;
	size_t w = 0;

	memset(&st, 0, sizeof st);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		w += (size_t)cw;
		s += k;
		n -= k;
	}
	return w;
}

/* Prints text wrapped at WRAP columns by display width: the first line
 * starts with first, the others with rest (both counted in the width).
 * A word longer than a line gets a line of its own, uncut. */
static void
wrap(const char *text, const char *first, const char *rest)
{
	const char *p = text, *lead = first;
	size_t col = 0;
	bool any = false;

	while (*p != '\0') {
		const char *w;
		size_t n, ww;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		n = (size_t)(p - w);
		ww = width(w, n);
		if (any && col + 1 + ww > WRAP) {
			putchar('\n');
			any = false;
			lead = rest;
		}
		if (!any) {
			put(lead);
			col = width(lead, strlen(lead));
		} else {
			putchar(' ');
			col++;
		}
		{
			char *word = xstrndup(w, n);

			put(word);
			free(word);
		}
		col += ww;
		any = true;
	}
	if (any || lead == first)
		putchar('\n');
}

/* Reads what stdin has into the buffer; waits at most timeout_ms (-1:
 * forever).  Returns false on timeout. */
static bool
input_fill(struct input *in, int timeout_ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	ssize_t r;
	int rc;

	if (in->eof)
		return true;
	rc = poll(&pfd, 1, timeout_ms);
	if (rc == 0)
		return false;
	if (rc == -1)
		return errno == EINTR ? false : (in->eof = true);
	if (in->len == sizeof in->buf) {
		/* No newline in a full buffer: keep the start of the line,
		 * drop the rest up to its newline. */
		in->overflow = true;
		in->len = sizeof in->buf - 1;
	}
	r = read(STDIN_FILENO, in->buf + in->len, sizeof in->buf - in->len);
	if (r == -1 && errno == EINTR)
		return true;
	if (r <= 0) {
		in->eof = true;
		return true;
	}
	if (in->overflow) {
		char *nl = memchr(in->buf + in->len, '\n', (size_t)r);

		if (nl == NULL)
			return true;
		memmove(in->buf + in->len, nl, (size_t)(in->buf + in->len +
		    r - nl));
		r = in->buf + in->len + r - nl;
		in->overflow = false;
	}
	in->len += (size_t)r;
	return true;
}

static bool
input_ready(const struct input *in)
{
	return memchr(in->buf, '\n', in->len) != NULL ||
	    (in->eof && in->len > 0);
}

/* The next line without its newline (and trailing blanks) in out.
 * Returns false at end of input. */
static bool
input_line(struct input *in, char *out, size_t outlen)
{
	char *nl;
	size_t n, take;

	while (!input_ready(in) && !in->eof)
		input_fill(in, -1);
	if (!input_ready(in))
		return false;
	nl = memchr(in->buf, '\n', in->len);
	n = nl != NULL ? (size_t)(nl - in->buf) : in->len;
	take = n < outlen - 1 ? n : outlen - 1;
	memcpy(out, in->buf, take);
	while (take > 0 && (out[take - 1] == ' ' || out[take - 1] == '\r' ||
	    out[take - 1] == '\t'))
		take--;
	out[take] = '\0';
	n += nl != NULL;
	memmove(in->buf, in->buf + n, in->len - n);
	in->len -= n;
	return true;
}

/* Skips leading blanks of a typed answer. */
static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	long v;

	if (util_parse_num(skip_blanks(s), (size_t)-1, 0, (long)max,
	    &v) == -1)
		return false;
	*out = (unsigned long)v;
	return true;
}

/* SOCKTUTOR_PLAIN_WAIT: seconds (fractions allowed) that a step waits for
 * a customer who may never come. */
static unsigned
wait_ms_from_env(void)
{
	const char *s = getenv("SOCKTUTOR_PLAIN_WAIT");
	char *end;
	double v;

	if (s == NULL || s[0] == '\0')
		return WAIT_MS_DEFAULT;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(v >= 0) || v > 3600)
		return WAIT_MS_DEFAULT;
	return (unsigned)(v * 1000 + 0.5);
}

static void
print_event(const struct lab_event *ev)
{
	char call[256], say[1024];

	if (ev->kind == LAB_EV_RESET)
		return;
	if (ev->kind == LAB_EV_CALL || ev->kind == LAB_EV_BLOCKED ||
	    ev->kind == LAB_EV_CANCELLED) {
		lab_format_call(ev, call, sizeof call);
		put("  ");
		putln(call);
	}
	narrate_event(ev, say, sizeof say);
	wrap(say, "    ", "    ");
}

/* Moves the events waiting in the lab to pl->held (kept to be printed
 * after the step's text), or prints them at once when print is true. */
static void
drain(struct plain *pl, bool print)
{
	struct lab_event ev[8];
	size_t n, i;

	while ((n = lab_drain(pl->lab, ev, sizeof ev / sizeof ev[0])) > 0) {
		for (i = 0; i < n; i++) {
			if (ev[i].kind == LAB_EV_BLOCKED) {
				pl->blocked = ev[i].call;
				pl->step_blocked = true;
			}
			else if (ev[i].kind == LAB_EV_CALL &&
			    ev[i].call == pl->blocked)
				pl->blocked = LAB_CALL_NONE;
			if (print) {
				print_event(&ev[i]);
				continue;
			}
			if (pl->nheld == pl->capheld) {
				pl->capheld = pl->capheld ? pl->capheld * 2 :
				    16;
				pl->held = xreallocarray(pl->held,
				    pl->capheld, sizeof *pl->held);
			}
			pl->held[pl->nheld++] = ev[i];
		}
	}
}

/* Waits for the lab's wake-up descriptor (or stdin, when watch_input)
 * until deadline_us; returns false when the deadline passed. */
static bool
wait_wake(struct plain *pl, uint64_t deadline_us, bool watch_input)
{
	struct pollfd pfd[2];
	uint64_t now = util_now_us();
	int n = 1, ms, rc;

	if (now >= deadline_us)
		return false;
	ms = (int)((deadline_us - now + 999) / 1000);
	/* Poll in short slices, so that a lab that settles without a new
	 * event is noticed too. */
	if (ms > 50)
		ms = 50;
	pfd[0].fd = lab_wake_fd(pl->lab);
	pfd[0].events = POLLIN;
	if (watch_input && !pl->in.eof) {
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		n = 2;
	}
	rc = poll(pfd, (nfds_t)n, ms);
	if (rc > 0 && n == 2 && pfd[1].revents != 0)
		input_fill(&pl->in, 0);
	return true;
}

/* True for a line that asks to quit: q (or Q), blanks around it. */
static bool
is_quit(const char *line)
{
	line = skip_blanks(line);
	return (line[0] == 'q' || line[0] == 'Q') && line[1] == '\0';
}

/* The next line from stdin (see input_line).  While nobody types, what
 * the lab reports (a customer from another terminal) is printed as it
 * happens.  A line q sets pl->quit and counts as the end of input. */
static bool
read_line(struct plain *pl, char *out, size_t outlen)
{
	if (pl->quit)
		return false;
	fflush(stdout);
	while (!input_ready(&pl->in) && !pl->in.eof) {
		struct pollfd pfd[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = lab_wake_fd(pl->lab), .events = POLLIN },
		};

		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents != 0)
			input_fill(&pl->in, 0);
		if (pfd[1].revents != 0) {
			drain(pl, true);
			fflush(stdout);
		}
	}
	if (!input_line(&pl->in, out, outlen))
		return false;
	if (is_quit(out)) {
		pl->quit = true;
		return false;
	}
	return true;
}

/* Posts the step's calls and waits until each has finished or waits for
 * somebody; their events are held back for show_calls. */
static void
post_calls(struct plain *pl, const struct lesson_step *step)
{
	uint64_t deadline;
	size_t i;

	pl->nheld = 0;
	pl->step_blocked = false;
	for (i = 0; i < step->nactions; i++)
		lab_post(pl->lab, &step->actions[i], false);
	deadline = util_now_us() + (uint64_t)SETTLE_MS * 1000;
	while (!lab_settled(pl->lab) && wait_wake(pl, deadline, false))
		drain(pl, false);
	drain(pl, false);
	/* "Settled" counts a call that waits as done, but a call waiting
	 * from an earlier step (accept) may be about to return because of
	 * this one (connect): give it a moment before saying it waits. */
	deadline = util_now_us() + GRACE_MS * 1000;
	while (lab_waiting(pl->lab) && wait_wake(pl, deadline, false))
		drain(pl, false);
	drain(pl, false);
}

/* Prints the step's calls; waits a bounded time when a call waits for
 * somebody, printing what happens meanwhile. */
static void
show_calls(struct plain *pl)
{
	unsigned secs = (pl->wait_ms + 999) / 1000;
	uint64_t deadline;
	char *line;
	struct lab_addr a;
	size_t i;

	putln(_("What happens now, for real:"));
	for (i = 0; i < pl->nheld; i++)
		print_event(&pl->held[i]);
	pl->nheld = 0;
	/* A call left waiting by an earlier step was announced there. */
	if (!lab_waiting(pl->lab) || !pl->step_blocked)
		return;

	if (pl->blocked == LAB_CALL_ACCEPT && lab_server_addr(pl->lab, &a)) {
		/* TRANSLATORS: %u is a number of seconds; a command line
		 * follows on a line of its own. */
		line = xasprintf(_("Waiting up to %u s for a customer. To be "
		    "one, type this in another terminal:"), secs);
		wrap(line, "", "");
		free(line);
		line = xasprintf("nc %s %u", a.host, (unsigned)a.port);
		wrap(line, "    ", "    ");
		free(line);
	} else {
		/* TRANSLATORS: %2$s is a call name such as recv. */
		line = xasprintf(_("Waiting up to %1$u s for %2$s() to "
		    "return."), secs, lab_call_name(pl->blocked));
		wrap(line, "", "");
		free(line);
	}
	if (!pl->in.eof)
		putln(_("Press Enter to go on without waiting."));
	fflush(stdout);
	deadline = util_now_us() + (uint64_t)pl->wait_ms * 1000;
	while (lab_waiting(pl->lab) && !input_ready(&pl->in) &&
	    wait_wake(pl, deadline, true)) {
		drain(pl, true);
		fflush(stdout);
	}
	drain(pl, true);
	if (!lab_waiting(pl->lab))
		return;
	if (input_ready(&pl->in))
		say("%s", _("Going on; the call keeps waiting."));
	else if (pl->blocked == LAB_CALL_ACCEPT)
		say("%s", _("No customer came in time; going on. The call "
		    "keeps waiting."));
	else
		say("%s", _("Nothing came in time; going on. The call keeps "
		    "waiting."));
}

/* Whether two snapshots show the same sockets in the same states (the
 * TIME_WAIT countdown aside). */
static bool
same_sockets(const struct lab_snapshot *a, const struct lab_snapshot *b)
{
	size_t i;

	if (a->n != b->n || a->guests != b->guests)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct lab_sock *x = &a->socks[i], *y = &b->socks[i];

		if (x->id != y->id || x->fd != y->fd || x->state != y->state ||
		    x->accept_queue != y->accept_queue ||
		    x->rx_queue != y->rx_queue || x->tx_queue != y->tx_queue ||
		    x->has_peer != y->has_peer)
			return false;
	}
	return true;
}

/* The sockets once they have stopped changing.  The kernel finishes some
 * things a moment after the calls return (a delayed ACK turns FIN_WAIT1
 * into FIN_WAIT2; the serving thread takes the next customer), and a
 * transcript is read later: it should show where things came to rest,
 * as the screen does after a moment.  Bounded, so it always goes on. */
static void
settled_snapshot(struct plain *pl, struct lab_snapshot *snap)
{
	struct lab_snapshot *next = xmalloc(sizeof *next);
	int tries;

	lab_snapshot_now(pl->lab, snap);
	for (tries = 0; tries < STABLE_TRIES; tries++) {
		poll(NULL, 0, STABLE_MS);
		lab_snapshot_now(pl->lab, next);
		if (same_sockets(snap, next))
			break;
		*snap = *next;
	}
	free(next);
}

static void
print_sockets(struct plain *pl)
{
	struct lab_snapshot *snap = xmalloc(sizeof *snap);
	char line[256];
	unsigned shown = 0;
	size_t i;

	settled_snapshot(pl, snap);
	putln(_("Sockets now:"));
	if (snap->n == 0) {
		put("  ");
		putln(_("(none)"));
	}
	for (i = 0; i < snap->n; i++) {
		const struct lab_sock *s = &snap->socks[i];

		narrate_sock(s, line, sizeof line);
		put("  ");
		put(line);
		put(" - ");
		putln(narrate_sock_role(s));
		if (s->role == LAB_ROLE_GUEST)
			shown++;
	}
	if (snap->guests > shown) {
		put("  ");
		say(P_("... and %u more customer from other programs.",
		    "... and %u more customers from other programs.",
		    snap->guests - shown), snap->guests - shown);
	}
	free(snap);
}

/* The step's code as the lab runs it (--backlog shows in listen()). */
static void
print_code(struct plain *pl, const struct lesson_step *step)
{
	size_t i;

	for (i = 0; i < step->ncode; i++) {
		const struct lesson_code *c = &step->code[i];
		char *real = narrate_real_code(c->text, pl->app->lab.backlog);
		const char *p = real, *label;
		int line = 1;

		label = strcmp(c->lang, "c") == 0 ? "C" :
		    strcmp(c->lang, "python") == 0 ? "Python" :
		    strcmp(c->lang, "sh") == 0 ? "Shell" : c->lang;
		put(label);
		puts(":");
		for (;;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
			char *text = xstrndup(p, n);

			/* The marked line stands out without colour. */
			if (n > 0 || line == c->mark)
				put(line == c->mark ? "  > " : "    ");
			putln(text);
			free(text);
			if (nl == NULL)
				break;
			p = nl + 1;
			line++;
		}
		putchar('\n');
		free(real);
	}
}

static void
print_text(const struct lesson_step *step)
{
	size_t i;

	for (i = 0; i < step->nblocks; i++) {
		const struct lesson_block *b = &step->blocks[i];

		if (b->text.msgid == NULL)
			continue;
		if (b->kind == LESSON_ITEM) {
			wrap(narrate_lesson(b->text.msgid), "- ", "  ");
			/* A list ends with a blank line. */
			if (i + 1 == step->nblocks ||
			    step->blocks[i + 1].kind != LESSON_ITEM)
				putchar('\n');
		} else {
			wrap(narrate_lesson(b->text.msgid), "", "");
			putchar('\n');
		}
	}
}

static void
print_header(struct plain *pl, const struct lesson *l, size_t li,
    size_t si)
{
	const struct lesson_step *step = &l->steps[si];
	struct lab_addr a;
	char addr[INET6_ADDRSTRLEN + 8], *line;

	/* TRANSLATORS: a step's header: lesson number and title, step
	 * number, count and title. */
	line = xasprintf(_("== Lesson %1$zu, %2$s. Step %3$zu of %4$zu: "
	    "%5$s"), li + 1, narrate_lesson(l->title.msgid), si + 1, l->nsteps,
	    step->title.msgid != NULL ? narrate_lesson(step->title.msgid) : "");
	put(line);
	free(line);
	printf(" [%s]", i18n_code());
	if (lab_server_addr(pl->lab, &a)) {
		lab_format_addr(&a, addr, sizeof addr);
		/* TRANSLATORS: the bartender's address and port, e.g.
		 * "bartender at 127.0.0.1:5050". */
		put(" ");
		line = xasprintf(_("bartender at %s"), addr);
		put(line);
		free(line);
	}
	putchar('\n');
}

/* A port typed at an "@input port" step: its range, its service name and
 * the ports this system hands out by itself, in the curses UI's words. */
static void
explain_port(unsigned port)
{
	char svc[64], *line;
	const char *range = narrate_port(port, svc, sizeof svc);
	unsigned lo, hi;

	line = xasprintf(_("Port %ld. Range: %s."), (long)port, range);
	wrap(line, "  ", "  ");
	free(line);
	if (svc[0] != '\0') {
		line = xasprintf(_("This system knows it as the service "
		    "\"%s\"."), svc);
		wrap(line, "  ", "  ");
		free(line);
	} else {
		wrap(_("This system knows no service name for it."), "  ",
		    "  ");
	}
	if (narrate_ephemeral(&lo, &hi) == 0) {
		if (port >= lo && port <= hi)
			line = xasprintf(_("It lies in this machine's "
			    "temporary range, %u to %u: the kernel hands these "
			    "ports to clients, such as the lab's customer."),
			    lo, hi);
		else
			line = xasprintf(_("This machine gives clients "
			    "temporary (ephemeral) ports from %u to %u."),
			    lo, hi);
		wrap(line, "  ", "  ");
		free(line);
	}
}

static void
run_input(struct plain *pl, const struct lesson_step *step)
{
	char line[64];
	unsigned long v;
	struct lab_addr a;

	if (step->input.kind != LESSON_INPUT_PORT)
		return;
	if (step->input.prompt.msgid != NULL)
		wrap(narrate_lesson(step->input.prompt.msgid), "", "");
	fflush(stdout);
	for (;;) {
		if (!read_line(pl, line, sizeof line)) {
			if (pl->quit)
				return;
			/* Nobody is typing: show the bartender's port. */
			v = lab_server_addr(pl->lab, &a) ? a.port :
			    pl->app->lab.port;
			say(_("(no input: here is port %lu)"), v);
			break;
		}
		if (parse_uint(line, 65535, &v))
			break;
		if (*skip_blanks(line) == '\0')
			return;
		putln(_("That is not a port number: type a number from 0 to "
		    "65535, or just Enter to skip."));
		fflush(stdout);
	}
	explain_port((unsigned)v);
	putchar('\n');
}

static void
print_feedback(const struct lesson_text *t)
{
	if (t->msgid != NULL)
		wrap(narrate_lesson(t->msgid), "  ", "  ");
}

static void
run_question(struct plain *pl, const struct lesson_step *step)
{
	const struct lesson_question *q = step->question;
	char line[128], num[32];
	unsigned long v;
	size_t i, right = 0;

	if (q == NULL)
		return;
	say(_("Question: %s"), narrate_lesson(q->prompt.msgid));
	for (i = 0; i < q->nchoices; i++) {
		snprintf(num, sizeof num, "  %zu) ", i + 1);
		wrap(narrate_lesson(q->choices[i].text.msgid), num, "     ");
		if (q->choices[i].right)
			right = i;
	}
	if (q->nchoices > 0)
		say(_("Type the number of your answer and press Enter (just "
		    "Enter to see the answer):"));
	else
		say(_("Type your answer and press Enter (just Enter to see "
		    "the answer):"));
	fflush(stdout);
	for (;;) {
		bool got = read_line(pl, line, sizeof line);

		if (got && *skip_blanks(line) != '\0' && q->nchoices > 0) {
			if (!parse_uint(line, q->nchoices, &v) || v == 0) {
				say(_("Please type a number from 1 to %zu."),
				    q->nchoices);
				fflush(stdout);
				continue;
			}
			print_feedback(&q->choices[v - 1].feedback);
			if (!q->choices[v - 1].right)
				break;
			putchar('\n');
			return;
		}
		if (got && *skip_blanks(line) != '\0') {
			bool ok = q->expect != NULL &&
			    strcmp(skip_blanks(line), q->expect) == 0;

			print_feedback(ok ? &q->right : &q->wrong);
			putchar('\n');
			return;
		}
		break;
	}
	if (pl->quit)
		return;
	/* No answer, or a wrong choice: show the right one. */
	if (q->nchoices > 0) {
		char *ans = xasprintf("%zu) %s", right + 1,
		    narrate_lesson(q->choices[right].text.msgid));

		say(_("The right answer: %s"), ans);
		free(ans);
		print_feedback(&q->choices[right].feedback);
	} else if (q->expect != NULL) {
		say(_("The right answer: %s"), q->expect);
		print_feedback(&q->right);
	}
	putchar('\n');
}

/* The step's world (world.h).  When it is not the lab's, the lab starts
 * again there and redoes the earlier steps quietly: the sockets of one
 * world cannot move to the other. */
static void
choose_world(struct plain *pl, const struct lesson *l, size_t si)
{
	enum lab_world w = world_for_step(l, si, pl->app->listen_given,
	    pl->app->netns != NULL);
	struct capture *cap = lab_capture(pl->lab);
	uint64_t deadline;
	size_t i, k;

	if (w == lab_world(pl->lab))
		return;
	pl->world_news = true;
	lab_reset(pl->lab);
	lab_set_world(pl->lab, w);
	for (i = 0; i < si; i++)
		for (k = 0; k < l->steps[i].nactions; k++)
			lab_post(pl->lab, &l->steps[i].actions[k], true);
	deadline = util_now_us() + (uint64_t)SETTLE_MS * 1000;
	while (!lab_settled(pl->lab) && wait_wake(pl, deadline, false))
		drain(pl, false);
	drain(pl, false);
	pl->nheld = 0;
	if (cap != NULL)
		pl->wire_from = capture_pump(cap, CAPTURE_KERNEL);
}

static void
say_world(struct plain *pl)
{
	if (!pl->world_news || pl->app->netns == NULL)
		return;
	pl->world_news = false;
	if (lab_world(pl->lab) == LAB_WORLD_PRIVATE)
		say("%s", _("Network: the lab's own. Only the lab is there, "
		    "and every packet it sends is shown."));
	else
		say("%s", _("Network: this computer's loopback, where other "
		    "programs can come in. Packets are not shown here."));
	putchar('\n');
}

/* Who sent a segment, in words: the bartender, the customer, or (for
 * somebody else's port) the address. */
static const char *
sender(const struct segment *s, bool source, const struct lab_addr *bar,
    char *buf, size_t len)
{
	uint16_t port = source ? s->sport : s->dport;

	if (bar != NULL && port == bar->port)
		return _("bartender");
	if (bar != NULL && (source ? s->dport : s->sport) == bar->port)
		return _("customer");
	return segment_endpoint(s, source, buf, len);
}

/* The segments seen since the last time, one line each. */
static void
print_wire(struct plain *pl)
{
	struct capture *cap = lab_capture(pl->lab);
	struct capture_seg *c;
	struct lab_addr bar;
	bool have_bar;
	uint64_t next, n;

	if (cap == NULL || lab_world(pl->lab) != LAB_WORLD_PRIVATE)
		return;
	next = capture_pump(cap, CAPTURE_KERNEL);
	if (next <= pl->wire_from)
		return;
	c = xmalloc(sizeof *c);
	have_bar = lab_server_addr(pl->lab, &bar);
	putln(_("On the wire:"));
	for (n = pl->wire_from; n < next; n++) {
		char from[64], to[64], seg[SEGMENT_LINE_MAX], who[32];
		enum lab_side side;
		enum lab_call call;
		char *line;

		if (!capture_get(cap, n, c))
			continue;
		segment_format(&c->seg, 0, 0, seg, sizeof seg);
		if (lab_wire_tag(c->tag, &side, &call))
			snprintf(who, sizeof who, "%s()", lab_call_name(call));
		else
			snprintf(who, sizeof who, "%s", _("the kernel"));
		/* TRANSLATORS: one packet: who sent it, to whom, then the
		 * packet's flags and numbers (never translated), then who
		 * made it: a call such as connect(), or "the kernel". */
		line = xasprintf(_("  %1$s to %2$s: %3$s (%4$s)"),
		    sender(&c->seg, true, have_bar ? &bar : NULL, from,
		    sizeof from), sender(&c->seg, false, have_bar ? &bar :
		    NULL, to, sizeof to), seg, who);
		putln(line);
		free(line);
	}
	free(c);
	pl->wire_from = next;
	putchar('\n');
}

/* One step, whole.  Returns false when stdout failed. */
static bool
run_step(struct plain *pl, const struct lesson *l, size_t li, size_t si)
{
	const struct lesson_step *step = &l->steps[si];
	struct lab_addr a;

	/* The calls run first, so that the header already shows an
	 * address bound at this step; they are printed after the text. */
	choose_world(pl, l, si);
	post_calls(pl, step);
	lab_bar_where(pl->lab, &a);
	narrate_set_bar(&a);
	print_header(pl, l, li, si);
	putchar('\n');
	say_world(pl);
	print_text(step);
	print_code(pl, step);
	if (step->nactions > 0) {
		show_calls(pl);
		putchar('\n');
		print_sockets(pl);
		putchar('\n');
	}
	print_wire(pl);
	run_input(pl, step);
	if (!pl->quit)
		run_question(pl, step);
	fflush(stdout);
	return !ferror(stdout);
}

/* --pcap=FILE: every segment still in the ring, as a new file. */
static int
save_pcap(struct plain *pl)
{
	struct capture *cap = lab_capture(pl->lab);
	const char *path = pl->app->pcap_path;
	char safe[PATH_MAX], *cause = NULL;
	long n;

	util_escape(path, strlen(path), safe, sizeof safe);
	if (cap == NULL) {
		fprintf(stderr, _("%s: no packets saved to %s: the lab had no "
		    "private network\n"), PACKAGE, safe);
		return -1;
	}
	capture_pump(cap, CAPTURE_KERNEL);
	n = capture_save(cap, 1, capture_next(cap), path, &cause);
	if (n < 0) {
		fprintf(stderr, _("%s: cannot save the packets to %s: %s\n"),
		    PACKAGE, safe, cause);
		free(cause);
		return -1;
	}
	say(ngettext("Saved %1$ld packet to %2$s.",
	    "Saved %1$ld packets to %2$s.", (unsigned long)n), n, safe);
	return 0;
}

/* Waits for Enter; false at end of input. */
static bool
wait_enter(struct plain *pl, const char *prompt)
{
	char line[8];

	if (pl->in.eof && pl->in.len == 0)
		return false;
	putln(prompt);
	fflush(stdout);
	return read_line(pl, line, sizeof line);
}

int
plain_run(const struct app *app)
{
	struct plain pl;
	char *cause = NULL;
	size_t li, si;
	int rc = 0;

	if (app->sandbox) {
		putln(_("The sandbox is not available in plain mode yet. "
		    "Choose a lesson from --list, for example --lesson=1."));
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
	}
	memset(&pl, 0, sizeof pl);
	pl.app = app;
	/* The first step says its network too, whichever it is. */
	pl.world_news = true;
	pl.wait_ms = wait_ms_from_env();
	pl.lab = lab_new(&app->lab, &cause);
	if (pl.lab == NULL) {
		fprintf(stderr, "%s: %s\n", PACKAGE, cause);
		free(cause);
		return 1;
	}
	if (app->listen_given && util_addr_is_loopback(app->lab.listen_addr))
		say(_("Listening on %s, as asked: a loopback address, so only "
		    "programs on this computer can reach the bartender."),
		    app->lab.listen_addr);
	else if (app->listen_given)
		say(_("Listening on %s, as asked: people on the network "
		    "can reach the bartender."), app->lab.listen_addr);
	if (app->netns_cause != NULL)
		/* TRANSLATORS: %s is a failed call, never translated, such
		 * as "unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM". */
		say(_("No private network for the lab (%s): every lesson "
		    "runs on this computer's loopback, and no packets are "
		    "shown."), app->netns_cause);

	for (li = app->start; li < app->nlessons; li++) {
		const struct lesson *l = app->lessons[li];

		if (li > app->start) {
			char *p = xasprintf(_("Press Enter for the next "
			    "lesson, %1$zu: %2$s."), li + 1,
			    narrate_lesson(l->title.msgid));
			bool more = wait_enter(&pl, p);

			free(p);
			if (!more || pl.quit)
				break;
			/* Each lesson sets up its own bar. */
			lab_reset(pl.lab);
			drain(&pl, false);
			pl.nheld = 0;
		}
		for (si = 0; si < l->nsteps; si++) {
			/* At the end of input the lesson runs through. */
			if (si > 0)
				wait_enter(&pl, _("Press Enter for the next "
				    "step, or q and Enter to quit."));
			if (pl.quit)
				goto out;
			if (!run_step(&pl, l, li, si)) {
				rc = 1;
				goto out;
			}
			if (pl.quit)
				goto out;
		}
		say(_("End of lesson %zu."), li + 1);
		fflush(stdout);
	}
out:
	if (app->pcap_path != NULL && save_pcap(&pl) == -1)
		rc = 1;
	lab_free(pl.lab);
	free(pl.held);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	return rc;
}

/* plain.c - plain mode: the lessons and the live lab as plain lines, for
 * screen readers, pipes, logs and dumb terminals.
 *
 * Each step prints a header, its text wrapped at 78 columns, its code, the
 * calls the lab really made with one sentence each, and the sockets as the
 * kernel reports them; then Enter on stdin goes on.  Nothing here moves
 * the cursor or sets a colour, and every byte that leaves goes through
 * pio_put(), which turns control characters (from a translation, a lesson or a
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "i18n.h"
#include "exercise.h"
#include "narrate.h"
#include "narrate_step.h"
#include "plain.h"
#include "plain_io.h"
#include "tutor.h"
#include "util.h"
#include "world.h"

#define WAIT_MS_DEFAULT 5000
#define SETTLE_MS 10000		/* a step that never settles is a bug */
#define GRACE_MS 300		/* for a waiting call about to return */
#define STABLE_MS 60		/* sockets unchanged this long have settled */
#define STABLE_TRIES 8

struct plain {
	const struct app *app;
	struct lab *lab;
	struct pio_input in;
	unsigned wait_ms;
	enum lab_call blocked;	/* the call waiting for somebody */
	bool step_blocked;	/* a call of this step began to wait */
	bool quit;		/* the learner typed q */
	struct lab_event *held;	/* a step's events, until its text is out */
	size_t nheld, capheld;
	bool world_news;	/* the step's world is new: say which */
	uint64_t wire_from;	/* the first segment not printed yet */
	bool told_title_bar;	/* the header was said to be one */
	bool have_ex;		/* the step has an exercise: ex */
	struct exercise ex;
};

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
		/* The lab's own actions (serve, crowd) are no calls. */
		if (lab_call_is_action(ev->call))
			snprintf(call, sizeof call, "%s", _("[the lab]"));
		else
			lab_format_call(ev, call, sizeof call);
		pio_put("  ");
		pio_putln(call);
	}
	narrate_event(ev, say, sizeof say);
	pio_wrap(say, "    ", "    ");
}

/* The bartender's address as "127.0.0.1:5050", or "" when unbound. */
static void
bar_addr(struct plain *pl, char *buf, size_t len)
{
	struct lab_addr a;

	buf[0] = '\0';
	if (lab_server_addr(pl->lab, &a))
		lab_format_addr(&a, buf, len);
}

/* The step's exercise in the screen's words: whole (what it asks, where
 * it stands, the hint), or only where it stands now. */
static void
print_exercise(struct plain *pl, bool whole)
{
	struct narrate_lines N = { 0 };
	char addr[INET6_ADDRSTRLEN + 8];

	bar_addr(pl, addr, sizeof addr);
	if (whole)
		narrate_exercise_lines(&N, &pl->ex, addr, true);
	else
		narrate_exercise_state(&N, &pl->ex, addr);
	pio_print_narrated(&N);
	narrate_lines_free(&N);
	/* The screen's c key is a line here. */
	if (whole && pl->ex.kind == EXERCISE_OWN_SERVER)
		pio_wrap(_("Here: type c and press Enter at the prompt."), "  ",
		    "  ");
	fflush(stdout);
}

/* The step's exercise takes in one event; true when it moved on. */
static bool
exercise_moved(struct plain *pl, const struct lab_event *ev)
{
	return pl->have_ex && tutor_exercise_event(&pl->ex, ev, NULL);
}

/* Sets up the step's exercise (none when the step has none). */
static void
exercise_start(struct plain *pl, const struct lesson_step *step)
{
	pl->have_ex = tutor_exercise_start(&pl->ex, step, NULL);
}

/* "c" at a prompt: the lab's customer visits the learner's server. */
static void
own_server_try(struct plain *pl)
{
	struct lab_cmd cmds[4];
	size_t n, i;

	n = exercise_try(&pl->ex, pl->ex.port, cmds, 4);
	for (i = 0; i < n; i++)
		lab_post(pl->lab, &cmds[i], false);
	print_exercise(pl, false);
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
			if (print)
				print_event(&ev[i]);
			if (exercise_moved(pl, &ev[i]) && print)
				print_exercise(pl, false);
			if (print)
				continue;
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
		pio_input_fill(&pl->in, 0);
	return true;
}

/* True for a line that asks to quit: q (or Q), blanks around it. */
static bool
is_quit(const char *line)
{
	line = pio_skip_blanks(line);
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
	while (!pio_input_ready(&pl->in) && !pl->in.eof) {
		struct pollfd pfd[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = lab_wake_fd(pl->lab), .events = POLLIN },
		};

		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents != 0)
			pio_input_fill(&pl->in, 0);
		if (pfd[1].revents != 0) {
			drain(pl, true);
			fflush(stdout);
		}
	}
	if (!pio_input_line(&pl->in, out, outlen))
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

	pl->nheld = 0;
	pl->step_blocked = false;
	tutor_post_step(pl->lab, step, false);
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

	pio_putln(_("What happens now, for real:"));
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
		pio_wrap(line, "", "");
		free(line);
		line = xasprintf("nc %s %u", a.host, (unsigned)a.port);
		pio_wrap(line, "    ", "    ");
		free(line);
	} else {
		/* TRANSLATORS: %2$s is a call name such as recv. */
		line = xasprintf(_("Waiting up to %1$u s for %2$s() to "
		    "return."), secs, lab_call_name(pl->blocked));
		pio_wrap(line, "", "");
		free(line);
	}
	if (!pl->in.eof)
		pio_putln(_("Press Enter to go on without waiting."));
	fflush(stdout);
	deadline = util_now_us() + (uint64_t)pl->wait_ms * 1000;
	while (lab_waiting(pl->lab) && !pio_input_ready(&pl->in) &&
	    wait_wake(pl, deadline, true)) {
		drain(pl, true);
		fflush(stdout);
	}
	drain(pl, true);
	if (!lab_waiting(pl->lab))
		return;
	if (pio_input_ready(&pl->in))
		pio_say("%s", _("Going on; the call keeps waiting."));
	else if (pl->blocked == LAB_CALL_ACCEPT)
		pio_say("%s", _("No customer came in time; going on. The call "
		    "keeps waiting."));
	else
		pio_say("%s", _("Nothing came in time; going on. The call keeps "
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
	pio_putln(_("Sockets now:"));
	if (snap->n == 0) {
		pio_put("  ");
		pio_putln(_("(none)"));
	}
	for (i = 0; i < snap->n; i++) {
		const struct lab_sock *s = &snap->socks[i];

		narrate_sock(s, line, sizeof line);
		pio_put("  ");
		pio_put(line);
		pio_put(" - ");
		pio_putln(narrate_sock_role(s));
		if (s->role == LAB_ROLE_GUEST)
			shown++;
	}
	if (snap->guests > shown) {
		pio_put("  ");
		pio_say(P_("... and %u more customer from other programs.",
		    "... and %u more customers from other programs.",
		    snap->guests - shown), snap->guests - shown);
	}
	free(snap);
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
	pio_put(line);
	free(line);
	printf(" [%s]", i18n_code());
	if (lab_server_addr(pl->lab, &a)) {
		lab_format_addr(&a, addr, sizeof addr);
		/* TRANSLATORS: the bartender's address and port, e.g.
		 * "bartender at 127.0.0.1:5050". */
		pio_put(" ");
		line = xasprintf(_("bartender at %s"), addr);
		pio_put(line);
		free(line);
	}
	putchar('\n');
}

/* A port typed at an "@input port" step: its range, its service name and
 * the ports this system hands out by itself, in the curses UI's words. */
static void
explain_port(unsigned port)
{
	struct narrate_lines N = { 0 };
	char text[16];

	snprintf(text, sizeof text, "%u", port);
	narrate_port_lines(&N, text);
	pio_print_narrated(&N);
	narrate_lines_free(&N);
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
		pio_wrap(narrate_lesson(step->input.prompt.msgid), "", "");
	fflush(stdout);
	for (;;) {
		if (!read_line(pl, line, sizeof line)) {
			if (pl->quit)
				return;
			/* Nobody is typing: show the bartender's port. */
			v = lab_server_addr(pl->lab, &a) ? a.port :
			    pl->app->lab.port;
			pio_say(_("(no input: here is port %lu)"), v);
			break;
		}
		if (pio_parse_uint(line, 65535, &v))
			break;
		if (*pio_skip_blanks(line) == '\0')
			return;
		pio_putln(_("That is not a port number: type a number from 0 to "
		    "65535, or just Enter to skip."));
		fflush(stdout);
	}
	explain_port((unsigned)v);
	putchar('\n');
}

/* The feedback on choice i (0-based), in the screen's words. */
static void
print_choice_feedback(const struct lesson_question *q, size_t i)
{
	struct narrate_lines N = { 0 };
	size_t k;

	narrate_question_lines(&N, q, (int)i);
	for (k = 0; k < N.n; k++)
		if (N.v[k].part == NARRATE_FEEDBACK)
			pio_wrap(N.v[k].text, "  ", "  ");
	narrate_lines_free(&N);
}

/* One answer judged; true when it was the right one. */
static bool
judge(const struct lesson_question *q, const char *line)
{
	struct narrate_lines N = { 0 };
	enum tutor_typed t = tutor_judge(q, line);

	narrate_typed_lines(&N, q, t, line);
	pio_print_narrated(&N);
	narrate_lines_free(&N);
	return t == TUTOR_TYPED_RIGHT;
}

/* The question, as the screen words it.  A wrong answer gets its
 * feedback and another try; just Enter (or the end of input) shows the
 * right answer. */
static void
run_question(struct plain *pl, const struct lesson_step *step)
{
	const struct lesson_question *q = step->question;
	struct narrate_lines N = { 0 };
	char line[128];
	unsigned long v;

	if (q == NULL)
		return;
	narrate_question_lines(&N, q, -1);
	pio_print_narrated(&N);
	narrate_lines_free(&N);
	if (q->nchoices > 0)
		pio_say(_("Type the number of your answer and press Enter (just "
		    "Enter to see the answer):"));
	else
		pio_say(_("Type your answer and press Enter (just Enter to see "
		    "the answer):"));
	fflush(stdout);
	while (read_line(pl, line, sizeof line) &&
	    *pio_skip_blanks(line) != '\0') {
		if (q->nchoices > 0 &&
		    (!pio_parse_uint(line, q->nchoices, &v) || v == 0)) {
			pio_say(_("Please type a number from 1 to %zu."),
			    q->nchoices);
		} else if (q->nchoices > 0) {
			print_choice_feedback(q, v - 1);
			if (q->choices[v - 1].right) {
				putchar('\n');
				return;
			}
			pio_say("%s", _("Not this one: try another number, or just "
			    "Enter to see the answer."));
		} else if (judge(q, pio_skip_blanks(line))) {
			putchar('\n');
			return;
		} else {
			pio_say("%s", _("Try again, or just Enter to see the "
			    "answer."));
		}
		fflush(stdout);
	}
	if (pl->quit)
		return;
	narrate_right_answer(&N, q);
	pio_print_narrated(&N);
	narrate_lines_free(&N);
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

	if (w == lab_world(pl->lab))
		return;
	pl->world_news = true;
	lab_reset(pl->lab);
	lab_set_world(pl->lab, w);
	tutor_redo(pl->lab, l, si);
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
		pio_say("%s", _("Network: the lab's own. Only the lab is there, "
		    "and every packet it sends is shown."));
	else
		pio_say("%s", _("Network: this computer's loopback, where other "
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
	pio_putln(_("On the wire:"));
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
		pio_putln(line);
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
	exercise_start(pl, step);
	post_calls(pl, step);
	lab_bar_where(pl->lab, &a);
	narrate_set_bar(&a);
	print_header(pl, l, li, si);
	if (!pl->told_title_bar) {
		/* The lessons are written for the screen's title bar. */
		pio_say("%s", _("The lessons speak of a title bar: here it is "
		    "the line that opens each step with ==, which says where "
		    "the bartender is."));
		pl->told_title_bar = true;
	}
	putchar('\n');
	say_world(pl);
	pio_print_text(step);
	pio_print_code(step, pl->app->lab.backlog);
	if (step->nactions > 0) {
		show_calls(pl);
		putchar('\n');
		print_sockets(pl);
		putchar('\n');
	}
	print_wire(pl);
	if (pl->have_ex) {
		print_exercise(pl, true);
		putchar('\n');
	}
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
	pio_say(ngettext("Saved %1$ld packet to %2$s.",
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
	pio_putln(prompt);
	fflush(stdout);
	for (;;) {
		if (!read_line(pl, line, sizeof line))
			return false;
		if (!pl->have_ex || pl->ex.kind != EXERCISE_OWN_SERVER ||
		    strcmp(pio_skip_blanks(line), "c") != 0)
			return true;
		own_server_try(pl);
	}
}

/* The course from --lesson on, step by step, each step and each lesson
 * after an Enter (at the end of input, they run through); 1 when a step
 * could not run, else 0. */
static int
run_course(struct plain *pl)
{
	const struct app *app = pl->app;
	size_t li = app->start, si = 0, done;
	enum tutor_next next;
	char *p;

	for (;;) {
		if (!run_step(pl, app->lessons[li], li, si))
			return 1;
		if (pl->quit)
			return 0;
		done = li;
		next = tutor_next(app->lessons, app->nlessons, &li, &si);
		if (next == TUTOR_NEXT_STEP) {
			wait_enter(pl, _("Press Enter for the next step, or q "
			    "and Enter to quit."));
			if (pl->quit)
				return 0;
			continue;
		}
		pio_say(_("End of lesson %zu."), done + 1);
		fflush(stdout);
		if (next == TUTOR_NEXT_END)
			return 0;
		p = xasprintf(_("Press Enter for the next lesson, %1$zu: "
		    "%2$s."), li + 1,
		    narrate_lesson(app->lessons[li]->title.msgid));
		if (!wait_enter(pl, p) || pl->quit) {
			free(p);
			return 0;
		}
		free(p);
		/* Each lesson sets up its own bar. */
		lab_reset(pl->lab);
		drain(pl, false);
		pl->nheld = 0;
	}
}

int
plain_run(const struct app *app)
{
	struct plain pl;
	char *cause = NULL;
	int rc;

	if (app->sandbox) {
		pio_putln(_("The sandbox is not available in plain mode yet. "
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
		pio_say(_("Listening on %s, as asked: a loopback address, so only "
		    "programs on this computer can reach the bartender."),
		    app->lab.listen_addr);
	else if (app->listen_given)
		pio_say(_("Listening on %s, as asked: people on the network "
		    "can reach the bartender."), app->lab.listen_addr);
	if (app->netns_cause != NULL)
		/* TRANSLATORS: %s is a failed call, never translated, such
		 * as "unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM". */
		pio_say(_("No private network for the lab (%s): every lesson "
		    "runs on this computer's loopback, and no packets are "
		    "shown."), app->netns_cause);

	rc = run_course(&pl);
	if (app->pcap_path != NULL && save_pcap(&pl) == -1)
		rc = 1;
	lab_free(pl.lab);
	free(pl.held);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	return rc;
}

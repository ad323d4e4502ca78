/* narrate_step.c - the words of a step's blocks (the port explanation,
 * the question, the exercise, the code as shown), written once for plain
 * mode and the curses screens alike.  See narrate_step.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "narrate.h"
#include "narrate_step.h"
#include "util.h"

void
narrate_lines_free(struct narrate_lines *L)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		free(L->v[i].text);
	free(L->v);
	L->v = NULL;
	L->n = L->cap = 0;
}

static void
add(struct narrate_lines *L, enum narrate_part part, enum narrate_look look,
    const char *prefix, const char *text)
{
	struct narrate_line *l;

	if (L->n == L->cap) {
		L->cap = L->cap == 0 ? 8 : L->cap * 2;
		L->v = xreallocarray(L->v, L->cap, sizeof *L->v);
	}
	l = &L->v[L->n++];
	l->part = part;
	l->look = look;
	snprintf(l->prefix, sizeof l->prefix, "%s", prefix != NULL ? prefix :
	    "");
	l->text = xstrdup(text);
}

static void __attribute__((format(printf, 4, 5)))
addf(struct narrate_lines *L, enum narrate_part part, enum narrate_look look,
    const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	add(L, part, look, NULL, s != NULL ? s : "");
	free(s);
}

/* The port number in text, or -1 when it is not one (0 to 65535). */
static long
port_value(const char *text)
{
	long v;

	return util_parse_num(text, (size_t)-1, 0, 65535, &v) == -1 ? -1 : v;
}

static void
not_a_port(struct narrate_lines *L, const char *text)
{
	addf(L, NARRATE_FEEDBACK, NARRATE_BAD, _("\"%s\" is not a port: a "
	    "port is a number from 0 to 65535."), text);
}

void
narrate_port_lines(struct narrate_lines *L, const char *text)
{
	char svc[64];
	const char *range;
	unsigned lo, hi;
	long v = port_value(text);

	if (v < 0) {
		not_a_port(L, text);
		return;
	}
	range = narrate_port((unsigned)v, svc, sizeof svc);
	addf(L, NARRATE_FEEDBACK, NARRATE_GOOD, _("Port %ld. Range: %s."), v,
	    range);
	if (svc[0] != '\0')
		addf(L, NARRATE_FEEDBACK, NARRATE_NORMAL, _("This system knows "
		    "it as the service \"%s\"."), svc);
	else
		add(L, NARRATE_FEEDBACK, NARRATE_NORMAL, NULL, _("This system "
		    "knows no service name for it."));
	if (narrate_ephemeral(&lo, &hi) != 0)
		return;
	if ((unsigned long)v >= lo && (unsigned long)v <= hi)
		addf(L, NARRATE_FEEDBACK, NARRATE_NORMAL, _("It lies in this "
		    "machine's temporary range, %u to %u: the kernel hands "
		    "these ports to clients, such as the lab's customer."),
		    lo, hi);
	else
		addf(L, NARRATE_FEEDBACK, NARRATE_NORMAL, _("This machine "
		    "gives clients temporary (ephemeral) ports from %u to "
		    "%u."), lo, hi);
}

void
narrate_question_lines(struct narrate_lines *L,
    const struct lesson_question *q, int chosen)
{
	char pre[32];
	size_t i;

	add(L, NARRATE_HEAD, NARRATE_NORMAL, "? ",
	    narrate_lesson(q->prompt.msgid));
	for (i = 0; i < q->nchoices; i++) {
		const struct lesson_choice *c = &q->choices[i];
		bool picked = chosen == (int)i;
		enum narrate_look look = !picked ? NARRATE_NORMAL :
		    c->right ? NARRATE_GOOD : NARRATE_BAD;

		snprintf(pre, sizeof pre, "%s%zu) ", picked ? ">" : " ", i + 1);
		add(L, NARRATE_CHOICE, look, pre,
		    narrate_lesson(c->text.msgid));
		if (picked && c->feedback.msgid != NULL)
			add(L, NARRATE_FEEDBACK, look, NULL,
			    narrate_lesson(c->feedback.msgid));
	}
}

void
narrate_typed_lines(struct narrate_lines *L, const struct lesson_question *q,
    enum tutor_typed typed, const char *text)
{
	switch (typed) {
	case TUTOR_TYPED_RIGHT:
		if (q->right.msgid != NULL)
			add(L, NARRATE_FEEDBACK, NARRATE_GOOD, NULL,
			    narrate_lesson(q->right.msgid));
		break;
	case TUTOR_TYPED_WRONG:
		if (q->wrong.msgid != NULL)
			add(L, NARRATE_FEEDBACK, NARRATE_BAD, NULL,
			    narrate_lesson(q->wrong.msgid));
		break;
	case TUTOR_TYPED_NOT_A_PORT:
		not_a_port(L, text);
		break;
	case TUTOR_TYPED_NONE:
		break;
	}
}

void
narrate_right_answer(struct narrate_lines *L, const struct lesson_question *q)
{
	size_t i;

	for (i = 0; i < q->nchoices; i++) {
		const struct lesson_choice *c = &q->choices[i];
		char *ans;

		if (!c->right)
			continue;
		ans = xasprintf("%zu) %s", i + 1, narrate_lesson(c->text.msgid));
		addf(L, NARRATE_HEAD, NARRATE_GOOD, _("The right answer: %s"),
		    ans);
		free(ans);
		if (c->feedback.msgid != NULL)
			add(L, NARRATE_FEEDBACK, NARRATE_GOOD, NULL,
			    narrate_lesson(c->feedback.msgid));
		return;
	}
	if (q->nchoices == 0 && q->expect != NULL) {
		addf(L, NARRATE_HEAD, NARRATE_GOOD, _("The right answer: %s"),
		    q->expect);
		if (q->right.msgid != NULL)
			add(L, NARRATE_FEEDBACK, NARRATE_GOOD, NULL,
			    narrate_lesson(q->right.msgid));
	}
}

static void
exercise_ask(struct narrate_lines *L, const struct exercise *ex)
{
	switch (ex->kind) {
	case EXERCISE_ORDER_A_DRINK:
		add(L, NARRATE_HEAD, NARRATE_NORMAL, "! ", _("Exercise: from "
		    "another terminal, connect to the bartender and order a "
		    "drink."));
		break;
	case EXERCISE_CLIENT_SENDS:
		addf(L, NARRATE_HEAD, NARRATE_NORMAL, _("Exercise: write a "
		    "client that sends the order \"%s\" (one line) and prints "
		    "the reply."), ex->text);
		break;
	case EXERCISE_OWN_SERVER:
		addf(L, NARRATE_HEAD, NARRATE_NORMAL, _("Exercise: start your "
		    "own server on port %u, then press c: the lab's customer "
		    "connects to it, orders and waits for one line back."),
		    ex->port);
		break;
	}
	snprintf(L->v[L->n - 1].prefix, sizeof L->v[0].prefix, "! ");
}

static void
exercise_failed(struct narrate_lines *L, const struct exercise *ex)
{
	switch (ex->why) {
	case EXERCISE_WHY_CONNECT:
		addf(L, NARRATE_LINE, NARRATE_BAD, _("Not yet: connect() to "
		    "port %1$u failed with %2$s: %3$s"), ex->port,
		    lab_errno_name(ex->err), narrate_errno(ex->err));
		break;
	case EXERCISE_WHY_ELSEWHERE:
		addf(L, NARRATE_LINE, NARRATE_BAD, _("Not yet: the lab's "
		    "customer connected to another port, not to %u."),
		    ex->port);
		break;
	case EXERCISE_WHY_SEND:
	case EXERCISE_WHY_RECV:
		addf(L, NARRATE_LINE, NARRATE_BAD, _("Not yet: the "
		    "conversation with your server failed with %1$s: %2$s"),
		    lab_errno_name(ex->err), narrate_errno(ex->err));
		break;
	case EXERCISE_WHY_CLOSED:
	case EXERCISE_WHY_NONE:
		add(L, NARRATE_LINE, NARRATE_BAD, NULL, _("Not yet: your "
		    "server closed the connection without answering with a "
		    "line that ends in a newline."));
		break;
	}
}

void
narrate_exercise_state(struct narrate_lines *L, const struct exercise *ex,
    const char *addr)
{
	switch (ex->state) {
	case EXERCISE_DONE:
		if (ex->got[0] == '\0')
			add(L, NARRATE_LINE, NARRATE_GOOD, NULL, _("Done: you "
			    "completed this exercise before."));
		else if (ex->kind == EXERCISE_OWN_SERVER)
			addf(L, NARRATE_LINE, NARRATE_GOOD, _("Done! Your server "
			    "on port %1$u answered \"%2$s\"."), ex->port,
			    ex->got);
		else
			addf(L, NARRATE_LINE, NARRATE_GOOD, _("Done! The "
			    "bartender got your order \"%s\"."), ex->got);
		break;
	case EXERCISE_CHECKING:
		addf(L, NARRATE_LINE, NARRATE_BUSY, _("The lab's customer is "
		    "trying port %u..."), ex->port);
		break;
	case EXERCISE_FAILED:
		exercise_failed(L, ex);
		break;
	case EXERCISE_WAITING:
		if (ex->kind == EXERCISE_CLIENT_SENDS && ex->got[0] != '\0')
			addf(L, NARRATE_LINE, NARRATE_BAD, _("Not yet: the "
			    "order that arrived was \"%1$s\", not \"%2$s\"."),
			    ex->got, ex->text);
		else if (ex->kind != EXERCISE_OWN_SERVER && addr[0] != '\0')
			addf(L, NARRATE_LINE, NARRATE_DIM, _("Not done yet: the "
			    "bartender waits at %s."), addr);
		else if (ex->kind != EXERCISE_OWN_SERVER)
			add(L, NARRATE_LINE, NARRATE_DIM, NULL, _("Not done "
			    "yet."));
		break;
	}
}

static void
exercise_hint(struct narrate_lines *L, const struct exercise *ex,
    const char *addr)
{
	char *line = NULL;

	switch (ex->kind) {
	case EXERCISE_ORDER_A_DRINK: {
		/* nc wants the host and the port as two words. */
		char there[96];
		char *colon;

		snprintf(there, sizeof there, "%s", addr);
		colon = strrchr(there, ':');
		if (colon != NULL && strlen(colon) <= 6)
			*colon = ' ';
		line = xasprintf(_("In another terminal type nc followed by "
		    "the address and the port from the title bar, then an order "
		    "and Enter. Here that is: nc %s"), there);
		break;
	}
	case EXERCISE_CLIENT_SENDS:
		line = xasprintf(_("Your client connects to the address and the "
		    "port in the title bar, sends %s and a newline, then reads "
		    "one line and prints it."), ex->text);
		break;
	case EXERCISE_OWN_SERVER:
		line = xasprintf(_("The quickest server is nc -l 127.0.0.1 %u in "
		    "another terminal: when the order arrives, type an answer "
		    "and press Enter."), ex->port);
		break;
	}
	add(L, NARRATE_HINT, NARRATE_BUSY, _("Hint: "), line);
	free(line);
}

void
narrate_exercise_lines(struct narrate_lines *L, const struct exercise *ex,
    const char *addr, bool hints)
{
	exercise_ask(L, ex);
	narrate_exercise_state(L, ex, addr);
	if (hints)
		exercise_hint(L, ex, addr);
}

/* Tabs to the next multiple of eight columns. */
static char *
expand_tabs(const char *s)
{
	size_t n = 0, col = 0;
	const char *p;
	char *out, *o;

	for (p = s; *p != '\0'; p++)
		n += *p == '\t' ? 8 : 1;
	out = xmalloc(n + 1);
	for (o = out, p = s; *p != '\0'; p++) {
		if (*p == '\t') {
			do
				*o++ = ' ';
			while (++col % 8 != 0);
			continue;
		}
		*o++ = *p;
		col = *p == '\n' ? 0 : col + 1;
	}
	*o = '\0';
	return out;
}

char *
narrate_code_shown(const struct lesson_code *c, int backlog)
{
	/* A shell command has no listen() to rewrite. */
	char *real = strcmp(c->lang, "sh") == 0 ? narrate_fill(c->text) :
	    narrate_real_code(c->text, backlog);
	char *out = expand_tabs(real);

	free(real);
	return out;
}

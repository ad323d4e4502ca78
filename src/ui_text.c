/* ui_text.c - the lesson pane: the step's title and paragraphs wrapped by
 * display width, its hints, its question (choices picked with the number
 * keys, or a typed answer) and its port field.  Everything is looked up
 * with _() while drawing, so a language switch re-words it in place. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "i18n.h"
#include "narrate.h"
#include "narrate_step.h"
#include "ui_priv.h"
#include "util.h"

/* The lesson pane's state: what is scrolled, typed and answered at the
 * step on screen. */
struct ui_text {
	int scroll;		/* first text line shown */
	int ask_scroll;		/* first question line shown */
	int text_max_scroll;	/* set by ui_text_draw: text and question */
	int ask_max_scroll;	/* ... of which the question */
	bool follow;		/* scroll to the end at the next draw */
	bool hints;
	enum ui_field field;
	char buf[UI_FIELD_MAX + 1];
	size_t buflen;
	bool field_nondigit;	/* a number field was offered a non-digit */
	bool port_shown;	/* the port explanation is on screen */
	char port_text[UI_FIELD_MAX + 1];
	struct tutor_answer answer;	/* the answer at this step */
	bool reveal_hints;	/* scroll to the hints at the next draw */
	bool have_ex;		/* the step has a live exercise: ex */
	struct exercise ex;
	unsigned recv_asked;	/* recv() calls made from the recv field */
};

struct ui_text *
ui_text_new(void)
{
	struct ui_text *t = xcalloc(1, sizeof *t);

	tutor_answer_clear(&t->answer);
	return t;
}

void
ui_text_free(struct ui_text *t)
{
	free(t);
}

enum ui_field
ui_text_field(const struct ui *ui)
{
	return ui->text->field;
}

bool
ui_text_overflows(const struct ui *ui)
{
	return ui->text->text_max_scroll > 0;
}

const struct exercise *
ui_text_exercise(const struct ui *ui)
{
	struct ui_text *t = ui->text;

	return t->have_ex ? &t->ex : NULL;
}

int
ui_text_chosen(const struct ui *ui)
{
	return ui->text->answer.chosen;
}

/* Sets up the step's exercise; one finished before shows as done. */
static void
ui_text_exercise_start(struct ui *ui)
{
	struct ui_text *t = ui->text;

	t->have_ex = tutor_exercise_start(&t->ex, ui_cur_step(ui),
	    &ui->prog);
}

void
ui_text_event(struct ui *ui, const struct lab_event *ev)
{
	struct ui_text *t = ui->text;

	/* The moment the bartender starts listening on a classroom
	 * address, the status line says who can reach it. */
	if (ui->app->listen_given && ev->kind == LAB_EV_CALL &&
	    ev->call == LAB_CALL_LISTEN && ev->ret == 0 && !ev->replay &&
	    ui->status == UI_ST_NONE)
		ui->status = UI_ST_LISTEN;
	if (t->have_ex && tutor_exercise_event(&t->ex, ev, &ui->prog) &&
	    t->ex.state == EXERCISE_DONE) {
		ui_save(ui);
		t->follow = true;
	}
}

void
ui_text_enter_step(struct ui *ui)
{
	struct ui_text *t = ui->text;

	t->scroll = 0;
	t->ask_scroll = 0;
	t->hints = false;
	tutor_answer_clear(&t->answer);
	t->field = UI_FIELD_NONE;
	t->buflen = 0;
	t->buf[0] = '\0';
	t->port_shown = false;
	t->port_text[0] = '\0';
	t->reveal_hints = false;
	t->recv_asked = 0;
	ui_text_exercise_start(ui);
}

/* Lines worded by narrate_step.c, laid out for the lesson pane: a
 * choice's feedback under its text, the rest under the field. */
static void
add_narrated(struct ui *ui, struct ui_lines *L, int width,
    const struct narrate_lines *N)
{
	static const enum ui_look looks[] = {
		[NARRATE_NORMAL] = UI_L_NORMAL, [NARRATE_GOOD] = UI_L_GOOD,
		[NARRATE_BAD] = UI_L_BAD, [NARRATE_DIM] = UI_L_DIM,
		[NARRATE_BUSY] = UI_L_KEY
	};
	size_t i;

	for (i = 0; i < N->n; i++) {
		const struct narrate_line *l = &N->v[i];
		attr_t a = l->look == NARRATE_NORMAL ? A_NORMAL :
		    ui_look(ui, looks[l->look]);
		int indent = 2;

		switch (l->part) {
		case NARRATE_HEAD:
			indent = 0;
			if (l->look == NARRATE_NORMAL)
				a = ui_look(ui, UI_L_HEAD);
			break;
		case NARRATE_CHOICE:
			indent = 1;
			break;
		case NARRATE_FEEDBACK:
			if (i > 0 && N->v[i - 1].part == NARRATE_CHOICE)
				indent = 6;
			break;
		case NARRATE_HINT:
			indent = 0;
			break;
		case NARRATE_LINE:
			break;
		}
		ui_lines_add(L, l->text, width, indent,
		    l->prefix[0] != '\0' ? l->prefix : NULL, a);
	}
}

/* The port explanation, in the current language. */
static void
port_lines(struct ui *ui, struct ui_lines *L, int width)
{
	struct narrate_lines N = { 0 };

	narrate_port_lines(&N, ui->text->port_text);
	add_narrated(ui, L, width, &N);
	narrate_lines_free(&N);
}

static void
field_line(struct ui *ui, struct ui_lines *L, int width, enum ui_field f)
{
	struct ui_text *t = ui->text;
	char line[200];
	bool on = t->field == f;
	const char *kept = "";

	/* What was typed stays beside its explanation. */
	if (f == UI_FIELD_PORT && t->port_shown)
		kept = t->port_text;
	else if (f == UI_FIELD_ANSWER && t->answer.typed != TUTOR_TYPED_NONE)
		kept = t->answer.text;
	if (on)
		snprintf(line, sizeof line, "[%s_]", t->buf);
	else if (kept[0] != '\0')
		snprintf(line, sizeof line, "[%s]", kept);
	else
		snprintf(line, sizeof line, "[     ]");
	ui_lines_add(L, line, width, 2, NULL, on ? ui_look(ui, UI_L_MARK) :
	    kept[0] != '\0' ? A_BOLD : ui_look(ui, UI_L_DIM));
	if (on && t->field_nondigit)
		ui_lines_add(L, f == UI_FIELD_RECV ? _("Digits only: how many "
		    "bytes to read.") : _("Digits only: a port is a number "
		    "from 0 to 65535."), width, 2, NULL, ui_look(ui, UI_L_BAD));
}

/* The bartender's address as "127.0.0.1:5050", or "" when unbound. */
static void
bar_addr(struct ui *ui, char *buf, size_t len)
{
	struct lab_addr a;

	buf[0] = '\0';
	if (ui->lab != NULL && ui_bar_addr(ui, &a))
		lab_format_addr(&a, buf, len);
}

/* What the exercise asks, where it stands, and a hint on request. */
static void
exercise_lines(struct ui *ui, struct ui_lines *L, int width)
{
	struct ui_text *t = ui->text;
	struct narrate_lines N = { 0 };
	char addr[80];

	bar_addr(ui, addr, sizeof addr);
	ui_lines_blank(L);
	narrate_exercise_lines(&N, &t->ex, addr, t->hints);
	add_narrated(ui, L, width, &N);
	narrate_lines_free(&N);
}

/* The recv() field: what the bartender still has waiting. */
static void
recv_lines(struct ui *ui, struct ui_lines *L, int width)
{
	char line[200];
	size_t i;

	for (i = 0; i < ui->snap.n; i++) {
		const struct lab_sock *s = &ui->snap.socks[i];

		if (s->role != LAB_ROLE_CONN || s->fd < 0)
			continue;
		snprintf(line, sizeof line, _("Waiting in the bartender's "
		    "receive queue: %u bytes."), s->rx_queue);
		ui_lines_add(L, line, width, 2, NULL, ui_look(ui,
		    s->rx_queue > 0 ? UI_L_KEY : UI_L_GOOD));
		return;
	}
	ui_lines_add(L, _("The bartender has no connection to read from."),
	    width, 2, NULL, ui_look(ui, UI_L_DIM));
}

static void
question_lines(struct ui *ui, struct ui_lines *L, int width)
{
	struct ui_text *t = ui->text;
	const struct lesson_question *q = ui_cur_step(ui)->question;
	struct narrate_lines N = { 0 };

	ui_lines_blank(L);
	narrate_question_lines(&N, q, t->answer.chosen);
	add_narrated(ui, L, width, &N);
	narrate_lines_free(&N);
	if (q->input != LESSON_INPUT_NONE) {
		field_line(ui, L, width, UI_FIELD_ANSWER);
		narrate_typed_lines(&N, q, t->answer.typed,
		    t->answer.text);
		add_narrated(ui, L, width, &N);
		narrate_lines_free(&N);
	}
	if (t->answer.chosen < 0 && t->answer.typed == TUTOR_TYPED_NONE &&
	    tutor_answered(&ui->prog, ui_lesson(ui), ui->step))
		ui_lines_add(L, _("(You answered this question before.)"),
		    width, 2, NULL, ui_look(ui, UI_L_DIM));
}

bool
ui_text_course_end(const struct ui *ui)
{
	return !ui->in_sandbox && ui->lesson + 1 == ui->app->nlessons &&
	    ui->step + 1 == ui_lesson(ui)->nsteps;
}

/* The text: the step's title, paragraphs, hints and input field.
 * Sets *hint_at to the first hint line. */
static void
text_build(struct ui *ui, struct ui_lines *L, int width, int *hint_at)
{
	struct ui_text *t = ui->text;
	const struct lesson_step *s = ui_cur_step(ui);
	size_t i;

	ui_lines_add(L, narrate_lesson(s->title.msgid), width, 0, NULL,
	    ui_look(ui, UI_L_HEAD));
	for (i = 0; i < s->nblocks; i++) {
		const struct lesson_block *b = &s->blocks[i];

		if (b->kind == LESSON_ITEM) {
			ui_lines_add(L, narrate_lesson(b->text.msgid), width, 1, "\u2022 ",
			    A_NORMAL);
		} else {
			ui_lines_blank(L);
			ui_lines_add(L, narrate_lesson(b->text.msgid), width, 0, NULL,
			    A_NORMAL);
		}
	}
	*hint_at = (int)L->n;
	if (t->hints) {
		for (i = 0; i < s->nhints; i++) {
			ui_lines_blank(L);
			ui_lines_add(L, narrate_lesson(s->hints[i].msgid), width, 0,
			    _("Hint: "), ui_look(ui, UI_L_KEY));
		}
	}
	if (s->input.kind != LESSON_INPUT_NONE) {
		ui_lines_blank(L);
		ui_lines_add(L, narrate_lesson(s->input.prompt.msgid), width, 0, NULL,
		    ui_look(ui, UI_L_HEAD));
		if (s->input.kind == LESSON_INPUT_RECV) {
			field_line(ui, L, width, UI_FIELD_RECV);
			recv_lines(ui, L, width);
		} else {
			field_line(ui, L, width, UI_FIELD_PORT);
			if (t->port_shown)
				port_lines(ui, L, width);
		}
	}
}

/* The question and the exercise, pinned under the text so that they
 * are on screen when the step opens; at the course's last step, what
 * comes next.  Sets *min to the lines up to the
 * first choice (or the exercise's first line). */
static void
ask_build(struct ui *ui, struct ui_lines *L, int width, int *min)
{
	struct ui_text *t = ui->text;
	const struct lesson_step *s = ui_cur_step(ui);
	size_t i;

	*min = 0;
	if (ui_text_course_end(ui)) {
		ui_lines_blank(L);
		ui_lines_add(L, _("The end of the course"), width, 0, NULL,
		    ui_look(ui, UI_L_HEAD));
		ui_lines_add(L, _("You have met every call a TCP or UDP program "
		    "makes, and watched the kernel answer each one. What comes "
		    "next: make the calls yourself, in any order, in the "
		    "sandbox (g, then the last entry of the menu); write a "
		    "small chat server with poll(); and keep the manual pages "
		    "socket(7), tcp(7), ip(7) and udp(7) at hand."), width, 0,
		    NULL, A_NORMAL);
		*min = (int)L->n;
	}
	if (s->question != NULL) {
		question_lines(ui, L, width);
		/* The blank line, the prompt and the first choice. */
		{
			struct ui_lines Q = { 0 };
			const struct lesson_question *q = s->question;

			ui_lines_blank(&Q);
			ui_lines_add(&Q, narrate_lesson(q->prompt.msgid), width, 0, "? ",
			    A_NORMAL);
			if (q->nchoices > 0)
				ui_lines_add(&Q, narrate_lesson(q->choices[0].text.msgid),
				    width, 1, " 1) ", A_NORMAL);
			else
				field_line(ui, &Q, width, UI_FIELD_ANSWER);
			*min += (int)Q.n;
			ui_lines_free(&Q);
		}
	}
	if (t->have_ex) {
		if (t->field == UI_FIELD_SERVER) {
			ui_lines_add(L, _("Your server's port:"), width, 0,
			    NULL, ui_look(ui, UI_L_HEAD));
			field_line(ui, L, width, UI_FIELD_SERVER);
		}
		i = L->n;
		exercise_lines(ui, L, width);
		if (*min == 0 || (size_t)*min == i) {
			/* The blank line and the exercise's own lines. */
			attr_t head = ui_look(ui, UI_L_HEAD);

			*min = (int)(i + 1);
			while ((size_t)*min < L->n && L->v[*min].attr == head)
				(*min)++;
		}
	}
	if (*min > (int)L->n)
		*min = (int)L->n;
}

void
ui_text_measure(struct ui *ui, int width, int *text, int *ask, int *ask_min)
{
	struct ui_lines T = { 0 }, A = { 0 };
	int hint_at;

	text_build(ui, &T, width - 2, &hint_at);
	ask_build(ui, &A, width - 2, ask_min);
	*text = (int)T.n;
	*ask = (int)A.n;
	ui_lines_free(&T);
	ui_lines_free(&A);
}

void
ui_text_scroll(struct ui *ui, int delta)
{
	struct ui_text *t = ui->text;
	int tmax = t->text_max_scroll - t->ask_max_scroll;

	if (delta > 0 && t->scroll < tmax)
		t->scroll = t->scroll + delta < tmax ? t->scroll + delta :
		    tmax;
	else if (delta > 0 || t->ask_scroll > 0)
		t->ask_scroll += delta;
	else
		t->scroll += delta;
	if (t->scroll < 0)
		t->scroll = 0;
	if (t->ask_scroll < 0)
		t->ask_scroll = 0;
	if (t->ask_scroll > t->ask_max_scroll)
		t->ask_scroll = t->ask_max_scroll;
}

/* Move the lines of from to the end of to; from is left empty. */
static void
lines_move(struct ui_lines *to, struct ui_lines *from)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		if (to->n == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->v = xreallocarray(to->v, to->cap, sizeof *to->v);
		}
		to->v[to->n++] = from->v[i];
	}
	from->n = 0;
}

/* Draw lines of L from *first in h rows at y, clamping *first; the
 * arrows at the right say there is more above or below. */
static void
draw_part(struct ui *ui, WINDOW *w, int y, int h, int width,
    const struct ui_lines *L, int *first)
{
	int max = (int)L->n > h ? (int)L->n - h : 0;

	if (h <= 0)
		return;
	if (*first > max)
		*first = max;
	if (*first < 0)
		*first = 0;
	ui_lines_draw(w, y, 1, h, width, L, *first);
	if (*first > 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		mvwaddstr(w, y, getmaxx(w) - 1, "^");
	}
	if (*first < max) {
		wattrset(w, ui_look(ui, UI_L_KEY));
		mvwaddstr(w, y + h - 1, getmaxx(w) - 1, "v");
	}
	wattrset(w, A_NORMAL);
}

void
ui_text_draw(struct ui *ui, WINDOW *w)
{
	struct ui_text *t = ui->text;
	struct ui_lines T = { 0 }, A = { 0 };
	int h = getmaxy(w), width = getmaxx(w) - 2, hint_at, hint_end;
	int ask_min, th, ah, tmax, amax;

	werase(w);
	text_build(ui, &T, width, &hint_at);
	ask_build(ui, &A, width, &ask_min);
	hint_end = (int)T.n;
	/* The question gets the rows the layout gave it, the text the
	 * rest; without a layout (the sandbox), all scrolls as one. */
	ah = ui->lay_made && A.n > 0 ? ui->lay.ask : 0;
	if (ah > (int)A.n)
		ah = (int)A.n;
	if (ah > h)
		ah = h;
	th = h - ah;
	if (ah == 0)
		lines_move(&T, &A);
	tmax = (int)T.n > th ? (int)T.n - th : 0;
	amax = (int)A.n > ah ? (int)A.n - ah : 0;
	t->text_max_scroll = tmax + amax;
	t->ask_max_scroll = amax;

	/* An open field stays in view: the port field at the end of the
	 * text, the others at the end of the question. */
	if (t->field == UI_FIELD_PORT || t->field == UI_FIELD_RECV)
		t->scroll = tmax;
	else if (t->field != UI_FIELD_NONE || t->follow)
		t->ask_scroll = amax;
	if (t->follow && ah == 0)
		t->scroll = tmax;
	t->follow = false;
	/* Hints just asked for come into view, from their first line. */
	if (t->reveal_hints && t->hints && hint_end > hint_at &&
	    (hint_at < t->scroll || hint_end > t->scroll + th))
		t->scroll = hint_end - hint_at <= th ? hint_end - th : hint_at;
	else if (t->reveal_hints && t->hints)
		t->ask_scroll = amax;
	t->reveal_hints = false;
	/* The text ends where it ends: the question follows it at once
	 * when the text is shorter than its rows. */
	if ((int)T.n < th)
		th = (int)T.n;
	draw_part(ui, w, 0, th, width, &T, &t->scroll);
	draw_part(ui, w, th, ah, width, &A, &t->ask_scroll);
	ui_lines_free(&T);
	ui_lines_free(&A);
}

static void
mark_answered(struct ui *ui)
{
	tutor_mark_answered(&ui->prog, ui_lesson(ui), ui->step);
	ui_save(ui);
}

/* The bartender calls recv() with the size typed, at once. */
static void
recv_now(struct ui *ui)
{
	struct ui_text *t = ui->text;
	struct lab_cmd cmd;
	char text[64], *cause = NULL;
	long v;

	if (ui->lab == NULL ||
	    util_parse_num(t->buf, (size_t)-1, 1, 65536, &v) == -1)
		return;
	snprintf(text, sizeof text, "server recv %ld", v);
	if (lab_cmd_parse(text, &cmd, &cause) == -1) {
		free(cause);
		return;
	}
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	t->recv_asked++;
	ui_lab_post(ui, &cmd, false);
}

/* The lab's customer visits the learner's server on the port typed.  A
 * try still waiting for an answer is abandoned by re-running the step,
 * which gives the customer a fresh start. */
static void
own_server_try(struct ui *ui)
{
	struct ui_text *t = ui->text;
	struct lab_cmd cmds[4];
	long v;
	size_t n, i;

	if (ui->lab == NULL ||
	    util_parse_num(t->buf, (size_t)-1, 1, 65535, &v) == -1)
		return;
	if (t->ex.state == EXERCISE_CHECKING || lab_waiting(ui->lab)) {
		enum exercise_state st = t->ex.state;

		ui_goto(ui, ui->lesson, ui->step);
		if (st == EXERCISE_DONE)
			t->ex.state = st;
	}
	n = exercise_try(&t->ex, (unsigned)v, cmds, 4);
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	for (i = 0; i < n; i++)
		ui_lab_post(ui, &cmds[i], false);
}

static void
field_enter(struct ui *ui)
{
	struct ui_text *t = ui->text;
	const struct lesson_question *q = ui_cur_step(ui)->question;

	if (t->field == UI_FIELD_RECV) {
		/* The field stays open: each size is one more recv(). */
		recv_now(ui);
		t->buflen = 0;
		t->buf[0] = '\0';
		t->follow = true;
		return;
	}
	if (t->field == UI_FIELD_SERVER) {
		t->field = UI_FIELD_NONE;
		own_server_try(ui);
		t->follow = true;
		return;
	}
	if (t->buf[0] == '\0') {
		/* Enter on an empty field: nothing to explain or judge. */
	} else if (t->field == UI_FIELD_PORT) {
		snprintf(t->port_text, sizeof t->port_text, "%s", t->buf);
		t->port_shown = true;
	} else if (q != NULL) {
		if (tutor_answer_type(&t->answer, q, t->buf))
			mark_answered(ui);
	}
	t->field = UI_FIELD_NONE;
	t->follow = true;
}

static bool
field_key(struct ui *ui, int key)
{
	struct ui_text *t = ui->text;

	if (key == KC_ESC) {
		t->field = UI_FIELD_NONE;
		return true;
	}
	if (key == KC_ENTER) {
		field_enter(ui);
		return true;
	}
	if (key == KC_BACKSPACE) {
		if (t->buflen > 0)
			t->buf[--t->buflen] = '\0';
		return true;
	}
	if (key >= KC_NAMED || t->buflen >= UI_FIELD_MAX)
		return true;
	/* A number field takes digits only, and says so when something
	 * else is typed; an answer takes printable ASCII (the expected
	 * answers are numbers and names). */
	if (t->field == UI_FIELD_ANSWER ? (key > ' ' && key < 0x7f) :
	    (key >= '0' && key <= '9')) {
		t->buf[t->buflen++] = (char)key;
		t->buf[t->buflen] = '\0';
	} else if (t->field != UI_FIELD_ANSWER) {
		t->field_nondigit = true;
	}
	return true;
}

static void
focus(struct ui *ui, enum ui_field f)
{
	struct ui_text *t = ui->text;

	t->field = f;
	t->field_nondigit = false;
	t->buflen = 0;
	t->buf[0] = '\0';
	/* A new answer begins: the last one's feedback goes. */
	if (f == UI_FIELD_ANSWER)
		t->answer.typed = TUTOR_TYPED_NONE;
}

bool
ui_text_key(struct ui *ui, enum key_action act, int key)
{
	struct ui_text *t = ui->text;
	const struct lesson_step *s = ui_cur_step(ui);
	const struct lesson_question *q = s->question;
	enum ui_field input_field = s->input.kind == LESSON_INPUT_RECV ?
	    UI_FIELD_RECV : UI_FIELD_PORT;
	bool has_input = s->input.kind != LESSON_INPUT_NONE;
	bool asks = q != NULL && q->input != LESSON_INPUT_NONE;

	if (t->field != UI_FIELD_NONE)
		return field_key(ui, key);
	switch (act) {
	case KA_CHECK:
		if (!t->have_ex || t->ex.kind != EXERCISE_OWN_SERVER)
			return false;
		focus(ui, UI_FIELD_SERVER);
		t->buflen = (size_t)snprintf(t->buf, sizeof t->buf, "%u",
		    t->ex.port);
		return true;
	case KA_DIGIT:
		if (key >= '1' && tutor_answer_choose(&t->answer, q,
		    (size_t)(key - '1'))) {
			t->follow = true;
			mark_answered(ui);
			return true;
		}
		/* A number typed straight away is the field's first
		 * digit. */
		if (has_input)
			focus(ui, input_field);
		else if (asks)
			focus(ui, UI_FIELD_ANSWER);
		else
			return false;
		return field_key(ui, key);
	case KA_ENTER:
		if (has_input)
			focus(ui, input_field);
		else if (asks)
			focus(ui, UI_FIELD_ANSWER);
		else
			return false;
		return true;
	case KA_ANSWER:
		if (!asks)
			return false;
		focus(ui, UI_FIELD_ANSWER);
		return true;
	case KA_HINTS:
		if (s->nhints == 0 && !t->have_ex)
			return false;
		t->hints = !t->hints;
		t->reveal_hints = t->hints;
		return true;
	default:
		return false;
	}
}

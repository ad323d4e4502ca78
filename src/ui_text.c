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

/* Sets up the step's exercise; one finished before shows as done. */
static void
ui_text_exercise_start(struct ui *ui)
{
	ui->have_ex = tutor_exercise_start(&ui->ex, ui_cur_step(ui),
	    &ui->prog);
}

void
ui_text_event(struct ui *ui, const struct lab_event *ev)
{
	/* The moment the bartender starts listening on a classroom
	 * address, the status line says who can reach it. */
	if (ui->app->listen_given && ev->kind == LAB_EV_CALL &&
	    ev->call == LAB_CALL_LISTEN && ev->ret == 0 && !ev->replay &&
	    ui->status == UI_ST_NONE)
		ui->status = UI_ST_LISTEN;
	if (ui->have_ex && tutor_exercise_event(&ui->ex, ev, &ui->prog) &&
	    ui->ex.state == EXERCISE_DONE) {
		ui_save(ui);
		ui->follow = true;
	}
}

void
ui_text_enter_step(struct ui *ui)
{
	ui->scroll = 0;
	ui->ask_scroll = 0;
	ui->hints = false;
	tutor_answer_clear(&ui->answer);
	ui->field = UI_FIELD_NONE;
	ui->buflen = 0;
	ui->buf[0] = '\0';
	ui->port_shown = false;
	ui->port_text[0] = '\0';
	ui->reveal_hints = false;
	ui->recv_asked = 0;
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

	narrate_port_lines(&N, ui->port_text);
	add_narrated(ui, L, width, &N);
	narrate_lines_free(&N);
}

static void
field_line(struct ui *ui, struct ui_lines *L, int width, enum ui_field f)
{
	char line[200];
	bool on = ui->field == f;
	const char *kept = "";

	/* What was typed stays beside its explanation. */
	if (f == UI_FIELD_PORT && ui->port_shown)
		kept = ui->port_text;
	else if (f == UI_FIELD_ANSWER && ui->answer.typed != TUTOR_TYPED_NONE)
		kept = ui->answer.text;
	if (on)
		snprintf(line, sizeof line, "[%s_]", ui->buf);
	else if (kept[0] != '\0')
		snprintf(line, sizeof line, "[%s]", kept);
	else
		snprintf(line, sizeof line, "[     ]");
	ui_lines_add(L, line, width, 2, NULL, on ? ui_look(ui, UI_L_MARK) :
	    kept[0] != '\0' ? A_BOLD : ui_look(ui, UI_L_DIM));
	if (on && ui->field_nondigit)
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
	struct narrate_lines N = { 0 };
	char addr[80];

	bar_addr(ui, addr, sizeof addr);
	ui_lines_blank(L);
	narrate_exercise_lines(&N, &ui->ex, addr, ui->hints);
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
	const struct lesson_question *q = ui_cur_step(ui)->question;
	struct narrate_lines N = { 0 };

	ui_lines_blank(L);
	narrate_question_lines(&N, q, ui->answer.chosen);
	add_narrated(ui, L, width, &N);
	narrate_lines_free(&N);
	if (q->input != LESSON_INPUT_NONE) {
		field_line(ui, L, width, UI_FIELD_ANSWER);
		narrate_typed_lines(&N, q, ui->answer.typed,
		    ui->answer.text);
		add_narrated(ui, L, width, &N);
		narrate_lines_free(&N);
	}
	if (ui->answer.chosen < 0 && ui->answer.typed == TUTOR_TYPED_NONE &&
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
	if (ui->hints) {
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
			if (ui->port_shown)
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
	if (ui->have_ex) {
		if (ui->field == UI_FIELD_SERVER) {
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
	int tmax = ui->text_max_scroll - ui->ask_max_scroll;

	if (delta > 0 && ui->scroll < tmax)
		ui->scroll = ui->scroll + delta < tmax ? ui->scroll + delta :
		    tmax;
	else if (delta > 0 || ui->ask_scroll > 0)
		ui->ask_scroll += delta;
	else
		ui->scroll += delta;
	if (ui->scroll < 0)
		ui->scroll = 0;
	if (ui->ask_scroll < 0)
		ui->ask_scroll = 0;
	if (ui->ask_scroll > ui->ask_max_scroll)
		ui->ask_scroll = ui->ask_max_scroll;
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
	ui->text_max_scroll = tmax + amax;
	ui->ask_max_scroll = amax;

	/* An open field stays in view: the port field at the end of the
	 * text, the others at the end of the question. */
	if (ui->field == UI_FIELD_PORT || ui->field == UI_FIELD_RECV)
		ui->scroll = tmax;
	else if (ui->field != UI_FIELD_NONE || ui->follow)
		ui->ask_scroll = amax;
	if (ui->follow && ah == 0)
		ui->scroll = tmax;
	ui->follow = false;
	/* Hints just asked for come into view, from their first line. */
	if (ui->reveal_hints && ui->hints && hint_end > hint_at &&
	    (hint_at < ui->scroll || hint_end > ui->scroll + th))
		ui->scroll = hint_end - hint_at <= th ? hint_end - th : hint_at;
	else if (ui->reveal_hints && ui->hints)
		ui->ask_scroll = amax;
	ui->reveal_hints = false;
	/* The text ends where it ends: the question follows it at once
	 * when the text is shorter than its rows. */
	if ((int)T.n < th)
		th = (int)T.n;
	draw_part(ui, w, 0, th, width, &T, &ui->scroll);
	draw_part(ui, w, th, ah, width, &A, &ui->ask_scroll);
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
	struct lab_cmd cmd;
	char text[64], *cause = NULL;
	long v;

	if (ui->lab == NULL ||
	    util_parse_num(ui->buf, (size_t)-1, 1, 65536, &v) == -1)
		return;
	snprintf(text, sizeof text, "server recv %ld", v);
	if (lab_cmd_parse(text, &cmd, &cause) == -1) {
		free(cause);
		return;
	}
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	ui->recv_asked++;
	ui_lab_post(ui, &cmd, false);
}

/* The lab's customer visits the learner's server on the port typed.  A
 * try still waiting for an answer is abandoned by re-running the step,
 * which gives the customer a fresh start. */
static void
own_server_try(struct ui *ui)
{
	struct lab_cmd cmds[4];
	long v;
	size_t n, i;

	if (ui->lab == NULL ||
	    util_parse_num(ui->buf, (size_t)-1, 1, 65535, &v) == -1)
		return;
	if (ui->ex.state == EXERCISE_CHECKING || lab_waiting(ui->lab)) {
		enum exercise_state st = ui->ex.state;

		ui_goto(ui, ui->lesson, ui->step);
		if (st == EXERCISE_DONE)
			ui->ex.state = st;
	}
	n = exercise_try(&ui->ex, (unsigned)v, cmds, 4);
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	for (i = 0; i < n; i++)
		ui_lab_post(ui, &cmds[i], false);
}

static void
field_enter(struct ui *ui)
{
	const struct lesson_question *q = ui_cur_step(ui)->question;

	if (ui->field == UI_FIELD_RECV) {
		/* The field stays open: each size is one more recv(). */
		recv_now(ui);
		ui->buflen = 0;
		ui->buf[0] = '\0';
		ui->follow = true;
		return;
	}
	if (ui->field == UI_FIELD_SERVER) {
		ui->field = UI_FIELD_NONE;
		own_server_try(ui);
		ui->follow = true;
		return;
	}
	if (ui->buf[0] == '\0') {
		/* Enter on an empty field: nothing to explain or judge. */
	} else if (ui->field == UI_FIELD_PORT) {
		snprintf(ui->port_text, sizeof ui->port_text, "%s", ui->buf);
		ui->port_shown = true;
	} else if (q != NULL) {
		if (tutor_answer_type(&ui->answer, q, ui->buf))
			mark_answered(ui);
	}
	ui->field = UI_FIELD_NONE;
	ui->follow = true;
}

static bool
field_key(struct ui *ui, int key)
{
	if (key == KC_ESC) {
		ui->field = UI_FIELD_NONE;
		return true;
	}
	if (key == KC_ENTER) {
		field_enter(ui);
		return true;
	}
	if (key == KC_BACKSPACE) {
		if (ui->buflen > 0)
			ui->buf[--ui->buflen] = '\0';
		return true;
	}
	if (key >= KC_NAMED || ui->buflen >= UI_FIELD_MAX)
		return true;
	/* A number field takes digits only, and says so when something
	 * else is typed; an answer takes printable ASCII (the expected
	 * answers are numbers and names). */
	if (ui->field == UI_FIELD_ANSWER ? (key > ' ' && key < 0x7f) :
	    (key >= '0' && key <= '9')) {
		ui->buf[ui->buflen++] = (char)key;
		ui->buf[ui->buflen] = '\0';
	} else if (ui->field != UI_FIELD_ANSWER) {
		ui->field_nondigit = true;
	}
	return true;
}

static void
focus(struct ui *ui, enum ui_field f)
{
	ui->field = f;
	ui->field_nondigit = false;
	ui->buflen = 0;
	ui->buf[0] = '\0';
	/* A new answer begins: the last one's feedback goes. */
	if (f == UI_FIELD_ANSWER)
		ui->answer.typed = TUTOR_TYPED_NONE;
}

bool
ui_text_key(struct ui *ui, enum key_action act, int key)
{
	const struct lesson_step *s = ui_cur_step(ui);
	const struct lesson_question *q = s->question;
	enum ui_field input_field = s->input.kind == LESSON_INPUT_RECV ?
	    UI_FIELD_RECV : UI_FIELD_PORT;
	bool has_input = s->input.kind != LESSON_INPUT_NONE;
	bool asks = q != NULL && q->input != LESSON_INPUT_NONE;

	if (ui->field != UI_FIELD_NONE)
		return field_key(ui, key);
	switch (act) {
	case KA_CHECK:
		if (!ui->have_ex || ui->ex.kind != EXERCISE_OWN_SERVER)
			return false;
		focus(ui, UI_FIELD_SERVER);
		ui->buflen = (size_t)snprintf(ui->buf, sizeof ui->buf, "%u",
		    ui->ex.port);
		return true;
	case KA_DIGIT:
		if (key >= '1' && tutor_answer_choose(&ui->answer, q,
		    (size_t)(key - '1'))) {
			ui->follow = true;
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
		if (s->nhints == 0 && !ui->have_ex)
			return false;
		ui->hints = !ui->hints;
		ui->reveal_hints = ui->hints;
		return true;
	default:
		return false;
	}
}

/* ui_text.c - the lesson pane: the step's title and paragraphs wrapped by
 * display width, its hints, its question (choices picked with the number
 * keys, or a typed answer) and its port field.  Everything is looked up
 * with _() while drawing, so a language switch re-words it in place. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"

#define KEY_ESC 27

void
ui_text_enter_step(struct ui *ui)
{
	ui->scroll = 0;
	ui->hints = false;
	ui->chosen = -1;
	ui->typed = -1;
	ui->field = UI_FIELD_NONE;
	ui->buflen = 0;
	ui->buf[0] = '\0';
	ui->port_shown = false;
	ui->port_text[0] = '\0';
}

/* The port explanation, in the current language. */
static void
port_lines(struct ui *ui, struct ui_lines *L, int width)
{
	char line[400], svc[64];
	const char *range;
	unsigned lo, hi;
	char *end;
	long v;

	v = strtol(ui->port_text, &end, 10);
	if (ui->port_text[0] == '\0' || *end != '\0' || v < 0 || v > 65535) {
		snprintf(line, sizeof line, _("\"%s\" is not a port: a port "
		    "is a number from 0 to 65535."), ui->port_text);
		ui_lines_add(L, line, width, 2, NULL, ui_look(ui, UI_L_BAD));
		return;
	}
	range = narrate_port((unsigned)v, svc, sizeof svc);
	snprintf(line, sizeof line, _("Port %ld. Range: %s."), v,
	    range);
	ui_lines_add(L, line, width, 2, NULL, ui_look(ui, UI_L_GOOD));
	if (svc[0] != '\0')
		snprintf(line, sizeof line, _("This system knows it as the "
		    "service \"%s\"."), svc);
	else
		snprintf(line, sizeof line, "%s", _("This system knows no "
		    "service name for it."));
	ui_lines_add(L, line, width, 2, NULL, A_NORMAL);
	if (narrate_ephemeral(&lo, &hi) == 0) {
		snprintf(line, sizeof line, _("This machine gives clients "
		    "temporary (ephemeral) ports from %u to %u."), lo, hi);
		ui_lines_add(L, line, width, 2, NULL, A_NORMAL);
	}
}

static void
field_line(struct ui *ui, struct ui_lines *L, int width, enum ui_field f)
{
	char line[200];
	bool on = ui->field == f;

	snprintf(line, sizeof line, "[%s%s]", on ? ui->buf : "",
	    on ? "_" : "     ");
	ui_lines_add(L, line, width, 2, NULL,
	    on ? ui_look(ui, UI_L_MARK) : ui_look(ui, UI_L_DIM));
}

static void
question_lines(struct ui *ui, struct ui_lines *L, int width)
{
	const struct lesson_question *q = ui_cur_step(ui)->question;
	char id[PROGRESS_ID_MAX], pre[32];
	size_t i;

	ui_lines_blank(L);
	ui_lines_add(L, _(q->prompt.msgid), width, 0, "? ",
	    ui_look(ui, UI_L_HEAD));
	for (i = 0; i < q->nchoices; i++) {
		const struct lesson_choice *c = &q->choices[i];
		bool picked = ui->chosen == (int)i;
		attr_t a = A_NORMAL;

		if (picked)
			a = ui_look(ui, c->right ? UI_L_GOOD : UI_L_BAD);
		snprintf(pre, sizeof pre, "%s%zu) ", picked ? ">" : " ",
		    i + 1);
		ui_lines_add(L, _(c->text.msgid), width, 1, pre, a);
		if (picked && c->feedback.msgid != NULL)
			ui_lines_add(L, _(c->feedback.msgid), width, 6, NULL,
			    a);
	}
	if (q->input != LESSON_INPUT_NONE) {
		field_line(ui, L, width, UI_FIELD_ANSWER);
		if (ui->typed == 1 && q->right.msgid != NULL)
			ui_lines_add(L, _(q->right.msgid), width, 2, NULL,
			    ui_look(ui, UI_L_GOOD));
		else if (ui->typed == 0 && q->wrong.msgid != NULL)
			ui_lines_add(L, _(q->wrong.msgid), width, 2, NULL,
			    ui_look(ui, UI_L_BAD));
	}
	ui_answer_id(ui, id, sizeof id);
	if (ui->chosen < 0 && ui->typed < 0 && progress_is_done(&ui->prog, id))
		ui_lines_add(L, _("(You answered this question before.)"),
		    width, 2, NULL, ui_look(ui, UI_L_DIM));
}

void
ui_text_draw(struct ui *ui, WINDOW *w)
{
	const struct lesson_step *s = ui_cur_step(ui);
	struct ui_lines L = { 0 };
	int h = getmaxy(w), width = getmaxx(w) - 2;
	size_t i;

	werase(w);
	ui_lines_add(&L, _(s->title.msgid), width, 0, NULL,
	    ui_look(ui, UI_L_HEAD));
	for (i = 0; i < s->nblocks; i++) {
		const struct lesson_block *b = &s->blocks[i];

		if (b->kind == LESSON_ITEM) {
			ui_lines_add(&L, _(b->text.msgid), width, 1, "\u2022 ",
			    A_NORMAL);
		} else {
			ui_lines_blank(&L);
			ui_lines_add(&L, _(b->text.msgid), width, 0, NULL,
			    A_NORMAL);
		}
	}
	if (ui->hints) {
		for (i = 0; i < s->nhints; i++) {
			ui_lines_blank(&L);
			ui_lines_add(&L, _(s->hints[i].msgid), width, 0,
			    _("Hint: "), ui_look(ui, UI_L_KEY));
		}
	}
	if (s->input.kind != LESSON_INPUT_NONE) {
		ui_lines_blank(&L);
		ui_lines_add(&L, _(s->input.prompt.msgid), width, 0, NULL,
		    ui_look(ui, UI_L_HEAD));
		field_line(ui, &L, width, UI_FIELD_PORT);
		if (ui->port_shown)
			port_lines(ui, &L, width);
	}
	if (s->question != NULL)
		question_lines(ui, &L, width);

	/* Keep the place when the text got shorter (a language switch, a
	 * smaller window); an open field stays in view. */
	ui->text_max_scroll = (int)L.n > h ? (int)L.n - h : 0;
	if (ui->field != UI_FIELD_NONE || ui->follow)
		ui->scroll = ui->text_max_scroll;
	ui->follow = false;
	if (ui->scroll > ui->text_max_scroll)
		ui->scroll = ui->text_max_scroll;
	ui_lines_draw(w, 0, 1, h, width, &L, ui->scroll);
	if (ui->scroll > 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		mvwaddstr(w, 0, getmaxx(w) - 1, "^");
	}
	if (ui->scroll < ui->text_max_scroll) {
		wattrset(w, ui_look(ui, UI_L_KEY));
		mvwaddstr(w, h - 1, getmaxx(w) - 1, "v");
	}
	wattrset(w, A_NORMAL);
	ui_lines_free(&L);
}

static void
mark_answered(struct ui *ui)
{
	char id[PROGRESS_ID_MAX];

	ui_answer_id(ui, id, sizeof id);
	progress_mark_done(&ui->prog, id);
	ui_save(ui);
}

static void
field_enter(struct ui *ui)
{
	const struct lesson_question *q = ui_cur_step(ui)->question;

	if (ui->field == UI_FIELD_PORT) {
		snprintf(ui->port_text, sizeof ui->port_text, "%s", ui->buf);
		ui->port_shown = true;
	} else if (q != NULL) {
		ui->typed = q->expect != NULL &&
		    strcmp(ui->buf, q->expect) == 0 ? 1 : 0;
		mark_answered(ui);
	}
	ui->field = UI_FIELD_NONE;
	ui->follow = true;
}

static bool
field_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key) {
		if (ch == KEY_ENTER)
			field_enter(ui);
		else if (ch == KEY_BACKSPACE && ui->buflen > 0)
			ui->buf[--ui->buflen] = '\0';
		return true;
	}
	if (ch == KEY_ESC) {
		ui->field = UI_FIELD_NONE;
		return true;
	}
	if (ch == L'\r' || ch == L'\n') {
		field_enter(ui);
		return true;
	}
	if (ch == 0x7f || ch == 0x08) {
		if (ui->buflen > 0)
			ui->buf[--ui->buflen] = '\0';
		return true;
	}
	if (ui->buflen >= UI_FIELD_MAX)
		return true;
	/* A port field takes digits only; an answer takes printable ASCII
	 * (the expected answers are numbers and names). */
	if (ui->field == UI_FIELD_PORT ? (ch >= L'0' && ch <= L'9') :
	    (ch > L' ' && ch < 0x7f)) {
		ui->buf[ui->buflen++] = (char)ch;
		ui->buf[ui->buflen] = '\0';
	}
	return true;
}

static void
focus(struct ui *ui, enum ui_field f)
{
	ui->field = f;
	ui->buflen = 0;
	ui->buf[0] = '\0';
}

bool
ui_text_key(struct ui *ui, wint_t ch, bool is_key)
{
	const struct lesson_step *s = ui_cur_step(ui);
	const struct lesson_question *q = s->question;

	if (ui->field != UI_FIELD_NONE)
		return field_key(ui, ch, is_key);
	if (is_key) {
		if (ch == KEY_ENTER && s->input.kind != LESSON_INPUT_NONE) {
			focus(ui, UI_FIELD_PORT);
			return true;
		}
		return false;
	}
	if (q != NULL && q->nchoices > 0 && ch >= L'1' && ch <= L'9' &&
	    (size_t)(ch - L'1') < q->nchoices) {
		ui->chosen = (int)(ch - L'1');
		ui->follow = true;
		mark_answered(ui);
		return true;
	}
	if ((ch == L'\r' || ch == L'\n') && s->input.kind != LESSON_INPUT_NONE) {
		focus(ui, UI_FIELD_PORT);
		return true;
	}
	if (ch >= L'0' && ch <= L'9' && s->input.kind != LESSON_INPUT_NONE) {
		focus(ui, UI_FIELD_PORT);
		return field_key(ui, ch, false);
	}
	if (ch == L'a' && q != NULL && q->input != LESSON_INPUT_NONE) {
		focus(ui, UI_FIELD_ANSWER);
		return true;
	}
	if ((ch == L'\r' || ch == L'\n') && q != NULL &&
	    q->input != LESSON_INPUT_NONE) {
		focus(ui, UI_FIELD_ANSWER);
		return true;
	}
	if (ch == L'h' && s->nhints > 0) {
		ui->hints = !ui->hints;
		return true;
	}
	return false;
}

/* ui_menu.c - the lesson menu: every lesson with its number, its title in
 * the current language and a mark when it is finished, then the sandbox.
 * Enter opens the chosen lesson at its first step (or the sandbox); Esc
 * goes back where we were. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"

/* The entry chosen: the menu's own (one screen, one UI thread). */
static size_t menu_sel;

/* "questions 2/3  exercises 1/1" for lesson l, or "" when it has
 * neither: what of the lesson's questions and exercises is done. */
static void
lesson_counts(const struct ui *ui, const struct lesson *l, char *buf,
    size_t len)
{
	size_t nq = 0, q = 0, nx = 0, x = 0, i;
	int n = 0;

	for (i = 0; i < l->nsteps; i++) {
		const struct lesson_step *s = &l->steps[i];

		if (s->question != NULL) {
			nq++;
			q += tutor_answered(&ui->prog, l, i);
		}
		if (s->exercise != NULL) {
			nx++;
			x += tutor_exercise_done(&ui->prog, s);
		}
	}
	buf[0] = '\0';
	if (nq > 0)
		n = snprintf(buf, len, _("questions %1$zu/%2$zu"), q, nq);
	if (nx > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, _("%1$sexercises "
		    "%2$zu/%3$zu"), n > 0 ? "  " : "", x, nx);
}

void
ui_menu_draw(struct ui *ui, WINDOW *w)
{
	const struct app *app = ui->app;
	int H = getmaxy(w), W = getmaxx(w), rows = H - 3, top = 0, y;
	size_t i;

	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 2, W - 4, _("Lessons"));
	wattrset(w, A_NORMAL);
	if (rows < 1)
		rows = 1;
	if ((int)menu_sel >= rows)
		top = (int)menu_sel - rows + 1;
	for (y = 0, i = (size_t)top; i <= app->nlessons && y < rows; i++, y++) {
		char line[400];

		if (i == app->nlessons) {
			/* The sandbox comes after the last lesson. */
			snprintf(line, sizeof line, "     %s", _("Sandbox: make "
			    "any call yourself, in any order"));
		} else {
			const struct lesson *l = app->lessons[i];
			bool done = progress_is_done(&ui->prog, l->id);

			snprintf(line, sizeof line, "%s %2zu. %s",
			    done ? "[x]" : "[ ]", i + 1, narrate_lesson(l->title.msgid));
		}
		if (i == menu_sel) {
			wattrset(w, ui_look(ui, UI_L_MARK));
			ui_fill_row(w, 2 + y);
		} else if (i == (ui->in_sandbox ? app->nlessons : ui->lesson)) {
			wattrset(w, A_BOLD);
		}
		ui_put(w, 2 + y, 2, W - 4, line);
		if (i < app->nlessons) {
			char counts[160];
			int cw;

			lesson_counts(ui, app->lessons[i], counts,
			    sizeof counts);
			cw = ui_width(counts);
			/* Right-aligned, when it clears the title. */
			if (counts[0] != '\0' &&
			    ui_width(line) + 2 + 2 + cw <= W - 2) {
				if (i != menu_sel)
					wattrset(w, ui_look(ui, UI_L_DIM));
				ui_put(w, 2 + y, W - 2 - cw, cw, counts);
			}
		}
		wattrset(w, A_NORMAL);
	}
	wattrset(w, ui_look(ui, UI_L_DIM));
	/* Short enough for 80 columns in both languages. */
	ui_put(w, H - 1, 2, W - 4, _("[x] finished; on the right: questions "
	    "answered, exercises done"));
	wattrset(w, A_NORMAL);
}

void
ui_menu_open(struct ui *ui)
{
	ui->screen = UI_MENU;
	menu_sel = ui->in_sandbox ? ui->app->nlessons : ui->lesson;
}

bool
ui_menu_key(struct ui *ui, enum key_action act)
{
	size_t n = ui->app->nlessons + 1;	/* the sandbox is last */

	switch (act) {
	case KA_LINE_UP:
		if (menu_sel > 0)
			menu_sel--;
		return true;
	case KA_LINE_DOWN:
		if (menu_sel + 1 < n)
			menu_sel++;
		return true;
	case KA_TOP:
		menu_sel = 0;
		return true;
	case KA_BOTTOM:
		menu_sel = n - 1;
		return true;
	case KA_CLOSE:
		ui->screen = UI_MAIN;
		return true;
	case KA_ENTER:
		break;
	default:
		return false;
	}
	ui->screen = UI_MAIN;
	ui->status = UI_ST_NONE;
	if (menu_sel == ui->app->nlessons) {
		if (!ui->in_sandbox)
			ui_sandbox_enter(ui);
	} else if (menu_sel != ui->lesson || ui->in_sandbox) {
		ui_goto(ui, menu_sel, 0);
	}
	return true;
}

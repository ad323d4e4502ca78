/* ui_menu.c - the lesson menu: every lesson with its number, its title in
 * the current language and a mark when it is finished.  Enter opens the
 * chosen lesson at its first step; Esc goes back where we were. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui_priv.h"

#define KEY_ESC 27

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
	if ((int)ui->menu_sel >= rows)
		top = (int)ui->menu_sel - rows + 1;
	for (y = 0, i = (size_t)top; i < app->nlessons && y < rows; i++, y++) {
		const struct lesson *l = app->lessons[i];
		bool done = progress_is_done(&ui->prog, l->id);
		char line[400];

		snprintf(line, sizeof line, "%s %2zu. %s", done ? "[x]" : "[ ]",
		    i + 1, _(l->title.msgid));
		if (i == ui->menu_sel) {
			wattrset(w, ui_look(ui, UI_L_MARK));
			ui_fill_row(w, 2 + y);
		} else if (i == ui->lesson) {
			wattrset(w, A_BOLD);
		}
		ui_put(w, 2 + y, 2, W - 4, line);
		wattrset(w, A_NORMAL);
	}
	wattrset(w, ui_look(ui, UI_L_DIM));
	ui_put(w, H - 1, 2, W - 4, _("[x] finished lessons"));
	wattrset(w, A_NORMAL);
}

bool
ui_menu_key(struct ui *ui, wint_t ch, bool is_key)
{
	size_t n = ui->app->nlessons;

	if (is_key) {
		switch (ch) {
		case KEY_UP:
			if (ui->menu_sel > 0)
				ui->menu_sel--;
			return true;
		case KEY_DOWN:
			if (ui->menu_sel + 1 < n)
				ui->menu_sel++;
			return true;
		case KEY_HOME:
			ui->menu_sel = 0;
			return true;
		case KEY_END:
			ui->menu_sel = n - 1;
			return true;
		case KEY_ENTER:
			break;
		default:
			return false;
		}
	} else if (ch == KEY_ESC || ch == L'g') {
		ui->screen = UI_MAIN;
		return true;
	} else if (ch == L'k' && ui->menu_sel > 0) {
		ui->menu_sel--;
		return true;
	} else if (ch == L'j' && ui->menu_sel + 1 < n) {
		ui->menu_sel++;
		return true;
	} else if (ch != L'\r' && ch != L'\n') {
		return false;
	}
	ui->screen = UI_MAIN;
	ui->status = UI_ST_NONE;
	if (ui->menu_sel != ui->lesson)
		ui_goto(ui, ui->menu_sel, 0);
	return true;
}

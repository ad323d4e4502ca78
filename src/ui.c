/* ui.c - the curses interface (first cut: title bar and the step text). */
#include "config.h"

#include <curses.h>
#include <locale.h>

#include "i18n.h"
#include "ui.h"

int
ui_run(const struct app *app)
{
	const struct lesson *l = app->lessons[app->start];
	int ch;

	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	mvprintw(0, 0, "%d. %s  %s", l->order, _(l->title.msgid), i18n_code());
	mvprintw(2, 0, "%s", _(l->steps[0].blocks[0].text.msgid));
	refresh();
	while ((ch = getch()) != 'q' && ch != ERR)
		;
	endwin();
	return 0;
}

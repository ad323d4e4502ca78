/* ui_panes.c - the windows of the screen: the title, body and footer
 * made for the terminal's size, the panes inside the body sized from the
 * step at each frame (layout.c decides, here they are made, and remade
 * only when their rows change), and the frame drawn into them with one
 * doupdate().  Below 80x24 only a message asking for more room. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "i18n.h"
#include "layout.h"
#include "narrate.h"
#include "ui_priv.h"
#include "util.h"

void
ui_free_windows(struct ui *ui)
{
	WINDOW **ws[] = {
		&ui->wtitle, &ui->wfoot, &ui->wbody, &ui->wtext, &ui->wlab,
		&ui->wcode, &ui->wlog, &ui->wwire
	};
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i] != NULL)
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

static WINDOW *
mkwin(int h, int w, int y, int x)
{
	WINDOW *win = newwin(h, w, y, x);

	/* Only when memory has run out: the fatal hook gives the
	 * terminal back, and no exit() runs while the lab's threads do. */
	if (win == NULL)
		util_fatal("cannot create a curses window");
	return win;
}

/* The title, the footer and the body for the terminal's size; the panes
 * inside the body are made at the next draw (fit_panes). */
void
ui_layout(struct ui *ui)
{
	int R = LINES, C = COLS;

	ui_free_windows(ui);
	ui->lay_made = false;
	ui->rows = R;
	ui->cols = C;
	ui->small = R < UI_MIN_ROWS || C < UI_MIN_COLS;
	if (ui->small)
		return;
	ui->wtitle = mkwin(1, C, 0, 0);
	ui->wfoot = mkwin(1, C, R - 1, 0);
	ui->wbody = mkwin(R - 2, C, 1, 0);
}

/* The sandbox's panes keep fixed shares: its text and its keys do not
 * change from step to step. */
static void
sandbox_shares(const struct ui *ui, struct layout *o)
{
	int body = ui->rows - 2;

	memset(o, 0, sizeof *o);
	o->side = ui->cols >= LAYOUT_SIDE_COLS;
	o->text_cols = layout_text_cols(ui->cols);
	o->pane_cols = layout_pane_cols(ui->cols);
	if (o->side) {
		o->text = body;
		o->lab = body * 2 / 5;
		o->code = body * 3 / 10;
		o->log = body - o->lab - o->code;
		return;
	}
	o->text = body * 38 / 100;
	o->lab = body * 27 / 100 < 6 ? 6 : body * 27 / 100;
	o->code = body * 18 / 100 < 4 ? 4 : body * 18 / 100;
	o->log = body - o->text - o->lab - o->code;
}

static void
free_panes(struct ui *ui)
{
	WINDOW **ws[] = {
		&ui->wtext, &ui->wlab, &ui->wcode, &ui->wlog, &ui->wwire
	};
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i] != NULL)
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

/* A pane h rows high at y, x; none when h is 0 (newwin would take 0
 * for "to the edge of the screen"). */
static WINDOW *
pane(int h, int w, int y, int x)
{
	return h > 0 ? mkwin(h, w, y, x) : NULL;
}

/* Size the panes from what the step on screen holds (layout.h): the
 * question and the marked code line in view, absent panes given to the
 * text.  The windows are made again only when their rows change. */
static void
fit_panes(struct ui *ui)
{
	struct layout_need n;
	struct layout o;
	int x, y;

	memset(&n, 0, sizeof n);
	if (ui->in_sandbox) {
		sandbox_shares(ui, &o);
	} else {
		n.rows = ui->rows;
		n.cols = ui->cols;
		ui_text_measure(ui, layout_text_cols(n.cols), &n.text, &n.ask,
		    &n.ask_min);
		ui_code_measure(ui, layout_pane_cols(n.cols), &n.code_fixed,
		    &n.code, &n.code_mark);
		ui_lab_measure(ui, layout_pane_cols(n.cols), &n.lab,
		    &n.lab_min);
		n.log = ui_log_measure(ui, layout_pane_cols(n.cols));
		n.lab_open = ui->lab_open;
		n.ladder = ui_wire_measure(ui, layout_pane_cols(n.cols));
		/* Below 30 rows it stands in for the lab, whose two
		 * columns it shares: the marked code line stays. */
		n.ladder_for_code = false;
		layout_compute(&n, &o);
	}
	if (ui->lay_made && memcmp(&o, &ui->lay, sizeof o) == 0)
		return;
	free_panes(ui);
	ui->lay = o;
	ui->lay_made = true;
	ui->wtext = pane(o.text + o.ask, o.text_cols, 1, 0);
	x = o.side ? o.text_cols + 1 : 0;
	y = o.side ? 1 : 1 + o.text + o.ask;
	/* The wire's ladder sits under the lab, or in its place. */
	ui->wlab = pane(o.lab, o.pane_cols, y, x);
	ui->wwire = pane(o.ladder, o.pane_cols, y + o.lab, x);
	ui->wcode = pane(o.code, o.pane_cols, y + o.lab + o.ladder, x);
	ui->wlog = pane(o.log, o.pane_cols, y + o.lab + o.ladder + o.code, x);
}

void
ui_resize_now(struct ui *ui)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	/* The terminal may have reflowed what was there: repaint it all
	 * once, rather than trust curses' idea of the old screen. */
	clearok(curscr, TRUE);
	ui_layout(ui);
}

static void
draw_small(void)
{
	char msg[200];

	werase(stdscr);
	snprintf(msg, sizeof msg, _("Please enlarge the terminal to at least "
	    "%dx%d (it is %dx%d)."), UI_MIN_COLS, UI_MIN_ROWS, COLS, LINES);
	/* Wrap by hand into the little room there is. */
	{
		struct ui_lines L = { 0 };
		int y;

		ui_lines_add(&L, msg, COLS > 2 ? COLS - 2 : COLS, 0, NULL,
		    A_BOLD);
		y = (LINES - (int)L.n) / 2;
		ui_lines_draw(stdscr, y < 0 ? 0 : y, 1, LINES, COLS - 2, &L, 0);
		ui_lines_free(&L);
	}
	/* The language shows on every screen, this one too. */
	mvwaddstr(stdscr, 0, COLS > 2 ? COLS - 2 : 0, i18n_code());
	wnoutrefresh(stdscr);
}

void
ui_draw_all(struct ui *ui)
{
	struct lab_addr a;

	/* The lessons' {port} and {addr}: where the title bar says the
	 * bartender is, else where he will bind. */
	if (ui->lab != NULL) {
		if (!ui_bar_addr(ui, &a))
			lab_bar_where(ui->lab, &a);
		narrate_set_bar(&a);
	}
	/* stdscr is only a backdrop: keeping it untouched stops getch from
	 * repainting it over the panes. */
	if (ui->small) {
		draw_small();
		doupdate();
		return;
	}
	werase(stdscr);
	if (ui->blank) {
		/* The lecture's black screen: nothing at all. */
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (ui->cols >= LAYOUT_SIDE_COLS && ui->screen == UI_MAIN &&
	    (!ui->present || ui->in_sandbox))
		mvwvline(stdscr, 1, layout_text_cols(ui->cols), ACS_VLINE,
		    ui->rows - 2);
	wnoutrefresh(stdscr);
	ui_draw_title(ui);
	wnoutrefresh(ui->wtitle);
	if (ui->screen == UI_MENU || ui->screen == UI_HELP ||
	    ui->screen == UI_CODE || ui->screen == UI_LOG ||
	    (ui->present && !ui->in_sandbox)) {
		werase(ui->wbody);
		if (ui->screen == UI_MENU)
			ui_menu_draw(ui, ui->wbody);
		else if (ui->screen == UI_HELP)
			ui_help_draw(ui, ui->wbody);
		else if (ui->screen == UI_CODE)
			ui_code_view_draw(ui, ui->wbody);
		else if (ui->screen == UI_LOG)
			ui_log_view_draw(ui, ui->wbody);
		else
			ui_present_draw(ui, ui->wbody);
		wnoutrefresh(ui->wbody);
	} else {
		/* The sandbox has the same four panes: its own text and
		 * keys where a lesson has its text and code.  A pane with
		 * no rows has no window. */
		fit_panes(ui);
		if (ui->in_sandbox)
			ui_sandbox_draw(ui, ui->wtext);
		else
			ui_text_draw(ui, ui->wtext);
		if (ui->wlab != NULL)
			ui_lab_draw(ui, ui->wlab);
		if (ui->wwire != NULL)
			ui_wire_draw(ui, ui->wwire);
		if (ui->wcode != NULL && ui->in_sandbox)
			ui_sandbox_keys_draw(ui, ui->wcode);
		else if (ui->wcode != NULL)
			ui_code_draw(ui, ui->wcode);
		if (ui->wlog != NULL)
			ui_log_draw(ui, ui->wlog);
		wnoutrefresh(ui->wtext);
		if (ui->wlab != NULL)
			wnoutrefresh(ui->wlab);
		if (ui->wwire != NULL)
			wnoutrefresh(ui->wwire);
		if (ui->wcode != NULL)
			wnoutrefresh(ui->wcode);
		if (ui->wlog != NULL)
			wnoutrefresh(ui->wlog);
	}
	/* Last: the footer offers scrolling when the text pane, just
	 * drawn, has more than it shows. */
	ui_draw_footer(ui);
	wnoutrefresh(ui->wfoot);
	doupdate();
}


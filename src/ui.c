/* ui.c - the curses interface: the main loop, the layout, key dispatch
 * and signals, plus the drawing helpers the ui_*.c screens share.
 *
 * One thread touches curses: this one.  It sleeps in poll() on the
 * terminal, the lab's wake-up descriptor and a self-pipe that signal
 * handlers write to, so it is idle while the learner is (a one-second tick
 * only while a countdown is on screen).  Every batch of input or events
 * redraws into the pane windows and ends with one doupdate(): curses'
 * own diffing sends only what changed to the terminal.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "i18n.h"
#include "lab.h"
#include "narrate.h"
#include "progress.h"
#include "ui.h"
#include "ui_fatal.h"
#include "ui_priv.h"
#include "util.h"


/* The self-pipe: handlers write the signal number, the loop reads it. */
static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* The pipe is full: enough wake-ups are already queued. */
	}
	errno = saved;
}

static int
signals_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
	struct sigaction sa;
	size_t i;

	if (pipe(sig_pipe) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		int fl = fcntl(sig_pipe[i], F_GETFL);

		if (fl == -1 || fcntl(sig_pipe[i], F_SETFL, fl | O_NONBLOCK) == -1)
			return -1;
		if (fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC) == -1)
			return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	return 0;
}

static void
signals_done(void)
{
	signal(SIGWINCH, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (sig_pipe[0] != -1)
		close(sig_pipe[0]);
	if (sig_pipe[1] != -1)
		close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

/* ------------------------------------------------------------------ */
/* Drawing helpers. */

attr_t
ui_look(const struct ui *ui, enum ui_look look)
{
	/* Monochrome first: every look must be readable without colour. */
	static const attr_t mono[UI_L_COUNT] = {
		[UI_L_NORMAL] = A_NORMAL,
		[UI_L_BAR] = A_REVERSE,
		[UI_L_HEAD] = A_BOLD | A_UNDERLINE,
		[UI_L_CHANGED] = A_BOLD,
		[UI_L_MARK] = A_REVERSE,
		[UI_L_SERVER] = A_BOLD,
		[UI_L_CLIENT] = A_BOLD,
		[UI_L_GOOD] = A_BOLD,
		[UI_L_BAD] = A_BOLD | A_UNDERLINE,
		[UI_L_DIM] = A_DIM,
		[UI_L_KEY] = A_BOLD,
		[UI_L_BIG] = A_BOLD | A_REVERSE,
	};

	if (!ui->colour || look == UI_L_NORMAL)
		return mono[look];
	switch (look) {
	case UI_L_BAR:
	case UI_L_MARK:
	case UI_L_BIG:
		return COLOR_PAIR(look) | A_BOLD;
	case UI_L_DIM:
		return mono[look];
	default:
		return COLOR_PAIR(look) | (mono[look] & A_BOLD);
	}
}

static void
colours_init(struct ui *ui)
{
	const char *nc = getenv("NO_COLOR");

	ui->colour = false;
	if ((nc != NULL && nc[0] != '\0') || !has_colors())
		return;
	if (start_color() == ERR)
		return;
	use_default_colors();
	init_pair(UI_L_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(UI_L_HEAD, COLOR_CYAN, -1);
	init_pair(UI_L_CHANGED, COLOR_YELLOW, -1);
	init_pair(UI_L_MARK, COLOR_BLACK, COLOR_YELLOW);
	init_pair(UI_L_SERVER, COLOR_GREEN, -1);
	init_pair(UI_L_CLIENT, COLOR_CYAN, -1);
	init_pair(UI_L_GOOD, COLOR_GREEN, -1);
	init_pair(UI_L_BAD, COLOR_RED, -1);
	init_pair(UI_L_KEY, COLOR_YELLOW, -1);
	init_pair(UI_L_BIG, COLOR_BLACK, COLOR_WHITE);
	ui->colour = true;
}

const struct lesson *
ui_lesson(const struct ui *ui)
{
	return ui->app->lessons[ui->lesson];
}

const struct lesson_step *
ui_cur_step(const struct ui *ui)
{
	return &ui_lesson(ui)->steps[ui->step];
}

wchar_t *
ui_widen(const char *s)
{
	size_t n = strlen(s), i = 0;
	wchar_t *w = xreallocarray(NULL, n + 1, sizeof *w);
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		size_t r;

		/* Most of every screen is ASCII: no need to ask the locale
		 * (this loop was a fifth of the drawing time). */
		if ((unsigned char)*s < 0x80) {
			w[i++] = *s == '\t' ? L' ' : (*s < 0x20 || *s == 0x7f) ?
			    L'?' : (wchar_t)*s;
			s++;
			n--;
			continue;
		}
		r = mbrtowc(&w[i], s, n, &st);

		if (r == (size_t)-1 || r == (size_t)-2) {
			w[i] = 0xfffd;
			memset(&st, 0, sizeof st);
			r = 1;
		}
		if (w[i] != L'\t' && wcwidth(w[i]) < 0)
			w[i] = L'?';
		else if (w[i] == L'\t')
			w[i] = L' ';
		i++;
		s += r;
		n -= r;
	}
	w[i] = L'\0';
	return w;
}

static int
wc_w(wchar_t c)
{
	int w;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int
ui_width(const char *s)
{
	wchar_t *w = ui_widen(s);
	int n = 0;
	size_t i;

	for (i = 0; w[i] != L'\0'; i++)
		n += wc_w(w[i]);
	free(w);
	return n;
}

static int
put_wide(WINDOW *w, int y, int x, int maxw, const wchar_t *s)
{
	int used = 0;
	size_t n = 0;

	while (s[n] != L'\0' && used + wc_w(s[n]) <= maxw)
		used += wc_w(s[n++]);
	if (n > 0)
		mvwaddnwstr(w, y, x, s, (int)n);
	return used;
}

int
ui_put(WINDOW *w, int y, int x, int maxw, const char *s)
{
	wchar_t *ws;
	int used;

	if (maxw <= 0)
		return 0;
	ws = ui_widen(s);
	used = put_wide(w, y, x, maxw, ws);
	free(ws);
	return used;
}

void
ui_put_centred(WINDOW *w, int y, const char *s)
{
	int cols = getmaxx(w), n = ui_width(s);
	int x = n < cols ? (cols - n) / 2 : 0;

	ui_put(w, y, x, cols - x, s);
}

void
ui_fill_row(WINDOW *w, int y)
{
	int x, cols = getmaxx(w);

	for (x = 0; x < cols; x++)
		mvwaddch(w, y, x, ' ');
}

static void
lines_push(struct ui_lines *L, const wchar_t *s, size_t n, attr_t attr,
    int indent)
{
	struct ui_line *l;

	if (L->n == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 32;
		L->v = xreallocarray(L->v, L->cap, sizeof *L->v);
	}
	l = &L->v[L->n++];
	l->s = xreallocarray(NULL, n + 1, sizeof *l->s);
	wmemcpy(l->s, s, n);
	l->s[n] = L'\0';
	l->attr = attr;
	l->indent = indent;
}

void
ui_lines_add(struct ui_lines *L, const char *text, int width, int indent,
    const char *prefix, attr_t attr)
{
	char *all = xasprintf("%s%s", prefix != NULL ? prefix : "", text);
	wchar_t *w = ui_widen(all);
	int avail = width - indent, pw = prefix != NULL ? ui_width(prefix) : 0;
	size_t start = 0, i, brk;
	int col, first = 1;

	free(all);
	if (avail < 8)
		avail = 8;
	while (w[start] != L'\0') {
		int lim = first ? avail : avail - pw;

		col = 0;
		brk = 0;
		for (i = start; w[i] != L'\0'; i++) {
			if (col + wc_w(w[i]) > lim)
				break;
			col += wc_w(w[i]);
			if (w[i] == L' ')
				brk = i;
		}
		if (w[i] == L'\0') {
			brk = i;
		} else if (brk <= start) {
			brk = i > start ? i : start + 1;	/* a word longer than the line */
		}
		lines_push(L, w + start, brk - start, attr,
		    first ? indent : indent + pw);
		start = brk;
		while (w[start] == L' ')
			start++;
		first = 0;
	}
	if (first)
		lines_push(L, L"", 0, attr, indent);
	free(w);
}

void
ui_lines_blank(struct ui_lines *L)
{
	lines_push(L, L"", 0, A_NORMAL, 0);
}

void
ui_lines_free(struct ui_lines *L)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		free(L->v[i].s);
	free(L->v);
	L->v = NULL;
	L->n = L->cap = 0;
}

int
ui_lines_draw(WINDOW *w, int y, int x, int h, int width,
    const struct ui_lines *L, int first)
{
	int r;

	for (r = 0; r < h && first + r < (int)L->n; r++) {
		const struct ui_line *l = &L->v[first + r];

		wattrset(w, l->attr);
		put_wide(w, y + r, x + l->indent, width - l->indent, l->s);
	}
	wattrset(w, A_NORMAL);
	return r;
}

/* ------------------------------------------------------------------ */
/* Progress. */

void
ui_answer_id(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "q:%s:%zu", ui_lesson(ui)->id, ui->step + 1);
}

bool
ui_answered(const struct ui *ui, const struct lesson *l, size_t step)
{
	char id[PROGRESS_ID_MAX];

	snprintf(id, sizeof id, "q:%s:%zu", l->id, step + 1);
	if (progress_is_done(&ui->prog, id))
		return true;
	snprintf(id, sizeof id, "%s:%zu", l->id, step + 1);
	return progress_is_done(&ui->prog, id);
}

void
ui_save(struct ui *ui)
{
	/* Writing the file (fsync, rename) costs milliseconds: it is done
	 * right after the next screen update, not before it. */
	ui->save_pending = true;
}

static void
save_now(struct ui *ui)
{
	char *cause = NULL;

	ui->save_pending = false;
	if (ui->app->progress_path == NULL)
		return;
	/* The sandbox is not a place in the course: the saved place stays
	 * the lesson the learner was in. */
	if (!ui->in_sandbox) {
		snprintf(ui->prog.lesson, sizeof ui->prog.lesson, "%s",
		    ui_lesson(ui)->id);
		ui->prog.step = (unsigned)ui->step;
	}
	snprintf(ui->prog.lang, sizeof ui->prog.lang, "%s",
	    i18n_get() == I18N_IT ? "it" : "en");
	if (progress_save(ui->app->progress_path, &ui->prog, &cause) == -1) {
		if (!ui->status_warned) {
			ui->status = UI_ST_SAVE_FAILED;
			snprintf(ui->status_arg, sizeof ui->status_arg, "%s",
			    cause != NULL ? cause : "");
			ui->status_warned = true;
		}
		free(cause);
	}
}

static void
progress_start(struct ui *ui)
{
	const struct app *app = ui->app;
	char *cause = NULL;
	size_t i;
	int r;

	memset(&ui->prog, 0, sizeof ui->prog);
	if (app->progress_path == NULL)
		return;
	r = progress_load(app->progress_path, &ui->prog, &cause);
	if (r == -1) {
		char *bad, *why = NULL;

		/* Reported once.  The file goes aside as progress.bad, so
		 * the next save replaces nothing; if it cannot, the next
		 * save replaces it. */
		bad = progress_set_aside(app->progress_path, &why);
		ui->status = bad != NULL ? UI_ST_CORRUPT_KEPT : UI_ST_CORRUPT;
		snprintf(ui->status_arg, sizeof ui->status_arg, "%s",
		    cause != NULL ? cause : "");
		free(bad);
		free(why);
		free(cause);
		memset(&ui->prog, 0, sizeof ui->prog);
		return;
	}
	if (r == 0 || app->start_given)
		return;
	for (i = 0; i < app->nlessons; i++) {
		if (strcmp(app->lessons[i]->id, ui->prog.lesson) != 0)
			continue;
		ui->lesson = i;
		ui->step = ui->prog.step < app->lessons[i]->nsteps ?
		    ui->prog.step : 0;
		ui->status = UI_ST_RESUMED;
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Moving between steps: the lab always matches the step on screen. */

void
ui_lab_post(struct ui *ui, const struct lab_cmd *cmd, bool replay)
{
	ui->lab_moves++;
	lab_post(ui->lab, cmd, replay);
}

void
ui_lab_reset(struct ui *ui)
{
	ui->lab_moves++;
	lab_reset(ui->lab);
	/* The sockets of one network cannot move to the other: the
	 * step's world is chosen while the lab is empty. */
	ui_wire_place(ui);
}

bool
ui_bar_addr(const struct ui *ui, struct lab_addr *out)
{
	if (ui->have_bar)
		*out = ui->bar;
	return ui->have_bar;
}

static void
post_step(struct ui *ui, size_t lesson, size_t step, bool replay)
{
	const struct lesson_step *s = &ui->app->lessons[lesson]->steps[step];
	size_t i;

	for (i = 0; i < s->nactions; i++)
		ui_lab_post(ui, &s->actions[i], replay);
}

static void
enter_step(struct ui *ui)
{
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	ui_text_enter_step(ui);
	ui_wire_enter_step(ui);
	ui_save(ui);
}

void
ui_goto(struct ui *ui, size_t lesson, size_t step)
{
	bool same = lesson == ui->lesson && !ui->in_sandbox;
	size_t i;

	ui->in_sandbox = false;

	if (same && step == ui->step + 1 && !ui_wire_moves(ui, lesson, step)) {
		/* Forward by one: just this step's actions. */
		ui->step = step;
		enter_step(ui);
		if (ui->lab != NULL)
			post_step(ui, lesson, step, false);
		return;
	}
	/* Anything else re-runs the lab from scratch up to the step, for
	 * real; the log marks those calls as redone.  The sockets shown
	 * before the step's own actions are not known yet, so nothing is
	 * highlighted as changed until this step's calls arrive. */
	ui->lesson = lesson;
	ui->step = step;
	enter_step(ui);
	ui->have_base = false;
	if (ui->lab == NULL)
		return;
	/* The sockets and guests that come from now on are this
	 * lesson's; what earlier lessons left is shown apart. */
	lab_set_lesson(ui->lab, (int)lesson + 1);
	ui_log_before_reset(ui, same, step);
	ui_lab_reset(ui);
	for (i = 0; i < step; i++)
		post_step(ui, lesson, i, true);
	/* The step on screen is performed now, not redone: its calls are
	 * live, like a datagram sent while the learner reads. */
	post_step(ui, lesson, step, false);
}

static void
go_next(struct ui *ui)
{
	const struct lesson *l = ui_lesson(ui);

	ui->status = UI_ST_NONE;
	if (ui->step + 1 < l->nsteps) {
		ui_goto(ui, ui->lesson, ui->step + 1);
		return;
	}
	progress_mark_done(&ui->prog, l->id);
	if (ui->lesson + 1 < ui->app->nlessons) {
		ui_goto(ui, ui->lesson + 1, 0);
		return;
	}
	ui_save(ui);
	ui->status = UI_ST_LAST_STEP;
}

static void
go_prev(struct ui *ui)
{
	ui->status = UI_ST_NONE;
	if (ui->step > 0) {
		ui_goto(ui, ui->lesson, ui->step - 1);
		return;
	}
	if (ui->lesson > 0) {
		size_t prev = ui->lesson - 1;

		ui_goto(ui, prev, ui->app->lessons[prev]->nsteps - 1);
		return;
	}
	ui->status = UI_ST_FIRST_STEP;
}

/* ------------------------------------------------------------------ */
/* Layout. */

static void
free_windows(struct ui *ui)
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
static void
ui_layout(struct ui *ui)
{
	int R = LINES, C = COLS;

	free_windows(ui);
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

static void
resize_now(struct ui *ui)
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

/* ------------------------------------------------------------------ */
/* Title bar, footer and status line. */

static void
draw_title(struct ui *ui)
{
	WINDOW *w = ui->wtitle;
	const struct lesson *l = ui_lesson(ui);
	struct lab_addr a;
	char left[512], right[160], addr[80];
	int rw;

	wattrset(w, ui_look(ui, UI_L_BAR));
	ui_fill_row(w, 0);
	if (ui->in_sandbox)
		snprintf(left, sizeof left, " %s", _("Sandbox"));
	else
		snprintf(left, sizeof left, " %zu. %s", ui->lesson + 1,
		    narrate_lesson(l->title.msgid));
	right[0] = '\0';
	addr[0] = '\0';
	if (ui->lab != NULL && ui_bar_addr(ui, &a))
		lab_format_addr(&a, addr, sizeof addr);
	if (ui->in_sandbox)
		snprintf(right, sizeof right, "%s%s%s ", i18n_code(),
		    addr[0] ? "  " : "", addr);
	else
		snprintf(right, sizeof right, "%s%s%s %zu/%zu  %s  %s%s%s ",
		    ui_guests_word(ui) ? ui_guests_word(ui) : "",
		    ui_guests_word(ui) ? "  " : "",
		    _("step"), ui->step + 1, l->nsteps, i18n_code(),
		    ui_wire_world_word(ui), addr[0] ? " " : "", addr);
	rw = ui_width(right);
	/* A title too long for the room left of the step counter ends in
	 * an ellipsis, two columns before it. */
	if (ui_width(left) > ui->cols - rw - 2) {
		ui_put(w, 0, 0, ui->cols - rw - 3, left);
		ui_put(w, 0, ui->cols - rw - 3, 1, "\u2026");
	} else {
		ui_put(w, 0, 0, ui->cols - rw - 2, left);
	}
	ui_put(w, 0, ui->cols - rw, rw, right);
	wattrset(w, A_NORMAL);
}

/* Where the bartender listens, as ADDR:PORT: the real address once it
 * is bound, else the one asked for. */
static void
listen_where(struct ui *ui, char *buf, size_t len)
{
	const struct lab_config *cfg = &ui->app->lab;
	struct lab_addr a;

	if (ui->lab != NULL && ui_bar_addr(ui, &a)) {
		lab_format_addr(&a, buf, len);
		return;
	}
	if (cfg->port == 0)
		snprintf(buf, len, "%s", cfg->listen_addr);
	else if (strchr(cfg->listen_addr, ':') != NULL)
		snprintf(buf, len, "[%s]:%u", cfg->listen_addr,
		    (unsigned)cfg->port);
	else
		snprintf(buf, len, "%s:%u", cfg->listen_addr,
		    (unsigned)cfg->port);
}

static const char *
status_text(struct ui *ui, char *buf, size_t len)
{
	char where[96], arg[4 * sizeof ui->status_arg + 1];

	/* The argument names paths and causes: escaped when drawn. */
	util_escape(ui->status_arg, strlen(ui->status_arg), arg, sizeof arg);

	switch (ui->status) {
	case UI_ST_LISTEN:
		listen_where(ui, where, sizeof where);
		if (util_addr_is_loopback(ui->app->lab.listen_addr))
			snprintf(buf, len, _("Listening on %s (this machine "
			    "only)."), where);
		else
			snprintf(buf, len, _("Listening on %s: other machines "
			    "can connect."), where);
		break;
	case UI_ST_RESUMED:
		snprintf(buf, len, _("Welcome back: resumed at lesson %zu, "
		    "step %zu."), ui->lesson + 1, ui->step + 1);
		break;
	case UI_ST_CORRUPT:
		snprintf(buf, len, _("The progress file was unreadable (%s); "
		    "starting afresh."), arg);
		break;
	case UI_ST_CORRUPT_KEPT:
		snprintf(buf, len, _("The progress file was unreadable and is "
		    "kept as progress.bad; starting afresh (%s)."), arg);
		break;
	case UI_ST_SAVE_FAILED:
		snprintf(buf, len, _("Progress cannot be saved (%s)."),
		    arg);
		break;
	case UI_ST_NO_LAB:
		snprintf(buf, len, _("The live lab could not start (%s)."),
		    arg);
		break;
	case UI_ST_LAST_STEP:
		snprintf(buf, len, "%s", _("This is the last step of the last "
		    "lesson."));
		break;
	case UI_ST_FIRST_STEP:
		snprintf(buf, len, "%s", _("This is the first step."));
		break;
	case UI_ST_SAVED:
		snprintf(buf, len, _("Saved as %s."), arg);
		break;
	case UI_ST_NOT_SAVED:
		snprintf(buf, len, _("Could not save the program (%s)."), arg);
		break;
	case UI_ST_NOTHING_TO_SAVE:
		snprintf(buf, len, "%s", _("This step shows no whole program "
		    "to save."));
		break;
	default:
		return ui_wire_status(ui, arg, buf, len);
	}
	return buf;
}

#define FOOTER_MAX 20	/* keys a footer can offer */

/* Write the items that fit in room columns into buf: the first and the
 * help always, the others in order of importance, each when it fits
 * whole; the kept ones in their order. */
static void
fit_items(const char *const *item, size_t n, const char *help, char *buf,
    size_t len, int room)
{
	bool keep[FOOTER_MAX];
	size_t i, used = 0;
	int w;

	assert(n <= FOOTER_MAX);
	for (i = 0; i < n; i++) {
		keep[i] = i == 0 || item[i] == help;
		if (keep[i])
			room -= ui_width(item[i]) + 2;
	}
	for (i = 0; i < n; i++) {
		if (keep[i])
			continue;
		w = ui_width(item[i]) + 2;
		if (w <= room) {
			keep[i] = true;
			room -= w;
		}
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (keep[i] && used + strlen(item[i]) + 3 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "  " : "", item[i]);
}


/* The footer's items, each a key (or keys) from the key table and a
 * word. */
struct foot {
	enum keys_screen screen;
	const char *item[FOOTER_MAX];
	char text[FOOTER_MAX][120];
	size_t n;
	const char *help;	/* the item of KA_HELP, kept whatever room */
};

/* The footer's keys of the actions in act (ended by KA_NONE): for each,
 * those the table marks for the footer, else the first; joined by "/". */
static void
foot_keys(enum keys_screen screen, const enum key_action *act, char *buf,
    size_t len)
{
	int key[4];
	size_t n, i, used = 0;
	char one[8];

	buf[0] = '\0';
	for (; *act != KA_NONE; act++) {
		n = keys_find(screen, *act, true, key, 4);
		if (n == 0)
			n = keys_of(screen, *act, key, 1) > 0 ? 1 : 0;
		for (i = 0; i < n && i < 4 && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", used > 0 ? "/" : "",
			    ui_key_name(key[i], one, sizeof one));
	}
}

/* Adds fmt (a translated "%s word") with keys, or when keys is NULL with
 * the keys of the actions a and b (b may be KA_NONE). */
static void
foot_add(struct foot *F, const char *fmt, enum key_action a,
    enum key_action b, const char *keys)
{
	enum key_action act[3] = { a, b, KA_NONE };
	const char *at;
	char k[80];

	if (F->n >= FOOTER_MAX)
		return;
	/* TRANSLATORS: in the footer's items, %s is a key or keys
	 * (Right, PgUp/PgDn). */
	if (keys == NULL) {
		foot_keys(F->screen, act, k, sizeof k);
		keys = k;
	}
	/* The item is fmt with its one %s replaced by the keys. */
	at = strstr(fmt, "%s");
	snprintf(F->text[F->n], sizeof F->text[F->n], "%.*s%s%s",
	    at != NULL ? (int)(at - fmt) : (int)strlen(fmt), fmt,
	    at != NULL ? keys : "", at != NULL ? at + 2 : "");
	F->item[F->n] = F->text[F->n];
	if (a == KA_HELP)
		F->help = F->item[F->n];
	F->n++;
}

/* The keys of a lesson's step, in order of importance. */
static void
foot_step(struct ui *ui, struct foot *F, const char *lang)
{
	const struct lesson_step *s = ui_cur_step(ui);
	/* What the learner needs to go on comes first: the moves, the
	 * scroll when the text is longer than its pane, the step's own
	 * keys; the rest as room allows. */
	bool overflow = !ui->present && ui->text_max_scroll > 0;
	bool end = ui_text_course_end(ui);
	bool choices = s->question != NULL && s->question->nchoices > 0;

	if (end)
		foot_add(F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
	else
		foot_add(F, _("%s next"), KA_NEXT, KA_NONE, NULL);
	foot_add(F, _("%s back"), KA_PREV, KA_NONE, NULL);
	if (overflow)
		foot_add(F, _("%s scroll"), KA_PAGE_UP, KA_PAGE_DOWN, NULL);
	if (choices)
		foot_add(F, _("%s answer"), KA_NONE, KA_NONE, "1-9");
	if (ui->door != NULL && choices)
		foot_add(F, _("%s right answer"), KA_REVEAL, KA_NONE, NULL);
	if (ui->present)
		foot_add(F, ui->guests_wait ? _("%s guests come in") :
		    _("%s guests wait"), KA_GUESTS, KA_NONE, NULL);
	if (!ui->present && s->input.kind == LESSON_INPUT_RECV)
		foot_add(F, _("%s type a size"), KA_ENTER, KA_NONE, NULL);
	else if (!ui->present && s->input.kind != LESSON_INPUT_NONE)
		foot_add(F, _("%s type a port"), KA_ENTER, KA_NONE, NULL);
	if (!ui->present && ui->have_ex && ui->ex.kind == EXERCISE_OWN_SERVER)
		foot_add(F, _("%s check your server"), KA_CHECK, KA_NONE, NULL);
	if (!ui->present && s->question != NULL &&
	    s->question->input != LESSON_INPUT_NONE)
		foot_add(F, _("%s answer"), KA_ANSWER, KA_NONE, NULL);
	foot_add(F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	if (!ui->present && (s->nhints > 0 || ui->have_ex))
		foot_add(F, _("%s hints"), KA_HINTS, KA_NONE, NULL);
	if (ui_code_has(ui))
		foot_add(F, _("%s code"), KA_CODE, KA_NONE, NULL);
	foot_add(F, _("%s help"), KA_HELP, KA_NONE, NULL);
	if (ui_code_has(ui))
		foot_add(F, _("%s save"), KA_SAVE, KA_NONE, NULL);
	if (!ui->present)
		foot_add(F, ui->lab_open ? _("%s lab smaller") : _("%s lab"),
		    KA_LAB, KA_NONE, NULL);
	foot_add(F, ui_wire_shown(ui) ? _("%s hide packets") :
	    _("%s packets"), KA_WIRE, KA_NONE, NULL);
	foot_add(F, _("%s log"), KA_LOG, KA_NONE, NULL);
	foot_add(F, "%s", KA_NONE, KA_NONE, lang);
	if (!end)
		foot_add(F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
}

/* The keys that do something right now, worded for this moment: the
 * items in order of importance, each kept only when it fits. */
static void
footer_keys(struct ui *ui, char *buf, size_t len, int room)
{
	struct foot F;
	char lang[40], l[8];

	F.screen = ui_keys_screen(ui);
	F.n = 0;
	F.help = NULL;
	/* Each language is named in its own words, whatever the screen's
	 * language: not translated. */
	ui_keys_label(F.screen, KA_LANG, "/", l, sizeof l);
	snprintf(lang, sizeof lang, "%s %s", l, i18n_get() == I18N_EN ?
	    "italiano" : "English");
	if (ui->screen == UI_MENU) {
		foot_add(&F, _("%s choose"), KA_LINE_UP, KA_LINE_DOWN, NULL);
		foot_add(&F, _("%s open"), KA_ENTER, KA_NONE, NULL);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (ui->screen == UI_HELP) {
		foot_add(&F, _("%s scroll"), KA_LINE_UP, KA_LINE_DOWN, NULL);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (ui->screen == UI_CODE || ui->screen == UI_LOG) {
		static const enum key_action scroll[] = { KA_LINE_UP,
		    KA_LINE_DOWN, KA_PAGE_UP, KA_PAGE_DOWN, KA_NONE };
		char k[80];

		foot_keys(F.screen, scroll, k, sizeof k);
		foot_add(&F, _("%s scroll"), KA_NONE, KA_NONE, k);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		if (ui->screen == UI_CODE)
			foot_add(&F, _("%s save"), KA_SAVE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (ui->field != UI_FIELD_NONE) {
		char enter[40], esc[40];

		F.item[F.n++] = ui->field == UI_FIELD_ANSWER ?
		    _("Type your answer") : ui->field == UI_FIELD_RECV ?
		    _("Type a size for recv()") : _("Type a port number");
		/* The field's own keys: not the table's. */
		foot_add(&F, _("%s confirm"), KA_NONE, KA_NONE,
		    ui_key_name(KC_ENTER, enter, sizeof enter));
		foot_add(&F, _("%s cancel"), KA_NONE, KA_NONE,
		    ui_key_name(KC_ESC, esc, sizeof esc));
	} else if (ui->in_sandbox) {
		foot_add(&F, _("%s call"), KA_NONE, KA_NONE, "0-9");
		foot_add(&F, _("%s side"), KA_SIDE, KA_NONE, NULL);
		foot_add(&F, _("%s start again"), KA_RESET, KA_NONE, NULL);
		foot_add(&F, "%s", KA_NONE, KA_NONE, lang);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
		foot_add(&F, _("%s help"), KA_HELP, KA_NONE, NULL);
		foot_add(&F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
	} else {
		foot_step(ui, &F, lang);
	}
	fit_items(F.item, F.n, F.help, buf, len, room);
}

static void
draw_footer(struct ui *ui)
{
	WINDOW *w = ui->wfoot;
	char st[2800], keys[600];
	int x = 0;

	wattrset(w, ui_look(ui, UI_L_BAR));
	ui_fill_row(w, 0);
	if (status_text(ui, st, sizeof st) != NULL) {
		/* The status leaves room for the key that moves on and
		 * for the help. */
		struct foot F = { .screen = ui_keys_screen(ui) };
		int room;

		foot_add(&F, _("%s next"), KA_NEXT, KA_NONE, NULL);
		foot_add(&F, _("%s help"), KA_HELP, KA_NONE, NULL);
		room = ui->screen == UI_MAIN && ui->field == UI_FIELD_NONE ?
		    ui->cols - ui_width(F.item[0]) - ui_width(F.item[1]) - 6 :
		    ui->cols;

		wattrset(w, ui_look(ui, UI_L_MARK));
		x = ui_put(w, 0, 0, room, st);
		wattrset(w, ui_look(ui, UI_L_BAR));
		x += 2;
	}
	/* Only whole keys, in the room the status line leaves. */
	footer_keys(ui, keys, sizeof keys, ui->cols - x - 2);
	if (x < ui->cols)
		ui_put(w, 0, x + 1, ui->cols - x - 1, keys);
	wattrset(w, A_NORMAL);
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

static void
draw_all(struct ui *ui)
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
	draw_title(ui);
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
	draw_footer(ui);
	wnoutrefresh(ui->wfoot);
	doupdate();
}

/* ------------------------------------------------------------------ */
/* Keys. */

static void
toggle_lang(struct ui *ui)
{
	i18n_set(i18n_get() == I18N_EN ? I18N_IT : I18N_EN);
	if (ui->door != NULL)
		ui_door_language(ui->door);
	ui_save(ui);
}

static void
open_menu(struct ui *ui)
{
	ui->screen = UI_MENU;
	ui->menu_sel = ui->in_sandbox ? ui->app->nlessons : ui->lesson;
}

/* A page of the text pane: the text's rows, or the question's when the
 * text has no more to show. */
static int
page_rows(const struct ui *ui)
{
	int h = ui->lay.text > 1 ? ui->lay.text : getmaxy(ui->wtext);

	return h > 1 ? h - 1 : 1;
}

/* The keys of the lesson and lecture screens that are not a pane's
 * own: moving, scrolling, the views and the lab. */
static void
step_key(struct ui *ui, enum key_action act)
{
	switch (act) {
	case KA_NEXT:
		go_next(ui);
		break;
	case KA_PREV:
		go_prev(ui);
		break;
	case KA_PAGE_DOWN:
		if (ui->wtext != NULL)
			ui_text_scroll(ui, page_rows(ui));
		break;
	case KA_PAGE_UP:
		if (ui->wtext != NULL)
			ui_text_scroll(ui, -page_rows(ui));
		break;
	case KA_LINE_DOWN:
		ui_text_scroll(ui, 1);
		break;
	case KA_LINE_UP:
		ui_text_scroll(ui, -1);
		break;
	case KA_LAB:
		ui->lab_open = !ui->lab_open;
		break;
	case KA_BLANK:
		ui->blank = !ui->blank;
		break;
	case KA_WIRE:
		ui_wire_toggle(ui);
		break;
	case KA_WIRE_SAVE:
		ui_wire_save(ui);
		break;
	case KA_LOG:
		ui->screen = UI_LOG;
		ui->log_scroll = 1 << 20;
		break;
	case KA_REVEAL:
		if (ui->door != NULL)
			ui_door_reveal(ui->door);
		break;
	case KA_ADDRS:
		ui->show_addrs = !ui->show_addrs;
		break;
	case KA_GUESTS:
		ui_guests_toggle(ui);
		break;
	default:
		break;
	}
}

static void
main_key(struct ui *ui, enum key_action act, int key)
{
	/* A black lecture screen comes back at any key, which does
	 * nothing else. */
	if (ui->blank) {
		ui->blank = false;
		return;
	}
	/* A greeting is read once: the next key gives its room back to
	 * the keys of the footer. */
	if (ui->status == UI_ST_RESUMED || ui->status == UI_ST_LISTEN ||
	    ui->status == UI_ST_NO_NETNS)
		ui->status = UI_ST_NONE;
	if (act == KA_MENU) {
		open_menu(ui);
		return;
	}
	if (act == KA_HELP) {
		ui->screen = UI_HELP;
		ui->help_scroll = 0;
		return;
	}
	if (ui->in_sandbox) {
		ui_sandbox_key(ui, act, key);
		return;
	}
	if (ui_text_key(ui, act, key) || ui_code_key(ui, act))
		return;
	step_key(ui, act);
}

/* curses' key (ch, a function key when is_key) as the key table's code. */
static int
key_code(wint_t ch, bool is_key)
{
	if (!is_key) {
		switch (ch) {
		case L'\r':
		case L'\n':
			return KC_ENTER;
		case 0x7f:
		case 0x08:
			return KC_BACKSPACE;
		case KEYS_ESC_BYTE:
			return KC_ESC;
		case KEYS_CTRL_C_BYTE:
			return KC_CTRL_C;
		}
		return (int)ch;
	}
	switch (ch) {
	case KEY_ENTER:
		return KC_ENTER;
	case KEY_BACKSPACE:
		return KC_BACKSPACE;
	case KEY_RIGHT:
		return KC_RIGHT;
	case KEY_LEFT:
		return KC_LEFT;
	case KEY_UP:
		return KC_UP;
	case KEY_DOWN:
		return KC_DOWN;
	case KEY_PPAGE:
		return KC_PGUP;
	case KEY_NPAGE:
		return KC_PGDN;
	case KEY_HOME:
		return KC_HOME;
	case KEY_END:
		return KC_END;
	case KEY_RESIZE:
		return KC_RESIZE;
	}
	return KC_OTHER;
}

static void
dispatch_key(struct ui *ui, wint_t ch, bool is_key)
{
	int key = key_code(ch, is_key);
	enum key_action act;

	if (key == KC_RESIZE) {
		clearok(curscr, TRUE);
		ui_layout(ui);
		return;
	}
	act = keys_action(ui_keys_screen(ui), key);
	/* An input field takes every key until Enter or Esc; a screen
	 * too small to draw, only quit and language. */
	if (ui->field != UI_FIELD_NONE && !ui->small) {
		ui_text_key(ui, act, key);
		return;
	}
	if (act == KA_QUIT) {
		ui->quit = true;
		return;
	}
	if (act == KA_LANG) {
		toggle_lang(ui);
		return;
	}
	if (ui->small)
		return;
	switch (ui->screen) {
	case UI_MENU:
		ui_menu_key(ui, act);
		break;
	case UI_HELP:
		ui_help_key(ui, act);
		break;
	case UI_CODE:
		ui_code_view_key(ui, act);
		break;
	case UI_LOG:
		ui_log_view_key(ui, act);
		break;
	case UI_MAIN:
		main_key(ui, act, key);
		break;
	}
}

static void
read_keys(struct ui *ui)
{
	wint_t ch;
	int r;

	while (!ui->quit && (r = wget_wch(stdscr, &ch)) != ERR)
		dispatch_key(ui, ch, r == KEY_CODE_YES);
}

/* ------------------------------------------------------------------ */
/* The loop. */

#define DRAIN_BATCH 16

static bool
is_guest_event(const struct lab_event *ev)
{
	return lab_event_is_guest(ev->kind);
}

/* Takes in every pending event; returns true when one of them was not a
 * guest's (those alone may wait for the next frame). */
static bool
drain_lab(struct ui *ui)
{
	struct lab_event *ev = ui->evbuf;
	bool lesson = false;
	size_t n;

	while ((n = lab_drain(ui->lab, ev, DRAIN_BATCH)) > 0) {
		struct pollfd key = { STDIN_FILENO, POLLIN, 0 };
		size_t i;

		/* One at a time: the sandbox may clear the log on a reset,
		 * and what follows the reset must stay. */
		for (i = 0; i < n; i++) {
			lesson = lesson || !is_guest_event(&ev[i]);
			ui_lab_events(ui, &ev[i], 1);
			ui_wire_event(ui, &ev[i]);
			ui_log_sift(ui);
			if (ui->in_sandbox)
				ui_sandbox_event(ui, &ev[i]);
			else
				ui_text_event(ui, &ev[i]);
		}
		/* A crowd's news can fill batch after batch, each with a
		 * snapshot: a key waiting goes first, the rest stays
		 * pending. */
		if (poll(&key, 1, 0) > 0)
			break;
	}
	/* Binds and resets come as the lesson's events. */
	if (lesson)
		ui->have_bar = lab_server_addr(ui->lab, &ui->bar);
	return lesson;
}

static void
read_signals(struct ui *ui)
{
	unsigned char b[32];
	ssize_t n, i;

	while ((n = read(sig_pipe[0], b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			switch (b[i]) {
			case SIGWINCH:
				resize_now(ui);
				break;
			case SIGINT:
				ui->quit = true;
				break;
			default:
				ui->quit = true;
				ui->exit_status = 128 + b[i];
				break;
			}
		}
	}
}

/* One step's calls arrive as several events in a few milliseconds;
 * drawing after each would send the terminal several partial screens.
 * So a frame waits until the lab has settled (every posted call done or
 * blocked), at most HOLD_MS.  Guests' events, which can come by the
 * hundred, are drawn at most every FRAME_MS; keys never wait for that. */
#define HOLD_MS 50
#define FRAME_MS 20

/* When the pending frame is due (CLOCK_MONOTONIC, us). */
static uint64_t
frame_due(bool settled, uint64_t dirty_since, uint64_t last_draw,
    bool urgent)
{
	if (!settled)
		return dirty_since + HOLD_MS * 1000u;
	if (urgent)
		return 0;
	return last_draw + FRAME_MS * 1000u;
}

/* fresh: take in the lab's news first (the lab has settled: what its
 * finished calls posted since the last drain belongs in this frame).
 * Without it the frame shows the last snapshot taken in, as a key that
 * changed nothing in the lab (help, menu, language) may: each snapshot
 * is self-contained. */
static void
draw_frame(struct ui *ui, bool fresh)
{
	if (ui->lab != NULL && fresh)
		drain_lab(ui);
	draw_all(ui);
	if (ui->save_pending) {
		bool warned = ui->status_warned;

		save_now(ui);
		if (warned != ui->status_warned)
			draw_all(ui);
	}
}

static void
loop(struct ui *ui)
{
	struct pollfd fds[5];
	uint64_t dirty_since = 0, last_draw = 0;
	bool dirty = true, urgent = true, keyed = false;
	int nfds, r, timeout, door_at, wire_at, wire_fd;

	while (!ui->quit) {
		bool pacing = false;

		/* Keys that left the lab alone are drawn at once, from the
		 * snapshot on screen: neither the lab's lock (the bartender
		 * may hold it through a crowd's round) nor a fresh snapshot
		 * stands between them and the screen.  Whatever the lab
		 * posted meanwhile keeps its own frame. */
		if (keyed) {
			draw_frame(ui, false);
			keyed = false;
		}
		timeout = ui_lab_ticking(ui) || (ui->present &&
		    !ui->in_sandbox && ui_present_ticking(ui)) ? 1000 : -1;
		if (dirty) {
			uint64_t now = util_now_us(), due;
			bool settled = ui->lab == NULL || lab_settled(ui->lab);

			if (dirty_since == 0)
				dirty_since = now;
			due = frame_due(settled, dirty_since, last_draw,
			    urgent);
			if (now >= due) {
				draw_frame(ui, true);
				last_draw = util_now_us();
				dirty = urgent = false;
				dirty_since = 0;
			} else {
				timeout = (int)((due - now + 999) / 1000);
				/* Guests' news waits for its frame: taking
				 * it in now would cost a snapshot each. */
				pacing = settled && !urgent;
			}
		}
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = sig_pipe[0];
		fds[1].events = POLLIN;
		nfds = 2;
		if (ui->lab != NULL && !pacing) {
			fds[2].fd = lab_wake_fd(ui->lab);
			fds[2].events = POLLIN;
			nfds = 3;
		}
		/* The class's votes: a new count is a new frame. */
		door_at = -1;
		if (ui->door != NULL) {
			door_at = nfds;
			fds[nfds].fd = ui_door_wake_fd(ui->door);
			fds[nfds++].events = POLLIN;
		}
		/* The private network's packets: the ladder follows them
		 * as they come, a retransmission too. */
		wire_at = -1;
		wire_fd = pacing ? -1 : ui_wire_fd(ui);
		if (wire_fd != -1) {
			wire_at = nfds;
			fds[nfds].fd = wire_fd;
			fds[nfds++].events = POLLIN;
		}
		r = poll(fds, (nfds_t)nfds, timeout);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			ui->quit = true;
			ui->exit_status = 1;
			break;
		}
		if (r == 0) {
			/* A frame falling due, or the countdown's tick. */
			if (!dirty && ui->lab != NULL) {
				lab_snapshot_now(ui->lab, &ui->snap);
				dirty = urgent = true;
			}
			continue;
		}
		if (wire_at >= 0 && (fds[wire_at].revents & POLLIN)) {
			ui_wire_readable(ui);
			dirty = true;
		}
		if (door_at >= 0 && (fds[door_at].revents & POLLIN)) {
			ui_door_wake(ui->door);
			dirty = true;
		}
		if (fds[1].revents & POLLIN) {
			read_signals(ui);
			dirty = urgent = true;
		}
		/* Keys first: the lab's news can wait for the next turn. */
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			unsigned moves = ui->lab_moves;

			if (fds[0].revents & (POLLHUP | POLLERR) &&
			    !(fds[0].revents & POLLIN)) {
				/* The terminal went away. */
				ui->quit = true;
				ui->exit_status = 128 + SIGHUP;
			}
			read_keys(ui);
			if (ui->lab_moves == moves && !(dirty && urgent))
				keyed = true;
			else
				dirty = urgent = true;
			continue;
		}
		if (nfds >= 3 && door_at != 2 && (fds[2].revents & POLLIN)) {
			dirty = true;
			if (drain_lab(ui))
				urgent = true;
		}
	}
}

int
ui_run(const struct app *app)
{
	struct ui *ui = xcalloc(1, sizeof *ui);
	char *cause = NULL;
	int rc;

	ui->app = app;
	ui->present = app->present;
	ui->lesson = app->start;
	ui->chosen = -1;
	ui->typed = -1;
	ui->log = xcalloc(UI_LOG_MAX, sizeof *ui->log);
	ui->evbuf = xcalloc(DRAIN_BATCH, sizeof *ui->evbuf);
	if (app->sandbox || app->nlessons == 0)
		ui->lesson = 0;
	progress_start(ui);
	/* A classroom address is a choice the screen owns up to. */
	if (app->listen_given && ui->status == UI_ST_NONE)
		ui->status = UI_ST_LISTEN;
	/* So is a lab without a private network: no packets to show. */
	if (app->netns_cause != NULL && ui->status == UI_ST_NONE)
		ui->status = UI_ST_NO_NETNS;

	/* Our handlers go in before initscr, so curses leaves SIGWINCH and
	 * SIGINT to us. */
	if (signals_init() == -1) {
		fprintf(stderr, "socktutor: %s\n", strerror(errno));
		free(ui->evbuf);
		free(ui->log);
		free(ui);
		return 1;
	}
	ui->lab = lab_new(&app->lab, &cause);
	if (ui->lab == NULL) {
		ui->status = UI_ST_NO_LAB;
		snprintf(ui->status_arg, sizeof ui->status_arg, "%s",
		    cause != NULL ? cause : "");
		free(cause);
		cause = NULL;
	}
	/* The classroom door opens with the lecture layout. */
	if (app->present) {
		ui->door = ui_door_open(app, ui->lab, &cause);
		if (ui->door == NULL)
			ui->door_cause = cause;
		cause = NULL;
	}

	ui_fatal_save_tty();
	if (initscr() == NULL) {
		ui_door_close(ui->door);
		free(ui->door_cause);
		lab_free(ui->lab);
		signals_done();
		free(ui->evbuf);
		free(ui->log);
		free(ui);
		return 1;
	}
	ui_fatal_arm();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* No peeking at the keyboard halfway through an update: curses
	 * would flush each piece on its own, a dozen writes per frame. */
	typeahead(-1);
	colours_init(ui);
	ui_layout(ui);

	/* Bring the lab to the starting step: earlier steps count as redone
	 * when resuming.  The sandbox starts with a clean lab. */
	if (app->sandbox) {
		ui_sandbox_enter(ui);
	} else {
		size_t i, step = ui->step;

		ui->step = 0;
		enter_step(ui);
		ui->step = step;
		if (step > 0) {
			ui_text_enter_step(ui);
			ui_save(ui);
		}
		if (ui->lab != NULL) {
			const struct lesson *l = ui_lesson(ui);

			lab_set_lesson(ui->lab, (int)ui->lesson + 1);
			ui_wire_place(ui);
			for (i = 0; i <= step && i < l->nsteps; i++)
				post_step(ui, ui->lesson, i, i < step);
		}
	}
	/* The test suite's way to prove that a fatal error gives the
	 * terminal back (tests/screen_fatal.sh): once the first screen is
	 * up, an allocation no machine grants. */
	if (getenv("SOCKTUTOR_TEST_FATAL") != NULL) {
		draw_frame(ui, true);
		free(xmalloc(SIZE_MAX / 2));
	}
	loop(ui);
	if (ui->save_pending)
		save_now(ui);

	/* The threads are stopped first, so that none can write to the
	 * terminal or fail once curses has let it go; then the terminal
	 * comes back. */
	ui_door_close(ui->door);
	free(ui->door_cause);
	lab_free(ui->lab);
	endwin();
	ui_fatal_disarm();
	free_windows(ui);
	signals_done();
	rc = ui->exit_status;
	free(ui->evbuf);
	free(ui->log);
	free(ui);
	return rc;
}

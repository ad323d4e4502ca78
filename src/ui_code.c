/* ui_code.c - the step's code: the pane under the lab, and the whole
 * code on a screen of its own (key v).  Every block of the step shows with
 * its label: the shell commands first, since they are what the learner
 * types in another terminal, then C and Python.  A pane too small for all
 * of it shows one language at a time (key t switches) and says where the
 * rest is.  Code is never translated, only its labels; tabs become four
 * columns wherever code is drawn. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"
#include "util.h"

/* Tabs to the next multiple of eight columns, the same in every view. */
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

/* A shell command names the lesson's address "127.0.0.1 5050": when the
 * bartender really is elsewhere (another port, --listen), the command the
 * learner copies says where. */
static char *
shell_text(struct ui *ui, const char *text)
{
	static const char want[] = "127.0.0.1 5050";
	struct lab_addr a;
	const char *host;
	char there[96];
	const char *p, *at;
	size_t n = 0;
	char *out;

	if (ui->lab == NULL || !ui_bar_addr(ui, &a) ||
	    a.family != AF_INET || strstr(text, want) == NULL)
		return xstrdup(text);
	/* A wildcard address is reached at loopback from this machine. */
	host = strcmp(a.host, "0.0.0.0") == 0 ? "127.0.0.1" : a.host;
	snprintf(there, sizeof there, "%s %u", host, (unsigned)a.port);
	for (p = text; (at = strstr(p, want)) != NULL; p = at + 1)
		n++;
	out = xmalloc(strlen(text) + n * strlen(there) + 1);
	out[0] = '\0';
	for (p = text; (at = strstr(p, want)) != NULL; p = at + strlen(want)) {
		strncat(out, p, (size_t)(at - p));
		strcat(out, there);
	}
	strcat(out, p);
	return out;
}

/* One block, ready to draw: its lines as the learner should see them. */
struct block {
	const struct lesson_code *c;
	char *text;		/* owns the lines */
	char **line;
	int n;
};

static bool
is_shell(const struct lesson_code *c)
{
	return strcmp(c->lang, "sh") == 0;
}

static void
block_load(struct ui *ui, const struct lesson_code *c, struct block *b)
{
	char *real = is_shell(c) ? shell_text(ui, c->text) :
	    narrate_real_code(c->text, ui->app->lab.backlog);
	char *p;

	b->c = c;
	b->text = expand_tabs(real);
	free(real);
	b->n = 1;
	for (p = b->text; *p != '\0'; p++)
		b->n += *p == '\n';
	b->line = xreallocarray(NULL, (size_t)b->n, sizeof *b->line);
	b->n = 0;
	p = b->text;
	for (;;) {
		char *nl = strchr(p, '\n');

		b->line[b->n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void
block_free(struct block *b)
{
	free(b->text);
	free(b->line);
}

/* The label of a block, in the current language. */
static const char *
block_label(const struct lesson_code *c)
{
	if (is_shell(c))
		return _("Shell, in another terminal:");
	if (strcmp(c->lang, "c") == 0)
		return _("C code");
	if (strcmp(c->lang, "python") == 0)
		return _("Python code");
	return c->lang;
}

/* Draw one code line at y, highlighted when it is the marked one. */
static void
code_line(struct ui *ui, WINDOW *w, int y, int x, int cw,
    const struct block *b, int k)
{
	if (k + 1 == b->c->mark) {
		int i;

		wattrset(w, ui_look(ui, UI_L_MARK));
		for (i = 0; i < cw; i++)
			mvwaddch(w, y, x + i, ' ');
	} else if (is_shell(b->c)) {
		wattrset(w, ui_look(ui, UI_L_KEY) | A_BOLD);
	}
	ui_put(w, y, x + 1, cw - 1, b->line[k]);
	wattrset(w, A_NORMAL);
}

/* Rows a block needs in the pane. */
static int
block_rows(const struct block *b, int cw)
{
	if (is_shell(b->c) && b->n == 1 &&
	    ui_width(block_label(b->c)) + 2 + ui_width(b->line[0]) + 1 <= cw)
		return 1;
	return b->n + 1;
}

/* Draw a block from row y in at most h rows (h >= 1): its label, with a
 * note at the right of the label row, then as many lines as fit.  A
 * one-line shell command fits beside its label when there is room.
 * Returns the rows used. */
static int
draw_block(struct ui *ui, WINDOW *w, int y, int x, int cw, int h,
    const struct block *b, const char *note)
{
	const char *label = block_label(b->c);
	int lw = ui_width(label), r;

	wattrset(w, ui_look(ui, is_shell(b->c) ? UI_L_KEY : UI_L_HEAD));
	ui_put(w, y, x, cw, label);
	wattrset(w, A_NORMAL);
	if (note == NULL && block_rows(b, cw) == 1) {
		code_line(ui, w, y, x + lw + 1, cw - lw - 1, b, 0);
		return 1;
	}
	if (b->n > h - 1 && note == NULL)
		note = _("v: all the code");
	if (note != NULL) {
		int nw = ui_width(note);

		if (lw + 3 + nw <= cw) {
			wattrset(w, ui_look(ui, UI_L_DIM));
			ui_put(w, y, x + cw - nw - 1, nw, note);
			wattrset(w, A_NORMAL);
		}
	}
	for (r = 0; r < b->n && r + 1 < h; r++)
		code_line(ui, w, y + 1 + r, x, cw, b, r);
	return r + 1;
}

/* The step's blocks in the order they are shown: the shell first, then
 * C, then Python and anything else.  Returns how many (at most max). */
static int
step_blocks(struct ui *ui, struct block *out, int max)
{
	const struct lesson_step *s = ui_cur_step(ui);
	static const char *const order[] = { "sh", "c", "python" };
	int n = 0;
	size_t i, k;

	for (k = 0; k < 3; k++)
		for (i = 0; i < s->ncode && n < max; i++)
			if (strcmp(s->code[i].lang, order[k]) == 0)
				block_load(ui, &s->code[i], &out[n++]);
	for (i = 0; i < s->ncode && n < max; i++) {
		for (k = 0; k < 3; k++)
			if (strcmp(s->code[i].lang, order[k]) == 0)
				break;
		if (k == 3)
			block_load(ui, &s->code[i], &out[n++]);
	}
	return n;
}

#define MAX_BLOCKS 8

void
ui_code_draw(struct ui *ui, WINDOW *w)
{
	struct block b[MAX_BLOCKS];
	int W = getmaxx(w), H = getmaxy(w), n, first = 0, y = 0, i, rest;
	int need = 0;
	char note[200];

	werase(w);
	n = step_blocks(ui, b, MAX_BLOCKS);
	if (n == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 0, 1, W - 2, _("No code at this step."));
		wattrset(w, A_NORMAL);
		return;
	}
	/* The shell commands first and whole when they can be: they are
	 * what the learner types.  The code keeps at least its label. */
	while (first < n && is_shell(b[first].c) && y < H) {
		int room = H - y - (first + 1 < n ? 1 : 0);

		if (room < 1)
			room = 1;
		y += draw_block(ui, w, y, 0, W, room, &b[first], NULL);
		first++;
	}
	rest = n - first;
	for (i = first; i < n; i++)
		need += block_rows(&b[i], W);
	if (rest == 0 || y >= H) {
		/* Nothing else, or no room left for it. */
	} else if (rest == 2 && W >= 100) {
		int half = (W - 1) / 2;

		draw_block(ui, w, y, 0, half, H - y, &b[first], NULL);
		draw_block(ui, w, y, half + 1, W - half - 1, H - y,
		    &b[first + 1], NULL);
	} else if (need <= H - y) {
		for (i = first; i < n; i++)
			y += draw_block(ui, w, y, 0, W, H - y, &b[i], NULL);
	} else {
		/* One language at a time; t shows the next. */
		int pick = first + (int)(ui->code_alt % (unsigned)rest);
		int next = first + (int)((ui->code_alt + 1) % (unsigned)rest);

		if (rest > 1)
			snprintf(note, sizeof note, _("t: %s  v: all the code"),
			    block_label(b[next].c));
		else
			snprintf(note, sizeof note, "%s", _("v: all the code"));
		draw_block(ui, w, y, 0, W, H - y, &b[pick], note);
	}
	for (i = 0; i < n; i++)
		block_free(&b[i]);
}

bool
ui_code_has(const struct ui *ui)
{
	return !ui->in_sandbox && ui_cur_step(ui)->ncode > 0;
}

bool
ui_code_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key || !ui_code_has(ui))
		return false;
	if (ch == L'v') {
		ui->screen = UI_CODE;
		ui->code_scroll = 0;
		return true;
	}
	if (ch == L't') {
		ui->code_alt++;
		return true;
	}
	return false;
}

void
ui_code_view_draw(struct ui *ui, WINDOW *w)
{
	struct block b[MAX_BLOCKS];
	struct ui_lines L = { 0 };
	int H = getmaxy(w), W = getmaxx(w) - 4, n, i, k, max;
	char head[400];

	werase(w);
	n = step_blocks(ui, b, MAX_BLOCKS);
	for (i = 0; i < n; i++) {
		if (i > 0)
			ui_lines_blank(&L);
		ui_lines_add(&L, block_label(b[i].c), W, 0, NULL,
		    ui_look(ui, is_shell(b[i].c) ? UI_L_KEY : UI_L_HEAD));
		for (k = 0; k < b[i].n; k++) {
			attr_t a = k + 1 == b[i].c->mark ?
			    ui_look(ui, UI_L_MARK) : is_shell(b[i].c) ?
			    ui_look(ui, UI_L_KEY) | A_BOLD : A_NORMAL;

			ui_lines_add(&L, b[i].line[k], W, 2, NULL, a);
		}
	}
	if (n == 0)
		ui_lines_add(&L, _("No code at this step."), W, 0, NULL,
		    ui_look(ui, UI_L_DIM));
	max = (int)L.n - (H - 2);
	if (ui->code_scroll > max)
		ui->code_scroll = max;
	if (ui->code_scroll < 0)
		ui->code_scroll = 0;
	snprintf(head, sizeof head, _("The code of step %zu: %s"),
	    ui->step + 1, _(ui_cur_step(ui)->title.msgid));
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 2, W, head);
	wattrset(w, A_NORMAL);
	ui_lines_draw(w, 2, 2, H - 2, W, &L, ui->code_scroll);
	if (ui->code_scroll > 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		mvwaddstr(w, 1, getmaxx(w) - 1, "^");
	}
	if (ui->code_scroll < max) {
		wattrset(w, ui_look(ui, UI_L_KEY));
		mvwaddstr(w, H - 1, getmaxx(w) - 1, "v");
	}
	wattrset(w, A_NORMAL);
	ui_lines_free(&L);
	for (i = 0; i < n; i++)
		block_free(&b[i]);
}

bool
ui_code_view_key(struct ui *ui, wint_t ch, bool is_key)
{
	int page = ui->wbody != NULL ? getmaxy(ui->wbody) - 3 : 10;

	if (is_key) {
		switch (ch) {
		case KEY_DOWN:
			ui->code_scroll++;
			break;
		case KEY_UP:
			ui->code_scroll--;
			break;
		case KEY_NPAGE:
			ui->code_scroll += page;
			break;
		case KEY_PPAGE:
			ui->code_scroll -= page;
			break;
		case KEY_HOME:
			ui->code_scroll = 0;
			break;
		case KEY_END:
			ui->code_scroll = 1 << 20;
			break;
		default:
			return false;
		}
		return true;
	}
	if (ch == 27 || ch == L'v' || ch == L'\r' || ch == L'\n') {
		ui->screen = UI_MAIN;
		return true;
	}
	if (ch == L' ') {
		ui->code_scroll += page;
		return true;
	}
	return false;
}

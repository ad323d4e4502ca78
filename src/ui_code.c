/* ui_code.c - the step's code: the pane under the lab, and the whole
 * code on a screen of its own (key v).  Every block of the step shows with
 * its label: the shell commands first, since they are what the learner
 * types in another terminal, then C and Python.  A pane too small for all
 * of it shows one language at a time (key t switches) and says where the
 * rest is.  Code is never translated, only its labels; narrate_code_shown
 * fills in the real port and backlog and expands tabs, as in plain mode. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "i18n.h"
#include "narrate.h"
#include "narrate_step.h"
#include "ui_priv.h"
#include "util.h"

/* The code pane's and the code screen's state. */
struct ui_code {
	unsigned alt;		/* which language a small pane shows */
	int scroll;		/* the code screen's first row */
};

struct ui_code *
ui_code_new(void)
{
	return xcalloc(1, sizeof(struct ui_code));
}

void
ui_code_free(struct ui_code *c)
{
	free(c);
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
	char *p;

	b->c = c;
	/* Placeholders, backlog and tabs: as plain mode shows it. */
	b->text = narrate_code_shown(c, ui->app->lab.backlog);
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

/* Draw a shell block from row y in at most h rows (h >= 1): its label,
 * then its lines; a one-line command fits beside its label when there is
 * room.  Returns the rows used. */
static int
draw_shell(struct ui *ui, WINDOW *w, int y, int cw, int h,
    const struct block *b)
{
	const char *label = block_label(b->c);
	int lw = ui_width(label), r;

	wattrset(w, ui_look(ui, UI_L_KEY));
	ui_put(w, y, 0, cw, label);
	wattrset(w, A_NORMAL);
	if (block_rows(b, cw) == 1) {
		code_line(ui, w, y, lw + 1, cw - lw - 1, b, 0);
		return 1;
	}
	for (r = 0; r < b->n && r + 1 < h; r++)
		code_line(ui, w, y + 1 + r, 0, cw, b, r);
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

/* One row of the pane's scrolling part: a piece of a line of one block,
 * or, side by side, a line of each of two blocks. */
struct crow {
	int line;		/* line of the block; -1 none */
	int from;		/* first byte of the piece */
	int to;			/* byte after it */
	bool cont;		/* a continuation of a line cut at the edge */
	int line2;		/* side by side: the line of the second block */
};

/* The pane as it will be drawn: shell commands and a heading that stay,
 * then rows that scroll.  One code language at a time (t switches),
 * with long lines wrapped at a marker, or C and Python side by side
 * when both fit whole in their halves. */
struct view {
	struct block b[MAX_BLOCKS];
	int n, first;		/* blocks; the first that is not shell */
	int fixed;		/* rows that never scroll */
	bool pair;		/* blocks first and first+1 side by side */
	int pick;		/* the block shown, one at a time */
	bool split;		/* two marked blocks, one above the other, each
				 * around its mark: pick, then second */
	int second, nfirst;	/* the second block; rows of the first */
	int mark2;		/* the second block's marked row */
	int half;		/* side by side: the left column's width */
	struct crow *row;
	int nrows, mark;	/* scrolling rows; the marked one or -1 */
};

/* Bytes of s that fit in cols columns, cut after a space or an
 * operator when one is in the last third, so no word is split. */
static int
fit_bytes(const char *s, int cols)
{
	mbstate_t st;
	int used = 0, at = 0, brk = 0;

	memset(&st, 0, sizeof st);
	while (s[at] != '\0') {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + at, MB_CUR_MAX, &st);
		int cw;

		if (k == 0 || k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		if (used + cw > cols)
			return brk > 0 && used - brk < cols / 3 ? brk : at;
		used += cw;
		at += (int)k;
		if (strchr(" ,(", s[at - 1]) != NULL)
			brk = at;
	}
	return at;
}

static int
max_width(const struct block *b)
{
	int k, m = 0;

	for (k = 0; k < b->n; k++)
		if (ui_width(b->line[k]) > m)
			m = ui_width(b->line[k]);
	return m;
}

static void
push_row(struct view *v, int *cap, struct crow r)
{
	if (v->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v->row = xreallocarray(v->row, (size_t)*cap, sizeof *v->row);
	}
	v->row[v->nrows++] = r;
}

/* Add the rows of block b, its long lines cut at a marker; returns the
 * row of its marked line, or -1. */
static int
wrap_block(struct view *v, int *cap, const struct block *b, int W)
{
	int k, mark = -1;

	for (k = 0; k < b->n; k++) {
		const char *line = b->line[k];
		int len = (int)strlen(line), at = 0;

		if (k + 1 == b->c->mark)
			mark = v->nrows;
		do {
			int room = at == 0 ? W - 2 : W - 4;
			int cut = fit_bytes(line + at, room > 8 ? room : 8);
			struct crow r = { k, at, at + cut, at > 0, -1 };

			push_row(v, cap, r);
			at += cut;
		} while (at < len);
	}
	return mark;
}

static void
view_build(struct ui *ui, int W, struct view *v)
{
	int k, cap = 0, rest;

	memset(v, 0, sizeof *v);
	v->mark = -1;
	v->n = step_blocks(ui, v->b, MAX_BLOCKS);
	while (v->first < v->n && is_shell(v->b[v->first].c))
		v->fixed += block_rows(&v->b[v->first++], W);
	rest = v->n - v->first;
	if (rest == 0)
		return;
	v->fixed++;		/* the heading */
	v->half = (W - 1) / 2;
	v->pair = rest == 2 && max_width(&v->b[v->first]) < v->half - 1 &&
	    max_width(&v->b[v->first + 1]) < W - v->half - 2;
	if (v->pair) {
		const struct block *a = &v->b[v->first], *c = &v->b[v->first + 1];

		for (k = 0; k < a->n || k < c->n; k++) {
			struct crow r = { k < a->n ? k : -1, 0, 0, false,
			    k < c->n ? k : -1 };

			if (v->mark < 0 && ((k + 1 == a->c->mark) ||
			    (a->c->mark == 0 && k + 1 == c->c->mark)))
				v->mark = v->nrows;
			push_row(v, &cap, r);
		}
		return;
	}
	v->pick = v->first + (int)(ui->code->alt % (unsigned)rest);
	/* Two languages with a marked line each (the same call in C and
	 * in Python): both, each around its mark. */
	for (k = v->first; k < v->n && rest > 1; k++)
		if (v->b[k].c->mark > 0 && !v->split) {
			v->pick = k;
			for (v->second = k + 1; v->second < v->n; v->second++)
				if (v->b[v->second].c->mark > 0)
					break;
			v->split = v->second < v->n;
		}
	/* t puts the other language on top, the one f saves. */
	if (v->split && ui->code->alt % 2 == 1) {
		k = v->pick;
		v->pick = v->second;
		v->second = k;
	}
	v->mark = wrap_block(v, &cap, &v->b[v->pick], W);
	if (v->split) {
		v->fixed++;	/* the second heading */
		v->nfirst = v->nrows;
		v->mark2 = wrap_block(v, &cap, &v->b[v->second], W);
	}
}

static void
view_free(struct view *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		block_free(&v->b[i]);
	free(v->row);
}

void
ui_code_measure(struct ui *ui, int width, int *fixed, int *rows, int *mark)
{
	struct view v;

	view_build(ui, width, &v);
	*fixed = v.fixed;
	*rows = v.nrows;
	*mark = v.mark;
	view_free(&v);
}

/* A piece of a line, highlighted when its line is the marked one; a
 * continuation starts with an arrow. */
static void
piece(struct ui *ui, WINDOW *w, int y, int x, int cw, const struct block *b,
    const struct crow *r, int line)
{
	char *text;
	int i, off = 1;

	if (line < 0)
		return;
	if (line + 1 == b->c->mark) {
		wattrset(w, ui_look(ui, UI_L_MARK));
		for (i = 0; i < cw; i++)
			mvwaddch(w, y, x + i, ' ');
	}
	if (r->cont) {
		ui_put(w, y, x + 1, 2, "\u21aa");
		off = 3;
	}
	text = r->to == 0 ? xstrdup(b->line[line]) :
	    xstrndup(b->line[line] + r->from, (size_t)(r->to - r->from));
	ui_put(w, y, x + off, cw - off, text);
	free(text);
	wattrset(w, A_NORMAL);
}

/* The heading: the label of what is shown, and where the rest is. */
static void
view_head(struct ui *ui, WINDOW *w, int y, int W, const struct view *v)
{
	char note[200];
	int lw;

	wattrset(w, ui_look(ui, UI_L_HEAD));
	if (v->pair) {
		ui_put(w, y, 0, v->half, block_label(v->b[v->first].c));
		ui_put(w, y, v->half + 1, W - v->half - 1,
		    block_label(v->b[v->first + 1].c));
		wattrset(w, A_NORMAL);
		return;
	}
	lw = ui_put(w, y, 0, W, block_label(v->b[v->pick].c));
	if (v->split)
		snprintf(note, sizeof note, _("t: %s  v: all the code"),
		    block_label(v->b[v->second].c));
	else if (v->n - v->first > 1)
		snprintf(note, sizeof note, _("t: %s  v: all the code"),
		    block_label(v->b[v->first + (v->pick - v->first + 1) %
		    (v->n - v->first)].c));
	else
		snprintf(note, sizeof note, "%s", _("v: all the code"));
	if (lw + 3 + ui_width(note) <= W) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, y, W - ui_width(note) - 1, ui_width(note), note);
	}
	wattrset(w, A_NORMAL);
}

/* Draw rows from..to of the view in h rows from y, starting at row
 * first (clamped), with arrows when rows are left out above or below. */
static void
draw_rows(struct ui *ui, WINDOW *w, int y, int h, const struct view *v,
    const struct block *b, int from, int to, int first)
{
	int W = getmaxx(w), k, r;

	if (first > to - h)
		first = to - h;
	if (first < from)
		first = from;
	for (k = first, r = 0; k < to && r < h; k++, r++) {
		const struct crow *c = &v->row[k];

		if (v->pair) {
			piece(ui, w, y + r, 0, v->half, b, c, c->line);
			piece(ui, w, y + r, v->half + 1, W - v->half - 1,
			    b + 1, c, c->line2);
		} else {
			piece(ui, w, y + r, 0, W, b, c, c->line);
		}
	}
	wattrset(w, ui_look(ui, UI_L_KEY));
	if (first > from && h > 0)
		mvwaddstr(w, y, W - 1, "^");
	if (k < to && h > 0)
		mvwaddstr(w, y + h - 1, W - 1, "v");
	wattrset(w, A_NORMAL);
}

/* Where a part of h rows around a marked row starts. */
static int
around(int mark, int h, int from)
{
	int ctx = (h - 1) / 3;

	return mark < 0 ? from : mark - (ctx > 0 ? ctx : 0);
}

void
ui_code_draw(struct ui *ui, WINDOW *w)
{
	struct view v;
	int W = getmaxx(w), H = getmaxy(w), y = 0, i, h1, h2, all;

	werase(w);
	view_build(ui, W, &v);
	for (i = 0; i < v.first && y < H; i++)
		y += draw_shell(ui, w, y, W, H - y, &v.b[i]);
	if (v.n > v.first && y < H) {
		view_head(ui, w, y++, W, &v);
		if (!v.split) {
			draw_rows(ui, w, y, H - y, &v, &v.b[v.pick == v.first ||
			    v.pair ? v.first : v.pick], 0, v.nrows,
			    ui->lay.code_scroll);
		} else {
			/* Each language around its own mark, the rows
			 * shared by their lengths. */
			all = H - y - 1;
			h1 = all > 1 ? all * v.nfirst / v.nrows : all;
			h1 = h1 < 1 ? 1 : h1 > all - 1 ? all - 1 : h1;
			h2 = all - h1;
			draw_rows(ui, w, y, h1, &v, &v.b[v.pick], 0, v.nfirst,
			    around(v.mark, h1, 0));
			if (h2 > 0) {
				wattrset(w, ui_look(ui, UI_L_HEAD));
				ui_put(w, y + h1, 0, W,
				    block_label(v.b[v.second].c));
				wattrset(w, A_NORMAL);
				draw_rows(ui, w, y + h1 + 1, h2, &v,
				    &v.b[v.second], v.nfirst, v.nrows,
				    around(v.mark2, h2, v.nfirst));
			}
		}
	}
	view_free(&v);
}

/* The suffix of a program in lang, or NULL for none that is saved. */
static const char *
suffix_of(const char *lang)
{
	if (strcmp(lang, "c") == 0)
		return ".c";
	if (strcmp(lang, "python") == 0)
		return ".py";
	return NULL;
}

/* The lesson's complete program in lang that this step marks, else any
 * of the lesson's in lang; NULL when it has none. */
static const struct lesson_file *
lesson_program(const struct lesson *l, const struct lesson_step *s,
    const char *lang)
{
	size_t i;

	for (i = 0; i < s->nmarks; i++)
		if (strcmp(l->files[s->marks[i].file].lang, lang) == 0)
			return &l->files[s->marks[i].file];
	for (i = 0; i < l->nfiles; i++)
		if (strcmp(l->files[i].lang, lang) == 0)
			return &l->files[i];
	return NULL;
}

/* The language the code pane shows: the block t has picked, C first. */
static const char *
shown_lang(struct ui *ui)
{
	struct view v;
	const char *lang = NULL;

	view_build(ui, 80, &v);
	if (v.n > v.first && suffix_of(v.b[v.pick].c->lang) != NULL)
		lang = v.b[v.pick].c->lang;
	else if (v.n > v.first && !v.pair && v.first + 1 < v.n)
		lang = v.b[v.first + 1].c->lang;
	view_free(&v);
	return lang != NULL ? lang : "c";
}

void
ui_code_save(struct ui *ui)
{
	const struct lesson *l = ui_lesson(ui);
	const struct lesson_step *s = ui_cur_step(ui);
	const char *lang = shown_lang(ui), *text = NULL;
	const struct lesson_file *f;
	char *name = NULL, *saved, *cause = NULL, *body, *filled;
	size_t i;

	f = lesson_program(l, s, lang);
	if (f == NULL)
		f = lesson_program(l, s, strcmp(lang, "c") == 0 ? "python" :
		    "c");
	if (f != NULL) {
		text = f->text;
		name = xstrdup(f->name);
	} else {
		/* A lesson without @file: a block of the step that is a
		 * whole program, named after the lesson. */
		for (i = 0; i < s->ncode && text == NULL; i++)
			if (strcmp(s->code[i].lang, lang) == 0 &&
			    (strcmp(lang, "python") == 0 ?
			    strstr(s->code[i].text, "import socket") :
			    strstr(s->code[i].text, "main(")) != NULL)
				text = s->code[i].text;
		if (text != NULL)
			name = xasprintf("%s%s", l->id, suffix_of(lang));
	}
	if (text == NULL) {
		ui->status = UI_ST_NOTHING_TO_SAVE;
		return;
	}
	filled = narrate_fill(text);
	body = xasprintf("%s\n", filled);
	free(filled);
	saved = util_write_new(name, body, strlen(body), &cause);
	if (saved == NULL)
		ui_status(ui, UI_ST_NOT_SAVED, "%s", cause);
	else
		ui_status_saved(ui, UI_ST_SAVED, saved);
	free(cause);
	free(saved);
	free(body);
	free(name);
}

bool
ui_code_has(const struct ui *ui)
{
	return !ui->in_sandbox && ui_cur_step(ui)->ncode > 0;
}

bool
ui_code_key(struct ui *ui, enum key_action act)
{
	if (!ui_code_has(ui))
		return false;
	switch (act) {
	case KA_CODE:
		ui->screen = UI_CODE;
		ui->code->scroll = 0;
		return true;
	case KA_CODE_OTHER:
		ui->code->alt++;
		return true;
	case KA_SAVE:
		ui_code_save(ui);
		return true;
	default:
		return false;
	}
}

/* The whole code, each line from the screen's first column and
 * without any indentation of its own, so that what the mouse copies from
 * here pastes and runs as it is (Python included). */
void
ui_code_view_draw(struct ui *ui, WINDOW *w)
{
	struct block b[MAX_BLOCKS];
	struct ui_lines L = { 0 };
	int H = getmaxy(w), W = getmaxx(w), n, i, k, max;
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

			ui_lines_add(&L, b[i].line[k], W, 0, NULL, a);
		}
	}
	if (n == 0)
		ui_lines_add(&L, _("No code at this step."), W, 0, NULL,
		    ui_look(ui, UI_L_DIM));
	max = (int)L.n - (H - 2);
	if (ui->code->scroll > max)
		ui->code->scroll = max;
	if (ui->code->scroll < 0)
		ui->code->scroll = 0;
	snprintf(head, sizeof head, _("The code of step %zu: %s"),
	    ui->step + 1, narrate_lesson(ui_cur_step(ui)->title.msgid));
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 0, W - 2, head);
	wattrset(w, A_NORMAL);
	ui_lines_draw(w, 2, 0, H - 2, W, &L, ui->code->scroll);
	/* The arrows go on the blank row under the heading, never over a
	 * line of code that the mouse might copy. */
	wattrset(w, ui_look(ui, UI_L_KEY));
	if (ui->code->scroll > 0)
		mvwaddstr(w, 1, W - 3, "^");
	if (ui->code->scroll < max)
		mvwaddstr(w, 1, W - 1, "v");
	wattrset(w, A_NORMAL);
	ui_lines_free(&L);
	for (i = 0; i < n; i++)
		block_free(&b[i]);
}

bool
ui_code_view_key(struct ui *ui, enum key_action act)
{
	int page = ui->wbody != NULL ? getmaxy(ui->wbody) - 3 : 10;

	if (act == KA_CLOSE)
		ui->screen = UI_MAIN;
	else if (act == KA_SAVE)
		ui_code_save(ui);
	else
		return ui_scroll_key(act, page, &ui->code->scroll);
	return true;
}

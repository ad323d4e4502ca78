/* ui_draw.c - the drawing helpers every screen shares: the looks
 * (colour or monochrome), text made safe and measured in columns,
 * writing into a window, and paragraphs wrapped into lines. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui_priv.h"
#include "util.h"

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

void
ui_colours_init(struct ui *ui)
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

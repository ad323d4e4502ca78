/* ui_code.c - the code pane: the step's code blocks (C, Python, the shell
 * commands to type), as the lab really runs them.  Code is never
 * translated; only its labels are. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui_priv.h"
#include "util.h"

/* The code as the lab really runs it: --backlog changes the number
 * passed to listen(). */
static char *
real_code(struct ui *ui, const char *text)
{
	int bl = ui->app->lab.backlog;
	const char *p = text, *at;
	char *out, *o;

	if (bl <= 0 || strstr(text, "listen(") == NULL)
		return xstrdup(text);
	out = xmalloc(strlen(text) * 2 + 64);
	o = out;
	while ((at = strstr(p, "listen(")) != NULL) {
		const char *close = strchr(at, ')'), *d;

		if (close == NULL)
			break;
		d = close;
		while (d > at && isdigit((unsigned char)d[-1]))
			d--;
		if (d == close) {
			memcpy(o, p, (size_t)(close - p));
			o += close - p;
			p = close;
			continue;
		}
		memcpy(o, p, (size_t)(d - p));
		o += d - p;
		o += sprintf(o, "%d", bl);
		p = close;
	}
	strcpy(o, p);
	return out;
}

/* Draw a code block from row y, at most h rows; returns rows used. */
static int
draw_code(struct ui *ui, WINDOW *w, int y, int x, int cw, int h,
    const struct lesson_code *c, const char *label)
{
	char *text = real_code(ui, c->text), *line, *save = NULL;
	int r = 0, n = 1;

	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, y, x, cw, label);
	wattrset(w, A_NORMAL);
	for (line = strtok_r(text, "\n", &save); line != NULL && r + 1 < h;
	    line = strtok_r(NULL, "\n", &save), n++) {
		if (n == c->mark) {
			int i;

			wattrset(w, ui_look(ui, UI_L_MARK));
			for (i = 0; i < cw; i++)
				mvwaddch(w, y + 1 + r, x + i, ' ');
		}
		ui_put(w, y + 1 + r, x + 1, cw - 1, line);
		wattrset(w, A_NORMAL);
		r++;
	}
	free(text);
	return r + 1;
}

static int
code_lines(const struct lesson_code *c)
{
	int n = 1;
	const char *p;

	for (p = c->text; *p != '\0'; p++)
		n += *p == '\n';
	return n;
}

void
ui_code_draw(struct ui *ui, WINDOW *w)
{
	const struct lesson_step *s = ui_cur_step(ui);
	const struct lesson_code *c = lesson_step_code(s, "c");
	const struct lesson_code *py = lesson_step_code(s, "python");
	const struct lesson_code *sh = lesson_step_code(s, "sh");
	int W = getmaxx(w), H = getmaxy(w), used;

	werase(w);
	if (c == NULL && py == NULL && sh == NULL) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 0, 1, W - 2, _("No code at this step."));
		wattrset(w, A_NORMAL);
		return;
	}
	if (c == NULL) {
		c = py != NULL ? py : sh;
		py = c == sh ? NULL : (c == py ? NULL : py);
	}
	if (py != NULL && W >= 100) {
		int half = (W - 1) / 2;

		draw_code(ui, w, 0, 0, half, H, c, c == sh ? "sh" : "C");
		draw_code(ui, w, 0, half + 1, W - half - 1, H, py, "Python");
		return;
	}
	used = draw_code(ui, w, 0, 0, W, H, c, c == sh ? "sh" : "C");
	if (py != NULL && H - used >= code_lines(py) + 1)
		draw_code(ui, w, used, 0, W, H - used, py, "Python");
	else if (py != NULL && used < H) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, H - 1, W / 2, W - W / 2 - 1,
		    _("(Python: on a wider terminal)"));
		wattrset(w, A_NORMAL);
	}
}

/* layout.c - shares the screen's rows among the panes of the normal
 * layout, following the priorities written in layout.h.  Called at every
 * draw with what the step holds at that moment (an answer's feedback, a
 * grown lab), so that the panes follow the content. */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "layout.h"

int
layout_text_cols(int cols)
{
	return cols >= LAYOUT_SIDE_COLS ? cols * 2 / 5 : cols;
}

int
layout_pane_cols(int cols)
{
	return cols >= LAYOUT_SIDE_COLS ? cols - cols * 2 / 5 - 1 : cols;
}

static int
min_of(int a, int b)
{
	return a < b ? a : b;
}

/* Take up to want rows from *left; never fewer than none. */
static int
take(int *left, int want)
{
	int t = min_of(want, *left);

	if (t < 0)
		t = 0;
	*left -= t;
	return t;
}

/* The first code line shown: the mark in view, a third of the way down
 * when there is room for context above it. */
static int
code_scroll(const struct layout_need *n, int shown)
{
	int ctx, s;

	if (n->code_mark < 0 || shown <= 0 || n->code <= shown)
		return 0;
	ctx = (shown - 1) / 3;
	if (ctx < LAYOUT_CODE_CONTEXT)
		ctx = LAYOUT_CODE_CONTEXT;
	if (ctx > shown - 1)
		ctx = shown - 1;
	s = n->code_mark - ctx;
	if (s > n->code - shown)
		s = n->code - shown;
	return s < 0 ? 0 : s;
}

/* The code's rows before the log has its share: the whole
 * code, or a third of the body when it is longer (it scrolls to the
 * mark). */
static int
code_cap(const struct layout_need *n, int body)
{
	int all = n->code_fixed + n->code;

	return all < body / 3 ? all : body / 3;
}

/* The lab's rows before the text has all of its own: the sockets the
 * text is about, up to a third of the body (a crowd of them must not
 * push the text out of the screen). */
static int
lab_min(const struct layout_need *n, int body)
{
	return min_of(n->lab_min, body / 3);
}

/* Past the minimums: the lab whole, the code to a third of the body,
 * the log to a fifth, then the whole code; the log takes the rest, so
 * that spare rows are at the bottom of the screen. */
static void
grow(const struct layout_need *n, int body, int *left, struct layout *o)
{
	o->lab += take(left, n->lab - o->lab);
	o->ladder += take(left, n->ladder - o->ladder);
	o->code += take(left, code_cap(n, body) - o->code);
	o->log += take(left, min_of(n->log, LAYOUT_LOG_SHARE(body)) - o->log);
	o->code += take(left, n->code_fixed + n->code - o->code);
	o->log += take(left, *left);
}

/* The right column of the wide layout: lab, code and log. */
static void
side_panes(const struct layout_need *n, int body, int code_min,
    struct layout *o)
{
	int left = body;

	if (n->lab_open) {
		o->code = take(&left, min_of(code_min, n->code_fixed + 1));
		o->lab = take(&left, n->lab);
	}
	o->code += take(&left, code_min - o->code);
	o->lab += take(&left, lab_min(n, body) - o->lab);
	o->ladder = take(&left, min_of(n->ladder, LAYOUT_LADDER_MIN));
	o->log = take(&left, LAYOUT_LOG_MIN);
	grow(n, body, &left, o);
}

static void
compute(const struct layout_need *n, struct layout *o)
{
	int body = n->rows - 2, left = body, code_min, text_min;

	memset(o, 0, sizeof *o);
	o->side = n->cols >= LAYOUT_SIDE_COLS;
	o->text_cols = layout_text_cols(n->cols);
	o->pane_cols = layout_pane_cols(n->cols);
	code_min = n->code_fixed + n->code == 0 ? 0 : n->code_fixed +
	    min_of(n->code, 1 + 2 * LAYOUT_CODE_CONTEXT);
	text_min = min_of(n->text, LAYOUT_TEXT_MIN);

	if (o->side) {
		/* The text column: the question first, then the text
		 * takes the rest, so its pane reaches the footer. */
		o->ask = take(&left, n->ask_min);
		o->text = take(&left, text_min);
		o->ask += take(&left, n->ask - o->ask);
		o->text += take(&left, left);
		side_panes(n, body, code_min, o);
	} else {
		o->ask = take(&left, n->ask_min);
		if (n->lab_open) {
			/* Opened, the lab comes right after the question,
			 * the marked code line and the step's title. */
			o->code = take(&left, min_of(code_min,
			    n->code_fixed + 1));
			o->text = take(&left, min_of(text_min, 1));
			o->lab = take(&left, n->lab);
		}
		o->code += take(&left, code_min - o->code);
		o->text += take(&left, text_min - o->text);
		o->lab += take(&left, lab_min(n, body) - o->lab);
		o->ladder = take(&left, min_of(n->ladder, LAYOUT_LADDER_MIN));
		o->log = take(&left, LAYOUT_LOG_MIN);
		o->ask += take(&left, n->ask - o->ask);
		o->text += take(&left, n->text - o->text);
		grow(n, body, &left, o);
	}
	o->code_scroll = code_scroll(n, o->code - n->code_fixed);
}

void
layout_compute(const struct layout_need *in, struct layout *o)
{
	struct layout_need n = *in;
	bool in_place = in->ladder > 0 && in->rows < LAYOUT_LADDER_ROWS;

	assert(in->rows >= LAYOUT_MIN_ROWS && in->cols >= LAYOUT_MIN_COLS);
	assert(in->ask_min <= in->ask && in->lab_min <= in->lab);
	assert(in->code_mark < in->code && in->ladder >= 0);
	/* Below LAYOUT_LADDER_ROWS the ladder takes the place, and the
	 * priority, of the pane it stands in for. */
	if (in_place && in->ladder_for_code) {
		n.code_fixed = 0;
		n.code = in->ladder;
		n.code_mark = -1;
	} else if (in_place) {
		n.lab = in->ladder;
		n.lab_min = min_of(in->ladder, LAYOUT_LADDER_MIN);
	}
	if (in_place)
		n.ladder = 0;
	compute(&n, o);
	if (in_place && in->ladder_for_code) {
		o->ladder = o->code;
		o->code = 0;
		o->code_scroll = 0;
	} else if (in_place) {
		o->ladder = o->lab;
		o->lab = 0;
	}
}

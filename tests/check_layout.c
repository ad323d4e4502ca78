/* check_layout.c - the layout's arithmetic at every size from 80x24 to
 * 200x60, for steps of every shape: the panes fill the body exactly, the
 * question's prompt and first choice, the marked code line and the first
 * lines of the text are always on screen, absent panes get no rows, and
 * the priorities hold when rows run short. */
#include "config.h"

#include <stdbool.h>

#include "layout.h"
#include "tap.h"

/* Shapes of steps, from the lessons (at 80 columns) and beyond. */
static const struct layout_need shapes[] = {
	/* Text only, no code, no sockets (lesson 1 step 1). */
	{ .text = 9, .code_mark = -1, .lab = 2, .lab_min = 2, .log = 1 },
	/* A long text and a question of four long choices. */
	{ .text = 16, .ask = 10, .ask_min = 3, .code_mark = -1, .lab = 2,
	  .lab_min = 2 },
	/* Code with the mark far down (lesson 5 step 5) and sockets. */
	{ .text = 11, .ask = 7, .ask_min = 3, .code_fixed = 1, .code = 9,
	  .code_mark = 7, .lab = 6, .lab_min = 4, .log = 6 },
	/* Code and a shell command, mark on the last line. */
	{ .text = 8, .code_fixed = 2, .code = 12, .code_mark = 11,
	  .lab = 4, .lab_min = 4, .log = 3 },
	/* An exercise line and a crowd in the lab (lesson 11 step 5). */
	{ .text = 12, .ask = 4, .ask_min = 2, .code_fixed = 1, .code = 3,
	  .code_mark = 0, .lab = 24, .lab_min = 12, .log = 20 },
	/* Everything long: the body cannot hold it at 80x24. */
	{ .text = 30, .ask = 14, .ask_min = 4, .code_fixed = 3, .code = 40,
	  .code_mark = 25, .lab = 30, .lab_min = 9, .log = 40 },
	/* Code without a mark. */
	{ .text = 5, .code_fixed = 1, .code = 6, .code_mark = -1, .lab = 3,
	  .lab_min = 3 },
};

#define NSHAPES (sizeof shapes / sizeof shapes[0])

static void
check_one(struct layout_need n, int cols, int rows)
{
	struct layout o;
	int body = rows - 2, shown, log, lab_min;

	n.cols = cols;
	n.rows = rows;
	layout_compute(&n, &o);
	ck_assert(o.text >= 0 && o.ask >= 0 && o.lab >= 0 && o.code >= 0 &&
	    o.log >= 0 && o.ladder == 0);
	/* The body is filled exactly: no row lost, none drawn twice. */
	if (o.side) {
		ck_assert_int_eq(o.text + o.ask, body);
		ck_assert_int_eq(o.lab + o.code + o.log, body);
		ck_assert_int_eq(o.text_cols + 1 + o.pane_cols, cols);
	} else {
		ck_assert_int_eq(o.text + o.ask + o.lab + o.code + o.log,
		    body);
		ck_assert_int_eq(o.text_cols, cols);
	}
	ck_assert_int_eq(o.side, cols >= LAYOUT_SIDE_COLS);
	/* 1: the prompt and the first choice; the whole question when the
	 * rest is served first. */
	ck_assert_int_ge(o.ask, n.ask_min);
	ck_assert_int_le(o.ask, n.ask);
	/* 2: the marked line is among the code lines shown, with its
	 * context. */
	if (n.code_fixed + n.code == 0) {
		ck_assert_int_eq(o.code, 0);
	} else {
		ck_assert_int_ge(o.code, n.code_fixed + 1);
		shown = o.code - n.code_fixed;
		ck_assert_int_ge(o.code_scroll, 0);
		ck_assert_int_le(o.code_scroll + shown, n.code > shown ?
		    n.code : shown);
		if (n.code_mark >= 0) {
			ck_assert_int_ge(n.code_mark, o.code_scroll);
			ck_assert_int_lt(n.code_mark, o.code_scroll + shown);
			if (n.code_mark > 0 && shown >= 3)
				ck_assert_int_gt(n.code_mark, o.code_scroll);
		} else {
			ck_assert_int_eq(o.code_scroll, 0);
		}
	}
	/* 3: the first lines of the text; the title at least when the
	 * learner opened the lab. */
	if (n.lab_open)
		ck_assert_int_ge(o.text + o.ask, 1);
	else
		ck_assert_int_ge(o.text, n.text < LAYOUT_TEXT_MIN ? n.text :
		    LAYOUT_TEXT_MIN);
	/* Where the body holds everything, everything is whole. */
	log = n.log < LAYOUT_LOG_SHARE(body) ? n.log : LAYOUT_LOG_SHARE(body);
	if (log < LAYOUT_LOG_MIN)
		log = LAYOUT_LOG_MIN;
	if (n.ask + n.text + n.code_fixed + n.code + n.lab + log <= body ||
	    (o.side && n.code_fixed + n.code + n.lab + log <= body &&
	    n.ask + n.text <= body)) {
		ck_assert_int_eq(o.ask, n.ask);
		ck_assert_int_ge(o.text, n.text);
		ck_assert_int_eq(o.code, n.code_fixed + n.code);
		ck_assert_int_eq(o.code_scroll, 0);
		ck_assert_int_eq(o.lab, n.lab);
		ck_assert_int_ge(o.log, LAYOUT_LOG_MIN);
	}
	/* 4: the sockets the text is about, whenever the higher
	 * priorities leave room for them. */
	lab_min = n.lab_min < body / 3 ? n.lab_min : body / 3;
	if (o.side || n.ask_min + n.code_fixed + (n.code < 3 ? n.code : 3) +
	    (n.text < 3 ? n.text : 3) + lab_min <= body)
		ck_assert_int_ge(o.lab, lab_min);
}

START_TEST(test_every_size)
{
	int cols, rows;
	size_t i;

	for (cols = LAYOUT_MIN_COLS; cols <= 200; cols++)
		for (rows = LAYOUT_MIN_ROWS; rows <= 60; rows++)
			for (i = 0; i < NSHAPES; i++) {
				struct layout_need n = shapes[i];

				check_one(n, cols, rows);
				n.lab_open = true;
				check_one(n, cols, rows);
			}
}
END_TEST

/* The wire's ladder: a pane of its own from 30 rows, else in place of
 * the lab or the code; the question and the text keep their rows. */
START_TEST(test_ladder)
{
	int cols, rows, fc;
	size_t i;

	for (cols = LAYOUT_MIN_COLS; cols <= 200; cols += 7)
		for (rows = LAYOUT_MIN_ROWS; rows <= 60; rows++)
			for (i = 0; i < NSHAPES; i++)
				for (fc = 0; fc < 2; fc++) {
					struct layout_need n = shapes[i];
					struct layout o;
					int body = rows - 2;

					n.cols = cols;
					n.rows = rows;
					n.ladder = 12;
					n.ladder_for_code = fc;
					layout_compute(&n, &o);
					ck_assert_int_ge(o.ladder, 1);
					ck_assert_int_ge(o.ask, n.ask_min);
					ck_assert_int_ge(o.text, n.text <
					    LAYOUT_TEXT_MIN ? n.text :
					    LAYOUT_TEXT_MIN);
					if (o.side)
						ck_assert_int_eq(o.lab +
						    o.ladder + o.code + o.log,
						    body);
					else
						ck_assert_int_eq(o.text + o.ask +
						    o.lab + o.ladder + o.code +
						    o.log, body);
					if (rows >= LAYOUT_LADDER_ROWS)
						continue;
					ck_assert_int_eq(fc ? o.code : o.lab,
					    0);
					/* In place of the lab, the marked
					 * code line stays in view. */
					if (!fc && n.code > 0)
						ck_assert_int_ge(o.code,
						    n.code_fixed + 1);
				}
}
END_TEST

START_TEST(test_lab_open)
{
	struct layout_need n = shapes[4];
	struct layout closed, open;

	n.cols = 80;
	n.rows = 24;
	layout_compute(&n, &closed);
	n.lab_open = true;
	layout_compute(&n, &open);
	/* Opening the lab takes rows from the text and the code, never
	 * from the question; the marked line stays in view. */
	ck_assert_int_gt(open.lab, closed.lab);
	ck_assert_int_ge(open.ask, n.ask_min);
	ck_assert_int_ge(open.code, n.code_fixed + 1);
	ck_assert_int_ge(n.code_mark, open.code_scroll);
	ck_assert_int_lt(n.code_mark, open.code_scroll + open.code -
	    n.code_fixed);
	ck_assert_int_ge(open.text, 1);
}
END_TEST

START_TEST(test_no_code_gives_rows_to_text)
{
	struct layout_need n = { .rows = 24, .cols = 80, .text = 40,
	    .code_mark = -1, .lab = 2, .lab_min = 2 };
	struct layout o;

	layout_compute(&n, &o);
	ck_assert_int_eq(o.code, 0);
	ck_assert_int_eq(o.ask, 0);
	ck_assert_int_eq(o.lab, 2);
	ck_assert_int_eq(o.log, LAYOUT_LOG_MIN);
	ck_assert_int_eq(o.text, 22 - 2 - LAYOUT_LOG_MIN);
}
END_TEST

START_TEST(test_mark_at_80x24)
{
	/* Lesson 5 step 5: accept() is the 8th of 9 lines. */
	struct layout_need n = shapes[2];
	struct layout o;

	n.cols = 80;
	n.rows = 24;
	layout_compute(&n, &o);
	ck_assert_int_eq(o.ask, 7);
	ck_assert_int_le(o.code_scroll, 7);
	ck_assert_int_gt(o.code_scroll + o.code - 1, 7);
}
END_TEST

START_TEST(test_wide_text_column)
{
	struct layout_need n = shapes[5];
	struct layout o;

	n.cols = 200;
	n.rows = 60;
	layout_compute(&n, &o);
	ck_assert(o.side);
	ck_assert_int_eq(o.text_cols, 80);
	ck_assert_int_eq(o.pane_cols, 119);
	ck_assert_int_eq(o.ask, 14);
	ck_assert_int_eq(o.text, 58 - 14);
}
END_TEST

static Suite *
layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_every_size);
	tcase_add_test(tc, test_lab_open);
	tcase_add_test(tc, test_ladder);
	tcase_add_test(tc, test_no_code_gives_rows_to_text);
	tcase_add_test(tc, test_mark_at_80x24);
	tcase_add_test(tc, test_wide_text_column);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(layout_suite());
}

/* layout.h - how the normal screen shares its rows among the panes, from
 * what the step on screen holds.  Pure arithmetic, with no curses and no
 * gettext, so that a test can try every size from 80x24 to 200x60.
 *
 * The screen is a title row, a body and a footer row.  Below
 * LAYOUT_SIDE_COLS columns the body stacks the panes: the text (with the
 * question pinned under it), the lab, the code and the log.  From
 * LAYOUT_SIDE_COLS on, the text takes a column of its own on the left and
 * the other three stack on the right.
 *
 * When the rows cannot hold everything, the panes get their rows in this
 * order (issue 11, "When 24 rows cannot hold everything"):
 *   1. the question's prompt and first choice (or the exercise line);
 *   2. the marked code line, with a line of context on each side;
 *   3. the first lines of the text;
 *   4. the lab rows the text is about (the lesson's own sockets), up to
 *      a third of the body;
 *   5. a heading and a line of the log.
 * Then the panes grow: the whole question, the whole text, the whole
 * lab, the code up to a third of the body, the log up to a fifth of it
 * (LAYOUT_LOG_SHARE), then the rest of the code; the log takes what is
 * left, so that spare rows are at the bottom.  The lab opened by the
 * learner (lab_open) comes right after the question, the marked code
 * line and the step's title.
 * A pane with nothing to show (no code) gets no rows.
 * The footer is the UI's business: it keeps `?` whatever the width.
 *
 * The wire's packet ladder, when shown: from LAYOUT_LADDER_ROWS rows a
 * pane of its own under the lab, after the lab's rows; below, it takes
 * the place and the priority of the lab or of the code pane. */
#ifndef SOCKTUTOR_LAYOUT_H
#define SOCKTUTOR_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24
#define LAYOUT_SIDE_COLS 140	/* from here the text has its own column */
#define LAYOUT_TEXT_MIN 3	/* the step's title and its first lines */
#define LAYOUT_CODE_CONTEXT 1	/* lines shown on each side of the mark */
#define LAYOUT_LOG_MIN 2	/* the log's heading and its latest line */
#define LAYOUT_LADDER_ROWS 30	/* below this the ladder replaces a pane */
#define LAYOUT_LADDER_MIN 4	/* a heading and a few segments */
#define LAYOUT_LOG_SHARE(body) ((body) / 5)	/* the log's rows before
						 * the rest of the code */

/* What the step on screen needs, in rows, each counted at the width
 * layout_text_cols() or layout_pane_cols() gives. */
struct layout_need {
	int rows, cols;		/* the whole terminal */
	int text;		/* the text, wrapped: title, paragraphs,
				 * hints and input fields */
	int ask;		/* the question or exercise, whole; 0: none */
	int ask_min;		/* its prompt and first choice (<= ask) */
	int code_fixed;		/* code rows that never scroll (labels, one
				 * line shell commands); 0 and code 0: no
				 * code at this step */
	int code;		/* code lines that scroll */
	int code_mark;		/* the marked line among them, -1: none */
	int lab;		/* rows that show every socket, headings in */
	int lab_min;		/* rows that show the sockets the text is
				 * about, headings in (<= lab) */
	int log;		/* rows the log's lines need; 0: empty */
	bool lab_open;		/* the learner opened the lab: it comes
				 * before all but the question, the mark
				 * and the title */
	int ladder;		/* rows the packet ladder wants; 0: hidden */
	bool ladder_for_code;	/* below LAYOUT_LADDER_ROWS it stands in for
				 * the code pane, else for the lab */
};

/* Rows of each pane, and where the code starts. */
struct layout {
	bool side;		/* the text has a column of its own */
	int text_cols;		/* width of the text pane */
	int pane_cols;		/* width of the lab, code and log panes */
	int text, ask;		/* text rows, then question rows under them */
	int lab, ladder, code, log;	/* rows, in this order from the
					 * top (the ladder where the pane it
					 * replaces would be) */
	int code_scroll;	/* first scrolling code line shown */
};

/* Width of the text pane for a terminal cols wide. */
int layout_text_cols(int cols);
/* Width of the lab, code and log panes. */
int layout_pane_cols(int cols);
/* Share the body's rows (rows - 2) among the panes.  need->rows and
 * need->cols must be at least LAYOUT_MIN_ROWS and LAYOUT_MIN_COLS. */
void layout_compute(const struct layout_need *need, struct layout *out);

#endif

/* narrate_step.h - the words of a step's blocks, written once for both
 * front ends: the port explanation, the question with its choices and
 * feedback, the exercise and where it stands, and the code as the lab
 * really runs it.  Plain mode and the curses screens lay these lines out
 * each in their own way (indent, colour), but never word them, so the two
 * cannot disagree.  No curses here; the UI thread only. */
#ifndef SOCKTUTOR_NARRATE_STEP_H
#define SOCKTUTOR_NARRATE_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "exercise.h"
#include "lesson.h"
#include "tutor.h"

/* What a line is, so that a front end can indent and colour it. */
enum narrate_part {
	NARRATE_HEAD,		/* a heading: the question's prompt, the
				 * exercise, the right answer */
	NARRATE_CHOICE,		/* a choice, its number in prefix */
	NARRATE_FEEDBACK,	/* what is said about an answer */
	NARRATE_LINE,		/* a plain line of the block */
	NARRATE_HINT		/* a hint: prefix says so */
};

/* How a line should look. */
enum narrate_look {
	NARRATE_NORMAL,
	NARRATE_GOOD,		/* right, done */
	NARRATE_BAD,		/* wrong, failed */
	NARRATE_DIM,		/* by the way */
	NARRATE_BUSY		/* under way */
};

struct narrate_line {
	enum narrate_part part;
	enum narrate_look look;
	char prefix[32];	/* "1) ", "? ", "Hint: " or "" */
	char *text;		/* malloc'd, in the current language */
};

struct narrate_lines {
	struct narrate_line *v;
	size_t n, cap;
};

void narrate_lines_free(struct narrate_lines *L);

/* The port typed at an "@input port" field explained: its range, its
 * service name, this machine's ephemeral range; or why text is not a
 * port. */
void narrate_port_lines(struct narrate_lines *L, const char *text);

/* The question's prompt (prefix "? ") and its choices ("1) ", with ">"
 * before the one chosen), and the feedback on the choice chosen (-1:
 * none). */
void narrate_question_lines(struct narrate_lines *L,
    const struct lesson_question *q, int chosen);

/* The feedback on a typed answer text judged as typed. */
void narrate_typed_lines(struct narrate_lines *L,
    const struct lesson_question *q, enum tutor_typed typed,
    const char *text);

/* The right answer, said after the learner gave up. */
void narrate_right_answer(struct narrate_lines *L,
    const struct lesson_question *q);

/* What the exercise asks, where it stands, and (hints) a hint; addr is
 * the bartender's address "127.0.0.1:5050" or "" when unbound. */
void narrate_exercise_lines(struct narrate_lines *L,
    const struct exercise *ex, const char *addr, bool hints);

/* Only where the exercise stands (its state changed). */
void narrate_exercise_state(struct narrate_lines *L,
    const struct exercise *ex, const char *addr);

/* A lesson's code block as the learner sees it and copies it: the
 * placeholders filled ({port}, {addr}), the real --backlog in listen()
 * (backlog > 0) of C and Python, and tabs expanded to the next multiple
 * of eight columns.  Returns a malloc'd string. */
char *narrate_code_shown(const struct lesson_code *c, int backlog);

#endif

/* tutor_answer.c - the session's place in the course (where "next" and
 * "previous" lead, across lessons) and what the learner does at a step:
 * the answer, a choice or a typed text judged against the lesson's
 * question, and the exercise, fed the lab's events; and the progress
 * ids that remember both.  Both front ends use it; no terminal, no
 * words. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor.h"
#include "util.h"

enum tutor_next
tutor_next(struct lesson *const *lessons, size_t n, size_t *lesson,
    size_t *step)
{
	if (*step + 1 < lessons[*lesson]->nsteps) {
		++*step;
		return TUTOR_NEXT_STEP;
	}
	if (*lesson + 1 >= n)
		return TUTOR_NEXT_END;
	++*lesson;
	*step = 0;
	return TUTOR_NEXT_LESSON;
}

bool
tutor_prev(struct lesson *const *lessons, size_t *lesson, size_t *step)
{
	if (*step > 0) {
		--*step;
		return true;
	}
	if (*lesson == 0)
		return false;
	--*lesson;
	*step = lessons[*lesson]->nsteps - 1;
	return true;
}

/* The port number in text, or -1 when it is not one (0 to 65535). */
static long
port_value(const char *text)
{
	long v;

	return util_parse_num(text, (size_t)-1, 0, 65535, &v) == -1 ? -1 : v;
}

enum tutor_typed
tutor_judge(const struct lesson_question *q, const char *text)
{
	if (q->input == LESSON_INPUT_PORT && port_value(text) < 0)
		return TUTOR_TYPED_NOT_A_PORT;
	if (q->expect == NULL)
		return TUTOR_TYPED_WRONG;
	if (q->input == LESSON_INPUT_PORT)
		return port_value(text) == port_value(q->expect) ?
		    TUTOR_TYPED_RIGHT : TUTOR_TYPED_WRONG;
	return strcmp(text, q->expect) == 0 ? TUTOR_TYPED_RIGHT :
	    TUTOR_TYPED_WRONG;
}

void
tutor_answer_clear(struct tutor_answer *a)
{
	a->chosen = -1;
	a->typed = TUTOR_TYPED_NONE;
	a->text[0] = '\0';
}

bool
tutor_answer_choose(struct tutor_answer *a, const struct lesson_question *q,
    size_t k)
{
	if (q == NULL || k >= q->nchoices)
		return false;
	a->chosen = (int)k;
	return true;
}

bool
tutor_answer_type(struct tutor_answer *a, const struct lesson_question *q,
    const char *text)
{
	if (q == NULL)
		return false;
	/* The text kept is what the feedback quotes; the judgement is of
	 * the whole text typed. */
	snprintf(a->text, sizeof a->text, "%s", text);
	a->typed = tutor_judge(q, text);
	return a->typed != TUTOR_TYPED_NOT_A_PORT;
}

bool
tutor_answer_right(const struct tutor_answer *a,
    const struct lesson_question *q)
{
	if (q == NULL)
		return false;
	if (a->chosen >= 0)
		return (size_t)a->chosen < q->nchoices &&
		    q->choices[a->chosen].right;
	return a->typed == TUTOR_TYPED_RIGHT;
}

void
tutor_answer_id(const struct lesson *l, size_t step, char *buf, size_t len)
{
	snprintf(buf, len, "q:%s:%zu", l->id, step + 1);
}

bool
tutor_answered(const struct progress *p, const struct lesson *l, size_t step)
{
	char id[PROGRESS_ID_MAX];

	tutor_answer_id(l, step, id, sizeof id);
	if (progress_is_done(p, id))
		return true;
	snprintf(id, sizeof id, "%s:%zu", l->id, step + 1);
	return progress_is_done(p, id);
}

void
tutor_mark_answered(struct progress *p, const struct lesson *l, size_t step)
{
	char id[PROGRESS_ID_MAX];

	tutor_answer_id(l, step, id, sizeof id);
	progress_mark_done(p, id);
}

bool
tutor_exercise_start(struct exercise *ex, const struct lesson_step *st,
    const struct progress *p)
{
	char *cause = NULL, id[PROGRESS_ID_MAX];

	if (st->exercise == NULL)
		return false;
	if (exercise_init(ex, st->exercise, st->exercise_arg, &cause) == -1) {
		/* The lesson was checked when loaded: not reached. */
		free(cause);
		return false;
	}
	if (p != NULL && progress_is_done(p, exercise_progress_id(ex, id,
	    sizeof id)))
		ex->state = EXERCISE_DONE;
	return true;
}

bool
tutor_exercise_done(const struct progress *p, const struct lesson_step *st)
{
	char id[PROGRESS_ID_MAX];

	return st->exercise != NULL && progress_is_done(p,
	    exercise_progress_id_of(st->exercise, id, sizeof id));
}

bool
tutor_exercise_event(struct exercise *ex, const struct lab_event *ev,
    struct progress *p)
{
	char id[PROGRESS_ID_MAX];

	if (ex->state == EXERCISE_DONE || !exercise_event(ex, ev))
		return false;
	if (ex->state == EXERCISE_DONE && p != NULL)
		progress_mark_done(p, exercise_progress_id(ex, id, sizeof id));
	return true;
}

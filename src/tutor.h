/* tutor.h - the session's bookkeeping that both front ends share and
 * that needs no terminal: how the lab is taken to a step (forward by
 * one, or started again and the earlier steps redone, in the step's
 * network); the log of what the lab did (a ring of the latest events,
 * sifted so that a reset says itself once and a lesson left behind
 * takes its events along); and what the lab has done since its last
 * reset, counted from every event rather than read back from the ring,
 * which forgets; where "next" and "previous" lead in the course; and the
 * learner's answers and exercises, judged and remembered in the
 * progress.  Part of the core: no curses, no gettext. */
#ifndef SOCKTUTOR_TUTOR_H
#define SOCKTUTOR_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "exercise.h"
#include "lab.h"
#include "lesson.h"
#include "progress.h"

#define TUTOR_LOG_MAX 96	/* events the log keeps */

/* ---- moving between steps ---- */

/* What going to a step asks of the lab (tutor_plan). */
struct tutor_plan {
	bool reset;		/* the lab starts again, in the step's network */
	bool new_lesson;	/* ... for another lesson: a fresh log */
	size_t redo;		/* then steps 0..redo-1 are performed again,
				 * marked as redone, before the step itself */
};

/* From step from of lesson at (in_lesson false: nothing performed yet,
 * or the sandbox) to step of lesson: forward by one in the same lesson
 * and the same network performs just that step; anything else starts
 * the lab again and redoes the steps before it, for real.  moves: the
 * step's network is not the lab's. */
struct tutor_plan tutor_plan(bool in_lesson, size_t at, size_t from,
    size_t lesson, size_t step, bool moves);
/* Posts the calls of st that run in the lab's network (world_runs);
 * replay marks them as redone.  Returns how many were posted. */
size_t tutor_post_step(struct lab *lab, const struct lesson_step *st,
    bool replay);
/* Posts steps 0..n-1 of l as redone; returns the calls posted. */
size_t tutor_redo(struct lab *lab, const struct lesson *l, size_t n);

struct tutor_log_entry {
	struct lab_event ev;
	unsigned visit;		/* the step visit it happened in */
};

struct tutor_log {
	struct tutor_log_entry *ring;	/* TUTOR_LOG_MAX of them */
	size_t head, n;
	/* Resets asked for and seen; those up to quiet_upto are not worth
	 * a line, and every event up to old_upto belongs to a lesson no
	 * longer on screen. */
	unsigned resets_asked, resets_seen;
	unsigned quiet_upto, old_upto;
	/* Since the lab's last reset: a socket() or accept() succeeded on
	 * this side (LAB_SERVER, LAB_CLIENT). */
	bool had_socket[2];
};

void tutor_log_init(struct tutor_log *L);
void tutor_log_free(struct tutor_log *L);
/* Forgets every entry, and the sockets made (a new lesson, the sandbox
 * opened). */
void tutor_log_clear(struct tutor_log *L);

/* Appends ev (the oldest entry goes when the ring is full) and returns
 * the stored copy, which the caller may still adjust; tutor_log_sift
 * then judges it. */
struct tutor_log_entry *tutor_log_add(struct tutor_log *L,
    const struct lab_event *ev, unsigned visit);
/* Judges the entry just added: an event of a lesson no longer on screen,
 * or a reset not worth its line, leaves the log.  A reset (kept or not)
 * forgets the sockets made; a socket() or accept() kept counts. */
void tutor_log_sift(struct tutor_log *L);
/* The lab is about to be reset to show step of the same lesson again
 * (same_lesson) or of another lesson: decides whether the reset is worth
 * a line, and starts a new lesson with an empty log. */
void tutor_log_before_reset(struct tutor_log *L, bool same_lesson,
    size_t step);

/* Entries held, and entry k of them (0 the oldest). */
size_t tutor_log_count(const struct tutor_log *L);
const struct tutor_log_entry *tutor_log_at(const struct tutor_log *L,
    size_t k);
/* Whether side made a socket since the lab's last reset: "(no socket)"
 * after a close, "(no socket yet)" before the first. */
bool tutor_log_had_socket(const struct tutor_log *L, enum lab_side side);

/* ---- the place in the course (tutor_answer.c) ---- */

/* What "next" did (tutor_next). */
enum tutor_next {
	TUTOR_NEXT_STEP,	/* the next step of the same lesson */
	TUTOR_NEXT_LESSON,	/* the lesson is finished: the next one's first
				 * step */
	TUTOR_NEXT_END		/* the lesson is finished, and the course */
};

/* Moves the place (lesson, step; into lessons[0..n-1]) one step on. */
enum tutor_next tutor_next(struct lesson *const *lessons, size_t n,
    size_t *lesson, size_t *step);
/* Moves one step back, to the previous lesson's last step when at a
 * lesson's first; false (nothing moved) at the course's very start. */
bool tutor_prev(struct lesson *const *lessons, size_t *lesson,
    size_t *step);

/* ---- answers (tutor_answer.c) ---- */

#define TUTOR_ANSWER_MAX 24	/* characters of a typed answer kept */

/* What a typed answer is worth. */
enum tutor_typed {
	TUTOR_TYPED_NONE = -1,	/* nothing typed yet */
	TUTOR_TYPED_WRONG,
	TUTOR_TYPED_RIGHT,
	TUTOR_TYPED_NOT_A_PORT	/* a port question, and not a port */
};

/* The learner's answer at the step on screen: a choice picked, or a
 * text typed and judged (a new answer replaces the last). */
struct tutor_answer {
	int chosen;		/* the choice picked (0-based), or -1 */
	enum tutor_typed typed;
	char text[TUTOR_ANSWER_MAX + 1];	/* what was typed, cut short */
};

/* Judges text typed as the answer to q: a port question compares the
 * numbers (" 80" is 80), any other compares the text exactly. */
enum tutor_typed tutor_judge(const struct lesson_question *q,
    const char *text);

/* No answer yet (a step entered). */
void tutor_answer_clear(struct tutor_answer *a);
/* Picks choice k of q.  Returns whether that counts as an answer (k is
 * one of q's choices), right or wrong. */
bool tutor_answer_choose(struct tutor_answer *a,
    const struct lesson_question *q, size_t k);
/* Judges text typed for q and keeps it.  Returns whether it counts as
 * an answer: anything but "not a port" at a port question. */
bool tutor_answer_type(struct tutor_answer *a,
    const struct lesson_question *q, const char *text);
/* Whether the answer held is the right one. */
bool tutor_answer_right(const struct tutor_answer *a,
    const struct lesson_question *q);

/* The progress id of the question at step (0-based) of l. */
void tutor_answer_id(const struct lesson *l, size_t step, char *buf,
    size_t len);
/* Whether the question at step of l was answered, in this run or an
 * earlier one (also under the id older versions wrote). */
bool tutor_answered(const struct progress *p, const struct lesson *l,
    size_t step);
/* Records that the question at step of l was answered. */
void tutor_mark_answered(struct progress *p, const struct lesson *l,
    size_t step);

/* ---- the step's exercise (tutor_answer.c) ---- */

/* Sets up st's exercise in ex; false when st has none.  It starts done
 * when p (NULL: no progress kept) records it done. */
bool tutor_exercise_start(struct exercise *ex, const struct lesson_step *st,
    const struct progress *p);
/* Whether p records st's exercise done (false when st has none). */
bool tutor_exercise_done(const struct progress *p,
    const struct lesson_step *st);
/* ex takes in one event from the lab; true when its state changed.  The
 * moment it is done, p (NULL: none kept) records it. */
bool tutor_exercise_event(struct exercise *ex, const struct lab_event *ev,
    struct progress *p);

#endif

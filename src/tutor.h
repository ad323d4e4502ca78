/* tutor.h - the session's bookkeeping that both front ends share and
 * that needs no terminal: how the lab is taken to a step (forward by
 * one, or started again and the earlier steps redone, in the step's
 * network); the log of what the lab did (a ring of the latest events,
 * sifted so that a reset says itself once and a lesson left behind
 * takes its events along); and what the lab has done since its last
 * reset, counted from every event rather than read back from the ring,
 * which forgets.  Part of the core: no curses, no gettext. */
#ifndef SOCKTUTOR_TUTOR_H
#define SOCKTUTOR_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"
#include "lesson.h"

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

#endif

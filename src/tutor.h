/* tutor.h - the session's bookkeeping that both front ends share and
 * that needs no terminal: the log of what the lab did (a ring of the
 * latest events, sifted so that a reset says itself once and a lesson
 * left behind takes its events along) and what the lab has done since
 * its last reset, counted from every event rather than read back from
 * the ring, which forgets.  Part of the core: no curses, no gettext. */
#ifndef SOCKTUTOR_TUTOR_H
#define SOCKTUTOR_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"

#define TUTOR_LOG_MAX 96	/* events the log keeps */

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

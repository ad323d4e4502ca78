/* tutor.c - how the lab is taken to a step, the session's log of what
 * the lab did and what it has done since its last reset, for both front
 * ends and their tests alike.  See tutor.h. */
#include "config.h"

#include <assert.h>
#include <stdlib.h>

#include "tutor.h"
#include "util.h"
#include "world.h"

struct tutor_plan
tutor_plan(bool in_lesson, size_t at, size_t from, size_t lesson,
    size_t step, bool moves)
{
	struct tutor_plan p = { false, false, 0 };
	bool same = in_lesson && lesson == at;

	if (same && step == from + 1 && !moves)
		return p;
	p.reset = true;
	p.new_lesson = !same;
	p.redo = step;
	return p;
}

size_t
tutor_post_step(struct lab *lab, const struct lesson_step *st, bool replay)
{
	enum lab_world w = lab_world(lab);
	size_t i, n = 0;

	for (i = 0; i < st->nactions; i++)
		if (world_runs(&st->actions[i], w)) {
			lab_post(lab, &st->actions[i], replay);
			n++;
		}
	return n;
}

size_t
tutor_redo(struct lab *lab, const struct lesson *l, size_t n)
{
	size_t i, posted = 0;

	for (i = 0; i < n && i < l->nsteps; i++)
		posted += tutor_post_step(lab, &l->steps[i], true);
	return posted;
}

void
tutor_log_init(struct tutor_log *L)
{
	*L = (struct tutor_log){ 0 };
	L->ring = xcalloc(TUTOR_LOG_MAX, sizeof *L->ring);
}

void
tutor_log_free(struct tutor_log *L)
{
	free(L->ring);
	L->ring = NULL;
	L->head = L->n = 0;
}

void
tutor_log_clear(struct tutor_log *L)
{
	L->head = 0;
	L->n = 0;
	L->had_socket[LAB_SERVER] = L->had_socket[LAB_CLIENT] = false;
}

struct tutor_log_entry *
tutor_log_add(struct tutor_log *L, const struct lab_event *ev,
    unsigned visit)
{
	size_t at = (L->head + L->n) % TUTOR_LOG_MAX;

	if (L->n == TUTOR_LOG_MAX)
		L->head = (L->head + 1) % TUTOR_LOG_MAX;
	else
		L->n++;
	L->ring[at].ev = *ev;
	L->ring[at].visit = visit;
	return &L->ring[at];
}

/* The last entry counts towards the sockets made. */
static void
count_socket(struct tutor_log *L, const struct lab_event *ev)
{
	if (ev->kind == LAB_EV_CALL && ev->ret >= 0 &&
	    (ev->call == LAB_CALL_SOCKET || ev->call == LAB_CALL_ACCEPT) &&
	    (ev->side == LAB_SERVER || ev->side == LAB_CLIENT))
		L->had_socket[ev->side] = true;
}

void
tutor_log_sift(struct tutor_log *L)
{
	const struct tutor_log_entry *e, *before;
	unsigned n;

	if (L->n == 0)
		return;
	e = &L->ring[(L->head + L->n - 1) % TUTOR_LOG_MAX];
	before = L->n > 1 ? &L->ring[(L->head + L->n - 2) % TUTOR_LOG_MAX] :
	    NULL;
	if (e->ev.kind != LAB_EV_RESET) {
		if (L->resets_seen < L->old_upto)
			L->n--;
		else
			count_socket(L, &e->ev);
		return;
	}
	L->had_socket[LAB_SERVER] = L->had_socket[LAB_CLIENT] = false;
	/* The sandbox resets the lab on its own: those count as asked
	 * for, and are worth their line. */
	if (L->resets_seen == L->resets_asked)
		L->resets_asked++;
	n = ++L->resets_seen;
	/* One reset line says it all, however many resets came. */
	if (n <= L->quiet_upto ||
	    (before != NULL && before->ev.kind == LAB_EV_RESET))
		L->n--;
}

void
tutor_log_before_reset(struct tutor_log *L, bool same_lesson, size_t step)
{
	/* The reset is worth a line only when earlier steps are really
	 * redone: going back within a lesson.  A new lesson starts with an
	 * empty log; the previous lesson's last events, still on their way,
	 * belong to it and go with the reset that ends them. */
	L->resets_asked++;
	if (!same_lesson || step == 0)
		L->quiet_upto = L->resets_asked;
	if (!same_lesson) {
		L->old_upto = L->resets_asked;
		tutor_log_clear(L);
	}
}

size_t
tutor_log_count(const struct tutor_log *L)
{
	return L->n;
}

const struct tutor_log_entry *
tutor_log_at(const struct tutor_log *L, size_t k)
{
	assert(k < L->n);
	return &L->ring[(L->head + k) % TUTOR_LOG_MAX];
}

bool
tutor_log_had_socket(const struct tutor_log *L, enum lab_side side)
{
	return (side == LAB_SERVER || side == LAB_CLIENT) &&
	    L->had_socket[side];
}

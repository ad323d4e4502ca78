/* world.c - the rule that chooses a step's network.  See world.h. */
#include "config.h"

#include <string.h>

#include "world.h"

/* The lessons whose text asks the reader to come in from another
 * terminal while the bartender waits. */
static bool
guest_lesson(const struct lesson *l)
{
	return strcmp(l->id, "bartender") == 0 || strcmp(l->id, "server") == 0;
}

static bool
waits_for_guests(const struct lesson_step *s)
{
	size_t i;

	for (i = 0; i < s->nactions; i++)
		if (s->actions[i].side == LAB_SERVER &&
		    (s->actions[i].call == LAB_CALL_SERVE ||
		    s->actions[i].call == LAB_CALL_ACCEPT))
			return true;
	return false;
}

bool
world_invites(const struct lesson *l, size_t si, bool classroom)
{
	size_t i;

	if (classroom)
		return true;
	if (si >= l->nsteps)
		return false;
	if (l->steps[si].exercise != NULL)
		return true;
	if (!guest_lesson(l))
		return false;
	for (i = 0; i <= si; i++)
		if (waits_for_guests(&l->steps[i]))
			return true;
	return false;
}

enum lab_world
world_for_step(const struct lesson *l, size_t si, bool classroom,
    bool have_private)
{
	if (!have_private || world_invites(l, si, classroom))
		return LAB_WORLD_MACHINE;
	return LAB_WORLD_PRIVATE;
}

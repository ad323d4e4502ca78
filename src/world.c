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

bool
world_invites(const struct lesson *l, size_t si, bool classroom)
{
	if (classroom)
		return true;
	if (si >= l->nsteps)
		return false;
	return guest_lesson(l) || l->steps[si].exercise != NULL;
}

enum lab_world
world_for_step(const struct lesson *l, size_t si, bool classroom,
    bool have_private)
{
	if (!have_private || world_invites(l, si, classroom))
		return LAB_WORLD_MACHINE;
	return LAB_WORLD_PRIVATE;
}

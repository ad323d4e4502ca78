/* world.c - the rule that chooses a step's network.  See world.h. */
#include "config.h"

#include <string.h>

#include "world.h"

/* The lessons whose text asks the reader to come in from another
 * terminal, with nc or ss, all along: the bar they are told to visit
 * must be the one the lesson built, on this computer. */
static const char *const guest_lessons[] = {
	"bartender", "server", "wrap-up", "byte-order", "many-customers"
};

static bool
guest_lesson(const struct lesson *l)
{
	size_t i;

	for (i = 0; i < sizeof guest_lessons / sizeof guest_lessons[0]; i++)
		if (strcmp(l->id, guest_lessons[i]) == 0)
			return true;
	return false;
}

bool
world_invites(const struct lesson *l, size_t si, bool classroom)
{
	if (classroom)
		return true;
	if (si >= l->nsteps)
		return false;
	return guest_lesson(l) || l->steps[si].exercise != NULL ||
	    l->steps[si].guests;
}

enum lab_world
world_for_step(const struct lesson *l, size_t si, bool classroom,
    bool have_private)
{
	if (!have_private || world_invites(l, si, classroom))
		return LAB_WORLD_MACHINE;
	return LAB_WORLD_PRIVATE;
}

bool
world_runs(const struct lab_cmd *cmd, enum lab_world w)
{
	return !cmd->far || w == LAB_WORLD_PRIVATE;
}

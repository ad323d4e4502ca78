/* world.h - which network a lesson's step runs in.  One rule, the same
 * for the screen, plain mode and the tests:
 *
 * The lab uses the machine's loopback, where customers from other
 * programs can walk in, when the step invites outsiders; otherwise the
 * lab's own private network (netns.h), where every packet is the lab's
 * and is captured.  A step invites outsiders when:
 *  - --listen names a classroom address, or the screen is the lecture
 *    layout (--present), where the class comes in: every step then;
 *  - it is an exercise's step (the learner's own nc or program comes in);
 *  - the lesson marks it @guests (its text asks the reader to run nc or
 *    ss from another terminal);
 *  - it belongs to a lesson that invites guests ("bartender", "server",
 *    "wrap-up", "byte-order" and "many-customers", whose text asks the
 *    reader in from another terminal all along):
 *    every step, so that the bar the learner is told to visit is the one
 *    the lesson built, not one rebuilt in the middle of it.
 *
 * Part of the core: no curses, no gettext, never prints. */
#ifndef SOCKTUTOR_WORLD_H
#define SOCKTUTOR_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"
#include "lesson.h"

/* True when step si of lesson l invites outsiders (see above). */
bool world_invites(const struct lesson *l, size_t si, bool classroom);

/* The world step si of l runs in: LAB_WORLD_MACHINE when it invites
 * outsiders or when there is no private network (have_private false),
 * else LAB_WORLD_PRIVATE. */
enum lab_world world_for_step(const struct lesson *l, size_t si,
    bool classroom, bool have_private);

/* False for a call that only the private network can make (a connect()
 * to one of its far hosts, far=) when the lab is in world w: it is not
 * made at all, and the step's text says what it would show. */
bool world_runs(const struct lab_cmd *cmd, enum lab_world w);

#endif

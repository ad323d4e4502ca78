/* exercise.h - live exercises that the program checks by itself, from the
 * lab's real events: an order from another program, an order with an
 * exact text, or the lab's customer talking to the learner's own server.
 * Part of the core: no curses, no gettext; the UI words the state. */
#ifndef SOCKTUTOR_EXERCISE_H
#define SOCKTUTOR_EXERCISE_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"

enum exercise_kind {
	EXERCISE_ORDER_A_DRINK,	/* any order from another program */
	EXERCISE_CLIENT_SENDS,	/* an order with exactly the text arg */
	EXERCISE_OWN_SERVER	/* the lab's customer orders at port arg */
};

enum exercise_state {
	EXERCISE_WAITING,	/* not done; nothing under way */
	EXERCISE_CHECKING,	/* own-server: the lab's customer is trying */
	EXERCISE_DONE,
	EXERCISE_FAILED		/* own-server: this try failed (see why) */
};

/* Why an own-server try failed. */
enum exercise_why {
	EXERCISE_WHY_NONE,
	EXERCISE_WHY_CONNECT,	/* connect() failed: err says how */
	EXERCISE_WHY_ELSEWHERE,	/* the lab connected to another port */
	EXERCISE_WHY_SEND,	/* send() failed: err */
	EXERCISE_WHY_CLOSED,	/* the server closed without a line */
	EXERCISE_WHY_RECV	/* recv() failed: err */
};

#define EXERCISE_ID_MAX 32
#define EXERCISE_ARG_MAX 48

struct exercise {
	enum exercise_kind kind;
	char id[EXERCISE_ID_MAX];
	char text[EXERCISE_ARG_MAX];	/* client-sends: the exact order */
	unsigned port;			/* own-server: where the server is */
	enum exercise_state state;
	enum exercise_why why;
	int err;
	char got[64];		/* client-sends: the latest other order;
				 * own-server: the reply, escaped */
	bool connected;		/* own-server: connect() succeeded */
};

/* The order the lab's customer sends to the learner's server. */
#define EXERCISE_ORDER "espresso\n"

/* Sets up *ex for the exercise id with its argument (NULL when none):
 * "order-a-drink"; "client-sends WORD" (WORD: 1-40 printable ASCII
 * characters without blanks, the exact order); "own-server PORT" (the
 * port suggested to the learner, 1-65535).  Returns 0, or -1 with *cause
 * set (malloc'd, English) for an unknown id or a bad argument. */
int exercise_init(struct exercise *ex, const char *id, const char *arg,
    char **cause);

/* Takes in one event from the lab; returns true when the state changed.
 * A done exercise stays done. */
bool exercise_event(struct exercise *ex, const struct lab_event *ev);

/* own-server: the lab commands of one try, the customer connecting to
 * port and ordering; stores up to max in out and returns how many (0 for
 * other kinds).  Marks the exercise CHECKING with that port. */
size_t exercise_try(struct exercise *ex, unsigned port, struct lab_cmd *out,
    size_t max);

/* The id under which the progress file keeps it: "ex:ID".  Returns buf. */
char *exercise_progress_id(const struct exercise *ex, char *buf, size_t len);
/* The same for the exercise named id (a step's "@exercise ID"). */
char *exercise_progress_id_of(const char *id, char *buf, size_t len);

#endif

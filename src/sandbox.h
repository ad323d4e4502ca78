/* sandbox.h - the sandbox's bookkeeping, without a terminal: which side
 * the learner's calls go to, which side waits in a call, the latest call,
 * and what the screen should add about it (the port the kernel picked, a
 * listener replaced, a socket missing, who holds a port, ...), worked out
 * from the lab's events alone.  Part of the core: ui_sandbox.c words it
 * and makes the calls. */
#ifndef SOCKTUTOR_SANDBOX_H
#define SOCKTUTOR_SANDBOX_H

#include <stdbool.h>

#include "lab.h"

/* What the screen adds below the latest result. */
enum sandbox_note {
	SANDBOX_NONE,
	SANDBOX_PICKED_PORT,	/* listen() without bind(): the kernel chose
				 * note_addr */
	SANDBOX_REPLACED,	/* a new listener replaced the old one
				 * (note_fd) */
	SANDBOX_NO_SOCKET,	/* the side has no socket for the call */
	SANDBOX_NO_CONN,	/* the bartender has no connection yet */
	SANDBOX_NEVER_CONNECTED,	/* EPIPE: the socket never connected */
	SANDBOX_CONNECT_FAILED,	/* recv() = 0 after a failed connect() */
	SANDBOX_CONNECT_AGAIN,	/* ECONNABORTED: a second connect() */
	SANDBOX_HELD,		/* EADDRINUSE: who holds note_port */
	SANDBOX_BUSY,		/* note_side still waits in a call */
	SANDBOX_CLEAN		/* the lab was reset */
};

struct sandbox {
	enum lab_side side;	/* where socket/send/recv/shutdown/close go */
	bool blocked[2];	/* that side waits in a call */
	enum lab_call blocked_call[2];
	bool have_last;
	struct lab_event last;	/* the latest call and its result */
	enum sandbox_note note;
	enum lab_side note_side;
	int note_fd;
	unsigned note_port;
	enum lab_tcp note_state;
	bool note_held;		/* HELD: a socket of the lab holds it */
	struct lab_addr note_addr;	/* PICKED_PORT: where it listens */
	bool entering;		/* the reset of entering is on its way */
	bool bound;		/* bind() succeeded on the current listener */
	bool connected;		/* the customer's socket connected once */
	unsigned listener_id;	/* the listener last seen, 0 if none */
	int listener_fd;
};

/* A fresh sandbox, on the bartender's side, whose lab is about to be
 * reset (that reset says nothing). */
void sandbox_enter(struct sandbox *sb);
/* Forgets everything but the side chosen. */
void sandbox_clear(struct sandbox *sb);
/* Takes in one event of the lab.  Returns true for a reset: the sandbox
 * starts clean (and says so, unless it was entering's own reset). */
bool sandbox_event(struct sandbox *sb, const struct lab_event *ev);
/* Before a call on side: true, with the note saying so, when that side
 * still waits in an earlier call. */
bool sandbox_busy(struct sandbox *sb, enum lab_side side);
/* The learner switches side; a note about the other side's wait goes. */
void sandbox_switch(struct sandbox *sb);

#endif

/* lab_bar_int.h - what the bar's two files share: lab_bar.c seats the
 * guests and runs the bartender's rounds (epoll set, timers, newcomers);
 * lab_bar_guest.c holds one guest's conversation (reading, answering,
 * writing), the timer heap and the batches of guest events.  Everything
 * here runs on the bartender thread (see lab_bar.c). */
#ifndef SOCKTUTOR_LAB_BAR_INT_H
#define SOCKTUTOR_LAB_BAR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab_int.h"

#define GUEST_IN 2048
#define GUEST_OUT 4096
#define GUEST_READ_ROUND 65536	/* bytes read from one guest per round */
#define GUEST_LINGER_MS 1000	/* wait for the peer's FIN after closing */
#define EMFILE_BACKOFF_MS 250
#define ACCEPT_ROUND 32		/* guests accepted per round at most */
#define GUEST_EV_RATE 100	/* guest events per second, sustained */
#define GUEST_EV_BURST 64	/* guest events in a burst */
#define BATCH_MS 20		/* guest news goes out at most this often */
#define EPOLL_ROUND 256		/* ready descriptors taken per round */
#define EPOLL_FD_MIN 256	/* the epoll descriptor's number, at least:
				 * out of the way of those lessons show */

/* A guest's side of the conversation: the bartender's alone.  The
 * buffers exist only while they hold something: a guest reads into the
 * bartender's one buffer, and keeps what the protocol could not take
 * yet (its replies did not fit) or what it has not yet sent. */
struct bar_guest {
	struct customer cust;
	uint64_t last_us;	/* last byte received (quiet timer) */
	uint64_t active_us;	/* last activity either way (idle timer) */
	char *in;		/* GUEST_IN bytes, or NULL */
	size_t inlen, inoff;
	char *out;		/* GUEST_OUT bytes, or NULL */
	size_t outlen, outoff;
	bool closing;		/* answer flushed, then close */
	bool shut;		/* shutdown(SHUT_WR) done */
	bool eof;		/* the guest closed its side */
	uint64_t linger_until;
	uint32_t mask;		/* the events epoll watches for it */
	uint64_t due;		/* its next timer; UINT64_MAX: none */
	size_t slot;		/* its place in the heap */
};

struct bar {
	uint64_t backoff_until;	/* accept failed for want of fds */
	uint64_t budget_us;	/* token bucket for guest events */
	uint64_t budget_at;
	struct lab_event *batch;	/* guest events not yet posted */
	size_t nbatch, capbatch;
	uint64_t flushed_us;	/* when the last batch went out */
	char rbuf[GUEST_IN];	/* every guest reads into this */
	int ep;			/* the epoll set, or -1 */
	bool kick_in;		/* the kick descriptor is in the set */
	bool listen_in;		/* the listener is in the set */
	int listen_fd;		/* ... under this number */
	struct lsock **heap;	/* guests by bg->due, soonest first */
	size_t nheap, capheap;
};

/* The timer heap: guests by bg->due, soonest first. */
void heap_add(struct bar *bar, struct lsock *g);

/* Guest events go out in batches (BATCH_MS), under a rate budget. */
void batch_add(struct bar *bar, const struct lab_event *ev);
void batch_flush(struct lab *lab, uint64_t now);
void guest_event_post(struct lab *lab, enum lab_ev_kind kind,
    struct lsock *g, int err);

/* One guest. */
void guest_free(struct lsock *g);
/* Closes g and posts LEFT with err. */
void guest_drop(struct lab *lab, struct lsock *g, int err);
/* Room left in g's output. */
size_t guest_room(const struct bar_guest *b);
/* After anything happened to g: its epoll interest and its next timer. */
void guest_settle(struct lab *lab, struct lsock *g);
void guest_answer(struct lab *lab, struct lsock *g,
    const struct customer_order *o);
/* Read from / write to g; false when g was dropped. */
bool guest_read(struct lab *lab, struct lsock *g, uint64_t now);
bool guest_write(struct lab *lab, struct lsock *g, uint64_t now);

#endif

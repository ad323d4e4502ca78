/* lab_int.h - what the lab's files share, and nobody else sees: the
 * definition of struct lab, its locks, and the functions each file
 * offers the others.  lab.c has the queue, the workers and the public
 * API; lab_call.c one function per lesson call (lab_call_addr.c their
 * addresses; lab_call_int.h); lab_bar.c the guests, served by the
 * bartender thread (lab_bar_guest.c one guest's conversation;
 * lab_bar_int.h); lab_snap.c the snapshots and the thread that takes
 * them on request; lab_wire.c the private network.  The locking rule is
 * written at the top of lab.c. */
#ifndef SOCKTUTOR_LAB_INT_H
#define SOCKTUTOR_LAB_INT_H

#include <assert.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "customer.h"
#include "lab.h"

#define LAB_PORTS_MAX 4		/* recent bartender addresses watched */
#define LAB_GHOSTS_MAX 32	/* closed connections whose remains are
				 * looked up by their addresses */

/* A mutex that knows who holds it, so that a function can assert the
 * lock it expects (or expects not) to hold. */
struct lab_lock {
	pthread_mutex_t mu;
	atomic_uintptr_t owner;	/* the holder's lab_lock_self(), or 0 */
};

void lab_lock_init(struct lab_lock *l);
void lab_lock_destroy(struct lab_lock *l);
void lab_lock_take(struct lab_lock *l);
void lab_lock_give(struct lab_lock *l);
/* Waits on cv, giving l up meanwhile (l held). */
void lab_lock_wait(struct lab_lock *l, pthread_cond_t *cv);
/* As lab_lock_wait, for at most until_us (CLOCK_MONOTONIC). */
void lab_lock_wait_until(struct lab_lock *l, pthread_cond_t *cv,
    uint64_t until_us);
bool lab_lock_mine(struct lab_lock *l);

#define LAB_HELD(l) assert(lab_lock_mine(l))
#define LAB_NOT_HELD(l) assert(!lab_lock_mine(l))

enum worker_state { W_IDLE, W_RUNNING, W_BLOCKED };

/* Which thread: the two workers are numbered by their side. */
enum { LAB_T_SERVER = LAB_SERVER, LAB_T_CLIENT = LAB_CLIENT,
	LAB_T_WATCHER, LAB_THREADS };

/* A socket the lab holds: the lesson's, or a guest's.  The fields a
 * snapshot reads (everything but the guest's buffers and protocol
 * state) change under socks_lk only. */
struct lsock {
	unsigned id;
	int fd;
	enum lab_role role;
	enum lab_side side;
	int lesson;		/* the lesson that made it (lab_set_lesson) */
	uint64_t bytes_in, bytes_out;
	struct lsock *next;
	bool nonblock;		/* the lesson set O_NONBLOCK: never wait */
	int rcvtimeo_ms;	/* the lesson set SO_RCVTIMEO; 0 = none */

	/* Guests only; the bartender's alone but for orders and last. */
	struct lsock *gprev;	/* the guest before, or NULL */
	struct bar_guest *bg;
	bool own;		/* the lab's own customer, served like a guest */
	unsigned orders;
	char last[48];
	struct lab_addr peer;
};

/* A connection the lab closed or saw closed: what is left of it (a
 * TIME_WAIT, a FIN_WAIT2) is asked for by its two addresses. */
struct lab_ghost {
	struct lab_addr local, peer;
	bool both;		/* also the peer's end (a guest's program) */
	int lesson;		/* the lesson of the socket that left it */
	enum lab_world world;	/* the network it was made in */
	uint64_t until_us;	/* forgotten after this */
};

struct pending {
	struct lab_cmd cmd;
	bool replay;
	struct pending *next;
};

struct worker_arg {
	struct lab *lab;
	int which;		/* LAB_T_* */
};

struct bar;			/* lab_bar.c's own state */
struct lab_wire;		/* lab_wire.c's */

struct lab {
	/* Set by lab_new, read-only after. */
	struct lab_config cfg;
	char *listen_addr;
	int family;
	struct sockaddr_storage addr;	/* listen_addr, port 0 */
	socklen_t addrlen;
	pthread_t thread[LAB_THREADS];
	bool started[LAB_THREADS];
	struct worker_arg arg[LAB_THREADS];
	int kick[2];		/* eventfd per worker: "look again" */
	int wake;		/* eventfd: events are pending */

	/* queue_lk: the command queue and what each worker is doing. */
	struct lab_lock queue_lk;
	pthread_cond_t queue_cv;
	atomic_bool quit;	/* written under queue_lk, read anywhere */
	atomic_uint epoch;	/* bumped by every reset; likewise */
	unsigned acked[2];	/* the epoch each worker has caught up with */
	enum worker_state state[2];
	struct pending *head, *tail;

	/* socks_lk: the socket lists and the bar's address.  Only the
	 * side's worker adds or closes its sockets (the bartender its
	 * guests); it reads its own without the lock. */
	struct lab_lock socks_lk;
	struct lsock *socks;	/* the lesson's sockets, oldest first */
	struct lsock *listener, *conn, *client;
	struct lsock *guests, *guests_tail;	/* oldest first */
	struct lsock *held;	/* set aside by guests wait, newest first */
	unsigned nheld;
	atomic_bool hold;	/* guests wait (lab_hold_guests) */
	unsigned nguests;	/* guests, the lab's own customers too */
	unsigned nvisitors;	/* guests from other programs */
	bool serving;		/* the bartender accepts guests itself */
	bool serve_one;		/* ... one customer at a time */
	bool has_from;		/* UDP: who wrote to the bartender last */
	struct sockaddr_storage from;
	socklen_t fromlen;
	bool listening;		/* listen() succeeded on the listener */
	bool has_bound;
	struct lab_addr bound;
	unsigned home_port;	/* the port the bar first got */
	unsigned spare_port;	/* set by lab_new when cfg.port was taken:
				 * where bind() falls back first */
	struct lab_addr bars[LAB_PORTS_MAX];	/* newest first */
	struct lab_ghost ghosts[LAB_GHOSTS_MAX];
	size_t nghosts;
	atomic_uint next_id;
	atomic_int lesson;	/* lab_set_lesson */

	/* The bartender's own, no lock. */
	struct bar *bar;

	/* The wire (lab_wire.c): set by lab_new, its own lock inside. */
	struct lab_wire *wire;

	/* events_lk: the event ring. */
	struct lab_lock events_lk;
	unsigned seq;
	struct lab_event *evq;
	size_t evcap, evhead, nev, nguestev;

	/* snap_lk: the latest snapshot, published for lab_snapshot_now,
	 * and the watcher's orders (snap_cv wakes both ways). */
	struct lab_lock snap_lk;
	pthread_cond_t snap_cv;
	struct lab_snapshot latest;
	unsigned snap_asked, snap_done;
};

/* lab.c */
void lab_kick(int fd);
void lab_unkick(int fd);
void lab_xclose(int fd);
bool lab_cancelled(struct lab *lab, unsigned epoch);
enum lab_side lab_other(enum lab_side s);
void lab_ev_init(struct lab_event *ev, enum lab_ev_kind kind,
    enum lab_side side, enum lab_call call, int fd, bool replay);
/* Queues ev (its snapshot already taken) for the UI; guest events are
 * dropped past EV_GUEST_CAP waiting.  No lock held but events_lk's own. */
void lab_push(struct lab *lab, const struct lab_event *ev);
/* Takes a snapshot and queues a lesson event with it, in order with the
 * other worker's events.  state: what ev's side is doing once the event
 * is out (W_IDLE when the call is over, W_BLOCKED when it waits), or -1
 * for no change; the two happen in one critical section, so that whoever
 * reads the event also reads lab_settled right.  No lock held. */
void lab_emit(struct lab *lab, struct lab_event *ev, int state);
/* Waits until fd is ready for events, or the lab cancels the wait (see
 * lab.c).  No lock held. */
int lab_wait_ready(struct lab *lab, enum lab_side side, unsigned epoch,
    const struct lab_event *call, short events, int grace_ms);
/* The same, giving up after limit_ms (-1: never): then returns 1, as a
 * socket with SO_RCVTIMEO does. */
int lab_wait_ready_for(struct lab *lab, enum lab_side side, unsigned epoch,
    const struct lab_event *call, short events, int grace_ms, int limit_ms);

/* lab_call.c: runs one lesson command on its side's worker and posts
 * its events.  No lock held. */
void lab_call_run(struct lab *lab, const struct lab_cmd *cmd, bool replay,
    unsigned epoch);
/* A worker catches up with a reset: closes its side's lesson sockets.
 * No lock held. */
void lab_call_close_side(struct lab *lab, enum lab_side side);

/* lab_bar.c, bartender thread only. */
struct bar *lab_bar_new(void);
void lab_bar_free(struct bar *bar);
/* One round of the bartender's own work (see lab_bar.c).  extra: the
 * socket of a lesson call the bartender waits on, polled too; max_ms
 * caps the wait.  No lock held. Returns poll's result. */
int lab_bar_round(struct lab *lab, struct pollfd *extra, int max_ms);
/* Closes every guest (lab_free, after the threads are joined). */
void lab_bar_close_all(struct lab *lab);
/* Guests wait: sets aside fd, just accepted by the lesson, when it is
 * not the lab's own customer and guests wait is on; returns true when
 * it did (fd is the bar's then). */
bool lab_bar_hold(struct lab *lab, int fd, const struct sockaddr_storage *ss);
/* The bartender stops accepting until "serve" again (a reset). */
void lab_bar_reset(struct lab *lab);
/* The listener fd is about to be closed: it leaves the epoll set while
 * the number is still its own (socks_lk may be held). */
void lab_bar_unwatch(struct lab *lab, int fd);

/* lab_wire.c: the network the lesson's sockets are made in, and its
 * capture.  No lock held, any thread. */
struct lab_wire *lab_wire_new(struct netns *ns);
void lab_wire_free(struct lab_wire *w);
/* socket(family, type) nonblocking, in the lab's current world. */
int lab_wire_socket(struct lab *lab, int family, int type);
/* netstate_fdless, asked of the current world's kernel tables. */
struct netstate_conn;
int lab_wire_fdless(struct lab *lab, const struct lab_addr *bars,
    size_t nbars, struct netstate_conn *out, size_t max);
/* The network fd's socket was made in. */
enum lab_world lab_wire_world_of(struct lab *lab, int fd);
/* netstate_lookup, in the kernel tables of world (the current one or
 * not: what an earlier lesson left stays in its own network). */
int lab_wire_lookup(struct lab *lab, enum lab_world world,
    struct netstate_conn *conns, bool *found, size_t n);
/* Reads the capture and ties ev to the segments seen since the last
 * event (ev->seg_from, seg_to), the call's own tagged as its. */
void lab_wire_event(struct lab *lab, struct lab_event *ev);

/* lab_snap.c */
/* A snapshot of every socket now; queue: also list the connections
 * waiting in the accept queue (a kernel table dump).  Takes socks_lk
 * itself: no lock held. */
void lab_snap_take(struct lab *lab, struct lab_snapshot *snap, bool queue);
/* Makes snap the one lab_snapshot_now hands out, if it is newer. */
void lab_snap_publish(struct lab *lab, const struct lab_snapshot *snap);
/* The watcher thread: takes snapshots when lab_snapshot_now asks. */
void *lab_snap_watcher(void *arg);
/* Remembers the addresses of fd's connection, about to be closed, so
 * that snapshots find what the close leaves (a TIME_WAIT); both: the
 * peer's end too (it belongs to another program); peer, when not NULL:
 * the peer's address, kept from accept() for a socket no longer
 * connected.  socks_lk held. */
void lab_snap_ghost(struct lab *lab, int fd, bool both, int lesson,
    const struct lab_addr *peer);

#endif

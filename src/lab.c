/* lab.c - the live socket lab: its command queue, its threads and its
 * public interface.  Two workers, the bartender (the server side) and
 * the customer (the client side), make the real calls that lessons ask
 * for (lab_call.c), on loopback, one at a time, and after every call
 * post an event carrying a snapshot of every socket the lab knows about
 * (lab_snap.c).  Between calls, and while a call waits, the bartender
 * serves the customers who came from other programs (lab_bar.c).  A
 * third thread, the watcher, takes snapshots when the screen asks.
 *
 * Ordering: commands wait in one queue in posting order.  The command at
 * the head starts when its side's worker is free and the other worker is
 * not in the middle of a call; a call that has to wait (accept, recv,
 * connect, a send on a full buffer) marks its side blocked, which lets
 * the next command run.  Every socket is non-blocking: waiting is a poll()
 * on the socket and on the thread's kick descriptor (an eventfd), so a
 * reset or the end of the lab interrupts any wait at once.
 *
 * Locking, in one rule: each lock guards one thing, is held only over a
 * short named critical section, never across a call that can block and
 * never from one function into its caller.  Every function here and in
 * lab_call.c, lab_bar.c and lab_snap.c is entered and left with no lock
 * held, unless its comment says otherwise (and then it asserts it).
 *   queue_lk  the command queue, the workers' states, acked epochs;
 *   socks_lk  the socket lists and the bar's address: a descriptor on a
 *             list is closed only under it, so a snapshot reading
 *             descriptors under it never sees one closed or reused;
 *   events_lk the event ring;
 *   snap_lk   the latest published snapshot.
 * The only nesting is queue_lk then events_lk (lab_emit: a side's state
 * and its event change together).  Snapshots walk the kernel's tables on
 * the workers and the watcher only: the screen's thread copies what they
 * published, and never waits for the lab's own locks for more than a
 * copy.
 *
 * Ownership: each worker alone adds and closes the sockets of its side
 * (the bartender also owns the guests) and may read its own without a
 * lock.  Resets are carried out by the workers themselves; lab_reset
 * waits until both have done theirs.  Network bytes are never trusted:
 * events carry them escaped. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lab_int.h"
#include "netstate.h"
#include "util.h"

#define EV_GUEST_CAP 256	/* guest events queued at most */
#define SNAP_WAIT_MS 250	/* lab_snapshot_now waits this long at most */

/* ---- locks ---- */

/* A different address for every thread: who holds a lock. */
static _Thread_local char self_token;

void
lab_lock_init(struct lab_lock *l)
{
	pthread_mutex_init(&l->mu, NULL);
	atomic_init(&l->owner, 0);
}

void
lab_lock_destroy(struct lab_lock *l)
{
	pthread_mutex_destroy(&l->mu);
}

void
lab_lock_take(struct lab_lock *l)
{
	LAB_NOT_HELD(l);
	pthread_mutex_lock(&l->mu);
	atomic_store(&l->owner, (uintptr_t)&self_token);
}

void
lab_lock_give(struct lab_lock *l)
{
	LAB_HELD(l);
	atomic_store(&l->owner, 0);
	pthread_mutex_unlock(&l->mu);
}

void
lab_lock_wait(struct lab_lock *l, pthread_cond_t *cv)
{
	LAB_HELD(l);
	atomic_store(&l->owner, 0);
	pthread_cond_wait(cv, &l->mu);
	atomic_store(&l->owner, (uintptr_t)&self_token);
}

void
lab_lock_wait_until(struct lab_lock *l, pthread_cond_t *cv,
    uint64_t until_us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(until_us / 1000000u),
		.tv_nsec = (long)(until_us % 1000000u) * 1000
	};

	LAB_HELD(l);
	atomic_store(&l->owner, 0);
	pthread_cond_timedwait(cv, &l->mu, &ts);
	atomic_store(&l->owner, (uintptr_t)&self_token);
}

bool
lab_lock_mine(struct lab_lock *l)
{
	return atomic_load(&l->owner) == (uintptr_t)&self_token;
}

/* A condition variable that waits on CLOCK_MONOTONIC, as util_now_us. */
static void
cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
}

/* ---- small helpers ---- */

void
lab_kick(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof one) == -1 && errno == EINTR)
		continue;
}

void
lab_unkick(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof v) == -1 && errno == EINTR)
		continue;
}

void
lab_xclose(int fd)
{
	/* Linux closes the descriptor even when close reports EINTR. */
	if (fd >= 0)
		close(fd);
}

enum lab_side
lab_other(enum lab_side s)
{
	return s == LAB_SERVER ? LAB_CLIENT : LAB_SERVER;
}

bool
lab_cancelled(struct lab *lab, unsigned epoch)
{
	return atomic_load(&lab->quit) || atomic_load(&lab->epoch) != epoch;
}

void
lab_ev_init(struct lab_event *ev, enum lab_ev_kind kind, enum lab_side side,
    enum lab_call call, int fd, bool replay)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->side = side;
	ev->call = call;
	ev->fd = fd;
	ev->replay = replay;
}

/* ---- events ---- */

void
lab_push(struct lab *lab, const struct lab_event *ev)
{
	bool guest = lab_event_is_guest(ev->kind);
	struct lab_event *slot;

	lab_lock_take(&lab->events_lk);
	if (guest && lab->nguestev >= EV_GUEST_CAP) {
		lab_lock_give(&lab->events_lk);
		return;
	}
	if (lab->nev == lab->evcap) {
		size_t cap = lab->evcap ? lab->evcap * 2 : 32, i;
		struct lab_event *q = xreallocarray(NULL, cap, sizeof *q);

		for (i = 0; i < lab->nev; i++)
			q[i] = lab->evq[(lab->evhead + i) % lab->evcap];
		free(lab->evq);
		lab->evq = q;
		lab->evcap = cap;
		lab->evhead = 0;
	}
	slot = &lab->evq[(lab->evhead + lab->nev) % lab->evcap];
	*slot = *ev;
	slot->seq = ++lab->seq;
	if (guest)
		lab->nguestev++;
	if (lab->nev++ == 0)
		lab_kick(lab->wake);
	lab_lock_give(&lab->events_lk);
}

void
lab_emit(struct lab *lab, struct lab_event *ev, int state)
{
	bool last;

	/* The connections waiting in a queue cost a walk of the kernel's
	 * table: the last event of a batch of commands, the one a screen
	 * shows, lists them; those followed by more commands leave them
	 * out. */
	lab_wire_event(lab, ev);
	lab_lock_take(&lab->queue_lk);
	last = lab->head == NULL;
	lab_lock_give(&lab->queue_lk);
	lab_snap_take(lab, &ev->snap, last);
	lab_snap_publish(lab, &ev->snap);
	lab_lock_take(&lab->queue_lk);
	if (state >= 0)
		lab->state[ev->side] = (enum worker_state)state;
	lab_push(lab, ev);
	pthread_cond_broadcast(&lab->queue_cv);
	lab_lock_give(&lab->queue_lk);
}

/* ---- waiting for a socket ---- */

/* Polls fd (and the client worker's kick) for at most timeout ms;
 * returns fd's revents. */
static short
client_poll(struct lab *lab, int fd, short events, int timeout)
{
	struct pollfd p[2] = {
		{ fd, events, 0 },
		{ lab->kick[LAB_T_CLIENT], POLLIN, 0 }
	};

	if (poll(p, 2, timeout) <= 0)
		return 0;
	if (p[1].revents & POLLIN)
		lab_unkick(lab->kick[LAB_T_CLIENT]);
	return p[0].revents;
}

/* Waits until the call's socket is ready for events (or the lab cancels
 * the wait).  grace_ms: how long to wait before telling the UI the call
 * blocks.  The bartender goes on serving its guests meanwhile.  Returns
 * 0 when ready (the side is RUNNING again), -1 when cancelled (a
 * CANCELLED event was posted). */
int
lab_wait_ready(struct lab *lab, enum lab_side side, unsigned epoch,
    const struct lab_event *call, short events, int grace_ms)
{
	return lab_wait_ready_for(lab, side, epoch, call, events, grace_ms,
	    -1);
}

int
lab_wait_ready_for(struct lab *lab, enum lab_side side, unsigned epoch,
    const struct lab_event *call, short events, int grace_ms, int limit_ms)
{
	uint64_t start = util_now_us();
	uint64_t grace_end = start + (uint64_t)grace_ms * 1000u;
	uint64_t limit_end = start + (uint64_t)(limit_ms < 0 ? 0 : limit_ms) *
	    1000u;
	bool blocked = false, expired = false;
	struct lab_event ev;

	for (;;) {
		uint64_t now = util_now_us();
		int timeout = blocked ? -1 : now >= grace_end ? 0 :
		    (int)((grace_end - now + 999) / 1000);
		struct pollfd pfd = { call->fd, events, 0 };

		if (limit_ms >= 0) {
			int left = now >= limit_end ? 0 :
			    (int)((limit_end - now + 999) / 1000);

			if (timeout < 0 || left < timeout)
				timeout = left;
		}

		if (side == LAB_SERVER)
			lab_bar_round(lab, &pfd, timeout);
		else
			pfd.revents = client_poll(lab, call->fd, events,
			    timeout);
		expired = pfd.revents == 0 && limit_ms >= 0 &&
		    util_now_us() >= limit_end;
		lab_lock_take(&lab->queue_lk);
		/* Ready: let the other side finish its call first, so that
		 * events keep the order things happened in. */
		while (!lab_cancelled(lab, epoch) &&
		    (pfd.revents != 0 || expired) &&
		    lab->state[lab_other(side)] == W_RUNNING)
			lab_lock_wait(&lab->queue_lk, &lab->queue_cv);
		if (!lab_cancelled(lab, epoch) &&
		    (pfd.revents != 0 || expired)) {
			lab->state[side] = W_RUNNING;
			lab_lock_give(&lab->queue_lk);
			return pfd.revents != 0 ? 0 : 1;
		}
		lab_lock_give(&lab->queue_lk);
		if (lab_cancelled(lab, epoch)) {
			ev = *call;
			ev.kind = LAB_EV_CANCELLED;
			lab_emit(lab, &ev, -1);
			return -1;
		}
		if (!blocked && util_now_us() >= grace_end) {
			blocked = true;
			ev = *call;
			ev.kind = LAB_EV_BLOCKED;
			lab_emit(lab, &ev, W_BLOCKED);
			lab_kick(lab->kick[lab_other(side)]);
		}
	}
}

/* ---- the workers ---- */

static bool
can_start(const struct lab *lab, enum lab_side side)
{
	return lab->head != NULL && lab->head->cmd.side == side &&
	    lab->state[side] == W_IDLE &&
	    lab->state[lab_other(side)] != W_RUNNING;
}

/* Waits for the side's next kick: the bartender serves meanwhile. */
static void
idle_wait(struct lab *lab, enum lab_side side)
{
	if (side == LAB_SERVER) {
		lab_bar_round(lab, NULL, -1);
	} else {
		struct pollfd pfd = { lab->kick[side], POLLIN, 0 };

		if (poll(&pfd, 1, -1) > 0)
			lab_unkick(lab->kick[side]);
	}
}

static void *
worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct lab *lab = wa->lab;
	enum lab_side side = (enum lab_side)wa->which;

	lab_lock_take(&lab->queue_lk);
	for (;;) {
		unsigned epoch = atomic_load(&lab->epoch);

		if (lab->acked[side] != epoch) {
			lab_lock_give(&lab->queue_lk);
			lab_call_close_side(lab, side);
			lab_lock_take(&lab->queue_lk);
			lab->acked[side] = epoch;
			pthread_cond_broadcast(&lab->queue_cv);
			continue;
		}
		if (atomic_load(&lab->quit))
			break;
		if (can_start(lab, side)) {
			struct pending *p = lab->head;

			lab->head = p->next;
			if (lab->head == NULL)
				lab->tail = NULL;
			lab->state[side] = W_RUNNING;
			lab_lock_give(&lab->queue_lk);
			lab_call_run(lab, &p->cmd, p->replay, epoch);
			free(p);
			lab_lock_take(&lab->queue_lk);
			lab->state[side] = W_IDLE;
			pthread_cond_broadcast(&lab->queue_cv);
			lab_kick(lab->kick[lab_other(side)]);
			continue;
		}
		lab_lock_give(&lab->queue_lk);
		idle_wait(lab, side);
		lab_lock_take(&lab->queue_lk);
	}
	lab_lock_give(&lab->queue_lk);
	return NULL;
}

/* ---- the public interface ---- */

bool
lab_event_is_guest(enum lab_ev_kind kind)
{
	switch (kind) {
	case LAB_EV_GUEST_ARRIVED:
	case LAB_EV_GUEST_ORDER:
	case LAB_EV_GUEST_LEFT:
	case LAB_EV_GUEST_REFUSED:
	case LAB_EV_GUEST_HTTP:
		return true;
	default:
		return false;
	}
}

/* Every guest is a descriptor: when the bar may seat more customers
 * than the soft limit allows, the limit goes up to the hard one. */
static void
raise_nofile(unsigned max_customers)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max_customers + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want &&
	    rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Reads cfg's address into lab; -1 with *cause when it is none. */
static int
set_address(struct lab *lab, const struct lab_config *cfg, char **cause)
{
	const char *addr = cfg->listen_addr != NULL && cfg->listen_addr[0] ?
	    cfg->listen_addr : LAB_DEFAULT_LISTEN;
	struct sockaddr_in *in = (struct sockaddr_in *)&lab->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&lab->addr;

	lab->cfg = *cfg;
	lab->listen_addr = xstrdup(addr);
	lab->cfg.listen_addr = lab->listen_addr;
	if (lab->cfg.max_customers == 0)
		lab->cfg.max_customers = LAB_DEFAULT_MAX_CUSTOMERS;
	raise_nofile(lab->cfg.max_customers);
	if (lab->cfg.idle_ms == 0)
		lab->cfg.idle_ms = LAB_DEFAULT_IDLE_MS;
	if (lab->cfg.quiet_ms == 0)
		lab->cfg.quiet_ms = LAB_DEFAULT_QUIET_MS;
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		lab->family = in->sin_family = AF_INET;
		lab->addrlen = sizeof *in;
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		lab->family = in6->sin6_family = AF_INET6;
		lab->addrlen = sizeof *in6;
	} else {
		*cause = xasprintf("'%s' is not an IPv4 or IPv6 address",
		    addr);
		return -1;
	}
	return 0;
}

/* A port the bar can bind on the lab's address: want itself when it is
 * free (0: the kernel's choice for a socket bound and closed at once),
 * else 0. */
static unsigned
free_port(struct lab *lab, unsigned want)
{
	struct sockaddr_storage ss = lab->addr;
	socklen_t sl = lab->addrlen;
	int fd = socket(lab->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unsigned got = 0;

	if (fd == -1)
		return 0;
	if (lab->family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)want);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)want);
	if (bind(fd, (struct sockaddr *)&ss, sl) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		got = ntohs(lab->family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	close(fd);
	return got;
}

/* A free port whose next one is free too, for the classroom door, when
 * a few tries find one; else any free port. */
static unsigned
free_pair(struct lab *lab)
{
	unsigned p = 0;
	int i;

	for (i = 0; i < 8; i++) {
		p = free_port(lab, 0);
		if (p == 0 || (p < 65535 && free_port(lab, p + 1) == p + 1))
			break;
	}
	return p;
}

/* The lessons name the bar's port before the bartender binds, and the
 * classroom door opens on the port after it, so the port is settled
 * now.  With port 0 ("any free one") the lab picks it: should another
 * program take it meanwhile, bind() falls back as for a taken port.
 * With a wanted port that is taken already, bind() will fall back: to
 * the spare port picked now, where it can. */
static void
reserve_port(struct lab *lab)
{
	if (lab->cfg.port == 0)
		lab->home_port = free_pair(lab);
	else if (free_port(lab, lab->cfg.port) == 0)
		lab->spare_port = free_pair(lab);
}

struct lab *
lab_new(const struct lab_config *cfg, char **cause)
{
	struct lab *lab = xcalloc(1, sizeof *lab);
	int i, e;

	lab->kick[0] = lab->kick[1] = -1;
	lab->wake = -1;
	lab_lock_init(&lab->queue_lk);
	lab_lock_init(&lab->socks_lk);
	lab_lock_init(&lab->events_lk);
	lab_lock_init(&lab->snap_lk);
	cond_init(&lab->queue_cv);
	cond_init(&lab->snap_cv);
	lab->bar = lab_bar_new();
	lab->wire = lab_wire_new(cfg->netns);
	if (set_address(lab, cfg, cause) == -1) {
		lab_free(lab);
		return NULL;
	}
	reserve_port(lab);
	/* No descriptor more than these three: lessons show the numbers
	 * the kernel hands out next. */
	lab->kick[0] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lab->kick[1] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lab->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (lab->kick[0] == -1 || lab->kick[1] == -1 || lab->wake == -1) {
		*cause = xasprintf("eventfd: %s", lab_errno_name(errno));
		lab_free(lab);
		return NULL;
	}
	for (i = 0; i < LAB_THREADS; i++) {
		lab->arg[i].lab = lab;
		lab->arg[i].which = i;
		e = pthread_create(&lab->thread[i], NULL, i == LAB_T_WATCHER ?
		    lab_snap_watcher : worker, &lab->arg[i]);
		if (e != 0) {
			*cause = xasprintf("pthread_create: %s",
			    lab_errno_name(e));
			lab_free(lab);
			return NULL;
		}
		lab->started[i] = true;
		/* Named, so that top -H and the benchmark tell them apart. */
		pthread_setname_np(lab->thread[i], i == LAB_T_SERVER ?
		    "bartender" : i == LAB_T_CLIENT ? "customer" : "watcher");
	}
	return lab;
}

/* Frees the queued commands; queue_lk held. */
static void
drop_pending(struct lab *lab)
{
	struct pending *p, *next;

	LAB_HELD(&lab->queue_lk);
	for (p = lab->head; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	lab->head = lab->tail = NULL;
}

void
lab_free(struct lab *lab)
{
	struct lsock *s, *next;
	int i;

	if (lab == NULL)
		return;
	lab_lock_take(&lab->queue_lk);
	atomic_store(&lab->quit, true);
	atomic_fetch_add(&lab->epoch, 1);
	drop_pending(lab);
	pthread_cond_broadcast(&lab->queue_cv);
	lab_lock_give(&lab->queue_lk);
	for (i = 0; i < 2; i++)
		if (lab->kick[i] != -1)
			lab_kick(lab->kick[i]);
	lab_lock_take(&lab->snap_lk);
	pthread_cond_broadcast(&lab->snap_cv);
	lab_lock_give(&lab->snap_lk);
	for (i = 0; i < LAB_THREADS; i++)
		if (lab->started[i])
			pthread_join(lab->thread[i], NULL);
	/* Every thread is gone: nothing left to lock against. */
	for (s = lab->socks; s != NULL; s = next) {
		next = s->next;
		lab_xclose(s->fd);
		free(s);
	}
	lab_bar_close_all(lab);
	lab_bar_free(lab->bar);
	lab_wire_free(lab->wire);
	for (i = 0; i < 2; i++)
		lab_xclose(lab->kick[i]);
	lab_xclose(lab->wake);
	pthread_cond_destroy(&lab->queue_cv);
	pthread_cond_destroy(&lab->snap_cv);
	lab_lock_destroy(&lab->queue_lk);
	lab_lock_destroy(&lab->socks_lk);
	lab_lock_destroy(&lab->events_lk);
	lab_lock_destroy(&lab->snap_lk);
	free(lab->evq);
	free(lab->listen_addr);
	free(lab);
}

int
lab_wake_fd(const struct lab *lab)
{
	return lab->wake;
}

void
lab_post(struct lab *lab, const struct lab_cmd *cmd, bool replay)
{
	struct pending *p = xcalloc(1, sizeof *p);

	p->cmd = *cmd;
	p->replay = replay;
	lab_lock_take(&lab->queue_lk);
	if (lab->tail != NULL)
		lab->tail->next = p;
	else
		lab->head = p;
	lab->tail = p;
	lab_lock_give(&lab->queue_lk);
	lab_kick(lab->kick[cmd->side]);
}

void
lab_set_lesson(struct lab *lab, int lesson)
{
	atomic_store(&lab->lesson, lesson);
}

/* Every event carries its snapshot already, taken by the thread that
 * posted it: taking events in is a copy. */
size_t
lab_drain(struct lab *lab, struct lab_event *out, size_t max)
{
	size_t n = 0;

	lab_lock_take(&lab->events_lk);
	while (n < max && lab->nev > 0) {
		out[n] = lab->evq[lab->evhead];
		if (lab_event_is_guest(out[n].kind))
			lab->nguestev--;
		lab->evhead = (lab->evhead + 1) % lab->evcap;
		lab->nev--;
		n++;
	}
	if (lab->nev == 0)
		lab_unkick(lab->wake);
	lab_lock_give(&lab->events_lk);
	return n;
}

bool
lab_settled(struct lab *lab)
{
	bool r;

	/* Nothing runs, and nothing queued can start: the queue is empty
	 * or its head belongs to a side that waits (a sendto behind a
	 * recvfrom), so only somebody outside can move the lab on. */
	lab_lock_take(&lab->queue_lk);
	r = lab->state[0] != W_RUNNING && lab->state[1] != W_RUNNING &&
	    (lab->head == NULL ||
	    lab->state[lab->head->cmd.side] == W_BLOCKED);
	lab_lock_give(&lab->queue_lk);
	return r;
}

bool
lab_waiting(struct lab *lab)
{
	bool r;

	lab_lock_take(&lab->queue_lk);
	r = lab->state[0] == W_BLOCKED || lab->state[1] == W_BLOCKED;
	lab_lock_give(&lab->queue_lk);
	return r;
}

void
lab_reset(struct lab *lab)
{
	struct lab_event ev;
	unsigned epoch;

	lab_lock_take(&lab->queue_lk);
	epoch = atomic_fetch_add(&lab->epoch, 1) + 1;
	drop_pending(lab);
	pthread_cond_broadcast(&lab->queue_cv);
	lab_kick(lab->kick[0]);
	lab_kick(lab->kick[1]);
	/* Each worker closes its own sockets when it sees the new epoch. */
	while ((lab->acked[0] != epoch || lab->acked[1] != epoch) &&
	    atomic_load(&lab->epoch) == epoch && !atomic_load(&lab->quit))
		lab_lock_wait(&lab->queue_lk, &lab->queue_cv);
	lab_lock_give(&lab->queue_lk);
	lab_ev_init(&ev, LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, -1, false);
	lab_emit(lab, &ev, -1);
}

bool
lab_server_addr(struct lab *lab, struct lab_addr *out)
{
	bool r;

	lab_lock_take(&lab->socks_lk);
	r = lab->has_bound;
	if (r)
		*out = lab->bound;
	lab_lock_give(&lab->socks_lk);
	return r;
}

void
lab_bar_where(struct lab *lab, struct lab_addr *out)
{
	lab_lock_take(&lab->socks_lk);
	if (lab->has_bound) {
		*out = lab->bound;
	} else {
		netstate_addr(&lab->addr, out);
		out->port = (uint16_t)(lab->home_port != 0 ? lab->home_port :
		    lab->spare_port != 0 ? lab->spare_port : lab->cfg.port);
	}
	lab_lock_give(&lab->socks_lk);
}

void
lab_hold_guests(struct lab *lab, bool on)
{
	atomic_store(&lab->hold, on);
	/* The bartender serves the held guests on his next round. */
	lab_kick(lab->kick[LAB_T_SERVER]);
}

/* Asks the watcher for a snapshot and waits for it, for a bounded time:
 * the caller's thread never reads the kernel's tables itself. */
void
lab_snapshot_now(struct lab *lab, struct lab_snapshot *out)
{
	uint64_t until = util_now_us() + SNAP_WAIT_MS * 1000u;
	unsigned want;

	lab_lock_take(&lab->snap_lk);
	want = ++lab->snap_asked;
	pthread_cond_broadcast(&lab->snap_cv);
	while ((int)(lab->snap_done - want) < 0 && util_now_us() < until)
		lab_lock_wait_until(&lab->snap_lk, &lab->snap_cv, until);
	*out = lab->latest;
	lab_lock_give(&lab->snap_lk);
}

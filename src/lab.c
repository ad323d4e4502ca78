/* lab.c - the live socket lab.  Two worker threads, the bartender (the
 * server side) and the customer (the client side), make the real calls
 * that lessons ask for, on loopback, one at a time, and after every call
 * post an event carrying a snapshot of every socket the lab knows about.
 *
 * Ordering: commands wait in one queue in posting order.  The command at
 * the head starts when its side's worker is free and the other worker is
 * not in the middle of a call; a call that has to wait (accept, recv,
 * connect, a send on a full buffer) marks its side blocked, which lets
 * the next command run.  Every socket is non-blocking: waiting is a poll()
 * on the socket and on the worker's kick descriptor (an eventfd), so a
 * reset or the end of the lab interrupts any wait at once.
 *
 * Ownership: each worker alone closes the sockets of its side (the
 * bartender also owns the guests), always under the mutex, and every
 * snapshot is taken under the mutex: a descriptor is never closed while
 * another thread looks at it.  Resets are carried out by the workers
 * themselves; lab_reset waits until both have done theirs.
 *
 * After the lesson says "serve", the bartender accepts every newcomer
 * itself (or, after "serve one", the next one once the last has left)
 * and serves it with the protocol of customer.c, between lesson calls
 * and while a lesson call waits.  Before that, newcomers wait in the
 * accept queue, as they would for a real server that calls accept() once.
 * Customers from other programs ("guests") get events of their own; the
 * lab's own customers are served the same way but show as connections.
 * Network bytes are never trusted: events carry them escaped. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "customer.h"
#include "lab.h"
#include "netstate.h"
#include "util.h"

#define EV_GUEST_CAP 256	/* guest events queued at most */
#define PORTS_MAX 4		/* recent bartender addresses watched */
#define FDLESS_MAX 16		/* fd-less entries read per snapshot */
#define CONNECT_GRACE_MS 100	/* a connect slower than this "blocks" */
#define GUEST_IN 2048
#define GUEST_OUT 4096
#define GUEST_READ_ROUND 65536	/* bytes read from one guest per round */
#define GUEST_LINGER_MS 1000	/* wait for the peer's FIN after closing */
#define EMFILE_BACKOFF_MS 250
#define ACCEPT_ROUND 32		/* guests accepted per round at most */
#define GUEST_EV_RATE 100	/* guest events per second, sustained */
#define GUEST_EV_BURST 64	/* guest events in a burst */
#define HANDOVER_US 2000	/* the bartender waits this long at most for
				 * a thread that wants the mutex to take it */

enum worker_state { W_IDLE, W_RUNNING, W_BLOCKED };

/* A socket the lab holds: the lesson's, or a guest's. */
struct lsock {
	unsigned id;
	int fd;
	enum lab_role role;
	enum lab_side side;
	uint64_t bytes_in, bytes_out;
	struct lsock *next;

	/* Guests only. */
	bool own;		/* the lab's own customer, served like a guest */
	unsigned orders;
	char last[48];
	struct lab_addr peer;
	struct customer cust;
	uint64_t last_us;	/* last byte received (quiet timer) */
	uint64_t active_us;	/* last activity either way (idle timer) */
	char in[GUEST_IN];
	size_t inlen, inoff;
	char out[GUEST_OUT];
	size_t outlen, outoff;
	bool closing;		/* answer flushed, then close */
	bool shut;		/* shutdown(SHUT_WR) done */
	bool eof;		/* the guest closed its side */
	uint64_t linger_until;
	int left_err;
};

struct pending {
	struct lab_cmd cmd;
	bool replay;
	struct pending *next;
};

struct worker_arg {
	struct lab *lab;
	enum lab_side side;
};

struct lab {
	pthread_mutex_t mu;
	atomic_uint want;	/* threads waiting in lock() */
	pthread_cond_t cv;
	struct lab_config cfg;
	char *listen_addr;
	int family;
	struct sockaddr_storage addr;	/* listen_addr, port 0 */
	socklen_t addrlen;

	pthread_t thread[2];
	bool started[2];
	struct worker_arg arg[2];
	int kick[2];		/* eventfd per worker: "look again" */
	int wake;		/* eventfd: events are pending */

	bool quit;
	unsigned epoch;		/* bumped by every reset */
	unsigned acked[2];	/* the epoch each worker has caught up with */
	enum worker_state state[2];
	struct pending *head, *tail;

	struct lsock *socks;	/* the lesson's sockets, oldest first */
	struct lsock *listener, *conn, *client;
	struct lsock *guests;
	unsigned nguests;
	bool serving;		/* the bartender accepts guests itself */
	bool serve_one;		/* ... one customer at a time */
	bool has_from;		/* UDP: who wrote to the bartender last */
	struct sockaddr_storage from;
	socklen_t fromlen;
	bool listening;		/* listen() succeeded on the listener */
	bool has_bound;
	struct lab_addr bound;
	unsigned home_port;	/* the port the bar first got (port 0 or a
				 * fallback): later binds reuse it */
	struct lab_addr bars[PORTS_MAX];	/* bartender addresses, newest
						 * first */
	unsigned next_id;
	uint64_t backoff_until;	/* accept failed for want of fds */

	uint64_t guest_budget_us;	/* token bucket for guest events */
	uint64_t guest_budget_at;

	unsigned seq;
	struct lab_event *evq;	/* ring */
	size_t evcap, evhead, nev, nguestev;
};

/* ---- small helpers ---- */

static void
lock(struct lab *lab)
{
	atomic_fetch_add(&lab->want, 1);
	pthread_mutex_lock(&lab->mu);
	atomic_fetch_sub(&lab->want, 1);
}

static void
unlock(struct lab *lab)
{
	pthread_mutex_unlock(&lab->mu);
}

/* Mutex held.  A crowd's round is long; between two customers the
 * bartender lets a thread that is waiting for the mutex (the screen
 * taking events in, a snapshot) have it first.  A mutex does not hand
 * itself over (the thread that lets go usually takes it straight back),
 * so the bartender stands aside until the waiter has it, for a bounded
 * time. */
static void
let_waiters_in(struct lab *lab)
{
	uint64_t until;

	if (atomic_load(&lab->want) == 0)
		return;
	unlock(lab);
	until = util_now_us() + HANDOVER_US;
	while (atomic_load(&lab->want) > 0 && util_now_us() < until)
		sched_yield();
	lock(lab);
}

static void
kick(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof one) == -1 && errno == EINTR)
		continue;
}

static void
unkick(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof v) == -1 && errno == EINTR)
		continue;
}

static void
xclose(int fd)
{
	/* Linux closes the descriptor even when close reports EINTR. */
	if (fd >= 0)
		close(fd);
}

static enum lab_side
other(enum lab_side s)
{
	return s == LAB_SERVER ? LAB_CLIENT : LAB_SERVER;
}

static bool
cancelled(struct lab *lab, unsigned epoch)
{
	return lab->quit || lab->epoch != epoch;
}

/* Keeps a bartender address whose fd-less connections snapshots show. */
static void
remember_bar(struct lab *lab, const struct lab_addr *a)
{
	size_t i;

	if (a->port == 0 || (lab->bars[0].port == a->port &&
	    strcmp(lab->bars[0].host, a->host) == 0))
		return;
	for (i = PORTS_MAX - 1; i > 0; i--)
		lab->bars[i] = lab->bars[i - 1];
	lab->bars[0] = *a;
}

/* ---- snapshots and events (called with the mutex held) ---- */

static void
fill_fd(struct lab_sock *o, const struct lsock *s)
{
	struct netstate_fd nf;

	memset(o, 0, sizeof *o);
	netstate_fd_read(s->fd, &nf);
	o->id = s->id;
	o->fd = s->fd;
	o->role = s->role;
	o->side = s->side;
	o->type = nf.type;
	o->state = nf.state;
	o->has_local = nf.has_local;
	o->has_peer = nf.has_peer;
	o->local = nf.local;
	o->peer = nf.peer;
	o->accept_queue = nf.accept_queue;
	o->backlog = nf.backlog;
	o->rx_queue = nf.rx_queue;
	o->tx_queue = nf.tx_queue;
	o->bytes_in = s->bytes_in;
	o->bytes_out = s->bytes_out;
	o->orders = s->orders;
	memcpy(o->last, s->last, sizeof o->last);
}

static bool
is_bar(const struct lab *lab, const struct lab_addr *end)
{
	size_t i;

	for (i = 0; i < PORTS_MAX; i++)
		if (netstate_addr_match(end, &lab->bars[i]))
			return true;
	return false;
}

/* An id for a kernel-only entry that stays the same while it lives. */
static unsigned
conn_id(const struct netstate_conn *c)
{
	unsigned h = 2166136261u;
	const char *p;

	for (p = c->local.host; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = c->peer.host; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ c->local.port) * 16777619u;
	h = (h ^ c->peer.port) * 16777619u;
	return h | 0x80000000u;
}

/* kernel: also list the connections without a descriptor.  Asking for
 * them walks the kernel's whole connection table (about 0.5 ms per
 * address family here, however few match), so events followed by more
 * queued commands leave them out: the last event of the batch, the one
 * a screen shows, has them. */
static void
snap_take(struct lab *lab, struct lab_snapshot *snap, bool kernel)
{
	struct netstate_conn conns[FDLESS_MAX];
	struct lsock *s;
	int n, i;

	memset(snap, 0, sizeof *snap);
	for (s = lab->socks; s != NULL && snap->n < LAB_SNAP_MAX; s = s->next)
		fill_fd(&snap->socks[snap->n++], s);
	n = kernel && lab->bars[0].port != 0 ? netstate_fdless(lab->bars,
	    PORTS_MAX, conns, FDLESS_MAX) : 0;
	for (i = 0; i < n && i < FDLESS_MAX && snap->n < LAB_SNAP_MAX; i++) {
		const struct netstate_conn *c = &conns[i];
		struct lab_sock *o = &snap->socks[snap->n++];
		bool server_end = is_bar(lab, &c->local);

		memset(o, 0, sizeof *o);
		o->id = conn_id(c);
		o->fd = -1;
		o->type = SOCK_STREAM;
		o->state = c->state;
		o->side = server_end ? LAB_SERVER : LAB_CLIENT;
		if (c->state == LAB_TCP_TIME_WAIT)
			o->role = LAB_ROLE_TIMEWAIT;
		else if (server_end && (c->state == LAB_TCP_ESTABLISHED ||
		    c->state == LAB_TCP_SYN_RECV ||
		    c->state == LAB_TCP_CLOSE_WAIT))
			o->role = LAB_ROLE_QUEUED;
		else
			o->role = LAB_ROLE_KERNEL;
		o->has_local = o->has_peer = true;
		o->local = c->local;
		o->peer = c->peer;
		o->rx_queue = c->rx_queue;
		o->tx_queue = c->tx_queue;
		o->timer_ms = c->state == LAB_TCP_TIME_WAIT ? c->timer_ms : 0;
	}
	for (s = lab->guests; s != NULL; s = s->next) {
		if (!s->own)
			snap->guests++;
		if (snap->n < LAB_SNAP_MAX)
			fill_fd(&snap->socks[snap->n++], s);
	}
	snap->taken_us = util_now_us();
}

static bool
guest_event(enum lab_ev_kind k)
{
	return k >= LAB_EV_GUEST_ARRIVED && k <= LAB_EV_GUEST_HTTP;
}

/* True when a guest event may be posted now.  A flood of orders must
 * not cost a snapshot each: past a burst, guest events are let through
 * at a steady rate and the rest are dropped (the guests' counters in
 * later snapshots still tell the story). */
static bool
guest_budget(struct lab *lab)
{
	const uint64_t cost = 1000000u / GUEST_EV_RATE;
	const uint64_t cap = cost * GUEST_EV_BURST;
	uint64_t now = util_now_us();

	if (lab->guest_budget_at == 0)
		lab->guest_budget_us = cap;
	else
		lab->guest_budget_us += now - lab->guest_budget_at;
	lab->guest_budget_at = now;
	if (lab->guest_budget_us > cap)
		lab->guest_budget_us = cap;
	if (lab->guest_budget_us < cost)
		return false;
	lab->guest_budget_us -= cost;
	return true;
}

/* Queues ev with a fresh snapshot (a guest's event gets its snapshot
 * when drained, see lab_drain).  Guest events are dropped when many are
 * already waiting or arrive too fast; the lesson's events are always
 * kept. */
static void
emit(struct lab *lab, struct lab_event *ev)
{
	struct lab_event *slot;

	if (guest_event(ev->kind) && (lab->nguestev >= EV_GUEST_CAP ||
	    !guest_budget(lab)))
		return;
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
	ev->seq = ++lab->seq;
	*slot = *ev;
	if (guest_event(ev->kind))
		lab->nguestev++;
	else
		snap_take(lab, &slot->snap, lab->head == NULL);
	if (lab->nev++ == 0)
		kick(lab->wake);
}

static void
ev_init(struct lab_event *ev, enum lab_ev_kind kind, enum lab_side side,
    enum lab_call call, int fd, bool replay)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->side = side;
	ev->call = call;
	ev->fd = fd;
	ev->replay = replay;
}

static int serve_round(struct lab *lab, struct pollfd *extra, int max_ms);

/* ---- the lesson's sockets ---- */

static struct lsock *
sock_add(struct lab *lab, int fd, enum lab_role role, enum lab_side side)
{
	struct lsock *s = xcalloc(1, sizeof *s), **pp;

	s->id = ++lab->next_id;
	s->fd = fd;
	s->role = role;
	s->side = side;
	for (pp = &lab->socks; *pp != NULL; pp = &(*pp)->next)
		continue;
	*pp = s;
	return s;
}

/* Closes and forgets s (a lesson socket); mutex held. */
static void
sock_drop(struct lab *lab, struct lsock *s)
{
	struct lsock **pp, *t;

	for (pp = &lab->socks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	if (lab->listener == s) {
		lab->listener = NULL;
		lab->has_bound = false;
		lab->serving = false;
		lab->listening = false;
	}
	/* The crowd never becomes the lab's current customer. */
	if (lab->client == s)
		lab->client = NULL;
	if (lab->conn == s) {
		/* The newest remaining connection becomes the current one. */
		lab->conn = NULL;
		for (t = lab->socks; t != NULL; t = t->next)
			if (t->role == LAB_ROLE_CONN)
				lab->conn = t;
	}
	xclose(s->fd);
	free(s);
}

/* A worker catches up with a reset: closes its side's lesson sockets. */
static void
close_side(struct lab *lab, enum lab_side side)
{
	struct lsock *s, *next;

	for (s = lab->socks; s != NULL; s = next) {
		next = s->next;
		if (s->side == side)
			sock_drop(lab, s);
	}
	if (side == LAB_SERVER) {
		lab->serving = false;
		lab->backoff_until = 0;
		lab->serve_one = false;
		lab->has_from = false;
	}
}

/* A lab address as a socket address; the wildcard becomes the loopback,
 * since that is where a customer on this machine finds the bartender. */
static socklen_t
make_addr(const struct lab_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(a->port);
		if (inet_pton(AF_INET6, a->host, &in6->sin6_addr) != 1 ||
		    IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			in6->sin6_addr = in6addr_loopback;
		return sizeof *in6;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		if (inet_pton(AF_INET, a->host, &in->sin_addr) != 1 ||
		    in->sin_addr.s_addr == htonl(INADDR_ANY))
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *in;
	}
}

/* Waits until the call's socket is ready for events (or the lab cancels
 * the wait).  grace_ms: how long to wait before telling the UI the call
 * blocks.  The bartender goes on serving its guests meanwhile.  Returns
 * 0 when ready (the side is RUNNING again), -1 when cancelled (a
 * CANCELLED event was posted). */
static int
wait_ready(struct lab *lab, enum lab_side side, unsigned epoch,
    const struct lab_event *call, short events, int grace_ms)
{
	uint64_t grace_end = util_now_us() + (uint64_t)grace_ms * 1000u;
	bool blocked = false;
	struct lab_event ev;
	struct pollfd pfd;

	lock(lab);
	for (;;) {
		uint64_t now = util_now_us();
		int timeout = blocked ? -1 : now >= grace_end ? 0 :
		    (int)((grace_end - now + 999) / 1000);

		pfd.fd = call->fd;
		pfd.events = events;
		pfd.revents = 0;
		if (side == LAB_SERVER) {
			serve_round(lab, &pfd, timeout);
		} else {
			struct pollfd p[2] = {
				{ call->fd, events, 0 },
				{ lab->kick[side], POLLIN, 0 }
			};

			unlock(lab);
			if (poll(p, 2, timeout) > 0) {
				if (p[1].revents & POLLIN)
					unkick(lab->kick[side]);
				pfd.revents = p[0].revents;
			}
			lock(lab);
		}
		if (!cancelled(lab, epoch) && pfd.revents != 0) {
			/* Ready: let the other side finish its call first,
			 * so that events keep the order things happened in. */
			while (lab->state[other(side)] == W_RUNNING &&
			    !cancelled(lab, epoch))
				pthread_cond_wait(&lab->cv, &lab->mu);
		}
		if (cancelled(lab, epoch)) {
			ev = *call;
			ev.kind = LAB_EV_CANCELLED;
			emit(lab, &ev);
			unlock(lab);
			return -1;
		}
		if (pfd.revents != 0) {
			lab->state[side] = W_RUNNING;
			unlock(lab);
			return 0;
		}
		if (!blocked && util_now_us() >= grace_end) {
			blocked = true;
			lab->state[side] = W_BLOCKED;
			ev = *call;
			ev.kind = LAB_EV_BLOCKED;
			emit(lab, &ev);
			pthread_cond_broadcast(&lab->cv);
			kick(lab->kick[other(side)]);
		}
	}
}

static int
lab_fd(struct lsock *s)
{
	return s != NULL ? s->fd : -1;
}

/* The family of fd's socket, or fallback when it cannot be told. */
static int
sock_family(int fd, int fallback)
{
	int v;
	socklen_t len = sizeof v;

	if (fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0)
		return v;
	return fallback;
}

/* Fills ss with host (or, when host is empty, the loopback or the lab's
 * address for family) and port.  raw_port: the port is stored without
 * htons(), as a program that forgot it would.  Returns the length, or 0
 * when host is not an address. */
static socklen_t
build_addr(const struct lab *lab, const char *host, int family,
    unsigned port, bool raw_port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	uint16_t p = raw_port ? (uint16_t)port : htons((uint16_t)port);

	memset(ss, 0, sizeof *ss);
	if (host[0] != '\0') {
		if (inet_pton(AF_INET, host, &in->sin_addr) == 1)
			family = AF_INET;
		else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1)
			family = AF_INET6;
		else
			return 0;
	} else if (family == lab->family) {
		*ss = lab->addr;
	} else if (family == AF_INET6) {
		in6->sin6_addr = in6addr_loopback;
	} else {
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	if (family == AF_INET6) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = p;
		return sizeof *in6;
	}
	in->sin_family = AF_INET;
	in->sin_port = p;
	return sizeof *in;
}

/* Where the customer goes: the bartender's bound address (the loopback
 * when it is bound to every address), or the lab's address and port;
 * cmd's addr= and port= replace either part.  Mutex held. */
static socklen_t
bar_addr(const struct lab *lab, const struct lab_cmd *cmd, int fd,
    struct sockaddr_storage *ss)
{
	unsigned port = lab->has_bound ? lab->bound.port :
	    lab->home_port != 0 ? lab->home_port : lab->cfg.port;
	int family = sock_family(fd, lab->family);
	const char *host = "";

	if (cmd->port >= 0)
		port = (unsigned)cmd->port;
	if (cmd->addr[0] != '\0') {
		host = cmd->addr;
	} else if (lab->has_bound) {
		struct sockaddr_storage b;

		make_addr(&lab->bound, &b);
		if (b.ss_family == family) {
			*ss = b;
			if (family == AF_INET6)
				((struct sockaddr_in6 *)ss)->sin6_port =
				    htons((uint16_t)port);
			else
				((struct sockaddr_in *)ss)->sin_port =
				    htons((uint16_t)port);
			return family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) :
			    sizeof(struct sockaddr_in);
		}
	}
	return build_addr(lab, host, family, port, false, ss);
}

static void
set_err(struct lab_event *ev, long ret)
{
	ev->ret = ret;
	ev->err = ret == -1 ? errno : 0;
}

/* socket(): a new socket replaces the side's previous one. */
static void
do_socket(struct lab *lab, const struct lab_cmd *cmd, struct lab_event *ev)
{
	int family = cmd->family != 0 ? cmd->family : lab->family;
	int type = cmd->type != 0 ? cmd->type : SOCK_STREAM;
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct lsock *old, *s;

	set_err(ev, fd);
	ev->fd = fd;
	ev->num = type;
	ev->addr.family = family;
	lock(lab);
	if (fd == -1)
		return;
	old = cmd->side == LAB_SERVER ? lab->listener : lab->client;
	if (old != NULL)
		sock_drop(lab, old);
	s = sock_add(lab, fd, cmd->side == LAB_SERVER ? LAB_ROLE_LISTENER :
	    LAB_ROLE_CLIENT, cmd->side);
	if (cmd->side == LAB_SERVER) {
		lab->listener = s;
		lab->has_from = false;
	} else {
		lab->client = s;
	}
}

/* bind(): the lab's address and port unless the command names others;
 * a taken port falls back to a free one unless the command is strict. */
static void
do_bind(struct lab *lab, const struct lab_cmd *cmd, struct lsock *s,
    struct lab_event *ev)
{
	int fd = lab_fd(s), family = sock_family(fd, lab->family);
	/* The bar keeps the port it first got, so that restarting the
	 * server (lesson 12) or going back a step finds it where the
	 * learner saw it.  Only this thread writes home_port. */
	unsigned port = cmd->port >= 0 ? (unsigned)cmd->port :
	    lab->home_port != 0 ? lab->home_port : lab->cfg.port;
	struct sockaddr_storage ss;
	socklen_t sl;

	sl = build_addr(lab, cmd->addr, family, port, cmd->nohtons, &ss);
	ev->num = (long)port;
	ev->has_addr = true;
	if (sl == 0) {
		ev->ret = -1;
		ev->err = EINVAL;
		lock(lab);
		return;
	}
	netstate_addr(&ss, &ev->addr);
	set_err(ev, bind(fd, (struct sockaddr *)&ss, sl));
	if (ev->ret == -1 && !cmd->strict && ev->addr.port != 0 &&
	    (ev->err == EADDRINUSE || ev->err == EACCES)) {
		struct lab_event fb;

		ev_init(&fb, LAB_EV_PORT_FALLBACK, cmd->side, cmd->call, fd,
		    ev->replay);
		fb.num = ev->addr.port;
		fb.err = ev->err;
		fb.ret = -1;
		fb.has_addr = true;
		fb.addr = ev->addr;
		lock(lab);
		emit(lab, &fb);
		unlock(lab);
		if (ss.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_port = 0;
		else
			((struct sockaddr_in *)&ss)->sin_port = 0;
		set_err(ev, bind(fd, (struct sockaddr *)&ss, sl));
	}
	if (ev->ret == 0) {
		sl = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
			netstate_addr(&ss, &ev->addr);
	}
	lock(lab);
	if (ev->ret == 0 && s != NULL && s == lab->listener) {
		lab->has_bound = true;
		lab->bound = ev->addr;
		remember_bar(lab, &ev->addr);
		if (cmd->port < 0 && !cmd->nohtons && lab->home_port == 0)
			lab->home_port = ev->addr.port;
	}
}

/* crowd: num more customers connect at once, without waiting. */
static void
do_crowd(struct lab *lab, const struct lab_cmd *cmd, struct lab_event *ev)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int i, fd, n = cmd->num > 0 ? cmd->num : 1;
	struct lab_cmd plain = *cmd;

	plain.port = -1;
	plain.addr[0] = '\0';
	lock(lab);
	sl = bar_addr(lab, &plain, -1, &ss);
	unlock(lab);
	ev->has_addr = true;
	netstate_addr(&ss, &ev->addr);
	ev->fd = -1;
	ev->num = n;
	ev->ret = 0;
	for (i = 0; i < n; i++) {
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1) {
			set_err(ev, -1);
			break;
		}
		if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
		    errno != EINPROGRESS && errno != EINTR) {
			ev->err = errno;
			xclose(fd);
			continue;
		}
		lock(lab);
		sock_add(lab, fd, LAB_ROLE_CLIENT, LAB_CLIENT);
		unlock(lab);
		ev->ret++;
	}
	lock(lab);
}

/* getaddrinfo: ret is its return value, num the number of addresses,
 * data the addresses (the first also in addr). */
static void
do_getaddrinfo(struct lab *lab, const struct lab_cmd *cmd,
    struct lab_event *ev)
{
	struct addrinfo hints, *res = NULL, *ai;
	size_t o = 0;
	int r;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	util_escape(cmd->addr, strlen(cmd->addr), ev->name, sizeof ev->name);
	r = getaddrinfo(cmd->addr, NULL, &hints, &res);
	ev->ret = r;
	ev->err = r == EAI_SYSTEM ? errno : 0;
	ev->fd = -1;
	for (ai = r == 0 ? res : NULL; ai != NULL; ai = ai->ai_next) {
		struct lab_addr a;
		char esc[INET6_ADDRSTRLEN * 2];
		size_t k;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		netstate_addr(ai->ai_addr, &a);
		if (ev->num++ == 0) {
			ev->has_addr = true;
			ev->addr = a;
		}
		k = util_escape(a.host, strlen(a.host), esc, sizeof esc);
		if (o + k + 2 < sizeof ev->data) {
			if (o > 0)
				ev->data[o++] = ' ';
			memcpy(ev->data + o, esc, k + 1);
			o += k;
		}
	}
	if (res != NULL)
		freeaddrinfo(res);
	lock(lab);
}

/* A call that may wait for its socket: send/sendto (a full buffer),
 * recv/recvfrom (no data).  Returns -1 when the wait was cancelled. */
static int
do_io(struct lab *lab, const struct lab_cmd *cmd, struct lsock *s,
    unsigned epoch, struct lab_event *ev)
{
	bool out = cmd->call == LAB_CALL_SEND || cmd->call == LAB_CALL_SENDTO;
	struct sockaddr_storage to, from;
	socklen_t tolen = 0, fromlen;
	char buf[65536];
	size_t want = cmd->num > 0 ? (size_t)cmd->num : 1024;
	int fd = lab_fd(s);
	ssize_t r;

	if (want > sizeof buf)
		want = sizeof buf;
	if (cmd->call == LAB_CALL_SENDTO) {
		lock(lab);
		if (cmd->side == LAB_CLIENT) {
			tolen = bar_addr(lab, cmd, fd, &to);
		} else if (lab->has_from) {
			to = lab->from;
			tolen = lab->fromlen;
		}
		unlock(lab);
		if (tolen > 0) {
			ev->has_addr = true;
			netstate_addr(&to, &ev->addr);
		}
	}
	if (out) {
		ev->num = (long)cmd->textlen;
		util_escape(cmd->text, cmd->textlen, ev->data,
		    sizeof ev->data);
	} else {
		ev->num = (long)want;
	}
	for (;;) {
		fromlen = sizeof from;
		if (cmd->call == LAB_CALL_SENDTO)
			r = sendto(fd, cmd->text, cmd->textlen,
			    MSG_DONTWAIT | MSG_NOSIGNAL, tolen > 0 ?
			    (struct sockaddr *)&to : NULL, tolen);
		else if (out)
			r = send(fd, cmd->text, cmd->textlen,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			r = recvfrom(fd, buf, want, MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fromlen);
		if (r >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (errno == EAGAIN && wait_ready(lab, cmd->side, epoch, ev,
		    out ? POLLOUT : POLLIN, 0) == -1)
			return -1;
	}
	set_err(ev, r);
	if (r > 0 && !out)
		util_escape(buf, (size_t)r, ev->data, sizeof ev->data);
	if (r >= 0 && cmd->call == LAB_CALL_RECVFROM && fromlen > 0 &&
	    fromlen <= sizeof from &&
	    (from.ss_family == AF_INET || from.ss_family == AF_INET6)) {
		ev->has_addr = true;
		netstate_addr(&from, &ev->addr);
	}
	lock(lab);
	if (r >= 0 && cmd->call == LAB_CALL_RECVFROM &&
	    cmd->side == LAB_SERVER && ev->has_addr) {
		/* server sendto answers whoever wrote last. */
		lab->from = from;
		lab->fromlen = fromlen;
		lab->has_from = true;
	}
	if (r > 0 && s != NULL) {
		if (out)
			s->bytes_out += (uint64_t)r;
		else
			s->bytes_in += (uint64_t)r;
	}
	return 0;
}

/* The socket a command acts on; mutex held. */
static struct lsock *
target(struct lab *lab, const struct lab_cmd *cmd)
{
	bool server = cmd->side == LAB_SERVER;

	switch (cmd->call) {
	case LAB_CALL_SETSOCKOPT:
	case LAB_CALL_BIND:
	case LAB_CALL_LISTEN:
	case LAB_CALL_ACCEPT:
	case LAB_CALL_SERVE:
		return server ? lab->listener : lab->client;
	case LAB_CALL_SENDTO:
	case LAB_CALL_RECVFROM:
		/* UDP: the bartender's one socket. */
		return server ? lab->listener : lab->client;
	case LAB_CALL_CLOSE:
		if (!server)
			return lab->client;
		if (cmd->target == LAB_T_LISTENER)
			return lab->listener;
		if (cmd->target == LAB_T_CONN || lab->conn != NULL)
			return lab->conn;
		return lab->listener;
	default:
		return server ? lab->conn : lab->client;
	}
}

/* Runs one lesson command on its side's worker and posts its events. */
static void
run(struct lab *lab, const struct lab_cmd *cmd, bool replay, unsigned epoch)
{
	enum lab_side side = cmd->side;
	struct sockaddr_storage ss;
	struct lab_event ev;
	struct lsock *s;
	socklen_t sl;
	uint64_t t0;
	ssize_t r;
	int fd;

	lock(lab);
	s = target(lab, cmd);
	fd = lab_fd(s);
	unlock(lab);
	ev_init(&ev, LAB_EV_CALL, side, cmd->call, fd, replay);
	t0 = util_now_us();

	switch (cmd->call) {
	case LAB_CALL_SOCKET:
		do_socket(lab, cmd, &ev);
		break;

	case LAB_CALL_SETSOCKOPT: {
		int v = cmd->value;
		int level = cmd->num == IPV6_V6ONLY ? IPPROTO_IPV6 :
		    SOL_SOCKET;

		ev.num = cmd->num >= 0 ? cmd->num : SO_REUSEADDR;
		if (ev.num == SO_REUSEADDR && level == SOL_SOCKET)
			v = 1;
		ev.value = v;
		set_err(&ev, setsockopt(fd, level, (int)ev.num, &v,
		    sizeof v));
		lock(lab);
		break;
	}

	case LAB_CALL_BIND:
		do_bind(lab, cmd, s, &ev);
		break;

	case LAB_CALL_LISTEN:
		ev.num = lab->cfg.backlog > 0 ? lab->cfg.backlog :
		    cmd->num >= 0 ? cmd->num : 5;
		set_err(&ev, listen(fd, (int)ev.num));
		lock(lab);
		if (ev.ret == 0 && s != NULL && s == lab->listener) {
			struct netstate_fd nf;

			lab->listening = true;
			/* listen() on an unbound socket picks a port. */
			netstate_fd_read(fd, &nf);
			if (!lab->has_bound && nf.has_local) {
				lab->has_bound = true;
				lab->bound = nf.local;
				remember_bar(lab, &nf.local);
			}
		}
		break;

	case LAB_CALL_ACCEPT:
		for (;;) {
			sl = sizeof ss;
			r = accept4(fd, (struct sockaddr *)&ss, &sl,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (r >= 0 || (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED))
				break;
			if (errno != EAGAIN)
				continue;
			if (wait_ready(lab, side, epoch, &ev, POLLIN, 0) == -1)
				return;
		}
		set_err(&ev, r);
		if (r >= 0) {
			ev.has_addr = true;
			netstate_addr(&ss, &ev.addr);
		}
		lock(lab);
		if (r >= 0)
			lab->conn = sock_add(lab, (int)r, LAB_ROLE_CONN,
			    LAB_SERVER);
		break;

	case LAB_CALL_SERVE:
		ev.ret = 0;
		ev.num = cmd->serve;
		lock(lab);
		lab->serving = true;
		lab->serve_one = cmd->serve == LAB_SERVE_ONE;
		break;

	case LAB_CALL_CONNECT:
		lock(lab);
		sl = bar_addr(lab, cmd, fd, &ss);
		unlock(lab);
		ev.has_addr = true;
		if (sl == 0) {
			ev.has_addr = false;
			ev.ret = -1;
			ev.err = EINVAL;
			lock(lab);
			break;
		}
		netstate_addr(&ss, &ev.addr);
		while ((ev.ret = connect(fd, (struct sockaddr *)&ss, sl)) ==
		    -1 && errno == EINTR)
			continue;
		ev.err = ev.ret == -1 ? errno : 0;
		if (ev.ret == -1 && ev.err == EINPROGRESS) {
			int e = 0;
			socklen_t el = sizeof e;

			if (wait_ready(lab, side, epoch, &ev, POLLOUT,
			    CONNECT_GRACE_MS) == -1)
				return;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1)
				e = errno;
			ev.ret = e == 0 ? 0 : -1;
			ev.err = e;
		}
		lock(lab);
		break;

	case LAB_CALL_CROWD:
		do_crowd(lab, cmd, &ev);
		break;

	case LAB_CALL_GETADDRINFO:
		do_getaddrinfo(lab, cmd, &ev);
		break;

	case LAB_CALL_SEND:
	case LAB_CALL_SENDTO:
	case LAB_CALL_RECV:
	case LAB_CALL_RECVFROM:
		if (do_io(lab, cmd, s, epoch, &ev) == -1)
			return;
		break;

	case LAB_CALL_SHUTDOWN:
		ev.num = cmd->num >= 0 ? cmd->num : SHUT_WR;
		set_err(&ev, shutdown(fd, (int)ev.num));
		lock(lab);
		break;

	case LAB_CALL_CLOSE:
		lock(lab);
		if (s != NULL) {
			sock_drop(lab, s);
			ev.ret = 0;
		} else {
			ev.ret = -1;
			ev.err = EBADF;
		}
		break;

	default:
		ev.ret = -1;
		ev.err = EINVAL;
		lock(lab);
	}
	ev.duration_us = util_now_us() - t0;
	/* Idle before the event goes out, so that whoever reads the event
	 * also sees whether the lab has settled (lab_settled). */
	lab->state[side] = W_IDLE;
	emit(lab, &ev);
	unlock(lab);
}

/* ---- guests (bartender thread only) ---- */

static void
guest_event_post(struct lab *lab, enum lab_ev_kind kind, struct lsock *g,
    int err)
{
	struct lab_event ev;

	/* The lab's own customers have their own events. */
	if (g != NULL && g->own)
		return;
	ev_init(&ev, kind, LAB_SERVER, LAB_CALL_NONE, g != NULL ? g->fd : -1,
	    false);
	if (g != NULL) {
		ev.guest = g->id;
		ev.has_addr = true;
		ev.addr = g->peer;
	}
	ev.err = err;
	emit(lab, &ev);
}

/* Closes guest g and posts LEFT; mutex held. */
static void
guest_drop(struct lab *lab, struct lsock *g, int err)
{
	struct lsock **pp;

	for (pp = &lab->guests; *pp != NULL; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	lab->nguests--;
	xclose(g->fd);
	/* The event's snapshot shows the bar without this guest. */
	guest_event_post(lab, LAB_EV_GUEST_LEFT, g, err);
	free(g);
}

static void
guest_queue(struct lsock *g, const char *p, size_t n)
{
	if (g->outoff > 0 && g->outlen + n > sizeof g->out) {
		memmove(g->out, g->out + g->outoff, g->outlen - g->outoff);
		g->outlen -= g->outoff;
		g->outoff = 0;
	}
	if (n > sizeof g->out - g->outlen)
		n = sizeof g->out - g->outlen;
	memcpy(g->out + g->outlen, p, n);
	g->outlen += n;
}

static size_t
guest_room(const struct lsock *g)
{
	return sizeof g->out - (g->outlen - g->outoff);
}

/* Answers one order or request; mutex held. */
static void
guest_answer(struct lab *lab, struct lsock *g, const struct customer_order *o)
{
	char buf[CUSTOMER_HTTP_MAX];
	struct lab_event ev;
	size_t n;

	ev_init(&ev, o->kind == CUSTOMER_HTTP ? LAB_EV_GUEST_HTTP :
	    LAB_EV_GUEST_ORDER, LAB_SERVER, LAB_CALL_NONE, g->fd, false);
	ev.guest = g->id;
	ev.has_addr = true;
	ev.addr = g->peer;
	ev.num = (long)(o->len > LONG_MAX ? LONG_MAX : o->len);
	util_escape(o->text, o->keptlen, ev.data, sizeof ev.data);
	if (o->kind == CUSTOMER_HTTP) {
		n = customer_http(o, buf, sizeof buf);
		g->closing = true;
		g->linger_until = util_now_us() + GUEST_LINGER_MS * 1000u;
	} else {
		n = customer_reply(o, buf, sizeof buf);
		g->orders++;
		util_escape(o->text, o->keptlen, g->last, sizeof g->last);
	}
	guest_queue(g, buf, n);
	if (!g->own)
		emit(lab, &ev);
}

/* Feeds what is in g->in to the protocol while replies fit. */
static void
guest_process(struct lab *lab, struct lsock *g)
{
	struct customer_order o;

	while (g->inoff < g->inlen && !g->closing &&
	    guest_room(g) >= CUSTOMER_HTTP_MAX) {
		const char *p = g->in + g->inoff;
		size_t n = g->inlen - g->inoff;

		if (customer_feed(&g->cust, &p, &n, &o) == 1)
			guest_answer(lab, g, &o);
		g->inoff = g->inlen - n;
	}
	if (g->inoff == g->inlen || g->closing)
		g->inoff = g->inlen = 0;
}

/* Reads from guest g; returns false when g was dropped.  Mutex held,
 * released around the reads. */
static bool
guest_read(struct lab *lab, struct lsock *g, uint64_t now)
{
	size_t total = 0;

	while (total < GUEST_READ_ROUND && g->inlen == 0 && !g->eof) {
		ssize_t r = recv(g->fd, g->in, sizeof g->in, MSG_DONTWAIT);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			break;
		if (r == -1) {
			guest_drop(lab, g, errno);
			return false;
		}
		if (r == 0) {
			struct customer_order o;

			g->eof = true;
			if (!g->closing && customer_quiet(&g->cust, &o) == 1)
				guest_answer(lab, g, &o);
			g->closing = true;
			g->linger_until = now + GUEST_LINGER_MS * 1000u;
			break;
		}
		g->inlen = (size_t)r;
		g->inoff = 0;
		g->bytes_in += (uint64_t)r;
		g->last_us = g->active_us = now;
		total += (size_t)r;
		if (g->closing)
			g->inlen = 0;	/* answered already: discard */
		else
			guest_process(lab, g);
	}
	return true;
}

/* Writes what g has to say; returns false when g was dropped. */
static bool
guest_write(struct lab *lab, struct lsock *g, uint64_t now)
{
	while (g->outoff < g->outlen) {
		ssize_t r = send(g->fd, g->out + g->outoff,
		    g->outlen - g->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return true;
		if (r == -1) {
			guest_drop(lab, g, errno);
			return false;
		}
		g->outoff += (size_t)r;
		g->bytes_out += (uint64_t)r;
		g->active_us = now;
	}
	g->outoff = g->outlen = 0;
	if (g->closing && !g->shut) {
		g->shut = true;
		shutdown(g->fd, SHUT_WR);
	}
	if (g->closing && (g->eof || now >= g->linger_until)) {
		guest_drop(lab, g, 0);
		return false;
	}
	/* Replies fit again: go on with what was waiting. */
	if (g->inoff < g->inlen) {
		guest_process(lab, g);
		if (g->outoff < g->outlen)
			return guest_write(lab, g, now);
	}
	return true;
}

/* True when peer is one of the lab's own customer sockets; mutex held
 * (client sockets are closed under it). */
static bool
own_peer(const struct lab *lab, const struct lab_addr *peer)
{
	const struct lsock *s;

	for (s = lab->socks; s != NULL; s = s->next) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		struct lab_addr a;
		size_t hl, pl;

		if (s->side != LAB_CLIENT ||
		    getsockname(s->fd, (struct sockaddr *)&ss, &sl) == -1 ||
		    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
			continue;
		netstate_addr(&ss, &a);
		if (a.port != peer->port)
			continue;
		/* A dual-stack bartender sees 127.0.0.1 as ::ffff:127.0.0.1. */
		hl = strlen(a.host);
		pl = strlen(peer->host);
		if (pl >= hl && strcmp(peer->host + pl - hl, a.host) == 0)
			return true;
	}
	return false;
}

static void
guest_accept(struct lab *lab, int lfd, uint64_t now)
{
	int i;

	for (i = 0; i < ACCEPT_ROUND; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		struct lsock *g, **pp;
		int fd;

		if (lab->serve_one && lab->nguests > 0)
			return;

		fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			/* Out of descriptors (or anything unexpected): stop
			 * watching the listener for a while instead of
			 * spinning on it. */
			if (errno != EAGAIN)
				lab->backoff_until = now +
				    EMFILE_BACKOFF_MS * 1000u;
			return;
		}
		g = xcalloc(1, sizeof *g);
		g->fd = fd;
		g->id = ++lab->next_id;
		g->role = LAB_ROLE_GUEST;
		g->side = LAB_SERVER;
		netstate_addr(&ss, &g->peer);
		if (own_peer(lab, &g->peer)) {
			g->own = true;
			g->role = LAB_ROLE_CONN;
		}
		if (lab->nguests >= lab->cfg.max_customers) {
			char buf[CUSTOMER_REPLY_MAX];
			size_t n = customer_full(buf, sizeof buf);

			/* One line, best effort, and goodbye. */
			if (send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
				/* the newcomer has gone already */
			}
			g->fd = -1;
			guest_event_post(lab, LAB_EV_GUEST_REFUSED, g, 0);
			xclose(fd);
			free(g);
			continue;
		}
		customer_init(&g->cust);
		g->last_us = g->active_us = now;
		for (pp = &lab->guests; *pp != NULL; pp = &(*pp)->next)
			continue;
		*pp = g;
		lab->nguests++;
		guest_event_post(lab, LAB_EV_GUEST_ARRIVED, g, 0);
	}
}

/* Handles timers: quiet orders, idle guests, lingering closes. */
static void
guest_timers(struct lab *lab, uint64_t now)
{
	struct lsock *g, *next;

	for (g = lab->guests; g != NULL; g = next) {
		next = g->next;
		if (!g->closing && customer_pending(&g->cust) &&
		    now - g->last_us >= lab->cfg.quiet_ms * 1000ull &&
		    guest_room(g) >= CUSTOMER_HTTP_MAX) {
			struct customer_order o;

			if (customer_quiet(&g->cust, &o) == 1)
				guest_answer(lab, g, &o);
			if (!guest_write(lab, g, now))
				continue;
		}
		if (g->closing && now >= g->linger_until) {
			/* Done, or the guest does not read its answer. */
			guest_drop(lab, g, 0);
			continue;
		}
		/* The lab's own customers leave when the lesson says so. */
		if (!g->own &&
		    now - g->active_us >= lab->cfg.idle_ms * 1000ull) {
			char buf[CUSTOMER_REPLY_MAX];
			size_t n = customer_idle(lab->cfg.idle_ms, buf,
			    sizeof buf);

			if (send(g->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) <
			    0) {
				/* it is leaving anyway */
			}
			guest_drop(lab, g, ETIMEDOUT);
		}
	}
}

/* How long the bartender may sleep before a guest timer is due. */
static int
guest_timeout(const struct lab *lab, uint64_t now)
{
	uint64_t due = UINT64_MAX;
	const struct lsock *g;

	for (g = lab->guests; g != NULL; g = g->next) {
		uint64_t t = g->own ? UINT64_MAX :
		    g->active_us + lab->cfg.idle_ms * 1000ull;

		if (!g->closing && customer_pending(&g->cust) &&
		    guest_room(g) >= CUSTOMER_HTTP_MAX &&
		    g->last_us + lab->cfg.quiet_ms * 1000ull < t)
			t = g->last_us + lab->cfg.quiet_ms * 1000ull;
		if (g->closing && g->linger_until < t)
			t = g->linger_until;
		if (t < due)
			due = t;
	}
	if (lab->backoff_until > now && lab->backoff_until < due)
		due = lab->backoff_until;
	if (due == UINT64_MAX)
		return -1;
	if (due <= now)
		return 0;
	return (int)((due - now + 999) / 1000 > INT_MAX ? INT_MAX :
	    (due - now + 999) / 1000);
}

/* May the bartender take newcomers for guests now? */
static bool
may_accept(const struct lab *lab, uint64_t now)
{
	/* Only after "serve"; "serve one" takes the next customer when the
	 * one being served has left. */
	return lab->serving && lab->listening && lab->listener != NULL &&
	    (!lab->serve_one || lab->nguests == 0) &&
	    now >= lab->backoff_until;
}

/* One round of the bartender's own work: wait for its kick, newcomers
 * and guests, and serve whatever is ready.  extra, when not NULL, is the
 * socket of a lesson call the bartender is waiting on: it is polled too
 * (its revents are filled), and newcomers are left to the lesson.
 * max_ms caps the wait (-1: no cap).  Called and returns with the mutex
 * held; returns poll's result. */
static int
serve_round(struct lab *lab, struct pollfd *extra, int max_ms)
{
	struct pollfd *pfd;
	struct lsock **who, *g;
	size_t n = 0, cap = 3 + lab->nguests, i, first;
	int listen_fd = -1, timeout, r;
	uint64_t now = util_now_us();

	pfd = xcalloc(cap, sizeof *pfd);
	who = xcalloc(cap, sizeof *who);
	pfd[n].fd = lab->kick[LAB_SERVER];
	pfd[n++].events = POLLIN;
	if (extra != NULL) {
		pfd[n] = *extra;
		pfd[n++].revents = 0;
	} else if (may_accept(lab, now)) {
		listen_fd = lab->listener->fd;
		pfd[n].fd = listen_fd;
		pfd[n++].events = POLLIN;
	}
	first = n;
	for (g = lab->guests; g != NULL && n < cap; g = g->next) {
		pfd[n].fd = g->fd;
		pfd[n].events = 0;
		if (g->outoff < g->outlen)
			pfd[n].events |= POLLOUT;
		else if (g->inlen == 0 && !g->eof)
			pfd[n].events |= POLLIN;
		who[n++] = g;
	}
	timeout = guest_timeout(lab, now);
	if (max_ms >= 0 && (timeout < 0 || max_ms < timeout))
		timeout = max_ms;
	unlock(lab);
	r = poll(pfd, (nfds_t)n, timeout);
	if (r > 0 && (pfd[0].revents & POLLIN))
		unkick(lab->kick[LAB_SERVER]);
	lock(lab);
	now = util_now_us();
	if (extra != NULL)
		extra->revents = r > 0 ? pfd[1].revents : 0;
	if (r > 0 && !cancelled(lab, lab->acked[LAB_SERVER])) {
		if (listen_fd != -1 && pfd[1].revents != 0 &&
		    may_accept(lab, now) && lab->listener->fd == listen_fd) {
			/* Checked again: things may have changed while
			 * polling (the newcomer may be the lab's customer). */
			guest_accept(lab, listen_fd, now);
		}
		for (i = first; i < n; i++) {
			g = who[i];
			if (pfd[i].revents == 0)
				continue;
			/* Only this thread closes guests: g is still
			 * there after the mutex was let go.  A reset
			 * ends the round. */
			let_waiters_in(lab);
			if (cancelled(lab, lab->acked[LAB_SERVER]))
				break;
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !guest_read(lab, g, now))
				continue;
			guest_write(lab, g, now);
		}
	}
	guest_timers(lab, now);
	free(pfd);
	free(who);
	return r;
}

/* ---- the workers ---- */

static bool
can_start(const struct lab *lab, enum lab_side side)
{
	return lab->head != NULL && lab->head->cmd.side == side &&
	    lab->state[side] == W_IDLE &&
	    lab->state[other(side)] != W_RUNNING;
}

static void *
worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct lab *lab = wa->lab;
	enum lab_side side = wa->side;

	lock(lab);
	for (;;) {
		if (lab->acked[side] != lab->epoch) {
			close_side(lab, side);
			lab->acked[side] = lab->epoch;
			pthread_cond_broadcast(&lab->cv);
		}
		if (lab->quit)
			break;
		if (can_start(lab, side)) {
			struct pending *p = lab->head;
			unsigned epoch = lab->epoch;

			lab->head = p->next;
			if (lab->head == NULL)
				lab->tail = NULL;
			lab->state[side] = W_RUNNING;
			unlock(lab);
			run(lab, &p->cmd, p->replay, epoch);
			free(p);
			lock(lab);
			lab->state[side] = W_IDLE;
			pthread_cond_broadcast(&lab->cv);
			kick(lab->kick[other(side)]);
			continue;
		}
		if (side == LAB_SERVER) {
			serve_round(lab, NULL, -1);
		} else {
			struct pollfd pfd = { lab->kick[side], POLLIN, 0 };

			unlock(lab);
			if (poll(&pfd, 1, -1) > 0)
				unkick(lab->kick[side]);
			lock(lab);
		}
	}
	unlock(lab);
	return NULL;
}

/* ---- the public interface ---- */

static int
new_eventfd(void)
{
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

struct lab *
lab_new(const struct lab_config *cfg, char **cause)
{
	struct lab *lab = xcalloc(1, sizeof *lab);
	const char *addr = cfg->listen_addr != NULL && cfg->listen_addr[0] ?
	    cfg->listen_addr : "127.0.0.1";
	struct sockaddr_in *in = (struct sockaddr_in *)&lab->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&lab->addr;
	int i, e;

	lab->cfg = *cfg;
	lab->listen_addr = xstrdup(addr);
	lab->cfg.listen_addr = lab->listen_addr;
	if (lab->cfg.max_customers == 0)
		lab->cfg.max_customers = 512;
	if (lab->cfg.idle_ms == 0)
		lab->cfg.idle_ms = 60000;
	if (lab->cfg.quiet_ms == 0)
		lab->cfg.quiet_ms = 200;
	lab->kick[0] = lab->kick[1] = lab->wake = -1;
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		lab->family = in->sin_family = AF_INET;
		lab->addrlen = sizeof *in;
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		lab->family = in6->sin6_family = AF_INET6;
		lab->addrlen = sizeof *in6;
	} else {
		*cause = xasprintf("'%s' is not an IPv4 or IPv6 address",
		    addr);
		free(lab->listen_addr);
		free(lab);
		return NULL;
	}
	pthread_mutex_init(&lab->mu, NULL);
	pthread_cond_init(&lab->cv, NULL);
	lab->kick[0] = new_eventfd();
	lab->kick[1] = new_eventfd();
	lab->wake = new_eventfd();
	if (lab->kick[0] == -1 || lab->kick[1] == -1 || lab->wake == -1) {
		*cause = xasprintf("eventfd: %s", lab_errno_name(errno));
		lab_free(lab);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		lab->arg[i].lab = lab;
		lab->arg[i].side = (enum lab_side)i;
		e = pthread_create(&lab->thread[i], NULL, worker, &lab->arg[i]);
		if (e != 0) {
			*cause = xasprintf("pthread_create: %s",
			    lab_errno_name(e));
			lab_free(lab);
			return NULL;
		}
		lab->started[i] = true;
	}
	return lab;
}

static void
drop_pending(struct lab *lab)
{
	struct pending *p, *next;

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
	lock(lab);
	lab->quit = true;
	lab->epoch++;
	drop_pending(lab);
	pthread_cond_broadcast(&lab->cv);
	unlock(lab);
	for (i = 0; i < 2; i++) {
		if (lab->kick[i] != -1)
			kick(lab->kick[i]);
	}
	for (i = 0; i < 2; i++)
		if (lab->started[i])
			pthread_join(lab->thread[i], NULL);
	for (s = lab->socks; s != NULL; s = next) {
		next = s->next;
		xclose(s->fd);
		free(s);
	}
	for (s = lab->guests; s != NULL; s = next) {
		next = s->next;
		xclose(s->fd);
		free(s);
	}
	for (i = 0; i < 2; i++)
		xclose(lab->kick[i]);
	xclose(lab->wake);
	pthread_cond_destroy(&lab->cv);
	pthread_mutex_destroy(&lab->mu);
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
	lock(lab);
	if (lab->tail != NULL)
		lab->tail->next = p;
	else
		lab->head = p;
	lab->tail = p;
	unlock(lab);
	kick(lab->kick[cmd->side]);
}

/* Guests' events take their snapshot here, one for the whole batch:
 * taken by the bartender for each, a crowd's hundreds of arrivals and
 * orders cost it a kernel table walk apiece, while the screen shows only
 * the bar as it is when it takes the events in. */
size_t
lab_drain(struct lab *lab, struct lab_event *out, size_t max)
{
	const struct lab_event *snapped = NULL;
	size_t n = 0;

	lock(lab);
	while (n < max && lab->nev > 0) {
		out[n] = lab->evq[lab->evhead];
		if (guest_event(out[n].kind)) {
			lab->nguestev--;
			if (snapped == NULL) {
				snap_take(lab, &out[n].snap, true);
				snapped = &out[n];
			} else {
				out[n].snap = snapped->snap;
			}
		}
		lab->evhead = (lab->evhead + 1) % lab->evcap;
		lab->nev--;
		n++;
	}
	if (lab->nev == 0)
		unkick(lab->wake);
	unlock(lab);
	return n;
}

bool
lab_settled(struct lab *lab)
{
	bool r;

	/* Nothing runs, and nothing queued can start: the queue is empty
	 * or its head belongs to a side that waits (a sendto behind a
	 * recvfrom), so only somebody outside can move the lab on. */
	lock(lab);
	r = lab->state[0] != W_RUNNING && lab->state[1] != W_RUNNING &&
	    (lab->head == NULL ||
	    lab->state[lab->head->cmd.side] == W_BLOCKED);
	unlock(lab);
	return r;
}

bool
lab_waiting(struct lab *lab)
{
	bool r;

	lock(lab);
	r = lab->state[0] == W_BLOCKED || lab->state[1] == W_BLOCKED;
	unlock(lab);
	return r;
}

void
lab_reset(struct lab *lab)
{
	struct lab_event ev;
	unsigned epoch;

	lock(lab);
	epoch = ++lab->epoch;
	drop_pending(lab);
	pthread_cond_broadcast(&lab->cv);
	kick(lab->kick[0]);
	kick(lab->kick[1]);
	/* Each worker closes its own sockets when it sees the new epoch. */
	while ((lab->acked[0] != epoch || lab->acked[1] != epoch) &&
	    lab->epoch == epoch && !lab->quit)
		pthread_cond_wait(&lab->cv, &lab->mu);
	ev_init(&ev, LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, -1, false);
	emit(lab, &ev);
	unlock(lab);
}

bool
lab_server_addr(struct lab *lab, struct lab_addr *out)
{
	bool r;

	lock(lab);
	r = lab->has_bound;
	if (r)
		*out = lab->bound;
	unlock(lab);
	return r;
}

void
lab_snapshot_now(struct lab *lab, struct lab_snapshot *out)
{
	lock(lab);
	snap_take(lab, out, true);
	unlock(lab);
}

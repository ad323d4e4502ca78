/* lab_bar.c - the bar: customers from other programs ("guests"), served
 * by the bartender thread alone, between the lesson's calls and while a
 * lesson call waits.  After the lesson says "serve", the bartender
 * accepts every newcomer itself (or, after "serve one", the next one
 * once the last has left) and serves it with the protocol of customer.c.
 * Before that, newcomers wait in the accept queue, as they would for a
 * real server that calls accept() once.  The lab's own customers are
 * served the same way but show as connections, and post no guest events.
 *
 * Everything here runs on the bartender thread, which owns the guests:
 * their buffers and protocol state need no lock.  A guest joins or
 * leaves the list, and its counters that snapshots show change, under
 * socks_lk, for as long as that takes.  Guest events go out in batches,
 * at most every BATCH_MS, each batch with one snapshot taken as it goes.
 *
 * The work of a round is proportional to the guests who are active:
 * an epoll set holds every guest (its interest changed only when what
 * it waits for changes), and each guest's next timer (quiet order, idle,
 * linger) sits in a binary heap ordered by when it is due. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/epoll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_int.h"
#include "netstate.h"
#include "util.h"

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

/* Marks what is not a guest in the epoll set. */
static char kick_mark, listen_mark;

struct bar *
lab_bar_new(void)
{
	struct bar *bar = xcalloc(1, sizeof *bar);
	int fd = epoll_create1(EPOLL_CLOEXEC);

	/* Lessons show the descriptor numbers the kernel hands out next:
	 * the lab's own set keeps out of their way. */
	bar->ep = fd;
	if (fd != -1) {
		bar->ep = fcntl(fd, F_DUPFD_CLOEXEC, EPOLL_FD_MIN);
		if (bar->ep == -1)
			bar->ep = fd;
		else
			close(fd);
	}
	return bar;
}

void
lab_bar_free(struct bar *bar)
{
	if (bar == NULL)
		return;
	if (bar->ep != -1)
		close(bar->ep);
	free(bar->heap);
	free(bar->batch);
	free(bar);
}

/* ---- the timer heap ---- */

static bool
heap_before(const struct bar *bar, size_t a, size_t b)
{
	return bar->heap[a]->bg->due < bar->heap[b]->bg->due;
}

static void
heap_swap(struct bar *bar, size_t a, size_t b)
{
	struct lsock *t = bar->heap[a];

	bar->heap[a] = bar->heap[b];
	bar->heap[b] = t;
	bar->heap[a]->bg->slot = a;
	bar->heap[b]->bg->slot = b;
}

/* Restores the heap's order around slot i. */
static void
heap_fix(struct bar *bar, size_t i)
{
	while (i > 0 && heap_before(bar, i, (i - 1) / 2)) {
		heap_swap(bar, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < bar->nheap && heap_before(bar, l, m))
			m = l;
		if (r < bar->nheap && heap_before(bar, r, m))
			m = r;
		if (m == i)
			break;
		heap_swap(bar, i, m);
		i = m;
	}
}

static void
heap_add(struct bar *bar, struct lsock *g)
{
	if (bar->nheap == bar->capheap) {
		bar->capheap = bar->capheap ? bar->capheap * 2 : 64;
		bar->heap = xreallocarray(bar->heap, bar->capheap,
		    sizeof *bar->heap);
	}
	g->bg->slot = bar->nheap;
	bar->heap[bar->nheap++] = g;
	heap_fix(bar, g->bg->slot);
}

static void
heap_remove(struct bar *bar, struct lsock *g)
{
	size_t i = g->bg->slot;

	assert(i < bar->nheap && bar->heap[i] == g);
	heap_swap(bar, i, bar->nheap - 1);
	bar->nheap--;
	if (i < bar->nheap)
		heap_fix(bar, i);
}

void
lab_bar_reset(struct lab *lab)
{
	lab->bar->backoff_until = 0;
}

/* ---- guest events ---- */

/* True when a guest event may be posted now.  A flood of orders must
 * not cost a snapshot each: past a burst, guest events are let through
 * at a steady rate and the rest are dropped (the guests' counters in
 * later snapshots still tell the story). */
static bool
guest_budget(struct bar *bar)
{
	const uint64_t cost = 1000000u / GUEST_EV_RATE;
	const uint64_t cap = cost * GUEST_EV_BURST;
	uint64_t now = util_now_us();

	if (bar->budget_at == 0)
		bar->budget_us = cap;
	else
		bar->budget_us += now - bar->budget_at;
	bar->budget_at = now;
	if (bar->budget_us > cap)
		bar->budget_us = cap;
	if (bar->budget_us < cost)
		return false;
	bar->budget_us -= cost;
	return true;
}

/* Keeps ev for the next batch. */
static void
batch_add(struct bar *bar, const struct lab_event *ev)
{
	if (!guest_budget(bar))
		return;
	if (bar->nbatch == bar->capbatch) {
		bar->capbatch = bar->capbatch ? bar->capbatch * 2 : 16;
		bar->batch = xreallocarray(bar->batch, bar->capbatch,
		    sizeof *bar->batch);
	}
	bar->batch[bar->nbatch++] = *ev;
}

/* Posts the batch, all with one snapshot, when it is due. */
static void
batch_flush(struct lab *lab, uint64_t now)
{
	struct bar *bar = lab->bar;
	size_t i;

	if (bar->nbatch == 0 || now - bar->flushed_us < BATCH_MS * 1000u)
		return;
	lab_snap_take(lab, &bar->batch[0].snap, true);
	lab_snap_publish(lab, &bar->batch[0].snap);
	for (i = 0; i < bar->nbatch; i++) {
		if (i > 0)
			bar->batch[i].snap = bar->batch[0].snap;
		lab_push(lab, &bar->batch[i]);
	}
	bar->nbatch = 0;
	bar->flushed_us = util_now_us();
}

static void
guest_event_post(struct lab *lab, enum lab_ev_kind kind, struct lsock *g,
    int err)
{
	struct lab_event ev;

	/* The lab's own customers have their own events. */
	if (g->own)
		return;
	lab_ev_init(&ev, kind, LAB_SERVER, LAB_CALL_NONE, g->fd, false);
	ev.guest = g->id;
	ev.has_addr = true;
	ev.addr = g->peer;
	ev.err = err;
	batch_add(lab->bar, &ev);
}

/* ---- one guest ---- */

static void
guest_free(struct lsock *g)
{
	if (g->bg != NULL) {
		free(g->bg->in);
		free(g->bg->out);
		free(g->bg);
	}
	free(g);
}

/* Closes guest g and posts LEFT. */
static void
guest_drop(struct lab *lab, struct lsock *g, int err)
{
	guest_event_post(lab, LAB_EV_GUEST_LEFT, g, err);
	heap_remove(lab->bar, g);
	lab_lock_take(&lab->socks_lk);
	if (g->gprev != NULL)
		g->gprev->next = g->next;
	else
		lab->guests = g->next;
	if (g->next != NULL)
		g->next->gprev = g->gprev;
	else
		lab->guests_tail = g->gprev;
	lab->nguests--;
	if (!g->own)
		lab->nvisitors--;
	lab_snap_ghost(lab, g->fd, !g->own, g->lesson);
	lab_xclose(g->fd);
	lab_lock_give(&lab->socks_lk);
	guest_free(g);
}

static void
guest_queue(struct bar_guest *b, const char *p, size_t n)
{
	if (b->out == NULL)
		b->out = xmalloc(GUEST_OUT);
	if (b->outoff > 0 && b->outlen + n > GUEST_OUT) {
		memmove(b->out, b->out + b->outoff, b->outlen - b->outoff);
		b->outlen -= b->outoff;
		b->outoff = 0;
	}
	if (n > GUEST_OUT - b->outlen)
		n = GUEST_OUT - b->outlen;
	memcpy(b->out + b->outlen, p, n);
	b->outlen += n;
}

static size_t
guest_room(const struct bar_guest *b)
{
	return GUEST_OUT - (b->outlen - b->outoff);
}

/* After anything happened to g: what epoll watches for it, and when its
 * next timer is due. */
static void
guest_settle(struct lab *lab, struct lsock *g)
{
	struct bar_guest *b = g->bg;
	uint32_t want = b->outoff < b->outlen ? EPOLLOUT :
	    b->in == NULL && !b->eof ? EPOLLIN : 0;
	uint64_t due = g->own ? UINT64_MAX :
	    b->active_us + lab->cfg.idle_ms * 1000ull;

	if (want != b->mask) {
		struct epoll_event ev = { .events = want, .data.ptr = g };

		if (epoll_ctl(lab->bar->ep, EPOLL_CTL_MOD, g->fd, &ev) == 0)
			b->mask = want;
	}
	if (!b->closing && customer_pending(&b->cust) &&
	    guest_room(b) >= CUSTOMER_HTTP_MAX &&
	    b->last_us + lab->cfg.quiet_ms * 1000ull < due)
		due = b->last_us + lab->cfg.quiet_ms * 1000ull;
	if (b->closing && b->linger_until < due)
		due = b->linger_until;
	if (due != b->due) {
		b->due = due;
		heap_fix(lab->bar, b->slot);
	}
}

/* Answers one order or request. */
static void
guest_answer(struct lab *lab, struct lsock *g, const struct customer_order *o)
{
	struct bar_guest *b = g->bg;
	char buf[CUSTOMER_HTTP_MAX];
	struct lab_event ev;
	size_t n;

	lab_ev_init(&ev, o->kind == CUSTOMER_HTTP ? LAB_EV_GUEST_HTTP :
	    LAB_EV_GUEST_ORDER, LAB_SERVER, LAB_CALL_NONE, g->fd, false);
	ev.guest = g->id;
	ev.has_addr = true;
	ev.addr = g->peer;
	ev.num = (long)(o->len > LONG_MAX ? LONG_MAX : o->len);
	util_escape(o->text, o->keptlen, ev.data, sizeof ev.data);
	if (o->kind == CUSTOMER_HTTP) {
		n = customer_http(o, buf, sizeof buf);
		b->closing = true;
		b->linger_until = util_now_us() + GUEST_LINGER_MS * 1000u;
	} else {
		n = customer_reply(o, buf, sizeof buf);
		lab_lock_take(&lab->socks_lk);
		g->orders++;
		util_escape(o->text, o->keptlen, g->last, sizeof g->last);
		lab_lock_give(&lab->socks_lk);
	}
	guest_queue(b, buf, n);
	if (!g->own)
		batch_add(lab->bar, &ev);
}

/* Feeds n bytes at p to the protocol while replies fit; returns how
 * many were taken. */
static size_t
guest_feed(struct lab *lab, struct lsock *g, const char *p, size_t n)
{
	struct bar_guest *b = g->bg;
	struct customer_order o;
	size_t left = n;

	while (left > 0 && !b->closing && guest_room(b) >= CUSTOMER_HTTP_MAX)
		if (customer_feed(&b->cust, &p, &left, &o) == 1)
			guest_answer(lab, g, &o);
	return b->closing ? n : n - left;
}

/* Feeds what waited in the guest's input buffer, now that replies fit
 * again; the buffer goes once empty. */
static void
guest_process(struct lab *lab, struct lsock *g)
{
	struct bar_guest *b = g->bg;

	if (b->in == NULL)
		return;
	b->inoff += guest_feed(lab, g, b->in + b->inoff, b->inlen - b->inoff);
	if (b->inoff == b->inlen) {
		free(b->in);
		b->in = NULL;
		b->inoff = b->inlen = 0;
	}
}

/* Keeps the bytes the protocol could not take yet. */
static void
guest_keep(struct bar_guest *b, const char *p, size_t n)
{
	if (n == 0)
		return;
	b->in = xmalloc(GUEST_IN);
	memcpy(b->in, p, n);
	b->inlen = n;
	b->inoff = 0;
}

/* Counts bytes a guest sent or was sent, for snapshots to show. */
static void
guest_count(struct lab *lab, struct lsock *g, uint64_t in, uint64_t out)
{
	lab_lock_take(&lab->socks_lk);
	g->bytes_in += in;
	g->bytes_out += out;
	lab_lock_give(&lab->socks_lk);
}

/* The guest closed its side: what it said last is its order. */
static void
guest_eof(struct lab *lab, struct lsock *g, uint64_t now)
{
	struct bar_guest *b = g->bg;
	struct customer_order o;

	b->eof = true;
	if (!b->closing && customer_quiet(&b->cust, &o) == 1)
		guest_answer(lab, g, &o);
	b->closing = true;
	b->linger_until = now + GUEST_LINGER_MS * 1000u;
}

/* Reads from guest g; returns false when g was dropped. */
static bool
guest_read(struct lab *lab, struct lsock *g, uint64_t now)
{
	struct bar_guest *b = g->bg;
	size_t total = 0;

	while (total < GUEST_READ_ROUND && b->in == NULL && !b->eof) {
		char *rbuf = lab->bar->rbuf;
		ssize_t r = recv(g->fd, rbuf, GUEST_IN, MSG_DONTWAIT);
		size_t took;

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			break;
		if (r == -1) {
			guest_drop(lab, g, errno);
			return false;
		}
		if (r == 0) {
			guest_eof(lab, g, now);
			break;
		}
		guest_count(lab, g, (uint64_t)r, 0);
		b->last_us = b->active_us = now;
		total += (size_t)r;
		/* Once answered for good (HTTP), the rest is discarded. */
		took = b->closing ? (size_t)r : guest_feed(lab, g, rbuf,
		    (size_t)r);
		guest_keep(b, rbuf + took, (size_t)r - took);
	}
	return true;
}

/* Writes what g has to say; returns false when g was dropped. */
static bool
guest_write(struct lab *lab, struct lsock *g, uint64_t now)
{
	struct bar_guest *b = g->bg;

	while (b->outoff < b->outlen) {
		ssize_t r = send(g->fd, b->out + b->outoff,
		    b->outlen - b->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return true;
		if (r == -1) {
			guest_drop(lab, g, errno);
			return false;
		}
		b->outoff += (size_t)r;
		guest_count(lab, g, 0, (uint64_t)r);
		b->active_us = now;
	}
	free(b->out);
	b->out = NULL;
	b->outoff = b->outlen = 0;
	if (b->closing && !b->shut) {
		b->shut = true;
		shutdown(g->fd, SHUT_WR);
	}
	if (b->closing && (b->eof || now >= b->linger_until)) {
		guest_drop(lab, g, 0);
		return false;
	}
	/* Replies fit again: go on with what was waiting. */
	if (b->in != NULL) {
		guest_process(lab, g);
		if (b->outoff < b->outlen)
			return guest_write(lab, g, now);
	}
	return true;
}

/* ---- newcomers ---- */

/* True when peer is one of the lab's own customer sockets. */
static bool
own_peer(struct lab *lab, const struct lab_addr *peer)
{
	const struct lsock *s;
	bool own = false;

	/* The customer's worker closes its sockets under socks_lk. */
	lab_lock_take(&lab->socks_lk);
	for (s = lab->socks; s != NULL && !own; s = s->next) {
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
		own = pl >= hl && strcmp(peer->host + pl - hl, a.host) == 0;
	}
	lab_lock_give(&lab->socks_lk);
	return own;
}

/* How many guests came from g's address (the same host). */
static unsigned
guests_from(const struct lab *lab, const struct lsock *g)
{
	const struct lsock *s;
	unsigned n = 0;

	for (s = lab->guests; s != NULL; s = s->next)
		n += !s->own && strcmp(s->peer.host, g->peer.host) == 0;
	return n;
}

/* The bar is full (for everybody, or for the newcomer's address): one
 * line saying why, best effort, and goodbye. */
static void
guest_refuse(struct lab *lab, struct lsock *g, bool address)
{
	char buf[CUSTOMER_REPLY_MAX];
	size_t n = address ? customer_full_address(lab->cfg.max_per_address,
	    buf, sizeof buf) : customer_full(lab->nvisitors, buf, sizeof buf);
	struct lab_event ev;

	if (send(g->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* the newcomer has gone already */
	}
	lab_xclose(g->fd);
	if (!g->own) {
		lab_ev_init(&ev, LAB_EV_GUEST_REFUSED, LAB_SERVER,
		    LAB_CALL_NONE, -1, false);
		ev.guest = g->id;
		ev.has_addr = true;
		ev.addr = g->peer;
		ev.num = lab->nvisitors;
		ev.value = address;
		batch_add(lab->bar, &ev);
	}
	guest_free(g);
}

/* Seats a newcomer accepted on fd. */
static void
guest_seat(struct lab *lab, int fd, const struct sockaddr_storage *ss,
    uint64_t now)
{
	struct lsock *g = xcalloc(1, sizeof *g);
	struct epoll_event ev = { .events = EPOLLIN };

	g->fd = fd;
	g->id = atomic_fetch_add(&lab->next_id, 1) + 1;
	g->role = LAB_ROLE_GUEST;
	g->side = LAB_SERVER;
	g->lesson = atomic_load(&lab->lesson);
	netstate_addr(ss, &g->peer);
	if (own_peer(lab, &g->peer)) {
		g->own = true;
		g->role = LAB_ROLE_CONN;
	}
	if (lab->nguests >= lab->cfg.max_customers) {
		guest_refuse(lab, g, false);
		return;
	}
	/* A neighbour who keeps many connections open (a byte a second
	 * each) must not take every seat. */
	if (lab->cfg.max_per_address > 0 && !g->own &&
	    guests_from(lab, g) >= lab->cfg.max_per_address) {
		guest_refuse(lab, g, true);
		return;
	}
	g->bg = xcalloc(1, sizeof *g->bg);
	customer_init(&g->bg->cust);
	g->bg->last_us = g->bg->active_us = now;
	g->bg->mask = EPOLLIN;
	ev.data.ptr = g;
	if (epoll_ctl(lab->bar->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		/* Without a place in the set it would never be served. */
		g->bg->mask = 0;
		guest_refuse(lab, g, false);
		return;
	}
	heap_add(lab->bar, g);
	guest_settle(lab, g);
	lab_lock_take(&lab->socks_lk);
	g->gprev = lab->guests_tail;
	if (lab->guests_tail != NULL)
		lab->guests_tail->next = g;
	else
		lab->guests = g;
	lab->guests_tail = g;
	lab->nguests++;
	if (!g->own)
		lab->nvisitors++;
	lab_lock_give(&lab->socks_lk);
	guest_event_post(lab, LAB_EV_GUEST_ARRIVED, g, 0);
}

static void
guest_accept(struct lab *lab, int lfd, uint64_t now)
{
	int i;

	for (i = 0; i < ACCEPT_ROUND; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
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
				lab->bar->backoff_until = now +
				    EMFILE_BACKOFF_MS * 1000u;
			return;
		}
		guest_seat(lab, fd, &ss, now);
	}
}

/* ---- timers ---- */

/* The customer is quiet: take what arrived as the order.  Returns false
 * when g was dropped. */
static bool
guest_quiet(struct lab *lab, struct lsock *g, uint64_t now)
{
	struct customer_order o;

	if (customer_quiet(&g->bg->cust, &o) == 1)
		guest_answer(lab, g, &o);
	return guest_write(lab, g, now);
}

/* Idle too long: say so and close. */
static void
guest_idle(struct lab *lab, struct lsock *g)
{
	char buf[CUSTOMER_REPLY_MAX];
	size_t n = customer_idle(lab->cfg.idle_ms, buf, sizeof buf);

	if (send(g->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* it is leaving anyway */
	}
	guest_drop(lab, g, ETIMEDOUT);
}

/* A due timer of g: a quiet order, a lingering close, idleness. */
static void
guest_timer(struct lab *lab, struct lsock *g, uint64_t now)
{
	struct bar_guest *b = g->bg;

	if (!b->closing && customer_pending(&b->cust) &&
	    now - b->last_us >= lab->cfg.quiet_ms * 1000ull &&
	    guest_room(b) >= CUSTOMER_HTTP_MAX && !guest_quiet(lab, g, now))
		return;
	if (b->closing && now >= b->linger_until) {
		/* Done, or the guest does not read its answer. */
		guest_drop(lab, g, 0);
		return;
	}
	/* The lab's own customers leave when the lesson says so. */
	if (!g->own && now - b->active_us >= lab->cfg.idle_ms * 1000ull) {
		guest_idle(lab, g);
		return;
	}
	guest_settle(lab, g);
}

/* Handles the timers that are due, soonest first. */
static void
guest_timers(struct lab *lab, uint64_t now)
{
	struct bar *bar = lab->bar;
	size_t budget = bar->nheap;

	/* Each handled timer drops its guest or moves past now; the budget
	 * only guards against a timer that would not. */
	while (bar->nheap > 0 && bar->heap[0]->bg->due <= now &&
	    budget-- > 0)
		guest_timer(lab, bar->heap[0], now);
}

/* How long the bartender may sleep: until a timer, the listener's
 * backoff or the batch of guest news is due; -1 for no limit. */
static int
round_timeout(const struct lab *lab, uint64_t now, int max_ms)
{
	const struct bar *bar = lab->bar;
	uint64_t due = bar->nheap > 0 ? bar->heap[0]->bg->due : UINT64_MAX;
	uint64_t ms;

	if (bar->backoff_until > now && bar->backoff_until < due)
		due = bar->backoff_until;
	if (bar->nbatch > 0 && bar->flushed_us + BATCH_MS * 1000u < due)
		due = bar->flushed_us + BATCH_MS * 1000u;
	if (due == UINT64_MAX)
		ms = UINT64_MAX;
	else
		ms = due <= now ? 0 : (due - now + 999) / 1000;
	if (max_ms >= 0 && (uint64_t)max_ms < ms)
		ms = (uint64_t)max_ms;
	return ms == UINT64_MAX ? -1 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/* May the bartender take newcomers for guests now?  Reads what only
 * the bartender's own calls change. */
static bool
may_accept(const struct lab *lab, uint64_t now)
{
	/* Only after "serve"; "serve one" takes the next customer when the
	 * one being served has left. */
	return lab->serving && lab->listening && lab->listener != NULL &&
	    (!lab->serve_one || lab->nguests == 0) &&
	    now >= lab->bar->backoff_until;
}

/* ---- the round ---- */

/* Puts the listener in the epoll set or takes it out, as may_accept
 * says; the kick descriptor goes in once. */
static void
watch_listener(struct lab *lab, bool want)
{
	struct bar *bar = lab->bar;
	struct epoll_event ev = { .events = EPOLLIN };

	if (!bar->kick_in) {
		ev.data.ptr = &kick_mark;
		bar->kick_in = epoll_ctl(bar->ep, EPOLL_CTL_ADD,
		    lab->kick[LAB_T_SERVER], &ev) == 0;
	}
	if (bar->listen_in && (!want || bar->listen_fd != lab->listener->fd)) {
		/* It may be closed already, and so gone from the set. */
		epoll_ctl(bar->ep, EPOLL_CTL_DEL, bar->listen_fd, NULL);
		bar->listen_in = false;
	}
	if (want) {
		/* A listener closed and a new one under the same number
		 * left the set: MOD fails, ADD puts it back. */
		ev.data.ptr = &listen_mark;
		bar->listen_fd = lab->listener->fd;
		bar->listen_in = epoll_ctl(bar->ep, EPOLL_CTL_MOD,
		    bar->listen_fd, &ev) == 0 || epoll_ctl(bar->ep,
		    EPOLL_CTL_ADD, bar->listen_fd, &ev) == 0;
	}
}

/* Waits for the epoll set (and extra, when not NULL) for at most
 * timeout ms; returns how many of the set's events are in evs. */
static int
round_wait(struct lab *lab, struct pollfd *extra, struct epoll_event *evs,
    int timeout)
{
	struct pollfd p[2] = { { lab->bar->ep, POLLIN, 0 }, { -1, 0, 0 } };

	if (extra == NULL)
		return epoll_wait(lab->bar->ep, evs, EPOLL_ROUND, timeout);
	p[1] = *extra;
	p[1].revents = 0;
	if (poll(p, 2, timeout) <= 0) {
		extra->revents = 0;
		return 0;
	}
	extra->revents = p[1].revents;
	return p[0].revents != 0 ?
	    epoll_wait(lab->bar->ep, evs, EPOLL_ROUND, 0) : 0;
}

/* Serves one ready guest. */
static void
serve_guest(struct lab *lab, struct lsock *g, uint32_t events, uint64_t now)
{
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
	    !guest_read(lab, g, now))
		return;
	if (guest_write(lab, g, now))
		guest_settle(lab, g);
}

/* One round of the bartender's own work: wait for its kick, newcomers
 * and guests, and serve whatever is ready.  extra, when not NULL, is the
 * socket of a lesson call the bartender is waiting on: it is polled too
 * (its revents are filled), and newcomers are left to the lesson.
 * max_ms caps the wait (-1: no cap). */
int
lab_bar_round(struct lab *lab, struct pollfd *extra, int max_ms)
{
	struct epoll_event evs[EPOLL_ROUND];
	uint64_t now = util_now_us();
	bool listen = extra == NULL && may_accept(lab, now), newcomers = false;
	int i, n;

	LAB_NOT_HELD(&lab->socks_lk);
	watch_listener(lab, listen);
	n = round_wait(lab, extra, evs, round_timeout(lab, now, max_ms));
	now = util_now_us();
	for (i = 0; i < n; i++) {
		void *who = evs[i].data.ptr;

		if (who == &kick_mark)
			lab_unkick(lab->kick[LAB_T_SERVER]);
		else if (who == &listen_mark)
			newcomers = true;
		else if (!lab_cancelled(lab, lab->acked[LAB_SERVER]))
			serve_guest(lab, who, evs[i].events, now);
	}
	/* Checked again: the newcomer may be the lab's customer. */
	if (newcomers && listen && !lab_cancelled(lab,
	    lab->acked[LAB_SERVER]) && may_accept(lab, now) &&
	    lab->listener->fd == lab->bar->listen_fd)
		guest_accept(lab, lab->bar->listen_fd, now);
	guest_timers(lab, now);
	batch_flush(lab, util_now_us());
	return n > 0 || (extra != NULL && extra->revents != 0);
}

void
lab_bar_close_all(struct lab *lab)
{
	struct lsock *g, *next;

	for (g = lab->guests; g != NULL; g = next) {
		next = g->next;
		lab_xclose(g->fd);
		guest_free(g);
	}
	lab->guests = lab->guests_tail = NULL;
	lab->nguests = lab->nvisitors = 0;
	lab->bar->nheap = 0;
}

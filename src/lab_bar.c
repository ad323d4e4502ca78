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

#include "lab_bar_int.h"
#include "netstate.h"
#include "util.h"

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

void
lab_bar_reset(struct lab *lab)
{
	lab->bar->backoff_until = 0;
}

/* Once closed, the number may come back as any other descriptor of the
 * process (a guest in the set, or another thread's file): a DEL then
 * would hit that one. */
void
lab_bar_unwatch(struct lab *lab, int fd)
{
	struct bar *bar = lab->bar;

	if (bar->listen_in && bar->listen_fd == fd) {
		epoll_ctl(bar->ep, EPOLL_CTL_DEL, fd, NULL);
		bar->listen_in = false;
	}
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

/* A guest set aside by guests wait (value 1), or served after it
 * (value 2): LAB_EV_GUEST_ARRIVED. */
static void
held_event(struct lab *lab, const struct lsock *g, int value)
{
	struct lab_event ev;

	lab_ev_init(&ev, LAB_EV_GUEST_ARRIVED, LAB_SERVER, LAB_CALL_NONE, g->fd,
	    false);
	ev.guest = g->id;
	ev.has_addr = true;
	ev.addr = g->peer;
	ev.value = value;
	batch_add(lab->bar, &ev);
}

/* Seats a newcomer accepted on fd, under id (0: a new one; else one
 * that guests wait had set aside). */
static void
guest_seat(struct lab *lab, int fd, const struct sockaddr_storage *ss,
    uint64_t now, unsigned id)
{
	struct lsock *g = xcalloc(1, sizeof *g);
	struct epoll_event ev = { .events = EPOLLIN };

	g->fd = fd;
	g->id = id != 0 ? id : atomic_fetch_add(&lab->next_id, 1) + 1;
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
	if (id != 0 && !g->own)
		held_event(lab, g, 2);
	else
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
		guest_seat(lab, fd, &ss, now, 0);
	}
}

/* ---- guests wait ---- */

bool
lab_bar_hold(struct lab *lab, int fd, const struct sockaddr_storage *ss)
{
	struct lsock *g;

	if (!atomic_load(&lab->hold))
		return false;
	g = xcalloc(1, sizeof *g);
	netstate_addr(ss, &g->peer);
	if (own_peer(lab, &g->peer)) {
		free(g);
		return false;
	}
	g->fd = fd;
	g->id = atomic_fetch_add(&lab->next_id, 1) + 1;
	g->role = LAB_ROLE_GUEST;
	g->side = LAB_SERVER;
	g->lesson = atomic_load(&lab->lesson);
	if (lab->nheld + lab->nguests >= lab->cfg.max_customers) {
		guest_refuse(lab, g, false);
		return true;
	}
	lab_lock_take(&lab->socks_lk);
	g->next = lab->held;
	lab->held = g;
	lab->nheld++;
	lab_lock_give(&lab->socks_lk);
	held_event(lab, g, 1);
	return true;
}

/* Guests wait is off: the guests set aside are served now, in the
 * order they came, under their numbers. */
static void
held_release(struct lab *lab, uint64_t now)
{
	struct lsock *list, *g, *rev = NULL;

	if (lab->held == NULL || atomic_load(&lab->hold))
		return;
	lab_lock_take(&lab->socks_lk);
	list = lab->held;
	lab->held = NULL;
	lab->nheld = 0;
	lab_lock_give(&lab->socks_lk);
	while (list != NULL) {
		g = list;
		list = g->next;
		g->next = rev;
		rev = g;
	}
	while (rev != NULL) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;

		g = rev;
		rev = g->next;
		if (getpeername(g->fd, (struct sockaddr *)&ss, &sl) == 0)
			guest_seat(lab, g->fd, &ss, now, g->id);
		else
			lab_xclose(g->fd);	/* gone meanwhile */
		free(g);
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
	/* A closed listener has left already (lab_bar_unwatch). */
	if (bar->listen_in && !want) {
		epoll_ctl(bar->ep, EPOLL_CTL_DEL, bar->listen_fd, NULL);
		bar->listen_in = false;
	}
	if (want && !bar->listen_in) {
		ev.data.ptr = &listen_mark;
		bar->listen_fd = lab->listener->fd;
		bar->listen_in = epoll_ctl(bar->ep, EPOLL_CTL_ADD,
		    bar->listen_fd, &ev) == 0;
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
	held_release(lab, now);
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
	for (g = lab->held; g != NULL; g = next) {
		next = g->next;
		lab_xclose(g->fd);
		free(g);
	}
	lab->held = NULL;
	lab->nheld = 0;
}

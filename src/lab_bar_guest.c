/* lab_bar_guest.c - one guest's conversation with the bartender: its
 * bytes read into the protocol of customer.c, its answers queued and
 * written, its timers kept in the bar's heap, and the guest events that
 * go out in batches.  Runs on the bartender thread alone (lab_bar.c). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_bar_int.h"
#include "util.h"

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

void
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
void
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
void
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

void
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

void
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
void
guest_drop(struct lab *lab, struct lsock *g, int err)
{
	guest_event_post(lab, LAB_EV_GUEST_LEFT, g, err);
	heap_remove(lab->bar, g);
	/* close() alone leaves the descriptor in the epoll set while another
	 * copy of it lives (a child between fork() and exec() holds one), and
	 * the set would then report events for a guest that is gone. */
	(void)epoll_ctl(lab->bar->ep, EPOLL_CTL_DEL, g->fd, NULL);
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
	lab_snap_ghost(lab, g->fd, !g->own, g->lesson, &g->peer);
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

size_t
guest_room(const struct bar_guest *b)
{
	return GUEST_OUT - (b->outlen - b->outoff);
}

/* After anything happened to g: what epoll watches for it, and when its
 * next timer is due. */
void
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
void
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
bool
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
bool
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

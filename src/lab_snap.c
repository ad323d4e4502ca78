/* lab_snap.c - snapshots: every socket of the lab at one moment, as the
 * kernel reports it (netstate.c reads it), self-contained so that a
 * screen can show it again later.  They are taken on the lab's threads
 * only: the worker that posts an event, the bartender for its guests'
 * news, and the watcher thread, which takes one whenever
 * lab_snapshot_now asks.  The screen's thread only ever copies the
 * latest one published (snap_lk guards it).
 *
 * The descriptors are read under socks_lk (nobody closes one meanwhile);
 * the kernel's connection table is read after socks_lk is given up. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_int.h"
#include "netstate.h"
#include "util.h"

#define FDLESS_MAX 16		/* fd-less entries read per snapshot */
#define GHOST_LIFE_MS 130000	/* longer than TIME_WAIT and FIN_WAIT2 */

static void
fill_fd(struct lab_sock *o, const struct lsock *s, const struct netstate_fd *nf)
{
	memset(o, 0, sizeof *o);
	o->id = s->id;
	o->fd = s->fd;
	o->role = s->role;
	o->side = s->side;
	o->type = nf->type;
	o->state = nf->state;
	o->has_local = nf->has_local;
	o->has_peer = nf->has_peer;
	o->local = nf->local;
	o->peer = nf->peer;
	o->accept_queue = nf->accept_queue;
	o->backlog = nf->backlog;
	o->rx_queue = nf->rx_queue;
	o->tx_queue = nf->tx_queue;
	o->bytes_in = s->bytes_in;
	o->bytes_out = s->bytes_out;
	o->orders = s->orders;
	o->lesson = s->lesson;
	memcpy(o->last, s->last, sizeof o->last);
}

static bool
is_bar(const struct lab_addr *bars, const struct lab_addr *end)
{
	size_t i;

	for (i = 0; i < LAB_PORTS_MAX; i++)
		if (netstate_addr_match(end, &bars[i]))
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

/* A connection without a descriptor as a row. */
static void
fill_conn(struct lab_sock *o, const struct netstate_conn *c,
    const struct lab_addr *bars)
{
	bool server_end = is_bar(bars, &c->local);

	memset(o, 0, sizeof *o);
	o->id = conn_id(c);
	o->fd = -1;
	o->type = SOCK_STREAM;
	o->state = c->state;
	o->side = server_end ? LAB_SERVER : LAB_CLIENT;
	if (c->state == LAB_TCP_TIME_WAIT)
		o->role = LAB_ROLE_TIMEWAIT;
	else if (server_end && (c->state == LAB_TCP_ESTABLISHED ||
	    c->state == LAB_TCP_SYN_RECV || c->state == LAB_TCP_CLOSE_WAIT))
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

/* The lesson's sockets into snap, the guests into rows (at most max),
 * the bar's addresses into bars; counts what does not fit too.
 * Returns the number of guest rows. */
static size_t
read_fds(struct lab *lab, struct lab_snapshot *snap, struct lab_sock *rows,
    size_t max, struct lab_addr *bars)
{
	const struct lsock *s;
	struct netstate_fd nf;
	size_t nrows = 0;

	lab_lock_take(&lab->socks_lk);
	for (s = lab->socks; s != NULL; s = s->next) {
		netstate_fd_read(s->fd, &nf);
		if (s->role == LAB_ROLE_CLIENT &&
		    nf.state == LAB_TCP_SYN_SENT)
			snap->knocking++;
		if (s == lab->listener)
			snap->queued = nf.accept_queue;
		if (snap->n < LAB_SNAP_MAX)
			fill_fd(&snap->socks[snap->n++], s, &nf);
	}
	for (s = lab->guests; s != NULL; s = s->next) {
		if (!s->own && s->lesson != snap->lesson)
			snap->old_guests++;
		if (nrows < max) {
			netstate_fd_read(s->fd, &nf);
			fill_fd(&rows[nrows++], s, &nf);
		}
	}
	snap->guests = lab->nvisitors;
	memcpy(bars, lab->bars, sizeof lab->bars);
	lab_lock_give(&lab->socks_lk);
	return nrows;
}

void
lab_snap_take(struct lab *lab, struct lab_snapshot *snap, bool queue)
{
	struct lab_sock rows[LAB_SNAP_MAX];
	struct netstate_conn conns[FDLESS_MAX];
	struct lab_addr bars[LAB_PORTS_MAX];
	size_t nrows, i;
	int n;

	LAB_NOT_HELD(&lab->socks_lk);
	memset(snap, 0, sizeof *snap);
	snap->lesson = atomic_load(&lab->lesson);
	nrows = read_fds(lab, snap, rows, LAB_SNAP_MAX, bars);
	n = queue && bars[0].port != 0 ? lab_wire_fdless(lab, bars,
	    LAB_PORTS_MAX, conns, FDLESS_MAX) : 0;
	for (i = 0; (int)i < n && i < FDLESS_MAX; i++) {
		if (conns[i].state == LAB_TCP_TIME_WAIT)
			snap->timewait++;
		if (snap->n < LAB_SNAP_MAX)
			fill_conn(&snap->socks[snap->n++], &conns[i], bars);
	}
	for (i = 0; i < nrows && snap->n < LAB_SNAP_MAX; i++)
		snap->socks[snap->n++] = rows[i];
	snap->taken_us = util_now_us();
}

void
lab_snap_publish(struct lab *lab, const struct lab_snapshot *snap)
{
	lab_lock_take(&lab->snap_lk);
	if (snap->taken_us >= lab->latest.taken_us)
		lab->latest = *snap;
	lab_lock_give(&lab->snap_lk);
}

void
lab_snap_ghost(struct lab *lab, const struct lab_addr *local,
    const struct lab_addr *peer)
{
	struct lab_ghost *g;

	LAB_HELD(&lab->socks_lk);
	if (lab->nghosts == LAB_GHOSTS_MAX) {
		memmove(&lab->ghosts[0], &lab->ghosts[1],
		    (LAB_GHOSTS_MAX - 1) * sizeof lab->ghosts[0]);
		lab->nghosts--;
	}
	g = &lab->ghosts[lab->nghosts++];
	g->local = *local;
	g->peer = *peer;
	g->until_us = util_now_us() + GHOST_LIFE_MS * 1000ull;
}

void *
lab_snap_watcher(void *arg)
{
	struct lab *lab = ((struct worker_arg *)arg)->lab;
	struct lab_snapshot *snap = xmalloc(sizeof *snap);

	/* lab_free sets quit, then wakes this thread under snap_lk. */
	lab_lock_take(&lab->snap_lk);
	for (;;) {
		unsigned want;

		while (lab->snap_asked == lab->snap_done &&
		    !atomic_load(&lab->quit))
			lab_lock_wait(&lab->snap_lk, &lab->snap_cv);
		if (atomic_load(&lab->quit))
			break;
		want = lab->snap_asked;
		lab_lock_give(&lab->snap_lk);
		lab_snap_take(lab, snap, true);
		lab_lock_take(&lab->snap_lk);
		if (snap->taken_us >= lab->latest.taken_us)
			lab->latest = *snap;
		lab->snap_done = want;
		pthread_cond_broadcast(&lab->snap_cv);
	}
	lab_lock_give(&lab->snap_lk);
	free(snap);
	return NULL;
}

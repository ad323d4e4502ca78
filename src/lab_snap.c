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
    const struct lab_addr *bars, int lesson)
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
	o->lesson = lesson;
}

/* What a snapshot reads under socks_lk, to look up after. */
struct seen {
	struct lab_sock rows[LAB_SNAP_MAX];	/* guests */
	size_t nrows;
	struct lab_addr bars[LAB_PORTS_MAX];
	/* The ghosts' ends, those made on this computer first, then those
	 * of the private network (nmachine of them, then the rest). */
	struct netstate_conn conns[LAB_GHOSTS_MAX * 2];
	int lesson[LAB_GHOSTS_MAX * 2];	/* ... and whose they are */
	bool found[LAB_GHOSTS_MAX * 2];
	size_t nconns, nmachine;
};

/* Appends the ends of world's ghosts to w. */
static void
ghost_ends(const struct lab *lab, struct seen *w, enum lab_world world)
{
	size_t i;

	for (i = 0; i < lab->nghosts; i++) {
		const struct lab_ghost *g = &lab->ghosts[i];
		struct netstate_conn *c;

		if (g->world != world)
			continue;
		w->lesson[w->nconns] = g->lesson;
		c = &w->conns[w->nconns++];
		memset(c, 0, sizeof *c);
		c->local = g->local;
		c->peer = g->peer;
		if (g->both) {
			w->lesson[w->nconns] = g->lesson;
			c = &w->conns[w->nconns++];
			memset(c, 0, sizeof *c);
			c->local = g->peer;
			c->peer = g->local;
		}
	}
}

/* Forgets the ghosts past their time and lists the ends of the others
 * to look up; socks_lk held. */
static void
read_ghosts(struct lab *lab, struct seen *w)
{
	uint64_t now = util_now_us();
	size_t i, k = 0;

	LAB_HELD(&lab->socks_lk);
	for (i = 0; i < lab->nghosts; i++)
		if (lab->ghosts[i].until_us >= now)
			lab->ghosts[k++] = lab->ghosts[i];
	lab->nghosts = k;
	w->nconns = 0;
	ghost_ends(lab, w, LAB_WORLD_MACHINE);
	w->nmachine = w->nconns;
	ghost_ends(lab, w, LAB_WORLD_PRIVATE);
}

/* Looks each ghost's ends up in the network it was made in: 0, or -1
 * when a kernel would not answer. */
static int
lookup_ghosts(struct lab *lab, struct seen *w)
{
	size_t m = w->nmachine;

	if (lab_wire_lookup(lab, LAB_WORLD_MACHINE, w->conns, w->found,
	    m) == -1)
		return -1;
	return lab_wire_lookup(lab, LAB_WORLD_PRIVATE, w->conns + m,
	    w->found + m, w->nconns - m);
}

static bool
same_addr(const struct lab_addr *a, const struct lab_addr *b)
{
	return a->port == b->port && strcmp(a->host, b->host) == 0;
}

static bool
same_ends(const struct netstate_conn *c, const struct lab_addr *local,
    const struct lab_addr *peer)
{
	return same_addr(&c->local, local) && same_addr(&c->peer, peer);
}

/* Whether conns[k]'s connection was found already among conns[from..k):
 * one connection can have two ghosts (the lab's customer closed it, and
 * the bartender, who served him as a guest, kept his end too). */
static bool
listed_before(const struct seen *w, size_t from, size_t k)
{
	size_t j;

	for (j = from; j < k; j++)
		if (w->found[j] && same_ends(&w->conns[j], &w->conns[k].local,
		    &w->conns[k].peer))
			return true;
	return false;
}

/* Forgets the ghosts whose connection the kernel no longer has. */
static void
prune_ghosts(struct lab *lab, const struct seen *w)
{
	size_t i, j, k = 0;

	lab_lock_take(&lab->socks_lk);
	for (i = 0; i < lab->nghosts; i++) {
		const struct lab_ghost *g = &lab->ghosts[i];
		bool machine = g->world == LAB_WORLD_MACHINE, alive = true;
		size_t from = machine ? 0 : w->nmachine;
		size_t to = machine ? w->nmachine : w->nconns;

		/* Its ends are conns[j], and conns[j + 1] when both, among
		 * those of its own network. */
		for (j = from; j < to; j++)
			if (same_ends(&w->conns[j], &g->local, &g->peer))
				alive = w->found[j] || (g->both &&
				    j + 1 < to && w->found[j + 1]);
		if (alive)
			lab->ghosts[k++] = *g;
	}
	lab->nghosts = k;
	lab_lock_give(&lab->socks_lk);
}

/* The lesson's sockets into snap, the guests and what else is to be
 * looked up into w; counts what does not fit too. */
static void
read_fds(struct lab *lab, struct lab_snapshot *snap, struct seen *w)
{
	const struct lsock *s;
	struct netstate_fd nf;

	w->nrows = 0;
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
		if (w->nrows < LAB_SNAP_MAX) {
			netstate_fd_read(s->fd, &nf);
			fill_fd(&w->rows[w->nrows++], s, &nf);
		}
	}
	for (s = lab->held; s != NULL; s = s->next)
		if (w->nrows < LAB_SNAP_MAX) {
			netstate_fd_read(s->fd, &nf);
			fill_fd(&w->rows[w->nrows], s, &nf);
			w->rows[w->nrows++].held = true;
		}
	snap->held = lab->nheld;
	snap->guests = lab->nvisitors;
	memcpy(w->bars, lab->bars, sizeof lab->bars);
	read_ghosts(lab, w);
	lab_lock_give(&lab->socks_lk);
}

/* Adds a connection without a descriptor as a row, and counts it: with
 * the lesson's, or with what earlier lessons left. */
static void
add_conn(struct lab_snapshot *snap, const struct netstate_conn *c,
    const struct lab_addr *bars, int lesson)
{
	if (lesson != 0 && lesson != snap->lesson)
		snap->old_left++;
	else if (c->state == LAB_TCP_TIME_WAIT)
		snap->timewait++;
	if (snap->n < LAB_SNAP_MAX)
		fill_conn(&snap->socks[snap->n++], c, bars, lesson);
}


/* Adds c as a row unless it is a ghost's, listed already. */
static void
add_unless_ghost(struct lab_snapshot *snap, const struct seen *w,
    const struct netstate_conn *c)
{
	size_t j;

	for (j = 0; j < w->nconns; j++)
		if (w->found[j] && same_ends(&w->conns[j], &c->local,
		    &c->peer))
			return;
	add_conn(snap, c, w->bars, snap->lesson);
}

/* Whether one of the bartender's descriptors (or a guest's) is the far
 * end of the lab's customer c: the connection was accepted. */
static bool
accepted(const struct lab_snapshot *snap, const struct seen *w,
    const struct lab_sock *c)
{
	size_t i;

	for (i = 0; i < snap->n + w->nrows; i++) {
		const struct lab_sock *s = i < snap->n ? &snap->socks[i] :
		    &w->rows[i - snap->n];

		if (s->fd >= 0 && s->side == LAB_SERVER && s->has_peer &&
		    same_addr(&s->local, &c->peer) &&
		    same_addr(&s->peer, &c->local))
			return true;
	}
	return false;
}

static bool
at_bar(const struct lab_addr *end, const struct lab_addr *bars)
{
	size_t i;

	for (i = 0; i < LAB_PORTS_MAX; i++)
		if (bars[i].port != 0 && netstate_addr_match(end, &bars[i]))
			return true;
	return false;
}

/* The queue holds only the lab's own customers, most of the time: the
 * bartender's end of each connection a customer of the lab completed
 * and nobody accepted.  Those are looked up one by one, which costs the
 * kernel a hash lookup each, where a dump walks its whole table.
 * Returns false, having added nothing, when they may not be all there is
 * (a guest waits too, a customer still knocks, a row did not fit, or a
 * lookup missed): then only a dump can tell. */
static bool
add_queue_known(struct lab *lab, struct lab_snapshot *snap,
    const struct seen *w)
{
	struct netstate_conn conns[FDLESS_MAX];
	bool found[FDLESS_MAX];
	size_t n = 0, i;

	if (snap->knocking > 0 || snap->queued > FDLESS_MAX ||
	    snap->n == LAB_SNAP_MAX)
		return false;
	for (i = 0; i < snap->n; i++) {
		const struct lab_sock *c = &snap->socks[i];

		if (c->fd < 0 || c->side != LAB_CLIENT ||
		    c->state != LAB_TCP_ESTABLISHED || !c->has_local ||
		    !c->has_peer || !at_bar(&c->peer, w->bars) ||
		    accepted(snap, w, c))
			continue;
		if (n == snap->queued)
			return false;
		memset(&conns[n], 0, sizeof conns[n]);
		conns[n].local = c->peer;
		conns[n].peer = c->local;
		n++;
	}
	if (n != snap->queued || lab_wire_lookup(lab, lab_world(lab), conns,
	    found, n) == -1)
		return false;
	for (i = 0; i < n; i++)
		if (!found[i] || conns[i].inode != 0)
			return false;
	for (i = 0; i < n; i++)
		add_unless_ghost(snap, w, &conns[i]);
	return true;
}

/* The connections waiting in the listener's queue: the lab's own
 * customers' by exact lookups when they are all, else by walking the
 * kernel's table (a dump, filtered by port); the ghosts' rows are left
 * out, they are there already. */
static void
add_queue(struct lab *lab, struct lab_snapshot *snap, const struct seen *w)
{
	struct netstate_conn conns[FDLESS_MAX];
	int n;
	size_t i;

	if (add_queue_known(lab, snap, w))
		return;
	n = lab_wire_fdless(lab, w->bars, LAB_PORTS_MAX, conns, FDLESS_MAX);
	for (i = 0; (int)i < n && i < FDLESS_MAX; i++)
		add_unless_ghost(snap, w, &conns[i]);
}

void
lab_snap_take(struct lab *lab, struct lab_snapshot *snap, bool queue)
{
	struct seen *w = xmalloc(sizeof *w);
	size_t i;

	LAB_NOT_HELD(&lab->socks_lk);
	memset(snap, 0, sizeof *snap);
	snap->lesson = atomic_load(&lab->lesson);
	read_fds(lab, snap, w);
	/* What the lab's closes left: one exact lookup each. */
	if (lookup_ghosts(lab, w) == 0) {
		/* The screen shows one network, the one the title bar
		 * names: the other's remains wait until the lab is back. */
		bool machine = lab_world(lab) == LAB_WORLD_MACHINE;
		size_t from = machine ? 0 : w->nmachine;
		size_t to = machine ? w->nmachine : w->nconns;

		for (i = from; i < to; i++)
			if (w->found[i] && w->conns[i].inode == 0 &&
			    !listed_before(w, from, i))
				add_conn(snap, &w->conns[i], w->bars,
				    w->lesson[i]);
		prune_ghosts(lab, w);
	} else {
		memset(w->found, 0, sizeof w->found);
	}
	if (queue && snap->queued > 0 && w->bars[0].port != 0)
		add_queue(lab, snap, w);
	for (i = 0; i < w->nrows && snap->n < LAB_SNAP_MAX; i++)
		snap->socks[snap->n++] = w->rows[i];
	snap->taken_us = util_now_us();
	free(w);
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
lab_snap_ghost(struct lab *lab, int fd, bool both, int lesson,
    const struct lab_addr *peer)
{
	struct sockaddr_storage a, b;
	socklen_t al = sizeof a, bl = sizeof b;
	struct lab_addr local, far;
	struct lab_ghost *g;

	LAB_HELD(&lab->socks_lk);
	if (getsockname(fd, (struct sockaddr *)&a, &al) == -1 ||
	    (a.ss_family != AF_INET && a.ss_family != AF_INET6))
		return;
	netstate_addr(&a, &local);
	/* A socket whose both FINs are through is no longer connected:
	 * its peer is known only to whoever kept it. */
	if (getpeername(fd, (struct sockaddr *)&b, &bl) == 0)
		netstate_addr(&b, &far);
	else if (peer != NULL && peer->port != 0 &&
	    peer->family == local.family)
		far = *peer;
	else
		return;
	if (lab->nghosts == LAB_GHOSTS_MAX) {
		memmove(&lab->ghosts[0], &lab->ghosts[1],
		    (LAB_GHOSTS_MAX - 1) * sizeof lab->ghosts[0]);
		lab->nghosts--;
	}
	g = &lab->ghosts[lab->nghosts++];
	g->local = local;
	g->peer = far;
	g->both = both;
	g->lesson = lesson;
	g->world = lab_wire_world_of(lab, fd);
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

/* lab_wire.c - the lab's side of the wire: which network the lesson's
 * sockets are made in (the machine's loopback or the private network of
 * netns.h), the capture of the private one, and the ties between the
 * segments captured and the calls that sent them.
 *
 * A segment is the call's when the call's side sent it and it is what
 * the call asks the kernel to send: the SYN of a connect, the data of a
 * send, the datagram of a sendto, the FIN or RST of a close or shutdown.
 * Everything else (the SYN+ACK, the ACKs, a retransmission, a window
 * update) the kernel sends on its own, and stays tagged CAPTURE_KERNEL.
 * The bartender's segments are those from the bar's port.
 *
 * The capture is read here, without blocking, each time the lab posts an
 * event (and by anyone else who polls its descriptor): each event names
 * the segments seen since the one before. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "capture.h"
#include "lab_int.h"
#include "netns.h"
#include "netstate.h"
#include "util.h"

struct lab_wire {
	struct netns *netns;	/* borrowed; NULL: the machine only */
	struct capture *cap;	/* NULL without netns */
	atomic_int world;	/* enum lab_world */
	pthread_mutex_t mark_lk;	/* guards mark */
	uint64_t mark;		/* segments before it went to an event */
	/* The private network's kernel tables are asked through a
	 * netlink socket made there: one, kept, used under nl_lk (a
	 * leaf lock) by whichever thread takes a snapshot.  A question
	 * that fails closes it, so that no answer left half read can
	 * mislead the next; the next question makes a new one. */
	pthread_mutex_t nl_lk;
	int nl;
	uint64_t machine;	/* this computer's network's cookie; 0:
				 * unknown (SO_NETNS_COOKIE, Linux 5.14) */
};

/* The cookie of the network fd's socket lives in (fd -1: this
 * process's own network); 0 when the kernel does not say. */
static uint64_t
netns_cookie_of(int fd)
{
	uint64_t cookie = 0;
#ifdef SO_NETNS_COOKIE
	socklen_t len = sizeof cookie;
	int s = fd != -1 ? fd : socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s == -1 || getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie,
	    &len) == -1)
		cookie = 0;
	if (fd == -1 && s != -1)
		close(s);
#else
	(void)fd;
#endif
	return cookie;
}

struct lab_wire *
lab_wire_new(struct netns *ns)
{
	struct lab_wire *w = xcalloc(1, sizeof *w);
	int fd;

	pthread_mutex_init(&w->mark_lk, NULL);
	pthread_mutex_init(&w->nl_lk, NULL);
	w->nl = -1;
	atomic_init(&w->world, LAB_WORLD_MACHINE);
	w->mark = 1;
	if (ns == NULL)
		return w;
	w->machine = netns_cookie_of(-1);
	fd = netns_capture(ns, CAPTURE_SNAP);
	if (fd == -1)
		return w;	/* no capture: no private world either */
	w->netns = ns;
	w->cap = capture_new(netns_high_fd(fd));
	return w;
}

void
lab_wire_free(struct lab_wire *w)
{
	if (w == NULL)
		return;
	capture_free(w->cap);
	if (w->nl != -1)
		close(w->nl);
	pthread_mutex_destroy(&w->nl_lk);
	pthread_mutex_destroy(&w->mark_lk);
	free(w);
}

int
lab_wire_socket(struct lab *lab, int family, int type)
{
	struct lab_wire *w = lab->wire;

	if (atomic_load(&w->world) == LAB_WORLD_PRIVATE)
		return netns_socket(w->netns, family, type | SOCK_NONBLOCK, 0);
	return socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

enum lab_world
lab_wire_world_of(struct lab *lab, int fd)
{
	struct lab_wire *w = lab->wire;
	uint64_t c;

	if (w->cap == NULL || w->machine == 0)
		return LAB_WORLD_MACHINE;
	c = netns_cookie_of(fd);
	return c != 0 && c != w->machine ? LAB_WORLD_PRIVATE :
	    LAB_WORLD_MACHINE;
}

/* The kept netlink socket, made on first need; with nl_lk held.  -1
 * when the helper cannot make one. */
static int
nl_socket(struct lab_wire *w)
{
	int fd;

	if (w->nl != -1)
		return w->nl;
	/* Out of the range of the lesson's descriptors, whose numbers
	 * the lessons show. */
	fd = netns_socket(w->netns, AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
	if (fd != -1)
		w->nl = netns_high_fd(fd);
	return w->nl;
}

/* A question failed: its socket goes, with whatever it still holds. */
static void
nl_drop(struct lab_wire *w)
{
	close(w->nl);
	w->nl = -1;
}

int
lab_wire_fdless(struct lab *lab, const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max)
{
	struct lab_wire *w = lab->wire;
	int n = -1;

	if (atomic_load(&w->world) != LAB_WORLD_PRIVATE)
		return netstate_fdless(bars, nbars, out, max);
	/* The kernel tables of the private network answer only a socket
	 * made there. */
	pthread_mutex_lock(&w->nl_lk);
	if (nl_socket(w) != -1) {
		n = netstate_fdless_nl(w->nl, bars, nbars, out, max);
		if (n < 0)
			nl_drop(w);
	}
	pthread_mutex_unlock(&w->nl_lk);
	return n < 0 ? 0 : n;
}

int
lab_wire_lookup(struct lab *lab, enum lab_world world,
    struct netstate_conn *conns, bool *found, size_t n)
{
	struct lab_wire *w = lab->wire;
	int r = -1;

	if (world != LAB_WORLD_PRIVATE)
		return netstate_lookup(conns, found, n);
	if (n == 0)
		return 0;
	pthread_mutex_lock(&w->nl_lk);
	if (nl_socket(w) != -1) {
		r = netstate_lookup_nl(w->nl, conns, found, n);
		if (r < 0)
			nl_drop(w);
	}
	pthread_mutex_unlock(&w->nl_lk);
	return r;
}

struct wire_match {
	enum lab_side side;
	enum lab_call call;
	uint16_t bar;		/* the bar's port, 0 when it has none */
};

static bool
matches(const struct segment *s, void *arg)
{
	const struct wire_match *m = arg;
	bool server = m->bar != 0 && s->sport == m->bar;
	bool tcp = s->proto == IPPROTO_TCP;

	if (server != (m->side == LAB_SERVER))
		return false;
	switch (m->call) {
	case LAB_CALL_CONNECT:
	case LAB_CALL_CROWD:
		return tcp && (s->flags & (SEGMENT_SYN | SEGMENT_ACK)) ==
		    SEGMENT_SYN;
	case LAB_CALL_SEND:
		return tcp && s->len > 0;
	case LAB_CALL_SENDTO:
		return !tcp;
	case LAB_CALL_CLOSE:
	case LAB_CALL_SHUTDOWN:
		return tcp && (s->flags & (SEGMENT_FIN | SEGMENT_RST)) != 0;
	default:
		return false;
	}
}

void
lab_wire_event(struct lab *lab, struct lab_event *ev)
{
	struct lab_wire *w = lab->wire;
	struct wire_match m;
	uint64_t from, to;

	if (w->cap == NULL)
		return;
	pthread_mutex_lock(&w->mark_lk);
	to = capture_pump(w->cap, CAPTURE_KERNEL);
	from = w->mark;
	w->mark = to;
	pthread_mutex_unlock(&w->mark_lk);
	ev->seg_from = from;
	ev->seg_to = to;
	if (from == to || ev->kind != LAB_EV_CALL)
		return;
	lab_lock_take(&lab->socks_lk);
	m.bar = lab->bars[0].port;
	lab_lock_give(&lab->socks_lk);
	m.side = ev->side;
	m.call = ev->call;
	capture_retag(w->cap, from, to, LAB_WIRE_TAG(ev->side, ev->call),
	    matches, &m);
}

bool
lab_set_world(struct lab *lab, enum lab_world world)
{
	struct lab_wire *w = lab->wire;

	if (world == LAB_WORLD_PRIVATE && w->cap == NULL) {
		atomic_store(&w->world, LAB_WORLD_MACHINE);
		return false;
	}
	atomic_store(&w->world, world);
	return true;
}

enum lab_world
lab_world(struct lab *lab)
{
	return (enum lab_world)atomic_load(&lab->wire->world);
}

struct capture *
lab_capture(struct lab *lab)
{
	return lab->wire->cap;
}

bool
lab_wire_tag(unsigned tag, enum lab_side *side, enum lab_call *call)
{
	unsigned c;

	if (tag == CAPTURE_KERNEL)
		return false;
	c = (tag - 1) / 2;
	if (c >= LAB_CALL_COUNT)
		return false;
	*call = (enum lab_call)c;
	*side = (tag - 1) % 2 ? LAB_CLIENT : LAB_SERVER;
	return true;
}

/* lab_call.c - the lesson's calls, one function each, in a table indexed
 * by the call.  Each runs on its side's worker, is entered and left with
 * no lock held, makes its system call unlocked, and takes socks_lk only
 * for the named moments it reads or changes the lab's socket lists (see
 * the rule at the top of lab.c).  A call fills the event that lab_call_run
 * then posts; a wait that the lab cancels posts its own event instead. */
#include "config.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lab_call_int.h"
#include "netstate.h"
#include "util.h"

#define CONNECT_GRACE_MS 100	/* a connect slower than this "blocks" */

/* ---- the socket lists (socks_lk held) ---- */

static struct lsock *
sock_add(struct lab *lab, int fd, enum lab_role role, enum lab_side side)
{
	struct lsock *s = xcalloc(1, sizeof *s), **pp;

	LAB_HELD(&lab->socks_lk);
	s->id = atomic_fetch_add(&lab->next_id, 1) + 1;
	s->fd = fd;
	s->role = role;
	s->side = side;
	s->lesson = atomic_load(&lab->lesson);
	for (pp = &lab->socks; *pp != NULL; pp = &(*pp)->next)
		continue;
	*pp = s;
	return s;
}

/* True when another of the lab's descriptors refers to the same socket
 * as s (after dup): closing s then ends nothing.  socks_lk held. */
static bool
still_shared(struct lab *lab, const struct lsock *s)
{
	struct stat a, b;
	struct lsock *t;

	LAB_HELD(&lab->socks_lk);
	if (fstat(s->fd, &a) == -1)
		return false;
	for (t = lab->socks; t != NULL; t = t->next)
		if (t != s && fstat(t->fd, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return true;
	return false;
}

/* Closes and forgets s (a lesson socket). */
static void
sock_drop(struct lab *lab, struct lsock *s)
{
	struct lsock **pp, *t;

	LAB_HELD(&lab->socks_lk);
	for (pp = &lab->socks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	if (lab->listener == s) {
		lab_bar_unwatch(lab, s->fd);
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
	/* What is left of the connection is followed once, by the last
	 * descriptor's close. */
	if (!still_shared(lab, s))
		lab_snap_ghost(lab, s->fd, false, s->lesson, NULL);
	lab_xclose(s->fd);
	free(s);
}

void
lab_call_close_side(struct lab *lab, enum lab_side side)
{
	struct lsock *s, *next;

	lab_lock_take(&lab->socks_lk);
	for (s = lab->socks; s != NULL; s = next) {
		next = s->next;
		if (s->side == side)
			sock_drop(lab, s);
	}
	if (side == LAB_SERVER) {
		lab->serving = false;
		lab->serve_one = false;
		lab->has_from = false;
	}
	lab_lock_give(&lab->socks_lk);
	if (side == LAB_SERVER)
		lab_bar_reset(lab);
}

/* ---- the calls: 0 when the event is to be posted, -1 when a cancelled
 * wait has posted its own ---- */

/* socket(): a new socket replaces the side's previous one. */
static int
call_socket(struct call *c)
{
	const struct lab_cmd *cmd = c->cmd;
	struct lab *lab = c->lab;
	int family = cmd->family != 0 ? cmd->family : lab->family;
	int type = cmd->type != 0 ? cmd->type : SOCK_STREAM;
	int fd = lab_wire_socket(lab, family, type);
	struct lsock *old, *s;

	set_err(c->ev, fd);
	c->ev->fd = fd;
	c->ev->num = type;
	c->ev->addr.family = family;
	if (fd == -1)
		return 0;
	lab_lock_take(&lab->socks_lk);
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
	lab_lock_give(&lab->socks_lk);
	return 0;
}

/* setsockopt(): one of labcmd.c's options, with the value the lesson
 * gave.  SO_LINGER takes a struct linger (on, that many seconds) and
 * SO_RCVTIMEO a struct timeval; the lab's own waits then honour it. */
static int
call_setsockopt(struct call *c)
{
	const struct lab_sockopt *o = lab_sockopt_by_name(c->cmd->num >= 0 ?
	    c->cmd->num : SO_REUSEADDR);
	struct linger lg;
	struct timeval tv;
	int v = c->cmd->value, r;

	assert(o != NULL);	/* lab_cmd_parse knows only these */
	c->ev->num = o->name;
	c->ev->value = v;
	if (o->name == SO_LINGER) {
		lg.l_onoff = 1;
		lg.l_linger = v;
		r = setsockopt(c->fd, o->level, o->name, &lg, sizeof lg);
	} else if (o->name == SO_RCVTIMEO) {
		tv.tv_sec = v;
		tv.tv_usec = 0;
		r = setsockopt(c->fd, o->level, o->name, &tv, sizeof tv);
	} else {
		r = setsockopt(c->fd, o->level, o->name, &v, sizeof v);
	}
	set_err(c->ev, r);
	if (r == 0 && o->name == SO_RCVTIMEO && c->s != NULL) {
		lab_lock_take(&c->lab->socks_lk);
		c->s->rcvtimeo_ms = v * 1000;
		lab_lock_give(&c->lab->socks_lk);
	}
	return 0;
}

/* fcntl(F_SETFL, O_NONBLOCK).  The lab's descriptors never block
 * anyway; the flag tells the lab's own waits to fail at once instead. */
static int
call_fcntl(struct call *c)
{
	if (c->s == NULL) {
		c->ev->ret = -1;
		c->ev->err = EBADF;
		return 0;
	}
	lab_lock_take(&c->lab->socks_lk);
	c->s->nonblock = true;
	lab_lock_give(&c->lab->socks_lk);
	c->ev->ret = 0;
	return 0;
}

/* dup(): a second descriptor for the bartender's connection (or the
 * customer's socket).  It becomes the side's current one, so that the
 * next "close" gives up the copy and the first still holds the socket:
 * no FIN leaves until both are closed. */
static int
call_dup(struct call *c)
{
	int r;

	if (c->s == NULL) {
		c->ev->ret = -1;
		c->ev->err = EBADF;
		return 0;
	}
	r = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
	set_err(c->ev, r);
	if (r == -1)
		return 0;
	lab_lock_take(&c->lab->socks_lk);
	if (c->cmd->side == LAB_SERVER)
		c->lab->conn = sock_add(c->lab, r, LAB_ROLE_CONN, LAB_SERVER);
	else
		c->lab->client = sock_add(c->lab, r, LAB_ROLE_CLIENT,
		    LAB_CLIENT);
	lab_lock_give(&c->lab->socks_lk);
	return 0;
}

/* Waits for c's socket as the lesson set it up: 0 when ready, -1 when
 * cancelled, 1 when the call must fail with EAGAIN (O_NONBLOCK, or
 * SO_RCVTIMEO ran out on a receive). */
static int
wait_as_set(struct call *c, short events, int grace_ms, bool receive)
{
	int limit = -1;

	lab_lock_take(&c->lab->socks_lk);
	if (c->s != NULL && c->s->nonblock)
		limit = 0;
	else if (c->s != NULL && receive && c->s->rcvtimeo_ms > 0)
		limit = c->s->rcvtimeo_ms;
	lab_lock_give(&c->lab->socks_lk);
	if (limit == 0)
		return 1;
	return lab_wait_ready_for(c->lab, c->cmd->side, c->epoch, c->ev,
	    events, grace_ms, limit);
}

static int
call_accept(struct call *c)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r, w;

	for (;;) {
		sl = sizeof ss;
		r = accept4(c->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		/* Guests wait: a guest first in the queue is set aside. */
		if (r >= 0 && lab_bar_hold(c->lab, r, &ss))
			continue;
		if (r >= 0 || (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED))
			break;
		if (errno != EAGAIN)
			continue;
		w = wait_as_set(c, POLLIN, 0, true);
		if (w == -1)
			return -1;
		if (w == 1) {
			errno = EAGAIN;
			break;
		}
	}
	set_err(c->ev, r);
	if (r < 0)
		return 0;
	c->ev->has_addr = true;
	netstate_addr(&ss, &c->ev->addr);
	lab_lock_take(&c->lab->socks_lk);
	c->lab->conn = sock_add(c->lab, r, LAB_ROLE_CONN, LAB_SERVER);
	lab_lock_give(&c->lab->socks_lk);
	return 0;
}

static int
call_serve(struct call *c)
{
	c->ev->ret = 0;
	c->ev->num = c->cmd->serve;
	lab_lock_take(&c->lab->socks_lk);
	c->lab->serving = true;
	c->lab->serve_one = c->cmd->serve == LAB_SERVE_ONE;
	lab_lock_give(&c->lab->socks_lk);
	return 0;
}

static int
call_connect(struct call *c)
{
	struct lab_event *ev = c->ev;
	struct sockaddr_storage ss;
	socklen_t sl = bar_addr(c->lab, c->cmd, c->fd, &ss);
	socklen_t el;
	int e = 0;

	if (sl == 0) {
		ev->ret = -1;
		ev->err = EINVAL;
		return 0;
	}
	ev->has_addr = true;
	netstate_addr(&ss, &ev->addr);
	while ((ev->ret = connect(c->fd, (struct sockaddr *)&ss, sl)) == -1 &&
	    errno == EINTR)
		continue;
	ev->err = ev->ret == -1 ? errno : 0;
	if (ev->ret == 0 || ev->err != EINPROGRESS)
		return 0;
	switch (wait_as_set(c, POLLOUT, CONNECT_GRACE_MS, false)) {
	case -1:
		return -1;
	case 1:
		return 0;	/* O_NONBLOCK: EINPROGRESS, as C sees it */
	}
	el = sizeof e;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1)
		e = errno;
	ev->ret = e == 0 ? 0 : -1;
	ev->err = e;
	return 0;
}

/* crowd: num more customers connect at once, without waiting. */
static int
call_crowd(struct call *c)
{
	struct lab_event *ev = c->ev;
	struct sockaddr_storage ss;
	struct lab_cmd plain = *c->cmd;
	socklen_t sl;
	int i, fd, n = c->cmd->num > 0 ? c->cmd->num : 1;

	plain.port = -1;
	plain.addr[0] = '\0';
	sl = bar_addr(c->lab, &plain, -1, &ss);
	ev->has_addr = true;
	netstate_addr(&ss, &ev->addr);
	ev->fd = -1;
	ev->num = n;
	ev->ret = 0;
	for (i = 0; i < n; i++) {
		fd = lab_wire_socket(c->lab, ss.ss_family, SOCK_STREAM);
		if (fd == -1) {
			set_err(ev, -1);
			break;
		}
		if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
		    errno != EINPROGRESS && errno != EINTR) {
			ev->err = errno;
			lab_xclose(fd);
			continue;
		}
		lab_lock_take(&c->lab->socks_lk);
		sock_add(c->lab, fd, LAB_ROLE_CLIENT, LAB_CLIENT);
		lab_lock_give(&c->lab->socks_lk);
		ev->ret++;
	}
	return 0;
}

/* Where a sendto goes: the bartender for the customer, whoever wrote
 * last for the bartender.  Returns the length, 0 for none. */
static socklen_t
sendto_addr(struct call *c, struct sockaddr_storage *to)
{
	socklen_t tolen = 0;

	if (c->cmd->side == LAB_CLIENT)
		return bar_addr(c->lab, c->cmd, c->fd, to);
	lab_lock_take(&c->lab->socks_lk);
	if (c->lab->has_from) {
		*to = c->lab->from;
		tolen = c->lab->fromlen;
	}
	lab_lock_give(&c->lab->socks_lk);
	return tolen;
}

/* What an I/O call did, written back to the lab's lists. */
static void
io_account(struct call *c, ssize_t r, bool out,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	struct lab *lab = c->lab;

	lab_lock_take(&lab->socks_lk);
	if (r >= 0 && c->cmd->call == LAB_CALL_RECVFROM &&
	    c->cmd->side == LAB_SERVER && c->ev->has_addr) {
		/* server sendto answers whoever wrote last. */
		lab->from = *from;
		lab->fromlen = fromlen;
		lab->has_from = true;
	}
	if (r > 0 && c->s != NULL) {
		if (out)
			c->s->bytes_out += (uint64_t)r;
		else
			c->s->bytes_in += (uint64_t)r;
	}
	lab_lock_give(&lab->socks_lk);
}

/* "fill": send() 64 KiB at a time until the kernel takes no more
 * (EAGAIN), so that the learner sees the window close and the send
 * queue grow.  Never waits; ret is the total taken. */
static int
fill(struct call *c)
{
	char chunk[65536];
	struct lab_event *ev = c->ev;
	long total = 0;
	ssize_t r;

	memset(chunk, 'x', sizeof chunk);
	util_escape(chunk, 8, ev->data, sizeof ev->data);
	ev->num = (long)sizeof chunk;
	while ((r = send(c->fd, chunk, sizeof chunk,
	    MSG_DONTWAIT | MSG_NOSIGNAL)) > 0 || (r == -1 && errno == EINTR))
		if (r > 0)
			total += r;
	if (r == -1 && errno != EAGAIN && total == 0) {
		set_err(ev, -1);
		return 0;
	}
	ev->ret = total;
	ev->err = 0;
	io_account(c, total, true, NULL, 0);
	return 0;
}

/* A call that may wait for its socket: send/sendto (a full buffer),
 * recv/recvfrom (no data). */
static int
call_io(struct call *c)
{
	const struct lab_cmd *cmd = c->cmd;
	struct lab_event *ev = c->ev;
	bool out = cmd->call == LAB_CALL_SEND || cmd->call == LAB_CALL_SENDTO;
	struct sockaddr_storage to, from;
	socklen_t tolen = 0, fromlen = 0;
	char buf[65536];
	size_t want = cmd->num > 0 ? (size_t)cmd->num : 1024;
	ssize_t r;

	if (want > sizeof buf)
		want = sizeof buf;
	if (cmd->call == LAB_CALL_SENDTO && (tolen = sendto_addr(c, &to)) > 0) {
		ev->has_addr = true;
		netstate_addr(&to, &ev->addr);
	}
	if (cmd->fill)
		return fill(c);
	if (out) {
		ev->num = (long)cmd->textlen;
		util_escape(cmd->text, cmd->textlen, ev->data,
		    sizeof ev->data);
	} else {
		ev->num = (long)want;
	}
	if (cmd->call == LAB_CALL_SENDTO)
		lab_call_home_unbound(c);
	for (;;) {
		fromlen = sizeof from;
		if (cmd->call == LAB_CALL_SENDTO)
			r = sendto(c->fd, cmd->text, cmd->textlen,
			    MSG_DONTWAIT | MSG_NOSIGNAL, tolen > 0 ?
			    (struct sockaddr *)&to : NULL, tolen);
		else if (out)
			r = send(c->fd, cmd->text, cmd->textlen,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			r = recvfrom(c->fd, buf, want, MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fromlen);
		if (r >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (errno == EAGAIN) {
			int w = wait_as_set(c, out ? POLLOUT : POLLIN, 0,
			    !out);

			if (w == -1)
				return -1;
			if (w == 1) {
				errno = EAGAIN;
				break;
			}
		}
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
	io_account(c, r, out, &from, fromlen);
	return 0;
}

static int
call_shutdown(struct call *c)
{
	c->ev->num = c->cmd->num >= 0 ? c->cmd->num : SHUT_WR;
	set_err(c->ev, shutdown(c->fd, (int)c->ev->num));
	return 0;
}

static int
call_close(struct call *c)
{
	if (c->s == NULL) {
		c->ev->ret = -1;
		c->ev->err = EBADF;
		return 0;
	}
	lab_lock_take(&c->lab->socks_lk);
	sock_drop(c->lab, c->s);
	lab_lock_give(&c->lab->socks_lk);
	c->s = NULL;
	c->ev->ret = 0;
	return 0;
}

static int (*const calls[LAB_CALL_COUNT])(struct call *) = {
	[LAB_CALL_SOCKET] = call_socket,
	[LAB_CALL_SETSOCKOPT] = call_setsockopt,
	[LAB_CALL_BIND] = call_bind,
	[LAB_CALL_LISTEN] = call_listen,
	[LAB_CALL_ACCEPT] = call_accept,
	[LAB_CALL_CONNECT] = call_connect,
	[LAB_CALL_SEND] = call_io,
	[LAB_CALL_RECV] = call_io,
	[LAB_CALL_SHUTDOWN] = call_shutdown,
	[LAB_CALL_CLOSE] = call_close,
	[LAB_CALL_SERVE] = call_serve,
	[LAB_CALL_SENDTO] = call_io,
	[LAB_CALL_RECVFROM] = call_io,
	[LAB_CALL_GETADDRINFO] = call_getaddrinfo,
	[LAB_CALL_CROWD] = call_crowd,
	[LAB_CALL_FCNTL] = call_fcntl,
	[LAB_CALL_DUP] = call_dup,
};

/* The socket a command acts on; socks_lk held. */
static struct lsock *
target(struct lab *lab, const struct lab_cmd *cmd)
{
	bool server = cmd->side == LAB_SERVER;

	LAB_HELD(&lab->socks_lk);
	switch (cmd->call) {
	case LAB_CALL_SETSOCKOPT:
		/* Options for the conversation go on the bartender's
		 * connection when he has one; the others, before bind(),
		 * on his listener (accepted sockets inherit them). */
		if (server && lab->conn != NULL &&
		    cmd->num != SO_REUSEADDR && cmd->num != IPV6_V6ONLY)
			return lab->conn;
		return server ? lab->listener : lab->client;
	case LAB_CALL_BIND:
	case LAB_CALL_LISTEN:
	case LAB_CALL_ACCEPT:
	case LAB_CALL_SERVE:
	case LAB_CALL_SENDTO:	/* UDP: the bartender's one socket */
	case LAB_CALL_RECVFROM:
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

void
lab_call_run(struct lab *lab, const struct lab_cmd *cmd, bool replay,
    unsigned epoch)
{
	struct lab_event ev;
	struct call c = { lab, cmd, &ev, NULL, -1, epoch };
	uint64_t t0;
	int r;

	LAB_NOT_HELD(&lab->socks_lk);
	lab_lock_take(&lab->socks_lk);
	c.s = target(lab, cmd);
	c.fd = c.s != NULL ? c.s->fd : -1;
	lab_lock_give(&lab->socks_lk);
	lab_ev_init(&ev, LAB_EV_CALL, cmd->side, cmd->call, c.fd, replay);
	t0 = util_now_us();
	if ((unsigned)cmd->call < LAB_CALL_COUNT && calls[cmd->call] != NULL) {
		r = calls[cmd->call](&c);
	} else {
		ev.ret = -1;
		ev.err = EINVAL;
		r = 0;
	}
	LAB_NOT_HELD(&lab->socks_lk);
	if (r == -1)
		return;
	ev.duration_us = util_now_us() - t0;
	/* Idle as the event goes out, so that whoever reads the event
	 * also sees whether the lab has settled (lab_settled). */
	lab_emit(lab, &ev, W_IDLE);
}

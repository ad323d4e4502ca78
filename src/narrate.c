/* narrate.c - words for what the lab reports, in the current language.
 *
 * The lab's events carry codes and numbers only; this module turns them
 * into sentences for the curses UI and plain mode.  Names that are never
 * translated (calls, errno names, TCP states, addresses) come from the
 * core; everything said about them goes through gettext here. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fill.h"
#include "i18n.h"
#include "narrate.h"
#include "util.h"

static const char *
side_name(enum lab_side side)
{
	return side == LAB_SERVER ? _("The bartender") : _("The customer");
}

/* True when the event's snapshot shows its socket without a peer: a
 * socket that is not (or no longer) connected. */
static bool
unconnected(const struct lab_event *ev)
{
	size_t i;

	if (ev->fd < 0)
		return false;
	for (i = 0; i < ev->snap.n; i++)
		if (ev->snap.socks[i].fd == ev->fd)
			return !ev->snap.socks[i].has_peer;
	return false;
}

/* The sentence for a setsockopt() other than IPV6_V6ONLY. */
static void
sockopt_ok(const struct lab_event *ev, const char *who, char *buf,
    size_t len)
{
	unsigned long v = (unsigned long)ev->value;

	switch (ev->num) {
	case SO_KEEPALIVE:
		snprintf(buf, len, _("%s asked the kernel to probe the "
		    "connection with keepalive when it stays idle."), who);
		break;
	case SO_LINGER:
		if (v == 0)
			snprintf(buf, len, _("%s's next close() will abort the "
			    "connection: a reset, no FIN, no TIME_WAIT."), who);
		else
			snprintf(buf, len, P_("%1$s's next close() will wait up "
			    "to %2$lu second for unsent bytes to leave.",
			    "%1$s's next close() will wait up to %2$lu seconds "
			    "for unsent bytes to leave.", v), who, v);
		break;
	case SO_RCVTIMEO:
		snprintf(buf, len, P_("%1$s's recv() now gives up after %2$lu "
		    "second with EAGAIN.", "%1$s's recv() now gives up after "
		    "%2$lu seconds with EAGAIN.", v), who, v);
		break;
	case TCP_KEEPIDLE:
		snprintf(buf, len, P_("%1$s's first keepalive probe goes out "
		    "after %2$lu second of silence.", "%1$s's first keepalive "
		    "probe goes out after %2$lu seconds of silence.", v), who,
		    v);
		break;
	case TCP_KEEPINTVL:
		snprintf(buf, len, P_("%1$s sends the next probes %2$lu second "
		    "apart.", "%1$s sends the next probes %2$lu seconds apart.",
		    v), who, v);
		break;
	case TCP_KEEPCNT:
		snprintf(buf, len, P_("%1$s gives the connection up after "
		    "%2$lu unanswered probe.", "%1$s gives the connection up "
		    "after %2$lu unanswered probes.", v), who, v);
		break;
	case TCP_SYNCNT:
		snprintf(buf, len, P_("%1$s's connect() now sends the SYN "
		    "again at most %2$lu time, then fails with ETIMEDOUT.",
		    "%1$s's connect() now sends the SYN again at most %2$lu "
		    "times, then fails with ETIMEDOUT.", v), who, v);
		break;
	case TCP_NODELAY:
		snprintf(buf, len, _("%s turned Nagle's algorithm off: small "
		    "writes now leave at once, without waiting for the "
		    "acknowledgement of the last one."), who);
		break;
	case TCP_USER_TIMEOUT:
		snprintf(buf, len, _("%1$s gives the connection up when sent "
		    "bytes stay unacknowledged for %2$lu ms."), who, v);
		break;
	default:
		snprintf(buf, len, _("%s may reuse the address at once, even "
		    "while old connections linger in TIME_WAIT."), who);
	}
}

/* The sentence for a call that returned without an error. */
/* What a call that moved bytes did (send, recv, sendto, recvfrom). */
static void
io_ok(const struct lab_event *ev, const char *who, const char *addr,
    char *buf, size_t len)
{
	switch (ev->call) {
	case LAB_CALL_SEND:
		if (ev->ret > ev->num)	/* "fill": chunk after chunk */
			snprintf(buf, len, _("%1$s sent %2$ld bytes, 64 KiB at "
			    "a time, until the kernel would take no more: the "
			    "buffers are full and the window is closed."), who,
			    ev->ret);
		else
			snprintf(buf, len, P_("%1$s handed %2$ld byte to the "
			    "kernel, which sends it on.", "%1$s handed %2$ld "
			    "bytes to the kernel, which sends them on.",
			    (unsigned long)ev->ret), who, ev->ret);
		break;
	case LAB_CALL_RECV:
		if (ev->ret == 0 && unconnected(ev))
			/* Linux answers recv() with 0 on a socket whose
			 * connect() failed: there is no stream to end. */
			snprintf(buf, len, _("%s read 0 bytes: this socket is "
			    "not connected to anybody, so there is no other "
			    "side and nothing to read."), who);
		else if (ev->ret == 0)
			snprintf(buf, len, _("%s read 0 bytes: the other side "
			    "has closed its end (end of stream)."), who);
		else
			snprintf(buf, len, P_("%1$s read %2$ld byte that was "
			    "waiting in its receive queue.", "%1$s read %2$ld "
			    "bytes that were waiting in its receive queue.",
			    (unsigned long)ev->ret), who, ev->ret);
		break;
	case LAB_CALL_SENDTO:
		snprintf(buf, len, P_("%1$s sent a datagram of %2$ld byte to "
		    "%3$s: no connection, no guarantee it arrives.", "%1$s "
		    "sent a datagram of %2$ld bytes to %3$s: no connection, "
		    "no guarantee it arrives.", (unsigned long)ev->ret), who,
		    ev->ret, addr);
		break;
	case LAB_CALL_RECVFROM:
		snprintf(buf, len, P_("%1$s received one datagram of %2$ld "
		    "byte from %3$s, whole, with its sender's address.",
		    "%1$s received one datagram of %2$ld bytes from %3$s, "
		    "whole, with its sender's address.",
		    (unsigned long)ev->ret), who, ev->ret, addr);
		break;
	default:
		break;
	}
}

static void
call_ok(const struct lab_event *ev, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *who = side_name(ev->side);

	lab_format_addr(&ev->addr, addr, sizeof addr);
	switch (ev->call) {
	case LAB_CALL_SOCKET:
		/* TRANSLATORS: %1$s is "The bartender" or "The customer",
		 * %2$ld a file descriptor number. */
		snprintf(buf, len, _("%1$s has a new socket: file descriptor "
		    "%2$ld. It has no address yet."), who, ev->ret);
		break;
	case LAB_CALL_SETSOCKOPT:
		if (ev->num == IPV6_V6ONLY && ev->value == 0)
			snprintf(buf, len, _("%s now takes IPv4 customers too "
			    "on the IPv6 socket, seen as ::ffff:a.b.c.d."), who);
		else if (ev->num == IPV6_V6ONLY)
			snprintf(buf, len, _("%s now takes only IPv6 customers "
			    "on this socket."), who);
		else
			sockopt_ok(ev, who, buf, len);
		break;
	case LAB_CALL_BIND:
		snprintf(buf, len, _("%1$s now has the address %2$s: this is "
		    "where customers will find it."), who, addr);
		break;
	case LAB_CALL_LISTEN:
		snprintf(buf, len, _("%1$s is listening: the kernel now "
		    "accepts connections for it, up to a queue of %2$ld."),
		    who, ev->num);
		break;
	case LAB_CALL_ACCEPT:
		snprintf(buf, len, _("%1$s took a customer from %2$s out of "
		    "the queue: the new socket %3$ld is the conversation with "
		    "that customer."), who, addr, ev->ret);
		break;
	case LAB_CALL_CONNECT:
		snprintf(buf, len, _("%1$s is connected to %2$s: the kernel "
		    "completed the handshake."), who, addr);
		break;
	case LAB_CALL_SEND:
	case LAB_CALL_RECV:
	case LAB_CALL_SENDTO:
	case LAB_CALL_RECVFROM:
		io_ok(ev, who, addr, buf, len);
		break;
	case LAB_CALL_SHUTDOWN:
		snprintf(buf, len, _("%s has shut down one direction of the "
		    "connection; the other still works."), who);
		break;
	case LAB_CALL_CLOSE:
		snprintf(buf, len, _("%1$s closed file descriptor %2$d."),
		    who, ev->fd);
		break;
	case LAB_CALL_SERVE:
		if (ev->num == LAB_SERVE_ONE)
			snprintf(buf, len, _("%s now serves one customer at a "
			    "time: the next waits in the queue until this one "
			    "leaves."), who);
		else
			snprintf(buf, len, _("%s now serves every customer who "
			    "comes in, one order at a time."), who);
		break;
	case LAB_CALL_GETADDRINFO:
		if (ev->ret != 0)
			snprintf(buf, len, _("%1$s could not resolve \"%2$s\"."),
			    who, ev->name);
		else
			snprintf(buf, len, _("%1$s resolved \"%2$s\": %3$s "
			    "(%4$ld in all)."), who, ev->name, ev->data,
			    ev->num);
		break;
	case LAB_CALL_CROWD:
		snprintf(buf, len, P_("%1$ld more customer is on the way to "
		    "the bar, with a socket of its own.", "%1$ld more "
		    "customers are on their way to the bar, each with a "
		    "socket of its own.", (unsigned long)ev->ret), ev->ret);
		break;
	case LAB_CALL_DUP:
		snprintf(buf, len, _("%1$s has a second descriptor, %2$ld, "
		    "for the same socket: closing one of the two sends no "
		    "FIN."), who, ev->ret);
		break;
	case LAB_CALL_FCNTL:
		snprintf(buf, len, _("%s's socket is now non-blocking: a call "
		    "that would have to wait fails at once with EAGAIN."),
		    who);
		break;
	default:
		snprintf(buf, len, "%s", lab_call_name(ev->call));
	}
}

/* What the lab said about a guest (a customer from another program). */
static void
guest_news(const struct lab_event *ev, const char *addr, char *buf,
    size_t len)
{
	switch (ev->kind) {
	case LAB_EV_GUEST_ARRIVED:
		if (ev->value == 1)
			snprintf(buf, len, _("Guests wait: accept() set customer "
			    "%1$u (from %2$s) aside, connected but not served, "
			    "and goes on waiting for the lab's own customer."),
			    ev->guest, addr);
		else if (ev->value == 2)
			snprintf(buf, len, _("Guests wait is off: customer %1$u "
			    "(from %2$s), set aside until now, is served."),
			    ev->guest, addr);
		else
			snprintf(buf, len, _("A customer came in from %s."),
			    addr);
		break;
	case LAB_EV_GUEST_ORDER:
		snprintf(buf, len, _("Customer %1$u ordered \"%2$s\" and was "
		    "served."), ev->guest, ev->data);
		break;
	case LAB_EV_GUEST_LEFT:
		if (ev->err == ETIMEDOUT)
			snprintf(buf, len, _("Customer %u stayed idle too "
			    "long and was shown the door."), ev->guest);
		else if (ev->err != 0)
			snprintf(buf, len, _("Customer %1$u left abruptly "
			    "(%2$s)."), ev->guest, lab_errno_name(ev->err));
		else
			snprintf(buf, len, _("Customer %u left and closed "
			    "the connection."), ev->guest);
		break;
	case LAB_EV_GUEST_REFUSED:
		snprintf(buf, len, _("The bar is full: a customer from %s "
		    "was turned away."), addr);
		break;
	case LAB_EV_GUEST_HTTP:
		snprintf(buf, len, _("A web browser from %s asked for a page "
		    "and got a short HTTP answer."), addr);
		break;
	default:
		break;
	}
}

char *
narrate_event(const struct lab_event *ev, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN + 8];

	lab_format_addr(&ev->addr, addr, sizeof addr);
	switch (ev->kind) {
	case LAB_EV_CALL:
		if (ev->ret == -1)
			/* TRANSLATORS: %1$s is "The bartender" or "The
			 * customer", %2$s a call name such as connect(), %3$s
			 * an errno name such as ECONNREFUSED. */
			snprintf(buf, len, _("%1$s called %2$s(), which "
			    "failed with %3$s: %4$s"), side_name(ev->side),
			    lab_call_name(ev->call), lab_errno_name(ev->err),
			    narrate_errno(ev->err));
		else
			call_ok(ev, buf, len);
		break;
	case LAB_EV_BLOCKED:
		if (ev->call == LAB_CALL_ACCEPT)
			snprintf(buf, len, _("%s is waiting in accept() for a "
			    "customer. Connect from another terminal, or let "
			    "the lab's customer connect."),
			    side_name(ev->side));
		else if (ev->call == LAB_CALL_RECV)
			snprintf(buf, len, _("%s is waiting in recv(): nothing "
			    "has arrived yet."), side_name(ev->side));
		else
			snprintf(buf, len, _("%1$s is waiting in %2$s()."),
			    side_name(ev->side), lab_call_name(ev->call));
		break;
	case LAB_EV_CANCELLED:
		snprintf(buf, len, _("%1$s stopped waiting in %2$s(): the "
		    "step was left."), side_name(ev->side),
		    lab_call_name(ev->call));
		break;
	case LAB_EV_PORT_FALLBACK:
		/* The event comes before the second bind(), so it cannot
		 * name the free port: the bind() line after it does. */
		snprintf(buf, len, _("Port %1$ld is taken (%2$s), so the "
		    "bartender binds a free port instead: the next bind() "
		    "shows which."), ev->num, lab_errno_name(ev->err));
		break;
	case LAB_EV_GUEST_ARRIVED:
	case LAB_EV_GUEST_ORDER:
	case LAB_EV_GUEST_LEFT:
	case LAB_EV_GUEST_REFUSED:
	case LAB_EV_GUEST_HTTP:
		guest_news(ev, addr, buf, len);
		break;
	case LAB_EV_RESET:
		snprintf(buf, len, _("The lab was reset; the earlier steps "
		    "run again, for real."));
		break;
	case LAB_EV_ADDR_KEPT:
		/* TRANSLATORS: %1$s is a wildcard address, :: or 0.0.0.0;
		 * %2$s the address used instead, such as ::1.  --listen is
		 * an option: keep it. */
		if (ev->call == LAB_CALL_LISTEN)
			snprintf(buf, len, _("Without bind(), listen() would "
			    "take a free port on every address of this "
			    "computer (%1$s), where other computers can "
			    "reach it; the lab binds the bartender to %2$s "
			    "first, and the kernel still picks the port. "
			    "Only --listen=%1$s opens every address."),
			    ev->addr.host, ev->data);
		else
			snprintf(buf, len, _("%1$s means every address of "
			    "this computer, where other computers can reach "
			    "the bartender, so the lab binds him to %2$s "
			    "instead. Only --listen=%1$s opens every "
			    "address."), ev->addr.host, ev->data);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}

struct errtext {
	int err;
	const char *text;
};

static const struct errtext errtexts[] = {
	{ ECONNREFUSED, N_("nobody is listening on that address and port. "
	    "Start the server (bind and listen) before the client "
	    "connects.") },
	{ EADDRINUSE, N_("another socket already holds this address and "
	    "port. Choose another port, close the other socket, or set "
	    "SO_REUSEADDR before bind() when the old one is only in "
	    "TIME_WAIT.") },
	{ EADDRNOTAVAIL, N_("this machine has no such address. Bind an "
	    "address that belongs to one of its interfaces, such as "
	    "127.0.0.1.") },
	{ EINVAL, N_("the call does not fit the socket's state: for "
	    "example bind() on a socket that already has an address, or "
	    "accept() on a socket that is not listening. Check the order "
	    "of the steps.") },
	{ ENOTCONN, N_("the socket is not connected, so there is nobody "
	    "to talk to. Connect it first (client) or use the socket that "
	    "accept() returned (server).") },
	{ EISCONN, N_("the socket is already connected. A TCP socket "
	    "connects once; create a new socket for a new connection.") },
	{ EPIPE, N_("the other side has closed, so nothing more can be "
	    "sent. Without MSG_NOSIGNAL this would also raise SIGPIPE, "
	    "which kills a program that does not expect it.") },
	{ ECONNRESET, N_("the other side reset the connection, for "
	    "example by closing with unread data. Close this socket; "
	    "reconnect if needed.") },
	{ EBADF, N_("that file descriptor is not open, because it was "
	    "never created or it was closed already. Create a new socket.") },
	{ ENOTSOCK, N_("that file descriptor is not a socket.") },
	{ EOPNOTSUPP, N_("this kind of socket cannot do that, as with "
	    "listen() on a UDP socket.") },
	{ EAFNOSUPPORT, N_("this address family is not supported here; "
	    "IPv6 may be disabled on this machine.") },
	{ EACCES, N_("permission denied, because ports below 1024 need "
	    "privileges. Use a port from 1024 up.") },
	{ ETIMEDOUT, N_("the other side did not answer in time. Check "
	    "the address, and that the server is running.") },
	{ EAGAIN, N_("the call would have to wait longer than the socket "
	    "allows, because it is non-blocking or its timeout (SO_RCVTIMEO) ran "
	    "out. Try again when poll() says it is ready.") },
	{ EINPROGRESS, N_("the connection is being set up in the "
	    "background. Wait until poll() says the socket is "
	    "writable.") },
	{ EALREADY, N_("a connection attempt is already in progress on "
	    "this socket.") },
	{ EMFILE, N_("this program has too many open files. Close "
	    "sockets you no longer need, or raise the limit (ulimit "
	    "-n).") },
	{ ENFILE, N_("the whole system has too many open files. Close "
	    "some and try again.") },
	{ ENETUNREACH, N_("no route to that network. Check the "
	    "address.") },
	{ EHOSTUNREACH, N_("that host cannot be reached. Check the "
	    "address.") },
	{ EDESTADDRREQ, N_("the socket has no destination. Connect it "
	    "first, or give the address with sendto().") },
	{ EMSGSIZE, N_("the message is too large to send in one "
	    "datagram.") },
	{ ENOBUFS, N_("the kernel ran out of buffer space. Try again "
	    "shortly.") },
};

const char *
narrate_errno(int err)
{
	size_t i;

	for (i = 0; i < sizeof errtexts / sizeof errtexts[0]; i++)
		if (errtexts[i].err == err)
			return _(errtexts[i].text);
	return _("the kernel refused the call. The man page of the call "
	    "lists what this error means.");
}

const char *
narrate_state(enum lab_tcp state)
{
	static const char *const glosses[] = {
		[LAB_TCP_UNKNOWN] = N_("no TCP state yet"),
		[LAB_TCP_ESTABLISHED] = N_("connected: data can flow both "
		    "ways"),
		[LAB_TCP_SYN_SENT] = N_("asked to connect, waiting for the "
		    "answer"),
		[LAB_TCP_SYN_RECV] = N_("a connection request arrived, "
		    "handshake under way"),
		[LAB_TCP_FIN_WAIT1] = N_("closed this end, waiting for the "
		    "other side to acknowledge"),
		[LAB_TCP_FIN_WAIT2] = N_("closed this end, waiting for the "
		    "other side to close too"),
		[LAB_TCP_TIME_WAIT] = N_("closed; lingering so late packets "
		    "cannot confuse a new connection"),
		[LAB_TCP_CLOSE] = N_("not connected"),
		[LAB_TCP_CLOSE_WAIT] = N_("the other side closed; this side "
		    "should close too"),
		[LAB_TCP_LAST_ACK] = N_("closed after the other side, "
		    "waiting for the last acknowledgement"),
		[LAB_TCP_LISTEN] = N_("waiting for customers"),
		[LAB_TCP_CLOSING] = N_("both sides closed at once"),
	};

	if ((unsigned)state >= sizeof glosses / sizeof glosses[0])
		return "?";
	return _(glosses[state]);
}

const char *
narrate_role(enum lab_role role)
{
	switch (role) {
	case LAB_ROLE_LISTENER: return _("bartender (listening)");
	case LAB_ROLE_CONN: return _("bartender (with a customer)");
	case LAB_ROLE_CLIENT: return _("customer");
	case LAB_ROLE_GUEST: return _("customer from another program");
	case LAB_ROLE_QUEUED: return _("waiting in the accept queue");
	case LAB_ROLE_TIMEWAIT: return _("closed, in TIME_WAIT");
	case LAB_ROLE_KERNEL: return _("kept by the kernel");
	}
	return "?";
}

static char bar_host[INET6_ADDRSTRLEN] = "127.0.0.1";
static struct fill_vars bar_vars = { LAB_DEFAULT_PORT, bar_host };

void
narrate_set_bar(const struct lab_addr *a)
{
	const char *host = a->host;

	if (strcmp(host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		host = "::1";
	if (host[0] != '\0')
		snprintf(bar_host, sizeof bar_host, "%s", host);
	bar_vars.port = a->port;
}

const char *
narrate_lesson(const char *msgid)
{
	static char *ring[16];
	static unsigned next;
	char **slot = &ring[next++ % 16];

	free(*slot);
	*slot = fill_text(_(msgid), &bar_vars);
	return *slot;
}

char *
narrate_fill(const char *text)
{
	return fill_text(text, &bar_vars);
}

/* The listen() backlogs in text replaced by backlog. */
static char *
real_backlog(const char *text, int backlog)
{
	const char *p = text, *at;
	char *out, *o;

	if (backlog <= 0 || strstr(text, "listen(") == NULL)
		return xstrdup(text);
	/* Each replaced number grows by at most the digits of an int. */
	out = xmalloc(strlen(text) * 2 + 64);
	o = out;
	while ((at = strstr(p, "listen(")) != NULL) {
		const char *close = strchr(at, ')'), *d;

		if (close == NULL)
			break;
		d = close;
		while (d > at && d[-1] >= '0' && d[-1] <= '9')
			d--;
		memcpy(o, p, (size_t)(d - p));
		o += d - p;
		if (d != close)
			o += sprintf(o, "%d", backlog);
		p = close;
	}
	strcpy(o, p);
	return out;
}

char *
narrate_real_code(const char *text, int backlog)
{
	char *filled = narrate_fill(text);
	char *out = real_backlog(filled, backlog);

	free(filled);
	return out;
}

const char *
narrate_sock_role(const struct lab_sock *s)
{
	if (s->role != LAB_ROLE_LISTENER || s->state == LAB_TCP_LISTEN)
		return narrate_role(s->role);
	/* The bartender's socket before listen(), or a UDP one that never
	 * listens: calling it "listening" would contradict the lesson. */
	if (!s->has_local)
		return _("bartender (new socket, no address yet)");
	if (s->type == SOCK_DGRAM)
		return _("bartender (UDP: receives datagrams)");
	return _("bartender (bound, not listening yet)");
}

char *
narrate_sock(const struct lab_sock *s, char *buf, size_t len)
{
	char local[INET6_ADDRSTRLEN + 8] = "-", peer[INET6_ADDRSTRLEN + 8];
	char fd[24], extra[96] = "";
	int n;

	if (s->has_local)
		lab_format_addr(&s->local, local, sizeof local);
	if (s->has_peer)
		lab_format_addr(&s->peer, peer, sizeof peer);
	if (s->fd >= 0)
		snprintf(fd, sizeof fd, "fd %d", s->fd);
	else
		/* TRANSLATORS: shown instead of "fd 3" for a connection the
		 * kernel holds without a file descriptor. */
		snprintf(fd, sizeof fd, "%s", _("no fd"));
	if (s->role == LAB_ROLE_LISTENER && s->state == LAB_TCP_LISTEN)
		/* TRANSLATORS: the accept queue of a listening socket:
		 * connections waiting / the backlog. */
		snprintf(extra, sizeof extra, _("  queue %1$u/%2$u"),
		    s->accept_queue, s->backlog);
	else if (s->role == LAB_ROLE_TIMEWAIT)
		snprintf(extra, sizeof extra, _("  %u s left"),
		    (s->timer_ms + 999) / 1000);
	else if (s->state != LAB_TCP_UNKNOWN && s->state != LAB_TCP_CLOSE)
		/* TRANSLATORS: bytes waiting in the receive and send
		 * queues of a socket. */
		snprintf(extra, sizeof extra, _("  in %1$u B, out %2$u B"),
		    s->rx_queue, s->tx_queue);
	n = snprintf(buf, len, "%-8s %-11s %s", fd, lab_tcp_name(s->state),
	    local);
	if (n >= 0 && (size_t)n < len && s->has_peer)
		n += snprintf(buf + n, len - (size_t)n, " <-> %s", peer);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%s", extra);
	return buf;
}

const char *
narrate_port(unsigned port, char *svc, size_t svclen)
{
	struct servent *se;

	if (svclen > 0)
		svc[0] = '\0';
	if (port > 65535)
		return _("not a port: ports are 16-bit numbers, 0 to 65535");
	se = getservbyport(htons((uint16_t)port), "tcp");
	if (se != NULL && svclen > 0)
		snprintf(svc, svclen, "%s", se->s_name);
	if (port == 0)
		return _("port 0: \"any free port\", the kernel picks one");
	if (port <= 1023)
		return _("well-known (0-1023), reserved for standard "
		    "services");
	if (port <= 49151)
		return _("registered (1024-49151), used by applications");
	return _("dynamic or private (49152-65535), for temporary use");
}

int
narrate_ephemeral(unsigned *lo, unsigned *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	int ok;

	if (f == NULL)
		return -1;
	ok = fscanf(f, "%u %u", lo, hi) == 2;
	fclose(f);
	return ok && *lo <= *hi && *hi <= 65535 ? 0 : -1;
}

/* lab_call_addr.c - the addresses of the lesson's calls: bind() and
 * listen(), where the lab's customer finds the bartender, getaddrinfo().
 *
 * The bartender stays on the addresses asked for.  On the machine, a
 * wildcard (0.0.0.0, or :: which is every IPv6 and IPv4 address) would
 * let every computer that reaches this one in; the lab opens one only
 * in its private network, where the wildcard is that network alone, or
 * when --listen names a wildcard of that reach.  Otherwise a lesson's
 * bind to a wildcard goes to the lab's address instead (the --listen
 * address, or the loopback of the socket's family; IPv6 then with
 * IPV6_V6ONLY on), and says so in a LAB_EV_ADDR_KEPT event; and a socket
 * the kernel would bind to the wildcard on its own (listen() or sendto()
 * without bind()) is bound first to that address with port 0, so the
 * kernel still picks the port. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_call_int.h"
#include "netstate.h"
#include "util.h"

/* Keeps a bartender address whose fd-less connections snapshots show;
 * socks_lk held. */
void
remember_bar(struct lab *lab, const struct lab_addr *a)
{
	size_t i;

	LAB_HELD(&lab->socks_lk);
	if (a->port == 0 || (lab->bars[0].port == a->port &&
	    strcmp(lab->bars[0].host, a->host) == 0))
		return;
	for (i = LAB_PORTS_MAX - 1; i > 0; i--)
		lab->bars[i] = lab->bars[i - 1];
	lab->bars[0] = *a;
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

/* The family of fd's socket, or fallback when it cannot be told. */
int
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
 * cmd's addr= and port= replace either part.  Takes socks_lk to read
 * the bar's address. */
socklen_t
bar_addr(struct lab *lab, const struct lab_cmd *cmd, int fd,
    struct sockaddr_storage *ss)
{
	int family = sock_family(fd, lab->family);
	struct lab_addr bound;
	bool has_bound;
	unsigned port;

	lab_lock_take(&lab->socks_lk);
	has_bound = lab->has_bound;
	bound = lab->bound;
	port = has_bound ? bound.port : lab->home_port != 0 ?
	    lab->home_port : lab->cfg.port;
	lab_lock_give(&lab->socks_lk);
	if (cmd->port >= 0)
		port = (unsigned)cmd->port;
	if (cmd->addr[0] == '\0' && has_bound) {
		struct sockaddr_storage b;

		make_addr(&bound, &b);
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
	return build_addr(lab, cmd->addr, family, port, false, ss);
}

/* ---- keeping the bartender on the addresses asked for ---- */

static bool
is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)ss)->sin6_addr);
	return ss->ss_family == AF_INET &&
	    ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
	    htonl(INADDR_ANY);
}

/* True when the lab may open family's wildcard: in the private network,
 * or when --listen asked for :: (every address) or, for IPv4 alone,
 * 0.0.0.0. */
static bool
wildcard_allowed(struct lab *lab, int family)
{
	if (lab_world(lab) == LAB_WORLD_PRIVATE)
		return true;
	if (!is_wildcard(&lab->addr))
		return false;
	return lab->family == AF_INET6 || family == AF_INET;
}

/* Replaces the wildcard in ss (port kept) by the lab's address for its
 * family, tells the learner so (call: what would have bound it), and
 * makes an IPv6 socket IPv6-only: bound to ::1 it could never be
 * dual-stack anyway, and the option says so where it counts.  Returns
 * the new length. */
static socklen_t
keep_home(struct call *c, struct sockaddr_storage *ss, enum lab_call call)
{
	struct lab_event ev;
	struct sockaddr_storage home;
	int family = ss->ss_family, on = 1;
	socklen_t sl;

	lab_ev_init(&ev, LAB_EV_ADDR_KEPT, c->cmd->side, call, c->fd,
	    c->ev->replay);
	ev.has_addr = true;
	netstate_addr(ss, &ev.addr);
	sl = build_addr(c->lab, "", family, 0, false, &home);
	if (family == AF_INET6) {
		((struct sockaddr_in6 *)&home)->sin6_port =
		    ((struct sockaddr_in6 *)ss)->sin6_port;
		(void)setsockopt(c->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof on);
	} else {
		((struct sockaddr_in *)&home)->sin_port =
		    ((struct sockaddr_in *)ss)->sin_port;
	}
	*ss = home;
	{
		struct lab_addr a;

		netstate_addr(ss, &a);
		snprintf(ev.data, sizeof ev.data, "%s", a.host);
	}
	ev.ret = 0;
	lab_emit(c->lab, &ev, -1);
	return sl;
}

/* fd's own address, when it has one of family AF_INET or AF_INET6. */
static bool
unbound(int fd, struct sockaddr_storage *ss)
{
	socklen_t sl = sizeof *ss;

	if (getsockname(fd, (struct sockaddr *)ss, &sl) == -1 ||
	    (ss->ss_family != AF_INET && ss->ss_family != AF_INET6))
		return false;
	return ss->ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)ss)->sin6_port == 0 :
	    ((struct sockaddr_in *)ss)->sin_port == 0;
}

/* An unbound socket that call would bind to the wildcard: bound first
 * to the lab's address, port 0.  quiet: no event (a sendto's address is
 * the kernel's business, and the lesson does not show it). */
static void
home_unbound(struct call *c, enum lab_call call, bool quiet)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if (c->fd < 0 || !unbound(c->fd, &ss) ||
	    wildcard_allowed(c->lab, ss.ss_family))
		return;
	if (quiet)
		sl = build_addr(c->lab, "", ss.ss_family, 0, false, &ss);
	else
		sl = keep_home(c, &ss, call);
	(void)bind(c->fd, (struct sockaddr *)&ss, sl);
}

void
lab_call_home_unbound(struct call *c)
{
	home_unbound(c, LAB_CALL_SENDTO, true);
}

static void
set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

/* A taken port: says so, and binds to a free one instead. */
static void
bind_fallback(struct call *c, struct sockaddr_storage *ss, socklen_t sl)
{
	struct lab_event *ev = c->ev, fb;

	lab_ev_init(&fb, LAB_EV_PORT_FALLBACK, c->cmd->side, c->cmd->call,
	    c->fd, ev->replay);
	fb.num = ev->addr.port;
	fb.err = ev->err;
	fb.ret = -1;
	fb.has_addr = true;
	fb.addr = ev->addr;
	lab_emit(c->lab, &fb, -1);
	/* The bar's own port taken: the spare one lab_new picked (the
	 * door's is the next), else any free one. */
	if (ev->addr.port == c->lab->cfg.port && c->lab->spare_port != 0) {
		set_port(ss, c->lab->spare_port);
		set_err(ev, bind(c->fd, (struct sockaddr *)ss, sl));
		if (ev->ret == 0)
			return;
	}
	set_port(ss, 0);
	set_err(ev, bind(c->fd, (struct sockaddr *)ss, sl));
}

/* bind(): the lab's address and port unless the command names others;
 * a taken port falls back to a free one unless the command is strict.
 * The bar keeps the port it first got, so that restarting the server
 * (lesson 12) or going back a step finds it where the learner saw it. */
int
call_bind(struct call *c)
{
	const struct lab_cmd *cmd = c->cmd;
	struct lab *lab = c->lab;
	struct lab_event *ev = c->ev;
	int family = sock_family(c->fd, lab->family);
	struct sockaddr_storage ss;
	unsigned port, home;
	socklen_t sl;

	lab_lock_take(&lab->socks_lk);
	home = lab->home_port;
	lab_lock_give(&lab->socks_lk);
	port = cmd->port >= 0 ? (unsigned)cmd->port :
	    home != 0 ? home : lab->cfg.port;
	sl = build_addr(lab, cmd->addr, family, port, cmd->nohtons, &ss);
	ev->num = (long)port;
	ev->has_addr = true;
	if (sl == 0) {
		ev->ret = -1;
		ev->err = EINVAL;
		return 0;
	}
	if (is_wildcard(&ss) && !wildcard_allowed(lab, family))
		sl = keep_home(c, &ss, LAB_CALL_BIND);
	netstate_addr(&ss, &ev->addr);
	set_err(ev, bind(c->fd, (struct sockaddr *)&ss, sl));
	if (ev->ret == -1 && !cmd->strict && ev->addr.port != 0 &&
	    (ev->err == EADDRINUSE || ev->err == EACCES))
		bind_fallback(c, &ss, sl);
	if (ev->ret == 0) {
		sl = sizeof ss;
		if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0)
			netstate_addr(&ss, &ev->addr);
	}
	lab_lock_take(&lab->socks_lk);
	if (ev->ret == 0 && c->s != NULL && c->s == lab->listener) {
		lab->has_bound = true;
		lab->bound = ev->addr;
		remember_bar(lab, &ev->addr);
		if (cmd->port < 0 && !cmd->nohtons && lab->home_port == 0)
			lab->home_port = ev->addr.port;
	}
	lab_lock_give(&lab->socks_lk);
	return 0;
}

int
call_listen(struct call *c)
{
	struct lab *lab = c->lab;
	struct netstate_fd nf;

	c->ev->num = lab->cfg.backlog > 0 ? lab->cfg.backlog :
	    c->cmd->num >= 0 ? c->cmd->num : 5;
	home_unbound(c, LAB_CALL_LISTEN, false);
	set_err(c->ev, listen(c->fd, (int)c->ev->num));
	if (c->ev->ret != 0)
		return 0;
	/* listen() on an unbound socket picks a port. */
	netstate_fd_read(c->fd, &nf);
	lab_lock_take(&lab->socks_lk);
	if (c->s != NULL && c->s == lab->listener) {
		lab->listening = true;
		if (!lab->has_bound && nf.has_local) {
			lab->has_bound = true;
			lab->bound = nf.local;
			remember_bar(lab, &nf.local);
		}
	}
	lab_lock_give(&lab->socks_lk);
	return 0;
}

/* getaddrinfo: ret is its return value, num the number of addresses,
 * data the addresses (the first also in addr). */
int
call_getaddrinfo(struct call *c)
{
	struct lab_event *ev = c->ev;
	struct addrinfo hints, *res = NULL, *ai;
	size_t o = 0;
	int r;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	util_escape(c->cmd->addr, strlen(c->cmd->addr), ev->name,
	    sizeof ev->name);
	r = getaddrinfo(c->cmd->addr, NULL, &hints, &res);
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
	return 0;
}

/* netstate.c - reads the kernel's view of sockets for the lab.  A socket
 * with a descriptor is asked directly (TCP_INFO, SIOCINQ, SIOCOUTQ,
 * getsockname, getpeername).  Connections without one (waiting in an
 * accept queue, in TIME_WAIT, orphaned while closing) exist only in
 * /proc/net/tcp and /proc/net/tcp6, which are parsed line by line.
 *
 * That list is asked from the kernel's sock_diag netlink interface first
 * (what ss uses): reading /proc/net/tcp walks every bucket of the
 * connection table and measured about 5 ms per file here, too slow for a
 * snapshot after every call and a TIME_WAIT countdown; a netlink dump of
 * the same table took a fraction of that.  The /proc files remain the
 * fallback when netlink is not available. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>

#include "netstate.h"
#include "util.h"

void
netstate_addr(const void *sa, struct lab_addr *out)
{
	const struct sockaddr *s = sa;

	memset(out, 0, sizeof *out);
	if (s->sa_family == AF_INET) {
		const struct sockaddr_in *in = sa;

		out->family = AF_INET;
		out->port = ntohs(in->sin_port);
		inet_ntop(AF_INET, &in->sin_addr, out->host, sizeof out->host);
	} else if (s->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = sa;

		out->family = AF_INET6;
		out->port = ntohs(in6->sin6_port);
		inet_ntop(AF_INET6, &in6->sin6_addr, out->host,
		    sizeof out->host);
	}
}

void
netstate_fd_read(int fd, struct netstate_fd *out)
{
	struct sockaddr_storage ss;
	struct tcp_info ti;
	socklen_t len;
	int v;

	memset(out, 0, sizeof *out);
	len = sizeof v;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0)
		out->type = v;
	memset(&ti, 0, sizeof ti);
	len = sizeof ti;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0) {
		/* Older kernels fill less: use only what was written. */
		if (len > offsetof(struct tcp_info, tcpi_state))
			out->state = (enum lab_tcp)ti.tcpi_state;
		if (out->state == LAB_TCP_LISTEN && len >=
		    offsetof(struct tcp_info, tcpi_sacked) +
		    sizeof ti.tcpi_sacked) {
			out->accept_queue = ti.tcpi_unacked;
			out->backlog = ti.tcpi_sacked;
		}
	}
	if (out->state != LAB_TCP_LISTEN) {
		if (ioctl(fd, SIOCINQ, &v) == 0 && v >= 0)
			out->rx_queue = (unsigned)v;
		if (ioctl(fd, SIOCOUTQ, &v) == 0 && v >= 0)
			out->tx_queue = (unsigned)v;
	}
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)) {
		netstate_addr(&ss, &out->local);
		/* An unbound socket reports the wildcard address, port 0. */
		out->has_local = out->local.port != 0;
	}
	len = sizeof ss;
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)) {
		netstate_addr(&ss, &out->peer);
		out->has_peer = true;
	}
}

/* Parses "HEX:PORT" as the kernel prints it: each 32-bit word of the
 * address in the machine's own byte order. */
static int
parse_addr(const char *s, int family, struct lab_addr *out)
{
	size_t words = family == AF_INET ? 1 : 4, i;
	uint32_t w[4];
	unsigned long port;
	char *end;

	memset(out, 0, sizeof *out);
	if (strlen(s) != words * 8 + 5)
		return -1;
	for (i = 0; i < words; i++) {
		char hex[9];
		unsigned long v;

		memcpy(hex, s + i * 8, 8);
		hex[8] = '\0';
		errno = 0;
		v = strtoul(hex, &end, 16);
		if (errno != 0 || *end != '\0')
			return -1;
		w[i] = (uint32_t)v;
	}
	s += words * 8;
	if (*s != ':')
		return -1;
	errno = 0;
	port = strtoul(s + 1, &end, 16);
	if (errno != 0 || end != s + 5 || port > 65535)
		return -1;
	out->family = family;
	out->port = (uint16_t)port;
	if (family == AF_INET) {
		struct in_addr a;

		a.s_addr = w[0];
		inet_ntop(AF_INET, &a, out->host, sizeof out->host);
	} else {
		struct in6_addr a;

		memcpy(&a, w, sizeof a);
		inet_ntop(AF_INET6, &a, out->host, sizeof out->host);
	}
	return 0;
}

int
netstate_parse_line(const char *line, int family, long ticks_per_s,
    struct netstate_conn *out)
{
	char local[64], peer[64];
	unsigned st, tx, rx, tr, retr, uid, tmo;
	unsigned long when, inode;
	int n;

	memset(out, 0, sizeof *out);
	n = sscanf(line, " %*u: %63s %63s %x %x:%x %x:%lx %x %u %u %lu",
	    local, peer, &st, &tx, &rx, &tr, &when, &retr, &uid, &tmo,
	    &inode);
	if (n != 11)
		return -1;
	if (parse_addr(local, family, &out->local) == -1 ||
	    parse_addr(peer, family, &out->peer) == -1)
		return -1;
	if (st < 1 || st > LAB_TCP_CLOSING)
		return -1;
	out->state = (enum lab_tcp)st;
	out->tx_queue = tx;
	out->rx_queue = rx;
	if (tr != 0 && ticks_per_s > 0) {
		unsigned long long ms = (unsigned long long)when * 1000u /
		    (unsigned long)ticks_per_s;

		out->timer_ms = ms > UINT_MAX ? UINT_MAX : (unsigned)ms;
	}
	out->inode = inode;
	return 0;
}

bool
netstate_addr_match(const struct lab_addr *end, const struct lab_addr *bar)
{
	size_t el, bl;

	if (bar->port == 0 || end->port != bar->port)
		return false;
	if (bar->host[0] == '\0' || strcmp(bar->host, "0.0.0.0") == 0 ||
	    strcmp(bar->host, "::") == 0 || strcmp(end->host, bar->host) == 0)
		return true;
	/* An IPv4 peer of a dual-stack socket: ::ffff:127.0.0.1. */
	el = strlen(end->host);
	bl = strlen(bar->host);
	return el == bl + 7 && strncmp(end->host, "::ffff:", 7) == 0 &&
	    strcmp(end->host + 7, bar->host) == 0;
}

static bool
bar_match(const struct netstate_conn *c, const struct lab_addr *bars,
    size_t nbars)
{
	size_t i;

	for (i = 0; i < nbars; i++)
		if (netstate_addr_match(&c->local, &bars[i]) ||
		    netstate_addr_match(&c->peer, &bars[i]))
			return true;
	return false;
}

static int
read_one(const char *path, int family, long hz, const struct lab_addr *bars,
    size_t nbars, struct netstate_conn *out, size_t max, size_t *found)
{
	char line[512];
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		struct netstate_conn c;

		if (netstate_parse_line(line, family, hz, &c) == -1)
			continue;
		if (c.inode != 0 || !bar_match(&c, bars, nbars))
			continue;
		if (*found < max)
			out[*found] = c;
		(*found)++;
	}
	fclose(f);
	return 0;
}

/* Converts the kernel's address words (network order) into lab form. */
static void
diag_addr(int family, const uint32_t *words, uint16_t port_be,
    struct lab_addr *out)
{
	memset(out, 0, sizeof *out);
	out->family = family;
	out->port = ntohs(port_be);
	inet_ntop(family, words, out->host, sizeof out->host);
}

/* Sockets per dump are filtered in the kernel by port: without it every
 * snapshot read the whole machine's connection table (thousands of
 * TIME_WAITs after a busy hour) only to drop nearly all of it here.  The
 * bytecode says "sport == P1 or dport == P1 or sport == P2 ...": each
 * condition either jumps, through the JMP after it, to the end (accept),
 * or on to the next condition; the last one's "no" leaves the program
 * (reject).  The host part is still checked here, with bar_match. */
#define BC_PORTS 8		/* distinct ports a filter names at most */
#define BC_OPS (BC_PORTS * 2 * 3)	/* a condition is 2 ops, a JMP 1 */

struct diag_request {
	struct nlmsghdr nlh;
	struct inet_diag_req_v2 req;
	struct nlattr attr;	/* INET_DIAG_REQ_BYTECODE */
	struct inet_diag_bc_op bc[BC_OPS];
};

/* Writes the filter for bars' ports into bc; returns its length in
 * bytes, 0 when no bar has a port. */
static size_t
diag_bytecode(const struct lab_addr *bars, size_t nbars,
    struct inet_diag_bc_op *ops)
{
	size_t n = 0, i, k, len, nports = 0;
	uint16_t ports[BC_PORTS];

	for (i = 0; i < nbars && nports < BC_PORTS; i++) {
		bool dup = false;

		for (k = 0; k < nports; k++)
			dup = dup || ports[k] == bars[i].port;
		if (bars[i].port != 0 && !dup)
			ports[nports++] = bars[i].port;
	}
	if (nports == 0)
		return 0;
	len = (nports * 2 * 3 - 1) * sizeof *ops;
	for (i = 0; i < nports * 2; i++) {
		struct inet_diag_bc_op *c = &ops[n++], *arg = &ops[n++];

		/* yes: on to the JMP that follows; no: skip it (after the
		 * last condition, that is past the end: rejected). */
		c->code = i % 2 == 0 ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
		c->yes = 2 * sizeof *c;
		c->no = 3 * sizeof *c;
		memset(arg, 0, sizeof *arg);
		arg->no = ports[i / 2];
		if (i + 1 < nports * 2) {
			/* The JMP always takes "no": to the end, accepted. */
			ops[n].code = INET_DIAG_BC_JMP;
			ops[n].yes = sizeof *ops;
			ops[n].no = (unsigned short)(len - n * sizeof *ops);
			n++;
		}
	}
	return len;
}

/* One sock_diag dump of family's TCP sockets on nl, a NETLINK_SOCK_DIAG
 * socket; 0, or -1 when netlink would not answer (the caller falls back
 * to /proc). */
static int
diag_read(int nl, int family, const struct lab_addr *bars, size_t nbars,
    uint32_t states, bool fdless, struct netstate_conn *out, size_t max,
    size_t *found)
{
	struct diag_request msg;
	struct sockaddr_nl sa;
	union {
		char buf[16384];
		struct nlmsghdr align;
	} u;
	size_t bclen, msglen;
	int done = 0;
	ssize_t r;

	memset(&msg, 0, sizeof msg);
	bclen = diag_bytecode(bars, nbars, msg.bc);
	if (bclen == 0)
		return 0;
	msglen = offsetof(struct diag_request, bc) + bclen;
	msg.nlh.nlmsg_len = (uint32_t)msglen;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = states;
	msg.attr.nla_type = INET_DIAG_REQ_BYTECODE;
	msg.attr.nla_len = (uint16_t)(sizeof msg.attr + bclen);
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	while ((r = sendto(nl, &msg, msglen, 0, (struct sockaddr *)&sa,
	    sizeof sa)) == -1 && errno == EINTR)
		continue;
	if (r != (ssize_t)msglen)
		return -1;
	while (!done) {
		struct nlmsghdr *h;
		size_t len;

		r = recv(nl, u.buf, sizeof u.buf, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		len = (size_t)r;
		for (h = &u.align; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			const struct inet_diag_msg *m;
			struct netstate_conn c;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof *m))
				return -1;
			m = NLMSG_DATA(h);
			if ((fdless && m->idiag_inode != 0) ||
			    m->idiag_state < 1 ||
			    m->idiag_state > LAB_TCP_CLOSING)
				continue;
			memset(&c, 0, sizeof c);
			diag_addr(m->idiag_family, m->id.idiag_src,
			    m->id.idiag_sport, &c.local);
			diag_addr(m->idiag_family, m->id.idiag_dst,
			    m->id.idiag_dport, &c.peer);
			if (!bar_match(&c, bars, nbars))
				continue;
			c.state = (enum lab_tcp)m->idiag_state;
			c.rx_queue = m->idiag_rqueue;
			c.tx_queue = m->idiag_wqueue;
			/* sock_diag gives the timer in milliseconds. */
			c.timer_ms = m->idiag_timer != 0 ? m->idiag_expires : 0;
			if (*found < max)
				out[*found] = c;
			(*found)++;
		}
	}
	return 0;
}

int
netstate_fdless_diag(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max)
{
	size_t found = 0, i;
	bool any6 = false;
	int nl, ok;

	/* Each dump walks the kernel's whole connection table, whatever
	 * the filter, so the IPv6 one is asked for only when a bar is
	 * IPv6 (an IPv4 bar's customers and TIME_WAITs are all IPv4; a
	 * dual-stack bar has both kinds). */
	for (i = 0; i < nbars; i++)
		if (bars[i].family == AF_INET6)
			any6 = true;
	/* One socket serves both dumps. */
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl == -1)
		return -1;
	ok = diag_read(nl, AF_INET, bars, nbars, ~(1u << LAB_TCP_LISTEN),
	    true, out, max, &found) == 0 && (!any6 ||
	    diag_read(nl, AF_INET6, bars, nbars, ~(1u << LAB_TCP_LISTEN),
	    true, out, max, &found) == 0);
	close(nl);
	if (!ok)
		return -1;
	return found > INT_MAX ? INT_MAX : (int)found;
}

int
netstate_knocking(const struct lab_addr *bar)
{
	size_t found = 0;
	int nl, ok;

	if (bar->port == 0)
		return 0;
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl == -1)
		return -1;
	/* Only the SYN_SENT ones, descriptors or not: the kernel walks
	 * its table once and sends back the few that match. */
	ok = diag_read(nl, bar->family == AF_INET6 ? AF_INET6 : AF_INET,
	    bar, 1, 1u << LAB_TCP_SYN_SENT, false, NULL, 0, &found) == 0;
	close(nl);
	if (!ok)
		return -1;
	return found > INT_MAX ? INT_MAX : (int)found;
}

int
netstate_fdless_nl(int nl, const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max)
{
	size_t found = 0;

	if (diag_read(nl, AF_INET, bars, nbars, ~(1u << LAB_TCP_LISTEN),
	    true, out, max, &found) == -1 ||
	    diag_read(nl, AF_INET6, bars, nbars, ~(1u << LAB_TCP_LISTEN),
	    true, out, max, &found) == -1)
		return -1;
	return found > INT_MAX ? INT_MAX : (int)found;
}

/* The kernel's form of a lab address (network order words); false when
 * host is not an address of family. */
static bool
diag_words(int family, const struct lab_addr *a, uint32_t *words,
    uint16_t *port_be)
{
	memset(words, 0, 16);
	*port_be = htons(a->port);
	return inet_pton(family, a->host, words) == 1;
}

/* Asks for one connection; 1 found (c filled), 0 not found, -1 when
 * netlink would not answer. */
static int
lookup_one(int nl, struct netstate_conn *c)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	union {
		char buf[8192];
		struct nlmsghdr align;
	} u;
	int family = c->local.family;
	const struct inet_diag_msg *m;
	struct nlmsghdr *h = &u.align;
	ssize_t r;

	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;	/* no NLM_F_DUMP: a lookup */
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0u;
	msg.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	msg.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (!diag_words(family, &c->local, msg.req.id.idiag_src,
	    &msg.req.id.idiag_sport) || !diag_words(family, &c->peer,
	    msg.req.id.idiag_dst, &msg.req.id.idiag_dport))
		return 0;
	while ((r = send(nl, &msg, sizeof msg, 0)) == -1 && errno == EINTR)
		continue;
	if (r != (ssize_t)sizeof msg)
		return -1;
	while ((r = recv(nl, u.buf, sizeof u.buf, 0)) == -1 && errno == EINTR)
		continue;
	if (r <= 0 || !NLMSG_OK(h, (size_t)r))
		return -1;
	if (h->nlmsg_type == NLMSG_ERROR)
		return 0;	/* ENOENT: gone */
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *m))
		return -1;
	m = NLMSG_DATA(h);
	/* A lookup falls back on a listener of the local port. */
	if (m->id.idiag_dport != htons(c->peer.port) ||
	    m->idiag_state < 1 || m->idiag_state > LAB_TCP_CLOSING ||
	    m->idiag_state == LAB_TCP_LISTEN)
		return 0;
	c->state = (enum lab_tcp)m->idiag_state;
	c->rx_queue = m->idiag_rqueue;
	c->tx_queue = m->idiag_wqueue;
	c->timer_ms = m->idiag_timer != 0 ? m->idiag_expires : 0;
	c->inode = m->idiag_inode;
	return 1;
}

int
netstate_lookup(struct netstate_conn *conns, bool *found, size_t n)
{
	int nl, r;

	if (n == 0)
		return 0;
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl == -1)
		return -1;
	r = netstate_lookup_nl(nl, conns, found, n);
	close(nl);
	return r;
}

int
netstate_lookup_nl(int nl, struct netstate_conn *conns, bool *found,
    size_t n)
{
	struct sockaddr_nl sa;
	size_t i;
	int r = 0;

	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	if (connect(nl, (struct sockaddr *)&sa, sizeof sa) == -1)
		return -1;
	for (i = 0; i < n && r != -1; i++) {
		r = lookup_one(nl, &conns[i]);
		found[i] = r == 1;
	}
	return r == -1 ? -1 : 0;
}

int
netstate_fdless(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max)
{
	int n = netstate_fdless_diag(bars, nbars, out, max);

	return n >= 0 ? n : netstate_fdless_proc(bars, nbars, out, max);
}

int
netstate_fdless_proc(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max)
{
	long hz = sysconf(_SC_CLK_TCK);
	size_t found = 0;
	int ok4, ok6;

	if (hz <= 0)
		hz = 100;
	ok4 = read_one("/proc/net/tcp", AF_INET, hz, bars, nbars, out,
	    max, &found);
	ok6 = read_one("/proc/net/tcp6", AF_INET6, hz, bars, nbars, out,
	    max, &found);
	if (ok4 == -1 && ok6 == -1)
		return -1;
	return found > INT_MAX ? INT_MAX : (int)found;
}

/* netstate.h - what the kernel says about sockets: TCP_INFO and queue
 * sizes for a descriptor, and the fd-less connections (accept queue,
 * TIME_WAIT) listed in /proc/net/tcp and /proc/net/tcp6.
 *
 * Part of the core: no curses, no gettext, never prints. */
#ifndef SOCKTUTOR_NETSTATE_H
#define SOCKTUTOR_NETSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab.h"

/* What getsockopt/ioctl report about one descriptor. */
struct netstate_fd {
	int type;		/* SO_TYPE */
	enum lab_tcp state;	/* LAB_TCP_UNKNOWN when TCP_INFO failed */
	unsigned accept_queue, backlog;	/* listener only */
	unsigned rx_queue, tx_queue;
	bool has_local, has_peer;
	struct lab_addr local, peer;
};

/* Fill *out for fd; fields the kernel would not give stay zero. */
void netstate_fd_read(int fd, struct netstate_fd *out);

/* Convert a socket address into the lab's form (port in host order). */
void netstate_addr(const void *sa, struct lab_addr *out);

/* One line of /proc/net/tcp or tcp6. */
struct netstate_conn {
	struct lab_addr local, peer;
	enum lab_tcp state;
	unsigned tx_queue, rx_queue;
	unsigned timer_ms;	/* time left on the active timer, if any */
	unsigned long inode;	/* 0: no descriptor holds it */
};

/* Parse one line of /proc/net/tcp (family AF_INET) or tcp6 (AF_INET6);
 * ticks_per_s is USER_HZ.  Returns 0, or -1 for a header or bad line. */
int netstate_parse_line(const char *line, int family, long ticks_per_s,
    struct netstate_conn *out);

/* True when end (an address and port) is bar: the same port, and the
 * same host or bar's host is the wildcard ("", 0.0.0.0, ::); an IPv4
 * address matches its IPv4-mapped IPv6 form. */
bool netstate_addr_match(const struct lab_addr *end,
    const struct lab_addr *bar);

/* The connections with no descriptor (inode 0) with one end at one of
 * bars[0..nbars) (entries with port 0 are ignored), from sock_diag or
 * /proc/net/tcp and tcp6.  Stores at most max in out; returns how many
 * matched in all, or -1 with errno set when the kernel would not say. */
int netstate_fdless(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max);

/* The same, from sock_diag only, filtered by port in the kernel; -1
 * when netlink would not answer (tests check it answers here). */
int netstate_fdless_diag(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max);

/* The same, from sock_diag through nl (a NETLINK_SOCK_DIAG socket,
 * perhaps made in another network namespace, whose tables it then
 * reads); both families.  -1 when netlink would not answer. */
int netstate_fdless_nl(int nl, const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max);

/* How many sockets on this machine are in SYN_SENT towards bar (its
 * port, and its host or the wildcard): clients knocking at a full
 * accept queue, whose SYNs the server drops without a trace.  -1 when
 * sock_diag would not answer. */
int netstate_knocking(const struct lab_addr *bar);

/* Exact lookups: for each of the n connections in conns (local and
 * peer set, as this end sees them), asks sock_diag for that connection
 * alone, a hash lookup rather than a walk of the kernel's table, and
 * fills in its state, queues and timer; found[i] tells whether the
 * kernel still has it (in any state, TIME_WAIT included, with or without
 * a descriptor).  Returns 0, or -1 when netlink would not answer. */
int netstate_lookup(struct netstate_conn *conns, bool *found, size_t n);

/* The same through nl, a fresh NETLINK_SOCK_DIAG socket (perhaps made in
 * another network namespace, whose connections it then finds). */
int netstate_lookup_nl(int nl, struct netstate_conn *conns, bool *found,
    size_t n);

/* The same, read from /proc only (the fallback when sock_diag netlink
 * does not answer; tests compare the two). */
int netstate_fdless_proc(const struct lab_addr *bars, size_t nbars,
    struct netstate_conn *out, size_t max);

#endif

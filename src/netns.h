/* netns.h - the lab's private network: a loopback of its own, where every
 * packet belongs to the lab and can be captured without privileges.
 *
 * A helper process, forked before any thread starts, makes a new user
 * namespace and a new network namespace (unshare(CLONE_NEWUSER |
 * CLONE_NEWNET), which an ordinary user may do where the system allows
 * it), brings that network's "lo" up, and then makes sockets there on
 * request and hands them back over a Unix socket (SCM_RIGHTS).  A
 * socket keeps the network it was made in, so the program holds sockets
 * of both worlds at once.  The helper dies with its parent
 * (PR_SET_PDEATHSIG) and when the channel closes.  Never needs root,
 * setuid or file capabilities.
 *
 * Part of the core: no curses, no gettext, never prints. */
#ifndef SOCKTUTOR_NETNS_H
#define SOCKTUTOR_NETNS_H

#include <stdbool.h>

#define NETNS_OFF_ENV "SOCKTUTOR_NO_NETNS"	/* set: never try (tests) */
#define NETNS_START_MS 3000	/* the helper's answer is awaited so long */
#define NETNS_HIGH_FD 200	/* the program's own descriptors go here */

struct netns;

/* Fork the helper and test the whole chain once: unshare, the user and
 * group maps, lo up, a filtered packet socket bound to lo.  Call it
 * before any thread starts.  Returns NULL with *cause (malloc'd, one
 * line of call syntax and errno names, never translated: e.g.
 * "unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM") when the private
 * network cannot be had, or when NETNS_OFF_ENV is set to a non-empty
 * value other than "0". */
struct netns *netns_start(char **cause);

/* netns_start in two halves: netns_spawn forks the helper and returns
 * at once (NULL with *cause when even that fails or NETNS_OFF_ENV is
 * set), so that the program's own start-up overlaps the helper's;
 * netns_ready waits for the helper's verdict, and returns ns, or NULL
 * with *cause after freeing it. */
struct netns *netns_spawn(char **cause);
struct netns *netns_ready(struct netns *ns, char **cause);

/* fd moved to a free number at or above NETNS_HIGH_FD (close-on-exec),
 * out of the range the lab's sockets get; fd itself when that fails.
 * Returns the descriptor to use. */
int netns_high_fd(int fd);

/* Close the channel and reap the helper.  NULL-safe. */
void netns_free(struct netns *ns);

/* socket(family, type, proto) in the private network.  Returns the new
 * descriptor (the caller owns it; SOCK_CLOEXEC is added), or -1 with
 * errno set (the helper's errno, or EPIPE when the helper is gone).
 * Safe to call from any thread. */
int netns_socket(struct netns *ns, int family, int type, int proto);

/* A packet socket bound to the private lo that receives only TCP and UDP
 * over IPv4 and IPv6 (a BPF filter), cut to snaplen bytes, never the
 * outgoing copies; nonblocking.  Returns the descriptor, or -1 with
 * errno set.  Safe to call from any thread. */
int netns_capture(struct netns *ns, unsigned snaplen);

/* Routes inside the private network, for hosts that never answer. */
enum netns_route {
	NETNS_RT_LOCAL,		/* table local: ADDR/PREFIX is this host */
	NETNS_RT_SILENT,	/* ADDR/PREFIX via lo, though nobody has it:
				 * packets leave and are never answered */
	NETNS_RT_UNREACHABLE	/* ADDR/PREFIX answers EHOSTUNREACH */
};

/* Add (or, add false, delete) a route.  addr is numeric IPv4 or IPv6.
 * Narrowing the local range: delete NETNS_RT_LOCAL 127.0.0.0/8 (the host
 * keeps 127.0.0.1).  Returns 0, or -1 with *cause (malloc'd, call syntax
 * and errno name). */
int netns_route(struct netns *ns, bool add, enum netns_route kind,
    const char *addr, unsigned prefix, char **cause);

/* Makes the host at addr (numeric; e.g. a 127.0.0.N that a socket of
 * the private network was bound to) vanish without a word (on true), or
 * come back (on false), as if its cable were pulled and put back.
 * From then on every packet sent to addr is dropped, with no RST and no
 * ICMP error, so a connection to it stays ESTABLISHED on both ends:
 * whoever sends next retransmits until its timers give up (ETIMEDOUT),
 * keepalive probes go unanswered, and a new connect() times out.  The
 * peer's own socket is left alone and may still send (keep it quiet to
 * play a vanished host).  A blackhole route would not do: the sender's
 * own call would fail at once with EINVAL.  Do not silence the address
 * of the side you keep (127.0.0.1 is the bartender's by default).
 * Returns 0, or -1 with *cause (malloc'd, call syntax and errno name). */
int netns_silence(struct netns *ns, const char *addr, bool on,
    char **cause);

/* The far hosts of the private network, at addresses reserved for
 * documentation (RFC 5737), so that none is a real machine: after
 * netns_far_hosts, a connect() there fails as it would towards another
 * machine, without a packet leaving the computer:
 *   NETNS_FAR_SILENT      the SYN leaves and is never answered: ETIMEDOUT
 *   NETNS_FAR_UNREACHABLE an unreachable route: EHOSTUNREACH at once
 *   NETNS_FAR_NOROUTE     no route at all (the private network has only
 *                         lo): ENETUNREACH at once */
#define NETNS_FAR_SILENT "192.0.2.1"
#define NETNS_FAR_UNREACHABLE "192.0.2.2"
#define NETNS_FAR_NOROUTE "198.51.100.1"

/* Add the routes of the far hosts (NETNS_RT_SILENT and
 * NETNS_RT_UNREACHABLE, host routes); running it twice is harmless.
 * Returns 0, or -1 with *cause (malloc'd, call syntax and errno name). */
int netns_far_hosts(struct netns *ns, char **cause);

#endif

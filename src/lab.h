/* lab.h - the live socket lab: a bartender (server) thread and a customer
 * (client) thread that make real socket calls on loopback and report what
 * the kernel says about every socket after each call.
 *
 * Part of the core: no curses, no gettext, never prints.  The UI posts
 * commands and drains events; events carry codes and numbers only.
 */
#ifndef SOCKTUTOR_LAB_H
#define SOCKTUTOR_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "labcmd.h"

/* The defaults, written once (main's options and the lab share them). */
#define LAB_DEFAULT_LISTEN "127.0.0.1"
#define LAB_DEFAULT_PORT 5050
#define LAB_DEFAULT_MAX_CUSTOMERS 512
#define LAB_DEFAULT_IDLE_MS 60000
#define LAB_DEFAULT_QUIET_MS 200

/* The socket address as the lab shows it. */
struct lab_addr {
	int family;		/* AF_INET, AF_INET6, or 0 when unknown */
	uint16_t port;		/* host byte order */
	char host[INET6_ADDRSTRLEN];
};

/* Roles a socket can have in the bar. */
enum lab_role {
	LAB_ROLE_LISTENER,	/* the bartender's listening socket */
	LAB_ROLE_CONN,		/* the connection the lesson's accept returned */
	LAB_ROLE_CLIENT,	/* the lab's own customer */
	LAB_ROLE_GUEST,		/* a customer from another program */
	LAB_ROLE_QUEUED,	/* in the accept queue, no fd yet (kernel only) */
	LAB_ROLE_TIMEWAIT,	/* TIME_WAIT, no fd (kernel only) */
	LAB_ROLE_KERNEL		/* another fd-less connection on a lab port */
};

/* TCP states, numbered as the kernel numbers them (tcpi_state). */
enum lab_tcp {
	LAB_TCP_UNKNOWN = 0,
	LAB_TCP_ESTABLISHED = 1, LAB_TCP_SYN_SENT, LAB_TCP_SYN_RECV,
	LAB_TCP_FIN_WAIT1, LAB_TCP_FIN_WAIT2, LAB_TCP_TIME_WAIT,
	LAB_TCP_CLOSE, LAB_TCP_CLOSE_WAIT, LAB_TCP_LAST_ACK,
	LAB_TCP_LISTEN, LAB_TCP_CLOSING
};

/* What the kernel reported about one socket at one moment. */
struct lab_sock {
	unsigned id;		/* stable for the socket's life in the lab */
	int fd;			/* -1 for kernel-only entries */
	enum lab_role role;
	enum lab_side side;
	int type;		/* SOCK_STREAM, SOCK_DGRAM */
	enum lab_tcp state;
	bool has_local, has_peer;
	struct lab_addr local, peer;
	unsigned accept_queue;	/* listener: connections waiting */
	unsigned backlog;	/* listener: the backlog the kernel uses */
	unsigned rx_queue;	/* bytes received, not yet read (SIOCINQ) */
	unsigned tx_queue;	/* bytes sent, not yet acknowledged (SIOCOUTQ) */
	unsigned timer_ms;	/* TIME_WAIT: time left */
	uint64_t bytes_in, bytes_out;	/* counted by the lab */
	bool held;		/* guest: set aside by guests wait, unserved */
	unsigned orders;	/* guest: orders served */
	char last[48];		/* guest: last order, util_escape'd */
	int lesson;		/* the lesson current when it was made (see
				 * lab_set_lesson); kernel-only entries: 0 */
};

#define LAB_SNAP_MAX 24

/* Every socket of the lab at one moment.  Self-contained: a copy can be
 * shown again later without asking the kernel. */
struct lab_snapshot {
	size_t n;
	struct lab_sock socks[LAB_SNAP_MAX];
	unsigned guests;	/* guests connected in all (may exceed what fits) */
	uint64_t taken_us;	/* CLOCK_MONOTONIC when taken */
	/* Exact counts, whatever fits in socks: */
	unsigned queued;	/* waiting in the listener's accept queue */
	unsigned knocking;	/* the lab's customers still in SYN_SENT */
	unsigned timewait;	/* the lab's connections left in TIME_WAIT */
	unsigned old_guests;	/* guests who came during an earlier lesson */
	unsigned held;		/* guests set aside by guests wait */
	int lesson;		/* the lesson current when taken */
};

enum lab_ev_kind {
	LAB_EV_CALL,		/* a call returned: ret, err */
	LAB_EV_BLOCKED,		/* a call is waiting (accept, recv, connect) */
	LAB_EV_CANCELLED,	/* a waiting call was cancelled */
	LAB_EV_PORT_FALLBACK,	/* bind: num = wanted port, taken; err why */
	LAB_EV_GUEST_ARRIVED,	/* an external customer was accepted */
	LAB_EV_GUEST_ORDER,	/* a guest ordered: data = the order */
	LAB_EV_GUEST_LEFT,	/* a guest closed, reset or timed out: err */
	LAB_EV_GUEST_REFUSED,	/* the bar is full: num = guests inside;
				 * value = 1 when full for the newcomer's
				 * address only (--max-per-address) */
	LAB_EV_GUEST_HTTP,	/* a browser asked; it got an HTTP answer */
	LAB_EV_RESET,		/* the lab was reset (going back a step) */
	LAB_EV_ADDR_KEPT	/* bind (call BIND) or listen without bind
				 * (call LISTEN) would open addr, a wildcard,
				 * on the machine: the bartender gets data
				 * (a host) instead; see lab_call_addr.c */
};

/* True for the events about customers from other programs (ARRIVED,
 * ORDER, LEFT, REFUSED, HTTP). */
bool lab_event_is_guest(enum lab_ev_kind kind);

/* One thing that happened.  Codes and numbers only: the UI words it. */
struct lab_event {
	unsigned seq;
	enum lab_ev_kind kind;
	enum lab_side side;
	enum lab_call call;
	bool replay;		/* posted as part of re-running earlier steps */
	int fd;			/* the socket the call was made on, or -1 */
	bool has_addr;
	struct lab_addr addr;	/* bind/connect target, accept's peer */
	long num;		/* backlog, size asked, option value, ... */
	long ret;		/* the call's return value */
	int err;		/* errno when ret == -1, else 0 */
	uint64_t duration_us;	/* how long the call took */
	unsigned guest;		/* guest events: the guest's id */
	char data[64];		/* payload sent/received, escaped */
	struct lab_snapshot snap;	/* every socket right after; those
					 * without a descriptor only when no
					 * command was queued behind; a
					 * guest's: when its news went out
					 * (at most every 20 ms) */
	/* Added for the later lessons' calls.  socket: addr.family is the
	 * family asked for, num the type.  crowd: num customers asked, ret
	 * how many are on their way.  getaddrinfo: ret is its return value
	 * (0 or an EAI_ code), num the addresses found, data the addresses
	 * (blank-separated), addr the first.  recvfrom: addr is the
	 * sender; sendto: addr is the destination. */
	int value;		/* setsockopt: the value set */
	char name[64];		/* getaddrinfo: the name asked, escaped */
	/* The wire (private network only): the segments captured since
	 * the lab's previous event and up to this one are numbers
	 * [seg_from, seg_to) of lab_capture's ring; empty otherwise. */
	uint64_t seg_from, seg_to;
};

struct netns;
struct capture;

struct lab_config {
	const char *listen_addr;	/* "127.0.0.1" unless the class chose */
	uint16_t port;			/* wanted port; 0 = any free one */
	int backlog;			/* > 0 overrides the lesson's backlog */
	unsigned max_customers;		/* guests at once; 0 = default */
	unsigned idle_ms;		/* guest idle timeout; 0 = default */
	unsigned quiet_ms;		/* order without '\n' after; 0 = default */
	unsigned max_per_address;	/* guests from one address at once;
					 * 0 = no limit (a class may sit
					 * behind one NAT address) */
	struct netns *netns;		/* the private network (borrowed; it
					 * outlives the lab), or NULL */
};

struct lab;

/* Start the lab's threads.  Returns NULL with *cause (malloc'd) set when
 * threads or descriptors cannot be had. */
struct lab *lab_new(const struct lab_config *cfg, char **cause);

/* Cancel every wait, join the threads, close every socket.  NULL-safe. */
void lab_free(struct lab *lab);

/* A descriptor that is readable while events are waiting to be drained.
 * The UI polls it beside its input. */
int lab_wake_fd(const struct lab *lab);

/* Queue a command for its side.  Commands run in posting order across
 * both sides: a command starts once every earlier command has finished or
 * is blocked waiting.  Never blocks the caller. */
void lab_post(struct lab *lab, const struct lab_cmd *cmd, bool replay);

/* The lesson now on screen (a number the UI chooses): the sockets and
 * guests that arrive from now on belong to it. */
void lab_set_lesson(struct lab *lab, int lesson);

/* Guests wait.  While on, the lesson's accept() returns only the lab's
 * own customer: a connection from anybody else that it takes from the
 * queue first is set aside, connected but never read or answered
 * ("held"; its LAB_EV_GUEST_ARRIVED has value 1), and accept() takes
 * the next one, or waits.  Connections nobody accepts stay in the
 * kernel's accept queue, as ever.  Turned off, the held guests are
 * served as guests (their LAB_EV_GUEST_ARRIVED has value 2). */
void lab_hold_guests(struct lab *lab, bool on);

/* Move up to max pending events into out; returns how many.  A copy:
 * never reads the kernel, never waits for a call. */
size_t lab_drain(struct lab *lab, struct lab_event *out, size_t max);

/* True when nothing more happens without somebody outside: every posted
 * command has finished or is blocked waiting, or is queued behind a
 * command of its side that is blocked waiting. */
bool lab_settled(struct lab *lab);

/* True when some posted command is blocked waiting (accept, recv...). */
bool lab_waiting(struct lab *lab);

/* Cancel waits, drop queued commands, close the lesson's sockets (guests
 * stay), and post a LAB_EV_RESET event. */
void lab_reset(struct lab *lab);

/* The bartender's bound address; false when it has none. */
bool lab_server_addr(struct lab *lab, struct lab_addr *out);

/* Where the bartender is, or will be when he binds: his bound address,
 * else the lab's address with the port he first got, else the port he
 * will ask for (with port 0 in the config, one reserved at lab_new),
 * or, when that was taken already at lab_new, the spare port his bind()
 * will fall back to. */
void lab_bar_where(struct lab *lab, struct lab_addr *out);

/* A fresh snapshot now (e.g. for a TIME_WAIT countdown), taken by the
 * lab's watcher thread; waits for it a bounded time (never for a call),
 * else hands out the latest one taken. */
void lab_snapshot_now(struct lab *lab, struct lab_snapshot *out);

/* Untranslatable name of a TCP state: "ESTABLISHED". */
const char *lab_tcp_name(enum lab_tcp state);

/* The call as C syntax, never translated:
 * "connect(4, 127.0.0.1:5050) = -1 ECONNREFUSED".  Returns buf. */
char *lab_format_call(const struct lab_event *ev, char *buf, size_t len);

/* "127.0.0.1:5050" or "[::1]:5050".  Returns buf. */
char *lab_format_addr(const struct lab_addr *a, char *buf, size_t len);

/* ---- the wire: the lab's private network ---- */

/* Where the lesson's sockets are made: the machine's loopback (guests
 * can come in) or the private network of cfg.netns (nobody else there;
 * every segment captured). */
enum lab_world { LAB_WORLD_MACHINE, LAB_WORLD_PRIVATE };

/* Sockets made from now on go to world w.  Call it right after
 * lab_reset (sockets already made stay where they are).  Returns false,
 * and stays on the machine, when w is private and the lab has no
 * private network. */
bool lab_set_world(struct lab *lab, enum lab_world w);
enum lab_world lab_world(struct lab *lab);

/* The private network's capture (capture.h), or NULL without one.
 * Owned by the lab; valid until lab_free. */
struct capture *lab_capture(struct lab *lab);

/* A captured segment's tag names the call that sent it (the SYN of a
 * connect, the data of a send, the FIN of a close, the RST of a close
 * with unread data), or 0 (CAPTURE_KERNEL) for what the kernel sent on
 * its own (ACKs, the SYN+ACK, retransmissions, window updates). */
#define LAB_WIRE_TAG(side, call) (1u + (unsigned)(call) * 2u + \
	((side) == LAB_CLIENT ? 1u : 0u))
bool lab_wire_tag(unsigned tag, enum lab_side *side, enum lab_call *call);

#endif

/* netns.c - the helper that owns the lab's private network, and the
 * parent's side of its channel.  See netns.h.
 *
 * CLONE_NEWUSER needs a single-threaded caller, and the program runs
 * threads; so the namespaces belong to a child forked early, which
 * answers requests one at a time over a SOCK_SEQPACKET pair: a request
 * is one struct, an answer is one struct plus, for a socket, the
 * descriptor in SCM_RIGHTS.  The parent serialises requests with a
 * mutex, so that any thread may ask. */
#include "config.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "lab.h"
#include "netns.h"
#include "util.h"

enum req_op { REQ_SOCKET = 1, REQ_CAPTURE, REQ_ROUTE };

struct request {
	int op;
	int family, type, proto;	/* REQ_SOCKET */
	unsigned snaplen;		/* REQ_CAPTURE */
	int add, kind;			/* REQ_ROUTE */
	int table;			/* 0: the kind's own table */
	int afamily;
	unsigned prefix;
	unsigned char addr[16];
};

struct answer {
	int ret;		/* 0, or -1 */
	int err;		/* errno when ret is -1 */
	char what[96];		/* the call that failed, as C syntax */
};

struct netns {
	pthread_mutex_t chan_lock;	/* guards a request and its answer */
	int chan;
	pid_t pid;
};

/* ---- the helper's side ---- */

static int
fail(struct answer *a, const char *what)
{
	a->ret = -1;
	a->err = errno;
	snprintf(a->what, sizeof a->what, "%s", what);
	return -1;
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd == -1)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Make the namespaces, map our ids to root inside (where the namespace
 * gives us the capabilities over its own network), bring lo up. */
static int
enter(struct answer *a)
{
	char map[64];
	struct ifreq ifr;
	uid_t uid = getuid();
	gid_t gid = getgid();
	int fd;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == -1)
		return fail(a, "unshare(CLONE_NEWUSER|CLONE_NEWNET)");
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) == -1)
		return fail(a, "write(/proc/self/uid_map)");
	/* Without "deny" an unprivileged process may not map a group. */
	if (write_file("/proc/self/setgroups", "deny\n") == -1 &&
	    errno != ENOENT)
		return fail(a, "write(/proc/self/setgroups)");
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) == -1)
		return fail(a, "write(/proc/self/gid_map)");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return fail(a, "socket(AF_INET, SOCK_DGRAM)");
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1) {
		fail(a, "ioctl(lo, SIOCGIFFLAGS)");
		close(fd);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1) {
		fail(a, "ioctl(lo, SIOCSIFFLAGS, IFF_UP)");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The packet socket: TCP and UDP over IPv4 and IPv6, no outgoing copy
 * (loopback shows each frame twice, once leaving and once arriving). */
static int
capture_socket(struct answer *a, unsigned snaplen)
{
	struct sock_filter code[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS,
		    (unsigned)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING,
		    10, 0),
		/* 2 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 3),
		/* 4 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 5, 0),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 4, 5),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 4),
		/* 8 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 6),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 1, 0),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 1),
		/* 11 */ BPF_STMT(BPF_RET | BPF_K, snaplen),
		/* 12 */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof code / sizeof code[0], code };
	struct sockaddr_ll sll;
	int fd, one = 1;

	/* Protocol 0: nothing arrives before the filter is on and the
	 * socket is bound to lo. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return fail(a, "socket(AF_PACKET, SOCK_RAW)");
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof prog) == -1) {
		fail(a, "setsockopt(SO_ATTACH_FILTER)");
		close(fd);
		return -1;
	}
#ifdef PACKET_IGNORE_OUTGOING
	/* The filter drops them already; this spares the kernel a copy. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof one);
#endif
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex("lo");
	if (sll.sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof sll) == -1) {
		fail(a, "bind(AF_PACKET, lo)");
		close(fd);
		return -1;
	}
	return fd;
}

static void
rt_attr(struct nlmsghdr *h, size_t room, int type, const void *data,
    size_t n)
{
	struct rtattr *rta = (struct rtattr *)((char *)h +
	    NLMSG_ALIGN(h->nlmsg_len));

	assert(NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(n) <= room);
	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(rta), data, n);
	h->nlmsg_len = (unsigned)(NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(n));
}

/* One RTM_NEWROUTE or RTM_DELROUTE, answered by the kernel's ack. */
static int
route(struct answer *a, const struct request *r)
{
	union {
		struct nlmsghdr h;
		char buf[512];
	} msg, reply;
	struct rtmsg *rtm;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd, oif = (int)if_nametoindex("lo");
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	msg.h.nlmsg_len = NLMSG_LENGTH(sizeof *rtm);
	msg.h.nlmsg_type = r->add ? RTM_NEWROUTE : RTM_DELROUTE;
	msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
	    (r->add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	msg.h.nlmsg_seq = 1;
	rtm = NLMSG_DATA(&msg.h);
	rtm->rtm_family = (unsigned char)r->afamily;
	rtm->rtm_dst_len = (unsigned char)r->prefix;
	rtm->rtm_table = r->table != 0 ? (unsigned char)r->table :
	    r->kind == NETNS_RT_LOCAL ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
	rtm->rtm_protocol = r->add ? RTPROT_STATIC : 0;
	rtm->rtm_type = r->kind == NETNS_RT_LOCAL ? RTN_LOCAL :
	    r->kind == NETNS_RT_SILENT ? RTN_UNICAST : RTN_UNREACHABLE;
	rtm->rtm_scope = !r->add ? RT_SCOPE_NOWHERE :
	    r->kind == NETNS_RT_LOCAL ? RT_SCOPE_HOST :
	    r->kind == NETNS_RT_SILENT ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	rt_attr(&msg.h, sizeof msg, RTA_DST, r->addr,
	    r->afamily == AF_INET ? 4 : 16);
	if (r->kind != NETNS_RT_UNREACHABLE && oif > 0)
		rt_attr(&msg.h, sizeof msg, RTA_OIF, &oif, sizeof oif);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd == -1)
		return fail(a, "socket(AF_NETLINK, NETLINK_ROUTE)");
	if (sendto(fd, &msg, msg.h.nlmsg_len, 0, (struct sockaddr *)&kernel,
	    sizeof kernel) == -1) {
		fail(a, "sendto(NETLINK_ROUTE)");
		close(fd);
		return -1;
	}
	do
		n = recv(fd, &reply, sizeof reply, 0);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    reply.h.nlmsg_type != NLMSG_ERROR) {
		errno = EPROTO;
		return fail(a, "recv(NETLINK_ROUTE)");
	}
	errno = -((struct nlmsgerr *)NLMSG_DATA(&reply.h))->error;
	if (errno != 0)
		return fail(a, r->add ? "RTM_NEWROUTE" : "RTM_DELROUTE");
	return 0;
}

static int
send_answer(int chan, const struct answer *a, int fd)
{
	union {
		struct cmsghdr c;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { (void *)a, sizeof *a };
	struct msghdr m;
	ssize_t n;

	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&ctl, 0, sizeof ctl);
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof ctl.buf;
		ctl.c.cmsg_level = SOL_SOCKET;
		ctl.c.cmsg_type = SCM_RIGHTS;
		ctl.c.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&ctl.c), &fd, sizeof fd);
	}
	do
		n = sendmsg(chan, &m, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)sizeof *a ? 0 : -1;
}

static void
serve(int chan)
{
	struct request r;
	struct answer a;
	ssize_t n;

	for (;;) {
		int fd = -1;

		do
			n = recv(chan, &r, sizeof r, 0);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)sizeof r)
			return;
		memset(&a, 0, sizeof a);
		if (r.op == REQ_SOCKET) {
			fd = socket(r.family, r.type | SOCK_CLOEXEC, r.proto);
			if (fd == -1)
				fail(&a, "socket");
		} else if (r.op == REQ_CAPTURE) {
			fd = capture_socket(&a, r.snaplen);
		} else if (r.op == REQ_ROUTE) {
			route(&a, &r);
		} else {
			errno = EINVAL;
			fail(&a, "request");
		}
		if (send_answer(chan, &a, fd) == -1)
			return;
		if (fd >= 0)
			close(fd);
	}
}

/* The child: detach from everything the parent holds, make the network,
 * say whether the whole chain works, then serve until the parent goes. */
static void __attribute__((noreturn))
helper(int chan, pid_t parent)
{
	struct answer a;
	int null, fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Keep nothing of the parent's open, the terminal included, so that
	 * a pipe reader sees its end when the parent ends. */
	null = open("/dev/null", O_RDWR);
	for (fd = 0; fd < 3; fd++)
		if (null >= 0 && null != fd)
			dup2(null, fd);
	if (null > 2)
		close(null);
	if (chan > 3)
		close_range(3, (unsigned)chan - 1, 0);
	close_range((unsigned)chan + 1, ~0U, 0);

	/* The test socket stays open until the helper ends: closing a
	 * packet socket waits for the kernel's grace period, milliseconds
	 * that the program's first screen would wait for too. */
	memset(&a, 0, sizeof a);
	if (enter(&a) == 0)
		(void)capture_socket(&a, 64);
	if (send_answer(chan, &a, -1) == -1 || a.ret == -1)
		_exit(1);
	serve(chan);
	_exit(0);
}

/* ---- the parent's side ---- */

int
netns_high_fd(int fd)
{
	/* Lessons show the descriptor numbers the kernel hands out to the
	 * lab's sockets: the program's own stay out of their way.  Where
	 * the limit is too low for that, fd stays where it is. */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, NETNS_HIGH_FD);

	if (high == -1)
		return fd;
	close(fd);
	return high;
}

static int
turned_off(void)
{
	const char *v = getenv(NETNS_OFF_ENV);

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

static int
recv_answer(int chan, struct answer *a, int *fd, int timeout_ms)
{
	union {
		struct cmsghdr c;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { a, sizeof *a };
	struct pollfd p = { chan, POLLIN, 0 };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;
	int r;

	*fd = -1;
	do
		r = poll(&p, 1, timeout_ms);
	while (r == -1 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r <= 0)
		return -1;
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof ctl.buf;
	do
		n = recvmsg(chan, &m, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	for (c = n > 0 ? CMSG_FIRSTHDR(&m) : NULL; c != NULL;
	    c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof *fd);
	if (n != (ssize_t)sizeof *a) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		errno = n == -1 ? errno : EPIPE;
		return -1;
	}
	a->what[sizeof a->what - 1] = '\0';
	return 0;
}

struct netns *
netns_spawn(char **cause)
{
	struct netns *ns;
	int sv[2];
	pid_t pid, self = getpid();

	if (turned_off()) {
		*cause = xasprintf("%s is set", NETNS_OFF_ENV);
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		*cause = xasprintf("socketpair(AF_UNIX) = -1 %s",
		    lab_errno_name(errno));
		return NULL;
	}
	pid = fork();
	if (pid == -1) {
		*cause = xasprintf("fork() = -1 %s", lab_errno_name(errno));
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	if (pid == 0) {
		close(sv[0]);
		helper(sv[1], self);
	}
	close(sv[1]);
	ns = xcalloc(1, sizeof *ns);
	sv[0] = netns_high_fd(sv[0]);
	pthread_mutex_init(&ns->chan_lock, NULL);
	ns->chan = sv[0];
	ns->pid = pid;
	return ns;
}

struct netns *
netns_ready(struct netns *ns, char **cause)
{
	struct answer a;
	int fd;

	if (recv_answer(ns->chan, &a, &fd, NETNS_START_MS) == -1) {
		*cause = xasprintf("the network helper did not answer: %s",
		    lab_errno_name(errno));
		netns_free(ns);
		return NULL;
	}
	if (a.ret == -1) {
		*cause = xasprintf("%s = -1 %s", a.what, lab_errno_name(a.err));
		netns_free(ns);
		return NULL;
	}
	return ns;
}

struct netns *
netns_start(char **cause)
{
	struct netns *ns = netns_spawn(cause);

	return ns != NULL ? netns_ready(ns, cause) : NULL;
}

void
netns_free(struct netns *ns)
{
	int st;

	if (ns == NULL)
		return;
	close(ns->chan);
	/* The helper ends when its channel closes; make sure of it. */
	if (waitpid(ns->pid, &st, WNOHANG) == 0) {
		kill(ns->pid, SIGKILL);
		while (waitpid(ns->pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	pthread_mutex_destroy(&ns->chan_lock);
	free(ns);
}

/* One request and its answer, under chan_lock.  Returns 0 with *fd the
 * descriptor that came with the answer (or -1), or -1 with *a saying
 * what failed. */
static int
ask(struct netns *ns, const struct request *r, struct answer *a, int *fdp)
{
	ssize_t n;
	int fd = -1, rc;

	pthread_mutex_lock(&ns->chan_lock);
	do
		n = send(ns->chan, r, sizeof *r, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	rc = n == (ssize_t)sizeof *r ?
	    recv_answer(ns->chan, a, &fd, NETNS_START_MS) : -1;
	pthread_mutex_unlock(&ns->chan_lock);
	if (rc == -1) {
		a->ret = -1;
		a->err = errno == ETIMEDOUT ? ETIMEDOUT : EPIPE;
		snprintf(a->what, sizeof a->what, "the network helper");
		return -1;
	}
	if (a->ret == -1) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

int
netns_socket(struct netns *ns, int family, int type, int proto)
{
	struct request r;
	struct answer a;
	int fd;

	memset(&r, 0, sizeof r);
	r.op = REQ_SOCKET;
	r.family = family;
	r.type = type;
	r.proto = proto;
	if (ask(ns, &r, &a, &fd) == -1) {
		errno = a.err;
		return -1;
	}
	if (fd < 0)
		errno = EPROTO;
	return fd;
}

int
netns_capture(struct netns *ns, unsigned snaplen)
{
	struct request r;
	struct answer a;
	int fd;

	memset(&r, 0, sizeof r);
	r.op = REQ_CAPTURE;
	r.snaplen = snaplen;
	if (ask(ns, &r, &a, &fd) == -1) {
		errno = a.err;
		return -1;
	}
	if (fd < 0)
		errno = EPROTO;
	return fd;
}

/* One route, in table (0: the kind's own). */
static int
route_in(struct netns *ns, bool add, enum netns_route kind, int table,
    const char *addr, unsigned prefix, char **cause)
{
	struct request r;
	struct answer a;
	int fd;

	memset(&r, 0, sizeof r);
	r.op = REQ_ROUTE;
	r.add = add;
	r.kind = kind;
	r.table = table;
	r.prefix = prefix;
	if (inet_pton(AF_INET, addr, r.addr) == 1 && prefix <= 32) {
		r.afamily = AF_INET;
	} else if (inet_pton(AF_INET6, addr, r.addr) == 1 && prefix <= 128) {
		r.afamily = AF_INET6;
	} else {
		*cause = xasprintf("%s/%u: not an address and prefix", addr,
		    prefix);
		return -1;
	}
	if (ask(ns, &r, &a, &fd) == -1) {
		*cause = xasprintf("%s %s/%u = -1 %s", a.what, addr, prefix,
		    lab_errno_name(a.err));
		return -1;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

int
netns_route(struct netns *ns, bool add, enum netns_route kind,
    const char *addr, unsigned prefix, char **cause)
{
	return route_in(ns, add, kind, 0, addr, prefix, cause);
}

/* A host route in the local table, which the kernel asks before any
 * other: being more specific than 127.0.0.0/8 (or any local range), it
 * wins, and the address stops being this host's.  What is sent to it
 * leaves by lo and comes back to a host that does not forward, and is
 * dropped there without an ICMP error (forwarding is off in a new
 * network namespace).  A blackhole or prohibit route would not do: the
 * sender's own call would fail at once (EINVAL, EACCES). */
int
netns_silence(struct netns *ns, const char *addr, bool on, char **cause)
{
	struct in6_addr a6;
	unsigned prefix = inet_pton(AF_INET6, addr, &a6) == 1 ? 128 : 32;

	return route_in(ns, on, NETNS_RT_SILENT, RT_TABLE_LOCAL, addr, prefix,
	    cause);
}

int
netns_far_hosts(struct netns *ns, char **cause)
{
	static const struct {
		enum netns_route kind;
		const char *addr;
	} far[] = {
		{ NETNS_RT_SILENT, NETNS_FAR_SILENT },
		{ NETNS_RT_UNREACHABLE, NETNS_FAR_UNREACHABLE },
	};
	size_t i;

	for (i = 0; i < sizeof far / sizeof far[0]; i++) {
		/* Again after a first time: replace, never fail. */
		char *ignored = NULL;

		if (route_in(ns, false, far[i].kind, 0, far[i].addr, 32,
		    &ignored) == -1)
			free(ignored);
		if (route_in(ns, true, far[i].kind, 0, far[i].addr, 32,
		    cause) == -1)
			return -1;
	}
	return 0;
}

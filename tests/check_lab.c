/* check_lab.c - the socket lab on real loopback sockets: the calls in
 * lesson order and out of order, the kernel states the snapshots report,
 * blocking calls cancelled by reset and free, outside customers served
 * (orders, HTTP, a full bar, junk), port fallback, and no leaks. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"
#include "lesson.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 3000

/* Built twice: tests/check_lab on 127.0.0.1, tests/check_lab6 (with
 * LAB_TEST_IPV6) on ::1, which skips where ::1 is not available. */
#ifdef LAB_TEST_IPV6
/* Only the cases that speak IPv6 are run; the others stay unused. */
#pragma GCC diagnostic ignored "-Wunused-function"
static const char lab_host[] = "::1";
#else
static const char lab_host[] = "127.0.0.1";
#endif

/* A lab and every event it has posted so far. */
struct t {
	struct lab *lab;
	struct lab_event *ev;
	size_t n, cap;
	size_t seen;		/* events already matched by t_expect */
};

static struct t *
t_new_cfg(const struct lab_config *cfg)
{
	struct t *t = xcalloc(1, sizeof *t);
	char *cause = NULL;

	t->lab = lab_new(cfg, &cause);
	ck_assert_msg(t->lab != NULL, "lab_new: %s", cause ? cause : "?");
	return t;
}

static struct t *
t_new(void)
{
	struct lab_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = lab_host;
	return t_new_cfg(&cfg);
}

static void
t_free(struct t *t)
{
	lab_free(t->lab);
	free(t->ev);
	free(t);
}

/* Drains whatever is pending, waiting up to ms for the wake fd. */
static void
t_pump(struct t *t, int ms)
{
	struct pollfd pfd = { lab_wake_fd(t->lab), POLLIN, 0 };

	if (poll(&pfd, 1, ms) < 0)
		return;
	for (;;) {
		size_t got;

		if (t->n + 16 > t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->ev = xreallocarray(t->ev, t->cap, sizeof *t->ev);
		}
		got = lab_drain(t->lab, t->ev + t->n, 16);
		t->n += got;
		if (got < 16)
			break;
	}
}

static void
t_post(struct t *t, const char *line)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(line, &cmd, &cause) == 0, "%s: %s", line,
	    cause ? cause : "?");
	lab_post(t->lab, &cmd, false);
}

/* The next event (after those already matched) of kind and call;
 * fails the test when none comes in time. */
static struct lab_event *
t_expect(struct t *t, enum lab_ev_kind kind, enum lab_call call)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	size_t i;

	for (;;) {
		for (i = t->seen; i < t->n; i++)
			if (t->ev[i].kind == kind && (call == LAB_CALL_NONE ||
			    t->ev[i].call == call)) {
				t->seen = i + 1;
				return &t->ev[i];
			}
		ck_assert_msg(util_now_us() < end,
		    "no event kind %d call %s in time", kind,
		    lab_call_name(call));
		t_pump(t, 50);
	}
}

/* Posts line and returns its CALL event. */
static struct lab_event *
t_do(struct t *t, const char *line)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(line, &cmd, &cause) == 0, "%s", line);
	lab_post(t->lab, &cmd, false);
	return t_expect(t, LAB_EV_CALL, cmd.call);
}

/* Takes events in for ms, whatever comes. */
static void
t_watch(struct t *t, int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000u, now;

	while ((now = util_now_us()) < end)
		t_pump(t, (int)((end - now + 999) / 1000));
}

/* Waits until the lab is settled. */
static void
t_settle(struct t *t)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;

	while (!lab_settled(t->lab)) {
		ck_assert_msg(util_now_us() < end, "the lab never settled");
		t_pump(t, 10);
	}
	t_pump(t, 0);
}

static const struct lab_sock *
find(const struct lab_snapshot *s, enum lab_role role, enum lab_tcp state)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->socks[i].role == role && (state == LAB_TCP_UNKNOWN ||
		    s->socks[i].state == state))
			return &s->socks[i];
	return NULL;
}

/* Polls fresh snapshots until one has role in state, or fails. */
static struct lab_sock
t_wait_sock(struct t *t, enum lab_role role, enum lab_tcp state)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	struct lab_snapshot snap;
	const struct lab_sock *s;

	for (;;) {
		lab_snapshot_now(t->lab, &snap);
		s = find(&snap, role, state);
		if (s != NULL)
			return *s;
		if (util_now_us() >= end) {
			char seen[512];
			size_t i, o = 0;

			seen[0] = '\0';
			for (i = 0; i < snap.n && o + 40 < sizeof seen; i++)
				o += (size_t)snprintf(seen + o, sizeof seen - o,
				    " %d:%s:%u>%u", snap.socks[i].role,
				    lab_tcp_name(snap.socks[i].state),
				    snap.socks[i].local.port,
				    snap.socks[i].peer.port);
			ck_abort_msg("no role %d in %s; saw%s", role,
			    lab_tcp_name(state), seen);
		}
		t_pump(t, 10);
	}
}

static void
server_up(struct t *t)
{
	struct lab_event *e;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	e = t_do(t, "server bind");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_ne(e->addr.port, 0);
	e = t_do(t, "server listen 5");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(e->num, 5);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_LISTENER,
	    LAB_TCP_LISTEN));
}

/* A bar started on "any free port" keeps the port it got: restarting the
 * server finds it taken by TIME_WAIT (EADDRINUSE without SO_REUSEADDR, as
 * lesson 12 shows), a reset and rebind returns to it, and a customer
 * after the bar closed is refused there, not sent to port 0. */
START_TEST(test_home_port)
{
	struct t *t = t_new();
	struct lab_event *e;
	unsigned home;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	e = t_do(t, "server bind");
	ck_assert_int_eq(e->ret, 0);
	home = e->addr.port;
	ck_assert_uint_ne(home, 0);
	ck_assert_int_eq(t_do(t, "server listen 5")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	/* The bartender closes first: his end lingers in TIME_WAIT. */
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	ck_assert_int_eq(t_do(t, "server close listener")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	e = t_do(t, "client connect");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, ECONNREFUSED);
	ck_assert_uint_eq(e->addr.port, home);
	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	e = t_do(t, "server bind strict");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, EADDRINUSE);
	ck_assert_uint_eq(e->addr.port, home);
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	e = t_do(t, "server bind strict");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_uint_eq(e->addr.port, home);
	t_free(t);
}
END_TEST

START_TEST(test_lesson_order)
{
	struct t *t = t_new();
	const struct lab_sock *s;
	struct lab_event *e;
	struct lab_addr a;

	server_up(t);
	ck_assert(lab_server_addr(t->lab, &a));
	ck_assert_str_eq(a.host, lab_host);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	e = t_do(t, "client connect");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(e->addr.port, a.port);
	/* Before accept: the connection waits in the accept queue. */
	s = find(&e->snap, LAB_ROLE_LISTENER, LAB_TCP_LISTEN);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->accept_queue, 1);
	ck_assert_uint_eq(s->backlog, 5);
	s = find(&e->snap, LAB_ROLE_QUEUED, LAB_TCP_UNKNOWN);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->fd, -1);
	ck_assert_int_eq(s->local.port, a.port);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_CLIENT,
	    LAB_TCP_ESTABLISHED));

	e = t_do(t, "server accept");
	ck_assert_int_ge(e->ret, 0);
	ck_assert(e->has_addr);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_CONN,
	    LAB_TCP_ESTABLISHED));
	ck_assert_ptr_null(find(&e->snap, LAB_ROLE_QUEUED, LAB_TCP_UNKNOWN));
	s = find(&e->snap, LAB_ROLE_LISTENER, LAB_TCP_LISTEN);
	ck_assert_uint_eq(s->accept_queue, 0);

	/* Bytes wait in the receive queue until recv. */
	e = t_do(t, "client send hello\\n");
	ck_assert_int_eq(e->ret, 6);
	ck_assert_str_eq(e->data, "hello\\n");
	{
		struct lab_sock c = t_wait_sock(t, LAB_ROLE_CONN,
		    LAB_TCP_ESTABLISHED);

		ck_assert_uint_eq(c.rx_queue, 6);
	}
	e = t_do(t, "server recv");
	ck_assert_int_eq(e->ret, 6);
	ck_assert_int_eq(e->num, 1024);
	ck_assert_str_eq(e->data, "hello\\n");
	s = find(&e->snap, LAB_ROLE_CONN, LAB_TCP_ESTABLISHED);
	ck_assert_uint_eq(s->rx_queue, 0);
	ck_assert_uint_eq(s->bytes_in, 6);

	/* The client closes first: the server sees CLOSE_WAIT, the client
	 * ends in TIME_WAIT once the server closes too. */
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	t_wait_sock(t, LAB_ROLE_CONN, LAB_TCP_CLOSE_WAIT);
	e = t_do(t, "server recv");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	{
		struct lab_sock tw = t_wait_sock(t, LAB_ROLE_TIMEWAIT,
		    LAB_TCP_TIME_WAIT);

		ck_assert_int_eq(tw.fd, -1);
		ck_assert_int_eq(tw.peer.port, a.port);
		ck_assert_uint_gt(tw.timer_ms, 0);
		ck_assert_uint_le(tw.timer_ms, 60000);
	}
	t_free(t);
}
END_TEST

START_TEST(test_accept_first)
{
	struct t *t = t_new();
	struct lab_event *e;
	size_t iblocked;

	server_up(t);
	/* accept blocks; connect runs; then accept returns. */
	t_post(t, "server accept");
	t_post(t, "client socket");
	t_post(t, "client connect");
	e = t_expect(t, LAB_EV_BLOCKED, LAB_CALL_ACCEPT);
	iblocked = (size_t)(e - t->ev);
	e = t_expect(t, LAB_EV_CALL, LAB_CALL_CONNECT);
	ck_assert_int_eq(e->ret, 0);
	ck_assert_uint_gt((size_t)(e - t->ev), iblocked);
	e = t_expect(t, LAB_EV_CALL, LAB_CALL_ACCEPT);
	ck_assert_int_ge(e->ret, 0);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_CONN,
	    LAB_TCP_ESTABLISHED));
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_CLIENT,
	    LAB_TCP_ESTABLISHED));
	t_settle(t);
	ck_assert(!lab_waiting(t->lab));

	/* The server closes first: TIME_WAIT on the bartender's port. */
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	t_wait_sock(t, LAB_ROLE_CLIENT, LAB_TCP_CLOSE_WAIT);
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	{
		struct lab_sock tw = t_wait_sock(t, LAB_ROLE_TIMEWAIT,
		    LAB_TCP_TIME_WAIT);
		struct lab_addr a;

		ck_assert(lab_server_addr(t->lab, &a));
		ck_assert_int_eq(tw.local.port, a.port);
		ck_assert_int_eq(tw.side, LAB_SERVER);
	}
	t_free(t);
}
END_TEST

START_TEST(test_refused)
{
	struct t *t;
	struct lab_config cfg;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	struct lab_event *e;
	int fd;

	/* A port nobody listens on: bind one, note it, close it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	close(fd);
	memset(&cfg, 0, sizeof cfg);
	cfg.port = ntohs(sin.sin_port);
	t = t_new_cfg(&cfg);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	e = t_do(t, "client connect");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, ECONNREFUSED);
	ck_assert_int_eq(e->addr.port, cfg.port);
	t_free(t);
}
END_TEST


/* Waits up to ms for fd to be readable. */
static bool
readable(int fd, int ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, ms) == 1;
}

/* Reads one line from fd into buf (without '\n'); false at EOF or when
 * nothing comes in time. */
static bool
read_line(int fd, char *buf, size_t len)
{
	size_t o = 0;

	while (o + 1 < len) {
		char ch;

		if (!readable(fd, WAIT_MS) || read(fd, &ch, 1) != 1)
			break;
		if (ch == '\n') {
			buf[o] = '\0';
			return true;
		}
		buf[o++] = ch;
	}
	buf[o] = '\0';
	return false;
}

/* Reads until EOF; returns the byte count (the text, cut, in buf). */
static size_t
read_all(int fd, char *buf, size_t len)
{
	size_t o = 0;
	char tmp[4096];
	ssize_t r;

	while (readable(fd, WAIT_MS) && (r = read(fd, tmp, sizeof tmp)) > 0) {
		size_t k = (size_t)r < len - 1 - o ? (size_t)r : len - 1 - o;

		memcpy(buf + o, tmp, k);
		o += k;
	}
	buf[o] = '\0';
	return o;
}

/* An outside customer: a plain socket connected to the bartender. */
static int
guest_connect(struct t *t)
{
	struct sockaddr_in sin;
	struct lab_addr a;
	int fd;

	ck_assert(lab_server_addr(t->lab, &a));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(a.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

static void
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t r = write(fd, c, n);

		ck_assert_int_gt(r, 0);
		c += r;
		n -= (size_t)r;
	}
}

/* What the UI may print: no control byte, valid UTF-8 of visible
 * characters only (an accent is fine, an escape sequence never). */
static void
assert_printable(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f,
		    "raw byte %#x in an event", (unsigned char)*p);
	ck_assert_msg(util_text_safe(s, strlen(s)), "unsafe text in an "
	    "event: %s", s);
}

START_TEST(test_out_of_order)
{
	struct t *t = t_new();
	struct lab_event *e;

	/* Calls on sockets that do not exist fail as the kernel says. */
	e = t_do(t, "server listen");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, EBADF);
	e = t_do(t, "client send hi");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, EBADF);
	/* A client before any bartender: nothing listens on the port. */
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	server_up(t);
	/* listen without bind takes a free port; accept after connect. */
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	e = t_do(t, "server accept");
	ck_assert_int_ge(e->ret, 0);
	e = t_do(t, "server send welcome\\n");
	ck_assert_int_eq(e->ret, 8);
	{
		struct lab_sock c = t_wait_sock(t, LAB_ROLE_CLIENT,
		    LAB_TCP_ESTABLISHED);

		ck_assert_uint_eq(c.rx_queue, 8);
	}
	e = t_do(t, "client recv 3");
	ck_assert_int_eq(e->ret, 3);
	ck_assert_str_eq(e->data, "wel");
	e = t_do(t, "client shutdown wr");
	ck_assert_int_eq(e->ret, 0);
	t_wait_sock(t, LAB_ROLE_CONN, LAB_TCP_CLOSE_WAIT);
	t_wait_sock(t, LAB_ROLE_CLIENT, LAB_TCP_FIN_WAIT2);
	t_free(t);
}
END_TEST

START_TEST(test_wake_fd)
{
	struct t *t = t_new();
	struct lab_event ev[4];

	ck_assert(!readable(lab_wake_fd(t->lab), 0));
	t_post(t, "server socket");
	ck_assert(readable(lab_wake_fd(t->lab), WAIT_MS));
	ck_assert_uint_eq(lab_drain(t->lab, ev, 4), 1);
	ck_assert_int_eq(ev[0].kind, LAB_EV_CALL);
	ck_assert_int_eq(ev[0].call, LAB_CALL_SOCKET);
	ck_assert_ptr_nonnull(find(&ev[0].snap, LAB_ROLE_LISTENER,
	    LAB_TCP_CLOSE));
	ck_assert(!readable(lab_wake_fd(t->lab), 0));
	t_free(t);
}
END_TEST

START_TEST(test_reset_cancels_accept)
{
	struct t *t = t_new();
	struct lab_event *e;
	uint64_t t0;

	server_up(t);
	t_post(t, "server accept");
	t_post(t, "server send never\\n");
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_ACCEPT);
	ck_assert(lab_waiting(t->lab));
	/* The send waits behind the bartender's accept: only a customer
	 * can move the lab on now, so the lab counts as settled. */
	ck_assert(lab_settled(t->lab));
	t0 = util_now_us();
	lab_reset(t->lab);
	ck_assert_uint_lt(util_now_us() - t0, 500000);
	ck_assert(!lab_waiting(t->lab));
	ck_assert(lab_settled(t->lab));
	e = t_expect(t, LAB_EV_CANCELLED, LAB_CALL_ACCEPT);
	e = t_expect(t, LAB_EV_RESET, LAB_CALL_NONE);
	ck_assert_ptr_null(find(&e->snap, LAB_ROLE_LISTENER,
	    LAB_TCP_UNKNOWN));
	ck_assert(!lab_server_addr(t->lab, &e->addr));
	/* The queued send was dropped; the lab runs the replay. */
	server_up(t);
	t_settle(t);
	{
		size_t i;

		for (i = 0; i < t->n; i++)
			ck_assert(t->ev[i].call != LAB_CALL_SEND);
	}
	t_free(t);
}
END_TEST

START_TEST(test_free_cancels_recv)
{
	struct t *t = t_new();
	uint64_t t0;

	server_up(t);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	t_post(t, "server recv");
	t_post(t, "client recv");
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_RECV);
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_RECV);
	t0 = util_now_us();
	lab_free(t->lab);
	ck_assert_uint_lt(util_now_us() - t0, 500000);
	free(t->ev);
	free(t);
}
END_TEST

START_TEST(test_reset_cancels_recv)
{
	struct t *t = t_new();

	server_up(t);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	t_post(t, "client recv");
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_RECV);
	lab_reset(t->lab);
	t_expect(t, LAB_EV_CANCELLED, LAB_CALL_RECV);
	t_expect(t, LAB_EV_RESET, LAB_CALL_NONE);
	t_free(t);
}
END_TEST

START_TEST(test_port_fallback)
{
	struct lab_addr where;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	struct lab_config cfg;
	struct lab_event *e;
	struct t *t;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.port = ntohs(sin.sin_port);
	t = t_new_cfg(&cfg);
	/* Taken already: the lab names its spare port before the bind
	 * (the classroom door opens on the next one). */
	lab_bar_where(t->lab, &where);
	ck_assert_int_ne(where.port, 0);
	ck_assert_int_ne(where.port, cfg.port);
	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	e = t_do(t, "server bind strict");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, EADDRINUSE);
	ck_assert_int_eq(e->addr.port, cfg.port);
	e = t_do(t, "server bind");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_ne(e->addr.port, 0);
	ck_assert_int_ne(e->addr.port, cfg.port);
	ck_assert_int_eq(e->addr.port, where.port);
	/* The fallback was announced before the bind's own event. */
	for (e = t->ev; e < t->ev + t->n; e++)
		if (e->kind == LAB_EV_PORT_FALLBACK)
			break;
	ck_assert_ptr_ne(e, t->ev + t->n);
	ck_assert_int_eq(e->num, cfg.port);
	ck_assert_int_eq(e->err, EADDRINUSE);
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	{
		struct lab_addr a;

		ck_assert(lab_server_addr(t->lab, &a));
		ck_assert_int_ne(a.port, cfg.port);
	}
	t_free(t);
	close(fd);
}
END_TEST

START_TEST(test_guest_order)
{
	struct t *t = t_new();
	struct lab_event *e;
	char line[512];
	int g;

	server_up(t);
	/* Before the bartender serves, a guest waits in the queue. */
	g = guest_connect(t);
	t_wait_sock(t, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	e = t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert(e->has_addr);
	ck_assert_str_eq(e->addr.host, "127.0.0.1");
	ck_assert_uint_eq(e->snap.guests, 1);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_GUEST,
	    LAB_TCP_ESTABLISHED));
	write_all(g, "a beer\n", 7);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "\"a beer\""));
	e = t_expect(t, LAB_EV_GUEST_ORDER, LAB_CALL_NONE);
	ck_assert_str_eq(e->data, "a beer");
	/* No newline: the order counts after a quiet pause. */
	write_all(g, "crisps", 6);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "\"crisps\""));
	e = t_expect(t, LAB_EV_GUEST_ORDER, LAB_CALL_NONE);
	ck_assert_str_eq(e->data, "crisps");
	{
		struct lab_sock s = t_wait_sock(t, LAB_ROLE_GUEST,
		    LAB_TCP_ESTABLISHED);

		ck_assert_uint_eq(s.orders, 2);
		ck_assert_str_eq(s.last, "crisps");
	}
	/* Guests stay across a reset. */
	lab_reset(t->lab);
	e = t_expect(t, LAB_EV_RESET, LAB_CALL_NONE);
	ck_assert_uint_eq(e->snap.guests, 1);
	write_all(g, "another\n", 8);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "\"another\""));
	close(g);
	e = t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	ck_assert_int_eq(e->err, 0);
	t_free(t);
}
END_TEST

/* Each socket says which lesson made it; the snapshot counts the guests
 * of earlier lessons, and the TIME_WAIT a close left, exactly, as the
 * lesson's that closed it. */
/* A guest who orders and leaves first: his end waits in TIME_WAIT and
 * the lab lists it (his program's, so both ends are remembered), though
 * the bartender's socket is no longer connected by the time he lets it
 * go, both FINs being through: the peer's address comes from accept. */
START_TEST(test_guest_timewait)
{
	struct t *t = t_new();
	struct lab_snapshot snap;
	struct sockaddr_in me;
	socklen_t ml = sizeof me;
	char buf[256];
	uint64_t end;
	bool found = false;
	size_t i;
	int g;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	ck_assert_int_eq(getsockname(g, (struct sockaddr *)&me, &ml), 0);
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	write_all(g, "tea\n", 4);
	ck_assert(read_line(g, buf, sizeof buf));
	close(g);
	t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	end = util_now_us() + WAIT_MS * 1000ull;
	while (!found) {
		lab_snapshot_now(t->lab, &snap);
		for (i = 0; i < snap.n; i++)
			found = found ||
			    (snap.socks[i].state == LAB_TCP_TIME_WAIT &&
			    snap.socks[i].local.port == ntohs(me.sin_port));
		ck_assert_msg(found || util_now_us() < end, "the guest's "
		    "TIME_WAIT (port %u) is not in the snapshot",
		    ntohs(me.sin_port));
		if (!found)
			usleep(10000);
	}
	t_free(t);
}
END_TEST

START_TEST(test_counts_and_lessons)
{
	struct t *t = t_new();
	struct lab_snapshot snap;
	const struct lab_sock *l;
	struct lab_event *e;
	uint64_t end;
	int g;

	lab_set_lesson(t->lab, 7);
	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	e = t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert_uint_eq(e->snap.guests, 1);
	ck_assert_uint_eq(e->snap.old_guests, 0);
	ck_assert_int_eq(e->snap.lesson, 7);
	lab_set_lesson(t->lab, 8);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	e = t_do(t, "client close");
	ck_assert_int_eq(e->snap.lesson, 8);
	ck_assert_uint_eq(e->snap.old_guests, 1);
	l = find(&e->snap, LAB_ROLE_LISTENER, LAB_TCP_LISTEN);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->lesson, 7);
	/* The bartender closes its end once the customer has: the
	 * customer's end waits in TIME_WAIT, found by its addresses. */
	end = util_now_us() + WAIT_MS * 1000ull;
	for (;;) {
		lab_snapshot_now(t->lab, &snap);
		if (snap.timewait == 1)
			break;
		ck_assert_msg(util_now_us() < end, "timewait %u",
		    snap.timewait);
		usleep(10000);
	}
	l = find(&snap, LAB_ROLE_TIMEWAIT, LAB_TCP_TIME_WAIT);
	ck_assert_ptr_nonnull(l);
	/* It is the lesson's that closed the socket, ... */
	ck_assert_int_eq(l->lesson, 8);
	ck_assert_uint_eq(snap.old_left, 0);
	/* ... and in the next lesson it is counted apart from its own. */
	lab_set_lesson(t->lab, 9);
	lab_snapshot_now(t->lab, &snap);
	l = find(&snap, LAB_ROLE_TIMEWAIT, LAB_TCP_TIME_WAIT);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->lesson, 8);
	ck_assert_int_eq(snap.lesson, 9);
	ck_assert_uint_eq(snap.timewait, 0);
	ck_assert_uint_eq(snap.old_left, 1);
	close(g);
	t_free(t);
}
END_TEST

START_TEST(test_guest_http)
{
	struct t *t = t_new();
	struct lab_event *e;
	char buf[4096], *body;
	int g;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	write_all(g, "GET /menu HTTP/1.1\r\nHost: bar\r\n\r\n", 34);
	read_all(g, buf, sizeof buf);
	ck_assert(strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: text/plain"));
	body = strstr(buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	ck_assert_int_eq(strtol(strstr(buf, "Content-Length: ") + 16, NULL,
	    10), (long)strlen(body + 4));
	e = t_expect(t, LAB_EV_GUEST_HTTP, LAB_CALL_NONE);
	ck_assert_str_eq(e->data, "GET /menu HTTP/1.1");
	t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	close(g);
	/* A target longer than the part of a line kept for the reply is
	 * still a request, answered as one, and the connection closed. */
	{
		char req[600];
		int n = snprintf(req, sizeof req, "GET /%0500d HTTP/1.1\r\n"
		    "Host: bar\r\n\r\n", 7);

		g = guest_connect(t);
		write_all(g, req, (size_t)n);
		read_all(g, buf, sizeof buf);
		ck_assert_msg(strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) == 0,
		    "%s", buf);
		close(g);
	}
	t_free(t);
}
END_TEST

START_TEST(test_bar_full)
{
	struct lab_config cfg;
	struct lab_event *e;
	char buf[512];
	struct t *t;
	int g[3], i;

	memset(&cfg, 0, sizeof cfg);
	cfg.max_customers = 2;
	t = t_new_cfg(&cfg);
	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	for (i = 0; i < 2; i++) {
		g[i] = guest_connect(t);
		t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	}
	g[2] = guest_connect(t);
	ck_assert(read_line(g[2], buf, sizeof buf));
	ck_assert_ptr_nonnull(strstr(buf, "full right now: 2 customers are "
	    "inside"));
	ck_assert(!read_line(g[2], buf, sizeof buf));
	e = t_expect(t, LAB_EV_GUEST_REFUSED, LAB_CALL_NONE);
	ck_assert(e->has_addr);
	ck_assert_uint_eq(e->snap.guests, 2);
	/* The two inside are still served. */
	write_all(g[1], "water\n", 6);
	ck_assert(read_line(g[1], buf, sizeof buf));
	ck_assert_ptr_nonnull(strstr(buf, "water"));
	for (i = 0; i < 3; i++)
		close(g[i]);
	t_free(t);
}
END_TEST

/* An outside customer from another loopback address (127.0.0.N). */
static int
guest_connect_from(struct t *t, const char *from)
{
	struct sockaddr_in sin;
	struct lab_addr a;
	int fd;

	ck_assert(lab_server_addr(t->lab, &a));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, from, &sin.sin_addr), 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	sin.sin_port = htons(a.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

/* --max-per-address: a neighbour keeping many slow connections open
 * (slowloris, a byte a second each) gets only its share of the seats;
 * the others are told why, and everybody else is still served. */
START_TEST(test_per_address)
{
	struct lab_config cfg;
	struct lab_event *e;
	char buf[512];
	struct t *t;
	int slow[6], g, i, k, seated = 0, refused = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.max_per_address = 2;
	t = t_new_cfg(&cfg);
	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	for (i = 0; i < 6; i++)
		slow[i] = guest_connect_from(t, "127.0.0.4");
	/* A byte a second from each, five times over. */
	for (k = 0; k < 5; k++) {
		for (i = 0; i < 6; i++)
			if (send(slow[i], "x", 1, MSG_NOSIGNAL) < 0) {
				/* refused: closed by the bar */
			}
		t_watch(t, 1000);
	}
	for (i = 0; i < 6; i++) {
		ck_assert(read_line(slow[i], buf, sizeof buf));
		if (strstr(buf, "full for your address: 2 customers") != NULL)
			refused++;
		else if (strstr(buf, "Here you are") != NULL)
			seated++;
	}
	ck_assert_int_eq(seated, 2);
	ck_assert_int_eq(refused, 4);
	e = t_expect(t, LAB_EV_GUEST_REFUSED, LAB_CALL_NONE);
	ck_assert_str_eq(e->addr.host, "127.0.0.4");
	ck_assert_int_eq(e->value, 1);
	/* Another address still gets in and is served. */
	g = guest_connect_from(t, "127.0.0.5");
	write_all(g, "tea\n", 4);
	ck_assert(read_line(g, buf, sizeof buf));
	ck_assert_ptr_nonnull(strstr(buf, "\"tea\""));
	for (i = 0; i < 6; i++)
		close(slow[i]);
	close(g);
	t_free(t);
}
END_TEST

START_TEST(test_guest_junk)
{
	struct t *t = t_new();
	static const char evil[] = "\x1b[2J\x1b]0;owned\x07\x9b\x00z\n";
	size_t big = 1u << 20, i;
	char *junk = xmalloc(big), line[512];
	struct lab_event *e;
	int g, g2;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	write_all(g, evil, sizeof evil - 1);
	ck_assert(read_line(g, line, sizeof line));
	assert_printable(line);
	ck_assert_ptr_nonnull(strstr(line, "\\x1b[2J"));
	e = t_expect(t, LAB_EV_GUEST_ORDER, LAB_CALL_NONE);
	assert_printable(e->data);
	/* An accented order comes back as it was; a disguise does not. */
	write_all(g, "caff\xc3\xa8 \xe2\x80\xae" "ok\n", 13);
	ck_assert(read_line(g, line, sizeof line));
	assert_printable(line);
	ck_assert_ptr_nonnull(strstr(line, "\"caff\xc3\xa8 \\xe2\\x80\\xaeok\""));
	e = t_expect(t, LAB_EV_GUEST_ORDER, LAB_CALL_NONE);
	assert_printable(e->data);
	ck_assert_str_eq(e->data, "caff\xc3\xa8 \\xe2\\x80\\xaeok");
	/* A megabyte without a newline: one order, one reply. */
	for (i = 0; i < big; i++)
		junk[i] = (char)(i % 251 == 10 ? 0x1b : i % 256);
	for (i = 0; i < big; i++)
		if (junk[i] == '\n')
			junk[i] = 'x';
	write_all(g, junk, big);
	write_all(g, "\n", 1);
	ck_assert(read_line(g, line, sizeof line));
	assert_printable(line);
	ck_assert_ptr_nonnull(strstr(line, "4096"));
	ck_assert(!readable(g, 300));
	/* A second guest resets mid-order. */
	g2 = guest_connect(t);
	write_all(g2, "half an ord", 11);
	{
		struct linger lg = { 1, 0 };

		ck_assert_int_eq(setsockopt(g2, SOL_SOCKET, SO_LINGER, &lg,
		    sizeof lg), 0);
		close(g2);
	}
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	/* The lab still runs the lesson's next steps: its own customer
	 * orders and is served. */
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	e = t_do(t, "client send ok\\n");
	ck_assert_int_eq(e->ret, 3);
	e = t_do(t, "client recv");
	ck_assert_int_gt(e->ret, 0);
	ck_assert_ptr_nonnull(strstr(e->data, "ok"));
	t_settle(t);
	for (i = 0; i < t->n; i++) {
		size_t k;

		assert_printable(t->ev[i].data);
		for (k = 0; k < t->ev[i].snap.n; k++)
			assert_printable(t->ev[i].snap.socks[k].last);
	}
	close(g);
	free(junk);
	t_free(t);
}
END_TEST

START_TEST(test_guest_while_blocked)
{
	struct t *t = t_new();
	struct lab_event *e;
	char line[512];
	int g;

	server_up(t);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	t_post(t, "server recv");
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_RECV);
	/* The bartender waits for its customer and still serves guests. */
	write_all(g, "tea\n", 4);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "\"tea\""));
	ck_assert(lab_waiting(t->lab));
	t_post(t, "client send hi");
	e = t_expect(t, LAB_EV_CALL, LAB_CALL_RECV);
	ck_assert_int_eq(e->ret, 2);
	close(g);
	t_free(t);
}
END_TEST

START_TEST(test_guest_flood)
{
	struct t *t = t_new();
	size_t n = 20000, i, lines = 0, orders = 0;
	char *many = xmalloc(2 * n), buf[8192];
	uint64_t t0;
	ssize_t r;
	int g;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	/* Accepted as a guest before the lesson's own accept runs (which
	 * would otherwise take the first connection in the queue). */
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	for (i = 0; i < n; i++)
		memcpy(many + 2 * i, "a\n", 2);
	/* Twenty thousand orders, and the guest reads no answer yet. */
	write_all(g, many, 2 * n);
	t0 = util_now_us();
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_eq(t_do(t, "client send ok\\n")->ret, 3);
	ck_assert_int_gt(t_do(t, "client recv")->ret, 0);
	ck_assert_uint_lt(util_now_us() - t0, 1000000);
	/* Every order gets exactly one line. */
	while (lines < n && readable(g, WAIT_MS) &&
	    (r = read(g, buf, sizeof buf)) > 0)
		for (i = 0; i < (size_t)r; i++)
			lines += buf[i] == '\n';
	ck_assert_uint_eq(lines, n);
	ck_assert(!readable(g, 300));
	t_pump(t, 0);
	for (i = 0; i < t->n; i++)
		orders += t->ev[i].kind == LAB_EV_GUEST_ORDER;
	/* Events were thinned out, not one snapshot per order. */
	ck_assert_uint_gt(orders, 0);
	ck_assert_uint_lt(orders, 1000);
	close(g);
	free(many);
	t_free(t);
}
END_TEST


/* Waits for a guest's LAB_EV_GUEST_ARRIVED with this value. */
static bool
t_arrived(struct t *t, int value)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;

	for (;;) {
		for (size_t i = 0; i < t->n; i++)
			if (t->ev[i].kind == LAB_EV_GUEST_ARRIVED &&
			    t->ev[i].value == value)
				return true;
		if (util_now_us() >= end)
			return false;
		t_pump(t, 10);
	}
}

START_TEST(test_guests_wait)
{
	struct t *t = t_new();
	const struct lab_sock *conn, *client;
	struct lab_snapshot snap;
	struct lab_event *e;
	char line[256];
	int g;

	/* A guest comes first; with guests wait on, the lesson's accept()
	 * sets it aside and returns the lab's own customer. */
	server_up(t);
	lab_hold_guests(t->lab, true);
	g = guest_connect(t);
	write_all(g, "espresso\n", 9);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	e = t_do(t, "server accept");
	ck_assert_int_ge(e->ret, 0);
	conn = find(&e->snap, LAB_ROLE_CONN, LAB_TCP_ESTABLISHED);
	client = find(&e->snap, LAB_ROLE_CLIENT, LAB_TCP_ESTABLISHED);
	ck_assert_ptr_nonnull(conn);
	ck_assert_ptr_nonnull(client);
	ck_assert_int_eq(conn->peer.port, client->local.port);
	ck_assert(t_arrived(t, 1));
	lab_snapshot_now(t->lab, &snap);
	ck_assert_uint_eq(snap.held, 1);
	ck_assert_uint_eq(snap.guests, 0);
	/* Set aside: connected, never answered. */
	ck_assert(!readable(g, 300));
	/* Off: the guest is served. */
	lab_hold_guests(t->lab, false);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert(t_arrived(t, 2));
	lab_snapshot_now(t->lab, &snap);
	ck_assert_uint_eq(snap.held, 0);
	ck_assert_uint_eq(snap.guests, 1);
	close(g);
	t_free(t);
}
END_TEST

START_TEST(test_accept_does_not_serve)
{
	struct t *t = t_new();
	struct lab_sock q;
	int g;

	/* After the lesson's accept the bartender serves nobody by itself:
	 * a newcomer waits in the accept queue. */
	server_up(t);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	g = guest_connect(t);
	q = t_wait_sock(t, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED);
	ck_assert_int_eq(q.fd, -1);
	/* A call of the bartender's own: it has had a round with the
	 * newcomer waiting, and its news has gone out, before it runs. */
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	q = t_wait_sock(t, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED);
	ck_assert_int_eq(q.fd, -1);
	t_pump(t, 0);
	for (size_t i = 0; i < t->n; i++)
		ck_assert(t->ev[i].kind != LAB_EV_GUEST_ARRIVED);
	close(g);
	t_free(t);
}
END_TEST

START_TEST(test_serve_own_customer)
{
	struct t *t = t_new();
	struct lab_event *e;
	size_t i;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_eq(t_do(t, "client send espresso\\n")->ret, 9);
	e = t_do(t, "client recv");
	ck_assert_int_gt(e->ret, 0);
	ck_assert_ptr_nonnull(strstr(e->data, "espresso"));
	/* The bartender's end is a connection, not a guest. */
	ck_assert_uint_eq(e->snap.guests, 0);
	ck_assert_ptr_nonnull(find(&e->snap, LAB_ROLE_CONN,
	    LAB_TCP_ESTABLISHED));
	for (i = 0; i < t->n; i++)
		ck_assert(t->ev[i].kind != LAB_EV_GUEST_ARRIVED &&
		    t->ev[i].kind != LAB_EV_GUEST_ORDER);
	t_free(t);
}
END_TEST

/* How many sockets of role in state a snapshot has. */
static unsigned
count_socks(const struct lab_snapshot *s, enum lab_role role,
    enum lab_tcp state)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		n += s->socks[i].role == role && s->socks[i].state == state;
	return n;
}

START_TEST(test_crowd_queue)
{
	struct t *t = t_new();
	struct lab_snapshot snap;
	const struct lab_sock *l;
	struct lab_event *e;
	uint64_t end;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server bind")->ret, 0);
	ck_assert_int_eq(t_do(t, "server listen 2")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	e = t_do(t, "client crowd 5");
	ck_assert_int_eq(e->ret, 5);
	ck_assert_int_eq(e->num, 5);
	/* Backlog 2: three wait in the queue, two in SYN_SENT. */
	end = util_now_us() + WAIT_MS * 1000ull;
	for (;;) {
		lab_snapshot_now(t->lab, &snap);
		if (count_socks(&snap, LAB_ROLE_QUEUED,
		    LAB_TCP_ESTABLISHED) == 3 && count_socks(&snap,
		    LAB_ROLE_CLIENT, LAB_TCP_SYN_SENT) == 2)
			break;
		ck_assert_msg(util_now_us() < end, "queue %u, syn_sent %u",
		    count_socks(&snap, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED),
		    count_socks(&snap, LAB_ROLE_CLIENT, LAB_TCP_SYN_SENT));
		usleep(20000);
	}
	l = find(&snap, LAB_ROLE_LISTENER, LAB_TCP_LISTEN);
	ck_assert_uint_eq(l->accept_queue, 3);
	ck_assert_uint_eq(snap.queued, 3);
	ck_assert_uint_eq(snap.knocking, 2);
	ck_assert_uint_eq(l->backlog, 2);
	t_free(t);
}
END_TEST

START_TEST(test_serve_one)
{
	struct t *t = t_new();
	struct lab_snapshot snap;
	uint64_t end;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve one")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_eq(t_do(t, "client send espresso\\n")->ret, 9);
	ck_assert_int_gt(t_do(t, "client recv")->ret, 0);
	/* While the first is served, a crowd waits in the queue. */
	ck_assert_int_eq(t_do(t, "client crowd 3")->ret, 3);
	end = util_now_us() + WAIT_MS * 1000ull;
	for (;;) {
		lab_snapshot_now(t->lab, &snap);
		if (count_socks(&snap, LAB_ROLE_QUEUED,
		    LAB_TCP_ESTABLISHED) == 3)
			break;
		ck_assert_msg(util_now_us() < end, "queued %u",
		    count_socks(&snap, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED));
		usleep(10000);
	}
	/* The bartender has had rounds since: still nobody taken. */
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	lab_snapshot_now(t->lab, &snap);
	ck_assert_uint_eq(count_socks(&snap, LAB_ROLE_QUEUED,
	    LAB_TCP_ESTABLISHED), 3);
	/* One leaves, the next is taken. */
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	end = util_now_us() + WAIT_MS * 1000ull;
	do {
		ck_assert_msg(util_now_us() < end, "queued %u conn %u guests %u",
		    count_socks(&snap, LAB_ROLE_QUEUED, LAB_TCP_ESTABLISHED),
		    count_socks(&snap, LAB_ROLE_CONN, LAB_TCP_ESTABLISHED),
		    snap.guests);
		usleep(20000);
		lab_snapshot_now(t->lab, &snap);
	} while (count_socks(&snap, LAB_ROLE_QUEUED,
	    LAB_TCP_ESTABLISHED) != 2);
	/* serve (all): everyone comes in. */
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	end = util_now_us() + WAIT_MS * 1000ull;
	do {
		ck_assert(util_now_us() < end);
		usleep(20000);
		lab_snapshot_now(t->lab, &snap);
	} while (count_socks(&snap, LAB_ROLE_QUEUED,
	    LAB_TCP_ESTABLISHED) != 0);
	t_free(t);
}
END_TEST

START_TEST(test_udp)
{
	struct t *t = t_new();
	struct lab_event *e;
	struct lab_addr a;

	char line[256], want[128];

	e = t_do(t, "server socket udp");
	ck_assert_int_ge(e->ret, 0);
	lab_format_call(e, line, sizeof line);
	snprintf(want, sizeof want, "socket(AF_INET, SOCK_DGRAM, 0) = %ld",
	    e->ret);
	ck_assert_str_eq(line, want);
	e = t_do(t, "server bind");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(e->snap.socks[0].type, SOCK_DGRAM);
	ck_assert(lab_server_addr(t->lab, &a));
	ck_assert_int_ge(t_do(t, "client socket udp")->ret, 0);
	e = t_do(t, "client sendto water\\n");
	ck_assert_int_eq(e->ret, 6);
	lab_format_call(e, line, sizeof line);
	snprintf(want, sizeof want, "sendto(%d, \"water\\n\", 6, "
	    "127.0.0.1:%u) = 6", e->fd, a.port);
	ck_assert_str_eq(line, want);
	ck_assert_int_eq(t_do(t, "client sendto tea\\n")->ret, 4);
	/* Each datagram stays whole. */
	e = t_do(t, "server recvfrom");
	ck_assert_int_eq(e->ret, 6);
	ck_assert_str_eq(e->data, "water\\n");
	ck_assert(e->has_addr);
	e = t_do(t, "server recvfrom");
	ck_assert_int_eq(e->ret, 4);
	e = t_do(t, "server sendto here you are\\n");
	ck_assert_int_eq(e->ret, 13);
	e = t_do(t, "client recvfrom");
	ck_assert_int_eq(e->ret, 13);
	ck_assert_int_eq(e->addr.port, a.port);
	/* Nothing more: recvfrom waits, and a reset cancels it. */
	t_post(t, "server recvfrom");
	t_expect(t, LAB_EV_BLOCKED, LAB_CALL_RECVFROM);
	lab_reset(t->lab);
	t_expect(t, LAB_EV_CANCELLED, LAB_CALL_RECVFROM);
	t_free(t);
}
END_TEST

START_TEST(test_nohtons_and_ports)
{
	struct t *t = t_new();
	struct lab_event *e;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	e = t_do(t, "server bind nohtons port=5555");
	/* Another run of this test may hold 45845: then bind falls back. */
	if (e->ret == 0 && e->addr.port == ntohs(5555)) {
		/* 5555 is 0x15b3; the kernel reads 0xb315 = 45845. */
		ck_assert_int_eq(e->addr.port, ntohs(5555));
		ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
		ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
		e = t_do(t, "client connect port=5555");
		ck_assert_int_eq(e->addr.port, 5555);
		if (e->ret == -1)
			ck_assert_int_eq(e->err, ECONNREFUSED);
		ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
		e = t_do(t, "client connect addr=127.0.0.1");
		ck_assert_int_eq(e->ret, 0);
		ck_assert_int_eq(e->addr.port, ntohs(5555));
	}
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	e = t_do(t, "client connect addr=nonsense");
	ck_assert_int_eq(e->ret, -1);
	t_free(t);
}
END_TEST

START_TEST(test_getaddrinfo)
{
	struct t *t = t_new();
	struct lab_event *e;

	char line[256];

	e = t_do(t, "client getaddrinfo localhost");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_ge(e->num, 1);
	ck_assert(e->has_addr);
	ck_assert_ptr_nonnull(strstr(e->data, "127.0.0.1"));
	lab_format_call(e, line, sizeof line);
	ck_assert_msg(strncmp(line, "getaddrinfo(\"localhost\", NULL, "
	    "&hints, &res) = 0: ", 45) == 0, "%s", line);
	ck_assert_ptr_nonnull(strstr(line, "127.0.0.1"));
	e = t_do(t, "client getaddrinfo no.such.host.invalid");
	ck_assert_int_ne(e->ret, 0);
	ck_assert_int_eq(e->num, 0);
	lab_format_call(e, line, sizeof line);
	ck_assert_msg(strstr(line, ") = EAI_") != NULL, "%s", line);
	t_free(t);
}
END_TEST

#ifdef LAB_TEST_IPV6
/* A dual-stack bartender serves IPv4 and IPv6 customers alike, when
 * --listen=:: asked for every address. */
START_TEST(test_dual_stack)
{
	struct t *t;
	struct lab_config cfg;
	struct lab_event *e;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "::";
	t = t_new_cfg(&cfg);
	ck_assert_int_ge(t_do(t, "server socket ipv6")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt reuseaddr")->ret, 0);
	e = t_do(t, "server setsockopt v6only 0");
	ck_assert_int_eq(e->ret, 0);
	{
		char line[128], want[128];

		lab_format_call(e, line, sizeof line);
		snprintf(want, sizeof want, "setsockopt(%d, IPPROTO_IPV6, "
		    "IPV6_V6ONLY, 0) = 0", e->fd);
		ck_assert_str_eq(line, want);
	}
	e = t_do(t, "server bind addr=::");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(e->addr.family, AF_INET6);
	ck_assert_str_eq(e->addr.host, "::");
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket ipv4")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect addr=127.0.0.1")->ret, 0);
	ck_assert_int_eq(t_do(t, "client send tea\\n")->ret, 4);
	e = t_do(t, "client recv");
	ck_assert_int_gt(e->ret, 0);
	ck_assert_uint_eq(e->snap.guests, 0);
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket ipv6")->ret, 0);
	e = t_do(t, "client connect addr=::1");
	ck_assert_int_eq(e->ret, 0);
	ck_assert_int_eq(t_do(t, "client send tea\\n")->ret, 4);
	ck_assert_int_gt(t_do(t, "client recv")->ret, 0);
	t_free(t);
}
END_TEST

/* Without --listen=::, lesson 15's bind to :: goes to ::1, IPv6 only,
 * and says so: the machine's other addresses never see the bartender,
 * and an IPv4 customer is refused. */
START_TEST(test_dual_stack_kept)
{
	struct t *t;
	struct lab_config cfg;
	struct lab_event *e;
	int v6only = 0;
	socklen_t len = sizeof v6only;

	memset(&cfg, 0, sizeof cfg);
	t = t_new_cfg(&cfg);
	ck_assert_int_ge(t_do(t, "server socket ipv6")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt v6only 0")->ret, 0);
	t_post(t, "server bind addr=::");
	e = t_expect(t, LAB_EV_ADDR_KEPT, LAB_CALL_BIND);
	ck_assert_str_eq(e->addr.host, "::");
	ck_assert_str_eq(e->data, "::1");
	e = t_expect(t, LAB_EV_CALL, LAB_CALL_BIND);
	ck_assert_int_eq(e->ret, 0);
	ck_assert_str_eq(e->addr.host, "::1");
	ck_assert_int_eq(getsockopt(e->fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &v6only, &len), 0);
	ck_assert_int_eq(v6only, 1);
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket ipv4")->ret, 0);
	e = t_do(t, "client connect addr=127.0.0.1");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_int_eq(e->err, ECONNREFUSED);
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket ipv6")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect addr=::1")->ret, 0);
	ck_assert_int_eq(t_do(t, "client send tea\\n")->ret, 4);
	ck_assert_int_gt(t_do(t, "client recv")->ret, 0);
	t_free(t);
}
END_TEST
#endif

START_TEST(test_guest_idle)
{
	struct lab_config cfg;
	struct lab_event *e;
	char line[512];
	struct t *t;
	int g;

	memset(&cfg, 0, sizeof cfg);
	cfg.idle_ms = 300;
	t = t_new_cfg(&cfg);
	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert(read_line(g, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "quiet"));
	ck_assert(!read_line(g, line, sizeof line));
	e = t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	ck_assert_int_eq(e->err, ETIMEDOUT);
	ck_assert_uint_eq(e->snap.guests, 0);
	close(g);
	t_free(t);
}
END_TEST

/* A guest dropped while another copy of its descriptor lives (a child
 * between fork() and exec() holds one) must leave the bartender's epoll
 * set: the guest's later bytes would otherwise wake the bartender for a
 * guest that is gone. */
START_TEST(test_guest_dropped_while_copied)
{
	struct lab_config cfg;
	char line[512], go = 0;
	struct t *t;
	int g, g2, p[2];
	pid_t child;

	memset(&cfg, 0, sizeof cfg);
	cfg.idle_ms = 300;
	t = t_new_cfg(&cfg);
	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = guest_connect(t);
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert_int_eq(pipe(p), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* Holds every descriptor until told to go. */
		close(p[1]);
		while (read(p[0], &go, 1) == -1 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	ck_assert_int_eq(t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE)->err,
	    ETIMEDOUT);
	/* The guest's socket still exists in the child: bytes and a FIN. */
	ck_assert_int_eq(write(g, "tea\n", 4), 4);
	close(g);
	/* The bar goes on serving: a new guest is answered. */
	g2 = guest_connect(t);
	t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert_int_eq(write(g2, "coffee\n", 7), 7);
	ck_assert(read_line(g2, line, sizeof line));
	ck_assert_ptr_nonnull(strstr(line, "coffee"));
	close(g2);
	ck_assert_int_eq(write(p[1], &go, 1), 1);
	close(p[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	t_free(t);
}
END_TEST

/* CPU seconds this process has used. */
static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

START_TEST(test_emfile_backoff)
{
	struct t *t = t_new();
	struct rlimit rl, low;
	struct sockaddr_in sin;
	struct lab_addr a;
	int g[4], i, maxfd = 0;
	double c0;

	server_up(t);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	ck_assert(lab_server_addr(t->lab, &a));
	for (i = 0; i < 4; i++) {
		g[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ck_assert_int_ge(g[i], 0);
		if (g[i] > maxfd)
			maxfd = g[i];
	}
	/* Fewer than the backlog lets in, so that connect() returns. No
	 * descriptor left for the bartender's accept(). */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	low = rl;
	low.rlim_cur = (rlim_t)maxfd + 1;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(a.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(connect(g[i], (struct sockaddr *)&sin,
		    sizeof sin), 0);
	/* Not a wait for something to happen: a window in which the lab
	 * must stay calm while accept() keeps failing. */
	c0 = cpu_s();
	t_watch(t, 800);
	ck_assert_msg(cpu_s() - c0 < 0.3, "the lab spun for %.2f s of CPU",
	    cpu_s() - c0);
	/* With descriptors back, the waiting guests come in. */
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	for (i = 0; i < 4; i++)
		t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	for (i = 0; i < 4; i++)
		close(g[i]);
	t_free(t);
}
END_TEST

/* Waits until every posted command has run or waits for something. */
static void
t_quiet(struct t *t, const char *where)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;

	while (!lab_settled(t->lab) && !lab_waiting(t->lab)) {
		ck_assert_msg(util_now_us() < end, "%s: the lab is stuck",
		    where);
		t_pump(t, 10);
	}
	t_pump(t, 0);
}

START_TEST(test_real_lessons)
{
	const char *env = getenv("SOCKTUTOR_LESSONDIR");
	char *dir = env != NULL ? xstrdup(env) : tap_srcpath("lessons");
	struct lesson **ls;
	char *cause = NULL;
	int n, i;

	n = lesson_load_dir(dir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : dir);
	for (i = 0; i < n; i++) {
		struct t *t = t_new();
		size_t k, a, half = ls[i]->nsteps / 2;

		/* Every step of every lesson, for real, then back to the
		 * middle: the lab never hangs and a reset always returns. */
		for (k = 0; k < ls[i]->nsteps; k++) {
			const struct lesson_step *st = &ls[i]->steps[k];

			for (a = 0; a < st->nactions; a++)
				lab_post(t->lab, &st->actions[a], false);
			t_quiet(t, ls[i]->path);
		}
		lab_reset(t->lab);
		for (k = 0; k < half; k++) {
			const struct lesson_step *st = &ls[i]->steps[k];

			for (a = 0; a < st->nactions; a++)
				lab_post(t->lab, &st->actions[a], true);
		}
		t_quiet(t, ls[i]->path);
		for (k = 0; k < t->n; k++)
			assert_printable(t->ev[k].data);
		t_free(t);
	}
	lesson_free_all(ls, (size_t)n);
	free(dir);
}
END_TEST

static int
count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

START_TEST(test_no_leaks)
{
	struct lab_event *ev = xcalloc(64, sizeof *ev);
	struct lab_cmd cmd[5];
	struct lab *lab;
	char *cause = NULL;
	struct lab_config cfg;
	int fds, tasks;
	uint64_t end;
	const char *const lines[5] = { "server socket", "server bind",
	    "server listen", "server accept", "client socket" };
	int i, k;

	memset(&cfg, 0, sizeof cfg);
	tasks = count_dir("/proc/self/task");
	/* A first lab, so that lazily started runtime threads (as under
	 * ThreadSanitizer) are counted in the baseline.  Its own threads,
	 * joined, may still be listed for a moment: the baseline is taken
	 * once they are gone, or after two seconds for a runtime thread
	 * that stays. */
	lab_free(lab_new(&cfg, &cause));
	end = util_now_us() + 2000000ull;
	while (count_dir("/proc/self/task") > tasks && util_now_us() < end)
		usleep(1000);
	fds = count_dir("/proc/self/fd");
	tasks = count_dir("/proc/self/task");
	for (k = 0; k < 5; k++)
		ck_assert_int_eq(lab_cmd_parse(lines[k], &cmd[k], &cause), 0);
	for (i = 0; i < 6; i++) {
		int cycles = i == 0 ? 500 : 20;

		lab = lab_new(&cfg, &cause);
		ck_assert_ptr_nonnull(lab);
		while (cycles-- > 0) {
			for (k = 0; k < 5; k++)
				lab_post(lab, &cmd[k], true);
			/* Now and then let the accept block first. */
			if (cycles % 8 == 0)
				while (!lab_waiting(lab))
					(void)lab_drain(lab, ev, 64);
			lab_reset(lab);
			while (lab_drain(lab, ev, 64) > 0)
				continue;
		}
		lab_free(lab);
	}
	ck_assert_int_eq(count_dir("/proc/self/fd"), fds);
	/* lab_free joined every thread, but the kernel lists a joined
	 * thread in /proc a moment longer. */
	end = util_now_us() + WAIT_MS * 1000ull;
	while (count_dir("/proc/self/task") > tasks && util_now_us() < end)
		usleep(1000);
	ck_assert_int_eq(count_dir("/proc/self/task"), tasks);
	free(ev);
}
END_TEST

static Suite *
lab_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("calls");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_lesson_order);
	tcase_add_test(tc, test_accept_first);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_test(tc, test_wake_fd);
	tcase_add_test(tc, test_accept_does_not_serve);
	tcase_add_test(tc, test_guests_wait);
	tcase_add_test(tc, test_serve_own_customer);
	tcase_add_test(tc, test_crowd_queue);
	tcase_add_test(tc, test_serve_one);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_nohtons_and_ports);
	tcase_add_test(tc, test_getaddrinfo);
	suite_add_tcase(s, tc);
	tc = tcase_create("cancel");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_reset_cancels_accept);
	tcase_add_test(tc, test_reset_cancels_recv);
	tcase_add_test(tc, test_free_cancels_recv);
	suite_add_tcase(s, tc);
	/* 600 lab cycles: seconds on a quiet machine, many more on a loaded
	 * one or under a sanitizer, so a case of its own with room. */
	tc = tcase_create("leaks");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_no_leaks);
	suite_add_tcase(s, tc);
	tc = tcase_create("lessons");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_real_lessons);
	suite_add_tcase(s, tc);
	tc = tcase_create("port");
	tcase_add_test(tc, test_port_fallback);
	tcase_add_test(tc, test_home_port);
	suite_add_tcase(s, tc);
	tc = tcase_create("guests");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_guest_order);
	tcase_add_test(tc, test_guest_http);
	tcase_add_test(tc, test_counts_and_lessons);
	tcase_add_test(tc, test_guest_timewait);
	tcase_add_test(tc, test_bar_full);
	tcase_add_test(tc, test_per_address);
	tcase_add_test(tc, test_guest_junk);
	tcase_add_test(tc, test_guest_idle);
	tcase_add_test(tc, test_guest_dropped_while_copied);
	tcase_add_test(tc, test_guest_while_blocked);
	tcase_add_test(tc, test_guest_flood);
	tcase_add_test(tc, test_emfile_backoff);
	suite_add_tcase(s, tc);
	return s;
}

#ifdef LAB_TEST_IPV6
/* The lesson's calls over IPv6, when this host has ::1. */
static Suite *
lab6_suite(void)
{
	Suite *s = suite_create("lab6");
	TCase *tc = tcase_create("ipv6");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_lesson_order);
	tcase_add_test(tc, test_accept_first);
	tcase_add_test(tc, test_reset_cancels_accept);
	tcase_add_test(tc, test_dual_stack);
	tcase_add_test(tc, test_dual_stack_kept);
	suite_add_tcase(s, tc);
	return s;
}

static bool
have_ipv6_loopback(void)
{
	struct sockaddr_in6 sin6;
	int fd = socket(AF_INET6, SOCK_STREAM, 0), r;

	if (fd == -1)
		return false;
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	r = bind(fd, (struct sockaddr *)&sin6, sizeof sin6);
	close(fd);
	return r == 0;
}

int
main(void)
{
	if (!have_ipv6_loopback()) {
		printf("1..0 # SKIP ::1 is not available on this host\n");
		return 0;
	}
	return tap_run(lab6_suite());
}
#else
int
main(void)
{
	return tap_run(lab_suite());
}
#endif

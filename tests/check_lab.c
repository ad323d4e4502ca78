/* check_lab.c - the socket lab on real loopback sockets: the calls in
 * lesson order and out of order, the kernel states the snapshots report,
 * blocking calls cancelled by reset and free, outside customers served
 * (orders, HTTP, a full bar, junk), port fallback, and no leaks. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 3000

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
		ck_assert_msg(util_now_us() < end, "no role %d in %s", role,
		    lab_tcp_name(state));
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

START_TEST(test_lesson_order)
{
	struct t *t = t_new();
	const struct lab_sock *s;
	struct lab_event *e;
	struct lab_addr a;

	server_up(t);
	ck_assert(lab_server_addr(t->lab, &a));
	ck_assert_str_eq(a.host, "127.0.0.1");
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

static Suite *
lab_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("calls");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_lesson_order);
	tcase_add_test(tc, test_accept_first);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(lab_suite());
}

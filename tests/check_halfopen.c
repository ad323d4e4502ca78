/* check_halfopen.c - peers that vanish without a FIN or a RST, in the
 * lab's private network (netns_silence): a connect() to a silent host
 * times out instead of failing at once; the bar's idle timeout frees a
 * guest whose host went silent after it ordered; and keepalive with
 * short timers, set by the lesson's calls on the bartender's
 * connection, ends his recv() with ETIMEDOUT.  Lesson 18's far hosts
 * (netns_far_hosts): ENETUNREACH and EHOSTUNREACH at once, ETIMEDOUT
 * after TCP_SYNCNT's tries, and none of the three tried outside the
 * private network.  What a close left there is kept while the lab is
 * on this computer.  Skips where the private network cannot be had (user
 * namespaces refused). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "netns.h"
#include "world.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 15000

static struct netns *net;

/* A lab in the private network and every event it posted. */
struct t {
	struct lab *lab;
	struct lab_event ev[512];
	size_t n, seen;
};

static struct t *
t_new(unsigned idle_ms)
{
	struct t *t = xcalloc(1, sizeof *t);
	struct lab_config cfg;
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.port = 0;
	cfg.idle_ms = idle_ms;
	cfg.netns = net;
	t->lab = lab_new(&cfg, &cause);
	ck_assert_msg(t->lab != NULL, "lab_new: %s", cause ? cause : "?");
	ck_assert(lab_set_world(t->lab, LAB_WORLD_PRIVATE));
	return t;
}

static struct lab_event *
t_expect(struct t *t, enum lab_ev_kind kind, enum lab_call call)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;

	for (;;) {
		struct pollfd p = { lab_wake_fd(t->lab), POLLIN, 0 };
		size_t i;

		for (i = t->seen; i < t->n; i++)
			if (t->ev[i].kind == kind && (call == LAB_CALL_NONE ||
			    t->ev[i].call == call)) {
				t->seen = i + 1;
				return &t->ev[i];
			}
		ck_assert_msg(util_now_us() < end, "no event %d (%s) in time",
		    kind, lab_call_name(call));
		poll(&p, 1, 50);
		if (t->n == sizeof t->ev / sizeof *t->ev) {
			memmove(t->ev, t->ev + t->seen,
			    (t->n - t->seen) * sizeof *t->ev);
			t->n -= t->seen;
			t->seen = 0;
		}
		t->n += lab_drain(t->lab, t->ev + t->n,
		    sizeof t->ev / sizeof *t->ev - t->n);
	}
}

static struct lab_event *
t_do(struct t *t, const char *line)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(line, &cmd, &cause) == 0, "%s", line);
	lab_post(t->lab, &cmd, false);
	return t_expect(t, LAB_EV_CALL, cmd.call);
}

/* A socket of the private network bound to host, connected to the
 * bartender. */
static int
peer_connect(struct t *t, const char *host)
{
	struct sockaddr_in me = { .sin_family = AF_INET }, bar = me;
	struct lab_addr where;
	int fd = netns_socket(net, AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(inet_pton(AF_INET, host, &me.sin_addr), 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
	ck_assert(lab_server_addr(t->lab, &where));
	bar.sin_port = htons(where.port);
	bar.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&bar, sizeof bar),
	    0);
	return fd;
}

static void
silence(const char *host, bool on)
{
	char *cause = NULL;

	ck_assert_msg(netns_silence(net, host, on, &cause) == 0, "%s",
	    cause ? cause : "?");
}

/* A silent host: connect() times out (the SYN is never answered), where
 * a blackhole would fail at once; back on, it answers again. */
START_TEST(test_silent_connect)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int l = netns_socket(net, AF_INET, SOCK_STREAM, 0);
	int c, one = 1;
	uint64_t t0;

	ck_assert_int_ge(l, 0);
	inet_pton(AF_INET, "127.0.0.7", &a.sin_addr);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	silence("127.0.0.7", true);
	c = netns_socket(net, AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(c, 0);
	setsockopt(c, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof one);
	t0 = util_now_us();
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof a), -1);
	ck_assert_msg(errno == ETIMEDOUT, "connect: %s",
	    lab_errno_name(errno));
	/* One retry: about 3 s, never at once. */
	ck_assert_uint_ge(util_now_us() - t0, 1000000);
	close(c);
	silence("127.0.0.7", false);
	c = netns_socket(net, AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	close(c);
	close(l);
}
END_TEST

/* A guest orders, then its host vanishes: what it sends from then on
 * never reaches the bar (no order, no FIN, no RST), and the idle
 * timeout still frees the seat. */
START_TEST(test_idle_frees_silent_guest)
{
	struct t *t = t_new(600);
	struct lab_event *e;
	char buf[256];
	ssize_t n;
	size_t i;
	int g;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server bind")->ret, 0);
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	g = peer_connect(t, "127.0.0.5");
	e = t_expect(t, LAB_EV_GUEST_ARRIVED, LAB_CALL_NONE);
	ck_assert_str_eq(e->addr.host, "127.0.0.5");
	ck_assert_int_eq(send(g, "tea\n", 4, 0), 4);
	n = recv(g, buf, sizeof buf, 0);
	ck_assert_int_gt(n, 0);
	t_expect(t, LAB_EV_GUEST_ORDER, LAB_CALL_NONE);
	silence("127.0.0.5", true);
	ck_assert_int_eq(send(g, "coffee\n", 7, 0), 7);
	e = t_expect(t, LAB_EV_GUEST_LEFT, LAB_CALL_NONE);
	ck_assert_int_eq(e->err, ETIMEDOUT);
	ck_assert_uint_eq(e->snap.guests, 0);
	for (i = 0; i < t->n; i++)
		ck_assert_msg(t->ev[i].kind != LAB_EV_GUEST_ORDER ||
		    strstr(t->ev[i].data, "coffee") == NULL,
		    "an order from a silent host reached the bar");
	silence("127.0.0.5", false);
	close(g);
	lab_free(t->lab);
	free(t);
}
END_TEST

/* Lesson 18, "Three ways to fail": the lesson's own calls on the far
 * hosts of the private network. */
START_TEST(test_far_hosts)
{
	struct t *t = t_new(0);
	struct lab_event *e;
	char *cause = NULL;
	uint64_t t0;
	double took;

	ck_assert_msg(netns_far_hosts(net, &cause) == 0, "%s",
	    cause ? cause : "?");
	/* Twice is harmless: the program may set them up again. */
	ck_assert_msg(netns_far_hosts(net, &cause) == 0, "%s",
	    cause ? cause : "?");
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	t0 = util_now_us();
	e = t_do(t, "client connect far=noroute");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_str_eq(lab_errno_name(e->err), "ENETUNREACH");
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	e = t_do(t, "client connect far=unreachable");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_str_eq(lab_errno_name(e->err), "EHOSTUNREACH");
	/* Both at once: no retry, no timer. */
	ck_assert_msg(util_now_us() - t0 < 2000000, "took %.1f s",
	    (double)(util_now_us() - t0) / 1e6);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client setsockopt syncnt 1")->ret, 0);
	t0 = util_now_us();
	e = t_do(t, "client connect far=silent");
	took = (double)(util_now_us() - t0) / 1e6;
	ck_assert_int_eq(e->ret, -1);
	ck_assert_str_eq(lab_errno_name(e->err), "ETIMEDOUT");
	/* One retry: 1 + 2 s, what the lesson says ("about three"). */
	ck_assert_msg(took > 2.5 && took < 6, "ETIMEDOUT after %.1f s", took);
	fprintf(stderr, "# far=silent with TCP_SYNCNT 1: ETIMEDOUT after "
	    "%.1f s\n", took);
	lab_free(t->lab);
	free(t);
}
END_TEST

/* Outside the private network the far hosts are never tried. */
START_TEST(test_far_not_elsewhere)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_int_eq(lab_cmd_parse("client connect far=silent", &cmd,
	    &cause), 0);
	ck_assert(cmd.far);
	ck_assert_str_eq(cmd.addr, NETNS_FAR_SILENT);
	ck_assert(!world_runs(&cmd, LAB_WORLD_MACHINE));
	ck_assert(world_runs(&cmd, LAB_WORLD_PRIVATE));
	ck_assert_int_eq(lab_cmd_parse("client connect", &cmd, &cause), 0);
	ck_assert(world_runs(&cmd, LAB_WORLD_MACHINE));
	ck_assert_int_eq(lab_cmd_parse("client connect far=moon", &cmd,
	    &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(lab_cmd_parse("server bind far=silent", &cmd,
	    &cause), -1);
	free(cause);
}
END_TEST

/* Lesson 18's keepalive, with short timers, on the bartender's
 * connection to a host that vanished: his recv() fails with ETIMEDOUT
 * after the idle time and the unanswered probes. */
START_TEST(test_keepalive_times_out)
{
	struct t *t = t_new(0);
	struct lab_event *e;
	uint64_t t0;
	int g;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server bind")->ret, 0);
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	g = peer_connect(t, "127.0.0.6");
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepalive")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepidle 1")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepintvl 1")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepcnt 2")->ret, 0);
	silence("127.0.0.6", true);
	t0 = util_now_us();
	e = t_do(t, "server recv");
	ck_assert_int_eq(e->ret, -1);
	ck_assert_msg(e->err == ETIMEDOUT, "recv: %s",
	    lab_errno_name(e->err));
	/* keepidle 1 s + 2 probes 1 s apart: never at once. */
	ck_assert_uint_ge(util_now_us() - t0, 1500000);
	silence("127.0.0.6", false);
	close(g);
	lab_free(t->lab);
	free(t);
}
END_TEST

/* What a close leaves in the private network (the customer's TIME_WAIT)
 * is kept while the lab is on this computer, as when lesson 5 follows
 * lesson 4: it is asked for in the network it was made in, not the lab's
 * current one (where it would be missing, and forgotten).  The screen
 * shows one network at a time: it is not listed on this computer, and
 * is again at once when the lab is back in the private network. */
static bool
has_timewait(struct lab *lab)
{
	struct lab_snapshot snap;
	size_t i;

	lab_snapshot_now(lab, &snap);
	for (i = 0; i < snap.n; i++)
		if (snap.socks[i].role == LAB_ROLE_TIMEWAIT &&
		    snap.socks[i].state == LAB_TCP_TIME_WAIT)
			return true;
	return false;
}

START_TEST(test_leftover_keeps_its_network)
{
	struct t *t = t_new(0);
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	int i;

	ck_assert_int_ge(t_do(t, "server socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "server bind")->ret, 0);
	ck_assert_int_eq(t_do(t, "server listen")->ret, 0);
	ck_assert_int_ge(t_do(t, "server serve")->ret, 0);
	ck_assert_int_ge(t_do(t, "client socket")->ret, 0);
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_eq(t_do(t, "client close")->ret, 0);
	/* The bartender closes his end on the EOF: then the customer's
	 * end is in TIME_WAIT. */
	while (!has_timewait(t->lab)) {
		ck_assert_msg(util_now_us() < end, "no TIME_WAIT in the "
		    "private network");
		usleep(20000);
	}
	ck_assert(lab_set_world(t->lab, LAB_WORLD_MACHINE));
	/* Each snapshot asks again; one asked in the wrong network would
	 * drop it for good. */
	for (i = 0; i < 5; i++)
		ck_assert_msg(!has_timewait(t->lab), "snapshot %d on this "
		    "computer lists the private network's TIME_WAIT", i + 1);
	ck_assert(lab_set_world(t->lab, LAB_WORLD_PRIVATE));
	ck_assert_msg(has_timewait(t->lab), "back in the private network, "
	    "its TIME_WAIT was forgotten");
	lab_free(t->lab);
	free(t);
}
END_TEST

static Suite *
halfopen_suite(void)
{
	Suite *s = suite_create("halfopen");
	TCase *tc = tcase_create("halfopen");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_silent_connect);
	tcase_add_test(tc, test_idle_frees_silent_guest);
	tcase_add_test(tc, test_keepalive_times_out);
	tcase_add_test(tc, test_far_hosts);
	tcase_add_test(tc, test_far_not_elsewhere);
	tcase_add_test(tc, test_leftover_keeps_its_network);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	char *cause = NULL;

	net = netns_start(&cause);
	if (net == NULL) {
		printf("1..0 # SKIP no private network: %s\n",
		    cause != NULL ? cause : "?");
		free(cause);
		return 0;
	}
	return tap_run(halfopen_suite());
}

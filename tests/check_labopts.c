/* check_labopts.c - the lab calls of the later lessons, on real loopback
 * sockets: the socket options ("setsockopt linger 0", "syncnt 1",
 * "rcvtimeo 1", the keepalive timers), O_NONBLOCK ("fcntl nonblock") and
 * "fill".  Every live timeout ends in seconds: the test measures it. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fill.h"
#include "lab.h"
#include "tap.h"
#include "util.h"

/* A lab and the events drained so far. */
struct t {
	struct lab *lab;
	struct lab_event ev[256];
	size_t n, seen;
};

static struct t *
t_new(void)
{
	struct lab_config cfg;
	struct t *t = xcalloc(1, sizeof *t);
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "127.0.0.1";
	t->lab = lab_new(&cfg, &cause);
	ck_assert_msg(t->lab != NULL, "lab_new: %s", cause ? cause : "?");
	return t;
}

static void
t_free(struct t *t)
{
	lab_free(t->lab);
	free(t);
}

/* Posts line and waits up to ms for its CALL event. */
static const struct lab_event *
t_do_within(struct t *t, const char *line, int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000;
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(line, &cmd, &cause) == 0, "%s: %s", line,
	    cause ? cause : "?");
	lab_post(t->lab, &cmd, false);
	for (;;) {
		struct pollfd p = { lab_wake_fd(t->lab), POLLIN, 0 };

		for (; t->seen < t->n; t->seen++)
			if (t->ev[t->seen].kind == LAB_EV_CALL &&
			    t->ev[t->seen].call == cmd.call)
				return &t->ev[t->seen++];
		ck_assert_msg(util_now_us() < end, "%s: no result within %d "
		    "ms", line, ms);
		ck_assert_msg(t->n < 240, "too many events");
		poll(&p, 1, 50);
		t->n += lab_drain(t->lab, t->ev + t->n, 256 - t->n);
	}
}

static const struct lab_event *
t_do(struct t *t, const char *line)
{
	return t_do_within(t, line, 3000);
}

/* A listening bartender with one customer accepted. */
static void
conversation(struct t *t)
{
	t_do(t, "server socket");
	t_do(t, "server setsockopt reuseaddr");
	t_do(t, "server bind");
	t_do(t, "server listen 5");
	t_do(t, "client socket");
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
}

START_TEST(test_parse)
{
	struct lab_cmd c;
	char *cause = NULL;
	char buf[200];
	struct lab_event ev;

	ck_assert_int_eq(lab_cmd_parse("client setsockopt syncnt 2", &c,
	    &cause), 0);
	ck_assert_int_eq(c.num, TCP_SYNCNT);
	ck_assert_int_eq(c.value, 2);
	ck_assert(!c.strict);
	ck_assert_int_eq(lab_cmd_parse("server setsockopt linger", &c,
	    &cause), 0);
	ck_assert_int_eq(c.num, SO_LINGER);
	ck_assert_int_eq(c.value, 0);
	ck_assert_int_eq(lab_cmd_parse("server setsockopt v6only 0", &c,
	    &cause), 0);
	ck_assert_int_eq(c.value, 0);
	/* Timers are bounded, so that a lesson cannot wait for hours. */
	ck_assert_int_eq(lab_cmd_parse("server setsockopt keepidle 7200", &c,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "1 to 60"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(lab_cmd_parse("server setsockopt reuseaddr 1", &c,
	    &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(lab_cmd_parse("server setsockopt nagle", &c,
	    &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(lab_cmd_parse("server fcntl", &c, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(lab_cmd_parse("server fcntl nonblock", &c, &cause),
	    0);
	ck_assert_int_eq(c.call, LAB_CALL_FCNTL);
	ck_assert_int_eq(lab_cmd_parse("client setsockopt nodelay", &c,
	    &cause), 0);
	ck_assert_int_eq(c.num, TCP_NODELAY);
	ck_assert_int_eq(c.value, 1);
	ck_assert_int_eq(lab_cmd_parse("client fill", &c, &cause), 0);
	ck_assert_int_eq(c.call, LAB_CALL_SEND);
	ck_assert(c.fill);
	/* The log writes the call as C would. */
	memset(&ev, 0, sizeof ev);
	ev.kind = LAB_EV_CALL;
	ev.call = LAB_CALL_SETSOCKOPT;
	ev.fd = 7;
	ev.num = SO_LINGER;
	ev.value = 0;
	lab_format_call(&ev, buf, sizeof buf);
	ck_assert_str_eq(buf, "setsockopt(7, SOL_SOCKET, SO_LINGER, {1, 0}) "
	    "= 0");
	ev.num = TCP_USER_TIMEOUT;
	ev.value = 5000;
	lab_format_call(&ev, buf, sizeof buf);
	ck_assert_str_eq(buf, "setsockopt(7, IPPROTO_TCP, TCP_USER_TIMEOUT, "
	    "5000) = 0");
	ev.call = LAB_CALL_FCNTL;
	lab_format_call(&ev, buf, sizeof buf);
	ck_assert_str_eq(buf, "fcntl(7, F_SETFL, O_NONBLOCK) = 0");
}
END_TEST

/* A full accept queue and TCP_SYNCNT 1: connect() fails with ETIMEDOUT
 * in seconds instead of minutes. */
START_TEST(test_syncnt)
{
	struct t *t = t_new();
	const struct lab_event *ev;

	t_do(t, "server socket");
	t_do(t, "server setsockopt reuseaddr");
	t_do(t, "server bind");
	t_do(t, "server listen 1");
	t_do(t, "client crowd 3");
	t_do(t, "client socket");
	ck_assert_int_eq(t_do(t, "client setsockopt syncnt 1")->ret, 0);
	ev = t_do_within(t, "client connect", 15000);
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, ETIMEDOUT);
	ck_assert_msg(ev->duration_us < 12000000, "took %llu us",
	    (unsigned long long)ev->duration_us);
	t_free(t);
}
END_TEST

/* A number from a sysctl file; -1 when the kernel has no such file. */
static long
sysctl_num(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Lesson 11's SYN schedule on this kernel: with TCP_SYNCNT 2 a
 * connect() to a full queue gives up when fill_syn_schedule() (the
 * model lesson 11's {syn_waits} and {syn_giveup} come from) says, for
 * this kernel's net.ipv4.tcp_syn_linear_timeouts: 1 + 2 + 4 = 7 s on a
 * doubling kernel, and 7 s too with the linear setting 4 (five SYNs a
 * second apart, then the time limit of two tries). */
START_TEST(test_syn_schedule)
{
	long linear = sysctl_num("/proc/sys/net/ipv4/tcp_syn_linear_timeouts");
	struct t *t = t_new();
	const struct lab_event *ev;
	struct syn_schedule sch;
	double took;

	ck_assert_int_eq(fill_syn_schedule(2, linear, &sch), 0);
	t_do(t, "server socket");
	t_do(t, "server setsockopt reuseaddr");
	t_do(t, "server bind");
	t_do(t, "server listen 1");
	t_do(t, "client crowd 3");
	t_do(t, "client socket");
	t_do(t, "client setsockopt syncnt 2");
	ev = t_do_within(t, "client connect", 20000);
	ck_assert_int_eq(ev->err, ETIMEDOUT);
	took = (double)ev->duration_us / 1e6;
	ck_assert_msg(took > sch.giveup_s - 0.5 && took < sch.giveup_s + 2.5,
	    "connect() gave up after %.1f s (tcp_syn_linear_timeouts %ld), "
	    "the model says %u s", took, linear, sch.giveup_s);
	fprintf(stderr, "# TCP_SYNCNT 2: connect() gave up after %.1f s "
	    "(tcp_syn_linear_timeouts %ld, model %u s)\n", took, linear,
	    sch.giveup_s);
	t_free(t);
}
END_TEST

/* O_NONBLOCK: recv() with nothing to read fails at once with EAGAIN,
 * connect() returns EINPROGRESS. */
START_TEST(test_nonblock)
{
	struct t *t = t_new();
	const struct lab_event *ev;

	conversation(t);
	ck_assert_int_eq(t_do(t, "server fcntl nonblock")->ret, 0);
	ev = t_do(t, "server recv");
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, EAGAIN);
	ck_assert_msg(ev->duration_us < 500000, "took %llu us",
	    (unsigned long long)ev->duration_us);
	t_do(t, "client send tea\\n");
	ck_assert_int_eq(t_do(t, "server recv")->ret, 4);
	t_do(t, "client socket");
	ck_assert_int_eq(t_do(t, "client fcntl nonblock")->ret, 0);
	ev = t_do(t, "client connect");
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, EINPROGRESS);
	t_free(t);
}
END_TEST

/* SO_RCVTIMEO 1: the lab's recv() gives up after about a second. */
START_TEST(test_rcvtimeo)
{
	struct t *t = t_new();
	const struct lab_event *ev;

	conversation(t);
	ck_assert_int_eq(t_do(t, "client setsockopt rcvtimeo 1")->ret, 0);
	ev = t_do_within(t, "client recv", 5000);
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, EAGAIN);
	ck_assert_msg(ev->duration_us >= 900000 &&
	    ev->duration_us < 4000000, "took %llu us",
	    (unsigned long long)ev->duration_us);
	t_free(t);
}
END_TEST

/* fill: the customer's send queue grows while the bartender reads
 * nothing; SO_LINGER 0 then aborts the connection with a reset. */
START_TEST(test_fill_and_linger)
{
	struct t *t = t_new();
	const struct lab_event *ev;
	size_t i;
	unsigned tx = 0;

	conversation(t);
	ev = t_do(t, "client fill");
	ck_assert_int_gt(ev->ret, 65536);
	for (i = 0; i < ev->snap.n; i++)
		if (ev->snap.socks[i].role == LAB_ROLE_CLIENT)
			tx = ev->snap.socks[i].tx_queue;
	ck_assert_msg(tx > 0, "the customer's send queue is empty");
	ck_assert_int_eq(t_do(t, "server setsockopt linger 0")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepalive")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepidle 5")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepintvl 2")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt keepcnt 3")->ret, 0);
	ck_assert_int_eq(t_do(t, "server setsockopt usertimeout 5000")->ret,
	    0);
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	ev = t_do(t, "client recv");
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, ECONNRESET);
	t_free(t);
}
END_TEST

/* Lesson 7 and lesson 12's facts: a TIME_WAIT on the customer's port
 * does not stop a new bartender from binding the bar's port without
 * SO_REUSEADDR; one on the bar's own port (the server closed first)
 * does, and SO_REUSEADDR lets the bind through. */
START_TEST(test_whose_time_wait)
{
	struct t *t = t_new();
	const struct lab_event *ev;

	conversation(t);
	t_do(t, "client close");		/* the customer first */
	ck_assert_int_eq(t_do(t, "server recv")->ret, 0);
	t_do(t, "server close conn");
	t_do(t, "server close listener");
	t_do(t, "server socket");
	ev = t_do(t, "server bind strict");
	ck_assert_msg(ev->ret == 0, "bind failed with %s although only the "
	    "customer's port is in TIME_WAIT", lab_errno_name(ev->err));
	/* Linux lets a later bind overlook a TIME_WAIT only when that
	 * connection's socket had SO_REUSEADDR too, as lesson 12 says:
	 * accepted sockets inherit it from the listener. */
	t_do(t, "server close listener");
	t_do(t, "server socket");
	t_do(t, "server setsockopt reuseaddr");
	ck_assert_int_eq(t_do(t, "server bind strict")->ret, 0);
	t_do(t, "server listen 5");
	t_do(t, "client socket");
	ck_assert_int_eq(t_do(t, "client connect")->ret, 0);
	ck_assert_int_ge(t_do(t, "server accept")->ret, 0);
	t_do(t, "server close conn");		/* the bartender first */
	ck_assert_int_eq(t_do(t, "client recv")->ret, 0);
	t_do(t, "client close");
	t_do(t, "server close listener");
	t_do(t, "server socket");
	ev = t_do(t, "server bind strict");
	ck_assert_int_eq(ev->ret, -1);
	ck_assert_int_eq(ev->err, EADDRINUSE);
	t_do(t, "server socket");
	t_do(t, "server setsockopt reuseaddr");
	ck_assert_int_eq(t_do(t, "server bind strict")->ret, 0);
	t_free(t);
}
END_TEST

/* dup(): closing one of two descriptors sends no FIN; shutdown() on
 * the other sends it at once. */
START_TEST(test_dup)
{
	struct t *t = t_new();
	const struct lab_event *ev;

	conversation(t);
	ev = t_do(t, "server dup");
	ck_assert_int_ge(ev->ret, 0);
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	t_do(t, "client setsockopt rcvtimeo 1");
	ev = t_do_within(t, "client recv", 5000);
	ck_assert_msg(ev->ret == -1 && ev->err == EAGAIN, "the customer "
	    "read %ld (%s): a FIN left although a copy was open", ev->ret,
	    lab_errno_name(ev->err));
	ck_assert_int_eq(t_do(t, "server shutdown wr")->ret, 0);
	ck_assert_int_eq(t_do(t, "client recv")->ret, 0);
	ck_assert_int_eq(t_do(t, "server close conn")->ret, 0);
	t_free(t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("labopts");
	TCase *tc = tcase_create("options");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_syncnt);
	tcase_add_test(tc, test_nonblock);
	tcase_add_test(tc, test_rcvtimeo);
	tcase_add_test(tc, test_fill_and_linger);
	tcase_add_test(tc, test_whose_time_wait);
	tcase_add_test(tc, test_syn_schedule);
	tcase_add_test(tc, test_dup);
	suite_add_tcase(s, tc);
	return tap_run(s);
}

/* check_sandbox.c - the sandbox's bookkeeping (sandbox.c) with a real
 * lab on 127.0.0.1, without a terminal: the calls are posted as the
 * sandbox's keys post them, every event the lab sends is taken in, and
 * the note worked out for each call is checked: a reset says itself
 * (except entering's own), a listen() without bind() names the port the
 * kernel picked, a new bartender's socket replaces the listener, calls
 * without a socket or a connection say which is missing, a bind() to a
 * port another program holds says so, a customer whose connect() failed
 * gets the end of file and EPIPE explained, and a side that waits in a
 * call refuses the next one. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "labcmd.h"
#include "sandbox.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 20000		/* generous: a loaded machine is slow */

static struct lab *lab;
static struct sandbox sb;
static struct lab_event got;	/* the event run() waited for */

/* A port on 127.0.0.1 held by a listener of this test; *port is it. */
static int
hold_port(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void
start(uint16_t port)
{
	struct lab_config cfg;
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "127.0.0.1";
	cfg.port = port;
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "lab_new: %s", cause != NULL ? cause : "?");
	memset(&sb, 0, sizeof sb);
}

/* Takes in the lab's events until one of kind (for call, unless call
 * is LAB_CALL_NONE) arrives, feeding each to the sandbox; keeps it in
 * got.  Returns what sandbox_event said of it. */
static bool
wait_event(enum lab_ev_kind kind, enum lab_call call)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	struct lab_event ev;

	for (;;) {
		struct pollfd pfd = { lab_wake_fd(lab), POLLIN, 0 };

		while (lab_drain(lab, &ev, 1) == 1) {
			bool r = sandbox_event(&sb, &ev);

			if (ev.kind == kind && (call == LAB_CALL_NONE ||
			    ev.call == call)) {
				got = ev;
				return r;
			}
		}
		ck_assert_msg(util_now_us() < end, "no %s event in time",
		    call == LAB_CALL_NONE ? "such" : lab_call_name(call));
		(void)poll(&pfd, 1, 50);
	}
}

/* Posts text (the lab's command syntax, as a sandbox key writes it) and
 * waits for the call to return; returns the note it is worth. */
static enum sandbox_note
run(const char *text)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(text, &cmd, &cause) == 0, "%s: %s", text,
	    cause != NULL ? cause : "?");
	ck_assert(!sandbox_busy(&sb, cmd.side));
	lab_post(lab, &cmd, false);
	(void)wait_event(LAB_EV_CALL, cmd.call);
	return sb.note;
}

START_TEST(test_resets)
{
	start(0);
	sandbox_enter(&sb);
	ck_assert_int_eq(sb.side, LAB_SERVER);
	lab_reset(lab);
	ck_assert(wait_event(LAB_EV_RESET, LAB_CALL_NONE));
	ck_assert_int_eq(sb.note, SANDBOX_NONE);
	ck_assert_int_eq(run("server socket"), SANDBOX_NONE);
	ck_assert(sb.have_last);
	lab_reset(lab);
	ck_assert(wait_event(LAB_EV_RESET, LAB_CALL_NONE));
	ck_assert_int_eq(sb.note, SANDBOX_CLEAN);
	ck_assert(!sb.have_last);
	sandbox_switch(&sb);
	ck_assert_int_eq(sb.side, LAB_CLIENT);
	ck_assert_int_eq(sb.note, SANDBOX_CLEAN);
	lab_free(lab);
}
END_TEST

START_TEST(test_listener)
{
	int old;

	start(0);
	sandbox_enter(&sb);
	ck_assert_int_eq(run("server send hello"), SANDBOX_NO_CONN);
	ck_assert_int_eq(got.err, EBADF);
	ck_assert_int_eq(run("server listen"), SANDBOX_NO_SOCKET);
	ck_assert_int_eq(run("client recv"), SANDBOX_NO_SOCKET);
	ck_assert_int_eq(sb.note_side, LAB_CLIENT);
	ck_assert_int_eq(run("server socket"), SANDBOX_NONE);
	ck_assert_int_eq(run("server listen"), SANDBOX_PICKED_PORT);
	ck_assert_uint_ne(sb.note_addr.port, 0);
	ck_assert_str_eq(sb.note_addr.host, "127.0.0.1");
	ck_assert_int_ge(sb.listener_fd, 0);
	old = sb.listener_fd;
	/* A new socket for the bartender: his listener goes. */
	ck_assert_int_eq(run("server socket"), SANDBOX_REPLACED);
	ck_assert_int_eq(sb.note_fd, old);
	/* bind, then listen: nothing picked. */
	ck_assert_int_eq(run("server bind strict"), SANDBOX_NONE);
	ck_assert_int_eq(run("server listen"), SANDBOX_NONE);
	lab_free(lab);
}
END_TEST

START_TEST(test_port_held)
{
	uint16_t port;
	int fd = hold_port(&port);

	start(port);
	sandbox_enter(&sb);
	ck_assert_int_eq(run("server socket"), SANDBOX_NONE);
	ck_assert_int_eq(run("server bind strict"), SANDBOX_HELD);
	ck_assert_int_eq(got.err, EADDRINUSE);
	ck_assert_uint_eq(sb.note_port, port);
	/* Held by this test, not by a socket of the lab. */
	ck_assert(!sb.note_held);
	ck_assert_int_eq(sb.note_fd, -1);
	lab_free(lab);
	close(fd);
}
END_TEST

START_TEST(test_customer)
{
	uint16_t port;
	int fd = hold_port(&port);
	enum sandbox_note n;

	/* A port nobody listens on: held, then given back. */
	close(fd);
	start(port);
	sandbox_enter(&sb);
	ck_assert_int_eq(run("client socket"), SANDBOX_NONE);
	ck_assert_int_eq(run("client connect"), SANDBOX_NONE);
	ck_assert_int_eq(got.ret, -1);
	ck_assert(!sb.connected);
	n = run("client recv");
	ck_assert_msg(n == SANDBOX_CONNECT_FAILED, "recv after a refused "
	    "connect: note %d, ret %ld, %s", n, got.ret, strerror(got.err));
	n = run("client send espresso\\n");
	ck_assert_msg(n == SANDBOX_NEVER_CONNECTED, "send after a refused "
	    "connect: note %d, ret %ld, %s", n, got.ret, strerror(got.err));
	lab_free(lab);
}
END_TEST

START_TEST(test_busy)
{
	start(0);
	sandbox_enter(&sb);
	ck_assert_int_eq(run("server socket"), SANDBOX_NONE);
	ck_assert_int_eq(run("server bind strict"), SANDBOX_NONE);
	ck_assert_int_eq(run("server listen"), SANDBOX_NONE);
	{
		struct lab_cmd cmd;
		char *cause = NULL;

		ck_assert_int_eq(lab_cmd_parse("server accept", &cmd, &cause),
		    0);
		lab_post(lab, &cmd, false);
	}
	(void)wait_event(LAB_EV_BLOCKED, LAB_CALL_ACCEPT);
	ck_assert(sb.blocked[LAB_SERVER]);
	ck_assert_int_eq(sb.blocked_call[LAB_SERVER], LAB_CALL_ACCEPT);
	ck_assert(sandbox_busy(&sb, LAB_SERVER));
	ck_assert_int_eq(sb.note, SANDBOX_BUSY);
	ck_assert_int_eq(sb.note_side, LAB_SERVER);
	ck_assert(!sandbox_busy(&sb, LAB_CLIENT));
	/* Switching side takes the note away. */
	sandbox_switch(&sb);
	ck_assert_int_eq(sb.note, SANDBOX_NONE);
	/* The customer connects: the bartender's accept() returns. */
	ck_assert_int_eq(run("client socket"), SANDBOX_NONE);
	ck_assert_int_eq(run("client connect"), SANDBOX_NONE);
	ck_assert(sb.connected);
	(void)wait_event(LAB_EV_CALL, LAB_CALL_ACCEPT);
	ck_assert(!sb.blocked[LAB_SERVER]);
	lab_free(lab);
}
END_TEST

static Suite *
sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("real lab");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_resets);
	tcase_add_test(tc, test_listener);
	tcase_add_test(tc, test_port_held);
	tcase_add_test(tc, test_customer);
	tcase_add_test(tc, test_busy);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(sandbox_suite());
}

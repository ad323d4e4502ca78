/* check_exercise.c - the live exercises judged from real lab events: the
 * bartender really listens on 127.0.0.1 (port 0: any free one), a real
 * client socket of this test orders, and a real server of this test
 * answers the lab's customer.  Also the ids and arguments a lesson may
 * give. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exercise.h"
#include "lab.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 5000

static struct lab *
lab_start(void)
{
	struct lab_config cfg;
	struct lab *lab;
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "127.0.0.1";
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "lab_new: %s", cause ? cause : "?");
	return lab;
}

static void
post(struct lab *lab, const char *text)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(text, &cmd, &cause) == 0, "%s: %s", text,
	    cause ? cause : "?");
	lab_post(lab, &cmd, false);
}

/* Feeds every event to ex until it reaches want or the deadline passes;
 * returns the state reached. */
static enum exercise_state
pump_until(struct lab *lab, struct exercise *ex, enum exercise_state want,
    int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000u;
	struct lab_event *ev = xcalloc(8, sizeof *ev);

	while (ex->state != want && util_now_us() < end) {
		struct pollfd pfd = { lab_wake_fd(lab), POLLIN, 0 };
		size_t n, i;

		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			break;
		while ((n = lab_drain(lab, ev, 8)) > 0)
			for (i = 0; i < n; i++)
				exercise_event(ex, &ev[i]);
	}
	free(ev);
	return ex->state;
}

/* Opens the bar and returns its port. */
static unsigned
open_bar(struct lab *lab)
{
	struct lab_addr a;
	uint64_t end = util_now_us() + WAIT_MS * 1000u;

	post(lab, "server socket");
	post(lab, "server setsockopt reuseaddr");
	post(lab, "server bind");
	post(lab, "server listen 5");
	post(lab, "server serve");
	while (!(lab_settled(lab) && lab_server_addr(lab, &a)) &&
	    util_now_us() < end)
		usleep(2000);
	ck_assert(lab_server_addr(lab, &a));
	ck_assert_uint_ne(a.port, 0);
	return a.port;
}

/* A real client of this test: connect, send text, read one line. */
static void
order(unsigned port, const char *text, char *reply, size_t len)
{
	struct sockaddr_in in;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t got = 0;

	ck_assert_int_ge(fd, 0);
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&in, sizeof in), 0);
	ck_assert_int_eq(send(fd, text, strlen(text), MSG_NOSIGNAL),
	    (int)strlen(text));
	while (got + 1 < len) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t r;

		ck_assert_int_eq(poll(&pfd, 1, WAIT_MS), 1);
		r = recv(fd, reply + got, len - 1 - got, 0);
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
		if (memchr(reply, '\n', got) != NULL)
			break;
	}
	reply[got] = '\0';
	close(fd);
}

START_TEST(test_init)
{
	struct exercise ex;
	char *cause = NULL, id[64];

	ck_assert_int_eq(exercise_init(&ex, "order-a-drink", NULL, &cause), 0);
	ck_assert_int_eq(ex.kind, EXERCISE_ORDER_A_DRINK);
	ck_assert_int_eq(ex.state, EXERCISE_WAITING);
	ck_assert_str_eq(exercise_progress_id(&ex, id, sizeof id),
	    "ex:order-a-drink");
	ck_assert_int_eq(exercise_init(&ex, "client-sends", "hello", &cause),
	    0);
	ck_assert_str_eq(ex.text, "hello");
	ck_assert_int_eq(exercise_init(&ex, "own-server", "6000", &cause), 0);
	ck_assert_uint_eq(ex.port, 6000);

	ck_assert_int_eq(exercise_init(&ex, "no-such", NULL, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "no-such"));
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "order-a-drink", "x", &cause), -1);
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "client-sends", NULL, &cause), -1);
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "client-sends", "a\\b", &cause),
	    -1);
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "own-server", "0", &cause), -1);
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "own-server", "65536", &cause),
	    -1);
	free(cause);
	ck_assert_int_eq(exercise_init(&ex, "own-server", "12x", &cause), -1);
	free(cause);
}
END_TEST

START_TEST(test_order_a_drink)
{
	struct lab *lab = lab_start();
	struct exercise ex;
	char *cause = NULL, reply[256];
	unsigned port;

	ck_assert_int_eq(exercise_init(&ex, "order-a-drink", NULL, &cause), 0);
	port = open_bar(lab);
	/* Nothing but the lesson's own calls so far: not done. */
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_DONE, 200),
	    EXERCISE_WAITING);
	order(port, "cappuccino\n", reply, sizeof reply);
	ck_assert_ptr_nonnull(strchr(reply, '\n'));
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_DONE, WAIT_MS),
	    EXERCISE_DONE);
	ck_assert_str_eq(ex.got, "cappuccino");
	lab_free(lab);
}
END_TEST

START_TEST(test_client_sends)
{
	struct lab *lab = lab_start();
	struct exercise ex;
	char *cause = NULL, reply[256];
	unsigned port;
	uint64_t end;

	ck_assert_int_eq(exercise_init(&ex, "client-sends", "hello", &cause),
	    0);
	port = open_bar(lab);
	order(port, "hello there\n", reply, sizeof reply);
	/* The order arrives, and it is not the one asked for. */
	end = util_now_us() + WAIT_MS * 1000u;
	while (strcmp(ex.got, "hello there") != 0 && util_now_us() < end)
		pump_until(lab, &ex, EXERCISE_DONE, 50);
	ck_assert_str_eq(ex.got, "hello there");
	ck_assert_int_eq(ex.state, EXERCISE_WAITING);
	order(port, "hello\n", reply, sizeof reply);
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_DONE, WAIT_MS),
	    EXERCISE_DONE);
	ck_assert_str_eq(ex.got, "hello");
	lab_free(lab);
}
END_TEST

/* The learner's server, played by this test: accepts one connection,
 * reads one line and answers with one line. */
struct server {
	int lfd;
	char got[64];
	bool answer;		/* false: close without a word */
};

static void *
server_main(void *arg)
{
	struct server *sv = arg;
	int fd = accept(sv->lfd, NULL, NULL);
	size_t n = 0;

	if (fd == -1)
		return NULL;
	while (n + 1 < sizeof sv->got) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&pfd, 1, WAIT_MS) != 1)
			break;
		r = recv(fd, sv->got + n, sizeof sv->got - 1 - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(sv->got, '\n', n) != NULL)
			break;
	}
	sv->got[n] = '\0';
	if (sv->answer && send(fd, "here you are\n", 13, MSG_NOSIGNAL) < 0) {
		/* the test below fails on its own */
	}
	close(fd);
	return NULL;
}

static unsigned
server_listen(struct server *sv)
{
	struct sockaddr_in in;
	socklen_t sl = sizeof in;

	sv->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(sv->lfd, 0);
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(sv->lfd, (struct sockaddr *)&in, sizeof in), 0);
	ck_assert_int_eq(listen(sv->lfd, 1), 0);
	ck_assert_int_eq(getsockname(sv->lfd, (struct sockaddr *)&in, &sl), 0);
	return ntohs(in.sin_port);
}

static void
try_own(struct lab *lab, struct exercise *ex, unsigned port)
{
	struct lab_cmd cmds[4];
	size_t n = exercise_try(ex, port, cmds, 4), i;

	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(ex->state, EXERCISE_CHECKING);
	for (i = 0; i < n; i++)
		lab_post(lab, &cmds[i], false);
}

START_TEST(test_own_server)
{
	struct lab *lab = lab_start();
	struct server sv = { .answer = true };
	struct exercise ex;
	char *cause = NULL;
	pthread_t th;
	unsigned port = server_listen(&sv);

	ck_assert_int_eq(exercise_init(&ex, "own-server", "6000", &cause), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, server_main, &sv), 0);
	try_own(lab, &ex, port);
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_DONE, WAIT_MS),
	    EXERCISE_DONE);
	pthread_join(th, NULL);
	ck_assert_str_eq(sv.got, EXERCISE_ORDER);
	ck_assert_str_eq(ex.got, "here you are\\n");
	ck_assert_uint_eq(ex.port, port);
	close(sv.lfd);
	lab_free(lab);
}
END_TEST

START_TEST(test_own_server_refused)
{
	struct lab *lab = lab_start();
	struct server sv = { .answer = true };
	struct exercise ex;
	char *cause = NULL;
	unsigned port = server_listen(&sv);

	/* Nobody listens there any more: the try fails, and says why. */
	close(sv.lfd);
	ck_assert_int_eq(exercise_init(&ex, "own-server", "6000", &cause), 0);
	try_own(lab, &ex, port);
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_FAILED, WAIT_MS),
	    EXERCISE_FAILED);
	ck_assert_int_eq(ex.why, EXERCISE_WHY_CONNECT);
	ck_assert_int_eq(ex.err, ECONNREFUSED);
	lab_free(lab);
}
END_TEST

START_TEST(test_own_server_silent)
{
	struct lab *lab = lab_start();
	struct server sv = { .answer = false };
	struct exercise ex;
	char *cause = NULL;
	pthread_t th;
	unsigned port = server_listen(&sv);

	/* A server that takes the order and closes without a word. */
	ck_assert_int_eq(exercise_init(&ex, "own-server", "6000", &cause), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, server_main, &sv), 0);
	try_own(lab, &ex, port);
	ck_assert_int_eq(pump_until(lab, &ex, EXERCISE_FAILED, WAIT_MS),
	    EXERCISE_FAILED);
	ck_assert_int_eq(ex.why, EXERCISE_WHY_CLOSED);
	pthread_join(th, NULL);
	close(sv.lfd);
	lab_free(lab);
}
END_TEST

static Suite *
exercise_suite(void)
{
	Suite *s = suite_create("exercise");
	TCase *tc = tcase_create("exercise");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_order_a_drink);
	tcase_add_test(tc, test_client_sends);
	tcase_add_test(tc, test_own_server);
	tcase_add_test(tc, test_own_server_refused);
	tcase_add_test(tc, test_own_server_silent);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(exercise_suite());
}

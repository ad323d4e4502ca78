/* check_tutor.c - the session without a terminal (tutor.c): moving
 * between steps (forward by one performs just that step; anything else
 * starts the lab again and redoes the steps before, and a real lab marks
 * exactly those calls as redone); the log's ring keeps the latest
 * events, a reset says itself once, a lesson left takes its late events
 * along, and whether each side has made a socket since the lab's last
 * reset stays right however many events follow, with made-up events and
 * with a real lab on 127.0.0.1. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "lesson.h"
#include "tap.h"
#include "tutor.h"
#include "util.h"

#define WAIT_MS 20000		/* generous: a loaded machine is slow */

static unsigned seq;

static struct lab_event *
event(enum lab_ev_kind kind, enum lab_side side, enum lab_call call,
    long ret)
{
	static struct lab_event ev;

	memset(&ev, 0, sizeof ev);
	ev.seq = ++seq;
	ev.kind = kind;
	ev.side = side;
	ev.call = call;
	ev.ret = ret;
	ev.fd = -1;
	return &ev;
}

/* Adds and sifts one event, as the screen does. */
static void
take(struct tutor_log *L, const struct lab_event *ev)
{
	tutor_log_add(L, ev, 1);
	tutor_log_sift(L);
}

static void
calls(struct tutor_log *L, size_t n)
{
	while (n-- > 0)
		take(L, event(LAB_EV_CALL, LAB_SERVER, LAB_CALL_SEND, 9));
}

START_TEST(test_ring)
{
	struct tutor_log L;
	size_t i;

	tutor_log_init(&L);
	ck_assert_uint_eq(tutor_log_count(&L), 0);
	seq = 0;
	calls(&L, 3);
	ck_assert_uint_eq(tutor_log_count(&L), 3);
	ck_assert_uint_eq(tutor_log_at(&L, 0)->ev.seq, 1);
	ck_assert_uint_eq(tutor_log_at(&L, 2)->ev.seq, 3);
	calls(&L, 2 * TUTOR_LOG_MAX + 7);
	ck_assert_uint_eq(tutor_log_count(&L), TUTOR_LOG_MAX);
	/* The latest TUTOR_LOG_MAX, oldest first, in order. */
	for (i = 0; i < TUTOR_LOG_MAX; i++)
		ck_assert_uint_eq(tutor_log_at(&L, i)->ev.seq,
		    seq - TUTOR_LOG_MAX + 1 + i);
	tutor_log_clear(&L);
	ck_assert_uint_eq(tutor_log_count(&L), 0);
	tutor_log_free(&L);
}
END_TEST

/* The column says "(no socket)" after a close and "(no socket yet)"
 * before the first: read from a count, not from the ring, which forgets
 * after TUTOR_LOG_MAX events. */
START_TEST(test_had_socket_past_the_ring)
{
	struct tutor_log L;

	tutor_log_init(&L);
	ck_assert(!tutor_log_had_socket(&L, LAB_SERVER));
	take(&L, event(LAB_EV_CALL, LAB_SERVER, LAB_CALL_SOCKET, -1));
	ck_assert(!tutor_log_had_socket(&L, LAB_SERVER));
	take(&L, event(LAB_EV_CALL, LAB_SERVER, LAB_CALL_SOCKET, 3));
	ck_assert(tutor_log_had_socket(&L, LAB_SERVER));
	ck_assert(!tutor_log_had_socket(&L, LAB_CLIENT));
	calls(&L, 3 * TUTOR_LOG_MAX);
	ck_assert(tutor_log_had_socket(&L, LAB_SERVER));
	ck_assert(!tutor_log_had_socket(&L, LAB_CLIENT));
	/* accept() makes a socket too. */
	take(&L, event(LAB_EV_CALL, LAB_CLIENT, LAB_CALL_ACCEPT, 5));
	ck_assert(tutor_log_had_socket(&L, LAB_CLIENT));
	/* A reset starts again, even one not worth its line. */
	tutor_log_before_reset(&L, true, 0);
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert(!tutor_log_had_socket(&L, LAB_SERVER));
	ck_assert(!tutor_log_had_socket(&L, LAB_CLIENT));
	tutor_log_free(&L);
}
END_TEST

static size_t
resets(const struct tutor_log *L)
{
	size_t k, n = 0;

	for (k = 0; k < tutor_log_count(L); k++)
		n += tutor_log_at(L, k)->ev.kind == LAB_EV_RESET;
	return n;
}

START_TEST(test_sift_resets)
{
	struct tutor_log L;

	tutor_log_init(&L);
	calls(&L, 2);
	/* Back to step 0: the reset is quiet. */
	tutor_log_before_reset(&L, true, 0);
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert_uint_eq(resets(&L), 0);
	ck_assert_uint_eq(tutor_log_count(&L), 2);
	/* Back to step 3: earlier steps are redone, worth one line. */
	tutor_log_before_reset(&L, true, 3);
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert_uint_eq(resets(&L), 1);
	/* A second reset straight after says nothing new. */
	tutor_log_before_reset(&L, true, 2);
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert_uint_eq(resets(&L), 1);
	ck_assert_uint_eq(tutor_log_count(&L), 3);
	/* A reset the lab made by itself (the sandbox) is worth its line. */
	calls(&L, 1);
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert_uint_eq(resets(&L), 2);
	tutor_log_free(&L);
}
END_TEST

/* A new lesson starts with an empty log; the old lesson's events still
 * on their way go with the reset that ends them. */
START_TEST(test_sift_new_lesson)
{
	struct tutor_log L;

	tutor_log_init(&L);
	take(&L, event(LAB_EV_CALL, LAB_SERVER, LAB_CALL_SOCKET, 3));
	calls(&L, 4);
	tutor_log_before_reset(&L, false, 0);
	ck_assert_uint_eq(tutor_log_count(&L), 0);
	ck_assert(!tutor_log_had_socket(&L, LAB_SERVER));
	/* Late: the old lesson's socket and sends. */
	take(&L, event(LAB_EV_CALL, LAB_CLIENT, LAB_CALL_SOCKET, 4));
	calls(&L, 3);
	ck_assert_uint_eq(tutor_log_count(&L), 0);
	ck_assert(!tutor_log_had_socket(&L, LAB_CLIENT));
	take(&L, event(LAB_EV_RESET, LAB_SERVER, LAB_CALL_NONE, 0));
	ck_assert_uint_eq(tutor_log_count(&L), 0);
	/* The new lesson's own events stay. */
	take(&L, event(LAB_EV_CALL, LAB_CLIENT, LAB_CALL_SOCKET, 4));
	ck_assert_uint_eq(tutor_log_count(&L), 1);
	ck_assert(tutor_log_had_socket(&L, LAB_CLIENT));
	tutor_log_free(&L);
}
END_TEST

/* Takes every event the lab has into L until want events came in all;
 * fails after WAIT_MS. */
static void
pump(struct lab *lab, struct tutor_log *L, size_t *got, size_t want)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	struct lab_event *ev = xcalloc(8, sizeof *ev);

	while (*got < want) {
		struct pollfd pfd = { lab_wake_fd(lab), POLLIN, 0 };
		size_t n, i;

		ck_assert_msg(util_now_us() < end, "%zu of %zu events in time",
		    *got, want);
		(void)poll(&pfd, 1, 50);
		while ((n = lab_drain(lab, ev, 8)) > 0)
			for (i = 0; i < n; i++, (*got)++)
				take(L, &ev[i]);
	}
	free(ev);
}

static void
post(struct lab *lab, const char *line)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(line, &cmd, &cause) == 0, "%s: %s", line,
	    cause != NULL ? cause : "?");
	lab_post(lab, &cmd, false);
}

/* A real lab: the bartender's socket() and then more than the ring holds
 * (setsockopt calls); the log still knows he made one, the customer did
 * not, and after a close the count stays (a socket was made). */
START_TEST(test_real_lab)
{
	struct lab_config cfg;
	struct tutor_log L;
	struct lab *lab;
	char *cause = NULL;
	size_t got = 0, i, n = TUTOR_LOG_MAX + 30;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "127.0.0.1";
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "lab_new: %s", cause != NULL ? cause : "?");
	tutor_log_init(&L);
	post(lab, "server socket");
	for (i = 0; i < n; i++)
		post(lab, "server setsockopt reuseaddr");
	pump(lab, &L, &got, n + 1);
	ck_assert_uint_eq(tutor_log_count(&L), TUTOR_LOG_MAX);
	ck_assert_int_eq(tutor_log_at(&L, 0)->ev.call, LAB_CALL_SETSOCKOPT);
	ck_assert(tutor_log_had_socket(&L, LAB_SERVER));
	ck_assert(!tutor_log_had_socket(&L, LAB_CLIENT));
	post(lab, "server close listener");
	pump(lab, &L, &got, got + 1);
	ck_assert_int_eq(tutor_log_at(&L, TUTOR_LOG_MAX - 1)->ev.call,
	    LAB_CALL_CLOSE);
	ck_assert(tutor_log_had_socket(&L, LAB_SERVER));
	/* The lab's reset forgets it. */
	tutor_log_before_reset(&L, true, 0);
	lab_reset(lab);
	pump(lab, &L, &got, got + 1);
	ck_assert(!tutor_log_had_socket(&L, LAB_SERVER));
	tutor_log_free(&L);
	lab_free(lab);
}
END_TEST

/* Every move between steps: forward by one is the only one that keeps
 * the lab as it is. */
START_TEST(test_plan)
{
	struct tutor_plan p;

	/* Right, in the same lesson and network: just the next step. */
	p = tutor_plan(true, 2, 3, 2, 4, false);
	ck_assert(!p.reset);
	/* The same, but the next step is in the other network. */
	p = tutor_plan(true, 2, 3, 2, 4, true);
	ck_assert(p.reset && !p.new_lesson);
	ck_assert_uint_eq(p.redo, 4);
	/* Left: the lab starts again and redoes steps 0 and 1. */
	p = tutor_plan(true, 2, 3, 2, 2, false);
	ck_assert(p.reset && !p.new_lesson);
	ck_assert_uint_eq(p.redo, 2);
	/* The same step again (a replay asked for). */
	p = tutor_plan(true, 2, 3, 2, 3, false);
	ck_assert(p.reset);
	ck_assert_uint_eq(p.redo, 3);
	/* A jump ahead in the lesson. */
	p = tutor_plan(true, 2, 0, 2, 5, false);
	ck_assert(p.reset);
	ck_assert_uint_eq(p.redo, 5);
	/* Another lesson, at its first step or elsewhere. */
	p = tutor_plan(true, 2, 7, 3, 0, false);
	ck_assert(p.reset && p.new_lesson);
	ck_assert_uint_eq(p.redo, 0);
	p = tutor_plan(true, 2, 0, 1, 4, false);
	ck_assert(p.reset && p.new_lesson);
	ck_assert_uint_eq(p.redo, 4);
	/* Out of the sandbox, even to the "next" step number. */
	p = tutor_plan(false, 2, 3, 2, 4, false);
	ck_assert(p.reset && p.new_lesson);
	ck_assert_uint_eq(p.redo, 4);
}
END_TEST

static const struct lesson *
find_lesson(struct lesson **ls, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ls[i]->id, id) == 0)
			return ls[i];
	ck_abort_msg("no lesson %s", id);
	return NULL;
}

/* Lesson 3 ("bartender") taken to step 4, where the customer connects:
 * the bartender's calls of steps 2 and 3 are redone, the customer's are
 * live. */
START_TEST(test_redo_real_lessons)
{
	const char *dir = getenv("SOCKTUTOR_LESSONDIR");
	struct lesson **ls = NULL;
	const struct lesson *l;
	struct lab_config cfg;
	struct lab_event *ev = xcalloc(16, sizeof *ev);
	struct lab *lab;
	char *cause = NULL;
	size_t redone, live, calls = 0, i, n;
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	int nl;
	bool connected = false;

	nl = lesson_load_dir(dir != NULL ? dir : "../lessons", &ls, &cause);
	ck_assert_msg(nl > 0, "%s", cause != NULL ? cause : "no lessons");
	l = find_lesson(ls, (size_t)nl, "bartender");
	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = "127.0.0.1";
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "lab_new: %s", cause != NULL ? cause : "?");
	redone = tutor_redo(lab, l, 3);
	live = tutor_post_step(lab, &l->steps[3], false);
	/* socket, setsockopt, bind; listen, serve; socket, connect. */
	ck_assert_uint_eq(redone, 5);
	ck_assert_uint_eq(live, 2);
	/* The bartender's serve and the customer's connect run on two
	 * threads: either may be told first. */
	while (calls < redone + live) {
		struct pollfd pfd = { lab_wake_fd(lab), POLLIN, 0 };

		ck_assert_msg(util_now_us() < end, "%zu of %zu calls in time",
		    calls, redone + live);
		(void)poll(&pfd, 1, 50);
		while ((n = lab_drain(lab, ev, 16)) > 0)
			for (i = 0; i < n; i++) {
				if (ev[i].kind != LAB_EV_CALL)
					continue;
				calls++;
				ck_assert_msg(ev[i].replay ==
				    (ev[i].side == LAB_SERVER), "%s() of the "
				    "%s: replay %d", lab_call_name(ev[i].call),
				    ev[i].side == LAB_SERVER ? "bartender" :
				    "customer", ev[i].replay);
				if (ev[i].call == LAB_CALL_CONNECT) {
					ck_assert_int_eq(ev[i].ret, 0);
					connected = true;
				}
			}
	}
	ck_assert(connected);
	lab_free(lab);
	free(ev);
	lesson_free_all(ls, (size_t)nl);
}
END_TEST

static Suite *
tutor_suite(void)
{
	Suite *s = suite_create("tutor");
	TCase *tc = tcase_create("log");
	TCase *real = tcase_create("real lab");
	TCase *steps = tcase_create("steps");

	tcase_add_test(steps, test_plan);
	suite_add_tcase(s, steps);
	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_had_socket_past_the_ring);
	tcase_add_test(tc, test_sift_resets);
	tcase_add_test(tc, test_sift_new_lesson);
	suite_add_tcase(s, tc);
	tcase_set_timeout(real, 60);
	tcase_add_test(real, test_real_lab);
	tcase_add_test(real, test_redo_real_lessons);
	suite_add_tcase(s, real);
	return s;
}

int
main(void)
{
	return tap_run(tutor_suite());
}

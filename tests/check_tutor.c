/* check_tutor.c - the session without a terminal (tutor.c): moving
 * between steps (forward by one performs just that step; anything else
 * starts the lab again and redoes the steps before, and a real lab marks
 * exactly those calls as redone); the log's ring keeps the latest
 * events, a reset says itself once, a lesson left takes its late events
 * along, and whether each side has made a socket since the lab's last
 * reset stays right however many events follow, with made-up events and
 * with a real lab on 127.0.0.1; "next" and "previous" across the real
 * course; answers judged, and remembered through a real progress file;
 * an exercise finished and recorded once. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The real course, loaded once per test. */
static struct lesson **
course(size_t *n)
{
	const char *dir = getenv("SOCKTUTOR_LESSONDIR");
	struct lesson **ls = NULL;
	char *cause = NULL;
	int nl = lesson_load_dir(dir != NULL ? dir : "../lessons", &ls,
	    &cause);

	ck_assert_msg(nl > 0, "%s", cause != NULL ? cause : "no lessons");
	*n = (size_t)nl;
	return ls;
}

/* "Next" from the first step visits every step of every lesson once, in
 * order, says when a lesson is finished, and stops at the end; "previous"
 * walks the same way back and stops at the start. */
START_TEST(test_walk_course)
{
	size_t n, lesson = 0, step = 0, total = 0, visited = 1, lessons = 0;
	size_t i, back = 0;
	struct lesson **ls = course(&n);
	enum tutor_next next;

	for (i = 0; i < n; i++)
		total += ls[i]->nsteps;
	while ((next = tutor_next(ls, n, &lesson, &step)) != TUTOR_NEXT_END) {
		size_t want_step = next == TUTOR_NEXT_LESSON ? 0 : step;

		ck_assert_uint_lt(lesson, n);
		ck_assert_uint_lt(step, ls[lesson]->nsteps);
		ck_assert_uint_eq(step, want_step);
		lessons += next == TUTOR_NEXT_LESSON;
		visited++;
	}
	ck_assert_uint_eq(visited, total);
	ck_assert_uint_eq(lessons, n - 1);
	/* At the end, "next" leaves the place alone. */
	ck_assert_uint_eq(lesson, n - 1);
	ck_assert_uint_eq(step, ls[n - 1]->nsteps - 1);
	while (tutor_prev(ls, &lesson, &step)) {
		ck_assert_uint_lt(step, ls[lesson]->nsteps);
		back++;
	}
	ck_assert_uint_eq(back, total - 1);
	ck_assert_uint_eq(lesson, 0);
	ck_assert_uint_eq(step, 0);
	/* Back across a lesson lands on its last step. */
	lesson = 2;
	step = 0;
	ck_assert(tutor_prev(ls, &lesson, &step));
	ck_assert_uint_eq(lesson, 1);
	ck_assert_uint_eq(step, ls[1]->nsteps - 1);
	lesson_free_all(ls, n);
}
END_TEST

/* The first step of l with a question of the kind asked: choices
 * (nchoices > 0) or a typed port. */
static size_t
step_asking(const struct lesson *l, bool choices)
{
	size_t i;

	for (i = 0; i < l->nsteps; i++) {
		const struct lesson_question *q = l->steps[i].question;

		if (q != NULL && (choices ? q->nchoices > 0 :
		    q->input == LESSON_INPUT_PORT))
			return i;
	}
	ck_abort_msg("lesson %s asks no such question", l->id);
	return 0;
}

/* Typed answers are judged as the lessons mean them: a port question
 * compares numbers, any other the exact text. */
START_TEST(test_judge)
{
	struct lesson_question port_q = { .input = LESSON_INPUT_PORT,
	    .expect = (char *)"80" };
	struct lesson_question text_q = { .input = LESSON_INPUT_TEXT,
	    .expect = (char *)"htons" };

	ck_assert_int_eq(tutor_judge(&port_q, "80"), TUTOR_TYPED_RIGHT);
	ck_assert_int_eq(tutor_judge(&port_q, "080"), TUTOR_TYPED_RIGHT);
	ck_assert_int_eq(tutor_judge(&port_q, "81"), TUTOR_TYPED_WRONG);
	ck_assert_int_eq(tutor_judge(&port_q, "8o"), TUTOR_TYPED_NOT_A_PORT);
	ck_assert_int_eq(tutor_judge(&port_q, "65536"),
	    TUTOR_TYPED_NOT_A_PORT);
	ck_assert_int_eq(tutor_judge(&port_q, ""), TUTOR_TYPED_NOT_A_PORT);
	ck_assert_int_eq(tutor_judge(&text_q, "htons"), TUTOR_TYPED_RIGHT);
	ck_assert_int_eq(tutor_judge(&text_q, "htonl"), TUTOR_TYPED_WRONG);
	ck_assert_int_eq(tutor_judge(&text_q, "80"), TUTOR_TYPED_WRONG);
}
END_TEST

/* A step's answer, with the real lesson on ports: a choice out of range
 * is no answer, a wrong one and a right one are answers, judged; a typed
 * port that is not a port is no answer and is kept for its feedback; a
 * new step starts with none. */
START_TEST(test_answers)
{
	size_t n, k, right = (size_t)-1;
	struct lesson **ls = course(&n);
	const struct lesson *l = find_lesson(ls, n, "ports");
	const struct lesson_question *cq =
	    l->steps[step_asking(l, true)].question;
	const struct lesson_question *pq =
	    l->steps[step_asking(l, false)].question;
	struct tutor_answer a;

	tutor_answer_clear(&a);
	ck_assert_int_eq(a.chosen, -1);
	ck_assert_int_eq(a.typed, TUTOR_TYPED_NONE);
	ck_assert(!tutor_answer_right(&a, cq));
	ck_assert(!tutor_answer_choose(&a, cq, cq->nchoices));
	ck_assert(!tutor_answer_choose(&a, NULL, 0));
	ck_assert_int_eq(a.chosen, -1);
	for (k = 0; k < cq->nchoices; k++) {
		ck_assert(tutor_answer_choose(&a, cq, k));
		ck_assert_int_eq(a.chosen, (int)k);
		ck_assert(tutor_answer_right(&a, cq) == cq->choices[k].right);
		if (cq->choices[k].right)
			right = k;
	}
	ck_assert_msg(right != (size_t)-1, "the question has a right choice");

	tutor_answer_clear(&a);
	ck_assert(!tutor_answer_type(&a, pq, "http"));
	ck_assert_int_eq(a.typed, TUTOR_TYPED_NOT_A_PORT);
	ck_assert_str_eq(a.text, "http");
	ck_assert(tutor_answer_type(&a, pq, "1"));
	ck_assert_int_eq(a.typed, TUTOR_TYPED_WRONG);
	ck_assert(!tutor_answer_right(&a, pq));
	ck_assert(tutor_answer_type(&a, pq, pq->expect));
	ck_assert(tutor_answer_right(&a, pq));
	/* What is kept is cut to the field's size; the judging is not. */
	ck_assert(tutor_answer_type(&a, pq, "0000000000000000000000000443"));
	ck_assert_uint_eq(strlen(a.text), TUTOR_ANSWER_MAX);
	lesson_free_all(ls, n);
}
END_TEST

/* A question answered is remembered in the progress file, under
 * "q:LESSON:STEP" (1-based), and read back; the older "LESSON:STEP"
 * counts too. */
START_TEST(test_answered_saved)
{
	size_t n;
	struct lesson **ls = course(&n);
	const struct lesson *l = find_lesson(ls, n, "ports");
	size_t at = step_asking(l, true);
	struct progress p, back;
	char path[] = "/tmp/check_tutor.XXXXXX", file[64], id[PROGRESS_ID_MAX];
	char *cause = NULL;

	memset(&p, 0, sizeof p);
	ck_assert_ptr_nonnull(mkdtemp(path));
	snprintf(file, sizeof file, "%s/progress", path);
	ck_assert(!tutor_answered(&p, l, at));
	tutor_mark_answered(&p, l, at);
	ck_assert(tutor_answered(&p, l, at));
	ck_assert(!tutor_answered(&p, l, at + 1));
	tutor_answer_id(l, at, id, sizeof id);
	ck_assert(strncmp(id, "q:ports:", 8) == 0);
	ck_assert_int_eq(atoi(id + 8), (int)at + 1);
	ck_assert_msg(progress_save(file, &p, &cause) == 0, "%s", cause);
	ck_assert_int_eq(progress_load(file, &back, &cause), 1);
	ck_assert(tutor_answered(&back, l, at));
	ck_assert(!tutor_answered(&back, l, at + 1));

	memset(&p, 0, sizeof p);
	snprintf(id, sizeof id, "ports:%zu", at + 2);
	progress_mark_done(&p, id);
	ck_assert(tutor_answered(&p, l, at + 1));
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(rmdir(path), 0);
	lesson_free_all(ls, n);
}
END_TEST

/* The step's exercise, with lesson 3's "order a drink": a step without
 * one has none; an order from a guest finishes it and the progress
 * records it once; the next visit finds it done; with no progress kept
 * (plain mode) nothing is recorded. */
START_TEST(test_exercise)
{
	size_t n, at;
	struct lesson **ls = course(&n);
	const struct lesson *l = find_lesson(ls, n, "bartender");
	struct progress p;
	struct exercise ex;
	struct lab_event *ev;
	char id[PROGRESS_ID_MAX];

	for (at = 0; at < l->nsteps && l->steps[at].exercise == NULL; at++)
		continue;
	ck_assert_uint_lt(at, l->nsteps);
	memset(&p, 0, sizeof p);
	ck_assert(!tutor_exercise_done(&p, &l->steps[at]));
	ck_assert(!tutor_exercise_start(&ex, &l->steps[0], &p));
	ck_assert(tutor_exercise_start(&ex, &l->steps[at], &p));
	ck_assert_int_eq(ex.state, EXERCISE_WAITING);
	/* The lab's own calls do not finish it; a guest's order does. */
	ck_assert(!tutor_exercise_event(&ex, event(LAB_EV_CALL, LAB_SERVER,
	    LAB_CALL_SEND, 9), &p));
	ck_assert_uint_eq(p.ndone, 0);
	ev = event(LAB_EV_GUEST_ORDER, LAB_SERVER, LAB_CALL_RECV, 9);
	snprintf(ev->data, sizeof ev->data, "espresso");
	ck_assert(tutor_exercise_event(&ex, ev, &p));
	ck_assert_int_eq(ex.state, EXERCISE_DONE);
	ck_assert(progress_is_done(&p, exercise_progress_id(&ex, id,
	    sizeof id)));
	ck_assert_uint_eq(p.ndone, 1);
	ck_assert(!tutor_exercise_event(&ex, ev, &p));
	ck_assert_uint_eq(p.ndone, 1);

	ck_assert(tutor_exercise_done(&p, &l->steps[at]));
	ck_assert(!tutor_exercise_done(&p, &l->steps[0]));
	ck_assert(tutor_exercise_start(&ex, &l->steps[at], &p));
	ck_assert_int_eq(ex.state, EXERCISE_DONE);
	ck_assert(tutor_exercise_start(&ex, &l->steps[at], NULL));
	ck_assert_int_eq(ex.state, EXERCISE_WAITING);
	ck_assert(tutor_exercise_event(&ex, ev, NULL));
	ck_assert_int_eq(ex.state, EXERCISE_DONE);
	lesson_free_all(ls, n);
}
END_TEST

static Suite *
tutor_suite(void)
{
	Suite *s = suite_create("tutor");
	TCase *tc = tcase_create("log");
	TCase *real = tcase_create("real lab");
	TCase *steps = tcase_create("steps");
	TCase *course_tc = tcase_create("course and answers");

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
	tcase_add_test(course_tc, test_walk_course);
	tcase_add_test(course_tc, test_judge);
	tcase_add_test(course_tc, test_answers);
	tcase_add_test(course_tc, test_answered_saved);
	tcase_add_test(course_tc, test_exercise);
	suite_add_tcase(s, course_tc);
	suite_add_tcase(s, real);
	return s;
}

int
main(void)
{
	return tap_run(tutor_suite());
}

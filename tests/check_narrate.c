/* check_narrate.c - the words both front ends share (narrate_step.c): the
 * question with its choices and feedback, a typed answer's feedback (the
 * judging is tutor_answer.c's: check_tutor), the right answer, the port
 * explanation, the exercise and the code as shown, in English and
 * through the real Italian catalog. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "exercise.h"
#include "i18n.h"
#include "narrate.h"
#include "narrate_step.h"
#include "tap.h"
#include "util.h"

static const char *
localedir(void)
{
	const char *d = getenv("SOCKTUTOR_LOCALEDIR");

	return d != NULL ? d : "../po/locale";
}

/* Lesson strings are char *: the fixtures are copies, freed after each
 * test (the sanitizer build counts anything left as a leak). */
static char *kept_list[64];
static size_t nkept;

static char *
kept(const char *s)
{
	char *p = xstrdup(s);

	ck_assert_uint_lt(nkept, sizeof kept_list / sizeof kept_list[0]);
	kept_list[nkept++] = p;
	return p;
}

static void
free_kept(void)
{
	while (nkept > 0)
		free(kept_list[--nkept]);
}

#define T(s) { kept(s), 0, NULL }
#define NO_TEXT { NULL, 0, NULL }

static struct lesson_choice choices[3];
static struct lesson_question choice_q;

/* The question of lesson 5 step 3, shortened feedback. */
static void
fixtures(void)
{
	struct lesson_choice c[3] = {
		{ T("So that two servers can listen on the same port at the "
		    "same time."), T("No: not two listeners."), false },
		{ T("So that a restarted server can bind its port while old "
		    "connections are still in TIME_WAIT."),
		    T("Right: bind() would fail."), true },
		{ T("So that customers on other machines can connect."),
		    NO_TEXT, false },
	};
	struct lesson_question q = {
		T("Why does the bartender set SO_REUSEADDR before bind()?"),
		choices, 3, LESSON_INPUT_NONE, NULL, NO_TEXT, NO_TEXT
	};

	memcpy(choices, c, sizeof c);
	choice_q = q;
}

static bool
starts(const char *s, const char *with)
{
	return strncmp(s, with, strlen(with)) == 0;
}

static bool
ends(const char *s, const char *with)
{
	size_t n = strlen(s), k = strlen(with);

	return n >= k && strcmp(s + n - k, with) == 0;
}

static void
english(void)
{
	fixtures();
	ck_assert(i18n_init("en", NULL, localedir()));
}

START_TEST(test_question_lines)
{
	struct narrate_lines L = { 0 };

	english();
	narrate_question_lines(&L, &choice_q, -1);
	ck_assert_uint_eq(L.n, 4);
	ck_assert_int_eq(L.v[0].part, NARRATE_HEAD);
	ck_assert_str_eq(L.v[0].prefix, "? ");
	ck_assert_str_eq(L.v[0].text, choice_q.prompt.msgid);
	ck_assert_int_eq(L.v[1].part, NARRATE_CHOICE);
	ck_assert_str_eq(L.v[1].prefix, " 1) ");
	ck_assert_str_eq(L.v[3].prefix, " 3) ");
	ck_assert_int_eq(L.v[2].look, NARRATE_NORMAL);
	narrate_lines_free(&L);

	/* A wrong choice: marked, bad, with its feedback under it. */
	narrate_question_lines(&L, &choice_q, 0);
	ck_assert_uint_eq(L.n, 5);
	ck_assert_str_eq(L.v[1].prefix, ">1) ");
	ck_assert_int_eq(L.v[1].look, NARRATE_BAD);
	ck_assert_int_eq(L.v[2].part, NARRATE_FEEDBACK);
	ck_assert_str_eq(L.v[2].text, "No: not two listeners.");
	ck_assert_str_eq(L.v[3].prefix, " 2) ");
	narrate_lines_free(&L);

	/* The right one is good; a choice without feedback adds none. */
	narrate_question_lines(&L, &choice_q, 1);
	ck_assert_int_eq(L.v[2].look, NARRATE_GOOD);
	ck_assert_int_eq(L.v[3].look, NARRATE_GOOD);
	narrate_lines_free(&L);
	narrate_question_lines(&L, &choice_q, 2);
	ck_assert_uint_eq(L.n, 4);
	narrate_lines_free(&L);
}
END_TEST

START_TEST(test_typed_feedback)
{
	struct lesson_question port_q = { T("Which port?"), NULL, 0,
	    LESSON_INPUT_PORT, kept("80"), T("Yes."), T("No.") };
	struct lesson_question text_q = { T("Which call?"), NULL, 0,
	    LESSON_INPUT_TEXT, kept("htons"), T("Yes."), T("No.") };
	struct narrate_lines L = { 0 };

	english();
	narrate_typed_lines(&L, &port_q, TUTOR_TYPED_RIGHT, "80");
	narrate_typed_lines(&L, &port_q, TUTOR_TYPED_WRONG, "81");
	narrate_typed_lines(&L, &port_q, TUTOR_TYPED_NOT_A_PORT, "8o");
	narrate_typed_lines(&L, &port_q, TUTOR_TYPED_NONE, "");
	ck_assert_uint_eq(L.n, 3);
	ck_assert_str_eq(L.v[0].text, "Yes.");
	ck_assert_int_eq(L.v[0].look, NARRATE_GOOD);
	ck_assert_str_eq(L.v[1].text, "No.");
	ck_assert_int_eq(L.v[1].look, NARRATE_BAD);
	ck_assert_str_eq(L.v[2].text, "\"8o\" is not a port: a port is a "
	    "number from 0 to 65535.");
	narrate_lines_free(&L);

	narrate_right_answer(&L, &text_q);
	ck_assert_uint_eq(L.n, 2);
	ck_assert_str_eq(L.v[0].text, "The right answer: htons");
	ck_assert_str_eq(L.v[1].text, "Yes.");
	narrate_lines_free(&L);
}
END_TEST

/* The same block through the real Italian catalog: the prompt is the
 * lesson's translation, the right answer the program's. */
START_TEST(test_italian)
{
	struct narrate_lines L = { 0 };

	fixtures();
	ck_assert(i18n_init("it", NULL, localedir()));
	narrate_question_lines(&L, &choice_q, -1);
	ck_assert_str_eq(L.v[0].text, "Perché il barista imposta "
	    "SO_REUSEADDR prima di bind()?");
	narrate_lines_free(&L);
	narrate_right_answer(&L, &choice_q);
	ck_assert_msg(starts(L.v[0].text, "La risposta giusta: 2) "),
	    "got %s", L.v[0].text);
	narrate_lines_free(&L);
	narrate_port_lines(&L, "99999");
	ck_assert_uint_eq(L.n, 1);
	ck_assert_int_eq(L.v[0].look, NARRATE_BAD);
	ck_assert_ptr_nonnull(strstr(L.v[0].text, "99999"));
	ck_assert_ptr_null(strstr(L.v[0].text, "is not a port"));
	narrate_lines_free(&L);
	english();
}
END_TEST

START_TEST(test_port_lines)
{
	struct narrate_lines L = { 0 };

	english();
	narrate_port_lines(&L, "80");
	ck_assert_uint_ge(L.n, 2);
	ck_assert_msg(starts(L.v[0].text, "Port 80. Range: "), "got %s",
	    L.v[0].text);
	ck_assert_int_eq(L.v[0].look, NARRATE_GOOD);
	narrate_lines_free(&L);
	narrate_port_lines(&L, "x");
	ck_assert_uint_eq(L.n, 1);
	ck_assert_str_eq(L.v[0].text, "\"x\" is not a port: a port is a "
	    "number from 0 to 65535.");
	narrate_lines_free(&L);
}
END_TEST

START_TEST(test_exercise)
{
	struct narrate_lines L = { 0 };
	struct exercise ex;
	char *cause = NULL;

	english();
	ck_assert_int_eq(exercise_init(&ex, "order-a-drink", NULL, &cause), 0);
	narrate_exercise_lines(&L, &ex, "127.0.0.1:45491", true);
	ck_assert_uint_eq(L.n, 3);
	ck_assert_int_eq(L.v[0].part, NARRATE_HEAD);
	ck_assert_str_eq(L.v[0].prefix, "! ");
	ck_assert_str_eq(L.v[1].text, "Not done yet: the bartender waits at "
	    "127.0.0.1:45491.");
	ck_assert_int_eq(L.v[2].part, NARRATE_HINT);
	ck_assert_msg(ends(L.v[2].text, "Here that is: nc 127.0.0.1 45491"),
	    "got %s", L.v[2].text);
	narrate_lines_free(&L);

	/* Without hints, no hint; an unbound bar, no address. */
	narrate_exercise_lines(&L, &ex, "", false);
	ck_assert_uint_eq(L.n, 2);
	ck_assert_str_eq(L.v[1].text, "Not done yet.");
	narrate_lines_free(&L);

	ck_assert_int_eq(exercise_init(&ex, "own-server", "6060", &cause), 0);
	ex.state = EXERCISE_FAILED;
	ex.why = EXERCISE_WHY_CONNECT;
	ex.err = ECONNREFUSED;
	narrate_exercise_state(&L, &ex, "");
	ck_assert_uint_eq(L.n, 1);
	ck_assert_msg(starts(L.v[0].text, "Not yet: connect() to port 6060 "
	    "failed with ECONNREFUSED: "), "got %s", L.v[0].text);
	ck_assert_int_eq(L.v[0].look, NARRATE_BAD);
	narrate_lines_free(&L);
	ex.state = EXERCISE_DONE;
	snprintf(ex.got, sizeof ex.got, "coming up");
	narrate_exercise_state(&L, &ex, "");
	ck_assert_str_eq(L.v[0].text, "Done! Your server on port 6060 "
	    "answered \"coming up\".");
	ck_assert_int_eq(L.v[0].look, NARRATE_GOOD);
	narrate_lines_free(&L);
}
END_TEST

START_TEST(test_code_shown)
{
	struct lab_addr a = { AF_INET, 45491, "0.0.0.0" };
	struct lesson_code c = { kept("c"), kept("\tlisten(ss, 5);\n"
	    "x = htons({port});\nab\tc"), 1, 1 };
	struct lesson_code sh = { kept("sh"),
	    kept("nc {addr} {port} # listen(5)"), 1, 0 };
	char *got;

	english();
	narrate_set_bar(&a);
	got = narrate_code_shown(&c, 1);
	ck_assert_str_eq(got, "        listen(ss, 1);\nx = htons(45491);\n"
	    "ab      c");
	free(got);
	got = narrate_code_shown(&c, 0);
	ck_assert_str_eq(got, "        listen(ss, 5);\nx = htons(45491);\n"
	    "ab      c");
	free(got);
	/* A wildcard bar is reached at loopback; no listen() to rewrite in
	 * a shell command. */
	got = narrate_code_shown(&sh, 1);
	ck_assert_str_eq(got, "nc 127.0.0.1 45491 # listen(5)");
	free(got);
}
END_TEST

static Suite *
narrate_suite(void)
{
	Suite *s = suite_create("narrate");
	TCase *tc = tcase_create("narrate");

	tcase_add_checked_fixture(tc, NULL, free_kept);

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_question_lines);
	tcase_add_test(tc, test_typed_feedback);
	tcase_add_test(tc, test_italian);
	tcase_add_test(tc, test_port_lines);
	tcase_add_test(tc, test_exercise);
	tcase_add_test(tc, test_code_shown);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(narrate_suite());
}

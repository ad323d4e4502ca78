/* check_lesson.c - the lesson parser: the real lesson files, the
 * normalisation rule, and a file:line error for every kind of breakage. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "tap.h"
#include "util.h"
#include "world.h"

static void
count_text(const struct lesson_text *t, void *arg)
{
	(void)t;
	++*(size_t *)arg;
}

static struct lesson *
parse(const char *text, char **cause)
{
	*cause = NULL;
	return lesson_parse("lessons/42-test.lesson", text, strlen(text),
	    cause);
}

/* Asserts that text fails to parse with a cause starting with prefix
 * and containing what. */
static void
assert_error(const char *text, const char *prefix, const char *what)
{
	char *cause;
	struct lesson *l = parse(text, &cause);

	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strncmp(cause, prefix, strlen(prefix)) == 0,
	    "cause '%s' does not start with '%s'", cause, prefix);
	ck_assert_msg(strstr(cause, what) != NULL,
	    "cause '%s' does not mention '%s'", cause, what);
	free(cause);
}

START_TEST(test_normalise)
{
	static const char in[] = "  one\t two \n  three  \r\n four ";
	char *s = lesson_normalise(in, strlen(in));

	ck_assert_str_eq(s, "one two three four");
	free(s);
	s = lesson_normalise("   ", 3);
	ck_assert_str_eq(s, "");
	free(s);
	s = lesson_normalise("perché è così", strlen("perché è così"));
	ck_assert_str_eq(s, "perché è così");
	free(s);
}
END_TEST

START_TEST(test_parse_full)
{
	static const char text[] =
	    "# comment\n"
	    "@lesson  A   title\n"
	    "\n"
	    "@step First\n"
	    "@key The key sentence.\n"
	    "@note For translators.\n"
	    "A paragraph that\n"
	    "   runs over lines.\n"
	    "\n"
	    "- item one\n"
	    "  continues\n"
	    "- item two\n"
	    "@code c mark=2\n"
	    "int s;\n"
	    "  s = socket(AF_INET, SOCK_STREAM, 0);\n"
	    "@end\n"
	    "@code python\n"
	    "s = socket.socket()\n"
	    "@end\n"
	    "@do server socket\n"
	    "@do server listen 7\n"
	    "@do client send hi\\n\n"
	    "@hint A hint\n"
	    "  continued.\n"
	    "@ask Which?\n"
	    "@choice A\n"
	    "@wrong No.\n"
	    "@choice B\n"
	    "@right Yes.\n"
	    "@step Second\n"
	    "@input port Type a port.\n"
	    "@ask HTTPS?\n"
	    "@answer port 443\n"
	    "@right Good.\n"
	    "@wrong Bad.\n"
	    "@exercise order-a-drink\n";
	char *cause;
	struct lesson *l = parse(text, &cause);
	const struct lesson_step *s;

	ck_assert_msg(l != NULL, "%s", cause);
	ck_assert_str_eq(l->id, "test");
	ck_assert_int_eq(l->order, 42);
	ck_assert_str_eq(l->title.msgid, "A title");
	ck_assert_uint_eq(l->nsteps, 2);
	s = &l->steps[0];
	ck_assert_str_eq(s->title.msgid, "First");
	ck_assert_str_eq(s->key.msgid, "The key sentence.");
	ck_assert_uint_eq(s->nblocks, 3);
	ck_assert_str_eq(s->blocks[0].text.msgid,
	    "A paragraph that runs over lines.");
	ck_assert_str_eq(s->blocks[0].text.note, "For translators.");
	ck_assert_int_eq(s->blocks[0].text.line, 7);
	ck_assert_int_eq(s->blocks[1].kind, LESSON_ITEM);
	ck_assert_str_eq(s->blocks[1].text.msgid, "item one continues");
	ck_assert_str_eq(s->blocks[2].text.msgid, "item two");
	ck_assert_uint_eq(s->ncode, 2);
	ck_assert_str_eq(lesson_step_code(s, "c")->text,
	    "int s;\n  s = socket(AF_INET, SOCK_STREAM, 0);");
	ck_assert_int_eq(lesson_step_code(s, "c")->mark, 2);
	ck_assert_str_eq(lesson_step_code(s, "python")->text,
	    "s = socket.socket()");
	ck_assert_uint_eq(s->nactions, 3);
	ck_assert_int_eq(s->actions[0].call, LAB_CALL_SOCKET);
	ck_assert_int_eq(s->actions[1].num, 7);
	ck_assert_int_eq(s->actions[2].side, LAB_CLIENT);
	ck_assert_uint_eq(s->actions[2].textlen, 3);
	ck_assert_mem_eq(s->actions[2].text, "hi\n", 3);
	ck_assert_str_eq(s->hints[0].msgid, "A hint continued.");
	ck_assert_uint_eq(s->question->nchoices, 2);
	ck_assert(!s->question->choices[0].right);
	ck_assert(s->question->choices[1].right);
	ck_assert_str_eq(s->question->choices[1].feedback.msgid, "Yes.");
	s = &l->steps[1];
	ck_assert_int_eq(s->input.kind, LESSON_INPUT_PORT);
	ck_assert_str_eq(s->input.prompt.msgid, "Type a port.");
	ck_assert_int_eq(s->question->input, LESSON_INPUT_PORT);
	ck_assert_str_eq(s->question->expect, "443");
	ck_assert_str_eq(s->exercise, "order-a-drink");
	lesson_free(l);
}
END_TEST

/* "@file" blocks hold a lesson's complete programs; "@mark" points a
 * step at lines of them, before or after the file itself.  Files are
 * code: never offered for translation. */
START_TEST(test_files_and_marks)
{
	static const char text[] =
	    "@lesson Files\n"
	    "@step One\n"
	    "@mark server.c 2\n"
	    "@mark server.py 1-2\n"
	    "Text.\n"
	    "@file server.c\n"
	    "int main(void) {\n"
	    "\tint s = socket(AF_INET, SOCK_STREAM, 0);\n"
	    "\treturn s;\n"
	    "}\n"
	    "@end\n"
	    "@step Two\n"
	    "@mark server.c 3-4\n"
	    "@file server.py\n"
	    "import socket\n"
	    "s = socket.socket()\n"
	    "@end\n"
	    "More text.\n";
	char *cause;
	struct lesson *l = parse(text, &cause);
	const struct lesson_file *f;
	size_t c = 0;

	ck_assert_msg(l != NULL, "%s", cause);
	ck_assert_uint_eq(l->nfiles, 2);
	f = lesson_file_find(l, "server.c");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->lang, "c");
	ck_assert_int_eq(f->nlines, 4);
	ck_assert_int_eq(f->line, 6);
	ck_assert_str_eq(f->text, "int main(void) {\n\tint s = "
	    "socket(AF_INET, SOCK_STREAM, 0);\n\treturn s;\n}");
	f = lesson_file_find(l, "server.py");
	ck_assert_str_eq(f->lang, "python");
	ck_assert_int_eq(f->nlines, 2);
	ck_assert_ptr_null(lesson_file_find(l, "client.c"));
	ck_assert_uint_eq(l->steps[0].nmarks, 2);
	ck_assert(!lesson_step_marks(&l->steps[0], 0, 1));
	ck_assert(lesson_step_marks(&l->steps[0], 0, 2));
	ck_assert(!lesson_step_marks(&l->steps[0], 0, 3));
	ck_assert(lesson_step_marks(&l->steps[0], 1, 1));
	ck_assert(lesson_step_marks(&l->steps[0], 1, 2));
	ck_assert(lesson_step_marks(&l->steps[1], 0, 3));
	ck_assert(lesson_step_marks(&l->steps[1], 0, 4));
	ck_assert(!lesson_step_marks(&l->steps[1], 1, 1));
	/* The steps' texts are all there is to translate. */
	lesson_foreach_text(l, count_text, &c);
	ck_assert_uint_eq(c, 5);
	lesson_free(l);

	assert_error("@lesson T\n@step S\n@file x.java\nclass X {}\n@end\n",
	    "lessons/42-test.lesson:3:", "NAME.c");
	assert_error("@lesson T\n@step S\n@file a.c\nx\n@end\n@file a.c\n"
	    "y\n@end\n", "lessons/42-test.lesson:6:", "already used");
	assert_error("@lesson T\n@step S\n@file a.c\nint x;\n",
	    "lessons/42-test.lesson:3:", "'@file' block is never closed");
	assert_error("@lesson T\n@step S\n@file a.c\n@end\n",
	    "lessons/42-test.lesson:3:", "empty");
	assert_error("@lesson T\n@step S\nText.\n@mark b.c 1\n@file a.c\nx\n"
	    "@end\n", "lessons/42-test.lesson:4:", "no '@file'");
	assert_error("@lesson T\n@step S\nText.\n@mark a.c 1-3\n@file a.c\n"
	    "x\ny\n@end\n", "lessons/42-test.lesson:4:", "past the end");
	assert_error("@lesson T\n@step S\n@mark a.c 3-1\n",
	    "lessons/42-test.lesson:3:", "@mark FILE N");
	assert_error("@lesson T\n@step S\n@mark a.c\n",
	    "lessons/42-test.lesson:3:", "@mark FILE N");
	assert_error("@lesson T\n@mark a.c 1\n",
	    "lessons/42-test.lesson:2:", "@step");
}
END_TEST

/* Nothing in a lesson may act on the terminal or turn its text around:
 * controls (C0 but TAB, DEL, C1) and bidirectional controls are refused
 * wherever they stand, with the line they are on. */
START_TEST(test_controls_refused)
{
	static const char *const bad[] = {
		"\x1b", "\x07", "\x7f", "\xc2\x9b", "\xc2\x85", "\rx",
		"\xe2\x80\xae", "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9",
		"\xe2\x80\x8e", "\xe2\x80\x8f", "\xd8\x9c",
	};
	static const char *const where[] = {
		"@lesson T|\n@step S\nText. More.\n",
		"@lesson T\n@step S|\nText.\n",
		"@lesson T\n@step S\nA para|graph.\n",
		"@lesson T\n@step S\n@code c\nint x; /*|*/\n@end\n",
		"@lesson T\n@step S\n# a comment |\nText.\n",
	};
	static const int lines[] = { 1, 2, 3, 4, 3 };
	size_t i, j;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		for (j = 0; j < sizeof where / sizeof where[0]; j++) {
			const char *at = strchr(where[j], '|');
			char *text = xasprintf("%.*s%s%s", (int)(at - where[j]),
			    where[j], bad[i], at + 1);
			char *prefix = xasprintf("lessons/42-test.lesson:%d: ",
			    lines[j]);
			char *cause;

			ck_assert_ptr_null(parse(text, &cause));
			ck_assert_msg(strncmp(cause, prefix, strlen(prefix))
			    == 0 && strstr(cause, "control") != NULL,
			    "case %zu/%zu: %s", i, j, cause);
			free(cause);
			free(prefix);
			free(text);
		}
	}
	/* A TAB in code, and as blank space in text, is fine; so is a CRLF
	 * line end, and a visible non-ASCII letter. */
	{
		char *cause = NULL;
		struct lesson *l = parse("@lesson Caff\xc3\xa8\r\n@step S\n"
		    "A\tparagraph.\n@code c\n\tint x;\n@end\n", &cause);

		ck_assert_msg(l != NULL, "%s", cause);
		ck_assert_str_eq(l->steps[0].code[0].text, "\tint x;");
		ck_assert_str_eq(l->steps[0].blocks[0].text.msgid,
		    "A paragraph.");
		lesson_free(l);
	}
}
END_TEST

/* The id is the file name after "NN-": it must keep to [a-z0-9-] so that
 * --lesson=ID, --list and the progress file can use it as it is. */
START_TEST(test_bad_ids)
{
	static const char text[] = "@lesson T\n@step S\nx.\n";
	static const char *const names[] = {
		"lessons/01-\x1b]0;ID\x07.lesson", "lessons/01-Server.lesson",
		"lessons/01-a b.lesson", "lessons/01-a_b.lesson",
		"lessons/01-caf\xc3\xa8.lesson", "lessons/01-a:b.lesson",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *cause = NULL;

		ck_assert_ptr_null(lesson_parse(names[i], text, strlen(text),
		    &cause));
		ck_assert_msg(strstr(cause, "a-z, 0-9 and '-'") != NULL,
		    "%s", cause);
		free(cause);
	}
}
END_TEST

START_TEST(test_errors)
{
	const char *p = "lessons/42-test.lesson:";

	assert_error("", "lessons/42-test.lesson:1:", "@lesson");
	assert_error("@lesson T\n", "lessons/42-test.lesson:2:", "@step");
	assert_error("@lesson T\n@step S\n@frob x\n",
	    "lessons/42-test.lesson:3:", "unknown directive '@frob'");
	assert_error("@lesson T\n@step S\n@code c\nint x;\n",
	    "lessons/42-test.lesson:3:", "never closed");
	assert_error("@lesson T\n@step S\n@code cobol\nx\n@end\n",
	    "lessons/42-test.lesson:3:", "c, python or sh");
	assert_error("@lesson T\ntext\n", "lessons/42-test.lesson:2:",
	    "@step");
	assert_error("@lesson T\n@step S\n@do server fly\n",
	    "lessons/42-test.lesson:3:", "unknown call 'fly'");
	assert_error("@lesson T\n@step S\n@do client listen\n",
	    "lessons/42-test.lesson:3:", "server call");
	assert_error("@lesson T\n@step S\n@ask Q?\n@choice A\n@choice B\n",
	    "lessons/42-test.lesson:5:", "@right");
	assert_error("@lesson T\n@step S\n@ask Q?\n@choice A\n@wrong x\n"
	    "@choice B\n@wrong y\n@step T\n", "lessons/42-test.lesson:8:",
	    "marked '@right'");
	assert_error("@lesson T\n@step S\nok\n\xff\xfe\n", p, "UTF-8");
	assert_error("@lesson T\n@step\n", "lessons/42-test.lesson:2:",
	    "needs a text");
	assert_error("@lesson T\n@step S\n@end\n",
	    "lessons/42-test.lesson:3:", "@end");
}
END_TEST

/* @wire and @guests: flags of the step they stand in, once each, with
 * no argument. */
START_TEST(test_step_flags)
{
	char *cause = NULL;
	struct lesson *l = parse("@lesson T\n@step A\nx.\n@wire\n"
	    "@step B\ny.\n@guests\n@step C\nz.\n", &cause);

	ck_assert_msg(l != NULL, "%s", cause ? cause : "");
	ck_assert(l->steps[0].wire && !l->steps[0].guests);
	ck_assert(!l->steps[1].wire && l->steps[1].guests);
	ck_assert(!l->steps[2].wire && !l->steps[2].guests);
	lesson_free(l);
	assert_error("@lesson T\n@step S\n@wire now\n",
	    "lessons/42-test.lesson:3:", "'@wire' takes no argument");
	assert_error("@lesson T\n@step S\n@guests\n@guests\n",
	    "lessons/42-test.lesson:4:", "one '@guests' only");
	assert_error("@lesson T\n@wire\n@step S\n",
	    "lessons/42-test.lesson:2:", "@step");
}
END_TEST

START_TEST(test_binary_and_huge)
{
	char *cause = NULL;
	size_t n = 2 * 1024 * 1024;
	char *big = xmalloc(n);
	struct lesson *l;

	memset(big, 'a', n);
	l = lesson_parse("lessons/42-test.lesson", big, n, &cause);
	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(cause, "larger than 1 MiB"));
	free(cause);
	free(big);
	l = lesson_parse("lessons/42-test.lesson", "\x00\x01\x02", 3, &cause);
	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(cause, ":1: "));
	free(cause);
}
END_TEST

START_TEST(test_bad_file_name)
{
	char *cause = NULL;
	static const char text[] = "@lesson T\n@step S\nx.\n";
	struct lesson *l = lesson_parse("lessons/server.lesson", text,
	    strlen(text), &cause);

	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(cause, "NN-id.lesson"));
	free(cause);
}
END_TEST

START_TEST(test_missing_dir)
{
	struct lesson **ls = NULL;
	char *cause = NULL;

	ck_assert_int_eq(lesson_load_dir("/nonexistent/lessons", &ls,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/lessons"));
	free(cause);
}
END_TEST

/* The contract's ids, indexed by lesson number - 1.  Matched by number,
 * not by place in the list, so a branch may carry some lessons only. */
static const char *const contract_ids[] = {
	"what-is-a-socket", "what-for", "bartender", "ports", "server",
	"client", "conversation", "wrap-up", "byte-stream", "byte-order",
	"accept-queue", "closing", "many-customers", "udp", "ipv6"
};

/* Counts sentence ends: '.', '!', '?' or ':' followed by a blank or the
 * end of the string. */
static size_t
sentences(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if ((*s == '.' || *s == '!' || *s == '?' || *s == ':') &&
		    (s[1] == ' ' || s[1] == '\0'))
			n++;
	return n;
}

START_TEST(test_real_lessons)
{
	char *dir = tap_srcpath("lessons");
	struct lesson **ls = NULL;
	char *cause = NULL;
	int n = lesson_load_dir(dir, &ls, &cause);
	size_t i, j, k;

	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	for (i = 0; i < (size_t)n; i++) {
		const struct lesson *l = ls[i];

		/* Keyed by the file's number, not its place: lessons are
		 * written on separate branches and arrive out of order. */
		if (l->order >= 1 && (size_t)l->order <=
		    sizeof contract_ids / sizeof contract_ids[0])
			ck_assert_str_eq(l->id, contract_ids[l->order - 1]);
		ck_assert_msg(l->nsteps >= 5, "%s has %zu steps", l->path,
		    l->nsteps);
		for (j = 0; j < l->nsteps; j++) {
			const struct lesson_step *s = &l->steps[j];
			size_t count = 0;

			for (k = 0; k < s->nblocks; k++)
				count += sentences(s->blocks[k].text.msgid);
			ck_assert_msg(count >= 2, "%s:%d: a step needs at "
			    "least two sentences", l->path, s->line);
			ck_assert_msg(s->key.msgid != NULL, "%s:%d: no @key",
			    l->path, s->line);
			if (s->nactions > 0) {
				ck_assert_msg(lesson_step_code(s, "c") &&
				    lesson_step_code(s, "python"),
				    "%s:%d: a step with calls shows them in "
				    "C and Python", l->path, s->line);
			}
		}
	}
	lesson_free_all(ls, (size_t)n);
	free(dir);
}
END_TEST

/* The step, by id and title, in the real lessons. */
static const struct lesson *
find_lesson(struct lesson **ls, int n, const char *id)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(ls[i]->id, id) == 0)
			return ls[i];
	ck_abort_msg("no lesson %s", id);
	return NULL;
}

/* world.h's rule on the real lessons: a step whose text sends the
 * reader to nc runs on this computer, where that nc arrives; the
 * handshake of lessons 6 and 7 in the private network. */
START_TEST(test_worlds)
{
	char *dir = tap_srcpath("lessons");
	struct lesson **ls = NULL;
	char *cause = NULL;
	int n = lesson_load_dir(dir, &ls, &cause);
	const struct lesson *l;
	size_t i, j;

	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	for (i = 0; i < (size_t)n; i++)
		for (j = 0; j < ls[i]->nsteps; j++) {
			const struct lesson_step *s = &ls[i]->steps[j];
			bool nc = false;
			size_t k;

			for (k = 0; k < s->nblocks; k++)
				nc = nc || strstr(s->blocks[k].text.msgid,
				    "nc {addr} {port}") != NULL;
			ck_assert_msg(!nc || world_invites(ls[i], j, false),
			    "%s:%d: the text sends the reader to nc, but the "
			    "step runs in the private network", ls[i]->path,
			    s->line);
			ck_assert_int_eq(world_for_step(ls[i], j, true, true),
			    LAB_WORLD_MACHINE);
			ck_assert_int_eq(world_for_step(ls[i], j, false,
			    false), LAB_WORLD_MACHINE);
		}
	l = find_lesson(ls, n, "client");
	ck_assert_int_eq(world_for_step(l, 0, false, true), LAB_WORLD_MACHINE);
	for (i = 1; i < l->nsteps; i++)
		if (strstr(l->steps[i].title.msgid, "connect()") != NULL)
			ck_assert_int_eq(world_for_step(l, i, false, true),
			    LAB_WORLD_PRIVATE);
	l = find_lesson(ls, n, "wrap-up");
	for (i = 0; i < l->nsteps; i++)
		ck_assert_int_eq(world_for_step(l, i, false, true),
		    LAB_WORLD_MACHINE);
	l = find_lesson(ls, n, "conversation");
	ck_assert(l->steps[1].wire);
	ck_assert_int_eq(world_for_step(l, 1, false, true), LAB_WORLD_PRIVATE);
	lesson_free_all(ls, (size_t)n);
	free(dir);
}
END_TEST

static Suite *
lesson_suite(void)
{
	Suite *s = suite_create("lesson");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, test_normalise);
	tcase_add_test(tc, test_parse_full);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_files_and_marks);
	tcase_add_test(tc, test_controls_refused);
	tcase_add_test(tc, test_bad_ids);
	tcase_add_test(tc, test_step_flags);
	tcase_add_test(tc, test_binary_and_huge);
	tcase_add_test(tc, test_bad_file_name);
	tcase_add_test(tc, test_missing_dir);
	suite_add_tcase(s, tc);
	tc = tcase_create("lessons");
	tcase_add_test(tc, test_real_lessons);
	tcase_add_test(tc, test_worlds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(lesson_suite());
}

/* check_pyclients.c - every complete Python client in the lessons (a
 * "@code python" block with both "import socket" and ".connect(") runs
 * against the live bartender of the lab and is served: the program exits
 * 0 and the bartender logs its order. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fill.h"
#include "lab.h"
#include "lesson.h"
#include "tap.h"
#include "util.h"

static void
post(struct lab *lab, const char *text)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(text, &cmd, &cause) == 0, "%s", cause);
	lab_post(lab, &cmd, false);
}

/* Drains events until one of the given kind arrives or the deadline (ms)
 * passes; returns 1 when found. */
static int
wait_event(struct lab *lab, enum lab_ev_kind kind, int ms)
{
	static struct lab_event evs[16];
	uint64_t end = util_now_us() + (uint64_t)ms * 1000;
	int found = 0;

	while (!found && util_now_us() < end) {
		struct pollfd p = { lab_wake_fd(lab), POLLIN, 0 };
		size_t n, i;

		poll(&p, 1, 50);
		while ((n = lab_drain(lab, evs, 16)) > 0)
			for (i = 0; i < n; i++)
				if (evs[i].kind == kind)
					found = 1;
	}
	return found;
}

/* Writes the program as the screen shows it: its placeholders filled,
 * so that its "PORT = {port}" line names the lab's bar. */
static char *
write_program(const char *text, unsigned port)
{
	char path[] = "/tmp/socktutor-py.XXXXXX";
	struct fill_vars v = { port, "127.0.0.1" };
	char *filled;
	FILE *f;
	int fd;

	ck_assert_msg(strstr(text, "PORT = {port}") != NULL, "a complete "
	    "client needs the line 'PORT = {port}':\n%s", text);
	filled = fill_text(text, &v);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "%s\n", filled);
	fclose(f);
	free(filled);
	return xstrdup(path);
}

START_TEST(test_python_clients)
{
	char *dir = tap_srcpath("lessons"), *cause = NULL;
	struct lab_config cfg = { .listen_addr = "127.0.0.1" };
	struct lesson **ls = NULL;
	struct lab_addr addr;
	struct lab *lab;
	size_t i, j, k, programs = 0;
	int n;

	n = lesson_load_dir(dir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "%s", cause ? cause : "");
	post(lab, "server socket");
	post(lab, "server setsockopt reuseaddr");
	post(lab, "server bind");
	post(lab, "server listen 16");
	post(lab, "server serve");
	while (!lab_settled(lab))
		wait_event(lab, LAB_EV_CALL, 50);
	ck_assert(lab_server_addr(lab, &addr));
	for (i = 0; i < (size_t)n; i++) {
		for (j = 0; j < ls[i]->nsteps; j++) {
			const struct lesson_step *s = &ls[i]->steps[j];

			for (k = 0; k < s->ncode; k++) {
				const struct lesson_code *c = &s->code[k];
				char *path, *cmd;
				int rc;

				if (strcmp(c->lang, "python") != 0 ||
				    strstr(c->text, "import socket") == NULL ||
				    strstr(c->text, ".connect(") == NULL)
					continue;
				programs++;
				path = write_program(c->text, addr.port);
				/* A loaded machine can take seconds to start
				 * Python; the bound is for a client that
				 * hangs, not a speed goal. */
				cmd = xasprintf("timeout 60 python3 %s "
				    "</dev/null >/dev/null", path);
				rc = system(cmd);
				ck_assert_msg(WIFEXITED(rc) &&
				    WEXITSTATUS(rc) == 0, "%s:%d: the Python "
				    "client failed (status %d)", ls[i]->path,
				    c->line, rc);
				ck_assert_msg(wait_event(lab,
				    LAB_EV_GUEST_ORDER, 3000), "%s:%d: the "
				    "bartender saw no order", ls[i]->path,
				    c->line);
				unlink(path);
				free(path);
				free(cmd);
			}
		}
	}
	ck_assert_msg(programs >= 2, "expected complete Python clients in "
	    "the lessons, found %zu", programs);
	lab_free(lab);
	lesson_free_all(ls, (size_t)n);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pyclients");
	TCase *tc = tcase_create("lessons");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_python_clients);
	suite_add_tcase(s, tc);
	return tap_run(s);
}

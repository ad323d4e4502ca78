/* check_programs.c - every complete program in the lessons runs for real.
 *
 * A complete C program (a "@code c" block with a main()) must compile with
 * gcc -Wall -Wextra -Werror.  A client (it connects to the bar's {port})
 * then runs against the lab's live bartender and must be served.  A
 * server (it listens at the exercise port, 6060), in C or in Python, runs
 * as its own process on a free port: it must answer "tea\ncoffee\n", sent
 * in one segment, with one line per order; a server that loops must also
 * survive a customer who resets the connection and serve the next one.
 * A program that needs neither (it makes its own pair of sockets) must
 * run and exit 0.  (The Python clients are check_pyclients' job.) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fill.h"
#include "lab.h"
#include "lesson.h"
#include "tap.h"
#include "util.h"

/* How long a program may take to start, compile or answer. */
#define START_MS 8000
#define ANSWER_MS 4000

static void
post(struct lab *lab, const char *text)
{
	struct lab_cmd cmd;
	char *cause = NULL;

	ck_assert_msg(lab_cmd_parse(text, &cmd, &cause) == 0, "%s", cause);
	lab_post(lab, &cmd, false);
}

/* Drains events until one of the given kind arrives or ms pass. */
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

/* text with every "from" replaced by "to"; the caller frees it. */
static char *
replace_all(const char *text, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = text; (p = strstr(p, from)) != NULL; p += lf)
		n++;
	out = xmalloc(strlen(text) + n * lt + 1);
	for (o = out, p = text; *p != '\0';) {
		if (strncmp(p, from, lf) == 0) {
			memcpy(o, to, lt);
			o += lt;
			p += lf;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* Writes text to dir/name. */
static char *
save(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* A port that was free a moment ago (the program binds it next). */
static unsigned
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	unsigned port;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(s != -1);
	ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
	ck_assert(getsockname(s, (struct sockaddr *)&a, &len) == 0);
	port = ntohs(a.sin_port);
	close(s);
	return port;
}

/* Connects to the program's port, retrying while it starts. */
static int
dial(unsigned port, int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000;
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	do {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		ck_assert(s != -1);
		if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
			return s;
		close(s);
		poll(NULL, 0, 50);
	} while (util_now_us() < end);
	return -1;
}

/* Reads until want lines have come, the stream ends or ms pass; returns
 * the number of lines. */
static int
read_lines(int s, int want, int ms, char *buf, size_t size)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000;
	size_t len = 0;
	int lines = 0;

	buf[0] = '\0';
	while (lines < want && len + 1 < size && util_now_us() < end) {
		struct pollfd p = { s, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(s, buf + len, size - 1 - len, 0);
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			if (buf[len + (size_t)i] == '\n')
				lines++;
		len += (size_t)n;
		buf[len] = '\0';
	}
	return lines;
}

/* Closes s with a reset instead of a FIN. */
static void
abort_conn(int s)
{
	struct linger lg = { 1, 0 };

	ck_assert(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0);
	close(s);
}

/* Starts argv as its own process, output thrown away. */
static pid_t
start(char *const argv[])
{
	pid_t pid = fork();

	ck_assert(pid != -1);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits for pid to exit within ms; returns its status, or -1 after
 * killing it. */
static int
reap(pid_t pid, int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000;
	int status;

	while (util_now_us() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		poll(NULL, 0, 20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* Orders tea and coffee in one segment; a looping server must also
 * survive customers who reset, and serve the next one. */
static void
try_server(const char *where, char *const argv[], unsigned port, bool loops)
{
	char buf[512];
	pid_t pid = start(argv);
	int s, lines;

	s = dial(port, START_MS);
	ck_assert_msg(s != -1, "%s: the server never listened on %u", where,
	    port);
	ck_assert(send(s, "tea\ncoffee\n", 11, 0) == 11);
	lines = read_lines(s, 2, ANSWER_MS, buf, sizeof buf);
	if (loops) {
		ck_assert_msg(lines == 2, "%s: \"tea\\ncoffee\\n\" in one "
		    "segment got %d answer lines: \"%s\"", where, lines, buf);
		close(s);
		/* One customer resets before reading his answer, another
		 * right after connecting. */
		s = dial(port, ANSWER_MS);
		ck_assert(s != -1);
		ck_assert(send(s, "tea\n", 4, 0) == 4);
		abort_conn(s);
		s = dial(port, ANSWER_MS);
		ck_assert(s != -1);
		abort_conn(s);
		s = dial(port, ANSWER_MS);
		ck_assert_msg(s != -1, "%s: the server died after a reset",
		    where);
		ck_assert(send(s, "water\n", 6, 0) == 6);
		ck_assert_msg(read_lines(s, 1, ANSWER_MS, buf,
		    sizeof buf) == 1, "%s: no answer after a customer reset",
		    where);
		close(s);
		ck_assert_msg(waitpid(pid, NULL, WNOHANG) == 0,
		    "%s: the server exited", where);
		kill(pid, SIGTERM);
		reap(pid, ANSWER_MS);
	} else {
		int status;

		ck_assert_msg(lines >= 1, "%s: no answer to \"tea\"", where);
		close(s);
		status = reap(pid, ANSWER_MS);
		ck_assert_msg(status != -1 && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0, "%s: the one-customer server "
		    "did not exit 0 (status %d)", where, status);
	}
}

struct run {
	struct lab *lab;
	unsigned bar_port;	/* the lab's bartender */
	char *dir;		/* scratch directory */
	size_t c_programs, servers, clients, alone;
};

/* Runs a program that needs nobody; it must exit 0 within 10 s. */
static void
try_alone(struct run *r, const char *where, const char *cmdline)
{
	char *cmd = xasprintf("timeout 10 %s </dev/null >/dev/null", cmdline);
	int rc = system(cmd);

	ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "%s: the "
	    "program failed (status %d)", where, rc);
	r->alone++;
	free(cmd);
}

static void
try_c(struct run *r, const char *where, const char *text)
{
	bool server = strstr(text, "listen(") != NULL &&
	    strstr(text, "6060") != NULL;
	unsigned port = server ? free_port() : r->bar_port;
	struct fill_vars fv = { port, "127.0.0.1" };
	char htons_port[32], portstr[16], *t0, *t1, *t2, *src, *exe, *cmd;
	int rc;

	snprintf(htons_port, sizeof htons_port, "htons(%u)", port);
	snprintf(portstr, sizeof portstr, "%u", port);
	t0 = fill_text(text, &fv);
	t1 = replace_all(t0, "htons(5050)", htons_port);
	t2 = replace_all(t1, "htons(6060)", htons_port);
	src = save(r->dir, "prog.c", t2);
	exe = xasprintf("%s/prog", r->dir);
	cmd = xasprintf("gcc -Wall -Wextra -Werror -pthread -o %s %s 2>&1", exe,
	    src);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "%s: the C program does not compile with "
	    "-Wall -Wextra -Werror (status %d)", where, rc);
	r->c_programs++;
	if (server) {
		char *argv[] = { exe, portstr, NULL };

		try_server(where, argv, port, strstr(text, "for (;;)") != NULL);
		r->servers++;
	} else if (strstr(text, "connect(") != NULL &&
	    (strstr(text, "{port}") != NULL || strstr(text, "5050") != NULL)) {
		free(cmd);
		cmd = xasprintf("timeout 5 %s </dev/null >/dev/null", exe);
		rc = system(cmd);
		ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		    "%s: the C client failed (status %d)", where, rc);
		ck_assert_msg(wait_event(r->lab, LAB_EV_GUEST_ORDER, 3000),
		    "%s: the bartender saw no order", where);
		r->clients++;
	} else {
		try_alone(r, where, exe);
	}
	unlink(src);
	unlink(exe);
	free(t0);
	free(t1);
	free(t2);
	free(src);
	free(exe);
	free(cmd);
}

static void
try_python_server(struct run *r, const char *where, const char *text)
{
	unsigned port = free_port();
	char portstr[16], *t, *src;

	snprintf(portstr, sizeof portstr, "%u", port);
	t = replace_all(text, "6060", portstr);
	src = save(r->dir, "prog.py", t);
	{
		char *argv[] = { (char *)"python3", src, portstr, NULL };

		try_server(where, argv, port,
		    strstr(text, "while True") != NULL ||
		    strstr(text, "serve_forever") != NULL);
	}
	r->servers++;
	unlink(src);
	free(src);
	free(t);
}

/* A complete Python server: it imports what it needs and listens at the
 * exercise port. */
static bool
python_server(const char *text)
{
	return strncmp(text, "import ", 7) == 0 &&
	    strstr(text, "6060") != NULL &&
	    (strstr(text, ".listen(") != NULL ||
	    strstr(text, "start_server(") != NULL ||
	    strstr(text, "TCPServer(") != NULL);
}

static void
try_block(struct run *r, const struct lesson *l, const struct lesson_code *c)
{
	char *where = xasprintf("%s:%d", l->path, c->line);

	if (strcmp(c->lang, "c") == 0 && strstr(c->text, "\nmain(") != NULL) {
		try_c(r, where, c->text);
	} else if (strcmp(c->lang, "python") == 0 && python_server(c->text)) {
		try_python_server(r, where, c->text);
	} else if (strcmp(c->lang, "python") == 0 &&
	    strncmp(c->text, "import ", 7) == 0 &&
	    strstr(c->text, "create_server((\"127.0.0.1\", 0))") != NULL) {
		char *path = save(r->dir, "prog.py", c->text);
		char *cmd = xasprintf("python3 %s", path);

		try_alone(r, where, cmd);
		unlink(path);
		free(path);
		free(cmd);
	}
	free(where);
}

START_TEST(test_programs)
{
	char *ldir = tap_srcpath("lessons"), *cause = NULL;
	char tmpl[] = "/tmp/socktutor-prog.XXXXXX";
	struct lab_config cfg = { .listen_addr = "127.0.0.1" };
	struct lesson **ls = NULL;
	struct lab_addr addr;
	struct run r = { 0 };
	size_t i, j, k;
	int n;

	signal(SIGPIPE, SIG_IGN);
	n = lesson_load_dir(ldir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	r.dir = mkdtemp(tmpl);
	ck_assert(r.dir != NULL);
	r.lab = lab_new(&cfg, &cause);
	ck_assert_msg(r.lab != NULL, "%s", cause ? cause : "");
	post(r.lab, "server socket");
	post(r.lab, "server setsockopt reuseaddr");
	post(r.lab, "server bind");
	post(r.lab, "server listen 16");
	post(r.lab, "server serve");
	while (!lab_settled(r.lab))
		wait_event(r.lab, LAB_EV_CALL, 50);
	ck_assert(lab_server_addr(r.lab, &addr));
	r.bar_port = addr.port;
	for (i = 0; i < (size_t)n; i++)
		for (j = 0; j < ls[i]->nsteps; j++)
			for (k = 0; k < ls[i]->steps[j].ncode; k++)
				try_block(&r, ls[i], &ls[i]->steps[j].code[k]);
	ck_assert_msg(r.c_programs >= 4, "expected complete C programs in "
	    "the lessons, found %zu", r.c_programs);
	ck_assert_msg(r.servers >= 4 && r.clients >= 2, "expected servers "
	    "and clients, found %zu and %zu", r.servers, r.clients);
	fprintf(stderr, "# %zu C programs compiled; %zu servers, %zu clients and %zu "
	    "programs on their own ran\n", r.c_programs, r.servers, r.clients,
	    r.alone);
	rmdir(r.dir);
	lab_free(r.lab);
	lesson_free_all(ls, (size_t)n);
	free(ldir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("programs");
	TCase *tc = tcase_create("lessons");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_programs);
	suite_add_tcase(s, tc);
	return tap_run(s);
}

/* check_listen.c - the bartender stays on the addresses asked for: every
 * step of every lesson, and the sandbox's calls, run through the lab
 * with the default address, --listen=127.0.0.1 and --listen=::1; after
 * each step, the sockets this process holds that take connections or
 * datagrams from anyone on the machine (TCP LISTEN, unconnected UDP) are
 * read from the kernel's tables, and each must sit on an address asked
 * for or on the loopback, never on 0.0.0.0 or ::.  --listen=:: must
 * still open :: when a lesson asks for it.
 *
 * Built twice: tests/check_listen runs every lesson on the machine, as
 * where user namespaces are refused; tests/check_listen_ns (with
 * LISTEN_TEST_NETNS) gives the lab its private network and picks each
 * step's world as the program does, and skips where the private network
 * cannot be had. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "lesson.h"
#include "netns.h"
#include "tap.h"
#include "util.h"
#include "world.h"

#define WAIT_MS 8000
#define MAX_INODES 256

static struct netns *private_net;	/* check_listen_ns only */

/* ---- what this process listens on ---- */

static size_t
own_inodes(unsigned long *out, size_t max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL && n < max) {
		char path[300], link[64];
		ssize_t k;

		snprintf(path, sizeof path, "/proc/self/fd/%s", de->d_name);
		k = readlink(path, link, sizeof link - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		if (sscanf(link, "socket:[%lu]", &out[n]) == 1)
			n++;
	}
	closedir(d);
	return n;
}

/* A /proc/net address ("0100007F" or 32 hex digits) as text. */
static void
proc_addr(const char *hex, bool v6, char *out, size_t len)
{
	unsigned char b[16];
	unsigned w;
	int i;

	for (i = 0; i < (v6 ? 4 : 1); i++) {
		char word[9];

		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		w = (unsigned)strtoul(word, NULL, 16);
		memcpy(b + 4 * i, &w, 4);	/* the kernel's own order */
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, b, out, (socklen_t)len);
}

static bool
allowed(const char *host, const char *listen)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "::ffff:127.0.0.1") == 0 ||
	    (listen != NULL && strcmp(host, listen) == 0);
}

/* Fails when one of our sockets in table (tcp, tcp6, udp, udp6) takes
 * strangers on an address that was not asked for.  Returns how many of
 * ours are open to anyone (listeners and unconnected UDP). */
static int
check_table(const char *table, const unsigned long *ino, size_t nino,
    const char *listen, const char *where)
{
	char path[64], line[512];
	bool v6 = strchr(table, '6') != NULL, tcp = table[0] == 't';
	FILE *f;
	int open_to_all = 0;

	snprintf(path, sizeof path, "/proc/self/net/%s", table);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;	/* no IPv6 here */
	while (fgets(line, sizeof line, f) != NULL) {
		char local[64], remote[64], host[INET6_ADDRSTRLEN];
		unsigned st, lport;
		unsigned long inode;
		size_t i;

		if (sscanf(line, " %*d: %63[0-9A-F]:%X %63[0-9A-F]:%*X %X "
		    "%*s %*s %*s %*s %*s %lu", local, &lport, remote, &st,
		    &inode) != 5)
			continue;
		for (i = 0; i < nino && ino[i] != inode; i++)
			;
		if (i == nino)
			continue;
		if (tcp ? st != 0x0A : strspn(remote, "0") != strlen(remote))
			continue;
		proc_addr(local, v6, host, sizeof host);
		open_to_all++;
		ck_assert_msg(allowed(host, listen), "%s: %s %s:%u is open "
		    "to anyone, and --listen=%s did not ask for it", where,
		    table, host, lport, listen != NULL ? listen : "(default)");
	}
	fclose(f);
	return open_to_all;
}

static int
check_own(const char *listen, const char *where)
{
	unsigned long ino[MAX_INODES];
	size_t n = own_inodes(ino, MAX_INODES);

	return check_table("tcp", ino, n, listen, where) +
	    check_table("tcp6", ino, n, listen, where) +
	    check_table("udp", ino, n, listen, where) +
	    check_table("udp6", ino, n, listen, where);
}

/* ---- driving the lab ---- */

static void
drain_all(struct lab *lab)
{
	struct lab_event ev[16];

	while (lab_drain(lab, ev, 16) > 0)
		;
}

static void
quiet(struct lab *lab, const char *where)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;

	while (!lab_settled(lab) && !lab_waiting(lab)) {
		struct pollfd p = { lab_wake_fd(lab), POLLIN, 0 };

		ck_assert_msg(util_now_us() < end, "%s: the lab is stuck",
		    where);
		poll(&p, 1, 10);
		drain_all(lab);
	}
	drain_all(lab);
}

static struct lab *
lab_at(const char *listen)
{
	struct lab_config cfg;
	struct lab *lab;
	char *cause = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.listen_addr = listen;
	cfg.port = 0;
	cfg.netns = private_net;
	lab = lab_new(&cfg, &cause);
	ck_assert_msg(lab != NULL, "lab_new: %s", cause ? cause : "?");
	return lab;
}

/* The step's world, as plain mode and the screen choose it: a change
 * starts the lab again there and redoes the earlier steps. */
static void
choose_world(struct lab *lab, const struct lesson *l, size_t si,
    bool classroom)
{
	enum lab_world w = world_for_step(l, si, classroom,
	    private_net != NULL);
	size_t i, k;

	if (w == lab_world(lab))
		return;
	lab_reset(lab);
	lab_set_world(lab, w);
	for (i = 0; i < si; i++)
		for (k = 0; k < l->steps[i].nactions; k++)
			lab_post(lab, &l->steps[i].actions[k], true);
}

static void
walk_lessons(const char *listen)
{
	const char *env = getenv("SOCKTUTOR_LESSONDIR");
	char *dir = env != NULL ? xstrdup(env) : tap_srcpath("lessons");
	bool classroom = listen != NULL && strcmp(listen, "127.0.0.1") != 0;
	struct lesson **ls;
	char *cause = NULL;
	int n, i;

	n = lesson_load_dir(dir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : dir);
	for (i = 0; i < n; i++) {
		struct lab *lab = lab_at(listen);
		size_t k, a;

		for (k = 0; k < ls[i]->nsteps; k++) {
			const struct lesson_step *st = &ls[i]->steps[k];
			char where[256];

			snprintf(where, sizeof where, "%s step %zu", ls[i]->id,
			    k + 1);
			choose_world(lab, ls[i], k, classroom);
			for (a = 0; a < st->nactions; a++)
				lab_post(lab, &st->actions[a], false);
			quiet(lab, where);
			check_own(listen, where);
		}
		lab_free(lab);
	}
	lesson_free_all(ls, (size_t)n);
	free(dir);
}

/* The sandbox's calls that let the kernel choose the address: listen()
 * without bind(), IPv4 and IPv6, and a UDP customer's sendto() before
 * it has an address. */
static void
sandbox_calls(const char *listen)
{
	static const char *const lines[] = {
		"server socket", "server listen",
		"server socket ipv6", "server listen",
		"server socket udp", "server bind",
		"client socket udp", "client sendto tea\\n",
		"client socket ipv6 udp", "client sendto tea\\n",
	};
	struct lab *lab = lab_at(listen);
	size_t i;
	int open_to_all = 0;

	for (i = 0; i < sizeof lines / sizeof *lines; i++) {
		struct lab_cmd cmd;
		char *cause = NULL;

		ck_assert_msg(lab_cmd_parse(lines[i], &cmd, &cause) == 0,
		    "%s: %s", lines[i], cause ? cause : "?");
		lab_post(lab, &cmd, false);
		quiet(lab, lines[i]);
		open_to_all += check_own(listen, lines[i]);
	}
	/* Something was listening: the check above did look. */
	ck_assert_int_gt(open_to_all, 0);
	lab_free(lab);
}

START_TEST(test_default)
{
	walk_lessons(NULL);
	sandbox_calls(NULL);
}
END_TEST

START_TEST(test_loopback4)
{
	walk_lessons("127.0.0.1");
	sandbox_calls("127.0.0.1");
}
END_TEST

static bool
have_ipv6_loopback(void)
{
	struct sockaddr_in6 sin6;
	int fd = socket(AF_INET6, SOCK_STREAM, 0), r;

	if (fd == -1)
		return false;
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	r = bind(fd, (struct sockaddr *)&sin6, sizeof sin6);
	close(fd);
	return r == 0;
}

START_TEST(test_loopback6)
{
	if (!have_ipv6_loopback())
		return;		/* --listen=::1 cannot even start here */
	walk_lessons("::1");
	sandbox_calls("::1");
}
END_TEST

/* Lesson 15's bind on a machine that asked for every address: the
 * choice is the learner's, and the lab keeps to it. */
START_TEST(test_wildcard_asked)
{
	static const char *const lines[] = {
		"server socket ipv6", "server setsockopt v6only 0",
		"server bind addr=::", "server listen",
	};
	struct lab *lab;
	struct lab_addr where;
	size_t i;

	if (!have_ipv6_loopback())
		return;
	lab = lab_at("::");
	if (private_net != NULL)
		lab_set_world(lab, LAB_WORLD_MACHINE);
	for (i = 0; i < sizeof lines / sizeof *lines; i++) {
		struct lab_cmd cmd;
		char *cause = NULL;

		ck_assert(lab_cmd_parse(lines[i], &cmd, &cause) == 0);
		lab_post(lab, &cmd, false);
	}
	quiet(lab, "bind addr=::");
	ck_assert(lab_server_addr(lab, &where));
	ck_assert_str_eq(where.host, "::");
	ck_assert_int_eq(check_own("::", "--listen=::"), 1);
	lab_free(lab);
}
END_TEST

static Suite *
listen_suite(void)
{
	Suite *s = suite_create("listen");
	TCase *tc = tcase_create("listen");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_default);
	tcase_add_test(tc, test_loopback4);
	tcase_add_test(tc, test_loopback6);
	tcase_add_test(tc, test_wildcard_asked);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
#ifdef LISTEN_TEST_NETNS
	char *cause = NULL;

	private_net = netns_start(&cause);
	if (private_net == NULL) {
		printf("1..0 # SKIP no private network: %s\n",
		    cause != NULL ? cause : "?");
		free(cause);
		return 0;
	}
#endif
	return tap_run(listen_suite());
}

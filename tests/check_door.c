/* check_door.c - the classroom door: its line reader and replies as
 * pure functions, then the door itself with real students on loopback:
 * votes counted once per connection (the latest), a new question that
 * clears them, replies in the language handed over, and a crowd of 100
 * where half send junk, escapes or 1 MiB lines and a few reset. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "door.h"
#include "tap.h"
#include "util.h"

#define WAIT_MS 15000

/* Feeds s whole; returns how many lines ended, their votes in v. */
static int
feed_all(struct door_reader *r, const char *s, size_t n, unsigned *v,
    int max)
{
	int count = 0;
	unsigned c;

	while (n > 0)
		if (door_feed(r, &s, &n, &c) == 1 && count < max)
			v[count++] = c;
	return count;
}

START_TEST(test_choice)
{
	ck_assert_uint_eq(door_choice("2", 1), 2);
	ck_assert_uint_eq(door_choice(" 9 \r", 4), 9);
	ck_assert_uint_eq(door_choice("\t1\r\r", 4), 1);
	ck_assert_uint_eq(door_choice("0", 1), 0);
	ck_assert_uint_eq(door_choice("12", 2), 0);
	ck_assert_uint_eq(door_choice("2.", 2), 0);
	ck_assert_uint_eq(door_choice("answer 2", 8), 0);
	ck_assert_uint_eq(door_choice("", 0), 0);
	ck_assert_uint_eq(door_choice("\x1b[2J", 4), 0);
	ck_assert_uint_eq(door_choice("2\0", 2), 0);
}
END_TEST

START_TEST(test_lines)
{
	struct door_reader r;
	unsigned v[8], c;
	size_t i;
	const char *s = "1\n 3 \r\nhello\n\n7";
	int n;

	door_reader_init(&r);
	n = feed_all(&r, s, strlen(s), v, 8);
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(v[0], 1);
	ck_assert_uint_eq(v[1], 3);
	ck_assert_uint_eq(v[2], 0);
	ck_assert_uint_eq(v[3], 0);
	/* The unterminated "7" counts when the student closes. */
	ck_assert_int_eq(door_finish(&r, &c), 1);
	ck_assert_uint_eq(c, 7);
	ck_assert_int_eq(door_finish(&r, &c), 0);

	/* Byte by byte, the same votes. */
	door_reader_init(&r);
	n = 0;
	for (i = 0; i < strlen(s); i++)
		n += feed_all(&r, s + i, 1, v + n, 8 - n);
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(v[1], 3);
}
END_TEST

/* A 1 MiB line whose end is a digit is junk, answered once. */
START_TEST(test_long_line)
{
	size_t big = 1u << 20, i;
	char *s = xmalloc(big + 3);
	struct door_reader r;
	unsigned v[4];
	int n;

	memset(s, ' ', big);
	s[big] = '2';
	s[big + 1] = '\n';
	s[big + 2] = '2';
	door_reader_init(&r);
	n = 0;
	for (i = 0; i < big + 2; i += 4093) {
		size_t k = big + 2 - i < 4093 ? big + 2 - i : 4093;

		n += feed_all(&r, s + i, k, v + n, 4 - n);
		ck_assert_uint_le(r.keptlen, DOOR_LINE_MAX);
	}
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(v[0], 0);
	/* The next line is read afresh. */
	n = feed_all(&r, "2\n", 2, v, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(v[0], 2);
	free(s);
}
END_TEST

START_TEST(test_format)
{
	char buf[DOOR_REPLY_MAX], small[12];
	size_t n;

	n = door_format("Vote {vote} of {n}.", "x", 2, 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "Vote 2 of 4.\n");
	ck_assert_uint_eq(n, strlen(buf));
	/* Not one line of safe text: the fallback. */
	n = door_format("two\nlines", "ok {n}", 0, 3, buf, sizeof buf);
	ck_assert_str_eq(buf, "ok 3\n");
	n = door_format("\x1b[2Jboo", "ok", 0, 3, buf, sizeof buf);
	ck_assert_str_eq(buf, "ok\n");
	n = door_format(NULL, "ok", 0, 3, buf, sizeof buf);
	ck_assert_str_eq(buf, "ok\n");
	/* Cut short: a whole character, then the '\n'. */
	n = door_format("perch\xc3\xa8 perch\xc3\xa8", "x", 0, 0, small,
	    sizeof small);
	ck_assert_str_eq(small, "perch\xc3\xa8 pe\n");
	ck_assert_uint_eq(n, strlen(small));
	n = door_format("abcdefgh\xc3\xa8", "x", 0, 0, small, 11);
	ck_assert_str_eq(small, "abcdefgh\n");
	ck_assert(util_text_safe(small, n - 1));
	/* Every default is one safe line. */
	for (n = 0; n < DOOR_REPLY_COUNT; n++) {
		size_t k = door_format(door_default_reply(n), "", 1, 4, buf,
		    sizeof buf);

		ck_assert_uint_gt(k, 1);
		ck_assert(util_text_safe(buf, k - 1));
		ck_assert(strstr(buf, "{") == NULL);
	}
}
END_TEST

/* ---- with sockets ---- */

static struct door *
open_door(struct lab_addr *a)
{
	struct door_config cfg = { "127.0.0.1", 0, false, 0 };
	char *cause = NULL;
	struct door *d = door_new(&cfg, &cause);

	ck_assert_msg(d != NULL, "door_new: %s", cause ? cause : "?");
	door_addr(d, a);
	ck_assert_uint_gt(a->port, 0);
	return d;
}

/* A student connected to the door, from 127.0.0.(src) when src > 0. */
static int
student(const struct lab_addr *a, int src)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (src > 0) {
		sin.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)src);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin),
		    0);
	}
	sin.sin_port = htons(a->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

static void
say(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t r = send(fd, s, n, MSG_NOSIGNAL);

		if (r == -1 && errno == EINTR)
			continue;
		ck_assert_msg(r > 0, "send: %s", strerror(errno));
		s += r;
		n -= (size_t)r;
	}
}

/* What a student heard so far: the lines still in buf, and how often
 * the wanted text was in the lines already let go. */
struct heard {
	char buf[8192];
	size_t n;
	int gone;		/* the wanted text, in lines let go */
};

/* Every byte of s is printable text or a '\n' ending a line: nothing is
 * echoed raw.  Returns how many bytes the whole lines take. */
static size_t
assert_clean_upto(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		ck_assert_msg(util_text_safe(s + start, i - start),
		    "unsafe reply: %.*s", (int)(i - start), s + start);
		start = i + 1;
	}
	return start;
}

static void
assert_clean(const struct heard *h)
{
	ck_assert_uint_eq(assert_clean_upto(h->buf, h->n), h->n);
}

static int
count(const char *s, const char *want)
{
	int seen = 0;

	while ((s = strstr(s, want)) != NULL) {
		seen++;
		s++;
	}
	return seen;
}

/* Reads until want has been heard `times` times; false at the deadline
 * or when the door closed first.  Whole lines are let go when buf
 * fills (checked clean first), so any number of replies can come. */
static bool
hear(int fd, struct heard *h, const char *want, int times, int ms)
{
	uint64_t end = util_now_us() + (uint64_t)ms * 1000u;

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		uint64_t now;
		ssize_t r;

		h->buf[h->n] = '\0';
		if (h->gone + count(h->buf, want) >= times)
			return true;
		if (h->n + 1 >= sizeof h->buf) {
			size_t k = assert_clean_upto(h->buf, h->n);
			char c;

			ck_assert_uint_gt(k, 0);
			c = h->buf[k];
			h->buf[k] = '\0';
			h->gone += count(h->buf, want);
			h->buf[k] = c;
			memmove(h->buf, h->buf + k, h->n - k);
			h->n -= k;
			continue;
		}
		now = util_now_us();
		if (now >= end)
			return false;
		if (poll(&pfd, 1, (int)((end - now) / 1000) + 1) <= 0)
			continue;
		r = recv(fd, h->buf + h->n, sizeof h->buf - 1 - h->n, 0);
		if (r <= 0)
			return false;
		h->n += (size_t)r;
	}
}

/* Waits until the counts show votes v[0..n) and `voters` in all. */
static void
wait_counts(struct door *d, const unsigned *v, unsigned n, unsigned voters)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	struct door_counts c;
	unsigned i;

	for (;;) {
		bool ok;

		door_counts(d, &c);
		ok = c.voters == voters;
		for (i = 0; i < n; i++)
			ok = ok && c.votes[i] == v[i];
		if (ok)
			return;
		if (util_now_us() >= end)
			break;
		poll(NULL, 0, 10);
	}
	ck_abort_msg("counts %u/%u/%u (%u voters), wanted %u/%u/%u (%u)",
	    c.votes[0], c.votes[1], c.votes[2], c.voters, v[0],
	    n > 1 ? v[1] : 0, n > 2 ? v[2] : 0, voters);
}

static void
wait_connected(struct door *d, unsigned want)
{
	uint64_t end = util_now_us() + WAIT_MS * 1000ull;
	struct door_counts c;

	do {
		door_counts(d, &c);
		if (c.connected == want)
			return;
		poll(NULL, 0, 10);
	} while (util_now_us() < end);
	ck_abort_msg("%u connected, wanted %u", c.connected, want);
}

/* 12 students answer 2 and 5 answer 1, each from its own address. */
START_TEST(test_class_votes)
{
	static struct heard h[17];
	struct lab_addr a;
	struct door *d = open_door(&a);
	unsigned want[3] = { 5, 12, 0 };
	int fd[17], i;

	door_set_question(d, 3, 42);
	for (i = 0; i < 17; i++) {
		fd[i] = student(&a, 10 + i);
		ck_assert(hear(fd[i], &h[i], "from 1 to 3", 1, WAIT_MS));
	}
	for (i = 0; i < 17; i++)
		say(fd[i], i < 12 ? "2\n" : "1\n", 2);
	for (i = 0; i < 17; i++) {
		ck_assert(hear(fd[i], &h[i], "Vote counted", 1, WAIT_MS));
		assert_clean(&h[i]);
	}
	wait_counts(d, want, 3, 17);
	wait_connected(d, 17);
	/* Leaving keeps the vote. */
	for (i = 0; i < 17; i++)
		close(fd[i]);
	wait_connected(d, 0);
	wait_counts(d, want, 3, 17);
	door_free(d);
}
END_TEST

/* 1,000 answers from one connection count once: the latest. */
START_TEST(test_thousand_answers)
{
	static char lines[2000];
	struct heard h = { .n = 0 };
	struct lab_addr a;
	struct door *d = open_door(&a);
	unsigned want[3] = { 0, 0, 1 };
	struct door_counts c;
	int fd, i;

	door_set_question(d, 3, 1);
	fd = student(&a, 0);
	for (i = 0; i < 999; i++) {
		lines[2 * i] = '1';
		lines[2 * i + 1] = '\n';
	}
	lines[1998] = '3';
	lines[1999] = '\n';
	say(fd, lines, sizeof lines);
	/* Every answer is answered, the last one last. */
	ck_assert(hear(fd, &h, "Vote counted: 1", 999, WAIT_MS));
	h.gone = 0;
	ck_assert(hear(fd, &h, "Vote counted: 3", 1, WAIT_MS));
	wait_counts(d, want, 3, 1);
	door_counts(d, &c);
	ck_assert_uint_eq(c.votes[0], 0);
	assert_clean(&h);
	close(fd);
	door_free(d);
}
END_TEST

/* No question, a question, another question: what students hear and
 * what counts; replies in the language handed over. */
START_TEST(test_questions)
{
	static const char *const it[DOOR_REPLY_COUNT] = {
		"Voto contato: {vote}.", "Manda il numero, da 1 a {n}.",
		"Nessuna domanda aperta.", NULL
	};
	struct heard h = { .n = 0 }, h2 = { .n = 0 };
	struct lab_addr a;
	struct door *d = open_door(&a);
	unsigned none[2] = { 0, 0 }, one[2] = { 1, 0 };
	int fd, fd2;

	fd = student(&a, 0);
	ck_assert(hear(fd, &h, "No question is open", 1, WAIT_MS));
	say(fd, "1\n", 2);
	ck_assert(hear(fd, &h, "No question is open", 2, WAIT_MS));
	wait_counts(d, none, 2, 0);

	door_set_question(d, 2, 7);
	ck_assert(hear(fd, &h, "from 1 to 2", 1, WAIT_MS));
	say(fd, "3\n", 2);		/* out of range: help */
	ck_assert(hear(fd, &h, "from 1 to 2", 2, WAIT_MS));
	say(fd, "1\n", 2);
	ck_assert(hear(fd, &h, "Vote counted: 1", 1, WAIT_MS));
	wait_counts(d, one, 2, 1);
	/* The same question again keeps the votes... */
	door_set_question(d, 2, 7);
	wait_counts(d, one, 2, 1);
	/* ... a new one clears them, in Italian now. */
	door_set_replies(d, it);
	door_set_question(d, 2, 8);
	ck_assert(hear(fd, &h, "Manda il numero, da 1 a 2.", 1, WAIT_MS));
	wait_counts(d, none, 2, 0);
	say(fd, "2\n", 2);
	ck_assert(hear(fd, &h, "Voto contato: 2.", 1, WAIT_MS));
	fd2 = student(&a, 0);
	ck_assert(hear(fd2, &h2, "Manda il numero", 1, WAIT_MS));
	assert_clean(&h);
	assert_clean(&h2);
	close(fd);
	close(fd2);
	door_free(d);
}
END_TEST

/* A taken port: the door takes another when allowed, else says why. */
START_TEST(test_port_taken)
{
	struct lab_addr a, b;
	struct door *d = open_door(&a), *e;
	struct door_config cfg = { "127.0.0.1", a.port, false, 0 };
	char *cause = NULL;

	e = door_new(&cfg, &cause);
	ck_assert(e == NULL);
	ck_assert_msg(strstr(cause, "EADDRINUSE") != NULL, "%s", cause);
	free(cause);
	cfg.fallback = true;
	e = door_new(&cfg, &cause);
	ck_assert(e != NULL);
	door_addr(e, &b);
	ck_assert(door_fell_back(e));
	ck_assert_uint_ne(b.port, a.port);
	door_free(e);
	door_free(d);
}
END_TEST

enum kind { VOTE2, VOTE3, JUNK, ESCAPES, BIG, RESET_VOTED, RESET_HALF };

/* 100 students at once: 30 vote 2, 15 vote 3 (5 of them after a 1 MiB
 * line), 20 send binary junk, 20 escape sequences, 5 vote 1 and then
 * reset, 10 reset in the middle of a "1"; then everyone leaves. */
START_TEST(test_crowd)
{
	static struct heard h[100];
	static const char esc[] = "\x1b[2J\x1b]0;owned\x07\x9b" "31m\r\n";
	size_t big = 1u << 20;
	char *mib = xmalloc(big), junk[300];
	struct lab_addr a;
	struct door *d = open_door(&a);
	unsigned want[3] = { 5, 30, 15 };
	enum kind k[100];
	int fd[100], i, j;

	memset(mib, 'x', big);
	for (i = 0; i < 100; i++)
		k[i] = i < 30 ? VOTE2 : i < 40 ? VOTE3 : i < 45 ? BIG :
		    i < 65 ? JUNK : i < 85 ? ESCAPES : i < 90 ? RESET_VOTED :
		    RESET_HALF;
	door_set_question(d, 3, 5);
	for (i = 0; i < 100; i++)
		fd[i] = student(&a, 1 + i);
	for (i = 0; i < 100; i++) {
		switch (k[i]) {
		case VOTE2:
			say(fd[i], "2\n", 2);
			break;
		case VOTE3:
			say(fd[i], " 3\r\n", 4);
			break;
		case BIG:
			say(fd[i], mib, big);
			say(fd[i], "\n3\n", 3);
			break;
		case JUNK:
			for (j = 0; j < (int)sizeof junk; j++)
				junk[j] = (char)(j * 37 + i);
			say(fd[i], junk, sizeof junk);
			say(fd[i], "\n", 1);
			break;
		case ESCAPES:
			say(fd[i], esc, sizeof esc - 1);
			break;
		case RESET_VOTED:
			say(fd[i], "1\n", 2);
			break;
		case RESET_HALF:
			say(fd[i], "1", 1);
			break;
		}
	}
	for (i = 0; i < 100; i++) {
		struct linger lg = { 1, 0 };

		if (k[i] == VOTE2 || k[i] == VOTE3 || k[i] == BIG ||
		    k[i] == RESET_VOTED)
			ck_assert_msg(hear(fd[i], &h[i], "Vote counted", 1,
			    WAIT_MS), "student %d: %.*s", i, (int)h[i].n,
			    h[i].buf);
		else if (k[i] != RESET_HALF)
			ck_assert(hear(fd[i], &h[i], "from 1 to 3", 2,
			    WAIT_MS));
		assert_clean(&h[i]);
		if (k[i] == RESET_VOTED || k[i] == RESET_HALF) {
			ck_assert_int_eq(setsockopt(fd[i], SOL_SOCKET,
			    SO_LINGER, &lg, sizeof lg), 0);
			close(fd[i]);
			fd[i] = -1;
		}
	}
	wait_counts(d, want, 3, 50);
	for (i = 0; i < 100; i++)
		if (fd[i] != -1)
			close(fd[i]);
	wait_connected(d, 0);
	wait_counts(d, want, 3, 50);
	door_free(d);
	free(mib);
}
END_TEST

static Suite *
door_suite(void)
{
	Suite *s = suite_create("door");
	TCase *tc = tcase_create("protocol");

	tcase_add_test(tc, test_choice);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	tc = tcase_create("sockets");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_class_votes);
	tcase_add_test(tc, test_thousand_answers);
	tcase_add_test(tc, test_questions);
	tcase_add_test(tc, test_port_taken);
	tcase_add_test(tc, test_crowd);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(door_suite());
}

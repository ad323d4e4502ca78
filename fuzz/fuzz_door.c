/* fuzz_door.c - libFuzzer harness for the classroom door's line reader
 * and replies (door.c, as its thread drives them).  The first two input
 * bytes choose how the rest is cut into reads; the rest is what a
 * student sends.  Checked:
 *  - cutting the stream differently never changes the lines or votes;
 *  - a vote is 1-9 and comes only from a short line holding just that
 *    digit (checked against a second, naive reading of the stream);
 *  - the reader never keeps more than DOOR_LINE_MAX bytes;
 *  - every reply, filled in from the stream's bytes taken as a template,
 *    is one line of safe text ending in '\n', within its buffer. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "door.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 8192

static void
check(int ok)
{
	if (!ok)
		abort();
}

static unsigned
next(unsigned *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* The votes of every line, read by the reader in pieces (seed 0:
 * whole); returns how many lines. */
static size_t
run(const char *p, size_t n, unsigned seed, unsigned *votes)
{
	struct door_reader r;
	unsigned x = seed | 1, c;
	size_t lines = 0;

	door_reader_init(&r);
	while (n > 0) {
		size_t m = seed == 0 ? n : 1 + next(&x) % 97;
		const char *q = p;

		if (m > n)
			m = n;
		p += m;
		n -= m;
		while (m > 0) {
			size_t before = m;

			if (door_feed(&r, &q, &m, &c) == 1) {
				check(c <= 9);
				if (lines < MAX_LINES)
					votes[lines] = c;
				lines++;
			} else {
				check(m == 0);
			}
			check(m < before);
			check(r.keptlen <= DOOR_LINE_MAX &&
			    r.len <= DOOR_LINE_MAX + 1);
		}
	}
	if (door_finish(&r, &c) == 1) {
		if (lines < MAX_LINES)
			votes[lines] = c;
		lines++;
	}
	check(door_finish(&r, &c) == 0);
	return lines;
}

/* The naive reading: split on '\n' and judge each whole line. */
static size_t
naive(const char *p, size_t n, unsigned *votes)
{
	size_t lines = 0;

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl != NULL ? (size_t)(nl - p) : n;
		unsigned v = len <= DOOR_LINE_MAX ? door_choice(p, len) : 0;
		size_t i, digits = 0;

		/* door_choice's own rule, checked by hand. */
		for (i = 0; i < len; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
				digits++;
		if (v != 0)
			check(digits == 1 && len <= DOOR_LINE_MAX);
		if (lines < MAX_LINES)
			votes[lines] = v;
		lines++;
		p += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
	return lines;
}

static void
check_reply(const char *tmpl, unsigned vote, unsigned nchoices, size_t cap)
{
	char buf[DOOR_REPLY_MAX];
	size_t n = door_format(tmpl, door_default_reply(DOOR_REPLY_HELP),
	    vote, nchoices, buf, cap);

	check(n > 0 && n < cap && strlen(buf) == n);
	check(buf[n - 1] == '\n');
	check(util_text_safe(buf, n - 1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned whole[MAX_LINES], cut[MAX_LINES], plain[MAX_LINES];
	char tmpl[DOOR_TEMPLATE_MAX + 8];
	size_t a, b, c, i, k;
	unsigned seed;

	if (size < 2)
		return 0;
	seed = ((unsigned)data[0] << 8 | data[1]) + 1;
	data += 2;
	size -= 2;
	a = run((const char *)data, size, 0, whole);
	b = run((const char *)data, size, seed, cut);
	c = naive((const char *)data, size, plain);
	check(a == b && a == c);
	for (i = 0; i < a && i < MAX_LINES; i++)
		check(whole[i] == cut[i] && whole[i] == plain[i]);

	/* The bytes as a template (what a broken catalog could hand). */
	k = size < sizeof tmpl - 1 ? size : sizeof tmpl - 1;
	memcpy(tmpl, data, k);
	tmpl[k] = '\0';
	check_reply(tmpl, seed % 10, seed % 10, DOOR_REPLY_MAX);
	check_reply(tmpl, 9, 9, 2 + seed % 40);
	return 0;
}

/* check_customer.c - the bartender's protocol as pure functions: orders
 * split on '\n' however the bytes arrive, the quiet rule, the 4 KiB cap,
 * HTTP requests, and replies that are always one printable line; and the
 * escaping that stands between the network and the terminal. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "customer.h"
#include "tap.h"
#include "util.h"

/* Feeds s whole; returns how many orders came out, the last in *o. */
static int
feed_all(struct customer *c, const char *s, size_t n,
    struct customer_order *o)
{
	int count = 0;

	while (n > 0) {
		if (customer_feed(c, &s, &n, o) == 1)
			count++;
	}
	return count;
}

static void
assert_one_line(const char *s, size_t n)
{
	size_t i;

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(strlen(s), n);
	ck_assert_int_eq(s[n - 1], '\n');
	for (i = 0; i + 1 < n; i++)
		ck_assert_msg((unsigned char)s[i] >= 0x20 && s[i] != 0x7f,
		    "byte %zu of the reply is %#x", i, (unsigned char)s[i]);
	ck_assert_msg(util_text_safe(s, n - 1), "reply not safe: %s", s);
}

/* Escapes the NUL-terminated s and compares with want. */
static void
assert_escape(const char *s, const char *want)
{
	char out[256];
	size_t n = util_escape(s, strlen(s), out, sizeof out);

	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert(util_text_safe(out, n));
}

/* A check that does not share util.c's decoder: glibc's own UTF-8
 * decoding must take the whole of s, and find no control in it. */
static bool
glibc_clean(const char *s)
{
	mbstate_t st;
	size_t n = strlen(s), k;
	wchar_t w;

	memset(&st, 0, sizeof st);
	while (n > 0) {
		k = mbrtowc(&w, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0 ||
		    iswcntrl((wint_t)w))
			return false;
		s += k;
		n -= k;
	}
	return true;
}

START_TEST(test_lines)
{
	struct customer c;
	struct customer_order o;
	const char *in = "beer\r\ncoff";
	size_t n = strlen(in);
	char buf[CUSTOMER_REPLY_MAX];
	size_t len;

	customer_init(&c);
	ck_assert_int_eq(customer_feed(&c, &in, &n, &o), 1);
	ck_assert_int_eq(o.kind, CUSTOMER_ORDER);
	ck_assert_uint_eq(o.keptlen, 4);
	ck_assert(memcmp(o.text, "beer", 4) == 0);
	ck_assert(!o.truncated);
	ck_assert_int_eq(customer_feed(&c, &in, &n, &o), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert(customer_pending(&c));
	in = "ee\n";
	n = 3;
	ck_assert_int_eq(customer_feed(&c, &in, &n, &o), 1);
	ck_assert(memcmp(o.text, "coffee", 6) == 0);
	ck_assert(!customer_pending(&c));
	len = customer_reply(&o, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "\"coffee\""));
	ck_assert_int_eq(customer_quiet(&c, &o), 0);
}
END_TEST

START_TEST(test_quiet)
{
	struct customer c;
	struct customer_order o;

	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "tea", 3, &o), 0);
	ck_assert_int_eq(customer_quiet(&c, &o), 1);
	ck_assert_uint_eq(o.keptlen, 3);
	ck_assert_int_eq(customer_quiet(&c, &o), 0);
	/* A request line that stops without a header block is still
	 * answered as HTTP once the customer is quiet. */
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "GET / HTTP/1.1\r\nHost: x\r\n", 25,
	    &o), 0);
	ck_assert_int_eq(customer_quiet(&c, &o), 1);
	ck_assert_int_eq(o.kind, CUSTOMER_HTTP);
}
END_TEST

START_TEST(test_long_line)
{
	struct customer c;
	struct customer_order o;
	size_t big = 1u << 20, i;
	char *junk = malloc(big + 1);
	char buf[CUSTOMER_REPLY_MAX];
	size_t len;

	ck_assert_ptr_nonnull(junk);
	for (i = 0; i < big; i++)
		junk[i] = (char)(i * 7 + 1) == '\n' ? 'x' : (char)(i * 7 + 1);
	junk[big] = '\n';
	customer_init(&c);
	/* In pieces, as a socket would deliver it: exactly one order. */
	{
		int count = 0;

		for (i = 0; i <= big; i += 1500) {
			size_t k = big + 1 - i < 1500 ? big + 1 - i : 1500;

			count += feed_all(&c, junk + i, k, &o);
		}
		ck_assert_int_eq(count, 1);
	}
	ck_assert(o.truncated);
	ck_assert_uint_eq(o.len, big);
	ck_assert_uint_eq(o.keptlen, CUSTOMER_KEEP);
	len = customer_reply(&o, buf, sizeof buf);
	assert_one_line(buf, len);
	free(junk);
}
END_TEST

START_TEST(test_escapes_in_reply)
{
	struct customer c;
	struct customer_order o;
	static const char evil[] = "\x1b[2J\x1b]0;pwned\x07\x9b\n";
	char buf[CUSTOMER_REPLY_MAX];
	size_t len;

	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, evil, sizeof evil - 1, &o), 1);
	len = customer_reply(&o, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "\\x1b[2J"));
	/* An empty line is still answered with one line. */
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "\n", 1, &o), 1);
	len = customer_reply(&o, buf, sizeof buf);
	assert_one_line(buf, len);
	len = customer_full(512, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "full"));
	ck_assert_ptr_nonnull(strstr(buf, "512 customers are inside"));
	len = customer_full_address(4, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "full for your address: 4 "));
	len = customer_idle(60000, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "60 seconds"));
}
END_TEST

START_TEST(test_escape_utf8)
{
	/* Accents, other scripts and emoji are text, not danger. */
	assert_escape("caff\xc3\xa8 macchiato", "caff\xc3\xa8 macchiato");
	assert_escape("\xce\xba\xce\xb1\xcf\x86\xce\xad", "\xce\xba\xce\xb1\xcf\x86\xce\xad");
	assert_escape("\xe2\x82\xac 2", "\xe2\x82\xac 2");
	assert_escape("\xf0\x9f\x8d\xba", "\xf0\x9f\x8d\xba");
	assert_escape("\xc2\xa0", "\xc2\xa0");
	/* Controls of every kind, one \xHH per byte. */
	assert_escape("\x1b[2J", "\\x1b[2J");
	assert_escape("a\x7f", "a\\x7f");
	assert_escape("\xc2\x9b" "31m", "\\xc2\\x9b31m");
	assert_escape("\xc2\x85", "\\xc2\\x85");
	assert_escape("\x9b", "\\x9b");
	/* Right-to-left override, isolates, zero width, BOM, line sep. */
	assert_escape("\xe2\x80\xae" "gpj.exe", "\\xe2\\x80\\xaegpj.exe");
	assert_escape("\xe2\x81\xa6", "\\xe2\\x81\\xa6");
	assert_escape("\xe2\x80\x8b", "\\xe2\\x80\\x8b");
	assert_escape("\xef\xbb\xbf", "\\xef\\xbb\\xbf");
	assert_escape("\xe2\x80\xa8", "\\xe2\\x80\\xa8");
	/* Broken UTF-8: cut, stray, overlong, surrogate, too large. */
	assert_escape("caff\xc3", "caff\\xc3");
	assert_escape("\xe2\x82x", "\\xe2\\x82x");
	assert_escape("\xa8", "\\xa8");
	assert_escape("\xc0\xaf", "\\xc0\\xaf");
	assert_escape("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	assert_escape("\xed\xa0\x80", "\\xed\\xa0\\x80");
	assert_escape("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	assert_escape("\xff", "\\xff");
	ck_assert(!util_text_safe("a\n", 2));
	ck_assert(util_text_safe("", 0));
}
END_TEST

START_TEST(test_escape_cut)
{
	/* "è" twenty times: a small buffer holds whole characters only. */
	static const char many[] = "\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8"
	    "\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8"
	    "\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8";
	char out[16];
	size_t len, n;

	for (len = 1; len <= sizeof out; len++) {
		n = util_escape(many, sizeof many - 1, out, len);
		ck_assert_uint_lt(n, len);
		ck_assert_uint_eq(strlen(out), n);
		ck_assert_msg(util_text_safe(out, n), "cut mid-character "
		    "at %zu", len);
		if (n >= 3)
			ck_assert_str_eq(out + n - 3, "...");
	}
}
END_TEST

START_TEST(test_escape_sweep)
{
	/* Every one- and two-byte input, and every three-byte one that
	 * starts with a lead byte of three or four: the output is always
	 * safe by our rule and by glibc's own decoder.  (Plain ifs: a
	 * ck_assert per case would take far too long.) */
	bool glibc = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	unsigned char in[4];
	char out[64];
	unsigned a, b, c, bad = 0;
	size_t n;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			in[0] = (unsigned char)a;
			in[1] = (unsigned char)b;
			n = util_escape(in, 2, out, sizeof out);
			if (!util_text_safe(out, n) ||
			    (glibc && !glibc_clean(out)))
				bad++;
			if (a < 0xe0)
				continue;
			for (c = 0; c < 256; c++) {
				in[2] = (unsigned char)c;
				in[3] = 0x80;
				n = util_escape(in, 4, out, sizeof out);
				if (!util_text_safe(out, n) ||
				    (glibc && !glibc_clean(out)))
					bad++;
			}
		}
	}
	ck_assert_uint_eq(bad, 0);
	/* The \xe2\x80\xae case must not be the only one caught: glibc
	 * calls U+0085 a control too, and our rule agrees. */
	ck_assert(!util_text_safe("\xc2\x85", 2));
	if (glibc)
		ck_assert(!glibc_clean("\xc2\x85"));
}
END_TEST

/* Code point c as UTF-8 in out (at least 5 bytes); returns the length. */
static size_t
utf8_put(uint32_t c, char *out)
{
	size_t n;

	if (c < 0x80) {
		out[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | c >> 18);
		out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	out[n] = '\0';
	return n;
}

/* True when c comes out of util_escape as \xHH escapes only, and
 * util_text_safe refuses it raw. */
static bool
escaped_whole(uint32_t c)
{
	char in[5], out[32];
	size_t n = utf8_put(c, in), i;

	util_escape(in, n, out, sizeof out);
	for (i = 0; i < n; i++)
		if (strncmp(out + 4 * i, "\\x", 2) != 0)
			return false;
	return strlen(out) == 4 * n && !util_text_safe(in, n);
}

/* What util.h names besides Default_Ignorable_Code_Point: controls,
 * line and paragraph separators, interlinear annotations,
 * noncharacters. */
static bool
escaped_besides(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
	    c == 0x2029 || (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

/* Every code point is either shown as it is or escaped whole; those
 * escaped for no reason util.h gives other than being invisible are
 * exactly Unicode's Default_Ignorable_Code_Point set: 4,174 of them in
 * Unicode 15.  Where the Unicode data is installed (Debian: unicode-
 * data), every code point it lists is checked too, so the committed
 * table cannot drift from the file that made it. */
START_TEST(test_default_ignorable)
{
	static const char ucd[] =
	    "/usr/share/unicode/DerivedCoreProperties.txt";
	static const uint32_t named[] = {
		0x3164, 0x115f, 0x1160, 0xffa0, 0x034f, 0xfe00, 0xfe0f,
		0x180b, 0x180f, 0x17b4, 0x17b5, 0x1bca0, 0x1bca3, 0x1d173,
		0x1d17a, 0xe0080, 0xe0fff, 0x00ad, 0x200b, 0x202e, 0x2066,
		0x061c, 0xfeff, 0xe0001,
	};
	uint32_t c;
	size_t i, ignorable = 0, wrong = 0, listed = 0;
	char *buf;

	for (c = 0; c <= 0x10ffff; c++) {
		char in[5], out[32];
		size_t n;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		n = utf8_put(c, in);
		if (escaped_whole(c)) {
			if (!escaped_besides(c))
				ignorable++;
			continue;
		}
		/* Shown: it passes unchanged (but for the C escapes). */
		util_escape(in, n, out, sizeof out);
		if (strcmp(out, in) != 0 && !(c == '\\' || c == '\n' ||
		    c == '\r' || c == '\t'))
			wrong++;
	}
	ck_assert_uint_eq(wrong, 0);
	ck_assert_uint_eq(ignorable, 4174);
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		ck_assert_msg(escaped_whole(named[i]), "U+%04X passes",
		    (unsigned)named[i]);
	buf = util_read_file(ucd, 4 << 20, NULL);
	if (buf == NULL)
		return;
	for (char *line = strtok(buf, "\n"); line != NULL;
	    line = strtok(NULL, "\n")) {
		unsigned long lo, hi;
		char *end;

		if (strstr(line, "; Default_Ignorable_Code_Point") == NULL ||
		    line[0] == '#')
			continue;
		lo = hi = strtoul(line, &end, 16);
		if (end[0] == '.' && end[1] == '.')
			hi = strtoul(end + 2, &end, 16);
		for (c = (uint32_t)lo; c <= hi; c++, listed++)
			ck_assert_msg(escaped_whole(c), "U+%04X passes",
			    (unsigned)c);
	}
	free(buf);
	ck_assert_uint_eq(listed, 4174);
}
END_TEST

/* The guest order of the attack review: fillers and selectors around a
 * name reach the reply, and the log (the same escaping), as escapes. */
START_TEST(test_hangul_fillers_escaped)
{
	static const char order[] = "\xef\xb8\x8f\xef\xb8\x8e\xcd\x8f"
	    "\xe1\x85\x9f\xe1\x85\xa0\xe3\x85\xa4\xef\xbe\xa0hangfill\n";
	static const char want[] = "\\xef\\xb8\\x8f\\xef\\xb8\\x8e\\xcd\\x8f"
	    "\\xe1\\x85\\x9f\\xe1\\x85\\xa0\\xe3\\x85\\xa4\\xef\\xbe\\xa0"
	    "hangfill";
	struct customer c;
	struct customer_order o;
	char buf[CUSTOMER_HTTP_MAX], esc[256];

	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, order, sizeof order - 1, &o), 1);
	/* The reply is safe, and cut to its length: its start is the same
	 * escapes. */
	assert_one_line(buf, customer_reply(&o, buf, CUSTOMER_REPLY_MAX));
	ck_assert_msg(strstr(buf, "\"\\xef\\xb8\\x8f\\xef\\xb8\\x8e"
	    "\\xcd\\x8f") != NULL, "reply: %s", buf);
	util_escape(o.text, o.keptlen, esc, sizeof esc);
	ck_assert_str_eq(esc, want);
}
END_TEST

START_TEST(test_reply_utf8)
{
	struct customer c;
	struct customer_order o;
	static const char order[] = "caff\xc3\xa8 macchiato\n";
	static const char rlo[] = "one \xe2\x80\xae" "reeb\n";
	char buf[CUSTOMER_HTTP_MAX];
	size_t len;

	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, order, sizeof order - 1, &o), 1);
	len = customer_reply(&o, buf, CUSTOMER_REPLY_MAX);
	assert_one_line(buf, len);
	ck_assert_str_eq(buf, "Here you are: \"caff\xc3\xa8 macchiato\" "
	    "is served. Cheers!\n");
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, rlo, sizeof rlo - 1, &o), 1);
	len = customer_reply(&o, buf, CUSTOMER_REPLY_MAX);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "one \\xe2\\x80\\xaereeb"));
	/* A browser learns that the body may hold UTF-8. */
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "GET /caff%C3%A8 HTTP/1.1\r\n\r\n",
	    31, &o), 1);
	ck_assert_int_eq(o.kind, CUSTOMER_HTTP);
	customer_http(&o, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "charset=utf-8"));
}
END_TEST

START_TEST(test_http)
{
	struct customer c;
	struct customer_order o;
	static const char req[] = "GET /menu?x=1 HTTP/1.1\r\nHost: bar\r\n"
	    "User-Agent: test\r\n\r\nleftover";
	char buf[CUSTOMER_HTTP_MAX], *body;
	size_t len;
	long clen;

	ck_assert(customer_is_http("GET / HTTP/1.1\r", 15));
	ck_assert(customer_is_http("HEAD /x HTTP/1.0", 16));
	ck_assert(!customer_is_http("GET /", 5));
	ck_assert(!customer_is_http("get / HTTP/1.1", 14));
	ck_assert(!customer_is_http("GET  HTTP/1.1", 13));
	ck_assert(!customer_is_http("one beer please", 15));
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, req, sizeof req - 1, &o), 1);
	ck_assert_int_eq(o.kind, CUSTOMER_HTTP);
	ck_assert(!customer_pending(&c));
	len = customer_http(&o, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), len);
	ck_assert(strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: text/plain"));
	ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n"));
	body = strstr(buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	body += 4;
	clen = strtol(strstr(buf, "Content-Length: ") + 16, NULL, 10);
	ck_assert_int_eq(clen, (long)strlen(body));
	ck_assert_ptr_nonnull(strstr(body, "GET /menu?x=1 HTTP/1.1"));
	/* HEAD: the same headers, no body. */
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "HEAD / HTTP/1.0\n\n", 17, &o), 1);
	ck_assert(o.head);
	len = customer_http(&o, buf, sizeof buf);
	ck_assert_str_eq(buf + len - 4, "\r\n\r\n");
	/* A long target is still a request, up to the line cap, whether
	 * it arrives at once or a byte at a time; past the cap it is an
	 * order like any other. */
	{
		static const size_t targets[] = { 244, 1000,
		    CUSTOMER_LINE_MAX - 15, CUSTOMER_LINE_MAX };
		char *line = xmalloc(CUSTOMER_LINE_MAX + 64);
		size_t k, i, n;

		for (k = 0; k < 4; k++) {
			n = (size_t)sprintf(line, "GET /");
			memset(line + n, 'a', targets[k]);
			n += targets[k];
			n += (size_t)sprintf(line + n, " HTTP/1.1\r\n\r\n");
			customer_init(&c);
			if (k == 1) {
				int got = 0;

				for (i = 0; i < n; i++)
					got += feed_all(&c, line + i, 1, &o);
				ck_assert_int_eq(got, 1);
			} else {
				/* Past the cap: an order, then the blank
				 * line, another. */
				ck_assert_int_eq(feed_all(&c, line, n, &o),
				    k < 3 ? 1 : 2);
			}
			ck_assert_int_eq(o.kind, k < 3 ? CUSTOMER_HTTP :
			    CUSTOMER_ORDER);
		}
		free(line);
	}
	/* Only the first line can make a browser of a customer. */
	customer_init(&c);
	ck_assert_int_eq(feed_all(&c, "hi\nGET / HTTP/1.1\n", 18, &o), 2);
	ck_assert_int_eq(o.kind, CUSTOMER_ORDER);
}
END_TEST

static Suite *
customer_suite(void)
{
	Suite *s = suite_create("customer");
	TCase *tc = tcase_create("protocol");

	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_quiet);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_escapes_in_reply);
	tcase_add_test(tc, test_http);
	tcase_add_test(tc, test_reply_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("escape");
	/* The sweep escapes millions of inputs: on a loaded machine it
	 * takes far longer than Check's default 4 s. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_escape_utf8);
	tcase_add_test(tc, test_escape_cut);
	tcase_add_test(tc, test_escape_sweep);
	tcase_add_test(tc, test_default_ignorable);
	tcase_add_test(tc, test_hangul_fillers_escaped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(customer_suite());
}

/* check_customer.c - the bartender's protocol as pure functions: orders
 * split on '\n' however the bytes arrive, the quiet rule, the 4 KiB cap,
 * HTTP requests, and replies that are always one printable line. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "tap.h"

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
		ck_assert_msg(s[i] >= 0x20 && s[i] < 0x7f,
		    "byte %zu of the reply is %#x", i, (unsigned char)s[i]);
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
	len = customer_full(buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "full"));
	len = customer_idle(60000, buf, sizeof buf);
	assert_one_line(buf, len);
	ck_assert_ptr_nonnull(strstr(buf, "60 seconds"));
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(customer_suite());
}

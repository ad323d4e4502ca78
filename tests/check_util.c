/* check_util.c - the program's one number parser and one UTF-8 decoder:
 * every range edge, every way a number can be malformed, and every kind
 * of invalid UTF-8 (stray continuation, cut, overlong, surrogate, past
 * U+10FFFF). */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "util.h"

static int
num(const char *s, long lo, long hi, long *v)
{
	*v = 12345;
	return util_parse_num(s, (size_t)-1, lo, hi, v);
}

START_TEST(test_num_range)
{
	long v;

	ck_assert_int_eq(num("0", 0, 65535, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(num("65535", 0, 65535, &v), 0);
	ck_assert_int_eq(v, 65535);
	ck_assert_int_eq(num("65536", 0, 65535, &v), -1);
	ck_assert_int_eq(num("0", 1, 65535, &v), -1);
	ck_assert_int_eq(num("007", 1, 9, &v), 0);
	ck_assert_int_eq(v, 7);
	/* A sign only where the range has negative numbers. */
	ck_assert_int_eq(num("-1", 0, 10, &v), -1);
	ck_assert_int_eq(num("-1", -5, 10, &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(num("-6", -5, 10, &v), -1);
	ck_assert_int_eq(num("-0", -5, 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(num("5", -10, -1, &v), -1);
}
END_TEST

START_TEST(test_num_malformed)
{
	static const char *const bad[] = {
		"", "-", "+5", " 5", "5 ", "5x", "x5", "0x10", "1e3", "5.0",
		"--5", "\t5", "5\n",
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(num(bad[i], -100, 100, &v) == -1,
		    "\"%s\" taken as %ld", bad[i], v);
}
END_TEST

START_TEST(test_num_overflow)
{
	long v;

	ck_assert_int_eq(num("9223372036854775807", 0, LONG_MAX, &v), 0);
	ck_assert(v == LONG_MAX);
	ck_assert_int_eq(num("9223372036854775808", 0, LONG_MAX, &v), -1);
	ck_assert_int_eq(num("99999999999999999999999", 0, LONG_MAX, &v),
	    -1);
	ck_assert_int_eq(num("-9223372036854775808", LONG_MIN, 0, &v), 0);
	ck_assert(v == LONG_MIN);
	ck_assert_int_eq(num("-9223372036854775809", LONG_MIN, 0, &v), -1);
	ck_assert_int_eq(num("4294967296", 0, 65535, &v), -1);
}
END_TEST

START_TEST(test_num_length)
{
	long v;

	/* Only the n bytes given count: a prefix, or a field. */
	ck_assert_int_eq(util_parse_num("12-id.lesson", 2, 0, 999, &v), 0);
	ck_assert_int_eq(v, 12);
	ck_assert_int_eq(util_parse_num("12-id", 3, 0, 999, &v), -1);
	ck_assert_int_eq(util_parse_num("12", 0, 0, 999, &v), -1);
}
END_TEST

static size_t
dec(const char *s, uint32_t *cp)
{
	*cp = 0xdeadbeef;
	return util_utf8_decode(s, strlen(s), cp);
}

START_TEST(test_utf8_valid)
{
	uint32_t cp;

	ck_assert_uint_eq(dec("A", &cp), 1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_uint_eq(dec("\xc3\xa8", &cp), 2);		/* è */
	ck_assert_uint_eq(cp, 0xe8);
	ck_assert_uint_eq(dec("\xe2\x86\x92", &cp), 3);	/* → */
	ck_assert_uint_eq(cp, 0x2192);
	ck_assert_uint_eq(dec("\xf0\x9f\x8d\xba", &cp), 4);	/* 🍺 */
	ck_assert_uint_eq(cp, 0x1f37a);
	ck_assert_uint_eq(dec("\xf4\x8f\xbf\xbf", &cp), 4);	/* U+10FFFF */
	ck_assert_uint_eq(cp, 0x10ffff);
	/* Only the first character is read. */
	ck_assert_uint_eq(dec("\xc3\xa8z", &cp), 2);
}
END_TEST

START_TEST(test_utf8_invalid)
{
	static const char *const bad[] = {
		"\x80",			/* stray continuation */
		"\xbf",
		"\xc3",			/* cut */
		"\xe2\x86",
		"\xf0\x9f\x8d",
		"\xc3(",		/* not a continuation */
		"\xc0\x80",		/* overlong NUL */
		"\xc1\xbf",
		"\xe0\x80\x80",		/* overlong, 3 bytes */
		"\xf0\x80\x80\x80",	/* overlong, 4 bytes */
		"\xed\xa0\x80",		/* surrogate U+D800 */
		"\xed\xbf\xbf",		/* surrogate U+DFFF */
		"\xf4\x90\x80\x80",	/* past U+10FFFF */
		"\xf5\x80\x80\x80",
		"\xff",
	};
	size_t i;
	uint32_t cp;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(dec(bad[i], &cp) == 0, "bad[%zu] decoded", i);
	/* The n bytes given bound the read. */
	ck_assert_uint_eq(util_utf8_decode("\xc3\xa8", 1, &cp), 0);
	ck_assert_uint_eq(util_utf8_decode("A", 0, &cp), 0);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_num_range);
	tcase_add_test(tc, test_num_malformed);
	tcase_add_test(tc, test_num_overflow);
	tcase_add_test(tc, test_num_length);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(util_suite());
}

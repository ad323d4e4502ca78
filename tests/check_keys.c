/* check_keys.c - the one key table: no key does two things on one
 * screen, no digit is taken (digits answer), every key of the working
 * screens has its row in the help, the lecture takes what a presenter's
 * remote sends, and the sandbox's socket keys mean nothing else on the
 * lesson screens. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "keys.h"
#include "tap.h"

#define ON(b, sc) (((b).screens >> (sc)) & 1u)

START_TEST(test_no_digit)
{
	size_t n, i;
	const struct key_binding *t = keys_table(&n);
	int sc, d;

	ck_assert_uint_gt(n, 20);
	for (i = 0; i < n; i++)
		ck_assert_msg(t[i].key < '0' || t[i].key > '9',
		    "entry %zu takes the digit %c", i, t[i].key);
	for (sc = 0; sc < KS_NSCREENS; sc++)
		for (d = '0'; d <= '9'; d++)
			ck_assert_int_eq(keys_action((enum keys_screen)sc, d),
			    KA_DIGIT);
}
END_TEST

START_TEST(test_no_duplicate)
{
	size_t n, i, j;
	const struct key_binding *t = keys_table(&n);
	int sc;

	for (sc = 0; sc < KS_NSCREENS; sc++)
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				ck_assert_msg(!(ON(t[i], sc) && ON(t[j], sc) &&
				    t[i].key == t[j].key),
				    "screen %d: key %#x in entries %zu and "
				    "%zu", sc, t[i].key, i, j);
}
END_TEST

/* True when the help of screen sc has a row for act. */
static bool
in_help(int sc, enum key_action act)
{
	size_t n, i;
	const struct key_help *h = keys_help(&n);

	for (i = 0; i < n; i++)
		if (((h[i].screens >> sc) & 1u) &&
		    (h[i].action == act || h[i].action2 == act ||
		    /* the sandbox's calls come with its digits */
		    (h[i].action == KA_DIGIT && sc == KS_SANDBOX &&
		    (act == KA_SB_UDP || act == KA_SB_IPV6))))
			return true;
	return false;
}

START_TEST(test_help_lists_every_key)
{
	size_t n, i, nh;
	const struct key_binding *t = keys_table(&n);
	const struct key_help *h = keys_help(&nh);
	int sc, key[8];
	bool any;

	for (sc = KS_LESSON; sc <= KS_SANDBOX; sc++)
		for (i = 0; i < n; i++)
			if (ON(t[i], sc))
				ck_assert_msg(in_help(sc, t[i].action),
				    "screen %d: key %#x (action %d) is not in "
				    "the help", sc, t[i].key, t[i].action);
	/* And the help describes no key that does not exist. */
	for (i = 0; i < nh; i++) {
		if (h[i].action == KA_DIGIT)
			continue;
		ck_assert_ptr_nonnull(h[i].what);
		any = false;
		for (sc = 0; sc < KS_NSCREENS; sc++)
			if (((h[i].screens >> sc) & 1u) &&
			    keys_of((enum keys_screen)sc, h[i].action, key,
			    8) > 0)
				any = true;
		ck_assert_msg(any, "help row %zu names no key", i);
	}
}
END_TEST

START_TEST(test_remote)
{
	/* What presenters' remotes send: next, back, black screen. */
	static const int next[] = { KC_PGDN, KC_RIGHT, ' ' };
	static const int back[] = { KC_PGUP, KC_LEFT };
	size_t i;

	for (i = 0; i < sizeof next / sizeof next[0]; i++)
		ck_assert_int_eq(keys_action(KS_LECTURE, next[i]), KA_NEXT);
	for (i = 0; i < sizeof back / sizeof back[0]; i++)
		ck_assert_int_eq(keys_action(KS_LECTURE, back[i]), KA_PREV);
	ck_assert_int_eq(keys_action(KS_LECTURE, 'b'), KA_BLANK);
	ck_assert_int_eq(keys_action(KS_LECTURE, '.'), KA_BLANK);
	/* Outside the lecture PgDn scrolls the text. */
	ck_assert_int_eq(keys_action(KS_LESSON, KC_PGDN), KA_PAGE_DOWN);
	ck_assert_int_eq(keys_action(KS_LESSON, 'q'), KA_QUIT);
	ck_assert_int_eq(keys_action(KS_MENU, KC_CTRL_C), KA_QUIT);
	ck_assert_int_eq(keys_action(KS_LESSON, 'z'), KA_NONE);
}
END_TEST

START_TEST(test_sandbox_letters)
{
	static const enum key_action own[] = { KA_SB_UDP, KA_SB_IPV6 };
	size_t i;
	int key;

	/* v is the whole code everywhere, never a socket. */
	ck_assert_int_eq(keys_action(KS_LESSON, 'v'), KA_CODE);
	ck_assert_int_ne(keys_action(KS_SANDBOX, 'v'), KA_SB_IPV6);
	for (i = 0; i < sizeof own / sizeof own[0]; i++) {
		ck_assert_uint_eq(keys_of(KS_SANDBOX, own[i], &key, 1), 1);
		ck_assert_int_eq(keys_action(KS_LESSON, key), KA_NONE);
		ck_assert_int_eq(keys_action(KS_LECTURE, key), KA_NONE);
	}
}
END_TEST

START_TEST(test_names)
{
	char buf[8];

	ck_assert_str_eq(keys_name(KC_PGDN, buf, sizeof buf), "PgDn");
	ck_assert_str_eq(keys_name(' ', buf, sizeof buf), "Space");
	ck_assert_str_eq(keys_name('?', buf, sizeof buf), "?");
	ck_assert_str_eq(keys_name(KC_CTRL_C, buf, sizeof buf), "Ctrl-C");
}
END_TEST

static Suite *
keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_no_digit);
	tcase_add_test(tc, test_no_duplicate);
	tcase_add_test(tc, test_help_lists_every_key);
	tcase_add_test(tc, test_remote);
	tcase_add_test(tc, test_sandbox_letters);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(keys_suite());
}

/* check_fill.c - lesson placeholders: {port}, {port_hex}, {addr} and
 * {sysctl:NAME} are filled, every other brace is left as it stands. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fill.h"
#include "tap.h"

static void
expect(const char *in, const struct fill_vars *v, const char *want)
{
	char *got = fill_text(in, v);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_port_addr)
{
	struct fill_vars v = { 45491, "127.0.0.1" };

	expect("nc {addr} {port}", &v, "nc 127.0.0.1 45491");
	expect("htons({port}) is {port_hex}", &v, "htons(45491) is 0xB1B3");
	expect("{port}{port}", &v, "4549145491");
	v.port = 5050;
	expect("{port_hex}", &v, "0x13BA");
	v.addr = NULL;
	expect("{addr}:{port}", &v, "{addr}:5050");
}
END_TEST

START_TEST(test_other_braces)
{
	struct fill_vars v = { 6060, "::1" };

	expect("int main(void) { return 0; }", &v,
	    "int main(void) { return 0; }");
	expect("f\"{port!r}\" {{port}} {por t} {", &v,
	    "f\"{port!r}\" {6060} {por t} {");
	expect("}{port}{", &v, "}6060{");
	expect("{\nport}", &v, "{\nport}");
	expect("", &v, "");
}
END_TEST

START_TEST(test_sysctl)
{
	struct fill_vars v = { 5050, "127.0.0.1" };
	char want[64], buf[64], *got;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_fin_timeout", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(want, sizeof want, f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	ck_assert_int_eq(fill_sysctl("net.ipv4.tcp_fin_timeout", buf,
	    sizeof buf), 0);
	ck_assert_str_eq(buf, want);
	got = fill_text("{sysctl:net.ipv4.tcp_fin_timeout} s", &v);
	ck_assert_int_eq(strncmp(got, want, strlen(want)), 0);
	ck_assert_str_eq(got + strlen(want), " s");
	free(got);
	/* Two values separated by a tab come out with one space. */
	ck_assert_int_eq(fill_sysctl("net.ipv4.ip_local_port_range", buf,
	    sizeof buf), 0);
	ck_assert_ptr_null(strchr(buf, '\t'));
	ck_assert_ptr_nonnull(strchr(buf, ' '));
}
END_TEST

START_TEST(test_sysctl_refused)
{
	struct fill_vars v = { 5050, "127.0.0.1" };
	char buf[64];

	ck_assert_int_eq(fill_sysctl("kernel.hostname", buf, sizeof buf), -1);
	ck_assert_int_eq(fill_sysctl("net.ipv4..tcp_fin_timeout", buf,
	    sizeof buf), -1);
	ck_assert_int_eq(fill_sysctl("net.ipv4/../../kernel", buf,
	    sizeof buf), -1);
	ck_assert_int_eq(fill_sysctl("net.ipv4.no_such_setting", buf,
	    sizeof buf), -1);
	ck_assert_int_eq(fill_sysctl("net.", buf, sizeof buf), -1);
	expect("{sysctl:kernel.hostname}", &v, "{sysctl:kernel.hostname ?}");
	expect("{sysctl:net.ipv4.nope}", &v, "{sysctl:net.ipv4.nope ?}");
}
END_TEST

static Suite *
fill_suite(void)
{
	Suite *s = suite_create("fill");
	TCase *tc = tcase_create("fill");

	tcase_add_test(tc, test_port_addr);
	tcase_add_test(tc, test_other_braces);
	tcase_add_test(tc, test_sysctl);
	tcase_add_test(tc, test_sysctl_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(fill_suite());
}

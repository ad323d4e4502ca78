/* check_fill.c - lesson placeholders: {port}, {port_hex}, {addr},
 * {sysctl:NAME} and the SYN schedule ({syn_waits}, {syn_giveup}) are
 * filled, every other brace is left as it stands. */
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

/* waits as "1, 2, 4" and the give-up time of retries/linear. */
static void
expect_schedule(long retries, long linear, const char *waits,
    unsigned giveup)
{
	struct syn_schedule sch;
	char got[256];
	size_t used = 0;
	unsigned i;

	ck_assert_int_eq(fill_syn_schedule(retries, linear, &sch), 0);
	got[0] = '\0';
	for (i = 0; i < sch.n; i++)
		used += (size_t)snprintf(got + used, sizeof got - used, "%s%u",
		    i > 0 ? ", " : "", sch.waits[i]);
	ck_assert_str_eq(got, waits);
	ck_assert_uint_eq(sch.giveup_s, giveup);
}

/* The kernel's SYN schedules: Linux 6.1 doubles (1, 2, 4 ... and gives
 * up at 127 s with the default 6 retries); since 6.5 the first
 * tcp_syn_linear_timeouts + 1 waits stay at one second, measured as
 * 1,1,1,1,1,2,4,8,16,32 and about 131-135 s; TCP_SYNCNT 2 with the
 * linear setting 4 gave up after 7.1 s here (the time limit of two
 * doubling tries, 1 + 2 + 4, ends it before the count does). */
START_TEST(test_syn_schedule_model)
{
	struct syn_schedule sch;

	expect_schedule(6, 0, "1, 2, 4, 8, 16, 32", 127);
	expect_schedule(6, -1, "1, 2, 4, 8, 16, 32", 127);
	expect_schedule(6, 4, "1, 1, 1, 1, 1, 2, 4, 8, 16, 32", 131);
	expect_schedule(2, 4, "1, 1, 1, 1, 1", 7);
	expect_schedule(2, 0, "1, 2", 7);
	expect_schedule(1, 0, "1", 3);
	expect_schedule(8, 0, "1, 2, 4, 8, 16, 32, 64, 120", 367);
	ck_assert_int_eq(fill_syn_schedule(0, 4, &sch), -1);
	ck_assert_int_eq(fill_syn_schedule(256, 0, &sch), -1);
}
END_TEST

/* {syn_waits} and {syn_giveup} follow this kernel's settings. */
START_TEST(test_syn_placeholders)
{
	struct fill_vars v = { 5050, "127.0.0.1" };
	struct syn_schedule sch;
	char b[32], want[300];
	long retries, linear = 0;
	size_t used;
	unsigned i;
	char *got;

	if (fill_sysctl("net.ipv4.tcp_syn_retries", b, sizeof b) == -1) {
		expect("{syn_waits}/{syn_giveup}", &v,
		    "{syn_waits ?}/{syn_giveup ?}");
		return;
	}
	retries = strtol(b, NULL, 10);
	if (fill_sysctl("net.ipv4.tcp_syn_linear_timeouts", b,
	    sizeof b) == 0)
		linear = strtol(b, NULL, 10);
	ck_assert_int_eq(fill_syn_schedule(retries, linear, &sch), 0);
	ck_assert_uint_gt(sch.n, 0);
	used = 0;
	want[0] = '\0';
	for (i = 0; i < sch.n; i++)
		used += (size_t)snprintf(want + used, sizeof want - used,
		    "%s%u", i > 0 ? ", " : "", sch.waits[i]);
	snprintf(want + used, sizeof want - used, " s, then %u s",
	    sch.giveup_s);
	got = fill_text("{syn_waits} s, then {syn_giveup} s", &v);
	ck_assert_str_eq(got, want);
	free(got);
	expect("{syn_wait}{syn_giveup }", &v, "{syn_wait}{syn_giveup }");
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
	tcase_add_test(tc, test_syn_schedule_model);
	tcase_add_test(tc, test_syn_placeholders);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(fill_suite());
}

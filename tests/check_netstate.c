/* check_netstate.c - parsing /proc/net/tcp lines (IPv4 and IPv6, the
 * timer in USER_HZ ticks, broken lines), and a real listener read back
 * through TCP_INFO and /proc. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netstate.h"
#include "tap.h"

START_TEST(test_parse_v4)
{
	struct netstate_conn c;

	ck_assert_int_eq(netstate_parse_line("   3: 0100007F:13BA "
	    "0100007F:9C40 06 00000000:00000000 03:00000F9C 00000000     0"
	    "        0 0 3 0000000000000000", AF_INET, 100, &c), 0);
	ck_assert_str_eq(c.local.host, "127.0.0.1");
	ck_assert_uint_eq(c.local.port, 5050);
	ck_assert_uint_eq(c.peer.port, 40000);
	ck_assert_int_eq(c.state, LAB_TCP_TIME_WAIT);
	ck_assert_uint_eq(c.timer_ms, 0xF9C * 10);
	ck_assert_uint_eq(c.inode, 0);
	ck_assert_int_eq(netstate_parse_line("   0: 0100007F:13BA "
	    "00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000"
	    "        0 4242 1 0000000000000000 100 0 0 10 0", AF_INET, 100,
	    &c), 0);
	ck_assert_int_eq(c.state, LAB_TCP_LISTEN);
	ck_assert_uint_eq(c.rx_queue, 2);
	ck_assert_uint_eq(c.timer_ms, 0);
	ck_assert_uint_eq(c.inode, 4242);
}
END_TEST

START_TEST(test_parse_v6_and_junk)
{
	struct netstate_conn c;

	ck_assert_int_eq(netstate_parse_line("   0: "
	    "00000000000000000000000001000000:13BA "
	    "00000000000000000000000001000000:A000 01 00000000:00000000 "
	    "00:00000000 00000000     0        0 0 1 0000000000000000",
	    AF_INET6, 100, &c), 0);
	ck_assert_str_eq(c.local.host, "::1");
	ck_assert_uint_eq(c.peer.port, 0xA000);
	ck_assert_int_eq(c.state, LAB_TCP_ESTABLISHED);
	ck_assert_int_eq(netstate_parse_line("  sl  local_address rem_address"
	    "   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
	    "inode", AF_INET, 100, &c), -1);
	ck_assert_int_eq(netstate_parse_line("", AF_INET, 100, &c), -1);
	ck_assert_int_eq(netstate_parse_line("   0: 0100007F:13BA "
	    "0100007F:9C40 FF 00000000:00000000 00:00000000 00000000 0 0 0",
	    AF_INET, 100, &c), -1);
	ck_assert_int_eq(netstate_parse_line("   0: 01007F:13BA "
	    "0100007F:9C40 01 00000000:00000000 00:00000000 00000000 0 0 0",
	    AF_INET, 100, &c), -1);
	/* An IPv4 line read as IPv6 is refused, not misread. */
	ck_assert_int_eq(netstate_parse_line("   0: 0100007F:13BA "
	    "0100007F:9C40 01 00000000:00000000 00:00000000 00000000 0 0 0",
	    AF_INET6, 100, &c), -1);
}
END_TEST

START_TEST(test_real_listener)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	struct netstate_fd nf;
	struct netstate_conn conns[4];
	struct lab_addr bar;
	uint16_t port;
	int l, c;

	l = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(l, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(l, 3), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sin, &sl), 0);
	port = ntohs(sin.sin_port);
	memset(&bar, 0, sizeof bar);
	bar.family = AF_INET;
	bar.port = port;
	strcpy(bar.host, "127.0.0.1");
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sin, sizeof sin), 0);
	netstate_fd_read(l, &nf);
	ck_assert_int_eq(nf.state, LAB_TCP_LISTEN);
	ck_assert_int_eq(nf.type, SOCK_STREAM);
	ck_assert_uint_eq(nf.accept_queue, 1);
	ck_assert_uint_eq(nf.backlog, 3);
	ck_assert(nf.has_local);
	ck_assert(!nf.has_peer);
	netstate_fd_read(c, &nf);
	ck_assert_int_eq(nf.state, LAB_TCP_ESTABLISHED);
	ck_assert(nf.has_peer);
	ck_assert_uint_eq(nf.peer.port, port);
	/* The queued connection has no descriptor: only /proc shows it. */
	{
		int n = netstate_fdless(&bar, 1, conns, 4), i, queued = 0;

		/* An old TIME_WAIT may share the port: count the rest. */
		ck_assert_int_ge(n, 1);
		for (i = 0; i < n && i < 4; i++) {
			ck_assert_uint_eq(conns[i].inode, 0);
			if (conns[i].state == LAB_TCP_ESTABLISHED &&
			    conns[i].local.port == port)
				queued++;
		}
		ck_assert_int_eq(queued, 1);
		/* /proc, the fallback, sees the same connection. */
		n = netstate_fdless_proc(&bar, 1, conns, 4);
		queued = 0;
		for (i = 0; i < n && i < 4; i++)
			if (conns[i].state == LAB_TCP_ESTABLISHED &&
			    conns[i].local.port == port &&
			    strcmp(conns[i].local.host, "127.0.0.1") == 0)
				queued++;
		ck_assert_int_eq(queued, 1);
	}
	close(c);
	close(l);
}
END_TEST

START_TEST(test_addr_match)
{
	struct lab_addr bar = { AF_INET, 5050, "127.0.0.1" };
	struct lab_addr any6 = { AF_INET6, 5050, "::" };
	struct lab_addr e = { AF_INET, 5050, "127.0.0.1" };

	ck_assert(netstate_addr_match(&e, &bar));
	strcpy(e.host, "127.0.0.2");
	ck_assert(!netstate_addr_match(&e, &bar));
	ck_assert(netstate_addr_match(&e, &any6));
	strcpy(e.host, "::ffff:127.0.0.1");
	ck_assert(netstate_addr_match(&e, &bar));
	strcpy(e.host, "::1");
	ck_assert(!netstate_addr_match(&e, &bar));
	e.port = 5051;
	ck_assert(!netstate_addr_match(&e, &any6));
	bar.port = 0;
	e.port = 0;
	ck_assert(!netstate_addr_match(&e, &bar));
}
END_TEST

/* A listener on loopback with n connections waiting in its accept
 * queue; returns the listener, its port in *port, the clients in c. */
static int
queue_up(uint16_t *port, int *c, int n)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	int l, i;

	l = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(l, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(l, 8), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	for (i = 0; i < n; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_ge(c[i], 0);
		ck_assert_int_eq(connect(c[i], (struct sockaddr *)&sin,
		    sizeof sin), 0);
	}
	return l;
}

static int
count_port(const struct netstate_conn *conns, int n, uint16_t port)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (conns[i].state == LAB_TCP_ESTABLISHED &&
		    conns[i].local.port == port)
			k++;
	return k;
}

/* The kernel-side filter keeps every watched port (both ends) and only
 * them: two watched bars and one that is not, compared with /proc. */
START_TEST(test_diag_filter)
{
	struct netstate_conn conns[32], pconns[32];
	struct lab_addr bars[3];
	uint16_t p[3];
	int l[3], c[3][3], i, j, n, pn;

	for (i = 0; i < 3; i++)
		l[i] = queue_up(&p[i], c[i], i + 1);
	memset(bars, 0, sizeof bars);
	for (i = 0; i < 2; i++) {
		bars[i].family = AF_INET;
		bars[i].port = p[i];
		strcpy(bars[i].host, "127.0.0.1");
	}
	/* A bar without a port is ignored, as netstate.h says. */
	bars[2].family = AF_INET;
	n = netstate_fdless_diag(bars, 3, conns, 32);
	ck_assert_msg(n >= 0, "sock_diag did not answer");
	ck_assert_int_le(n, 32);
	ck_assert_int_eq(count_port(conns, n, p[0]), 1);
	ck_assert_int_eq(count_port(conns, n, p[1]), 2);
	ck_assert_int_eq(count_port(conns, n, p[2]), 0);
	for (i = 0; i < n; i++)
		ck_assert(conns[i].local.port == p[0] ||
		    conns[i].local.port == p[1] ||
		    conns[i].peer.port == p[0] || conns[i].peer.port == p[1]);
	pn = netstate_fdless_proc(bars, 3, pconns, 32);
	ck_assert_int_eq(count_port(pconns, pn, p[0]), 1);
	ck_assert_int_eq(count_port(pconns, pn, p[1]), 2);
	/* No port at all: nothing is asked, nothing found. */
	ck_assert_int_eq(netstate_fdless_diag(&bars[2], 1, conns, 32), 0);
	for (i = 0; i < 3; i++) {
		for (j = 0; j <= i; j++)
			close(c[i][j]);
		close(l[i]);
	}
}
END_TEST

/* The lab's addresses of fd's two ends. */
static void
ends(int fd, struct netstate_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;

	memset(c, 0, sizeof *c);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &sl), 0);
	netstate_addr(&ss, &c->local);
	sl = sizeof ss;
	ck_assert_int_eq(getpeername(fd, (struct sockaddr *)&ss, &sl), 0);
	netstate_addr(&ss, &c->peer);
}

START_TEST(test_lookup)
{
	struct netstate_conn c[3];
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	bool found[3];
	int l, a, b, i;
	char buf[8];

	/* A connection, looked up from both ends while established. */
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sin, &sl), 0);
	a = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(a, (struct sockaddr *)&sin, sizeof sin), 0);
	b = accept(l, NULL, NULL);
	ck_assert_int_ge(b, 0);
	ends(a, &c[0]);
	ends(b, &c[1]);
	/* And one nobody has: the same ends, another client port. */
	c[2] = c[0];
	c[2].local.port = c[0].local.port == 1 ? 2 : 1;
	ck_assert_int_eq(netstate_lookup(c, found, 3), 0);
	ck_assert(found[0] && found[1] && !found[2]);
	ck_assert_int_eq(c[0].state, LAB_TCP_ESTABLISHED);
	ck_assert_int_eq(c[1].state, LAB_TCP_ESTABLISHED);
	ck_assert_uint_ne(c[0].inode, 0);
	/* The client closes first: its end stays in TIME_WAIT, with no
	 * descriptor; the server's end is gone. */
	close(a);
	ck_assert_int_eq(read(b, buf, sizeof buf), 0);
	close(b);
	for (i = 0; i < 300; i++) {
		ck_assert_int_eq(netstate_lookup(c, found, 2), 0);
		if (found[0] && c[0].state == LAB_TCP_TIME_WAIT && !found[1])
			break;
		usleep(10000);
	}
	ck_assert_int_eq(c[0].state, LAB_TCP_TIME_WAIT);
	ck_assert_uint_eq(c[0].inode, 0);
	ck_assert_uint_gt(c[0].timer_ms, 0);
	ck_assert(!found[1]);
	close(l);
}
END_TEST

static Suite *
netstate_suite(void)
{
	Suite *s = suite_create("netstate");
	TCase *tc = tcase_create("netstate");

	tcase_add_test(tc, test_parse_v4);
	tcase_add_test(tc, test_parse_v6_and_junk);
	tcase_add_test(tc, test_real_listener);
	tcase_add_test(tc, test_diag_filter);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_addr_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(netstate_suite());
}

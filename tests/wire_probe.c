/* wire_probe.c - drives the private network from a test script: the
 * real netns, capture and segment modules, without the lab or a screen.
 *
 *   wire_probe talk N     a customer connects to a bartender, sends N
 *                         bytes, both close; prints one line per segment:
 *                         "c>s SYN seq=... len=0 win=..." (c: customer)
 *   wire_probe routes     an unreachable host refuses at once, a silent
 *                         one times out; prints what connect() said
 *   wire_probe pcap FILE  the talk with 5 bytes, saved to FILE
 *
 * Exit 77 (with the one-line cause on stderr) when the private network
 * cannot be had; 1 on any other failure. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "lab.h"
#include "netns.h"
#include "util.h"

static void
die(const char *what)
{
	fprintf(stderr, "wire_probe: %s: %s\n", what, lab_errno_name(errno));
	exit(1);
}

/* Pump until want FINs have been seen and acknowledged, or 15 s have
 * passed (a loaded machine). */
static void
pump_until_fins(struct capture *cap, int want)
{
	uint64_t deadline = util_now_us() + 15000000, num, k;
	int fins = 0, acked = 0;

	/* Each FIN seen and acknowledged by the other side: the last ACK
	 * may come a moment after the FIN it answers. */
	while ((fins < want || acked < fins) && util_now_us() < deadline) {
		struct pollfd p = { capture_fd(cap), POLLIN, 0 };
		struct capture_seg s, t;

		poll(&p, 1, 100);
		capture_pump(cap, CAPTURE_KERNEL);
		fins = acked = 0;
		for (num = 1; capture_get(cap, num, &s); num++) {
			if (!(s.seg.flags & SEGMENT_FIN))
				continue;
			fins++;
			for (k = num + 1; capture_get(cap, k, &t); k++)
				if (t.seg.sport == s.seg.dport &&
				    (t.seg.flags & SEGMENT_ACK) && t.seg.ack ==
				    s.seg.seq + segment_span(&s.seg)) {
					acked++;
					break;
				}
		}
	}
}

static void
talk(struct netns *ns, struct capture *cap, size_t nbytes)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	char buf[4096];
	int l, c, s;
	size_t got = 0;
	uint16_t sport;
	uint64_t num;
	struct capture_seg seg;

	if (nbytes > sizeof buf)
		nbytes = sizeof buf;
	memset(buf, 'x', nbytes);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = netns_socket(ns, AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(l, (struct sockaddr *)&a, sizeof a) == -1 ||
	    listen(l, 5) == -1 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) == -1)
		die("bartender");
	sport = ntohs(a.sin_port);
	if ((c = netns_socket(ns, AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&a, sizeof a) == -1)
		die("connect");
	if ((s = accept(l, NULL, NULL)) == -1)
		die("accept");
	if (nbytes > 0 && send(c, buf, nbytes, 0) != (ssize_t)nbytes)
		die("send");
	while (got < nbytes) {
		ssize_t n = recv(s, buf, sizeof buf, 0);

		if (n <= 0)
			die("recv");
		got += (size_t)n;
	}
	close(c);
	close(s);
	close(l);
	pump_until_fins(cap, 2);
	for (num = 1; capture_get(cap, num, &seg); num++) {
		char line[SEGMENT_LINE_MAX];

		printf("%s %s\n", seg.seg.sport == sport ? "s>c" : "c>s",
		    segment_format(&seg.seg, 0, 0, line, sizeof line));
	}
}

static void
try_connect(struct netns *ns, const char *host)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons(7) };
	int c, one = 1;
	uint64_t t0;

	inet_pton(AF_INET, host, &a.sin_addr);
	if ((c = netns_socket(ns, AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket");
	setsockopt(c, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof one);
	t0 = util_now_us();
	if (connect(c, (struct sockaddr *)&a, sizeof a) == 0)
		printf("%s connected\n", host);
	else
		printf("%s %s %.1f\n", host, lab_errno_name(errno),
		    (double)(util_now_us() - t0) / 1e6);
	close(c);
}

static void
routes(struct netns *ns)
{
	char *cause = NULL;

	if (netns_route(ns, false, NETNS_RT_LOCAL, "127.0.0.0", 8,
	    &cause) == -1 ||
	    netns_route(ns, true, NETNS_RT_SILENT, "127.0.0.9", 32,
	    &cause) == -1 ||
	    netns_route(ns, true, NETNS_RT_UNREACHABLE, "127.0.0.8", 32,
	    &cause) == -1) {
		fprintf(stderr, "wire_probe: %s\n", cause);
		exit(1);
	}
	try_connect(ns, "127.0.0.8");
	try_connect(ns, "127.0.0.9");
	try_connect(ns, "127.0.0.1");
}

int
main(int argc, char **argv)
{
	struct netns *ns;
	struct capture *cap;
	char *cause = NULL;
	int fd;

	if (argc < 2)
		return 2;
	ns = netns_start(&cause);
	if (ns == NULL) {
		fprintf(stderr, "wire_probe: no private network: %s\n", cause);
		free(cause);
		return 77;
	}
	fd = netns_capture(ns, CAPTURE_SNAP);
	if (fd == -1)
		die("netns_capture");
	cap = capture_new(fd);
	if (strcmp(argv[1], "talk") == 0 && argc == 3) {
		talk(ns, cap, (size_t)strtoul(argv[2], NULL, 10));
	} else if (strcmp(argv[1], "routes") == 0) {
		routes(ns);
	} else if (strcmp(argv[1], "pcap") == 0 && argc == 3) {
		long n;

		talk(ns, cap, 5);
		n = capture_save(cap, 1, capture_next(cap), argv[2], &cause);
		if (n < 0) {
			fprintf(stderr, "wire_probe: %s: %s\n", argv[2], cause);
			return 1;
		}
		printf("saved %ld\n", n);
	} else {
		return 2;
	}
	capture_free(cap);
	netns_free(ns);
	return fflush(stdout) == 0 ? 0 : 1;
}

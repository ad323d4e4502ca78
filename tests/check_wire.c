/* check_wire.c - the wire's pure parts and its bookkeeping: frames built
 * here byte by byte are read back by segment_parse (IPv4 and IPv6, TCP
 * and UDP, options, extension headers, and every cut or lie refused);
 * the one-line form; the capture ring's numbering and its bound, fed
 * through a socket pair; the pcap bytes against the format's
 * specification; a file never written through an existing name; and the
 * private network refused when the environment says so.  The live
 * private network is tested by tests/wire.sh, as an unprivileged user. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "netns.h"
#include "segment.h"
#include "tap.h"
#include "util.h"

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* A TCP header at p: ports, seq, ack, flags, window, and (when opts) the
 * MSS and window scale options a SYN carries.  Returns its length. */
static size_t
tcp(uint8_t *p, uint32_t seq, uint32_t ack, unsigned flags, bool opts)
{
	size_t thl = opts ? 28 : 20;

	memset(p, 0, thl);
	put16(p, 40000);
	put16(p + 2, 5050);
	put32(p + 4, seq);
	put32(p + 8, ack);
	p[12] = (uint8_t)(thl / 4 << 4);
	p[13] = (uint8_t)flags;
	put16(p + 14, 65495);
	if (opts) {
		p[20] = 2;	/* MSS 65495 */
		p[21] = 4;
		put16(p + 22, 65495);
		p[24] = 1;	/* NOP */
		p[25] = 3;	/* window scale 7 */
		p[26] = 3;
		p[27] = 7;
	}
	return thl;
}

/* An IPv4 frame as lo gives it, carrying a TCP header and n payload
 * bytes.  Returns the frame's length. */
static size_t
frame4(uint8_t *f, uint32_t seq, uint32_t ack, unsigned flags, bool opts,
    size_t n)
{
	size_t thl;

	memset(f, 0, 14 + 20);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	f[14 + 9] = IPPROTO_TCP;
	f[14 + 12] = 127;
	f[14 + 15] = 1;
	f[14 + 16] = 127;
	f[14 + 19] = 1;
	thl = tcp(f + 34, seq, ack, flags, opts);
	memset(f + 34 + thl, 'x', n);
	put16(f + 16, (unsigned)(20 + thl + n));
	return 34 + thl + n;
}

START_TEST(parse_ipv4_syn)
{
	uint8_t f[256];
	struct segment s;
	char line[SEGMENT_LINE_MAX], ep[64];
	size_t n = frame4(f, 1000, 0, SEGMENT_SYN, true, 0);

	ck_assert_int_eq(segment_parse(f, n, &s), 0);
	ck_assert_int_eq(s.family, AF_INET);
	ck_assert_int_eq(s.proto, IPPROTO_TCP);
	ck_assert_uint_eq(s.sport, 40000);
	ck_assert_uint_eq(s.dport, 5050);
	ck_assert_uint_eq(s.seq, 1000);
	ck_assert_uint_eq(s.flags, SEGMENT_SYN);
	ck_assert_uint_eq(s.mss, 65495);
	ck_assert_int_eq(s.wscale, 7);
	ck_assert_uint_eq(s.len, 0);
	ck_assert_uint_eq(segment_span(&s), 1);
	ck_assert_str_eq(segment_format(&s, 0, 0, line, sizeof line),
	    "SYN seq=1000 len=0 win=65495");
	ck_assert_str_eq(segment_endpoint(&s, true, ep, sizeof ep),
	    "127.0.0.1:40000");
	ck_assert_str_eq(segment_endpoint(&s, false, ep, sizeof ep),
	    "127.0.0.1:5050");
}
END_TEST

START_TEST(parse_ipv4_data)
{
	uint8_t f[256];
	struct segment s;
	char line[SEGMENT_LINE_MAX];
	size_t n = frame4(f, 4294967295u, 77,
	    SEGMENT_PSH | SEGMENT_ACK | SEGMENT_FIN, false, 6);

	ck_assert_int_eq(segment_parse(f, n, &s), 0);
	ck_assert_uint_eq(s.len, 6);
	ck_assert_uint_eq(s.offset, 54);
	ck_assert_uint_eq(segment_span(&s), 7);
	ck_assert_int_eq(s.wscale, -1);
	ck_assert_str_eq(segment_format(&s, 0, 0, line, sizeof line),
	    "FIN+PSH+ACK seq=4294967295 ack=77 len=6 win=65495");
	/* Relative numbers wrap as TCP's do. */
	ck_assert_str_eq(segment_format(&s, 4294967290u, 70, line,
	    sizeof line), "FIN+PSH+ACK seq=5 ack=7 len=6 win=65495");
	/* Cut after the headers: the length still comes from the IP
	 * header. */
	ck_assert_int_eq(segment_parse(f, 54, &s), 0);
	ck_assert_uint_eq(s.len, 6);
}
END_TEST

START_TEST(parse_refuses)
{
	uint8_t f[256], g[256];
	struct segment s;
	size_t n = frame4(f, 1, 2, SEGMENT_ACK, true, 3), i;

	/* Every cut inside the headers is refused, and never read past. */
	for (i = 0; i < 14 + 20 + 28; i++) {
		memcpy(g, f, i);
		ck_assert_msg(segment_parse(g, i, &s) == -1, "cut at %zu", i);
		ck_assert_uint_eq(s.len, 0);
	}
	memcpy(g, f, n);
	put16(g + 12, 0x0806);		/* ARP */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	g[14 + 9] = IPPROTO_ICMP;
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	put16(g + 14 + 6, 0x2000);	/* more fragments */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	put16(g + 14 + 2, 30);		/* total length shorter than headers */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	g[14] = 0x44;			/* IHL below 5 */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	g[34 + 12] = 0x40;		/* TCP header of 16 bytes */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
	memcpy(g, f, n);
	g[34 + 12] = 0xf0;		/* of 60 bytes: more than captured */
	ck_assert_int_eq(segment_parse(g, n, &s), -1);
}
END_TEST

/* An IPv6 frame with a destination options header before a UDP
 * datagram of n bytes. */
static size_t
frame6_udp(uint8_t *f, size_t n)
{
	memset(f, 0, 14 + 40 + 8 + 8);
	put16(f + 12, 0x86dd);
	f[14] = 0x60;
	put16(f + 14 + 4, (unsigned)(8 + 8 + n));
	f[14 + 6] = 60;			/* destination options */
	f[14 + 23] = 1;			/* ::1 */
	f[14 + 39] = 1;
	f[54] = IPPROTO_UDP;		/* next header, length 0 (8 bytes) */
	put16(f + 62, 5353);
	put16(f + 64, 6000);
	put16(f + 66, (unsigned)(8 + n));
	memset(f + 70, 'y', n);
	return 70 + n;
}

START_TEST(parse_ipv6_udp)
{
	uint8_t f[256];
	struct segment s;
	char line[SEGMENT_LINE_MAX], ep[64];
	size_t n = frame6_udp(f, 11);

	ck_assert_int_eq(segment_parse(f, n, &s), 0);
	ck_assert_int_eq(s.family, AF_INET6);
	ck_assert_int_eq(s.proto, IPPROTO_UDP);
	ck_assert_uint_eq(s.len, 11);
	ck_assert_uint_eq(s.offset, 70);
	ck_assert_uint_eq(segment_span(&s), 0);
	ck_assert_str_eq(segment_format(&s, 0, 0, line, sizeof line),
	    "UDP len=11");
	ck_assert_str_eq(segment_endpoint(&s, true, ep, sizeof ep),
	    "[::1]:5353");
	ck_assert_str_eq(segment_endpoint(&s, false, ep, sizeof ep),
	    "[::1]:6000");
	/* A UDP length beyond the IP payload is a lie. */
	put16(f + 66, 200);
	ck_assert_int_eq(segment_parse(f, n, &s), -1);
	/* A fragment header ends the walk: refused. */
	n = frame6_udp(f, 11);
	f[14 + 6] = 44;
	ck_assert_int_eq(segment_parse(f, n, &s), -1);
}
END_TEST

START_TEST(flags_named)
{
	struct segment s;
	char buf[32];

	memset(&s, 0, sizeof s);
	s.proto = IPPROTO_TCP;
	ck_assert_str_eq(segment_flags(&s, buf, sizeof buf), "-");
	s.flags = SEGMENT_RST | SEGMENT_ACK;
	ck_assert_str_eq(segment_flags(&s, buf, sizeof buf), "RST+ACK");
	s.flags = SEGMENT_SYN | SEGMENT_ACK | SEGMENT_URG;
	ck_assert_str_eq(segment_flags(&s, buf, sizeof buf), "SYN+ACK+URG");
	/* Too small: cut at a whole name, still terminated. */
	ck_assert_str_eq(segment_flags(&s, buf, 9), "SYN+ACK");
}
END_TEST

/* The ring, fed through a datagram socket pair: each datagram is one
 * frame, as a packet socket gives them. */
START_TEST(ring_numbers_and_bound)
{
	uint8_t f[512];	/* up to 34 + 60 + 299 bytes */
	struct capture_seg seg;
	struct capture *cap;
	int sv[2];
	size_t n, i, sent = 0;
	uint64_t next = 1;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	cap = capture_new(sv[0]);
	ck_assert_uint_eq(capture_next(cap), 1);
	ck_assert(!capture_get(cap, 0, &seg));
	ck_assert(!capture_get(cap, 1, &seg));
	/* A frame that is not a segment takes no number. */
	ck_assert_int_eq(send(sv[1], "\0\0\0\0\0\0\0\0\0\0\0\0\x08\x06", 14,
	    0), 14);
	ck_assert_uint_eq(capture_pump(cap, 5), 1);
	/* 1400 frames, more than the ring holds, a hundred at a time (the
	 * socket buffer is small).  Frame k has seq k and k % 300 bytes. */
	while (sent < 1400) {
		for (i = 0; i < 100; i++, sent++) {
			n = frame4(f, (uint32_t)sent, 0, SEGMENT_ACK, false,
			    sent % 300);
			ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
		}
		next = capture_pump(cap, 7);
	}
	ck_assert_uint_eq(next, 1401);
	ck_assert_uint_eq(capture_next(cap), 1401);
	ck_assert(!capture_get(cap, 1401 - CAPTURE_RING - 1, &seg));
	ck_assert(capture_get(cap, 1401 - CAPTURE_RING, &seg));
	ck_assert_uint_eq(seg.num, 1401 - CAPTURE_RING);
	ck_assert_uint_eq(seg.seg.seq, 1400 - CAPTURE_RING);
	ck_assert_uint_eq(seg.tag, 7);
	/* Frames are kept cut to CAPTURE_SNAP, their length whole. */
	ck_assert(capture_get(cap, 600, &seg));
	ck_assert_uint_eq(seg.seg.len, 299);
	ck_assert_uint_eq(seg.origlen, 54 + 299);
	ck_assert_uint_eq(seg.caplen, CAPTURE_SNAP);
	ck_assert(capture_get(cap, next - 1, &seg));
	ck_assert(!capture_get(cap, next, &seg));
	ck_assert(seg.wall.tv_sec > 0);
	capture_free(cap);
	close(sv[1]);
}
END_TEST

static bool
is_fin(const struct segment *s, void *arg)
{
	(void)arg;
	return (s->flags & SEGMENT_FIN) != 0;
}

START_TEST(retag_kernel_only)
{
	uint8_t f[256];
	struct capture_seg seg;
	struct capture *cap;
	int sv[2];
	size_t n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	cap = capture_new(sv[0]);
	n = frame4(f, 1, 1, SEGMENT_FIN | SEGMENT_ACK, false, 0);
	ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
	ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
	n = frame4(f, 1, 1, SEGMENT_ACK, false, 0);
	ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
	ck_assert_uint_eq(capture_pump(cap, CAPTURE_KERNEL), 4);
	ck_assert_uint_eq(capture_retag(cap, 2, 4, 9, is_fin, NULL), 1);
	ck_assert_uint_eq(capture_retag(cap, 0, 99, 8, is_fin, NULL), 1);
	ck_assert(capture_get(cap, 1, &seg) && seg.tag == 8);
	ck_assert(capture_get(cap, 2, &seg) && seg.tag == 9);
	ck_assert(capture_get(cap, 3, &seg) && seg.tag == CAPTURE_KERNEL);
	capture_free(cap);
	close(sv[1]);
}
END_TEST

static unsigned
native16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t
native32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

START_TEST(pcap_bytes_by_the_spec)
{
	uint8_t buf[24 + 16 + CAPTURE_SNAP];
	struct capture_seg seg;
	size_t n;

	ck_assert_uint_eq(capture_pcap_header(buf, CAPTURE_SNAP), 24);
	/* Magic a1b2c3d4 in this machine's order, version 2.4, snaplen,
	 * link type 1 (Ethernet). */
	ck_assert_uint_eq(native32(buf), 0xa1b2c3d4u);
	ck_assert_uint_eq(native16(buf + 4), 2);
	ck_assert_uint_eq(native16(buf + 6), 4);
	ck_assert_uint_eq(native32(buf + 8), 0);
	ck_assert_uint_eq(native32(buf + 16), CAPTURE_SNAP);
	ck_assert_uint_eq(native32(buf + 20), 1);
	memset(&seg, 0, sizeof seg);
	seg.wall.tv_sec = 1700000000;
	seg.wall.tv_nsec = 123456789;
	seg.caplen = (uint32_t)frame4(seg.frame, 1, 2, SEGMENT_ACK, false, 0);
	seg.origlen = 1000;
	n = capture_pcap_record(buf, &seg);
	ck_assert_uint_eq(n, 16 + seg.caplen);
	ck_assert_uint_eq(native32(buf), 1700000000);
	ck_assert_uint_eq(native32(buf + 4), 123456);
	ck_assert_uint_eq(native32(buf + 8), seg.caplen);
	ck_assert_uint_eq(native32(buf + 12), 1000);
	ck_assert_mem_eq(buf + 16, seg.frame, seg.caplen);
}
END_TEST

START_TEST(save_never_overwrites)
{
	char dir[] = "/tmp/check_wire.XXXXXX", *path, *link, *cause = NULL;
	uint8_t f[256], got[512];
	struct capture *cap;
	struct stat st;
	int sv[2], fd;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/lesson.pcap", dir);
	link = xasprintf("%s/link.pcap", dir);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	cap = capture_new(sv[0]);
	n = frame4(f, 1, 2, SEGMENT_SYN, true, 0);
	ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
	ck_assert_int_eq(send(sv[1], f, n, 0), (ssize_t)n);
	capture_pump(cap, CAPTURE_KERNEL);
	ck_assert_int_eq(capture_save(cap, 2, 3, path, &cause), 1);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, got, sizeof got), (ssize_t)(24 + 16 + n));
	close(fd);
	ck_assert_mem_eq(got + 40, f, n);
	/* An existing file is not replaced. */
	ck_assert_int_eq(capture_save(cap, 1, 3, path, &cause), -1);
	ck_assert_str_eq(cause, "open = -1 EEXIST");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)(24 + 16 + n));
	/* Nor is a symbolic link followed, even to a name that is free. */
	ck_assert_int_eq(symlink("target.pcap", link), 0);
	ck_assert_int_eq(capture_save(cap, 1, 3, link, &cause), -1);
	free(cause);
	{
		char *target = xasprintf("%s/target.pcap", dir);

		ck_assert_int_eq(access(target, F_OK), -1);
		unlink(link);
		free(target);
	}
	unlink(path);
	rmdir(dir);
	free(path);
	free(link);
	capture_free(cap);
	close(sv[1]);
}
END_TEST

START_TEST(netns_refused_by_env)
{
	char *cause = NULL;

	setenv(NETNS_OFF_ENV, "1", 1);
	ck_assert_ptr_null(netns_start(&cause));
	ck_assert_str_eq(cause, NETNS_OFF_ENV " is set");
	ck_assert_ptr_null(strchr(cause, '\n'));
	free(cause);
	netns_free(NULL);
}
END_TEST

static Suite *
wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("segment");

	tcase_add_test(tc, parse_ipv4_syn);
	tcase_add_test(tc, parse_ipv4_data);
	tcase_add_test(tc, parse_refuses);
	tcase_add_test(tc, parse_ipv6_udp);
	tcase_add_test(tc, flags_named);
	suite_add_tcase(s, tc);
	tc = tcase_create("capture");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, ring_numbers_and_bound);
	tcase_add_test(tc, retag_kernel_only);
	tcase_add_test(tc, pcap_bytes_by_the_spec);
	tcase_add_test(tc, save_never_overwrites);
	tcase_add_test(tc, netns_refused_by_env);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(wire_suite());
}

/* fuzz_segment.c - libFuzzer harness for segment_parse, which reads
 * frames captured on the private network's loopback (segment.c).  The
 * input is one frame.  Checked:
 *  - a frame is refused whole (the result zeroed) or read with every
 *    header inside the bytes given: the payload starts within them;
 *  - the family, protocol and flags are ones the parser names;
 *  - cutting the frame anywhere after its headers reads the same
 *    segment (the payload's length comes from the IP header);
 *  - the one-line forms always end within their buffers and hold only
 *    printable ASCII. */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
check_line(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap), i;

	check(n < cap);
	for (i = 0; i < n; i++)
		check(s[i] >= 0x20 && s[i] < 0x7f);
}

static int
same(const struct segment *a, const struct segment *b)
{
	return a->family == b->family && a->proto == b->proto &&
	    memcmp(a->src, b->src, sizeof a->src) == 0 &&
	    memcmp(a->dst, b->dst, sizeof a->dst) == 0 &&
	    a->sport == b->sport && a->dport == b->dport &&
	    a->flags == b->flags && a->seq == b->seq && a->ack == b->ack &&
	    a->win == b->win && a->len == b->len && a->offset == b->offset;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct segment zero = { .wscale = -1 };
	struct segment s, t;
	char line[SEGMENT_LINE_MAX], small[12], ep[64];

	if (segment_parse(data, size, &s) == -1) {
		check(memcmp(&s, &zero, sizeof s) == 0);
		return 0;
	}
	check(s.family == AF_INET || s.family == AF_INET6);
	check(s.proto == IPPROTO_TCP || s.proto == IPPROTO_UDP);
	check(s.offset <= size && s.offset >= SEGMENT_ETH_LEN + 20 + 8);
	check((s.flags & ~0x3fu) == 0);
	check(s.proto == IPPROTO_TCP || s.flags == 0);
	check(s.wscale >= -1 && s.wscale <= 255);
	/* The same segment from only its headers. */
	check(segment_parse(data, s.offset, &t) == 0 && same(&s, &t));
	/* One byte fewer cuts a header: refused. */
	check(segment_parse(data, s.offset - 1, &t) == -1);
	check_line(segment_format(&s, 0, 0, line, sizeof line), sizeof line);
	check_line(segment_format(&s, s.seq, s.ack, line, sizeof line),
	    sizeof line);
	check_line(segment_format(&s, 0, 0, small, sizeof small),
	    sizeof small);
	check_line(segment_flags(&s, small, sizeof small), sizeof small);
	check_line(segment_endpoint(&s, true, ep, sizeof ep), sizeof ep);
	check_line(segment_endpoint(&s, false, ep, sizeof ep), sizeof ep);
	return 0;
}

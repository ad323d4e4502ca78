/* segment.c - the headers of one captured loopback frame, read with
 * bounds checked at every step (the bytes come from the network), and
 * the one-line form plain mode and the ladder print.  See segment.h. */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "segment.h"

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The options of a TCP header (n bytes at p): MSS and window scale. */
static void
tcp_options(const uint8_t *p, size_t n, struct segment *out)
{
	size_t i = 0;

	while (i < n) {
		uint8_t kind = p[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			break;
		olen = p[i + 1];
		if (olen < 2 || i + olen > n)
			break;
		if (kind == 2 && olen == 4)
			out->mss = get16(p + i + 2);
		else if (kind == 3 && olen == 3)
			out->wscale = p[i + 2];
		i += olen;
	}
}

/* The transport header at p (caplen bytes captured of the iplen bytes
 * the IP header says follow it). */
static int
transport(const uint8_t *p, size_t caplen, uint32_t iplen,
    struct segment *out)
{
	if (out->proto == IPPROTO_UDP) {
		uint16_t ulen;

		if (caplen < 8 || iplen < 8)
			return -1;
		ulen = get16(p + 4);
		if (ulen < 8 || ulen > iplen)
			return -1;
		out->sport = get16(p);
		out->dport = get16(p + 2);
		out->len = ulen - 8u;
		out->offset += 8;
		return 0;
	}
	if (out->proto == IPPROTO_TCP) {
		size_t thl;

		if (caplen < 20 || iplen < 20)
			return -1;
		thl = (size_t)(p[12] >> 4) * 4;
		if (thl < 20 || thl > caplen || thl > iplen)
			return -1;
		out->sport = get16(p);
		out->dport = get16(p + 2);
		out->seq = get32(p + 4);
		out->ack = get32(p + 8);
		out->flags = p[13] & 0x3f;
		out->win = get16(p + 14);
		tcp_options(p + 20, thl - 20, out);
		out->len = iplen - (uint32_t)thl;
		out->offset += (uint32_t)thl;
		return 0;
	}
	return -1;
}

static int
ipv4(const uint8_t *p, size_t caplen, struct segment *out)
{
	size_t ihl;
	uint16_t total, frag;

	if (caplen < 20 || p[0] >> 4 != 4)
		return -1;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	total = get16(p + 2);
	frag = get16(p + 6);
	/* Fragments never carry a whole segment's length: refused. */
	if (ihl < 20 || ihl > caplen || total < ihl || (frag & 0x3fff) != 0)
		return -1;
	out->family = AF_INET;
	out->proto = p[9];
	memcpy(out->src, p + 12, 4);
	memcpy(out->dst, p + 16, 4);
	out->offset += (uint32_t)ihl;
	return transport(p + ihl, caplen - ihl, total - (uint32_t)ihl, out);
}

static int
ipv6(const uint8_t *p, size_t caplen, struct segment *out)
{
	uint32_t plen;
	size_t off = 40;
	uint8_t next;
	int i;

	if (caplen < 40 || p[0] >> 4 != 6)
		return -1;
	plen = get16(p + 4);
	next = p[6];
	out->family = AF_INET6;
	memcpy(out->src, p + 8, 16);
	memcpy(out->dst, p + 24, 16);
	/* Hop-by-hop, routing and destination options may come first; a
	 * fragment header (44) or anything else ends the walk. */
	for (i = 0; i < SEGMENT_EXT_MAX; i++) {
		size_t elen;

		if (next != 0 && next != 43 && next != 60)
			break;
		if (off + 8 > caplen)
			return -1;
		elen = ((size_t)p[off + 1] + 1) * 8;
		if (off + elen > caplen || off - 40 + elen > plen)
			return -1;
		next = p[off];
		off += elen;
	}
	out->proto = next;
	out->offset += (uint32_t)off;
	return transport(p + off, caplen - off, plen - (uint32_t)(off - 40),
	    out);
}

int
segment_parse(const void *frame, size_t caplen, struct segment *out)
{
	const uint8_t *p = frame;
	uint16_t type;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->wscale = -1;
	if (caplen < SEGMENT_ETH_LEN)
		return -1;
	type = get16(p + 12);
	out->offset = SEGMENT_ETH_LEN;
	if (type == 0x0800)
		rc = ipv4(p + SEGMENT_ETH_LEN, caplen - SEGMENT_ETH_LEN, out);
	else if (type == 0x86dd)
		rc = ipv6(p + SEGMENT_ETH_LEN, caplen - SEGMENT_ETH_LEN, out);
	if (rc == -1) {
		memset(out, 0, sizeof *out);
		out->wscale = -1;
	}
	return rc;
}

char *
segment_flags(const struct segment *s, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ SEGMENT_SYN, "SYN" }, { SEGMENT_FIN, "FIN" },
		{ SEGMENT_RST, "RST" }, { SEGMENT_PSH, "PSH" },
		{ SEGMENT_ACK, "ACK" }, { SEGMENT_URG, "URG" }
	};
	size_t i, at = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (s->proto == IPPROTO_UDP) {
		snprintf(buf, len, "UDP");
		return buf;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int n;

		if (!(s->flags & names[i].bit))
			continue;
		n = snprintf(buf + at, len - at, "%s%s", at > 0 ? "+" : "",
		    names[i].name);
		if (n < 0 || (size_t)n >= len - at) {
			buf[at] = '\0';	/* no half name */
			return buf;
		}
		at += (size_t)n;
	}
	if (at == 0)
		snprintf(buf, len, "-");
	return buf;
}

char *
segment_format(const struct segment *s, uint32_t seq_base,
    uint32_t ack_base, char *buf, size_t len)
{
	char flags[32];

	segment_flags(s, flags, sizeof flags);
	if (s->proto == IPPROTO_UDP)
		snprintf(buf, len, "UDP len=%" PRIu32, s->len);
	else if (s->flags & SEGMENT_ACK)
		snprintf(buf, len, "%s seq=%" PRIu32 " ack=%" PRIu32
		    " len=%" PRIu32 " win=%u", flags, s->seq - seq_base,
		    s->ack - ack_base, s->len, (unsigned)s->win);
	else
		snprintf(buf, len, "%s seq=%" PRIu32 " len=%" PRIu32
		    " win=%u", flags, s->seq - seq_base, s->len,
		    (unsigned)s->win);
	return buf;
}

char *
segment_endpoint(const struct segment *s, bool source, char *buf,
    size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	const uint8_t *a = source ? s->src : s->dst;
	unsigned port = source ? s->sport : s->dport;

	if (s->family != AF_INET && s->family != AF_INET6) {
		snprintf(buf, len, "?");
		return buf;
	}
	inet_ntop(s->family, a, host, sizeof host);
	if (s->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, port);
	else
		snprintf(buf, len, "%s:%u", host, port);
	return buf;
}

uint32_t
segment_span(const struct segment *s)
{
	if (s->proto != IPPROTO_TCP)
		return 0;
	return s->len + !!(s->flags & SEGMENT_SYN) + !!(s->flags & SEGMENT_FIN);
}

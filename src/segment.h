/* segment.h - reads one frame captured on a loopback interface and says
 * what TCP segment or UDP datagram it carries.  Pure functions over
 * bytes: no sockets, no clocks, so that tests and the fuzzer drive them
 * directly.
 *
 * On Linux, a packet socket bound to "lo" gets each frame with an
 * Ethernet header (both addresses zero) in front: 14 bytes, the last two
 * the EtherType (0x0800 IPv4, 0x86dd IPv6).  After it comes the IP
 * header (IPv4 with its options; IPv6 with its fixed 40 bytes, and the
 * extension headers that can precede TCP or UDP walked over), then the
 * TCP or UDP header.  The payload's length comes from the IP header,
 * not from the bytes captured, so a frame cut at the snapshot length
 * still says how much data it carried.  Anything else (ARP, ICMP, a
 * fragment after the first, a truncated or inconsistent header) is
 * refused. */
#ifndef SOCKTUTOR_SEGMENT_H
#define SOCKTUTOR_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEGMENT_ETH_LEN 14	/* the Ethernet header lo puts in front */
#define SEGMENT_EXT_MAX 8	/* IPv6 extension headers walked, at most */
#define SEGMENT_LINE_MAX 96	/* room for any segment_format line */

/* TCP flags, as the header's bits. */
enum {
	SEGMENT_FIN = 0x01,
	SEGMENT_SYN = 0x02,
	SEGMENT_RST = 0x04,
	SEGMENT_PSH = 0x08,
	SEGMENT_ACK = 0x10,
	SEGMENT_URG = 0x20
};

/* One TCP segment or UDP datagram. */
struct segment {
	int family;		/* AF_INET or AF_INET6 */
	int proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t src[16], dst[16];	/* addresses as on the wire; IPv4 in
					 * the first 4 bytes, the rest 0 */
	uint16_t sport, dport;	/* ports, host byte order */
	unsigned flags;		/* TCP: SEGMENT_SYN | ...; UDP: 0 */
	uint32_t seq, ack;	/* TCP: as on the wire, host byte order */
	uint16_t win;		/* TCP: the window field, not yet scaled */
	uint16_t mss;		/* TCP: the MSS option, 0 when absent */
	int wscale;		/* TCP: the window scale option, -1 absent */
	uint32_t len;		/* bytes of payload the packet carried */
	uint32_t offset;	/* where the payload starts in the frame */
};

/* Parse the caplen bytes of frame (cut or whole).  Returns 0 with *out
 * filled, or -1 when the frame is not a TCP segment or a UDP datagram
 * over IPv4 or IPv6 whose headers were captured whole. */
int segment_parse(const void *frame, size_t caplen, struct segment *out);

/* The flags by name, joined with '+' in the order SYN FIN RST PSH ACK
 * URG ("SYN+ACK"), "-" when none, "UDP" for a datagram.  Returns buf. */
char *segment_flags(const struct segment *s, char *buf, size_t len);

/* The segment as one untranslated line, without the direction:
 * "SYN seq=N len=0 win=N", "ACK seq=N ack=N len=N win=N",
 * "UDP len=N".  ack= only when the ACK flag is set (the field means
 * nothing otherwise).  seq_base and ack_base are subtracted from seq and
 * ack (0 for the real numbers; the ISNs for relative ones).  Returns
 * buf (NUL-terminated; SEGMENT_LINE_MAX always suffices). */
char *segment_format(const struct segment *s, uint32_t seq_base,
    uint32_t ack_base, char *buf, size_t len);

/* The source or destination as "127.0.0.1:5050" or "[::1]:5050".
 * Returns buf. */
char *segment_endpoint(const struct segment *s, bool source, char *buf,
    size_t len);

/* How much of sequence space the segment uses: its payload, plus one for
 * SYN and one for FIN.  The peer acknowledges seq + segment_span. */
uint32_t segment_span(const struct segment *s);

#endif

/* capture.h - the segments seen on the private network's loopback: read
 * from the packet socket netns_capture gives, numbered, kept in a ring of
 * the last CAPTURE_RING, and saved as a pcap file on request.
 *
 * Nobody waits here.  capture_pump reads whatever is waiting without
 * blocking and returns; whoever polls the descriptor (the UI's loop, the
 * lab before and after a call) may call it, from any thread.  Each
 * segment gets the number after the previous one (from 1), so that an
 * event can name the segments of its step as a range of numbers and the
 * UI fetch them later, or learn they have left the ring.
 *
 * The pcap file is written by the format's specification (the classic
 * "pcap" of tcpdump and Wireshark: a 24-byte file header, then a 16-byte
 * header before each frame; link type Ethernet, which is what lo gives),
 * not with libpcap: see the note in capture.c.
 *
 * Part of the core: no curses, no gettext, never prints. */
#ifndef SOCKTUTOR_CAPTURE_H
#define SOCKTUTOR_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "segment.h"

#define CAPTURE_RING 1024	/* segments kept: a lesson's worth */
#define CAPTURE_SNAP 256	/* bytes kept of each frame: every header,
				 * and the start of the payload */
#define CAPTURE_PUMP_MAX 256	/* frames read by one capture_pump at most,
				 * so that a flood cannot hold the caller */

/* Who a segment is tied to; the lab's own numbers otherwise. */
#define CAPTURE_KERNEL 0u	/* the kernel sent it on its own */

/* One captured segment. */
struct capture_seg {
	uint64_t num;		/* 1, 2, ... in the order seen */
	uint64_t mono_us;	/* CLOCK_MONOTONIC when read */
	struct timespec wall;	/* when it arrived (the kernel's stamp) */
	unsigned tag;		/* capture_pump's tag: CAPTURE_KERNEL or the
				 * caller's number for the call that caused it */
	struct segment seg;	/* what segment_parse read */
	uint32_t caplen;	/* bytes of frame kept */
	uint32_t origlen;	/* the frame's whole length */
	uint8_t frame[CAPTURE_SNAP];	/* the frame as captured */
};

struct capture;

/* Take fd (a packet socket from netns_capture; capture owns it now).
 * Never fails. */
struct capture *capture_new(int fd);

/* Close the socket and drop the ring.  NULL-safe. */
void capture_free(struct capture *cap);

/* The descriptor to poll for POLLIN. */
int capture_fd(const struct capture *cap);

/* Read the frames waiting (at most CAPTURE_PUMP_MAX), without blocking;
 * the TCP and UDP ones enter the ring tagged with tag.  Returns the
 * number after the last segment in the ring (what capture_next says). */
uint64_t capture_pump(struct capture *cap, unsigned tag);

/* The number the next segment will get. */
uint64_t capture_next(struct capture *cap);

/* Copy segment num into *out.  False when it was never seen or has left
 * the ring. */
bool capture_get(struct capture *cap, uint64_t num, struct capture_seg *out);

/* Retag segments [from, to) still in the ring whose tag is CAPTURE_KERNEL
 * and for which match(seg, arg) is true.  Returns how many changed. */
size_t capture_retag(struct capture *cap, uint64_t from, uint64_t to,
    unsigned tag, bool (*match)(const struct segment *, void *), void *arg);

/* Write segments [from, to) still in the ring to a new pcap file at path
 * (created with O_EXCL and O_NOFOLLOW: an existing file or a symbolic
 * link is never written through).  Returns the number of segments
 * written, or -1 with *cause (malloc'd: the call and errno name). */
long capture_save(struct capture *cap, uint64_t from, uint64_t to,
    const char *path, char **cause);

/* The bytes of such a file, for whoever writes it elsewhere: segments
 * [from, to) still in the ring.  Returns a malloc'd buffer of *len
 * bytes; *count is the number of segments in it. */
uint8_t *capture_pcap_bytes(struct capture *cap, uint64_t from, uint64_t to,
    size_t *len, long *count);

/* The pcap file header (24 bytes) and one record (16 bytes, then caplen
 * bytes of frame) into buf.  Return the bytes written. */
size_t capture_pcap_header(uint8_t *buf, uint32_t snaplen);
size_t capture_pcap_record(uint8_t *buf, const struct capture_seg *s);

#endif

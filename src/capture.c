/* capture.c - reads the private network's packet socket into a bounded
 * ring, and writes pcap files.  See capture.h.
 *
 * Why not libpcap: its live capture opens its own packet socket, in the
 * namespace of the process that calls it, and cannot adopt a descriptor
 * made by another process in another network namespace, which is the
 * only way an unprivileged program gets one here.  So the reading is
 * ours whatever we choose.  What would remain for libpcap is writing
 * files: a 24-byte header and a 16-byte header per frame, fixed by the
 * format's specification since 1998.  For that, it would become a build
 * dependency of every build (configure, the quick start, CI, the
 * README), and pcap_dump_open follows symbolic links and replaces files.
 * Forty lines here write the same bytes and open the file with O_EXCL
 * and O_NOFOLLOW. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_packet.h>

#include "capture.h"
#include "lab.h"
#include "util.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u	/* microsecond timestamps */
#define PCAP_LINKTYPE_ETHERNET 1u

struct capture {
	int fd;
	pthread_mutex_t ring_lock;	/* guards ring, first, next, and the
					 * reading of fd (so that segments
					 * are numbered in the order read) */
	struct capture_seg *ring;	/* CAPTURE_RING entries */
	uint64_t first;		/* oldest number still in the ring */
	uint64_t next;		/* the number the next segment gets */
};

struct capture *
capture_new(int fd)
{
	struct capture *cap = xcalloc(1, sizeof *cap);

	cap->fd = fd;
	pthread_mutex_init(&cap->ring_lock, NULL);
	cap->ring = xcalloc(CAPTURE_RING, sizeof *cap->ring);
	cap->first = cap->next = 1;
	return cap;
}

void
capture_free(struct capture *cap)
{
	if (cap == NULL)
		return;
	if (cap->fd >= 0)
		close(cap->fd);
	pthread_mutex_destroy(&cap->ring_lock);
	free(cap->ring);
	free(cap);
}

int
capture_fd(const struct capture *cap)
{
	return cap->fd;
}

static struct capture_seg *
slot(struct capture *cap, uint64_t num)
{
	return &cap->ring[(num - 1) % CAPTURE_RING];
}

/* One frame from fd into the next slot.  Returns 1 when a segment was
 * kept, 0 for a frame skipped, -1 when nothing is waiting.  Expects
 * ring_lock held. */
static int
read_one(struct capture *cap, unsigned tag)
{
	union {
		struct cmsghdr c;
		char buf[CMSG_SPACE(sizeof(struct timespec))];
	} ctl;
	struct capture_seg *s = slot(cap, cap->next);
	struct sockaddr_ll from;
	struct iovec iov = { s->frame, sizeof s->frame };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;

	memset(&m, 0, sizeof m);
	memset(&from, 0, sizeof from);
	m.msg_name = &from;
	m.msg_namelen = sizeof from;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof ctl.buf;
	do
		n = recvmsg(cap->fd, &m, MSG_DONTWAIT | MSG_TRUNC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return -1;
	/* Loopback shows each frame leaving and arriving: keep one. */
	if (from.sll_pkttype == PACKET_OUTGOING)
		return 0;
	s->caplen = (uint32_t)((size_t)n < sizeof s->frame ? (size_t)n :
	    sizeof s->frame);
	s->origlen = (uint32_t)n;
	if (segment_parse(s->frame, s->caplen, &s->seg) == -1)
		return 0;
	s->num = cap->next;
	s->tag = tag;
	s->mono_us = util_now_us();
	memset(&s->wall, 0, sizeof s->wall);
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len == CMSG_LEN(sizeof s->wall))
			memcpy(&s->wall, CMSG_DATA(c), sizeof s->wall);
	if (s->wall.tv_sec == 0)
		clock_gettime(CLOCK_REALTIME, &s->wall);
	cap->next++;
	if (cap->next - cap->first > CAPTURE_RING)
		cap->first = cap->next - CAPTURE_RING;
	return 1;
}

uint64_t
capture_pump(struct capture *cap, unsigned tag)
{
	uint64_t next;
	int i;

	pthread_mutex_lock(&cap->ring_lock);
	for (i = 0; i < CAPTURE_PUMP_MAX; i++)
		if (read_one(cap, tag) == -1)
			break;
	next = cap->next;
	pthread_mutex_unlock(&cap->ring_lock);
	return next;
}

uint64_t
capture_next(struct capture *cap)
{
	uint64_t next;

	pthread_mutex_lock(&cap->ring_lock);
	next = cap->next;
	pthread_mutex_unlock(&cap->ring_lock);
	return next;
}

bool
capture_get(struct capture *cap, uint64_t num, struct capture_seg *out)
{
	bool ok;

	pthread_mutex_lock(&cap->ring_lock);
	ok = num >= cap->first && num < cap->next;
	if (ok)
		*out = *slot(cap, num);
	pthread_mutex_unlock(&cap->ring_lock);
	return ok;
}

size_t
capture_retag(struct capture *cap, uint64_t from, uint64_t to,
    unsigned tag, bool (*match)(const struct segment *, void *), void *arg)
{
	size_t changed = 0;
	uint64_t i;

	pthread_mutex_lock(&cap->ring_lock);
	if (from < cap->first)
		from = cap->first;
	if (to > cap->next)
		to = cap->next;
	for (i = from; i < to; i++) {
		struct capture_seg *s = slot(cap, i);

		if (s->tag == CAPTURE_KERNEL && match(&s->seg, arg)) {
			s->tag = tag;
			changed++;
		}
	}
	pthread_mutex_unlock(&cap->ring_lock);
	return changed;
}

static void
put32(uint8_t *p, uint32_t v)
{
	/* The file is in this machine's byte order; the magic number tells
	 * readers which. */
	memcpy(p, &v, sizeof v);
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof v);
}

size_t
capture_pcap_header(uint8_t *buf, uint32_t snaplen)
{
	put32(buf, PCAP_MAGIC_US);
	put16(buf + 4, 2);	/* version 2.4 */
	put16(buf + 6, 4);
	put32(buf + 8, 0);	/* times in UTC */
	put32(buf + 12, 0);	/* accuracy: unused */
	put32(buf + 16, snaplen);
	put32(buf + 20, PCAP_LINKTYPE_ETHERNET);
	return 24;
}

size_t
capture_pcap_record(uint8_t *buf, const struct capture_seg *s)
{
	put32(buf, (uint32_t)s->wall.tv_sec);
	put32(buf + 4, (uint32_t)(s->wall.tv_nsec / 1000));
	put32(buf + 8, s->caplen);
	put32(buf + 12, s->origlen);
	memcpy(buf + 16, s->frame, s->caplen);
	return 16 + (size_t)s->caplen;
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The file's bytes for segments [from, to), copied out under ring_lock so
 * that the writing happens without it.  Returns a malloc'd buffer. */
uint8_t *
capture_pcap_bytes(struct capture *cap, uint64_t from, uint64_t to,
    size_t *len, long *count)
{
	uint8_t *buf;
	size_t at;
	uint64_t i;

	pthread_mutex_lock(&cap->ring_lock);
	if (from < cap->first)
		from = cap->first;
	if (to > cap->next)
		to = cap->next;
	if (to < from)
		to = from;
	buf = xmalloc(24 + (size_t)(to - from) * (16 + CAPTURE_SNAP));
	at = capture_pcap_header(buf, CAPTURE_SNAP);
	for (i = from; i < to; i++)
		at += capture_pcap_record(buf + at, slot(cap, i));
	pthread_mutex_unlock(&cap->ring_lock);
	*len = at;
	*count = (long)(to - from);
	return buf;
}

long
capture_save(struct capture *cap, uint64_t from, uint64_t to,
    const char *path, char **cause)
{
	uint8_t *buf;
	size_t len;
	long count;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1) {
		*cause = xasprintf("open = -1 %s", lab_errno_name(errno));
		return -1;
	}
	buf = capture_pcap_bytes(cap, from, to, &len, &count);
	rc = write_all(fd, buf, len);
	free(buf);
	if (rc == -1) {
		*cause = xasprintf("write = -1 %s", lab_errno_name(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("close = -1 %s", lab_errno_name(errno));
		unlink(path);
		return -1;
	}
	return count;
}

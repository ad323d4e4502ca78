/* fill.c - lesson placeholders ({port}, {port_hex}, {addr},
 * {sysctl:NAME}, {syn_waits}, {syn_giveup}) filled into text that has
 * already been translated.  See fill.h. */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fill.h"
#include "util.h"

/* A growing string. */
struct buf {
	char *s;
	size_t n, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static bool
sysctl_name_ok(const char *name, size_t n)
{
	size_t i;

	if (n < 5 || n > 120 || strncmp(name, "net.", 4) != 0 ||
	    name[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (c == '.' && name[i + 1] == '.')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int
fill_sysctl(const char *name, char *buf, size_t len)
{
	char path[160];
	size_t n = strlen(name), i;
	ssize_t r;
	int fd;

	if (len == 0 || !sysctl_name_ok(name, n))
		return -1;
	snprintf(path, sizeof path, "/proc/sys/%s", name);
	for (i = strlen("/proc/sys/"); path[i] != '\0'; i++)
		if (path[i] == '.')
			path[i] = '/';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	/* Several values (ip_local_port_range) are separated by tabs. */
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\t')
			buf[i] = ' ';
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return r > 0 ? 0 : -1;
}

/* The longest a retransmission waits, and the first wait of a SYN
 * (TCP_RTO_MAX, TCP_TIMEOUT_INIT). */
#define RTO_MAX_S 120u
#define RTO_INIT_S 1u

/* How long the kernel's model says `retries` doubling tries take
 * (tcp_model_timeout): 1 + 2 + ... doubling up to RTO_MAX_S, then
 * RTO_MAX_S for each further try. */
static unsigned long
model_timeout(unsigned retries)
{
	unsigned thresh = 0, i;

	while ((RTO_INIT_S << (thresh + 1)) <= RTO_MAX_S)
		thresh++;
	if (retries <= thresh)
		return ((2ul << retries) - 1) * RTO_INIT_S;
	i = retries - thresh;
	return ((2ul << thresh) - 1) * RTO_INIT_S + (unsigned long)i * RTO_MAX_S;
}

int
fill_syn_schedule(long retries, long linear, struct syn_schedule *out)
{
	unsigned long t = 0, rto = RTO_INIT_S, limit;
	unsigned sent = 0;

	if (retries < 1 || retries > 255 || linear > 255)
		return -1;
	if (linear < 0)
		linear = 0;
	limit = model_timeout((unsigned)retries);
	out->n = 0;
	for (;;) {
		t += rto;
		if (sent >= (unsigned long)(retries + linear) ||
		    (sent > 0 && t >= limit))
			break;
		if (out->n < SYN_SCHEDULE_MAX)
			out->waits[out->n++] = (unsigned)rto;
		sent++;
		/* The first `linear` retries keep the first wait. */
		if (sent > (unsigned long)linear)
			rto = rto * 2 > RTO_MAX_S ? RTO_MAX_S : rto * 2;
	}
	out->giveup_s = (unsigned)t;
	return 0;
}

/* This kernel's schedule: net.ipv4.tcp_syn_retries and, where it
 * exists, net.ipv4.tcp_syn_linear_timeouts (0 before Linux 6.5). */
static int
this_syn_schedule(struct syn_schedule *out)
{
	char b[32], *end;
	long retries, linear = 0;

	if (fill_sysctl("net.ipv4.tcp_syn_retries", b, sizeof b) == -1)
		return -1;
	retries = strtol(b, &end, 10);
	if (end == b || *end != '\0')
		return -1;
	if (fill_sysctl("net.ipv4.tcp_syn_linear_timeouts", b,
	    sizeof b) == 0) {
		linear = strtol(b, &end, 10);
		if (end == b || *end != '\0')
			return -1;
	}
	return fill_syn_schedule(retries, linear, out);
}

/* {syn_waits} ("1, 2, 4") or {syn_giveup} ("7") into out. */
static void
syn_value(bool waits, char *out, size_t len)
{
	struct syn_schedule s;
	size_t used = 0;
	unsigned i;

	if (this_syn_schedule(&s) == -1) {
		snprintf(out, len, "{%s ?}", waits ? "syn_waits" : "syn_giveup");
		return;
	}
	if (!waits) {
		snprintf(out, len, "%u", s.giveup_s);
		return;
	}
	out[0] = '\0';
	for (i = 0; i < s.n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%u",
		    i > 0 ? ", " : "", s.waits[i]);
}

/* The value of the placeholder p..p+n (without braces) into out; false
 * when it is not one of ours. */
static bool
value(const char *p, size_t n, const struct fill_vars *v, char *out,
    size_t len)
{
	char name[128];

	if (n == 4 && strncmp(p, "port", 4) == 0)
		snprintf(out, len, "%u", v->port);
	else if (n == 8 && strncmp(p, "port_hex", 8) == 0)
		snprintf(out, len, "0x%04X", v->port & 0xffffu);
	else if (n == 4 && strncmp(p, "addr", 4) == 0 && v->addr != NULL)
		snprintf(out, len, "%s", v->addr);
	else if (n == 9 && strncmp(p, "syn_waits", 9) == 0)
		syn_value(true, out, len);
	else if (n == 10 && strncmp(p, "syn_giveup", 10) == 0)
		syn_value(false, out, len);
	else if (n > 7 && n - 7 < sizeof name &&
	    strncmp(p, "sysctl:", 7) == 0) {
		memcpy(name, p + 7, n - 7);
		name[n - 7] = '\0';
		if (fill_sysctl(name, out, len) == -1)
			snprintf(out, len, "{sysctl:%s ?}", name);
	} else
		return false;
	return true;
}

char *
fill_text(const char *text, const struct fill_vars *v)
{
	struct buf b = { NULL, 0, 0 };
	const char *p = text, *open, *close;
	char val[160];

	buf_add(&b, "", 0);
	while ((open = strchr(p, '{')) != NULL) {
		close = open + strcspn(open + 1, "{}\n") + 1;
		if (*close == '}' && value(open + 1, (size_t)(close - open - 1),
		    v, val, sizeof val)) {
			buf_add(&b, p, (size_t)(open - p));
			buf_add(&b, val, strlen(val));
			p = close + 1;
		} else {
			buf_add(&b, p, (size_t)(open - p) + 1);
			p = open + 1;
		}
	}
	buf_add(&b, p, strlen(p));
	return b.s;
}

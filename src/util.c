/* util.c - allocation, error causes, escaping of untrusted bytes, clocks,
 * telling a loopback address, and reading small files whole.  Used by
 * the core and the UI alike. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unicode_ignorable.h"
#include "util.h"

static void (*fatal_hook)(void);

void
util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
util_fatal(const char *what)
{
	static volatile sig_atomic_t dying;
	void (*hook)(void) = fatal_hook;

	/* Once: a second fatal error (from another thread, or from the
	 * hook itself) only aborts. */
	if (!dying) {
		dying = 1;
		if (hook != NULL)
			hook();
		/* Nothing may be allocated any more: write and leave. */
		if (write(STDERR_FILENO, "socktutor: ", 11) < 0 ||
		    write(STDERR_FILENO, what, strlen(what)) < 0 ||
		    write(STDERR_FILENO, "\n", 1) < 0) {
			/* nothing else to do */
		}
	}
	abort();
}

static void
oom(void)
{
	util_fatal("out of memory");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	p = realloc(p, n * size != 0 ? n * size : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t
util_utf8_decode(const void *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = s;
	uint32_t c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;	/* continuation byte, 0xc0/0xc1, 0xf5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* True when c has Unicode's Default_Ignorable_Code_Point property: a
 * character a terminal draws as nothing (zero-width spaces, joiners,
 * variation selectors, Hangul fillers, tags, bidirectional controls).
 * A binary search in the generated table. */
static bool
cp_ignorable(uint32_t c)
{
	size_t lo = 0, hi = sizeof unicode_ignorable /
	    sizeof unicode_ignorable[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < unicode_ignorable[mid][0])
			hi = mid;
		else if (c > unicode_ignorable[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* True for a code point that a terminal draws as a visible character.
 * False for controls (C0, DEL, C1: a UTF-8 terminal may act on U+009B
 * as a CSI), for the invisible and direction-changing characters that
 * can make one text look like another on screen (Unicode's
 * Default_Ignorable_Code_Point, which holds the bidirectional controls),
 * for the line and paragraph separators, the interlinear annotations and
 * the noncharacters. */
static bool
cp_shown(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return false;
	if (c < 0xad)
		return true;
	return !(cp_ignorable(c) ||
	    c == 0x2028 || c == 0x2029 ||		/* line/para sep. */
	    (c >= 0xfff9 && c <= 0xfffb) ||	/* interlinear annotations */
	    (c >= 0xfdd0 && c <= 0xfdef) ||	/* noncharacters */
	    (c & 0xfffe) == 0xfffe);		/* noncharacters */
}

bool
util_text_safe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t c;

	while (i < n) {
		k = util_utf8_decode(p + i, n - i, &c);
		if (k == 0 || !cp_shown(c))
			return false;
		i += k;
	}
	return true;
}

size_t
util_escape(const void *in, size_t n, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t o = 0, i, k;
	char tmp[5];
	size_t tl;
	uint32_t cp;

	if (outlen == 0)
		return 0;
	for (i = 0; i < n; i += k) {
		unsigned char c = p[i];

		k = 1;
		switch (c) {
		case '\n': memcpy(tmp, "\\n", 2); tl = 2; break;
		case '\r': memcpy(tmp, "\\r", 2); tl = 2; break;
		case '\t': memcpy(tmp, "\\t", 2); tl = 2; break;
		case '\\': memcpy(tmp, "\\\\", 2); tl = 2; break;
		default:
			k = util_utf8_decode(p + i, n - i, &cp);
			if (k > 0 && cp_shown(cp)) {
				/* A whole character goes through as it is. */
				memcpy(tmp, p + i, k);
				tl = k;
			} else {
				/* One byte at a time: the bytes after a
				 * bad lead byte are looked at afresh. */
				k = 1;
				tmp[0] = '\\';
				tmp[1] = 'x';
				tmp[2] = hex[c >> 4];
				tmp[3] = hex[c & 15];
				tl = 4;
			}
		}
		/* Keep room for "..." unless this is the last character. */
		if (o + tl + (i + k < n ? 3 : 0) >= outlen) {
			/* Back off to a character boundary: never leave a
			 * cut UTF-8 sequence (or escape) behind. */
			while (o + 3 >= outlen && o > 0) {
				o--;
				while (o > 0 &&
				    ((unsigned char)out[o] & 0xc0) == 0x80)
					o--;
			}
			if (o + 3 < outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, tl);
		o += tl;
	}
	out[o] = '\0';
	return o;
}

char *
util_escape_str(const char *s)
{
	size_t n = strlen(s), len = 4 * n + 4;
	char *out = xmalloc(len);

	/* Each byte becomes at most 4 ("\\xHH"): nothing is ever cut. */
	util_escape(s, n, out, len);
	return out;
}

bool
util_addr_is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return true;
	/* ::ffff:127.x.y.z is IPv4's loopback seen from IPv6. */
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

uint64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

char *
util_read_file(const char *path, size_t max, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int fd, saved;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer, nor a
	 * device for its carrier; fstat then refuses both before any read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = UTIL_ENOTREG;
		goto fail;
	}
	for (;;) {
		ssize_t r;

		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	if (buf == NULL)
		buf = xmalloc(1);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return NULL;
}

/* NAME, or NAME with -N before its suffix ("bar.py", "bar-2.py"). */
static char *
numbered(const char *name, int n)
{
	const char *dot = strrchr(name, '.');

	if (n == 1)
		return xstrdup(name);
	if (dot == NULL || dot == name)
		return xasprintf("%s-%d", name, n);
	return xasprintf("%.*s-%d%s", (int)(dot - name), name, n, dot);
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

char *
util_write_new(const char *name, const char *data, size_t len, char **cause)
{
	int n, fd, saved;
	char *path;

	for (n = 1; n <= UTIL_WRITE_NEW_MAX; n++) {
		path = numbered(name, n);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd == -1 && errno == EEXIST) {
			free(path);
			continue;
		}
		if (fd == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(path);
			return NULL;
		}
		if (write_all(fd, data, len) == -1 || close(fd) == -1) {
			saved = errno;
			unlink(path);
			*cause = xasprintf("%s: %s", path, strerror(saved));
			free(path);
			return NULL;
		}
		return path;
	}
	*cause = xasprintf("%s: %s", name, strerror(EEXIST));
	return NULL;
}

int
util_parse_num(const char *s, size_t n, long lo, long hi, long *out)
{
	bool neg = false;
	unsigned long v = 0, lim;
	size_t i = 0;

	if (n == (size_t)-1)
		n = strlen(s);
	if (n > 0 && s[0] == '-' && lo < 0) {
		neg = true;
		i = 1;
	}
	if (i == n)
		return -1;
	/* The largest magnitude the range allows, so that the digits
	 * cannot overflow on the way. */
	lim = neg ? (unsigned long)-(lo + 1) + 1 : hi < 0 ? 0 :
	    (unsigned long)hi;
	for (; i < n; i++) {
		unsigned long d = (unsigned long)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || d > lim || v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = !neg ? (long)v : v == 0 ? 0 : -(long)(v - 1) - 1;
	return *out < lo || *out > hi ? -1 : 0;
}

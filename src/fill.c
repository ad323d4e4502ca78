/* fill.c - lesson placeholders ({port}, {port_hex}, {addr},
 * {sysctl:NAME}) filled into text that has already been translated.
 * See fill.h. */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
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

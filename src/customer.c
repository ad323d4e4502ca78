/* customer.c - the bartender's side of a conversation with an outside
 * customer: splitting bytes into orders, recognising a browser, and
 * wording the replies.  Everything here works on buffers only, so that a
 * flood of junk can be tested (and fuzzed) without a socket in sight.
 * Whatever the customer sent is echoed back escaped (util_escape: an
 * accent goes through, a control never does), never raw. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "customer.h"
#include "util.h"

void
customer_init(struct customer *c)
{
	memset(c, 0, sizeof *c);
	c->first = true;
}

bool
customer_pending(const struct customer *c)
{
	return !c->done && (c->len > 0 || c->http);
}

/* How far a line reads as "METHOD TARGET HTTP/1.d\r*": the method is
 * 1-16 upper-case letters, the target any visible bytes. */
enum { H_METHOD, H_TARGET0, H_TARGET, H_VERSION, H_CR, H_NO };

static void
http_step(unsigned char *st, unsigned char *count, unsigned char ch)
{
	static const char version[] = "HTTP/1.";
	bool visible = ch > ' ' && ch < 0x7f;

	switch (*st) {
	case H_METHOD:
		if (ch >= 'A' && ch <= 'Z' && *count < 16)
			(*count)++;
		else
			*st = ch == ' ' && *count > 0 ? H_TARGET0 : H_NO;
		break;
	case H_TARGET0:
		*st = visible ? H_TARGET : H_NO;
		break;
	case H_TARGET:
		if (ch == ' ') {
			*st = H_VERSION;
			*count = 0;
		} else if (!visible) {
			*st = H_NO;
		}
		break;
	case H_VERSION:
		if (*count < 7 && ch == (unsigned char)version[*count])
			(*count)++;
		else if (*count == 7 && ch >= '0' && ch <= '9')
			*st = H_CR;
		else
			*st = H_NO;
		break;
	case H_CR:
		if (ch != '\r')
			*st = H_NO;
		break;
	default:
		break;
	}
}

bool
customer_is_http(const char *line, size_t n)
{
	unsigned char st = H_METHOD, count = 0;
	size_t i;

	for (i = 0; i < n && st != H_NO; i++)
		http_step(&st, &count, (unsigned char)line[i]);
	return st == H_CR;
}

/* Turns the line collected so far into an order and starts a new one. */
static void
take_line(struct customer *c, struct customer_order *o)
{
	memset(o, 0, sizeof *o);
	o->kind = CUSTOMER_ORDER;
	o->len = c->len;
	o->truncated = c->len > CUSTOMER_LINE_MAX;
	o->keptlen = c->keptlen;
	while (o->keptlen > 0 && c->kept[o->keptlen - 1] == '\r')
		o->keptlen--;
	memcpy(o->text, c->kept, o->keptlen);
	c->len = 0;
	c->keptlen = 0;
}

/* A line of the HTTP header block ended; returns true when it was the
 * blank line that closes the block (or the block grew too big). */
static bool
header_line(struct customer *c)
{
	bool blank = c->len == 0 || (c->len == 1 && c->kept[0] == '\r');

	c->len = 0;
	c->keptlen = 0;
	return blank || c->headbytes > CUSTOMER_HEAD_MAX;
}

static void
take_request(struct customer *c, struct customer_order *out)
{
	*out = c->request;
	c->http = false;
	c->done = true;
}

int
customer_feed(struct customer *c, const char **in, size_t *n,
    struct customer_order *out)
{
	while (*n > 0) {
		const char *p = *in;
		const char *nl;
		size_t chunk;

		if (c->done) {
			*in += *n;
			*n = 0;
			return 0;
		}
		nl = memchr(p, '\n', *n);
		chunk = nl != NULL ? (size_t)(nl - p) : *n;
		if (c->keptlen < CUSTOMER_KEEP) {
			size_t room = CUSTOMER_KEEP - c->keptlen;
			size_t k = chunk < room ? chunk : room;

			memcpy(c->kept + c->keptlen, p, k);
			c->keptlen += k;
		}
		if (c->first) {
			size_t i;

			for (i = 0; i < chunk && c->hstate != H_NO; i++)
				http_step(&c->hstate, &c->hcount,
				    (unsigned char)p[i]);
		}
		/* Saturate rather than overflow on an endless line. */
		c->len = c->len + chunk > c->len ? c->len + chunk : c->len;
		if (c->http)
			c->headbytes += chunk + (nl != NULL);
		*in += chunk + (nl != NULL);
		*n -= chunk + (nl != NULL);
		if (nl == NULL)
			return 0;
		if (c->http) {
			if (header_line(c)) {
				take_request(c, out);
				return 1;
			}
			continue;
		}
		if (c->first) {
			c->first = false;
			if (c->len <= CUSTOMER_LINE_MAX &&
			    c->hstate == H_CR) {
				take_line(c, &c->request);
				c->request.kind = CUSTOMER_HTTP;
				c->request.head =
				    memcmp(c->request.text, "HEAD ", 5) == 0;
				c->http = true;
				continue;
			}
		}
		take_line(c, out);
		return 1;
	}
	return 0;
}

int
customer_quiet(struct customer *c, struct customer_order *out)
{
	if (!customer_pending(c))
		return 0;
	if (c->http) {
		take_request(c, out);
		return 1;
	}
	c->first = false;
	take_line(c, out);
	return 1;
}

size_t
customer_reply(const struct customer_order *o, char *buf, size_t len)
{
	char esc[64];
	int r;

	util_escape(o->text, o->keptlen, esc, sizeof esc);
	if (o->keptlen == 0 && o->len == 0)
		r = snprintf(buf, len, "Welcome to the bar! Type what you "
		    "would like and press Enter.\n");
	else if (o->truncated || o->keptlen < o->len)
		r = snprintf(buf, len, "Here you are: \"%s\" is served "
		    "(that was a long order: %zu bytes, I read the first "
		    "%d). Cheers!\n", esc, o->len, CUSTOMER_LINE_MAX);
	else
		r = snprintf(buf, len, "Here you are: \"%s\" is served. "
		    "Cheers!\n", esc);
	if (r < 0)
		return 0;
	return (size_t)r < len ? (size_t)r : len > 0 ? len - 1 : 0;
}

size_t
customer_http(const struct customer_order *o, char *buf, size_t len)
{
	char esc[96], body[256];
	int b, r;

	util_escape(o->text, o->keptlen, esc, sizeof esc);
	b = snprintf(body, sizeof body, "Hello from the socktutor bar!\n"
	    "You asked: %s\n"
	    "This answer came from a real TCP socket on this machine.\n",
	    esc);
	if (b < 0)
		return 0;
	r = snprintf(buf, len, "HTTP/1.0 200 OK\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n"
	    "\r\n%s", b, o->head ? "" : body);
	if (r < 0)
		return 0;
	return (size_t)r < len ? (size_t)r : len > 0 ? len - 1 : 0;
}

size_t
customer_full(unsigned inside, char *buf, size_t len)
{
	int r = snprintf(buf, len, "Sorry, the bar is full right now: %u "
	    "customer%s inside, as many as the bartender can serve. Please "
	    "come back in a little while!\n", inside, inside == 1 ? " is" :
	    "s are");

	if (r < 0)
		return 0;
	return (size_t)r < len ? (size_t)r : len > 0 ? len - 1 : 0;
}

size_t
customer_full_address(unsigned max, char *buf, size_t len)
{
	int r = snprintf(buf, len, "Sorry, the bar is full for your "
	    "address: %u customer%s from it %s inside already, the most it "
	    "lets in from one address. Please come back when one has "
	    "left!\n", max, max == 1 ? "" : "s", max == 1 ? "is" : "are");

	if (r < 0)
		return 0;
	return (size_t)r < len ? (size_t)r : len > 0 ? len - 1 : 0;
}

size_t
customer_idle(unsigned idle_ms, char *buf, size_t len)
{
	int r = snprintf(buf, len, "You have been quiet for %u seconds: "
	    "closing your tab. Come back any time!\n",
	    (idle_ms + 999) / 1000);

	if (r < 0)
		return 0;
	return (size_t)r < len ? (size_t)r : len > 0 ? len - 1 : 0;
}

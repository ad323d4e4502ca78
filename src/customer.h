/* customer.h - the little protocol the bartender speaks with customers
 * from other programs (nc, a Python client, a browser).  Pure functions
 * over bytes and a small state: no sockets, no clocks, so that tests and
 * fuzzers can drive them directly.
 *
 * An order is a line ending in '\n' (or what arrived before a quiet
 * pause: see customer_quiet).  A line longer than CUSTOMER_LINE_MAX is
 * cut: the rest up to the '\n' is discarded and the order is answered
 * once.  When the very first line is an HTTP request line, the header
 * block that follows is read and the request is answered as HTTP. */
#ifndef SOCKTUTOR_CUSTOMER_H
#define SOCKTUTOR_CUSTOMER_H

#include <stdbool.h>
#include <stddef.h>

#define CUSTOMER_LINE_MAX 4096	/* bytes of a line that count */
#define CUSTOMER_KEEP 256	/* bytes of an order kept for the reply */
#define CUSTOMER_HEAD_MAX 16384	/* an HTTP header block is cut here */
#define CUSTOMER_REPLY_MAX 512	/* room enough for any reply but HTTP's */
#define CUSTOMER_HTTP_MAX 1024	/* room enough for the HTTP answer */

enum customer_kind {
	CUSTOMER_ORDER,		/* a line: answer with customer_reply */
	CUSTOMER_HTTP		/* an HTTP request: customer_http, then close */
};

/* What a customer asked for. */
struct customer_order {
	enum customer_kind kind;
	char text[CUSTOMER_KEEP];	/* raw bytes kept (no '\n', no '\r') */
	size_t keptlen;		/* bytes in text */
	size_t len;		/* the line's full length, as received */
	bool truncated;		/* longer than CUSTOMER_LINE_MAX */
	bool head;		/* HTTP HEAD: no body */
};

/* The state of one connection.  Zero it with customer_init. */
struct customer {
	size_t len;		/* bytes of the current line so far */
	size_t keptlen;
	char kept[CUSTOMER_KEEP];
	bool first;		/* no line has ended yet */
	bool http;		/* reading an HTTP header block */
	bool done;		/* HTTP answered: ignore whatever follows */
	size_t headbytes;	/* bytes of the header block so far */
	unsigned char hstate;	/* first line: how far it reads as an HTTP
				 * request line (customer.c), byte by byte,
				 * however long its target */
	unsigned char hcount;	/* bytes into the method or the version */
	struct customer_order request;	/* the HTTP request line */
};

/* Start a new connection's state. */
void customer_init(struct customer *c);

/* Consume bytes from *in (advancing *in and *n) until an order or an
 * HTTP request is complete.  Returns 1 with *out filled, or 0 when every
 * byte was consumed without completing one. */
int customer_feed(struct customer *c, const char **in, size_t *n,
    struct customer_order *out);

/* True when part of a line (or of a header block) has arrived. */
bool customer_pending(const struct customer *c);

/* The customer has been quiet: take what arrived as the order.  Returns
 * 1 with *out filled, 0 when nothing was pending. */
int customer_quiet(struct customer *c, struct customer_order *out);

/* True when line (n bytes, without '\n') looks like "GET /x HTTP/1.1".
 * customer_feed recognises the first line the same way as it arrives,
 * so that a target longer than CUSTOMER_KEEP is still a request. */
bool customer_is_http(const char *line, size_t n);

/* The one-line answer to an order, in buf (NUL-terminated, always ends
 * with '\n'; before it only text that passes util_text_safe: printable
 * ASCII and visible UTF-8 characters).  Returns its length. */
size_t customer_reply(const struct customer_order *o, char *buf,
    size_t len);

/* A complete HTTP/1.0 response to a request.  Returns its length. */
size_t customer_http(const struct customer_order *o, char *buf, size_t len);

/* The line for a newcomer when the bar is full: why, and how many are
 * inside.  Returns its length. */
size_t customer_full(unsigned inside, char *buf, size_t len);

/* The line for a newcomer whose address has max customers inside
 * already (the bar's cap per address).  Returns its length. */
size_t customer_full_address(unsigned max, char *buf, size_t len);

/* The line for a customer closed after being idle for idle_ms. */
size_t customer_idle(unsigned idle_ms, char *buf, size_t len);

#endif

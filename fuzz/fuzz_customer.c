/* fuzz_customer.c - libFuzzer harness for the bartender's protocol: any
 * bytes, cut into any pieces, must give orders no longer than what was
 * kept, replies that are one line of printable ASCII, and HTTP answers
 * whose Content-Length is right; never a crash or an overrun. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_line(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || strlen(s) != n || s[n - 1] != '\n')
		abort();
	for (i = 0; i + 1 < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
}

static void
answer(const struct customer_order *o)
{
	char buf[CUSTOMER_HTTP_MAX];
	const char *body, *cl;
	size_t n;

	if (o->keptlen > CUSTOMER_KEEP || o->keptlen > o->len + 1)
		abort();
	if (o->kind == CUSTOMER_ORDER) {
		n = customer_reply(o, buf, sizeof buf);
		check_line(buf, n);
		return;
	}
	n = customer_http(o, buf, sizeof buf);
	body = strstr(buf, "\r\n\r\n");
	cl = strstr(buf, "Content-Length: ");
	if (strlen(buf) != n || body == NULL || cl == NULL ||
	    strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) != 0)
		abort();
	if (!o->head && strtoul(cl + 16, NULL, 10) != strlen(body + 4))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customer c;
	struct customer_order o;
	size_t i = 0;

	customer_init(&c);
	/* Each piece: one byte of length (0 = a quiet pause), then bytes. */
	while (i < size) {
		size_t len = data[i++];
		const char *p = (const char *)data + i;

		if (len == 0) {
			if (customer_quiet(&c, &o) == 1)
				answer(&o);
			continue;
		}
		if (len > size - i)
			len = size - i;
		i += len;
		while (len > 0) {
			size_t before = len;

			if (customer_feed(&c, &p, &len, &o) == 1)
				answer(&o);
			else if (len != 0)
				abort();	/* 0 means all was consumed */
			if (len > before)
				abort();
		}
	}
	if (customer_quiet(&c, &o) == 1)
		answer(&o);
	return 0;
}

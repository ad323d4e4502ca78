/* fuzz_customer.c - libFuzzer harness for what the bartender does with
 * bytes from outside customers (customer.c, as lab.c drives it).  The
 * first two input bytes choose how the rest is cut into reads and where
 * the customer falls quiet; the rest is the byte stream.  Checked:
 *  - cutting the stream differently never changes the orders it makes;
 *  - every reply is one line with no control sequence in it (valid
 *    UTF-8 of visible characters, by util_text_safe and by glibc's own
 *    decoder: no code point that is a control, C0, DEL or C1, and none
 *    of Unicode's Default_Ignorable_Code_Point set, looked up in the
 *    generated table by a plain scan), every HTTP answer a well-formed response whose
 *    Content-Length is right and whose lines are as clean;
 *  - what goes into events (and a guest's "last order") is as clean,
 *    and terminated within its field;
 *  - no order keeps more than its caps, and nothing is answered after an
 *    HTTP request. */
#include "config.h"

#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "customer.h"
#include "unicode_ignorable.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ORDERS 4096

struct seen {
	struct customer_order o[MAX_ORDERS];
	size_t n;
};

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Set once: glibc decodes UTF-8 for the second opinion. */
static bool glibc_utf8;

/* A plain scan of Unicode's ranges: no shared code with util.c. */
static bool
default_ignorable(uint32_t c)
{
	size_t i;

	for (i = 0; i < sizeof unicode_ignorable /
	    sizeof unicode_ignorable[0]; i++)
		if (c >= unicode_ignorable[i][0] && c <= unicode_ignorable[i][1])
			return true;
	return false;
}

/* n bytes of s hold no control byte and are valid UTF-8 of visible
 * characters: by our own rule, and (independently) by glibc's. */
static void
check_clean(const char *s, size_t n)
{
	mbstate_t st;
	size_t i, k;
	wchar_t w;

	for (i = 0; i < n; i++)
		check((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	check(util_text_safe(s, n));
	if (!glibc_utf8)
		return;
	memset(&st, 0, sizeof st);
	for (i = 0; i < n; i += k) {
		k = mbrtowc(&w, s + i, n - i, &st);
		check(k != (size_t)-1 && k != (size_t)-2 && k != 0);
		check(!iswcntrl((wint_t)w));
		check(w >= 0x20 && !(w >= 0x7f && w <= 0x9f));
		check(!default_ignorable((uint32_t)w));
	}
}

static void
check_printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	check(n < cap);
	check_clean(s, n);
}

/* The sizes lab.c uses for its event payload and a guest's last order. */
static void
check_event_fields(const struct customer_order *o)
{
	char data[64], last[48];

	util_escape(o->text, o->keptlen, data, sizeof data);
	check_printable(data, sizeof data);
	util_escape(o->text, o->keptlen, last, sizeof last);
	check_printable(last, sizeof last);
}

static void
check_reply(const struct customer_order *o)
{
	char buf[CUSTOMER_HTTP_MAX];
	size_t n = customer_reply(o, buf, CUSTOMER_REPLY_MAX);

	/* It fits: a cut reply would have lost its '\n'. */
	check(n > 0 && n < CUSTOMER_REPLY_MAX - 1 && strlen(buf) == n);
	check(buf[n - 1] == '\n');
	check_clean(buf, n - 1);
}

static void
check_http(const struct customer_order *o)
{
	char buf[CUSTOMER_HTTP_MAX];
	const char *cl, *body, *line, *end;
	size_t n = customer_http(o, buf, sizeof buf);
	long want;

	check(n > 0 && n < sizeof buf - 1 && strlen(buf) == n);
	check(strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) == 0);
	/* Line by line: between the line ends, only clean text. */
	for (line = buf; *line != '\0'; line = end + 1) {
		end = strchr(line, '\n');
		check(end != NULL);
		check_clean(line, (size_t)(end - line) -
		    (end > line && end[-1] == '\r'));
	}
	cl = strstr(buf, "\r\nContent-Length: ");
	body = strstr(buf, "\r\n\r\n");
	check(cl != NULL && body != NULL && cl < body);
	want = strtol(cl + 18, NULL, 10);
	body += 4;
	if (o->head)
		check(*body == '\0' && want > 0);
	else
		check(want == (long)strlen(body));
}

static void
check_order(const struct customer_order *o)
{
	size_t i;

	check(o->keptlen <= CUSTOMER_KEEP && o->keptlen <= o->len);
	check(o->truncated == (o->len > CUSTOMER_LINE_MAX));
	for (i = 0; i < o->keptlen; i++)
		check(o->text[i] != '\n');
	check(o->keptlen == 0 || o->text[o->keptlen - 1] != '\r');
	check_event_fields(o);
	if (o->kind == CUSTOMER_HTTP) {
		/* The kept text is all of the line only when short. */
		check(o->len > CUSTOMER_KEEP ||
		    customer_is_http(o->text, o->keptlen));
		check_http(o);
	} else {
		check(o->kind == CUSTOMER_ORDER && !o->head);
		check_reply(o);
	}
}

static void
record(struct seen *s, const struct customer_order *o)
{
	check_order(o);
	if (s->n < MAX_ORDERS)
		s->o[s->n++] = *o;
}

static int
same(const struct customer_order *a, const struct customer_order *b)
{
	return a->kind == b->kind && a->keptlen == b->keptlen &&
	    a->len == b->len && a->truncated == b->truncated &&
	    a->head == b->head && memcmp(a->text, b->text, a->keptlen) == 0;
}

/* A small generator, so that one seed gives a whole cutting. */
static unsigned
next(unsigned *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Feeds the stream as lab.c does: read by read (seed 0: all at once), taking every order that
 * completes, and (when quiet is set) sometimes falling quiet between
 * reads.  Stops as lab.c does once an HTTP request was answered. */
static void
run(const char *p, size_t n, unsigned seed, int quiet, struct seen *s)
{
	struct customer c;
	struct customer_order o;
	unsigned x = seed | 1;
	int http = 0;

	customer_init(&c);
	while (n > 0 && !http) {
		size_t len = seed == 0 ? n :
		    1 + next(&x) % (next(&x) % 4 == 0 ? 4096 : 64);
		const char *q = p;
		size_t m = len < n ? len : n;

		p += m;
		n -= m;
		while (m > 0 && !http) {
			size_t before = m;

			if (customer_feed(&c, &q, &m, &o) == 1) {
				record(s, &o);
				http = o.kind == CUSTOMER_HTTP;
			} else {
				check(m == 0);
			}
			check(m < before || http);
		}
		check(c.keptlen <= CUSTOMER_KEEP);
		if (quiet && !http && next(&x) % 8 == 0 &&
		    customer_quiet(&c, &o) == 1) {
			record(s, &o);
			http = o.kind == CUSTOMER_HTTP;
		}
	}
	/* The customer closes: what is pending counts. */
	if (!http && customer_quiet(&c, &o) == 1)
		record(s, &o);
	check(customer_quiet(&c, &o) == 0 && !customer_pending(&c));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole, cut, quiet;
	static bool ready;
	unsigned seed;
	size_t i;

	if (!ready) {
		glibc_utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
		ready = true;
	}
	if (size < 2)
		return 0;
	seed = ((unsigned)data[0] << 8 | data[1]) + 1;
	data += 2;
	size -= 2;
	whole.n = cut.n = quiet.n = 0;
	run((const char *)data, size, 0, 0, &whole);
	run((const char *)data, size, seed, 0, &cut);
	check(whole.n == cut.n);
	for (i = 0; i < whole.n; i++)
		check(same(&whole.o[i], &cut.o[i]));
	/* With pauses the orders may differ, but the rules still hold. */
	run((const char *)data, size, seed, 1, &quiet);
	return 0;
}

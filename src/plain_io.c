/* plain_io.c - plain mode's lines in and out: every byte printed goes
 * through pio_put(), which turns control characters into '?', text is
 * wrapped at 78 columns by display width, and stdin is read a line at a
 * time with read(2), so that poll() can tell whether a whole line is
 * waiting.  Also the step's text, code and narrated blocks as lines. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "narrate.h"
#include "plain_io.h"
#include "util.h"

#define WRAP 78

/* Writes s to stdout with every control character (but '\n') and every
 * invalid byte replaced: whatever the text came from, no escape sequence
 * reaches the terminal.  Tabs become spaces. */
void
pio_put(const char *s)
{
	mbstate_t st;
	size_t n = strlen(s);

	memset(&st, 0, sizeof st);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			putchar('?');
			s++;
			n--;
			continue;
		}
		if (k == 0)
			break;
		if (wc == L'\n')
			putchar('\n');
		else if (wc == L'\t')
			fputs("    ", stdout);
		else if (iswcntrl((wint_t)wc) || wc == 0x7f ||
		    (wc >= 0x80 && wc < 0xa0))
			putchar('?');
		else
			fwrite(s, 1, k, stdout);
		s += k;
		n -= k;
	}
}

void
pio_putln(const char *s)
{
	pio_put(s);
	putchar('\n');
}


/* printf, then pio_wrap() without indentation. */
void __attribute__((format(printf, 1, 2)))
pio_say(const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		text = NULL;
	va_end(ap);
	if (text == NULL) {
		/* Out of memory: the line is lost, the run goes on. */
		return;
	}
	pio_wrap(text, "", "");
	free(text);
}

/* The display width of one word. */
static size_t
width(const char *s, size_t n)
{
	mbstate_t st;
	size_t w = 0;

	memset(&st, 0, sizeof st);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		w += (size_t)cw;
		s += k;
		n -= k;
	}
	return w;
}

/* Prints text wrapped at WRAP columns by display width: the first line
 * starts with first, the others with rest (both counted in the width).
 * A word longer than a line gets a line of its own, uncut. */
void
pio_wrap(const char *text, const char *first, const char *rest)
{
	const char *p = text, *lead = first;
	size_t col = 0;
	bool any = false;

	while (*p != '\0') {
		const char *w;
		size_t n, ww;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		n = (size_t)(p - w);
		ww = width(w, n);
		if (any && col + 1 + ww > WRAP) {
			putchar('\n');
			any = false;
			lead = rest;
		}
		if (!any) {
			pio_put(lead);
			col = width(lead, strlen(lead));
		} else {
			putchar(' ');
			col++;
		}
		{
			char *word = xstrndup(w, n);

			pio_put(word);
			free(word);
		}
		col += ww;
		any = true;
	}
	if (any || lead == first)
		putchar('\n');
}

/* Reads what stdin has into the buffer; waits at most timeout_ms (-1:
 * forever).  Returns false on timeout. */
bool
pio_input_fill(struct pio_input *in, int timeout_ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	ssize_t r;
	int rc;

	if (in->eof)
		return true;
	rc = poll(&pfd, 1, timeout_ms);
	if (rc == 0)
		return false;
	if (rc == -1)
		return errno == EINTR ? false : (in->eof = true);
	if (in->len == sizeof in->buf) {
		/* No newline in a full buffer: keep the start of the line,
		 * drop the rest up to its newline. */
		in->overflow = true;
		in->len = sizeof in->buf - 1;
	}
	r = read(STDIN_FILENO, in->buf + in->len, sizeof in->buf - in->len);
	if (r == -1 && errno == EINTR)
		return true;
	if (r <= 0) {
		in->eof = true;
		return true;
	}
	if (in->overflow) {
		char *nl = memchr(in->buf + in->len, '\n', (size_t)r);

		if (nl == NULL)
			return true;
		memmove(in->buf + in->len, nl, (size_t)(in->buf + in->len +
		    r - nl));
		r = in->buf + in->len + r - nl;
		in->overflow = false;
	}
	in->len += (size_t)r;
	return true;
}

bool
pio_input_ready(const struct pio_input *in)
{
	return memchr(in->buf, '\n', in->len) != NULL ||
	    (in->eof && in->len > 0);
}

/* The next line without its newline (and trailing blanks) in out.
 * Returns false at end of input. */
bool
pio_input_line(struct pio_input *in, char *out, size_t outlen)
{
	char *nl;
	size_t n, take;

	while (!pio_input_ready(in) && !in->eof)
		pio_input_fill(in, -1);
	if (!pio_input_ready(in))
		return false;
	nl = memchr(in->buf, '\n', in->len);
	n = nl != NULL ? (size_t)(nl - in->buf) : in->len;
	take = n < outlen - 1 ? n : outlen - 1;
	memcpy(out, in->buf, take);
	while (take > 0 && (out[take - 1] == ' ' || out[take - 1] == '\r' ||
	    out[take - 1] == '\t'))
		take--;
	out[take] = '\0';
	n += nl != NULL;
	memmove(in->buf, in->buf + n, in->len - n);
	in->len -= n;
	return true;
}

/* Skips leading blanks of a typed answer. */
const char *
pio_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool
pio_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	long v;

	if (util_parse_num(pio_skip_blanks(s), (size_t)-1, 0, (long)max,
	    &v) == -1)
		return false;
	*out = (unsigned long)v;
	return true;
}

/* The step's code as the lab runs it, exactly as the screen shows it
 * (narrate_code_shown: the real port, --backlog in listen()). */
void
pio_print_code(const struct lesson_step *step, int backlog)
{
	size_t i;

	for (i = 0; i < step->ncode; i++) {
		const struct lesson_code *c = &step->code[i];
		char *real = narrate_code_shown(c, backlog);
		const char *p = real, *label;
		int line = 1;

		label = strcmp(c->lang, "c") == 0 ? "C" :
		    strcmp(c->lang, "python") == 0 ? "Python" :
		    strcmp(c->lang, "sh") == 0 ? "Shell" : c->lang;
		pio_put(label);
		puts(":");
		for (;;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
			char *text = xstrndup(p, n);

			/* The marked line stands out without colour. */
			if (n > 0 || line == c->mark)
				pio_put(line == c->mark ? "  > " : "    ");
			pio_putln(text);
			free(text);
			if (nl == NULL)
				break;
			p = nl + 1;
			line++;
		}
		putchar('\n');
		free(real);
	}
}

void
pio_print_text(const struct lesson_step *step)
{
	size_t i;

	for (i = 0; i < step->nblocks; i++) {
		const struct lesson_block *b = &step->blocks[i];

		if (b->text.msgid == NULL)
			continue;
		if (b->kind == LESSON_ITEM) {
			pio_wrap(narrate_lesson(b->text.msgid), "- ", "  ");
			/* A list ends with a blank line. */
			if (i + 1 == step->nblocks ||
			    step->blocks[i + 1].kind != LESSON_ITEM)
				putchar('\n');
		} else {
			pio_wrap(narrate_lesson(b->text.msgid), "", "");
			putchar('\n');
		}
	}
}

/* Lines worded by narrate_step.c, as the screen words them: a heading
 * from the margin, the rest indented. */
void
pio_print_narrated(const struct narrate_lines *N)
{
	size_t i;

	for (i = 0; i < N->n; i++) {
		const struct narrate_line *l = &N->v[i];
		char first[40];

		switch (l->part) {
		case NARRATE_HEAD:
		case NARRATE_HINT:
			pio_wrap(l->text, l->prefix, "  ");
			break;
		case NARRATE_CHOICE:
			snprintf(first, sizeof first, " %s", l->prefix);
			pio_wrap(l->text, first, "     ");
			break;
		case NARRATE_FEEDBACK:
		case NARRATE_LINE:
			pio_wrap(l->text, "  ", "  ");
			break;
		}
	}
}


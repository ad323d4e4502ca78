/* plain_io.h - plain mode's lines in and out (see plain_io.c). */
#ifndef SOCKTUTOR_PLAIN_IO_H
#define SOCKTUTOR_PLAIN_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson.h"
#include "narrate_step.h"

/* Lines from stdin, read with read(2) so that poll() can tell whether a
 * whole line is waiting without consuming it. */
struct pio_input {
	char buf[1024];
	size_t len;
	bool eof;
	bool overflow;		/* discarding the rest of an overlong line */
};


/* s to stdout, control characters and invalid bytes as '?', tabs as four
 * spaces; pio_putln adds a newline. */
void pio_put(const char *s);
void pio_putln(const char *s);
/* printf, then pio_wrap() without indentation. */
void pio_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* text wrapped at 78 columns by display width: the first line starts
 * with first, the others with rest.  A word longer than a line gets a
 * line of its own, uncut. */
void pio_wrap(const char *text, const char *first, const char *rest);

/* Reads what stdin has into in; waits at most timeout_ms (-1: forever).
 * Returns false on timeout. */
bool pio_input_fill(struct pio_input *in, int timeout_ms);
/* True when a whole line (or the last, unfinished one) is waiting. */
bool pio_input_ready(const struct pio_input *in);
/* The next line without its newline and trailing blanks in out; false at
 * end of input. */
bool pio_input_line(struct pio_input *in, char *out, size_t outlen);
/* s past its leading blanks. */
const char *pio_skip_blanks(const char *s);
/* A number from 0 to max, leading blanks allowed, into *out. */
bool pio_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* The step's paragraphs and list items, wrapped. */
void pio_print_text(const struct lesson_step *step);
/* The step's code as the screen shows it (narrate_code_shown), with the
 * marked line flagged by "> "; backlog as --backlog gave it. */
void pio_print_code(const struct lesson_step *step, int backlog);
/* Lines worded by narrate_step.c: a heading from the margin, the rest
 * indented. */
void pio_print_narrated(const struct narrate_lines *N);

#endif

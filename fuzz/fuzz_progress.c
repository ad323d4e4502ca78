/* fuzz_progress.c - libFuzzer harness for the progress-file reader: any
 * bytes either give a progress (every string in it NUL-terminated and made
 * of the characters the writer allows) or -1 with a cause naming a line,
 * never a crash, a leak or a read out of bounds.  A progress that was read
 * is written back in the file's format and read again: it must come back
 * the same, so whatever the reader accepts, the writer can keep. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_id(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap), i;

	if (n == cap)
		abort();	/* not terminated */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			abort();
}

/* The file's format, written independently of progress.c's writer. */
static size_t
write_back(const struct progress *p, char *buf, size_t cap)
{
	size_t n, i;

	n = (size_t)snprintf(buf, cap, "socktutor-progress 1\n");
	if (p->lesson[0] != '\0')
		n += (size_t)snprintf(buf + n, cap - n, "lesson %s\nstep %u\n",
		    p->lesson, p->step);
	if (p->lang[0] != '\0')
		n += (size_t)snprintf(buf + n, cap - n, "lang %s\n", p->lang);
	for (i = 0; i < p->ndone; i++)
		n += (size_t)snprintf(buf + n, cap - n, "done %s\n",
		    p->done[i]);
	if (n >= cap)
		abort();
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[64 + PROGRESS_MAX_ITEMS * (PROGRESS_ID_MAX + 8)];
	struct progress p, q;
	char *cause = NULL;
	size_t i, n;
	int rc;

	rc = progress_parse((const char *)data, size, &p, &cause);
	if (rc == -1) {
		if (cause == NULL || strncmp(cause, "line ", 5) != 0)
			abort();
		free(cause);
		return 0;
	}
	if (rc != 1 || cause != NULL || p.ndone > PROGRESS_MAX_ITEMS)
		abort();
	check_id(p.lesson, sizeof p.lesson);
	check_id(p.lang, sizeof p.lang);
	for (i = 0; i < p.ndone; i++) {
		check_id(p.done[i], sizeof p.done[i]);
		if (p.done[i][0] == '\0' || !progress_is_done(&p, p.done[i]))
			abort();
	}
	/* The round trip.  A step without a lesson is not written. */
	if (p.lesson[0] == '\0')
		p.step = 0;
	n = write_back(&p, text, sizeof text);
	if (progress_parse(text, n, &q, &cause) != 1)
		abort();
	if (strcmp(p.lesson, q.lesson) != 0 || p.step != q.step ||
	    strcmp(p.lang, q.lang) != 0 || p.ndone != q.ndone)
		abort();
	for (i = 0; i < p.ndone; i++)
		if (strcmp(p.done[i], q.done[i]) != 0)
			abort();
	return 0;
}

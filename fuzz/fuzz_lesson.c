/* fuzz_lesson.c - libFuzzer harness for the lesson parser: any bytes must
 * either parse into a lesson or give a FILE:LINE cause, never crash, leak
 * or read out of bounds.  A parsed lesson is walked whole: its texts hold
 * no control character and no bidirectional control, and every "@mark"
 * stays inside its file. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(const struct lesson_text *t, void *arg)
{
	const unsigned char *s = (const unsigned char *)t->msgid;
	size_t *n = arg, i;

	for (i = 0; s[i] != '\0'; i++) {
		/* C0, DEL, C1 (U+0080..U+009F is C2 80..C2 9F), and the
		 * bidirectional controls U+202A..U+202E, U+2066..U+2069. */
		if (s[i] < 0x20 || s[i] == 0x7f ||
		    (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) ||
		    (s[i] == 0xe2 && s[i + 1] == 0x80 && s[i + 2] >= 0xaa &&
		    s[i + 2] <= 0xae) ||
		    (s[i] == 0xe2 && s[i + 1] == 0x81 && s[i + 2] >= 0xa6 &&
		    s[i + 2] <= 0xa9))
			abort();
	}
	*n += i;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct lesson *l;
	size_t n = 0, i, j;

	l = lesson_parse("lessons/01-fuzz.lesson", (const char *)data, size,
	    &cause);
	if (l == NULL) {
		/* Every refusal names the file and a line. */
		if (cause == NULL || strncmp(cause, "lessons/01-fuzz.lesson:",
		    23) != 0)
			abort();
		free(cause);
		return 0;
	}
	lesson_foreach_text(l, touch, &n);
	for (i = 0; i < l->nsteps; i++) {
		const struct lesson_step *st = &l->steps[i];

		for (j = 0; j < st->nmarks; j++)
			if (st->marks[j].file >= l->nfiles ||
			    st->marks[j].last >
			    l->files[st->marks[j].file].nlines)
				abort();
	}
	lesson_free(l);
	return 0;
}

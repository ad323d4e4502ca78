/* fuzz_lesson.c - libFuzzer harness for the lesson parser: any bytes must
 * either parse into a lesson or give a FILE:LINE cause, never crash, leak
 * or read out of bounds.  A parsed lesson is walked whole. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(const struct lesson_text *t, void *arg)
{
	size_t *n = arg;

	*n += strlen(t->msgid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct lesson *l;
	size_t n = 0;

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
	lesson_free(l);
	return 0;
}

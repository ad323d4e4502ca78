/* lesson_parse.h - the directive parser behind lesson_parse (lesson.c)
 * and the "@file"/"@mark" helpers it uses, private to the lesson model. */
#ifndef SOCKTUTOR_LESSON_PARSE_H
#define SOCKTUTOR_LESSON_PARSE_H

#include <stddef.h>

#include "lesson.h"

/* Parses the lines of buf (UTF-8 already checked, no controls) into l,
 * whose path, id and order are set.  Returns 0, or -1 with *cause set to
 * a malloc'd "NAME:LINE: what was expected"; l then holds a part of the
 * lesson, for lesson_free. */
int lesson_parse_body(struct lesson *l, const char *name, const char *buf,
    size_t len, char **cause);

/* lesson_file.c: */

/* "N" from 1 to 999 at the start of s into *out, *end after it; -1 when
 * s does not start with such a number. */
int lesson_line_number(const char *s, const char **end, int *out);

/* "N" or "N-M" (the whole of s, N <= M) into *first and *last; -1 when
 * s is not that. */
int lesson_line_range(const char *s, int *first, int *last);

/* A "@file" name's language: "c" for NAME.c, "python" for NAME.py; NULL
 * for any other name, or one with characters outside [A-Za-z0-9._-]. */
const char *lesson_file_lang(const char *name);

/* Points m at l's file called name.  Returns NULL, or a malloc'd "what
 * was expected" (no such file, or m goes past its end). */
char *lesson_mark_resolve(const struct lesson *l, const char *name,
    struct lesson_mark *m);

#endif

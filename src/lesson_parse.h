/* lesson_parse.h - the directive parser behind lesson_parse (lesson.c),
 * private to the lesson model. */
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

#endif

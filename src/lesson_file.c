/* lesson_file.c - a lesson's complete programs ("@file") and the lines
 * its steps mark in them ("@mark"): the names and line numbers the parser
 * accepts, and finding a file and a marked line.  Pure functions over the
 * lesson model. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "lesson_parse.h"
#include "util.h"

int
lesson_line_number(const char *s, const char **end, int *out)
{
	size_t n = strspn(s, "0123456789");
	long v;

	if (util_parse_num(s, n, 1, 999, &v) == -1)
		return -1;
	*end = s + n;
	*out = (int)v;
	return 0;
}

int
lesson_line_range(const char *s, int *first, int *last)
{
	const char *end;

	if (lesson_line_number(s, &end, first) == -1)
		return -1;
	*last = *first;
	if (*end == '-' && lesson_line_number(end + 1, &end, last) == -1)
		return -1;
	return *end == '\0' && *last >= *first ? 0 : -1;
}

const char *
lesson_file_lang(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > 64 || name[0] == '.')
		return NULL;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-')
			return NULL;
	if (n > 2 && strcmp(name + n - 2, ".c") == 0)
		return "c";
	if (n > 3 && strcmp(name + n - 3, ".py") == 0)
		return "python";
	return NULL;
}

char *
lesson_mark_resolve(const struct lesson *l, const char *name,
    struct lesson_mark *m)
{
	size_t f;

	for (f = 0; f < l->nfiles; f++)
		if (strcmp(l->files[f].name, name) == 0)
			break;
	if (f == l->nfiles)
		return xasprintf("'@mark' names '%s', but no '@file' of this "
		    "lesson has that name", name);
	if (m->last > l->files[f].nlines)
		return xasprintf("'@mark' goes past the end of '%s' (%d "
		    "lines)", name, l->files[f].nlines);
	m->file = f;
	return NULL;
}

const struct lesson_file *
lesson_file_find(const struct lesson *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nfiles; i++)
		if (strcmp(l->files[i].name, name) == 0)
			return &l->files[i];
	return NULL;
}

bool
lesson_step_marks(const struct lesson_step *s, size_t file, int line)
{
	size_t i;

	for (i = 0; i < s->nmarks; i++)
		if (s->marks[i].file == file && line >= s->marks[i].first &&
		    line <= s->marks[i].last)
			return true;
	return false;
}

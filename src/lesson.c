/* lesson.c - reads lesson files (lessons/README.md describes the format)
 * into the lesson model: checks the bytes (UTF-8, no control or
 * bidirectional-control characters) and the file name, then hands the
 * lines to lesson_parse.c; loads a directory of lessons; holds the msgid
 * normalisation rule that the .pot extractor shares.  Any error names
 * FILE:LINE and what was expected; a lesson is parsed whole or not at
 * all. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "lesson_parse.h"
#include "util.h"

#define LESSON_MAX_BYTES (1024 * 1024)

/* Grow a dynamic array by one zeroed element and return it. */
#define PUSH(arr, n) \
	((arr) = xreallocarray((arr), (n) + 1, sizeof *(arr)), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

char *
lesson_normalise(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;
	int blank = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = 1;
			continue;
		}
		if (blank && o > 0)
			out[o++] = ' ';
		blank = 0;
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

/* Characters that change the direction of the text around them: they
 * can make a line look like something other than what it is. */
static int
is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Checks that buf is UTF-8 without NUL bytes; *bad gets the line. */
static int
valid_utf8(const char *buf, size_t len, int *bad)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, k;
	int line = 1;
	uint32_t cp;

	for (; i < len; i += k) {
		k = 1;
		if (s[i] == '\n')
			line++;
		else if (s[i] == 0 ||
		    (s[i] >= 0x80 &&
		    (k = util_utf8_decode(s + i, len - i, &cp)) == 0))
			break;
	}
	*bad = line;
	return i >= len;
}

/* Checks that UTF-8 text is something a terminal can be trusted with:
 * no control character but TAB (and CR before a line end), no DEL, no C1
 * control, no bidirectional control.  Returns NULL, or a malloc'd
 * "FILE:LINE: ..." cause. */
static char *
check_controls(const char *name, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, k;
	int line = 1;
	uint32_t cp;

	for (; i < len; i += k) {
		unsigned char c = s[i];

		k = 1;
		cp = c;
		if (c >= 0x80 &&
		    (k = util_utf8_decode(s + i, len - i, &cp)) == 0)
			k = 1;	/* not reached: valid_utf8 came first */
		if (c == '\n')
			line++;
		else if (c == '\t' || (c == '\r' && (i + 1 == len ||
		    s[i + 1] == '\n')))
			continue;
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return xasprintf("%s:%d: expected text without control "
			    "characters (found U+%04X)", name, line,
			    (unsigned)cp);
		else if (is_bidi_control(cp))
			return xasprintf("%s:%d: expected text without "
			    "bidirectional controls (found U+%04X)", name,
			    line, (unsigned)cp);
	}
	return NULL;
}

/* "05-server.lesson" -> order 5, id "server".  The id is what
 * --lesson=ID and the progress file use, so it keeps to [a-z0-9-]. */
static char *
name_parts(const char *name, struct lesson *l)
{
	const char *base = strrchr(name, '/');
	const char *dash, *dot, *c;
	long v;

	base = base ? base + 1 : name;
	dash = strchr(base, '-');
	dot = strrchr(base, '.');
	if (dot == NULL || strcmp(dot, ".lesson") != 0)
		dot = base + strlen(base);
	if (dash == NULL || util_parse_num(base, (size_t)(dash - base), 0, 999,
	    &v) == -1 || dot <= dash + 1) {
		return xasprintf("%s:1: the file name must be NN-id.lesson "
		    "(e.g. 05-server.lesson)", name);
	}
	for (c = dash + 1; c < dot; c++) {
		if ((*c < 'a' || *c > 'z') && (*c < '0' || *c > '9') &&
		    *c != '-') {
			return xasprintf("%s:1: the lesson id (the file "
			    "name after NN-) must be made of a-z, 0-9 and "
			    "'-'", name);
		}
	}
	l->order = (int)v;
	l->id = xstrndup(dash + 1, (size_t)(dot - dash - 1));
	return NULL;
}

struct lesson *
lesson_parse(const char *name, const char *buf, size_t len, char **cause)
{
	struct lesson *l = xcalloc(1, sizeof *l);
	char *why = NULL;
	int bad = 0;

	l->path = xstrdup(name);
	if (len > LESSON_MAX_BYTES)
		why = xasprintf("%s:1: the file is larger than 1 MiB; "
		    "expected a lesson", name);
	else if (!valid_utf8(buf, len, &bad))
		why = xasprintf("%s:%d: expected UTF-8 text (found a NUL "
		    "byte or invalid UTF-8)", name, bad);
	else if ((why = check_controls(name, buf, len)) == NULL &&
	    (why = name_parts(name, l)) == NULL)
		lesson_parse_body(l, name, buf, len, &why);
	if (why != NULL) {
		lesson_free(l);
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return NULL;
	}
	return l;
}

struct lesson *
lesson_parse_file(const char *path, char **cause)
{
	struct lesson *l;
	size_t len;
	char *buf;

	buf = util_read_file(path, LESSON_MAX_BYTES, &len);
	if (buf == NULL) {
		if (errno == EFBIG)
			*cause = xasprintf("%s:1: the file is larger than 1 "
			    "MiB; expected a lesson", path);
		else if (errno == UTIL_ENOTREG)
			*cause = xasprintf("%s: not a regular file", path);
		else
			*cause = xasprintf("%s:0: cannot read the lesson: %s",
			    path, strerror(errno));
		return NULL;
	}
	l = lesson_parse(path, buf, len, cause);
	free(buf);
	return l;
}

static void
text_free(struct lesson_text *t)
{
	free(t->msgid);
	free(t->note);
}

static void
question_free(struct lesson_question *q)
{
	size_t j;

	if (q == NULL)
		return;
	text_free(&q->prompt);
	for (j = 0; j < q->nchoices; j++) {
		text_free(&q->choices[j].text);
		text_free(&q->choices[j].feedback);
	}
	free(q->choices);
	free(q->expect);
	text_free(&q->right);
	text_free(&q->wrong);
	free(q);
}

static void
step_free(struct lesson_step *s)
{
	size_t j;

	text_free(&s->title);
	text_free(&s->key);
	for (j = 0; j < s->nblocks; j++)
		text_free(&s->blocks[j].text);
	free(s->blocks);
	for (j = 0; j < s->ncode; j++) {
		free(s->code[j].lang);
		free(s->code[j].text);
	}
	free(s->code);
	for (j = 0; j < s->nhints; j++)
		text_free(&s->hints[j]);
	free(s->hints);
	free(s->actions);
	free(s->action_lines);
	question_free(s->question);
	text_free(&s->input.prompt);
	free(s->exercise);
	free(s->exercise_arg);
	free(s->marks);
}

void
lesson_free(struct lesson *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsteps; i++)
		step_free(&l->steps[i]);
	free(l->steps);
	for (i = 0; i < l->nfiles; i++) {
		free(l->files[i].name);
		free(l->files[i].lang);
		free(l->files[i].text);
	}
	free(l->files);
	text_free(&l->title);
	free(l->id);
	free(l->path);
	free(l);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
lesson_load_dir(const char *dir, struct lesson ***out, char **cause)
{
	struct lesson **ls = NULL;
	char **names = NULL;
	size_t nnames = 0, n = 0, i, j;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		*cause = xasprintf("%s:0: cannot open the lessons directory: "
		    "%s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.' || nl < 8 ||
		    strcmp(de->d_name + nl - 7, ".lesson") != 0)
			continue;
		*PUSH(names, nnames) = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (nnames == 0) {
		*cause = xasprintf("%s:0: expected lesson files "
		    "(NN-id.lesson) in the lessons directory", dir);
		return -1;
	}
	qsort(names, nnames, sizeof *names, by_name);
	for (i = 0; i < nnames; i++) {
		struct lesson *l = lesson_parse_file(names[i], cause);

		if (l == NULL)
			goto fail;
		for (j = 0; j < n; j++) {
			if (ls[j]->order == l->order ||
			    strcmp(ls[j]->id, l->id) == 0) {
				*cause = xasprintf("%s:1: lesson number or id "
				    "already used by %s", names[i],
				    ls[j]->path);
				lesson_free(l);
				goto fail;
			}
		}
		*PUSH(ls, n) = l;
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	*out = ls;
	return (int)n;
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	lesson_free_all(ls, n);
	return -1;
}

void
lesson_free_all(struct lesson **ls, size_t n)
{
	size_t i;

	if (ls == NULL)
		return;
	for (i = 0; i < n; i++)
		lesson_free(ls[i]);
	free(ls);
}

static void
visit(const struct lesson_text *t, void (*fn)(const struct lesson_text *,
    void *), void *arg)
{
	if (t->msgid != NULL)
		fn(t, arg);
}

void
lesson_foreach_text(const struct lesson *l,
    void (*fn)(const struct lesson_text *t, void *arg), void *arg)
{
	size_t i, j;

	visit(&l->title, fn, arg);
	for (i = 0; i < l->nsteps; i++) {
		const struct lesson_step *s = &l->steps[i];

		visit(&s->title, fn, arg);
		visit(&s->key, fn, arg);
		for (j = 0; j < s->nblocks; j++)
			visit(&s->blocks[j].text, fn, arg);
		for (j = 0; j < s->nhints; j++)
			visit(&s->hints[j], fn, arg);
		visit(&s->input.prompt, fn, arg);
		if (s->question != NULL) {
			const struct lesson_question *q = s->question;

			visit(&q->prompt, fn, arg);
			for (j = 0; j < q->nchoices; j++) {
				visit(&q->choices[j].text, fn, arg);
				visit(&q->choices[j].feedback, fn, arg);
			}
			visit(&q->right, fn, arg);
			visit(&q->wrong, fn, arg);
		}
	}
}

const struct lesson_code *
lesson_step_code(const struct lesson_step *s, const char *lang)
{
	size_t i;

	for (i = 0; i < s->ncode; i++)
		if (strcmp(s->code[i].lang, lang) == 0)
			return &s->code[i];
	return NULL;
}

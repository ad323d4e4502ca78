/* lesson.c - parses lesson files (lessons/README.md describes the format)
 * into the lesson model, and holds the msgid normalisation rule that the
 * .pot extractor shares.  Any error names FILE:LINE and what was expected;
 * a lesson is either parsed whole or not at all. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "lesson.h"
#include "util.h"

#define LESSON_MAX_BYTES (1024 * 1024)

/* Grow a dynamic array by one zeroed element and return it. */
#define PUSH(arr, n) \
	((arr) = xreallocarray((arr), (n) + 1, sizeof *(arr)), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

struct line {
	const char *s;		/* not NUL-terminated */
	size_t len;
	int no;
};

struct parser {
	const char *name;
	struct line *lines;
	size_t nlines;
	size_t i;		/* next line */
	struct lesson *l;
	struct lesson_step *step;	/* current step or NULL */
	struct lesson_question *q;	/* open question or NULL */
	char *note;		/* pending translator note */
	char *cause;
};

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

static int
fail(struct parser *p, int line, const char *what)
{
	if (p->cause == NULL)
		p->cause = xasprintf("%s:%d: %s", p->name, line, what);
	return -1;
}

/* Checks that buf is UTF-8 without NUL bytes; *bad gets the line. */
static int
valid_utf8(const char *buf, size_t len, int *bad)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;
	int line = 1;

	while (i < len) {
		unsigned char c = s[i];
		size_t need, k;
		unsigned cp;

		if (c == '\n')
			line++;
		if (c == 0) {
			*bad = line;
			return 0;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1; cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2; cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3; cp = c & 0x07;
		} else {
			*bad = line;
			return 0;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80) {
				*bad = line;
				return 0;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			*bad = line;
			return 0;
		}
		i += need + 1;
	}
	return 1;
}

static int
is_blank(const struct line *ln)
{
	size_t i;

	for (i = 0; i < ln->len; i++)
		if (!isspace((unsigned char)ln->s[i]))
			return 0;
	return 1;
}

/* The directive word of a line ("step" for "@step ..."), or NULL. */
static int
directive(const struct line *ln, char *word, size_t wlen)
{
	size_t i = 1, o = 0;

	if (ln->len == 0 || ln->s[0] != '@')
		return 0;
	while (i < ln->len && !isspace((unsigned char)ln->s[i])) {
		if (o + 1 < wlen)
			word[o++] = ln->s[i];
		i++;
	}
	word[o] = '\0';
	return 1;
}

/* Text after the directive word, plus indented continuation lines. */
static char *
directive_text(struct parser *p, const struct line *ln)
{
	size_t i = 1;
	char *joined, *norm;
	size_t jlen;

	while (i < ln->len && !isspace((unsigned char)ln->s[i]))
		i++;
	jlen = ln->len - i;
	joined = xstrndup(ln->s + i, jlen);
	while (p->i < p->nlines) {
		const struct line *c = &p->lines[p->i];

		if (c->len == 0 || !(c->s[0] == ' ' || c->s[0] == '\t') ||
		    is_blank(c))
			break;
		joined = xreallocarray(joined, jlen + c->len + 2, 1);
		joined[jlen++] = '\n';
		memcpy(joined + jlen, c->s, c->len);
		jlen += c->len;
		joined[jlen] = '\0';
		p->i++;
	}
	norm = lesson_normalise(joined, jlen);
	free(joined);
	return norm;
}

static void
set_text(struct parser *p, struct lesson_text *t, char *msgid, int line)
{
	t->msgid = msgid;
	t->line = line;
	t->note = p->note;
	p->note = NULL;
}

static int
need_text(struct parser *p, const struct line *ln, const char *dir, char *s)
{
	if (s[0] == '\0') {
		char *what = xasprintf("'@%s' needs a text after it", dir);

		free(s);
		fail(p, ln->no, what);
		free(what);
		return -1;
	}
	return 0;
}

/* Checks a question once nothing more can be added to it. */
static int
close_question(struct parser *p, int line)
{
	struct lesson_question *q = p->q;
	size_t i, right = 0;

	if (q == NULL)
		return 0;
	p->q = NULL;
	if (q->input != LESSON_INPUT_NONE) {
		if (q->right.msgid == NULL || q->wrong.msgid == NULL)
			return fail(p, line, "an '@answer' question needs both "
			    "'@right' and '@wrong' feedback");
		return 0;
	}
	if (q->nchoices < 2)
		return fail(p, line, "a question needs at least two '@choice' "
		    "lines or an '@answer'");
	for (i = 0; i < q->nchoices; i++)
		right += q->choices[i].right;
	if (right == 0)
		return fail(p, line, "a question needs at least one choice "
		    "marked '@right'");
	return 0;
}

static int
parse_code(struct parser *p, const struct line *ln)
{
	struct lesson_code *c;
	char lang[16] = "";
	size_t i = 5, o = 0, start, tlen = 0;
	char *text = NULL;
	int mark = 0;

	while (i < ln->len && isspace((unsigned char)ln->s[i]))
		i++;
	while (i < ln->len && !isspace((unsigned char)ln->s[i]) &&
	    o + 1 < sizeof lang)
		lang[o++] = ln->s[i++];
	lang[o] = '\0';
	if (strcmp(lang, "c") != 0 && strcmp(lang, "python") != 0 &&
	    strcmp(lang, "sh") != 0)
		return fail(p, ln->no, "'@code' must name its language: "
		    "c, python or sh");
	while (i < ln->len && isspace((unsigned char)ln->s[i]))
		i++;
	if (i < ln->len) {
		char buf[32];
		size_t bl = ln->len - i < sizeof buf - 1 ? ln->len - i :
		    sizeof buf - 1;
		char *end;
		long v;

		memcpy(buf, ln->s + i, bl);
		buf[bl] = '\0';
		while (bl > 0 && isspace((unsigned char)buf[bl - 1]))
			buf[--bl] = '\0';
		if (strncmp(buf, "mark=", 5) != 0)
			return fail(p, ln->no, "expected 'mark=N' after the "
			    "language of '@code'");
		errno = 0;
		v = strtol(buf + 5, &end, 10);
		if (end == buf + 5 || *end != '\0' || v < 1 || v > 999)
			return fail(p, ln->no, "'mark=' needs a line number "
			    "from 1 to 999");
		mark = (int)v;
	}
	start = p->i;
	for (;;) {
		const struct line *cl;
		size_t clen;

		if (p->i >= p->nlines) {
			free(text);
			return fail(p, ln->no, "this '@code' block is never "
			    "closed: expected '@end'");
		}
		cl = &p->lines[p->i++];
		clen = cl->len;
		while (clen > 0 && (cl->s[clen - 1] == ' ' ||
		    cl->s[clen - 1] == '\t' || cl->s[clen - 1] == '\r'))
			clen--;
		if (clen == 4 && memcmp(cl->s, "@end", 4) == 0)
			break;
		text = xreallocarray(text, tlen + clen + 2, 1);
		if (p->i - 1 > start)
			text[tlen++] = '\n';
		memcpy(text + tlen, cl->s, clen);
		tlen += clen;
		text[tlen] = '\0';
	}
	if (text == NULL)
		return fail(p, ln->no, "this '@code' block is empty");
	c = PUSH(p->step->code, p->step->ncode);
	c->lang = xstrdup(lang);
	c->text = text;
	c->line = ln->no;
	c->mark = mark;
	return 0;
}

static enum lesson_input_kind
input_kind(const char *s, size_t *skip)
{
	if (strncmp(s, "port", 4) == 0 && (s[4] == ' ' || s[4] == '\0')) {
		*skip = s[4] ? 5 : 4;
		return LESSON_INPUT_PORT;
	}
	if (strncmp(s, "text", 4) == 0 && (s[4] == ' ' || s[4] == '\0')) {
		*skip = s[4] ? 5 : 4;
		return LESSON_INPUT_TEXT;
	}
	if (strncmp(s, "recv", 4) == 0 && (s[4] == ' ' || s[4] == '\0')) {
		*skip = s[4] ? 5 : 4;
		return LESSON_INPUT_RECV;
	}
	return LESSON_INPUT_NONE;
}

/* Handles one directive line; the line is already consumed. */
static int
parse_directive(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	char *t;

	if (strcmp(dir, "lesson") == 0) {
		if (p->l->title.msgid != NULL)
			return fail(p, ln->no, "'@lesson' may appear only once");
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		set_text(p, &p->l->title, t, ln->no);
		return 0;
	}
	if (p->l->title.msgid == NULL)
		return fail(p, ln->no, "expected '@lesson TITLE' first");
	if (strcmp(dir, "note") == 0) {
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		free(p->note);
		p->note = t;
		return 0;
	}
	/* @right and @wrong belong to the open question. */
	if (strcmp(dir, "right") == 0 || strcmp(dir, "wrong") == 0) {
		struct lesson_question *q = p->q;
		struct lesson_text *fb;
		int right = dir[0] == 'r';

		if (q == NULL)
			return fail(p, ln->no, "'@right' and '@wrong' belong "
			    "after '@choice' or '@answer'");
		if (q->input != LESSON_INPUT_NONE) {
			fb = right ? &q->right : &q->wrong;
			if (fb->msgid != NULL)
				return fail(p, ln->no, "this feedback is "
				    "already given for the '@answer'");
		} else {
			struct lesson_choice *c;

			if (q->nchoices == 0)
				return fail(p, ln->no, "expected '@choice' "
				    "before its feedback");
			c = &q->choices[q->nchoices - 1];
			if (c->feedback.msgid != NULL)
				return fail(p, ln->no, "this choice already "
				    "has its feedback; expected '@choice'");
			c->right = right;
			fb = &c->feedback;
		}
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		set_text(p, fb, t, ln->no);
		return 0;
	}
	if (strcmp(dir, "choice") == 0) {
		struct lesson_choice *c;

		if (p->q == NULL || p->q->input != LESSON_INPUT_NONE)
			return fail(p, ln->no, "'@choice' belongs after "
			    "'@ask QUESTION'");
		if (p->q->nchoices > 0 &&
		    p->q->choices[p->q->nchoices - 1].feedback.msgid == NULL)
			return fail(p, ln->no, "'@choice' must be followed by "
			    "'@right' or '@wrong'");
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		c = PUSH(p->q->choices, p->q->nchoices);
		set_text(p, &c->text, t, ln->no);
		return 0;
	}
	if (strcmp(dir, "answer") == 0) {
		size_t skip = 0;
		enum lesson_input_kind k;

		if (p->q == NULL || p->q->nchoices > 0 ||
		    p->q->input != LESSON_INPUT_NONE)
			return fail(p, ln->no, "'@answer' belongs right after "
			    "'@ask QUESTION'");
		t = directive_text(p, ln);
		k = input_kind(t, &skip);
		if (k == LESSON_INPUT_NONE || k == LESSON_INPUT_RECV ||
		    t[skip] == '\0') {
			free(t);
			return fail(p, ln->no, "expected '@answer port VALUE' "
			    "or '@answer text VALUE'");
		}
		p->q->input = k;
		p->q->expect = xstrdup(t + skip);
		free(t);
		return 0;
	}
	/* Any other directive closes an open question, and the previous
	 * choice must have had its feedback. */
	if (p->q != NULL) {
		struct lesson_question *q = p->q;

		if (q->nchoices > 0 &&
		    q->choices[q->nchoices - 1].feedback.msgid == NULL)
			return fail(p, ln->no, "'@choice' must be followed by "
			    "'@right' or '@wrong'");
		if (close_question(p, ln->no) == -1)
			return -1;
	}
	if (strcmp(dir, "step") == 0) {
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		p->step = PUSH(p->l->steps, p->l->nsteps);
		p->step->line = ln->no;
		set_text(p, &p->step->title, t, ln->no);
		return 0;
	}
	if (st == NULL)
		return fail(p, ln->no, "expected '@step TITLE' before this");
	if (strcmp(dir, "key") == 0) {
		if (st->key.msgid != NULL)
			return fail(p, ln->no, "a step has one '@key' only");
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		set_text(p, &st->key, t, ln->no);
		return 0;
	}
	if (strcmp(dir, "hint") == 0) {
		struct lesson_text *h;

		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		h = PUSH(st->hints, st->nhints);
		set_text(p, h, t, ln->no);
		return 0;
	}
	if (strcmp(dir, "ask") == 0) {
		if (st->question != NULL)
			return fail(p, ln->no, "a step has one '@ask' only");
		t = directive_text(p, ln);
		if (need_text(p, ln, dir, t) == -1)
			return -1;
		st->question = xcalloc(1, sizeof *st->question);
		set_text(p, &st->question->prompt, t, ln->no);
		p->q = st->question;
		return 0;
	}
	if (strcmp(dir, "input") == 0) {
		size_t skip = 0;
		enum lesson_input_kind k;

		if (st->input.kind != LESSON_INPUT_NONE)
			return fail(p, ln->no, "a step has one '@input' only");
		t = directive_text(p, ln);
		k = input_kind(t, &skip);
		if (k == LESSON_INPUT_NONE || t[skip] == '\0') {
			free(t);
			return fail(p, ln->no, "expected '@input port PROMPT', "
			    "'@input text PROMPT' or '@input recv PROMPT'");
		}
		st->input.kind = k;
		set_text(p, &st->input.prompt, xstrdup(t + skip), ln->no);
		free(t);
		return 0;
	}
	if (strcmp(dir, "exercise") == 0) {
		if (st->exercise != NULL)
			return fail(p, ln->no, "a step has one '@exercise' only");
		struct exercise ex;
		char *arg, *cause = NULL;

		t = directive_text(p, ln);
		arg = strchr(t, ' ');
		if (arg != NULL)
			*arg++ = '\0';
		if (t[0] == '\0' || (arg != NULL && (arg[0] == '\0' ||
		    strchr(arg, ' ') != NULL))) {
			free(t);
			return fail(p, ln->no, "expected '@exercise ID' or "
			    "'@exercise ID ARG' (one word each)");
		}
		if (exercise_init(&ex, t, arg, &cause) == -1) {
			int r = fail(p, ln->no, cause);

			free(cause);
			free(t);
			return r;
		}
		st->exercise_arg = arg != NULL ? xstrdup(arg) : NULL;
		st->exercise = t;
		return 0;
	}
	if (strcmp(dir, "do") == 0) {
		struct lab_cmd cmd;
		char *cause = NULL, *raw;
		size_t i = 3;

		while (i < ln->len && isspace((unsigned char)ln->s[i]))
			i++;
		raw = xstrndup(ln->s + i, ln->len - i);
		if (lab_cmd_parse(raw, &cmd, &cause) == -1) {
			free(raw);
			fail(p, ln->no, cause);
			free(cause);
			return -1;
		}
		free(raw);
		*PUSH(st->actions, st->nactions) = cmd;
		st->action_lines = xreallocarray(st->action_lines,
		    st->nactions, sizeof *st->action_lines);
		st->action_lines[st->nactions - 1] = ln->no;
		return 0;
	}
	if (strcmp(dir, "code") == 0)
		return parse_code(p, ln);
	if (strcmp(dir, "end") == 0)
		return fail(p, ln->no, "'@end' without an open '@code' block");
	{
		char *what = xasprintf("unknown directive '@%s' (expected one "
		    "of @lesson @step @key @note @code @do @hint @ask @choice "
		    "@right @wrong @answer @input @exercise)", dir);

		fail(p, ln->no, what);
		free(what);
		return -1;
	}
}

/* A paragraph or list item: this line and the text lines after it. */
static int
parse_text(struct parser *p, const struct line *ln)
{
	struct lesson_block *b;
	const char *s = ln->s;
	size_t len = ln->len, cap, tlen;
	enum lesson_block_kind kind = LESSON_PARA;
	char *buf;

	if (p->l->title.msgid == NULL)
		return fail(p, ln->no, "expected '@lesson TITLE' first");
	if (p->step == NULL)
		return fail(p, ln->no, "expected '@step TITLE' before text");
	if (p->q != NULL)
		return fail(p, ln->no, "expected '@choice', '@answer', "
		    "'@right' or '@wrong' after '@ask'");
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len >= 2 && s[0] == '-' && s[1] == ' ') {
		kind = LESSON_ITEM;
		s += 2;
		len -= 2;
	}
	cap = len + 1;
	buf = xmalloc(cap);
	memcpy(buf, s, len);
	tlen = len;
	while (p->i < p->nlines) {
		const struct line *c = &p->lines[p->i];
		size_t k = 0;

		if (is_blank(c) || c->s[0] == '@' || c->s[0] == '#')
			break;
		while (k < c->len && (c->s[k] == ' ' || c->s[k] == '\t'))
			k++;
		if (c->len - k >= 2 && c->s[k] == '-' && c->s[k + 1] == ' ')
			break;	/* the next list item */
		buf = xreallocarray(buf, tlen + c->len + 2, 1);
		buf[tlen++] = '\n';
		memcpy(buf + tlen, c->s, c->len);
		tlen += c->len;
		p->i++;
	}
	b = PUSH(p->step->blocks, p->step->nblocks);
	b->kind = kind;
	set_text(p, &b->text, lesson_normalise(buf, tlen), ln->no);
	free(buf);
	return 0;
}

/* "05-server.lesson" -> order 5, id "server". */
static int
name_parts(struct parser *p, struct lesson *l)
{
	const char *base = strrchr(p->name, '/');
	const char *dash, *dot;
	char *end;
	long v;

	base = base ? base + 1 : p->name;
	dash = strchr(base, '-');
	dot = strrchr(base, '.');
	if (dot == NULL || strcmp(dot, ".lesson") != 0)
		dot = base + strlen(base);
	v = strtol(base, &end, 10);
	if (dash == NULL || end != dash || end == base || v < 0 || v > 999 ||
	    dot <= dash + 1) {
		if (p->cause == NULL)
			p->cause = xasprintf("%s:1: the file name must be "
			    "NN-id.lesson (e.g. 05-server.lesson)", p->name);
		return -1;
	}
	l->order = (int)v;
	l->id = xstrndup(dash + 1, (size_t)(dot - dash - 1));
	return 0;
}

struct lesson *
lesson_parse(const char *name, const char *buf, size_t len, char **cause)
{
	struct parser p;
	int bad = 0, rc = 0;
	size_t i, start;

	memset(&p, 0, sizeof p);
	p.name = name;
	p.l = xcalloc(1, sizeof *p.l);
	p.l->path = xstrdup(name);
	if (len > LESSON_MAX_BYTES) {
		p.cause = xasprintf("%s:1: the file is larger than 1 MiB; "
		    "expected a lesson", name);
		goto out;
	}
	if (!valid_utf8(buf, len, &bad)) {
		p.cause = xasprintf("%s:%d: expected UTF-8 text (found a NUL "
		    "byte or invalid UTF-8)", name, bad);
		goto out;
	}
	if (name_parts(&p, p.l) == -1)
		goto out;
	for (i = 0, start = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			struct line *ln;
			size_t e = i;

			if (i == len && start == len)
				break;
			if (e > start && buf[e - 1] == '\r')
				e--;
			ln = PUSH(p.lines, p.nlines);
			ln->s = buf + start;
			ln->len = e - start;
			ln->no = (int)p.nlines;
			start = i + 1;
		}
	}
	while (rc == 0 && p.i < p.nlines) {
		const struct line *ln = &p.lines[p.i++];
		char word[32];

		if (is_blank(ln) || ln->s[0] == '#')
			continue;
		if (directive(ln, word, sizeof word))
			rc = parse_directive(&p, ln, word);
		else
			rc = parse_text(&p, ln);
	}
	if (rc == 0) {
		int last = (int)p.nlines + 1;

		if (p.l->title.msgid == NULL)
			fail(&p, 1, "expected '@lesson TITLE' (the file has "
			    "no lesson)");
		else if (p.q != NULL && p.q->nchoices > 0 &&
		    p.q->choices[p.q->nchoices - 1].feedback.msgid == NULL)
			fail(&p, last, "'@choice' must be followed by "
			    "'@right' or '@wrong'");
		else if (close_question(&p, last) == -1)
			;
		else if (p.l->nsteps == 0)
			fail(&p, last, "expected at least one '@step'");
		else if (p.note != NULL)
			fail(&p, last, "'@note' must come before a "
			    "translatable line");
	}
out:
	free(p.lines);
	free(p.note);
	if (p.cause != NULL) {
		lesson_free(p.l);
		if (cause != NULL)
			*cause = p.cause;
		else
			free(p.cause);
		return NULL;
	}
	return p.l;
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

void
lesson_free(struct lesson *l)
{
	size_t i, j;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsteps; i++) {
		struct lesson_step *s = &l->steps[i];

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
		if (s->question != NULL) {
			struct lesson_question *q = s->question;

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
		text_free(&s->input.prompt);
		free(s->exercise);
		free(s->exercise_arg);
	}
	free(l->steps);
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

/* lesson_parse.c - the body of a lesson file: each directive has one
 * handler, found through the table `directives`, whose flags say where a
 * directive may stand (before '@lesson', inside an open question, only in
 * a step), so each handler deals with its own directive only.  lesson.c
 * checks the bytes and the file name first and calls lesson_parse_body. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "lesson.h"
#include "lesson_parse.h"
#include "util.h"

/* Grow a dynamic array by one zeroed element and return it. */
#define PUSH(arr, n) \
	((arr) = xreallocarray((arr), (n) + 1, sizeof *(arr)), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

struct line {
	const char *s;		/* not NUL-terminated */
	size_t len;
	int no;
};

/* A "@mark" waiting for the end of the file, where every "@file" is
 * known: the step it belongs to and the file name it gave. */
struct pending_mark {
	size_t step;
	size_t mark;
	char *name;
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
	struct pending_mark *marks;
	size_t nmarks;
	char *cause;
};

static int
fail(struct parser *p, int line, const char *what)
{
	if (p->cause == NULL)
		p->cause = xasprintf("%s:%d: %s", p->name, line, what);
	return -1;
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

/* The directive's text into *out; a directive without one is an error. */
static int
take_text(struct parser *p, const struct line *ln, const char *dir,
    char **out)
{
	char *s = directive_text(p, ln);

	if (s[0] == '\0') {
		char *what = xasprintf("'@%s' needs a text after it", dir);

		free(s);
		fail(p, ln->no, what);
		free(what);
		return -1;
	}
	*out = s;
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

/* An open question's last choice must have had its feedback. */
static int
choice_has_feedback(struct parser *p, int line)
{
	const struct lesson_question *q = p->q;

	if (q != NULL && q->nchoices > 0 &&
	    q->choices[q->nchoices - 1].feedback.msgid == NULL)
		return fail(p, line, "'@choice' must be followed by "
		    "'@right' or '@wrong'");
	return 0;
}

/* The lines up to "@end" joined with '\n' (trailing blanks dropped), for
 * "@code" and "@file"; *nlines gets their count.  ln is the opening
 * line, dir its directive. */
static int
read_block(struct parser *p, const struct line *ln, const char *dir,
    char **out, int *nlines)
{
	size_t start = p->i, tlen = 0;
	char *text = NULL, *what;

	for (;;) {
		const struct line *cl;
		size_t clen;

		if (p->i >= p->nlines) {
			free(text);
			what = xasprintf("this '@%s' block is never closed: "
			    "expected '@end'", dir);
			fail(p, ln->no, what);
			free(what);
			return -1;
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
	if (text == NULL) {
		what = xasprintf("this '@%s' block is empty", dir);
		fail(p, ln->no, what);
		free(what);
		return -1;
	}
	*out = text;
	*nlines = (int)(p->i - 1 - start);
	return 0;
}

/* The words of a directive line after the directive itself, as a
 * malloc'd string with the ends trimmed. */
static char *
directive_args(const struct line *ln)
{
	size_t i = 1, e = ln->len;

	while (i < e && !isspace((unsigned char)ln->s[i]))
		i++;
	while (i < e && isspace((unsigned char)ln->s[i]))
		i++;
	while (e > i && isspace((unsigned char)ln->s[e - 1]))
		e--;
	return xstrndup(ln->s + i, e - i);
}

/* "@code LANG [mark=N]" ... "@end" */
static int
do_code(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_code *c;
	char *args = directive_args(ln), *lang = args, *rest, *text;
	const char *end;
	int mark = 0, n, rc = -1;

	rest = lang + strcspn(lang, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (strcmp(lang, "c") != 0 && strcmp(lang, "python") != 0 &&
	    strcmp(lang, "sh") != 0) {
		fail(p, ln->no, "'@code' must name its language: "
		    "c, python or sh");
		goto out;
	}
	if (*rest != '\0') {
		if (strncmp(rest, "mark=", 5) != 0) {
			fail(p, ln->no, "expected 'mark=N' after the "
			    "language of '@code'");
			goto out;
		}
		if (lesson_line_number(rest + 5, &end, &mark) == -1 || *end != '\0') {
			fail(p, ln->no, "'mark=' needs a line number "
			    "from 1 to 999");
			goto out;
		}
	}
	if (read_block(p, ln, dir, &text, &n) == -1)
		goto out;
	c = PUSH(p->step->code, p->step->ncode);
	c->lang = xstrdup(lang);
	c->text = text;
	c->line = ln->no;
	c->mark = mark;
	rc = 0;
out:
	free(args);
	return rc;
}

/* "@file NAME" ... "@end": one of the lesson's complete programs. */
static int
do_file(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_file *f;
	char *name = directive_args(ln), *text;
	const char *lang = lesson_file_lang(name);
	int n;

	if (lang == NULL) {
		free(name);
		return fail(p, ln->no, "expected '@file NAME.c' or "
		    "'@file NAME.py' (letters, digits, '.', '_', '-')");
	}
	if (lesson_file_find(p->l, name) != NULL) {
		free(name);
		return fail(p, ln->no, "this '@file' name is already used "
		    "in the lesson");
	}
	if (read_block(p, ln, dir, &text, &n) == -1) {
		free(name);
		return -1;
	}
	f = PUSH(p->l->files, p->l->nfiles);
	f->name = name;
	f->lang = xstrdup(lang);
	f->text = text;
	f->nlines = n;
	f->line = ln->no;
	return 0;
}

/* "@mark NAME N" or "@mark NAME N-M": the step's call stands on these
 * lines of the file NAME.  The file may come later in the lesson, so the
 * name is looked up at the end (resolve_marks). */
static int
do_mark(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_mark *m;
	struct pending_mark *pm;
	char *args = directive_args(ln), *range;
	int first, last;

	(void)dir;
	range = args + strcspn(args, " \t");
	if (*range != '\0')
		*range++ = '\0';
	range += strspn(range, " \t");
	if (args[0] == '\0' || lesson_line_range(range, &first, &last) == -1) {
		free(args);
		return fail(p, ln->no, "expected '@mark FILE N' or "
		    "'@mark FILE N-M' (lines from 1 to 999)");
	}
	m = PUSH(p->step->marks, p->step->nmarks);
	m->first = first;
	m->last = last;
	m->line = ln->no;
	pm = PUSH(p->marks, p->nmarks);
	pm->step = (size_t)(p->step - p->l->steps);
	pm->mark = p->step->nmarks - 1;
	pm->name = args;
	return 0;
}

/* A step that marks a file and has no code block in its language shows
 * the whole file there, its marked line highlighted: the text, the saved
 * program and the tested program are then the same file. */
static void
show_marked_file(struct lesson_step *s, const struct lesson_file *f,
    const struct lesson_mark *m)
{
	struct lesson_code *c;
	size_t i;

	for (i = 0; i < s->ncode; i++)
		if (strcmp(s->code[i].lang, f->lang) == 0)
			return;
	c = PUSH(s->code, s->ncode);
	c->lang = xstrdup(f->lang);
	c->text = xstrdup(f->text);
	c->line = m->line;
	c->mark = m->first;
}

/* Every "@mark" names a "@file" of the lesson and stays inside it. */
static int
resolve_marks(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nmarks; i++) {
		struct pending_mark *pm = &p->marks[i];
		struct lesson_step *s = &p->l->steps[pm->step];
		struct lesson_mark *m = &s->marks[pm->mark];
		char *what = lesson_mark_resolve(p->l, pm->name, m);

		if (what != NULL) {
			fail(p, m->line, what);
			free(what);
			return -1;
		}
		show_marked_file(s, &p->l->files[m->file], m);
	}
	return 0;
}

static enum lesson_input_kind
input_kind(const char *s, size_t *skip)
{
	static const struct {
		const char *word;
		enum lesson_input_kind kind;
	} kinds[] = {
		{ "port", LESSON_INPUT_PORT },
		{ "text", LESSON_INPUT_TEXT },
		{ "recv", LESSON_INPUT_RECV },
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strncmp(s, kinds[i].word, 4) == 0 &&
		    (s[4] == ' ' || s[4] == '\0')) {
			*skip = s[4] ? 5 : 4;
			return kinds[i].kind;
		}
	}
	return LESSON_INPUT_NONE;
}

/* ------------------------------------------------------------------ */
/* One handler per directive.  The line is already consumed; where the
 * directive may stand was checked by dispatch(). */

static int
do_lesson(struct parser *p, const struct line *ln, const char *dir)
{
	char *t;

	if (p->l->title.msgid != NULL)
		return fail(p, ln->no, "'@lesson' may appear only once");
	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	set_text(p, &p->l->title, t, ln->no);
	return 0;
}

static int
do_note(struct parser *p, const struct line *ln, const char *dir)
{
	char *t;

	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	free(p->note);
	p->note = t;
	return 0;
}

/* "@right" and "@wrong" belong to the open question: to its last choice,
 * or to its typed answer. */
static int
do_feedback(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_question *q = p->q;
	struct lesson_text *fb;
	int right = dir[0] == 'r';
	char *t;

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
	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	set_text(p, fb, t, ln->no);
	return 0;
}

static int
do_choice(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_choice *c;
	char *t;

	if (p->q == NULL || p->q->input != LESSON_INPUT_NONE)
		return fail(p, ln->no, "'@choice' belongs after "
		    "'@ask QUESTION'");
	if (choice_has_feedback(p, ln->no) == -1)
		return -1;
	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	c = PUSH(p->q->choices, p->q->nchoices);
	set_text(p, &c->text, t, ln->no);
	return 0;
}

static int
do_answer(struct parser *p, const struct line *ln, const char *dir)
{
	size_t skip = 0;
	enum lesson_input_kind k;
	char *t;

	(void)dir;
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

static int
do_step(struct parser *p, const struct line *ln, const char *dir)
{
	char *t;

	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	p->step = PUSH(p->l->steps, p->l->nsteps);
	p->step->line = ln->no;
	set_text(p, &p->step->title, t, ln->no);
	return 0;
}

static int
do_key(struct parser *p, const struct line *ln, const char *dir)
{
	char *t;

	if (p->step->key.msgid != NULL)
		return fail(p, ln->no, "a step has one '@key' only");
	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	set_text(p, &p->step->key, t, ln->no);
	return 0;
}

static int
do_hint(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	char *t;

	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	set_text(p, PUSH(st->hints, st->nhints), t, ln->no);
	return 0;
}

static int
do_ask(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	char *t;

	if (st->question != NULL)
		return fail(p, ln->no, "a step has one '@ask' only");
	if (take_text(p, ln, dir, &t) == -1)
		return -1;
	st->question = xcalloc(1, sizeof *st->question);
	set_text(p, &st->question->prompt, t, ln->no);
	p->q = st->question;
	return 0;
}

static int
do_input(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	size_t skip = 0;
	enum lesson_input_kind k;
	char *t;

	(void)dir;
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

static int
do_exercise(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	struct exercise ex;
	char *arg, *t, *cause = NULL;
	int r;

	(void)dir;
	if (st->exercise != NULL)
		return fail(p, ln->no, "a step has one '@exercise' only");
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
		r = fail(p, ln->no, cause);
		free(cause);
		free(t);
		return r;
	}
	st->exercise_arg = arg != NULL ? xstrdup(arg) : NULL;
	st->exercise = t;
	return 0;
}

static int
do_do(struct parser *p, const struct line *ln, const char *dir)
{
	struct lesson_step *st = p->step;
	struct lab_cmd cmd;
	char *cause = NULL, *raw;
	size_t i = 3;

	(void)dir;
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

/* @wire: the step is about the packets; the ladder shows even on a
 * screen where it takes another pane's place.  @guests: the step asks
 * the reader in from another terminal (nc, ss), so the lab runs it on
 * this computer's loopback (world.h). */
static int
do_flag(struct parser *p, const struct line *ln, const char *dir)
{
	char *args = directive_args(ln), *msg;
	bool empty = args[0] == '\0', *flag;
	int r = 0;

	free(args);
	flag = strcmp(dir, "wire") == 0 ? &p->step->wire : &p->step->guests;
	if (!empty || *flag) {
		msg = xasprintf(!empty ? "'@%s' takes no argument" :
		    "a step has one '@%s' only", dir);
		r = fail(p, ln->no, msg);
		free(msg);
		return r;
	}
	*flag = true;
	return 0;
}

static int
do_end(struct parser *p, const struct line *ln, const char *dir)
{
	(void)dir;
	return fail(p, ln->no, "'@end' without an open '@code' or "
	    "'@file' block");
}

/* Where a directive may stand. */
enum {
	DIR_FIRST = 1,		/* may come before '@lesson' */
	DIR_QUESTION = 2,	/* part of an open question: keeps it open */
	DIR_STEP = 4		/* only inside a step */
};

static const struct directive_def {
	const char *name;
	unsigned where;
	int (*handle)(struct parser *, const struct line *, const char *);
} directives[] = {
	{ "lesson", DIR_FIRST | DIR_QUESTION, do_lesson },
	{ "step", 0, do_step },
	{ "key", DIR_STEP, do_key },
	{ "note", DIR_QUESTION, do_note },
	{ "code", DIR_STEP, do_code },
	{ "file", 0, do_file },
	{ "mark", DIR_STEP, do_mark },
	{ "do", DIR_STEP, do_do },
	{ "hint", DIR_STEP, do_hint },
	{ "ask", DIR_STEP, do_ask },
	{ "choice", DIR_QUESTION, do_choice },
	{ "right", DIR_QUESTION, do_feedback },
	{ "wrong", DIR_QUESTION, do_feedback },
	{ "answer", DIR_QUESTION, do_answer },
	{ "input", DIR_STEP, do_input },
	{ "exercise", DIR_STEP, do_exercise },
	{ "wire", DIR_STEP, do_flag },
	{ "guests", DIR_STEP, do_flag },
	{ "end", DIR_STEP, do_end },
};

#define NDIRECTIVES (sizeof directives / sizeof directives[0])

static int
unknown_directive(struct parser *p, const struct line *ln, const char *dir)
{
	char *what = xasprintf("unknown directive '@%s' (expected one of",
	    dir), *more;
	size_t i;

	for (i = 0; i < NDIRECTIVES; i++) {
		if (strcmp(directives[i].name, "end") == 0)
			continue;
		more = xasprintf("%s @%s", what, directives[i].name);
		free(what);
		what = more;
	}
	more = xasprintf("%s)", what);
	fail(p, ln->no, more);
	free(more);
	free(what);
	return -1;
}

/* Finds the directive's handler and checks that it may stand here: after
 * '@lesson'; closing an open question unless it belongs to it; inside a
 * step when it needs one.  An unknown directive is checked like one that
 * needs a step, so its error comes after those. */
static int
dispatch(struct parser *p, const struct line *ln, const char *dir)
{
	const struct directive_def *d = NULL;
	unsigned where = DIR_STEP;
	size_t i;

	for (i = 0; i < NDIRECTIVES && d == NULL; i++)
		if (strcmp(directives[i].name, dir) == 0)
			d = &directives[i];
	if (d != NULL)
		where = d->where;
	if (!(where & DIR_FIRST) && p->l->title.msgid == NULL)
		return fail(p, ln->no, "expected '@lesson TITLE' first");
	if (!(where & DIR_QUESTION) && p->q != NULL) {
		if (choice_has_feedback(p, ln->no) == -1 ||
		    close_question(p, ln->no) == -1)
			return -1;
	}
	if ((where & DIR_STEP) && p->step == NULL)
		return fail(p, ln->no, "expected '@step TITLE' before this");
	if (d == NULL)
		return unknown_directive(p, ln, dir);
	return d->handle(p, ln, dir);
}

/* A paragraph or list item: this line and the text lines after it. */
static int
parse_text(struct parser *p, const struct line *ln)
{
	struct lesson_block *b;
	const char *s = ln->s;
	size_t len = ln->len, tlen;
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
	buf = xstrndup(s, len);
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

/* Cuts buf into lines (without their '\n' or "\r\n"). */
static void
split_lines(struct parser *p, const char *buf, size_t len)
{
	size_t i, start;

	for (i = 0, start = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			struct line *ln;
			size_t e = i;

			if (i == len && start == len)
				break;
			if (e > start && buf[e - 1] == '\r')
				e--;
			ln = PUSH(p->lines, p->nlines);
			ln->s = buf + start;
			ln->len = e - start;
			ln->no = (int)p->nlines;
			start = i + 1;
		}
	}
}

/* What must hold once the whole file is read. */
static void
finish(struct parser *p)
{
	int last = (int)p->nlines + 1;

	if (p->l->title.msgid == NULL)
		fail(p, 1, "expected '@lesson TITLE' (the file has no lesson)");
	else if (choice_has_feedback(p, last) == -1 ||
	    close_question(p, last) == -1)
		;
	else if (p->l->nsteps == 0)
		fail(p, last, "expected at least one '@step'");
	else if (p->note != NULL)
		fail(p, last, "'@note' must come before a translatable line");
	else
		resolve_marks(p);
}

int
lesson_parse_body(struct lesson *l, const char *name, const char *buf,
    size_t len, char **cause)
{
	struct parser p;
	int rc = 0;
	size_t i;

	memset(&p, 0, sizeof p);
	p.name = name;
	p.l = l;
	split_lines(&p, buf, len);
	while (rc == 0 && p.i < p.nlines) {
		const struct line *ln = &p.lines[p.i++];
		char word[32];

		if (is_blank(ln) || ln->s[0] == '#')
			continue;
		if (directive(ln, word, sizeof word))
			rc = dispatch(&p, ln, word);
		else
			rc = parse_text(&p, ln);
	}
	if (rc == 0)
		finish(&p);
	free(p.lines);
	free(p.note);
	for (i = 0; i < p.nmarks; i++)
		free(p.marks[i].name);
	free(p.marks);
	*cause = p.cause;
	return p.cause == NULL ? 0 : -1;
}

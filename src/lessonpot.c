/* lessonpot.c - writes the translatable strings of lesson files as a .pot
 * file, with "#:" references to file and line and "#." translator notes.
 * It uses the lesson parser itself, so the msgids it writes are exactly
 * the strings the program looks up.  po/POTFILES.in lists its output.
 *
 * Usage: lessonpot [--strip PREFIX] FILE.lesson... > lessons.pot */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "util.h"

/* One msgid with every place it appears; duplicates are merged because
 * a .pot may hold each msgid once. */
struct entry {
	char *msgid;
	char *notes;		/* "#." lines, or NULL */
	char *refs;		/* "#:" lines */
};

struct out {
	const char *path;	/* as written in "#:" */
	struct entry *e;
	size_t n;
};

static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\t': fputs("\\t", f); break;
		default: fputc(*s, f);
		}
	}
	fputc('"', f);
}

static char *
append(char *s, const char *add)
{
	char *r = xasprintf("%s%s", s ? s : "", add);

	free(s);
	return r;
}

static void
collect(const struct lesson_text *t, void *arg)
{
	struct out *o = arg;
	struct entry *e = NULL;
	char *line;
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->e[i].msgid, t->msgid) == 0)
			e = &o->e[i];
	if (e == NULL) {
		o->e = xreallocarray(o->e, o->n + 1, sizeof *o->e);
		e = &o->e[o->n++];
		e->msgid = xstrdup(t->msgid);
		e->notes = NULL;
		e->refs = NULL;
	}
	if (t->note != NULL) {
		line = xasprintf("#. %s\n", t->note);
		e->notes = append(e->notes, line);
		free(line);
	}
	line = xasprintf("#: %s:%d\n", o->path, t->line);
	e->refs = append(e->refs, line);
	free(line);
}

int
main(int argc, char **argv)
{
	const char *strip = "";
	struct out o = { NULL, NULL, 0 };
	size_t k;
	int i = 1, rc = 0;

	if (argc > 2 && strcmp(argv[1], "--strip") == 0) {
		strip = argv[2];
		i = 3;
	}
	fputs("# Translatable text of the socktutor lessons.\n"
	    "# Written by lessonpot from lessons/*.lesson; do not edit.\n"
	    "#, fuzzy\n"
	    "msgid \"\"\n"
	    "msgstr \"\"\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Content-Transfer-Encoding: 8bit\\n\"\n\n", stdout);
	for (; i < argc; i++) {
		char *cause = NULL;
		struct lesson *l = lesson_parse_file(argv[i], &cause);

		if (l == NULL) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
			rc = 1;
			continue;
		}
		o.path = argv[i];
		if (strncmp(o.path, strip, strlen(strip)) == 0)
			o.path += strlen(strip);
		lesson_foreach_text(l, collect, &o);
		lesson_free(l);
	}
	for (k = 0; k < o.n; k++) {
		if (o.e[k].notes != NULL)
			fputs(o.e[k].notes, stdout);
		fputs(o.e[k].refs, stdout);
		fputs("msgid ", stdout);
		put_string(stdout, o.e[k].msgid);
		fputs("\nmsgstr \"\"\n\n", stdout);
		free(o.e[k].msgid);
		free(o.e[k].notes);
		free(o.e[k].refs);
	}
	free(o.e);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("lessonpot");
		rc = 1;
	}
	return rc;
}

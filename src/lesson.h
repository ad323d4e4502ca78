/* lesson.h - the lesson model and its parser.
 *
 * A lesson is a text file under lessons/ (format: lessons/README.md).  Its
 * translatable strings are kept as msgids, normalised by lesson_normalise,
 * the one rule shared by the runtime and the .pot extractor.  Part of the
 * core: no curses, no gettext.
 */
#ifndef SOCKTUTOR_LESSON_H
#define SOCKTUTOR_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "labcmd.h"

/* A translatable string: its msgid, where it came from, and the note for
 * translators that preceded it (or NULL). */
struct lesson_text {
	char *msgid;		/* NULL when absent */
	int line;
	char *note;
};

enum lesson_block_kind {
	LESSON_PARA,		/* a paragraph */
	LESSON_ITEM		/* a list item ("- " in the file) */
};

struct lesson_block {
	enum lesson_block_kind kind;
	struct lesson_text text;
};

/* A code block, shown verbatim, never translated. */
struct lesson_code {
	char *lang;		/* "c", "python", "sh" */
	char *text;		/* lines joined with '\n', no trailing '\n' */
	int line;
	int mark;		/* 1-based line to highlight, 0 = none */
};

/* A lesson's complete program ("@file NAME" ... "@end"), shown verbatim
 * and never translated; steps point into it with "@mark". */
struct lesson_file {
	char *name;		/* "server.c", "client.py" */
	char *lang;		/* "c" or "python", from the name's suffix */
	char *text;		/* lines joined with '\n', no trailing '\n' */
	int nlines;
	int line;		/* where "@file" stands */
};

/* Lines first..last (1-based, inclusive) of a lesson file are the
 * step's marked call. */
struct lesson_mark {
	size_t file;		/* index into lesson->files */
	int first, last;
	int line;		/* where "@mark" stands */
};

struct lesson_choice {
	struct lesson_text text;
	struct lesson_text feedback;
	bool right;
};

/* What an input field takes: a port number to explain, free text, or a
 * size for a recv() the bartender makes at once on its connection. */
enum lesson_input_kind {
	LESSON_INPUT_NONE, LESSON_INPUT_PORT, LESSON_INPUT_TEXT,
	LESSON_INPUT_RECV
};

/* A question: choose one of the choices, or type an answer. */
struct lesson_question {
	struct lesson_text prompt;
	struct lesson_choice *choices;
	size_t nchoices;
	enum lesson_input_kind input;	/* typed answer instead of choices */
	char *expect;			/* the typed answer that is right */
	struct lesson_text right, wrong;	/* feedback for a typed answer */
};

/* A field the learner types into (a port number), with what it is for. */
struct lesson_input {
	enum lesson_input_kind kind;
	struct lesson_text prompt;
};

struct lesson_step {
	struct lesson_text title;
	struct lesson_text key;		/* the key sentence (lecture mode) */
	struct lesson_block *blocks;
	size_t nblocks;
	struct lesson_code *code;
	size_t ncode;
	struct lesson_text *hints;
	size_t nhints;
	struct lab_cmd *actions;	/* performed by the lab at this step */
	int *action_lines;
	size_t nactions;
	struct lesson_question *question;	/* or NULL */
	struct lesson_input input;	/* kind NONE when absent */
	char *exercise;			/* exercise id, or NULL */
	char *exercise_arg;		/* its argument, or NULL */
	struct lesson_mark *marks;	/* marked lines of the lesson's files */
	size_t nmarks;
	bool wire;			/* @wire: the packet ladder shows even
					 * where it must take another pane's
					 * place */
	bool guests;			/* @guests: the text asks the reader
					 * in from another terminal */
	int line;
};

struct lesson {
	char *path;
	char *id;		/* file name stem without the "NN-" prefix */
	int order;		/* the NN prefix */
	struct lesson_text title;
	struct lesson_step *steps;
	size_t nsteps;
	struct lesson_file *files;	/* the complete programs, in order */
	size_t nfiles;
};

/* Parse one lesson file.  Returns NULL with *cause (malloc'd) set to
 * "FILE:LINE: what was expected" on any error, including a control or
 * bidirectional-override character anywhere in the file (a TAB is
 * allowed) and an id outside [a-z0-9-].  A FIFO, device or directory is
 * refused without being opened for reading: "FILE: not a regular file". */
struct lesson *lesson_parse_file(const char *path, char **cause);

/* Parse lesson text held in memory; name is used in messages and to
 * derive the id.  Same contract as lesson_parse_file. */
struct lesson *lesson_parse(const char *name, const char *buf, size_t len,
    char **cause);

void lesson_free(struct lesson *l);	/* NULL-safe */

/* The lessons of a directory ("NN-id.lesson"), sorted by NN.  Returns the
 * count (>= 1) and a malloc'd array in *out, or -1 with *cause set. */
int lesson_load_dir(const char *dir, struct lesson ***out, char **cause);
void lesson_free_all(struct lesson **ls, size_t n);	/* NULL-safe */

/* The normalisation rule for msgids: trim each line, join lines with one
 * space, fold runs of blanks into one.  Returns a malloc'd string. */
char *lesson_normalise(const char *s, size_t len);

/* Call fn for every translatable string of the lesson, in file order. */
void lesson_foreach_text(const struct lesson *l,
    void (*fn)(const struct lesson_text *t, void *arg), void *arg);

/* The code block of a step in the given language, or NULL. */
const struct lesson_code *lesson_step_code(const struct lesson_step *s,
    const char *lang);

/* The lesson's file block with this name, or NULL. */
const struct lesson_file *lesson_file_find(const struct lesson *l,
    const char *name);

/* True when line (1-based) of the lesson's file number file is marked at
 * step s. */
bool lesson_step_marks(const struct lesson_step *s, size_t file, int line);

#endif

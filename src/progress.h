/* progress.h - the learner's progress file: where they were, what they
 * finished, what they answered.  A line-oriented text file written
 * atomically (temporary file + rename).  Part of the core: no curses, no
 * gettext. */
#ifndef SOCKTUTOR_PROGRESS_H
#define SOCKTUTOR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#define PROGRESS_ID_MAX 64
#define PROGRESS_MAX_ITEMS 128

struct progress {
	char lesson[PROGRESS_ID_MAX];	/* current lesson id, "" if none */
	unsigned step;			/* 0-based step in it */
	char lang[4];			/* "en", "it", or "" */
	/* Finished lessons, answered questions ("ports:3") and completed
	 * exercises, each as an id string. */
	char done[PROGRESS_MAX_ITEMS][PROGRESS_ID_MAX];
	size_t ndone;
};

/* Reads path into *p.  Returns 1 when read, 0 when there is no file yet
 * (*p is cleared), -1 when it is unreadable or corrupt (*p is cleared and
 * *cause says why, malloc'd).  Never blocks: a FIFO or a device is not a
 * regular file, and so unreadable. */
int progress_load(const char *path, struct progress *p, char **cause);

/* Moves an unreadable progress file aside to "PATH.bad" (one generation:
 * an older .bad is replaced), so that the next save loses nothing.
 * Returns the .bad path (malloc'd), or NULL with *cause set. */
char *progress_set_aside(const char *path, char **cause);

/* The language the progress file at path was saved in ("en", "it") into
 * lang; "" when there is none, or the file is missing or unreadable.
 * Only reads. */
void progress_saved_lang(const char *path, char lang[4]);

/* Writes *p to path atomically, creating missing directories.  Returns 0,
 * or -1 with *cause (malloc'd) set. */
int progress_save(const char *path, const struct progress *p, char **cause);

/* Parses the text of a progress file (what progress_load reads); the same
 * return values.  Exposed for tests and the fuzzer. */
int progress_parse(const char *buf, size_t len, struct progress *p,
    char **cause);

bool progress_is_done(const struct progress *p, const char *id);
void progress_mark_done(struct progress *p, const char *id);

#endif

/* progress.c - the learner's progress file.  The format is plain text, one
 * "key value" per line after a version line:
 *
 *	socktutor-progress 1
 *	lesson ports
 *	step 3
 *	lang it
 *	done what-is-a-socket
 *	done ports:3
 *
 * The reader trusts nothing in the file: it may be truncated, edited by
 * hand or written by a newer version.  Anything it cannot make sense of
 * makes the whole file "corrupt" (-1 and a cause), except keys it does not
 * know, which a newer version may have added and which are skipped.  The
 * writer never leaves a half-written file behind: it writes a temporary
 * file in the same directory, syncs it and renames it over the old one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

#define MAGIC "socktutor-progress"
#define VERSION_NOW 1
#define LINE_MAX_LEN 256	/* longer lines are not ours */
#define FILE_MAX (64 * 1024)	/* nor are larger files */
#define STEP_MAX 100000u

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_';
}

/* Ids are lesson ids, "lesson:step" and exercise ids: a small alphabet
 * keeps the file one token per value and safe to print. */
static bool
valid_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= PROGRESS_ID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == ':'))
			return false;
	}
	return true;
}

static bool
valid_lang(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n >= sizeof ((struct progress *)0)->lang)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

/* A decimal number without sign or leading junk, at most max. */
static bool
parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
	long v;

	if (util_parse_num(s, n, 0, (long)max, &v) == -1)
		return false;
	*out = (unsigned)v;
	return true;
}

static int
fail(struct progress *p, char **cause, char *why)
{
	memset(p, 0, sizeof *p);
	*cause = why;
	return -1;
}

int
progress_parse(const char *buf, size_t len, struct progress *p,
    char **cause)
{
	bool seen_lesson = false, seen_step = false, seen_lang = false;
	size_t pos = 0;
	int lineno = 0;

	memset(p, 0, sizeof *p);
	*cause = NULL;
	while (pos < len) {
		const char *line = buf + pos, *nl, *key, *val;
		size_t n, klen, vlen, i;

		nl = memchr(line, '\n', len - pos);
		n = nl != NULL ? (size_t)(nl - line) : len - pos;
		pos += n + (nl != NULL);
		lineno++;
		if (n > LINE_MAX_LEN)
			return fail(p, cause, xasprintf("line %d: longer "
			    "than %d bytes", lineno, LINE_MAX_LEN));
		for (i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 ||
			    line[i] == 0x7f)
				return fail(p, cause, xasprintf("line %d: "
				    "control character 0x%02x", lineno,
				    (unsigned char)line[i]));

		if (lineno == 1) {
			unsigned version;
			size_t ml = strlen(MAGIC);

			if (n <= ml + 1 || memcmp(line, MAGIC, ml) != 0 ||
			    line[ml] != ' ' ||
			    !parse_uint(line + ml + 1, n - ml - 1, 999999,
			    &version) || version < 1)
				return fail(p, cause, xasprintf("line 1: "
				    "expected '%s %d'", MAGIC, VERSION_NOW));
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;

		key = line;
		for (klen = 0; klen < n && line[klen] != ' '; klen++)
			if (!is_key_char(line[klen]))
				return fail(p, cause, xasprintf("line %d: "
				    "expected a key of lower-case letters",
				    lineno));
		if (klen == 0)
			return fail(p, cause, xasprintf("line %d: expected "
			    "a key", lineno));
		val = line + klen + (klen < n);
		vlen = klen < n ? n - klen - 1 : 0;

#define KEY(k) (klen == sizeof k - 1 && memcmp(key, k, klen) == 0)
		if (KEY("lesson")) {
			if (seen_lesson || !valid_id(val, vlen))
				goto bad_value;
			memcpy(p->lesson, val, vlen);
			p->lesson[vlen] = '\0';
			seen_lesson = true;
		} else if (KEY("step")) {
			if (seen_step || !parse_uint(val, vlen, STEP_MAX,
			    &p->step))
				goto bad_value;
			seen_step = true;
		} else if (KEY("lang")) {
			if (seen_lang || !valid_lang(val, vlen))
				goto bad_value;
			memcpy(p->lang, val, vlen);
			p->lang[vlen] = '\0';
			seen_lang = true;
		} else if (KEY("done")) {
			char id[PROGRESS_ID_MAX];

			if (!valid_id(val, vlen))
				goto bad_value;
			memcpy(id, val, vlen);
			id[vlen] = '\0';
			if (!progress_is_done(p, id) &&
			    p->ndone == PROGRESS_MAX_ITEMS)
				return fail(p, cause, xasprintf("line %d: "
				    "more than %d 'done' entries", lineno,
				    PROGRESS_MAX_ITEMS));
			progress_mark_done(p, id);
		}
		/* Any other key is a newer version's: skip it. */
#undef KEY
		continue;
bad_value:
		return fail(p, cause, xasprintf("line %d: bad or repeated "
		    "value for '%.*s'", lineno, (int)klen, key));
	}
	if (lineno == 0)
		return fail(p, cause, xasprintf("line 1: expected '%s %d', "
		    "found an empty file", MAGIC, VERSION_NOW));
	return 1;
}

int
progress_load(const char *path, struct progress *p, char **cause)
{
	char *buf, *why;
	size_t len;
	int rc;

	*cause = NULL;
	memset(p, 0, sizeof *p);
	buf = util_read_file(path, FILE_MAX, &len);
	if (buf == NULL) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, errno == EFBIG ?
		    "too large for a progress file" : errno == UTIL_ENOTREG ?
		    "not a regular file" : strerror(errno));
		return -1;
	}
	rc = progress_parse(buf, len, p, &why);
	free(buf);
	if (rc == -1) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return rc;
}

char *
progress_set_aside(const char *path, char **cause)
{
	char *bad = xasprintf("%s.bad", path);

	*cause = NULL;
	/* rename() moves the name, never opens what it names: a FIFO or a
	 * link to a device goes aside as harmlessly as a file. */
	if (rename(path, bad) == -1) {
		*cause = xasprintf("%s: %s", bad, strerror(errno));
		free(bad);
		return NULL;
	}
	return bad;
}

void
progress_saved_lang(const char *path, char lang[4])
{
	struct progress p;
	char *cause = NULL;

	lang[0] = '\0';
	if (progress_load(path, &p, &cause) == 1)
		memcpy(lang, p.lang, sizeof p.lang);
	free(cause);
}

/* "mkdir -p dir".  Returns 0, or -1 with errno
 * set and *where naming the directory that failed. */
static int
make_dirs(const char *dir, char **where)
{
	char *d = xstrdup(dir), *s;
	struct stat st;

	for (s = d + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(d, 0700) == -1) {
			/* EEXIST says nothing about what exists: it must be
			 * a directory, or nothing can be made below it. */
			if (errno != EEXIST || stat(d, &st) == -1) {
				*where = d;
				return -1;
			}
			if (!S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				*where = d;
				return -1;
			}
		}
		if (c == '\0')
			break;
		*s = c;
	}
	free(d);
	return 0;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The file's text, or NULL with *cause when p holds what the reader would
 * refuse (a bug in the caller; refusing it keeps the file readable). */
static char *
format(const struct progress *p, size_t *len, char **cause)
{
	size_t cap = 64 + (p->ndone + 3) * (PROGRESS_ID_MAX + 8), n, i;
	char *buf = xmalloc(cap);

	n = (size_t)snprintf(buf, cap, "%s %d\n", MAGIC, VERSION_NOW);
	if (p->lesson[0] != '\0') {
		if (!valid_id(p->lesson, strnlen(p->lesson, PROGRESS_ID_MAX)))
			goto bad;
		n += (size_t)snprintf(buf + n, cap - n, "lesson %s\n",
		    p->lesson);
		if (p->step > STEP_MAX)
			goto bad;
		n += (size_t)snprintf(buf + n, cap - n, "step %u\n", p->step);
	}
	if (p->lang[0] != '\0') {
		if (!valid_lang(p->lang, strnlen(p->lang, sizeof p->lang)))
			goto bad;
		n += (size_t)snprintf(buf + n, cap - n, "lang %s\n", p->lang);
	}
	if (p->ndone > PROGRESS_MAX_ITEMS)
		goto bad;
	for (i = 0; i < p->ndone; i++) {
		if (!valid_id(p->done[i], strnlen(p->done[i],
		    PROGRESS_ID_MAX)))
			goto bad;
		n += (size_t)snprintf(buf + n, cap - n, "done %s\n",
		    p->done[i]);
	}
	*len = n;
	return buf;
bad:
	free(buf);
	*cause = xstrdup("the progress to save holds an invalid value");
	return NULL;
}

int
progress_save(const char *path, const struct progress *p, char **cause)
{
	char *copy, *dir, *tmp = NULL, *where = NULL, *buf;
	size_t len;
	int fd = -1, dfd, saved;

	*cause = NULL;
	buf = format(p, &len, cause);
	if (buf == NULL)
		return -1;
	copy = xstrdup(path);
	dir = dirname(copy);
	if (make_dirs(dir, &where) == -1) {
		*cause = xasprintf("%s: %s", where, strerror(errno));
		free(where);
		goto out;
	}
	tmp = xasprintf("%s/.progress.XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (write_all(fd, buf, len) == -1 || fsync(fd) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* Make the rename itself durable; a failure here loses nothing
	 * that was there before, so it is not reported. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		while (fsync(dfd) == -1 && errno == EINTR)
			;
		close(dfd);
	}
out:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(copy);
	free(buf);
	errno = saved;
	return *cause == NULL ? 0 : -1;
}

bool
progress_is_done(const struct progress *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ndone && i < PROGRESS_MAX_ITEMS; i++)
		if (strncmp(p->done[i], id, PROGRESS_ID_MAX) == 0)
			return true;
	return false;
}

void
progress_mark_done(struct progress *p, const char *id)
{
	size_t n = strlen(id);

	/* A full list or an id that does not fit is dropped: the progress
	 * file is a convenience, never a reason to stop. */
	if (n == 0 || n >= PROGRESS_ID_MAX || p->ndone >= PROGRESS_MAX_ITEMS ||
	    progress_is_done(p, id))
		return;
	memcpy(p->done[p->ndone], id, n + 1);
	p->ndone++;
}

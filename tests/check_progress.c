/* check_progress.c - the progress file: a round trip through a real file,
 * a missing file, every kind of garbage the reader must refuse without
 * crashing, keys from a newer version, an unwritable place, and the old
 * file surviving a write that fails half-way. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "tap.h"
#include "util.h"

/* A fresh scratch directory for one test (each test runs in its own
 * process; the directory is removed by remove_tree). */
static char *
scratch(void)
{
	const char *t = getenv("TMPDIR");
	char *d = xasprintf("%s/check_progress.XXXXXX",
	    t != NULL && t[0] != '\0' ? t : "/tmp");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static void
remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void
write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* How many entries the directory holds besides . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
sample(struct progress *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->lesson, "ports");
	p->step = 3;
	strcpy(p->lang, "it");
	progress_mark_done(p, "what-is-a-socket");
	progress_mark_done(p, "ports:3");
	progress_mark_done(p, "ex.bind_twice");
}

START_TEST(test_round_trip)
{
	char *dir = scratch(), *path, *cause = NULL;
	struct progress in, out;

	sample(&in);
	/* Two directories that do not exist yet. */
	path = xasprintf("%s/state/socktutor/progress", dir);
	ck_assert_int_eq(progress_save(path, &in, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(progress_load(path, &out, &cause), 1);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(out.lesson, "ports");
	ck_assert_uint_eq(out.step, 3);
	ck_assert_str_eq(out.lang, "it");
	ck_assert_uint_eq(out.ndone, 3);
	ck_assert(progress_is_done(&out, "what-is-a-socket"));
	ck_assert(progress_is_done(&out, "ports:3"));
	ck_assert(progress_is_done(&out, "ex.bind_twice"));
	ck_assert(!progress_is_done(&out, "ports"));

	/* Overwriting leaves exactly one file, no temporary behind. */
	in.step = 4;
	ck_assert_int_eq(progress_save(path, &in, &cause), 0);
	ck_assert_int_eq(progress_load(path, &out, &cause), 1);
	ck_assert_uint_eq(out.step, 4);
	free(path);
	path = xasprintf("%s/state/socktutor", dir);
	ck_assert_int_eq(count_entries(path), 1);

	/* An empty progress is a valid file too. */
	free(path);
	path = xasprintf("%s/empty", dir);
	memset(&in, 0, sizeof in);
	ck_assert_int_eq(progress_save(path, &in, &cause), 0);
	ck_assert_int_eq(progress_load(path, &out, &cause), 1);
	ck_assert_str_eq(out.lesson, "");
	ck_assert_uint_eq(out.ndone, 0);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_missing)
{
	char *dir = scratch(), *path = xasprintf("%s/nothing/progress", dir);
	char *cause = NULL;
	struct progress p;

	memset(&p, 0xa5, sizeof p);
	ck_assert_int_eq(progress_load(path, &p, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(p.lesson, "");
	ck_assert_uint_eq(p.ndone, 0);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_mark_done)
{
	struct progress p;
	char id[PROGRESS_ID_MAX + 8];
	int i;

	memset(&p, 0, sizeof p);
	progress_mark_done(&p, "a");
	progress_mark_done(&p, "a");
	ck_assert_uint_eq(p.ndone, 1);
	memset(id, 'x', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	progress_mark_done(&p, id);	/* too long: dropped, not cut */
	ck_assert_uint_eq(p.ndone, 1);
	for (i = 0; i < PROGRESS_MAX_ITEMS + 10; i++) {
		snprintf(id, sizeof id, "item%d", i);
		progress_mark_done(&p, id);
	}
	ck_assert_uint_eq(p.ndone, PROGRESS_MAX_ITEMS);
	ck_assert(progress_is_done(&p, "item0"));
}
END_TEST

/* Parse text that must be refused, with a cause mentioning what. */
static void
assert_corrupt(const char *text, size_t len, const char *what)
{
	struct progress p;
	char *cause = NULL;

	memset(&p, 0x5a, sizeof p);
	ck_assert_msg(progress_parse(text, len, &p, &cause) == -1,
	    "accepted: '%.*s'", (int)(len > 60 ? 60 : len), text);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, what) != NULL,
	    "cause '%s' does not mention '%s'", cause, what);
	/* A refused file leaves nothing half-read behind. */
	ck_assert_str_eq(p.lesson, "");
	ck_assert_str_eq(p.lang, "");
	ck_assert_uint_eq(p.step, 0);
	ck_assert_uint_eq(p.ndone, 0);
	free(cause);
}

#define CORRUPT(s, what) assert_corrupt(s, sizeof s - 1, what)

START_TEST(test_corrupt)
{
	CORRUPT("", "empty");
	CORRUPT("\n", "line 1");
	CORRUPT("socktutor-progress\n", "line 1");
	CORRUPT("socktutor-progress 0\n", "line 1");
	CORRUPT("socktutor-progress x\n", "line 1");
	CORRUPT("socktutor-progress 1x\n", "line 1");
	CORRUPT("socktutor-progress 99999999999999999999\n", "line 1");
	CORRUPT("something-else 1\nlesson ports\n", "line 1");
	CORRUPT("\xef\xbb\xbfsocktutor-progress 1\n", "line 1");
	CORRUPT("socktutor-progress 1\nlesson\n", "line 2");
	CORRUPT("socktutor-progress 1\nlesson \n", "line 2");
	CORRUPT("socktutor-progress 1\nlesson a b\n", "line 2");
	CORRUPT("socktutor-progress 1\nlesson ../../etc\n", "line 2");
	CORRUPT("socktutor-progress 1\nlesson a\nlesson b\n", "line 3");
	CORRUPT("socktutor-progress 1\nstep -1\n", "line 2");
	CORRUPT("socktutor-progress 1\nstep 4294967297\n", "line 2");
	CORRUPT("socktutor-progress 1\nstep 3x\n", "line 2");
	CORRUPT("socktutor-progress 1\nstep\n", "line 2");
	CORRUPT("socktutor-progress 1\nlang english\n", "line 2");
	CORRUPT("socktutor-progress 1\nlang IT\n", "line 2");
	CORRUPT("socktutor-progress 1\nlang e\n", "line 2");
	CORRUPT("socktutor-progress 1\ndone\n", "line 2");
	CORRUPT("socktutor-progress 1\ndone a\xc3\xa8\n", "line 2");
	CORRUPT("socktutor-progress 1\n lesson a\n", "line 2");
	CORRUPT("socktutor-progress 1\nLesson a\n", "line 2");
	CORRUPT("socktutor-progress 1\nlesson a\r\n", "control");
	CORRUPT("socktutor-progress 1\nlesson a\033[2J\n", "control");
	CORRUPT("socktutor-progress 1\nlesson a\0b\n", "control");
	CORRUPT("socktutor-progress 1\r\n", "control");
}
END_TEST

START_TEST(test_overlong)
{
	struct progress p;
	char *cause = NULL, *buf, id[PROGRESS_ID_MAX + 1];
	size_t n = 100000, i;

	/* One huge line. */
	buf = xmalloc(n);
	memcpy(buf, "socktutor-progress 1\nlesson ", 28);
	memset(buf + 28, 'a', n - 28);
	ck_assert_int_eq(progress_parse(buf, n, &p, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "line 2"));
	free(cause);
	/* A huge first line. */
	memset(buf, 's', n);
	ck_assert_int_eq(progress_parse(buf, n, &p, &cause), -1);
	free(cause);
	free(buf);

	/* An id one byte too long for the struct. */
	memset(id, 'b', PROGRESS_ID_MAX);
	id[PROGRESS_ID_MAX] = '\0';
	buf = xasprintf("socktutor-progress 1\ndone %s\n", id);
	ck_assert_int_eq(progress_parse(buf, strlen(buf), &p, &cause), -1);
	free(cause);
	free(buf);
	/* The longest id that fits is fine. */
	id[PROGRESS_ID_MAX - 1] = '\0';
	buf = xasprintf("socktutor-progress 1\nlesson %s\n", id);
	ck_assert_int_eq(progress_parse(buf, strlen(buf), &p, &cause), 1);
	ck_assert_str_eq(p.lesson, id);
	free(buf);

	/* More done entries than the struct holds. */
	buf = xstrdup("socktutor-progress 1\n");
	for (i = 0; i <= PROGRESS_MAX_ITEMS; i++) {
		char *more = xasprintf("%sdone d%zu\n", buf, i);

		free(buf);
		buf = more;
	}
	ck_assert_int_eq(progress_parse(buf, strlen(buf), &p, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "more than"));
	free(cause);
	free(buf);

	/* A file larger than any progress file is refused by the loader. */
	{
		char *dir = scratch(), *path = xasprintf("%s/p", dir);

		n = 1024 * 1024;
		buf = xmalloc(n);
		memset(buf, '\n', n);
		memcpy(buf, "socktutor-progress 1\n", 21);
		write_text(path, buf, n);
		ck_assert_int_eq(progress_load(path, &p, &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, path));
		free(cause);
		free(buf);
		free(path);
		remove_tree(dir);
		free(dir);
	}
}
END_TEST

START_TEST(test_newer_version)
{
	static const char text[] =
	    "socktutor-progress 3\n"
	    "# written by a later socktutor\n"
	    "theme dark\n"
	    "lesson udp\n"
	    "\n"
	    "step 2\n"
	    "bookmarks ports:2 server:4\n"
	    "done udp:1\n"
	    "lang it";		/* no final newline */
	struct progress p;
	char *cause = NULL;

	ck_assert_int_eq(progress_parse(text, sizeof text - 1, &p, &cause), 1);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(p.lesson, "udp");
	ck_assert_uint_eq(p.step, 2);
	ck_assert_str_eq(p.lang, "it");
	ck_assert_uint_eq(p.ndone, 1);
	ck_assert_str_eq(p.done[0], "udp:1");
}
END_TEST

START_TEST(test_load_corrupt_names_file)
{
	char *dir = scratch(), *path = xasprintf("%s/progress", dir);
	char *cause = NULL;
	struct progress p;

	write_text(path, "socktutor-progress 1\nstep many\n", 31);
	ck_assert_int_eq(progress_load(path, &p, &cause), -1);
	ck_assert_msg(strncmp(cause, path, strlen(path)) == 0 &&
	    strstr(cause, "line 2") != NULL, "cause: %s", cause);
	free(cause);
	/* A directory where the file should be. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(progress_load(path, &p, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* A FIFO or a link to a device where the file should be: refused at once
 * (a blocking open would hang here, and Check's timeout would fail the
 * test), as "not a regular file". */
START_TEST(test_not_regular)
{
	char *dir = scratch(), *path = xasprintf("%s/progress", dir);
	char *cause = NULL, lang[4] = "x";
	struct progress p;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(progress_load(path, &p, &cause), -1);
	ck_assert_msg(strstr(cause, "not a regular file") != NULL, "%s", cause);
	free(cause);
	progress_saved_lang(path, lang);
	ck_assert_str_eq(lang, "");
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/dev/null", path), 0);
	ck_assert_int_eq(progress_load(path, &p, &cause), -1);
	ck_assert_msg(strstr(cause, "not a regular file") != NULL, "%s", cause);
	free(cause);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* An unreadable file goes aside whole as progress.bad, replacing an
 * older one; nothing else in the directory changes. */
START_TEST(test_set_aside)
{
	char *dir = scratch(), *path = xasprintf("%s/progress", dir);
	char *cause = NULL, *bad, *want = xasprintf("%s.bad", path), *kept;
	size_t n = 100 * 1024, len = 0, i;
	char *junk = xmalloc(n);
	struct progress p;

	for (i = 0; i < n; i++)
		junk[i] = (char)('a' + i % 26);
	write_text(path, junk, n);
	ck_assert_int_eq(progress_load(path, &p, &cause), -1);
	free(cause);
	bad = progress_set_aside(path, &cause);
	ck_assert_msg(bad != NULL, "%s", cause);
	ck_assert_str_eq(bad, want);
	ck_assert_int_eq(access(path, F_OK), -1);
	kept = util_read_file(bad, 1 << 20, &len);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(kept, junk, n);
	free(kept);
	free(bad);
	/* One generation: the next bad file replaces it. */
	write_text(path, "garbage\n", 8);
	bad = progress_set_aside(path, &cause);
	ck_assert_ptr_nonnull(bad);
	kept = util_read_file(bad, 1 << 20, &len);
	ck_assert_uint_eq(len, 8);
	free(kept);
	free(bad);
	ck_assert_int_eq(count_entries(dir), 1);
	/* Nothing to set aside: NULL and why. */
	ck_assert_ptr_null(progress_set_aside(path, &cause));
	ck_assert_ptr_nonnull(cause);
	free(cause);
	free(junk);
	free(want);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* The saved language is read, and only read. */
START_TEST(test_saved_lang)
{
	char *dir = scratch(), *path = xasprintf("%s/progress", dir);
	static const char text[] = "socktutor-progress 1\nlesson ports\n"
	    "step 2\nlang it\n";
	char lang[4] = "x";
	struct stat before, after;

	progress_saved_lang(path, lang);
	ck_assert_str_eq(lang, "");
	write_text(path, text, sizeof text - 1);
	ck_assert_int_eq(stat(path, &before), 0);
	progress_saved_lang(path, lang);
	ck_assert_str_eq(lang, "it");
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_int_eq(before.st_ino, after.st_ino);
	ck_assert_int_eq(before.st_mtime, after.st_mtime);
	write_text(path, "socktutor-progress 1\nlang 12\n", 29);
	progress_saved_lang(path, lang);
	ck_assert_str_eq(lang, "");
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_unwritable)
{
	char *dir = scratch(), *file = xasprintf("%s/state", dir);
	char *path = xasprintf("%s/state/socktutor/progress", dir);
	char *cause = NULL;
	struct progress p;

	/* Tests run as root, so permissions prove nothing: a regular file
	 * stands where a directory must be. */
	write_text(file, "not a directory\n", 16);
	sample(&p);
	ck_assert_int_eq(progress_save(path, &p, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, file) != NULL &&
	    strstr(cause, strerror(ENOTDIR)) != NULL, "cause: %s", cause);
	free(cause);
	/* The file in the way is untouched. */
	ck_assert_int_eq(count_entries(dir), 1);

	/* The path itself is a directory: rename cannot replace it. */
	free(path);
	path = xasprintf("%s/adir", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	free(file);
	file = xasprintf("%s/adir/keep", dir);
	write_text(file, "x", 1);
	ck_assert_int_eq(progress_save(path, &p, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	/* No temporary file left behind in the parent. */
	ck_assert_int_eq(count_entries(dir), 2);

	/* Invalid contents are refused before anything is written. */
	free(path);
	path = xasprintf("%s/bad", dir);
	strcpy(p.lesson, "has space");
	ck_assert_int_eq(progress_save(path, &p, &cause), -1);
	free(cause);
	ck_assert_int_eq(access(path, F_OK), -1);
	free(path);
	free(file);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_atomic)
{
	char *dir = scratch(), *path = xasprintf("%s/progress", dir);
	char *cause = NULL, *before, *after;
	struct progress p, q;
	struct rlimit rl, old;
	size_t blen, alen;
	int i;

	sample(&p);
	ck_assert_int_eq(progress_save(path, &p, &cause), 0);
	before = util_read_file(path, 1 << 20, &blen);
	ck_assert_ptr_nonnull(before);

	/* Make every write past a few bytes fail (EFBIG instead of the
	 * signal): the new file is cut short half-way, as on a full disk. */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	rl = old;
	rl.rlim_cur = 40;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	for (i = 0; i < 40; i++) {
		char id[32];

		snprintf(id, sizeof id, "lesson-number-%d", i);
		progress_mark_done(&p, id);
	}
	i = progress_save(path, &p, &cause);
	/* Check itself writes files: lift the limit before asserting. */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	ck_assert_int_eq(i, -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, strerror(EFBIG)) != NULL, "cause: %s",
	    cause);
	free(cause);

	/* The old file is whole, and the only file there. */
	after = util_read_file(path, 1 << 20, &alen);
	ck_assert_ptr_nonnull(after);
	ck_assert_uint_eq(alen, blen);
	ck_assert(memcmp(before, after, blen) == 0);
	ck_assert_int_eq(progress_load(path, &q, &cause), 1);
	ck_assert_uint_eq(q.ndone, 3);
	ck_assert_int_eq(count_entries(dir), 1);
	free(before);
	free(after);
	free(path);
	remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("file");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_mark_done);
	tcase_add_test(tc, test_unwritable);
	tcase_add_test(tc, test_atomic);
	tcase_add_test(tc, test_load_corrupt_names_file);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_set_aside);
	tcase_add_test(tc, test_saved_lang);
	suite_add_tcase(s, tc);
	tc = tcase_create("parser");
	tcase_add_test(tc, test_corrupt);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_newer_version);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(progress_suite());
}

/* check_i18n.c - the real catalogs: every lesson string and every UI
 * string has an Italian translation that differs from the English, the
 * extractor's .pot and the runtime agree on every msgid, and the live
 * switch returns the right text each time, whatever LANG says. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lesson.h"
#include "tap.h"
#include "util.h"

/* Strings that are the same in both languages on purpose. */
static const char *const same_in_both[] = {
	"socket", "client", "server", "bind()", "listen()", "accept()",
	"connect()", "send()", "recv()", "close()", "OK", "Socket", "Server",
	"Client", "fd %d", "%s", "%s:%d", "%d/%d", "%zu/%zu", "kernel",
	NULL
};

static int
allowed(const char *msgid)
{
	size_t i;

	for (i = 0; same_in_both[i] != NULL; i++)
		if (strcmp(same_in_both[i], msgid) == 0)
			return 1;
	return 0;
}

static const char *
localedir(void)
{
	const char *d = getenv("SOCKTUTOR_LOCALEDIR");

	return d != NULL ? d : "../po/locale";
}

/* The msgids of a .pot or .po file, as a NULL-terminated array. */
static char **
read_msgids(const char *path, size_t *n)
{
	char *buf = util_read_file(path, 16 * 1024 * 1024, NULL);
	char **ids = NULL;
	char *line, *save = NULL, *cur = NULL;
	int in_id = 0;

	ck_assert_msg(buf != NULL, "cannot read %s", path);
	*n = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *q = NULL;

		if (strncmp(line, "msgid \"", 7) == 0) {
			free(cur);
			cur = xstrdup("");
			in_id = 1;
			q = line + 6;
		} else if (line[0] == '"' && in_id) {
			q = line;
		} else if (in_id) {
			in_id = 0;
			if (cur[0] != '\0') {
				ids = xreallocarray(ids, *n + 2, sizeof *ids);
				ids[(*n)++] = cur;
				ids[*n] = NULL;
			} else {
				free(cur);
			}
			cur = NULL;
		}
		if (q != NULL) {
			/* Unquote one "..." chunk (\n \t \" \\). */
			size_t l = strlen(cur), k;
			char *c = xmalloc(l + strlen(q) + 1);

			memcpy(c, cur, l);
			for (k = 1; q[k] != '\0' && q[k] != '"'; k++) {
				if (q[k] == '\\' && q[k + 1] != '\0') {
					k++;
					c[l++] = q[k] == 'n' ? '\n' :
					    q[k] == 't' ? '\t' : q[k];
				} else {
					c[l++] = q[k];
				}
			}
			c[l] = '\0';
			free(cur);
			cur = c;
		}
	}
	free(cur);
	free(buf);
	return ids;
}

static void
free_ids(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
	size_t n, untranslated;
	char **pot;
	size_t npot;
	size_t notinpot;
};

static void
check_text(const struct lesson_text *t, void *arg)
{
	struct walk *w = arg;
	const char *it = i18n_text(t->msgid);

	w->n++;
	if (strcmp(it, t->msgid) == 0 && !allowed(t->msgid)) {
		w->untranslated++;
		fprintf(stderr, "# untranslated: %s\n", t->msgid);
	}
	{
		const char *key = t->msgid;

		if (bsearch(&key, w->pot, w->npot, sizeof *w->pot,
		    by_str) != NULL)
			return;
	}
	w->notinpot++;
	fprintf(stderr, "# not in lessons.pot: %s\n", t->msgid);
}

START_TEST(test_lessons_translated)
{
	char *dir = tap_srcpath("lessons"), *potpath =
	    tap_srcpath("lessons/lessons.pot");
	struct lesson **ls = NULL;
	char *cause = NULL;
	struct walk w = { 0, 0, NULL, 0, 0 };
	int n, i;

	w.pot = read_msgids(potpath, &w.npot);
	qsort(w.pot, w.npot, sizeof *w.pot, by_str);
	ck_assert(i18n_init("it", NULL, localedir()));
	n = lesson_load_dir(dir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	for (i = 0; i < n; i++)
		lesson_foreach_text(ls[i], check_text, &w);
	ck_assert_uint_gt(w.n, 0);
	ck_assert_msg(w.untranslated == 0, "%zu of %zu lesson strings have "
	    "no Italian translation", w.untranslated, w.n);
	ck_assert_msg(w.notinpot == 0, "%zu lesson strings are missing from "
	    "lessons/lessons.pot (run make)", w.notinpot);
	lesson_free_all(ls, (size_t)n);
	free_ids(w.pot, w.npot);
	free(dir);
	free(potpath);
}
END_TEST

/* Every msgid of the extractor's .pot is one the runtime looks up. */
struct ids {
	const char **v;
	size_t n;
};

static void
collect(const struct lesson_text *t, void *arg)
{
	struct ids *ids = arg;

	ids->v = xreallocarray(ids->v, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = t->msgid;
}

START_TEST(test_pot_matches_runtime)
{
	char *dir = tap_srcpath("lessons"), *potpath =
	    tap_srcpath("lessons/lessons.pot");
	struct lesson **ls = NULL;
	struct ids ids = { NULL, 0 };
	char *cause = NULL, **pot;
	size_t npot, k;
	int n, i;

	pot = read_msgids(potpath, &npot);
	n = lesson_load_dir(dir, &ls, &cause);
	ck_assert_msg(n > 0, "%s", cause ? cause : "");
	for (i = 0; i < n; i++)
		lesson_foreach_text(ls[i], collect, &ids);
	qsort(ids.v, ids.n, sizeof *ids.v, by_str);
	for (k = 0; k < npot; k++) {
		const char *key = pot[k];

		ck_assert_msg(bsearch(&key, ids.v, ids.n, sizeof *ids.v,
		    by_str) != NULL, "lessons.pot has a msgid no lesson "
		    "uses: %s (run make)", pot[k]);
	}
	free(ids.v);
	lesson_free_all(ls, (size_t)n);
	free_ids(pot, npot);
	free(dir);
	free(potpath);
}
END_TEST

/* Every UI string of the program is translated in the compiled catalog.
 * The msgids come from the sources as they are now (xgettext over
 * po/POTFILES.in's C files), so a new string cannot slip by. */
START_TEST(test_ui_translated)
{
	char *potfiles = tap_srcpath("po/POTFILES.in"), *top =
	    tap_srcpath(""), *buf, *line, *save = NULL, *cmd, **ids;
	char tmp[] = "/tmp/socktutor-ui.XXXXXX";
	size_t n, i, bad = 0;
	int fd;

	buf = util_read_file(potfiles, 65536, NULL);
	ck_assert_ptr_nonnull(buf);
	fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	close(fd);
	cmd = xasprintf("cd '%s' && xgettext --from-code=UTF-8 "
	    "--keyword=_ --keyword=N_ -o '%s'", top, tmp);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		char *c;

		if (line[0] == '#' || l < 3 || strcmp(line + l - 2, ".c") != 0)
			continue;
		c = xasprintf("%s %s", cmd, line);
		free(cmd);
		cmd = c;
	}
	ck_assert_int_eq(system(cmd), 0);
	ids = read_msgids(tmp, &n);
	ck_assert(i18n_init("it", NULL, localedir()));
	for (i = 0; i < n; i++) {
		if (strcmp(i18n_text(ids[i]), ids[i]) == 0 &&
		    !allowed(ids[i])) {
			bad++;
			fprintf(stderr, "# untranslated: %s\n", ids[i]);
		}
	}
	ck_assert_uint_gt(n, 10);
	ck_assert_msg(bad == 0, "%zu UI strings have no Italian "
	    "translation", bad);
	unlink(tmp);
	free_ids(ids, n);
	free(cmd);
	free(buf);
	free(potfiles);
	free(top);
}
END_TEST

static void
switch_back_and_forth(void)
{
	const char *en = "The bartender";

	ck_assert(i18n_init(NULL, NULL, localedir()));
	ck_assert_int_eq(i18n_get(), I18N_EN);
	ck_assert_str_eq(i18n_text(en), "The bartender");
	ck_assert_str_eq(i18n_code(), "EN");
	i18n_set(I18N_IT);
	ck_assert_str_eq(i18n_text(en), "Il barista");
	ck_assert_str_eq(i18n_code(), "IT");
	i18n_set(I18N_EN);
	ck_assert_str_eq(i18n_text(en), "The bartender");
	i18n_set(I18N_IT);
	ck_assert_str_eq(i18n_text(en), "Il barista");
	i18n_set(I18N_EN);
	ck_assert_str_eq(i18n_text(en), "The bartender");
}

START_TEST(test_switch_lang_c)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_MESSAGES");
	setenv("LC_ALL", "C", 1);
	setenv("LANG", "C", 1);
	switch_back_and_forth();
}
END_TEST

START_TEST(test_switch_lang_unset)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	switch_back_and_forth();
}
END_TEST

START_TEST(test_switch_missing_locale)
{
	/* A locale that is not installed on this machine. */
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	setenv("LANG", "de_DE.UTF-8", 1);
	switch_back_and_forth();
}
END_TEST

START_TEST(test_env_picks_italian)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "it_IT.UTF-8", 1);
	ck_assert(i18n_init(NULL, NULL, localedir()));
	ck_assert_int_eq(i18n_get(), I18N_IT);
	ck_assert_str_eq(i18n_text("The bartender"), "Il barista");
}
END_TEST

START_TEST(test_language_list)
{
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "C.UTF-8", 1);
	/* The first language of the list that we have wins. */
	setenv("LANGUAGE", "fr:it", 1);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_IT);
	setenv("LANGUAGE", "fr_FR:en_GB:it", 1);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_EN);
	setenv("LANGUAGE", "de::it_IT.UTF-8", 1);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_IT);
	/* "iu" (Inuktitut) is not Italian, nor is "ita". */
	setenv("LANGUAGE", "iu:ita", 1);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_EN);
	/* None of ours: the locale variables decide. */
	setenv("LANGUAGE", "fr", 1);
	setenv("LANG", "it_IT.UTF-8", 1);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_IT);
	setenv("LANGUAGE", "fr:it", 1);
	ck_assert(i18n_init(NULL, NULL, localedir()));
	ck_assert_int_eq(i18n_get(), I18N_IT);
	ck_assert_str_eq(i18n_text("The bartender"), "Il barista");
}
END_TEST

/* The progress file's language stands between LANGUAGE and the locale
 * variables: --lang, then LANGUAGE, then the saved one, then LC_ALL,
 * LC_MESSAGES and LANG, then English. */
START_TEST(test_saved_language)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	ck_assert_int_eq(i18n_from_env("it"), I18N_IT);
	ck_assert_int_eq(i18n_from_env("en"), I18N_EN);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_EN);
	ck_assert_int_eq(i18n_from_env("xx"), I18N_EN);
	/* The saved language wins over the locale variables... */
	setenv("LANG", "en_US.UTF-8", 1);
	setenv("LC_MESSAGES", "en_US.UTF-8", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	ck_assert_int_eq(i18n_from_env("it"), I18N_IT);
	setenv("LANG", "it_IT.UTF-8", 1);
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	ck_assert_int_eq(i18n_from_env("en"), I18N_EN);
	ck_assert_int_eq(i18n_from_env(NULL), I18N_IT);
	/* ...and LANGUAGE over the saved language, unless it names none of
	 * ours. */
	setenv("LANGUAGE", "en", 1);
	ck_assert_int_eq(i18n_from_env("it"), I18N_EN);
	setenv("LANGUAGE", "fr", 1);
	ck_assert_int_eq(i18n_from_env("en"), I18N_EN);
	ck_assert_int_eq(i18n_from_env("it"), I18N_IT);
	/* --lang over everything. */
	unsetenv("LANGUAGE");
	ck_assert(i18n_init(NULL, "it", localedir()));
	ck_assert_int_eq(i18n_get(), I18N_IT);
	ck_assert(i18n_init("en", "it", localedir()));
	ck_assert_int_eq(i18n_get(), I18N_EN);
}
END_TEST

START_TEST(test_missing_catalog_falls_back)
{
	ck_assert(!i18n_init("it", NULL, "/nonexistent/locale"));
	ck_assert_int_eq(i18n_get(), I18N_IT);
	/* English, never an empty line. */
	ck_assert_str_eq(i18n_text("The bartender"), "The bartender");
	ck_assert_str_eq(i18n_text("no such message"), "no such message");
}
END_TEST

/* Translations reach the terminal as they are: it.po holds no control
 * character, no invisible or bidirectional one (util_text_safe), and no
 * C escape that could make one ("\033", "\x1b", "\a"): only \n, \t,
 * \" and \\. */
START_TEST(test_catalog_text_safe)
{
	char *path = tap_srcpath("po/it.po");
	char *buf = util_read_file(path, 16 * 1024 * 1024, NULL);
	char *line, *save = NULL;
	int no = 0;

	ck_assert_msg(buf != NULL, "cannot read %s", path);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *b;

		no++;
		ck_assert_msg(util_text_safe(line, strlen(line)),
		    "po/it.po: a line holds a control or invisible character: "
		    "%s", line);
		for (b = strchr(line, '\\'); b != NULL;
		    b = strchr(b + 2, '\\'))
			ck_assert_msg(b[1] == 'n' || b[1] == 't' ||
			    b[1] == '"' || b[1] == '\\',
			    "po/it.po: escape '\\%c' in: %s", b[1], line);
	}
	ck_assert_int_gt(no, 100);
	free(buf);
	free(path);
}
END_TEST

static Suite *
i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("catalog");

	tcase_add_test(tc, test_lessons_translated);
	tcase_add_test(tc, test_pot_matches_runtime);
	tcase_add_test(tc, test_ui_translated);
	tcase_add_test(tc, test_catalog_text_safe);
	suite_add_tcase(s, tc);
	tc = tcase_create("switch");
	tcase_add_test(tc, test_switch_lang_c);
	tcase_add_test(tc, test_switch_lang_unset);
	tcase_add_test(tc, test_switch_missing_locale);
	tcase_add_test(tc, test_env_picks_italian);
	tcase_add_test(tc, test_language_list);
	tcase_add_test(tc, test_saved_language);
	tcase_add_test(tc, test_missing_catalog_falls_back);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tap_run(i18n_suite());
}

/* main.c - reads the options, finds the lessons and the catalogs, and
 * starts the curses interface or plain mode.  Only main decides to exit:
 * 2 for bad options, 1 for broken lessons, else what the interface says. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "i18n.h"
#include "netns.h"
#include "plain.h"
#include "progress.h"
#include "ui.h"
#include "util.h"

enum {
	OPT_LANG = 256, OPT_LESSON, OPT_LIST, OPT_PORT, OPT_LISTEN,
	OPT_BACKLOG, OPT_MAX_CUSTOMERS, OPT_MAX_PER_ADDRESS, OPT_PLAIN,
	OPT_PRESENT, OPT_DOOR, OPT_PCAP
};

static const struct option options[] = {
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "lesson", required_argument, NULL, OPT_LESSON },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "backlog", required_argument, NULL, OPT_BACKLOG },
	{ "max-customers", required_argument, NULL, OPT_MAX_CUSTOMERS },
	{ "max-per-address", required_argument, NULL, OPT_MAX_PER_ADDRESS },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "present", no_argument, NULL, OPT_PRESENT },
	{ "door", required_argument, NULL, OPT_DOOR },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf(_("Usage: %s [OPTION]...\n"), PACKAGE);
	fputs(_("Learn TCP sockets by watching real ones: a live bartender "
	    "and customer\non this machine, explained step by step in "
	    "English or Italian.\n"), stdout);
	fputs("\n", stdout);
	fputs(_("      --lang=en|it       start in English or Italian\n"),
	    stdout);
	fputs(_("      --lesson=N|ID      start at this lesson "
	    "('sandbox' for the sandbox)\n"), stdout);
	fputs(_("      --list             list the lessons and exit\n"),
	    stdout);
	printf(_("      --port=N           the bartender's port (0 = any free "
	    "one; default %u)\n"), LAB_DEFAULT_PORT);
	fputs(_("      --listen=ADDR      address to listen on (default "
	    "127.0.0.1)\n"), stdout);
	fputs(_("      --backlog=N        the backlog passed to listen()\n"),
	    stdout);
	printf(_("      --max-customers=N  customers served at once "
	    "(default %u)\n"), LAB_DEFAULT_MAX_CUSTOMERS);
	fputs(_("      --max-per-address=N\n"
	    "                         at most N customers from one address "
	    "(no limit\n"
	    "                         by default)\n"), stdout);
	fputs(_("      --plain            plain lines, no screen drawing\n"),
	    stdout);
	fputs(_("      --present          lecture layout for a projector\n"),
	    stdout);
	fputs(_("      --door=PORT        with --present, the port where the "
	    "class answers\n                         (0 = any free one; "
	    "default: the bar's real port + 1)\n"), stdout);
	fputs(_("      --pcap=FILE        plain mode: save the lesson's "
	    "packets to FILE (pcap)\n"), stdout);
	fputs(_("  -h, --help             show this help and exit\n"),
	    stdout);
	fputs(_("  -V, --version          show version information and "
	    "exit\n"), stdout);
	fputs("\n", stdout);
	fputs(_("Keys: Right/Space/n next, Left/p/Backspace previous, "
	    "l English/Italian,\ng lessons, ? help, q quit.\n"), stdout);
	fputs(_("v the step's code, f save its program, b open the lab, "
	    "w the whole log.\n"), stdout);
}

static void
version(void)
{
	printf("%s %s\n", PACKAGE, VERSION);
	fputs("Copyright (C) 2026 the socktutor authors\n", stdout);
	fputs(_("License GPLv3+: GNU GPL version 3 or later "
	    "<https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and "
	    "redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n"),
	    stdout);
}

/* Prints what came from outside (a path, a lesson's title, a cause that
 * names a path) escaped, and then a line end. */
static void
put_line(FILE *f, const char *s)
{
	char *e = util_escape_str(s);

	fprintf(f, "%s\n", e);
	free(e);
}

static int
bad_value(const char *opt, const char *value, const char *what)
{
	char *e = util_escape_str(value);

	fprintf(stderr, _("%s: invalid value '%s' for --%s: %s\n"), PACKAGE,
	    e, opt, what);
	free(e);
	fprintf(stderr, _("Try '%s --help' for more information.\n"),
	    PACKAGE);
	return 2;
}

/* Is this program the one in the build tree?  Then it uses the lessons
 * and catalogs there, so it works without "make install". */
static int
in_build_tree(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0)
		return 0;
	self[n] = '\0';
	return strcmp(self, ST_BUILD_EXE) == 0;
}

static char *
state_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/socktutor/progress", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/socktutor/progress", home);
	return NULL;
}

static int
find_lesson(const struct app *app, const char *want, size_t *out)
{
	long n;
	size_t i;

	if (util_parse_num(want, (size_t)-1, 1, (long)app->nlessons, &n) == 0) {
		*out = (size_t)n - 1;
		return 0;
	}
	for (i = 0; i < app->nlessons; i++) {
		if (strcmp(app->lessons[i]->id, want) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* One warning on stderr when the Italian catalog is missing: the
 * program goes on, in English. */
static void
warn_catalog(const struct app *app, const char *localedir)
{
	char *e;

	if (app->catalog_ok)
		return;
	e = util_escape_str(localedir);
	fprintf(stderr, _("%s: warning: the Italian catalog was not "
	    "found in %s; Italian shows English text\n"), PACKAGE, e);
	free(e);
}

/* What the options ask for beyond struct app's settings. */
struct opts {
	const char *lang;	/* --lang, or NULL */
	const char *lesson;	/* --lesson, or NULL */
	bool list, plain;
	const char *lessondir, *localedir;
};

/* Where the lessons and the catalogs are: the build tree's when this is
 * the program there, else the installed ones; the environment may say
 * otherwise. */
static void
find_dirs(struct opts *o)
{
	int build = in_build_tree();
	const char *env;

	o->localedir = build ? ST_BUILD_LOCALEDIR : LOCALEDIR;
	env = getenv("SOCKTUTOR_LOCALEDIR");
	if (env != NULL && env[0] != '\0')
		o->localedir = env;
	o->lessondir = build ? ST_BUILD_LESSONDIR : ST_LESSONDIR;
	env = getenv("SOCKTUTOR_LESSONDIR");
	if (env != NULL && env[0] != '\0')
		o->lessondir = env;
}

/* The language before the options are read, so that --help and the
 * errors about options speak the one asked for. */
static void
early_language(int argc, char **argv, struct app *app, const char *localedir)
{
	const char *lang = NULL;
	char saved_lang[4] = "", *sp;
	int c;

	/* A first pass for --lang; the options are checked properly
	 * later. */
	for (c = 1; c < argc; c++)
		if (strncmp(argv[c], "--lang=", 7) == 0)
			lang = argv[c] + 7;
	if (i18n_parse(lang) < 0)
		lang = NULL;
	/* The language the learner last used, read (never written) in
	 * both modes: its place among the others is i18n_from_env's. */
	sp = state_path();
	if (sp != NULL)
		progress_saved_lang(sp, saved_lang);
	free(sp);
	app->catalog_ok = i18n_init(lang, saved_lang[0] != '\0' ?
	    saved_lang : NULL, localedir);
}

/* A number option's value from lo to hi into *v; else the exit status
 * of a bad value (2). */
static int
num_option(const char *name, long lo, long hi, long *v)
{
	char *what;
	int rc;

	if (util_parse_num(optarg, (size_t)-1, lo, hi, v) == 0)
		return -1;
	what = xasprintf(_("expected a number from %ld to %ld"), lo, hi);
	rc = bad_value(name, optarg, what);
	free(what);
	return rc;
}

/* One option, c, with its optarg.  Returns -1 to go on, or the exit
 * status (0 after --help and --version). */
static int
set_option(int c, struct app *app, struct opts *o)
{
	unsigned char buf[sizeof(struct in6_addr)];
	long v;
	int rc = -1;

	switch (c) {
	case OPT_LANG:
		if (i18n_parse(optarg) < 0)
			return bad_value("lang", optarg,
			    _("expected en or it"));
		o->lang = optarg;
		break;
	case OPT_LESSON:
		o->lesson = optarg;
		break;
	case OPT_LIST:
		o->list = true;
		break;
	case OPT_PORT:
		if ((rc = num_option("port", 0, 65535, &v)) == -1) {
			app->lab.port = (uint16_t)v;
			app->port_given = true;
		}
		break;
	case OPT_LISTEN:
		if (inet_pton(AF_INET, optarg, buf) != 1 &&
		    inet_pton(AF_INET6, optarg, buf) != 1)
			return bad_value("listen", optarg,
			    _("expected an IPv4 or IPv6 address"));
		app->lab.listen_addr = optarg;
		app->listen_given = strcmp(optarg, "127.0.0.1") != 0;
		break;
	case OPT_BACKLOG:
		if ((rc = num_option("backlog", 1, 65535, &v)) == -1)
			app->lab.backlog = (int)v;
		break;
	case OPT_MAX_CUSTOMERS:
		if ((rc = num_option("max-customers", 1, 100000, &v)) == -1)
			app->lab.max_customers = (unsigned)v;
		break;
	case OPT_MAX_PER_ADDRESS:
		if ((rc = num_option("max-per-address", 1, 100000, &v)) == -1)
			app->lab.max_per_address = (unsigned)v;
		break;
	case OPT_PLAIN:
		o->plain = true;
		break;
	case OPT_PRESENT:
		app->present = true;
		break;
	case OPT_DOOR:
		if ((rc = num_option("door", 0, 65535, &v)) == -1) {
			app->door_port = (uint16_t)v;
			app->door_given = true;
		}
		break;
	case OPT_PCAP:
		if (optarg[0] == '\0')
			return bad_value("pcap", optarg,
			    _("expected a file name"));
		app->pcap_path = optarg;
		break;
	}
	return rc;
}

/* "unknown option" (or, when argument, "unexpected argument") naming
 * word; exit status 2. */
static int
bad_word(bool argument, const char *word)
{
	char *e = util_escape_str(word);

	if (argument)
		fprintf(stderr, _("%s: unexpected argument '%s'\n"), PACKAGE,
		    e);
	else
		fprintf(stderr, _("%s: unknown or incomplete option '%s'\n"),
		    PACKAGE, e);
	free(e);
	fprintf(stderr, _("Try '%s --help' for more information.\n"),
	    PACKAGE);
	return 2;
}

/* Reads the options into app and o.  Returns -1 to go on, or the exit
 * status: 0 after --help or --version, 2 for a bad option or value. */
static int
parse_options(int argc, char **argv, struct app *app, struct opts *o)
{
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
		if (c == 'h' || c == 'V') {
			if (c == 'h')
				usage();
			else
				version();
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		}
		if (c != '?' && c != ':') {
			if ((rc = set_option(c, app, o)) != -1)
				return rc;
			continue;
		}
		/* A control character as the option letter is shown
		 * escaped with the rest of the word. */
		if (optopt > ' ' && optopt < 0x7f) {
			fprintf(stderr, _("%s: unknown option '-%c'\n"),
			    PACKAGE, optopt);
			fprintf(stderr, _("Try '%s --help' for more "
			    "information.\n"), PACKAGE);
			return 2;
		}
		return bad_word(false, argv[optind - 1]);
	}
	if (optind < argc)
		return bad_word(true, argv[optind]);
	if (o->lang != NULL)
		i18n_set((enum i18n_lang)i18n_parse(o->lang));
	return -1;
}

/* --list: the lessons, one a line. */
static int
list_lessons(struct app *app, const struct opts *o)
{
	size_t i;

	warn_catalog(app, o->localedir);
	for (i = 0; i < app->nlessons; i++) {
		printf("%zu\t%s\t", i + 1, app->lessons[i]->id);
		put_line(stdout, _(app->lessons[i]->title.msgid));
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

/* --lesson: where to start.  Returns -1, or the exit status of a bad
 * value. */
static int
start_lesson(struct app *app, const char *lesson)
{
	char *what;
	int rc;

	if (lesson == NULL)
		return -1;
	app->start_given = true;
	if (strcmp(lesson, "sandbox") == 0) {
		app->sandbox = true;
		return -1;
	}
	if (find_lesson(app, lesson, &app->start) == 0)
		return -1;
	what = xasprintf(_("expected a lesson number from 1 to %zu, an id "
	    "from --list, or sandbox"), app->nlessons);
	rc = bad_value("lesson", lesson, what);
	free(what);
	return rc;
}

/* Loads the lessons and runs the interface the options chose (or lists
 * the lessons); returns the exit status. */
static int
run(struct app *app, struct opts *o)
{
	struct netns *early = NULL;
	char *cause = NULL, *progress = NULL;
	const char *term;
	int n, rc;

	/* The private network's helper is forked now, before any thread
	 * and before curses, as unsharing a user namespace requires; it
	 * sets itself up while the lessons are read. */
	if (!o->list)
		early = netns_spawn(&app->netns_cause);
	n = lesson_load_dir(o->lessondir, &app->lessons, &cause);
	if (n < 0) {
		put_line(stderr, cause);
		free(cause);
		netns_free(early);
		free(app->netns_cause);
		return 1;
	}
	app->nlessons = (size_t)n;
	if (o->list) {
		rc = list_lessons(app, o);
		goto out;
	}
	if ((rc = start_lesson(app, o->lesson)) != -1)
		goto out;
	warn_catalog(app, o->localedir);

	/* A peer that goes away must not kill us: writes then fail with
	 * EPIPE, which the lab reports. */
	signal(SIGPIPE, SIG_IGN);

	term = getenv("TERM");
	if (!o->plain && (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO) ||
	    term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0))
		o->plain = true;
	if (app->pcap_path != NULL && !o->plain) {
		fprintf(stderr, _("%s: --pcap works in plain mode only "
		    "(--plain)\n"), PACKAGE);
		rc = 2;
		goto out;
	}
	/* The helper's verdict: the whole chain works, or why not. */
	app->netns = early != NULL ? netns_ready(early, &app->netns_cause) :
	    NULL;
	early = NULL;
	/* Its far hosts, for lesson 18's failures; without them a
	 * connect there would only show ENETUNREACH, which the lesson
	 * explains as it is. */
	if (app->netns != NULL) {
		char *why = NULL;

		if (netns_far_hosts(app->netns, &why) == -1)
			free(why);
	}
	app->lab.netns = app->netns;
	if (o->plain) {
		rc = plain_run(app);
	} else {
		progress = state_path();
		app->progress_path = progress;
		rc = ui_run(app);
	}
out:
	free(progress);
	netns_free(early);
	netns_free(app->netns);
	free(app->netns_cause);
	lesson_free_all(app->lessons, app->nlessons);
	return rc;
}

int
main(int argc, char **argv)
{
	struct app app;
	struct opts o;
	int rc;

	memset(&app, 0, sizeof app);
	memset(&o, 0, sizeof o);
	app.lab.listen_addr = LAB_DEFAULT_LISTEN;
	app.lab.port = LAB_DEFAULT_PORT;
	app.lab.max_customers = LAB_DEFAULT_MAX_CUSTOMERS;
	find_dirs(&o);
	early_language(argc, argv, &app, o.localedir);
	rc = parse_options(argc, argv, &app, &o);
	return rc != -1 ? rc : run(&app, &o);
}

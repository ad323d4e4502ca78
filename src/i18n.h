/* i18n.h - the program's language: English or Italian, switched at run
 * time through gettext.  Outside the core: only the UI thread (and main)
 * call these, and nothing here may be called once other threads could be
 * inside gettext, except i18n_set from the UI thread (the lab's threads
 * never call gettext). */
#ifndef SOCKTUTOR_I18N_H
#define SOCKTUTOR_I18N_H

#include <stdbool.h>

#include <libintl.h>

#define _(s) i18n_text(s)
#define N_(s) (s)
/* A sentence with a count: singular s or plural p, as the current
 * language wants for n (po/Makevars tells xgettext the keyword). */
#define P_(s, p, n) i18n_plural((s), (p), (n))

enum i18n_lang { I18N_EN, I18N_IT };

/* Sets the locale (C.UTF-8 when the environment's leaves messages in
 * C/POSIX), binds the text domain to localedir and picks the start
 * language: lang ("en"/"it") when not NULL, else i18n_from_env(saved),
 * saved being the progress file's language or NULL.  Call once in main
 * before any thread starts.  Returns false when the Italian catalog
 * cannot be found (the caller warns once; Italian then shows English
 * text). */
bool i18n_init(const char *lang, const char *saved, const char *localedir);

/* "en" -> I18N_EN, "it" -> I18N_IT; -1 for anything else. */
int i18n_parse(const char *code);

/* Switch the language for every later lookup. */
void i18n_set(enum i18n_lang lang);
enum i18n_lang i18n_get(void);

/* "EN" or "IT", as the screen shows it. */
const char *i18n_code(void);

/* The translation of msgid in the current language; msgid itself when
 * the catalog has none (never an empty string).  The result is valid
 * until the next i18n_set: look it up at draw time, do not keep it. */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));

/* ngettext in the current language; same lifetime as i18n_text. */
const char *i18n_plural(const char *s, const char *p, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* The language the environment asks for, with the saved one (the
 * progress file's "en"/"it", or NULL) in its place of precedence: the
 * first of LANGUAGE's list ("fr:it:en") that we have (en or it); else
 * saved; else the first of LC_ALL, LC_MESSAGES, LANG that is set
 * (Italian or, for anything else, English); else I18N_EN.  LANGUAGE is a
 * choice made for programs' messages, LANG one made for the whole
 * system: the learner's last choice in this program stands between. */
enum i18n_lang i18n_from_env(const char *saved);

#endif

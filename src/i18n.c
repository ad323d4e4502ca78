/* i18n.c - gettext set-up and the live English/Italian switch.
 *
 * glibc ignores LANGUAGE while the message locale is C or POSIX, so when
 * the environment leaves LC_MESSAGES there we use C.UTF-8 (ncursesw needs
 * a UTF-8 locale anyway).  Switching language then means setting LANGUAGE
 * and invalidating gettext's cache of loaded translations. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static enum i18n_lang current = I18N_EN;

int
i18n_parse(const char *code)
{
	if (code == NULL)
		return -1;
	if (strcmp(code, "en") == 0)
		return I18N_EN;
	if (strcmp(code, "it") == 0)
		return I18N_IT;
	return -1;
}

/* Does a locale name ("it", "it_IT.UTF-8", "it@euro") name language
 * code (two letters)?  n is the name's length. */
static bool
names_lang(const char *v, size_t n, const char *code)
{
	return n >= 2 && v[0] == code[0] && v[1] == code[1] &&
	    (n == 2 || v[2] == '_' || v[2] == '.' || v[2] == '@');
}

/* LANGUAGE is a list of languages in order of preference ("fr:it:en"):
 * the first one we have wins.  Returns -1 when it names none of ours. */
static int
from_language_list(const char *v)
{
	while (*v != '\0') {
		size_t n = strcspn(v, ":");

		if (names_lang(v, n, "it"))
			return I18N_IT;
		if (names_lang(v, n, "en"))
			return I18N_EN;
		v += n;
		if (*v == ':')
			v++;
	}
	return -1;
}

enum i18n_lang
i18n_from_env(const char *saved)
{
	static const char *const vars[] = {
		"LC_ALL", "LC_MESSAGES", "LANG"
	};
	const char *v = getenv("LANGUAGE");
	size_t i;
	int l;

	if (v != NULL && (l = from_language_list(v)) >= 0)
		return (enum i18n_lang)l;
	if ((l = i18n_parse(saved)) >= 0)
		return (enum i18n_lang)l;
	/* The locale variables hold one locale each: the first one set
	 * decides, and anything but Italian is English. */
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v == NULL || v[0] == '\0')
			continue;
		return names_lang(v, strlen(v), "it") ? I18N_IT : I18N_EN;
	}
	return I18N_EN;
}

static void
apply(void)
{
	/* English is the msgid language: "en" finds no catalog, so gettext
	 * returns the msgid itself. */
	setenv("LANGUAGE", current == I18N_IT ? "it" : "en", 1);
	/* Re-setting the domain invalidates gettext's cache, so the next
	 * lookup loads the newly chosen catalog. */
	textdomain(textdomain(NULL));
}

bool
i18n_init(const char *lang, const char *saved, const char *localedir)
{
	const char *msgs;
	int l = i18n_parse(lang);

	current = l >= 0 ? (enum i18n_lang)l : i18n_from_env(saved);
	if (setlocale(LC_ALL, "") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
	msgs = setlocale(LC_MESSAGES, NULL);
	if (msgs == NULL || strcmp(msgs, "C") == 0 ||
	    strcmp(msgs, "POSIX") == 0) {
		setlocale(LC_ALL, "C.UTF-8");
	}
	bindtextdomain(PACKAGE, localedir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	apply();
	/* The Italian catalog is there when its header entry (the
	 * translation of the empty msgid) can be looked up. */
	{
		enum i18n_lang chosen = current;
		int ok;

		current = I18N_IT;
		apply();
		ok = gettext("")[0] != '\0';
		current = chosen;
		apply();
		return ok;
	}
}

void
i18n_set(enum i18n_lang lang)
{
	if (lang == current)
		return;
	current = lang;
	apply();
}

enum i18n_lang
i18n_get(void)
{
	return current;
}

const char *
i18n_code(void)
{
	return current == I18N_IT ? "IT" : "EN";
}

const char *
i18n_plural(const char *s, const char *p, unsigned long n)
{
	const char *t = ngettext(s, p, n);

	return t != NULL && t[0] != '\0' ? t : n == 1 ? s : p;
}

const char *
i18n_text(const char *msgid)
{
	const char *t;

	if (msgid == NULL || msgid[0] == '\0')
		return "";
	t = gettext(msgid);
	return t != NULL && t[0] != '\0' ? t : msgid;
}

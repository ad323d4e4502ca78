/* ui_help.c - the help screen: every key and what it does, then a few
 * words on what the screen shows.  The keys come from the one key table
 * (keys.c), whose msgids are translated while drawing. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui_priv.h"

/* How far the help is scrolled: the help's own (one UI thread). */
static int help_scroll;

static const char *const help_text[] = {
	N_("While you read, the program really does what the step "
	    "describes: a bartender (the server) and a customer (the "
	    "client) make real socket calls on this machine."),
	N_("The lab shows each socket as the kernel reports it: its "
	    "descriptor, its TCP state, its addresses, the accept queue "
	    "and the bytes waiting. What changed at this step is marked "
	    "with a star."),
	N_("The log lists the real calls in C syntax with their results. "
	    "You can connect to the bartender from another terminal, for "
	    "example with nc, and watch yourself arrive."),
	N_("The title bar says where the lab runs. \"lab net\": its own "
	    "private network, where nobody else comes in and every packet "
	    "is shown. \"this PC\": this computer's loopback, where your "
	    "own nc reaches the bartender and no packets are shown; the "
	    "steps that invite you in run there."),
};

const char *
ui_key_name(int key, char *buf, size_t len)
{
	const char *name = keys_name(key, buf, len);

	return name == buf ? buf : _(name);
}

void
ui_keys_label(enum keys_screen screen, enum key_action act, const char *sep,
    char *buf, size_t len)
{
	int key[8];
	size_t n = keys_of(screen, act, key, 8), i, used = 0;
	char one[8];

	buf[0] = '\0';
	for (i = 0; i < n && i < 8 && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? sep : "", ui_key_name(key[i], one, sizeof one));
}

enum keys_screen
ui_keys_screen(const struct ui *ui)
{
	switch (ui->screen) {
	case UI_MENU:
		return KS_MENU;
	case UI_HELP:
		return KS_HELP;
	case UI_CODE:
		return KS_CODE;
	case UI_LOG:
		return KS_LOG;
	case UI_MAIN:
		break;
	}
	return ui->in_sandbox ? KS_SANDBOX : ui->present ? KS_LECTURE :
	    KS_LESSON;
}

/* The keys column, padded to kw display columns (key names may hold
 * accents or arrows, wider in bytes than on screen). */
void
ui_help_keys_cell(char *line, size_t len, const char *keys, int kw)
{
	int pad = kw - ui_width(keys);

	snprintf(line, len, "%s%*s", keys, pad > 0 ? pad : 1, "");
}

/* The keys of help row h on screen, "" when it has none there. */
static void
row_keys(enum keys_screen screen, const struct key_help *h, char *keys,
    size_t len)
{
	char two[60];

	keys[0] = '\0';
	if (h->action == KA_DIGIT) {
		if (screen != KS_SANDBOX)
			snprintf(keys, len, "1-9");
		return;
	}
	ui_keys_label(screen, h->action, "  ", keys, len);
	if (h->action2 != KA_NONE) {
		ui_keys_label(screen, h->action2, "  ", two, sizeof two);
		snprintf(keys + strlen(keys), len - strlen(keys), "  %s",
		    two);
	}
}

/* Whether the help of screen shows row h (not when screen `seen`,
 * unless KS_NSCREENS, has shown it already). */
static bool
row_shown(enum keys_screen screen, enum keys_screen seen,
    const struct key_help *h)
{
	return (h->screens & (1u << screen)) && (seen == KS_NSCREENS ||
	    !(h->screens & (1u << seen)));
}

/* The width of the keys column for screen: the widest keys and two. */
static int
keys_width(enum keys_screen screen, int kw)
{
	size_t n, i;
	const struct key_help *h = keys_help(&n);
	char keys[120];

	for (i = 0; i < n; i++) {
		row_keys(screen, &h[i], keys, sizeof keys);
		if (ui_width(keys) + 2 > kw)
			kw = ui_width(keys) + 2;
	}
	return kw;
}

/* The help's rows for screen, from the key table; without those that
 * screen `seen` has shown already (when not KS_NSCREENS). */
static void
screen_keys(enum keys_screen screen, enum keys_screen seen,
    struct ui_lines *L, int W, int kw)
{
	size_t n, i;
	const struct key_help *h = keys_help(&n);

	for (i = 0; i < n; i++) {
		char keys[120], line[400];

		if (!row_shown(screen, seen, &h[i]))
			continue;
		if (h[i].action == KA_DIGIT && screen == KS_SANDBOX) {
			ui_sandbox_help(L, W, kw);
			continue;
		}
		row_keys(screen, &h[i], keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		ui_help_keys_cell(line, sizeof line, keys, kw);
		ui_lines_add(L, _(h[i].what), W, 0, line, A_NORMAL);
	}
}

/* The sandbox's keys, under their heading. */
static void
sandbox_keys(struct ui *ui, struct ui_lines *L, int W, int kw,
    enum keys_screen seen)
{
	ui_lines_add(L, _("In the sandbox (the last entry of the lesson "
	    "menu, or --lesson=sandbox):"), W, 0, NULL, ui_look(ui,
	    UI_L_HEAD));
	screen_keys(KS_SANDBOX, seen, L, W, kw);
}

void
ui_help_draw(struct ui *ui, WINDOW *w)
{
	struct ui_lines L = { 0 };
	int H = getmaxy(w), W = getmaxx(w) - 4, kw;
	size_t i;
	enum keys_screen lesson = ui->present ? KS_LECTURE : KS_LESSON;

	kw = keys_width(KS_SANDBOX, keys_width(lesson, 20));

	/* The keys of the screen the help was opened from come first,
	 * then those only the other one has. */
	if (ui->in_sandbox) {
		sandbox_keys(ui, &L, W, kw, KS_NSCREENS);
		ui_lines_blank(&L);
		screen_keys(lesson, KS_SANDBOX, &L, W, kw);
	} else {
		screen_keys(lesson, KS_NSCREENS, &L, W, kw);
		ui_lines_blank(&L);
		sandbox_keys(ui, &L, W, kw, lesson);
	}
	for (i = 0; i < sizeof help_text / sizeof help_text[0]; i++) {
		ui_lines_blank(&L);
		ui_lines_add(&L, _(help_text[i]), W, 0, NULL, A_NORMAL);
	}
	if (help_scroll > (int)L.n - (H - 2))
		help_scroll = (int)L.n - (H - 2);
	if (help_scroll < 0)
		help_scroll = 0;
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 2, W, _("Help: the keys"));
	wattrset(w, A_NORMAL);
	ui_lines_draw(w, 2, 2, H - 2, W, &L, help_scroll);
	ui_lines_free(&L);
}

void
ui_help_open(struct ui *ui)
{
	ui->screen = UI_HELP;
	help_scroll = 0;
}

bool
ui_help_key(struct ui *ui, enum key_action act)
{
	if (act == KA_CLOSE)
		ui->screen = UI_MAIN;
	else if (act == KA_LINE_DOWN || act == KA_PAGE_DOWN)
		help_scroll += act == KA_LINE_DOWN ? 1 : 5;
	else if (act == KA_LINE_UP || act == KA_PAGE_UP)
		help_scroll -= act == KA_LINE_UP ? 1 : 5;
	else
		return false;
	return true;
}

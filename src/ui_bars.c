/* ui_bars.c - the title bar and the footer: the lesson and step, the
 * language and the lab's network above; below, a status line when there
 * is news and the keys that do something right now, named from the key
 * table (keys.c) and kept by importance in the room there is. */
#include "config.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lab.h"
#include "narrate.h"
#include "ui_priv.h"
#include "util.h"

void
ui_draw_title(struct ui *ui)
{
	WINDOW *w = ui->wtitle;
	const struct lesson *l = ui_lesson(ui);
	struct lab_addr a;
	char left[512], right[160], addr[80];
	int rw;

	wattrset(w, ui_look(ui, UI_L_BAR));
	ui_fill_row(w, 0);
	if (ui->in_sandbox)
		snprintf(left, sizeof left, " %s", _("Sandbox"));
	else
		snprintf(left, sizeof left, " %zu. %s", ui->lesson + 1,
		    narrate_lesson(l->title.msgid));
	right[0] = '\0';
	addr[0] = '\0';
	if (ui->lab != NULL && ui_bar_addr(ui, &a))
		lab_format_addr(&a, addr, sizeof addr);
	if (ui->in_sandbox)
		snprintf(right, sizeof right, "%s  %s%s%s ", i18n_code(),
		    ui_wire_world_word(ui), addr[0] ? " " : "", addr);
	else
		snprintf(right, sizeof right, "%s%s%s %zu/%zu  %s  %s%s%s ",
		    ui_guests_word(ui) ? ui_guests_word(ui) : "",
		    ui_guests_word(ui) ? "  " : "",
		    _("step"), ui->step + 1, l->nsteps, i18n_code(),
		    ui_wire_world_word(ui), addr[0] ? " " : "", addr);
	rw = ui_width(right);
	/* A title too long for the room left of the step counter ends in
	 * an ellipsis, two columns before it. */
	if (ui_width(left) > ui->cols - rw - 2) {
		ui_put(w, 0, 0, ui->cols - rw - 3, left);
		ui_put(w, 0, ui->cols - rw - 3, 1, "\u2026");
	} else {
		ui_put(w, 0, 0, ui->cols - rw - 2, left);
	}
	ui_put(w, 0, ui->cols - rw, rw, right);
	wattrset(w, A_NORMAL);
}

/* Where the bartender listens, as ADDR:PORT: the real address once it
 * is bound, else the one asked for. */
static void
listen_where(struct ui *ui, char *buf, size_t len)
{
	const struct lab_config *cfg = &ui->app->lab;
	struct lab_addr a;

	if (ui->lab != NULL && ui_bar_addr(ui, &a)) {
		lab_format_addr(&a, buf, len);
		return;
	}
	if (cfg->port == 0)
		snprintf(buf, len, "%s", cfg->listen_addr);
	else if (strchr(cfg->listen_addr, ':') != NULL)
		snprintf(buf, len, "[%s]:%u", cfg->listen_addr,
		    (unsigned)cfg->port);
	else
		snprintf(buf, len, "%s:%u", cfg->listen_addr,
		    (unsigned)cfg->port);
}

void
ui_status(struct ui *ui, enum ui_status st, const char *fmt, ...)
{
	va_list ap;

	ui->status = st;
	ui->status_arg[0] = '\0';
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(ui->status_arg, sizeof ui->status_arg, fmt, ap);
	va_end(ap);
}

void
ui_status_saved(struct ui *ui, enum ui_status st, const char *name)
{
	char cwd[512];

	if (getcwd(cwd, sizeof cwd) == NULL)
		snprintf(cwd, sizeof cwd, ".");
	ui_status(ui, st, "%s/%s", cwd, name);
}

static const char *
status_text(struct ui *ui, char *buf, size_t len)
{
	char where[96], arg[4 * sizeof ui->status_arg + 1];

	/* The argument names paths and causes: escaped when drawn. */
	util_escape(ui->status_arg, strlen(ui->status_arg), arg, sizeof arg);

	switch (ui->status) {
	case UI_ST_LISTEN:
		listen_where(ui, where, sizeof where);
		if (util_addr_is_loopback(ui->app->lab.listen_addr))
			snprintf(buf, len, _("Listening on %s (this machine "
			    "only)."), where);
		else
			snprintf(buf, len, _("Listening on %s: other machines "
			    "can connect."), where);
		break;
	case UI_ST_RESUMED:
		snprintf(buf, len, _("Welcome back: resumed at lesson %zu, "
		    "step %zu."), ui->lesson + 1, ui->step + 1);
		break;
	case UI_ST_CORRUPT:
		snprintf(buf, len, _("The progress file was unreadable (%s); "
		    "starting afresh."), arg);
		break;
	case UI_ST_CORRUPT_KEPT:
		snprintf(buf, len, _("The progress file was unreadable and is "
		    "kept as progress.bad; starting afresh (%s)."), arg);
		break;
	case UI_ST_SAVE_FAILED:
		snprintf(buf, len, _("Progress cannot be saved (%s)."),
		    arg);
		break;
	case UI_ST_NO_LAB:
		snprintf(buf, len, _("The live lab could not start (%s)."),
		    arg);
		break;
	case UI_ST_LAST_STEP:
		snprintf(buf, len, "%s", _("This is the last step of the last "
		    "lesson."));
		break;
	case UI_ST_FIRST_STEP:
		snprintf(buf, len, "%s", _("This is the first step."));
		break;
	case UI_ST_SAVED:
		snprintf(buf, len, _("Saved as %s."), arg);
		break;
	case UI_ST_NOT_SAVED:
		snprintf(buf, len, _("Could not save the program (%s)."), arg);
		break;
	case UI_ST_NOTHING_TO_SAVE:
		snprintf(buf, len, "%s", _("This step shows no whole program "
		    "to save."));
		break;
	default:
		return ui_wire_status(ui, arg, buf, len);
	}
	return buf;
}

#define FOOTER_MAX 20	/* keys a footer can offer */

/* Write the items that fit in room columns into buf: the first and the
 * help always, the others in order of importance, each when it fits
 * whole; the kept ones in their order. */
static void
fit_items(const char *const *item, size_t n, const char *help, char *buf,
    size_t len, int room)
{
	bool keep[FOOTER_MAX];
	size_t i, used = 0;
	int w;

	assert(n <= FOOTER_MAX);
	for (i = 0; i < n; i++) {
		keep[i] = i == 0 || item[i] == help;
		if (keep[i])
			room -= ui_width(item[i]) + 2;
	}
	for (i = 0; i < n; i++) {
		if (keep[i])
			continue;
		w = ui_width(item[i]) + 2;
		if (w <= room) {
			keep[i] = true;
			room -= w;
		}
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (keep[i] && used + strlen(item[i]) + 3 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "  " : "", item[i]);
}


/* The footer's items, each a key (or keys) from the key table and a
 * word. */
struct foot {
	enum keys_screen screen;
	const char *item[FOOTER_MAX];
	char text[FOOTER_MAX][120];
	size_t n;
	const char *help;	/* the item of KA_HELP, kept whatever room */
};

/* The footer's keys of the actions in act (ended by KA_NONE): for each,
 * those the table marks for the footer, else the first; joined by "/". */
static void
foot_keys(enum keys_screen screen, const enum key_action *act, char *buf,
    size_t len)
{
	int key[4];
	size_t n, i, used = 0;
	char one[8];

	buf[0] = '\0';
	for (; *act != KA_NONE; act++) {
		n = keys_find(screen, *act, true, key, 4);
		if (n == 0)
			n = keys_of(screen, *act, key, 1) > 0 ? 1 : 0;
		for (i = 0; i < n && i < 4 && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", used > 0 ? "/" : "",
			    ui_key_name(key[i], one, sizeof one));
	}
}

/* Adds fmt (a translated "%s word") with keys, or when keys is NULL with
 * the keys of the actions a and b (b may be KA_NONE). */
static void
foot_add(struct foot *F, const char *fmt, enum key_action a,
    enum key_action b, const char *keys)
{
	enum key_action act[3] = { a, b, KA_NONE };
	const char *at;
	char k[80];

	if (F->n >= FOOTER_MAX)
		return;
	/* TRANSLATORS: in the footer's items, %s is a key or keys
	 * (Right, PgUp/PgDn). */
	if (keys == NULL) {
		foot_keys(F->screen, act, k, sizeof k);
		keys = k;
	}
	/* The item is fmt with its one %s replaced by the keys. */
	at = strstr(fmt, "%s");
	snprintf(F->text[F->n], sizeof F->text[F->n], "%.*s%s%s",
	    at != NULL ? (int)(at - fmt) : (int)strlen(fmt), fmt,
	    at != NULL ? keys : "", at != NULL ? at + 2 : "");
	F->item[F->n] = F->text[F->n];
	if (a == KA_HELP)
		F->help = F->item[F->n];
	F->n++;
}

/* The keys of a lesson's step, in order of importance. */
static void
foot_step(struct ui *ui, struct foot *F, const char *lang)
{
	const struct lesson_step *s = ui_cur_step(ui);
	/* What the learner needs to go on comes first: the moves, the
	 * scroll when the text is longer than its pane, the step's own
	 * keys; the rest as room allows. */
	bool overflow = !ui->present && ui_text_overflows(ui);
	bool end = ui_text_course_end(ui);
	bool choices = s->question != NULL && s->question->nchoices > 0;
	const struct exercise *ex = ui_text_exercise(ui);

	if (end)
		foot_add(F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
	else
		foot_add(F, _("%s next"), KA_NEXT, KA_NONE, NULL);
	foot_add(F, _("%s back"), KA_PREV, KA_NONE, NULL);
	if (overflow)
		foot_add(F, _("%s scroll"), KA_PAGE_UP, KA_PAGE_DOWN, NULL);
	if (choices)
		foot_add(F, _("%s answer"), KA_NONE, KA_NONE, "1-9");
	if (ui->door != NULL && choices)
		foot_add(F, _("%s right answer"), KA_REVEAL, KA_NONE, NULL);
	if (ui->present)
		foot_add(F, ui->guests_wait ? _("%s guests come in") :
		    _("%s guests wait"), KA_GUESTS, KA_NONE, NULL);
	if (!ui->present && s->input.kind == LESSON_INPUT_RECV)
		foot_add(F, _("%s type a size"), KA_ENTER, KA_NONE, NULL);
	else if (!ui->present && s->input.kind != LESSON_INPUT_NONE)
		foot_add(F, _("%s type a port"), KA_ENTER, KA_NONE, NULL);
	if (!ui->present && ex != NULL && ex->kind == EXERCISE_OWN_SERVER)
		foot_add(F, _("%s check your server"), KA_CHECK, KA_NONE, NULL);
	if (!ui->present && s->question != NULL &&
	    s->question->input != LESSON_INPUT_NONE)
		foot_add(F, _("%s answer"), KA_ANSWER, KA_NONE, NULL);
	foot_add(F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	if (!ui->present && (s->nhints > 0 || ex != NULL))
		foot_add(F, _("%s hints"), KA_HINTS, KA_NONE, NULL);
	if (ui_code_has(ui))
		foot_add(F, _("%s code"), KA_CODE, KA_NONE, NULL);
	foot_add(F, _("%s help"), KA_HELP, KA_NONE, NULL);
	if (ui_code_has(ui))
		foot_add(F, _("%s save"), KA_SAVE, KA_NONE, NULL);
	if (!ui->present)
		foot_add(F, ui->lab_open ? _("%s lab smaller") : _("%s lab"),
		    KA_LAB, KA_NONE, NULL);
	foot_add(F, ui_wire_shown(ui) ? _("%s hide packets") :
	    _("%s packets"), KA_WIRE, KA_NONE, NULL);
	foot_add(F, _("%s log"), KA_LOG, KA_NONE, NULL);
	foot_add(F, "%s", KA_NONE, KA_NONE, lang);
	if (!end)
		foot_add(F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
}

/* The keys that do something right now, worded for this moment: the
 * items in order of importance, each kept only when it fits. */
static void
footer_keys(struct ui *ui, char *buf, size_t len, int room)
{
	struct foot F;
	char lang[40], l[8];
	enum ui_field field = ui_text_field(ui);

	F.screen = ui_keys_screen(ui);
	F.n = 0;
	F.help = NULL;
	/* Each language is named in its own words, whatever the screen's
	 * language: not translated. */
	ui_keys_label(F.screen, KA_LANG, "/", l, sizeof l);
	snprintf(lang, sizeof lang, "%s %s", l, i18n_get() == I18N_EN ?
	    "italiano" : "English");
	if (ui->screen == UI_MENU) {
		foot_add(&F, _("%s choose"), KA_LINE_UP, KA_LINE_DOWN, NULL);
		foot_add(&F, _("%s open"), KA_ENTER, KA_NONE, NULL);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (ui->screen == UI_HELP) {
		foot_add(&F, _("%s scroll"), KA_LINE_UP, KA_LINE_DOWN, NULL);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (ui->screen == UI_CODE || ui->screen == UI_LOG) {
		static const enum key_action scroll[] = { KA_LINE_UP,
		    KA_LINE_DOWN, KA_PAGE_UP, KA_PAGE_DOWN, KA_NONE };
		char k[80];

		foot_keys(F.screen, scroll, k, sizeof k);
		foot_add(&F, _("%s scroll"), KA_NONE, KA_NONE, k);
		foot_add(&F, _("%s close"), KA_CLOSE, KA_NONE, NULL);
		if (ui->screen == UI_CODE)
			foot_add(&F, _("%s save"), KA_SAVE, KA_NONE, NULL);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
	} else if (field != UI_FIELD_NONE) {
		char enter[40], esc[40];

		F.item[F.n++] = field == UI_FIELD_ANSWER ?
		    _("Type your answer") : field == UI_FIELD_RECV ?
		    _("Type a size for recv()") : _("Type a port number");
		/* The field's own keys: not the table's. */
		foot_add(&F, _("%s confirm"), KA_NONE, KA_NONE,
		    ui_key_name(KC_ENTER, enter, sizeof enter));
		foot_add(&F, _("%s cancel"), KA_NONE, KA_NONE,
		    ui_key_name(KC_ESC, esc, sizeof esc));
	} else if (ui->in_sandbox) {
		foot_add(&F, _("%s call"), KA_NONE, KA_NONE, "0-9");
		foot_add(&F, _("%s side"), KA_SIDE, KA_NONE, NULL);
		foot_add(&F, _("%s start again"), KA_RESET, KA_NONE, NULL);
		foot_add(&F, "%s", KA_NONE, KA_NONE, lang);
		foot_add(&F, _("%s quit"), KA_QUIT, KA_NONE, NULL);
		foot_add(&F, _("%s help"), KA_HELP, KA_NONE, NULL);
		foot_add(&F, _("%s lessons"), KA_MENU, KA_NONE, NULL);
	} else {
		foot_step(ui, &F, lang);
	}
	fit_items(F.item, F.n, F.help, buf, len, room);
}

void
ui_draw_footer(struct ui *ui)
{
	WINDOW *w = ui->wfoot;
	char st[2800], keys[600];
	int x = 0;

	wattrset(w, ui_look(ui, UI_L_BAR));
	ui_fill_row(w, 0);
	if (status_text(ui, st, sizeof st) != NULL) {
		/* The status leaves room for the key that moves on and
		 * for the help. */
		struct foot F = { .screen = ui_keys_screen(ui) };
		int room;

		foot_add(&F, _("%s next"), KA_NEXT, KA_NONE, NULL);
		foot_add(&F, _("%s help"), KA_HELP, KA_NONE, NULL);
		room = ui->screen == UI_MAIN &&
		    ui_text_field(ui) == UI_FIELD_NONE ?
		    ui->cols - ui_width(F.item[0]) - ui_width(F.item[1]) - 6 :
		    ui->cols;

		wattrset(w, ui_look(ui, UI_L_MARK));
		x = ui_put(w, 0, 0, room, st);
		wattrset(w, ui_look(ui, UI_L_BAR));
		x += 2;
	}
	/* Only whole keys, in the room the status line leaves. */
	footer_keys(ui, keys, sizeof keys, ui->cols - x - 2);
	if (x < ui->cols)
		ui_put(w, 0, x + 1, ui->cols - x - 1, keys);
	wattrset(w, A_NORMAL);
}

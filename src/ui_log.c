/* ui_log.c - the event log: the real calls the lab made, newest at the
 * bottom, each with a sentence about what it did.  Calls of the current
 * step stand out; calls re-run to rebuild an earlier state say so. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"
#include "util.h"

void
ui_log_before_reset(struct ui *ui, bool same_lesson, size_t step)
{
	if (ui->lab == NULL)
		return;
	tutor_log_before_reset(&ui->log, same_lesson, step);
}

static bool
has_call(const struct lab_event *ev)
{
	return ev->kind == LAB_EV_CALL || ev->kind == LAB_EV_BLOCKED ||
	    ev->kind == LAB_EV_CANCELLED;
}

/* What heads an entry: the call as C, or, for the lab's own actions
 * (serve, crowd), which no program calls, a mark that says whose they
 * are; false when the entry has neither (a guest's news, a reset). */
static bool
entry_head(const struct lab_event *ev, char *buf, size_t len, bool *action)
{
	*action = false;
	buf[0] = '\0';
	if (!has_call(ev))
		return false;
	if (lab_call_is_action(ev->call)) {
		*action = true;
		/* TRANSLATORS: marks a line of the calls' log that is the
		 * lab's own doing (the bartender starts serving, a crowd
		 * comes in), not a call a program makes. */
		snprintf(buf, len, "%s", _("[the lab]"));
	} else {
		lab_format_call(ev, buf, len);
	}
	return true;
}

/* The sentence of an entry, wrapped: under its call (from column 4),
 * or from column 1 when it has no call. */
static void
say_lines(const struct tutor_log_entry *e, int W, struct ui_lines *L)
{
	char say[400];

	narrate_event(&e->ev, say, sizeof say);
	if (has_call(&e->ev))
		ui_lines_add(L, say, W - 1, 4, NULL, A_NORMAL);
	else
		ui_lines_add(L, say, W - 1, 1, NULL, A_NORMAL);
}

/* Rows an entry needs, whole: one when the call and its sentence fit
 * side by side, else the call's row and the sentence wrapped under it. */
static int
entry_rows(const struct tutor_log_entry *e, int W)
{
	char call[200], say[400];
	struct ui_lines L = { 0 };
	bool action;
	int n;

	if (entry_head(&e->ev, call, sizeof call, &action)) {
		narrate_event(&e->ev, say, sizeof say);
		if (ui_width(call) + ui_width(say) + 14 <= W)
			return 1;
	}
	say_lines(e, W, &L);
	n = (int)L.n + (has_call(&e->ev) ? 1 : 0);
	ui_lines_free(&L);
	return n;
}

/* Draw one log entry from row y in h rows: whole when h is what
 * entry_rows says, else on one row cut at the edge. */
static void
log_entry(struct ui *ui, WINDOW *w, int y, int h,
    const struct tutor_log_entry *e)
{
	int W = getmaxx(w), x = 1, k;
	char call[200], say[400], line[80];
	bool now = e->visit == ui->visit;
	bool whole = h > 1 || entry_rows(e, W) == 1;
	attr_t a = now ? ui_look(ui, UI_L_CHANGED) : A_NORMAL;
	struct ui_lines L = { 0 };
	bool action;

	entry_head(&e->ev, call, sizeof call, &action);
	narrate_event(&e->ev, say, sizeof say);
	if (e->ev.replay) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		snprintf(line, sizeof line, "(%s) ", _("redone"));
		x += ui_put(w, y, x, W - x - 1, line);
	}
	if (call[0] != '\0') {
		/* A call is bold; the lab's own action is marked, dim. */
		wattrset(w, action ? ui_look(ui, UI_L_DIM) : a | A_BOLD);
		x += ui_put(w, y, x, W - x - 1, call) + 2;
	}
	wattrset(w, now ? a : A_NORMAL);
	if (!whole || (h == 1 && call[0] != '\0')) {
		ui_put(w, y, x, W - x - 1, say);
	} else {
		say_lines(e, W, &L);
		for (k = 0; k < (int)L.n; k++)
			L.v[k].attr = now ? a : A_NORMAL;
		ui_lines_draw(w, call[0] != '\0' ? y + 1 : y, 0, h -
		    (call[0] != '\0' ? 1 : 0), W - 1, &L, 0);
		ui_lines_free(&L);
	}
	wattrset(w, A_NORMAL);
}

int
ui_log_measure(struct ui *ui, int width)
{
	size_t k = tutor_log_count(&ui->log);
	int rows = 1;

	if (k == 0)
		return 2;
	/* No pane is taller than the screen: the newest entries that fill
	 * it are all the layout needs to hear of. */
	while (k-- > 0 && rows < ui->rows)
		rows += entry_rows(tutor_log_at(&ui->log, k), width);
	return rows;
}

void
ui_log_draw(struct ui *ui, WINDOW *w)
{
	int W = getmaxx(w), H = getmaxy(w), rows = H - 1, used = 0, y;
	int need[TUTOR_LOG_MAX];
	size_t k, first;

	werase(w);
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 1, W - 2, _("What really happened (the calls)"));
	wattrset(w, A_NORMAL);
	if (tutor_log_count(&ui->log) == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 1, 1, W - 2, _("No call yet."));
		wattrset(w, A_NORMAL);
		return;
	}
	/* From the newest back: each entry whole while there is room;
	 * once the room runs out, older entries take one row (cut at the
	 * edge; w shows them whole) so that more of the story stays. */
	first = tutor_log_count(&ui->log);
	while (first > 0 && used < rows) {
		const struct tutor_log_entry *e =
		    tutor_log_at(&ui->log, first - 1);
		int r = entry_rows(e, W);

		if (r > 1 && used + r > rows)
			r = first == tutor_log_count(&ui->log) ? rows : 1;
		need[first - 1] = r;
		used += r;
		first--;
	}
	y = 1;
	for (k = first; k < tutor_log_count(&ui->log) && y < H; k++) {
		const struct tutor_log_entry *e =
		    tutor_log_at(&ui->log, k);

		log_entry(ui, w, y, need[k], e);
		y += need[k];
	}
}

/* The whole log on a screen of its own (w): every entry whole, from
 * the oldest kept, scrolled to the newest when it opens. */
void
ui_log_view_draw(struct ui *ui, WINDOW *w)
{
	int W = getmaxx(w), H = getmaxy(w), total = 0, y, skip, r;
	size_t k;

	werase(w);
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 1, W - 2, _("What really happened (the calls)"));
	wattrset(w, A_NORMAL);
	if (tutor_log_count(&ui->log) == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 2, 1, W - 2, _("No call yet."));
		wattrset(w, A_NORMAL);
		return;
	}
	for (k = 0; k < tutor_log_count(&ui->log); k++)
		total += entry_rows(tutor_log_at(&ui->log, k),
		    W);
	if (ui->log_scroll > total - (H - 2))
		ui->log_scroll = total - (H - 2);
	if (ui->log_scroll < 0)
		ui->log_scroll = 0;
	/* Whole entries only: the first one that starts at or after the
	 * scroll position heads the screen. */
	skip = ui->log_scroll;
	y = 2;
	for (k = 0; k < tutor_log_count(&ui->log); k++) {
		const struct tutor_log_entry *e =
		    tutor_log_at(&ui->log, k);

		r = entry_rows(e, W);
		if (skip > 0) {
			skip -= r;
			continue;
		}
		if (y + r > H)
			break;
		log_entry(ui, w, y, r, e);
		y += r;
	}
	wattrset(w, ui_look(ui, UI_L_KEY));
	if (ui->log_scroll > 0)
		mvwaddstr(w, 1, W - 3, "^");
	if (k < tutor_log_count(&ui->log))
		mvwaddstr(w, 1, W - 1, "v");
	wattrset(w, A_NORMAL);
}

bool
ui_log_view_key(struct ui *ui, enum key_action act)
{
	int page = ui->wbody != NULL ? getmaxy(ui->wbody) - 3 : 10;

	if (act == KA_CLOSE) {
		ui->screen = UI_MAIN;
		return true;
	}
	return ui_scroll_key(act, page, &ui->log_scroll);
}

/* A scrolling action on a full-screen view's offset (the drawing clamps
 * it); false for any other action. */
bool
ui_scroll_key(enum key_action act, int page, int *scroll)
{
	switch (act) {
	case KA_LINE_DOWN:
		++*scroll;
		break;
	case KA_LINE_UP:
		--*scroll;
		break;
	case KA_PAGE_DOWN:
		*scroll += page;
		break;
	case KA_PAGE_UP:
		*scroll -= page;
		break;
	case KA_TOP:
		*scroll = 0;
		break;
	case KA_BOTTOM:
		*scroll = 1 << 20;
		break;
	default:
		return false;
	}
	return true;
}

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

/* Forget every entry. */
static void
log_clear(struct ui *ui)
{
	ui->log_head = 0;
	ui->log_n = 0;
}

void
ui_log_before_reset(struct ui *ui, bool same_lesson, size_t step)
{
	if (ui->lab == NULL)
		return;
	/* The reset is worth a line only when earlier steps are really
	 * redone: going back within a lesson.  A new lesson starts with an
	 * empty log; the previous lesson's last events, still on their way,
	 * belong to it and go with the reset that ends them. */
	ui->log_resets_asked++;
	if (!same_lesson || step == 0)
		ui->log_quiet_upto = ui->log_resets_asked;
	if (!same_lesson) {
		ui->log_old_upto = ui->log_resets_asked;
		log_clear(ui);
	}
}

void
ui_log_sift(struct ui *ui)
{
	struct ui_log_entry *e, *before;
	unsigned n;

	if (ui->log_n == 0)
		return;
	e = &ui->log[(ui->log_head + ui->log_n - 1) % UI_LOG_MAX];
	before = ui->log_n > 1 ?
	    &ui->log[(ui->log_head + ui->log_n - 2) % UI_LOG_MAX] : NULL;
	if (e->ev.kind != LAB_EV_RESET) {
		if (ui->log_resets_seen < ui->log_old_upto)
			ui->log_n--;
		return;
	}
	/* The sandbox resets the lab on its own: those count as asked
	 * for, and are worth their line. */
	if (ui->log_resets_seen == ui->log_resets_asked)
		ui->log_resets_asked++;
	n = ++ui->log_resets_seen;
	/* One reset line says it all, however many resets came. */
	if (n <= ui->log_quiet_upto ||
	    (before != NULL && before->ev.kind == LAB_EV_RESET))
		ui->log_n--;
}

static bool
has_call(const struct lab_event *ev)
{
	return ev->kind == LAB_EV_CALL || ev->kind == LAB_EV_BLOCKED ||
	    ev->kind == LAB_EV_CANCELLED;
}

/* Draw one log entry on row y; the sentence goes to row y2 when >= 0. */
static void
log_entry(struct ui *ui, WINDOW *w, int y, int y2,
    const struct ui_log_entry *e)
{
	int W = getmaxx(w), x = 1;
	char call[200], say[400], line[80];
	bool now = e->visit == ui->visit;
	attr_t a = now ? ui_look(ui, UI_L_CHANGED) : A_NORMAL;

	call[0] = '\0';
	if (has_call(&e->ev))
		lab_format_call(&e->ev, call, sizeof call);
	narrate_event(&e->ev, say, sizeof say);
	if (e->ev.replay) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		snprintf(line, sizeof line, "(%s) ", _("redone"));
		x += ui_put(w, y, x, W - x - 1, line);
	}
	if (call[0] != '\0') {
		wattrset(w, a | A_BOLD);
		x += ui_put(w, y, x, W - x - 1, call) + 2;
	}
	wattrset(w, now ? a : A_NORMAL);
	if (y2 >= 0)
		ui_put(w, y2, 4, W - 5, say);
	else
		ui_put(w, y, x, W - x - 1, say);
	wattrset(w, A_NORMAL);
}

/* Rows an entry needs: one when the call and its sentence fit side by
 * side, else two (the sentence on a row of its own). */
static int
entry_rows(const struct ui_log_entry *e, int W)
{
	char call[200], say[400];

	if (!has_call(&e->ev))
		return 1;
	lab_format_call(&e->ev, call, sizeof call);
	narrate_event(&e->ev, say, sizeof say);
	return ui_width(call) + ui_width(say) + 14 > W ? 2 : 1;
}

int
ui_log_measure(struct ui *ui, int width)
{
	size_t k;
	int rows = 1;

	if (ui->log_n == 0)
		return 2;
	for (k = 0; k < ui->log_n; k++)
		rows += entry_rows(&ui->log[(ui->log_head + k) % UI_LOG_MAX],
		    width);
	return rows;
}

void
ui_log_draw(struct ui *ui, WINDOW *w)
{
	int W = getmaxx(w), H = getmaxy(w), rows = H - 1, used = 0, y;
	int need[UI_LOG_MAX];
	size_t k, first;

	werase(w);
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 1, W - 2, _("What really happened (the calls)"));
	wattrset(w, A_NORMAL);
	if (ui->log_n == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 1, 1, W - 2, _("No call yet."));
		wattrset(w, A_NORMAL);
		return;
	}
	/* From the newest back: each entry gets its sentence whole while
	 * there is room; once the room runs out, older entries take one row
	 * (cut at the edge) so that more of the story stays visible. */
	first = ui->log_n;
	while (first > 0 && used < rows) {
		const struct ui_log_entry *e =
		    &ui->log[(ui->log_head + first - 1) % UI_LOG_MAX];
		int r = entry_rows(e, W);

		if (r == 2 && (used + 2 > rows ||
		    (first != ui->log_n && rows < 8)))
			r = 1;
		need[first - 1] = r;
		used += r;
		first--;
	}
	y = 1;
	for (k = first; k < ui->log_n && y < H; k++) {
		const struct ui_log_entry *e =
		    &ui->log[(ui->log_head + k) % UI_LOG_MAX];

		log_entry(ui, w, y, need[k] == 2 ? y + 1 : -1, e);
		y += need[k];
	}
}

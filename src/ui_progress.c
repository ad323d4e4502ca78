/* ui_progress.c - the learner's progress: read at start (where to
 * resume, what is answered), written after each step (never more often
 * than the screen can afford), and what the screen says when it cannot
 * be. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "progress.h"
#include "ui_priv.h"
#include "util.h"

void
ui_save(struct ui *ui)
{
	/* Writing the file (fsync, rename) costs milliseconds: it is done
	 * right after the next screen update, not before it. */
	ui->save_pending = true;
}

void
ui_save_now(struct ui *ui)
{
	char *cause = NULL;

	ui->save_pending = false;
	if (ui->app->progress_path == NULL)
		return;
	/* The sandbox is not a place in the course: the saved place stays
	 * the lesson the learner was in. */
	if (!ui->in_sandbox) {
		snprintf(ui->prog.lesson, sizeof ui->prog.lesson, "%s",
		    ui_lesson(ui)->id);
		ui->prog.step = (unsigned)ui->step;
	}
	snprintf(ui->prog.lang, sizeof ui->prog.lang, "%s",
	    i18n_get() == I18N_IT ? "it" : "en");
	if (progress_save(ui->app->progress_path, &ui->prog, &cause) == -1) {
		if (!ui->status_warned) {
			ui_status(ui, UI_ST_SAVE_FAILED, "%s",
			    cause != NULL ? cause : "");
			ui->status_warned = true;
		}
		free(cause);
	}
}

void
ui_progress_start(struct ui *ui)
{
	const struct app *app = ui->app;
	char *cause = NULL;
	size_t i;
	int r;

	memset(&ui->prog, 0, sizeof ui->prog);
	if (app->progress_path == NULL)
		return;
	r = progress_load(app->progress_path, &ui->prog, &cause);
	if (r == -1) {
		char *bad, *why = NULL;

		/* Reported once.  The file goes aside as progress.bad, so
		 * the next save replaces nothing; if it cannot, the next
		 * save replaces it. */
		bad = progress_set_aside(app->progress_path, &why);
		ui_status(ui, bad != NULL ? UI_ST_CORRUPT_KEPT : UI_ST_CORRUPT,
		    "%s", cause != NULL ? cause : "");
		free(bad);
		free(why);
		free(cause);
		memset(&ui->prog, 0, sizeof ui->prog);
		return;
	}
	if (r == 0 || app->start_given)
		return;
	for (i = 0; i < app->nlessons; i++) {
		if (strcmp(app->lessons[i]->id, ui->prog.lesson) != 0)
			continue;
		ui->lesson = i;
		ui->step = ui->prog.step < app->lessons[i]->nsteps ?
		    ui->prog.step : 0;
		ui->status = UI_ST_RESUMED;
		return;
	}
}

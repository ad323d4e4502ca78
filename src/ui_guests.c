/* ui_guests.c - guests wait (k): the lecturer keeps the lesson's own
 * pair undisturbed by the class.  With the lab's private network
 * (netns.h) the lesson's pair moves there, where no guest can reach it
 * and every packet is captured; without it, the lab holds guests: the
 * lesson's accept() takes only the lab's own customer and sets aside
 * whoever it meets first (lab_hold_guests).  The screen says which,
 * in the title bar and, in the lecture layout, in a sentence. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui_priv.h"

bool
ui_guests_private(const struct ui *ui, size_t lesson, size_t step)
{
	const struct lesson *l;

	if (!ui->guests_wait || ui->app->netns == NULL ||
	    lesson >= ui->app->nlessons)
		return false;
	l = ui->app->lessons[lesson];
	/* An exercise's step waits for the learner's own program. */
	return step >= l->nsteps || l->steps[step].exercise == NULL;
}

void
ui_guests_toggle(struct ui *ui)
{
	ui->guests_wait = !ui->guests_wait;
	if (ui->lab == NULL)
		return;
	lab_hold_guests(ui->lab, ui->guests_wait);
	/* Sockets cannot change networks: the step is run again, from
	 * scratch, in the other one. */
	if (!ui->in_sandbox && ui_wire_moves(ui, ui->lesson, ui->step))
		ui_goto(ui, ui->lesson, ui->step);
}

const char *
ui_guests_word(const struct ui *ui)
{
	/* TRANSLATORS: the title bar says this while the lecturer keeps
	 * guests away from the lesson (key k).  Keep it short. */
	return ui->guests_wait ? _("GUESTS WAIT") : NULL;
}

const char *
ui_guests_sentence(const struct ui *ui, char *buf, size_t len)
{
	unsigned held = ui->snap.held;

	if (!ui->guests_wait)
		return NULL;
	if (ui->lab != NULL && lab_world(ui->lab) == LAB_WORLD_PRIVATE)
		snprintf(buf, len, "%s", _("Guests wait (k): the lesson's "
		    "pair runs on the lab's own private network, where no "
		    "guest can reach it; the packets below are real."));
	else if (held == 0)
		snprintf(buf, len, "%s", _("Guests wait (k): accept() takes "
		    "only the lab's own customer; a guest it meets first is "
		    "set aside, connected but not served, until k again."));
	else
		snprintf(buf, len, P_("Guests wait (k): accept() takes only "
		    "the lab's own customer; %u guest is set aside, connected "
		    "but not served, until k again.", "Guests wait (k): "
		    "accept() takes only the lab's own customer; %u guests "
		    "are set aside, connected but not served, until k again.",
		    held), held);
	return buf;
}

/* ui_door.c - the classroom door on the projector (ui_door.h): the door
 * of door.c opened for --present, fed with the step's question and with
 * reply texts in the current language, and drawn as the line a class
 * types plus a live bar per choice, with the right one shown on the
 * lecturer's key.  The door's thread never calls gettext: the texts
 * are translated here, on the UI thread, and handed over. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "door.h"
#include "i18n.h"
#include "ui_door.h"
#include "ui_priv.h"
#include "util.h"

struct ui_door {
	struct door *door;
	struct lab_addr addr;
	bool loopback;		/* only this machine can answer */
	bool fell_back;		/* the wanted port was taken */
	uint16_t wanted;	/* ... that port */
	bool revealed;
	unsigned question;	/* the id last handed to the door */
	bool have_question;
};

struct ui_door *
ui_door_open(const struct app *app, struct lab *lab, char **cause)
{
	struct door_config cfg;
	struct lab_addr bar;
	struct ui_door *d;
	struct door *door;

	memset(&cfg, 0, sizeof cfg);
	cfg.addr = app->lab.listen_addr;
	/* By default the port after the bar's real one (the lab settles
	 * it before the bartender binds: with --port=0, or when the wanted
	 * port is taken); when taken, another, and the screen says so. */
	bar.port = app->lab.port;
	if (lab != NULL)
		lab_bar_where(lab, &bar);
	cfg.port = app->door_given ? app->door_port :
	    bar.port == 0 || bar.port == 65535 ? 0 : (uint16_t)(bar.port + 1);
	cfg.fallback = true;
	door = door_new(&cfg, cause);
	if (door == NULL)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->door = door;
	d->wanted = cfg.port;
	d->fell_back = door_fell_back(door);
	door_addr(door, &d->addr);
	d->loopback = util_addr_is_loopback(d->addr.host);
	ui_door_language(d);
	return d;
}

void
ui_door_close(struct ui_door *d)
{
	if (d == NULL)
		return;
	door_free(d->door);
	free(d);
}

int
ui_door_wake_fd(const struct ui_door *d)
{
	return door_wake_fd(d->door);
}

void
ui_door_wake(struct ui_door *d)
{
	uint64_t v;

	if (read(door_wake_fd(d->door), &v, sizeof v) < 0) {
		/* nothing was pending */
	}
}

void
ui_door_question(struct ui_door *d, const struct lesson_question *q,
    unsigned id)
{
	unsigned n = q != NULL && q->nchoices <= DOOR_CHOICES_MAX ?
	    (unsigned)q->nchoices : 0;

	if (!d->have_question || d->question != id)
		d->revealed = false;
	d->have_question = true;
	d->question = id;
	door_set_question(d->door, n, id);
}

void
ui_door_language(struct ui_door *d)
{
	/* TRANSLATORS: the classroom door's replies go to students' own
	 * terminals (nc), one line each.  Keep {vote} and {n}: the
	 * door puts the numbers there. */
	const char *t[DOOR_REPLY_COUNT] = {
		[DOOR_REPLY_COUNTED] = _("Vote counted: {vote}. "
		    "Send another number to change it."),
		[DOOR_REPLY_HELP] = _("Send just the number of your answer, "
		    "from 1 to {n}, and press Enter."),
		[DOOR_REPLY_WAIT] = _("No question is open right now: wait "
		    "for the next one, then send its number."),
		[DOOR_REPLY_FULL] = _("The classroom door is full: try again "
		    "in a moment."),
	};

	door_set_replies(d->door, t);
}

void
ui_door_reveal(struct ui_door *d)
{
	d->revealed = !d->revealed;
}

static bool
votable(const struct lesson_question *q)
{
	return q != NULL && q->nchoices > 0 && q->nchoices <= DOOR_CHOICES_MAX;
}

int
ui_door_rows(const struct ui_door *d, const struct lesson_question *q)
{
	if (!votable(q))
		return 0;
	return 1 + d->loopback + d->fell_back + (int)q->nchoices + 1;
}

/* One choice's bar: its number, the bar, its count. */
static void
bar(WINDOW *w, int y, int x, int width, unsigned no, unsigned votes,
    unsigned most, bool right, const struct ui_door_looks *lk)
{
	char head[24], tail[64];
	int bw = width - 16, len, i;

	snprintf(head, sizeof head, "%s%u) ", right ? "\xe2\x9c\x93 " : "  ",
	    no);
	snprintf(tail, sizeof tail, " %u", votes);
	if (bw < 4)
		bw = 4;
	len = most > 0 ? (int)((votes * (unsigned)bw + most - 1) / most) : 0;
	wattrset(w, right ? lk->right | A_BOLD : lk->text | A_BOLD);
	mvwaddstr(w, y, x, head);
	wattrset(w, (right ? lk->right : lk->bar) | A_REVERSE);
	for (i = 0; i < len; i++)
		waddch(w, ' ');
	wattrset(w, right ? lk->right | A_BOLD : lk->text | A_BOLD);
	waddstr(w, tail);
	if (right) {
		waddstr(w, "  ");
		waddstr(w, _("right answer"));
	}
	wattrset(w, lk->text);
}

/* All on one line, when the figures need the rows: the line to type,
 * then each choice's count. */
static void
compact(const struct ui_door *d, WINDOW *w, int y, int x, int width,
    const struct lesson_question *q, const struct door_counts *c,
    const char *hostport, const struct ui_door_looks *lk)
{
	char line[300], part[64];
	size_t i, o;

	snprintf(line, sizeof line, "nc %s", hostport);
	wattrset(w, lk->big);
	ui_put(w, y, x, width, line);
	o = 0;
	line[0] = '\0';
	for (i = 0; i < q->nchoices && i < DOOR_CHOICES_MAX; i++) {
		snprintf(part, sizeof part, "  %s%zu) %u",
		    d->revealed && q->choices[i].right ? "\xe2\x9c\x93 " : "",
		    i + 1, c->votes[i]);
		if (o + strlen(part) < sizeof line) {
			memcpy(line + o, part, strlen(part) + 1);
			o += strlen(part);
		}
	}
	wattrset(w, lk->text | A_BOLD);
	x += ui_width(hostport) + 3;
	if (width > ui_width(hostport) + 3)
		ui_put(w, y, x, width - ui_width(hostport) - 3, line);
	wattrset(w, lk->text);
}

int
ui_door_draw(struct ui_door *d, WINDOW *w, int y, int x, int width,
    int rows, const struct lesson_question *q,
    const struct ui_door_looks *lk)
{
	struct door_counts c;
	char line[400], hostport[96];
	unsigned most = 0, i;
	int r = 0;

	if (!votable(q) || rows <= 0)
		return 0;
	door_counts(d->door, &c);
	snprintf(hostport, sizeof hostport, "%s %u", d->addr.host,
	    d->addr.port);
	if (rows < ui_door_rows(d, q)) {
		compact(d, w, y, x, width, q, &c, hostport, lk);
		return 1;
	}
	/* TRANSLATORS: the first %s is an address and port such as
	 * "127.0.0.1 5051" (never translated), %zu the number of
	 * choices. */
	snprintf(line, sizeof line, _("Answer from your terminal:  nc %s  "
	    "then type 1-%zu and Enter"), hostport, q->nchoices);
	wattrset(w, lk->big);
	ui_put(w, y + r++, x, width, line);
	if (d->loopback && r < rows) {
		wattrset(w, lk->dim);
		ui_put(w, y + r++, x, width, _("The door is on loopback: "
		    "only this machine can answer (--listen opens it to the "
		    "class)."));
	}
	if (d->fell_back && r < rows) {
		/* TRANSLATORS: %u are port numbers. */
		snprintf(line, sizeof line, _("Port %u was taken: the door "
		    "opened on port %u instead."), (unsigned)d->wanted,
		    (unsigned)d->addr.port);
		wattrset(w, lk->dim);
		ui_put(w, y + r++, x, width, line);
	}
	for (i = 0; i < q->nchoices && i < DOOR_CHOICES_MAX; i++)
		if (c.votes[i] > most)
			most = c.votes[i];
	for (i = 0; i < q->nchoices && r < rows; i++)
		bar(w, y + r++, x, width, i + 1, c.votes[i], most,
		    d->revealed && q->choices[i].right, lk);
	if (r < rows) {
		char a[96], b[96];

		snprintf(a, sizeof a, P_("%u answer", "%u answers",
		    c.voters), c.voters);
		snprintf(b, sizeof b, P_("%u connected", "%u connected",
		    c.connected), c.connected);
		snprintf(line, sizeof line, "%s \xc2\xb7 %s%s%s", a, b,
		    d->revealed ? "" : " \xc2\xb7 ",
		    d->revealed ? "" : _("r shows the right answer"));
		wattrset(w, lk->dim);
		ui_put(w, y + r++, x, width, line);
	}
	wattrset(w, lk->text);
	return r;
}

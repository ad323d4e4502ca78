/* ui_present.c - the lecture layout (--present): fewer, bigger things for
 * a projector.  The bartender and the customer as two large boxes with
 * their TCP state in high contrast, the wire between them when they are
 * connected, the step's key sentence alone and centred, and, for a class
 * (--listen on a classroom address), the address students type and the
 * customers who arrive. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "narrate.h"
#include "narrate_step.h"
#include "netstate.h"
#include "ui_present_fig.h"
#include "ui_priv.h"
#include "util.h"

/* The step's question, its choices and the feedback on the one picked,
 * as lines width wide. */
static void
question_lines(struct ui *ui, struct ui_lines *L, int width)
{
	const struct lesson_question *q = ui_cur_step(ui)->question;
	struct narrate_lines N = { 0 };
	size_t i;

	if (q == NULL || q->nchoices == 0)
		return;
	/* The words are the lesson pane's; big and bold for the room. */
	narrate_question_lines(&N, q, ui_text_chosen(ui));
	for (i = 0; i < N.n; i++) {
		const struct narrate_line *l = &N.v[i];
		attr_t a = A_BOLD;

		if (l->part == NARRATE_HEAD) {
			ui_lines_add(L, l->text, width, 0, NULL,
			    ui_look(ui, UI_L_HEAD) | A_BOLD);
			continue;
		}
		if (l->look != NARRATE_NORMAL)
			a = ui_look(ui, l->look == NARRATE_GOOD ? UI_L_GOOD :
			    UI_L_BAD) | A_BOLD;
		ui_lines_add(L, l->text, width,
		    l->part == NARRATE_CHOICE ? 0 : 4,
		    l->part == NARRATE_CHOICE ? l->prefix : NULL, a);
	}
	narrate_lines_free(&N);
}

static bool
queue_full(const struct lab_snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		if (sn->socks[i].role == LAB_ROLE_LISTENER &&
		    sn->socks[i].fd >= 0 && sn->socks[i].backlog > 0 &&
		    sn->socks[i].accept_queue >= sn->socks[i].backlog)
			return true;
	return false;
}

/* A newcomer of the crowd: a guest being served, or one waiting in the
 * accept queue that no lesson socket is talking to. */
static bool
in_crowd(const struct lab_snapshot *sn, const struct lab_sock *s)
{
	return (s->role == LAB_ROLE_GUEST && s->fd >= 0) ||
	    (s->role == LAB_ROLE_QUEUED && !fig_shows(sn, s));
}

/* Connections in the accept queue: the listener's count, or the rows
 * found, whichever was read later (the larger). */
static unsigned
queued(const struct lab_snapshot *sn)
{
	unsigned rows = 0;
	size_t i;

	for (i = 0; i < sn->n; i++)
		rows += sn->socks[i].role == LAB_ROLE_QUEUED;
	return rows > sn->queued ? rows : sn->queued;
}

/* The newcomers in the queue that a figure shows already (the lab's own
 * customer waiting for accept()). */
static unsigned
queued_in_figures(const struct lab_snapshot *sn)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < sn->n; i++)
		n += sn->socks[i].role == LAB_ROLE_QUEUED &&
		    fig_shows(sn, &sn->socks[i]);
	return n;
}

/* The heading of the crowd: every count, whatever fits in rows. */
static void
crowd_heading(struct ui *ui, char *line, size_t len, unsigned knock)
{
	const struct lab_snapshot *sn = &ui->snap;
	char part[128];
	size_t o;

	snprintf(line, len, P_("%u guest", "%u guests", sn->guests),
	    sn->guests);
	o = strlen(line);
	snprintf(part, sizeof part, P_("%u waiting in the accept queue",
	    "%u waiting in the accept queue", queued(sn)), queued(sn));
	o += (size_t)snprintf(line + o, len - o, "  \xc2\xb7  %s", part);
	if (knock > 0 && o < len) {
		snprintf(part, sizeof part, P_("%u more knocking (SYN_SENT)",
		    "%u more knocking (SYN_SENT)", knock), knock);
		o += (size_t)snprintf(line + o, len - o, "  \xc2\xb7  %s",
		    part);
	}
	if (sn->held > 0 && o < len) {
		snprintf(part, sizeof part, P_("%u set aside (guests wait)",
		    "%u set aside (guests wait)", sn->held), sn->held);
		o += (size_t)snprintf(line + o, len - o, "  \xc2\xb7  %s",
		    part);
	}
	if (sn->timewait > 0 && o < len) {
		snprintf(part, sizeof part, P_("%u in TIME_WAIT",
		    "%u in TIME_WAIT", sn->timewait), sn->timewait);
		o += (size_t)snprintf(line + o, len - o, "  \xc2\xb7  %s",
		    part);
	}
}

/* The guests as a counted crowd: the counts, a row per newcomer while
 * rows last (by number; addresses only when the lecturer asks), then
 * "and N more".  Returns the next row. */
static int
crowd(struct ui *ui, WINDOW *w, int y, int H, int W, unsigned knock)
{
	const struct lab_snapshot *sn = &ui->snap;
	int cw = 32, ncols = W / cw > 0 ? W / cw : 1, col = 0;
	unsigned total = sn->guests + queued(sn) - queued_in_figures(sn) +
	    sn->held;
	unsigned listed = 0;
	char line[400];
	size_t i;

	crowd_heading(ui, line, sizeof line, knock);
	wattrset(w, A_BOLD);
	ui_put(w, y++, 2, W - 2, line);
	wattrset(w, A_NORMAL);
	for (i = 0; i < sn->n && y < H - 1; i++) {
		const struct lab_sock *s = &sn->socks[i];
		char who[96];

		if (!in_crowd(sn, s))
			continue;
		if (ui->show_addrs && s->has_peer)
			lab_format_addr(&s->peer, who, sizeof who);
		else if (s->role == LAB_ROLE_QUEUED)
			snprintf(who, sizeof who, "%s",
			    _("in the accept queue"));
		else if (s->held)
			snprintf(who, sizeof who, "%s", _("set aside"));
		else if (s->last[0] != '\0')
			/* Escaped by the lab: never raw bytes. */
			snprintf(who, sizeof who, "%s \"%s\"",
			    lab_tcp_name(s->state), s->last);
		else
			snprintf(who, sizeof who, "%s",
			    lab_tcp_name(s->state));
		snprintf(line, sizeof line, "#%u  %s",
		    ui_lab_guest_no(ui, s->id), who);
		wattrset(w, ui_look(ui, s->role == LAB_ROLE_QUEUED ?
		    UI_L_DIM : UI_L_CLIENT) | A_BOLD);
		ui_put(w, y, 2 + col * cw, cw - 1, line);
		listed++;
		if (++col == ncols) {
			col = 0;
			y++;
		}
	}
	y += col > 0;
	wattrset(w, ui_look(ui, UI_L_DIM));
	if (total > listed && y < H) {
		snprintf(line, sizeof line, P_("and %u more", "and %u more",
		    total - listed), total - listed);
		ui_put(w, y++, 2, W - 2, line);
	}
	/* A full queue drops later SYNs without a trace on this side. */
	if (knock == 0 && queued(sn) > 0 && queue_full(sn) && y < H)
		ui_put(w, y++, 2, W - 2, _("The accept queue is full: more "
		    "may be retrying their SYN, unseen from here."));
	wattrset(w, A_NORMAL);
	return y;
}

/* The lesson's accepted connection when its other end is not the lab's
 * customer: a student came first. */
static const struct lab_sock *
hijacked(const struct lab_snapshot *sn)
{
	size_t i, j;

	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];
		bool ours = false;

		if (s->role != LAB_ROLE_CONN || s->fd < 0 || !s->has_peer ||
		    s->side != LAB_SERVER)
			continue;
		for (j = 0; j < sn->n; j++)
			if (sn->socks[j].role == LAB_ROLE_CLIENT &&
			    ui_lab_peers(s, &sn->socks[j]))
				ours = true;
		if (!ours)
			return s;
	}
	return NULL;
}

/* Draw wrapped lines from row y, each centred by its own width when
 * centre, else all from column x; returns the next row. */
static int
put_lines(WINDOW *w, int y, int H, int x, const struct ui_lines *L,
    bool centre)
{
	int W = getmaxx(w);
	size_t i;

	for (i = 0; i < L->n && y < H; i++, y++) {
		const wchar_t *p;
		int lw = 0;

		for (p = L->v[i].s; *p; p++)
			lw += wcwidth(*p) > 0 ? wcwidth(*p) : 1;
		wattrset(w, L->v[i].attr);
		if (centre)
			mvwaddwstr(w, y, lw < W ? (W - lw) / 2 : 0, L->v[i].s);
		else
			mvwaddwstr(w, y, x + L->v[i].indent, L->v[i].s);
	}
	wattrset(w, A_NORMAL);
	return y;
}

/* Students' addresses are not projected unless the lecturer asks (i):
 * in text about the call ev (its C line, its narration), the address
 * of a peer that accept() took which is not the lab's own customer
 * becomes the guest's number, "#N". */
static void
mask_student(struct ui *ui, const struct lab_event *ev, char *buf)
{
	char addr[80], num[24], *at;
	size_t i, al, nl;

	if (ui->show_addrs || !ev->has_addr || ev->call != LAB_CALL_ACCEPT ||
	    ev->ret < 0)
		return;
	for (i = 0; i < ev->snap.n; i++) {
		const struct lab_sock *s = &ev->snap.socks[i];

		if (s->role == LAB_ROLE_CLIENT && s->has_local &&
		    s->local.port == ev->addr.port)
			return;		/* the lab's own customer */
	}
	num[0] = '\0';
	for (i = 0; i < ev->snap.n; i++) {
		const struct lab_sock *s = &ev->snap.socks[i];

		if (s->role == LAB_ROLE_CONN && s->fd == ev->ret)
			snprintf(num, sizeof num, "#%u",
			    ui_lab_guest_no(ui, s->id));
	}
	if (num[0] == '\0')
		snprintf(num, sizeof num, "#?");
	lab_format_addr(&ev->addr, addr, sizeof addr);
	al = strlen(addr);
	nl = strlen(num);
	/* In place: a number is never longer than an address. */
	while (al > 0 && nl <= al && (at = strstr(buf, addr)) != NULL) {
		memmove(at + nl, at + al, strlen(at + al) + 1);
		memcpy(at, num, nl);
	}
}

/* The latest real call of the lesson, as C: "recv(5, 64) = 13". */
static bool
latest_call(struct ui *ui, char *buf, size_t len)
{
	size_t k;

	for (k = tutor_log_count(&ui->log); k > 0; k--) {
		const struct lab_event *ev =
		    &tutor_log_at(&ui->log, k - 1)->ev;

		if (ev->kind == LAB_EV_CALL && !ev->replay &&
		    !lab_call_is_action(ev->call)) {
			lab_format_call(ev, buf, len);
			mask_student(ui, ev, buf);
			return true;
		}
	}
	return false;
}

static bool
has_listener(const struct lab_snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		if (sn->socks[i].role == LAB_ROLE_LISTENER &&
		    sn->socks[i].fd >= 0)
			return true;
	return false;
}

/* Clients knocking in SYN_SENT: the lab's own, or, when the queue is
 * full, every one on this machine that sock_diag can see. */
static unsigned
knocking(const struct ui *ui)
{
	struct lab_addr bar;
	int n;

	if (!has_listener(&ui->snap) || !ui_bar_addr(ui, &bar))
		return ui->snap.knocking;
	n = netstate_knocking(&bar);
	return n > (int)ui->snap.knocking ? (unsigned)n : ui->snap.knocking;
}

/* Rows the crowd wants: its counts, its rows, "and N more". */
static int
crowd_rows(const struct ui *ui, int W, unsigned knock)
{
	const struct lab_snapshot *sn = &ui->snap;
	int n = 0, ncols = (W - 2) / 32 > 0 ? (W - 2) / 32 : 1;
	size_t i;

	if (sn->guests + queued(sn) - queued_in_figures(sn) + knock +
	    sn->held == 0)
		return 0;
	for (i = 0; i < sn->n; i++)
		n += in_crowd(sn, &sn->socks[i]);
	n = (n + ncols - 1) / ncols;
	return 1 + (n < 4 ? n : 4) + 1;
}

#define CALLS_MAX 20		/* calls the log below the figures lists */

static bool
is_call(const struct lab_event *ev)
{
	return ev->kind == LAB_EV_CALL || ev->kind == LAB_EV_BLOCKED ||
	    ev->kind == LAB_EV_CANCELLED;
}

/* Real calls the log holds, up to max. */
static int
calls_kept(const struct ui *ui, int max)
{
	int n = 0;
	size_t k;

	for (k = tutor_log_count(&ui->log); k > 0 && n < max; k--)
		n += is_call(&tutor_log_at(&ui->log, k - 1)->ev) &&
		    !tutor_log_at(&ui->log, k - 1)->ev.replay;
	return n;
}

/* Put s in room columns from x; cut short, at a word, with an ellipsis. */
static void
put_words(WINDOW *w, int y, int x, int room, const char *s)
{
	char buf[400];
	char *sp;

	if (ui_width(s) <= room) {
		ui_put(w, y, x, room, s);
		return;
	}
	snprintf(buf, sizeof buf, "%s", s);
	while (ui_width(buf) > room - 1 && (sp = strrchr(buf, ' ')) != NULL)
		*sp = '\0';
	x += ui_put(w, y, x, room - 1, buf);
	ui_put(w, y, x, 1, "\u2026");
}

/* The lesson's latest real calls under their heading, from row y in h
 * rows, newest last, one row each: the call and its result, then what
 * it did, cut at the edge.  The step's own calls stand out, earlier
 * ones are dim.  Returns the rows used. */
static int
calls(struct ui *ui, WINDOW *w, int y, int h, int x, int width)
{
	int n = calls_kept(ui, h - 1), row = y + n, cx;
	char call[200], say[400];
	size_t k;

	if (n == 0)
		return 0;
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, y, x, width, _("What really happened (the calls)"));
	for (k = tutor_log_count(&ui->log); k > 0 && row > y; k--) {
		const struct tutor_log_entry *e =
		    tutor_log_at(&ui->log, k - 1);
		bool now = e->visit == ui->visit;

		if (!is_call(&e->ev) || e->ev.replay)
			continue;
		lab_format_call(&e->ev, call, sizeof call);
		narrate_event(&e->ev, say, sizeof say);
		mask_student(ui, &e->ev, call);
		mask_student(ui, &e->ev, say);
		wattrset(w, now ? ui_look(ui, UI_L_CHANGED) | A_BOLD :
		    ui_look(ui, UI_L_DIM));
		cx = x + ui_put(w, row, x, width, call) + 2;
		wattrset(w, now ? A_NORMAL : ui_look(ui, UI_L_DIM));
		if (cx + 8 < x + width)
			put_words(w, row, cx, x + width - cx, say);
		row--;
	}
	wattrset(w, A_NORMAL);
	return n + 1;
}

/* Rows the short log wants: its heading and CALLS_MAX calls at most. */
static int
calls_rows(const struct ui *ui)
{
	int n = calls_kept(ui, CALLS_MAX);

	return n > 0 ? n + 1 : 0;
}

/* Rows the spare rows' things want, with a blank row above each. */
static int
spare_want(struct ui *ui, int width)
{
	int lh = ui_wire_measure(ui, width), log = calls_rows(ui);

	return (lh > 0 ? lh + 1 : 0) + (log > 0 ? log + 1 : 0);
}

/* The rows the rest leaves, from row y, under the figures (from column
 * x, width wide): the packets on the wire, when the lab has them (or x
 * asks), then the lesson's latest calls. */
static void
spare(struct ui *ui, WINDOW *w, int y, int h, int x, int width)
{
	int lh, log = calls_rows(ui);

	if (h < 3)
		return;
	lh = ui_wire_measure(ui, width);
	if (lh > 0) {
		/* The ladder first; the calls keep a few rows if any. */
		if (log > 0 && lh > h - (log < 5 ? log : 5) - 1)
			lh = h - (log < 5 ? log : 5) - 1;
		if (lh >= 2) {
			WINDOW *sub = derwin(w, lh, width, y, x);

			if (sub != NULL) {
				ui_wire_draw(ui, sub);
				delwin(sub);
				y += lh + 1;
				h -= lh + 1;
			}
		}
	}
	if (h >= 2)
		calls(ui, w, y, h < log ? h : log, x, width);
}

/* The latest call, then the votes, take what the figures (figs rows)
 * leave of avail rows; short of room, the call goes and the votes fold
 * into a line.  rest: the rows the rest wants, without the votes.
 * Returns the rows left for the figures. */
static int
make_room(int avail, int figs, int rest, bool *have_call, int *door_rows)
{
	if (*have_call && avail - rest < figs + (*door_rows > 0 ? 2 : 0)) {
		*have_call = false;
		rest -= 2;
	}
	if (*door_rows > 0 && avail - rest - *door_rows - 1 < figs)
		*door_rows = 1;
	rest += *door_rows > 0 ? *door_rows + 1 : 0;
	return avail - rest;
}

/* What the room must know now, as lines qw wide into N: guests wait,
 * while it is on, and a student accepted instead of the lab's customer,
 * with how to go on. */
static void
notices(struct ui *ui, const struct lesson_step *st, struct ui_lines *N,
    int qw)
{
	const struct lab_sock *thief;
	char line[600];

	if (ui_guests_sentence(ui, line, sizeof line) != NULL)
		ui_lines_add(N, line, qw, 0, NULL,
		    ui_look(ui, UI_L_GOOD) | A_BOLD);
	thief = st->exercise == NULL ? hijacked(&ui->snap) : NULL;
	if (thief == NULL)
		return;
	snprintf(line, sizeof line, _("accept() gave the bartender "
	    "student #%u instead of the lab's customer: real sockets "
	    "take whoever is first in the queue, so from here on he "
	    "talks to the student. To go on, ask the student to "
	    "close, then go back one step and forward again."),
	    ui_lab_guest_no(ui, thief->id));
	ui_lines_add(N, line, qw, 0, NULL, ui_look(ui, UI_L_BAD) | A_BOLD);
}

/* Where the class answers question q and how it answered, door_rows
 * tall, from row y, qw wide and centred; or why the door is shut.
 * Returns the next free row. */
static int
class_door(struct ui *ui, WINDOW *w, int y, int qw, int door_rows,
    const struct lesson_question *q)
{
	int H = getmaxy(w), W = getmaxx(w);

	if (door_rows > 0 && y < H) {
		struct ui_door_looks lk;

		lk.text = A_NORMAL;
		lk.big = ui_look(ui, UI_L_BIG) | A_BOLD;
		lk.bar = ui_look(ui, UI_L_CLIENT);
		lk.right = ui_look(ui, UI_L_GOOD);
		lk.dim = ui_look(ui, UI_L_DIM);
		y += ui_door_draw(ui->door, w, y, (W - qw) / 2, qw,
		    door_rows < H - y ? door_rows : H - y, q, &lk) + 1;
	} else if (ui->door_cause != NULL && q != NULL && y < H) {
		char line[300];

		snprintf(line, sizeof line, _("The classroom door could not "
		    "open: %s"), ui->door_cause);
		wattrset(w, ui_look(ui, UI_L_BAD));
		ui_put(w, y++, 2, W - 4, line);
		wattrset(w, A_NORMAL);
	}
	return y;
}

/* The address a class connects to, large, from row y; returns the next
 * free row. */
static int
class_address(struct ui *ui, WINDOW *w, int y, const struct lab_addr *a)
{
	char line[200];

	snprintf(line, sizeof line, _("Connect to  %s  port %u"), a->host,
	    a->port);
	wattrset(w, ui_look(ui, UI_L_BIG));
	ui_put_centred(w, y++, line);
	wattrset(w, A_NORMAL);
	snprintf(line, sizeof line, "nc %s %u", a->host, a->port);
	ui_put_centred(w, y++, line);
	return y + 1;
}

void
ui_present_draw(struct ui *ui, WINDOW *w)
{
	const struct lesson_step *st = ui_cur_step(ui);
	const char *key = st->key.msgid != NULL ? st->key.msgid :
	    st->title.msgid;
	int H = getmaxy(w), W = getmaxx(w);
	int gap = W / 8, fw = (W - gap - 4) / 2, fx1 = 2, y, fh, room;
	int qw = W > 100 ? 90 : W - 6, rest, low;
	struct ui_lines K = { 0 }, Q = { 0 };
	struct fig left, right;
	struct lab_addr a, where;
	const struct lesson_question *q;
	struct ui_lines N = { 0 };
	char call[200];
	int door_rows = 0;
	unsigned knock;
	bool classroom, have_call;

	if (fw > 60) {
		fw = 60;
		fx1 = (W - 2 * fw - gap) / 2;
	}
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put_centred(w, 0, narrate_lesson(st->title.msgid));
	wattrset(w, A_NORMAL);

	/* What goes below the figures decides how tall they may be. */
	ui_lines_add(&K, narrate_lesson(key), W > 90 ? W - 20 : W - 4, 0, NULL,
	    ui_look(ui, UI_L_KEY) | A_BOLD);
	question_lines(ui, &Q, qw);
	classroom = ui->app->listen_given && ui->lab != NULL &&
	    ui_bar_addr(ui, &a);
	q = ui_cur_step(ui)->question;
	if (ui->door != NULL) {
		/* The class answers this step's question (or none). */
		ui_door_question(ui->door, q, (unsigned)(ui->lesson + 1) *
		    1000u + (unsigned)ui->step + 1u);
		door_rows = ui_door_rows(ui->door, q);
	}
	notices(ui, st, &N, qw);
	have_call = latest_call(ui, call, sizeof call);
	knock = knocking(ui);
	rest = (int)K.n + 1 + (Q.n > 0 ? (int)Q.n + 1 : 0) +
	    (N.n > 0 ? (int)N.n + 1 : 0) + (have_call ? 2 : 0) +
	    (ui->door_cause ? 1 : 0) +
	    (classroom ? 3 : 0) + crowd_rows(ui, W, knock);
	/* The bar's port, or where it will be: also while no socket holds
	 * it but a TIME_WAIT. */
	if (ui->lab != NULL)
		lab_bar_where(ui->lab, &where);
	fig_collect(&ui->snap, LAB_SERVER, &left, fw - 4,
	    ui->lab != NULL ? where.port : 0);
	fig_collect(&ui->snap, LAB_CLIENT, &right, fw - 4, 0);
	room = make_room(H - 2, 3 + (fig_rows(&left) > fig_rows(&right) ?
	    fig_rows(&left) : fig_rows(&right)), rest, &have_call,
	    &door_rows);

	/* The figures take a third of the screen, or less (a fifth at
	 * least) when the calls and the packets want the rows. */
	low = room - spare_want(ui, 2 * fw + gap);
	if (low > H / 3)
		low = H / 3;
	if (low < H / 5)
		low = H / 5;
	fh = ui_present_figures(ui, w, &left, &right, room, low, fx1,
	    fw, gap);

	/* The key sentence, alone, bold and centred. */
	y = put_lines(w, 2 + fh, H, 0, &K, true) + 1;
	ui_lines_free(&K);
	/* The latest real call and its result, for the back of the room. */
	if (have_call && y < H) {
		wattrset(w, ui_look(ui, UI_L_BIG) | A_BOLD);
		ui_put_centred(w, y, call);
		wattrset(w, A_NORMAL);
		y += 2;
	}
	if (N.n > 0) {
		y = put_lines(w, y, H, (W - qw) / 2, &N, false) + 1;
		ui_lines_free(&N);
	}
	if (Q.n > 0) {
		y = put_lines(w, y, H, (W - qw) / 2, &Q, false) + 1;
		ui_lines_free(&Q);
	}

	y = class_door(ui, w, y, qw, door_rows, q);
	if (classroom && y + 1 < H)
		y = class_address(ui, w, y, &a);
	if (crowd_rows(ui, W, knock) > 0 && y + 1 < H)
		y = crowd(ui, w, y, H, W - 2, knock) + 1;
	spare(ui, w, y, H - y, fx1, 2 * fw + gap);
}

bool
ui_present_ticking(const struct ui *ui)
{
	const struct lab_snapshot *sn = &ui->snap;

	/* A crowd changes without telling: newcomers queue, knock, give
	 * up.  Look again every second while the bar is open or a crowd
	 * is there. */
	return has_listener(sn) || sn->guests + queued(sn) + sn->knocking +
	    sn->held > 0;
}

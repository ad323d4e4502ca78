/* ui_present_fig.c - the lecture layout's two figures: the bartender's
 * and the customer's side of the bar as large boxes, each socket's TCP
 * state in high contrast, the ends of one connection facing each other
 * with the wire between them.  A lone socket also says what its state
 * means; what does not fit is counted. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_present_fig.h"
#include "util.h"

static void
frame(WINDOW *w, int y, int x, int h, int wd)
{
	int i;

	mvwaddch(w, y, x, ACS_ULCORNER);
	mvwaddch(w, y, x + wd - 1, ACS_URCORNER);
	mvwaddch(w, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(w, y + h - 1, x + wd - 1, ACS_LRCORNER);
	for (i = 1; i < wd - 1; i++) {
		mvwaddch(w, y, x + i, ACS_HLINE);
		mvwaddch(w, y + h - 1, x + i, ACS_HLINE);
	}
	for (i = 1; i < h - 1; i++) {
		mvwaddch(w, y + i, x, ACS_VLINE);
		mvwaddch(w, y + i, x + wd - 1, ACS_VLINE);
	}
}

static void
centre_in(WINDOW *w, int y, int x, int wd, const char *s)
{
	int n = ui_width(s);

	ui_put(w, y, x + (n < wd ? (wd - n) / 2 : 0), wd, s);
}

/* Does a figure show this socket?  The lesson's own, and the ends the
 * kernel keeps without a descriptor of the lesson's connections (one in
 * the accept queue, a customer's FIN_WAIT2). */
bool
fig_shows(const struct lab_snapshot *sn, const struct lab_sock *s)
{
	size_t i;

	if (ui_lab_is_lesson(s))
		return true;
	if (s->fd >= 0)
		return false;
	for (i = 0; i < sn->n; i++)
		if (ui_lab_is_lesson(&sn->socks[i]) &&
		    ui_lab_peers(s, &sn->socks[i]))
			return true;
	return false;
}

/* The listener first, then the newest socket, then the fd-less ones. */
static bool
fig_before(const struct lab_sock *a, const struct lab_sock *b)
{
	if ((a->fd < 0) != (b->fd < 0))
		return a->fd >= 0;
	if ((a->role == LAB_ROLE_LISTENER) != (b->role == LAB_ROLE_LISTENER))
		return a->role == LAB_ROLE_LISTENER;
	return a->id > b->id;
}

/* Wrap text into the block's lines, at most width columns each. */
static void
block_wrap(struct block *b, const char *text, int width)
{
	struct ui_lines L = { 0 };
	size_t k;

	ui_lines_add(&L, text, width, 0, NULL, A_NORMAL);
	for (k = 0; k < L.n && b->n < BLOCK_LINES; k++) {
		size_t need = wcstombs(NULL, L.v[k].s, 0);

		if (need == (size_t)-1 || need >= sizeof b->line[0])
			continue;
		wcstombs(b->line[b->n++], L.v[k].s, sizeof b->line[0]);
	}
	ui_lines_free(&L);
}

static void
block_make(struct block *b, const struct lab_sock *s, int width)
{
	char addr[80] = "-", info[160] = "";

	memset(b, 0, sizeof *b);
	b->s = s;
	snprintf(b->line[b->n++], sizeof b->line[0], "  %s  ",
	    s->type == SOCK_DGRAM ? "UDP" : lab_tcp_name(s->state));
	if (s->has_local)
		lab_format_addr(&s->local, addr, sizeof addr);
	if (s->fd >= 0)
		snprintf(b->line[b->n++], sizeof b->line[0], "fd %d  %s",
		    s->fd, addr);
	else
		snprintf(b->line[b->n++], sizeof b->line[0], "%s  %s",
		    _("no fd"), addr);
	/* The peer's address is in the other figure, at the end of the
	 * arrow; the numbers that change are what a class watches. */
	if (s->state == LAB_TCP_LISTEN) {
		snprintf(info, sizeof info, _("accept queue %u/%u"),
		    s->accept_queue, s->backlog);
	} else if (s->state == LAB_TCP_TIME_WAIT) {
		snprintf(info, sizeof info, _("gone in %u s"),
		    (s->timer_ms + 999) / 1000);
	} else if (s->has_peer || (s->type == SOCK_DGRAM && s->has_local)) {
		char in[48], out[48];

		snprintf(in, sizeof in, _("in %u B"), s->rx_queue);
		snprintf(out, sizeof out, _("out %u B"), s->tx_queue);
		snprintf(info, sizeof info, "%s, %s", in, out);
		if (ui_width(info) > width)
			snprintf(info, sizeof info, "%s\n%s", in, out);
	}
	if (s->role == LAB_ROLE_QUEUED)
		block_wrap(b, narrate_role(s->role), width);
	if (info[0] != '\0') {
		char *nl = strchr(info, '\n');

		if (nl != NULL) {
			*nl = '\0';
			block_wrap(b, info, width);
			block_wrap(b, nl + 1, width);
		} else {
			block_wrap(b, info, width);
		}
	} else if (s->type != SOCK_DGRAM) {
		block_wrap(b, narrate_state(s->state), width);
	}
}

/* Is s a TIME_WAIT younger than *best (or the first)? */
static bool
younger_tw(const struct lab_sock *s, const struct lab_sock *best)
{
	return s->state == LAB_TCP_TIME_WAIT && (best == NULL ||
	    s->timer_ms > best->timer_ms);
}

/* The side's sockets as its figure shows them.  bar_port (0: unknown) is
 * the bar's port: the youngest TIME_WAIT that holds it stays in the
 * bartender's figure beside his sockets, since it is what makes a new
 * bind() on the port fail. */
void
fig_collect(const struct lab_snapshot *sn, enum lab_side side,
    struct fig *f, int width, uint16_t bar_port)
{
	const struct lab_sock *pick[LAB_SNAP_MAX], *tw = NULL, *btw = NULL;
	size_t i, n = 0, k;

	memset(f, 0, sizeof *f);
	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if (s->side != side || s->role == LAB_ROLE_GUEST)
			continue;
		if (!fig_shows(sn, s)) {
			/* The side's youngest TIME_WAIT, for when nothing
			 * else is left of its connection. */
			if (younger_tw(s, tw))
				tw = s;
			if (bar_port != 0 && side == LAB_SERVER &&
			    s->has_local && s->local.port == bar_port &&
			    younger_tw(s, btw))
				btw = s;
			continue;
		}
		k = n++;
		while (k > 0 && fig_before(s, pick[k - 1])) {
			pick[k] = pick[k - 1];
			k--;
		}
		pick[k] = s;
	}
	if (btw != NULL)
		pick[n++] = btw;
	else if (n == 0 && tw != NULL)
		pick[n++] = tw;
	for (i = 0; i < n; i++) {
		if (f->n == FIG_SOCKS) {
			f->more++;
			continue;
		}
		block_make(&f->b[f->n++], pick[i], width);
	}
}

/* Rows the figure's sockets take, with a blank row between two. */
int
fig_rows(const struct fig *f)
{
	int r = 0, i;

	for (i = 0; i < f->n; i++)
		r += f->b[i].n + (i > 0);
	return r + f->pad + (f->more > 0) + (f->n == 0);
}

/* Keep only as many sockets as h rows hold; the rest are counted. */
static void
fig_fit(struct fig *f, int h)
{
	while (f->n > 1 && fig_rows(f) > h) {
		f->n--;
		f->more++;
	}
}

/* The first socket of the left figure whose other end is in the right
 * one.  False when none is. */
static bool
fig_pair(const struct fig *l, const struct fig *r, int *li, int *ri)
{
	int i, j;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < r->n; j++)
			if (ui_lab_peers(l->b[i].s, r->b[j].s)) {
				*li = i;
				*ri = j;
				return true;
			}
	return false;
}

/* Rows above block k inside the figure. */
static int
fig_offset(const struct fig *f, int k)
{
	int r = 0, i;

	for (i = 0; i < k; i++)
		r += f->b[i].n + 1;
	return r;
}

static void
figure(struct ui *ui, WINDOW *w, int y, int x, int h, int wd,
    const char *who, struct fig *f, enum ui_look look, bool had)
{
	char line[64];
	int row = y + 2, i, k;

	wattrset(w, ui_look(ui, look));
	frame(w, y, x, h, wd);
	wattrset(w, ui_look(ui, look) | A_BOLD);
	centre_in(w, y + 1, x + 1, wd - 2, who);
	if (f->n == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		centre_in(w, row, x + 1, wd - 2, had ? _("(no socket)") :
		    _("(no socket yet)"));
		wattrset(w, A_NORMAL);
		return;
	}
	for (i = 0; i < f->n; i++) {
		const struct block *b = &f->b[i];

		if (i > 0)
			row++;
		if (i == f->pad_at)
			row += f->pad;
		f->state_row[i] = row;
		for (k = 0; k < b->n && row < y + h - 1; k++, row++) {
			if (k == 0)
				wattrset(w, b->s->fd < 0 ?
				    ui_look(ui, UI_L_DIM) | A_BOLD :
				    ui_look(ui, UI_L_BIG));
			else
				wattrset(w, A_BOLD);
			centre_in(w, row, x + 1, wd - 2, b->line[k]);
		}
	}
	/* A lone socket in a tall figure also says what its state means. */
	if (f->n == 1 && f->more == 0 && f->b[0].s->type != SOCK_DGRAM &&
	    f->b[0].n <= 3 && (f->b[0].s->has_peer ||
	    f->b[0].s->state == LAB_TCP_LISTEN ||
	    f->b[0].s->state == LAB_TCP_TIME_WAIT)) {
		struct block g = { 0 };

		block_wrap(&g, narrate_state(f->b[0].s->state), wd - 4);
		if (row + 1 + g.n < y + h - 1) {
			row++;
			wattrset(w, A_NORMAL);
			for (k = 0; k < g.n; k++, row++)
				centre_in(w, row, x + 1, wd - 2, g.line[k]);
		}
	}
	if (f->more > 0 && row < y + h - 1) {
		snprintf(line, sizeof line, _("more: %u"), f->more);
		wattrset(w, ui_look(ui, UI_L_DIM));
		centre_in(w, row, x + 1, wd - 2, line);
	}
	wattrset(w, A_NORMAL);
}

int
ui_present_figures(struct ui *ui, WINDOW *w, struct fig *left, struct fig *right,
    int room, int low, int fx1, int fw, int gap)
{
	int fh, pi = 0, pj = 0;
	bool pair;

	fig_fit(left, room - 3 > 2 ? room - 3 : 2);
	fig_fit(right, room - 3 > 2 ? room - 3 : 2);
	fh = 3 + (fig_rows(left) > fig_rows(right) ? fig_rows(left) :
	    fig_rows(right));
	pair = fig_pair(left, right, &pi, &pj);
	if (pair) {
		/* The two ends face each other when the figures hold it. */
		int dy = fig_offset(left, pi) - fig_offset(right, pj);
		struct fig *f = dy > 0 ? right : left;

		f->pad_at = dy > 0 ? pj : pi;
		f->pad = dy > 0 ? dy : -dy;
		if (fig_rows(f) + 3 > fh)
			f->pad = 0;
	}
	if (fh < low && fh < room)
		fh = low < room ? low : room;
	figure(ui, w, 1, fx1, fh, fw, _("Bartender (server)"), left,
	    UI_L_SERVER, ui_lab_had_socket(ui, LAB_SERVER));
	figure(ui, w, 1, fx1 + fw + gap, fh, fw, _("Customer (client)"),
	    right, UI_L_CLIENT, ui_lab_had_socket(ui, LAB_CLIENT));

	/* The arrow only between the two ends of one connection. */
	if (pair)
		ui_lab_wire(ui, w, left->state_row[pi], right->state_row[pj],
		    fx1 + fw, gap, left->b[pi].s->state == LAB_TCP_ESTABLISHED &&
		    right->b[pj].s->state == LAB_TCP_ESTABLISHED, A_BOLD);
	return fh;
}

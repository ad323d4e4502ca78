/* ui_lab.c - the live lab as the normal layout shows it: the bartender
 * and the customer side by side with their sockets (and the connection
 * between them), the step's code in C and Python, and the log of real
 * calls with a sentence about each.  What changed since the step began is
 * highlighted.  Numbers, addresses, state names and calls are never
 * translated; the words around them are. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"
#include "util.h"

void
ui_lab_events(struct ui *ui, const struct lab_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t at = (ui->log_head + ui->log_n) % UI_LOG_MAX;

		if (ui->log_n == UI_LOG_MAX)
			ui->log_head = (ui->log_head + 1) % UI_LOG_MAX;
		else
			ui->log_n++;
		ui->log[at].ev = ev[i];
		ui->log[at].visit = ui->visit;
		ui->snap = ev[i].snap;
	}
}

bool
ui_lab_ticking(const struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->snap.n; i++)
		if (ui->snap.socks[i].state == LAB_TCP_TIME_WAIT &&
		    ui->snap.socks[i].timer_ms > 0)
			return true;
	return false;
}

/* Did this socket appear or change since the step began? */
static bool
changed(const struct ui *ui, const struct lab_sock *s)
{
	size_t i;

	if (!ui->have_base)
		return false;
	for (i = 0; i < ui->base.n; i++) {
		const struct lab_sock *b = &ui->base.socks[i];

		if (b->id != s->id)
			continue;
		return b->state != s->state || b->fd != s->fd ||
		    b->accept_queue != s->accept_queue ||
		    b->rx_queue != s->rx_queue || b->tx_queue != s->tx_queue ||
		    b->has_local != s->has_local || b->has_peer != s->has_peer;
	}
	return true;
}

static bool
is_kernel(const struct lab_sock *s)
{
	return s->role == LAB_ROLE_QUEUED || s->role == LAB_ROLE_TIMEWAIT ||
	    s->role == LAB_ROLE_KERNEL;
}

/* The two lines of one socket: who and what state, then the numbers. */
static void
sock_lines(const struct lab_sock *s, char *l1, size_t n1, char *l2,
    size_t n2)
{
	char loc[80] = "-", peer[80] = "";

	if (s->has_local)
		lab_format_addr(&s->local, loc, sizeof loc);
	if (s->has_peer)
		lab_format_addr(&s->peer, peer, sizeof peer);
	if (s->fd < 0) {
		/* A kernel-only entry: no descriptor, so its role leads the
		 * second line. */
		snprintf(l1, n1, "--  %s  %s", lab_tcp_name(s->state), loc);
		if (s->state == LAB_TCP_TIME_WAIT)
			snprintf(l2, n2, _("%s, gone in %u s"),
			    narrate_role(s->role), (s->timer_ms + 999) / 1000);
		else
			snprintf(l2, n2, "%s, %s %s", narrate_role(s->role),
			    _("peer"), peer[0] ? peer : "-");
		return;
	}
	snprintf(l1, n1, "fd %d  %s  %s", s->fd, lab_tcp_name(s->state), loc);
	if (s->state == LAB_TCP_LISTEN) {
		snprintf(l2, n2, _("accept queue %u/%u"), s->accept_queue,
		    s->backlog);
	} else if (s->state == LAB_TCP_TIME_WAIT) {
		snprintf(l2, n2, _("peer %s, gone in %u s"), peer[0] ? peer :
		    "-", (s->timer_ms + 999) / 1000);
	} else if (s->has_peer) {
		snprintf(l2, n2, _("peer %s, waiting in %u B, out %u B"), peer,
		    s->rx_queue, s->tx_queue);
	} else {
		snprintf(l2, n2, "%s", narrate_state(s->state));
	}
}

/* Draw one socket at row y in a column; returns the next row. */
static int
draw_sock(struct ui *ui, WINDOW *w, int y, int x, int cw, int ymax,
    const struct lab_sock *s, enum ui_look side)
{
	char l1[200], l2[200];
	bool ch = changed(ui, s);

	if (y >= ymax)
		return y;
	sock_lines(s, l1, sizeof l1, l2, sizeof l2);
	wattrset(w, ch ? ui_look(ui, UI_L_CHANGED) : (is_kernel(s) ?
	    ui_look(ui, UI_L_DIM) : ui_look(ui, side)));
	ui_put(w, y, x, cw, ch ? "*" : " ");
	ui_put(w, y, x + 1, cw - 1, l1);
	y++;
	if (y < ymax) {
		wattrset(w, ch ? ui_look(ui, UI_L_CHANGED) : A_NORMAL);
		ui_put(w, y, x + 3, cw - 3, l2);
		y++;
	}
	wattrset(w, A_NORMAL);
	return y;
}

static void
draw_guest(struct ui *ui, WINDOW *w, int y, int x, int cw,
    const struct lab_sock *s)
{
	char line[200], peer[80] = "-";

	if (s->has_peer)
		lab_format_addr(&s->peer, peer, sizeof peer);
	/* s->last is already escaped to printable ASCII by the lab. */
	if (s->last[0] != '\0')
		snprintf(line, sizeof line, "%s %s %s \"%s\"", _("customer"), peer,
		    lab_tcp_name(s->state), s->last);
	else
		snprintf(line, sizeof line, "%s %s %s", _("customer"), peer,
		    lab_tcp_name(s->state));
	wattrset(w, changed(ui, s) ? ui_look(ui, UI_L_CHANGED) :
	    ui_look(ui, UI_L_CLIENT));
	ui_put(w, y, x + 1, cw - 1, line);
	wattrset(w, A_NORMAL);
}

/* The wire between the two figures, on row y. */
static void
draw_wire(struct ui *ui, WINDOW *w, int y, int x, int len, bool up)
{
	int i;

	if (len < 3)
		return;
	wattrset(w, up ? ui_look(ui, UI_L_GOOD) : ui_look(ui, UI_L_DIM));
	mvwaddch(w, y, x, up ? '<' : ' ');
	for (i = 1; i < len - 1; i++)
		mvwaddch(w, y, x + i, up ? ACS_HLINE : '.');
	mvwaddch(w, y, x + len - 1, '>');
	wattrset(w, A_NORMAL);
}

void
ui_lab_draw(struct ui *ui, WINDOW *w)
{
	const struct lab_snapshot *sn = &ui->snap;
	int W = getmaxx(w), H = getmaxy(w), gap = W >= 100 ? 12 : 6;
	int cw = (W - gap - 2) / 2, lx = 1, rx = 1 + cw + gap;
	int ly = 2, ry = 2, wire = -1, nguests = 0, shown = 0;
	bool wire_up = false;
	size_t i;
	char buf[200];

	werase(w);
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 1, W - 2, _("The bar, live"));
	wattrset(w, ui_look(ui, UI_L_SERVER));
	ui_put(w, 1, lx, cw, _("Bartender (server)"));
	wattrset(w, ui_look(ui, UI_L_CLIENT));
	ui_put(w, 1, rx, cw, _("Customer (client)"));
	wattrset(w, A_NORMAL);
	if (ui->lab == NULL) {
		ui_put(w, 2, lx, W - 2, _("The live lab is not running."));
		return;
	}

	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if (s->role == LAB_ROLE_GUEST) {
			nguests++;
			continue;
		}
		if (s->side == LAB_SERVER && !is_kernel(s)) {
			ly = draw_sock(ui, w, ly, lx, cw, H, s, UI_L_SERVER);
		} else if (s->side == LAB_CLIENT && !is_kernel(s)) {
			if (s->has_peer && wire < 0) {
				wire = ry;
				wire_up = s->state == LAB_TCP_ESTABLISHED;
			}
			ry = draw_sock(ui, w, ry, rx, cw, H, s, UI_L_CLIENT);
		}
	}
	/* Kernel-only entries under the side they belong to. */
	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if (!is_kernel(s))
			continue;
		if (s->side == LAB_SERVER)
			ly = draw_sock(ui, w, ly, lx, cw, H, s, UI_L_SERVER);
		else
			ry = draw_sock(ui, w, ry, rx, cw, H, s, UI_L_CLIENT);
	}
	if (nguests > 0 && wire < 0) {
		wire = ry;
		wire_up = true;
	}
	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if (s->role != LAB_ROLE_GUEST)
			continue;
		if (ry >= H - 1 && shown < nguests) {
			snprintf(buf, sizeof buf, _("... and %d more customers"),
			    nguests - shown);
			ui_put(w, H - 1, rx + 1, cw - 1, buf);
			break;
		}
		draw_guest(ui, w, ry++, rx, cw, s);
		shown++;
	}
	if (sn->guests > (unsigned)nguests && ry < H) {
		snprintf(buf, sizeof buf, _("customers connected in all: %u"),
		    sn->guests);
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, ry, rx + 1, cw - 1, buf);
		wattrset(w, A_NORMAL);
	}
	if (ly == 2) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 2, lx + 1, cw - 1, _("(no socket yet)"));
	}
	if (ry == 2 && nguests == 0) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 2, rx + 1, cw - 1, _("(no socket yet)"));
	}
	wattrset(w, A_NORMAL);
	if (wire >= 0 && wire < H)
		draw_wire(ui, w, wire, lx + cw + 1, gap - 2, wire_up);
}

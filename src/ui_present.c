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

#include "i18n.h"
#include "narrate.h"
#include "ui_priv.h"
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

/* The socket that stands for a side: the served connection or the
 * customer's socket first, else the listener. */
static const struct lab_sock *
main_sock(const struct lab_snapshot *sn, enum lab_side side)
{
	const struct lab_sock *best = NULL;
	size_t i;

	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if (s->side != side || s->fd < 0 || s->role == LAB_ROLE_GUEST)
			continue;
		if (s->role == LAB_ROLE_CONN || s->role == LAB_ROLE_CLIENT)
			return s;
		if (best == NULL)
			best = s;
	}
	return best;
}

static void
figure(struct ui *ui, WINDOW *w, int y, int x, int h, int wd,
    const char *who, const struct lab_sock *s, enum ui_look look)
{
	const struct lab_sock *l = NULL;
	char line[200], addr[80];
	size_t i;

	wattrset(w, ui_look(ui, look));
	frame(w, y, x, h, wd);
	wattrset(w, ui_look(ui, look) | A_BOLD);
	centre_in(w, y + 1, x + 1, wd - 2, who);
	if (s == NULL) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		centre_in(w, y + 3, x + 1, wd - 2, _("(no socket yet)"));
		wattrset(w, A_NORMAL);
		return;
	}
	snprintf(line, sizeof line, "  %s  ", lab_tcp_name(s->state));
	wattrset(w, ui_look(ui, UI_L_BIG));
	centre_in(w, y + 3, x + 1, wd - 2, line);
	wattrset(w, A_NORMAL);
	if (s->has_local) {
		lab_format_addr(&s->local, addr, sizeof addr);
		snprintf(line, sizeof line, "fd %d  %s", s->fd, addr);
		centre_in(w, y + 4, x + 1, wd - 2, line);
	}
	/* The bartender also shows his listener's queue. */
	for (i = 0; i < ui->snap.n; i++)
		if (ui->snap.socks[i].side == s->side &&
		    ui->snap.socks[i].state == LAB_TCP_LISTEN)
			l = &ui->snap.socks[i];
	if (l != NULL) {
		snprintf(line, sizeof line, _("accept queue %u/%u"),
		    l->accept_queue, l->backlog);
		centre_in(w, y + 5, x + 1, wd - 2, line);
	}
	/* What the state means, in words, in the rows left. */
	{
		struct ui_lines L = { 0 };
		size_t k;
		int row = y + 6;

		ui_lines_add(&L, narrate_state(s->state), wd - 4, 0, NULL,
		    A_BOLD);
		for (k = 0; k < L.n && row < y + h - 1; k++, row++) {
			char *mb = NULL;
			size_t need = wcstombs(NULL, L.v[k].s, 0);

			if (need == (size_t)-1)
				continue;
			mb = xmalloc(need + 1);
			wcstombs(mb, L.v[k].s, need + 1);
			wattrset(w, A_BOLD);
			centre_in(w, row, x + 1, wd - 2, mb);
			free(mb);
		}
		ui_lines_free(&L);
	}
	wattrset(w, A_NORMAL);
}

static int
guests(struct ui *ui, WINDOW *w, int y, int H, int W)
{
	int col = 0, cw = 30, ncols = W / cw > 0 ? W / cw : 1, row = y;
	size_t i;

	for (i = 0; i < ui->snap.n; i++) {
		const struct lab_sock *s = &ui->snap.socks[i];
		char line[120], peer[80] = "-";

		if (s->role != LAB_ROLE_GUEST)
			continue;
		if (row >= H)
			break;
		if (s->has_peer)
			lab_format_addr(&s->peer, peer, sizeof peer);
		snprintf(line, sizeof line, "%s %s", peer,
		    s->last[0] ? s->last : "");
		wattrset(w, ui_look(ui, UI_L_CLIENT));
		ui_put(w, row, 2 + col * cw, cw - 1, line);
		if (++col == ncols) {
			col = 0;
			row++;
		}
	}
	wattrset(w, A_NORMAL);
	return row + (col > 0);
}

void
ui_present_draw(struct ui *ui, WINDOW *w)
{
	const struct lesson_step *st = ui_cur_step(ui);
	const char *key = st->key.msgid != NULL ? st->key.msgid :
	    st->title.msgid;
	int H = getmaxy(w), W = getmaxx(w);
	int fh = H / 3 < 9 ? 9 : H / 3, gap = W / 8, fw = (W - gap - 4) / 2;
	int fx1 = 2, fx2 = 2 + fw + gap, y;
	const struct lab_sock *srv = main_sock(&ui->snap, LAB_SERVER);
	const struct lab_sock *cli = main_sock(&ui->snap, LAB_CLIENT);
	struct ui_lines L = { 0 };
	struct lab_addr a;
	size_t i;

	if (fw > 60) {
		fw = 60;
		fx1 = (W - 2 * fw - gap) / 2;
		fx2 = fx1 + fw + gap;
	}
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put_centred(w, 0, _(st->title.msgid));
	wattrset(w, A_NORMAL);
	figure(ui, w, 1, fx1, fh, fw, _("Bartender (server)"), srv,
	    UI_L_SERVER);
	figure(ui, w, 1, fx2, fh, fw, _("Customer (client)"), cli,
	    UI_L_CLIENT);
	if (cli != NULL && cli->state == LAB_TCP_ESTABLISHED) {
		wattrset(w, ui_look(ui, UI_L_GOOD) | A_BOLD);
		for (i = 0; i < (size_t)gap; i++)
			mvwaddch(w, 4, fx1 + fw + (int)i,
			    i == 0 ? '<' : i + 1 == (size_t)gap ? '>' :
			    ACS_HLINE);
		wattrset(w, A_NORMAL);
	}

	/* The key sentence, alone, bold and centred. */
	y = 2 + fh;
	ui_lines_add(&L, _(key), W > 90 ? W - 20 : W - 4, 0, NULL,
	    ui_look(ui, UI_L_KEY) | A_BOLD);
	for (i = 0; i < L.n && y < H; i++, y++) {
		int n = (int)wcslen(L.v[i].s), x;

		(void)n;
		wattrset(w, L.v[i].attr);
		x = W > 90 ? 10 : 2;
		{
			/* centre each wrapped line by its own width */
			int lw = 0;
			const wchar_t *p;

			for (p = L.v[i].s; *p; p++)
				lw += wcwidth(*p) > 0 ? wcwidth(*p) : 1;
			x = lw < W ? (W - lw) / 2 : 0;
		}
		mvwaddwstr(w, y, x, L.v[i].s);
	}
	wattrset(w, A_NORMAL);
	ui_lines_free(&L);
	y++;

	/* A class connects to the address on the screen. */
	if (ui->app->listen_given && ui->lab != NULL &&
	    lab_server_addr(ui->lab, &a) && y + 1 < H) {
		char line[200];

		snprintf(line, sizeof line, _("Connect to  %s  port %u"),
		    a.host, a.port);
		wattrset(w, ui_look(ui, UI_L_BIG));
		ui_put_centred(w, y++, line);
		wattrset(w, A_NORMAL);
		snprintf(line, sizeof line, "nc %s %u", a.host, a.port);
		ui_put_centred(w, y++, line);
		y++;
	}
	if (ui->snap.guests > 0 && y < H) {
		char line[120];

		snprintf(line, sizeof line, _("Customers here: %u"),
		    ui->snap.guests);
		wattrset(w, A_BOLD);
		ui_put(w, y++, 2, W - 4, line);
		wattrset(w, A_NORMAL);
		guests(ui, w, y, H, W - 4);
	}
}

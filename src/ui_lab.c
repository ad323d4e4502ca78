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

/* The code as the lab really runs it: --backlog changes the number
 * passed to listen(). */
static char *
real_code(struct ui *ui, const char *text)
{
	int bl = ui->app->lab.backlog;
	const char *p = text, *at;
	char *out, *o;

	if (bl <= 0 || strstr(text, "listen(") == NULL)
		return xstrdup(text);
	out = xmalloc(strlen(text) * 2 + 64);
	o = out;
	while ((at = strstr(p, "listen(")) != NULL) {
		const char *close = strchr(at, ')'), *d;

		if (close == NULL)
			break;
		d = close;
		while (d > at && isdigit((unsigned char)d[-1]))
			d--;
		if (d == close) {
			memcpy(o, p, (size_t)(close - p));
			o += close - p;
			p = close;
			continue;
		}
		memcpy(o, p, (size_t)(d - p));
		o += d - p;
		o += sprintf(o, "%d", bl);
		p = close;
	}
	strcpy(o, p);
	return out;
}

/* Draw a code block from row y, at most h rows; returns rows used. */
static int
draw_code(struct ui *ui, WINDOW *w, int y, int x, int cw, int h,
    const struct lesson_code *c, const char *label)
{
	char *text = real_code(ui, c->text), *line, *save = NULL;
	int r = 0, n = 1;

	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, y, x, cw, label);
	wattrset(w, A_NORMAL);
	for (line = strtok_r(text, "\n", &save); line != NULL && r + 1 < h;
	    line = strtok_r(NULL, "\n", &save), n++) {
		if (n == c->mark) {
			int i;

			wattrset(w, ui_look(ui, UI_L_MARK));
			for (i = 0; i < cw; i++)
				mvwaddch(w, y + 1 + r, x + i, ' ');
		}
		ui_put(w, y + 1 + r, x + 1, cw - 1, line);
		wattrset(w, A_NORMAL);
		r++;
	}
	free(text);
	return r + 1;
}

static int
code_lines(const struct lesson_code *c)
{
	int n = 1;
	const char *p;

	for (p = c->text; *p != '\0'; p++)
		n += *p == '\n';
	return n;
}

void
ui_code_draw(struct ui *ui, WINDOW *w)
{
	const struct lesson_step *s = ui_cur_step(ui);
	const struct lesson_code *c = lesson_step_code(s, "c");
	const struct lesson_code *py = lesson_step_code(s, "python");
	const struct lesson_code *sh = lesson_step_code(s, "sh");
	int W = getmaxx(w), H = getmaxy(w), used;

	werase(w);
	if (c == NULL && py == NULL && sh == NULL) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 0, 1, W - 2, _("No code at this step."));
		wattrset(w, A_NORMAL);
		return;
	}
	if (c == NULL) {
		c = py != NULL ? py : sh;
		py = c == sh ? NULL : (c == py ? NULL : py);
	}
	if (py != NULL && W >= 100) {
		int half = (W - 1) / 2;

		draw_code(ui, w, 0, 0, half, H, c, c == sh ? "sh" : "C");
		draw_code(ui, w, 0, half + 1, W - half - 1, H, py, "Python");
		return;
	}
	used = draw_code(ui, w, 0, 0, W, H, c, c == sh ? "sh" : "C");
	if (py != NULL && H - used >= code_lines(py) + 1)
		draw_code(ui, w, used, 0, W, H - used, py, "Python");
	else if (py != NULL && used < H) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, H - 1, W / 2, W - W / 2 - 1,
		    _("(Python: on a wider terminal)"));
		wattrset(w, A_NORMAL);
	}
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

/* ui_lab.c - the live lab as the normal layout shows it: the bartender
 * and the customer side by side with their sockets (and the connection
 * between them).  The step's code is drawn by ui_code.c and the log of
 * real calls by ui_log.c.  What changed since the step began is
 * highlighted.  Numbers, addresses, state names and calls are never
 * translated; the words around them are.
 *
 * Each column lists the lesson's own sockets first, then the customers
 * from other programs, then what the kernel keeps without a descriptor
 * (TIME_WAIT leftovers last): when a column is full, the least telling
 * entries are the ones left out, and the column's heading counts them.
 * A socket's description is made of pieces that are never split, so a
 * narrow column wraps a socket onto a further line rather than cut a
 * number at its edge. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "narrate.h"
#include "netstate.h"
#include "ui_priv.h"
#include "util.h"

#define UI_QUEUE_TICK_MS 500	/* a listener's queue is looked at */
#define GUEST_NOS 64		/* guests whose screen number is kept */

/* Outside customers are numbered 1, 2... as the screen meets them (the
 * lab's ids count every socket): the latest ids, by number. */
struct ui_guest_nos {
	unsigned id[GUEST_NOS];
	unsigned n;		/* numbers given so far */
};

struct ui_guest_nos *
ui_guest_nos_new(void)
{
	return xcalloc(1, sizeof(struct ui_guest_nos));
}

void
ui_guest_nos_free(struct ui_guest_nos *g)
{
	free(g);
}

unsigned
ui_lab_guest_no(struct ui *ui, unsigned id)
{
	struct ui_guest_nos *g = ui->guest_nos;
	unsigned k;

	for (k = g->n; k > 0 && g->n - k < GUEST_NOS; k--)
		if (g->id[(k - 1) % GUEST_NOS] == id)
			return k;
	g->id[g->n % GUEST_NOS] = id;
	return ++g->n;
}

void
ui_lab_events(struct ui *ui, const struct lab_event *ev, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		struct tutor_log_entry *e = tutor_log_add(&ui->log, &ev[i],
		    ui->visit);

		/* The log names a guest by the number the screen gives him,
		 * not by the lab's id, which counts every socket. */
		if (lab_event_is_guest(ev[i].kind) && ev[i].guest != 0)
			e->ev.guest = ui_lab_guest_no(ui, ev[i].guest);
		for (k = 0; k < ev[i].snap.n; k++)
			if (ev[i].snap.socks[k].role == LAB_ROLE_GUEST)
				(void)ui_lab_guest_no(ui,
				    ev[i].snap.socks[k].id);
		ui->snap = ev[i].snap;
	}
}

int
ui_lab_tick_ms(const struct ui *ui)
{
	size_t i;
	int ms = -1;

	for (i = 0; i < ui->snap.n; i++) {
		const struct lab_sock *s = &ui->snap.socks[i];

		/* A connection joins the accept queue with no call of the
		 * lab's (the lesson's accept() waits, or nobody accepts):
		 * nothing else would tell the screen. */
		if (s->role == LAB_ROLE_LISTENER &&
		    s->state == LAB_TCP_LISTEN)
			return UI_QUEUE_TICK_MS;
		if (s->state == LAB_TCP_TIME_WAIT && s->timer_ms > 0)
			ms = 1000;
		/* A state on its way to another (FIN_WAIT1 lasts
		 * milliseconds on loopback) is looked at again soon, so
		 * that the screen does not keep it once it is over. */
		if (s->state == LAB_TCP_FIN_WAIT1 ||
		    s->state == LAB_TCP_LAST_ACK ||
		    s->state == LAB_TCP_CLOSING ||
		    s->state == LAB_TCP_SYN_SENT ||
		    s->state == LAB_TCP_SYN_RECV)
			ms = 1000;
	}
	return ms;
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
	return s->fd < 0;
}

bool
ui_lab_is_lesson(const struct lab_sock *s)
{
	return s->fd >= 0 && (s->role == LAB_ROLE_LISTENER ||
	    s->role == LAB_ROLE_CONN || s->role == LAB_ROLE_CLIENT);
}

static bool
same_end(const struct lab_addr *a, const struct lab_addr *b)
{
	return a->port == b->port && a->port != 0 &&
	    (strcmp(a->host, b->host) == 0 || netstate_addr_match(a, b) ||
	    netstate_addr_match(b, a));
}

bool
ui_lab_peers(const struct lab_sock *a, const struct lab_sock *b)
{
	return a != b && a->has_local && a->has_peer && b->has_local &&
	    b->has_peer && same_end(&a->local, &b->peer) &&
	    same_end(&a->peer, &b->local);
}

/* ------------------------------------------------------------------ */
/* A socket as pieces of text. */

#define PIECES_MAX 24
#define PIECE_LEN 112

struct card {
	char piece[PIECES_MAX][PIECE_LEN];
	int n;
	int nhead;		/* the first group: who, state, where */
	int words;		/* pieces from here on are words of a
				 * sentence (0: none) */
	bool soft;		/* the last piece (an order) may be cut */
};

static void add(struct card *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add(struct card *c, const char *fmt, ...)
{
	va_list ap;

	if (c->n == PIECES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(c->piece[c->n++], PIECE_LEN, fmt, ap);
	va_end(ap);
}

/* "peer 127.0.0.1:50632", or "peer :50632" when shorter says so and the
 * peer is on the socket's own host. */
static void
add_peer(struct card *c, const struct lab_sock *s, bool shorter)
{
	char peer[80] = "-";

	if (s->has_peer && shorter && s->has_local &&
	    strcmp(s->peer.host, s->local.host) == 0)
		snprintf(peer, sizeof peer, ":%u", (unsigned)s->peer.port);
	else if (s->has_peer)
		lab_format_addr(&s->peer, peer, sizeof peer);
	/* TRANSLATORS: the address at the other end of a connection. */
	add(c, _("peer %s"), peer);
}

/* A sentence, word by word, so that it wraps between words. */
static void
add_words(struct card *c, const char *text)
{
	const char *p = text;

	c->words = c->n;
	while (*p != '\0' && c->n < PIECES_MAX) {
		size_t len = strcspn(p, " ");

		if (len > 0)
			add(c, "%.*s", (int)len, p);
		p += len;
		p += strspn(p, " ");
	}
}

static void
add_queues(struct card *c, const struct lab_sock *s)
{
	/* TRANSLATORS: bytes waiting in a socket's receive queue; the
	 * lessons quote it ("in 11 B"), keep it as they do. */
	add(c, _("in %u B"), s->rx_queue);
	/* TRANSLATORS: bytes waiting in a socket's send queue. */
	add(c, _("out %u B"), s->tx_queue);
}

/* A state that lasts a moment on loopback, drawn as it is caught with a
 * mark that says it is changing; the row updates when it settles. */
static bool
passing(enum lab_tcp st)
{
	return st == LAB_TCP_FIN_WAIT1 || st == LAB_TCP_LAST_ACK ||
	    st == LAB_TCP_CLOSING || st == LAB_TCP_SYN_RECV;
}

static const char *
state_name(const struct lab_sock *s)
{
	static char buf[40];

	if (s->type == SOCK_DGRAM)
		return "UDP";
	if (!passing(s->state))
		return lab_tcp_name(s->state);
	snprintf(buf, sizeof buf, "%s\u2026", lab_tcp_name(s->state));
	return buf;
}

/* The card of a socket: fd, state and local address first; then what
 * its state makes worth knowing. */
static void
sock_card(const struct lab_sock *s, struct card *c, bool shorter)
{
	char loc[80] = "-";

	memset(c, 0, sizeof *c);
	if (s->has_local)
		lab_format_addr(&s->local, loc, sizeof loc);
	if (s->fd >= 0)
		add(c, "fd %d", s->fd);
	else
		add(c, "%s", _("no fd"));
	add(c, "%s", state_name(s));
	add(c, "%s", loc);
	c->nhead = c->n;
	if (s->state == LAB_TCP_LISTEN) {
		add(c, _("accept queue %u/%u"), s->accept_queue, s->backlog);
	} else if (s->state == LAB_TCP_TIME_WAIT) {
		add_peer(c, s, shorter);
		/* TRANSLATORS: the time a TIME_WAIT connection has left. */
		add(c, _("gone in %u s"), (s->timer_ms + 999) / 1000);
	} else if (s->role == LAB_ROLE_QUEUED) {
		add(c, "%s", narrate_role(s->role));
		add_peer(c, s, shorter);
		add_queues(c, s);
	} else if (s->has_peer) {
		add_peer(c, s, shorter);
		add_queues(c, s);
	} else if (s->type == SOCK_DGRAM) {
		if (s->has_local)
			add_queues(c, s);
	} else {
		add_words(c, narrate_state(s->state));
	}
}

/* An outside customer as the customer's column shows him: his number,
 * his address and his last order. */
static void
guest_card(struct ui *ui, const struct lab_sock *s, struct card *c)
{
	char peer[80] = "-";

	memset(c, 0, sizeof *c);
	if (s->has_peer)
		lab_format_addr(&s->peer, peer, sizeof peer);
	/* TRANSLATORS: a customer from another program, numbered from 1. */
	add(c, _("Customer %u"), ui_lab_guest_no(ui, s->id));
	add(c, "%s", peer);
	if (s->state != LAB_TCP_ESTABLISHED)
		add(c, "%s", lab_tcp_name(s->state));
	/* s->last is already escaped to printable ASCII by the lab. */
	if (s->last[0] != '\0') {
		add(c, "\"%s\"", s->last);
		c->soft = true;
	}
	c->nhead = c->n;
}

/* Lay a card out in a column cw wide from row y: the first group from
 * x+1, the rest from x+3 on lines of their own.  Draws when w is not
 * NULL (never at or below ymax); returns the rows the card takes. */
static int
card_flow(const struct card *c, WINDOW *w, int y, int x, int cw, int ymax,
    attr_t first, attr_t rest)
{
	int row = 0, col = 0, lx = x + 1, lw = cw - 1, i;
	bool draw = w != NULL;

	if (draw)
		wattrset(w, first);
	for (i = 0; i < c->n; i++) {
		const char *p = c->piece[i];
		bool head = i < c->nhead, soft = c->soft && i == c->n - 1;
		bool wrap = i == c->nhead && i > 0;
		bool word = c->words > 0 && i > c->words;
		int pw = ui_width(p), sep = col > 0 ? (word ? 1 : 2) : 0;

		/* An order never takes a line of its own: it is shortened
		 * to the room left, or left out when there is almost none. */
		if (soft && col > 0 && col + sep + pw > lw &&
		    lw - col - sep < 5)
			break;
		if (!wrap && !soft && col > 0 && col + sep + pw > lw)
			wrap = true;
		if (wrap) {
			/* A detail that goes on says so with a comma. */
			if (i > c->nhead && !word && draw && y + row < ymax)
				ui_put(w, y + row, lx + col, lw - col, ",");
			row++;
			col = sep = 0;
			lx = x + 3;
			lw = cw - 3;
			if (draw)
				wattrset(w, rest);
		}
		if (draw && y + row < ymax) {
			int room = lw - col - sep;

			ui_put(w, y + row, lx + col, sep, head ? "  " : word ?
			    " " : ", ");
			if (soft && pw > room && room >= 5) {
				/* An order (escaped ASCII) is shortened, and
				 * says so. */
				char cut[PIECE_LEN];

				snprintf(cut, sizeof cut, "%.*s...\"",
				    room - 4, p);
				ui_put(w, y + row, lx + col + sep, room, cut);
			} else {
				ui_put(w, y + row, lx + col + sep, room, p);
			}
		}
		col += sep + (pw < lw - col - sep ? pw : lw - col - sep);
	}
	return row + 1;
}

/* ------------------------------------------------------------------ */
/* The two columns. */

struct entry {
	const struct lab_sock *s;
	bool guest_view;	/* an outside customer, from his side */
	int rank;		/* lower comes first and is folded last */
	int rows, pad;		/* rows it takes; blank rows above it */
	int y;			/* its first row, or -1 when left out */
	bool shorter;		/* its peer is written short */
	bool head;		/* the first of the earlier lessons': a
				 * heading row above it */
	bool named;		/* in a state the step's text names */
};

struct column {
	struct entry e[LAB_SNAP_MAX];
	int n;
	int x, w, top, bottom;
	unsigned folded;	/* entries left out for want of room */
	unsigned folded_earlier;	/* ... of those earlier lessons left */
	unsigned kept_earlier;	/* earlier lessons' closed connections,
				 * counted and not listed (b lists them) */
};

/* Lesson sockets, then fd-less ends of the lesson's connections, then
 * the outside customers, then other fd-less entries, TIME_WAIT, and last
 * what earlier lessons left (guests still served), under a heading of
 * their own and outside the lesson's counts. */
#define RANK_EARLIER 5
static int
rank_of(const struct lab_snapshot *sn, const struct lab_sock *s,
    bool guest_view)
{
	size_t i;

	if (s->lesson != 0 && s->lesson != sn->lesson)
		return RANK_EARLIER;
	if (guest_view || s->role == LAB_ROLE_GUEST)
		return 2;
	if (!is_kernel(s))
		return 0;
	for (i = 0; i < sn->n; i++)
		if (ui_lab_is_lesson(&sn->socks[i]) &&
		    ui_lab_peers(s, &sn->socks[i]))
			return 1;
	return s->state == LAB_TCP_TIME_WAIT ? 4 : 3;
}

/* Does text name the state called name, as a whole word? */
static bool
names_state(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; (p = strstr(p, name)) != NULL; p += n)
		if ((p == text || !(isupper((unsigned char)p[-1]) ||
		    p[-1] == '_')) && !(isupper((unsigned char)p[n]) ||
		    isdigit((unsigned char)p[n]) || p[n] == '_'))
			return true;
	return false;
}

/* The states the step's paragraphs name, but for the everyday
 * ESTABLISHED and LISTEN: a row in one of them is what the text points
 * at, and comes first (lesson 11 step 7's SYN_RECV).  State names are
 * never translated, so the lesson's own words are read. */
static unsigned
named_states(const struct ui *ui)
{
	const struct lesson *l = ui_lesson(ui);
	const struct lesson_step *st;
	unsigned mask = 0;
	size_t b;
	int k;

	if (ui->in_sandbox || l == NULL || ui->step >= l->nsteps)
		return 0;
	st = &l->steps[ui->step];
	for (b = 0; b < st->nblocks; b++)
		for (k = LAB_TCP_SYN_SENT; k <= LAB_TCP_CLOSING; k++)
			if (k != LAB_TCP_LISTEN && k != LAB_TCP_CLOSE &&
			    st->blocks[b].text.msgid != NULL &&
			    names_state(st->blocks[b].text.msgid,
			    lab_tcp_name((enum lab_tcp)k)))
				mask |= 1u << k;
	return mask;
}

static bool
before(const struct entry *a, const struct entry *b)
{
	bool la = a->s->role == LAB_ROLE_LISTENER;
	bool lb = b->s->role == LAB_ROLE_LISTENER;

	if (a->rank != b->rank)
		return a->rank < b->rank;
	/* The listener heads the bar; then what the text names; then the
	 * newest of the lesson's sockets, the one its latest step is
	 * about. */
	if (a->rank == 0)
		return la != lb ? la : a->named != b->named ? a->named :
		    a->s->id > b->s->id;
	/* The youngest TIME_WAIT first: the lesson's own, most likely. */
	return a->rank == 4 && a->s->timer_ms > b->s->timer_ms;
}

static void
col_add(struct column *c, const struct lab_snapshot *sn,
    const struct lab_sock *s, bool guest_view, unsigned named)
{
	struct entry e = { s, guest_view, rank_of(sn, s, guest_view), 0, 0,
	    -1, false, false, false };
	int i = c->n;

	if (c->n == LAB_SNAP_MAX)
		return;
	if (e.rank != RANK_EARLIER && (named >> s->state & 1u)) {
		e.rank = 0;
		e.named = true;
	}
	while (i > 0 && before(&e, &c->e[i - 1])) {
		c->e[i] = c->e[i - 1];
		i--;
	}
	c->e[i] = e;
	c->n++;
}

static void
entry_card(struct ui *ui, const struct entry *e, struct card *c)
{
	if (e->guest_view)
		guest_card(ui, e->s, c);
	else
		sock_card(e->s, c, e->shorter);
}

/* Measure every entry; a peer is written short when that saves a row. */
static void
col_measure(struct ui *ui, struct column *c)
{
	struct card card;
	int i, full;

	for (i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];

		e->shorter = false;
		entry_card(ui, e, &card);
		full = card_flow(&card, NULL, 0, c->x, c->w, 0, 0, 0);
		e->rows = full;
		if (e->guest_view)
			continue;
		e->shorter = true;
		entry_card(ui, e, &card);
		e->rows = card_flow(&card, NULL, 0, c->x, c->w, 0, 0, 0);
		if (e->rows >= full) {
			e->shorter = false;
			e->rows = full;
		}
	}
	for (i = 0; i < c->n; i++)
		if (c->e[i].rank == RANK_EARLIER) {
			c->e[i].head = true;
			c->e[i].rows++;
			break;
		}
}

/* Give rows to the entries in order while they fit; returns how many
 * are left out. */
static unsigned
col_place(struct column *c)
{
	int y = c->top, i;
	bool cut = false;	/* an entry was left out: so are the rest */

	c->folded = 0;
	c->folded_earlier = 0;
	for (i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];

		if (cut || y + e->pad + e->rows > c->bottom) {
			e->y = -1;
			if (e->rank == RANK_EARLIER)
				c->folded_earlier++;
			else
				c->folded++;
			/* A row the text names that cannot fit whole
			 * leaves its place to the next. */
			cut = cut || !e->named;
			continue;
		}
		e->y = y + e->pad;
		y = e->y + e->rows;
	}
	return c->folded;
}

static void
col_draw(struct ui *ui, WINDOW *w, const struct column *c,
    enum ui_look look)
{
	struct card card;
	int i, y;

	for (i = 0; i < c->n; i++) {
		const struct entry *e = &c->e[i];
		bool ch = changed(ui, e->s);
		attr_t a1, a2;

		if (e->y < 0)
			continue;
		y = e->y;
		if (e->head) {
			wattrset(w, ui_look(ui, UI_L_DIM));
			ui_put(w, y++, c->x + 1, c->w - 1, _("earlier lessons:"));
		}
		a1 = ch ? ui_look(ui, UI_L_CHANGED) : is_kernel(e->s) ?
		    ui_look(ui, UI_L_DIM) : ui_look(ui, look);
		a2 = ch ? ui_look(ui, UI_L_CHANGED) : is_kernel(e->s) ?
		    ui_look(ui, UI_L_DIM) : A_NORMAL;
		if (e->guest_view)
			a2 = a1;
		wattrset(w, a1);
		ui_put(w, y, c->x, 1, ch ? "*" : " ");
		entry_card(ui, e, &card);
		card_flow(&card, w, y, c->x, c->w, c->bottom, a1, a2);
		wattrset(w, A_NORMAL);
	}
}

/* The first pair of real peers across the columns, in the columns'
 * order, among the entries on screen: a connection and its other end.
 * False when there is none. */
static bool
peer_pair(const struct column *L, const struct column *R, int *li, int *ri)
{
	int i, j;

	for (i = 0; i < L->n; i++)
		for (j = 0; j < R->n; j++) {
			const struct entry *l = &L->e[i], *r = &R->e[j];

			if (l->y < 0 || r->y < 0 || l->rank == RANK_EARLIER ||
			    r->rank == RANK_EARLIER)
				continue;
			if ((r->guest_view && r->s == l->s) ||
			    (!r->guest_view && !l->guest_view &&
			    ui_lab_peers(l->s, r->s))) {
				*li = i;
				*ri = j;
				return true;
			}
		}
	return false;
}

void
ui_lab_wire(struct ui *ui, WINDOW *w, int yl, int yr, int x, int len,
    bool up, attr_t extra)
{
	int mid = x + len / 2, i, y;

	if (len < 3)
		return;
	wattrset(w, (up ? ui_look(ui, UI_L_GOOD) : ui_look(ui, UI_L_DIM)) |
	    extra);
	if (yl == yr) {
		mvwaddch(w, yl, x, '<');
		for (i = 1; i < len - 1; i++)
			mvwaddch(w, yl, x + i, up ? ACS_HLINE : '.');
		mvwaddch(w, yl, x + len - 1, '>');
		wattrset(w, A_NORMAL);
		return;
	}
	mvwaddch(w, yl, x, '<');
	for (i = x + 1; i < mid; i++)
		mvwaddch(w, yl, i, ACS_HLINE);
	mvwaddch(w, yl, mid, yr > yl ? ACS_URCORNER : ACS_LRCORNER);
	for (y = (yl < yr ? yl : yr) + 1; y < (yl < yr ? yr : yl); y++)
		mvwaddch(w, y, mid, ACS_VLINE);
	mvwaddch(w, yr, mid, yr > yl ? ACS_LLCORNER : ACS_ULCORNER);
	for (i = mid + 1; i < x + len - 1; i++)
		mvwaddch(w, yr, i, ACS_HLINE);
	mvwaddch(w, yr, x + len - 1, '>');
	wattrset(w, A_NORMAL);
}

bool
ui_lab_had_socket(const struct ui *ui, enum lab_side side)
{
	return tutor_log_had_socket(&ui->log, side);
}

/* A column's heading, with how many entries did not fit beside it:
 * the lesson's, and those earlier lessons left. */
static void
col_head(struct ui *ui, WINDOW *w, int y, const struct column *c,
    const char *who, enum ui_look look, unsigned more, unsigned earlier)
{
	char buf[96];
	int n;

	wattrset(w, ui_look(ui, look));
	n = ui_put(w, y, c->x, c->w, who);
	buf[0] = '\0';
	/* TRANSLATORS: how many sockets or customers did not fit in
	 * their column: of this lesson, and left by earlier lessons. */
	if (more > 0 && earlier > 0)
		snprintf(buf, sizeof buf, _("more: %1$u, earlier: %2$u"), more,
		    earlier);
	else if (more > 0)
		snprintf(buf, sizeof buf, _("more: %u"), more);
	else if (earlier > 0)
		snprintf(buf, sizeof buf, _("earlier: %u"), earlier);
	if (buf[0] != '\0') {
		wattrset(w, ui_look(ui, UI_L_DIM));
		if (n + 2 + ui_width(buf) <= c->w)
			ui_put(w, y, c->x + c->w - ui_width(buf), c->w, buf);
		else
			ui_put(w, y, c->x + n + 1, c->w - n - 1, buf);
	}
	wattrset(w, A_NORMAL);
}

/* Fill the two columns for a pane W wide, from row top down: the
 * bartender's sockets on the left, the customers' on the right (an
 * outside customer on both sides).  Returns the guests among them. */
static unsigned
columns_fill(struct ui *ui, int W, int top, struct column *L,
    struct column *R)
{
	const struct lab_snapshot *sn = &ui->snap;
	int gap = W >= 100 ? 12 : 6, cw = (W - gap - 2) / 2;
	unsigned nguests = 0, named = named_states(ui);
	size_t i;

	memset(L, 0, sizeof *L);
	memset(R, 0, sizeof *R);
	L->x = 1;
	R->x = 1 + cw + gap;
	L->w = R->w = cw;
	L->top = R->top = top;
	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];
		struct column *c = s->side == LAB_SERVER ? L : R;

		/* What an earlier lesson's closes left (TIME_WAITs, most
		 * often at another port than the bar's now) is not the
		 * lesson's business: a count, until b opens the lab. */
		if (is_kernel(s) && !ui->lab_open &&
		    rank_of(sn, s, false) == RANK_EARLIER) {
			c->kept_earlier++;
			continue;
		}
		if (s->role == LAB_ROLE_GUEST) {
			nguests++;
			col_add(L, sn, s, false, named);
			col_add(R, sn, s, true, named);
		} else {
			col_add(c, sn, s, false, named);
		}
	}
	col_measure(ui, L);
	col_measure(ui, R);
	return nguests;
}

/* Does the column hold none of the lesson's own?  Then a line says so,
 * above what earlier lessons left. */
static bool
col_none_own(const struct column *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->e[i].rank != RANK_EARLIER)
			return false;
	return true;
}

/* Rows a column's entries take, all of them or those of rank up to
 * max_rank (the lesson's own sockets and their other ends), with the
 * line that says the lesson has none. */
static int
col_rows(const struct column *c, int max_rank)
{
	int i, r = 0;

	for (i = 0; i < c->n; i++)
		if (c->e[i].rank <= max_rank)
			r += c->e[i].rows;
	if (r > 0 && col_none_own(c))
		r++;
	return r;
}

void
ui_lab_measure(struct ui *ui, int width, int *all, int *lesson)
{
	struct column *L, *R;
	int a, b;

	if (ui->lab == NULL) {
		*all = *lesson = 2;
		return;
	}
	L = xmalloc(sizeof *L);
	R = xmalloc(sizeof *R);
	columns_fill(ui, width, 1, L, R);
	a = col_rows(L, 99) > col_rows(R, 99) ? col_rows(L, 99) :
	    col_rows(R, 99);
	b = col_rows(L, 1) > col_rows(R, 1) ? col_rows(L, 1) : col_rows(R, 1);
	/* The column headings, then the sockets, or a line that says
	 * there is none yet; the pane's own heading when there are. */
	*all = a == 0 ? 2 : 2 + a;
	*lesson = 1 + (b == 0 ? (a == 0 ? 1 : a < 3 ? a : 3) : b);
	if (*lesson > *all)
		*lesson = *all;
	free(L);
	free(R);
}

void
ui_lab_draw(struct ui *ui, WINDOW *w)
{
	const struct lab_snapshot *sn = &ui->snap;
	int W = getmaxx(w), H = getmaxy(w), gap = W >= 100 ? 12 : 6;
	int cw = (W - gap - 2) / 2, head, li, ri, all, lesson;
	struct column L, R;
	unsigned nguests, folded;
	bool pair;

	werase(w);
	ui_lab_measure(ui, W, &all, &lesson);
	/* The pane's heading only when every socket fits under it. */
	head = H >= all && all > 2 ? 1 : 0;
	if (head) {
		wattrset(w, ui_look(ui, UI_L_HEAD));
		ui_put(w, 0, 1, W - 2, _("The bar, live"));
	}
	if (ui->lab == NULL) {
		memset(&L, 0, sizeof L);
		memset(&R, 0, sizeof R);
		L.x = 1;
		R.x = 1 + cw + gap;
		L.w = R.w = cw;
		col_head(ui, w, head, &L, _("Bartender (server)"),
		    UI_L_SERVER, 0, 0);
		col_head(ui, w, head, &R, _("Customer (client)"),
		    UI_L_CLIENT, 0, 0);
		ui_put(w, head + 1, 1, W - 2,
		    _("The live lab is not running."));
		return;
	}
	nguests = columns_fill(ui, W, head + 1, &L, &R);
	L.bottom = R.bottom = H;
	L.top += col_none_own(&L);
	R.top += col_none_own(&R);

	/* Two peers face each other when the blank rows that takes leave
	 * out nothing more than packing the columns does. */
	folded = col_place(&L) + col_place(&R);
	pair = peer_pair(&L, &R, &li, &ri);
	if (pair && L.e[li].y != R.e[ri].y) {
		int dy = L.e[li].y - R.e[ri].y;

		if (dy > 0)
			R.e[ri].pad = dy;
		else
			L.e[li].pad = -dy;
		if (col_place(&L) + col_place(&R) > folded ||
		    L.e[li].y < 0 || R.e[ri].y < 0) {
			L.e[li].pad = R.e[ri].pad = 0;
			col_place(&L);
			col_place(&R);
		}
	}

	col_head(ui, w, head, &L, _("Bartender (server)"), UI_L_SERVER,
	    L.folded, L.folded_earlier + L.kept_earlier);
	col_head(ui, w, head, &R, _("Customer (client)"), UI_L_CLIENT,
	    R.folded + (sn->guests > nguests ? sn->guests - nguests : 0),
	    R.folded_earlier + R.kept_earlier);
	col_draw(ui, w, &L, UI_L_SERVER);
	col_draw(ui, w, &R, UI_L_CLIENT);
	wattrset(w, ui_look(ui, UI_L_DIM));
	if (col_none_own(&L))
		ui_put(w, head + 1, L.x + 1, cw - 1,
		    ui_lab_had_socket(ui, LAB_SERVER) ?
		    _("(no socket)") : _("(no socket yet)"));
	if (col_none_own(&R))
		ui_put(w, head + 1, R.x + 1, cw - 1,
		    ui_lab_had_socket(ui, LAB_CLIENT) ?
		    _("(no socket)") : _("(no socket yet)"));
	wattrset(w, A_NORMAL);
	if (pair && L.e[li].y >= 0 && R.e[ri].y >= 0) {
		const struct lab_sock *a = L.e[li].s, *b = R.e[ri].s;

		ui_lab_wire(ui, w, L.e[li].y, R.e[ri].y, L.x + cw + 1, gap - 2,
		    a->state == LAB_TCP_ESTABLISHED &&
		    (R.e[ri].guest_view || b->state == LAB_TCP_ESTABLISHED),
		    A_NORMAL);
	}
}

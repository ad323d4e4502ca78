/* ui_present_fig.h - the lecture layout's two figures, the bartender's
 * and the customer's side of the bar (ui_present_fig.c). */
#ifndef SOCKTUTOR_UI_PRESENT_FIG_H
#define SOCKTUTOR_UI_PRESENT_FIG_H

#include "ui_priv.h"

#define FIG_SOCKS 4		/* sockets a figure shows at most */
#define BLOCK_LINES 6

/* One socket as a figure shows it: its state large, then fd and
 * address, then its numbers (or what its state means). */
struct block {
	const struct lab_sock *s;
	char line[BLOCK_LINES][160];
	int n;
};

struct fig {
	struct block b[FIG_SOCKS];
	int n;
	unsigned more;		/* the side's sockets that did not fit */
	int pad_at, pad;	/* blank rows above block pad_at */
	int state_row[FIG_SOCKS];	/* where each state was drawn */
};

/* Does a figure show this socket?  The lesson's own, and the ends the
 * kernel keeps without a descriptor of the lesson's connections. */
bool fig_shows(const struct lab_snapshot *sn, const struct lab_sock *s);
/* The side's sockets as its figure shows them, width columns wide.
 * bar_port (0: unknown) is the bar's port: the youngest TIME_WAIT that
 * holds it stays in the bartender's figure. */
void fig_collect(const struct lab_snapshot *sn, enum lab_side side,
    struct fig *f, int width, uint16_t bar_port);
/* Rows the figure's sockets take, with a blank row between two. */
int fig_rows(const struct fig *f);
/* The two figures from row 1, as tall as the taller one's sockets and
 * at least low rows, room rows at most; fw wide from column fx1, gap
 * columns apart, with the arrow between the two ends of one connection.
 * Returns their height. */
int ui_present_figures(struct ui *ui, WINDOW *w, struct fig *left,
    struct fig *right, int room, int low, int fx1, int fw, int gap);

#endif

/* ui_wire.c - the wire on screen: which network the lab is in (world.h)
 * as the title bar names it, the packet ladder pane, and the pcap file
 * the learner can take away.
 *
 * The ladder draws the bartender on the left and the customer on the
 * right, as the lab pane does, each captured segment as an arrow in the
 * direction it went, with its flags, seq, ack, length and window (real
 * numbers, never translated), and beside the sender the call that sent it or "kernel"
 * for what the kernel sent on its own.  The segments of the step on
 * screen are drawn plain; those of the earlier steps of the lesson
 * (redone ones included) are dimmed.  The pane lists the latest that
 * fit.
 *
 * From LAYOUT_LADDER_ROWS rows the ladder has a pane of its own; below
 * it takes the lab pane's place when the learner asks (x) or the step
 * does (@wire).  Outside the private network it has no packets to show:
 * asked for, it says why. */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "i18n.h"
#include "segment.h"
#include "ui_priv.h"
#include "util.h"
#include "world.h"

/* The ladder's state. */
struct ui_wire {
	/* Segments before base belong to another run of the lab, those
	 * from from on to the step on screen. */
	uint64_t base, from;
	uint16_t bar_port;	/* the bar's port, as last known */
	bool hidden;		/* x hid the ladder's own pane (>= 30 rows) */
	bool on;		/* x showed the ladder in a pane's place */
	bool step_hidden;	/* x hid it at a step that asked for it */
	long saved;		/* packets o saved */
};

struct ui_wire *
ui_wire_new(void)
{
	return xcalloc(1, sizeof(struct ui_wire));
}

void
ui_wire_free(struct ui_wire *w)
{
	free(w);
}

#define WIRE_ROWS_MAX 16	/* segments the pane asks rows for */
#define WIRE_LABEL 11		/* columns of "shutdown()" and a blank */
#define WIRE_PCAP_NAME "socktutor.pcap"

static struct capture *
cap_of(const struct ui *ui)
{
	return ui->lab != NULL ? lab_capture(ui->lab) : NULL;
}

static bool
is_private(const struct ui *ui)
{
	return cap_of(ui) != NULL && lab_world(ui->lab) == LAB_WORLD_PRIVATE;
}

static bool
big(const struct ui *ui)
{
	return ui->rows >= LAYOUT_LADDER_ROWS;
}

enum lab_world
ui_wire_world_for(const struct ui *ui, size_t lesson, size_t step)
{
	if (ui->in_sandbox || lesson >= ui->app->nlessons)
		return LAB_WORLD_MACHINE;
	/* Guests wait: the lesson's pair where no guest can reach it. */
	if (ui_guests_private(ui, lesson, step))
		return LAB_WORLD_PRIVATE;
	/* A lecture's class comes in from its own terminals: the bar
	 * waits for them on this computer, as with --listen. */
	return world_for_step(ui->app->lessons[lesson], step,
	    ui->app->listen_given || ui->app->present,
	    ui->app->netns != NULL);
}

bool
ui_wire_moves(const struct ui *ui, size_t lesson, size_t step)
{
	return ui->lab != NULL &&
	    ui_wire_world_for(ui, lesson, step) != lab_world(ui->lab);
}

void
ui_wire_place(struct ui *ui)
{
	if (ui->lab != NULL)
		lab_set_world(ui->lab, ui_wire_world_for(ui, ui->lesson,
		    ui->step));
}

void
ui_wire_enter_step(struct ui *ui)
{
	struct capture *cap = cap_of(ui);

	if (cap != NULL)
		ui->wire->from = capture_pump(cap, CAPTURE_KERNEL);
	ui->wire->step_hidden = false;
}

void
ui_wire_event(struct ui *ui, const struct lab_event *ev)
{
	if (ev->seg_to == 0)
		return;
	if (ev->kind == LAB_EV_RESET) {
		/* What came before the reset belongs to another run. */
		ui->wire->base = ui->wire->from = ev->seg_to;
	} else if (ev->replay && ev->seg_to > ui->wire->from) {
		/* The earlier steps, redone: not this step's news. */
		ui->wire->from = ev->seg_to;
	}
}

int
ui_wire_fd(const struct ui *ui)
{
	return is_private(ui) ? capture_fd(cap_of(ui)) : -1;
}

void
ui_wire_readable(struct ui *ui)
{
	struct capture *cap = cap_of(ui);

	if (cap != NULL)
		capture_pump(cap, CAPTURE_KERNEL);
}

const char *
ui_wire_world_word(const struct ui *ui)
{
	/* TRANSLATORS: the title bar's word for where the lab runs: its
	 * own private network (packets shown), or this computer, where
	 * other programs can reach it.  Keep both short. */
	return is_private(ui) ? _("lab net") : _("this PC");
}

bool
ui_wire_shown(const struct ui *ui)
{
	if (ui->in_sandbox || ui->lab == NULL)
		return false;
	if (big(ui))
		return is_private(ui) ? !ui->wire->hidden : ui->wire->on;
	return ui->wire->on || (is_private(ui) && ui_cur_step(ui)->wire &&
	    !ui->wire->step_hidden);
}

void
ui_wire_toggle(struct ui *ui)
{
	if (big(ui) && is_private(ui)) {
		ui->wire->hidden = !ui->wire->hidden;
	} else if (ui_wire_shown(ui)) {
		ui->wire->on = false;
		ui->wire->step_hidden = true;
	} else {
		ui->wire->on = true;
	}
}

/* Why there are no packets, in one paragraph. */
static char *
why_none(const struct ui *ui)
{
	if (ui->app->netns_cause != NULL)
		/* TRANSLATORS: %s is a failed call, never translated, such
		 * as "unshare(CLONE_NEWUSER|CLONE_NEWNET) = -1 EPERM". */
		return xasprintf(_("No private network for the lab (%s): every "
		    "lesson runs on this computer's loopback, and no packets "
		    "are shown."), ui->app->netns_cause);
	return xstrdup(_("Network: this computer's loopback, where other "
	    "programs can come in. Packets are not shown here."));
}

/* The segments the pane may show: [*from, next). */
static uint64_t
range(struct ui *ui, uint64_t *from)
{
	uint64_t next = capture_pump(cap_of(ui), CAPTURE_KERNEL);

	*from = ui->wire->base < next ? ui->wire->base : next;
	if (*from == 0)
		*from = 1;
	return next < *from ? *from : next;
}

int
ui_wire_measure(struct ui *ui, int width)
{
	struct ui_lines L = { 0 };
	uint64_t from, next, n;
	char *why;
	int rows;

	if (!ui_wire_shown(ui))
		return 0;
	if (!is_private(ui)) {
		why = why_none(ui);
		ui_lines_add(&L, why, width - 2, 0, NULL, A_NORMAL);
		rows = 1 + (int)L.n;
		ui_lines_free(&L);
		free(why);
		return rows;
	}
	next = range(ui, &from);
	n = next - from;
	if (n == 0)
		return big(ui) ? 0 : 2;
	return 1 + (int)(n < WIRE_ROWS_MAX ? n : WIRE_ROWS_MAX);
}

/* Who sent the segment: the call, or the kernel on its own. */
static void
who(const struct capture_seg *c, char *buf, size_t len)
{
	enum lab_side side;
	enum lab_call call;

	if (!lab_wire_tag(c->tag, &side, &call))
		/* TRANSLATORS: the sender of a packet no call asked for
		 * (an ACK, a SYN+ACK, a retransmission), in 10 columns. */
		snprintf(buf, len, "%s", _("kernel"));
	else
		snprintf(buf, len, "%s()", lab_call_name(call ==
		    LAB_CALL_CROWD ? LAB_CALL_CONNECT : call));
}

/* The arrow's words: flags, seq, ack (when ACK is set), len, and the
 * window when it fits (always when it is 0: nothing more may come). */
static void
words(const struct segment *s, int room, char *buf, size_t len)
{
	char flags[40], ack[24] = "";
	int n;

	segment_flags(s, flags, sizeof flags);
	if (s->proto != IPPROTO_TCP) {
		snprintf(buf, len, "%s len=%u", flags, (unsigned)s->len);
		return;
	}
	if (s->flags & SEGMENT_ACK)
		snprintf(ack, sizeof ack, " ack=%u", (unsigned)s->ack);
	n = snprintf(buf, len, "%s seq=%u%s len=%u win=%u", flags,
	    (unsigned)s->seq, ack, (unsigned)s->len, (unsigned)s->win);
	if (n > room && s->win != 0)
		snprintf(buf, len, "%s seq=%u%s len=%u", flags,
		    (unsigned)s->seq, ack, (unsigned)s->len);
}

/* One segment on row y: the sender's call beside it, the arrow from
 * the customer's column to the bartender's or back. */
static void
draw_seg(struct ui *ui, WINDOW *w, int y, const struct capture_seg *c,
    uint16_t bar, bool fresh)
{
	const struct segment *s = &c->seg;
	int W = getmaxx(w), ax = WIRE_LABEL + 1, aw = W - 2 * WIRE_LABEL - 2;
	bool left = bar != 0 && s->sport == bar;	/* the bartender's */
	char label[32], text[SEGMENT_LINE_MAX];
	attr_t dim = ui_look(ui, UI_L_DIM);
	int tw;

	who(c, label, sizeof label);
	words(s, aw - 5, text, sizeof text);
	tw = ui_width(text);
	if (tw > aw - 5)
		tw = aw - 5;
	wattrset(w, fresh ? ui_look(ui, left ? UI_L_SERVER : UI_L_CLIENT) :
	    dim);
	if (left)
		ui_put(w, y, 1, WIRE_LABEL - 1, label);
	else
		ui_put(w, y, W - WIRE_LABEL, WIRE_LABEL - 1, label);
	wattrset(w, fresh ? A_NORMAL : dim);
	mvwhline(w, y, ax, ACS_HLINE, aw);
	if (left)
		mvwaddch(w, y, ax + aw - 1, '>');
	else
		mvwaddch(w, y, ax, '<');
	if (fresh && (s->flags & SEGMENT_RST))
		wattrset(w, ui_look(ui, UI_L_BAD));
	else if (fresh)
		wattrset(w, ui_look(ui, UI_L_CHANGED));
	ui_put(w, y, left ? ax + 2 : ax + aw - 2 - tw, tw, text);
	wattrset(w, A_NORMAL);
}

/* The heading: the bartender, what the pane shows, the customer (the
 * lab pane's order). */
static void
draw_head(struct ui *ui, WINDOW *w)
{
	int W = getmaxx(w);
	const char *mid = is_private(ui) ? _("packets on the wire") :
	    _("packets");
	int mw = ui_width(mid), rw = ui_width(_("Customer"));

	wattrset(w, ui_look(ui, UI_L_SERVER) | A_BOLD);
	ui_put(w, 0, 1, WIRE_LABEL, _("Bartender"));
	wattrset(w, ui_look(ui, UI_L_CLIENT) | A_BOLD);
	ui_put(w, 0, W - 1 - rw, rw, _("Customer"));
	wattrset(w, ui_look(ui, UI_L_HEAD));
	if (mw < W - 2 * WIRE_LABEL - 4)
		ui_put(w, 0, (W - mw) / 2, mw, mid);
	wattrset(w, A_NORMAL);
}

void
ui_wire_draw(struct ui *ui, WINDOW *w)
{
	int H = getmaxy(w), W = getmaxx(w), y;
	struct capture_seg *c;
	struct lab_addr a;
	uint64_t from, next, n;

	werase(w);
	draw_head(ui, w);
	if (!is_private(ui)) {
		struct ui_lines L = { 0 };
		char *why = why_none(ui);

		ui_lines_add(&L, why, W - 2, 0, NULL, ui_look(ui, UI_L_DIM));
		ui_lines_draw(w, 1, 1, H - 1, W - 2, &L, 0);
		ui_lines_free(&L);
		free(why);
		return;
	}
	if (ui_bar_addr(ui, &a))
		ui->wire->bar_port = a.port;
	next = range(ui, &from);
	if (next == from) {
		wattrset(w, ui_look(ui, UI_L_DIM));
		ui_put(w, 1, 1, W - 2, _("(no packets yet in this lesson)"));
		wattrset(w, A_NORMAL);
		return;
	}
	/* The latest that fit. */
	if (next - from > (uint64_t)(H - 1))
		from = next - (uint64_t)(H - 1);
	c = xmalloc(sizeof *c);
	for (n = from, y = 1; n < next && y < H; n++) {
		if (!capture_get(cap_of(ui), n, c))
			continue;
		draw_seg(ui, w, y++, c, ui->wire->bar_port,
		    n >= ui->wire->from);
	}
	free(c);
}

void
ui_wire_save(struct ui *ui)
{
	struct capture *cap = cap_of(ui);
	char *saved, *cause = NULL;
	uint8_t *bytes;
	size_t len;
	long count;

	if (cap == NULL) {
		ui->status = UI_ST_PCAP_NONE;
		return;
	}
	/* Every segment still kept, as --pcap saves them. */
	bytes = capture_pcap_bytes(cap, 1, capture_pump(cap, CAPTURE_KERNEL),
	    &len, &count);
	if (count == 0) {
		free(bytes);
		ui->status = UI_ST_PCAP_NONE;
		return;
	}
	saved = util_write_new(WIRE_PCAP_NAME, (const char *)bytes, len,
	    &cause);
	free(bytes);
	if (saved == NULL) {
		ui_status(ui, UI_ST_PCAP_FAILED, "%s", cause);
		free(cause);
		return;
	}
	ui->wire->saved = count;
	ui_status_saved(ui, UI_ST_PCAP_SAVED, saved);
	free(saved);
}

const char *
ui_wire_status(const struct ui *ui, const char *arg, char *buf, size_t len)
{
	switch (ui->status) {
	case UI_ST_NO_NETNS:
		snprintf(buf, len, "%s", _("The lab has no private network: "
		    "no packets (x)."));
		return buf;
	case UI_ST_PCAP_SAVED:
		snprintf(buf, len, P_("Saved %1$ld packet to %2$s.",
		    "Saved %1$ld packets to %2$s.",
		    (unsigned long)ui->wire->saved), ui->wire->saved, arg);
		return buf;
	case UI_ST_PCAP_FAILED:
		snprintf(buf, len, _("Could not save the packets (%s)."), arg);
		return buf;
	case UI_ST_PCAP_NONE:
		snprintf(buf, len, "%s", _("No packets to save: they are "
		    "captured in the lab's own network only."));
		return buf;
	default:
		return NULL;
	}
}

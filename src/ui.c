/* ui.c - the curses interface: the main loop, moving between steps and
 * signals.  The bars are ui_bars.c's, the keys ui_keys.c's, the
 * shared drawing helpers ui_draw.c's and the progress ui_progress.c's.
 *
 * One thread touches curses: this one.  It sleeps in poll() on the
 * terminal, the lab's wake-up descriptor and a self-pipe that signal
 * handlers write to, so it is idle while the learner is (a one-second tick
 * only while a countdown is on screen).  Every batch of input or events
 * redraws into the pane windows (ui_panes.c) and ends with one
 * doupdate(): curses' own diffing sends only what changed to the
 * terminal.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lab.h"
#include "narrate.h"
#include "progress.h"
#include "ui.h"
#include "ui_fatal.h"
#include "ui_priv.h"
#include "util.h"

/* What the main loop alone keeps. */
struct ui_loop {
	int exit_status;
	unsigned lab_moves;	/* counts commands and resets sent to the lab */
	bool have_bar;		/* bar: the bartender's address, as of the */
	struct lab_addr bar;	/* ... last lesson event taken in */
	struct lab_event *evbuf;	/* drain_lab's batch */
};


/* The self-pipe: handlers write the signal number, the loop reads it. */
static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* The pipe is full: enough wake-ups are already queued. */
	}
	errno = saved;
}

static int
signals_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
	struct sigaction sa;
	size_t i;

	if (pipe(sig_pipe) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		int fl = fcntl(sig_pipe[i], F_GETFL);

		if (fl == -1 || fcntl(sig_pipe[i], F_SETFL, fl | O_NONBLOCK) == -1)
			return -1;
		if (fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC) == -1)
			return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	return 0;
}

static void
signals_done(void)
{
	signal(SIGWINCH, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (sig_pipe[0] != -1)
		close(sig_pipe[0]);
	if (sig_pipe[1] != -1)
		close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

/* ------------------------------------------------------------------ */
/* Moving between steps: the lab always matches the step on screen. */

void
ui_lab_post(struct ui *ui, const struct lab_cmd *cmd, bool replay)
{
	ui->loop->lab_moves++;
	lab_post(ui->lab, cmd, replay);
}

void
ui_lab_reset(struct ui *ui)
{
	ui->loop->lab_moves++;
	lab_reset(ui->lab);
	/* The sockets of one network cannot move to the other: the
	 * step's world is chosen while the lab is empty. */
	ui_wire_place(ui);
}

bool
ui_bar_addr(const struct ui *ui, struct lab_addr *out)
{
	if (ui->loop->have_bar)
		*out = ui->loop->bar;
	return ui->loop->have_bar;
}


static void
enter_step(struct ui *ui)
{
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	ui_text_enter_step(ui);
	ui_wire_enter_step(ui);
	ui_save(ui);
}

void
ui_goto(struct ui *ui, size_t lesson, size_t step)
{
	const struct lesson *l = ui->app->lessons[lesson];
	struct tutor_plan p = tutor_plan(!ui->in_sandbox, ui->lesson, ui->step,
	    lesson, step, ui_wire_moves(ui, lesson, step));

	ui->in_sandbox = false;
	ui->lesson = lesson;
	ui->step = step;
	enter_step(ui);
	if (p.reset) {
		/* The sockets shown before the step's own actions are not
		 * known yet: nothing is highlighted as changed until this
		 * step's calls arrive. */
		ui->have_base = false;
		if (ui->lab == NULL)
			return;
		/* The sockets and guests that come from now on are this
		 * lesson's; what earlier lessons left is shown apart. */
		lab_set_lesson(ui->lab, (int)lesson + 1);
		ui_log_before_reset(ui, !p.new_lesson, step);
		ui_lab_reset(ui);
		/* The log marks the earlier steps' calls as redone. */
		ui->loop->lab_moves += (unsigned)tutor_redo(ui->lab, l, p.redo);
	}
	/* The step on screen is performed now, not redone: its calls are
	 * live, like a datagram sent while the learner reads. */
	if (ui->lab != NULL)
		ui->loop->lab_moves += (unsigned)tutor_post_step(ui->lab,
		    &l->steps[step], false);
}

void
ui_go_next(struct ui *ui)
{
	const struct lesson *l = ui_lesson(ui);
	size_t lesson = ui->lesson, step = ui->step;
	enum tutor_next next = tutor_next(ui->app->lessons,
	    ui->app->nlessons, &lesson, &step);

	ui->status = UI_ST_NONE;
	if (next != TUTOR_NEXT_STEP)
		progress_mark_done(&ui->prog, l->id);
	if (next != TUTOR_NEXT_END) {
		ui_goto(ui, lesson, step);
		return;
	}
	ui_save(ui);
	ui->status = UI_ST_LAST_STEP;
}

void
ui_go_prev(struct ui *ui)
{
	size_t lesson = ui->lesson, step = ui->step;

	ui->status = UI_ST_NONE;
	if (tutor_prev(ui->app->lessons, &lesson, &step))
		ui_goto(ui, lesson, step);
	else
		ui->status = UI_ST_FIRST_STEP;
}

/* ------------------------------------------------------------------ */
/* The loop. */

#define DRAIN_BATCH 16

static bool
is_guest_event(const struct lab_event *ev)
{
	return lab_event_is_guest(ev->kind);
}

/* Takes in every pending event; returns true when one of them was not a
 * guest's (those alone may wait for the next frame). */
static bool
drain_lab(struct ui *ui)
{
	struct lab_event *ev = ui->loop->evbuf;
	bool lesson = false;
	size_t n;

	while ((n = lab_drain(ui->lab, ev, DRAIN_BATCH)) > 0) {
		struct pollfd key = { STDIN_FILENO, POLLIN, 0 };
		size_t i;

		/* One at a time: the sandbox may clear the log on a reset,
		 * and what follows the reset must stay. */
		for (i = 0; i < n; i++) {
			lesson = lesson || !is_guest_event(&ev[i]);
			ui_lab_events(ui, &ev[i], 1);
			ui_wire_event(ui, &ev[i]);
			tutor_log_sift(&ui->log);
			if (ui->in_sandbox)
				ui_sandbox_event(ui, &ev[i]);
			else
				ui_text_event(ui, &ev[i]);
		}
		/* A crowd's news can fill batch after batch, each with a
		 * snapshot: a key waiting goes first, the rest stays
		 * pending. */
		if (poll(&key, 1, 0) > 0)
			break;
	}
	/* Binds and resets come as the lesson's events. */
	if (lesson)
		ui->loop->have_bar = lab_server_addr(ui->lab, &ui->loop->bar);
	return lesson;
}

static void
read_signals(struct ui *ui)
{
	unsigned char b[32];
	ssize_t n, i;

	while ((n = read(sig_pipe[0], b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			switch (b[i]) {
			case SIGWINCH:
				ui_resize_now(ui);
				break;
			case SIGINT:
				ui->quit = true;
				break;
			default:
				ui->quit = true;
				ui->loop->exit_status = 128 + b[i];
				break;
			}
		}
	}
}

/* One step's calls arrive as several events in a few milliseconds;
 * drawing after each would send the terminal several partial screens.
 * So a frame waits until the lab has settled (every posted call done or
 * blocked), at most HOLD_MS.  Guests' events, which can come by the
 * hundred, are drawn at most every FRAME_MS; keys never wait for that. */
#define HOLD_MS 50
#define FRAME_MS 20

/* When the pending frame is due (CLOCK_MONOTONIC, us). */
static uint64_t
frame_due(bool settled, uint64_t dirty_since, uint64_t last_draw,
    bool urgent)
{
	if (!settled)
		return dirty_since + HOLD_MS * 1000u;
	if (urgent)
		return 0;
	return last_draw + FRAME_MS * 1000u;
}

/* fresh: take in the lab's news first (the lab has settled: what its
 * finished calls posted since the last drain belongs in this frame).
 * Without it the frame shows the last snapshot taken in, as a key that
 * changed nothing in the lab (help, menu, language) may: each snapshot
 * is self-contained. */
static void
draw_frame(struct ui *ui, bool fresh)
{
	if (ui->lab != NULL && fresh)
		drain_lab(ui);
	ui_draw_all(ui);
	if (ui->save_pending) {
		bool warned = ui->status_warned;

		ui_save_now(ui);
		if (warned != ui->status_warned)
			ui_draw_all(ui);
	}
}

/* The loop's memory between turns. */
struct frame {
	uint64_t dirty_since, last_draw;
	bool dirty;		/* something to draw */
	bool urgent;		/* not only guests' news: draw soon */
	bool keyed;		/* a key changed only the screen */
};

/* Draws what is due; returns how long poll may sleep (-1: no limit)
 * and whether the lab's news waits for its frame (*pacing). */
static int
frame_turn(struct ui *ui, struct frame *f, bool *pacing)
{
	int timeout;

	*pacing = false;
	/* Keys that left the lab alone are drawn at once, from the
	 * snapshot on screen: neither the lab's lock (the bartender may
	 * hold it through a crowd's round) nor a fresh snapshot stands
	 * between them and the screen.  Whatever the lab posted
	 * meanwhile keeps its own frame. */
	if (f->keyed) {
		draw_frame(ui, false);
		f->keyed = false;
	}
	timeout = ui_lab_tick_ms(ui);
	if (timeout == -1 && ui->present && !ui->in_sandbox &&
	    ui_present_ticking(ui))
		timeout = 1000;
	if (f->dirty) {
		uint64_t now = util_now_us(), due;
		bool settled = ui->lab == NULL || lab_settled(ui->lab);

		if (f->dirty_since == 0)
			f->dirty_since = now;
		due = frame_due(settled, f->dirty_since, f->last_draw,
		    f->urgent);
		if (now >= due) {
			draw_frame(ui, true);
			f->last_draw = util_now_us();
			f->dirty = f->urgent = false;
			f->dirty_since = 0;
		} else {
			timeout = (int)((due - now + 999) / 1000);
			/* Guests' news waits for its frame: taking it in
			 * now would cost a snapshot each. */
			*pacing = settled && !f->urgent;
		}
	}
	return timeout;
}

/* What poll waits on: the terminal, the signals, the lab (unless its
 * news waits), the class's votes and the private network's packets. */
struct waits {
	struct pollfd fds[5];
	int n, lab_at, door_at, wire_at;
};

static void
waits_set(struct ui *ui, struct waits *w, bool pacing)
{
	int wire_fd;

	w->n = 0;
	w->lab_at = w->door_at = w->wire_at = -1;
	w->fds[w->n].fd = STDIN_FILENO;
	w->fds[w->n++].events = POLLIN;
	w->fds[w->n].fd = sig_pipe[0];
	w->fds[w->n++].events = POLLIN;
	if (ui->lab != NULL && !pacing) {
		w->lab_at = w->n;
		w->fds[w->n].fd = lab_wake_fd(ui->lab);
		w->fds[w->n++].events = POLLIN;
	}
	/* The class's votes: a new count is a new frame. */
	if (ui->door != NULL) {
		w->door_at = w->n;
		w->fds[w->n].fd = ui_door_wake_fd(ui->door);
		w->fds[w->n++].events = POLLIN;
	}
	/* The private network's packets: the ladder follows them as they
	 * come, a retransmission too. */
	wire_fd = pacing ? -1 : ui_wire_fd(ui);
	if (wire_fd != -1) {
		w->wire_at = w->n;
		w->fds[w->n].fd = wire_fd;
		w->fds[w->n++].events = POLLIN;
	}
}

static bool
ready(const struct waits *w, int at)
{
	return at >= 0 && (w->fds[at].revents & POLLIN);
}

/* Takes in what poll found ready. */
static void
take_ready(struct ui *ui, struct frame *f, const struct waits *w)
{
	short term = w->fds[0].revents;

	if (ready(w, w->wire_at)) {
		ui_wire_readable(ui);
		f->dirty = true;
	}
	if (ready(w, w->door_at)) {
		ui_door_wake(ui->door);
		f->dirty = true;
	}
	if (ready(w, 1)) {
		read_signals(ui);
		f->dirty = f->urgent = true;
	}
	/* Keys first: the lab's news can wait for the next turn. */
	if (term & (POLLIN | POLLHUP | POLLERR)) {
		unsigned moves = ui->loop->lab_moves;

		if (term & (POLLHUP | POLLERR) && !(term & POLLIN)) {
			/* The terminal went away. */
			ui->quit = true;
			ui->loop->exit_status = 128 + SIGHUP;
		}
		ui_read_keys(ui);
		if (ui->loop->lab_moves == moves && !(f->dirty && f->urgent))
			f->keyed = true;
		else
			f->dirty = f->urgent = true;
		return;
	}
	if (ready(w, w->lab_at)) {
		f->dirty = true;
		if (drain_lab(ui))
			f->urgent = true;
	}
}

/* The tick's fresh look at the lab: true when it differs from the one on
 * screen (taken_us aside), which then takes its place.  A bar that
 * listens is looked at twice a second: an unchanged one costs no frame. */
static bool
tick_news(struct ui *ui)
{
	struct lab_snapshot sn;

	lab_snapshot_now(ui->lab, &sn);
	sn.taken_us = ui->snap.taken_us;
	if (memcmp(&sn, &ui->snap, sizeof sn) == 0)
		return false;
	ui->snap = sn;
	return true;
}

static void
loop(struct ui *ui)
{
	struct frame f = { .dirty = true, .urgent = true };
	struct waits w;
	bool pacing;
	int r, timeout;

	while (!ui->quit) {
		timeout = frame_turn(ui, &f, &pacing);
		waits_set(ui, &w, pacing);
		r = poll(w.fds, (nfds_t)w.n, timeout);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			ui->quit = true;
			ui->loop->exit_status = 1;
			break;
		}
		if (r == 0) {
			/* A frame falling due, or the countdown's tick. */
			if (!f.dirty && ui->lab != NULL && tick_news(ui))
				f.dirty = f.urgent = true;
			continue;
		}
		take_ready(ui, &f, &w);
	}
}

/* The interface's state for app, before curses and the lab. */
static struct ui *
ui_new(const struct app *app)
{
	struct ui *ui = xcalloc(1, sizeof *ui);

	ui->app = app;
	ui->loop = xcalloc(1, sizeof *ui->loop);
	ui->sb = ui_sandbox_new();
	ui->code = ui_code_new();
	ui->guest_nos = ui_guest_nos_new();
	ui->text = ui_text_new();
	ui->wire = ui_wire_new();
	ui->present = app->present;
	ui->lesson = app->start;
	tutor_log_init(&ui->log);
	ui->loop->evbuf = xcalloc(DRAIN_BATCH, sizeof *ui->loop->evbuf);
	if (app->sandbox || app->nlessons == 0)
		ui->lesson = 0;
	ui_progress_start(ui);
	/* A classroom address is a choice the screen owns up to. */
	if (app->listen_given && ui->status == UI_ST_NONE)
		ui->status = UI_ST_LISTEN;
	/* So is a lab without a private network: no packets to show. */
	if (app->netns_cause != NULL && ui->status == UI_ST_NONE)
		ui->status = UI_ST_NO_NETNS;
	return ui;
}

/* The lab and, with the lecture layout, the classroom door: a lab that
 * cannot start is said on screen, the lessons go on without it. */
static void
open_lab(struct ui *ui, const struct app *app)
{
	char *cause = NULL;

	ui->lab = lab_new(&app->lab, &cause);
	if (ui->lab == NULL) {
		ui_status(ui, UI_ST_NO_LAB, "%s", cause != NULL ? cause : "");
		free(cause);
		cause = NULL;
	}
	if (app->present) {
		ui->door = ui_door_open(app, ui->lab, &cause);
		if (ui->door == NULL)
			ui->door_cause = cause;
	}
}

/* Stops the door and the lab first, so that no thread writes to the
 * terminal or fails once curses has let it go; then frees the rest. */
static int
ui_free(struct ui *ui)
{
	int rc = ui->loop->exit_status;

	ui_door_close(ui->door);
	free(ui->door_cause);
	lab_free(ui->lab);
	if (stdscr != NULL) {	/* curses started */
		endwin();
		ui_fatal_disarm();
		ui_free_windows(ui);
	}
	signals_done();
	free(ui->loop->evbuf);
	tutor_log_free(&ui->log);
	ui_sandbox_free(ui->sb);
	ui_code_free(ui->code);
	ui_guest_nos_free(ui->guest_nos);
	ui_text_free(ui->text);
	ui_wire_free(ui->wire);
	free(ui->loop);
	free(ui);
	return rc;
}

/* curses in the modes the loop expects; false when it cannot start. */
static bool
curses_start(struct ui *ui)
{
	ui_fatal_save_tty();
	if (initscr() == NULL)
		return false;
	ui_fatal_arm();
	/* ncurses 6.4 flushes its output after each cursor move until the
	 * screen has been left and taken back once (it counts it as not
	 * yet started): one round trip now, before anything is drawn,
	 * makes each frame one write() instead of one per line. */
	endwin();
	refresh();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* No peeking at the keyboard halfway through an update: curses
	 * would flush what it has each time it finds a key waiting. */
	typeahead(-1);
	ui_colours_init(ui);
	ui_layout(ui);
	return true;
}

/* Brings the lab to the starting step: earlier steps count as redone
 * when resuming.  The sandbox starts with a clean lab. */
static void
first_step(struct ui *ui)
{
	size_t step = ui->step;

	if (ui->app->sandbox) {
		ui_sandbox_enter(ui);
		return;
	}
	ui->step = 0;
	enter_step(ui);
	ui->step = step;
	if (step > 0) {
		ui_text_enter_step(ui);
		ui_save(ui);
	}
	if (ui->lab != NULL) {
		const struct lesson *l = ui_lesson(ui);

		lab_set_lesson(ui->lab, (int)ui->lesson + 1);
		ui_wire_place(ui);
		ui->loop->lab_moves += (unsigned)tutor_redo(ui->lab, l, step);
		if (step < l->nsteps)
			ui->loop->lab_moves += (unsigned)tutor_post_step(
			    ui->lab, &l->steps[step], false);
	}
}

int
ui_run(const struct app *app)
{
	struct ui *ui = ui_new(app);

	/* Our handlers go in before initscr, so curses leaves SIGWINCH and
	 * SIGINT to us. */
	if (signals_init() == -1) {
		fprintf(stderr, "socktutor: %s\n", strerror(errno));
		ui->loop->exit_status = 1;
		return ui_free(ui);
	}
	open_lab(ui, app);
	if (!curses_start(ui)) {
		ui->loop->exit_status = 1;
		return ui_free(ui);
	}
	first_step(ui);
	/* The test suite's way to prove that a fatal error gives the
	 * terminal back (tests/screen_fatal.sh): once the first screen is
	 * up, an allocation no machine grants. */
	if (getenv("SOCKTUTOR_TEST_FATAL") != NULL) {
		draw_frame(ui, true);
		free(xmalloc(SIZE_MAX / 2));
	}
	loop(ui);
	if (ui->save_pending)
		ui_save_now(ui);
	return ui_free(ui);
}

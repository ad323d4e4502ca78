/* ui_priv.h - what the ui_*.c modules share: the interface's state, the
 * drawing helpers, and each screen's draw/key pair.  Only ui_*.c include
 * this header, and only they include curses. */
#ifndef SOCKTUTOR_UI_PRIV_H
#define SOCKTUTOR_UI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#include "app.h"
#include "exercise.h"
#include "keys.h"
#include "lab.h"
#include "layout.h"
#include "progress.h"
#include "sandbox.h"
#include "tutor.h"
#include "ui_door.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_FIELD_MAX 24		/* characters an input field holds */

enum ui_screen {
	UI_MAIN, UI_MENU, UI_HELP,
	UI_CODE,		/* the step's code, whole (ui_code.c) */
	UI_LOG			/* the whole log (ui_log.c) */
};

/* Which input field has the focus, if any. */
enum ui_field {
	UI_FIELD_NONE, UI_FIELD_PORT, UI_FIELD_ANSWER,
	UI_FIELD_RECV,		/* a size for the bartender's recv() */
	UI_FIELD_SERVER		/* the port of the learner's own server */
};

/* What the status line says; worded at draw time, in the current
 * language. */
enum ui_status {
	UI_ST_NONE,
	UI_ST_RESUMED,		/* resumed at the saved place */
	UI_ST_CORRUPT,		/* the progress file was unreadable */
	UI_ST_CORRUPT_KEPT,	/* ... and is kept as progress.bad */
	UI_ST_SAVE_FAILED,	/* the progress file cannot be written */
	UI_ST_NO_LAB,		/* the lab could not start */
	UI_ST_LAST_STEP,	/* "next" at the very end */
	UI_ST_FIRST_STEP,	/* "previous" at the very start */
	UI_ST_LISTEN,		/* --listen chose an address: say which */
	UI_ST_SAVED,		/* f wrote the program: status_arg says where */
	UI_ST_NOT_SAVED,	/* f could not: status_arg says why */
	UI_ST_NOTHING_TO_SAVE,	/* f at a step without a whole program */
	UI_ST_NO_NETNS,		/* the lab has no private network */
	UI_ST_PCAP_SAVED,	/* o wrote the packets: status_arg says where */
	UI_ST_PCAP_FAILED,	/* o could not: status_arg says why */
	UI_ST_PCAP_NONE		/* o with no packets captured */
};

/* Looks: a colour pair when colours are on, an attribute otherwise, so
 * that monochrome stays readable. */
enum ui_look {
	UI_L_NORMAL, UI_L_BAR, UI_L_HEAD, UI_L_CHANGED, UI_L_MARK,
	UI_L_SERVER, UI_L_CLIENT, UI_L_GOOD, UI_L_BAD, UI_L_DIM, UI_L_KEY,
	UI_L_BIG, UI_L_COUNT
};

/* Wrapped text, ready to draw: one display line each. */
struct ui_line {
	wchar_t *s;
	attr_t attr;
	int indent;
};

struct ui_lines {
	struct ui_line *v;
	size_t n, cap;
};

/* State that one module owns, and no other file sees inside: each made
 * and freed by its module's _new and _free. */
struct ui_code;
struct ui_guest_nos;
struct ui_loop;
struct ui_text;
struct ui_wire;
struct ui_code *ui_code_new(void);
void ui_code_free(struct ui_code *c);
struct ui_guest_nos *ui_guest_nos_new(void);
void ui_guest_nos_free(struct ui_guest_nos *g);
struct sandbox *ui_sandbox_new(void);
void ui_sandbox_free(struct sandbox *sb);
struct ui_text *ui_text_new(void);
void ui_text_free(struct ui_text *t);
struct ui_wire *ui_wire_new(void);
void ui_wire_free(struct ui_wire *w);

struct ui {
	const struct app *app;
	struct lab *lab;
	struct ui_door *door;	/* --present: where the class answers */
	char *door_cause;	/* why the door could not open, or NULL */
	bool show_addrs;	/* --present: guests' addresses, not numbers */
	bool blank;		/* --present: a black screen (b or .) */
	bool guests_wait;	/* k: the lesson's pair kept from guests */
	size_t lesson, step;
	enum ui_screen screen;
	bool in_sandbox;	/* the sandbox, not a lesson, is on screen */
	struct sandbox *sb;	/* the sandbox's (sandbox.h, ui_sandbox.c) */
	bool present;
	bool colour;		/* looks are colour pairs (ui_draw.c) */
	int rows, cols;
	bool small;		/* below 80x24: only the message */
	bool quit;

	/* Panes: the title, footer and body made by ui_layout for the
	 * current size; the others sized from the step at each draw
	 * (layout.h), remade only when their rows change. */
	WINDOW *wtitle, *wfoot, *wbody, *wtext, *wlab, *wcode, *wlog;
	WINDOW *wwire;		/* the packet ladder (ui_wire.c), or NULL */
	struct layout lay;	/* the panes' rows, as made */
	bool lay_made;		/* the panes exist for lay */
	bool lab_open;		/* b: the lab grows before the text */

	struct ui_text *text;	/* the lesson pane's (ui_text.c) */

	/* The lab as last reported. */
	struct lab_snapshot snap;	/* the latest */
	struct lab_snapshot base;	/* when this step began */
	struct ui_guest_nos *guest_nos;	/* guests' screen numbers (ui_lab.c) */
	bool have_base;
	unsigned visit;		/* counts step changes */
	struct tutor_log log;	/* what the lab did (tutor.h) */
	struct ui_loop *loop;	/* the main loop's own (ui.c) */

	/* Progress and the status line. */
	struct progress prog;
	enum ui_status status;
	char status_arg[600];
	bool status_warned;
	bool save_pending;	/* progress changed; saved after the draw */

	struct ui_code *code;	/* the code pane's and screen's (ui_code.c) */
	int log_scroll;		/* the log's screen (w), in rows */

	struct ui_wire *wire;	/* the ladder's (ui_wire.c) */
};

/* ui.c: helpers every screen uses. */
attr_t ui_look(const struct ui *ui, enum ui_look look);
const struct lesson *ui_lesson(const struct ui *ui);
const struct lesson_step *ui_cur_step(const struct ui *ui);
/* A malloc'd wide copy of s; invalid bytes become U+FFFD. */
wchar_t *ui_widen(const char *s);
/* Display width of s (UTF-8). */
int ui_width(const char *s);
/* Draw s at y,x in at most maxw columns; returns the columns used. */
int ui_put(WINDOW *w, int y, int x, int maxw, const char *s);
/* Draw s centred on row y of w. */
void ui_put_centred(WINDOW *w, int y, const char *s);
/* Wrap text to width columns (after indent) and append the lines; the
 * first line starts with prefix (e.g. a bullet), later ones align. */
void ui_lines_add(struct ui_lines *L, const char *text, int width,
    int indent, const char *prefix, attr_t attr);
void ui_lines_blank(struct ui_lines *L);
void ui_lines_free(struct ui_lines *L);
/* Draw lines first..first+h of L at y in w; returns rows drawn. */
int ui_lines_draw(WINDOW *w, int y, int x, int h, int width,
    const struct ui_lines *L, int first);
/* Fill row y of w with blanks in the current attributes. */
void ui_fill_row(WINDOW *w, int y);
/* Go to lesson/step, making the lab match (see ui.c). */
void ui_goto(struct ui *ui, size_t lesson, size_t step);

/* lab_post and lab_reset, counted: a key that calls neither leaves the
 * lab as it was, and its frame needs no fresh snapshot. */
void ui_lab_post(struct ui *ui, const struct lab_cmd *cmd, bool replay);
void ui_lab_reset(struct ui *ui);

/* The bartender's address as of the last lesson event taken in; false
 * when it has none.  Drawing never waits for the lab's lock. */
bool ui_bar_addr(const struct ui *ui, struct lab_addr *out);
/* Save the place and marks right after the next screen update; a failure
 * is reported once in the status line. */
void ui_save(struct ui *ui);

/* ui_text.c: the lesson pane, its question and its input fields. */
/* Rows the text needs at width, and the question (or exercise) under it:
 * whole, and up to its first choice. */
void ui_text_measure(struct ui *ui, int width, int *text, int *ask,
    int *ask_min);
/* The last step of the last lesson: the text says what comes next, and
 * the footer no longer offers a next step. */
bool ui_text_course_end(const struct ui *ui);
/* PgDn/PgUp and the arrows: the text first, then the question. */
void ui_text_scroll(struct ui *ui, int delta);
void ui_text_draw(struct ui *ui, WINDOW *w);
/* Returns true when the key was used. */
bool ui_text_key(struct ui *ui, enum key_action act, int key);
/* Reset the per-step state (answer, field, hints, scroll, exercise). */
void ui_text_enter_step(struct ui *ui);
/* The input field with the focus (UI_FIELD_NONE: keys are commands). */
enum ui_field ui_text_field(const struct ui *ui);
/* Whether the text and question need more rows than the pane has. */
bool ui_text_overflows(const struct ui *ui);
/* The step's live exercise, or NULL. */
const struct exercise *ui_text_exercise(const struct ui *ui);
/* The choice picked at this step, or -1. */
int ui_text_chosen(const struct ui *ui);
/* Follow one lab event for the step's exercise; a finished exercise is
 * saved in the progress file. */
void ui_text_event(struct ui *ui, const struct lab_event *ev);

/* The three panes of the normal layout: the lab (ui_lab.c), the step's
 * code (ui_code.c) and the event log (ui_log.c). */
void ui_lab_draw(struct ui *ui, WINDOW *w);
void ui_code_draw(struct ui *ui, WINDOW *w);
void ui_log_draw(struct ui *ui, WINDOW *w);
/* Rows each pane needs at width (see struct layout_need): the lab whole
 * and its lesson's own sockets; the code's fixed rows, scrolling rows and
 * marked row; the log's entries (counted only until they fill the
 * screen). */
void ui_lab_measure(struct ui *ui, int width, int *all, int *lesson);
void ui_code_measure(struct ui *ui, int width, int *fixed, int *rows,
    int *mark);
int ui_log_measure(struct ui *ui, int width);
/* Take in a batch of events from the lab. */
void ui_lab_events(struct ui *ui, const struct lab_event *ev, size_t n);
/* How soon the lab is to be looked at again with no news from it, in
 * ms (-1: no need): something counts down (TIME_WAIT) or is about to
 * change state by itself (FIN_WAIT1...), or a listener's queue may grow
 * while the bartender takes nobody from it. */
int ui_lab_tick_ms(const struct ui *ui);
/* The screen's number for the guest with this lab id (1 for the first
 * guest seen); gives the next number to an id it has not met. */
unsigned ui_lab_guest_no(struct ui *ui, unsigned id);
/* Has this side had a socket since the lab was last reset?  Then an
 * empty column means it was closed, not that it is still to come. */
bool ui_lab_had_socket(const struct ui *ui, enum lab_side side);
/* The connection between row yl on the left and row yr on the right, in
 * the gap from x, len wide: straight when they face each other, else
 * bent in the middle; solid when up, dotted when not yet. */
void ui_lab_wire(struct ui *ui, WINDOW *w, int yl, int yr, int x, int len,
    bool up, attr_t extra);
/* The sockets the lesson itself made (or accepted), not a guest's or
 * one the kernel keeps without a descriptor. */
bool ui_lab_is_lesson(const struct lab_sock *s);
/* True when a and b are the two ends of one connection. */
bool ui_lab_peers(const struct lab_sock *a, const struct lab_sock *b);

/* ui_menu.c: the lesson menu. */
void ui_menu_draw(struct ui *ui, WINDOW *w);
bool ui_menu_key(struct ui *ui, enum key_action act);
/* Shows the menu, the lesson on screen (or the sandbox) chosen. */
void ui_menu_open(struct ui *ui);

/* ui_draw.c: the colours, chosen once curses has started. */
void ui_colours_init(struct ui *ui);

/* ui_progress.c: where to resume, read at start; the progress file
 * written now (ui_save only asks for it). */
void ui_progress_start(struct ui *ui);
void ui_save_now(struct ui *ui);

/* ui.c: moving between steps. */
void ui_go_next(struct ui *ui);
void ui_go_prev(struct ui *ui);

/* ui_panes.c: the windows for the terminal's size (ui_layout), again
 * after a resize (ui_resize_now), all freed; and one frame drawn. */
void ui_layout(struct ui *ui);
void ui_resize_now(struct ui *ui);
void ui_free_windows(struct ui *ui);
void ui_draw_all(struct ui *ui);

/* ui_bars.c: the title bar and the footer (with the status line). */
void ui_draw_title(struct ui *ui);
void ui_draw_footer(struct ui *ui);
/* The status line says st, with the argument fmt makes (NULL: none). */
void ui_status(struct ui *ui, enum ui_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The status line says st about the file name, written in the current
 * directory: its whole path. */
void ui_status_saved(struct ui *ui, enum ui_status st, const char *name);

/* ui_keys.c: reads the keys waiting and does what each says. */
void ui_read_keys(struct ui *ui);

/* ui_help.c: the help screen, written from the key table (keys.h). */
void ui_help_draw(struct ui *ui, WINDOW *w);
/* A key's name in the current language ("→" for Right in Italian), or
 * the key itself written into buf. */
const char *ui_key_name(int key, char *buf, size_t len);
/* The keys of act on screen, each name joined to the next by sep. */
void ui_keys_label(enum keys_screen screen, enum key_action act,
    const char *sep, char *buf, size_t len);
/* The keys column of a help row, padded to kw display columns. */
void ui_help_keys_cell(char *line, size_t len, const char *keys, int kw);
/* The screen whose keys apply now. */
enum keys_screen ui_keys_screen(const struct ui *ui);
bool ui_help_key(struct ui *ui, enum key_action act);
/* Shows the help from its top. */
void ui_help_open(struct ui *ui);

/* ui_sandbox.c: the sandbox.  Enter it (a clean lab), draw its text
 * pane and its key pane, take its keys, and follow the lab's events. */
void ui_sandbox_enter(struct ui *ui);
void ui_sandbox_draw(struct ui *ui, WINDOW *w);
void ui_sandbox_keys_draw(struct ui *ui, WINDOW *w);
bool ui_sandbox_key(struct ui *ui, enum key_action act, int key);
/* The sandbox's calls as help rows: the key and the call, what it does. */
void ui_sandbox_help(struct ui_lines *L, int width, int kw);
void ui_sandbox_event(struct ui *ui, const struct lab_event *ev);

/* ui_code.c (its pane: ui_code_draw above): the step's code on a screen
 * of its own (UI_CODE). */
/* Does the step on screen have code to show? */
bool ui_code_has(const struct ui *ui);
/* The code keys of the main screen (v, t, f); true when used. */
bool ui_code_key(struct ui *ui, enum key_action act);
void ui_code_view_draw(struct ui *ui, WINDOW *w);
bool ui_code_view_key(struct ui *ui, enum key_action act);
/* f: write the step's complete program to a new file in the current
 * directory; the status line says where, or why not. */
void ui_code_save(struct ui *ui);

/* ui_log.c (its pane: ui_log_draw above). */
/* The lab is about to be reset to show step of the same lesson again
 * (same_lesson) or of another lesson: decides whether the reset is worth
 * a line, and starts a new lesson with an empty log. */
void ui_log_before_reset(struct ui *ui, bool same_lesson, size_t step);
/* The whole log on a screen of its own (UI_LOG, key w). */
void ui_log_view_draw(struct ui *ui, WINDOW *w);
bool ui_log_view_key(struct ui *ui, enum key_action act);
/* A scrolling action (line, page, top, bottom) applied to *scroll;
 * false for any other action. */
bool ui_scroll_key(enum key_action act, int page, int *scroll);

/* ui_wire.c: the network the lab is in, and the packet ladder. */
/* The world step of lesson runs in, and whether going there moves the
 * lab to the other world (then it must be reset and redone). */
enum lab_world ui_wire_world_for(const struct ui *ui, size_t lesson,
    size_t step);
bool ui_wire_moves(const struct ui *ui, size_t lesson, size_t step);
/* Right after a reset: the lab's next sockets go to the world of the
 * step (or sandbox) on screen. */
void ui_wire_place(struct ui *ui);
/* A step begins: what is captured from now on is its own. */
void ui_wire_enter_step(struct ui *ui);
/* Follow a lab event: resets and redone steps are not this step's. */
void ui_wire_event(struct ui *ui, const struct lab_event *ev);
/* The capture's descriptor to poll (-1: none), and its news read. */
int ui_wire_fd(const struct ui *ui);
void ui_wire_readable(struct ui *ui);
/* The title bar's short name of the world on screen. */
const char *ui_wire_world_word(const struct ui *ui);
/* Is the ladder on screen, and the x key. */
bool ui_wire_shown(const struct ui *ui);
void ui_wire_toggle(struct ui *ui);
/* Rows the ladder wants at width (0: hidden), and its pane. */
int ui_wire_measure(struct ui *ui, int width);
void ui_wire_draw(struct ui *ui, WINDOW *w);
/* o: the packets as a new pcap file in the current directory. */
void ui_wire_save(struct ui *ui);
/* The status line's words for the wire's statuses, else NULL. */
const char *ui_wire_status(const struct ui *ui, const char *arg, char *buf,
    size_t len);

/* ui_guests.c: guests wait (k). */
/* True when guests wait moves step of lesson to the private network. */
bool ui_guests_private(const struct ui *ui, size_t lesson, size_t step);
void ui_guests_toggle(struct ui *ui);
/* The title bar's word, or NULL when off. */
const char *ui_guests_word(const struct ui *ui);
/* What it does now, as a sentence into buf; NULL when off. */
const char *ui_guests_sentence(const struct ui *ui, char *buf, size_t len);

/* ui_present.c: the lecture layout's body. */
void ui_present_draw(struct ui *ui, WINDOW *w);
/* True while a crowd is at the bar: the projector looks again soon. */
bool ui_present_ticking(const struct ui *ui);

#endif

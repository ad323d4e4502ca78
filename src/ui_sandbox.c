/* ui_sandbox.c - the sandbox: no lesson, no script.  The learner makes
 * the calls, one key each, on the bartender's side or the customer's, in
 * any order, and sees what the kernel really answers: the same lab pane
 * and event log as the lessons, plus the latest call in C syntax with a
 * sentence on what its result means and what to do about an error.
 *
 * What to add after each call is decided in sandbox.c, from the lab's
 * events; this file words it, draws the keys and makes the calls.
 *
 * Every key becomes a lab command written in the lessons' own syntax and
 * parsed by lab_cmd_parse, so the sandbox can do exactly what a lesson
 * can and nothing the lab does not really do.  Calls the lab makes on one
 * side only (bind, listen, accept and setsockopt on the bartender's,
 * connect on the customer's) go to that side whatever side is chosen. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "narrate.h"
#include "sandbox.h"
#include "ui_priv.h"
#include "util.h"

enum sb_where { SB_CHOSEN = -1 };

/* One call: its key (a digit, or a letter of the key table), the call
 * in the lab's command syntax (without the side), its word in the key
 * pane and what it does (a msgid, for the help).  The key pane and the
 * help are written from this list alone. */
static const struct sb_key {
	int digit;		/* '0'-'9', or 0 for a letter's action */
	enum key_action act;	/* the letter's, when digit is 0 */
	const char *cmd;
	int side;		/* SB_CHOSEN, LAB_SERVER or LAB_CLIENT */
	const char *tag;	/* never translated: C names */
	const char *what;
} sb_keys[] = {
	{ '1', KA_NONE, "socket", SB_CHOSEN, "socket",
	    N_("a new socket for the chosen side") },
	{ '2', KA_NONE, "setsockopt reuseaddr", LAB_SERVER, "setsockopt",
	    N_("SO_REUSEADDR on the bartender's socket") },
	{ '3', KA_NONE, "bind strict", LAB_SERVER, "bind",
	    N_("the bartender binds the lab's address and port") },
	{ '4', KA_NONE, "listen", LAB_SERVER, "listen",
	    N_("the bartender listens") },
	{ '5', KA_NONE, "accept", LAB_SERVER, "accept",
	    N_("the bartender takes a connection (waits for one)") },
	{ '6', KA_NONE, "connect", LAB_CLIENT, "connect",
	    N_("the customer connects to the bartender") },
	{ '7', KA_NONE, "send", SB_CHOSEN, "send",
	    N_("the chosen side sends a line") },
	{ '8', KA_NONE, "recv", SB_CHOSEN, "recv",
	    N_("the chosen side reads (waits for data)") },
	{ '9', KA_NONE, "shutdown wr", SB_CHOSEN, "shutdown",
	    N_("the chosen side stops sending (SHUT_WR)") },
	{ '0', KA_NONE, "close", SB_CHOSEN, "close",
	    N_("the chosen side closes its socket") },
	{ 0, KA_SB_UDP, "socket udp", SB_CHOSEN, "UDP",
	    N_("a UDP socket (SOCK_DGRAM) for the chosen side") },
	{ 0, KA_SB_IPV6, "socket ipv6", SB_CHOSEN, "IPv6",
	    N_("an IPv6 socket (AF_INET6) for the chosen side") },
};

#define SB_NKEYS (sizeof sb_keys / sizeof sb_keys[0])

/* The key of call k, written into buf. */
static const char *
sb_key_name(const struct sb_key *k, char *buf, size_t len)
{
	int key;

	if (k->digit != 0) {
		snprintf(buf, len, "%c", k->digit);
		return buf;
	}
	if (keys_of(KS_SANDBOX, k->act, &key, 1) == 0)
		return "";
	return ui_key_name(key, buf, len);
}

/* What each side says when it sends: an order and its answer, as the
 * bar's protocol has them (one line each).  Never translated: these are
 * bytes on the wire. */
#define SB_ORDER "espresso\\n"
#define SB_ANSWER "one espresso, coming up\\n"

static const char *
side_word(enum lab_side side)
{
	return side == LAB_SERVER ? _("the bartender") : _("the customer");
}

static const char *
side_Word(enum lab_side side)
{
	return side == LAB_SERVER ? _("The bartender") : _("The customer");
}

static void
clear_log(struct ui *ui)
{
	tutor_log_clear(&ui->log);
}

struct sandbox *
ui_sandbox_new(void)
{
	struct sandbox *sb = xcalloc(1, sizeof *sb);

	sandbox_clear(sb);
	return sb;
}

void
ui_sandbox_free(struct sandbox *sb)
{
	free(sb);
}

void
ui_sandbox_enter(struct ui *ui)
{
	ui->in_sandbox = true;
	ui->screen = UI_MAIN;
	ui->status = UI_ST_NONE;
	sandbox_enter(ui->sb);
	ui_text_enter_step(ui);
	ui->visit++;
	ui->have_base = false;
	clear_log(ui);
	if (ui->lab != NULL) {
		/* The sandbox counts as a lesson after the last: what the
		 * lessons left shows apart. */
		lab_set_lesson(ui->lab, (int)ui->app->nlessons + 1);
		ui_lab_reset(ui);
	}
	memset(&ui->snap, 0, sizeof ui->snap);
	ui_save(ui);
}

void
ui_sandbox_event(struct ui *ui, const struct lab_event *ev)
{
	if (sandbox_event(ui->sb, ev)) {
		/* A clean start: the log starts again too. */
		clear_log(ui);
		ui->snap = ev->snap;
	}
}

static void
post(struct ui *ui, const struct sb_key *k)
{
	struct sandbox *sb = ui->sb;
	enum lab_side side = k->side == SB_CHOSEN ? sb->side :
	    (enum lab_side)k->side;
	const char *who = side == LAB_SERVER ? "server" : "client";
	struct lab_cmd cmd;
	char text[160], *cause = NULL;

	if (ui->lab == NULL)
		return;
	if (sandbox_busy(sb, side))
		return;
	if (strcmp(k->cmd, "send") == 0)
		snprintf(text, sizeof text, "%s send %s", who,
		    side == LAB_SERVER ? SB_ANSWER : SB_ORDER);
	else
		snprintf(text, sizeof text, "%s %s", who, k->cmd);
	if (lab_cmd_parse(text, &cmd, &cause) == -1) {
		/* The table above is ours: a command it cannot parse is a
		 * bug, shown rather than hidden. */
		ui_status(ui, UI_ST_NO_LAB, "%.60s: %.90s", text,
		    cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	/* Each call is a little step of its own: what it changes is
	 * marked, and its log lines stand out. */
	ui->visit++;
	ui->base = ui->snap;
	ui->have_base = true;
	sb->note = SANDBOX_NONE;
	ui_lab_post(ui, &cmd, false);
}

static void
reset(struct ui *ui)
{
	sandbox_clear(ui->sb);
	ui->visit++;
	ui->have_base = false;
	clear_log(ui);
	if (ui->lab != NULL)
		ui_lab_reset(ui);
}

bool
ui_sandbox_key(struct ui *ui, enum key_action act, int key)
{
	size_t i;

	if (act == KA_SIDE) {
		sandbox_switch(ui->sb);
		return true;
	}
	if (act == KA_RESET) {
		reset(ui);
		return true;
	}
	for (i = 0; i < SB_NKEYS; i++)
		if (act == KA_DIGIT ? sb_keys[i].digit == key :
		    sb_keys[i].digit == 0 && sb_keys[i].act == act) {
			post(ui, &sb_keys[i]);
			return true;
		}
	return false;
}

void
ui_sandbox_help(struct ui_lines *L, int width, int kw)
{
	size_t i;

	for (i = 0; i < SB_NKEYS; i++) {
		char key[16], keys[60], line[400];
		const char *cmd = sb_keys[i].cmd;

		/* The key and the call's name, the command's first word. */
		snprintf(keys, sizeof keys, "%s  %.*s", sb_key_name(&sb_keys[i],
		    key, sizeof key), (int)strcspn(cmd, " "), cmd);
		ui_help_keys_cell(line, sizeof line, keys, kw);
		ui_lines_add(L, _(sb_keys[i].what), width, 0, line, A_NORMAL);
	}
}

/* The sentence the sandbox adds to the latest result, or "". */
/* The port the kernel picked for a listen() with no bind() first. */
static void
note_picked_port(const struct sandbox *sb, char *buf, size_t len)
{
	const struct lab_addr *a = &sb->note_addr;
	char addr[80];

	lab_format_addr(a, addr, sizeof addr);
	if (strcmp(a->host, "0.0.0.0") == 0 || strcmp(a->host, "::") == 0)
		snprintf(buf, len, _("No bind() came first, so the "
		    "kernel bound the bartender to a free port on every "
		    "address of this machine: %s. That means other "
		    "computers on the network can reach him too, not "
		    "only programs on this one. Customers must also be "
		    "told the port; that is why servers bind a known "
		    "address and port."), addr);
	else
		snprintf(buf, len, _("No bind() came first, so the "
		    "kernel picked a free port for the bartender: %s. "
		    "Customers must be told this port; that is why "
		    "servers bind a known one."), addr);
}

/* Who holds the port a bind() wanted. */
static void
note_held(const struct sandbox *sb, char *buf, size_t len)
{
	if (!sb->note_held)
		snprintf(buf, len, _("Nothing in this lab holds port %u: "
		    "another program on this machine does (ss -tlnp "
		    "shows which)."), sb->note_port);
	else if (sb->note_fd < 0)
		snprintf(buf, len, _("A closed connection, in %1$s "
		    "with no descriptor, still holds port %2$u."),
		    lab_tcp_name(sb->note_state), sb->note_port);
	else
		snprintf(buf, len, _("Here it is fd %1$d, in %2$s: a "
		    "connection of the old listening socket still holds "
		    "port %3$u."), sb->note_fd,
		    lab_tcp_name(sb->note_state), sb->note_port);
}

/* A call on a side with no socket: which side to choose first. */
static void
note_no_socket(const struct sandbox *sb, char *buf, size_t len)
{
	/* 1 makes a socket on the side chosen with s: connect (6)
	 * is the customer's whichever side is chosen. */
	if (sb->note_side != sb->side && sb->note_side == LAB_CLIENT)
		snprintf(buf, len, "%s", _("The customer has no socket "
		    "for this call yet. Press s to choose the "
		    "customer's side, then 1 (socket): 1 makes a socket "
		    "on the side chosen."));
	else if (sb->note_side != sb->side)
		snprintf(buf, len, "%s", _("The bartender has no socket "
		    "for this call yet. Press s to choose the "
		    "bartender's side, then 1 (socket): 1 makes a "
		    "socket on the side chosen."));
	else
		snprintf(buf, len, _("%s has no socket for this call "
		    "yet: create one with 1 (socket)."),
		    side_Word(sb->note_side));
}

/* A second connect() on a socket whose first failed. */
static void
note_connect_again(const struct sandbox *sb, char *buf, size_t len)
{
	/* POSIX leaves a socket's state unspecified after a failed
	 * connect(); Linux keeps it half-way, and a second connect()
	 * finds it so. */
	if (sb->side == LAB_CLIENT)
		snprintf(buf, len, "%s", _("This socket has already "
		    "tried to connect, and failed. A socket whose "
		    "connect() failed is spent: Linux answers a second "
		    "connect() on it with ECONNABORTED. Make a new "
		    "socket (1) and connect (6) once the bartender "
		    "listens."));
	else
		snprintf(buf, len, "%s", _("This socket has already "
		    "tried to connect, and failed. A socket whose "
		    "connect() failed is spent: Linux answers a second "
		    "connect() on it with ECONNABORTED. Make a new "
		    "socket for the customer (s, then 1) and connect "
		    "(6) once the bartender listens."));
}

static void
note_text(struct ui *ui, char *buf, size_t len)
{
	const struct sandbox *sb = ui->sb;

	buf[0] = '\0';
	switch (sb->note) {
	case SANDBOX_PICKED_PORT:
		note_picked_port(sb, buf, len);
		break;
	case SANDBOX_REPLACED:
		snprintf(buf, len, _("This lab keeps one listening socket: "
		    "the new socket replaced the old one (fd %d), which was "
		    "closed. Connections it accepted stay open, and still "
		    "hold its port."), sb->note_fd);
		break;
	case SANDBOX_HELD:
		note_held(sb, buf, len);
		break;
	case SANDBOX_NO_SOCKET:
		note_no_socket(sb, buf, len);
		break;
	case SANDBOX_CONNECT_AGAIN:
		note_connect_again(sb, buf, len);
		break;
	case SANDBOX_NO_CONN:
		snprintf(buf, len, "%s", _("The bartender has no connection "
		    "to talk on yet: the customer connects (6) and the "
		    "bartender takes the connection with accept() (5)."));
		break;
	case SANDBOX_NEVER_CONNECTED:
		snprintf(buf, len, "%s", _("This socket was never connected: "
		    "Linux answers send() on it with EPIPE too. Connect "
		    "first."));
		break;
	case SANDBOX_CONNECT_FAILED:
		snprintf(buf, len, "%s", _("Its connect() failed, so this "
		    "socket was never connected: this 0 is not the end of a "
		    "conversation. Linux answers recv() with 0 on a socket "
		    "whose connect() failed. Make a new socket (1) and "
		    "connect (6) once the bartender listens."));
		break;
	case SANDBOX_BUSY:
		/* TRANSLATORS: %1$s is "the bartender" or "the customer",
		 * %2$s a call name such as recv. */
		snprintf(buf, len, _("Busy: %1$s waits in %2$s() and cannot "
		    "make another call until it returns. Give it what it "
		    "waits for from the other side, or press r to start "
		    "again."), side_word(sb->note_side),
		    lab_call_name(sb->blocked_call[sb->note_side]));
		break;
	case SANDBOX_CLEAN:
		snprintf(buf, len, "%s", _("A clean lab: every socket of the "
		    "sandbox was closed. Start again with 1 (socket)."));
		break;
	case SANDBOX_NONE:
		break;
	}
}

void
ui_sandbox_draw(struct ui *ui, WINDOW *w)
{
	const struct sandbox *sb = ui->sb;
	struct ui_lines L = { 0 };
	int h = getmaxy(w), width = getmaxx(w) - 2;
	char line[1024], call[200];
	int i;

	werase(w);
	ui_lines_add(&L, _("Sandbox: make the calls yourself, in any order"),
	    width, 0, NULL, ui_look(ui, UI_L_HEAD));
	if (!sb->have_last && sb->note == SANDBOX_NONE) {
		ui_lines_add(&L, _("Each key below makes one real call, on "
		    "the bartender's side or the customer's, and the lab shows "
		    "what the kernel answered. Nothing is scripted: try "
		    "connect() before anyone listens, recv() on a socket that "
		    "is not connected, or listen() without bind()."), width, 0,
		    NULL, A_NORMAL);
	}
	if (sb->have_last) {
		bool bad = sb->last.kind == LAB_EV_CALL && sb->last.ret == -1;

		lab_format_call(&sb->last, call, sizeof call);
		ui_lines_add(&L, call, width, 0, "> ", A_BOLD);
		/* The note on a second connect() says what the generic
		 * words on ECONNABORTED cannot, in their place. */
		if (sb->note != SANDBOX_CONNECT_AGAIN) {
			narrate_event(&sb->last, line, sizeof line);
			ui_lines_add(&L, line, width, 2, NULL, bad ?
			    ui_look(ui, UI_L_BAD) : ui_look(ui, UI_L_GOOD));
		}
	}
	note_text(ui, line, sizeof line);
	if (line[0] != '\0')
		ui_lines_add(&L, line, width, 2, NULL, ui_look(ui, UI_L_KEY));
	for (i = 0; i < 2; i++) {
		if (!sb->blocked[i] || (sb->have_last &&
		    sb->last.kind == LAB_EV_BLOCKED && (int)sb->last.side == i) ||
		    (sb->note == SANDBOX_BUSY && (int)sb->note_side == i))
			continue;
		snprintf(line, sizeof line, _("%1$s is still waiting in "
		    "%2$s()."), side_Word((enum lab_side)i),
		    lab_call_name(sb->blocked_call[i]));
		ui_lines_add(&L, line, width, 2, NULL, ui_look(ui, UI_L_DIM));
	}
	ui_lines_draw(w, 0, 1, h, width, &L, 0);
	if ((int)L.n > h) {
		wattrset(w, ui_look(ui, UI_L_KEY));
		mvwaddstr(w, h - 1, getmaxx(w) - 1, "v");
		wattrset(w, A_NORMAL);
	}
	ui_lines_free(&L);
}

/* " 2 setsockopt  3 bind": the keys of the calls made on side (or on
 * the chosen side), each with its word. */
static const char *
call_keys(int side, char *buf, size_t len)
{
	size_t i, used = 0;
	char key[16];

	buf[0] = '\0';
	for (i = 0; i < SB_NKEYS && used < len; i++)
		if (sb_keys[i].side == side)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s %s", used > 0 ? "  " : " ",
			    sb_key_name(&sb_keys[i], key, sizeof key),
			    sb_keys[i].tag);
	return buf;
}

void
ui_sandbox_keys_draw(struct ui *ui, WINDOW *w)
{
	struct ui_lines L = { 0 };
	int h = getmaxy(w), width = getmaxx(w) - 2;
	char line[400], calls[200], calls2[200];

	werase(w);
	/* TRANSLATORS: %s is "the bartender" or "the customer". */
	snprintf(line, sizeof line, _("Your calls (s: side, now %s; r: "
	    "start again)"), side_word(ui->sb->side));
	ui_lines_add(&L, line, width, 0, NULL, ui_look(ui, UI_L_HEAD));
	/* Call names are C and never translated; only the labels are. */
	snprintf(line, sizeof line, "%s%s    %s%s", _("Bartender:"),
	    call_keys(LAB_SERVER, calls, sizeof calls), _("Customer:"),
	    call_keys(LAB_CLIENT, calls2, sizeof calls2));
	ui_lines_add(&L, line, width, 1, NULL, A_NORMAL);
	snprintf(line, sizeof line, "%s%s", ui->sb->side == LAB_SERVER ?
	    _("Bartender's side:") : _("Customer's side:"),
	    call_keys(SB_CHOSEN, calls, sizeof calls));
	ui_lines_add(&L, line, width, 1, NULL, ui_look(ui,
	    ui->sb->side == LAB_SERVER ? UI_L_SERVER : UI_L_CLIENT));
	ui_lines_draw(w, 0, 0, h, width, &L, 0);
	ui_lines_free(&L);
}

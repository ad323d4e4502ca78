/* ui_help.c - the help screen: every key and what it does, then a few
 * words on what the screen shows.  The table holds msgids (N_) that are
 * translated while drawing. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui_priv.h"

#define KEY_ESC 27

static const struct {
	const char *keys;	/* translated only where a key has a name */
	const char *what;
} help_keys[] = {
	/* TRANSLATORS: key names as printed on a keyboard in your
	 * language; keep the letters. */
	{ N_("Right  Space  n"), N_("next step") },
	{ N_("Left  p  Backspace"), N_("previous step (the lab redoes the "
	    "earlier steps for real)") },
	{ "l", N_("switch between English and Italian, keeping your "
	    "place") },
	{ "g", N_("the lesson menu") },
	{ N_("PgUp  PgDn"), N_("scroll the lesson text (in lecture mode: "
	    "previous and next step)") },
	{ "1-9", N_("answer the step's question") },
	{ N_("Enter"), N_("type into the step's port field") },
	{ "a", N_("type the answer to the step's question") },
	{ "h", N_("show or hide the step's hints") },
	{ "c", N_("at the exercise with your own server: the lab's customer "
	    "checks it") },
	{ "v", N_("the step's whole code on a screen of its own: the shell "
	    "commands, C and Python (v or Esc closes it)") },
	{ "t", N_("when the code pane shows one language, show the other") },
	{ "f", N_("save the step's whole program in the current directory, "
	    "under a new name if the name is taken (never overwrites)") },
	{ "b", N_("open the lab: it grows to show every socket, the text "
	    "gives way; b again closes it") },
	{ "w", N_("the whole log on a screen of its own, every call and "
	    "sentence in full") },
	{ "x", N_("show or hide the packets: the real TCP segments of the "
	    "lab's own network, as arrows between the bartender and the "
	    "customer (below 30 rows, in the lab's place)") },
	{ "o", N_("save the packets captured so far as a pcap file in the "
	    "current directory, for Wireshark or tcpdump (never "
	    "overwrites)") },
	{ "r", N_("in lecture mode: show or hide the right answer beside "
	    "the class's votes") },
	{ "i", N_("in lecture mode: show the guests' addresses instead of "
	    "their numbers, or hide them again") },
	{ "k", N_("guests wait: keep the lesson's own pair away from other "
	    "programs (on the lab's private network where there is one, "
	    "else accept() sets guests aside unserved); k again lets them "
	    "in") },
	{ "Esc", N_("close the menu, the help or an input field") },
	{ "?", N_("this help") },
	{ "q  Ctrl-C", N_("quit (your place is saved)") },
};

/* The sandbox's keys (ui_sandbox.c); call names are C, untranslated. */
static const struct {
	const char *keys;
	const char *what;
} help_sandbox[] = {
	{ "s", N_("choose the side: the bartender or the customer") },
	{ "1  socket", N_("a new socket for the chosen side") },
	{ "2  setsockopt", N_("SO_REUSEADDR on the bartender's socket") },
	{ "3  bind", N_("the bartender binds the lab's address and port") },
	{ "4  listen", N_("the bartender listens") },
	{ "5  accept", N_("the bartender takes a connection (waits for "
	    "one)") },
	{ "6  connect", N_("the customer connects to the bartender") },
	{ "7  send", N_("the chosen side sends a line") },
	{ "8  recv", N_("the chosen side reads (waits for data)") },
	{ "9  shutdown", N_("the chosen side stops sending (SHUT_WR)") },
	{ "0  close", N_("the chosen side closes its socket") },
	{ "u  socket", N_("a UDP socket (SOCK_DGRAM) for the chosen side") },
	{ "v  socket", N_("an IPv6 socket (AF_INET6) for the chosen side") },
	{ "r", N_("start again with a clean lab") },
};

static const char *const help_text[] = {
	N_("While you read, the program really does what the step "
	    "describes: a bartender (the server) and a customer (the "
	    "client) make real socket calls on this machine."),
	N_("The lab shows each socket as the kernel reports it: its "
	    "descriptor, its TCP state, its addresses, the accept queue "
	    "and the bytes waiting. What changed at this step is marked "
	    "with a star."),
	N_("The log lists the real calls in C syntax with their results. "
	    "You can connect to the bartender from another terminal, for "
	    "example with nc, and watch yourself arrive."),
	N_("The title bar says where the lab runs. \"lab net\": its own "
	    "private network, where nobody else comes in and every packet "
	    "is shown. \"this PC\": this computer's loopback, where your "
	    "own nc reaches the bartender and no packets are shown; the "
	    "steps that invite you in run there."),
};

/* The keys column, padded to kw display columns (key names may hold
 * accents or arrows, wider in bytes than on screen). */
static void
keys_cell(char *line, size_t len, const char *keys, int kw)
{
	int pad = kw - ui_width(keys);

	snprintf(line, len, "%s%*s", keys, pad > 0 ? pad : 1, "");
}

/* The keys of the lessons' screen. */
static void
lesson_keys(struct ui_lines *L, int W, int kw)
{
	size_t i;

	for (i = 0; i < sizeof help_keys / sizeof help_keys[0]; i++) {
		char line[400];

		keys_cell(line, sizeof line, _(help_keys[i].keys), kw);
		ui_lines_add(L, _(help_keys[i].what), W, 0, line, A_NORMAL);
	}
}

/* The sandbox's keys, under their heading. */
static void
sandbox_keys(struct ui *ui, struct ui_lines *L, int W, int kw)
{
	size_t i;

	ui_lines_add(L, _("In the sandbox (the last entry of the lesson "
	    "menu, or --lesson=sandbox):"), W, 0, NULL, ui_look(ui,
	    UI_L_HEAD));
	for (i = 0; i < sizeof help_sandbox / sizeof help_sandbox[0]; i++) {
		char line[400];

		keys_cell(line, sizeof line, help_sandbox[i].keys, kw);
		ui_lines_add(L, _(help_sandbox[i].what), W, 0, line, A_NORMAL);
	}
}

void
ui_help_draw(struct ui *ui, WINDOW *w)
{
	struct ui_lines L = { 0 };
	int H = getmaxy(w), W = getmaxx(w) - 4, kw = 20;
	size_t i;

	/* The keys of the screen the help was opened from come first. */
	if (ui->in_sandbox) {
		sandbox_keys(ui, &L, W, kw);
		ui_lines_blank(&L);
		lesson_keys(&L, W, kw);
	} else {
		lesson_keys(&L, W, kw);
		ui_lines_blank(&L);
		sandbox_keys(ui, &L, W, kw);
	}
	for (i = 0; i < sizeof help_text / sizeof help_text[0]; i++) {
		ui_lines_blank(&L);
		ui_lines_add(&L, _(help_text[i]), W, 0, NULL, A_NORMAL);
	}
	if (ui->help_scroll > (int)L.n - (H - 2))
		ui->help_scroll = (int)L.n - (H - 2);
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	wattrset(w, ui_look(ui, UI_L_HEAD));
	ui_put(w, 0, 2, W, _("Help: the keys"));
	wattrset(w, A_NORMAL);
	ui_lines_draw(w, 2, 2, H - 2, W, &L, ui->help_scroll);
	ui_lines_free(&L);
}

bool
ui_help_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key) {
		if (ch == KEY_DOWN || ch == KEY_NPAGE)
			ui->help_scroll += ch == KEY_DOWN ? 1 : 5;
		else if (ch == KEY_UP || ch == KEY_PPAGE)
			ui->help_scroll -= ch == KEY_UP ? 1 : 5;
		else
			return false;
		return true;
	}
	if (ch == KEY_ESC || ch == L'?') {
		ui->screen = UI_MAIN;
		return true;
	}
	return false;
}

/* keys.c - the one key table (see keys.h): every key of every screen,
 * and the help screen's rows in the order the help shows them.  The
 * strings are msgids, marked for xgettext and translated by the UI. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "keys.h"

#define N_(s) (s)	/* a msgid: xgettext finds it, the UI translates */

#define S(x) (1u << (x))
#define STEP (S(KS_LESSON) | S(KS_LECTURE))
#define WORK (STEP | S(KS_SANDBOX))
#define VIEWS (S(KS_CODE) | S(KS_LOG))
#define ALL ((1u << KS_NSCREENS) - 1)

static const struct key_binding table[] = {
	{ 'q', ALL, KA_QUIT, true },
	{ KC_CTRL_C, ALL, KA_QUIT, false },
	{ 'l', ALL, KA_LANG, false },
	/* Moving through the steps; PgDn/PgUp are a remote's, and step
	 * in the lecture. */
	{ KC_RIGHT, STEP, KA_NEXT, true },
	{ ' ', STEP, KA_NEXT, false },
	{ 'n', STEP, KA_NEXT, false },
	{ KC_PGDN, S(KS_LECTURE), KA_NEXT, true },
	{ KC_LEFT, STEP, KA_PREV, true },
	{ 'p', STEP, KA_PREV, false },
	{ KC_BACKSPACE, STEP, KA_PREV, false },
	{ KC_PGUP, S(KS_LECTURE), KA_PREV, true },
	/* Scrolling. */
	{ KC_PGDN, S(KS_LESSON) | S(KS_HELP) | VIEWS, KA_PAGE_DOWN, true },
	{ ' ', VIEWS, KA_PAGE_DOWN, false },
	{ KC_PGUP, S(KS_LESSON) | S(KS_HELP) | VIEWS, KA_PAGE_UP, true },
	{ KC_DOWN, STEP | S(KS_MENU) | S(KS_HELP) | VIEWS, KA_LINE_DOWN, true },
	{ 'j', S(KS_MENU), KA_LINE_DOWN, false },
	{ KC_UP, STEP | S(KS_MENU) | S(KS_HELP) | VIEWS, KA_LINE_UP, true },
	{ 'k', S(KS_MENU), KA_LINE_UP, false },
	{ KC_HOME, S(KS_MENU) | VIEWS, KA_TOP, false },
	{ KC_END, S(KS_MENU) | VIEWS, KA_BOTTOM, false },
	/* Opening and closing. */
	{ KC_ENTER, STEP | S(KS_MENU), KA_ENTER, true },
	{ KC_ESC, ALL & ~S(KS_SANDBOX), KA_CLOSE, true },
	{ 'g', S(KS_MENU), KA_CLOSE, false },
	{ '?', S(KS_HELP), KA_CLOSE, false },
	{ 'v', S(KS_CODE), KA_CLOSE, true },
	{ 'w', S(KS_LOG), KA_CLOSE, true },
	{ KC_ENTER, VIEWS, KA_CLOSE, false },
	{ 'g', WORK, KA_MENU, true },
	{ '?', WORK, KA_HELP, true },
	/* The step's own keys. */
	{ 'a', STEP, KA_ANSWER, false },
	{ 'h', STEP, KA_HINTS, false },
	{ 'c', STEP, KA_CHECK, false },
	{ 'v', STEP, KA_CODE, false },
	{ 't', STEP, KA_CODE_OTHER, false },
	{ 'f', STEP | S(KS_CODE), KA_SAVE, false },
	{ 'b', S(KS_LESSON), KA_LAB, false },
	{ 'b', S(KS_LECTURE), KA_BLANK, false },
	{ '.', S(KS_LECTURE), KA_BLANK, false },
	{ 'w', STEP, KA_LOG, false },
	{ 'x', STEP, KA_WIRE, false },
	{ 'o', STEP, KA_WIRE_SAVE, false },
	{ 'r', S(KS_LECTURE), KA_REVEAL, false },
	{ 'i', S(KS_LECTURE), KA_ADDRS, false },
	{ 'k', STEP, KA_GUESTS, false },
	/* The sandbox's; its calls are digits, and two letters. */
	{ 's', S(KS_SANDBOX), KA_SIDE, false },
	{ 'r', S(KS_SANDBOX), KA_RESET, false },
	{ 'u', S(KS_SANDBOX), KA_SB_UDP, false },
	{ 'e', S(KS_SANDBOX), KA_SB_IPV6, false },
};

static const struct key_help help[] = {
	{ STEP, KA_NEXT, KA_NONE, N_("next step") },
	{ STEP, KA_PREV, KA_NONE, N_("previous step (the lab redoes the "
	    "earlier steps for real)") },
	{ S(KS_SANDBOX), KA_SIDE, KA_NONE, N_("choose the side: the "
	    "bartender or the customer") },
	{ S(KS_SANDBOX), KA_DIGIT, KA_NONE, NULL },	/* the calls */
	{ S(KS_SANDBOX), KA_RESET, KA_NONE, N_("start again with a clean "
	    "lab") },
	{ WORK, KA_LANG, KA_NONE, N_("switch between English and Italian, "
	    "keeping your place") },
	{ WORK, KA_MENU, KA_NONE, N_("the lesson menu") },
	{ S(KS_LESSON), KA_PAGE_UP, KA_PAGE_DOWN, N_("scroll the lesson text "
	    "(in lecture mode: previous and next step)") },
	{ STEP, KA_LINE_UP, KA_LINE_DOWN, N_("scroll the lesson text by one "
	    "line") },
	{ STEP, KA_DIGIT, KA_NONE, N_("answer the step's question") },
	{ STEP, KA_ENTER, KA_NONE, N_("type into the step's port field") },
	{ STEP, KA_ANSWER, KA_NONE, N_("type the answer to the step's "
	    "question") },
	{ STEP, KA_HINTS, KA_NONE, N_("show or hide the step's hints") },
	{ STEP, KA_CHECK, KA_NONE, N_("at the exercise with your own server: "
	    "the lab's customer checks it") },
	{ STEP, KA_CODE, KA_NONE, N_("the step's whole code on a screen of its "
	    "own: the shell commands, C and Python (v or Esc closes it)") },
	{ STEP, KA_CODE_OTHER, KA_NONE, N_("when the code pane shows one "
	    "language, show the other") },
	{ STEP, KA_SAVE, KA_NONE, N_("save the step's whole program in the "
	    "current directory, under a new name if the name is taken (never "
	    "overwrites)") },
	{ STEP, KA_LAB, KA_NONE, N_("open the lab: it grows to show every "
	    "socket, the text gives way; b again closes it") },
	{ STEP, KA_BLANK, KA_NONE, N_("in lecture mode: a black screen, as "
	    "a presenter's remote asks for; any key brings the step back") },
	{ STEP, KA_LOG, KA_NONE, N_("the whole log on a screen of its own, "
	    "every call and sentence in full") },
	{ STEP, KA_WIRE, KA_NONE, N_("show or hide the packets: the real TCP "
	    "segments of the lab's own network, as arrows between the "
	    "bartender and the customer (below 30 rows, in the lab's "
	    "place)") },
	{ STEP, KA_WIRE_SAVE, KA_NONE, N_("save the packets captured so far as "
	    "a pcap file in the current directory, for Wireshark or tcpdump "
	    "(never overwrites)") },
	{ STEP, KA_REVEAL, KA_NONE, N_("in lecture mode: show or hide the "
	    "right answer beside the class's votes") },
	{ STEP, KA_ADDRS, KA_NONE, N_("in lecture mode: show the guests' "
	    "addresses instead of their numbers, or hide them again") },
	{ STEP, KA_GUESTS, KA_NONE, N_("guests wait: keep the lesson's own "
	    "pair away from other programs (on the lab's private network "
	    "where there is one, else accept() sets guests aside unserved); "
	    "k again lets them in") },
	{ STEP, KA_CLOSE, KA_NONE, N_("close the menu, the help or an input "
	    "field") },
	{ WORK, KA_HELP, KA_NONE, N_("this help") },
	{ WORK, KA_QUIT, KA_NONE, N_("quit (your place is saved)") },
};

enum key_action
keys_action(enum keys_screen screen, int key)
{
	size_t i;

	if (key >= '0' && key <= '9')
		return KA_DIGIT;
	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].key == key && (table[i].screens & S(screen)))
			return table[i].action;
	return KA_NONE;
}

size_t
keys_of(enum keys_screen screen, enum key_action action, int *out,
    size_t max)
{
	return keys_find(screen, action, false, out, max);
}

size_t
keys_find(enum keys_screen screen, enum key_action action, bool foot,
    int *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].action == action && (!foot || table[i].foot) &&
		    (table[i].screens & S(screen))) {
			if (n < max)
				out[n] = table[i].key;
			n++;
		}
	return n;
}

const char *
keys_name(int key, char *buf, size_t len)
{
	/* TRANSLATORS: the names of keys, as printed on a keyboard in
	 * your language (or arrows).  Esc, Backspace and Ctrl-C are the
	 * same in every language: not marked. */
	static const char *const named[] = {
		[KC_ENTER - KC_NAMED] = N_("Enter"),
		[KC_ESC - KC_NAMED] = "Esc",
		[KC_BACKSPACE - KC_NAMED] = "Backspace",
		[KC_CTRL_C - KC_NAMED] = "Ctrl-C",
		[KC_RIGHT - KC_NAMED] = N_("Right"),
		[KC_LEFT - KC_NAMED] = N_("Left"),
		[KC_UP - KC_NAMED] = N_("Up"),
		[KC_DOWN - KC_NAMED] = N_("Down"),
		[KC_PGUP - KC_NAMED] = N_("PgUp"),
		[KC_PGDN - KC_NAMED] = N_("PgDn"),
		[KC_HOME - KC_NAMED] = N_("Home"),
		[KC_END - KC_NAMED] = N_("End"),
	};

	if (key == ' ')
		return N_("Space");
	if (key >= KC_NAMED && key - KC_NAMED <
	    (int)(sizeof named / sizeof named[0]) &&
	    named[key - KC_NAMED] != NULL)
		return named[key - KC_NAMED];
	if (key > ' ' && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "?");
	return buf;
}

const struct key_binding *
keys_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

const struct key_help *
keys_help(size_t *n)
{
	*n = sizeof help / sizeof help[0];
	return help;
}

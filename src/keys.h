/* keys.h - the one key table: which key does what on which screen.  The
 * lesson screen, the lecture (--present), the sandbox and the full-screen
 * views all read their keys here, and the help screen and the footer are
 * written from it, so that a key cannot do one thing and be described as
 * another.  No curses and no gettext: the UI turns curses' key codes into
 * the codes below (keys_code's callers) and translates the names.
 *
 * Digits are never in the table: 1-9 answer a question (in the sandbox
 * they pick a call from its numbered list), so every screen gets them as
 * KA_DIGIT and decides what a number means there.  The lecture's keys
 * are those a presenter's remote sends: PgDn/PgUp, Right/Left, Space,
 * and b or . for a black screen. */
#ifndef SOCKTUTOR_KEYS_H
#define SOCKTUTOR_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* A key: a character (its code point) or one of these named keys, above
 * every code point. */
enum {
	KC_NAMED = 0x110000,
	KC_ENTER = KC_NAMED,	/* Enter, Return, ^J */
	KC_ESC,
	KC_BACKSPACE,		/* Backspace, DEL, ^H */
	KC_CTRL_C,
	KC_RIGHT,
	KC_LEFT,
	KC_UP,
	KC_DOWN,
	KC_PGUP,
	KC_PGDN,
	KC_HOME,
	KC_END,
	KC_RESIZE,
	KC_OTHER,		/* a named key of no use here */
};

/* The byte an Escape key sends, and Ctrl-C's. */
#define KEYS_ESC_BYTE 27
#define KEYS_CTRL_C_BYTE 3

enum keys_screen {
	KS_LESSON,	/* a lesson's step, normal layout */
	KS_LECTURE,	/* a lesson's step, --present */
	KS_SANDBOX,
	KS_MENU,
	KS_HELP,
	KS_CODE,	/* the whole code on a screen of its own */
	KS_LOG,		/* the whole log on a screen of its own */
	KS_NSCREENS
};

enum key_action {
	KA_NONE,
	KA_DIGIT,	/* 0-9: never in the table */
	KA_QUIT,
	KA_LANG,
	KA_NEXT,
	KA_PREV,
	KA_LINE_DOWN,
	KA_LINE_UP,
	KA_PAGE_DOWN,
	KA_PAGE_UP,
	KA_TOP,
	KA_BOTTOM,
	KA_ENTER,	/* open the chosen entry; type into the field */
	KA_CLOSE,
	KA_MENU,
	KA_HELP,
	KA_ANSWER,
	KA_HINTS,
	KA_CHECK,
	KA_CODE,
	KA_CODE_OTHER,
	KA_SAVE,
	KA_LAB,
	KA_BLANK,
	KA_LOG,
	KA_WIRE,
	KA_WIRE_SAVE,
	KA_REVEAL,
	KA_ADDRS,
	KA_GUESTS,
	KA_SIDE,
	KA_RESET,
	KA_SB_UDP,
	KA_SB_IPV6,
	KA_NACTIONS
};

struct key_binding {
	int key;		/* a character or a KC_ code */
	unsigned screens;	/* bit (1u << enum keys_screen) */
	enum key_action action;
	bool foot;		/* named in the footer, not only in the help */
};

/* The action of key on screen; KA_DIGIT for '0'-'9' on every screen,
 * KA_NONE for a key the screen does not use. */
enum key_action keys_action(enum keys_screen screen, int key);

/* The keys of action on screen, in the table's order: at most max of
 * them into out; returns how many there are. */
size_t keys_of(enum keys_screen screen, enum key_action action, int *out,
    size_t max);

/* The same, only the keys the footer names when foot. */
size_t keys_find(enum keys_screen screen, enum key_action action, bool foot,
    int *out, size_t max);

/* A key's name as a msgid ("Right", "PgDn", "Space"; the UI translates
 * it) or, for a character, the character itself written into buf. */
const char *keys_name(int key, char *buf, size_t len);

/* The whole table, for the help screen and the tests. */
const struct key_binding *keys_table(size_t *n);

/* One row of the help screen: the keys of up to two actions (the second
 * KA_NONE when there is one) and what they do, a msgid. */
struct key_help {
	unsigned screens;	/* the screens whose help shows the row */
	enum key_action action, action2;
	const char *what;
};

const struct key_help *keys_help(size_t *n);

#endif

/* door.h - the classroom door: a listening socket of its own, beside the
 * bar, where a class answers the question on the projector from its own
 * terminals (`nc ADDR PORT`).  It is not the bar: the bar's protocol
 * says every line is an order, so votes need a door of their own.
 *
 * The protocol.  A student connects and gets one line saying what to
 * send.  After that every line (ending in '\n'; a '\r' before it and
 * blanks around the number are ignored) is answered with exactly one
 * line:
 *  - a line holding just a choice number, 1 to the question's number of
 *    choices, is a vote: "vote counted";
 *  - anything else (another number, words, an empty line, a line longer
 *    than DOOR_LINE_MAX) gets the help line;
 *  - while no question is open, every line gets the "wait" line.
 * One vote counts per connection, and the latest counts; a vote stays
 * counted when its connection closes (`echo 2 | nc ...` votes).  A new
 * question clears the votes and tells every connection so.
 * Connections never idle out, and they are not the bar's customers.
 * Nothing a student sends is ever echoed back, drawn or stored.
 *
 * Part of the core: no curses, no gettext.  The reply texts are
 * templates handed over by the UI in the current language
 * (door_set_replies); the door fills in the numbers.  The line reader
 * and the replies are pure functions over bytes, for tests and fuzzers;
 * door_new runs the socket side in a thread of its own. */
#ifndef SOCKTUTOR_DOOR_H
#define SOCKTUTOR_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab.h"

#define DOOR_CHOICES_MAX 9	/* choices are typed as one digit, 1-9 */
#define DOOR_LINE_MAX 64	/* a vote is a digit: a longer line is junk,
				 * skipped up to its '\n' and answered once */
#define DOOR_TEMPLATE_MAX 256	/* bytes of a reply template */
#define DOOR_REPLY_MAX 512	/* a filled-in reply, '\n' included */
#define DOOR_CONN_MAX 512	/* students connected at once by default:
				 * each holds a descriptor */

/* The reply templates.  In each, "{n}" stands for the question's number
 * of choices and "{vote}" for the choice just counted. */
enum door_reply {
	DOOR_REPLY_COUNTED,	/* a vote was counted */
	DOOR_REPLY_HELP,	/* on arrival, on a new question, after junk */
	DOOR_REPLY_WAIT,	/* no question is open */
	DOOR_REPLY_FULL,	/* too many connections: goodbye */
	DOOR_REPLY_COUNT
};

/* The line reader of one connection.  Zero it with door_reader_init. */
struct door_reader {
	size_t len;		/* bytes of the current line so far */
	size_t keptlen;		/* bytes of it in kept */
	char kept[DOOR_LINE_MAX];
};

void door_reader_init(struct door_reader *r);

/* Consume bytes from *in (advancing *in and *n) until a line ends.
 * Returns 1 with *choice set to the line's vote (1-9, or 0 when the
 * line is not just a choice number), or 0 when every byte was consumed
 * without a line ending. */
int door_feed(struct door_reader *r, const char **in, size_t *n,
    unsigned *choice);

/* The connection closed: a pending unterminated line counts as a line.
 * Returns 1 with *choice set as door_feed does, 0 when nothing was
 * pending. */
int door_finish(struct door_reader *r, unsigned *choice);

/* The vote in one line of n bytes (no '\n'): 1-9 when the line holds
 * one digit 1-9 between optional blanks and a final '\r', else 0. */
unsigned door_choice(const char *line, size_t n);

/* The English template of a reply (what the door says until the UI
 * hands it others). */
const char *door_default_reply(enum door_reply which);

/* Fill in tmpl: "{n}" becomes nchoices and "{vote}" vote; the result
 * goes into buf (NUL-terminated) and ends with '\n'.  A template that
 * is not one line of safe text (util_text_safe) is replaced by
 * fallback.  Returns the length, '\n' included. */
size_t door_format(const char *tmpl, const char *fallback, unsigned vote,
    unsigned nchoices, char *buf, size_t len);

/* What the projector shows: a copy, taken under the door's lock. */
struct door_counts {
	unsigned question;	/* the id door_set_question was last given */
	unsigned nchoices;	/* 0: no question is open */
	unsigned votes[DOOR_CHOICES_MAX];	/* votes[i]: for choice i+1 */
	unsigned voters;	/* the sum of votes */
	unsigned connected;	/* connections open now */
	unsigned turned_away;	/* newcomers closed because it was full */
};

struct door_config {
	const char *addr;	/* numeric IPv4 or IPv6 address */
	uint16_t port;		/* 0: any free port */
	bool fallback;		/* when port is taken, take any free one */
	unsigned max_conns;	/* 0: DOOR_CONN_MAX */
};

struct door;

/* Bind and listen, and start the door's thread.  Returns NULL with
 * *cause (malloc'd) set when the address cannot be had. */
struct door *door_new(const struct door_config *cfg, char **cause);

/* Stop the thread and close every connection.  NULL-safe. */
void door_free(struct door *door);

/* The address the door listens on; port is the real one. */
void door_addr(const struct door *door, struct lab_addr *out);

/* True when the wanted port was taken and the door took another. */
bool door_fell_back(const struct door *door);

/* Open a question of nchoices choices (0 closes it) under the UI's id.
 * A different id or number of choices clears the votes and tells every
 * connection; the same ones change nothing. */
void door_set_question(struct door *door, unsigned nchoices, unsigned id);

/* Replace the reply templates (tmpl[DOOR_REPLY_COUNT]; NULL keeps the
 * one there).  Templates are copied; bad ones fall back to English. */
void door_set_replies(struct door *door, const char *const *tmpl);

/* Copy the counts. */
void door_counts(struct door *door, struct door_counts *out);

/* A descriptor that is readable after the counts changed.  Reading it
 * (8 bytes, as an eventfd) clears it; door_counts does not. */
int door_wake_fd(const struct door *door);

#endif

/* exercise.c - deciding, from the lab's events alone, when a live
 * exercise is done.  Nothing here trusts the learner's word: an order
 * must really reach the bartender from another program, and the
 * learner's own server must really answer the lab's customer.
 *
 * Guests' orders arrive escaped (util_escape) without their line end, so
 * an exact text is compared in that form; the texts an exercise may ask
 * for contain nothing that escaping would change. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "util.h"

static bool
plain_word(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 40)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '\\' || s[i] == '"')
			return false;
	return true;
}

int
exercise_init(struct exercise *ex, const char *id, const char *arg,
    char **cause)
{
	memset(ex, 0, sizeof *ex);
	if (strcmp(id, "order-a-drink") == 0) {
		ex->kind = EXERCISE_ORDER_A_DRINK;
		if (arg != NULL) {
			*cause = xstrdup("'order-a-drink' takes no argument");
			return -1;
		}
	} else if (strcmp(id, "client-sends") == 0) {
		ex->kind = EXERCISE_CLIENT_SENDS;
		if (arg == NULL || !plain_word(arg)) {
			*cause = xstrdup("expected 'client-sends WORD': the "
			    "exact order, 1 to 40 printable characters "
			    "without blanks, quotes or backslashes");
			return -1;
		}
		snprintf(ex->text, sizeof ex->text, "%s", arg);
	} else if (strcmp(id, "own-server") == 0) {
		long v;

		ex->kind = EXERCISE_OWN_SERVER;
		if (arg == NULL ||
		    util_parse_num(arg, (size_t)-1, 1, 65535, &v) == -1) {
			*cause = xstrdup("expected 'own-server PORT', a port "
			    "from 1 to 65535");
			return -1;
		}
		ex->port = (unsigned)v;
	} else {
		*cause = xasprintf("unknown exercise '%s' (expected "
		    "order-a-drink, client-sends or own-server)", id);
		return -1;
	}
	snprintf(ex->id, sizeof ex->id, "%s", id);
	ex->state = EXERCISE_WAITING;
	return 0;
}

static bool
set_state(struct exercise *ex, enum exercise_state st, enum exercise_why why,
    int err)
{
	ex->state = st;
	ex->why = why;
	ex->err = err;
	return true;
}

/* own-server: follow the lab's customer through one try. */
static bool
own_server_event(struct exercise *ex, const struct lab_event *ev)
{
	if (ex->state != EXERCISE_CHECKING || ev->kind != LAB_EV_CALL ||
	    ev->side != LAB_CLIENT || ev->replay)
		return false;
	switch (ev->call) {
	case LAB_CALL_CONNECT:
		/* A lab that went to the bartender instead has not met the
		 * learner's server at all. */
		if (!ev->has_addr || ev->addr.port != ex->port)
			return set_state(ex, EXERCISE_FAILED,
			    EXERCISE_WHY_ELSEWHERE, 0);
		if (ev->ret == -1)
			return set_state(ex, EXERCISE_FAILED,
			    EXERCISE_WHY_CONNECT, ev->err);
		ex->connected = true;
		return false;
	case LAB_CALL_SEND:
		if (ex->connected && ev->ret == -1)
			return set_state(ex, EXERCISE_FAILED, EXERCISE_WHY_SEND,
			    ev->err);
		return false;
	case LAB_CALL_RECV:
		if (!ex->connected)
			return false;
		if (ev->ret == -1)
			return set_state(ex, EXERCISE_FAILED, EXERCISE_WHY_RECV,
			    ev->err);
		if (ev->ret == 0)
			return set_state(ex, EXERCISE_FAILED,
			    EXERCISE_WHY_CLOSED, 0);
		snprintf(ex->got, sizeof ex->got, "%s", ev->data);
		/* The reply is a line: its end arrived with it. */
		if (strstr(ev->data, "\\n") == NULL)
			return set_state(ex, EXERCISE_FAILED,
			    EXERCISE_WHY_CLOSED, 0);
		return set_state(ex, EXERCISE_DONE, EXERCISE_WHY_NONE, 0);
	default:
		return false;
	}
}

bool
exercise_event(struct exercise *ex, const struct lab_event *ev)
{
	if (ex->state == EXERCISE_DONE)
		return false;
	switch (ex->kind) {
	case EXERCISE_ORDER_A_DRINK:
		if (ev->kind != LAB_EV_GUEST_ORDER)
			return false;
		snprintf(ex->got, sizeof ex->got, "%s", ev->data);
		return set_state(ex, EXERCISE_DONE, EXERCISE_WHY_NONE, 0);
	case EXERCISE_CLIENT_SENDS:
		if (ev->kind != LAB_EV_GUEST_ORDER)
			return false;
		snprintf(ex->got, sizeof ex->got, "%s", ev->data);
		if (strcmp(ev->data, ex->text) != 0)
			return true;	/* the latest try, to show */
		return set_state(ex, EXERCISE_DONE, EXERCISE_WHY_NONE, 0);
	case EXERCISE_OWN_SERVER:
		return own_server_event(ex, ev);
	}
	return false;
}

size_t
exercise_try(struct exercise *ex, unsigned port, struct lab_cmd *out,
    size_t max)
{
	char text[4][64];
	size_t i;

	if (ex->kind != EXERCISE_OWN_SERVER || max < 4 || port < 1 ||
	    port > 65535)
		return 0;
	snprintf(text[0], sizeof text[0], "client socket");
	snprintf(text[1], sizeof text[1], "client connect port=%u", port);
	snprintf(text[2], sizeof text[2], "client send espresso\\n");
	snprintf(text[3], sizeof text[3], "client recv");
	for (i = 0; i < 4; i++) {
		char *cause = NULL;

		if (lab_cmd_parse(text[i], &out[i], &cause) == -1) {
			/* Our own commands: failing to parse is a bug. */
			free(cause);
			return 0;
		}
	}
	if (ex->state != EXERCISE_DONE) {
		ex->state = EXERCISE_CHECKING;
		ex->why = EXERCISE_WHY_NONE;
		ex->err = 0;
	}
	ex->port = port;
	ex->connected = false;
	ex->got[0] = '\0';
	return 4;
}

char *
exercise_progress_id_of(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "ex:%s", id);
	return buf;
}

char *
exercise_progress_id(const struct exercise *ex, char *buf, size_t len)
{
	return exercise_progress_id_of(ex->id, buf, len);
}

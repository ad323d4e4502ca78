/* sandbox.c - the sandbox's bookkeeping (sandbox.h): each event of the
 * lab updates which side waits, the latest call, and the note about it.
 * The note is decided here, from the event and the snapshot it carries,
 * so that the screen only words it and a test can check it without a
 * terminal. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "sandbox.h"

void
sandbox_clear(struct sandbox *sb)
{
	enum lab_side side = sb->side;

	memset(sb, 0, sizeof *sb);
	sb->side = side;
	sb->listener_fd = -1;
	sb->note_fd = -1;
}

void
sandbox_enter(struct sandbox *sb)
{
	sb->side = LAB_SERVER;
	sandbox_clear(sb);
	sb->entering = true;
}

/* The listening socket in a snapshot, or NULL. */
static const struct lab_sock *
find_listener(const struct lab_snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		if (sn->socks[i].role == LAB_ROLE_LISTENER &&
		    sn->socks[i].fd >= 0)
			return &sn->socks[i];
	return NULL;
}

/* A bartender's socket of the lab, other than fd, whose local port is
 * port. */
static const struct lab_sock *
holder(const struct lab_snapshot *sn, int fd, unsigned port)
{
	size_t i;

	for (i = 0; i < sn->n; i++) {
		const struct lab_sock *s = &sn->socks[i];

		if ((s->fd != fd || fd < 0) && s->has_local &&
		    s->local.port == port && s->side == LAB_SERVER)
			return s;
	}
	return NULL;
}

static bool
in_snap(const struct lab_snapshot *sn, unsigned id)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		if (sn->socks[i].id == id)
			return true;
	return false;
}

/* A call that succeeded: what it changes, and the note it is worth. */
static void
call_ok(struct sandbox *sb, const struct lab_event *ev,
    const struct lab_sock *l)
{
	switch (ev->call) {
	case LAB_CALL_SOCKET:
		if (ev->side == LAB_CLIENT) {
			sb->connected = false;
			break;
		}
		if (sb->listener_id != 0 &&
		    !in_snap(&ev->snap, sb->listener_id)) {
			sb->note = SANDBOX_REPLACED;
			sb->note_fd = sb->listener_fd;
		}
		sb->bound = false;
		break;
	case LAB_CALL_CONNECT:
		sb->connected = true;
		break;
	case LAB_CALL_BIND:
		sb->bound = true;
		break;
	case LAB_CALL_LISTEN:
		if (!sb->bound && l != NULL && l->has_local) {
			sb->note = SANDBOX_PICKED_PORT;
			sb->note_addr = l->local;
			sb->bound = true;
		}
		break;
	default:
		break;
	}
}

/* A call that failed, or a recv() that read the end: the note that
 * explains it, if any. */
static void
call_failed(struct sandbox *sb, const struct lab_event *ev)
{
	const struct lab_sock *s;

	if (ev->ret == -1 && ev->err == EBADF && ev->fd < 0) {
		sb->note = ev->side == LAB_SERVER &&
		    (ev->call == LAB_CALL_SEND || ev->call == LAB_CALL_RECV ||
		    ev->call == LAB_CALL_SHUTDOWN) ? SANDBOX_NO_CONN :
		    SANDBOX_NO_SOCKET;
	} else if (ev->call == LAB_CALL_CONNECT && ev->ret == -1 &&
	    ev->err == ECONNABORTED) {
		sb->note = SANDBOX_CONNECT_AGAIN;
	} else if (ev->ret == -1 && ev->err == EPIPE &&
	    ev->side == LAB_CLIENT && !sb->connected) {
		sb->note = SANDBOX_NEVER_CONNECTED;
	} else if (ev->call == LAB_CALL_RECV && ev->ret == 0 &&
	    ev->side == LAB_CLIENT && !sb->connected) {
		/* A fresh socket gets ENOTCONN; 0 comes from one whose
		 * connect() failed. */
		sb->note = SANDBOX_CONNECT_FAILED;
	} else if (ev->ret == -1 && ev->err == EADDRINUSE &&
	    ev->call == LAB_CALL_BIND) {
		sb->note = SANDBOX_HELD;
		sb->note_port = ev->addr.port;
		s = holder(&ev->snap, ev->fd, ev->addr.port);
		sb->note_fd = s != NULL ? s->fd : -1;
		sb->note_state = s != NULL ? s->state : LAB_TCP_UNKNOWN;
		sb->note_held = s != NULL;
	}
}

/* A finished call: remember it and work out what to add about it. */
static void
call_done(struct sandbox *sb, const struct lab_event *ev)
{
	const struct lab_sock *l = find_listener(&ev->snap);
	bool ok = ev->call == LAB_CALL_RECV ? ev->ret > 0 : ev->ret >= 0;

	sb->last = *ev;
	sb->have_last = true;
	sb->note = SANDBOX_NONE;
	sb->note_side = ev->side;
	if (ok)
		call_ok(sb, ev, l);
	else
		call_failed(sb, ev);
	sb->listener_id = l != NULL ? l->id : 0;
	sb->listener_fd = l != NULL ? l->fd : -1;
}

bool
sandbox_event(struct sandbox *sb, const struct lab_event *ev)
{
	bool quiet;

	switch (ev->kind) {
	case LAB_EV_RESET:
		/* The sandbox has no earlier steps to redo: a reset is a
		 * clean start, said unless it was entering's own. */
		quiet = sb->entering;
		sandbox_clear(sb);
		sb->note = quiet ? SANDBOX_NONE : SANDBOX_CLEAN;
		return true;
	case LAB_EV_BLOCKED:
		sb->blocked[ev->side] = true;
		sb->blocked_call[ev->side] = ev->call;
		sb->last = *ev;
		sb->have_last = true;
		sb->note = SANDBOX_NONE;
		return false;
	case LAB_EV_CANCELLED:
		sb->blocked[ev->side] = false;
		return false;
	case LAB_EV_CALL:
		sb->blocked[ev->side] = false;
		call_done(sb, ev);
		return false;
	default:
		return false;
	}
}

bool
sandbox_busy(struct sandbox *sb, enum lab_side side)
{
	if (!sb->blocked[side])
		return false;
	sb->note = SANDBOX_BUSY;
	sb->note_side = side;
	return true;
}

void
sandbox_switch(struct sandbox *sb)
{
	sb->side = sb->side == LAB_SERVER ? LAB_CLIENT : LAB_SERVER;
	if (sb->note == SANDBOX_BUSY)
		sb->note = SANDBOX_NONE;
}

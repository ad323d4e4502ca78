/* narrate.h - turns the lab's events and snapshots into words in the
 * current language (gettext), for the curses UI and plain mode alike.
 * No curses here.  Call only from the UI thread. */
#ifndef SOCKTUTOR_NARRATE_H
#define SOCKTUTOR_NARRATE_H

#include <stddef.h>

#include "lab.h"

/* One sentence saying what the event means for the bar, in the current
 * language ("The bartender is now listening on 127.0.0.1:5050.").
 * Writes into buf and returns it. */
char *narrate_event(const struct lab_event *ev, char *buf, size_t len);

/* What an errno means here and what to do about it, in the current
 * language; a generic sentence for codes without their own text. */
const char *narrate_errno(int err);

/* A short gloss of a TCP state ("waiting for customers" for LISTEN). The
 * state name itself is never translated: use lab_tcp_name for it. */
const char *narrate_state(enum lab_tcp state);

/* The role of a socket in the bar ("bartender", "customer", ...). */
const char *narrate_role(enum lab_role role);

/* The role of this socket as its state shows it: like narrate_role,
 * but the bartender's socket is "listening" only once it listens (a new,
 * a bound and a UDP socket are named as what they are). */
const char *narrate_sock_role(const struct lab_sock *s);

/* One line describing a socket: "fd 3  LISTEN  127.0.0.1:5050  queue
 * 0/5".  Numbers, names and addresses only: untranslated parts plus
 * short translated labels.  Writes into buf and returns it. */
char *narrate_sock(const struct lab_sock *s, char *buf, size_t len);

/* Where the bartender is (lab_bar_where), for the lesson placeholders
 * {port}, {port_hex} and {addr} (fill.h).  A bar bound to every address
 * is reached at loopback.  Call before drawing a step. */
void narrate_set_bar(const struct lab_addr *a);

/* A lesson string: msgid translated, then its placeholders filled.  The
 * result stays valid until 16 more calls; the UI thread only. */
const char *narrate_lesson(const char *msgid);

/* text (code, untranslated) with its placeholders filled; malloc'd. */
char *narrate_fill(const char *text);

/* A lesson's code as the lab really runs it: its placeholders filled
 * (narrate_fill), and with backlog > 0 (the --backlog option) the number
 * in every "listen(..., N)" and "listen(N)" becomes backlog.  Returns a
 * malloc'd string. */
char *narrate_real_code(const char *text, int backlog);

/* The range a port number belongs to ("well-known", "registered",
 * "dynamic/private") and, when this system knows one, its service name
 * (getservbyport) in svc (empty when none).  Returns the translated
 * range name. */
const char *narrate_port(unsigned port, char *svc, size_t svclen);

/* This machine's ephemeral port range from
 * /proc/sys/net/ipv4/ip_local_port_range; returns -1 when unreadable. */
int narrate_ephemeral(unsigned *lo, unsigned *hi);

#endif

/* labcmd.h - the lab's vocabulary: the calls a lesson's "@do" line can
 * ask for, one parsed command, and the names shown for calls and errno
 * values.  The lesson model needs only this, not the engine (lab.h).
 *
 * Part of the core: no curses, no gettext, never prints. */
#ifndef SOCKTUTOR_LABCMD_H
#define SOCKTUTOR_LABCMD_H

#include <stdbool.h>
#include <stddef.h>

enum lab_side { LAB_SERVER, LAB_CLIENT };

/* Calls the lab can make.  The names are the C function names. */
enum lab_call {
	LAB_CALL_NONE,
	LAB_CALL_SOCKET,
	LAB_CALL_SETSOCKOPT,
	LAB_CALL_BIND,
	LAB_CALL_LISTEN,
	LAB_CALL_ACCEPT,
	LAB_CALL_CONNECT,
	LAB_CALL_SEND,
	LAB_CALL_RECV,
	LAB_CALL_SHUTDOWN,
	LAB_CALL_CLOSE,
	LAB_CALL_SERVE,		/* bartender accepts and serves everyone */
	LAB_CALL_SENDTO,	/* UDP */
	LAB_CALL_RECVFROM,	/* UDP */
	LAB_CALL_GETADDRINFO,	/* resolve cmd.addr, results in the event */
	LAB_CALL_CROWD,		/* cmd.num extra customers connect at once */
	LAB_CALL_FCNTL,		/* fcntl(F_SETFL, O_NONBLOCK) */
	LAB_CALL_DUP,		/* dup(): a second descriptor, same socket */
	LAB_CALL_COUNT
};

/* Which of a side's sockets a command means (see lab_cmd_parse). */
enum lab_target { LAB_T_DEFAULT, LAB_T_LISTENER, LAB_T_CONN };

#define LAB_TEXT_MAX 128	/* payload of a send command, after unescaping */

enum lab_serve { LAB_SERVE_ALL, LAB_SERVE_ONE };

/* One command for one side, as a lesson's "@do" line describes it
 * (lessons/README.md lists the syntax). */
struct lab_cmd {
	enum lab_side side;
	enum lab_call call;
	enum lab_target target;
	int num;		/* backlog, recv size, shutdown how, crowd size,
				 * setsockopt option; -1 = default */
	int value;		/* setsockopt: the option's value */
	bool strict;		/* bind: no fallback port when taken */
	bool nohtons;		/* bind: the port without htons() */
	int type;		/* socket: SOCK_STREAM (default) or SOCK_DGRAM */
	int family;		/* socket: 0 = the lab's, AF_INET, AF_INET6 */
	int port;		/* bind/connect: -1 = the lab's port */
	char addr[64];		/* bind/connect address, getaddrinfo name;
				 * "" = the lab's */
	enum lab_serve serve;	/* serve: all at once (poll) or one by one */
	char text[LAB_TEXT_MAX];	/* send/sendto: bytes to send */
	size_t textlen;
	bool fill;		/* send ("@do SIDE fill"): 64 KiB at a time
				 * until the buffers are full (EAGAIN) */
	bool far;		/* connect far=silent|unreachable|noroute:
				 * addr is a far host of the private network
				 * (netns.h), never tried elsewhere */
};

/* The socket options a lesson may set ("@do SIDE setsockopt WORD [N]").
 * Every timer is in seconds (TCP_USER_TIMEOUT: milliseconds) and bounded,
 * so that a live timeout ends while the learner watches. */
struct lab_sockopt {
	const char *word;		/* "linger", "syncnt" */
	int level, name;		/* for setsockopt() */
	const char *level_name, *name_name;	/* "SOL_SOCKET", "SO_LINGER" */
	long lo, hi, dflt;		/* the value's range and default */
};

/* The option named by its "@do" word, or by its number (name); NULL when
 * the lab does not know it. */
const struct lab_sockopt *lab_sockopt_by_word(const char *word);
const struct lab_sockopt *lab_sockopt_by_name(int name);

/* Parse "SIDE CALL [ARGS]" (e.g. "server listen 5", "client send hello\n").
 * Returns 0, or -1 with *cause set to a malloc'd English description of
 * what was expected (the caller frees it). */
int lab_cmd_parse(const char *text, struct lab_cmd *out, char **cause);

/* Untranslatable names: "connect", "ECONNREFUSED". */
const char *lab_call_name(enum lab_call call);

/* True for the lab's own actions, which no program calls: serve (the
 * bartender's loop) and crowd (customers sent in).  Screens show them
 * apart from the system calls. */
bool lab_call_is_action(enum lab_call call);
const char *lab_errno_name(int err);

#endif

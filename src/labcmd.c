/* labcmd.c - the lab's vocabulary: parsing "@do" commands, and the names
 * and C syntax shown for calls, TCP states and errno values.  These are
 * never translated, so they live in the core beside the engine. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "lab.h"
#include "netns.h"
#include "util.h"

static const char *const call_names[LAB_CALL_COUNT] = {
	[LAB_CALL_NONE] = "",
	[LAB_CALL_SOCKET] = "socket",
	[LAB_CALL_SETSOCKOPT] = "setsockopt",
	[LAB_CALL_BIND] = "bind",
	[LAB_CALL_LISTEN] = "listen",
	[LAB_CALL_ACCEPT] = "accept",
	[LAB_CALL_CONNECT] = "connect",
	[LAB_CALL_SEND] = "send",
	[LAB_CALL_RECV] = "recv",
	[LAB_CALL_SHUTDOWN] = "shutdown",
	[LAB_CALL_CLOSE] = "close",
	[LAB_CALL_SERVE] = "serve",
	[LAB_CALL_SENDTO] = "sendto",
	[LAB_CALL_RECVFROM] = "recvfrom",
	[LAB_CALL_GETADDRINFO] = "getaddrinfo",
	[LAB_CALL_CROWD] = "crowd",
	[LAB_CALL_FCNTL] = "fcntl",
	[LAB_CALL_DUP] = "dup",
};

/* What "@do SIDE setsockopt WORD [N]" may set.  lo == hi: no value is
 * written after the word. */
static const struct lab_sockopt sockopts[] = {
	{ "reuseaddr", SOL_SOCKET, SO_REUSEADDR, "SOL_SOCKET",
	    "SO_REUSEADDR", 1, 1, 1 },
	{ "v6only", IPPROTO_IPV6, IPV6_V6ONLY, "IPPROTO_IPV6", "IPV6_V6ONLY",
	    0, 1, 1 },
	{ "keepalive", SOL_SOCKET, SO_KEEPALIVE, "SOL_SOCKET",
	    "SO_KEEPALIVE", 1, 1, 1 },
	{ "linger", SOL_SOCKET, SO_LINGER, "SOL_SOCKET", "SO_LINGER",
	    0, 10, 0 },
	{ "rcvtimeo", SOL_SOCKET, SO_RCVTIMEO, "SOL_SOCKET", "SO_RCVTIMEO",
	    1, 30, 2 },
	{ "keepidle", IPPROTO_TCP, TCP_KEEPIDLE, "IPPROTO_TCP",
	    "TCP_KEEPIDLE", 1, 60, 5 },
	{ "keepintvl", IPPROTO_TCP, TCP_KEEPINTVL, "IPPROTO_TCP",
	    "TCP_KEEPINTVL", 1, 60, 2 },
	{ "keepcnt", IPPROTO_TCP, TCP_KEEPCNT, "IPPROTO_TCP", "TCP_KEEPCNT",
	    1, 9, 3 },
	{ "syncnt", IPPROTO_TCP, TCP_SYNCNT, "IPPROTO_TCP", "TCP_SYNCNT",
	    1, 6, 1 },
	{ "usertimeout", IPPROTO_TCP, TCP_USER_TIMEOUT, "IPPROTO_TCP",
	    "TCP_USER_TIMEOUT", 1000, 60000, 5000 },
	{ "nodelay", IPPROTO_TCP, TCP_NODELAY, "IPPROTO_TCP", "TCP_NODELAY",
	    1, 1, 1 },
};

const struct lab_sockopt *
lab_sockopt_by_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof sockopts / sizeof sockopts[0]; i++)
		if (strcmp(sockopts[i].word, w) == 0)
			return &sockopts[i];
	return NULL;
}

const struct lab_sockopt *
lab_sockopt_by_name(int name)
{
	size_t i;

	for (i = 0; i < sizeof sockopts / sizeof sockopts[0]; i++)
		if (sockopts[i].name == name)
			return &sockopts[i];
	return NULL;
}

bool
lab_call_is_action(enum lab_call call)
{
	return call == LAB_CALL_SERVE || call == LAB_CALL_CROWD;
}

const char *
lab_call_name(enum lab_call call)
{
	if ((unsigned)call >= LAB_CALL_COUNT)
		return "?";
	return call_names[call];
}

const char *
lab_tcp_name(enum lab_tcp state)
{
	static const char *const names[] = {
		"-", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING"
	};

	if ((unsigned)state >= sizeof names / sizeof names[0])
		return "?";
	return names[state];
}

const char *
lab_errno_name(int err)
{
	const char *s;

	if (err == 0)
		return "0";
#ifdef HAVE_STRERRORNAME_NP
	s = strerrorname_np(err);
	if (s != NULL)
		return s;
#endif
	s = "E?";
	return s;
}

/* Takes the next blank-separated word of *sp into w. */
static int
word(const char **sp, char *w, size_t wlen)
{
	const char *s = *sp;
	size_t o = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return 0;
	while (*s != '\0' && *s != ' ' && *s != '\t') {
		if (o + 1 < wlen)
			w[o++] = *s;
		s++;
	}
	w[o] = '\0';
	*sp = s;
	return 1;
}

/* Unescapes the text of a send command: \n \t \r \\ and \xHH. */
static int
unescape(const char *s, struct lab_cmd *c)
{
	size_t o = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s != '\0') {
		char ch = *s++;

		if (ch == '\\') {
			switch (*s) {
			case 'n': ch = '\n'; s++; break;
			case 't': ch = '\t'; s++; break;
			case 'r': ch = '\r'; s++; break;
			case '\\': ch = '\\'; s++; break;
			case 'x':
				if (isxdigit((unsigned char)s[1]) &&
				    isxdigit((unsigned char)s[2])) {
					char hex[3] = { s[1], s[2], '\0' };

					ch = (char)strtol(hex, NULL, 16);
					s += 3;
					break;
				}
				return -1;
			default:
				return -1;
			}
		}
		if (o >= sizeof c->text)
			return -1;
		c->text[o++] = ch;
	}
	c->textlen = o;
	return o > 0 ? 0 : -1;
}

static int
set_addr(struct lab_cmd *out, const char *v, char **cause)
{
	if (strlen(v) == 0 || strlen(v) >= sizeof out->addr) {
		*cause = xstrdup("'addr=' needs an address or a host name");
		return -1;
	}
	strcpy(out->addr, v);
	return 0;
}

/* connect far=WORD: one of the private network's far hosts. */
static int
set_far(struct lab_cmd *out, const char *word, char **cause)
{
	static const struct {
		const char *word, *addr;
	} far[] = {
		{ "silent", NETNS_FAR_SILENT },
		{ "unreachable", NETNS_FAR_UNREACHABLE },
		{ "noroute", NETNS_FAR_NOROUTE },
	};
	size_t i;

	for (i = 0; i < sizeof far / sizeof far[0]; i++)
		if (strcmp(word, far[i].word) == 0) {
			snprintf(out->addr, sizeof out->addr, "%s",
			    far[i].addr);
			out->far = true;
			return 0;
		}
	*cause = xstrdup("'far=' takes silent, unreachable or noroute");
	return -1;
}

/* ---- one argument word after the call; the grammar is in
 * lessons/README.md.  Each call's parser returns 0, -1 with *cause set,
 * or ARG_BAD for a word the call does not take. ---- */

#define ARG_BAD 1

typedef int arg_parser(struct lab_cmd *out, const char *call,
    const char *arg, char **cause);

static int
arg_socket(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call, (void)cause;
	if (strcmp(arg, "tcp") == 0)
		out->type = SOCK_STREAM;
	else if (strcmp(arg, "udp") == 0)
		out->type = SOCK_DGRAM;
	else if (strcmp(arg, "ipv4") == 0)
		out->family = AF_INET;
	else if (strcmp(arg, "ipv6") == 0)
		out->family = AF_INET6;
	else
		return ARG_BAD;
	return 0;
}

/* The option's word, then (for a numeric one) its value. */
static int
arg_setsockopt(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	const struct lab_sockopt *o = out->num == -1 ?
	    lab_sockopt_by_word(arg) : lab_sockopt_by_name(out->num);
	long v;

	(void)call;
	if (o == NULL)
		return ARG_BAD;
	if (out->num == -1) {
		out->num = o->name;
		out->value = (int)o->dflt;
	} else if (o->lo < o->hi && !out->strict &&
	    util_parse_num(arg, (size_t)-1, o->lo, o->hi, &v) == 0) {
		out->value = (int)v;
		out->strict = true;	/* the value is written */
	} else {
		*cause = xasprintf("'setsockopt %s' takes a number from %ld "
		    "to %ld", o->word, o->lo, o->hi);
		return -1;
	}
	return 0;
}

static int
arg_fcntl(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call, (void)cause;
	if (strcmp(arg, "nonblock") != 0 || out->num != -1)
		return ARG_BAD;
	out->num = 1;
	return 0;
}

/* bind and connect: where to, and how. */
static int
arg_address(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	bool bind = out->call == LAB_CALL_BIND;
	long v;

	(void)call;
	if (strcmp(arg, "strict") == 0 && bind)
		out->strict = true;
	else if (strcmp(arg, "nohtons") == 0 && bind)
		out->nohtons = true;
	else if (strncmp(arg, "port=", 5) == 0 &&
	    util_parse_num(arg + 5, (size_t)-1, 0, 65535, &v) == 0)
		out->port = (int)v;
	else if (strncmp(arg, "addr=", 5) == 0)
		return set_addr(out, arg + 5, cause);
	else if (strncmp(arg, "far=", 4) == 0 && !bind)
		return set_far(out, arg + 4, cause);
	else
		return ARG_BAD;
	return 0;
}

static int
arg_getaddrinfo(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call;
	if (out->addr[0] != '\0')
		return ARG_BAD;
	return set_addr(out, arg, cause);
}

static int
arg_serve(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call, (void)cause;
	if (strcmp(arg, "one") == 0)
		out->serve = LAB_SERVE_ONE;
	else if (strcmp(arg, "all") == 0)
		out->serve = LAB_SERVE_ALL;
	else
		return ARG_BAD;
	return 0;
}

/* listen's backlog, recv's and recvfrom's size, crowd's customers. */
static int
arg_number(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	enum lab_call c = out->call;
	long lo = c == LAB_CALL_LISTEN ? 0 : 1;
	long hi = c == LAB_CALL_LISTEN ? 4096 : c == LAB_CALL_CROWD ? 64 :
	    65536;
	long v;

	if (out->num != -1 ||
	    util_parse_num(arg, (size_t)-1, lo, hi, &v) == -1) {
		*cause = xasprintf("'%s' takes a number from %ld to %ld", call,
		    lo, hi);
		return -1;
	}
	out->num = (int)v;
	return 0;
}

static int
arg_shutdown(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call, (void)cause;
	if (out->num != -1)
		return ARG_BAD;
	if (strcmp(arg, "rd") == 0)
		out->num = SHUT_RD;
	else if (strcmp(arg, "wr") == 0)
		out->num = SHUT_WR;
	else if (strcmp(arg, "rdwr") == 0)
		out->num = SHUT_RDWR;
	else
		return ARG_BAD;
	return 0;
}

/* The bartender's close says which of his sockets. */
static int
arg_close(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	(void)call, (void)cause;
	if (out->side != LAB_SERVER || out->target != LAB_T_DEFAULT)
		return ARG_BAD;
	if (strcmp(arg, "conn") == 0)
		out->target = LAB_T_CONN;
	else if (strcmp(arg, "listener") == 0)
		out->target = LAB_T_LISTENER;
	else
		return ARG_BAD;
	return 0;
}

/* The calls that take words after them; the others take none. */
static arg_parser *const arg_parsers[LAB_CALL_COUNT] = {
	[LAB_CALL_SOCKET] = arg_socket,
	[LAB_CALL_SETSOCKOPT] = arg_setsockopt,
	[LAB_CALL_FCNTL] = arg_fcntl,
	[LAB_CALL_BIND] = arg_address,
	[LAB_CALL_CONNECT] = arg_address,
	[LAB_CALL_GETADDRINFO] = arg_getaddrinfo,
	[LAB_CALL_SERVE] = arg_serve,
	[LAB_CALL_LISTEN] = arg_number,
	[LAB_CALL_RECV] = arg_number,
	[LAB_CALL_RECVFROM] = arg_number,
	[LAB_CALL_CROWD] = arg_number,
	[LAB_CALL_SHUTDOWN] = arg_shutdown,
	[LAB_CALL_CLOSE] = arg_close,
};

static int
parse_arg(struct lab_cmd *out, const char *call, const char *arg,
    char **cause)
{
	arg_parser *p = (unsigned)out->call < LAB_CALL_COUNT ?
	    arg_parsers[out->call] : NULL;
	int r = p != NULL ? p(out, call, arg, cause) : ARG_BAD;

	if (r != ARG_BAD)
		return r;
	*cause = xasprintf("unexpected '%s' after '%s' (lessons/README.md "
	    "lists what each call takes)", arg, call);
	return -1;
}

/* The call named after the side, or -1 with *cause listing them all
 * (from the table, so that the message never falls behind it). */
static int
find_call(const char *call, char **cause)
{
	char list[256];
	size_t o = 0;
	int i;

	for (i = 1; i < LAB_CALL_COUNT; i++)
		if (strcmp(call, call_names[i]) == 0)
			return i;
	for (i = 1; i < LAB_CALL_COUNT; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
		    i == 1 ? "" : i + 1 == LAB_CALL_COUNT ? " or " : ", ",
		    call_names[i]);
	*cause = xasprintf("unknown call '%s' (expected %s)", call, list);
	return -1;
}

/* A call that only one side makes, asked of the other. */
static int
check_side(const struct lab_cmd *out, const char *call, char **cause)
{
	switch (out->call) {
	case LAB_CALL_BIND:
	case LAB_CALL_LISTEN:
	case LAB_CALL_ACCEPT:
	case LAB_CALL_SERVE:
		if (out->side != LAB_SERVER) {
			*cause = xasprintf("'%s' is a server call: use "
			    "'@do server %s'", call, call);
			return -1;
		}
		break;
	case LAB_CALL_CONNECT:
	case LAB_CALL_CROWD:
	case LAB_CALL_GETADDRINFO:
		if (out->side != LAB_CLIENT) {
			*cause = xasprintf("'%s' is a client call: use "
			    "'@do client %s'", call, call);
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

/* What a call needs once its words are read. */
static int
check_complete(struct lab_cmd *out, char **cause)
{
	if (out->call == LAB_CALL_SETSOCKOPT && out->num == -1) {
		*cause = xstrdup("expected 'setsockopt' and an option: "
		    "reuseaddr, v6only [0|1], keepalive, linger [N], "
		    "rcvtimeo [N], keepidle [N], keepintvl [N], keepcnt [N], "
		    "syncnt [N], usertimeout [MS] or nodelay");
		return -1;
	}
	if (out->call == LAB_CALL_SETSOCKOPT)
		out->strict = false;	/* only a parsing mark */
	if (out->call == LAB_CALL_FCNTL && out->num == -1) {
		*cause = xstrdup("'fcntl' takes nonblock");
		return -1;
	}
	if (out->call == LAB_CALL_SHUTDOWN && out->num == -1) {
		*cause = xstrdup("'shutdown' takes rd, wr or rdwr");
		return -1;
	}
	if ((out->call == LAB_CALL_GETADDRINFO) && out->addr[0] == '\0') {
		*cause = xstrdup("'getaddrinfo' needs a name, e.g. "
		    "'getaddrinfo localhost'");
		return -1;
	}
	if (out->call == LAB_CALL_CROWD && out->num < 1) {
		*cause = xstrdup("'crowd' needs how many customers, 1 to 64");
		return -1;
	}
	return 0;
}

int
lab_cmd_parse(const char *text, struct lab_cmd *out, char **cause)
{
	const char *s = text;
	char side[16], call[16], arg[80];
	int i;

	memset(out, 0, sizeof *out);
	out->num = -1;
	out->port = -1;
	out->type = SOCK_STREAM;
	if (!word(&s, side, sizeof side) || (strcmp(side, "server") != 0 &&
	    strcmp(side, "client") != 0)) {
		*cause = xstrdup("'@do' needs a side first: 'server' or "
		    "'client'");
		return -1;
	}
	out->side = side[0] == 's' ? LAB_SERVER : LAB_CLIENT;
	if (!word(&s, call, sizeof call)) {
		*cause = xasprintf("'@do %s' needs a call, e.g. '@do %s "
		    "socket'", side, side);
		return -1;
	}
	if (strcmp(call, "fill") == 0) {
		/* send() until the buffers are full: a send of its own */
		out->call = LAB_CALL_SEND;
		out->fill = true;
		return 0;
	}
	if ((i = find_call(call, cause)) == -1)
		return -1;
	out->call = (enum lab_call)i;
	if (check_side(out, call, cause) == -1)
		return -1;
	if (out->call == LAB_CALL_SEND || out->call == LAB_CALL_SENDTO) {
		if (unescape(s, out) == -1) {
			*cause = xasprintf("'%s' needs the text to send (at "
			    "most %d bytes; escapes \\n \\t \\r \\\\ "
			    "\\xHH)", call, LAB_TEXT_MAX);
			return -1;
		}
		return 0;
	}
	while (word(&s, arg, sizeof arg)) {
		if (parse_arg(out, call, arg, cause) == -1)
			return -1;
	}
	return check_complete(out, cause);
}

char *
lab_format_addr(const struct lab_addr *a, char *buf, size_t len)
{
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a->host, (unsigned)a->port);
	else if (a->family == AF_INET)
		snprintf(buf, len, "%s:%u", a->host, (unsigned)a->port);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* getaddrinfo's error codes by name (gai_strerror would translate). */
static const char *
gai_name(int code)
{
	switch (code) {
	case EAI_AGAIN: return "EAI_AGAIN";
	case EAI_BADFLAGS: return "EAI_BADFLAGS";
	case EAI_FAIL: return "EAI_FAIL";
	case EAI_FAMILY: return "EAI_FAMILY";
	case EAI_MEMORY: return "EAI_MEMORY";
	case EAI_NONAME: return "EAI_NONAME";
	case EAI_SERVICE: return "EAI_SERVICE";
	case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
	case EAI_SYSTEM: return "EAI_SYSTEM";
#ifdef EAI_NODATA
	case EAI_NODATA: return "EAI_NODATA";
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
#endif
	default: return "EAI_?";
	}
}

/* setsockopt()'s arguments as C would write them. */
static void
sockopt_args(const struct lab_event *ev, char *args, size_t len)
{
	const struct lab_sockopt *o = lab_sockopt_by_name((int)ev->num);

	if (o == NULL)
		snprintf(args, len, "%d, ?, %ld, %d", ev->fd, ev->num,
		    ev->value);
	else if (o->name == SO_LINGER)
		snprintf(args, len, "%d, %s, %s, {1, %d}", ev->fd,
		    o->level_name, o->name_name, ev->value);
	else if (o->name == SO_RCVTIMEO)
		snprintf(args, len, "%d, %s, %s, {%d, 0}", ev->fd,
		    o->level_name, o->name_name, ev->value);
	else
		snprintf(args, len, "%d, %s, %s, %d", ev->fd, o->level_name,
		    o->name_name, ev->value);
}

char *
lab_format_call(const struct lab_event *ev, char *buf, size_t len)
{
	char args[160], addr[INET6_ADDRSTRLEN + 8], res[80];
	const char *name = lab_call_name(ev->call);

	lab_format_addr(&ev->addr, addr, sizeof addr);
	switch (ev->call) {
	case LAB_CALL_SOCKET:
		snprintf(args, sizeof args, "%s, %s, 0",
		    ev->addr.family == AF_INET6 ? "AF_INET6" : "AF_INET",
		    ev->num == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM");
		break;
	case LAB_CALL_SETSOCKOPT:
		sockopt_args(ev, args, sizeof args);
		break;
	case LAB_CALL_FCNTL:
		snprintf(args, sizeof args, "%d, F_SETFL, O_NONBLOCK", ev->fd);
		break;
	case LAB_CALL_SENDTO:
		snprintf(args, sizeof args, "%d, \"%s\", %ld, %s", ev->fd,
		    ev->data, ev->num, ev->has_addr ? addr : "NULL");
		break;
	case LAB_CALL_RECVFROM:
		if (ev->ret >= 0 && ev->kind == LAB_EV_CALL)
			snprintf(args, sizeof args, "%d, \"%s\", %ld, -> %s",
			    ev->fd, ev->data, ev->num, addr);
		else
			snprintf(args, sizeof args, "%d, buf, %ld", ev->fd,
			    ev->num);
		break;
	case LAB_CALL_GETADDRINFO:
		snprintf(args, sizeof args, "\"%s\", NULL, &hints, &res",
		    ev->name);
		break;
	case LAB_CALL_CROWD:
		snprintf(args, sizeof args, "%ld customers -> %s", ev->num,
		    addr);
		break;
	case LAB_CALL_BIND:
	case LAB_CALL_CONNECT:
		snprintf(args, sizeof args, "%d, %s", ev->fd, addr);
		break;
	case LAB_CALL_LISTEN:
		snprintf(args, sizeof args, "%d, %ld", ev->fd, ev->num);
		break;
	case LAB_CALL_ACCEPT:
		if (ev->has_addr && ev->ret >= 0)
			snprintf(args, sizeof args, "%d, -> %s", ev->fd, addr);
		else
			snprintf(args, sizeof args, "%d", ev->fd);
		break;
	case LAB_CALL_SEND:
		snprintf(args, sizeof args, "%d, \"%s\", %ld", ev->fd,
		    ev->data, ev->num);
		break;
	case LAB_CALL_RECV:
		if (ev->ret > 0)
			snprintf(args, sizeof args, "%d, \"%s\", %ld", ev->fd,
			    ev->data, ev->num);
		else
			snprintf(args, sizeof args, "%d, buf, %ld", ev->fd,
			    ev->num);
		break;
	case LAB_CALL_SHUTDOWN:
		snprintf(args, sizeof args, "%d, %s", ev->fd,
		    ev->num == SHUT_RD ? "SHUT_RD" : ev->num == SHUT_WR ?
		    "SHUT_WR" : "SHUT_RDWR");
		break;
	default:
		snprintf(args, sizeof args, "%d", ev->fd);
	}
	if (ev->kind == LAB_EV_BLOCKED)
		snprintf(res, sizeof res, " ...");
	else if (ev->kind == LAB_EV_CANCELLED)
		snprintf(res, sizeof res, " = -1 (cancelled)");
	else if (ev->call == LAB_CALL_GETADDRINFO && ev->ret == 0)
		snprintf(res, sizeof res, " = 0: %s", ev->data);
	else if (ev->call == LAB_CALL_GETADDRINFO)
		snprintf(res, sizeof res, " = %s", gai_name((int)ev->ret));
	else if (ev->ret == -1)
		snprintf(res, sizeof res, " = -1 %s", lab_errno_name(ev->err));
	else
		snprintf(res, sizeof res, " = %ld", ev->ret);
	snprintf(buf, len, "%s(%s)%s", name, args, res);
	return buf;
}

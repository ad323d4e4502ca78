/* lab_call_int.h - what the lesson's calls share: lab_call.c runs them
 * (sockets, options, connections, data); lab_call_addr.c holds the
 * addresses they use (bind, listen, where the customer goes, names) and
 * the rule that keeps the bartender on the addresses asked for. */
#ifndef SOCKTUTOR_LAB_CALL_INT_H
#define SOCKTUTOR_LAB_CALL_INT_H

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "lab_int.h"

#define CONNECT_GRACE_MS 100	/* a connect slower than this "blocks" */

/* One call being made. */
struct call {
	struct lab *lab;
	const struct lab_cmd *cmd;
	struct lab_event *ev;
	struct lsock *s;	/* the socket it acts on, or NULL */
	int fd;			/* s's descriptor, or -1 */
	unsigned epoch;
};

static inline void
set_err(struct lab_event *ev, long ret)
{
	ev->ret = ret;
	ev->err = ret == -1 ? errno : 0;
}

/* Keeps a bartender address whose fd-less connections snapshots show;
 * socks_lk held. */
void remember_bar(struct lab *lab, const struct lab_addr *a);

/* The family of fd's socket, or fallback when it cannot be told. */
int sock_family(int fd, int fallback);

/* Where the customer goes: the bartender's bound address (the loopback
 * when it is bound to every address), or the lab's address and port;
 * cmd's addr= and port= replace either part.  Takes socks_lk. */
socklen_t bar_addr(struct lab *lab, const struct lab_cmd *cmd, int fd,
    struct sockaddr_storage *ss);

/* Before a sendto on fd: an unbound socket is bound where the lab may
 * open one (see lab_call_addr.c), port 0, so that the kernel's own
 * choice never is every address of the machine. */
void lab_call_home_unbound(struct call *c);

int call_bind(struct call *c);
int call_listen(struct call *c);
int call_getaddrinfo(struct call *c);

#endif

/* door.c - the classroom door (door.h states its protocol): the line
 * reader and the replies, pure functions over bytes; and a thread of its
 * own that accepts students, reads their lines and counts their votes.
 *
 * Locking: `mu` guards what the UI reads or sets (the counts, the
 * current generation of votes, the reply templates, quit).  The list of
 * connections belongs to the door's thread alone, so no lock is held
 * across a system call: the thread takes mu only to count a vote, to
 * word a reply, or to publish how many are connected. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "door.h"
#include "netstate.h"
#include "util.h"

#define DOOR_OUT 2048		/* replies waiting for a slow reader; more
				 * are dropped, never the votes */
#define DOOR_READ_ROUND 65536	/* bytes read from one student per round,
				 * so that one flood cannot starve the rest */
#define DOOR_ACCEPT_ROUND 32	/* newcomers taken per round */
#define DOOR_BACKOFF_MS 250	/* out of descriptors: wait this long */
#define DOOR_BACKLOG 128

/* ---- the protocol, over bytes ---- */

static const char *const default_reply[DOOR_REPLY_COUNT] = {
	[DOOR_REPLY_COUNTED] = "Vote counted: {vote}. "
	    "Send another number to change it.",
	[DOOR_REPLY_HELP] = "Send just the number of your answer, "
	    "from 1 to {n}, and press Enter.",
	[DOOR_REPLY_WAIT] = "No question is open right now: wait for the "
	    "next one, then send its number.",
	[DOOR_REPLY_FULL] = "The classroom door is full: try again in "
	    "a moment.",
};

const char *
door_default_reply(enum door_reply which)
{
	if ((unsigned)which >= DOOR_REPLY_COUNT)
		return "";
	return default_reply[which];
}

void
door_reader_init(struct door_reader *r)
{
	memset(r, 0, sizeof *r);
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

unsigned
door_choice(const char *line, size_t n)
{
	size_t i = 0;
	long v;

	while (i < n && blank(line[i]))
		i++;
	while (n > i && blank(line[n - 1]))
		n--;
	if (n - i != 1 || util_parse_num(line + i, 1, 1, 9, &v) == -1)
		return 0;
	return (unsigned)v;
}

/* The line collected so far ends: its vote, and a new line starts. */
static unsigned
end_line(struct door_reader *r)
{
	unsigned c = r->len <= DOOR_LINE_MAX ?
	    door_choice(r->kept, r->keptlen) : 0;

	r->len = 0;
	r->keptlen = 0;
	return c;
}

int
door_feed(struct door_reader *r, const char **in, size_t *n,
    unsigned *choice)
{
	while (*n > 0) {
		const char *p = *in, *nl = memchr(p, '\n', *n);
		size_t chunk = nl != NULL ? (size_t)(nl - p) : *n;

		if (r->keptlen < DOOR_LINE_MAX) {
			size_t room = DOOR_LINE_MAX - r->keptlen;
			size_t k = chunk < room ? chunk : room;

			memcpy(r->kept + r->keptlen, p, k);
			r->keptlen += k;
		}
		/* One past the cap is enough to know the line is junk,
		 * and an endless line cannot overflow the count. */
		r->len += chunk < DOOR_LINE_MAX + 1 - r->len ? chunk :
		    DOOR_LINE_MAX + 1 - r->len;
		*in += chunk + (nl != NULL);
		*n -= chunk + (nl != NULL);
		if (nl != NULL) {
			*choice = end_line(r);
			return 1;
		}
	}
	return 0;
}

int
door_finish(struct door_reader *r, unsigned *choice)
{
	if (r->len == 0)
		return 0;
	*choice = end_line(r);
	return 1;
}

static bool
template_ok(const char *t)
{
	size_t n;

	if (t == NULL)
		return false;
	n = strnlen(t, DOOR_TEMPLATE_MAX);
	return n < DOOR_TEMPLATE_MAX && util_text_safe(t, n);
}

size_t
door_format(const char *tmpl, const char *fallback, unsigned vote,
    unsigned nchoices, char *buf, size_t len)
{
	const char *p;
	size_t o = 0;

	if (len < 2) {
		if (len == 1)
			buf[0] = '\0';
		return 0;
	}
	if (!template_ok(tmpl))
		tmpl = template_ok(fallback) ? fallback : "";
	for (p = tmpl; *p != '\0';) {
		char num[16];
		const char *add = num;
		size_t k;

		if (strncmp(p, "{n}", 3) == 0) {
			snprintf(num, sizeof num, "%u", nchoices);
			p += 3;
		} else if (strncmp(p, "{vote}", 6) == 0) {
			snprintf(num, sizeof num, "%u", vote);
			p += 6;
		} else {
			/* One whole character (the template is valid
			 * UTF-8): never half of one before the '\n'. */
			uint32_t cp;

			k = util_utf8_decode(p, strlen(p), &cp);
			if (k == 0)
				k = 1;
			add = p;
			p += k;
			if (k > len - 2 - o)
				break;
			memcpy(buf + o, add, k);
			o += k;
			continue;
		}
		k = strlen(add);
		if (k > len - 2 - o)
			break;
		memcpy(buf + o, add, k);
		o += k;
	}
	buf[o++] = '\n';
	buf[o] = '\0';
	return o;
}

/* ---- the door's thread ---- */

/* One student's connection (the door's thread only). */
struct dconn {
	int fd;
	struct door_reader rd;
	unsigned vote;		/* the choice counted for this connection */
	unsigned vote_gen;	/* ... in this generation of votes */
	char in[4096];		/* read, not yet taken as lines */
	size_t inlen, inoff;
	char out[DOOR_OUT];
	size_t outlen, outoff;
	struct dconn *next;
};

struct door {
	pthread_mutex_t mu;	/* guards the fields up to `quit` */
	struct door_counts counts;
	unsigned gen;		/* bumped whenever the votes are cleared */
	char tmpl[DOOR_REPLY_COUNT][DOOR_TEMPLATE_MAX];
	bool quit;

	/* Set before the thread starts, read-only after. */
	int lfd, kick, wake;
	struct lab_addr addr;
	bool fell_back;
	unsigned max;
	pthread_t thread;

	/* The door's thread alone. */
	struct dconn *conns;
	unsigned nconns;
	unsigned told_gen;	/* the generation every connection heard of */
	uint64_t backoff_until;
};

static void
signal_fd(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof one) < 0) {
		/* full (it cannot be: 2^64-2) or closing: nothing to do */
	}
}

static void
drain_fd(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof v) < 0) {
		/* EAGAIN: nothing was pending */
	}
}

/* Queue a reply.  Lines are taken only while a reply fits (see
 * conn_process); only the news of a question is lost on a reader that
 * takes nothing. */
static void
queue(struct dconn *c, const char *p, size_t n)
{
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	if (n <= sizeof c->out - c->outlen) {
		memcpy(c->out + c->outlen, p, n);
		c->outlen += n;
	}
}

/* Word reply `which` for the open question; mu held. */
static size_t
word(struct door *door, enum door_reply which, unsigned vote, char *buf,
    size_t len)
{
	return door_format(door->tmpl[which], default_reply[which], vote,
	    door->counts.nchoices, buf, len);
}

/* A line ended with this vote (0: not a vote): count it and answer. */
static void
take_line(struct door *door, struct dconn *c, unsigned choice)
{
	char buf[DOOR_REPLY_MAX];
	enum door_reply which;
	bool changed = false;
	size_t n;

	pthread_mutex_lock(&door->mu);
	if (door->counts.nchoices == 0) {
		which = DOOR_REPLY_WAIT;
	} else if (choice >= 1 && choice <= door->counts.nchoices) {
		which = DOOR_REPLY_COUNTED;
		if (c->vote_gen == door->gen && c->vote != 0)
			door->counts.votes[c->vote - 1]--;
		else
			door->counts.voters++;
		door->counts.votes[choice - 1]++;
		changed = c->vote_gen != door->gen || c->vote != choice;
		c->vote = choice;
		c->vote_gen = door->gen;
	} else {
		which = DOOR_REPLY_HELP;
	}
	n = word(door, which, choice, buf, sizeof buf);
	pthread_mutex_unlock(&door->mu);
	queue(c, buf, n);
	if (changed)
		signal_fd(door->wake);
}

static void
set_connected(struct door *door)
{
	pthread_mutex_lock(&door->mu);
	door->counts.connected = door->nconns;
	pthread_mutex_unlock(&door->mu);
	signal_fd(door->wake);
}

/* Close c; its vote stays counted. */
static void
conn_drop(struct door *door, struct dconn *c)
{
	struct dconn **pp;

	for (pp = &door->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	door->nconns--;
	close(c->fd);
	free(c);
}

static size_t
room(const struct dconn *c)
{
	return sizeof c->out - (c->outlen - c->outoff);
}

/* Take the lines read while their replies fit: a student who does not
 * read the answers is not read either, and no answer is lost. */
static void
conn_process(struct door *door, struct dconn *c)
{
	unsigned choice;

	while (c->inoff < c->inlen && room(c) >= DOOR_REPLY_MAX) {
		const char *p = c->in + c->inoff;
		size_t n = c->inlen - c->inoff;

		if (door_feed(&c->rd, &p, &n, &choice) == 1)
			take_line(door, c, choice);
		c->inoff = c->inlen - n;
	}
	if (c->inoff == c->inlen)
		c->inoff = c->inlen = 0;
}

/* Send what c has to hear, and go on with the lines that waited for
 * room; false when c was dropped. */
static bool
conn_write(struct door *door, struct dconn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t r = send(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return true;
		if (r == -1) {
			conn_drop(door, c);
			return false;
		}
		c->outoff += (size_t)r;
		if (c->outoff == c->outlen && c->inoff < c->inlen)
			conn_process(door, c);
	}
	c->outoff = c->outlen = 0;
	return true;
}

/* Read what c sent; false when c was dropped (it left or failed). */
static bool
conn_read(struct door *door, struct dconn *c)
{
	size_t total = 0;
	unsigned choice;

	while (total < DOOR_READ_ROUND && c->inlen == 0) {
		ssize_t r = recv(c->fd, c->in, sizeof c->in, MSG_DONTWAIT);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			break;
		if (r <= 0) {
			/* Gone (or reset): a last unterminated line
			 * counts, and its answer goes out if it can. */
			if (r == 0 && door_finish(&c->rd, &choice) == 1) {
				take_line(door, c, choice);
				if (!conn_write(door, c))
					return false;
			}
			conn_drop(door, c);
			return false;
		}
		c->inlen = (size_t)r;
		c->inoff = 0;
		total += (size_t)r;
		conn_process(door, c);
		if (c->outoff < c->outlen && !conn_write(door, c))
			return false;
	}
	return true;
}

static void
accept_some(struct door *door, uint64_t now)
{
	char buf[DOOR_REPLY_MAX];
	int i;

	for (i = 0; i < DOOR_ACCEPT_ROUND; i++) {
		struct dconn *c;
		size_t n;
		int fd = accept4(door->lfd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			/* Out of descriptors, or anything unexpected: look
			 * again later instead of spinning. */
			if (errno != EAGAIN)
				door->backoff_until = now +
				    DOOR_BACKOFF_MS * 1000u;
			return;
		}
		pthread_mutex_lock(&door->mu);
		n = word(door, door->nconns >= door->max ? DOOR_REPLY_FULL :
		    door->counts.nchoices > 0 ? DOOR_REPLY_HELP :
		    DOOR_REPLY_WAIT, 0, buf, sizeof buf);
		if (door->nconns >= door->max)
			door->counts.turned_away++;
		pthread_mutex_unlock(&door->mu);
		if (door->nconns >= door->max) {
			if (send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
				/* it is turned away either way */
			}
			close(fd);
			continue;
		}
		c = xcalloc(1, sizeof *c);
		c->fd = fd;
		door_reader_init(&c->rd);
		queue(c, buf, n);
		c->next = door->conns;
		door->conns = c;
		door->nconns++;
	}
}

/* A new question (or none): every connection hears of it once. */
static void
tell_everyone(struct door *door)
{
	char buf[DOOR_REPLY_MAX];
	struct dconn *c;
	unsigned gen;
	size_t n;

	pthread_mutex_lock(&door->mu);
	gen = door->gen;
	n = word(door, door->counts.nchoices > 0 ? DOOR_REPLY_HELP :
	    DOOR_REPLY_WAIT, 0, buf, sizeof buf);
	pthread_mutex_unlock(&door->mu);
	if (gen == door->told_gen)
		return;
	door->told_gen = gen;
	for (c = door->conns; c != NULL; c = c->next)
		queue(c, buf, n);
}

/* One round: wait for the kick, newcomers and students, and serve
 * whatever is ready.  Returns false when the door is closing. */
static bool
round_once(struct door *door)
{
	size_t cap = 2 + door->nconns, n = 0, i;
	struct pollfd *pfd = xcalloc(cap, sizeof *pfd);
	struct dconn **who = xcalloc(cap, sizeof *who), *c;
	uint64_t now = util_now_us();
	unsigned before = door->nconns;
	int timeout = -1, r;
	bool quit;

	pfd[n].fd = door->kick;
	pfd[n++].events = POLLIN;
	if (now >= door->backoff_until) {
		pfd[n].fd = door->lfd;
		pfd[n++].events = POLLIN;
	} else {
		timeout = (int)((door->backoff_until - now + 999) / 1000);
	}
	for (c = door->conns; c != NULL; c = c->next) {
		pfd[n].fd = c->fd;
		pfd[n].events = (c->inlen == 0 ? POLLIN : 0) |
		    (c->outoff < c->outlen ? POLLOUT : 0);
		who[n++] = c;
	}
	r = poll(pfd, (nfds_t)n, timeout);
	if (r > 0 && pfd[0].revents != 0)
		drain_fd(door->kick);
	pthread_mutex_lock(&door->mu);
	quit = door->quit;
	pthread_mutex_unlock(&door->mu);
	if (!quit && r > 0) {
		for (i = 1; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == door->lfd && who[i] == NULL) {
				accept_some(door, util_now_us());
				continue;
			}
			c = who[i];
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !conn_read(door, c))
				continue;
			conn_write(door, c);
		}
	}
	if (!quit) {
		tell_everyone(door);
		for (c = door->conns; c != NULL; c = c->next)
			if (c->outoff < c->outlen && !conn_write(door, c))
				break;	/* the list changed: next round */
	}
	if (door->nconns != before)
		set_connected(door);
	free(pfd);
	free(who);
	return !quit;
}

static void *
door_thread(void *arg)
{
	struct door *door = arg;

	while (round_once(door))
		continue;
	return NULL;
}

/* ---- the UI's side ---- */

/* Bind the listener at host:port; -1 with errno set. */
static int
listen_at(const char *host, uint16_t port, struct lab_addr *out)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, on = 1, e;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		sl = sizeof *s4;
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		sl = sizeof *s6;
	} else {
		errno = EINVAL;
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, DOOR_BACKLOG) == -1)
		goto fail;
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1)
		goto fail;
	netstate_addr(&ss, out);
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

struct door *
door_new(const struct door_config *cfg, char **cause)
{
	struct door *door = xcalloc(1, sizeof *door);
	int i, e;

	door->kick = door->wake = -1;
	door->max = cfg->max_conns > 0 ? cfg->max_conns : DOOR_CONN_MAX;
	for (i = 0; i < DOOR_REPLY_COUNT; i++)
		snprintf(door->tmpl[i], sizeof door->tmpl[i], "%s",
		    default_reply[i]);
	door->lfd = listen_at(cfg->addr, cfg->port, &door->addr);
	if (door->lfd == -1 && errno == EADDRINUSE && cfg->fallback &&
	    cfg->port != 0) {
		door->lfd = listen_at(cfg->addr, 0, &door->addr);
		door->fell_back = door->lfd != -1;
	}
	if (door->lfd == -1) {
		*cause = xasprintf("%s port %u: %s", cfg->addr,
		    (unsigned)cfg->port, lab_errno_name(errno));
		free(door);
		return NULL;
	}
	door->kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	door->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (door->kick == -1 || door->wake == -1) {
		*cause = xasprintf("eventfd: %s", lab_errno_name(errno));
		goto fail;
	}
	pthread_mutex_init(&door->mu, NULL);
	e = pthread_create(&door->thread, NULL, door_thread, door);
	if (e != 0) {
		*cause = xasprintf("pthread_create: %s", lab_errno_name(e));
		pthread_mutex_destroy(&door->mu);
		goto fail;
	}
	return door;
fail:
	if (door->kick != -1)
		close(door->kick);
	if (door->wake != -1)
		close(door->wake);
	close(door->lfd);
	free(door);
	return NULL;
}

void
door_free(struct door *door)
{
	if (door == NULL)
		return;
	pthread_mutex_lock(&door->mu);
	door->quit = true;
	pthread_mutex_unlock(&door->mu);
	signal_fd(door->kick);
	pthread_join(door->thread, NULL);
	while (door->conns != NULL)
		conn_drop(door, door->conns);
	close(door->lfd);
	close(door->kick);
	close(door->wake);
	pthread_mutex_destroy(&door->mu);
	free(door);
}

void
door_addr(const struct door *door, struct lab_addr *out)
{
	*out = door->addr;
}

bool
door_fell_back(const struct door *door)
{
	return door->fell_back;
}

void
door_set_question(struct door *door, unsigned nchoices, unsigned id)
{
	bool news;

	if (nchoices > DOOR_CHOICES_MAX)
		nchoices = DOOR_CHOICES_MAX;
	pthread_mutex_lock(&door->mu);
	news = door->counts.nchoices != nchoices ||
	    door->counts.question != id;
	if (news) {
		door->counts.nchoices = nchoices;
		door->counts.question = id;
		memset(door->counts.votes, 0, sizeof door->counts.votes);
		door->counts.voters = 0;
		door->gen++;
	}
	pthread_mutex_unlock(&door->mu);
	if (news) {
		signal_fd(door->kick);
		signal_fd(door->wake);
	}
}

void
door_set_replies(struct door *door, const char *const *tmpl)
{
	int i;

	pthread_mutex_lock(&door->mu);
	for (i = 0; i < DOOR_REPLY_COUNT; i++) {
		if (tmpl[i] == NULL)
			continue;
		snprintf(door->tmpl[i], sizeof door->tmpl[i], "%s",
		    template_ok(tmpl[i]) ? tmpl[i] : default_reply[i]);
	}
	pthread_mutex_unlock(&door->mu);
}

void
door_counts(struct door *door, struct door_counts *out)
{
	pthread_mutex_lock(&door->mu);
	*out = door->counts;
	pthread_mutex_unlock(&door->mu);
}

int
door_wake_fd(const struct door *door)
{
	return door->wake;
}

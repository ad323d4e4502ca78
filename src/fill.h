/* fill.h - lesson placeholders, filled after translation.
 *
 * Lesson text and code may name the bartender's real port and address
 * through placeholders, so that the msgids keep the braces and the words
 * follow the lab wherever it is:
 *   {port}      the bartender's port, "5050"
 *   {port_hex}  the same in hexadecimal, as it travels: "0x13BA"
 *   {addr}      the address a customer connects to, "127.0.0.1"
 *   {sysctl:NAME}  a kernel setting under net.* read from /proc/sys,
 *               "net.ipv4.tcp_fin_timeout" -> "60"
 *   {syn_waits} how long this kernel waits before each new SYN of a
 *               connect() that gets no answer, "1, 2, 4, 8, 16, 32"
 *   {syn_giveup} seconds after the first SYN when that connect() fails
 *               with ETIMEDOUT, "127"
 * Any other brace is copied as it stands (C and Python code is full of
 * them).  Part of the core: no curses, no gettext.
 */
#ifndef SOCKTUTOR_FILL_H
#define SOCKTUTOR_FILL_H

/* What the placeholders stand for. */
struct fill_vars {
	unsigned port;
	const char *addr;	/* NULL: {addr} is left as it stands */
};

/* text with its placeholders filled; malloc'd.  A sysctl that cannot be
 * read (or a name outside net.*) becomes "{sysctl:NAME ?}", a marker
 * that a reader notices and that never looks like a value. */
char *fill_text(const char *text, const struct fill_vars *v);

/* The value of the sysctl NAME ("net.ipv4.tcp_fin_timeout") into buf,
 * trimmed; -1 when NAME is not under net.*, is malformed or cannot be
 * read. */
int fill_sysctl(const char *name, char *buf, size_t len);

/* The SYN schedule of a connect() that gets no answer. */
#define SYN_SCHEDULE_MAX 64
struct syn_schedule {
	unsigned waits[SYN_SCHEDULE_MAX];	/* seconds before each new SYN */
	unsigned n;
	unsigned giveup_s;	/* connect() fails this long after the first */
};

/* The schedule the kernel follows with net.ipv4.tcp_syn_retries (or
 * TCP_SYNCNT) = retries and net.ipv4.tcp_syn_linear_timeouts = linear
 * (0, or negative, where the kernel has no such setting: before 6.5).
 * The first linear + 1 waits last one second, then each doubles up to
 * 120 s; the kernel gives up after retries + linear new SYNs, or once
 * the time that `retries` doubling tries take (1 + 2 + 4 ...) has
 * passed, whichever comes first.  -1 for retries outside 1..255. */
int fill_syn_schedule(long retries, long linear, struct syn_schedule *out);

#endif

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

#endif

/* util.h - small helpers shared by every module: allocation that cannot
 * return NULL, formatted error causes, and escaping untrusted bytes. */
#ifndef SOCKTUTOR_UTIL_H
#define SOCKTUTOR_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A fatal error: calls the hook (the UI's, which restores the terminal),
 * writes "socktutor: what" to stderr and aborts.  Allocates nothing, so
 * that it works when memory has run out; any thread may call it. */
void util_fatal(const char *what) __attribute__((noreturn));
/* The hook util_fatal calls first (NULL: none).  It must allocate
 * nothing and may run on any thread. */
void util_set_fatal_hook(void (*hook)(void));

/* Allocation failure is not recoverable here: these abort with a message
 * (util_fatal). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A malloc'd printf result (never NULL). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy n untrusted bytes into out so that a terminal shows them and
 * never acts on them: printable ASCII and whole, valid UTF-8 characters
 * that are visible go through as they are; '\n' '\r' '\t' '\\' become
 * C escapes; every other byte (controls, DEL, C1 controls, invalid,
 * cut or overlong UTF-8, every Default_Ignorable_Code_Point of Unicode
 * (invisible characters and bidirectional controls: src/
 * unicode_ignorable.h, made by tools/gen-ignorable.py), line and
 * paragraph separators, noncharacters) becomes \xHH.  The result always passes util_text_safe.  Always NUL-terminates
 * (when outlen > 0); cuts at a whole character or escape and ends with
 * "..." when out is too small.  Returns strlen(out). */
size_t util_escape(const void *in, size_t n, char *out, size_t outlen);

/* util_escape of a whole string, in a malloc'd buffer large enough for
 * all of it (never cut): for paths, file names, option values and
 * translated text on their way to a terminal. */
char *util_escape_str(const char *s);

/* Decodes one UTF-8 sequence at s (n bytes available).  Returns its
 * length with the code point in *cp, or 0 when the bytes are not the
 * shortest encoding of a Unicode scalar value (a stray continuation
 * byte, a cut sequence, an overlong form, a surrogate, past U+10FFFF).
 * The program's one UTF-8 decoder. */
size_t util_utf8_decode(const void *s, size_t n, uint32_t *cp);

/* Reads the n bytes of s (n == (size_t)-1: up to its NUL) as a decimal
 * number from lo to hi: digits only, with a '-' first when lo is
 * negative; no blank, no '+', nothing after.  Returns 0 with the value
 * in *out, or -1 (empty, not a number, too large, out of range).  The
 * program's one number parser: each caller names the range in its own
 * words. */
int util_parse_num(const char *s, size_t n, long lo, long hi, long *out);

/* True when the n bytes of s are valid UTF-8 made only of characters
 * util_escape lets through unchanged (so no control of any kind). */
bool util_text_safe(const char *s, size_t n);

/* True when addr (numeric IPv4 or IPv6) is a loopback address:
 * 127.0.0.0/8, ::1, or ::ffff:127.x.y.z.  Only programs on this
 * computer can reach a socket bound there. */
bool util_addr_is_loopback(const char *addr);

/* Microseconds on CLOCK_MONOTONIC. */
uint64_t util_now_us(void);

/* errno of util_read_file for a path that is not a regular file. */
#define UTIL_ENOTREG ESPIPE

/* Read a whole regular file (at most max bytes) into a malloc'd,
 * NUL-terminated buffer.  Opens without blocking and without becoming a
 * controlling terminal, so a FIFO or a device never hangs the program:
 * anything but a regular file is refused.  Returns NULL with errno set;
 * EFBIG when larger than max, UTIL_ENOTREG when not a regular file. */
char *util_read_file(const char *path, size_t max, size_t *len);

/* Names util_write_new tries: NAME, then NAME-2 ... up to this. */
#define UTIL_WRITE_NEW_MAX 99

/* Write len bytes of data to a new file named name in the current
 * directory, or, when that name is taken (by anything, a symbolic link
 * included), to name-2, name-3... with the number before the suffix
 * ("bar-2.py").  Never follows a link and never replaces a file.
 * Returns the malloc'd name it used; NULL with a malloc'd *cause (the
 * name and strerror) when it cannot write. */
char *util_write_new(const char *name, const char *data, size_t len,
    char **cause);

#endif

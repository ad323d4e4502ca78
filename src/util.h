/* util.h - small helpers shared by every module: allocation that cannot
 * return NULL, formatted error causes, and escaping untrusted bytes. */
#ifndef SOCKTUTOR_UTIL_H
#define SOCKTUTOR_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Allocation failure is not recoverable here: these abort with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A malloc'd printf result (never NULL). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy n untrusted bytes into out as printable ASCII: printable bytes as
 * they are, '\n' '\r' '\t' '\\' as C escapes, anything else as \xHH.
 * Always NUL-terminates (when outlen > 0); cuts at a whole escape and ends
 * with "..." when out is too small.  Returns strlen(out). */
size_t util_escape(const void *in, size_t n, char *out, size_t outlen);

/* Microseconds on CLOCK_MONOTONIC. */
uint64_t util_now_us(void);

/* Read a whole file (at most max bytes) into a malloc'd, NUL-terminated
 * buffer.  Returns NULL with errno set; EFBIG when larger than max. */
char *util_read_file(const char *path, size_t max, size_t *len);

#endif

/* tap.h - runs a Check suite with TAP on stdout, so that automake's TAP
 * driver lists every test case by name. */
#ifndef SOCKTUTOR_TAP_H
#define SOCKTUTOR_TAP_H

#include <check.h>

/* Runs every case of s (forked, so setenv/setlocale do not leak between
 * tests); returns the exit status for main. */
int tap_run(Suite *s);

/* A path below the source tree ($top_srcdir, or ".." when unset);
 * malloc'd. */
char *tap_srcpath(const char *rel);

#endif

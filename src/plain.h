/* plain.h - plain mode: the lessons and the live lab as plain lines on
 * stdout, advanced by Enter on stdin; no cursor movement, no colour. */
#ifndef SOCKTUTOR_PLAIN_H
#define SOCKTUTOR_PLAIN_H

#include "app.h"

/* Runs from app->start until the last step or end of input; returns the
 * exit status (0 when it ran through). */
int plain_run(const struct app *app);

#endif

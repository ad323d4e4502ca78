/* ui.h - the curses interface.  Runs on the main thread, the only one
 * that touches curses. */
#ifndef SOCKTUTOR_UI_H
#define SOCKTUTOR_UI_H

#include "app.h"

/* Runs the tutorial until the learner quits.  Returns the exit status:
 * 0 for q or Ctrl-C, 128+signal for SIGTERM/SIGHUP (terminal restored). */
int ui_run(const struct app *app);

#endif

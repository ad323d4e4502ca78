/* ui_fatal.h - restoring the terminal on a fatal error (ui_fatal.c). */
#ifndef SOCKTUTOR_UI_FATAL_H
#define SOCKTUTOR_UI_FATAL_H

#include <stdbool.h>

/* Before initscr: the terminal's modes as the shell left them. */
void ui_fatal_save_tty(void);
/* After initscr: registers the hook that puts them back. */
void ui_fatal_arm(void);
/* After endwin: nothing left to restore. */
void ui_fatal_disarm(void);

#endif

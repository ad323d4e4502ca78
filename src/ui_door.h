/* ui_door.h - the classroom door as the lecture layout shows it: opens
 * the door (door.h) for --present, hands it the reply texts in the
 * current language and the question of the step on screen, and draws
 * the line students type and a live bar per choice.  Needs nothing of
 * struct ui: the caller passes the looks it draws with. */
#ifndef SOCKTUTOR_UI_DOOR_H
#define SOCKTUTOR_UI_DOOR_H

#include <stdbool.h>

#include <curses.h>

#include "app.h"
#include "lab.h"
#include "lesson.h"

struct ui_door;

/* Open the door on the --listen address, at --door or the port after
 * the bar's real one as lab settled it (lab_bar_where; lab may be NULL),
 * another free port when that one is taken (then the door says so).
 * Returns NULL with *cause (malloc'd) set when it cannot listen. */
struct ui_door *ui_door_open(const struct app *app, struct lab *lab,
    char **cause);

/* Close the door.  NULL-safe. */
void ui_door_close(struct ui_door *d);

/* Readable when the counts changed; ui_door_wake clears it. */
int ui_door_wake_fd(const struct ui_door *d);
void ui_door_wake(struct ui_door *d);

/* The step on screen asks q (NULL: no question) under id: votes are
 * counted for it, and the right answer is hidden again when the
 * question is a new one. */
void ui_door_question(struct ui_door *d, const struct lesson_question *q,
    unsigned id);

/* The language changed: students are answered in the new one. */
void ui_door_language(struct ui_door *d);

/* Show or hide the right answer on the bars. */
void ui_door_reveal(struct ui_door *d);

/* The looks the answer block is drawn with. */
struct ui_door_looks {
	attr_t text, big, bar, right, dim;
};

/* Rows the answer block wants for q at width columns. */
int ui_door_rows(const struct ui_door *d, const struct lesson_question *q);

/* Draw the answer block for q from row y of w, in at most rows rows
 * and width columns from x.  Returns the rows used. */
int ui_door_draw(struct ui_door *d, WINDOW *w, int y, int x, int width,
    int rows, const struct lesson_question *q,
    const struct ui_door_looks *looks);

#endif
